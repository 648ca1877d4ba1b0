/* SHA-256 of a file's bytes, by OpenSSL's libcrypto: it uses the CPU's SHA extensions
 * where there are any (about 1.7 GB/s here against libsodium's ~0.2 GB/s), which keeps
 * hashing an import's file well under the time to parse it. */
#ifndef S75_SHA256_H
#define S75_SHA256_H

#include <stddef.h>

typedef struct s75_sha256 s75_sha256;

s75_sha256 *s75_sha256_new(void);
void s75_sha256_update(s75_sha256 *h, const void *data, size_t len);
/* Writes the digest as 64 lower-case hex digits and a NUL into hex[65]; frees h. */
void s75_sha256_final_hex(s75_sha256 *h, char hex[65]);
/* Frees a hash that was not finished (NULL is fine). */
void s75_sha256_free(s75_sha256 *h);
/* Writes a digest as 64 lower-case hex digits and a NUL into hex[65]. */
void s75_sha256_hex(char hex[65], const unsigned char md[32]);
/* The digest of one buffer, in raw bytes. */
void s75_sha256_bytes(unsigned char out[32], const void *data, size_t len);

#endif
