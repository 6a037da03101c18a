/* Media library rows as content/media.h and the store exchange them. */
#ifndef MH_MODEL_MEDIA_H
#define MH_MODEL_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

#define MH_MEDIA_URL_PREFIX "/media/"
#define MH_MEDIA_ITEM_MAX_VARIANTS 9

typedef struct {
    int64_t id;
    const char *stored_name;   /* "ab/<30 hex>.<ext>" */
    const char *original_name; /* the uploader's file name, as sent (metadata) */
    const char *mime;          /* decided from the content at upload */
    int64_t size;              /* bytes on disk */
    int width, height;         /* images; 0 for documents */
    const char *variants;      /* widths of the WebP variants: "320 640 1280", or "" */
    int64_t created_at;
    int64_t user_id;       /* uploader, 0 if unknown or deleted */
    const char *user_name; /* uploader's login name, "" if none (read results) */
} mh_media_item_t;

/* Kinds for queries: any, images (image/ types), documents (the rest). */
enum { MH_MEDIA_KIND_ANY = 0, MH_MEDIA_KIND_IMAGE = 1, MH_MEDIA_KIND_DOCUMENT = 2 };

typedef struct {
    const char *search;    /* substring of the original name (ASCII case-insensitive), or NULL */
    int kind;              /* MH_MEDIA_KIND_* */
    int64_t user_id;       /* only this uploader's files; 0: anyone's */
    int64_t offset, limit; /* limit 0 means 24; capped at 200 */
} mh_media_query_t;

/* A place that refers to a stored file. */
typedef struct {
    const char *kind;  /* "entry", "column", "setting", "banner" or "link" */
    int64_t id;        /* entry or column id; settings: 0 */
    const char *title; /* entry title, column name or setting key */
    const char *field; /* "cover", "body", "summary", "link", "value", "field" (a typed
                        * field value), "image" (a banner's) or "logo" (a link's) */
    bool in_trash;     /* an entry in the recycle bin (it may come back) */
} mh_media_use_t;

/* A file the public /media/ route may send. */
typedef struct {
    const char *rel_path;      /* validated, relative to the media directory */
    const char *mime;          /* from the database (variants: image/webp) */
    bool inline_ok;            /* images: shown inline; everything else: attachment */
    const char *download_name; /* safe name for Content-Disposition */
    const char *etag;          /* strong validator; names are immutable */
    mh_media_item_t item;
} mh_media_file_t;

#endif
