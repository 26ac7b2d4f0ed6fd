/* auth.c: sessions and bearer tokens (stored hashed), CSRF checks and sign-in throttling. */
#include "auth.h"

#include <string.h>
#include <strings.h>

#include "config.h"
#include "crypto.h"
#include "http.h"
#include "log.h"
#include "owncard.h"

/* The queries that resolve a credential: the user's columns, then (8th)
 * whether the credential's last use needs recording (API tokens: not
 * within the last minute), so that a token used again within the minute
 * costs no second statement; then, for an AUTH_USER_CARD route, the
 * user's card (LEFT JOIN: NULL cells when the member has none yet), so that
 * the handler needs no statement of its own. Indexed by [bearer][with card]. */
#define BY_SESSION(COLS, JOIN) \
	"SELECT u.id, u.email, u.full_name, u.locale, u.email_verified_at IS NOT NULL, s.csrf, u.tz, 0" COLS " " \
	"FROM sessions s JOIN users u ON u.id = s.user_id " JOIN \
	"WHERE s.token_hash = ? AND s.expires_at > UTC_TIMESTAMP()"
#define BY_TOKEN(COLS, JOIN) \
	"SELECT u.id, u.email, u.full_name, u.locale, u.email_verified_at IS NOT NULL, NULL, u.tz, " \
	"t.last_used_at IS NULL OR t.last_used_at < UTC_TIMESTAMP() - INTERVAL 1 MINUTE" COLS " " \
	"FROM api_tokens t JOIN users u ON u.id = t.user_id " JOIN \
	"WHERE t.token_hash = ? AND t.expires_at > UTC_TIMESTAMP()"
#define CARD_COLS ", " OWNCARD_COLUMNS
#define CARD_JOIN "LEFT JOIN cards c ON c.user_id = u.id "

static const char *const user_sql[2][2] = {
	{BY_SESSION("", ""), BY_SESSION(CARD_COLS, CARD_JOIN)},
	{BY_TOKEN("", ""), BY_TOKEN(CARD_COLS, CARD_JOIN)},
};

/* load_user: r->user from the credential hashed to hash (a bearer token
 * when bearer, else a session); *stale is the 8th column (0 when no user). */
static enum err load_user(struct req *r, int bearer, const char *hash, int *stale)
{
	struct db_result *res = arena_alloc(&r->arena, sizeof(*res));
	int with_card = r->route && r->route->auth == AUTH_USER_CARD;
	enum err e = db_query(r->db, &r->arena, res, user_sql[bearer][with_card], "s", hash);
	if (e != ERR_OK)
		return e;
	*stale = 0;
	if (res->nrows == 0)
		return ERR_OK;
	*stale = db_cell_int(res, 0, 7, 0) != 0;
	struct user *u = arena_alloc(&r->arena, sizeof(*u));
	u->id = db_cell_int(res, 0, 0, 0);
	u->email = db_cell(res, 0, 1);
	u->full_name = db_cell(res, 0, 2);
	u->locale = db_cell(res, 0, 3);
	u->email_verified = (int)db_cell_int(res, 0, 4, 0);
	u->csrf = db_cell(res, 0, 5);
	u->tz = db_cell(res, 0, 6);
	u->via_session = !bearer;
	u->session_hash = hash;
	u->own_card = with_card ? res : NULL;
	r->user = u;
	return ERR_OK;
}

enum err auth_resolve(struct req *r)
{
	const char *authz = req_env(r, "HTTP_AUTHORIZATION");
	const char *cookie;
	int stale;

	if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
		const char *tok = authz + 7;
		while (*tok == ' ')
			tok++;
		if (*tok == '\0' || strlen(tok) > 128)
			return req_fail(r, ERR_UNAUTHORIZED, "invalid_token", NULL, "invalid bearer token");
		enum err e = load_user(r, 1, token_hash(&r->arena, tok), &stale);
		if (e == ERR_OK && r->user == NULL)
			return req_fail(r, ERR_UNAUTHORIZED, "invalid_token", NULL, "invalid or revoked bearer token");
		if (e == ERR_OK && stale)
			db_exec(r->db, "UPDATE api_tokens SET last_used_at = UTC_TIMESTAMP() "
				"WHERE token_hash = ? AND (last_used_at IS NULL OR last_used_at < UTC_TIMESTAMP() - INTERVAL 1 MINUTE)",
				"s", r->user->session_hash);
		return e;
	}
	cookie = req_cookie(r, SESSION_COOKIE);
	if (cookie && *cookie && strlen(cookie) <= 128)
		return load_user(r, 0, token_hash(&r->arena, cookie), &stale);
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

/* token_days: Auth.APITokenDays, 1 day to 10 years. */
static long long token_days(void)
{
	long d = config_get_int("Auth.APITokenDays", 90);
	return d < 1 ? 1 : d > 3650 ? 3650 : d;
}

enum err auth_token_create(struct req *r, long long user_id, const char *label, const char **token,
			   const char **expires_at)
{
	const char *tok = token_new(&r->arena, 32);
	struct db_result res;
	enum err e = db_exec(r->db,
		"INSERT INTO api_tokens (token_hash, user_id, label, created_at, expires_at) "
		"VALUES (?, ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL ? DAY)",
		"sisi", token_hash(&r->arena, tok), user_id, label ? label : "", token_days());
	if (e == ERR_OK)
		e = db_query(r->db, &r->arena, &res, "SELECT expires_at FROM api_tokens WHERE token_hash = ?",
			     "s", token_hash(&r->arena, tok));
	if (e != ERR_OK)
		return e;
	*token = tok;
	*expires_at = db_cell(&res, 0, 0);
	return ERR_OK;
}

enum err auth_token_list(struct req *r, long long user_id, struct db_result *res)
{
	const char *mine = r->user && !r->user->via_session ? r->user->session_hash : "";
	return db_query(r->db, &r->arena, res,
		"SELECT id, label, created_at, last_used_at, expires_at, token_hash = ? FROM api_tokens "
		"WHERE user_id = ? AND expires_at > UTC_TIMESTAMP() ORDER BY id DESC",
		"si", mine, user_id);
}

enum err auth_token_revoke(struct req *r, long long user_id, long long id)
{
	enum err e = db_exec(r->db, "DELETE FROM api_tokens WHERE id = ? AND user_id = ?", "ii", id, user_id);
	if (e != ERR_OK)
		return e;
	if (db_affected(r->db) == 0)
		return req_fail(r, ERR_NOT_FOUND, NULL, NULL, "no such token");
	return ERR_OK;
}

enum err auth_credentials_end(struct req *r, long long user_id, const char *email)
{
	enum err e;
	if ((e = db_exec(r->db, "DELETE FROM sessions WHERE user_id = ?", "i", user_id)) != ERR_OK ||
	    (e = db_exec(r->db, "DELETE FROM api_tokens WHERE user_id = ?", "i", user_id)) != ERR_OK ||
	    (e = db_exec(r->db, "DELETE FROM app_passwords WHERE user_id = ?", "i", user_id)) != ERR_OK)
		return e;
	/* whoever locked the account out, its owner just proved the address */
	return db_exec(r->db, "DELETE FROM throttle WHERE tkey = ?", "s",
		       arena_printf(&r->arena, "acct:%s", email));
}

/* --- throttling -------------------------------------------------------------*/

enum err throttle_take(struct req *r, const char *key, int limit, long window_s, const char *code)
{
	struct db_result res;
	long long w = window_s > 0 ? window_s : 1;
	enum err e;

	if (limit <= 0)
		return ERR_OK;
	/* LAST_INSERT_ID(expr) hands this connection the count its own upsert
	 * wrote: no read-then-write, so parallel attempts cannot all pass */
	e = db_exec(r->db,
		"INSERT INTO throttle (tkey, window_start, failures) VALUES (?, UTC_TIMESTAMP(), LAST_INSERT_ID(1)) "
		"ON DUPLICATE KEY UPDATE "
		"failures = LAST_INSERT_ID(IF(window_start <= UTC_TIMESTAMP() - INTERVAL ? SECOND, 1, failures + 1)), "
		"window_start = IF(window_start <= UTC_TIMESTAMP() - INTERVAL ? SECOND, UTC_TIMESTAMP(), window_start)",
		"sii", key, w, w);
	if (e != ERR_OK)
		return e;
	e = db_query(r->db, &r->arena, &res,
		"SELECT LAST_INSERT_ID(), TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), window_start + INTERVAL ? SECOND) "
		"FROM throttle WHERE tkey = ?", "is", w, key);
	if (e != ERR_OK)
		return e;
	if (res.nrows && db_cell_int(&res, 0, 0, 0) > limit) {
		long long wait = db_cell_int(&res, 0, 1, w);
		r->ei.retry_after = wait > 0 ? (int)wait : 1;
		return req_fail(r, ERR_TOO_MANY, code, NULL, "too many attempts; try again later");
	}
	return ERR_OK;
}

void throttle_give(struct req *r, const char *key)
{
	db_exec(r->db, "UPDATE throttle SET failures = failures - 1 WHERE tkey = ? AND failures > 0", "s", key);
}

void throttle_clear(struct req *r, const char *key)
{
	db_exec(r->db, "DELETE FROM throttle WHERE tkey = ?", "s", key);
}

/* signin_keys: the three sign-in throttle keys of email from this client. */
static void signin_keys(struct req *r, const char *email, const char *k[3])
{
	k[0] = arena_printf(&r->arena, "acct:%s|%s", email, r->remote_addr);
	k[1] = arena_printf(&r->arena, "addr:%s", r->remote_addr);
	k[2] = arena_printf(&r->arena, "acct:%s", email);
}

enum err throttle_signin_take(struct req *r, const char *email)
{
	const char *k[3];
	const int limit[3] = {cfg.throttle_failures, cfg.throttle_addr_failures,
			      (int)config_get_int("Throttle.AccountFailures", 100)};
	signin_keys(r, email, k);
	for (int i = 0; i < 3; i++) {
		enum err e = throttle_take(r, k[i], limit[i], cfg.throttle_window, "throttled");
		if (e != ERR_OK) {
			/* the attempt is refused: it counts only where it was refused */
			while (--i >= 0)
				if (limit[i] > 0)
					throttle_give(r, k[i]);
			if (e == ERR_TOO_MANY)
				r->ei.message = "too many failed attempts; try again later";
			return e;
		}
	}
	return ERR_OK;
}

void throttle_signin_ok(struct req *r, const char *email)
{
	const char *k[3];
	signin_keys(r, email, k);
	throttle_clear(r, k[0]);
	throttle_give(r, k[1]);
	throttle_give(r, k[2]);
}

enum err throttle_mail_take(struct req *r, const char *email)
{
	long w = config_get_int("Throttle.MailWindowSeconds", 3600);
	enum err e = throttle_take(r, arena_printf(&r->arena, "mail:c:%s", r->remote_addr),
				   (int)config_get_int("Throttle.MailsPerClient", 20), w, "too_many_mails");
	if (e == ERR_OK)
		e = throttle_take(r, arena_printf(&r->arena, "mail:r:%s", email),
				  (int)config_get_int("Throttle.MailsPerRecipient", 5), w, "too_many_mails");
	if (e == ERR_TOO_MANY) {
		r->ei.field = "email";
		r->ei.message = "too many mails to this address or from this client; try again later";
	}
	return e;
}
