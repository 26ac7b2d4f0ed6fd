/* err.h: the error values every layer returns, and their HTTP statuses. */
#ifndef LIVECARD_ERR_H
#define LIVECARD_ERR_H

enum err {
	ERR_OK = 0,
	ERR_BAD_REQUEST,	/* 400: malformed or invalid input */
	ERR_UNAUTHORIZED,	/* 401: not signed in */
	ERR_FORBIDDEN,		/* 403: signed in but not allowed (CSRF, ...) */
	ERR_NOT_FOUND,		/* 404: no such object, or not yours */
	ERR_METHOD,		/* 405: path exists, method does not */
	ERR_CONFLICT,		/* 409: duplicate or state conflict */
	ERR_GONE,		/* 410: link expired or already used */
	ERR_PRECONDITION,	/* 412: stale If-Match */
	ERR_TOO_LARGE,		/* 413: body over the limit */
	ERR_MEDIA_TYPE,		/* 415: unsupported content type */
	ERR_TOO_MANY,		/* 429: throttled; Retry-After set */
	ERR_INTERNAL,		/* 500: a bug or an unexpected library failure */
	ERR_UNAVAILABLE,	/* 503: database or another dependency down */
	ERR__MAX
};

/* A detailed failure: the API's {"error":{code,message,field}} body.
 * The strings are static or owned by the request arena. */
struct errinfo {
	enum err err;
	const char *code;	/* machine-readable, e.g. "invalid_email" */
	const char *message;	/* human-readable, English, for API clients */
	const char *field;	/* the offending field, or NULL */
	int retry_after;	/* seconds, for ERR_TOO_MANY */
};

/* err_status: HTTP status code for an error value (200 for ERR_OK). */
int err_status(enum err e);

/* err_reason: HTTP reason phrase for an error value. */
const char *err_reason(enum err e);

/* err_default_code: the default machine-readable code for an error value. */
const char *err_default_code(enum err e);

/* errinfo_set: fill *ei and return e, so callers can write
 * `return errinfo_set(ei, ERR_BAD_REQUEST, "invalid_email", "email", "...")`.
 * ei may be NULL (then only e is returned). */
enum err errinfo_set(struct errinfo *ei, enum err e, const char *code,
		     const char *field, const char *message);

#endif
