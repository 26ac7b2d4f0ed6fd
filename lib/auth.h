/* auth.h: who is calling (session cookie, bearer token), CSRF, sign-in throttling. */
#ifndef LIVECARD_AUTH_H
#define LIVECARD_AUTH_H

#include "db.h"
#include "err.h"

struct req;

#define SESSION_COOKIE "lc_session"
#define CSRF_COOKIE "lc_csrf"
/* The columns of the user's row in the credential's statement; the card's
 * (AUTH_USER_CARD) follow them. */
#define AUTH_USER_COLUMNS 8

/* auth_resolve: set r->user from `Authorization: Bearer` or the session
 * cookie when valid and unexpired (for an AUTH_USER_CARD route with the
 * user's card, in the same statement); a missing or stale credential leaves
 * r->user NULL (the route decides). ERR_UNAVAILABLE when the database is down. */
enum err auth_resolve(struct req *r);

/* auth_check_csrf: for state-changing methods, require the session's CSRF
 * token (header X-CSRF-Token or the body's form field csrf, never the query
 * string) when signed in by cookie,
 * or the double-submit cookie for forms posted before signing in.
 * ERR_FORBIDDEN (code "csrf") otherwise. Bearer requests need none. */
enum err auth_check_csrf(struct req *r);

/* auth_check_csrf_early: the part of auth_check_csrf decidable before the
 * body is read: the whole check when the X-CSRF-Token header is given; else
 * ERR_FORBIDDEN when the token cannot be in the body (a session request
 * that is not a form, an anonymous form without the lc_csrf cookie). The
 * full check still follows once the form is parsed. */
enum err auth_check_csrf_early(struct req *r);

/* auth_form_token: make a CSRF token available to a form page as HDF
 * "CSRF" (the session's, or a fresh double-submit cookie). */
void auth_form_token(struct req *r);

/* auth_session_start: a new session for user_id (new token at every
 * sign-in), with its cookie set on the response. */
enum err auth_session_start(struct req *r, long long user_id);

/* auth_session_end: delete the current session or bearer token server-side
 * and clear the cookie. */
enum err auth_session_end(struct req *r);

/* auth_token_create: a new API bearer token for user_id; *token is the
 * secret (shown once), stored hashed. It expires after Auth.APITokenDays
 * days (*expires_at, "YYYY-MM-DD hh:mm:ss" UTC, in the arena). */
enum err auth_token_create(struct req *r, long long user_id, const char *label, const char **token,
			   const char **expires_at);

/* auth_token_list: the unexpired API tokens of user_id, newest first, as
 * rows (id, label, created_at, last_used_at, expires_at, current) where
 * current is 1 for the token of this request. */
enum err auth_token_list(struct req *r, long long user_id, struct db_result *res);

/* auth_token_revoke: delete token id of user_id; ERR_NOT_FOUND (404
 * detail) when user_id has no such token. */
enum err auth_token_revoke(struct req *r, long long user_id, long long id);

/* auth_credentials_end: end every session, API token and CardDAV app
 * password of user_id and forget the account's sign-in failures (after a
 * password reset). Runs in the caller's transaction. */
enum err auth_credentials_end(struct req *r, long long user_id, const char *email);

/* throttle_take: count one attempt against key, atomically (one upsert;
 * concurrent requests each see their own count), in a fixed window of
 * window_s seconds. ERR_OK while the count, this attempt included, is at
 * most limit; else ERR_TOO_MANY with r->ei.retry_after set and the detail
 * code (e.g. "throttled"). A limit <= 0 never refuses and counts nothing. */
enum err throttle_take(struct req *r, const char *key, int limit, long window_s, const char *code);

/* throttle_give: take one attempt of key back (it turned out a success). */
void throttle_give(struct req *r, const char *key);

/* throttle_clear: forget the attempts of key. */
void throttle_clear(struct req *r, const char *key);

/* throttle_signin_take: before a password of email is checked, count the
 * attempt as a failure for this client on this account
 * (Throttle.SignInFailures), for this client (Throttle.AddressFailures)
 * and for the account from all clients (Throttle.AccountFailures), all in
 * Throttle.WindowSeconds. ERR_TOO_MANY (429 "throttled") when one is spent;
 * then nothing stays counted but the spent key. */
enum err throttle_signin_take(struct req *r, const char *email);

/* throttle_signin_ok: the password was right: this client's failures on
 * the account are forgotten, and the attempt counted by
 * throttle_signin_take no longer counts against the client or the account. */
void throttle_signin_ok(struct req *r, const char *email);

/* throttle_mail_take: before a sign-up or reset mail to email is queued:
 * count it for the client address (Throttle.MailsPerClient) and for the
 * recipient (Throttle.MailsPerRecipient) in Throttle.MailWindowSeconds,
 * whether or not the address has an account. ERR_TOO_MANY (429
 * "too_many_mails", field "email") when either is spent. */
enum err throttle_mail_take(struct req *r, const char *email);

#endif
