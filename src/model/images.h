/* Entry images, product tabs and related entries: the row types the
 * content layer (content/images.h) and the store (store/images.h)
 * exchange. Depends on libc only, like the rest of model/. */
#ifndef MH_MODEL_IMAGES_H
#define MH_MODEL_IMAGES_H

#include <stddef.h>
#include <stdint.h>

/* One image of an entry (product gallery, gallery album), in order. */
typedef struct {
    int64_t entry_id;
    int position;        /* 0, 1, ... (the first is the entry's cover) */
    const char *ref;     /* as chosen: "/media/ab/<hex>.<ext>" or an http(s) URL */
    const char *url;     /* public URL of the full image */
    const char *thumb;   /* public URL of a small variant, or url when there is none */
    int width, height;   /* pixels of the stored image; 0 when unknown (a URL) */
    const char *caption; /* plain text, may be "" */
} mh_entry_image_t;

/* One extra content section of a product ("Specifications", "Service"). */
typedef struct {
    int position;
    const char *title;     /* plain text */
    const char *body_html; /* sanitised HTML */
} mh_entry_tab_t;

/* A filter of a list: entries whose field key has the text value. */
typedef struct {
    const char *key;
    const char *value;
} mh_list_filter_t;

/* How many listed entries have one value of a field. */
typedef struct {
    const char *value;
    int64_t count;
} mh_facet_count_t;

#endif
