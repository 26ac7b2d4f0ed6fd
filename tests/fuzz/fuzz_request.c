/* fuzz_request.c: libFuzzer harness for the request layer (lib/http.c req_handle): path, query string, cookies, urlencoded and JSON bodies, and every declared input type. */
/*
 * One input is one request, laid out as
 *
 *   byte 0   route (bits 0-2), content type (bits 3-5), whether the path
 *            comes as REQUEST_URI (percent-decoded by req_handle) or as
 *            DOCUMENT_URI (bit 6), a Content-Length one longer than the body
 *            (bit 7: the short-body path)
 *   then     path \0 query \0 Cookie header \0 X-CSRF-Token \0 body
 *
 * and goes through req_handle() exactly as a FastCGI worker would hand it
 * over (lib/app.c one_request): the cookies and query string are read from
 * the environment, the body through the cgiwrap callbacks, then the body
 * check, CSRF and the validation of every declared input run, and the
 * handler checks what it was given. Multipart bodies are left to
 * fuzz_multipart.c (they must pass http_multipart_check first). The database
 * is one that never connects: a session cookie is renamed so that
 * auth_resolve never queries it, and bearer tokens are not sent.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "config.h"
#include "http.h"
#include "tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
enum err req_handle(struct req *r, const struct route *routes);

static const char *const colours[] = {"red", "green", "blue", NULL};

/* every input type, from the body and from the query string */
static const struct input form_inputs[] = {
	{"text", IN_TEXT, SRC_BODY, 0, 1, 40, NULL},
	{"password", IN_PASSWORD, SRC_BODY, 0, 8, 64, NULL},
	{"email", IN_EMAIL, SRC_BODY, 0, 0, 0, NULL},
	{"phone", IN_PHONE, SRC_BODY, 0, 0, 0, NULL},
	{"url", IN_URL, SRC_BODY, 0, 0, 0, NULL},
	{"n", IN_INT, SRC_BODY, 0, -5, 1000, NULL},
	{"flag", IN_BOOL, SRC_BODY, 0, 0, 0, NULL},
	{"token", IN_TOKEN, SRC_BODY, 0, 4, 32, NULL},
	{"colour", IN_ENUM, SRC_BODY, 0, 0, 0, colours},
	{"tags", IN_STRLIST, SRC_BODY, 0, 0, 20, NULL},
	{"next", IN_TEXT, SRC_QUERY, 0, 0, 200, NULL},
	{"page", IN_INT, SRC_QUERY, 0, 1, 99, NULL},
	{NULL, 0, 0, 0, 0, 0, NULL},
};

static const struct input json_inputs[] = {
	{"text", IN_TEXT, SRC_BODY, 1, 1, 40, NULL},
	{"password", IN_PASSWORD, SRC_BODY, 0, 8, 64, NULL},
	{"email", IN_EMAIL, SRC_BODY, 0, 0, 0, NULL},
	{"phone", IN_PHONE, SRC_BODY, 0, 0, 0, NULL},
	{"url", IN_URL, SRC_BODY, 0, 0, 0, NULL},
	{"n", IN_INT, SRC_BODY, 0, -5, 1000, NULL},
	{"flag", IN_BOOL, SRC_BODY, 0, 0, 0, NULL},
	{"token", IN_TOKEN, SRC_BODY, 0, 4, 32, NULL},
	{"colour", IN_ENUM, SRC_BODY, 0, 0, 0, colours},
	{"tags", IN_STRLIST, SRC_BODY, 0, 0, 20, NULL},
	{"extra", IN_JSON, SRC_BODY, 0, 0, 0, NULL},
	{"cursor", IN_TOKEN, SRC_QUERY, 0, 1, 64, NULL},
	{NULL, 0, 0, 0, 0, 0, NULL},
};

static const struct input query_inputs[] = {
	{"q", IN_TEXT, SRC_QUERY, 0, 0, 100, NULL},
	{"limit", IN_INT, SRC_QUERY, 0, 1, 500, NULL},
	{"lang", IN_ENUM, SRC_QUERY, 0, 0, 0, colours},
	{"ids", IN_STRLIST, SRC_QUERY, 0, 0, 12, NULL},
	{NULL, 0, 0, 0, 0, 0, NULL},
};

static int utf8_ok(const char *s)
{
	/* the same rule the validators apply; a value that passed must hold it */
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int n = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 :
			(*p & 0xF8) == 0xF0 ? 3 : -1;
		if (n < 0)
			return 0;
		p++;
		while (n--)
			if ((*p++ & 0xC0) != 0x80)
				return 0;
	}
	return 1;
}

/* the handler of every route: what validation let through must be what the
 * declared inputs promise */
static enum err h_check(struct req *r)
{
	const struct input *ins = r->route->inputs;

	for (size_t i = 0; ins && ins[i].name; i++) {
		const struct value *v = &r->in[i];
		if (!v->present)
			continue;
		switch (ins[i].type) {
		case IN_TEXT:
			if (v->str == NULL || !utf8_ok(v->str) ||
			    (ins[i].max && (long long)strlen(v->str) > ins[i].max))
				__builtin_trap();
			break;
		case IN_INT:
			if (v->num < ins[i].min || v->num > ins[i].max)
				__builtin_trap();
			break;
		case IN_BOOL:
			if (v->num != 0 && v->num != 1)
				__builtin_trap();
			break;
		case IN_TOKEN:
			for (const char *p = v->str; *p; p++)
				if (!(*p == '-' || *p == '_' || (*p >= '0' && *p <= '9') ||
				      (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
					__builtin_trap();
			break;
		case IN_ENUM:
			if (v->num < 0 || v->num > 2 || strcmp(v->str, colours[v->num]) != 0)
				__builtin_trap();
			break;
		case IN_STRLIST:
			if (v->n_list > 101)
				__builtin_trap();
			for (size_t k = 0; k < v->n_list; k++)
				if (v->list[k] == NULL || !utf8_ok(v->list[k]))
					__builtin_trap();
			break;
		case IN_EMAIL:
		case IN_PHONE:
		case IN_URL:
		case IN_PASSWORD:
			if (v->str == NULL || !utf8_ok(v->str))
				__builtin_trap();
			break;
		default:
			break;
		}
	}
	(void)req_cookie(r, CSRF_COOKIE);
	(void)req_cookie(r, "lc_lang");
	(void)req_limit(r);
	(void)req_if_match(r);
	return req_no_content(r);
}

static const struct route routes[] = {
	{"POST", "/form", AUTH_NONE, BODY_FORM, form_inputs, h_check},
	{"POST", "/api/v1/json", AUTH_NONE, BODY_JSON, json_inputs, h_check},
	{"GET", "/q/{id}/{token}", AUTH_NONE, BODY_NONE, query_inputs, h_check},
	{"PATCH", "/api/v1/item/{id}", AUTH_NONE, BODY_JSON, json_inputs, h_check},
	{"POST", "/upload/{side}", AUTH_NONE, BODY_UPLOAD, form_inputs, h_check},
	{"PUT", "/dav/{id}/book/{name}.vcf", AUTH_NONE, BODY_VCARD, query_inputs, h_check},
	{"POST", "/needs-user", AUTH_USER, BODY_FORM, form_inputs, h_check},
	{"GET", "/c/{token}.vcf", AUTH_NONE, BODY_NONE, query_inputs, h_check},
	{NULL, NULL, 0, 0, NULL, NULL},
};

static const char *const ctypes[] = {
	"application/x-www-form-urlencoded",
	"application/json",
	"application/x-www-form-urlencoded; charset=UTF-8",
	"application/json; charset=utf-8",
	"text/vcard",
	"text/plain",
	NULL,		/* no Content-Type */
	"APPLICATION/X-WWW-FORM-URLENCODED",
};

/* the body of the request being handled, read through cgiwrap */
static const char *body_p;
static size_t body_left;

static int emu_read(void *d, char *buf, int len)
{
	size_t n = body_left < (size_t)len ? body_left : (size_t)len;
	(void)d;
	memcpy(buf, body_p, n);
	body_p += n;
	body_left -= n;
	return (int)n;
}

static int emu_writef(void *d, const char *fmt, va_list ap)
{
	(void)d, (void)fmt, (void)ap;
	return 0;
}

static int emu_write(void *d, const char *buf, int len)
{
	(void)d, (void)buf;
	return len;
}

static char *emu_getenv(void *d, const char *name)
{
	const char *v = getenv(name);
	(void)d;
	return v ? strdup(v) : NULL;
}

static int emu_putenv(void *d, const char *name, const char *value)
{
	(void)d, (void)name, (void)value;
	return 0;
}

extern char **environ;

static int emu_iterenv(void *d, int n, char **name, char **value)
{
	(void)d;
	*name = *value = NULL;
	for (int i = 0; environ[i]; i++) {
		if (i == n) {
			const char *eq = strchr(environ[i], '=');
			if (eq == NULL)
				return 0;
			*name = strndup(environ[i], (size_t)(eq - environ[i]));
			*value = strdup(eq + 1);
			return 0;
		}
	}
	return 0;
}

static FILE *devnull;
static struct db *nodb;	/* never connected: req_handle only asks it about transactions */

static void init_once(void)
{
	if (devnull)
		return;
	if (getenv("LIVECARD_CONF") == NULL)
		setenv("LIVECARD_CONF", "conf/livecard.hdf", 1);
	if (config_load(NULL) != 0 || tmpl_init() != 0) {
		fprintf(stderr, "fuzz_request: run from the source tree (conf/, templates/)\n");
		abort();
	}
	cfg.db_host = NULL;
	cfg.db_port = 0;
	cfg.db_socket = "/nonexistent/livecard-fuzz.sock";
	(void)db_open(&nodb);	/* fails to connect, and that is wanted */
	if (nodb == NULL)
		abort();
	cgiwrap_init_emu(NULL, emu_read, emu_writef, emu_write, emu_getenv, emu_putenv, emu_iterenv);
	devnull = fopen("/dev/null", "w");
	unsetenv("HTTP_AUTHORIZATION");
	unsetenv("HTTP_X_FORWARDED_FOR");
	setenv("REMOTE_ADDR", "192.0.2.7", 1);
	setenv("HTTP_ACCEPT_LANGUAGE", "zh-CN,en;q=0.5", 1);
}

/* next field: up to the next NUL (or the end) */
static char *field(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *nul = memchr(*p, 0, (size_t)(end - *p));
	size_t n = nul ? (size_t)(nul - *p) : (size_t)(end - *p);
	char *s = strndup((const char *)*p, n);
	*p += n + (nul ? 1 : 0);
	return s;
}

static void set_or_unset(const char *name, const char *v)
{
	if (v && *v)
		setenv(name, v, 1);
	else
		unsetenv(name);
}

/* the Content-Type to send instead of ctypes[] (fuzz_multipart.c) */
static const char *ct_override;

/* run_one: one request through req_handle, as lib/app.c one_request does it */
static void run_one(unsigned sel, const char *path, const char *query, char *cookie,
		    const char *csrf, const uint8_t *body, size_t body_len)
{
	const struct route *rt = &routes[sel & 7];
	const char *ct = ct_override ? ct_override : ctypes[(sel >> 3) & 7];
	struct req r;
	char clen[32];
	enum err e;

	init_once();
	/* no database here: the session cookie must not reach auth_resolve */
	for (char *s = cookie; (s = strcasestr(s, SESSION_COOKIE)) != NULL; s++)
		s[0] = 'X';
	setenv("REQUEST_METHOD", rt->method, 1);
	if (sel & 0x40) {
		char *uri = malloc(strlen(path) + strlen(query) + 2);
		sprintf(uri, "%s?%s", path, query);
		setenv("REQUEST_URI", uri, 1);
		unsetenv("DOCUMENT_URI");
		free(uri);
	} else {
		set_or_unset("DOCUMENT_URI", path);
		unsetenv("REQUEST_URI");
	}
	set_or_unset("QUERY_STRING", query);
	set_or_unset("HTTP_COOKIE", cookie);
	set_or_unset("HTTP_X_CSRF_TOKEN", csrf);
	set_or_unset("CONTENT_TYPE", ct);
	body_p = (const char *)body;
	body_left = body_len;
	snprintf(clen, sizeof(clen), "%zu", body_len + ((sel & 0x80) ? 1 : 0));
	setenv("CONTENT_LENGTH", clen, 1);

	memset(&r, 0, sizeof(r));
	arena_init(&r.arena);
	r.out_file = devnull;
	r.db = nodb;
	e = req_handle(&r, routes);
	if (e != ERR_OK || !r.responded) {
		if (r.hdf == NULL)
			hdf_init(&r.hdf);
		req_error(&r, e == ERR_OK ? ERR_INTERNAL : e);
	}
	req_cleanup(&r);	/* the upload streams, as one_request closes them */
	if (r.json)
		json_decref(r.json);
	if (r.hdf)
		hdf_destroy(&r.hdf);
	arena_reset(&r.arena);
}

#if defined(FUZZ_MULTIPART)
/* fuzz_multipart.c: Content-Type \0 body; only what http_multipart_check
 * accepts goes on to ClearSilver's parser, through the request layer */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	char *ct = field(&p, end);
	char cookie[] = "lc_csrf=AbCdEfGhIjKlMnOpQrStUv";
	size_t blen = (size_t)(end - p);

	if (http_multipart_check(ct, (const char *)p, blen, 64) == ERR_OK) {
		ct_override = ct;
		/* POST /upload/{side} (BODY_UPLOAD) and POST /form (BODY_FORM) */
		run_one((blen & 1) ? 4 : 0, (blen & 1) ? "/upload/front" : "/form", "",
			cookie, "AbCdEfGhIjKlMnOpQrStUv", p, blen);
		ct_override = NULL;
	}
	free(ct);
	return 0;
}
#elif defined(FUZZ_JSON_BODY)
/* fuzz_json.c: the whole input is the body of a JSON request */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char cookie[] = "";
	/* route 1 (POST /api/v1/json) or 3 (PATCH /api/v1/item/{id}), JSON */
	if (size > 0 && (data[0] & 1))
		run_one(3 | (3 << 3), "/api/v1/item/42", "cursor=abc", cookie, "", data, size);
	else
		run_one(1 | (1 << 3), "/api/v1/json", "", cookie, "", data, size);
	return 0;
}
#else
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data + 1, *end = data + size;

	if (size < 1)
		return 0;
	char *path = field(&p, end);
	char *query = field(&p, end);
	char *cookie = field(&p, end);
	char *csrf = field(&p, end);
	run_one(data[0], path, query, cookie, csrf, p, (size_t)(end - p));
	free(path);
	free(query);
	free(cookie);
	free(csrf);
	return 0;
}
#endif
