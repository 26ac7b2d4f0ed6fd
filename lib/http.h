/* http.h: the request context, route tables, declared inputs and responses. */
#ifndef LIVECARD_HTTP_H
#define LIVECARD_HTTP_H

#include <stddef.h>
#include <stdio.h>

#include <ClearSilver.h>
#include <jansson.h>

#include "arena.h"
#include "db.h"
#include "err.h"

struct req;

/* Who may call a route. */
enum auth_need {
	AUTH_NONE,	/* anyone; the user is still resolved when signed in */
	AUTH_USER,	/* signed in (session cookie or bearer token) */
	AUTH_USER_CARD,	/* AUTH_USER, and the user's own card is read in the same
			 * statement as the user (user->own_card): a handler
			 * that needs only that row costs one statement */
	AUTH_APP_PASSWORD,	/* HTTP Basic with an app password (CardDAV), never a
				 * session or bearer token: account_app_password_signin */
	AUTH__MAX
};

/* What body a route accepts; anything else is 415 before the handler. */
enum body_kind {
	BODY_NONE,	/* no body expected (GET, DELETE, bodiless POST) */
	BODY_JSON,	/* application/json, limit Limits.BodyBytes */
	BODY_FORM,	/* urlencoded or multipart browser form, Limits.BodyBytes */
	BODY_UPLOAD,	/* multipart form with a file, Limits.ImageBytes */
	BODY_IMAGE,	/* raw image/jpeg|png|webp, Limits.ImageBytes */
	BODY_VCARD,	/* text/vcard (or text/x-vcard), Limits.ImportBytes */
	BODY_VCARD_FORM,/* multipart form with a vCard file, Limits.ImportBytes */
	BODY_XML,	/* application/xml or text/xml (CardDAV), Limits.BodyBytes;
			 * a REPORT's Limits.DAVReportBytes */
	BODY_IMAGES,	/* a raw image as BODY_IMAGE, or a multipart form with image
			 * files as BODY_UPLOAD (POST /api/v1/folder/scan) */
	BODY__MAX
};

/* Types of declared inputs; each is validated before the handler runs. */
enum input_type {
	IN_TEXT,	/* UTF-8 text, trimmed, length min..max bytes */
	IN_PASSWORD,	/* UTF-8, not trimmed, length min..max */
	IN_EMAIL,	/* normalised e-mail address */
	IN_PHONE,	/* normalised to E.164 with Site.DefaultCountry */
	IN_URL,		/* http(s) URL, or empty when not required */
	IN_INT,		/* integer in min..max */
	IN_BOOL,	/* JSON true/false; forms: "1","on","true" / "0","off","false" */
	IN_TOKEN,	/* [A-Za-z0-9_-], length min..max */
	IN_ENUM,	/* one of choices[] */
	IN_JSON,	/* any JSON value (body only), checked by the handler's validator */
	IN_STRLIST,	/* JSON array of strings / repeated form field, each ≤ max bytes */
	IN_LOCALPATH,	/* a local path to redirect to (http_localpath_valid), ≤ max
			 * bytes; an invalid one is a 400 when required, else it
			 * counts as absent (the handler's default, e.g. "/") */
	IN__MAX
};

/* Where an input is read from. */
enum input_src {
	SRC_BODY,	/* JSON body member or form field */
	SRC_QUERY,	/* query string */
	SRC__MAX
};

struct input {
	const char *name;
	enum input_type type;
	enum input_src src;
	int required;
	long long min, max;		/* lengths, or the integer range */
	const char *const *choices;	/* IN_ENUM, NULL-terminated */
};

/* A validated value; handlers read only these. */
struct value {
	int present;
	const char *str;	/* text, e-mail, phone, url, token, enum value */
	long long num;		/* IN_INT; IN_BOOL 0/1; IN_ENUM index */
	const json_t *json;	/* IN_JSON (borrowed from the parsed body) */
	const char **list;	/* IN_STRLIST */
	size_t n_list;
};

typedef enum err (*handler_fn)(struct req *r);

struct route {
	const char *method;		/* "GET", "POST", "PUT", "DELETE", ... */
	const char *pattern;		/* "/api/v1/folder/{id}", "/c/{token}.vcf" */
	enum auth_need auth;
	enum body_kind body;
	const struct input *inputs;	/* terminated by {NULL}; may be NULL */
	handler_fn handler;
};

#define REQ_MAX_PARAMS 4
#define REQ_MAX_INPUTS 24
#define REQ_MAX_HEADERS 16
#define REQ_MAX_UPLOADS 16	/* file parts of one multipart body (at most) */

/* The signed-in user, when there is one. */
struct user {
	long long id;
	const char *email;
	const char *full_name;
	const char *locale;
	const char *tz;			/* chosen time zone, or NULL (then guessed) */
	int email_verified;
	int via_session;		/* signed in by cookie (not bearer) */
	const char *session_hash;	/* hash of the session or API token */
	const char *csrf;		/* the session's CSRF token */
	/* AUTH_USER_CARD: the credential's row, whose columns from
	 * AUTH_USER_COLUMNS on are owncard.h's OWNCARD_COLUMNS (NULL cells:
	 * no card yet; owncard_text_from_row); else NULL */
	const struct db_result *own_card;
};

/* One request; reset at the top of every FastCGI loop. */
struct req {
	struct arena arena;
	HDF *hdf;		/* the ClearSilver data set: Cookie.*, Query.*, the page's data */
	struct db *db;
	const struct route *route;
	const char *method, *path, *query, *content_type, *remote_addr;
	int is_api;		/* path under /api/ or /dav/: JSON errors */
	int page_data_set;	/* tmpl_render added the page's common data */
	int https;		/* the public side is https */
	const char *params[REQ_MAX_PARAMS];	/* path parameters in order */
	long long param_ids[REQ_MAX_PARAMS];	/* numeric value of {id}-like params */
	size_t n_params;
	char *body;		/* raw body (non-form kinds), NUL-terminated */
	size_t body_len;
	json_t *json;		/* parsed JSON body */
	struct value in[REQ_MAX_INPUTS];	/* index = position in route inputs */
	struct user *user;	/* NULL when not signed in */
	const char *locale;	/* "en" or "zh-CN" */
	struct errinfo ei;	/* detail of the failure being answered */
	int responded;
	int status;
	const char *headers[REQ_MAX_HEADERS];
	size_t n_headers;
	struct {
		const char *field;	/* form field name */
		FILE *f;		/* read-only view of the part in body */
	} uploads[REQ_MAX_UPLOADS];	/* closed by req_cleanup */
	size_t n_uploads;
	FILE *out_file;		/* set in CGI mode: stdout */
	void *fcgx;		/* FCGX_Request * in FastCGI mode */
};

/* --- running a program --------------------------------------------------*/

/* app_run: the main loop of a FastCGI program. Handles plain CGI (one
 * request, then exit), FastCGI on fd 0 (spawned by a web server), and
 * `--socket PATH [--workers N] [--socket-group GROUP]` (opens the unix
 * socket with mode 0660 and supervises N worker processes); `--routes`
 * prints the route table ("PROGRAM METHOD PATTERN AUTH BODY" a line) and
 * exits. routes ends with {NULL}. init (may be NULL) runs once per worker process. Returns
 * the process exit status. */
int app_run(int argc, char **argv, const char *name, const struct route *routes,
	    int (*init)(void));

/* app_run_handler: r's route handler, re-run from its start (a bounded
 * number of times, with jitter) while it fails only by a retryable database
 * conflict (db_retryable) and nothing was sent; each run sees the request
 * as the first did (uploads rewound, the response state and the data-set
 * trees a failed run added reset). Returns the handler's result. */
enum err app_run_handler(struct req *r);

/* req_cleanup: release what the request holds outside its arena (upload
 * streams); the caller still destroys r->hdf and resets the arena. */
void req_cleanup(struct req *r);

/* --- reading ------------------------------------------------------------*/

/* req_header_in: a request header by CGI name ("HTTP_IF_MATCH"), or NULL. */
const char *req_env(struct req *r, const char *name);

/* req_cookie: a cookie's value, or NULL. */
const char *req_cookie(struct req *r, const char *name);

/* req_upload: the uploaded file of a multipart form field (or NULL); a
 * read-only stream over the request body, no temporary file, closed at the
 * end of the request. */
FILE *req_upload(struct req *r, const char *field);

/* req_upload_chosen: req_upload, rewound, or NULL also when the part is
 * empty (a file input left empty: browsers send an empty part). */
FILE *req_upload_chosen(struct req *r, const char *field);

/* req_if_match: the number in `If-Match: "N"` (or form field "revision");
 * -1 when absent, -2 when malformed. */
long long req_if_match(struct req *r);

/* --- answering ----------------------------------------------------------*/

/* req_add_header: an extra response header line "Name: value" (copied). */
void req_add_header(struct req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* req_json: answer with a JSON body (steals the reference to body). */
enum err req_json(struct req *r, int status, json_t *body);

/* req_json_text: req_json with the body already written as JSON text
 * (JSON_COMPACT | JSON_ENSURE_ASCII, as req_json writes it); NULL: 500. */
enum err req_json_text(struct req *r, int status, const char *text, size_t len);

/* req_html: render templates/<tmpl> with r->hdf and answer with it. */
enum err req_html(struct req *r, int status, const char *tmpl);

/* req_raw: answer with bytes of the given content type. */
enum err req_raw(struct req *r, int status, const char *ctype, const void *data, size_t len);

/* req_stream_begin: send the head of an answer whose length is not known
 * yet (no Content-Length: the web server ends the body when the request
 * ends); its body follows in pieces with req_stream_write. From here on the
 * request is answered: it is not re-run (app_run_handler) nor answered
 * otherwise, and a fault can only cut the body short. */
void req_stream_begin(struct req *r, int status, const char *ctype);

/* req_stream_write: the next n bytes of a streamed body (nothing for HEAD);
 * -1 when they could not be written (the client or web server is gone). */
int req_stream_write(struct req *r, const void *data, size_t n);

/* req_redirect: 303 See Other to a local path or absolute URL. */
enum err req_redirect(struct req *r, const char *location);

/* req_no_content: 204. */
enum err req_no_content(struct req *r);

/* req_fail: record an error detail for the error page/body; returns e. */
enum err req_fail(struct req *r, enum err e, const char *code, const char *field,
		  const char *message);

/* req_error: answer the error recorded in r->ei (or the defaults for e). */
void req_error(struct req *r, enum err e);

/* --- helpers ------------------------------------------------------------*/

/* req_set: set an HDF value for the templates (value copied). */
void req_set(struct req *r, const char *name, const char *value);

/* req_setf: set an HDF value from a format. */
void req_setf(struct req *r, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* req_set_cookie: Set-Cookie with HttpOnly, SameSite=Lax, Path=/, Secure
 * when https; max_age < 0 deletes the cookie. */
void req_set_cookie(struct req *r, const char *name, const char *value, long max_age);

/* req_url: absolute public URL for a local path (Site.BaseURL + path). */
const char *req_url(struct req *r, const char *path);

/* req_input: the validated value of the route's declared input name, or
 * NULL when the route declares none of that name or it was not given. */
const struct value *req_input(struct req *r, const char *name);

/* req_limit: the route's declared "limit" input (IN_INT) clamped to
 * 1..500, or 50 when absent. */
long long req_limit(struct req *r);

/* --- untrusted syntax (pure functions, fuzzed) ---------------------------*/

/* One part of a multipart/form-data body, pointing into the body. */
struct mp_part {
	const char *name;	/* Content-Disposition name: [A-Za-z0-9_.-], no
				 * empty dot-separated segment, 1..128 bytes */
	size_t name_len;
	const char *filename;	/* NULL for a plain field; may be "" */
	size_t filename_len;
	const char *type;	/* the part's Content-Type, or NULL */
	size_t type_len;
	const char *data;	/* the content (a plain field has no NUL) */
	size_t len;
};

/* mp_part_fn: called once per part in order; anything but ERR_OK stops
 * the parse and is returned. */
typedef enum err (*mp_part_fn)(void *ctx, const struct mp_part *p);

/* http_multipart_parse: parse a multipart/form-data body strictly (RFC 2046
 * and 7578): ctype must be multipart/form-data with one boundary parameter
 * (1..70 characters of RFC 2046's set, quoted or not); the body starts with
 * the first delimiter, every line of structure ends in CRLF, every part has
 * a Content-Disposition: form-data with a valid name and a blank line before
 * its content, a delimiter is followed only by CRLF or "--", the closing
 * delimiter is present (then at most a CRLF). Calls fn (may be NULL) for
 * each part. Returns ERR_OK; ERR_BAD_REQUEST with *why (may be NULL) set to
 * a static English message; ERR_TOO_LARGE when there are more than
 * max_parts parts; or fn's error. Reads only body[0..len). */
enum err http_multipart_parse(const char *ctype, const char *body, size_t len, size_t max_parts,
			      mp_part_fn fn, void *ctx, const char **why);

/* http_multipart_check: http_multipart_parse without a callback: whether
 * (ctype, body) is a multipart/form-data body livecard accepts (the fuzz
 * harness tests/fuzz/fuzz_multipart.c calls this). */
enum err http_multipart_check(const char *ctype, const char *body, size_t len, size_t max_parts);

/* http_urlencoded_parse: parse an application/x-www-form-urlencoded body,
 * percent-decoding names and values in place ('+' is a space): fields are
 * separated by '&' (empty ones skipped), a name is what mp_part allows, a
 * value has no NUL, every '%' starts a valid escape. Calls fn (may be NULL)
 * with each field as an mp_part (filename NULL), after counting them:
 * ERR_TOO_LARGE with nothing passed to fn when there are more than
 * max_fields; ERR_BAD_REQUEST with *why (may be NULL) when malformed.
 * Reads and writes only body[0..len). */
enum err http_urlencoded_parse(char *body, size_t len, size_t max_fields, mp_part_fn fn, void *ctx,
			       const char **why);

/* http_localpath_valid: whether s (already percent-decoded once) is a local
 * path safe to redirect to: "/" alone or "/" followed by a path character,
 * printable ASCII only (no control character, space or DEL, none of them
 * percent-encoded either), no backslash, no "//" anywhere. */
int http_localpath_valid(const char *s);

/* json_time: "YYYY-MM-DDTHH:MM:SSZ" from a MariaDB DATETIME text, in a. */
const char *json_time(struct arena *a, const char *dbtime);

#endif
