/* Roles, permissions, object-level checks with grants, safe redirects, and
 * the accounts content API, against a temporary demo site. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "admin/accounts_internal.h"
#include "admin/admin.h"
#include "auth/password.h"
#include "content/accounts.h"
#include "content/content.h"

static char dir[256];
static mh_content_t *content;
static mh_admin_t *admin;
static int64_t en_id, zh_id, news_id, sub_id, about_id, zh_col_id;

static int setup(void **state)
{
    char err[256];
    mh_password_set_limits(1, 8192); /* fast hashes for tests */
    snprintf(dir, sizeof(dir), "/tmp/mh-test-accounts-%d", (int)getpid());
    if (mh_content_init(dir, true, err, sizeof(err)) != MH_OK ||
        mh_content_open(dir, &content, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    if (mh_admin_create(NULL, content, dir, NULL, &admin, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    mh_pool_t *p = mh_pool_create();
    mh_language_t *langs;
    size_t nl;
    mh_content_languages(content, p, &langs, &nl);
    for (size_t i = 0; i < nl; i++) {
        if (strcmp(langs[i].code, "en") == 0)
            en_id = langs[i].id;
        else
            zh_id = langs[i].id;
    }
    mh_column_t *cols;
    size_t nc;
    mh_content_columns(content, p, en_id, &cols, &nc);
    for (size_t i = 0; i < nc; i++) {
        if (strcmp(cols[i].path, "news") == 0)
            news_id = cols[i].id;
        if (strcmp(cols[i].path, "about") == 0)
            about_id = cols[i].id;
    }
    for (size_t i = 0; i < nc; i++)
        if (cols[i].parent_id == news_id)
            sub_id = cols[i].id;
    mh_content_columns(content, p, zh_id, &cols, &nc);
    zh_col_id = nc ? cols[0].id : 0;
    mh_pool_destroy(p);
    return en_id && zh_id && news_id && sub_id && about_id && zh_col_id ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[300];
    mh_admin_destroy(admin);
    mh_content_close(content);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_role_names(void **state)
{
    for (mh_role_t r = MH_ROLE_CONTRIBUTOR; r <= MH_ROLE_ADMIN; r++)
        assert_int_equal(mh_role_parse(mh_role_name(r)), r);
    assert_string_equal(mh_role_name(MH_ROLE_EDITOR), "editor");
    assert_int_equal(mh_role_parse("root"), 0);
    assert_int_equal(mh_role_parse("Admin"), 0);
    assert_int_equal(mh_role_parse(NULL), 0);
    assert_string_equal(mh_role_name(0), "");
    assert_string_equal(mh_role_name(99), "");
}

static void test_role_permissions(void **state)
{
    static const char *const perms[] = {MH_PERM_LOGIN,  MH_PERM_ENTRIES, MH_PERM_MEDIA,
                                        MH_PERM_REVIEW, MH_PERM_COLUMNS, MH_PERM_SETTINGS,
                                        MH_PERM_USERS,  MH_PERM_AUDIT};
    /* rows: contributor, author, editor, admin */
    static const bool want[4][8] = {
        {true, true, true, false, false, false, false, false},
        {true, true, true, false, false, false, false, false},
        {true, true, true, true, true, false, false, false},
        {true, true, true, true, true, true, true, true},
    };
    for (int r = 0; r < 4; r++)
        for (int k = 0; k < 8; k++)
            assert_int_equal(mh_role_has((mh_role_t)(r + 1), perms[k]), want[r][k]);
    assert_false(mh_role_has(MH_ROLE_ADMIN, "anything-else"));
    assert_false(mh_role_has(MH_ROLE_ADMIN, NULL));
    assert_false(mh_role_has(0, MH_PERM_LOGIN));
    assert_false(mh_role_has(7, MH_PERM_LOGIN));
}

static mh_entry_t entry(int64_t column, int64_t lang, int64_t author, mh_status_t st)
{
    return (mh_entry_t){
        .id = 1, .column_id = column, .lang_id = lang, .author_id = author, .status = st};
}

static mh_admin_user_t user(int64_t id, mh_role_t role, const mh_grant_t *g, size_t n)
{
    return (mh_admin_user_t){.id = id, .name = "u", .role = role, .grants = g, .ngrants = n};
}

static void test_may_entry_roles(void **state)
{
    const mh_action_t acts[] = {MH_ACT_READ, MH_ACT_EDIT, MH_ACT_PUBLISH, MH_ACT_DELETE};
    mh_entry_t other = entry(news_id, en_id, 99, MH_STATUS_PUBLISHED);
    mh_entry_t own_pub = entry(news_id, en_id, 7, MH_STATUS_PUBLISHED);
    mh_entry_t own_draft = entry(news_id, en_id, 7, MH_STATUS_DRAFT);
    mh_entry_t own_pending = entry(news_id, en_id, 7, MH_STATUS_PENDING);
    mh_entry_t orphan = entry(news_id, en_id, 0, MH_STATUS_DRAFT);
    for (size_t i = 0; i < 4; i++) {
        mh_admin_user_t ad = user(7, MH_ROLE_ADMIN, NULL, 0);
        mh_admin_user_t ed = user(7, MH_ROLE_EDITOR, NULL, 0);
        mh_admin_user_t au = user(7, MH_ROLE_AUTHOR, NULL, 0);
        assert_true(mh_admin_may_entry(admin, &ad, &other, acts[i]));
        assert_true(mh_admin_may_entry(admin, &ed, &other, acts[i]));
        assert_true(mh_admin_may_entry(admin, &ed, &orphan, acts[i]));
        /* authors: own entries only, everything on them */
        assert_false(mh_admin_may_entry(admin, &au, &other, acts[i]));
        assert_false(mh_admin_may_entry(admin, &au, &orphan, acts[i]));
        assert_true(mh_admin_may_entry(admin, &au, &own_pub, acts[i]));
        assert_true(mh_admin_may_entry(admin, &au, &own_draft, acts[i]));
    }
    mh_admin_user_t co = user(7, MH_ROLE_CONTRIBUTOR, NULL, 0);
    assert_false(mh_admin_may_entry(admin, &co, &other, MH_ACT_READ));
    assert_false(mh_admin_may_entry(admin, &co, &other, MH_ACT_EDIT));
    assert_true(mh_admin_may_entry(admin, &co, &own_draft, MH_ACT_READ));
    assert_true(mh_admin_may_entry(admin, &co, &own_draft, MH_ACT_EDIT));
    assert_true(mh_admin_may_entry(admin, &co, &own_draft, MH_ACT_DELETE));
    assert_false(mh_admin_may_entry(admin, &co, &own_draft, MH_ACT_PUBLISH));
    assert_true(mh_admin_may_entry(admin, &co, &own_pending, MH_ACT_EDIT));
    assert_false(mh_admin_may_entry(admin, &co, &own_pending, MH_ACT_DELETE));
    assert_false(mh_admin_may_entry(admin, &co, &own_pending, MH_ACT_PUBLISH));
    assert_true(mh_admin_may_entry(admin, &co, &own_pub, MH_ACT_READ));
    assert_false(mh_admin_may_entry(admin, &co, &own_pub, MH_ACT_EDIT));
    assert_false(mh_admin_may_entry(admin, &co, &own_pub, MH_ACT_DELETE));
    assert_false(mh_admin_may_entry(admin, &co, &own_pub, MH_ACT_PUBLISH));
}

static void test_may_entry_fails_closed(void **state)
{
    mh_admin_user_t ad = user(7, MH_ROLE_ADMIN, NULL, 0);
    mh_admin_user_t bad_role = user(7, 0, NULL, 0);
    mh_admin_user_t no_id = user(0, MH_ROLE_AUTHOR, NULL, 0);
    mh_entry_t e = entry(news_id, en_id, 7, MH_STATUS_DRAFT);
    mh_entry_t nowhere = entry(999999, en_id, 7, MH_STATUS_DRAFT);
    mh_entry_t mismatched = entry(news_id, zh_id, 7, MH_STATUS_DRAFT);
    mh_entry_t own_zero = entry(news_id, en_id, 0, MH_STATUS_DRAFT);
    assert_false(mh_admin_may_entry(admin, NULL, &e, MH_ACT_READ));
    assert_false(mh_admin_may_entry(admin, &ad, NULL, MH_ACT_READ));
    assert_false(mh_admin_may_entry(NULL, &ad, &e, MH_ACT_READ));
    assert_false(mh_admin_may_entry(admin, &bad_role, &e, MH_ACT_READ));
    assert_false(mh_admin_may_entry(admin, &ad, &e, (mh_action_t)42));
    assert_false(mh_admin_may_entry(admin, &ad, &nowhere, MH_ACT_READ));
    assert_false(mh_admin_may_entry(admin, &ad, &mismatched, MH_ACT_READ));
    /* an entry without owner is not owned by a user without id */
    assert_false(mh_admin_may_entry(admin, &no_id, &own_zero, MH_ACT_READ));
}

static void test_grants(void **state)
{
    mh_grant_t news_only[] = {{news_id, 0}};
    mh_grant_t zh_only[] = {{0, zh_id}};
    mh_grant_t news_zh[] = {{news_id, zh_id}}; /* never matches: news is English */
    mh_grant_t two[] = {{about_id, 0}, {0, zh_id}};
    mh_admin_user_t ed_news = user(7, MH_ROLE_EDITOR, news_only, 1);
    mh_admin_user_t ed_zh = user(7, MH_ROLE_EDITOR, zh_only, 1);
    mh_admin_user_t ed_bad = user(7, MH_ROLE_EDITOR, news_zh, 1);
    mh_admin_user_t ed_two = user(7, MH_ROLE_EDITOR, two, 2);
    mh_admin_user_t au_news = user(7, MH_ROLE_AUTHOR, news_only, 1);

    /* the granted column and its sub-columns, nothing else */
    assert_true(mh_admin_may_column(admin, &ed_news, news_id, en_id));
    assert_true(mh_admin_may_column(admin, &ed_news, sub_id, en_id));
    assert_true(mh_admin_may_column(admin, &ed_news, sub_id, 0));
    assert_false(mh_admin_may_column(admin, &ed_news, about_id, en_id));
    assert_false(mh_admin_may_column(admin, &ed_news, zh_col_id, zh_id));
    assert_false(mh_admin_may_column(admin, &ed_news, 0, en_id));
    /* a language grant covers every column of that language */
    assert_true(mh_admin_may_column(admin, &ed_zh, zh_col_id, zh_id));
    assert_true(mh_admin_may_column(admin, &ed_zh, 0, zh_id));
    assert_false(mh_admin_may_column(admin, &ed_zh, news_id, en_id));
    assert_false(mh_admin_may_column(admin, &ed_zh, 0, en_id));
    /* column and language together must both match */
    assert_false(mh_admin_may_column(admin, &ed_bad, news_id, en_id));
    assert_false(mh_admin_may_column(admin, &ed_bad, zh_col_id, zh_id));
    /* several grants: any one suffices */
    assert_true(mh_admin_may_column(admin, &ed_two, about_id, en_id));
    assert_true(mh_admin_may_column(admin, &ed_two, zh_col_id, zh_id));
    assert_false(mh_admin_may_column(admin, &ed_two, news_id, en_id));
    /* a column that is not of the language named is refused */
    mh_admin_user_t free_ed = user(7, MH_ROLE_EDITOR, NULL, 0);
    assert_true(mh_admin_may_column(admin, &free_ed, news_id, en_id));
    assert_false(mh_admin_may_column(admin, &free_ed, news_id, zh_id));
    assert_false(mh_admin_may_column(admin, &free_ed, 999999, 0));
    assert_false(mh_admin_may_column(admin, NULL, news_id, en_id));

    /* entries follow their column's grants, on top of ownership */
    mh_entry_t in_sub = entry(sub_id, en_id, 99, MH_STATUS_PUBLISHED);
    mh_entry_t in_about = entry(about_id, en_id, 99, MH_STATUS_PUBLISHED);
    mh_entry_t own_about = entry(about_id, en_id, 7, MH_STATUS_DRAFT);
    mh_entry_t own_sub = entry(sub_id, en_id, 7, MH_STATUS_DRAFT);
    assert_true(mh_admin_may_entry(admin, &ed_news, &in_sub, MH_ACT_EDIT));
    assert_false(mh_admin_may_entry(admin, &ed_news, &in_about, MH_ACT_READ));
    assert_false(mh_admin_may_entry(admin, &au_news, &own_about, MH_ACT_READ));
    assert_true(mh_admin_may_entry(admin, &au_news, &own_sub, MH_ACT_PUBLISH));
    assert_false(mh_admin_may_entry(admin, &au_news, &in_sub, MH_ACT_READ));
}

static void test_next_ok(void **state)
{
    assert_true(mh_admin_next_ok(admin, "/admin"));
    assert_true(mh_admin_next_ok(admin, "/admin/"));
    assert_true(mh_admin_next_ok(admin, "/admin/users?x=1"));
    assert_false(mh_admin_next_ok(admin, NULL));
    assert_false(mh_admin_next_ok(admin, ""));
    assert_false(mh_admin_next_ok(admin, "//evil.example/admin"));
    assert_false(mh_admin_next_ok(admin, "https://evil.example/admin"));
    assert_false(mh_admin_next_ok(admin, "/adminx"));
    assert_false(mh_admin_next_ok(admin, "/admin//evil.example"));
    assert_false(mh_admin_next_ok(admin, "/admin/\\evil"));
    assert_false(mh_admin_next_ok(admin, "/admin/../x"));
    assert_false(mh_admin_next_ok(admin, "/admin/\r\nSet-Cookie: a=b"));
    assert_string_equal(mh_admin_base(admin), "/admin");
}

static void test_accounts_api(void **state)
{
    mh_pool_t *p = mh_pool_create();
    mh_account_t in = {.name = "liu", .role = "author", .display_name = "Li", .ui_lang = "zh-CN"};
    int64_t id = 0, id2 = 0;
    const char *why = NULL;
    assert_int_equal(mh_accounts_user_create(content, &in, "short", 5, &id, &why), MH_DECLINED);
    assert_string_equal(why, MH_PASSWORD_WHY_SHORT);
    assert_int_equal(mh_accounts_user_create(content, &in, "liu is the password", 19, &id, &why),
                     MH_DECLINED);
    assert_string_equal(why, MH_PASSWORD_WHY_USERNAME);
    assert_int_equal(mh_accounts_user_create(content, &in, "a fine passphrase", 17, &id, &why),
                     MH_OK);
    in.name = "LIU";
    assert_int_equal(mh_accounts_user_create(content, &in, "a fine passphrase", 17, &id2, &why),
                     MH_DECLINED);
    assert_string_equal(why, "name");
    in.name = "x y";
    assert_int_equal(mh_accounts_user_create(content, &in, "a fine passphrase", 17, &id2, &why),
                     MH_DECLINED);
    in.name = "root";
    in.role = "superuser";
    assert_int_equal(mh_accounts_user_create(content, &in, "a fine passphrase", 17, &id2, &why),
                     MH_DECLINED);
    assert_string_equal(why, "role");

    mh_account_t u;
    assert_int_equal(mh_accounts_authenticate(content, p, "liu", "a fine passphrase", 17, &u),
                     MH_OK);
    assert_int_equal(u.id, id);
    assert_string_equal(u.ui_lang, "zh-CN");
    assert_int_equal(mh_accounts_authenticate(content, p, "LIU", "a fine passphrase", 17, &u),
                     MH_OK);
    assert_int_equal(mh_accounts_authenticate(content, p, "liu", "a fine passphrasE", 17, &u),
                     MH_DECLINED);
    assert_int_equal(mh_accounts_authenticate(content, p, "ghost", "a fine passphrase", 17, &u),
                     MH_DECLINED);

    /* a hash made with other parameters is replaced at the next login */
    mh_account_t before;
    mh_accounts_user_get(content, p, id, &before);
    mh_password_set_limits(2, 8192);
    assert_true(mh_password_needs_rehash(before.password_hash));
    assert_int_equal(mh_accounts_authenticate(content, p, "liu", "a fine passphrase", 17, &u),
                     MH_OK);
    mh_accounts_user_get(content, p, id, &u);
    assert_false(mh_password_needs_rehash(u.password_hash));
    assert_string_not_equal(u.password_hash, before.password_hash);
    mh_password_set_limits(1, 8192);

    /* disabled users cannot sign in */
    u.disabled = true;
    assert_int_equal(mh_accounts_user_update(content, &u), MH_OK);
    assert_int_equal(mh_accounts_authenticate(content, p, "liu", "a fine passphrase", 17, &u),
                     MH_DECLINED);

    /* grants round trip */
    mh_account_grant_t g[] = {{news_id, 0}, {0, zh_id}};
    assert_int_equal(mh_accounts_grants_set(content, id, g, 2), MH_OK);
    mh_account_grant_t *got;
    size_t ng;
    assert_int_equal(mh_accounts_grants(content, p, id, &got, &ng), MH_OK);
    assert_int_equal(ng, 2);
    assert_int_equal(got[0].column_id, news_id);
    assert_int_equal(got[0].lang_id, 0);
    assert_int_equal(got[1].lang_id, zh_id);
    assert_int_equal(mh_accounts_grants_set(content, id, NULL, 0), MH_OK);
    assert_int_equal(mh_accounts_grants(content, p, id, &got, &ng), MH_OK);
    assert_int_equal(ng, 0);

    /* sessions: purge by absolute end and by idle time, end by user */
    int64_t now = (int64_t)time(NULL);
    mh_session_row_t row;
    assert_int_equal(mh_accounts_session_create(content, "h1", id, now, now + 100, "::1"), MH_OK);
    assert_int_equal(mh_accounts_session_create(content, "h2", id, now - 50, now + 100, ""), MH_OK);
    assert_int_equal(mh_accounts_session_create(content, "h3", id, now - 10, now - 1, ""), MH_OK);
    assert_int_equal(mh_accounts_session_create(content, "h4", id, now, now + 100, ""), MH_OK);
    assert_int_equal(mh_accounts_sessions_purge(content, now, 30), MH_OK);
    assert_int_equal(mh_accounts_session_get(content, p, "h1", &row), MH_OK);
    assert_string_equal(row.ip, "::1");
    assert_int_equal(mh_accounts_session_get(content, p, "h2", &row), MH_DECLINED);
    assert_int_equal(mh_accounts_session_get(content, p, "h3", &row), MH_DECLINED);
    assert_int_equal(mh_accounts_sessions_end_user(content, id, "h4"), MH_OK);
    assert_int_equal(mh_accounts_session_get(content, p, "h1", &row), MH_DECLINED);
    assert_int_equal(mh_accounts_session_get(content, p, "h4", &row), MH_OK);
    assert_int_equal(mh_accounts_session_end(content, "h4"), MH_OK);
    assert_int_equal(mh_accounts_session_get(content, p, "h4", &row), MH_DECLINED);

    /* audit filter by action prefix, user and paging */
    for (int i = 0; i < 5; i++)
        assert_int_equal(mh_accounts_audit(content, id, "10.0.0.1", "test.thing", "x:1", "d"),
                         MH_OK);
    assert_int_equal(mh_accounts_audit(content, 0, "10.0.0.2", "test_other", "", ""), MH_OK);
    mh_audit_filter_t f = {.action = "test.", .limit = 2};
    mh_audit_row_t *rows;
    size_t n;
    int64_t total;
    assert_int_equal(mh_accounts_audit_list(content, p, &f, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 5);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].user_name, "liu");
    f.action = "test_";
    assert_int_equal(mh_accounts_audit_list(content, p, &f, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 1); /* '_' is no wildcard */
    f.action = "";
    f.user_id = id;
    f.limit = 0;
    assert_int_equal(mh_accounts_audit_list(content, p, &f, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 5);

    /* the first administrator's one-time password follows the policy */
    char pw[32];
    assert_int_equal(mh_accounts_random_password(pw), MH_OK);
    assert_int_equal(strlen(pw), 20);
    assert_int_equal(mh_password_check(pw, 20, "admin", NULL), MH_OK);
    mh_pool_destroy(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_role_names),      cmocka_unit_test(test_role_permissions),
        cmocka_unit_test(test_may_entry_roles), cmocka_unit_test(test_may_entry_fails_closed),
        cmocka_unit_test(test_grants),          cmocka_unit_test(test_next_ok),
        cmocka_unit_test(test_accounts_api),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
