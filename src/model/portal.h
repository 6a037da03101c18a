/* The portal's page furniture as content/portal.h and the store exchange
 * it: banners (slides) shown on the home page or on a column's pages, and
 * friendly links in the footer. Both belong to one language. */
#ifndef MH_MODEL_PORTAL_H
#define MH_MODEL_PORTAL_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    int64_t id;
    int64_t lang_id;
    int64_t column_id;        /* 0: the home page */
    const char *title;        /* caption, may be "" */
    const char *alt;          /* text alternative of the image */
    const char *image;        /* desktop image: media reference or URL */
    const char *image_mobile; /* narrow screens; "": the desktop image */
    const char *link;         /* "" or a URL mh_content_url_ok accepts */
    int position;             /* order within its place (language + column) */
    int64_t show_from;        /* Unix seconds; 0: from the start */
    int64_t show_until;       /* Unix seconds, exclusive; 0: no end */
    int64_t created_at, updated_at;
} mh_banner_t;

typedef struct {
    int64_t id;
    int64_t lang_id;
    const char *title; /* link text (and the logo's alt text) */
    const char *url;   /* what mh_content_url_ok accepts, not "" */
    const char *logo;  /* "" for a text link, else a media reference or URL */
    bool nofollow;     /* rel="nofollow" too */
    int position;      /* order in the footer */
    int64_t created_at;
} mh_friend_link_t;

#endif
