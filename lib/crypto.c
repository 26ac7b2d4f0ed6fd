/* crypto.c: random tokens, SHA-256, HMAC and Argon2id through libsodium. */
#include "crypto.h"

#include <string.h>

#include <sodium.h>

#define PW_OPSLIMIT 2
#define PW_MEMLIMIT (19u * 1024u * 1024u)

int crypto_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

char *token_new(struct arena *a, size_t nbytes)
{
	unsigned char buf[64];
	size_t cap;
	char *out;

	if (nbytes > sizeof(buf))
		nbytes = sizeof(buf);
	randombytes_buf(buf, nbytes);
	cap = sodium_base64_ENCODED_LEN(nbytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	out = arena_alloc(a, cap);
	sodium_bin2base64(out, cap, buf, nbytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(buf, sizeof(buf));
	return out;
}

char *sha256_hex(struct arena *a, const void *data, size_t len)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char *out = arena_alloc(a, sizeof(h) * 2 + 1);
	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(out, sizeof(h) * 2 + 1, h, sizeof(h));
	return out;
}

char *token_hash(struct arena *a, const char *secret)
{
	return sha256_hex(a, secret, strlen(secret));
}

char *hmac_sha256_hex(struct arena *a, const char *key, const void *data, size_t len)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	char *out = arena_alloc(a, sizeof(mac) * 2 + 1);

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, strlen(key));
	crypto_auth_hmacsha256_update(&st, data, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, sizeof(mac) * 2 + 1, mac, sizeof(mac));
	return out;
}

char *digits_new(struct arena *a, size_t n)
{
	char *out = arena_alloc(a, n + 1);
	for (size_t i = 0; i < n; i++)
		out[i] = (char)('0' + randombytes_uniform(10));
	return out;
}

char *password_hash(struct arena *a, const char *password)
{
	char *out = arena_alloc(a, crypto_pwhash_STRBYTES);
	if (crypto_pwhash_str_alg(out, password, strlen(password), PW_OPSLIMIT,
				  PW_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return NULL;
	return out;
}

int password_verify(const char *stored, const char *password)
{
	if (stored == NULL || password == NULL)
		return 0;
	return crypto_pwhash_str_verify(stored, password, strlen(password)) == 0;
}

int secure_equal(const char *x, const char *y)
{
	size_t n = strlen(x);
	if (n != strlen(y))
		return 0;
	return sodium_memcmp(x, y, n) == 0;
}
