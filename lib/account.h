/* account.h: app passwords (CardDAV's sign-in): their statements and the sign-in of routes declared AUTH_APP_PASSWORD. */
#ifndef LIVECARD_ACCOUNT_H
#define LIVECARD_ACCOUNT_H

#include "arena.h"
#include "db.h"
#include "err.h"
#include "http.h"

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

#endif
