/* fuzz_dav_headers.c: libFuzzer harness for the CardDAV request headers and names: Depth, If-Match (req_if_match), hrefs, resource names, Basic credentials, sync-tokens (lib/dav.h, lib/http.h). */
/*
 * The input is  Depth \0 If-Match \0 href \0 resource name \0 Authorization
 * \0 sync-token \0 text; each goes through the public function that
 * cgi-bin/carddav.c hands it to, and the round trips the names promise are
 * checked (a name made by dav_name_of parses back to what it names).
 * carddav.c's own If-Match / If-None-Match list matcher (etag_listed) is
 * static there and not reached from here.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dav.h"
#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *field(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *nul = memchr(*p, 0, (size_t)(end - *p));
	size_t n = nul ? (size_t)(nul - *p) : (size_t)(end - *p);
	char *s = strndup((const char *)*p, n);
	*p += n + (nul ? 1 : 0);
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena a;
	const uint8_t *p = data, *end = data + size;
	char *depth = field(&p, end), *im = field(&p, end), *href = field(&p, end);
	char *name = field(&p, end), *authz = field(&p, end), *token = field(&p, end);
	char *text = field(&p, end);
	const char *uid, *user, *pass, *path;
	long long id, seq;
	struct req r;

	/* Depth */
	int d = dav_depth(depth, 1);
	if (d != -1 && d != 0 && d != 1)
		__builtin_trap();
	if (dav_depth(NULL, 0) != 0)
		__builtin_trap();

	/* If-Match, as the request layer reads it (the environment in CGI mode) */
	memset(&r, 0, sizeof(r));
	arena_init(&r.arena);
	setenv("HTTP_IF_MATCH", im, 1);
	long long n = req_if_match(&r);
	if (n < -2)
		__builtin_trap();
	unsetenv("HTTP_IF_MATCH");
	arena_reset(&r.arena);

	/* href: an absolute path, percent-decoded, or nothing */
	path = dav_href_path(&a, href);
	if (path && (path[0] != '/' || strlen(path) > strlen(href)))
		__builtin_trap();

	/* resource names, and the one-to-one mapping */
	if (dav_name_parse(&a, name, &uid, &id)) {
		/* "_<id>.vcf" names an entry by id; otherwise a direct UID */
		if (id <= 0 && (uid == NULL || !dav_uid_direct(uid) ||
			   strcmp(dav_name_of(&a, uid, 1), name) != 0))
			__builtin_trap();
	}
	{
		const char *made = dav_name_of(&a, text, 42);
		if (!dav_name_parse(&a, made, &uid, &id))
			__builtin_trap();
		if (dav_uid_direct(text) ? (uid == NULL || strcmp(uid, text) != 0) : id != 42)
			__builtin_trap();
		if (strlen(made) > DAV_NAME_MAX)
			__builtin_trap();
	}

	/* Basic credentials */
	if (dav_basic_parse(authz, &a, &user, &pass) && (user == NULL || pass == NULL))
		__builtin_trap();

	/* sync-tokens round trip */
	if (dav_token_parse(token, &seq)) {
		const char *again = dav_token_format(&a, seq);
		long long seq2;
		if (!dav_token_parse(again, &seq2) || seq2 != seq)
			__builtin_trap();
	}
	(void)dav_etag(&a, n > 0 ? n : 0);
	(void)dav_http_date(&a, text);
	(void)dav_digits(&a, text);
	for (int m = 0; m < DAV_MATCH__MAX; m++)
		for (int c = 0; c < DAV_COLL__MAX; c++)
			(void)dav_text_match(text, href, (enum dav_match)m, (enum dav_collation)c);

	arena_reset(&a);
	free(depth);
	free(im);
	free(href);
	free(name);
	free(authz);
	free(token);
	free(text);
	return 0;
}
