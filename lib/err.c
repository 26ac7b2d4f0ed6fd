/* err.c: error values to HTTP statuses and default codes. */
#include "err.h"

#include <stddef.h>

static const struct {
	int status;
	const char *reason;
	const char *code;
} err_table[ERR__MAX] = {
	[ERR_OK] = {200, "OK", "ok"},
	[ERR_BAD_REQUEST] = {400, "Bad Request", "bad_request"},
	[ERR_UNAUTHORIZED] = {401, "Unauthorized", "unauthorized"},
	[ERR_FORBIDDEN] = {403, "Forbidden", "forbidden"},
	[ERR_NOT_FOUND] = {404, "Not Found", "not_found"},
	[ERR_METHOD] = {405, "Method Not Allowed", "method_not_allowed"},
	[ERR_CONFLICT] = {409, "Conflict", "conflict"},
	[ERR_GONE] = {410, "Gone", "gone"},
	[ERR_PRECONDITION] = {412, "Precondition Failed", "precondition_failed"},
	[ERR_TOO_LARGE] = {413, "Payload Too Large", "too_large"},
	[ERR_MEDIA_TYPE] = {415, "Unsupported Media Type", "unsupported_media_type"},
	[ERR_TOO_MANY] = {429, "Too Many Requests", "too_many_requests"},
	[ERR_INTERNAL] = {500, "Internal Server Error", "internal"},
	[ERR_UNAVAILABLE] = {503, "Service Unavailable", "unavailable"},
};

int err_status(enum err e)
{
	return (e >= 0 && e < ERR__MAX) ? err_table[e].status : 500;
}

const char *err_reason(enum err e)
{
	return (e >= 0 && e < ERR__MAX) ? err_table[e].reason : "Internal Server Error";
}

const char *err_default_code(enum err e)
{
	return (e >= 0 && e < ERR__MAX) ? err_table[e].code : "internal";
}

enum err errinfo_set(struct errinfo *ei, enum err e, const char *code,
		     const char *field, const char *message)
{
	if (ei) {
		ei->err = e;
		ei->code = code ? code : err_default_code(e);
		ei->field = field;
		ei->message = message;
	}
	return e;
}
