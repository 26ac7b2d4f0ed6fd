/* crypto.h: random tokens, hashes and password hashing (libsodium). */
#ifndef LIVECARD_CRYPTO_H
#define LIVECARD_CRYPTO_H

#include <stddef.h>

#include "arena.h"

/* crypto_init: initialise libsodium once per process; 0 on success. */
int crypto_init(void);

/* token_new: nbytes random bytes as unpadded base64url (in a). 16 bytes
 * give 128 bits in 22 characters, 32 bytes 43 characters. */
char *token_new(struct arena *a, size_t nbytes);

/* token_hash: SHA-256 of a secret as 64 lower-case hex digits (in a); what
 * the database stores instead of the secret. */
char *token_hash(struct arena *a, const char *secret);

/* digits_new: n random decimal digits (SMS codes), in a. */
char *digits_new(struct arena *a, size_t n);

/* sha256_hex: SHA-256 of bytes as hex (in a). */
char *sha256_hex(struct arena *a, const void *data, size_t len);

/* hmac_sha256_hex: HMAC-SHA256(key, data) as hex (in a). */
char *hmac_sha256_hex(struct arena *a, const char *key, const void *data, size_t len);

/* password_hash: Argon2id string (m = 19 MiB, t = 2, p = 1) in a, or NULL
 * when memory is short. */
char *password_hash(struct arena *a, const char *password);

/* password_verify: 1 when password matches the stored Argon2id string. */
int password_verify(const char *stored, const char *password);

/* secure_equal: constant-time comparison of two NUL-terminated strings. */
int secure_equal(const char *a, const char *b);

#endif
