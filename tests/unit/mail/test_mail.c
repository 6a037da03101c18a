/* The mail module's pure parts: RFC 2047 header encoding, the back-off
 * schedule, the Date header, address lists and the formatted message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/pool.h"
#include "mail/mail.h"

/* Decode one "=?UTF-8?B?...?=" word's base64 (test helper). */
static size_t b64dec(const char *s, size_t n, unsigned char *out)
{
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned v = 0;
    int bits = 0;
    size_t k = 0;
    for (size_t i = 0; i < n && s[i] != '='; i++) {
        const char *c = strchr(al, s[i]);
        assert_non_null(c);
        v = (v << 6) | (unsigned)(c - al);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[k++] = (unsigned char)(v >> bits);
        }
    }
    return k;
}

/* Decode every encoded word of an encoded header value into out. */
static void decode(const char *enc, char *out, size_t cap)
{
    size_t k = 0;
    for (const char *w = strstr(enc, "=?UTF-8?B?"); w; w = strstr(w, "=?UTF-8?B?")) {
        w += 10;
        const char *end = strstr(w, "?=");
        assert_non_null(end);
        unsigned char buf[128];
        size_t n = b64dec(w, (size_t)(end - w), buf);
        assert_true(k + n < cap);
        memcpy(out + k, buf, n);
        k += n;
        w = end + 2;
    }
    out[k] = '\0';
}

static void test_header_plain(void **state)
{
    mh_pool_t *p = mh_pool_create();
    assert_string_equal(mh_mail_header_encode(p, "New feedback: order 42"),
                        "New feedback: order 42");
    /* control characters never reach a header (no header injection) */
    assert_string_equal(mh_mail_header_encode(p, "a\r\nBcc: x@y.z"), "a  Bcc: x@y.z");
    /* "=?" would be read as an encoded word: encoded */
    assert_memory_equal(mh_mail_header_encode(p, "=?x?="), "=?UTF-8?B?", 10);
    mh_pool_destroy(p);
}

static void test_header_chinese(void **state)
{
    mh_pool_t *p = mh_pool_create();
    const char *subj = "留言反馈：关于开发区企业服务中心办公时间和办理流程的咨询（第二次提交）";
    const char *e = mh_mail_header_encode(p, subj);
    assert_memory_equal(e, "=?UTF-8?B?", 10);
    /* folded lines of at most 76 characters, each word at most 75 */
    for (const char *l = e; *l;) {
        const char *nl = strstr(l, "\r\n");
        size_t len = nl ? (size_t)(nl - l) : strlen(l);
        assert_true(len <= 76);
        if (!nl)
            break;
        assert_true(nl[2] == ' '); /* continuation lines start with a space */
        l = nl + 2;
    }
    assert_non_null(strstr(e, "?=\r\n =?UTF-8?B?")); /* long enough to need several words */
    char back[512];
    decode(e, back, sizeof(back));
    assert_string_equal(back, subj);
    /* no word splits a character: each decodes to whole UTF-8 sequences */
    for (const char *w = strstr(e, "=?UTF-8?B?"); w; w = strstr(w + 1, "=?UTF-8?B?")) {
        const char *end = strstr(w + 10, "?=");
        unsigned char buf[128];
        size_t n = b64dec(w + 10, (size_t)(end - w - 10), buf);
        assert_true(n <= 45);
        assert_true((buf[0] & 0xc0) != 0x80);
        assert_true(n % 3 == 0); /* these are all three-byte characters */
    }
    mh_pool_destroy(p);
}

static void test_backoff(void **state)
{
    assert_int_equal(mh_mail_backoff(1, 60), 60);
    assert_int_equal(mh_mail_backoff(2, 60), 120);
    assert_int_equal(mh_mail_backoff(3, 60), 240);
    assert_int_equal(mh_mail_backoff(4, 60), 480);
    assert_int_equal(mh_mail_backoff(7, 60), 3840);
    assert_int_equal(mh_mail_backoff(9, 60), 15360);
    assert_int_equal(mh_mail_backoff(10, 60), MH_MAIL_RETRY_MAX); /* 30720 capped */
    assert_int_equal(mh_mail_backoff(60, 60), MH_MAIL_RETRY_MAX);
    assert_int_equal(mh_mail_backoff(1, 1), 1);
    assert_int_equal(mh_mail_backoff(3, 1), 4);
    assert_int_equal(mh_mail_backoff(1, 0), 1);
}

static void test_date_and_addresses(void **state)
{
    mh_pool_t *p = mh_pool_create();
    assert_string_equal(mh_mail_date(p, 1796540418), "Sun, 06 Dec 2026 07:00:18 +0000");
    assert_string_equal(mh_mail_date(p, 0), "Thu, 01 Jan 1970 00:00:00 +0000");
    assert_true(mh_mail_address_ok("office@example.gov.cn"));
    assert_false(mh_mail_address_ok("office@localhost"));
    assert_false(mh_mail_address_ok("a b@example.cn"));
    assert_false(mh_mail_address_ok("<a@example.cn>"));
    assert_false(mh_mail_address_ok("a@b@example.cn"));
    const char **v;
    size_t n;
    assert_true(mh_mail_split(p, " a@example.cn ,b@example.cn,, ", &v, &n));
    assert_int_equal(n, 2);
    assert_string_equal(v[0], "a@example.cn");
    assert_string_equal(v[1], "b@example.cn");
    assert_false(mh_mail_split(p, "a@example.cn, bad", &v, &n));
    assert_false(mh_mail_split(p, " , ", &v, &n));
    mh_pool_destroy(p);
}

static void test_format(void **state)
{
    mh_pool_t *p = mh_pool_create();
    mh_mail_msg_t m = {
        .from = "web@example.gov.cn",
        .from_name = "管委会",
        .to = "a@example.cn, b@example.cn",
        .subject = "新留言",
        .body = "第一行\n第二行\r\nend",
        .date = 0,
        .message_id = "x.1@example.gov.cn",
    };
    const char *t = mh_mail_format(p, &m);
    assert_non_null(t);
    assert_non_null(strstr(t, "From: =?UTF-8?B?"));
    assert_non_null(strstr(t, " <web@example.gov.cn>\r\n"));
    assert_non_null(strstr(t, "To: <a@example.cn>,\r\n <b@example.cn>\r\n"));
    assert_non_null(strstr(t, "Subject: =?UTF-8?B?5paw55WZ6KiA?=\r\n"));
    assert_non_null(strstr(t, "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"));
    assert_non_null(strstr(t, "Message-ID: <x.1@example.gov.cn>\r\n"));
    assert_non_null(strstr(t, "Content-Type: text/plain; charset=UTF-8\r\n"));
    const char *body = strstr(t, "\r\n\r\n");
    assert_non_null(body);
    body += 4;
    unsigned char out[256];
    char clean[256];
    size_t k = 0;
    for (const char *c = body; *c; c++)
        if (*c != '\r' && *c != '\n')
            clean[k++] = *c;
    size_t n = b64dec(clean, k, out);
    out[n] = '\0';
    assert_string_equal((char *)out, "第一行\r\n第二行\r\nend");
    /* an ASCII display name with specials is quoted */
    m.from_name = "Acme, \"Zone\" Office";
    t = mh_mail_format(p, &m);
    assert_non_null(strstr(t, "From: \"Acme, \\\"Zone\\\" Office\" <web@example.gov.cn>\r\n"));
    m.from_name = "Zone Office";
    t = mh_mail_format(p, &m);
    assert_non_null(strstr(t, "From: Zone Office <web@example.gov.cn>\r\n"));
    /* no bare LF anywhere */
    for (const char *c = t; *c; c++)
        if (*c == '\n')
            assert_true(c > t && c[-1] == '\r');
    mh_pool_destroy(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_plain), cmocka_unit_test(test_header_chinese),
        cmocka_unit_test(test_backoff),      cmocka_unit_test(test_date_and_addresses),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
