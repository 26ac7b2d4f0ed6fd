/* account.c: app passwords: creating, listing and revoking them, and signing in with one (HTTP Basic, routes declared AUTH_APP_PASSWORD). */
#include "account.h"

#include <string.h>

#include "auth.h"
#include "config.h"
#include "contact.h"
#include "crypto.h"
#include "dav.h"

enum err account_app_password_create(struct db *db, struct arena *a, long long user_id,
				     const char *label, long long *id, const char **secret)
{
	*secret = token_new(a, 18);
	enum err e = db_exec(db, "INSERT INTO app_passwords (user_id, label, secret_hash) VALUES (?, ?, ?)",
			     "iss", user_id, label, token_hash(a, *secret));
	*id = (long long)db_insert_id(db);
	return e;
}

enum err account_app_password_list(struct db *db, struct arena *a, long long user_id,
				   struct db_result *res)
{
	return db_query(db, a, res,
		"SELECT id, label, created_at, last_used_at FROM app_passwords WHERE user_id = ? ORDER BY id",
		"i", user_id);
}

enum err account_app_password_delete(struct db *db, long long user_id, long long id)
{
	enum err e = db_exec(db, "DELETE FROM app_passwords WHERE id = ? AND user_id = ?", "ii", id, user_id);
	if (e == ERR_OK && db_affected(db) == 0)
		return ERR_NOT_FOUND;
	return e;
}

static enum err challenge(struct req *r, const char *why)
{
	req_add_header(r, "WWW-Authenticate: Basic realm=\"livecard\", charset=\"UTF-8\"");
	return req_fail(r, ERR_UNAUTHORIZED, "unauthorized", NULL, why);
}

enum err account_app_password_signin(struct req *r)
{
	const char *user, *pass, *email;
	const char *k_addr = arena_printf(&r->arena, "dav:%s", r->remote_addr);
	struct db_result res;
	enum err e;

	if (!dav_basic_parse(req_env(r, "HTTP_AUTHORIZATION"), &r->arena, &user, &pass))
		return challenge(r, "sign in with your e-mail address and an app password");
	email = email_normalize(user, &r->arena);
	if (email && *pass && strlen(pass) <= 128) {
		e = db_query(r->db, &r->arena, &res,
			"SELECT u.id, u.email, u.full_name, u.locale, a.id, "
			"a.last_used_at IS NULL OR a.last_used_at < UTC_TIMESTAMP() - INTERVAL 1 MINUTE "
			"FROM app_passwords a JOIN users u ON u.id = a.user_id "
			"WHERE a.secret_hash = ? AND u.email_verified_at IS NOT NULL",
			"s", token_hash(&r->arena, pass));
		if (e != ERR_OK)
			return e;
		if (res.nrows == 1 && strcmp(db_cell(&res, 0, 1), email) == 0) {
			struct user *u = arena_alloc(&r->arena, sizeof(*u));
			u->id = db_cell_int(&res, 0, 0, 0);
			u->email = db_cell(&res, 0, 1);
			u->full_name = db_cell(&res, 0, 2);
			u->locale = db_cell(&res, 0, 3);
			u->email_verified = 1;
			u->via_session = 0;
			r->user = u;
			if (db_cell_int(&res, 0, 5, 0))
				db_exec(r->db, "UPDATE app_passwords SET last_used_at = UTC_TIMESTAMP() WHERE id = ?",
					"i", db_cell_int(&res, 0, 4, 0));
			return ERR_OK;
		}
	}
	/* only failures are throttled: an app password is 144 random bits */
	if ((e = throttle_take(r, k_addr, cfg.throttle_addr_failures, cfg.throttle_window, "throttled")) != ERR_OK)
		return e;
	return challenge(r, "wrong e-mail address or app password");
}
