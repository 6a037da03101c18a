/* MD5 (RFC 1321), only to check passwords imported from systems that
 * stored unsalted md5(password) (MetInfo's met_admin_table). Never used to
 * store anything new: such hashes are replaced with argon2id at the next
 * successful sign-in (content/accounts.c). */
#ifndef MH_AUTH_MD5_H
#define MH_AUTH_MD5_H

#include <stddef.h>

/* The digest of data[0..len) as 32 lower-case hex digits and a NUL. */
void mh_md5_hex(const void *data, size_t len, char out[33]);

#endif
