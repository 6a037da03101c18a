/* MD5 against RFC 1321's test suite, and block boundaries (55, 56, 64
 * bytes: the padding takes one or two blocks). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "auth/md5.h"

static void check(const char *in, size_t len, const char *want)
{
    char got[33];
    mh_md5_hex(in, len, got);
    assert_string_equal(got, want);
}

static void test_rfc1321(void **state)
{
    (void)state;
    check("", 0, "d41d8cd98f00b204e9800998ecf8427e");
    check("a", 1, "0cc175b9c0f1b6a831c399e269772661");
    check("abc", 3, "900150983cd24fb0d6963f7d28e17f72");
    check("message digest", 14, "f96b697d7cb7938d525a2f31aaf161d0");
    check("abcdefghijklmnopqrstuvwxyz", 26, "c3fcd3d76192e4007dfb496cca67e13b");
    const char *d = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    check(d, strlen(d), "d174ab98d277d9f5a5611c2c9f419d9f");
    const char *n = "1234567890123456789012345678901234567890"
                    "1234567890123456789012345678901234567890";
    check(n, strlen(n), "57edf4a22be3c955ac49da2e2107b67a");
}

static void test_boundaries(void **state)
{
    (void)state;
    char buf[65];
    memset(buf, 'x', sizeof(buf));
    /* md5sum of 55, 56 and 64 'x' bytes */
    check(buf, 55, "04364420e25c512fd958a70738aa8f72");
    check(buf, 56, "668a72d5ba17f08e62dabcafad6db14b");
    check(buf, 64, "c1bb4f81d892b2d57947682aeb252456");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc1321),
        cmocka_unit_test(test_boundaries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
