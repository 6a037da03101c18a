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
#include <string.h>

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

/* Hash index over a map's keys (mh_val_map_index): open addressing, each
 * slot the key's hash and its position + 1 (0 = empty). */
typedef struct {
    uint32_t mask;
    struct {
        uint32_t hash, pos1;
    } slots[];
} mh_map_index_t;

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
            mh_map_index_t *index; /* NULL: looked up by scanning */
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
static inline void mh_val_map_add(mh_pool_t *p, mh_val_t *map, const char *key, mh_val_t *val);
/* A map with room for n keys before it grows. */
mh_val_t *mh_val_map_sized(mh_pool_t *p, size_t n);
/* Shorthands */
void mh_val_map_cstr(mh_pool_t *p, mh_val_t *map, const char *key, const char *s);
void mh_val_map_int(mh_pool_t *p, mh_val_t *map, const char *key, int64_t i);
void mh_val_map_bool(mh_pool_t *p, mh_val_t *map, const char *key, bool b);

/* Hash of a key as map indexes use it (FNV-1a, 32 bits). */
static inline uint32_t mh_val_key_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

/* Index the keys of map by hash so lookups stop scanning them: for maps with
 * many keys that are looked up many times (a page's root context, the UI
 * strings). Adding a key afterwards drops the index; replacing a value keeps
 * it. Maps shared between threads must be indexed before they are shared. */
void mh_val_map_index(mh_pool_t *p, mh_val_t *map);

static inline bool mh_val_key_eq_(mh_str_t a, mh_str_t b)
{
    /* Keys are short: compare them as two overlapping words rather than
     * byte by byte or through a memcmp call. */
    size_t n = a.len;
    const char *x = a.base, *y = b.base;
    if (n != b.len)
        return false;
    if (n >= 8 && n <= 16) {
        uint64_t p, q, r, s;
        memcpy(&p, x, 8);
        memcpy(&q, y, 8);
        memcpy(&r, x + n - 8, 8);
        memcpy(&s, y + n - 8, 8);
        return ((p ^ q) | (r ^ s)) == 0;
    }
    if (n >= 4 && n < 8) {
        uint32_t p, q, r, s;
        memcpy(&p, x, 4);
        memcpy(&q, y, 4);
        memcpy(&r, x + n - 4, 4);
        memcpy(&s, y + n - 4, 4);
        return ((p ^ q) | (r ^ s)) == 0;
    }
    if (n > 16)
        return memcmp(x, y, n) == 0;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return false;
    return true;
}

/* The slot of key in map (not forced), or NULL; hash is
 * mh_val_key_hash(key). map must be of kind MH_V_MAP. */
static inline mh_kv_t *mh_val_map_find(const mh_val_t *map, mh_str_t key, uint32_t hash)
{
    mh_kv_t *it = map->u.map.items;
    const mh_map_index_t *ix = map->u.map.index;
    if (ix) {
        for (uint32_t i = hash & ix->mask;; i = (i + 1) & ix->mask) {
            uint32_t pos1 = ix->slots[i].pos1;
            if (!pos1)
                return NULL;
            if (ix->slots[i].hash == hash && mh_val_key_eq_(it[pos1 - 1].key, key))
                return &it[pos1 - 1];
        }
    }
    /* Keys are short and most differ in length or first byte. */
    char c0 = key.len ? key.base[0] : '\0';
    for (size_t i = 0, n = map->u.map.n; i < n; i++)
        if (it[i].key.len == key.len && (!key.len || it[i].key.base[0] == c0) &&
            mh_val_key_eq_(it[i].key, key))
            return &it[i];
    return NULL;
}

/* Internal to mh_val_map_add: room for one more key. */
void mh_val_map_grow_(mh_pool_t *p, mh_val_t *map);

/* Inline so that the length of a literal key is known when compiling. */
static inline void mh_val_map_add(mh_pool_t *p, mh_val_t *map, const char *key, mh_val_t *val)
{
    if (map->u.map.n == map->u.map.cap)
        mh_val_map_grow_(p, map);
    map->u.map.index = NULL;
    map->u.map.items[map->u.map.n++] = (mh_kv_t){mh_str_c(key), val};
}

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
