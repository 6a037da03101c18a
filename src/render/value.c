#include "value.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static mh_val_t *val_new(mh_pool_t *p, mh_vkind_t kind)
{
    mh_val_t *v = mh_pcalloc(p, sizeof(*v));
    v->kind = kind;
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

static mh_kv_t *map_slot(mh_pool_t *p, mh_val_t *map)
{
    if (map->u.map.n == map->u.map.cap) {
        size_t cap = map->u.map.cap ? map->u.map.cap * 2 : 8;
        mh_kv_t *items = mh_pnalloc(p, cap, sizeof(*items));
        if (map->u.map.n)
            memcpy(items, map->u.map.items, map->u.map.n * sizeof(*items));
        map->u.map.items = items;
        map->u.map.cap = cap;
    }
    return &map->u.map.items[map->u.map.n++];
}

void mh_val_map_set_str(mh_pool_t *p, mh_val_t *map, const char *key, mh_str_t key_s, mh_val_t *val)
{
    mh_str_t k = key ? mh_str_c(key) : key_s;
    for (size_t i = 0; i < map->u.map.n; i++) {
        if (mh_str_eq(map->u.map.items[i].key, k)) {
            map->u.map.items[i].val = val;
            return;
        }
    }
    mh_kv_t *kv = map_slot(p, map);
    kv->key = mh_pstr(p, k);
    kv->val = val;
}

void mh_val_map_add(mh_pool_t *p, mh_val_t *map, const char *key, mh_val_t *val)
{
    mh_kv_t *kv = map_slot(p, map);
    kv->key = mh_str_c(key);
    kv->val = val;
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
    for (size_t i = 0; i < map->u.map.n; i++)
        if (mh_str_eq(map->u.map.items[i].key, key))
            return mh_val_force(p, map->u.map.items[i].val);
    return NULL;
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
