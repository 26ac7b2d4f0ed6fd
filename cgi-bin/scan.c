/* scan.c: add a card from a photo (issue 24): upload, wait for the OCR worker (batch/livecard-ocr), review the proposed fields, save as a folder entry. */
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "card.h"
#include "cardform.h"
#include "cardfields.h"
#include "config.h"
#include "folder.h"
#include "http.h"
#include "imagestore.h"
#include "scan.h"

/* the page of a scan still being read reloads itself this often (seconds) */
#define SCAN_REFRESH 2

static enum err not_found(struct req *r)
{
	return req_fail(r, ERR_NOT_FOUND, NULL, NULL, "no such scan");
}

/* get_scan: the caller's scan {id}; another user's is 404 like a missing one */
static enum err get_scan(struct req *r, struct scan *s)
{
	enum err e = scan_get(r->db, &r->arena, r->user->id, r->param_ids[0], s);
	return e == ERR_NOT_FOUND ? not_found(r) : e;
}

/* --- API ----------------------------------------------------------------------- */

/* put_sides: the multipart form's files "front" (required) and "back"
 * (optional) stored as every upload, their hashes in img; a refused side
 * is named in the error's field */
static enum err put_sides(struct req *r, const char *img[FOLDER_SIDE__MAX])
{
	enum err e = ERR_OK;

	img[FOLDER_FRONT] = img[FOLDER_BACK] = NULL;
	if (req_upload_chosen(r, "front") == NULL)
		return req_fail(r, ERR_BAD_REQUEST, "required", "front", "choose a photo of the card's front");
	for (int s = 0; e == ERR_OK && s < FOLDER_SIDE__MAX; s++) {
		FILE *f = req_upload_chosen(r, folder_side_name((enum folder_side)s));
		if (f && (e = imagestore_put_file(r, f, &img[s])) != ERR_OK && r->ei.err == e)
			r->ei.field = folder_side_name((enum folder_side)s);
	}
	return e;
}

/* api_create: a raw image body (the front), or a multipart form with the
 * files "front" and, optionally, "back" as the page's form sends them */
static enum err api_create(struct req *r)
{
	const char *img[FOLDER_SIDE__MAX] = {NULL, NULL};
	long long id;
	enum err e;

	if (r->content_type && strncasecmp(r->content_type, "multipart/", 10) == 0)
		e = put_sides(r, img);
	else if (r->body_len == 0)
		return req_fail(r, ERR_BAD_REQUEST, "required", "image", "no image in the body");
	else
		e = imagestore_put(r, r->body, r->body_len, &img[FOLDER_FRONT]);
	if (e != ERR_OK || (e = scan_create(r->db, r->user->id, img[FOLDER_FRONT], img[FOLDER_BACK], &id)) != ERR_OK)
		return e;
	req_add_header(r, "Location: /api/v1/folder/scan/%lld", id);
	return req_json(r, 202, json_pack("{s:I, s:s}", "scan_id", (json_int_t)id, "status", "pending"));
}

static enum err api_get(struct req *r)
{
	struct scan s;
	enum err e = get_scan(r, &s);
	if (e != ERR_OK)
		return e;
	req_add_header(r, "Cache-Control: no-store");
	return req_json(r, 200, scan_json(&s, &r->arena));
}

enum { IM_THUMB, IM_V };
static const struct input in_image[] = {
	[IM_THUMB] = {"thumb", IN_BOOL, SRC_QUERY, 0, 0, 0, NULL},
	[IM_V] = {"v", IN_TOKEN, SRC_QUERY, 0, 1, 64, NULL},
	{NULL},
};

static enum err api_image(struct req *r)
{
	struct scan s;
	enum err e = get_scan(r, &s);
	if (e != ERR_OK)
		return e;
	const char *hash = strcmp(r->params[1], "back") == 0 ? s.back : s.front;
	if (hash == NULL)
		return req_fail(r, ERR_NOT_FOUND, "no_image", NULL, "no such image");
	return imagestore_serve(r, hash, r->in[IM_THUMB].num != 0);
}

/* --- pages ----------------------------------------------------------------------- */

static enum err page_upload(struct req *r)
{
	req_setf(r, "Images.MaxMiB", "%zu", cfg.image_max / (1024 * 1024));
	auth_form_token(r);
	return req_html(r, 200, "folder_scan.cs");
}

static enum err form_upload(struct req *r)
{
	const char *img[FOLDER_SIDE__MAX];
	long long id;
	enum err e = put_sides(r, img);

	if (e == ERR_BAD_REQUEST || e == ERR_MEDIA_TYPE || e == ERR_TOO_LARGE) {
		req_set(r, "Form.Error", r->ei.code);
		req_set(r, "Form.Field", r->ei.field);
		req_setf(r, "Images.MaxMiB", "%zu", cfg.image_max / (1024 * 1024));
		auth_form_token(r);
		return req_html(r, err_status(e), "folder_scan.cs");
	}
	if (e != ERR_OK || (e = scan_create(r->db, r->user->id, img[0], img[1], &id)) != ERR_OK)
		return e;
	return req_redirect(r, arena_printf(&r->arena, "/folder/scan/%lld", id));
}

/* proposed_card: the worker's fields as a card object for the editor, and
 * Scan.Check.<field> for those read with low confidence */
static json_t *proposed_card(struct req *r, const char *fields_text)
{
	json_t *f = fields_text ? json_loads(fields_text, 0, NULL) : NULL;
	json_t *card = json_object();
	static const char *const text[] = {"full_name", "title", "organization", "department", NULL};
	static const char *const lists[] = {"emails", "phones", "urls", NULL};
	int n_check = 0;

	if (f == NULL)
		return card;
	for (size_t i = 0; text[i]; i++) {
		json_t *v = json_object_get(f, text[i]);
		if (!json_is_object(v))
			continue;
		json_object_set(card, text[i], json_object_get(v, "value"));
		if (json_is_true(json_object_get(v, "check")))
			req_setf(r, arena_printf(&r->arena, "Scan.Check.%d", n_check++), "%s", text[i]);
	}
	json_t *addr = json_object_get(f, "address");
	if (json_is_object(addr)) {
		json_object_set_new(card, "addresses",
				    json_pack("[{s:s, s:O}]", "type", "work", "street", json_object_get(addr, "value")));
		if (json_is_true(json_object_get(addr, "check")))
			req_setf(r, arena_printf(&r->arena, "Scan.Check.%d", n_check++), "%s", "addresses");
	}
	for (size_t i = 0; lists[i]; i++) {
		json_t *items = json_object_get(f, lists[i]), *out = json_array(), *it;
		size_t k;
		int check = 0;
		json_array_foreach(items, k, it) {
			const char *type = json_string_value(json_object_get(it, "type"));
			json_array_append_new(out, json_pack("{s:s, s:O}", "type", type ? type : "work", "value",
							     json_object_get(it, "value")));
			check |= json_is_true(json_object_get(it, "check"));
		}
		json_object_set_new(card, lists[i], out);
		if (check)
			req_setf(r, arena_printf(&r->arena, "Scan.Check.%d", n_check++), "%s", lists[i]);
	}
	json_decref(f);
	return card;
}

/* scan_page: the scan's page: waiting (reloads itself), or the review form
 * with the photo beside the proposed fields (editing: the values just
 * submitted instead, after a refused save) */
static enum err scan_page(struct req *r, int status, const struct scan *s, const json_t *editing)
{
	req_setf(r, "Scan.Id", "%lld", s->id);
	req_set(r, "Scan.Status", s->status);
	req_set(r, "Scan.Front", s->front);
	req_set(r, "Scan.Back", s->back);
	req_set(r, "Scan.Error", s->error);
	if (s->ocr_ms)
		req_setf(r, "Scan.Seconds", "%.1f", s->ocr_ms / 1000.0);
	if (strcmp(s->status, "saved") == 0 && s->entry_id)
		return req_redirect(r, arena_printf(&r->arena, "/folder/%lld", s->entry_id));
	if (strcmp(s->status, "pending") == 0 || strcmp(s->status, "working") == 0) {
		/* no script needed: the page asks again until the worker is done */
		req_add_header(r, "Refresh: %d", SCAN_REFRESH);
		req_add_header(r, "Cache-Control: no-store");
		req_setf(r, "Scan.Refresh", "%d", SCAN_REFRESH);
		return req_html(r, status, "folder_scan_wait.cs");
	}
	json_t *proposed = editing ? NULL : proposed_card(r, s->fields);
	cardform_fill(r, editing ? editing : proposed);
	json_decref(proposed);
	auth_form_token(r);
	return req_html(r, status, "folder_scan_review.cs");
}

static enum err page_scan(struct req *r)
{
	struct scan s;
	enum err e = get_scan(r, &s);
	return e != ERR_OK ? e : scan_page(r, 200, &s, NULL);
}

enum { SR_CARD, SR_DUP = SR_CARD + CFI__MAX };
static const struct input in_review[] = {
	CARDFORM_INPUTS(SR_CARD),
	[SR_DUP] = {"on_duplicate", IN_ENUM, SRC_BODY, 0, 0, 0, folder_dup_choices},
	{NULL},
};

/* form_save: the reviewed fields become a folder entry with the photo as
 * its front (and back): folder_save_card, so matching, the member flag,
 * the saver record and the link offer are those of any new entry. */
static enum err form_save(struct req *r)
{
	struct scan s;
	struct card c;
	struct errinfo ei = {0};
	const char *img[FOLDER_SIDE__MAX];
	const char *action;
	long long id, dup;
	enum err e = get_scan(r, &s);

	if (e != ERR_OK)
		return e;
	if (strcmp(s.status, "done") != 0 && strcmp(s.status, "failed") != 0)
		return req_fail(r, ERR_CONFLICT, "scan_not_ready", NULL,
				strcmp(s.status, "saved") == 0 ? "this card was saved already" : "the card is still being read");
	json_t *submitted = cardform_json(r, SR_CARD);
	if (submitted == NULL)
		return req_fail(r, ERR_BAD_REQUEST, "invalid_utf8", NULL, "not valid UTF-8");
	/* a national number typed in the review is read in the member's country, as the worker read the card */
	e = card_from_json(submitted, scan_default_country(r->db, &r->arena, r->user->id, NULL), &c, &r->arena, &ei);
	if (e != ERR_OK) {
		req_fail(r, ei.err ? ei.err : ERR_BAD_REQUEST, ei.code, ei.field, ei.message);
		req_set(r, "Form.Error", r->ei.code);
		req_set(r, "Form.Field", r->ei.field);
		e = scan_page(r, err_status(e), &s, submitted);
		json_decref(submitted);
		return e;
	}
	json_decref(submitted);
	if ((e = scan_saving(r->db, r->user->id, s.id)) == ERR_CONFLICT)
		return req_fail(r, ERR_CONFLICT, "scan_not_ready", NULL, "this card was saved already");
	if (e != ERR_OK)
		return e;
	img[FOLDER_FRONT] = s.front;
	img[FOLDER_BACK] = s.back;
	enum folder_dup policy = r->in[SR_DUP].present ? (enum folder_dup)r->in[SR_DUP].num : FOLDER_DUP_KEEP;
	e = folder_save_card(r->db, &r->arena, r->user->id, &c, "", NULL, 0, img, policy, &id, &action, &dup);
	if (e != ERR_OK) {
		db_rollback(r->db);
		scan_saved(r->db, s.id, 0);
		return e;
	}
	if ((e = scan_saved(r->db, s.id, id)) != ERR_OK)
		return e;
	return req_redirect(r, arena_printf(&r->arena, "/folder/%lld?%s=1", id, action ? action : "saved"));
}

static const struct route routes[] = {
	{"POST", "/api/v1/folder/scan", AUTH_USER, BODY_IMAGES, NULL, api_create},
	{"GET", "/api/v1/folder/scan/{id}", AUTH_USER, BODY_NONE, NULL, api_get},
	{"GET", "/api/v1/folder/scan/{id}/images/{side}", AUTH_USER, BODY_NONE, in_image, api_image},

	{"GET", "/folder/scan", AUTH_USER, BODY_NONE, NULL, page_upload},
	{"POST", "/folder/scan", AUTH_USER, BODY_UPLOAD, NULL, form_upload},
	{"GET", "/folder/scan/{id}", AUTH_USER, BODY_NONE, NULL, page_scan},
	{"POST", "/folder/scan/{id}", AUTH_USER, BODY_FORM, in_review, form_save},
	{NULL},
};

int main(int argc, char **argv)
{
	return app_run(argc, argv, "scan", routes, NULL);
}
