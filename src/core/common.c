#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mh_oom(void)
{
    static const char msg[] = "masthead: out of memory\n";
    fwrite(msg, 1, sizeof(msg) - 1, stderr);
    abort();
}

void *mh_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        mh_oom();
    return p;
}

void *mh_calloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        mh_oom();
    return p;
}

void *mh_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        mh_oom();
    return q;
}

char *mh_strdup(const char *s)
{
    return mh_strndup(s, strlen(s));
}

char *mh_strndup(const char *s, size_t n)
{
    char *p = mh_malloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}
