/* auth.c: sessions and bearer tokens (stored hashed), CSRF checks and sign-in throttling. */
#include "auth.h"

#include <string.h>
#include <strings.h>

#include "config.h"
#include "crypto.h"
#include "http.h"
#include "log.h"

static const char user_by_session[] =
	"SELECT u.id, u.email, u.full_name, u.locale, u.email_verified_at IS NOT NULL, s.csrf "
	"FROM sessions s JOIN users u ON u.id = s.user_id "
	"WHERE s.token_hash = ? AND s.expires_at > UTC_TIMESTAMP()";

static const char user_by_token[] =
	"SELECT u.id, u.email, u.full_name, u.locale, u.email_verified_at IS NOT NULL, NULL "
	"FROM api_tokens t JOIN users u ON u.id = t.user_id "
	"WHERE t.token_hash = ? AND (t.expires_at IS NULL OR t.expires_at > UTC_TIMESTAMP())";

static enum err load_user(struct req *r, const char *sql, const char *hash, int via_session)
{
	struct db_result res;
	enum err e = db_query(r->db, &r->arena, &res, sql, "s", hash);
	if (e != ERR_OK)
		return e;
	if (res.nrows == 0)
		return ERR_OK;
	struct user *u = arena_alloc(&r->arena, sizeof(*u));
	u->id = db_cell_int(&res, 0, 0, 0);
	u->email = db_cell(&res, 0, 1);
	u->full_name = db_cell(&res, 0, 2);
	u->locale = db_cell(&res, 0, 3);
	u->email_verified = (int)db_cell_int(&res, 0, 4, 0);
	u->csrf = db_cell(&res, 0, 5);
	u->via_session = via_session;
	u->session_hash = hash;
	r->user = u;
	return ERR_OK;
}

enum err auth_resolve(struct req *r)
{
	const char *authz = req_env(r, "HTTP_AUTHORIZATION");
	const char *cookie;

	if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
		const char *tok = authz + 7;
		while (*tok == ' ')
			tok++;
		if (*tok == '\0' || strlen(tok) > 128)
			return req_fail(r, ERR_UNAUTHORIZED, "invalid_token", NULL, "invalid bearer token");
		enum err e = load_user(r, user_by_token, token_hash(&r->arena, tok), 0);
		if (e == ERR_OK && r->user == NULL)
			return req_fail(r, ERR_UNAUTHORIZED, "invalid_token", NULL, "invalid or revoked bearer token");
		if (e == ERR_OK)
			db_exec(r->db, "UPDATE api_tokens SET last_used_at = UTC_TIMESTAMP() "
				"WHERE token_hash = ? AND (last_used_at IS NULL OR last_used_at < UTC_TIMESTAMP() - INTERVAL 1 MINUTE)",
				"s", r->user->session_hash);
		return e;
	}
	cookie = req_cookie(r, SESSION_COOKIE);
	if (cookie && *cookie && strlen(cookie) <= 128)
		return load_user(r, user_by_session, token_hash(&r->arena, cookie), 1);
	return ERR_OK;
}

static int changes_state(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
	       strcmp(method, "OPTIONS") != 0 && strcmp(method, "PROPFIND") != 0 &&
	       strcmp(method, "REPORT") != 0;
}

/* is_form: whether the request's body is a browser form (the only bodies
 * that carry a csrf field). */
static int is_form(const struct req *r)
{
	return (r->content_type && strncasecmp(r->content_type, "application/x-www-form-urlencoded", 33) == 0) ||
	       (r->content_type && strncasecmp(r->content_type, "multipart/form-data", 19) == 0);
}

/* needs_double_submit: an anonymous state-changing form (sign-in, sign-up,
 * ...) must carry the lc_csrf cookie's value. */
static int needs_double_submit(const struct req *r)
{
	return r->route->body == BODY_FORM || r->route->body == BODY_UPLOAD ||
	       r->route->body == BODY_VCARD_FORM || is_form(r);
}

enum err auth_check_csrf(struct req *r)
{
	const char *given;

	if (!changes_state(r->method))
		return ERR_OK;
	/* the header, else the form field; Query.csrf never holds a value from
	 * the query string (req_handle removes it before the body is parsed) */
	given = req_env(r, "HTTP_X_CSRF_TOKEN");
	if (given == NULL || *given == '\0')
		given = hdf_get_value(r->hdf, "Query.csrf", NULL);
	if (r->user && r->user->via_session) {
		if (given && r->user->csrf && secure_equal(given, r->user->csrf))
			return ERR_OK;
		return req_fail(r, ERR_FORBIDDEN, "csrf", NULL, "missing or wrong CSRF token");
	}
	if (r->user)	/* bearer token: no ambient authority to abuse */
		return ERR_OK;
	if (needs_double_submit(r)) {
		const char *c = req_cookie(r, CSRF_COOKIE);
		if (given && c && *c && secure_equal(given, c))
			return ERR_OK;
		return req_fail(r, ERR_FORBIDDEN, "csrf", NULL, "missing or wrong CSRF token");
	}
	return ERR_OK;
}

enum err auth_check_csrf_early(struct req *r)
{
	const char *hdr;

	if (!changes_state(r->method) || (r->user && !r->user->via_session))
		return ERR_OK;
	hdr = req_env(r, "HTTP_X_CSRF_TOKEN");
	if (hdr && *hdr)
		return auth_check_csrf(r);	/* decidable now */
	/* without the header the token can only be in a form body */
	if (r->user && !is_form(r))
		return req_fail(r, ERR_FORBIDDEN, "csrf", NULL, "missing or wrong CSRF token");
	if (r->user == NULL && needs_double_submit(r)) {
		const char *c = req_cookie(r, CSRF_COOKIE);
		if (c == NULL || *c == '\0' || !is_form(r))
			return req_fail(r, ERR_FORBIDDEN, "csrf", NULL, "missing or wrong CSRF token");
	}
	return ERR_OK;
}

void auth_form_token(struct req *r)
{
	const char *c;
	if (r->user && r->user->csrf) {
		req_set(r, "CSRF", r->user->csrf);
		return;
	}
	c = req_cookie(r, CSRF_COOKIE);
	if (c == NULL || strlen(c) < 22 || strlen(c) > 64) {
		c = token_new(&r->arena, 16);
		req_set_cookie(r, CSRF_COOKIE, c, 86400);
	}
	req_set(r, "CSRF", c);
}

enum err auth_session_start(struct req *r, long long user_id)
{
	const char *tok = token_new(&r->arena, 32);
	const char *csrf = token_new(&r->arena, 24);
	enum err e = db_exec(r->db,
		"INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) "
		"VALUES (?, ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL ? SECOND)",
		"sisi", token_hash(&r->arena, tok), user_id, csrf, (long long)cfg.session_seconds);
	if (e != ERR_OK)
		return e;
	/* the session that signed in before is not reused */
	const char *old = req_cookie(r, SESSION_COOKIE);
	if (old && *old && strlen(old) <= 128)
		db_exec(r->db, "DELETE FROM sessions WHERE token_hash = ?", "s", token_hash(&r->arena, old));
	db_exec(r->db, "DELETE FROM sessions WHERE user_id = ? AND expires_at < UTC_TIMESTAMP()", "i", user_id);
	req_set_cookie(r, SESSION_COOKIE, tok, cfg.session_seconds);
	return ERR_OK;
}

enum err auth_session_end(struct req *r)
{
	enum err e = ERR_OK;
	if (r->user && r->user->via_session)
		e = db_exec(r->db, "DELETE FROM sessions WHERE token_hash = ?", "s", r->user->session_hash);
	else if (r->user)
		e = db_exec(r->db, "DELETE FROM api_tokens WHERE token_hash = ?", "s", r->user->session_hash);
	req_set_cookie(r, SESSION_COOKIE, NULL, -1);
	return e;
}

enum err auth_token_create(struct req *r, long long user_id, const char *label, const char **token)
{
	const char *tok = token_new(&r->arena, 32);
	enum err e = db_exec(r->db,
		"INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES (?, ?, ?, UTC_TIMESTAMP())",
		"sis", token_hash(&r->arena, tok), user_id, label ? label : "");
	if (e == ERR_OK)
		*token = tok;
	return e;
}

enum err throttle_check(struct req *r, const char *key, int limit)
{
	struct db_result res;
	enum err e = db_query(r->db, &r->arena, &res,
		"SELECT failures, TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), window_start + INTERVAL ? SECOND) "
		"FROM throttle WHERE tkey = ? AND window_start > UTC_TIMESTAMP() - INTERVAL ? SECOND",
		"isi", (long long)cfg.throttle_window, key, (long long)cfg.throttle_window);
	if (e != ERR_OK)
		return e;
	if (res.nrows && db_cell_int(&res, 0, 0, 0) >= limit) {
		long long wait = db_cell_int(&res, 0, 1, 60);
		r->ei.retry_after = wait > 0 ? (int)wait : 1;
		return req_fail(r, ERR_TOO_MANY, "throttled", NULL, "too many failed attempts; try again later");
	}
	return ERR_OK;
}

enum err throttle_fail(struct req *r, const char *key)
{
	long long w = cfg.throttle_window;
	return db_exec(r->db,
		"INSERT INTO throttle (tkey, window_start, failures) VALUES (?, UTC_TIMESTAMP(), 1) "
		"ON DUPLICATE KEY UPDATE "
		"failures = IF(window_start <= UTC_TIMESTAMP() - INTERVAL ? SECOND, 1, failures + 1), "
		"window_start = IF(window_start <= UTC_TIMESTAMP() - INTERVAL ? SECOND, UTC_TIMESTAMP(), window_start)",
		"sii", key, w, w);
}

enum err throttle_clear(struct req *r, const char *key)
{
	return db_exec(r->db, "DELETE FROM throttle WHERE tkey = ?", "s", key);
}
