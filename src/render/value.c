#include "value.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static inline mh_val_t *val_new(mh_pool_t *p, mh_vkind_t kind)
{
    /* A fixed-size clear the compiler writes inline, not a memset call. */
    mh_val_t *v = mh_palloc(p, sizeof(*v));
    *v = (mh_val_t){.kind = kind};
    return v;
}

mh_val_t *mh_val_null(mh_pool_t *p)
{
    return val_new(p, MH_V_NULL);
}

mh_val_t *mh_val_bool(mh_pool_t *p, bool b)
{
    mh_val_t *v = val_new(p, MH_V_BOOL);
    v->u.b = b;
    return v;
}

mh_val_t *mh_val_int(mh_pool_t *p, int64_t i)
{
    mh_val_t *v = val_new(p, MH_V_INT);
    v->u.i = i;
    return v;
}

mh_val_t *mh_val_num(mh_pool_t *p, double d)
{
    mh_val_t *v = val_new(p, MH_V_NUM);
    v->u.num = d;
    return v;
}

mh_val_t *mh_val_str(mh_pool_t *p, mh_str_t s)
{
    mh_val_t *v = val_new(p, MH_V_STR);
    v->u.str = mh_pstr(p, s);
    return v;
}

mh_val_t *mh_val_cstr(mh_pool_t *p, const char *s)
{
    return mh_val_str(p, mh_str_c(s));
}

mh_val_t *mh_val_str_ref(mh_pool_t *p, mh_str_t s)
{
    mh_val_t *v = val_new(p, MH_V_STR);
    v->u.str = s;
    return v;
}

mh_val_t *mh_val_html(mh_pool_t *p, mh_str_t s)
{
    mh_val_t *v = val_new(p, MH_V_HTML);
    v->u.str = mh_pstr(p, s);
    return v;
}

mh_val_t *mh_val_list(mh_pool_t *p)
{
    return val_new(p, MH_V_LIST);
}

mh_val_t *mh_val_map(mh_pool_t *p)
{
    return val_new(p, MH_V_MAP);
}

mh_val_t *mh_val_lazy(mh_pool_t *p, mh_lazy_fn fn, void *data)
{
    mh_val_t *v = val_new(p, MH_V_LAZY);
    v->u.lazy.fn = fn;
    v->u.lazy.data = data;
    return v;
}

void mh_val_list_push(mh_pool_t *p, mh_val_t *list, mh_val_t *item)
{
    if (list->u.list.n == list->u.list.cap) {
        size_t cap = list->u.list.cap ? list->u.list.cap * 2 : 8;
        mh_val_t **items = mh_pnalloc(p, cap, sizeof(*items));
        if (list->u.list.n)
            memcpy(items, list->u.list.items, list->u.list.n * sizeof(*items));
        list->u.list.items = items;
        list->u.list.cap = cap;
    }
    list->u.list.items[list->u.list.n++] = item;
}

mh_val_t *mh_val_map_sized(mh_pool_t *p, size_t n)
{
    mh_val_t *v = val_new(p, MH_V_MAP);
    if (n) {
        v->u.map.items = mh_pnalloc(p, n, sizeof(mh_kv_t));
        v->u.map.cap = n;
    }
    return v;
}

void mh_val_map_grow_(mh_pool_t *p, mh_val_t *map)
{
    size_t cap = map->u.map.cap ? map->u.map.cap * 2 : 8;
    mh_kv_t *items = mh_pnalloc(p, cap, sizeof(*items));
    if (map->u.map.n)
        memcpy(items, map->u.map.items, map->u.map.n * sizeof(*items));
    map->u.map.items = items;
    map->u.map.cap = cap;
}

static mh_kv_t *map_slot(mh_pool_t *p, mh_val_t *map)
{
    map->u.map.index = NULL; /* a new key: the index no longer covers the map */
    if (map->u.map.n == map->u.map.cap)
        mh_val_map_grow_(p, map);
    return &map->u.map.items[map->u.map.n++];
}

void mh_val_map_set_str(mh_pool_t *p, mh_val_t *map, const char *key, mh_str_t key_s, mh_val_t *val)
{
    mh_str_t k = key ? mh_str_c(key) : key_s;
    mh_kv_t *kv = mh_val_map_find(map, k, map->u.map.index ? mh_val_key_hash(k.base, k.len) : 0);
    if (kv) {
        kv->val = val;
        return;
    }
    kv = map_slot(p, map);
    kv->key = mh_pstr(p, k);
    kv->val = val;
}

void mh_val_map_index(mh_pool_t *p, mh_val_t *map)
{
    size_t n = map->u.map.n;
    if (map->kind != MH_V_MAP || n == 0 || n > UINT32_MAX / 4)
        return;
    uint32_t size = 8;
    while (size < 2 * n)
        size *= 2;
    mh_map_index_t *ix = mh_pcalloc(p, sizeof(*ix) + size * sizeof(ix->slots[0]));
    ix->mask = size - 1;
    /* A repeated key (mh_val_map_add does not look) keeps its first
     * position, the one a scan would find. */
    for (size_t k = 0; k < n; k++) {
        mh_str_t key = map->u.map.items[k].key;
        uint32_t h = mh_val_key_hash(key.base, key.len), i = h & ix->mask;
        bool dup = false;
        for (; ix->slots[i].pos1; i = (i + 1) & ix->mask) {
            if (ix->slots[i].hash == h &&
                mh_val_key_eq_(map->u.map.items[ix->slots[i].pos1 - 1].key, key)) {
                dup = true;
                break;
            }
        }
        if (!dup) {
            ix->slots[i].hash = h;
            ix->slots[i].pos1 = (uint32_t)k + 1;
        }
    }
    map->u.map.index = ix;
}

void mh_val_map_set(mh_pool_t *p, mh_val_t *map, const char *key, mh_val_t *val)
{
    mh_val_map_set_str(p, map, key, MH_STR_NULL, val);
}

void mh_val_map_cstr(mh_pool_t *p, mh_val_t *map, const char *key, const char *s)
{
    mh_val_map_set(p, map, key, mh_val_cstr(p, s));
}

void mh_val_map_int(mh_pool_t *p, mh_val_t *map, const char *key, int64_t i)
{
    mh_val_map_set(p, map, key, mh_val_int(p, i));
}

void mh_val_map_bool(mh_pool_t *p, mh_val_t *map, const char *key, bool b)
{
    mh_val_map_set(p, map, key, mh_val_bool(p, b));
}

mh_val_t *mh_val_force(mh_pool_t *p, mh_val_t *v)
{
    int depth = 0;
    while (v && v->kind == MH_V_LAZY) {
        if (v->u.lazy.cached) {
            v = v->u.lazy.cached;
            continue;
        }
        if (v->u.lazy.busy || ++depth > 32)
            return mh_val_null(p);
        v->u.lazy.busy = true;
        mh_val_t *r = v->u.lazy.fn(p, v->u.lazy.data);
        v->u.lazy.busy = false;
        v->u.lazy.cached = r ? r : mh_val_null(p);
        v = v->u.lazy.cached;
    }
    return v ? v : mh_val_null(p);
}

mh_val_t *mh_val_get(mh_pool_t *p, mh_val_t *map, mh_str_t key)
{
    map = mh_val_force(p, map);
    if (map->kind != MH_V_MAP)
        return NULL;
    mh_kv_t *kv =
        mh_val_map_find(map, key, map->u.map.index ? mh_val_key_hash(key.base, key.len) : 0);
    return kv ? mh_val_force(p, kv->val) : NULL;
}

mh_val_t *mh_val_get_c(mh_pool_t *p, mh_val_t *map, const char *key)
{
    return mh_val_get(p, map, mh_str_c(key));
}

bool mh_val_truthy(mh_pool_t *p, mh_val_t *v)
{
    v = mh_val_force(p, v);
    switch (v->kind) {
    case MH_V_NULL:
        return false;
    case MH_V_BOOL:
        return v->u.b;
    case MH_V_STR:
    case MH_V_HTML:
        return v->u.str.len > 0;
    case MH_V_LIST:
        return v->u.list.n > 0;
    default:
        return true;
    }
}

static mh_val_t *from_json(mh_pool_t *p, json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        mh_val_t *m = mh_val_map(p);
        const char *k;
        json_t *v;
        json_object_foreach(j, k, v) mh_val_map_set(p, m, k, from_json(p, v));
        return m;
    }
    case JSON_ARRAY: {
        mh_val_t *l = mh_val_list(p);
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) mh_val_list_push(p, l, from_json(p, v));
        return l;
    }
    case JSON_STRING:
        return mh_val_str(p, mh_str(json_string_value(j), json_string_length(j)));
    case JSON_INTEGER:
        return mh_val_int(p, (int64_t)json_integer_value(j));
    case JSON_REAL:
        return mh_val_num(p, json_real_value(j));
    case JSON_TRUE:
        return mh_val_bool(p, true);
    case JSON_FALSE:
        return mh_val_bool(p, false);
    default:
        return mh_val_null(p);
    }
}

mh_val_t *mh_val_from_json(mh_pool_t *p, const char *text, size_t len, char *err, size_t errlen)
{
    json_error_t je;
    json_t *j = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
    if (!j) {
        if (err)
            snprintf(err, errlen, "line %d column %d: %s", je.line, je.column, je.text);
        return NULL;
    }
    mh_val_t *v = from_json(p, j);
    json_decref(j);
    return v;
}
