/* libFuzzer target for the Mustache engine: the input is compiled as a
 * template (also available as partial "p", so it can include itself) and
 * rendered, strict and not, against a small fixed context with a small
 * output ceiling. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "render/tmpl.h"

static mh_val_t *thunk(mh_pool_t *p, void *data)
{
    (void)data;
    return mh_val_cstr(p, "lazy <v>");
}

static mh_val_t *context(mh_pool_t *p)
{
    mh_val_t *root = mh_val_map(p);
    mh_val_map_cstr(p, root, "s", "a<b>&\"c'");
    mh_val_map_int(p, root, "i", 42);
    mh_val_map_set(p, root, "d", mh_val_num(p, 1.25));
    mh_val_map_bool(p, root, "t", true);
    mh_val_map_bool(p, root, "f", false);
    mh_val_map_set(p, root, "n", mh_val_null(p));
    mh_val_map_set(p, root, "h", mh_val_html(p, MH_STR_LIT("<i>x</i>")));
    mh_val_map_set(p, root, "z", mh_val_lazy(p, thunk, NULL));
    mh_val_map_cstr(p, root, "name", "p");
    mh_val_t *list = mh_val_list(p);
    for (int i = 0; i < 3; i++) {
        mh_val_t *item = mh_val_map(p);
        mh_val_map_int(p, item, "i", i);
        mh_val_map_cstr(p, item, "name", i ? "p" : "nope");
        mh_val_list_push(p, list, item);
    }
    mh_val_map_set(p, root, "l", list);
    mh_val_t *m = mh_val_map(p);
    mh_val_map_set(p, m, "m", root);
    mh_val_map_cstr(p, m, "s", "inner");
    mh_val_map_set(p, root, "m", m);
    return root;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    mh_tmpl_set_t *set = mh_tmpl_set_new();
    mh_pool_t *pool = mh_pool_create();
    mh_buf_t out;
    mh_buf_init(&out, 2048);
    if (mh_tmpl_add(set, "t", (const char *)data, size, err, sizeof(err)) == MH_OK) {
        /* A compile error must come with a message; a success must too
         * for the partial copy. */
        if (mh_tmpl_add(set, "p", (const char *)data, size, err, sizeof(err)) != MH_OK)
            __builtin_trap();
        mh_val_t *ctx = context(pool);
        mh_tmpl_render(set, "t", pool, ctx, 0, &out, err, sizeof(err));
        if (out.len > out.max)
            __builtin_trap();
        mh_buf_reset(&out);
        mh_tmpl_render(set, "t", pool, ctx, MH_TMPL_STRICT, &out, err, sizeof(err));
    } else if (!strchr(err, ':')) {
        __builtin_trap();
    }
    mh_buf_free(&out);
    mh_pool_destroy(pool);
    mh_tmpl_set_free(set);
    return 0;
}
