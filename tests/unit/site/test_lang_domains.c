/* Languages as a webmaster sets them up: a domain per language (the Host
 * header decides), strict hosts, hidden languages, deleting and copying a
 * language, against a temporary demo site and the default theme. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content/content.h"
#include "content/languages.h"
#include "site/site.h"

#define THEME MH_DATADIR "/themes/default"

static char dir[256];
static mh_content_t *content;
static mh_site_t *site;
static int64_t en_id, zh_id;

typedef struct {
    mh_pool_t *pool;
    mh_page_t page;
    const char *body;
} resp_t;

static void get(resp_t *r, const char *host, const char *path)
{
    r->pool = mh_pool_create();
    int rc = mh_site_handle(site, r->pool, mh_str_c(host), mh_str_c(path), MH_STR_NULL, &r->page);
    assert_int_equal(rc, MH_OK);
    r->body = r->page.body.base ? r->page.body.base : "";
}

static void done(resp_t *r)
{
    mh_buf_free(&r->page.body);
    mh_pool_destroy(r->pool);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/mh-langdom-test-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char site_dir[300], err[256];
    snprintf(site_dir, sizeof(site_dir), "%s/site", dir);
    if (mh_content_init(site_dir, true, err, sizeof(err)) != MH_OK ||
        mh_content_open(site_dir, &content, err, sizeof(err)) != MH_OK ||
        mh_site_open(&site, content, THEME, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    mh_pool_t *p = mh_pool_create();
    mh_language_t *langs;
    size_t n;
    if (mh_content_languages(content, p, &langs, &n) != MH_OK)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (langs[i].is_default)
            en_id = langs[i].id;
        else
            zh_id = langs[i].id;
    }
    mh_pool_destroy(p);
    return en_id && zh_id ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    mh_site_close(site);
    mh_content_close(content);
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void set_lang(int64_t id, const char *domain, bool hidden)
{
    mh_pool_t *p = mh_pool_create();
    mh_language_t l;
    assert_int_equal(mh_content_language_get(content, p, id, &l), MH_OK);
    l.domain = domain;
    l.hidden = hidden;
    assert_int_equal(mh_content_language_update(content, &l), MH_OK);
    mh_pool_destroy(p);
}

static void test_domains(void **state)
{
    (void)state;
    set_lang(en_id, "en.example.gov.cn", false);
    set_lang(zh_id, "www.example.gov.cn", false);
    resp_t r;
    /* the Chinese host: Chinese at "/", English links absolute */
    get(&r, "www.example.gov.cn", "/");
    assert_int_equal(r.page.status, 200);
    assert_string_equal(r.page.lang, "zh-CN");
    assert_non_null(strstr(r.body, "href=\"http://en.example.gov.cn/\""));
    assert_null(strstr(r.body, "href=\"/zh/"));
    done(&r);
    /* the port does not matter; the prefix is not used on its own host */
    get(&r, "www.example.gov.cn:8080", "/zh/");
    assert_int_equal(r.page.status, 404);
    done(&r);
    /* the English host */
    get(&r, "EN.example.gov.cn", "/news/");
    assert_int_equal(r.page.status, 200);
    assert_string_equal(r.page.lang, "en");
    assert_non_null(strstr(r.body, "href=\"http://www.example.gov.cn/"));
    done(&r);
    /* another language's prefix on a language host: it lives on its own host */
    get(&r, "en.example.gov.cn", "/zh/");
    assert_int_equal(r.page.status, 404);
    done(&r);
    /* unknown hosts: the default language, prefixes as before */
    get(&r, "localhost", "/");
    assert_int_equal(r.page.status, 200);
    assert_string_equal(r.page.lang, "en");
    done(&r);
    get(&r, "localhost", "/zh/");
    assert_int_equal(r.page.status, 200);
    assert_string_equal(r.page.lang, "zh-CN");
    done(&r);
    /* strict hosts: 421 for unknown hosts only */
    assert_int_equal(mh_content_setting_set(content, 0, "strict_hosts", "1"), MH_OK);
    get(&r, "localhost", "/");
    assert_int_equal(r.page.status, 421);
    done(&r);
    get(&r, "www.example.gov.cn", "/");
    assert_int_equal(r.page.status, 200);
    done(&r);
    assert_int_equal(mh_content_setting_set(content, 0, "strict_hosts", NULL), MH_OK);
    set_lang(en_id, "", false);
    set_lang(zh_id, "", false);
    get(&r, "www.example.gov.cn", "/");
    assert_string_equal(r.page.lang, "en");
    done(&r);
}

static void test_hidden_language(void **state)
{
    (void)state;
    resp_t r;
    get(&r, "example.org", "/");
    assert_non_null(strstr(r.body, "hreflang=\"zh-CN\""));
    done(&r);
    set_lang(zh_id, "", true);
    get(&r, "example.org", "/zh/");
    assert_int_equal(r.page.status, 404);
    done(&r);
    get(&r, "example.org", "/zh/news/");
    assert_int_equal(r.page.status, 404);
    done(&r);
    get(&r, "example.org", "/");
    assert_int_equal(r.page.status, 200);
    assert_null(strstr(r.body, "hreflang=\"zh-CN\""));
    done(&r);
    set_lang(zh_id, "", false);
    get(&r, "example.org", "/zh/");
    assert_int_equal(r.page.status, 200);
    done(&r);
}

static void test_copy_and_delete(void **state)
{
    (void)state;
    mh_pool_t *p = mh_pool_create();
    mh_language_t fr = {.code = "fr", .name = "Français", .prefix = "fr", .domain = ""};
    int64_t fr_id = 0;
    /* a taken prefix is refused */
    mh_language_t bad = {.code = "de", .name = "Deutsch", .prefix = "zh", .domain = ""};
    assert_int_equal(mh_content_language_copy(content, en_id, &bad, &fr_id, NULL, NULL),
                     MH_INVALID);
    assert_int_equal(mh_content_language_copy(content, en_id, &fr, &fr_id, NULL, NULL), MH_OK);
    mh_language_t got;
    assert_int_equal(mh_content_language_get(content, p, fr_id, &got), MH_OK);
    assert_true(got.hidden);
    mh_column_t *ec, *fc;
    size_t ne, nf;
    assert_int_equal(mh_content_columns(content, p, en_id, &ec, &ne), MH_OK);
    assert_int_equal(mh_content_columns(content, p, fr_id, &fc, &nf), MH_OK);
    assert_int_equal(ne, nf);
    assert_true(nf > 0);
    for (size_t i = 0; i < nf; i++) {
        assert_string_equal(fc[i].path, ec[i].path);
        assert_int_equal(strncmp(fc[i].name, MH_UNTRANSLATED_MARK, strlen(MH_UNTRANSLATED_MARK)),
                         0);
    }
    int64_t ncols = 0, nentries = 0;
    assert_int_equal(mh_content_language_counts(content, fr_id, &ncols, &nentries), MH_OK);
    assert_int_equal(ncols, (int64_t)nf);
    assert_int_equal(nentries, 0);
    /* hidden: 404 until made public */
    resp_t r;
    get(&r, "example.org", "/fr/news/");
    assert_int_equal(r.page.status, 404);
    done(&r);
    set_lang(fr_id, "", false);
    get(&r, "example.org", "/fr/news/");
    assert_int_equal(r.page.status, 200);
    done(&r);
    /* the default language cannot go; another one goes with its content */
    assert_int_equal(mh_content_language_delete(content, en_id), MH_DECLINED);
    assert_int_equal(mh_content_language_counts(content, zh_id, &ncols, &nentries), MH_OK);
    assert_true(nentries > 0);
    assert_int_equal(mh_content_language_delete(content, fr_id), MH_OK);
    assert_int_equal(mh_content_language_get(content, p, fr_id, &got), MH_DECLINED);
    assert_int_equal(mh_content_columns(content, p, fr_id, &fc, &nf), MH_OK);
    assert_int_equal(nf, 0);
    get(&r, "example.org", "/fr/news/");
    assert_int_equal(r.page.status, 404);
    done(&r);
    mh_pool_destroy(p);
}

static void test_ui_overrides_and_dates(void **state)
{
    (void)state;
    resp_t r;
    get(&r, "example.org", "/zh/");
    assert_null(strstr(r.body, "Skip-Override-ZH"));
    /* the demo's Chinese date format */
    assert_non_null(strstr(r.body, "日</time>"));
    done(&r);
    assert_int_equal(
        mh_content_setting_set(content, zh_id, "ui.skip_to_content", "Skip-Override-ZH"), MH_OK);
    get(&r, "example.org", "/zh/");
    assert_non_null(strstr(r.body, "Skip-Override-ZH"));
    done(&r);
    /* twice: the merged strings come from the cache */
    get(&r, "example.org", "/zh/news/");
    assert_non_null(strstr(r.body, "Skip-Override-ZH"));
    done(&r);
    /* only that language */
    get(&r, "example.org", "/");
    assert_null(strstr(r.body, "Skip-Override-ZH"));
    assert_null(strstr(r.body, "日</time>"));
    done(&r);
    assert_int_equal(mh_content_setting_set(content, zh_id, "ui.skip_to_content", "Second-ZH"),
                     MH_OK);
    get(&r, "example.org", "/zh/");
    assert_non_null(strstr(r.body, "Second-ZH"));
    assert_null(strstr(r.body, "Skip-Override-ZH"));
    done(&r);
    assert_int_equal(mh_content_setting_set(content, zh_id, "ui.skip_to_content", NULL), MH_OK);
    get(&r, "example.org", "/zh/");
    assert_null(strstr(r.body, "Second-ZH"));
    done(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_domains),
        cmocka_unit_test(test_hidden_language),
        cmocka_unit_test(test_copy_and_delete),
        cmocka_unit_test(test_ui_overrides_and_dates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
