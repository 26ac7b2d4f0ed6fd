/* account.c: a member's account: the users row (sign-up, sign-in, e-mail links, settings, channels), phone numbers and their codes, app passwords and the sign-in with one (HTTP Basic, routes declared AUTH_APP_PASSWORD). */
#include "account.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "config.h"
#include "contact.h"
#include "crypto.h"
#include "dav.h"
#include "member.h"

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

/* --- the users row --------------------------------------------------------*/

/* The statement of account_row, its channel columns from outbox_channels[]. */
static const char *account_row_sql(void)
{
	static char sql[512];

	if (sql[0] == '\0') {
		size_t n = (size_t)snprintf(sql, sizeof(sql), "SELECT id, email, full_name, locale, "
			"email_verified_at IS NOT NULL, created_at, auto_update_default, auto_link_members, tz");
		for (int c = 0; c < OUTBOX__MAX && n < sizeof(sql); c++)
			n += (size_t)snprintf(sql + n, sizeof(sql) - n, ", %s", outbox_channels[c].column);
		if (n < sizeof(sql))
			snprintf(sql + n, sizeof(sql) - n, ", webhook_secret FROM users WHERE id = ?");
	}
	return sql;
}

enum err account_row(struct db *db, struct arena *a, long long user_id, struct db_result *res)
{
	return db_query(db, a, res, account_row_sql(), "i", user_id);
}

enum err account_by_email(struct db *db, struct arena *a, const char *email, int lock, long long *id,
			  const char **locale, const char **password_hash)
{
	struct db_result res;
	enum err e = db_query(db, a, &res, lock ?
		"SELECT id, locale, password_hash FROM users WHERE email = ? FOR UPDATE" :
		"SELECT id, locale, password_hash FROM users WHERE email = ?", "s", email);

	*id = 0;
	*locale = *password_hash = NULL;
	if (e == ERR_OK && res.nrows) {
		*id = db_cell_int(&res, 0, 0, 0);
		*locale = db_cell(&res, 0, 1);
		*password_hash = db_cell(&res, 0, 2);
	}
	return e;
}

enum err account_create(struct db *db, const char *email, const char *password_hash, const char *full_name,
			const char *locale, const char *tz, const char *phone, long long *id)
{
	enum err e = db_exec(db,
		"INSERT INTO users (email, password_hash, full_name, locale, tz, created_at) "
		"VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP())", "sssss", email, password_hash, full_name, locale, tz);

	if (e != ERR_OK)
		return e;
	*id = (long long)db_insert_id(db);
	if (phone && *phone)
		e = db_exec(db, "INSERT INTO user_phones (user_id, phone) VALUES (?, ?)", "is", *id, phone);
	return e;
}

enum err account_email_token(struct db *db, struct arena *a, long long user_id, const char *purpose,
			     const char *email, long long seconds, const char **token)
{
	*token = token_new(a, 32);
	return db_exec(db,
		"INSERT INTO email_tokens (token_hash, user_id, purpose, email, created_at, expires_at) "
		"VALUES (?, ?, ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL ? SECOND)",
		"sissi", token_hash(a, *token), user_id, purpose, email, seconds);
}

enum err account_email_verify(struct db *db, struct arena *a, const char *token, const char **status,
			      long long *uid)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT t.user_id, t.email, t.used_at IS NOT NULL, t.expires_at > UTC_TIMESTAMP(), "
		"u.email = t.email, u.email_verified_at IS NOT NULL "
		"FROM email_tokens t JOIN users u ON u.id = t.user_id "
		"WHERE t.token_hash = ? AND t.purpose = 'verify' FOR UPDATE",
		"s", token_hash(a, token));

	*status = "invalid";
	if (e != ERR_OK || res.nrows == 0)
		return e;
	*uid = db_cell_int(&res, 0, 0, 0);
	if (db_cell_int(&res, 0, 2, 0) || !db_cell_int(&res, 0, 3, 0) || !db_cell_int(&res, 0, 4, 0)) {
		if (db_cell_int(&res, 0, 2, 0) && db_cell_int(&res, 0, 4, 0) && db_cell_int(&res, 0, 5, 0))
			*status = "already";
		return ERR_OK;
	}
	e = db_exec(db, "UPDATE email_tokens SET used_at = UTC_TIMESTAMP() WHERE token_hash = ?",
		    "s", token_hash(a, token));
	if (e == ERR_OK)
		e = db_exec(db, "UPDATE users SET email_verified_at = UTC_TIMESTAMP() WHERE id = ? "
			    "AND email_verified_at IS NULL", "i", *uid);
	if (e == ERR_OK)
		e = member_key_verified(db, a, *uid, arena_printf(a, "e:%s", db_cell(&res, 0, 1)));
	if (e == ERR_OK)
		*status = "verified";
	return e;
}

enum err account_reset_token(struct db *db, struct arena *a, const char *token, long long *uid,
			     const char **email)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT user_id, email FROM email_tokens WHERE token_hash = ? AND purpose = 'reset' "
		"AND used_at IS NULL AND expires_at > UTC_TIMESTAMP() FOR UPDATE", "s", token_hash(a, token));

	if (e == ERR_OK && res.nrows == 0)
		e = ERR_NOT_FOUND;
	if (e == ERR_OK) {
		*uid = db_cell_int(&res, 0, 0, 0);
		*email = db_cell(&res, 0, 1);
	}
	return e;
}

enum err account_password_reset(struct db *db, struct arena *a, const char *token, long long user_id,
				const char *password_hash)
{
	enum err e = db_exec(db, "UPDATE email_tokens SET used_at = UTC_TIMESTAMP() WHERE token_hash = ?",
			     "s", token_hash(a, token));

	if (e == ERR_OK)
		e = db_exec(db, "UPDATE users SET password_hash = ? WHERE id = ?", "si", password_hash, user_id);
	return e;
}

enum err account_email_proved(struct db *db, struct arena *a, long long user_id, const char *email)
{
	enum err e = db_exec(db, "UPDATE users SET email_verified_at = UTC_TIMESTAMP() WHERE id = ? "
			     "AND email = ? AND email_verified_at IS NULL", "is", user_id, email);

	if (e == ERR_OK && db_affected(db))
		e = member_key_verified(db, a, user_id, arena_printf(a, "e:%s", email));
	return e;
}

enum err account_settings_save(struct db *db, long long user_id, const struct value *name,
			       const struct value *locale, const struct value *auto_update,
			       const struct value *auto_link)
{
	enum err e = ERR_OK;

	if (name->present && *name->str)
		e = db_exec(db, "UPDATE users SET full_name = ? WHERE id = ?", "si", name->str, user_id);
	if (e == ERR_OK && locale->present)
		e = db_exec(db, "UPDATE users SET locale = ? WHERE id = ?", "si", locale->str, user_id);
	if (e == ERR_OK && auto_update->present)
		e = db_exec(db, "UPDATE users SET auto_update_default = ? WHERE id = ?", "ii",
			    auto_update->num, user_id);
	if (e == ERR_OK && auto_link->present)
		e = db_exec(db, "UPDATE users SET auto_link_members = ? WHERE id = ?", "ii",
			    auto_link->num, user_id);
	return e;
}

enum err account_tz_save(struct db *db, long long user_id, const char *tz)
{
	return db_exec(db, "UPDATE users SET tz = ? WHERE id = ?", "si", tz, user_id);
}

/* Each channel's setting, a switch over enum outbox_channel without a
 * default: the compiler names a channel left out. */
enum err account_channel_save(struct db *db, struct arena *a, long long user_id, enum outbox_channel c,
			      const struct value *v)
{
	switch (c) {
	case OUTBOX_EMAIL:
		return db_exec(db, "UPDATE users SET notify_email = ? WHERE id = ?", "ii", v->num, user_id);
	case OUTBOX_SMS:
		return db_exec(db, "UPDATE users SET notify_sms = ? WHERE id = ?", "ii", v->num, user_id);
	case OUTBOX_WEBHOOK:
		return db_exec(db, "UPDATE users SET webhook_url = ?, webhook_secret = "
			       "COALESCE(webhook_secret, ?) WHERE id = ?", "ssi", *v->str ? v->str : NULL,
			       token_new(a, 32), user_id);
	case OUTBOX__MAX:
		break;
	}
	return ERR_INTERNAL;
}

json_t *account_channels_json(const struct db_result *row, int with_secret)
{
	json_t *o = json_object();

	for (int c = 0; c < OUTBOX__MAX; c++) {
		const char *key = outbox_channels[c].setting;
		size_t col = ACCOUNT_CHANNELS + (size_t)c;
		switch ((enum outbox_channel)c) {
		case OUTBOX_EMAIL:
			json_object_set_new(o, key, json_boolean(db_cell_int(row, 0, col, 1)));
			break;
		case OUTBOX_SMS:
			json_object_set_new(o, key, json_boolean(db_cell_int(row, 0, col, 0)));
			break;
		case OUTBOX_WEBHOOK:
			json_object_set_new(o, key, db_cell(row, 0, col) ? json_string(db_cell(row, 0, col)) : json_null());
			if (with_secret)
				json_object_set_new(o, "webhook_secret", db_cell(row, 0, col) &&
						    db_cell(row, 0, ACCOUNT_WEBHOOK_SECRET) ?
						    json_string(db_cell(row, 0, ACCOUNT_WEBHOOK_SECRET)) : json_null());
			break;
		case OUTBOX__MAX:
			break;
		}
	}
	return o;
}

/* --- phone numbers (SMS codes) ----------------------------------------------*/

enum err account_phones(struct db *db, struct arena *a, long long user_id, struct db_result *res)
{
	return db_query(db, a, res,
		"SELECT phone, verified_at IS NOT NULL, code_hash IS NOT NULL AND code_expires_at > UTC_TIMESTAMP() "
		"FROM user_phones WHERE user_id = ? ORDER BY id", "i", user_id);
}

enum err account_phone_find(struct db *db, struct arena *a, long long user_id, const char *phone,
			    long long *id, int *verified)
{
	struct db_result res;
	enum err e = db_query(db, a, &res, "SELECT id, verified_at IS NOT NULL FROM user_phones "
			      "WHERE user_id = ? AND phone = ? FOR UPDATE", "is", user_id, phone);

	*id = e == ERR_OK && res.nrows ? db_cell_int(&res, 0, 0, 0) : 0;
	*verified = *id && db_cell_int(&res, 0, 1, 0);
	return e;
}

enum err account_phone_add(struct db *db, struct arena *a, long long user_id, const char *phone,
			   long long max, long long *id)
{
	struct db_result n;
	enum err e = db_query(db, a, &n, "SELECT COUNT(*) FROM user_phones WHERE user_id = ?", "i", user_id);

	if (e != ERR_OK)
		return e;
	if (db_cell_int(&n, 0, 0, 0) >= max)
		return ERR_TOO_MANY;
	e = db_exec(db, "INSERT INTO user_phones (user_id, phone, created_at) VALUES (?, ?, UTC_TIMESTAMP())",
		    "is", user_id, phone);
	*id = (long long)db_insert_id(db);
	return e;
}

/* the stored hash of a code sent to number id */
static const char *phone_code_hash(struct arena *a, long long id, const char *code)
{
	return token_hash(a, arena_printf(a, "phone:%lld:%s", id, code));
}

enum err account_phone_code(struct db *db, struct arena *a, long long id, const char *code, long long secs)
{
	return db_exec(db, "UPDATE user_phones SET code_hash = ?, code_expires_at = UTC_TIMESTAMP() + INTERVAL ? SECOND, "
		       "code_attempts = 0 WHERE id = ?", "sii", phone_code_hash(a, id, code), secs, id);
}

enum err account_phone_check(struct db *db, struct arena *a, long long user_id, const char *code,
			     long long max, const char **phone, size_t *waiting)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT id, phone, code_hash FROM user_phones WHERE user_id = ? AND verified_at IS NULL "
		"AND code_hash IS NOT NULL AND code_expires_at > UTC_TIMESTAMP() AND code_attempts < ? "
		"ORDER BY id FOR UPDATE", "ii", user_id, max);

	*phone = NULL;
	*waiting = 0;
	if (e != ERR_OK)
		return e;
	for (size_t i = 0; i < res.nrows; i++) {
		long long id = db_cell_int(&res, i, 0, 0);
		if (!secure_equal(phone_code_hash(a, id, code), db_cell(&res, i, 2)))
			continue;
		*phone = db_cell(&res, i, 1);
		e = db_exec(db, "UPDATE user_phones SET verified_at = UTC_TIMESTAMP(), code_hash = NULL, "
			    "code_expires_at = NULL, code_attempts = 0 WHERE id = ?", "i", id);
		if (e == ERR_OK)
			e = member_key_verified(db, a, user_id, arena_printf(a, "t:%s", *phone));
		return e;
	}
	*waiting = res.nrows;
	if (res.nrows == 0)
		return ERR_OK;
	return db_exec(db, "UPDATE user_phones SET code_attempts = code_attempts + 1, "
		       "code_hash = IF(code_attempts >= ?, NULL, code_hash) WHERE user_id = ? AND verified_at IS NULL "
		       "AND code_hash IS NOT NULL", "ii", max, user_id);
}
