/* Banners and friendly links for templates. The schedule is applied when
 * the page is rendered (banners shown at now); the page cache stays right
 * because the site module's scheduler moves the content generation when a
 * banner's show_from or show_until comes round (module.c). */
#include "portal_ctx.h"

#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "../content/media.h"
#include "../content/portal.h"
#include "context.h"

static void put_str(mh_pool_t *p, mh_val_t *m, const char *k, const char *v)
{
    mh_val_map_add(p, m, k, mh_val_str(p, mh_str_c(v ? v : "")));
}

/* A stored image's URL and srcset, or the reference as given. */
static void image_of(mh_site_req_t *r, const char *ref, const char **url, const char **srcset)
{
    if (!ref || !*ref || mh_content_media_srcset(r->content, r->pool, ref, url, srcset) != MH_OK) {
        *url = ref ? ref : "";
        *srcset = "";
    }
}

mh_val_t *mh_portal_ctx_banners(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    mh_val_t *m = mh_val_map_sized(p, 4), *items = mh_val_list(p);
    mh_banner_t *bs = NULL;
    size_t n = 0;
    int64_t place = -1;
    if (r->kind == MH_PK_HOME)
        place = 0;
    else if (r->col && (r->kind & (MH_PK_LIST | MH_PK_SINGLE)))
        place = r->col->id;
    if (place >= 0 && r->lang &&
        mh_portal_banners_active(r->content, p, r->lang->id, place, (int64_t)time(NULL), &bs, &n) !=
            MH_OK)
        n = 0;
    for (size_t i = 0; i < n; i++) {
        const mh_banner_t *b = &bs[i];
        mh_val_t *it = mh_val_map_sized(p, 12);
        const char *url, *srcset, *murl, *msrcset;
        image_of(r, b->image, &url, &srcset);
        image_of(r, b->image_mobile, &murl, &msrcset);
        mh_val_map_add(p, it, "id", mh_val_int(p, b->id));
        mh_val_map_add(p, it, "index", mh_val_int(p, (int64_t)i + 1));
        put_str(p, it, "title", b->title);
        put_str(p, it, "alt", b->alt);
        put_str(p, it, "image_url", url);
        put_str(p, it, "image_srcset", srcset);
        put_str(p, it, "mobile_url", murl);
        put_str(p, it, "mobile_srcset", msrcset);
        mh_val_map_add(p, it, "has_mobile", mh_val_bool(p, *murl != '\0'));
        put_str(p, it, "link", mh_context_safe_link(b->link) ? b->link : "");
        mh_val_map_add(p, it, "has_link",
                       mh_val_bool(p, b->link && *b->link && mh_context_safe_link(b->link)));
        mh_val_map_add(p, it, "is_first", mh_val_bool(p, i == 0));
        mh_val_list_push(p, items, it);
    }
    mh_val_map_add(p, m, "items", items);
    mh_val_map_add(p, m, "has_items", mh_val_bool(p, n > 0));
    mh_val_map_add(p, m, "count", mh_val_int(p, (int64_t)n));
    mh_val_map_add(p, m, "is_slider", mh_val_bool(p, n > 1));
    return m;
}

/* The length of "scheme://host[:port]" at the start of url, or 0. */
static size_t origin_len(const char *url)
{
    size_t i;
    if (strncasecmp(url, "http://", 7) == 0)
        i = 7;
    else if (strncasecmp(url, "https://", 8) == 0)
        i = 8;
    else
        return 0;
    while (url[i] && url[i] != '/' && url[i] != '?' && url[i] != '#')
        i++;
    return i;
}

bool mh_portal_other_origin(const char *url, const char *base_url)
{
    size_t n = origin_len(url ? url : "");
    if (!n)
        return false; /* relative: this site */
    size_t b = origin_len(base_url ? base_url : "");
    return !(b == n && strncasecmp(url, base_url, n) == 0);
}

mh_val_t *mh_portal_ctx_links(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    mh_val_t *m = mh_val_map_sized(p, 2), *l = mh_val_list(p);
    mh_friend_link_t *ls = NULL;
    size_t n = 0, shown = 0;
    mh_val_map_add(p, m, "items", l);
    if (!r->lang || mh_portal_links_public(r->content, p, r->lang->id, &ls, &n) != MH_OK)
        n = 0;
    const char *base = mh_context_setting(r, "base_url", "");
    for (size_t i = 0; i < n; i++) {
        const char *url = mh_context_safe_link(ls[i].url);
        if (!url)
            continue;
        mh_val_t *it = mh_val_map_sized(p, 8);
        const char *logo = "", *srcset = "";
        if (ls[i].logo && *ls[i].logo)
            image_of(r, ls[i].logo, &logo, &srcset);
        bool other = mh_portal_other_origin(url, base);
        const char *rel = other && ls[i].nofollow ? "noopener nofollow"
                          : other                 ? "noopener"
                          : ls[i].nofollow        ? "nofollow"
                                                  : "";
        put_str(p, it, "title", ls[i].title);
        put_str(p, it, "url", url);
        put_str(p, it, "logo_url", logo);
        mh_val_map_add(p, it, "has_logo", mh_val_bool(p, *logo != '\0'));
        put_str(p, it, "rel", rel);
        mh_val_map_add(p, it, "is_external", mh_val_bool(p, other));
        mh_val_list_push(p, l, it);
        shown++;
    }
    mh_val_map_add(p, m, "has_items", mh_val_bool(p, shown > 0));
    return m;
}
