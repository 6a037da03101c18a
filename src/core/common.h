/* Shared return codes, attributes and the out-of-memory hook. */
#ifndef MH_CORE_COMMON_H
#define MH_CORE_COMMON_H

#include <stddef.h>
#include <stdint.h>

enum {
    MH_OK = 0,
    MH_ERR = -1,      /* failure; details logged or returned in an error buffer */
    MH_DECLINED = -2, /* "not mine": try the next handler / not found */
    MH_TOOBIG = -3,   /* a bounded buffer hit its ceiling */
    MH_NOSPACE = -4,  /* a write failed for want of space (SQLITE_FULL, ENOSPC);
                       * nothing was stored */
    MH_INVALID = -5,  /* input refused by a content invariant (e.g. a URL field
                       * holding a javascript: URL); nothing was stored */
};

#define MH_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define MH_NORETURN __attribute__((noreturn))
#define MH_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define MH_NORETURN
#define MH_PRINTF(f, a)
#endif

/* Called when an allocation fails. Aborts; there is no recovery from OOM. */
MH_NORETURN void mh_oom(void);

/* malloc/calloc/realloc/strdup that never return NULL (they call mh_oom). */
void *mh_malloc(size_t n);
void *mh_calloc(size_t n, size_t size);
void *mh_realloc(void *p, size_t n);
char *mh_strdup(const char *s);
char *mh_strndup(const char *s, size_t n);

#endif
