/* Storing uploads on disk under random names, and the names that refer to
 * them (variants, srcset, download names). No byte of the client's file
 * name ever reaches a path. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vips/vips.h>

#include "../core/buf.h"
#include "../core/log.h"
#include "internal.h"

#define HEX_LEN 32 /* 128 random bits */
#define EXT_MAX 8

static int random_hex(char *out, size_t nhex)
{
    unsigned char raw[32];
    size_t nraw = nhex / 2;
    static const char digits[] = "0123456789abcdef";
    if (nraw > sizeof(raw))
        return MH_ERR;
    size_t got = 0;
    while (got < nraw) {
        ssize_t r = getrandom(raw + got, nraw - got, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return MH_ERR;
        }
        got += (size_t)r;
    }
    for (size_t i = 0; i < nraw; i++) {
        out[2 * i] = digits[raw[i] >> 4];
        out[2 * i + 1] = digits[raw[i] & 15];
    }
    out[nhex] = '\0';
    return MH_OK;
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return MH_ERR;
        }
        p += w;
        len -= (size_t)w;
    }
    return MH_OK;
}

/* Create name in dirfd with exactly these bytes, or fail with EEXIST if it
 * exists. The data goes to a fresh temporary file first, in tmpfd (the
 * media directory's .tmp/, which start-up empties, so a crash leaves no
 * temporary file beside the media for long), with O_EXCL|O_NOFOLLOW so
 * neither an existing file nor a planted symlink is followed; it is
 * fsync'd and then hard-linked to its name: link(2) never replaces, and
 * readers see the whole file or nothing. */
static int create_file(int tmpfd, int dirfd, const char *name, const void *data, size_t len)
{
    int rc = MH_ERR, fd = -1, saved = 0;
    char tmp[48] = "up-";

    if (random_hex(tmp + 3, 24) != MH_OK)
        return MH_ERR;
    fd = openat(tmpfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
    if (fd < 0)
        return MH_ERR;
    if (fchmod(fd, 0640) != 0 || write_all(fd, data, len) != MH_OK || fsync(fd) != 0)
        goto done;
    if (close(fd) != 0) {
        fd = -1;
        goto done;
    }
    fd = -1;
    if (linkat(tmpfd, tmp, dirfd, name, 0) != 0)
        goto done;
    rc = MH_OK;
done:
    saved = errno;
    if (fd >= 0)
        close(fd);
    unlinkat(tmpfd, tmp, 0);
    errno = rc == MH_OK ? 0 : saved;
    return rc;
}

/* MH_NOSPACE when the last system call failed for want of space. */
static int nospace_or(int rc)
{
    return errno == ENOSPC || errno == EDQUOT || errno == EFBIG ? MH_NOSPACE : rc;
}

static int open_subdir(int dirfd, const char *sub)
{
    if (mkdirat(dirfd, sub, 0750) != 0 && errno != EEXIST)
        return -1;
    return openat(dirfd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* Split "ab/<30 hex>.<ext>" into the 32 hex digits and the extension.
 * Anything else is refused, so names from a database or a URL cannot
 * point outside media_dir. */
static bool parse_stored(const char *s, char hex[HEX_LEN + 1], char ext[EXT_MAX + 1])
{
    if (!s || strlen(s) < HEX_LEN + 3 || s[2] != '/')
        return false;
    for (size_t i = 0, j = 0; i < HEX_LEN + 1; i++) {
        char c = s[i];
        if (i == 2)
            continue;
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
        hex[j++] = c;
    }
    hex[HEX_LEN] = '\0';
    const char *e = s + HEX_LEN + 1;
    if (*e != '.')
        return false;
    e++;
    size_t n = strlen(e);
    if (n == 0 || n > EXT_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(e[i] >= 'a' && e[i] <= 'z'))
            return false;
    memcpy(ext, e, n + 1);
    return true;
}

int mh_media_store(const char *media_dir, const void *data, size_t len, const char *original_name,
                   mh_media_info_t *info, char *stored_name, size_t n)
{
    int rc, dirfd = -1, subfd = -1, tmpfd = -1;
    mh_media_config_t cfg;
    void *body = NULL; /* re-encoded image, g_malloc'd */
    size_t body_len = 0;
    char hex[HEX_LEN + 1], sub[3], name[64];
    int widths[MH_MEDIA_MAX_WIDTHS + 1];
    size_t nw = 0, written = 0;
    bool main_written = false;

    if (stored_name && n > 0)
        stored_name[0] = '\0';
    rc = mh_media_inspect(data, len, info);
    if (rc != MH_OK)
        return rc;
    media_config_get(&cfg);
    if (!stored_name || n < HEX_LEN + 3 + strlen(info->ext))
        return MH_TOOBIG;
    mh_media_safe_download_name(mh_str_c(original_name), info->ext, info->download_name,
                                sizeof(info->download_name));

    const void *bytes = data;
    size_t nbytes = len;
    if (info->kind == MH_MEDIA_IMAGE) {
        rc = media_image_reencode(data, len, info, &cfg, &body, &body_len);
        if (rc != MH_OK)
            goto done;
        bytes = body;
        nbytes = body_len;
        nw = media_variant_widths(&cfg, info->width, widths);
    }

    rc = MH_ERR;
    dirfd = open(media_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) {
        mh_error("media: cannot open %s: %s", media_dir, strerror(errno));
        goto done;
    }
    tmpfd = open_subdir(dirfd, MH_MEDIA_TMP_DIR);
    if (tmpfd < 0) {
        mh_error("media: cannot create %s/%s: %s", media_dir, MH_MEDIA_TMP_DIR, strerror(errno));
        rc = nospace_or(MH_ERR);
        goto done;
    }
    /* 128 random bits never collide in practice; the retry is for form. */
    for (int attempt = 0; attempt < 4 && !main_written; attempt++) {
        if (random_hex(hex, HEX_LEN) != MH_OK)
            goto done;
        memcpy(sub, hex, 2);
        sub[2] = '\0';
        if (subfd >= 0)
            close(subfd);
        subfd = open_subdir(dirfd, sub);
        if (subfd < 0) {
            mh_error("media: cannot create %s/%s: %s", media_dir, sub, strerror(errno));
            goto done;
        }
        snprintf(name, sizeof(name), "%s.%s", hex + 2, info->ext);
        if (create_file(tmpfd, subfd, name, bytes, nbytes) == MH_OK)
            main_written = true;
        else if (errno != EEXIST) {
            mh_error("media: cannot write %s/%s/%s: %s", media_dir, sub, name, strerror(errno));
            rc = nospace_or(MH_ERR);
            goto done;
        }
    }
    if (!main_written)
        goto done;
    info->stored_size = nbytes;

    for (written = 0; written < nw; written++) {
        void *v = NULL;
        size_t vlen = 0;
        rc = media_image_variant(data, len, widths[written], &cfg, &v, &vlen);
        if (rc != MH_OK)
            goto done;
        snprintf(name, sizeof(name), "%s-%d.webp", hex + 2, widths[written]);
        int w = create_file(tmpfd, subfd, name, v, vlen);
        g_free(v);
        if (w != MH_OK) {
            mh_error("media: cannot write %s/%s/%s: %s", media_dir, sub, name, strerror(errno));
            rc = nospace_or(MH_ERR);
            goto done;
        }
        info->variant_widths[written] = widths[written];
    }
    info->nvariants = nw;
    fsync(subfd);
    snprintf(stored_name, n, "%s/%s.%s", sub, hex + 2, info->ext);
    rc = MH_OK;
done:
    if (rc != MH_OK && subfd >= 0 && main_written) {
        for (size_t i = 0; i < written; i++) {
            snprintf(name, sizeof(name), "%s-%d.webp", hex + 2, widths[i]);
            unlinkat(subfd, name, 0);
        }
        snprintf(name, sizeof(name), "%s.%s", hex + 2, info->ext);
        unlinkat(subfd, name, 0);
        info->nvariants = 0;
    }
    if (subfd >= 0)
        close(subfd);
    if (tmpfd >= 0)
        close(tmpfd);
    if (dirfd >= 0)
        close(dirfd);
    g_free(body);
    return rc;
}

int mh_media_remove(const char *media_dir, const char *stored_name, const int *widths, size_t n)
{
    char hex[HEX_LEN + 1], ext[EXT_MAX + 1], path[4096];
    int rc = MH_OK;

    if (!parse_stored(stored_name, hex, ext))
        return MH_DECLINED;
    snprintf(path, sizeof(path), "%s/%s", media_dir, stored_name);
    if (unlink(path) != 0 && errno != ENOENT)
        rc = MH_ERR;
    for (size_t i = 0; i < n; i++) {
        if (widths[i] <= 0)
            continue;
        snprintf(path, sizeof(path), "%s/%.2s/%s-%d.webp", media_dir, hex, hex + 2, widths[i]);
        if (unlink(path) != 0 && errno != ENOENT)
            rc = MH_ERR;
    }
    return rc;
}

const char *mh_media_variant_name(mh_pool_t *pool, const char *stored_name, int width)
{
    char hex[HEX_LEN + 1], ext[EXT_MAX + 1];
    if (width <= 0 || !parse_stored(stored_name, hex, ext))
        return NULL;
    return mh_psprintf(pool, "%.2s/%s-%d.webp", hex, hex + 2, width);
}

const char *mh_media_srcset(mh_pool_t *pool, const char *base_url, const char *stored_name,
                            const int *widths, size_t n)
{
    char hex[HEX_LEN + 1], ext[EXT_MAX + 1];
    if (!parse_stored(stored_name, hex, ext))
        return NULL;
    const char *s = "";
    for (size_t i = 0; i < n; i++) {
        if (widths[i] <= 0)
            continue;
        s = mh_psprintf(pool, "%s%s%s%.2s/%s-%d.webp %dw", s, *s ? ", " : "",
                        base_url ? base_url : "", hex, hex + 2, widths[i], widths[i]);
    }
    return s;
}

/* Length of the valid UTF-8 sequence at p (2..4), or 0 if it is invalid,
 * overlong, a surrogate, or a character that can disguise a name: bidi
 * controls (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F) and U+FEFF. */
static size_t utf8_ok(const unsigned char *p, size_t len)
{
    unsigned cp;
    size_t n;
    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        n = 2, cp = p[0] & 0x1f;
    else if (p[0] >= 0xe0 && p[0] <= 0xef)
        n = 3, cp = p[0] & 0x0f;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4)
        n = 4, cp = p[0] & 0x07;
    else
        return 0;
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    if ((cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x202a && cp <= 0x202e) ||
        (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f || cp == 0xfeff)
        return 0;
    return n;
}

static bool safe_ascii(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' ||
           c == '.' || c == '-' || c == '_' || c == '(' || c == ')';
}

static bool reserved_device(const char *s, size_t len)
{
    static const char *const names[] = {"con", "prn", "aux", "nul"};
    for (size_t i = 0; i < MH_ARRAY_LEN(names); i++)
        if (len == 3 && strncasecmp(s, names[i], 3) == 0)
            return true;
    return len == 4 && (strncasecmp(s, "com", 3) == 0 || strncasecmp(s, "lpt", 3) == 0) &&
           s[3] >= '1' && s[3] <= '9';
}

/* Bytes of s (len) that fit in max without splitting a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    return n;
}

size_t mh_media_safe_download_name(mh_str_t name, const char *ext, char *out, size_t n)
{
    const unsigned char *p = (const unsigned char *)name.base;
    size_t len = name.base ? name.len : 0;

    if (n == 0)
        return 0;
    out[0] = '\0';
    /* The last path component, for both separators. */
    for (size_t i = len; i > 0; i--) {
        if (p[i - 1] == '/' || p[i - 1] == '\\') {
            p += i;
            len -= i;
            break;
        }
    }
    char *clean = mh_malloc(len + 1);
    size_t c = 0;
    for (size_t i = 0; i < len;) {
        size_t u;
        if (p[i] < 0x80 && safe_ascii(p[i])) {
            clean[c++] = (char)p[i++];
        } else if (p[i] >= 0x80 && (u = utf8_ok(p + i, len - i)) > 0) {
            memcpy(clean + c, p + i, u);
            c += u;
            i += u;
        } else {
            if (c == 0 || clean[c - 1] != '_')
                clean[c++] = '_';
            i++;
        }
    }
    clean[c] = '\0';

    /* stem [s0, s1), original extension after the last dot */
    size_t s0 = 0, s1 = c;
    while (s0 < c && (clean[s0] == '.' || clean[s0] == ' '))
        s0++;
    const char *oext = NULL;
    size_t oext_len = 0;
    char *dot = memrchr(clean + s0, '.', c - s0);
    if (dot && dot > clean + s0) {
        oext = dot + 1;
        oext_len = (size_t)(clean + c - oext);
        s1 = (size_t)(dot - clean);
    }
    const char *e = ext ? ext : oext;
    size_t elen = ext ? strlen(ext) : oext_len;
    while (elen > 0 && (e[elen - 1] == ' ' || e[elen - 1] == '.'))
        elen--;
    if (elen > 16 || elen + 2 > n / 2)
        elen = 0; /* an absurd extension is dropped rather than kept half */
    while (s1 > s0 && (clean[s1 - 1] == ' ' || clean[s1 - 1] == '.'))
        s1--;

    const char *stem = clean + s0;
    size_t stem_len = s1 - s0;
    if (stem_len == 0) {
        stem = "download";
        stem_len = 8;
    }
    size_t room = n - 1 - (elen ? elen + 1 : 0);
    bool dev = reserved_device(stem, stem_len);
    if (dev)
        room--;
    stem_len = utf8_cut(stem, stem_len, room);
    size_t o = 0;
    if (dev)
        out[o++] = '_';
    memcpy(out + o, stem, stem_len);
    o += stem_len;
    if (elen) {
        out[o++] = '.';
        memcpy(out + o, e, elen);
        o += elen;
    }
    out[o] = '\0';
    free(clean);
    return o;
}

const char *mh_media_content_disposition(mh_pool_t *pool, const char *safe_name)
{
    mh_buf_t b;
    const unsigned char *s = (const unsigned char *)(safe_name ? safe_name : "download");
    static const char hexd[] = "0123456789ABCDEF";

    mh_buf_init(&b, 4096);
    mh_buf_append_c(&b, "attachment; filename=\"");
    for (size_t i = 0; s[i];) {
        if (s[i] < 0x80) {
            char ch = (char)s[i];
            mh_buf_putc(&b, ch == '"' || ch == '\\' || s[i] < 0x20 ? '_' : ch);
            i++;
        } else {
            /* one '_' per non-ASCII character in the ASCII fallback */
            mh_buf_putc(&b, '_');
            i++;
            while (s[i] && (s[i] & 0xc0) == 0x80)
                i++;
        }
    }
    mh_buf_append_c(&b, "\"; filename*=UTF-8''");
    for (size_t i = 0; s[i]; i++) {
        unsigned char ch = s[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            strchr("!#$&+-.^_`|~", ch)) {
            mh_buf_putc(&b, (char)ch);
        } else {
            char pct[3] = {'%', hexd[ch >> 4], hexd[ch & 15]};
            mh_buf_append(&b, pct, 3);
        }
    }
    const char *r =
        mh_buf_failed(&b) ? "attachment; filename=\"download\"" : mh_pstrndup(pool, b.base, b.len);
    mh_buf_free(&b);
    return r;
}
