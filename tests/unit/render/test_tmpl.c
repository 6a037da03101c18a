/* Unit tests of the Mustache engine beyond the spec: strict escaping, output
 * ceiling, lazy values, syntax errors, recursion limits, name walks,
 * concurrent rendering and the file-based renderer used by the CLI. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render/tmpl.h"
#include "render/tmpl_file.h"

typedef struct {
    mh_pool_t *pool;
    mh_tmpl_set_t *set;
    mh_buf_t out;
    char err[512];
} fx_t;

static int setup(void **state)
{
    fx_t *f = calloc(1, sizeof(*f));
    f->pool = mh_pool_create();
    f->set = mh_tmpl_set_new();
    mh_buf_init(&f->out, 1 << 20);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;
    mh_buf_free(&f->out);
    mh_tmpl_set_free(f->set);
    mh_pool_destroy(f->pool);
    free(f);
    return 0;
}

static void add(fx_t *f, const char *name, const char *src)
{
    int rc = mh_tmpl_add(f->set, name, src, strlen(src), f->err, sizeof(f->err));
    if (rc != MH_OK)
        fail_msg("compile %s: %s", name, f->err);
}

static const char *render(fx_t *f, const char *name, mh_val_t *ctx, int flags, int want)
{
    mh_buf_reset(&f->out);
    f->err[0] = '\0';
    int rc = mh_tmpl_render(f->set, name, f->pool, ctx, flags, &f->out, f->err, sizeof(f->err));
    if (rc != want)
        fail_msg("render %s: rc %d, want %d (%s)", name, rc, want, f->err);
    return mh_buf_str(&f->out).base;
}

static mh_val_t *json(fx_t *f, const char *text)
{
    char err[256];
    mh_val_t *v = mh_val_from_json(f->pool, text, strlen(text), err, sizeof(err));
    if (!v)
        fail_msg("json: %s", err);
    return v;
}

/* ------------------------------------------------------------------ */

static void test_escaping_modes(void **state)
{
    fx_t *f = *state;
    mh_val_t *ctx = mh_val_map(f->pool);
    mh_val_map_cstr(f->pool, ctx, "s", "<b a=\"1\">&'");
    mh_val_map_set(f->pool, ctx, "h", mh_val_html(f->pool, MH_STR_LIT("<i>x</i>")));
    add(f, "t", "{{s}}|{{{s}}}|{{&s}}|{{h}}|{{{h}}}|{{& h }}");

    const char *esc = "&lt;b a=&quot;1&quot;&gt;&amp;&#39;";
    char want[512];
    snprintf(want, sizeof(want), "%s|%s|%s|&lt;i&gt;x&lt;/i&gt;|<i>x</i>|<i>x</i>", esc, esc, esc);
    assert_string_equal(render(f, "t", ctx, MH_TMPL_STRICT, MH_OK), want);

    snprintf(want, sizeof(want),
             "%s|<b a=\"1\">&'|<b a=\"1\">&'|&lt;i&gt;x&lt;/i&gt;|<i>x</i>|<i>x</i>", esc);
    assert_string_equal(render(f, "t", ctx, 0, MH_OK), want);
}

static void test_escaping_long_strings(void **state)
{
    fx_t *f = *state;
    /* Runs of plain text and specials of every length around the chunk
     * size of the escaper; compared with the reference escaper. */
    const char *specials = "&<>\"'";
    size_t n = 9000;
    char *s = malloc(n + 1);
    unsigned seed = 7;
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        int r = (int)((seed >> 16) % 40);
        s[i] = r < 5 ? specials[r] : (char)('a' + r % 26);
        if (i > 3000 && i < 4500)
            s[i] = 'x'; /* a long plain run */
        if (i > 6000 && i < 6800)
            s[i] = '"'; /* a long run of specials */
    }
    s[n] = '\0';
    mh_val_t *ctx = mh_val_map(f->pool);
    mh_val_map_cstr(f->pool, ctx, "s", s);
    add(f, "t", "{{s}}");
    mh_buf_t want;
    mh_buf_init(&want, 1 << 20);
    assert_int_equal(mh_buf_append_html(&want, s, n), MH_OK);
    assert_string_equal(render(f, "t", ctx, 0, MH_OK), want.base);
    mh_buf_free(&want);
    free(s);
}

static void test_strict_numbers_raw(void **state)
{
    fx_t *f = *state;
    /* Non-string values in a raw tag under strict mode print as usual. */
    mh_val_t *ctx = json(f, "{\"i\": -42, \"a\": 1.21, \"b\": 1.0, \"c\": 0.1, \"t\": true, "
                            "\"n\": null, \"big\": 12345678901234}");
    add(f, "t", "{{i}} {{a}} {{b}} {{c}} {{t}} [{{n}}] {{{big}}}");
    assert_string_equal(render(f, "t", ctx, MH_TMPL_STRICT, MH_OK),
                        "-42 1.21 1 0.1 true [] 12345678901234");
}

static void test_toobig_at_ceiling(void **state)
{
    fx_t *f = *state;
    mh_val_t *ctx = json(f, "{\"x\": \"abcde\", \"l\": [1,2,3,4,5,6,7,8,9,10]}");
    add(f, "ten", "01234{{x}}");
    add(f, "eleven", "012345{{x}}");
    add(f, "loop", "{{#l}}<{{.}}>{{/l}}");
    mh_buf_t small;
    mh_buf_init(&small, 10);
    assert_int_equal(mh_tmpl_render(f->set, "ten", f->pool, ctx, 0, &small, f->err, sizeof(f->err)),
                     MH_OK);
    assert_string_equal(small.base, "01234abcde");
    mh_buf_reset(&small);
    assert_int_equal(
        mh_tmpl_render(f->set, "eleven", f->pool, ctx, 0, &small, f->err, sizeof(f->err)),
        MH_TOOBIG);
    assert_true(mh_buf_failed(&small));
    assert_true(small.len <= 10);
    mh_buf_reset(&small);
    /* Escaping expansion counts against the ceiling too. */
    mh_val_map_cstr(f->pool, ctx, "x", "&&");
    assert_int_equal(mh_tmpl_render(f->set, "ten", f->pool, ctx, 0, &small, f->err, sizeof(f->err)),
                     MH_TOOBIG);
    mh_buf_reset(&small);
    assert_int_equal(
        mh_tmpl_render(f->set, "loop", f->pool, ctx, 0, &small, f->err, sizeof(f->err)), MH_TOOBIG);
    mh_buf_free(&small);
}

static int thunk_calls[3];

static mh_val_t *thunk(mh_pool_t *p, void *data)
{
    int which = (int)(intptr_t)data;
    thunk_calls[which]++;
    return mh_val_cstr(p, which == 0 ? "A" : which == 1 ? "B" : "C");
}

static void test_lazy_only_when_touched(void **state)
{
    fx_t *f = *state;
    memset(thunk_calls, 0, sizeof(thunk_calls));
    mh_val_t *ctx = mh_val_map(f->pool);
    for (int i = 0; i < 3; i++) {
        char k[2] = {(char)('a' + i), 0};
        mh_val_map_set(f->pool, ctx, k, mh_val_lazy(f->pool, thunk, (void *)(intptr_t)i));
    }
    mh_val_map_bool(f->pool, ctx, "no", false);
    add(f, "t", "{{a}}{{a}}{{#no}}{{b}}{{/no}}{{^no}}{{a}}{{/no}}");
    assert_string_equal(render(f, "t", ctx, 0, MH_OK), "AAA");
    assert_int_equal(thunk_calls[0], 1); /* memoised */
    assert_int_equal(thunk_calls[1], 0); /* inside a false section */
    assert_int_equal(thunk_calls[2], 0); /* never named */

    /* A lazy section value and a lazy list item are forced when entered. */
    add(f, "u", "{{#c}}[{{.}}]{{/c}}");
    assert_string_equal(render(f, "u", ctx, 0, MH_OK), "[C]");
    assert_int_equal(thunk_calls[2], 1);
}

static void expect_error(fx_t *f, const char *src, const char *msg)
{
    f->err[0] = '\0';
    assert_int_equal(mh_tmpl_add(f->set, "page", src, strlen(src), f->err, sizeof(f->err)), MH_ERR);
    if (!strstr(f->err, msg))
        fail_msg("error for %s: got \"%s\", want \"%s\"", src, f->err, msg);
}

static void test_syntax_errors(void **state)
{
    fx_t *f = *state;
    expect_error(f, "a\nb\n{{#items}}\nx\n", "page:3: unclosed section '#items'");
    expect_error(f, "{{#a}}\n{{#b}}\n{{/a}}\n", "page:3: closing tag '/a' does not match '#b'");
    expect_error(f, "x\n\n{{/a}}", "page:3: closing tag '/a' without an opening tag");
    expect_error(f, "one\ntwo {{name", "page:2: unclosed tag");
    expect_error(f, "{{{name}}", "page:1: unclosed tag");
    expect_error(f, "\n{{=<% %>}}", "page:2: bad delimiters");
    expect_error(f, "{{=<%=}}", "page:1: bad delimiters");
    expect_error(f, "{{= a b c =}}", "page:1: bad delimiters");
    expect_error(f, "{{}}", "page:1: bad tag name");
    expect_error(f, "{{a..b}}", "bad tag name");
    expect_error(f, "{{a b}}", "bad tag name");
    expect_error(f, "{{<p}}{{$b}}{{/p}}{{/b}}", "does not match");
    /* A failed compile leaves no template behind. */
    assert_false(mh_tmpl_has(f->set, "page"));
    /* Line numbers count newlines inside multi-line tags. */
    expect_error(f, "{{!\ncomment\n}}\n{{#x}}", "page:4: unclosed section");
}

static void test_deep_nesting_source(void **state)
{
    fx_t *f = *state;
    size_t n = 20000;
    char *src = malloc(n * 6 + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(src + i * 6, "{{#a}}", 6);
    src[n * 6] = '\0';
    expect_error(f, src, "nested too deeply");
    free(src);

    /* Nesting within the limit compiles and renders. */
    char buf[100 * 12 + 1];
    size_t off = 0;
    for (int i = 0; i < 50; i++)
        off += (size_t)snprintf(buf + off, sizeof(buf) - off, "{{#a}}");
    for (int i = 0; i < 50; i++)
        off += (size_t)snprintf(buf + off, sizeof(buf) - off, "{{/a}}");
    add(f, "ok", buf);
    assert_string_equal(render(f, "ok", json(f, "{\"a\": true}"), 0, MH_OK), "");
}

static void test_recursion_limit(void **state)
{
    fx_t *f = *state;
    add(f, "self", "x{{>self}}");
    render(f, "self", mh_val_map(f->pool), 0, MH_ERR);
    assert_non_null(strstr(f->err, "self:1: partials nested too deeply"));

    add(f, "a", "{{<b}}{{/b}}");
    add(f, "b", "{{<a}}{{/a}}");
    render(f, "a", mh_val_map(f->pool), 0, MH_ERR);
    assert_non_null(strstr(f->err, "nested too deeply"));

    /* A block whose override contains itself. */
    add(f, "base", "{{$x}}{{/x}}");
    add(f, "loop", "{{<base}}{{$x}}{{$x}}y{{/x}}{{/x}}{{/base}}");
    render(f, "loop", mh_val_map(f->pool), 0, MH_ERR);
    assert_non_null(strstr(f->err, "nested too deeply"));

    /* Recursion driven by data stops where the data does. */
    add(f, "node", "{{name}}({{#kids}}{{>node}}{{/kids}})");
    mh_val_t *tree = json(f, "{\"name\":\"r\",\"kids\":[{\"name\":\"a\",\"kids\":[{\"name\":\"b\","
                             "\"kids\":[]}]},{\"name\":\"c\",\"kids\":false}]}");
    assert_string_equal(render(f, "node", tree, 0, MH_OK), "r(a(b())c())");
}

static void test_work_limit(void **state)
{
    fx_t *f = *state;
    /* 30^5 empty iterations: far past the node budget, stopped early. */
    mh_val_t *ctx = mh_val_map(f->pool);
    mh_val_t *l = mh_val_list(f->pool);
    for (int i = 0; i < 30; i++)
        mh_val_list_push(f->pool, l, mh_val_bool(f->pool, true));
    mh_val_map_set(f->pool, ctx, "l", l);
    add(f, "t", "{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}");
    render(f, "t", ctx, 0, MH_ERR);
    assert_non_null(strstr(f->err, "t:1: template does too much work"));
    /* 30^3 is fine. */
    add(f, "u", "{{#l}}{{#l}}{{#l}}.{{/l}}{{/l}}{{/l}}");
    assert_int_equal(strlen(render(f, "u", ctx, 0, MH_OK)), 27000);
}

static void test_dynamic_parent(void **state)
{
    fx_t *f = *state;
    add(f, "base", "<{{$b}}default{{/b}}>");
    add(f, "t", "{{<*layout}}{{$b}}{{x}}{{/b}}{{/*layout}}|{{<*missing}}{{/*missing}}|");
    mh_val_t *ctx = json(f, "{\"layout\": \"base\", \"x\": \"mine\"}");
    assert_string_equal(render(f, "t", ctx, 0, MH_OK), "<mine>||");
}

static void test_unknown_and_replace(void **state)
{
    fx_t *f = *state;
    render(f, "nope", NULL, 0, MH_DECLINED);
    add(f, "t", "one");
    assert_string_equal(render(f, "t", NULL, 0, MH_OK), "one");
    add(f, "t", "two {{x}}");
    assert_string_equal(render(f, "t", NULL, 0, MH_OK), "two ");
    assert_true(mh_tmpl_has(f->set, "t"));
    assert_false(mh_tmpl_has(f->set, "T"));
    /* Many templates: the index grows. */
    char name[32];
    for (int i = 0; i < 200; i++) {
        snprintf(name, sizeof(name), "p%d", i);
        add(f, name, name);
    }
    for (int i = 0; i < 200; i += 37) {
        snprintf(name, sizeof(name), "p%d", i);
        assert_string_equal(render(f, name, NULL, 0, MH_OK), name);
    }
}

/* The builders' map: appended keys keep their order, are not copied, grow
 * past the initial room, and mh_val_map_set still replaces them. */
static void test_map_add(void **state)
{
    fx_t *f = *state;
    mh_val_t *m = mh_val_map_sized(f->pool, 2);
    assert_int_equal(m->kind, MH_V_MAP);
    assert_int_equal(m->u.map.cap, 2);
    static const char *const keys[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
    for (int i = 0; i < 10; i++)
        mh_val_map_add(f->pool, m, keys[i], mh_val_int(f->pool, i));
    assert_int_equal(m->u.map.n, 10);
    for (int i = 0; i < 10; i++) {
        assert_ptr_equal(m->u.map.items[i].key.base, keys[i]);
        mh_val_t *v = mh_val_get_c(f->pool, m, keys[i]);
        assert_non_null(v);
        assert_int_equal(v->u.i, i);
    }
    mh_val_map_set(f->pool, m, "c", mh_val_cstr(f->pool, "x<"));
    assert_int_equal(m->u.map.n, 10);
    add(f, "m", "{{a}}{{c}}{{j}}{{#f}}[{{e}}]{{/f}}");
    assert_string_equal(render(f, "m", m, MH_TMPL_STRICT, MH_OK), "0x&lt;9[4]");
    mh_val_t *e = mh_val_map_sized(f->pool, 0);
    assert_null(mh_val_get_c(f->pool, e, "a"));
    mh_val_map_add(f->pool, e, "a", mh_val_bool(f->pool, true));
    assert_true(mh_val_truthy(f->pool, mh_val_get_c(f->pool, e, "a")));
}

/* An indexed map answers like a scanned one: every key (of every length
 * the comparison special-cases), a repeated key's first value, absent keys
 * (also ones with an equal hash prefix or length), replaced values; a key
 * added later drops the index and is found too. */
static void test_map_index(void **state)
{
    fx_t *f = *state;
    static const char *const keys[] = {"",
                                       "a",
                                       "ab",
                                       "abc",
                                       "abcd",
                                       "abcde",
                                       "abcdefg",
                                       "abcdefgh",
                                       "abcdefghi",
                                       "abcdefghijklmnop",
                                       "abcdefghijklmnopq",
                                       "site",
                                       "page",
                                       "t",
                                       "lang",
                                       "languages",
                                       "entry",
                                       "nav",
                                       "a b",
                                       "abcx",
                                       "abcdefgx",
                                       "abcdefghijklmnoX",
                                       "zzzzzzzzzzzzzzzzzzzzz"};
    size_t nk = sizeof(keys) / sizeof(keys[0]);
    mh_val_t *m = mh_val_map(f->pool);
    for (size_t i = 0; i < nk; i++)
        mh_val_map_add(f->pool, m, keys[i], mh_val_int(f->pool, (int64_t)i));
    mh_val_map_add(f->pool, m, "page", mh_val_int(f->pool, 99)); /* repeated: not seen */
    mh_val_map_index(f->pool, m);
    assert_non_null(m->u.map.index);
    for (size_t i = 0; i < nk; i++) {
        mh_val_t *v = mh_val_get_c(f->pool, m, keys[i]);
        assert_non_null(v);
        assert_int_equal(v->u.i, (int64_t)i);
    }
    static const char *const absent[] = {"abcdef", "abcdefghijklmnoY",      "b", "pag",
                                         "pages",  "zzzzzzzzzzzzzzzzzzzzy", "A"};
    for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
        assert_null(mh_val_get_c(f->pool, m, absent[i]));
    mh_val_map_set(f->pool, m, "lang", mh_val_cstr(f->pool, "zh"));
    assert_non_null(m->u.map.index);
    assert_string_equal(mh_val_get_c(f->pool, m, "lang")->u.str.base, "zh");
    add(f, "ix", "{{site}} {{lang}} {{abcdefghi}} {{#nav}}{{t}}{{/nav}} {{nope}}|{{page}}");
    assert_string_equal(render(f, "ix", m, MH_TMPL_STRICT, MH_OK), "11 zh 8 13 |12");
    mh_val_map_set(f->pool, m, "later", mh_val_int(f->pool, 7));
    assert_null(m->u.map.index);
    assert_int_equal(mh_val_get_c(f->pool, m, "later")->u.i, 7);
    assert_int_equal(mh_val_get_c(f->pool, m, "abcd")->u.i, 4);
    /* An empty map, and a map indexed while empty, stay usable. */
    mh_val_t *e = mh_val_map(f->pool);
    mh_val_map_index(f->pool, e);
    assert_null(mh_val_get_c(f->pool, e, "x"));
}

static void test_nested_partial_indentation(void **state)
{
    fx_t *f = *state;
    add(f, "outer", "<ul>\n  {{>inner}}\n</ul>\n");
    add(f, "inner", "{{#items}}\n<li>\n  {{>leaf}}\n</li>\n{{/items}}\n");
    add(f, "leaf", "{{.}}\n");
    assert_string_equal(render(f, "outer", json(f, "{\"items\": [\"a\", \"b\"]}"), 0, MH_OK),
                        "<ul>\n  <li>\n    a\n  </li>\n  <li>\n    b\n  </li>\n</ul>\n");
}

typedef struct {
    char kind;
    char name[32];
    char secs[64];
    int line;
} rec_t;

typedef struct {
    rec_t recs[32];
    int n;
} recs_t;

static void collect(void *data, const char *tmpl, char kind, const char *name,
                    const char *const *sections, size_t nsections, int line)
{
    recs_t *r = data;
    assert_string_equal(tmpl, "page");
    assert_true(r->n < 32);
    rec_t *x = &r->recs[r->n++];
    x->kind = kind;
    snprintf(x->name, sizeof(x->name), "%s", name);
    x->secs[0] = '\0';
    for (size_t i = 0; i < nsections; i++) {
        size_t l = strlen(x->secs);
        snprintf(x->secs + l, sizeof(x->secs) - l, "%s%s", i ? "/" : "", sections[i]);
    }
    x->line = line;
}

static void test_walk_names(void **state)
{
    fx_t *f = *state;
    add(f, "page",
        "{{title}}\n"
        "{{#entries}}\n"
        "  {{{ body }}} {{author.name}}\n"
        "  {{^tags}}none{{/tags}}{{#tags}}{{.}}{{/tags}}\n"
        "  {{>row}}{{>*kind}}\n"
        "{{/entries}}\n"
        "{{<base}}{{$main}}{{site.name}}{{/main}}{{/base}}\n");
    recs_t r = {0};
    mh_tmpl_walk_names(f->set, collect, &r);
    const rec_t want[] = {
        {'v', "title", "", 1},         {'#', "entries", "", 2},
        {'v', "body", "entries", 3},   {'v', "author.name", "entries", 3},
        {'^', "tags", "entries", 4},   {'#', "tags", "entries", 4},
        {'v', ".", "entries/tags", 4}, {'>', "row", "entries", 5},
        {'>', "*kind", "entries", 5},  {'<', "base", "", 7},
        {'$', "main", "", 7},          {'v', "site.name", "", 7},
    };
    assert_int_equal(r.n, (int)MH_ARRAY_LEN(want));
    for (size_t i = 0; i < MH_ARRAY_LEN(want); i++) {
        assert_int_equal(r.recs[i].kind, want[i].kind);
        assert_string_equal(r.recs[i].name, want[i].name);
        assert_string_equal(r.recs[i].secs, want[i].secs);
        assert_int_equal(r.recs[i].line, want[i].line);
    }
}

static int mem_loader_calls;

static int mem_loader(void *data, const char *name, char **src, size_t *len)
{
    (void)data;
    mem_loader_calls++;
    if (strcmp(name, "hello") == 0) {
        *src = strdup("Hello {{who}}!");
        *len = strlen(*src);
        return MH_OK;
    }
    if (strcmp(name, "broken") == 0) {
        *src = strdup("{{#x}}");
        *len = strlen(*src);
        return MH_OK;
    }
    return MH_DECLINED;
}

static void test_loader(void **state)
{
    fx_t *f = *state;
    mem_loader_calls = 0;
    mh_tmpl_set_loader(f->set, mem_loader, NULL);
    add(f, "t", "[{{>hello}}][{{>missing}}]");
    mh_val_t *ctx = json(f, "{\"who\": \"you\"}");
    assert_string_equal(render(f, "t", ctx, 0, MH_OK), "[Hello you!][]");
    assert_int_equal(mem_loader_calls, 2);
    assert_true(mh_tmpl_has(f->set, "hello"));
    /* Loaded once, then served from the set. */
    assert_string_equal(render(f, "t", ctx, 0, MH_OK), "[Hello you!][]");
    assert_int_equal(mem_loader_calls, 3);
    add(f, "b", "{{>broken}}");
    render(f, "b", ctx, 0, MH_ERR);
    assert_non_null(strstr(f->err, "broken:1: unclosed section"));
}

/* ------------------------------------------------------------------ */

typedef struct {
    mh_tmpl_set_t *set;
    mh_val_t *ctx;
    const char *want;
    int mismatches;
} thr_t;

static void *render_loop(void *arg)
{
    thr_t *t = arg;
    mh_pool_t *pool = mh_pool_create();
    mh_buf_t out;
    mh_buf_init(&out, 1 << 16);
    char err[256];
    for (int i = 0; i < 2000; i++) {
        mh_buf_reset(&out);
        if (mh_tmpl_render(t->set, "page", pool, t->ctx, MH_TMPL_STRICT, &out, err, sizeof(err)) !=
                MH_OK ||
            strcmp(out.base, t->want) != 0)
            t->mismatches++;
    }
    mh_buf_free(&out);
    mh_pool_destroy(pool);
    return NULL;
}

static void test_concurrent_render(void **state)
{
    fx_t *f = *state;
    add(f, "page",
        "<h1>{{title}}</h1>\n{{<layout}}{{$body}}\n{{#items}}\n  {{>item}}\n"
        "{{/items}}\n{{/body}}{{/layout}}");
    add(f, "layout", "<main>\n  {{$body}}\n  {{/body}}\n</main>\n");
    add(f, "item", "<li>{{name}} &amp; {{n}}</li>\n");
    mh_val_t *ctx = json(f, "{\"title\": \"T<&>\", \"items\": [{\"name\": \"a\", \"n\": 1}, "
                            "{\"name\": \"b'\", \"n\": 2.5}]}");
    const char *want = render(f, "page", ctx, MH_TMPL_STRICT, MH_OK);
    assert_string_equal(want, "<h1>T&lt;&amp;&gt;</h1>\n<main>\n    <li>a &amp; 1</li>\n"
                              "    <li>b&#39; &amp; 2.5</li>\n</main>\n");
    thr_t t[2];
    pthread_t th[2];
    for (int i = 0; i < 2; i++) {
        t[i] = (thr_t){f->set, ctx, want, 0};
        assert_int_equal(pthread_create(&th[i], NULL, render_loop, &t[i]), 0);
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(t[i].mismatches, 0);
    }
}

/* ------------------------------------------------------------------ */

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static int files(const char *tmpl, const char *data, const char *partials, char **out, char *err,
                 size_t errlen)
{
    size_t len;
    FILE *fp = open_memstream(out, &len);
    int rc = mh_tmpl_render_files(tmpl, data, partials, fp, err, errlen);
    fclose(fp);
    return rc;
}

static void test_render_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/mh-tmpl-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char p_tmpl[128], p_data[128], p_bad[128], p_parts[128], p_secret[128], p_x[256];
    snprintf(p_tmpl, sizeof(p_tmpl), "%s/page.mustache", dir);
    snprintf(p_data, sizeof(p_data), "%s/data.json", dir);
    snprintf(p_bad, sizeof(p_bad), "%s/bad.json", dir);
    snprintf(p_parts, sizeof(p_parts), "%s/partials", dir);
    snprintf(p_secret, sizeof(p_secret), "%s/secret.mustache", dir);
    assert_int_equal(mkdir(p_parts, 0700), 0);
    write_file(p_tmpl, "{{>header}}<p>{{{raw}}}</p>{{>nothere}}\n");
    write_file(p_data, "{\"title\": \"Hi & bye\", \"raw\": \"<b>\", \"evil\": \"../secret\"}");
    write_file(p_bad, "{\"a\": 1,\n \"b\": }");
    write_file(p_secret, "SECRET");
    snprintf(p_x, sizeof(p_x), "%s/header.mustache", p_parts);
    write_file(p_x, "<h1>{{title}}</h1>\n");

    char err[512] = "";
    char *out = NULL;
    assert_int_equal(files(p_tmpl, p_data, p_parts, &out, err, sizeof(err)), MH_OK);
    assert_string_equal(out, "<h1>Hi &amp; bye</h1>\n<p><b></p>\n");
    free(out);

    /* Without a partials directory, partials render as "". */
    assert_int_equal(files(p_tmpl, p_data, NULL, &out, err, sizeof(err)), MH_OK);
    assert_string_equal(out, "<p><b></p>\n");
    free(out);

    /* Traversal through a dynamic name, and a static one. */
    write_file(p_tmpl, "[{{>*evil}}]");
    assert_int_equal(files(p_tmpl, p_data, p_parts, &out, err, sizeof(err)), MH_ERR);
    assert_non_null(strstr(err, "'../secret' refused"));
    assert_null(strstr(out, "SECRET"));
    free(out);
    write_file(p_tmpl, "[{{>../secret}}]");
    assert_int_equal(files(p_tmpl, p_data, p_parts, &out, err, sizeof(err)), MH_ERR);
    assert_non_null(strstr(err, "refused"));
    free(out);

    /* A symlink inside the directory pointing outside is not followed. */
    snprintf(p_x, sizeof(p_x), "%s/link.mustache", p_parts);
    assert_int_equal(symlink(p_secret, p_x), 0);
    write_file(p_tmpl, "[{{>link}}]");
    assert_int_equal(files(p_tmpl, p_data, p_parts, &out, err, sizeof(err)), MH_ERR);
    assert_null(strstr(out, "SECRET"));
    free(out);

    /* Errors: missing file, bad JSON, syntax error. */
    snprintf(p_x, sizeof(p_x), "%s/missing.mustache", dir);
    assert_int_equal(files(p_x, p_data, NULL, &out, err, sizeof(err)), MH_ERR);
    assert_non_null(strstr(err, p_x));
    assert_non_null(strstr(err, "No such file"));
    free(out);
    assert_int_equal(files(p_tmpl, p_bad, NULL, &out, err, sizeof(err)), MH_ERR);
    assert_non_null(strstr(err, "bad.json: bad JSON: line 2"));
    free(out);
    write_file(p_tmpl, "ok\n{{#open}}\n");
    assert_int_equal(files(p_tmpl, p_data, NULL, &out, err, sizeof(err)), MH_ERR);
    assert_non_null(strstr(err, "page.mustache:2: unclosed section"));
    assert_null(strchr(err, '\n'));
    free(out);

    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_escaping_modes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escaping_long_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strict_numbers_raw, setup, teardown),
        cmocka_unit_test_setup_teardown(test_toobig_at_ceiling, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lazy_only_when_touched, setup, teardown),
        cmocka_unit_test_setup_teardown(test_syntax_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deep_nesting_source, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recursion_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_work_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dynamic_parent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_and_replace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_add, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_index, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_partial_indentation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_walk_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_loader, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_render, setup, teardown),
        cmocka_unit_test(test_render_files),
    };
    return cmocka_run_group_tests_name("tmpl", tests, NULL, NULL);
}
