/* account.h: a member's account: its users row (sign-up, sign-in, e-mail links, settings, channels), phone numbers with their SMS codes, and app passwords (CardDAV's sign-in, routes declared AUTH_APP_PASSWORD). */
#ifndef LIVECARD_ACCOUNT_H
#define LIVECARD_ACCOUNT_H

#include "arena.h"
#include "db.h"
#include "err.h"
#include "http.h"
#include "outbox.h"

/* account_app_password_create: a new app password for user_id with label;
 * *secret (in a, shown once) and *id. Database errors as db_exec. The
 * caller decides who may (a confirmed e-mail address). */
enum err account_app_password_create(struct db *db, struct arena *a, long long user_id,
				     const char *label, long long *id, const char **secret);

/* account_app_password_list: user_id's app passwords, oldest first: rows of
 * (id, label, created_at, last_used_at) in *res (in a). */
enum err account_app_password_list(struct db *db, struct arena *a, long long user_id,
				   struct db_result *res);

/* account_app_password_delete: revoke app password id of user_id;
 * ERR_NOT_FOUND when user_id has none such. */
enum err account_app_password_delete(struct db *db, long long user_id, long long id);

/* account_app_password_signin: the "who" step of a route declared
 * AUTH_APP_PASSWORD (req_handle calls it instead of sessions and bearer
 * tokens): HTTP Basic with the account's e-mail address and one of its app
 * passwords; never the account password, nor an app password of an
 * unconfirmed address. ERR_OK with r->user set (not via a session, so no
 * CSRF token is asked); else 401 with a Basic challenge, and failures
 * counted per client address (Throttle.AddressFailures: 429 beyond). */
enum err account_app_password_signin(struct req *r);

/* --- the users row --------------------------------------------------------*/

/* The columns of account_row. */
enum account_col {
	ACCOUNT_ID, ACCOUNT_EMAIL, ACCOUNT_NAME, ACCOUNT_LOCALE, ACCOUNT_VERIFIED, ACCOUNT_CREATED,
	ACCOUNT_AUTO_UPDATE, ACCOUNT_AUTO_LINK, ACCOUNT_TZ,
	ACCOUNT_CHANNELS,	/* then one column per channel (outbox_channels[].column) */
	ACCOUNT_WEBHOOK_SECRET = ACCOUNT_CHANNELS + OUTBOX__MAX,
	ACCOUNT_COL__MAX
};

/* account_row: user_id's users row in the columns of enum account_col
 * (0 or 1 row in *res, in a). */
enum err account_row(struct db *db, struct arena *a, long long user_id, struct db_result *res);

/* account_by_email: the account of email (lock: FOR UPDATE, inside a
 * transaction): *id (0 when none), *locale and *password_hash (in a). */
enum err account_by_email(struct db *db, struct arena *a, const char *email, int lock, long long *id,
			  const char **locale, const char **password_hash);

/* account_create: a new unverified account (tz may be NULL), with phone
 * (NULL or "": none) as its first, unverified number; *id. */
enum err account_create(struct db *db, const char *email, const char *password_hash, const char *full_name,
			const char *locale, const char *tz, const char *phone, long long *id);

/* account_email_token: a new single-use link token (purpose "verify" or
 * "reset") for user_id's address email, valid seconds: *token (in a; only
 * its hash is stored). */
enum err account_email_token(struct db *db, struct arena *a, long long user_id, const char *purpose,
			     const char *email, long long seconds, const char **token);

/* account_email_verify: use a verification token: *status "verified" (the
 * address, still the account's, is now verified and its key counts for
 * matching), "already" (used before, address verified) or "invalid"; *uid
 * the token's account (0 when unknown). Inside the caller's transaction. */
enum err account_email_verify(struct db *db, struct arena *a, const char *token, const char **status,
			      long long *uid);

/* account_reset_token: the live reset token token, locked: *uid and the
 * *email it was sent to; ERR_NOT_FOUND when invalid, used or expired. */
enum err account_reset_token(struct db *db, struct arena *a, const char *token, long long *uid,
			     const char **email);

/* account_password_reset: token is used and user_id's password is now the
 * one hashed as password_hash (ending sessions is the caller's:
 * auth_credentials_end). */
enum err account_password_reset(struct db *db, struct arena *a, const char *token, long long user_id,
				const char *password_hash);

/* account_email_proved: a mailed link proved email: when it is still
 * user_id's unverified address, it is verified and its key counts. */
enum err account_email_proved(struct db *db, struct arena *a, long long user_id, const char *email);

/* account_settings_save: each of name (not ""), locale, the default update
 * policy and automatic linking of members' cards that is present. The
 * caller checks the values (declared inputs). */
enum err account_settings_save(struct db *db, long long user_id, const struct value *name,
			       const struct value *locale, const struct value *auto_update,
			       const struct value *auto_link);

/* account_tz_save: user_id's time zone (NULL: none, guessed again). */
enum err account_tz_save(struct db *db, long long user_id, const char *tz);

/* account_channel_save: user_id's setting of channel c (v as the declared
 * input outbox_channels[c].setting gives it: a flag, or a webhook URL, ""
 * for none; a webhook gets its signing secret the first time). */
enum err account_channel_save(struct db *db, struct arena *a, long long user_id, enum outbox_channel c,
			      const struct value *v);

/* account_channels_json: the "channels" object of an account_row row
 * (with_secret: the webhook's signing secret too). */
json_t *account_channels_json(const struct db_result *row, int with_secret);

/* --- phone numbers (SMS codes) ----------------------------------------------*/

/* account_phones: user_id's numbers, oldest first: rows of (phone,
 * verified, a code is waiting). */
enum err account_phones(struct db *db, struct arena *a, long long user_id, struct db_result *res);

/* account_phone_find: user_id's number phone, locked: *id (0 when none)
 * and *verified. Inside a transaction. */
enum err account_phone_find(struct db *db, struct arena *a, long long user_id, const char *phone,
			    long long *id, int *verified);

/* account_phone_add: phone becomes user_id's number *id, unless user_id
 * has max numbers already (ERR_TOO_MANY, nothing added). */
enum err account_phone_add(struct db *db, struct arena *a, long long user_id, const char *phone,
			   long long max, long long *id);

/* account_phone_code: number id waits secs seconds for code (a new code:
 * no tries used). */
enum err account_phone_code(struct db *db, struct arena *a, long long id, const char *code, long long secs);

/* account_phone_check: code, sent to one of user_id's numbers waiting for
 * one (at most max tries): the number it matches is verified and its key
 * counts for matching (*phone, in a). Otherwise *phone is NULL and
 * *waiting says how many numbers wait for a code; each of them used up a
 * try. Inside the caller's transaction. */
enum err account_phone_check(struct db *db, struct arena *a, long long user_id, const char *code,
			     long long max, const char **phone, size_t *waiting);

#endif
