/* The data model templates see: a small tree of values allocated from a
 * pool. Maps keep insertion order. A value of kind MH_V_LAZY is computed on
 * first use (mh_val_force) and memoised, so content/ can offer the whole
 * site context (navigation, entry lists, prev/next...) and pay only for what
 * a template actually touches.
 *
 * MH_V_HTML is "safe HTML": markup that the sanitizer produced or that the
 * program generated itself. In strict rendering only MH_V_HTML may be printed
 * raw (see tmpl.h). */
#ifndef MH_RENDER_VALUE_H
#define MH_RENDER_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/pool.h"
#include "../core/str.h"

typedef enum {
    MH_V_NULL,
    MH_V_BOOL,
    MH_V_INT,
    MH_V_NUM,
    MH_V_STR,
    MH_V_HTML,
    MH_V_LIST,
    MH_V_MAP,
    MH_V_LAZY,
} mh_vkind_t;

typedef struct mh_val mh_val_t;
typedef mh_val_t *(*mh_lazy_fn)(mh_pool_t *pool, void *data);

typedef struct {
    mh_str_t key;
    mh_val_t *val;
} mh_kv_t;

struct mh_val {
    mh_vkind_t kind;
    union {
        bool b;
        int64_t i;
        double num;
        mh_str_t str; /* MH_V_STR and MH_V_HTML */
        struct {
            mh_val_t **items;
            size_t n, cap;
        } list;
        struct {
            mh_kv_t *items;
            size_t n, cap;
        } map;
        struct {
            mh_lazy_fn fn;
            void *data;
            mh_val_t *cached;
            bool busy; /* guards against a thunk that forces itself */
        } lazy;
    } u;
};

/* Constructors; strings are copied into the pool unless noted. */
mh_val_t *mh_val_null(mh_pool_t *p);
mh_val_t *mh_val_bool(mh_pool_t *p, bool b);
mh_val_t *mh_val_int(mh_pool_t *p, int64_t i);
mh_val_t *mh_val_num(mh_pool_t *p, double d);
mh_val_t *mh_val_str(mh_pool_t *p, mh_str_t s);
mh_val_t *mh_val_cstr(mh_pool_t *p, const char *s); /* NULL -> "" */
/* Wrap without copying: s must outlive the pool. */
mh_val_t *mh_val_str_ref(mh_pool_t *p, mh_str_t s);
mh_val_t *mh_val_html(mh_pool_t *p, mh_str_t s);
mh_val_t *mh_val_list(mh_pool_t *p);
mh_val_t *mh_val_map(mh_pool_t *p);
mh_val_t *mh_val_lazy(mh_pool_t *p, mh_lazy_fn fn, void *data);

void mh_val_list_push(mh_pool_t *p, mh_val_t *list, mh_val_t *item);
/* Set key (replacing an existing one). Key is copied. */
void mh_val_map_set(mh_pool_t *p, mh_val_t *map, const char *key, mh_val_t *val);
void mh_val_map_set_str(mh_pool_t *p, mh_val_t *map, const char *key, mh_str_t key_s,
                        mh_val_t *val);
/* Append key without looking for an existing one and without copying it:
 * for code that builds a map and adds each key once. key must outlive the
 * pool (a string literal, or data the pool keeps alive). */
void mh_val_map_add(mh_pool_t *p, mh_val_t *map, const char *key, mh_val_t *val);
/* A map with room for n keys before it grows. */
mh_val_t *mh_val_map_sized(mh_pool_t *p, size_t n);
/* Shorthands */
void mh_val_map_cstr(mh_pool_t *p, mh_val_t *map, const char *key, const char *s);
void mh_val_map_int(mh_pool_t *p, mh_val_t *map, const char *key, int64_t i);
void mh_val_map_bool(mh_pool_t *p, mh_val_t *map, const char *key, bool b);

/* Resolve a lazy value (recursively); other values are returned as they are.
 * Never returns NULL: a failed or recursive thunk gives MH_V_NULL. */
mh_val_t *mh_val_force(mh_pool_t *p, mh_val_t *v);
/* Look a key up in a map (forcing the map and the result). NULL if absent or
 * if v is not a map. */
mh_val_t *mh_val_get(mh_pool_t *p, mh_val_t *map, mh_str_t key);
mh_val_t *mh_val_get_c(mh_pool_t *p, mh_val_t *map, const char *key);

/* Mustache truthiness: null, false, empty list and "" are falsey
 * (numbers 0 are truthy, as in the spec's reference implementations). */
bool mh_val_truthy(mh_pool_t *p, mh_val_t *v);

/* Build from JSON text (jansson). Returns NULL and fills err on bad JSON. */
mh_val_t *mh_val_from_json(mh_pool_t *p, const char *text, size_t len, char *err, size_t errlen);

#endif
