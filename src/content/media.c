/* The media library's domain layer: keeps the media table in step with the
 * files src/media writes, and turns public URLs back into files without
 * ever letting a URL byte choose a path that is not a recorded name. */
#include "media.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/log.h"
#include "../media/media.h"
#include "../store/media.h"

#define STEM_LEN 33 /* "ab/" + 30 hex digits */
#define ORIGINAL_MAX 255

static const struct mh_store_media_ops *ops(mh_content_t *c)
{
    return mh_content_store(c)->ops->media;
}

static bool is_hex(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
}

/* Does s (len bytes) start with the stem "ab/<30 hex>"? */
static bool has_stem(const char *s, size_t len)
{
    if (len < STEM_LEN || s[2] != '/')
        return false;
    for (size_t i = 0; i < STEM_LEN; i++)
        if (i != 2 && !is_hex(s[i]))
            return false;
    return true;
}

/* "ab/<30 hex>.<1-8 lower-case letters>" exactly. */
static bool is_stored_name(const char *s, size_t len)
{
    if (!has_stem(s, len) || len < STEM_LEN + 2 || len > STEM_LEN + 9 || s[STEM_LEN] != '.')
        return false;
    for (size_t i = STEM_LEN + 1; i < len; i++)
        if (!(s[i] >= 'a' && s[i] <= 'z'))
            return false;
    return true;
}

/* The client's file name as metadata: control bytes (NUL included) become
 * '_', invalid UTF-8 is kept out of the database, and the length is
 * bounded on a character boundary. */
static char *clean_original(mh_pool_t *p, mh_str_t name)
{
    size_t len = name.base ? name.len : 0;
    char *out = mh_palloc(p, (len < ORIGINAL_MAX ? len : ORIGINAL_MAX) + 1);
    size_t o = 0;
    const unsigned char *s = (const unsigned char *)name.base;
    for (size_t i = 0; i < len;) {
        unsigned char ch = s[i];
        size_t n = 0; /* length of a valid multi-byte sequence at i */
        if (ch >= 0xc2 && ch <= 0xf4) {
            n = ch >= 0xf0 ? 4 : ch >= 0xe0 ? 3 : 2;
            for (size_t k = 1; n && k < n; k++)
                if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
                    n = 0;
        }
        if (n) {
            if (o + n > ORIGINAL_MAX)
                break;
            memcpy(out + o, s + i, n);
            o += n;
            i += n;
        } else {
            if (o + 1 > ORIGINAL_MAX)
                break;
            out[o++] = ch < 0x20 || ch >= 0x7f ? '_' : (char)ch;
            i++;
        }
    }
    out[o] = '\0';
    return out;
}

int mh_content_media_add(mh_content_t *c, mh_pool_t *p, const char *media_dir, const void *data,
                         size_t len, mh_str_t original_name, int64_t user_id, mh_media_item_t *out)
{
    mh_media_info_t info;
    char stored[64];
    const char *orig = clean_original(p, original_name);
    int rc = mh_media_store(media_dir, data, len, orig, &info, stored, sizeof(stored));
    if (rc != MH_OK)
        return rc;

    char widths[MH_MEDIA_ITEM_MAX_VARIANTS * 8] = "";
    size_t wl = 0;
    for (size_t i = 0; i < info.nvariants && i < MH_MEDIA_ITEM_MAX_VARIANTS; i++)
        wl += (size_t)snprintf(widths + wl, sizeof(widths) - wl, "%s%d", i ? " " : "",
                               info.variant_widths[i]);

    memset(out, 0, sizeof(*out));
    out->stored_name = mh_pstrdup(p, stored);
    out->original_name = orig;
    out->mime = mh_pstrdup(p, info.mime);
    out->size = (int64_t)info.stored_size;
    out->width = info.kind == MH_MEDIA_IMAGE ? info.width : 0;
    out->height = info.kind == MH_MEDIA_IMAGE ? info.height : 0;
    out->variants = mh_pstrdup(p, widths);
    out->created_at = (int64_t)time(NULL);
    out->user_id = user_id;
    out->user_name = "";
    /* The files are in place (fsync'd) before the row commits: a crash in
     * between leaves files without a row, which mh_content_media_recover
     * removes at the next start-up; never a row without its file. */
    rc = mh_content_tx_begin(c);
    if (rc == MH_OK)
        rc = mh_content_tx_end(c, ops(c)->insert(mh_content_store(c), out, &out->id));
    if (rc != MH_OK) {
        int w[MH_MEDIA_ITEM_MAX_VARIANTS];
        size_t nw = mh_content_media_widths(out, w, MH_MEDIA_ITEM_MAX_VARIANTS);
        mh_media_remove(media_dir, stored, w, nw);
        return rc == MH_NOSPACE ? MH_NOSPACE : MH_ERR;
    }
    return MH_OK;
}

int mh_content_media_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_media_item_t *out)
{
    return ops(c)->get(mh_content_store(c), p, id, out);
}

int mh_content_media_by_name(mh_content_t *c, mh_pool_t *p, const char *stored_name,
                             mh_media_item_t *out)
{
    if (!stored_name || !is_stored_name(stored_name, strlen(stored_name)))
        return MH_DECLINED;
    return ops(c)->by_name(mh_content_store(c), p, stored_name, out);
}

int mh_content_media_list(mh_content_t *c, mh_pool_t *p, const mh_media_query_t *q,
                          mh_media_item_t **out, size_t *n, int64_t *total)
{
    mh_media_query_t qq = *q;
    if (qq.limit <= 0)
        qq.limit = 24;
    if (qq.limit > 200)
        qq.limit = 200;
    if (qq.offset < 0)
        qq.offset = 0;
    if (qq.kind != MH_MEDIA_KIND_IMAGE && qq.kind != MH_MEDIA_KIND_DOCUMENT)
        qq.kind = MH_MEDIA_KIND_ANY;
    if (!qq.search)
        qq.search = "";
    return ops(c)->list(mh_content_store(c), p, &qq, out, n, total);
}

int mh_content_media_uses(mh_content_t *c, mh_pool_t *p, const mh_media_item_t *m,
                          mh_media_use_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!m->stored_name || !has_stem(m->stored_name, strlen(m->stored_name)))
        return MH_ERR;
    const char *stem = mh_pstrndup(p, m->stored_name, STEM_LEN);
    return ops(c)->uses(mh_content_store(c), p, stem, out, n);
}

int mh_content_media_delete(mh_content_t *c, const char *media_dir, const mh_media_item_t *m)
{
    int rc = ops(c)->remove(mh_content_store(c), m->id);
    if (rc != MH_OK)
        return rc;
    int w[MH_MEDIA_ITEM_MAX_VARIANTS];
    size_t nw = mh_content_media_widths(m, w, MH_MEDIA_ITEM_MAX_VARIANTS);
    if (mh_media_remove(media_dir, m->stored_name, w, nw) == MH_ERR)
        mh_warn("media: files of %s not fully removed", m->stored_name);
    /* pages that showed it (cover srcset) must be rendered again */
    mh_content_changed(c);
    return MH_OK;
}

const char *mh_content_media_url(mh_pool_t *p, const char *stored_name)
{
    return mh_psprintf(p, "%s%s", MH_MEDIA_URL_PREFIX, stored_name ? stored_name : "");
}

size_t mh_content_media_widths(const mh_media_item_t *m, int *w, size_t max)
{
    size_t n = 0;
    const char *s = m->variants ? m->variants : "";
    while (*s && n < max) {
        while (*s == ' ')
            s++;
        long v = 0;
        int digits = 0;
        while (*s >= '0' && *s <= '9' && digits < 6) {
            v = v * 10 + (*s++ - '0');
            digits++;
        }
        if (digits == 0) {
            if (*s)
                s++;
            continue;
        }
        if (v > 0)
            w[n++] = (int)v;
    }
    return n;
}

bool mh_content_media_is_image(const mh_media_item_t *m)
{
    static const char *const inline_types[] = {"image/jpeg", "image/png", "image/gif",
                                               "image/webp"};
    for (size_t i = 0; m->mime && i < MH_ARRAY_LEN(inline_types); i++)
        if (strcmp(m->mime, inline_types[i]) == 0)
            return true;
    return false;
}

/* "-<width>.webp" after the stem: the width, or 0 if the suffix is not
 * exactly that (no leading zeros, at most 5 digits). */
static int variant_suffix(const char *s, size_t len)
{
    if (len < 7 || s[0] != '-' || s[1] == '0')
        return 0;
    size_t i = 1;
    int w = 0;
    while (i < len && i <= 5 && s[i] >= '0' && s[i] <= '9')
        w = w * 10 + (s[i++] - '0');
    if (i == 1 || len - i != 5 || memcmp(s + i, ".webp", 5) != 0)
        return 0;
    return w;
}

int mh_content_media_resolve(mh_content_t *c, mh_pool_t *p, mh_str_t path, mh_media_file_t *out)
{
    memset(out, 0, sizeof(*out));
    if (!path.base || path.len > 64 || !has_stem(path.base, path.len))
        return MH_DECLINED;
    const char *s = mh_pstrndup(p, path.base, path.len);
    if (strlen(s) != path.len)
        return MH_DECLINED; /* a NUL inside */
    mh_store_t *st = mh_content_store(c);
    int rc;
    int width = 0;
    if (is_stored_name(s, path.len)) {
        rc = ops(c)->by_name(st, p, s, &out->item);
    } else if ((width = variant_suffix(s + STEM_LEN, path.len - STEM_LEN)) > 0) {
        rc = ops(c)->by_stem(st, p, mh_pstrndup(p, s, STEM_LEN), &out->item);
    } else {
        return MH_DECLINED;
    }
    if (rc != MH_OK)
        return rc;

    const char *ext = strrchr(out->item.stored_name, '.');
    ext = ext ? ext + 1 : NULL;
    char hex[33];
    memcpy(hex, s, 2);
    memcpy(hex + 2, s + 3, 30);
    hex[32] = '\0';
    if (width > 0) {
        int w[MH_MEDIA_ITEM_MAX_VARIANTS];
        size_t nw = mh_content_media_widths(&out->item, w, MH_MEDIA_ITEM_MAX_VARIANTS);
        bool listed = false;
        for (size_t i = 0; i < nw; i++)
            listed = listed || w[i] == width;
        if (!listed || !mh_content_media_is_image(&out->item))
            return MH_DECLINED;
        out->mime = "image/webp";
        out->inline_ok = true;
        ext = "webp";
        out->etag = mh_psprintf(p, "\"%s-%d\"", hex, width);
    } else {
        out->mime = out->item.mime;
        out->inline_ok = mh_content_media_is_image(&out->item);
        out->etag = mh_psprintf(p, "\"%s\"", hex);
    }
    out->rel_path = s;
    char name[128];
    mh_media_safe_download_name(mh_str_c(out->item.original_name), ext, name, sizeof(name));
    out->download_name = mh_pstrdup(p, name);
    return MH_OK;
}

struct mapping {
    void *addr;
    size_t len;
};

static void unmap(void *data)
{
    struct mapping *m = data;
    munmap(m->addr, m->len);
}

int mh_content_media_load(mh_pool_t *p, const char *media_dir, const char *rel_path,
                          size_t max_bytes, const void **data, size_t *len)
{
    int rc = MH_ERR, dirfd = -1, subfd = -1, fd = -1;
    struct stat sb;
    *data = NULL;
    *len = 0;
    if (!rel_path || !has_stem(rel_path, strlen(rel_path)) || strchr(rel_path + 3, '/'))
        return MH_DECLINED;
    char sub[3] = {rel_path[0], rel_path[1], '\0'};
    dirfd = open(media_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) {
        mh_error("media: cannot open %s: %s", media_dir, strerror(errno));
        goto done;
    }
    /* neither the fan-out directory nor the file may be a symlink */
    subfd = openat(dirfd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (subfd >= 0)
        fd = openat(subfd, rel_path + 3, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        rc = errno == ENOENT ? MH_DECLINED : MH_ERR;
        if (rc == MH_ERR)
            mh_warn("media: cannot open %s: %s", rel_path, strerror(errno));
        goto done;
    }
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        rc = MH_DECLINED;
        goto done;
    }
    if ((uint64_t)sb.st_size > max_bytes) {
        mh_warn("media: %s is larger than %zu bytes; not served", rel_path, max_bytes);
        rc = MH_TOOBIG;
        goto done;
    }
    if (sb.st_size == 0) {
        *data = "";
        rc = MH_OK;
        goto done;
    }
    void *addr = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (addr == MAP_FAILED) {
        mh_error("media: cannot map %s: %s", rel_path, strerror(errno));
        goto done;
    }
    struct mapping *m = mh_palloc(p, sizeof(*m));
    m->addr = addr;
    m->len = (size_t)sb.st_size;
    mh_pool_cleanup_add(p, unmap, m);
    *data = addr;
    *len = m->len;
    rc = MH_OK;
done:
    if (fd >= 0)
        close(fd);
    if (subfd >= 0)
        close(subfd);
    if (dirfd >= 0)
        close(dirfd);
    return rc;
}

int mh_content_media_srcset(mh_content_t *c, mh_pool_t *p, const char *ref, const char **url,
                            const char **srcset)
{
    size_t plen = sizeof(MH_MEDIA_URL_PREFIX) - 1;
    *url = NULL;
    *srcset = NULL;
    if (!ref)
        return MH_DECLINED;
    if (strncmp(ref, MH_MEDIA_URL_PREFIX, plen) == 0)
        ref += plen;
    if (!is_stored_name(ref, strlen(ref)))
        return MH_DECLINED;
    mh_media_item_t m;
    int rc = ops(c)->by_name(mh_content_store(c), p, ref, &m);
    if (rc != MH_OK || !mh_content_media_is_image(&m))
        return rc == MH_ERR ? MH_ERR : MH_DECLINED;
    int w[MH_MEDIA_ITEM_MAX_VARIANTS];
    size_t nw = mh_content_media_widths(&m, w, MH_MEDIA_ITEM_MAX_VARIANTS);
    *url = mh_content_media_url(p, m.stored_name);
    *srcset = mh_media_srcset(p, MH_MEDIA_URL_PREFIX, m.stored_name, w, nw);
    if (!*srcset)
        *srcset = "";
    return MH_OK;
}

/* --- start-up recovery --- */

/* Is name (in subdirectory sub) "<30 hex>-<digits>.webp", a variant? */
static bool is_variant_name(const char *name)
{
    size_t n = strlen(name);
    if (n < 30 + 7 || name[30] != '-' || strcmp(name + n - 5, ".webp") != 0)
        return false;
    for (size_t i = 31; i < n - 5; i++)
        if (name[i] < '0' || name[i] > '9')
            return false;
    return n - 5 > 31;
}

/* Remove every regular file in dir (the upload temporaries). */
static size_t empty_tmp(const char *media_dir)
{
    char path[4096];
    size_t removed = 0;
    snprintf(path, sizeof(path), "%s/%s", media_dir, MH_MEDIA_TMP_DIR);
    DIR *d = opendir(path);
    if (!d)
        return 0;
    int fd = dirfd(d);
    for (struct dirent *de; (de = readdir(d));) {
        if (de->d_name[0] == '.' && (!de->d_name[1] || strcmp(de->d_name, "..") == 0))
            continue;
        if (unlinkat(fd, de->d_name, 0) == 0) {
            mh_info("media: removed temporary file %s/%s", path, de->d_name);
            removed++;
        }
    }
    closedir(d);
    return removed;
}

/* Sweep one "ab" directory: temporaries an older version left beside the
 * files (".tmp-*"), and files whose stem has no media row. */
static int sweep_sub(mh_content_t *c, const char *media_dir, const char *sub, size_t *removed)
{
    char path[4096];
    int rc = MH_OK;
    snprintf(path, sizeof(path), "%s/%s", media_dir, sub);
    DIR *d = opendir(path);
    if (!d)
        return MH_OK;
    int fd = dirfd(d);
    mh_pool_t *p = mh_pool_create();
    for (struct dirent *de; (de = readdir(d));) {
        const char *name = de->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        struct stat st;
        if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
            continue;
        bool orphan;
        if (strncmp(name, ".tmp-", 5) == 0) {
            orphan = true;
        } else {
            char stored[300];
            snprintf(stored, sizeof(stored), "%s/%s", sub, name);
            if (!has_stem(stored, strlen(stored)))
                continue; /* not ours: leave it */
            mh_media_item_t m;
            char stem[STEM_LEN + 1];
            memcpy(stem, stored, STEM_LEN);
            stem[STEM_LEN] = '\0';
            int r = ops(c)->by_stem(mh_content_store(c), p, stem, &m);
            if (r == MH_ERR) {
                rc = MH_ERR;
                break;
            }
            orphan =
                r == MH_DECLINED || (strcmp(m.stored_name, stored) != 0 && !is_variant_name(name));
        }
        if (orphan && unlinkat(fd, name, 0) == 0) {
            mh_info("media: removed %s/%s (no media row: left by an interrupted upload)", path,
                    name);
            (*removed)++;
        }
    }
    mh_pool_destroy(p);
    closedir(d);
    return rc;
}

int mh_content_media_recover(mh_content_t *c, const char *media_dir, size_t *removed)
{
    size_t n = empty_tmp(media_dir);
    int rc = MH_OK;
    DIR *d = opendir(media_dir);
    if (!d) {
        if (removed)
            *removed = n;
        return errno == ENOENT ? MH_OK : MH_ERR;
    }
    for (struct dirent *de; (de = readdir(d));) {
        const char *s = de->d_name;
        if (strlen(s) == 2 && is_hex(s[0]) && is_hex(s[1]) &&
            sweep_sub(c, media_dir, s, &n) != MH_OK)
            rc = MH_ERR;
    }
    closedir(d);
    if (removed)
        *removed = n;
    return rc;
}
