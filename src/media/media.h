/* Uploaded media: decide what a file is from its bytes, refuse what is not
 * on the allow-list, and store it under a random name with metadata-free,
 * auto-rotated images and WebP variants for responsive <img srcset>.
 *
 * Nothing here trusts the client: neither the file name nor the declared
 * Content-Type is consulted. The type comes from libmagic; an image must also
 * be recognised by the matching libvips loader and have a sane pixel count.
 *
 * Accepted types (mime -> extension used on disk):
 *   images     image/jpeg jpg, image/png png, image/gif gif, image/webp webp
 *   documents  application/pdf pdf, application/zip zip,
 *              OOXML docx xlsx pptx, ODF odt ods odp,
 *              application/msword doc, application/vnd.ms-excel xls,
 *              application/vnd.ms-powerpoint ppt,
 *              text/plain txt, text/csv csv
 * Documents are stored byte for byte and must be served as attachments
 * (see mh_media_content_disposition) with X-Content-Type-Options: nosniff.
 * SVG is never accepted (MH_MEDIA_ESVG): it is a script-capable document.
 *
 * Polyglots: any file whose first MH_MEDIA_SNIFF_LEN bytes contain HTML, PHP
 * or SVG markup ("<script", "<html", "<?php", "<svg", "<!doctype html",
 * "<body", "<iframe", "<object", "<embed") is refused with
 * MH_MEDIA_EPOLYGLOT, whatever libmagic says. In images the search for
 * "<script" covers the whole file (a 7-byte pattern is practically never
 * found in compressed pixel data by chance). Other payloads hidden after the
 * image data (e.g. "<?php" appended to a JPEG past the first KB) are
 * accepted by mh_media_inspect but never reach the disk: mh_media_store
 * writes images re-encoded by libvips, never the uploaded bytes.
 *
 * Threads: every function may be called from any thread. libvips is
 * initialised once on first use; libmagic handles are per thread.
 * Initialisation blocks every libvips loader except JPEG, PNG, GIF and
 * WebP for the whole process. */
#ifndef MH_MEDIA_MEDIA_H
#define MH_MEDIA_MEDIA_H

#include <stddef.h>
#include <stdint.h>

#include "../core/common.h"
#include "../core/pool.h"
#include "../core/str.h"

/* Results besides MH_OK, MH_ERR (internal failure) and MH_TOOBIG (more
 * bytes than the configured maximum). */
enum {
    MH_MEDIA_EEMPTY = -20,    /* zero-length upload */
    MH_MEDIA_ETYPE = -21,     /* type not on the allow-list */
    MH_MEDIA_ESVG = -22,      /* SVG, with or without script */
    MH_MEDIA_EPOLYGLOT = -23, /* markup inside a file claiming another type */
    MH_MEDIA_EDECODE = -24,   /* image type that libvips cannot decode */
    MH_MEDIA_EPIXELS = -25,   /* too many pixels: decompression bomb */
};

#define MH_MEDIA_SNIFF_LEN 1024
#define MH_MEDIA_MAX_WIDTHS 8

/* Where uploads are written before they are linked into place, relative
 * to the media directory. Nothing else lives there. */
#define MH_MEDIA_TMP_DIR ".tmp"

typedef enum { MH_MEDIA_IMAGE = 1, MH_MEDIA_DOCUMENT = 2 } mh_media_kind_t;

typedef struct {
    size_t max_bytes;                /* default 20 MiB */
    uint64_t max_pixels;             /* width * height * frames; default 40 M */
    int widths[MH_MEDIA_MAX_WIDTHS]; /* WebP variant widths; default 320 640 1280 */
    size_t nwidths;
    int jpeg_quality; /* re-encoded originals; default 88 */
    int webp_quality; /* variants; default 80 */
} mh_media_config_t;

typedef struct {
    char mime[96];        /* from the content */
    const char *ext;      /* extension without dot, a static string */
    mh_media_kind_t kind; /* image or document */
    int width, height;    /* images only, after auto-rotation */
    int pages;            /* frames of an animated image, else 1 */
    size_t size;          /* bytes inspected (stored size may differ for images) */
    /* Filled by mh_media_store: the widths of the WebP variants written,
     * ascending (a variant at the image's own width stands in for any
     * requested width it does not reach), and the client's file name made
     * safe for Content-Disposition (metadata only, never part of a path). */
    int variant_widths[MH_MEDIA_MAX_WIDTHS + 1];
    size_t nvariants;
    size_t stored_size;
    char download_name[128];
} mh_media_info_t;

/* Defaults as documented in mh_media_config_t. */
void mh_media_config_default(mh_media_config_t *cfg);
/* Replace the process-wide configuration. Call at start-up, before worker
 * threads use this module. Widths <= 0 are ignored; more than
 * MH_MEDIA_MAX_WIDTHS are cut. */
void mh_media_configure(const mh_media_config_t *cfg);

/* Initialise libvips (idempotent, thread-safe; other calls do it too).
 * Returns MH_OK or MH_ERR. */
int mh_media_init(void);
/* Release libvips' per-thread state; call in a worker thread before it
 * exits if it used this module. */
void mh_media_thread_done(void);
/* Shut libvips down at process exit. No media call may follow. */
void mh_media_shutdown(void);

/* Decide what data is. On MH_OK *out describes it; otherwise one of the
 * codes above (MH_TOOBIG, MH_MEDIA_E*, MH_ERR) and *out holds the mime seen
 * so far (for logs). */
int mh_media_inspect(const void *data, size_t len, mh_media_info_t *out);

/* Inspect and store data under media_dir (which must exist):
 *   media_dir/ab/<30 hex>.<ext>          the file (images re-encoded
 *                                          without metadata, auto-rotated)
 *   media_dir/ab/<30 hex>-<w>.webp        image variants, one per width
 * The 32 hex digits come from the kernel's random generator. Files are
 * created 0640 with O_EXCL|O_NOFOLLOW under a temporary name in
 * media_dir/.tmp/ (MH_MEDIA_TMP_DIR), fsync'd and linked into place, so a
 * reader never sees a partial file and nothing existing is replaced; a
 * crash can leave a file in .tmp/ (start-up empties it) or stored files
 * with no media row yet (start-up removes them: content/media.h
 * mh_content_media_recover). original_name (may be NULL) only feeds
 * info->download_name. stored_name receives "ab/<30 hex>.<ext>" (relative
 * to media_dir). Returns MH_OK, MH_TOOBIG (bytes or n too small),
 * MH_MEDIA_E*, MH_NOSPACE (ENOSPC/EDQUOT writing) or MH_ERR; on failure
 * no file is left behind. */
int mh_media_store(const char *media_dir, const void *data, size_t len, const char *original_name,
                   mh_media_info_t *info, char *stored_name, size_t n);

/* Remove a stored file and its variants (the widths given). stored_name
 * must have the shape mh_media_store produces, else MH_DECLINED. */
int mh_media_remove(const char *media_dir, const char *stored_name, const int *widths, size_t n);

/* Path of a variant: "ab/<30 hex>-<w>.webp" for stored "ab/<30 hex>.<ext>".
 * NULL if stored_name does not have the stored shape. */
const char *mh_media_variant_name(mh_pool_t *pool, const char *stored_name, int width);

/* srcset attribute value for the variants:
 * "<base_url>ab/...-320.webp 320w, <base_url>ab/...-640.webp 640w".
 * base_url (e.g. "/media/") is used as given. Returns "" when n is 0 and
 * NULL when stored_name does not have the stored shape. */
const char *mh_media_srcset(mh_pool_t *pool, const char *base_url, const char *stored_name,
                            const int *widths, size_t n);

/* Reduce a client-supplied file name (any bytes, NULs included) to a safe
 * download name: the last path component only; ASCII letters, digits,
 * valid UTF-8 non-ASCII characters, ' ', '.', '-', '_', '(' and ')' kept,
 * other bytes replaced by '_' (runs collapsed); no leading dots or spaces;
 * at most n-1 bytes, cut on a character boundary keeping the extension. If
 * ext is given it replaces the name's extension. An empty result becomes
 * "download" (plus ext). Always NUL-terminates out (n >= 16 required).
 * Returns the length written. */
size_t mh_media_safe_download_name(mh_str_t name, const char *ext, char *out, size_t n);

/* Content-Disposition header value for a safe download name:
 * attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded> */
const char *mh_media_content_disposition(mh_pool_t *pool, const char *safe_name);

/* Short English description of a result code, for logs and messages. */
const char *mh_media_strerror(int rc);

/* A generated JPEG picture (the demo site's product and gallery images):
 * width x height pixels, looking different per seed. *out is g_malloc'd
 * (g_free it). MH_OK or MH_ERR. */
int mh_media_demo_image(int width, int height, unsigned seed, void **out, size_t *len);

#endif
