/* auth.h: who is calling (session cookie, bearer token), CSRF, sign-in throttling. */
#ifndef LIVECARD_AUTH_H
#define LIVECARD_AUTH_H

#include "err.h"

struct req;

#define SESSION_COOKIE "lc_session"
#define CSRF_COOKIE "lc_csrf"

/* auth_resolve: set r->user from `Authorization: Bearer` or the session
 * cookie when valid and unexpired; a missing or stale credential leaves
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
 * secret (shown once), stored hashed. */
enum err auth_token_create(struct req *r, long long user_id, const char *label, const char **token);

/* throttle_check: ERR_TOO_MANY (r->ei.retry_after set) when key has had
 * limit failures within Throttle.WindowSeconds. */
enum err throttle_check(struct req *r, const char *key, int limit);

/* throttle_fail: count one failure for key. */
enum err throttle_fail(struct req *r, const char *key);

/* throttle_clear: forget the failures of key (after a success). */
enum err throttle_clear(struct req *r, const char *key);

#endif
