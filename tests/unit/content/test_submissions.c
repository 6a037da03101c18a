/* Public submissions through the content API: the CV sniffer, address
 * truncation, statuses per kind, and the rule that only approved
 * guestbook messages move the content generation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "content/content.h"
#include "content/submissions.h"

struct fx {
    char tmp[64];
    char dir[96];
    mh_content_t *c;
    mh_pool_t *p;
    int64_t lang, fb, gb;
};

static int64_t mkcol(struct fx *f, const char *module, const char *name)
{
    int64_t id = 0;
    mh_column_t c = {.lang_id = f->lang,
                     .module = module,
                     .name = name,
                     .nav = MH_NAV_HEADER,
                     .page_size = 10,
                     .visible = true};
    assert_int_equal(mh_content_column_create(f->c, &c, &id), MH_OK);
    return id;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    char err[256];
    mh_language_t *langs;
    size_t n;
    snprintf(f->tmp, sizeof(f->tmp), "/tmp/mh-subs-XXXXXX");
    if (!mkdtemp(f->tmp))
        return -1;
    snprintf(f->dir, sizeof(f->dir), "%s/site", f->tmp);
    if (mh_content_init(f->dir, false, err, sizeof(err)) != MH_OK ||
        mh_content_open(f->dir, &f->c, err, sizeof(err)) != MH_OK)
        return -1;
    f->p = mh_pool_create();
    if (mh_content_languages(f->c, f->p, &langs, &n) != MH_OK || n != 1)
        return -1;
    f->lang = langs[0].id;
    f->fb = mkcol(f, MH_MODULE_FEEDBACK, "Feedback");
    f->gb = mkcol(f, MH_MODULE_GUESTBOOK, "Guestbook");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char cmd[128];
    mh_pool_destroy(f->p);
    mh_content_close(f->c);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->tmp);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

static void test_sniff(void **state)
{
    (void)state;
    const char *mime, *ext;
    unsigned char doc[600] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    assert_int_equal(mh_submission_sniff_cv("%PDF-1.7\n", 9, &mime, &ext), MH_OK);
    assert_string_equal(ext, "pdf");
    assert_int_equal(mh_submission_sniff_cv(doc, sizeof(doc), &mime, &ext), MH_OK);
    assert_string_equal(mime, "application/msword");
    /* a zip is a DOCX only with an entry under word/ */
    unsigned char zip[80] = {'P', 'K', 3, 4};
    zip[26] = 17;
    memcpy(zip + 30, "word/document.xml", 17);
    assert_int_equal(mh_submission_sniff_cv(zip, sizeof(zip), &mime, &ext), MH_OK);
    assert_string_equal(ext, "docx");
    memcpy(zip + 30, "xl/workbook.xml  ", 17);
    assert_int_equal(mh_submission_sniff_cv(zip, sizeof(zip), &mime, &ext), MH_DECLINED);
    assert_int_equal(mh_submission_sniff_cv("\x89PNG\r\n\x1a\n", 8, &mime, &ext), MH_DECLINED);
    assert_int_equal(mh_submission_sniff_cv("", 0, &mime, &ext), MH_DECLINED);
    assert_int_equal(mh_submission_sniff_cv(doc, 100, &mime, &ext), MH_DECLINED);
}

static void test_ip(void **state)
{
    struct fx *f = *state;
    assert_string_equal(mh_submission_ip(f->p, "203.0.113.77"), "203.0.113.0");
    assert_string_equal(mh_submission_ip(f->p, "2001:db8:1:2:3:4:5:6"), "2001:db8:1::");
    assert_string_equal(mh_submission_ip(f->p, "not an address"), "");
    assert_string_equal(mh_submission_ip(f->p, NULL), "");
}

static void test_generation(void **state)
{
    struct fx *f = *state;
    mh_field_value_t v = {.key = "email", .text = "a@example.com"};
    mh_submission_t fb = {.column_id = f->fb,
                          .lang_id = f->lang,
                          .kind = MH_SUB_FEEDBACK,
                          .values = &v,
                          .nvalues = 1};
    int64_t id = 0, gid = 0;
    uint64_t g0 = mh_content_generation(f->c);
    assert_int_equal(mh_submission_create(f->c, &fb, NULL, &id), MH_OK);
    assert_string_equal(fb.status, "unread");
    assert_int_equal(mh_submission_set_status(f->c, id, "handled"), MH_OK);
    assert_int_equal(mh_submission_set_status(f->c, id, "approved"), MH_DECLINED);
    assert_int_equal(mh_submission_set_notes(f->c, id, "called back"), MH_OK);
    assert_int_equal(mh_content_generation(f->c), g0);
    mh_submission_t got;
    assert_int_equal(mh_submission_get(f->c, f->p, id, &got), MH_OK);
    assert_string_equal(got.status, "handled");
    assert_string_equal(got.notes, "called back");
    assert_int_equal(got.nvalues, 1);
    assert_string_equal(got.values[0].text, "a@example.com");

    mh_submission_t gb = {.column_id = f->gb,
                          .lang_id = f->lang,
                          .kind = MH_SUB_GUESTBOOK,
                          .name = "Ann",
                          .message = "Hello"};
    assert_int_equal(mh_submission_create(f->c, &gb, NULL, &gid), MH_OK);
    assert_string_equal(gb.status, "pending");
    assert_int_equal(mh_content_generation(f->c), g0);
    assert_int_equal(mh_submission_set_status(f->c, gid, "approved"), MH_OK);
    uint64_t g1 = mh_content_generation(f->c);
    assert_true(g1 != g0);
    assert_int_equal(mh_submission_set_notes(f->c, gid, "private"), MH_OK);
    assert_int_equal(mh_content_generation(f->c), g1);
    assert_int_equal(mh_submission_set_reply(f->c, gid, "Thanks"), MH_OK);
    assert_true(mh_content_generation(f->c) != g1);

    mh_submission_t *list;
    size_t n;
    int64_t total;
    mh_submission_filter_t q = {.kind = MH_SUB_GUESTBOOK, .status = "approved"};
    assert_int_equal(mh_submission_list(f->c, f->p, &q, &list, &n, &total), MH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(total, 1);
    mh_submission_filter_t s = {.q = "example.com", .not_guestbook = true};
    assert_int_equal(mh_submission_list(f->c, f->p, &s, &list, &n, &total), MH_OK);
    assert_int_equal(total, 1);
    mh_submission_filter_t pct = {.q = "%"};
    assert_int_equal(mh_submission_list(f->c, f->p, &pct, &list, &n, &total), MH_OK);
    assert_int_equal(total, 0);
    assert_int_equal(mh_submission_delete(f->c, id), MH_OK);
    assert_int_equal(mh_submission_get(f->c, f->p, id, &got), MH_DECLINED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sniff, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_generation, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
