#include <openssl/evp.h>
#include <sodium.h>
#include <stdlib.h>

#include "sha256.h"

struct s75_sha256 {
	EVP_MD_CTX *ctx;
};

s75_sha256 *s75_sha256_new(void)
{
	s75_sha256 *h = malloc(sizeof(*h));
	if (!h || !(h->ctx = EVP_MD_CTX_new()) || !EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL))
		abort(); /* out of memory: as xmalloc */
	return h;
}

void s75_sha256_update(s75_sha256 *h, const void *data, size_t len)
{
	if (len && !EVP_DigestUpdate(h->ctx, data, len))
		abort();
}

void s75_sha256_hex(char hex[65], const unsigned char md[32])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
}

void s75_sha256_final_hex(s75_sha256 *h, char hex[65])
{
	unsigned char md[32];
	unsigned int n = 0;
	if (!EVP_DigestFinal_ex(h->ctx, md, &n) || n != 32)
		abort();
	s75_sha256_hex(hex, md);
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

void s75_sha256_free(s75_sha256 *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

/* libsodium's, not OpenSSL's: a report hashes only its agreement (a few kB), and OpenSSL's
 * first digest fetches its provider (about 4 M instructions, more than hashing 100 kB) */
void s75_sha256_bytes(unsigned char out[32], const void *data, size_t len)
{
	crypto_hash_sha256(out, data, len);
}
