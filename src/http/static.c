#include "static.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../core/common.h"
#include "../core/file.h"
#include "../core/log.h"
#include "encode.h"
#include "request.h"

#define MAX_FILES 4096
#define MAX_FILE_SIZE (16u << 20)
#define MAX_DEPTH 8

struct item {
    char *path; /* URL path, "/assets/site.css" */
    mh_static_file_t f;
    char etag[40], gz_etag[40];
};

struct mh_static {
    struct item *items;
    size_t n, cap;
};

static const struct {
    const char *ext, *type;
} mime_types[] = {
    {"css", "text/css; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"json", "application/json"},
    {"html", "text/html; charset=utf-8"},
    {"txt", "text/plain; charset=utf-8"},
    {"xml", "application/xml"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"ico", "image/x-icon"},
    {"woff2", "font/woff2"},
    {"woff", "font/woff"},
    {"map", "application/json"},
    {"pdf", "application/pdf"},
};

const char *mh_mime_by_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (dot && !strchr(dot, '/'))
        for (size_t i = 0; i < MH_ARRAY_LEN(mime_types); i++)
            if (strcasecmp(dot + 1, mime_types[i].ext) == 0)
                return mime_types[i].type;
    return "application/octet-stream";
}

int mh_mime_compressible(const char *t)
{
    return strncmp(t, "text/", 5) == 0 || strncmp(t, "application/json", 16) == 0 ||
           strncmp(t, "application/xml", 15) == 0 || strncmp(t, "image/svg+xml", 13) == 0;
}

static void add_file(mh_static_t *s, const char *fs_path, const char *url)
{
    char *data;
    size_t len;
    if (s->n >= MAX_FILES) {
        mh_warn("static: more than %d files, ignoring %s", MAX_FILES, fs_path);
        return;
    }
    int rc = mh_file_read(fs_path, MAX_FILE_SIZE, &data, &len);
    if (rc != MH_OK) {
        mh_warn("static: cannot read %s", fs_path);
        return;
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 32;
        s->items = mh_realloc(s->items, s->cap * sizeof(*s->items));
    }
    struct item *it = &s->items[s->n++];
    memset(it, 0, sizeof(*it));
    it->path = mh_strdup(url);
    it->f.content_type = mh_mime_by_name(url);
    it->f.body = data;
    it->f.len = len;
    mh_etag(data, len, NULL, it->etag);
    mh_etag(data, len, "-gz", it->gz_etag);
    it->f.etag = it->etag;
    it->f.gz_etag = it->gz_etag;
    char *gz;
    size_t gz_len;
    if (mh_mime_compressible(it->f.content_type) && len > 256 &&
        mh_gzip(data, len, 9, &gz, &gz_len) == MH_OK) {
        if (gz_len < len) {
            it->f.gz = gz;
            it->f.gz_len = gz_len;
        } else {
            free(gz);
        }
    }
}

static void walk(mh_static_t *s, const char *dir, const char *url, int depth)
{
    if (depth > MAX_DEPTH)
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        size_t dl = strlen(dir), nl = strlen(e->d_name), ul = strlen(url);
        char *fs = mh_malloc(dl + nl + 2), *u = mh_malloc(ul + nl + 2);
        memcpy(fs, dir, dl);
        fs[dl] = '/';
        memcpy(fs + dl + 1, e->d_name, nl + 1);
        memcpy(u, url, ul);
        memcpy(u + ul, e->d_name, nl + 1);
        struct stat st;
        if (lstat(fs, &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                u[ul + nl] = '/';
                u[ul + nl + 1] = '\0';
                walk(s, fs, u, depth + 1);
            } else if (S_ISREG(st.st_mode)) {
                add_file(s, fs, u);
            }
        }
        free(fs);
        free(u);
    }
    closedir(d);
}

static int cmp_item(const void *a, const void *b)
{
    return strcmp(((const struct item *)a)->path, ((const struct item *)b)->path);
}

int mh_static_load(mh_static_t **out, const char *dir, const char *prefix)
{
    mh_static_t *s = mh_calloc(1, sizeof(*s));
    walk(s, dir, prefix, 0);
    if (s->n)
        qsort(s->items, s->n, sizeof(*s->items), cmp_item);
    /* the etag pointers moved with the items */
    for (size_t i = 0; i < s->n; i++) {
        s->items[i].f.etag = s->items[i].etag;
        s->items[i].f.gz_etag = s->items[i].gz_etag;
    }
    *out = s;
    return MH_OK;
}

void mh_static_free(mh_static_t *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->items[i].path);
        free((char *)s->items[i].f.body);
        free((char *)s->items[i].f.gz);
    }
    free(s->items);
    free(s);
}

const mh_static_file_t *mh_static_find(const mh_static_t *s, mh_str_t path)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *p = s->items[mid].path;
        size_t pl = strlen(p);
        int c = memcmp(p, path.base, pl < path.len ? pl : path.len);
        if (c == 0)
            c = pl < path.len ? -1 : pl > path.len ? 1 : 0;
        if (c == 0)
            return &s->items[mid].f;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

void mh_static_respond(const mh_static_file_t *f, mh_req_t *req, mh_resp_t *resp)
{
    bool gz = req->accepts_gzip && f->gz;
    resp->status = 200;
    resp->content_type = f->content_type;
    resp->data = gz ? f->gz : f->body;
    resp->data_len = gz ? f->gz_len : f->len;
    resp->content_encoding = gz ? "gzip" : NULL;
    resp->vary_encoding = f->gz != NULL;
    resp->etag = gz ? f->gz_etag : f->etag;
    resp->alt_etag = gz ? f->etag : f->gz_etag;
    /* a versioned URL (?v=...) names one version forever */
    resp->cache_control = mh_str_starts_with(req->query, "v=")
                              ? "public, max-age=31536000, immutable"
                              : "public, max-age=300";
}
