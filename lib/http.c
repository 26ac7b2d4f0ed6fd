/* http.c: one request from environment to response: route, body, inputs, auth, answer. */
#include "http.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fcgiapp.h>

#include "account.h"
#include "auth.h"
#include "config.h"
#include "contact.h"
#include "log.h"
#include "tmpl.h"

/* --- output -------------------------------------------------------------*/

static void out_write(struct req *r, const void *data, size_t len)
{
	if (len == 0)
		return;
	if (r->fcgx)
		FCGX_PutStr(data, (int)len, ((FCGX_Request *)r->fcgx)->out);
	else if (r->out_file)
		fwrite(data, 1, len, r->out_file);
}

static void out_str(struct req *r, const char *s)
{
	out_write(r, s, strlen(s));
}

void req_add_header(struct req *r, const char *fmt, ...)
{
	va_list ap;
	char buf[2048];

	if (r->n_headers >= REQ_MAX_HEADERS) {
		log_error("http: too many response headers");
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* a header value never carries a line break */
	for (char *p = buf; *p; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	r->headers[r->n_headers++] = arena_strdup(&r->arena, buf);
}

static void send_head(struct req *r, int status, const char *ctype, size_t len)
{
	char line[256];
	enum err e = ERR_OK;

	for (int i = 0; i < ERR__MAX; i++)
		if (err_status((enum err)i) == status)
			e = (enum err)i;
	const char *reason = status == 200 ? "OK" : status == 201 ? "Created" :
			     status == 202 ? "Accepted" : status == 204 ? "No Content" :
			     status == 207 ? "Multi-Status" :
			     status == 301 ? "Moved Permanently" : status == 303 ? "See Other" :
			     status == 304 ? "Not Modified" : err_reason(e);
	snprintf(line, sizeof(line), "Status: %d %s\r\n", status, reason);
	out_str(r, line);
	if (ctype) {
		snprintf(line, sizeof(line), "Content-Type: %s\r\n", ctype);
		out_str(r, line);
	}
	if (status != 204 && status != 304 && len != SIZE_MAX) {
		snprintf(line, sizeof(line), "Content-Length: %zu\r\n", len);
		out_str(r, line);
	}
	out_str(r, "X-Content-Type-Options: nosniff\r\n");
	out_str(r, "Referrer-Policy: same-origin\r\n");
	if (!r->is_api)
		out_str(r, "X-Frame-Options: DENY\r\n");
	for (size_t i = 0; i < r->n_headers; i++) {
		out_str(r, r->headers[i]);
		out_str(r, "\r\n");
	}
	out_str(r, "\r\n");
	r->responded = 1;
	r->status = status;
}

enum err req_raw(struct req *r, int status, const char *ctype, const void *data, size_t len)
{
	send_head(r, status, ctype, len);
	if (strcmp(r->method, "HEAD") != 0)
		out_write(r, data, len);
	return ERR_OK;
}

void req_stream_begin(struct req *r, int status, const char *ctype)
{
	send_head(r, status, ctype, SIZE_MAX);
}

int req_stream_write(struct req *r, const void *data, size_t n)
{
	if (n == 0 || strcmp(r->method, "HEAD") == 0)
		return 0;
	if (r->fcgx)
		return FCGX_PutStr(data, (int)n, ((FCGX_Request *)r->fcgx)->out) == (int)n ? 0 : -1;
	if (r->out_file)
		return fwrite(data, 1, n, r->out_file) == n ? 0 : -1;
	return 0;
}

enum err req_json_text(struct req *r, int status, const char *text, size_t len)
{
	if (text == NULL)
		return req_fail(r, ERR_INTERNAL, NULL, NULL, "cannot encode JSON");
	if (!r->is_api || r->n_headers < REQ_MAX_HEADERS)
		req_add_header(r, "Cache-Control: no-store");
	return req_raw(r, status, "application/json", text, len);
}

enum err req_json(struct req *r, int status, json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(body);
	enum err e = req_json_text(r, status, text, text ? strlen(text) : 0);
	free(text);
	return e;
}

enum err req_html(struct req *r, int status, const char *tmpl)
{
	STRING s;
	enum err e;

	string_init(&s);
	e = tmpl_render(r, tmpl, &s);
	if (e != ERR_OK) {
		string_clear(&s);
		return req_fail(r, e, "template", NULL, "cannot render page");
	}
	req_add_header(r, "Cache-Control: no-store");
	req_add_header(r, "Content-Security-Policy: default-src 'self'; img-src 'self' data:; "
			  "style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'");
	req_raw(r, status, "text/html; charset=utf-8", s.buf ? s.buf : "", (size_t)s.len);
	string_clear(&s);
	return ERR_OK;
}

enum err req_redirect(struct req *r, const char *location)
{
	req_add_header(r, "Location: %s", location);
	return req_raw(r, 303, "text/plain; charset=utf-8", "", 0);
}

enum err req_no_content(struct req *r)
{
	send_head(r, 204, NULL, 0);
	return ERR_OK;
}

enum err req_fail(struct req *r, enum err e, const char *code, const char *field,
		  const char *message)
{
	r->ei.err = e;
	r->ei.code = code ? code : err_default_code(e);
	r->ei.field = field;
	r->ei.message = message;
	return e;
}

static const char *pick_locale(struct req *r);

void req_error(struct req *r, enum err e)
{
	int status = err_status(e);

	if (r->responded)
		return;
	if (r->ei.err != e) {
		r->ei.err = e;
		r->ei.code = err_default_code(e);
		r->ei.field = NULL;
		r->ei.message = NULL;
	}
	if (e == ERR_TOO_MANY && r->ei.retry_after > 0)
		req_add_header(r, "Retry-After: %d", r->ei.retry_after);
	if (e == ERR_UNAVAILABLE)
		req_add_header(r, "Retry-After: 5");
	if (e >= ERR_INTERNAL)
		log_error("http: %s %s -> %d %s", r->method, r->path, status,
			  r->ei.code ? r->ei.code : "");
	if (r->is_api) {
		json_t *err = json_object();
		json_object_set_new(err, "code", json_string(r->ei.code ? r->ei.code : err_default_code(e)));
		json_object_set_new(err, "message", json_string(r->ei.message ? r->ei.message : err_reason(e)));
		if (r->ei.field)
			json_object_set_new(err, "field", json_string(r->ei.field));
		json_t *body = json_object();
		json_object_set_new(body, "error", err);
		req_json(r, status, body);
		return;
	}
	if (r->locale == NULL && r->hdf) {
		/* failed before the language was chosen (no route, bad body):
		 * the error page still speaks the visitor's language */
		r->locale = pick_locale(r);
	}
	req_setf(r, "Error.Status", "%d", status);
	req_set(r, "Error.Code", r->ei.code ? r->ei.code : err_default_code(e));
	req_set(r, "Error.Field", r->ei.field);
	if (r->hdf == NULL || req_html(r, status, "error.cs") != ERR_OK) {
		/* the template failed: a minimal page, still in the visitor's language */
		const char *loc = r->locale ? r->locale : tmpl_locale(cfg.default_locale);
		const char *t = tmpl_text(loc, "ErrorPage.Title");
		char *page = arena_printf(&r->arena,
					  "<!DOCTYPE html><html lang=\"%s\"><title>%s</title><p>%s %d</p></html>",
					  loc, t, t, status);
		r->n_headers = 0;
		req_raw(r, status, "text/html; charset=utf-8", page, strlen(page));
	}
}

/* --- small helpers ------------------------------------------------------*/

void req_set(struct req *r, const char *name, const char *value)
{
	if (value)
		hdf_set_value(r->hdf, name, value);
}

void req_setf(struct req *r, const char *name, const char *fmt, ...)
{
	va_list ap;
	char buf[1024];
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	hdf_set_value(r->hdf, name, buf);
}

const char *req_env(struct req *r, const char *name)
{
	if (r->fcgx)
		return FCGX_GetParam(name, ((FCGX_Request *)r->fcgx)->envp);
	return getenv(name);
}

const char *req_cookie(struct req *r, const char *name)
{
	char key[128];
	snprintf(key, sizeof(key), "Cookie.%s", name);
	return hdf_get_value(r->hdf, key, NULL);
}

void req_set_cookie(struct req *r, const char *name, const char *value, long max_age)
{
	if (max_age < 0)
		req_add_header(r, "Set-Cookie: %s=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax%s",
			       name, r->https ? "; Secure" : "");
	else
		req_add_header(r, "Set-Cookie: %s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Lax%s",
			       name, value, max_age, r->https ? "; Secure" : "");
}

const char *req_url(struct req *r, const char *path)
{
	return arena_printf(&r->arena, "%s%s", cfg.base_url, path);
}

long long req_if_match(struct req *r)
{
	const char *h = req_env(r, "HTTP_IF_MATCH");
	char *end;
	long long n;

	if (h == NULL || *h == '\0')
		return -1;
	if (*h == 'W' && h[1] == '/')
		h += 2;
	if (*h == '"')
		h++;
	errno = 0;
	n = strtoll(h, &end, 10);
	if (errno || end == h || n < 0 || (*end != '"' && *end != '\0'))
		return -2;
	return n;
}

const struct value *req_input(struct req *r, const char *name)
{
	const struct input *ins = r->route ? r->route->inputs : NULL;
	for (size_t i = 0; ins && ins[i].name && i < REQ_MAX_INPUTS; i++)
		if (strcmp(ins[i].name, name) == 0)
			return r->in[i].present ? &r->in[i] : NULL;
	return NULL;
}

long long req_limit(struct req *r)
{
	/* the route's declared "limit" (IN_INT, validated), never Query.* */
	const struct value *v = req_input(r, "limit");
	if (v == NULL)
		return 50;
	return v->num > 500 ? 500 : v->num < 1 ? 1 : v->num;
}

const char *json_time(struct arena *a, const char *t)
{
	/* MariaDB gives "YYYY-MM-DD HH:MM:SS[.ffffff]"; the session is UTC */
	if (t == NULL || strlen(t) < 19)
		return NULL;
	char *s = arena_strndup(a, t, 20);
	s[10] = 'T';
	s[19] = 'Z';
	return s;
}

/* --- routing ------------------------------------------------------------*/

static int token_char(int c)
{
	return isalnum(c) || c == '-' || c == '_';
}

/* match_param: check one path segment value against the param's kind. */
static int match_param(const char *kind, size_t klen, const char *v, size_t vlen, long long *num)
{
	*num = 0;
	if (klen == 3 && memcmp(kind, "seg", 3) == 0) {
		/* any one decoded path segment; the handler judges the name */
		if (vlen == 0 || vlen > 255)
			return 0;
		for (size_t i = 0; i < vlen; i++)
			if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
				return 0;
		return 1;
	}
	if (vlen == 0 || vlen > 128)
		return 0;
	if ((klen == 2 && memcmp(kind, "id", 2) == 0) || (klen == 1 && kind[0] == 'n')) {
		if (vlen > 18)
			return 0;
		for (size_t i = 0; i < vlen; i++) {
			if (!isdigit((unsigned char)v[i]))
				return 0;
			*num = *num * 10 + (v[i] - '0');
		}
		return *num > 0 || (klen == 1);
	}
	if (klen == 4 && memcmp(kind, "side", 4) == 0)
		return (vlen == 5 && memcmp(v, "front", 5) == 0) || (vlen == 4 && memcmp(v, "back", 4) == 0);
	for (size_t i = 0; i < vlen; i++)
		if (!token_char((unsigned char)v[i]) && !(v[i] == '.' && klen == 4 && memcmp(kind, "file", 4) == 0))
			return 0;
	return 1;
}

/* route_match: whether path matches pattern; fills r->params. */
static int route_match(struct req *r, const char *pattern, const char *path)
{
	const char *p = pattern, *s = path;
	size_t n = 0;

	while (*p && *s) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			const char *kind = p + 1;
			size_t klen = (size_t)(close - kind);
			/* a literal suffix inside the segment, e.g. "{token}.vcf" */
			const char *suffix = close + 1;
			size_t slen = strcspn(suffix, "/");
			size_t seg = strcspn(s, "/");
			long long num;
			if (seg < slen || memcmp(s + seg - slen, suffix, slen) != 0)
				return 0;
			if (!match_param(kind, klen, s, seg - slen, &num) || n >= REQ_MAX_PARAMS)
				return 0;
			r->params[n] = arena_strndup(&r->arena, s, seg - slen);
			r->param_ids[n] = num;
			n++;
			p = suffix + slen;
			s += seg;
			continue;
		}
		if (*p != *s)
			return 0;
		p++, s++;
	}
	if (*p || *s)
		return 0;
	r->n_params = n;
	return 1;
}

/* route_find: the route for method and path; ERR_NOT_FOUND or ERR_METHOD. */
static enum err route_find(struct req *r, const struct route *routes)
{
	int path_seen = 0;
	char allow[128] = "";
	const char *method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;

	for (const struct route *rt = routes; rt->method; rt++) {
		if (!route_match(r, rt->pattern, r->path))
			continue;
		if (strcmp(rt->method, method) == 0) {
			r->route = rt;
			return ERR_OK;
		}
		path_seen = 1;
		if (!strstr(allow, rt->method) && strlen(allow) + strlen(rt->method) + 3 < sizeof(allow)) {
			if (*allow)
				strncat(allow, ", ", sizeof(allow) - strlen(allow) - 1);
			strncat(allow, rt->method, sizeof(allow) - strlen(allow) - 1);
		}
	}
	if (path_seen) {
		req_add_header(r, "Allow: %s", allow);
		return req_fail(r, ERR_METHOD, NULL, NULL, "method not allowed here");
	}
	return req_fail(r, ERR_NOT_FOUND, NULL, NULL, "no such resource");
}

/* --- bodies -------------------------------------------------------------*/

static int ctype_is(const char *ctype, const char *want)
{
	size_t n = strlen(want);
	if (ctype == NULL)
		return 0;
	while (*ctype == ' ')
		ctype++;
	return strncasecmp(ctype, want, n) == 0 && (ctype[n] == '\0' || ctype[n] == ';' || ctype[n] == ' ');
}

static int is_form_ctype(const char *ctype)
{
	return ctype_is(ctype, "application/x-www-form-urlencoded") ||
	       ctype_is(ctype, "multipart/form-data");
}

/* body_check: content type and size of the body against the route. */
static enum err body_check(struct req *r, long long clen)
{
	const struct route *rt = r->route;
	const char *ct = r->content_type;
	size_t limit = cfg.body_max;
	int ok = 0;

	switch (rt->body) {
	case BODY_NONE:
		/* a body the route does not read is ignored, if small */
		return clen > (long long)cfg.body_max ?
			req_fail(r, ERR_TOO_LARGE, NULL, NULL, "request body too large") : ERR_OK;
	case BODY_JSON:
		ok = ctype_is(ct, "application/json");
		break;
	case BODY_FORM:
		ok = is_form_ctype(ct);
		break;
	case BODY_UPLOAD:
		ok = ctype_is(ct, "multipart/form-data") || is_form_ctype(ct);
		limit = cfg.image_max + 65536;
		break;
	case BODY_IMAGE:
		ok = ctype_is(ct, "image/jpeg") || ctype_is(ct, "image/png") ||
		     ctype_is(ct, "image/webp") || ctype_is(ct, "application/octet-stream");
		limit = cfg.image_max;
		break;
	case BODY_VCARD:
		ok = ctype_is(ct, "text/vcard") || ctype_is(ct, "text/x-vcard") ||
		     ctype_is(ct, "text/directory");
		limit = cfg.import_max;
		break;
	case BODY_VCARD_FORM:
		ok = ctype_is(ct, "multipart/form-data");
		limit = cfg.import_max + 65536;
		break;
	case BODY_XML:
		ok = ctype_is(ct, "application/xml") || ctype_is(ct, "text/xml") || clen <= 0;
		/* a first sync's multiget names every card of the folder */
		if (strcmp(r->method, "REPORT") == 0)
			limit = cfg.dav_report_max;
		break;
	case BODY_IMAGES:
		ok = ctype_is(ct, "multipart/form-data");
		limit = cfg.image_max + 65536;
		if (!ok) {
			ok = ctype_is(ct, "image/jpeg") || ctype_is(ct, "image/png") ||
			     ctype_is(ct, "image/webp") || ctype_is(ct, "application/octet-stream");
			limit = cfg.image_max;
		}
		break;
	case BODY__MAX:
		break;
	}
	if (clen > (long long)limit)
		return req_fail(r, ERR_TOO_LARGE, "too_large", NULL, "request body too large");
	if (!ok && !(clen <= 0 && rt->body != BODY_IMAGE && rt->body != BODY_IMAGES && rt->body != BODY_VCARD))
		return req_fail(r, ERR_MEDIA_TYPE, "unsupported_media_type", NULL,
				"unsupported content type for this resource");
	return ERR_OK;
}

/* body_read: read a non-form body raw into r->body (Content-Length bytes). */
static enum err body_read(struct req *r, long long len)
{
	size_t got = 0;

	r->body = arena_alloc(&r->arena, (size_t)(len > 0 ? len : 0) + 1);
	while (got < (size_t)len) {
		int n = 0;
		cgiwrap_read(r->body + got, (int)((size_t)len - got), &n);
		if (n <= 0)
			return req_fail(r, ERR_BAD_REQUEST, "short_body", NULL, "the request body ended early");
		got += (size_t)n;
	}
	r->body[got] = '\0';
	r->body_len = got;
	return ERR_OK;
}

/* --- multipart/form-data (livecard's own parser; ClearSilver's is never used) */

static int mp_tchar(int c)
{
	return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int mp_bchar(int c)
{
	return isalnum(c) || (c && strchr("'()+_,-./:=? ", c) != NULL);
}

/* mp_param: one "; name=value" parameter at *pp (within end), value token or
 * quoted string; 0 when malformed. A backslash inside quotes is taken
 * literally, as browsers send it (RFC 7578 4.2: they escape only '"', CR
 * and LF, as %22, %0D, %0A). */
static int mp_param(const char **pp, const char *end, const char **name, size_t *nlen,
		    const char **val, size_t *vlen)
{
	const char *p = *pp;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end || *p != ';')
		return 0;
	p++;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	*name = p;
	while (p < end && mp_tchar((unsigned char)*p))
		p++;
	*nlen = (size_t)(p - *name);
	if (*nlen == 0 || p == end || *p != '=')
		return 0;
	p++;
	if (p < end && *p == '"') {
		*val = ++p;
		while (p < end && *p != '"') {
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				return 0;
			p++;
		}
		if (p == end)
			return 0;
		*vlen = (size_t)(p - *val);
		p++;
	} else {
		*val = p;
		while (p < end && mp_tchar((unsigned char)*p))
			p++;
		*vlen = (size_t)(p - *val);
		if (*vlen == 0)
			return 0;
	}
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	*pp = p;
	return 1;
}

static int mp_is(const char *s, size_t n, const char *want)
{
	return strlen(want) == n && strncasecmp(s, want, n) == 0;
}

/* mp_boundary: the boundary parameter of a multipart/form-data type. */
static int mp_boundary(const char *ctype, const char **b, size_t *blen)
{
	static const char mt[] = "multipart/form-data";
	const char *p, *end, *name, *val;
	size_t nlen, vlen;

	*b = NULL;
	if (ctype == NULL)
		return 0;
	while (*ctype == ' ' || *ctype == '\t')
		ctype++;
	if (strncasecmp(ctype, mt, sizeof(mt) - 1) != 0)
		return 0;
	p = ctype + sizeof(mt) - 1;
	end = p + strlen(p);
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (p < end) {
		if (!mp_param(&p, end, &name, &nlen, &val, &vlen))
			return 0;
		if (!mp_is(name, nlen, "boundary"))
			continue;
		if (*b || vlen < 1 || vlen > 70 || val[vlen - 1] == ' ')
			return 0;
		for (size_t i = 0; i < vlen; i++)
			if (!mp_bchar((unsigned char)val[i]))
				return 0;
		*b = val;
		*blen = vlen;
	}
	return *b != NULL;
}

/* mp_name_ok: a field name livecard accepts (it becomes Query.<name>). */
static int mp_name_ok(const char *s, size_t n)
{
	if (n == 0 || n > 128 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-' || s[i] == '.'))
			return 0;
		if (s[i] == '.' && s[i + 1] == '.')
			return 0;
	}
	return 1;
}

#define MP_BAD(msg) do { if (why) *why = (msg); return ERR_BAD_REQUEST; } while (0)

/* mp_headers: the header lines of one part from *pp up to and including
 * the blank line; fills p's name, filename and type. */
static enum err mp_headers(const char **pp, const char *end, struct mp_part *part, const char **why)
{
	const char *p = *pp;
	int seen_cd = 0, n_lines = 0;

	for (;;) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		if (lf == NULL)
			MP_BAD("a part's headers do not end");
		if (lf == p || lf[-1] != '\r')
			MP_BAD("a part's header line does not end in CRLF");
		const char *le = lf - 1;	/* the line is p..le */
		if (le == p)
			break;	/* the blank line */
		if (++n_lines > 16 || le - p > 1024)
			MP_BAD("a part's headers are too long");
		for (const char *c = p; c < le; c++)
			if (*c == '\r' || *c == '\0')
				MP_BAD("a part's header has a stray CR or NUL");
		if (*p == ' ' || *p == '\t')
			MP_BAD("folded part headers are not accepted");
		const char *colon = memchr(p, ':', (size_t)(le - p));
		if (colon == NULL || colon == p)
			MP_BAD("a part's header line is not Name: value");
		for (const char *c = p; c < colon; c++)
			if (!mp_tchar((unsigned char)*c))
				MP_BAD("a part's header name is invalid");
		const char *v = colon + 1;
		while (v < le && (*v == ' ' || *v == '\t'))
			v++;
		const char *ve = le;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		size_t hn = (size_t)(colon - p);
		if (mp_is(p, hn, "Content-Disposition")) {
			const char *q = v, *name, *val;
			size_t nlen, vlen;
			if (seen_cd++)
				MP_BAD("a part has two Content-Disposition headers");
			if ((size_t)(ve - q) < 9 || strncasecmp(q, "form-data", 9) != 0)
				MP_BAD("a part is not form-data");
			q += 9;
			while (q < ve) {
				if (!mp_param(&q, ve, &name, &nlen, &val, &vlen))
					MP_BAD("a part's Content-Disposition is malformed");
				if (mp_is(name, nlen, "name")) {
					if (part->name)
						MP_BAD("a part has two names");
					part->name = val;
					part->name_len = vlen;
				} else if (mp_is(name, nlen, "filename")) {
					if (part->filename || vlen > 255)
						MP_BAD("a part's file name is invalid");
					part->filename = val;
					part->filename_len = vlen;
				}
			}
			if (part->name == NULL || !mp_name_ok(part->name, part->name_len))
				MP_BAD("a part has no valid field name");
		} else if (mp_is(p, hn, "Content-Type")) {
			if (part->type)
				MP_BAD("a part has two Content-Type headers");
			part->type = v;
			part->type_len = (size_t)(ve - v);
		} else if (mp_is(p, hn, "Content-Transfer-Encoding")) {
			size_t n = (size_t)(ve - v);
			if (!mp_is(v, n, "binary") && !mp_is(v, n, "8bit") && !mp_is(v, n, "7bit"))
				MP_BAD("a part's transfer encoding is not supported");
		}
		p = lf + 1;
	}
	if (!seen_cd)
		MP_BAD("a part has no Content-Disposition");
	*pp = p + 2;
	return ERR_OK;
}

enum err http_multipart_parse(const char *ctype, const char *body, size_t len, size_t max_parts,
			      mp_part_fn fn, void *ctx, const char **why)
{
	const char *b, *p, *end = body + len;
	size_t blen = 0, n_parts = 0;
	char delim[2 + 2 + 70];		/* CRLF "--" boundary */

	if (why)
		*why = NULL;
	if (!mp_boundary(ctype, &b, &blen))
		MP_BAD("multipart/form-data needs a valid boundary parameter");
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, b, blen);
	/* the body starts with the first delimiter (no preamble) */
	if (len < blen + 2 || memcmp(body, delim + 2, blen + 2) != 0)
		MP_BAD("the multipart body does not start with its boundary");
	p = body + blen + 2;
	for (;;) {
		/* after a delimiter: "--" closes, else transport padding and CRLF */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
			p += 2;
			if (p == end || (end - p == 2 && p[0] == '\r' && p[1] == '\n'))
				return ERR_OK;
			MP_BAD("data after the closing boundary");
		}
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			MP_BAD("a boundary line does not end in CRLF");
		p += 2;
		if (++n_parts > max_parts) {
			if (why)
				*why = "too many parts in the multipart body";
			return ERR_TOO_LARGE;
		}
		struct mp_part part;
		memset(&part, 0, sizeof(part));
		/* a part with no header lines at all has no name: refused */
		enum err e = mp_headers(&p, end, &part, why);
		if (e != ERR_OK)
			return e;
		const char *next = memmem(p - 2, (size_t)(end - (p - 2)), delim, blen + 4);
		if (next == NULL)
			MP_BAD("the closing boundary is missing");
		if (next < p)	/* the blank line's CRLF is the delimiter's: empty content */
			next = p - 2;
		part.data = p;
		part.len = next >= p ? (size_t)(next - p) : 0;
		if (part.filename == NULL && memchr(part.data, '\0', part.len))
			MP_BAD("a form field contains a NUL byte");
		p = next + blen + 4;
		if (p == end)
			MP_BAD("the closing boundary is missing");
		/* the boundary must not start a longer line inside the content */
		if (!((end - p >= 2 && p[0] == '-' && p[1] == '-') ||
		      (p < end && (*p == '\r' || *p == ' ' || *p == '\t'))))
			MP_BAD("the boundary appears inside a part");
		if (fn && (e = fn(ctx, &part)) != ERR_OK)
			return e;
	}
}

enum err http_multipart_check(const char *ctype, const char *body, size_t len, size_t max_parts)
{
	return http_multipart_parse(ctype, body, len, max_parts, NULL, NULL, NULL);
}

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* form_decode: percent-decode s..s+n in place ('+' is a space); the decoded
 * length, or -1 for a malformed escape. */
static long form_decode(char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			int hi = i + 1 < n ? hexval((unsigned char)s[i + 1]) : -1;
			int lo = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return -1;
			s[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			s[o++] = s[i] == '+' ? ' ' : s[i];
		}
	}
	return (long)o;
}

enum err http_urlencoded_parse(char *body, size_t len, size_t max_fields, mp_part_fn fn, void *ctx,
			       const char **why)
{
	char *end = body + len, *s;
	size_t n = 0;

	if (why)
		*why = NULL;
	/* count first: nothing is stored from a body with too many fields */
	for (s = body; s < end;) {
		char *amp = memchr(s, '&', (size_t)(end - s));
		char *e = amp ? amp : end;
		n += e > s;
		s = amp ? amp + 1 : end;
	}
	if (n > max_fields) {
		if (why)
			*why = "too many fields in the form";
		return ERR_TOO_LARGE;
	}
	for (s = body; s < end;) {
		char *amp = memchr(s, '&', (size_t)(end - s));
		char *e = amp ? amp : end, *eq;
		struct mp_part part;
		long nl, vl;
		enum err err;

		if (e == s) {	/* "a=1&&b=2": an empty field is nothing */
			s = e + 1;
			continue;
		}
		memset(&part, 0, sizeof(part));
		eq = memchr(s, '=', (size_t)(e - s));
		nl = form_decode(s, (size_t)((eq ? eq : e) - s));
		vl = eq ? form_decode(eq + 1, (size_t)(e - eq - 1)) : 0;
		if (nl < 0 || vl < 0)
			MP_BAD("a form field is not valid percent-encoding");
		if (!mp_name_ok(s, (size_t)nl))
			MP_BAD("a form field has no valid name");
		part.name = s;
		part.name_len = (size_t)nl;
		part.data = eq ? eq + 1 : e;
		part.len = (size_t)vl;
		if (memchr(part.data, '\0', part.len))
			MP_BAD("a form field contains a NUL byte");
		if (fn && (err = fn(ctx, &part)) != ERR_OK)
			return err;
		s = amp ? amp + 1 : end;
	}
	return ERR_OK;
}

int http_localpath_valid(const char *s)
{
	if (s == NULL || s[0] != '/')
		return 0;
	if (s[1] != '\0' && !(isalnum((unsigned char)s[1]) || strchr("-._~!$&'()*+,;=:@%?#", s[1])))
		return 0;
	for (const char *c = s; *c; c++) {
		unsigned char u = (unsigned char)*c;
		if (u <= 0x20 || u >= 0x7f || u == '\\')
			return 0;
		if (c[0] == '/' && c[1] == '/')
			return 0;
		if (u == '%') {
			/* a control character or backslash percent-encoded once more */
			int hi = c[1] ? toupper((unsigned char)c[1]) : 0;
			int lo = hi && c[2] ? toupper((unsigned char)c[2]) : 0;
			if ((hi == '0' || hi == '1') && isxdigit(lo))
				return 0;
			if (hi == '7' && lo == 'F')
				return 0;
			if (hi == '5' && lo == 'C')
				return 0;
		}
	}
	return 1;
}

/* mp_store: one part of the request's multipart body into Query.* (as
 * ClearSilver would: a repeated field becomes Query.name.0, .1, ... and
 * Query.name holds the last) or, for a file, Query.name = file name,
 * Query.name.Type and a read-only stream over the part for req_upload. */
static enum err mp_store(void *ctx, const struct mp_part *p)
{
	struct req *r = ctx;
	NEOERR *nerr = STATUS_OK;
	const char *key = arena_printf(&r->arena, "Query.%.*s", (int)p->name_len, p->name);

	if (p->filename) {
		const char *field = arena_strndup(&r->arena, p->name, p->name_len);
		FILE *f;
		for (size_t i = 0; i < r->n_uploads; i++)
			if (strcmp(r->uploads[i].field, field) == 0)
				return req_fail(r, ERR_BAD_REQUEST, "repeated_field", field,
						"file field given more than once");
		if (r->n_uploads >= REQ_MAX_UPLOADS || r->n_uploads >= cfg.multipart_parts)
			return req_fail(r, ERR_TOO_LARGE, "too_many_parts", NULL, "too many files in the form");
		/* fmemopen refuses an empty buffer: an empty file reads as /dev/null */
		f = p->len ? fmemopen((void *)p->data, p->len, "r") : fopen("/dev/null", "r");
		if (f == NULL)
			return req_fail(r, ERR_INTERNAL, NULL, NULL, "cannot open the uploaded part");
		r->uploads[r->n_uploads].field = field;
		r->uploads[r->n_uploads++].f = f;
		nerr = hdf_set_value(r->hdf, key, arena_strndup(&r->arena, p->filename, p->filename_len));
		if (nerr == STATUS_OK && p->type)
			nerr = hdf_set_value(r->hdf, arena_printf(&r->arena, "%s.Type", key),
					     arena_strndup(&r->arena, p->type, p->type_len));
		goto done;
	}
	const char *val = arena_strndup(&r->arena, p->data, p->len);
	HDF *obj = hdf_get_obj(r->hdf, key);
	if (obj) {
		int i = 0;
		HDF *child = hdf_obj_child(obj);
		if (child == NULL) {
			nerr = hdf_set_value(obj, "0", hdf_obj_value(obj));
			i = 1;
		}
		for (; child; child = hdf_obj_next(child))
			i++;
		if (nerr == STATUS_OK)
			nerr = hdf_set_value(obj, arena_printf(&r->arena, "%d", i), val);
	}
	if (nerr == STATUS_OK)
		nerr = hdf_set_value(r->hdf, key, val);
done:
	if (nerr == STATUS_OK)
		return ERR_OK;
	nerr_ignore(&nerr);
	return req_fail(r, ERR_INTERNAL, NULL, NULL, "cannot store a form field");
}

/* body_form: read the whole form body (its size is bounded by body_check),
 * check its structure and fill Query.* (and the uploads of a multipart
 * form) with livecard's own parsers: ClearSilver's are never given a body. */
static enum err body_form(struct req *r, long long clen)
{
	const char *why = NULL;
	int multipart = ctype_is(r->content_type, "multipart/form-data");
	enum err e = body_read(r, clen);

	if (e != ERR_OK)
		return e;
	if (multipart)
		e = http_multipart_parse(r->content_type, r->body, r->body_len, cfg.form_parts, mp_store, r, &why);
	else	/* r->body is the arena's copy: decoded in place */
		e = http_urlencoded_parse(r->body, r->body_len, cfg.form_parts, mp_store, r, &why);
	if (e == ERR_OK || why == NULL)
		return e;	/* ok, or mp_store's own failure (r->ei set) */
	if (e == ERR_TOO_LARGE)
		return req_fail(r, e, "too_many_parts", NULL, why);
	return req_fail(r, e, multipart ? "bad_multipart" : "bad_form", NULL, why);
}

FILE *req_upload(struct req *r, const char *field)
{
	for (size_t i = 0; i < r->n_uploads; i++)
		if (strcmp(r->uploads[i].field, field) == 0)
			return r->uploads[i].f;
	return NULL;
}

void req_cleanup(struct req *r)
{
	for (size_t i = 0; i < r->n_uploads; i++)
		fclose(r->uploads[i].f);
	r->n_uploads = 0;
}

/* --- inputs -------------------------------------------------------------*/

static const char *trim(struct arena *a, const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return arena_strndup(a, s, n);
}

/* check_string: validate one textual input value into *v. */
static enum err check_string(struct req *r, const struct input *in, const char *raw, struct value *v)
{
	const char *s = raw;
	size_t len;

	if (!utf8_valid(raw, strlen(raw)))
		return req_fail(r, ERR_BAD_REQUEST, "invalid_utf8", in->name, "not valid UTF-8");
	if (in->type != IN_PASSWORD && in->type != IN_LOCALPATH)
		s = trim(&r->arena, raw);
	len = strlen(s);
	switch (in->type) {
	case IN_TEXT:
	case IN_PASSWORD:
		if (in->required && len == 0)
			return req_fail(r, ERR_BAD_REQUEST, "required", in->name, "this field is required");
		if ((long long)len < in->min && len > 0)
			return req_fail(r, ERR_BAD_REQUEST, "too_short", in->name, "too short");
		if (in->max && (long long)len > in->max)
			return req_fail(r, ERR_BAD_REQUEST, "too_long", in->name, "too long");
		v->str = s;
		break;
	case IN_EMAIL:
		if (len == 0 && !in->required) {
			v->str = "";
			break;
		}
		v->str = email_normalize(s, &r->arena);
		if (v->str == NULL)
			return req_fail(r, ERR_BAD_REQUEST, "invalid_email", in->name, "not a valid e-mail address");
		break;
	case IN_PHONE:
		if (len == 0 && !in->required) {
			v->str = "";
			break;
		}
		v->str = phone_normalize(s, cfg.default_country, &r->arena);
		if (v->str == NULL)
			return req_fail(r, ERR_BAD_REQUEST, "invalid_phone", in->name, PHONE_INVALID_MESSAGE);
		break;
	case IN_URL:
		if (len == 0 && !in->required) {
			v->str = "";
			break;
		}
		if (!url_valid(s))
			return req_fail(r, ERR_BAD_REQUEST, "invalid_url", in->name, "not a valid http(s) URL");
		v->str = s;
		break;
	case IN_TOKEN:
		if ((long long)len < (in->min ? in->min : 1) || (in->max && (long long)len > in->max))
			return req_fail(r, ERR_BAD_REQUEST, "invalid_token", in->name, "invalid token");
		for (size_t i = 0; i < len; i++)
			if (!token_char((unsigned char)s[i]))
				return req_fail(r, ERR_BAD_REQUEST, "invalid_token", in->name, "invalid token");
		v->str = s;
		break;
	case IN_LOCALPATH:
		if (http_localpath_valid(s) && (!in->max || (long long)len <= in->max)) {
			v->str = s;
			break;
		}
		if (in->required)
			return req_fail(r, ERR_BAD_REQUEST, "invalid_path", in->name, "not a local path");
		return ERR_OK;	/* absent: the handler's default applies */
	case IN_INT: {
		char *end;
		errno = 0;
		long long n = strtoll(s, &end, 10);
		if (len == 0 || errno || *end || n < in->min || n > in->max)
			return req_fail(r, ERR_BAD_REQUEST, "invalid_number", in->name, "not a number in range");
		v->num = n;
		v->str = s;
		break;
	}
	case IN_BOOL:
		if (!strcmp(s, "1") || !strcmp(s, "on") || !strcmp(s, "true") || !strcmp(s, "yes"))
			v->num = 1;
		else if (!strcmp(s, "0") || !strcmp(s, "off") || !strcmp(s, "false") || !strcmp(s, "no") || len == 0)
			v->num = 0;
		else
			return req_fail(r, ERR_BAD_REQUEST, "invalid_type", in->name, "expected a boolean");
		break;
	case IN_ENUM:
		for (long long i = 0; in->choices && in->choices[i]; i++) {
			if (strcmp(in->choices[i], s) == 0) {
				v->num = i;
				v->str = in->choices[i];
				v->present = 1;
				return ERR_OK;
			}
		}
		return req_fail(r, ERR_BAD_REQUEST, "invalid_value", in->name, "not one of the allowed values");
	default:
		return req_fail(r, ERR_BAD_REQUEST, "invalid_type", in->name, "unexpected value");
	}
	v->present = 1;
	return ERR_OK;
}

/* check_json_member: validate one member of a JSON body. */
static enum err check_json_member(struct req *r, const struct input *in, const json_t *j, struct value *v)
{
	if (in->type == IN_JSON) {
		v->json = j;
		v->present = 1;
		return ERR_OK;
	}
	if (json_is_null(j) && !in->required)
		return ERR_OK;
	if (in->type == IN_BOOL) {
		if (!json_is_boolean(j))
			return req_fail(r, ERR_BAD_REQUEST, "invalid_type", in->name, "expected a boolean");
		v->num = json_is_true(j);
		v->present = 1;
		return ERR_OK;
	}
	if (in->type == IN_INT) {
		if (!json_is_integer(j))
			return req_fail(r, ERR_BAD_REQUEST, "invalid_type", in->name, "expected an integer");
		long long n = json_integer_value(j);
		if (n < in->min || n > in->max)
			return req_fail(r, ERR_BAD_REQUEST, "invalid_number", in->name, "number out of range");
		v->num = n;
		v->present = 1;
		return ERR_OK;
	}
	if (in->type == IN_STRLIST) {
		size_t i, n;
		if (!json_is_array(j))
			return req_fail(r, ERR_BAD_REQUEST, "invalid_type", in->name, "expected an array of strings");
		n = json_array_size(j);
		if (n > 100)
			return req_fail(r, ERR_BAD_REQUEST, "too_many", in->name, "too many items");
		v->list = arena_alloc(&r->arena, sizeof(char *) * (n + 1));
		for (i = 0; i < n; i++) {
			const json_t *e = json_array_get(j, i);
			if (!json_is_string(e))
				return req_fail(r, ERR_BAD_REQUEST, "invalid_type", in->name, "expected an array of strings");
			const char *s = json_string_value(e);
			if (!utf8_valid(s, json_string_length(e)))
				return req_fail(r, ERR_BAD_REQUEST, "invalid_utf8", in->name, "not valid UTF-8");
			if (in->max && (long long)strlen(s) > in->max)
				return req_fail(r, ERR_BAD_REQUEST, "too_long", in->name, "an item is too long");
			v->list[i] = trim(&r->arena, s);
		}
		v->n_list = n;
		v->present = 1;
		return ERR_OK;
	}
	if (!json_is_string(j))
		return req_fail(r, ERR_BAD_REQUEST, "invalid_type", in->name, "expected a string");
	if (strlen(json_string_value(j)) != json_string_length(j))
		return req_fail(r, ERR_BAD_REQUEST, "invalid_utf8", in->name, "NUL in string");
	return check_string(r, in, json_string_value(j), v);
}

/* inputs_validate: every declared input of the route, before the handler. */
static enum err inputs_validate(struct req *r)
{
	const struct input *ins = r->route->inputs;
	size_t n = 0;

	if (ins)
		while (ins[n].name)
			n++;
	if (n > REQ_MAX_INPUTS)
		return req_fail(r, ERR_INTERNAL, NULL, NULL, "too many inputs declared");

	if (r->route->body == BODY_JSON && r->body) {
		json_error_t jerr;
		if (!utf8_valid(r->body, r->body_len))
			return req_fail(r, ERR_BAD_REQUEST, "invalid_utf8", NULL, "the body is not valid UTF-8");
		if (r->body_len == 0)
			r->json = json_object();
		else
			r->json = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
		if (r->json == NULL)
			return req_fail(r, ERR_BAD_REQUEST, "invalid_json", NULL, "the body is not valid JSON");
		if (!json_is_object(r->json))
			return req_fail(r, ERR_BAD_REQUEST, "invalid_json", NULL, "the body must be a JSON object");
		/* unknown members are refused: a typo must not pass silently */
		const char *key;
		json_t *val;
		json_object_foreach(r->json, key, val) {
			size_t i;
			for (i = 0; i < n; i++)
				if (ins[i].src == SRC_BODY && strcmp(ins[i].name, key) == 0)
					break;
			if (i == n)
				return req_fail(r, ERR_BAD_REQUEST, "unknown_field",
						arena_strdup(&r->arena, key), "unknown field");
		}
	}
	for (size_t i = 0; i < n; i++) {
		const struct input *in = &ins[i];
		struct value *v = &r->in[i];
		enum err e = ERR_OK;

		memset(v, 0, sizeof(*v));
		if (in->src == SRC_BODY && r->json) {
			const json_t *j = json_object_get(r->json, in->name);
			if (j)
				e = check_json_member(r, in, j, v);
		} else if (in->type == IN_STRLIST) {
			char key[160];
			snprintf(key, sizeof(key), "Query.%s", in->name);
			HDF *node = hdf_get_obj(r->hdf, key);
			if (node) {
				/* repeated fields arrive as Query.name.0, .1, ...; a
				 * single one as Query.name; a comma list is split */
				HDF *child = hdf_obj_child(node);
				size_t cap = 101, k = 0;
				v->list = arena_alloc(&r->arena, sizeof(char *) * cap);
				const char *one = hdf_obj_value(node);
				if (child == NULL && one) {
					char *copy = arena_strdup(&r->arena, one), *save = NULL;
					for (char *t = strtok_r(copy, ",", &save); t && k < cap - 1; t = strtok_r(NULL, ",", &save)) {
						const char *tt = trim(&r->arena, t);
						if (*tt)
							v->list[k++] = tt;
					}
				}
				for (; child && k < cap - 1; child = hdf_obj_next(child)) {
					const char *cv = hdf_obj_value(child);
					if (cv && *cv)
						v->list[k++] = trim(&r->arena, cv);
				}
				for (size_t m = 0; m < k; m++) {
					if (!utf8_valid(v->list[m], strlen(v->list[m])))
						return req_fail(r, ERR_BAD_REQUEST, "invalid_utf8", in->name, "not valid UTF-8");
					if (in->max && (long long)strlen(v->list[m]) > in->max)
						return req_fail(r, ERR_BAD_REQUEST, "too_long", in->name, "an item is too long");
				}
				v->n_list = k;
				v->present = 1;
			}
		} else if (in->src == SRC_QUERY || r->route->body != BODY_JSON) {
			char key[160];
			snprintf(key, sizeof(key), "Query.%s", in->name);
			HDF *node = hdf_get_obj(r->hdf, key);
			const char *raw = node ? hdf_obj_value(node) : NULL;
			if (node && raw == NULL && hdf_obj_child(node))
				return req_fail(r, ERR_BAD_REQUEST, "repeated_field", in->name, "field given more than once");
			if (raw && in->type == IN_JSON)
				return req_fail(r, ERR_BAD_REQUEST, "invalid_type", in->name, "unexpected field");
			if (raw && (*raw || in->type == IN_PASSWORD || in->type == IN_TEXT))
				e = check_string(r, in, raw, v);
		}
		if (e != ERR_OK)
			return e;
		if (in->required && !v->present)
			return req_fail(r, ERR_BAD_REQUEST, "required", in->name, "this field is required");
	}
	return ERR_OK;
}

/* --- the request --------------------------------------------------------*/

/* proxy_trusted: whether addr is one of Site.TrustedProxies. */
static int proxy_trusted(const char *addr)
{
	const char *p = cfg.trusted_proxies;
	size_t n = addr ? strlen(addr) : 0;
	if (n == 0)
		return 0;
	while (p && *p) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (len == n && memcmp(p, addr, n) == 0)
			return 1;
		p += len;
	}
	return 0;
}

/* pick_locale: the member's setting, else the lc_lang cookie, else the best
 * supported language of Accept-Language (q-values honoured), else the
 * default (docs/i18n.md). */
static const char *pick_locale(struct req *r)
{
	const char *al, *l;
	if (r->user && r->user->locale && *r->user->locale)
		return tmpl_locale(r->user->locale);
	const char *q = r->hdf ? hdf_get_value(r->hdf, "Cookie.lc_lang", NULL) : NULL;
	if (q && *q)
		return tmpl_locale(q);
	al = req_env(r, "HTTP_ACCEPT_LANGUAGE");
	if (al && (l = tmpl_accept_language(al)) != NULL)
		return l;
	return tmpl_locale(cfg.default_locale);
}

/* parse_cookie: Cookie.<name> for each "name=value" of the Cookie header
 * (both stripped, empty ones skipped, a later one wins) and Cookie itself
 * the whole header: what ClearSilver's cgi_init made of it. */
static NEOERR *parse_cookie(struct req *r, const char *header)
{
	char *cookie = arena_strdup(&r->arena, header), *k, *v, *l;
	NEOERR *nerr = hdf_set_value(r->hdf, "Cookie", header);
	HDF *obj;

	if (nerr != STATUS_OK)
		return nerr;
	obj = hdf_get_obj(r->hdf, "Cookie");
	k = l = cookie;
	while (*l && *l != '=' && *l != ';')
		l++;
	while (*k) {
		if (*l == '=') {
			*l++ = '\0';
			v = l;
			while (*l && *l != ';')
				l++;
			if (*l)
				*l++ = '\0';
		} else {
			v = "";
			if (*l)
				*l++ = '\0';
		}
		k = neos_strip(k);
		v = neos_strip(v);
		if (k[0] && v[0]) {
			nerr = hdf_set_value(obj, k, v);
			if (nerr_match(nerr, NERR_ASSERT))
				nerr_ignore(&nerr);	/* a name HDF cannot hold */
			if (nerr != STATUS_OK)
				return nerr;
		}
		k = l;
		while (*l && *l != '=' && *l != ';')
			l++;
	}
	return STATUS_OK;
}

/* parse_query: Query.<name> for each field of the query string, decoded
 * ('+' and %XX); a repeated name keeps its values as Query.<name>.0, .1, ...
 * and the last as Query.<name>; "=v" is Query._0, a leading '.' becomes '_'.
 * This is what ClearSilver's cgi_init made of it (inputs_validate reads it). */
static NEOERR *parse_query(struct req *r, const char *query)
{
	char *q = arena_strdup(&r->arena, query), *k, *v, *l = NULL;
	char buf[256], unnamed[16];
	int unnamed_count = 0;
	NEOERR *nerr = STATUS_OK;

	for (k = strtok_r(q, "&", &l); k && *k; k = strtok_r(NULL, "&", &l)) {
		v = strchr(k, '=');
		if (v == NULL) {
			v = (char *)"";
		} else {
			*v = '\0';
			v++;
		}
		if (*k == '\0') {
			snprintf(unnamed, sizeof(unnamed), "_%d", unnamed_count++);
			k = unnamed;
		} else if (*k == '.') {
			*k = '_';
		}
		snprintf(buf, sizeof(buf), "Query.%s", cgi_url_unescape(k));
		cgi_url_unescape(v);
		HDF *obj = hdf_get_obj(r->hdf, buf);
		if (obj != NULL) {
			int i = 0;
			char num[16];
			HDF *child = hdf_obj_child(obj);
			if (child == NULL) {
				nerr = hdf_set_value(obj, "0", hdf_obj_value(obj));
				if (nerr != STATUS_OK)
					return nerr;
				i = 1;
			} else {
				for (; child; child = hdf_obj_next(child))
					i++;
			}
			snprintf(num, sizeof(num), "%d", i);
			nerr = hdf_set_value(obj, num, v);
			if (nerr != STATUS_OK)
				return nerr;
		}
		nerr = hdf_set_value(r->hdf, buf, v);
		if (nerr_match(nerr, NERR_ASSERT))
			nerr_ignore(&nerr);	/* a name HDF cannot hold */
		if (nerr != STATUS_OK)
			return nerr;
	}
	return STATUS_OK;
}

/* data_init: the request's data set: its cookies and query string only.
 * (ClearSilver's cgi_init also copied some 80 environment variables into
 * CGI.*, HTTP.* and SSL.*, read by nothing: a quarter of a page's work.) */
static NEOERR *data_init(struct req *r)
{
	NEOERR *nerr = hdf_init(&r->hdf);
	const char *cookie = req_env(r, "HTTP_COOKIE");

	if (nerr == STATUS_OK && cookie)
		nerr = parse_cookie(r, cookie);
	if (nerr == STATUS_OK && r->query && *r->query)
		nerr = parse_query(r, r->query);
	return nerr;
}

/* req_handle: everything between accepting a request and its response. */
enum err req_handle(struct req *r, const struct route *routes);

enum err req_handle(struct req *r, const struct route *routes)
{
	NEOERR *nerr;
	enum err e;
	const char *cl;
	long long clen = 0;

	r->method = req_env(r, "REQUEST_METHOD");
	if (r->method == NULL)
		r->method = "GET";
	/* The path routed on is the decoded request path, as the front server
	 * chose it: DOCUMENT_URI (nginx; livecard's Apache rules set it too),
	 * REDIRECT_DOCUMENT_URI (Apache .htaccess: set before the internal
	 * redirect to the program), SCRIPT_URL (mod_rewrite: the path before any
	 * rewriting), else REQUEST_URI up to '?', percent-decoded here (kept raw
	 * when it would decode to a NUL). */
	const char *uri = req_env(r, "DOCUMENT_URI");
	if (uri == NULL || *uri == '\0')
		uri = req_env(r, "REDIRECT_DOCUMENT_URI");
	if (uri == NULL || *uri == '\0')
		uri = req_env(r, "SCRIPT_URL");
	if (uri == NULL || *uri == '\0') {
		const char *ru = req_env(r, "REQUEST_URI");
		if (ru && *ru) {
			size_t n = strcspn(ru, "?"), j = 0;
			char *d = arena_strndup(&r->arena, ru, n);
			int nul = 0;
			for (size_t i = 0; i < n; i++, j++) {
				d[j] = ru[i];
				if (ru[i] == '%' && isxdigit((unsigned char)ru[i + 1]) &&
				    isxdigit((unsigned char)ru[i + 2])) {
					char hex[3] = { ru[i + 1], ru[i + 2], '\0' };
					d[j] = (char)strtol(hex, NULL, 16);
					nul |= d[j] == '\0';
					i += 2;
				}
			}
			d[j] = '\0';
			uri = nul ? arena_strndup(&r->arena, ru, n) : d;
		} else {
			uri = "/";
		}
	}
	r->path = uri;
	r->query = req_env(r, "QUERY_STRING");
	r->content_type = req_env(r, "CONTENT_TYPE");
	r->remote_addr = req_env(r, "REMOTE_ADDR");
	r->is_api = strncmp(r->path, "/api/", 5) == 0 || strncmp(r->path, "/dav/", 5) == 0;
	const char *https = req_env(r, "HTTPS");
	r->https = (https && (strcmp(https, "on") == 0 || strcmp(https, "1") == 0)) ||
		   strncmp(cfg.base_url, "https:", 6) == 0;
	if (proxy_trusted(r->remote_addr)) {
		const char *xff = req_env(r, "HTTP_X_FORWARDED_FOR");
		const char *xfp = req_env(r, "HTTP_X_FORWARDED_PROTO");
		if (xff && *xff) {
			/* the right-most address was added by our proxy */
			const char *last = strrchr(xff, ',');
			last = last ? last + 1 : xff;
			r->remote_addr = trim(&r->arena, last);
		}
		if (xfp && strcmp(xfp, "https") == 0)
			r->https = 1;
	}
	if (r->remote_addr == NULL)
		r->remote_addr = "";

	nerr = data_init(r);
	if (nerr != STATUS_OK) {
		nerr_ignore(&nerr);
		if (r->hdf == NULL)
			hdf_init(&r->hdf);
		return req_fail(r, ERR_BAD_REQUEST, "bad_request", NULL, "malformed request");
	}
	e = route_find(r, routes);
	if (e != ERR_OK)
		goto out;
	cl = req_env(r, "CONTENT_LENGTH");
	if (cl && *cl) {
		char *end;
		errno = 0;
		clen = strtoll(cl, &end, 10);
		if (errno || *end || clen < 0) {
			e = req_fail(r, ERR_BAD_REQUEST, "bad_length", NULL, "bad Content-Length");
			goto out;
		}
	}
	e = body_check(r, clen);
	if (e != ERR_OK)
		goto out;
	/* the CSRF token is taken from a header or the body, never from the
	 * query string (where it would leak into logs and Referer headers) */
	nerr = hdf_remove_tree(r->hdf, "Query.csrf");
	nerr_ignore(&nerr);
	/* who is calling, and whether they may, before any body is read: an
	 * unauthenticated or cross-site request costs no parsing */
	e = r->route->auth == AUTH_APP_PASSWORD ? account_app_password_signin(r) : auth_resolve(r);
	if (e != ERR_OK)
		goto out;
	r->locale = pick_locale(r);
	if ((r->route->auth == AUTH_USER || r->route->auth == AUTH_USER_CARD) && r->user == NULL) {
		if (!r->is_api && strcmp(r->method, "GET") == 0) {
			const char *next = arena_printf(&r->arena, "/signin?next=%s", r->path);
			e = req_redirect(r, next);
			goto out;
		}
		e = req_fail(r, ERR_UNAUTHORIZED, "unauthorized", NULL, "sign in first");
		goto out;
	}
	e = auth_check_csrf_early(r);
	if (e != ERR_OK)
		goto out;
	if (is_form_ctype(r->content_type) && r->route->body != BODY_NONE &&
	    r->route->body != BODY_JSON && r->route->body != BODY_IMAGE &&
	    r->route->body != BODY_VCARD && r->route->body != BODY_XML) {
		/* livecard's own strict parsers: ClearSilver's multipart parser
		 * crashed on a missing boundary (issue 17, finding 1) and its
		 * urlencoded one is quadratic in a repeated field's count */
		e = body_form(r, clen);
		if (e != ERR_OK)
			goto out;
	} else {
		if (r->route->body != BODY_NONE && (e = body_read(r, clen)) != ERR_OK)
			goto out;
	}
	e = auth_check_csrf(r);
	if (e != ERR_OK)
		goto out;
	e = inputs_validate(r);
	if (e != ERR_OK)
		goto out;
	e = app_run_handler(r);	/* retried on a database conflict */
	if (e == ERR_OK && !r->responded)
		e = req_fail(r, ERR_INTERNAL, NULL, NULL, "no response");
out:
	if (db_in_transaction(r->db))
		db_rollback(r->db);
	return e;
}

FILE *req_upload_chosen(struct req *r, const char *field)
{
	FILE *f = req_upload(r, field);
	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || ftell(f) <= 0)
		return NULL;
	rewind(f);
	return f;
}
