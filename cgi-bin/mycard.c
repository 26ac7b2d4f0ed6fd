/* mycard.c: module 101, a member's own card: editor, revisions and their differences, images, sharing, own vCard. */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "cardform.h"
#include "config.h"
#include "contact.h"
#include "http.h"
#include "imagestore.h"
#include "owncard.h"
#include "vcard.h"
#include "vcardmap.h"

#define REVISION_MAX 2147483647LL

static const char *const version_choices[] = {"4.0", "3.0", NULL};

/* --- the card's parts -----------------------------------------------------*/

enum side { SIDE_FRONT, SIDE_BACK, SIDE__MAX };

static const char *const side_names[SIDE__MAX] = {"front", "back"};

static enum side side_of(const char *s)
{
	return strcmp(s, "back") == 0 ? SIDE_BACK : SIDE_FRONT;
}

static const char **side_hash(struct owncard *c, enum side s)
{
	return s == SIDE_FRONT ? &c->front_image : &c->back_image;
}

/* --- JSON answers ---------------------------------------------------------*/

static json_t *image_json(struct req *r, const char *base, const char *hash)
{
	if (hash == NULL)
		return json_null();
	return json_pack("{s:s, s:s, s:s}", "hash", hash,
			 "url", req_url(r, arena_printf(&r->arena, "%s?v=%s", base, hash)),
			 "thumb_url", req_url(r, arena_printf(&r->arena, "%s?thumb=1&v=%s", base, hash)));
}

/* images_json: {"front": ..., "back": ...} with URLs under base. */
static json_t *images_json(struct req *r, const char *base, const struct owncard *c)
{
	return json_pack("{s:o, s:o}",
			 "front", image_json(r, arena_printf(&r->arena, "%s/front", base), c->front_image),
			 "back", image_json(r, arena_printf(&r->arena, "%s/back", base), c->back_image));
}

static json_t *fields_json(unsigned mask)
{
	json_t *a = json_array();
	for (int f = 0; f < CF__MAX; f++)
		if (mask & (1u << f))
			json_array_append_new(a, json_string(card_field_name((enum card_field)f)));
	return a;
}

static const char *share_path(struct req *r, const struct owncard *c)
{
	return arena_printf(&r->arena, "/c/%s", c->share_token);
}

static json_t *share_json(struct req *r, const struct owncard *c)
{
	const char *p = share_path(r, c);
	return json_pack("{s:s, s:s, s:s, s:o}", "url", req_url(r, p),
			 "vcard_url", req_url(r, arena_printf(&r->arena, "%s.vcf", p)),
			 "qr_url", req_url(r, arena_printf(&r->arena, "%s/qr.svg", p)),
			 "visible_fields", fields_json(c->visible));
}

/* answer_card: the GET /api/v1/card shape, with ETag "N"; changed (when
 * not NULL) adds "changed_fields", what the request changed. The card is
 * its stored text (owncard.stored) copied in (card_json_ascii), or for a
 * row stored before 020_card_phones_shown.sql written by jansson; the rest
 * is owncard_answer_tail's, for reads and writes alike. */
static enum err answer_card(struct req *r, int status, const struct owncard *c, const unsigned *changed)
{
	const char *card = c->stored ? card_json_ascii(c->stored, &r->arena) : NULL;
	const char *updated = json_time(&r->arena, c->updated_at);
	const char *tail = owncard_answer_tail(&r->arena, c, cfg.base_url, updated, changed);

	if (card == NULL) {
		json_t *j = card_to_json(&c->card);
		char *s = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
		json_decref(j);
		card = s ? arena_strdup(&r->arena, s) : NULL;
		free(s);
	}
	if (card == NULL || tail == NULL)
		return req_fail(r, ERR_INTERNAL, NULL, NULL, "cannot encode JSON");
	size_t nc = strlen(card), nt = strlen(tail);
	char *text = arena_alloc(&r->arena, 8 + nc + nt + 1);
	memcpy(text, "{\"card\":", 8);
	memcpy(text + 8, card, nc);
	memcpy(text + 8 + nc, tail, nt + 1);
	req_add_header(r, "ETag: \"%lld\"", c->revision);
	return req_json_text(r, status, text, 8 + nc + nt);
}

/* --- writing a revision ----------------------------------------------------*/

/* edit_begin: open the transaction and lock the member's card; a stale
 * expected revision (>= 0) is 412 and nothing is written. */
static enum err edit_begin(struct req *r, long long expected, struct owncard *cur)
{
	enum err e = db_begin(r->db);
	if (e == ERR_OK)
		e = owncard_lock(r->db, &r->arena, r->user->id, cur);
	if (e != ERR_OK)
		return e;
	if (expected >= 0 && cur->revision != expected) {
		req_add_header(r, "ETag: \"%lld\"", cur->revision);
		return req_fail(r, ERR_PRECONDITION, "stale_revision", "revision",
				"the card has changed since that revision; read it again");
	}
	return ERR_OK;
}

/* edit_commit: next becomes a new revision when it differs from cur (a
 * save that changes nothing makes no revision); commits. */
static enum err edit_commit(struct req *r, const struct owncard *cur, struct owncard *next,
			    unsigned *changed)
{
	enum err e = ERR_OK;
	*changed = owncard_diff(cur, next);
	if (*changed)
		e = owncard_save(r->db, &r->arena, next, *changed);
	if (e == ERR_OK)
		e = db_commit(r->db);
	return e;
}

/* if_match: the revision an API write edits. `If-Match: *` means any;
 * without the header, required writes are 412 "if_match_required". */
static enum err if_match(struct req *r, int required, long long *expected)
{
	const char *h = req_env(r, "HTTP_IF_MATCH");
	long long n;

	*expected = -1;
	if (h) {
		while (*h == ' ')
			h++;
		if (h[0] == '*' && (h[1] == '\0' || h[1] == ' '))
			return ERR_OK;
	}
	n = req_if_match(r);
	if (n == -1)
		return required ? req_fail(r, ERR_PRECONDITION, "if_match_required", "If-Match",
					   "send If-Match: \"N\" with the revision you edited") : ERR_OK;
	if (n < 0)
		return req_fail(r, ERR_PRECONDITION, "invalid_if_match", "If-Match",
				"If-Match must be \"N\", a revision number");
	*expected = n;
	return ERR_OK;
}

/* --- JSON API: the card ----------------------------------------------------*/

static enum err api_get_card(struct req *r)
{
	struct owncard c;
	/* the card came with the user (AUTH_USER_CARD), unless there is none yet */
	enum err e = owncard_text_from_row(r->user->own_card, AUTH_USER_COLUMNS, &r->arena, &c);
	if (e == ERR_NOT_FOUND)
		e = owncard_text_by_user(r->db, &r->arena, r->user->id, &c);
	return e != ERR_OK ? e : answer_card(r, 200, &c, NULL);
}

/* The body is the card object itself or {"card": {...}}: every member of
 * the card object is declared, and card_from_json checks them all. */
enum { PC_CARD, PC_FULL_NAME, PC_NAME, PC_ORG, PC_DEPT, PC_TITLE, PC_EMAILS, PC_PHONES,
       PC_ADDRESSES, PC_URLS, PC_NOTE, PC__MAX };
static const struct input in_put_card[] = {
	[PC_CARD] = {"card", IN_JSON, SRC_BODY, 0, 0, 0, NULL},
	[PC_FULL_NAME] = {"full_name", IN_JSON, SRC_BODY, 0, 0, 0, NULL},
	[PC_NAME] = {"name", IN_JSON, SRC_BODY, 0, 0, 0, NULL},
	[PC_ORG] = {"organization", IN_JSON, SRC_BODY, 0, 0, 0, NULL},
	[PC_DEPT] = {"department", IN_JSON, SRC_BODY, 0, 0, 0, NULL},
	[PC_TITLE] = {"title", IN_JSON, SRC_BODY, 0, 0, 0, NULL},
	[PC_EMAILS] = {"emails", IN_JSON, SRC_BODY, 0, 0, 0, NULL},
	[PC_PHONES] = {"phones", IN_JSON, SRC_BODY, 0, 0, 0, NULL},
	[PC_ADDRESSES] = {"addresses", IN_JSON, SRC_BODY, 0, 0, 0, NULL},
	[PC_URLS] = {"urls", IN_JSON, SRC_BODY, 0, 0, 0, NULL},
	[PC_NOTE] = {"note", IN_JSON, SRC_BODY, 0, 0, 0, NULL},
	{NULL},
};

static enum err api_put_card(struct req *r)
{
	const json_t *obj = r->json;
	struct owncard cur, next;
	struct errinfo ei = {0};
	struct card nc;
	long long expected;
	unsigned changed;
	enum err e;

	if (r->in[PC_CARD].present) {
		if (json_object_size(r->json) != 1)
			return req_fail(r, ERR_BAD_REQUEST, "unknown_field", "card",
					"send the card object, or {\"card\": {...}} alone");
		obj = r->in[PC_CARD].json;
	}
	e = card_from_json(obj, cfg.default_country, &nc, &r->arena, &ei);
	if (e != ERR_OK)
		return req_fail(r, e, ei.code, ei.field, ei.message);
	if ((e = if_match(r, 1, &expected)) != ERR_OK)
		return e;
	if ((e = edit_begin(r, expected, &cur)) != ERR_OK)
		return e;
	next = cur;
	next.card = nc;
	if ((e = edit_commit(r, &cur, &next, &changed)) != ERR_OK)
		return e;
	return answer_card(r, 200, &next, &changed);
}

/* --- JSON API: images --------------------------------------------------------*/

/* image_set: put hash (NULL: remove) on a side of the member's card as a
 * new revision; expected as for edit_begin. */
static enum err image_set(struct req *r, enum side side, const char *hash, long long expected,
			  struct owncard *next, unsigned *changed)
{
	struct owncard cur;
	enum err e = edit_begin(r, expected, &cur);
	if (e != ERR_OK)
		return e;
	if (hash == NULL && *side_hash(&cur, side) == NULL)
		return req_fail(r, ERR_NOT_FOUND, "no_image", side_names[side], "this side has no image");
	*next = cur;
	*side_hash(next, side) = hash;
	return edit_commit(r, &cur, next, changed);
}

/* precheck: a stale If-Match is refused before the image is processed. */
static enum err precheck(struct req *r, long long expected)
{
	struct owncard c;
	enum err e;
	if (expected < 0)
		return ERR_OK;
	if ((e = owncard_by_user(r->db, &r->arena, r->user->id, &c)) != ERR_OK)
		return e;
	if (c.revision != expected) {
		req_add_header(r, "ETag: \"%lld\"", c.revision);
		return req_fail(r, ERR_PRECONDITION, "stale_revision", "revision",
				"the card has changed since that revision; read it again");
	}
	return ERR_OK;
}

static enum err api_put_image(struct req *r)
{
	struct owncard next;
	const char *hash;
	long long expected;
	unsigned changed;
	enum err e;

	if ((e = if_match(r, 0, &expected)) != ERR_OK || (e = precheck(r, expected)) != ERR_OK)
		return e;
	if ((e = imagestore_put(r, r->body, r->body_len, &hash)) != ERR_OK)
		return e;
	if ((e = image_set(r, side_of(r->params[0]), hash, expected, &next, &changed)) != ERR_OK)
		return e;
	return answer_card(r, 200, &next, &changed);
}

static enum err api_delete_image(struct req *r)
{
	struct owncard next;
	long long expected;
	unsigned changed;
	enum err e;

	if ((e = if_match(r, 0, &expected)) != ERR_OK)
		return e;
	if ((e = image_set(r, side_of(r->params[0]), NULL, expected, &next, &changed)) != ERR_OK)
		return e;
	return answer_card(r, 200, &next, &changed);
}

enum { IM_THUMB, IM_V };
static const struct input in_image[] = {
	[IM_THUMB] = {"thumb", IN_BOOL, SRC_QUERY, 0, 0, 0, NULL},
	[IM_V] = {"v", IN_TOKEN, SRC_QUERY, 0, 1, 64, NULL},
	{NULL},
};

static enum err api_get_image(struct req *r)
{
	struct owncard c;
	enum err e = owncard_by_user(r->db, &r->arena, r->user->id, &c);
	if (e != ERR_OK)
		return e;
	const char *hash = *side_hash(&c, side_of(r->params[0]));
	if (hash == NULL)
		return req_fail(r, ERR_NOT_FOUND, "no_image", NULL, "this side has no image");
	return imagestore_serve(r, hash, r->in[IM_THUMB].num != 0);
}

/* --- JSON API: revisions -------------------------------------------------------*/

enum { RL_LIMIT, RL_CURSOR };
static const struct input in_revisions[] = {
	[RL_LIMIT] = {"limit", IN_INT, SRC_QUERY, 0, 1, 1000000, NULL},
	[RL_CURSOR] = {"cursor", IN_INT, SRC_QUERY, 0, 0, REVISION_MAX, NULL},
	{NULL},
};

/* revisions_page: newest first, those below cursor; *more when there are
 * older ones. */
static enum err revisions_page(struct req *r, long long card_id, long long cursor, long long limit,
			       struct db_result *res, int *more)
{
	enum err e = owncard_revisions(r->db, &r->arena, card_id, cursor, limit + 1, res);
	*more = e == ERR_OK && res->nrows > (size_t)limit;
	if (*more)
		res->nrows = (size_t)limit;
	return e;
}

static enum err api_revisions(struct req *r)
{
	struct owncard c;
	struct db_result res;
	long long limit = req_limit(r);
	long long cursor = r->in[RL_CURSOR].present ? r->in[RL_CURSOR].num : REVISION_MAX + 1;
	int more;
	enum err e = owncard_by_user(r->db, &r->arena, r->user->id, &c);

	if (e == ERR_OK)
		e = revisions_page(r, c.id, cursor, limit, &res, &more);
	if (e != ERR_OK)
		return e;
	json_t *list = json_array();
	for (size_t i = 0; i < res.nrows; i++)
		json_array_append_new(list, json_pack("{s:I, s:s?, s:o}",
			"revision", (json_int_t)db_cell_int(&res, i, 0, 0),
			"created_at", json_time(&r->arena, db_cell(&res, i, 2)),
			"changed_fields", fields_json(owncard_fields_parse(db_cell(&res, i, 1)))));
	const char *next = more ? db_cell(&res, res.nrows - 1, 0) : NULL;
	return req_json(r, 200, json_pack("{s:o, s:I, s:s?}", "revisions", list,
					  "revision", (json_int_t)c.revision, "next_cursor", next));
}

/* image_change: an image field's value in a change: its hash, or null. */
static json_t *image_change(const char *hash)
{
	return hash ? json_string(hash) : json_null();
}

/* changes_json: [{"field","old","new"}] for each field that differs from
 * old to new, in field order; images as their hashes. */
static json_t *changes_json(const struct owncard *old, const struct owncard *new)
{
	unsigned mask = owncard_diff(old, new);
	json_t *list = json_array();

	for (int f = 0; f < CF__MAX; f++) {
		if (!(mask & (1u << f)))
			continue;
		json_t *o, *n;
		if (f == CF_FRONT_IMAGE) {
			o = image_change(old->front_image);
			n = image_change(new->front_image);
		} else if (f == CF_BACK_IMAGE) {
			o = image_change(old->back_image);
			n = image_change(new->back_image);
		} else {
			o = card_field_to_json(&old->card, (enum card_field)f);
			n = card_field_to_json(&new->card, (enum card_field)f);
		}
		json_array_append_new(list, json_pack("{s:s, s:o, s:o}", "field",
			card_field_name((enum card_field)f), "old", o, "new", n));
	}
	return list;
}

enum { RV_COMPARE };
static const struct input in_revision[] = {
	[RV_COMPARE] = {"compare", IN_INT, SRC_QUERY, 0, 0, REVISION_MAX, NULL},
	{NULL},
};

/* revision_pair: the member's card at revision n and the one to compare
 * it with (?compare=M, else n - 1; none for revision 0: *has_old = 0). */
static enum err revision_pair(struct req *r, long long n, const struct value *compare,
			      struct owncard *at, struct owncard *old, int *has_old, long long *card_id)
{
	struct owncard c;
	enum err e = owncard_by_user(r->db, &r->arena, r->user->id, &c);
	if (e != ERR_OK)
		return e;
	*card_id = c.id;
	if (n > REVISION_MAX || (e = owncard_revision(r->db, &r->arena, c.id, n, at)) == ERR_NOT_FOUND)
		return req_fail(r, ERR_NOT_FOUND, "no_revision", NULL, "no such revision");
	if (e != ERR_OK)
		return e;
	long long m = compare->present ? compare->num : n - 1;
	*has_old = m >= 0;
	if (!*has_old)
		return ERR_OK;
	e = owncard_revision(r->db, &r->arena, c.id, m, old);
	if (e == ERR_NOT_FOUND)
		return req_fail(r, ERR_NOT_FOUND, "no_revision", "compare", "no such revision to compare with");
	return e;
}

static enum err api_revision(struct req *r)
{
	struct owncard at, old;
	long long card_id, n = r->param_ids[0];
	int has_old;
	const char *fields = "";
	enum err e = revision_pair(r, n, &r->in[RV_COMPARE], &at, &old, &has_old, &card_id);

	if (e == ERR_OK)
		e = owncard_revision_fields(r->db, &r->arena, card_id, n, &fields);
	if (e != ERR_OK)
		return e;
	json_t *body = json_pack("{s:I, s:s?, s:o, s:o, s:o}", "revision", (json_int_t)n,
		"created_at", json_time(&r->arena, at.updated_at), "card", card_to_json(&at.card),
		"images", images_json(r, arena_printf(&r->arena, "/api/v1/card/revisions/%lld/images", n), &at),
		"changed_fields", fields_json(owncard_fields_parse(fields)));
	json_object_set_new(body, "compare", has_old ? json_integer(old.revision) : json_null());
	json_object_set_new(body, "changes", has_old ? changes_json(&old, &at) : json_array());
	return req_json(r, 200, body);
}

static enum err api_revision_image(struct req *r)
{
	struct owncard c, at;
	enum err e = owncard_by_user(r->db, &r->arena, r->user->id, &c);
	if (e != ERR_OK)
		return e;
	e = owncard_revision(r->db, &r->arena, c.id, r->param_ids[0], &at);
	if (e != ERR_OK)
		return e;
	const char *hash = *side_hash(&at, side_of(r->params[1]));
	if (hash == NULL)
		return req_fail(r, ERR_NOT_FOUND, "no_image", NULL, "this side had no image then");
	return imagestore_serve(r, hash, r->in[IM_THUMB].num != 0);
}

/* --- JSON API: vCard and sharing ---------------------------------------------*/

enum { VC_VERSION };
static const struct input in_vcf[] = {
	[VC_VERSION] = {"version", IN_ENUM, SRC_QUERY, 0, 0, 0, version_choices},
	{NULL},
};

/* own_vcf: the whole card as vCard, its front image's thumbnail embedded
 * (the owner's image URLs need a sign-in an address book does not have). */
static enum err api_vcf(struct req *r)
{
	struct owncard c;
	size_t len;
	char *text;
	enum err e = owncard_by_user(r->db, &r->arena, r->user->id, &c);

	if (e != ERR_OK)
		return e;
	struct vcardmap_card m = {.card = &c.card, .uid = owncard_uid(&c, &r->arena), .updated_at = c.updated_at,
				  .front = c.front_image, .thumb = 1,
				  .version = r->in[VC_VERSION].present && r->in[VC_VERSION].num == 1 ? VCARD_V3 : VCARD_V4};
	if ((e = vcardmap_write(r->db, &r->arena, &m, &text, &len)) != ERR_OK)
		return e;
	req_add_header(r, "Content-Disposition: attachment; filename=\"card.vcf\"");
	req_add_header(r, "Cache-Control: no-store");
	return req_raw(r, 200, "text/vcard; charset=utf-8", text, len);
}

static enum err api_get_share(struct req *r)
{
	struct owncard c;
	enum err e = owncard_by_user(r->db, &r->arena, r->user->id, &c);
	return e != ERR_OK ? e : req_json(r, 200, json_pack("{s:o}", "share", share_json(r, &c)));
}

/* visible_mask: field names to a mask; an unknown name is 400. */
static enum err visible_mask(struct req *r, const struct value *v, const char *field, unsigned *mask)
{
	*mask = 1u << CF_FULL_NAME;
	for (size_t i = 0; v->present && i < v->n_list; i++) {
		enum card_field f = card_field_lookup(v->list[i]);
		if (f >= CF__MAX)
			return req_fail(r, ERR_BAD_REQUEST, "invalid_value", field,
					"not a field of the card");
		*mask |= 1u << f;
	}
	return ERR_OK;
}

enum { SH_VISIBLE };
static const struct input in_share[] = {
	[SH_VISIBLE] = {"visible_fields", IN_STRLIST, SRC_BODY, 1, 0, 40, NULL},
	{NULL},
};

static enum err api_put_share(struct req *r)
{
	struct owncard c;
	unsigned mask;
	enum err e = visible_mask(r, &r->in[SH_VISIBLE], "visible_fields", &mask);

	if (e == ERR_OK)
		e = owncard_by_user(r->db, &r->arena, r->user->id, &c);
	if (e == ERR_OK)
		e = owncard_set_visible(r->db, c.id, mask);
	if (e != ERR_OK)
		return e;
	c.visible = mask;
	return req_json(r, 200, json_pack("{s:o}", "share", share_json(r, &c)));
}

static enum err api_rotate(struct req *r)
{
	struct owncard c;
	const char *token;
	enum err e = owncard_by_user(r->db, &r->arena, r->user->id, &c);

	if (e == ERR_OK)
		e = owncard_rotate(r->db, &r->arena, c.id, &token);
	if (e != ERR_OK)
		return e;
	c.share_token = token;
	return req_json(r, 200, json_pack("{s:o}", "share", share_json(r, &c)));
}

/* --- HTML pages: shared parts -------------------------------------------------*/

/* page_card_data: the stored card, its images and link for every page. */
static void page_card_data(struct req *r, const struct owncard *c)
{
	owncard_card_hdf(r->hdf, "Card", c);
	req_setf(r, "Card.Revision", "%lld", c->revision);
	req_set(r, "Card.UpdatedAt", c->updated_at);
	req_set(r, "Card.Front", c->front_image);
	req_set(r, "Card.Back", c->back_image);
	req_set(r, "Share.Url", req_url(r, share_path(r, c)));
	req_set(r, "Share.Path", share_path(r, c));
	for (int f = 0; f < CF__MAX; f++) {
		const char *name = card_field_name((enum card_field)f);
		req_set(r, arena_printf(&r->arena, "Share.Fields.%d.Name", f), name);
		if (c->visible & (1u << f))
			req_set(r, arena_printf(&r->arena, "Share.Fields.%d.On", f), "1");
		req_set(r, arena_printf(&r->arena, "Share.Visible.%s", name), (c->visible & (1u << f)) ? "1" : "0");
	}
	auth_form_token(r);
}

enum { FC_REVISION, FC_CARD };
static const struct input in_card_form[] = {
	[FC_REVISION] = {"revision", IN_INT, SRC_BODY, 1, 0, REVISION_MAX, NULL},
	CARDFORM_INPUTS(FC_CARD),
	{NULL},
};

/* --- HTML pages: the card and its editor ---------------------------------------*/

/* card_page: the view and the editor; editing (NULL: the stored card) is
 * what the form shows, e.g. the values just submitted. */
static enum err card_page(struct req *r, int status, const struct owncard *c, const json_t *editing)
{
	page_card_data(r, c);
	if (editing) {
		cardform_fill(r, editing);
	} else {
		json_t *j = card_to_json(&c->card);
		cardform_fill(r, j);
		json_decref(j);
	}
	return req_html(r, status, "card.cs");
}

static enum err page_card(struct req *r)
{
	struct owncard c;
	enum err e = owncard_by_user(r->db, &r->arena, r->user->id, &c);
	return e != ERR_OK ? e : card_page(r, 200, &c, NULL);
}

/* form_card_save: validate and save the editor, or show it again with the
 * values typed and what is wrong (400), or what happened meanwhile (412). */
static enum err form_card_save(struct req *r, const json_t *submitted)
{
	struct owncard cur, next;
	struct errinfo ei = {0};
	struct card nc;
	unsigned changed;
	enum err e = card_from_json(submitted, cfg.default_country, &nc, &r->arena, &ei);

	if (e == ERR_OK)
		e = edit_begin(r, r->in[FC_REVISION].num, &cur);
	else
		req_fail(r, e, ei.code, ei.field, ei.message);
	if (e == ERR_BAD_REQUEST || e == ERR_PRECONDITION) {
		struct owncard now;
		enum err e2;
		req_set(r, "Form.Error", r->ei.code);
		req_set(r, "Form.Field", r->ei.field);
		db_rollback(r->db);
		if ((e2 = owncard_by_user(r->db, &r->arena, r->user->id, &now)) != ERR_OK)
			return e2;
		return card_page(r, err_status(e), &now, submitted);
	}
	if (e != ERR_OK)
		return e;
	next = cur;
	next.card = nc;
	if ((e = edit_commit(r, &cur, &next, &changed)) != ERR_OK)
		return e;
	return req_redirect(r, changed ? "/card?saved=1" : "/card?unchanged=1");
}

static enum err form_card(struct req *r)
{
	json_t *submitted = cardform_json(r, FC_CARD);
	if (submitted == NULL)
		return req_fail(r, ERR_BAD_REQUEST, "invalid_utf8", NULL, "not valid UTF-8");
	enum err e = form_card_save(r, submitted);
	json_decref(submitted);
	return e;
}

/* --- HTML pages: images -------------------------------------------------------*/

static enum err images_page(struct req *r, int status)
{
	struct owncard c;
	enum err e = owncard_by_user(r->db, &r->arena, r->user->id, &c);
	if (e != ERR_OK)
		return e;
	page_card_data(r, &c);
	req_setf(r, "Images.MaxMiB", "%zu", cfg.image_max / (1024 * 1024));
	return req_html(r, status, "card_images.cs");
}

static enum err page_images(struct req *r)
{
	return images_page(r, 200);
}

/* image_form_error: the images page again with what went wrong. */
static enum err image_form_error(struct req *r, enum err e)
{
	req_set(r, "Form.Error", r->ei.code);
	req_set(r, "Form.Field", r->params[0]);
	db_rollback(r->db);
	return images_page(r, err_status(e));
}

static enum err form_image_upload(struct req *r)
{
	struct owncard next;
	const char *hash;
	unsigned changed;
	enum err e = imagestore_put_file(r, req_upload(r, "image"), &hash);

	if (e == ERR_OK)
		e = image_set(r, side_of(r->params[0]), hash, -1, &next, &changed);
	if (e == ERR_BAD_REQUEST || e == ERR_MEDIA_TYPE || e == ERR_TOO_LARGE)
		return image_form_error(r, e);
	return e != ERR_OK ? e : req_redirect(r, "/card/images?saved=1");
}

static enum err form_image_delete(struct req *r)
{
	struct owncard next;
	unsigned changed;
	enum err e = image_set(r, side_of(r->params[0]), NULL, -1, &next, &changed);
	if (e == ERR_NOT_FOUND)		/* already gone: the page shows that */
		return req_redirect(r, "/card/images");
	return e != ERR_OK ? e : req_redirect(r, "/card/images?deleted=1");
}

/* --- HTML pages: history ---------------------------------------------------------*/

static enum err page_history(struct req *r)
{
	struct owncard c;
	struct db_result res;
	long long cursor = r->in[RL_CURSOR].present ? r->in[RL_CURSOR].num : REVISION_MAX + 1;
	int more;
	enum err e = owncard_by_user(r->db, &r->arena, r->user->id, &c);

	if (e == ERR_OK)
		e = revisions_page(r, c.id, cursor, req_limit(r), &res, &more);
	if (e != ERR_OK)
		return e;
	page_card_data(r, &c);
	for (size_t i = 0; i < res.nrows; i++) {
		const char *p = arena_printf(&r->arena, "Revisions.%zu", i);
		unsigned mask = owncard_fields_parse(db_cell(&res, i, 1));
		req_set(r, arena_printf(&r->arena, "%s.N", p), db_cell(&res, i, 0));
		req_set(r, arena_printf(&r->arena, "%s.At", p), db_cell(&res, i, 2));
		for (int f = 0, k = 0; f < CF__MAX; f++)
			if (mask & (1u << f))
				req_set(r, arena_printf(&r->arena, "%s.Changed.%d", p, k++),
					card_field_name((enum card_field)f));
	}
	if (more)
		req_set(r, "History.Next", db_cell(&res, res.nrows - 1, 0));
	return req_html(r, 200, "card_history.cs");
}

/* line: one line of a field's value on the difference page: a label key
 * (a type or a name part, translated by the template) and the text. */
static void line(struct req *r, const char *p, size_t *k, const char *label, const char *text)
{
	if (text == NULL || *text == '\0')
		return;
	req_set(r, arena_printf(&r->arena, "%s.%zu.Label", p, *k), label);
	req_set(r, arena_printf(&r->arena, "%s.%zu.Text", p, *k), text);
	(*k)++;
}

static void item_lines(struct req *r, const char *p, size_t *k, const struct card_item *it, size_t n)
{
	for (size_t i = 0; i < n; i++)
		line(r, p, k, it[i].type, it[i].value);
}

/* field_lines: the value of field f of c as lines under p. */
static void field_lines(struct req *r, const char *p, const struct card *c, enum card_field f)
{
	size_t k = 0;
	switch (f) {
	case CF_NAME:
		line(r, p, &k, "prefix", c->prefix);
		line(r, p, &k, "given", c->given);
		line(r, p, &k, "additional", c->additional);
		line(r, p, &k, "family", c->family);
		line(r, p, &k, "suffix", c->suffix);
		break;
	case CF_EMAILS:
		item_lines(r, p, &k, c->emails, c->n_emails);
		break;
	case CF_PHONES:
		for (size_t i = 0; i < c->n_phones; i++)
			line(r, p, &k, c->phones[i].type, phone_display(c->phones[i].value, &r->arena));
		break;
	case CF_URLS:
		item_lines(r, p, &k, c->urls, c->n_urls);
		break;
	case CF_ADDRESSES:
		for (size_t i = 0; i < c->n_addresses; i++) {
			const struct card_address *ad = &c->addresses[i];
			const char *parts[] = {ad->street, ad->locality, ad->region, ad->postal_code, ad->country};
			char *text = arena_strdup(&r->arena, "");
			for (size_t m = 0; m < sizeof(parts) / sizeof(parts[0]); m++)
				if (parts[m] && *parts[m])
					text = arena_printf(&r->arena, "%s%s%s", text, *text ? ", " : "", parts[m]);
			line(r, p, &k, ad->type, text);
		}
		break;
	default: {
		json_t *j = card_field_to_json(c, f);
		line(r, p, &k, "", json_string_value(j));
		json_decref(j);
	}
	}
}

static enum err page_revision(struct req *r)
{
	struct owncard at, old;
	long long card_id, n = r->param_ids[0];
	int has_old;
	enum err e = revision_pair(r, n, &r->in[RV_COMPARE], &at, &old, &has_old, &card_id);
	struct owncard cur;

	if (e == ERR_OK)
		e = owncard_by_user(r->db, &r->arena, r->user->id, &cur);
	if (e != ERR_OK)
		return e;
	page_card_data(r, &cur);
	owncard_hdf(r->hdf, "At", &at.card);
	req_setf(r, "At.N", "%lld", n);
	req_set(r, "At.When", at.updated_at);
	req_set(r, "At.Front", at.front_image);
	req_set(r, "At.Back", at.back_image);
	for (long long m = cur.revision, k = 0; m >= 0 && k < 200; m--, k++)
		req_setf(r, arena_printf(&r->arena, "Compare.Choices.%lld", k), "%lld", m);
	if (has_old) {
		unsigned mask = owncard_diff(&old, &at);
		req_setf(r, "Compare.N", "%lld", old.revision);
		req_set(r, "Compare.Has", "1");
		req_set(r, "Compare.Any", mask ? "1" : "0");
		for (int f = 0, k = 0; f < CF__MAX; f++) {
			if (!(mask & (1u << f)))
				continue;
			const char *p = arena_printf(&r->arena, "Changes.%d", k++);
			req_set(r, arena_printf(&r->arena, "%s.Field", p), card_field_name((enum card_field)f));
			if (f == CF_FRONT_IMAGE || f == CF_BACK_IMAGE) {
				req_set(r, arena_printf(&r->arena, "%s.Image", p), f == CF_FRONT_IMAGE ? "front" : "back");
				req_set(r, arena_printf(&r->arena, "%s.OldImage", p),
					f == CF_FRONT_IMAGE ? old.front_image : old.back_image);
				req_set(r, arena_printf(&r->arena, "%s.NewImage", p),
					f == CF_FRONT_IMAGE ? at.front_image : at.back_image);
				continue;
			}
			field_lines(r, arena_printf(&r->arena, "%s.Old", p), &old.card, (enum card_field)f);
			field_lines(r, arena_printf(&r->arena, "%s.New", p), &at.card, (enum card_field)f);
		}
	}
	return req_html(r, 200, "card_revision.cs");
}

/* --- HTML pages: sharing ---------------------------------------------------------*/

static enum err page_share(struct req *r)
{
	struct owncard c;
	enum err e = owncard_by_user(r->db, &r->arena, r->user->id, &c);
	if (e != ERR_OK)
		return e;
	page_card_data(r, &c);
	return req_html(r, 200, "card_share.cs");
}

static const struct input in_share_form[] = {
	[SH_VISIBLE] = {"visible", IN_STRLIST, SRC_BODY, 0, 0, 40, NULL},
	{NULL},
};

static enum err form_share(struct req *r)
{
	struct owncard c;
	unsigned mask;
	enum err e = visible_mask(r, &r->in[SH_VISIBLE], "visible", &mask);

	if (e == ERR_OK)
		e = owncard_by_user(r->db, &r->arena, r->user->id, &c);
	if (e == ERR_OK)
		e = owncard_set_visible(r->db, c.id, mask);
	return e != ERR_OK ? e : req_redirect(r, "/card/share?saved=1");
}

enum { RO_CONFIRM };
static const struct input in_rotate_form[] = {
	[RO_CONFIRM] = {"confirm", IN_BOOL, SRC_BODY, 0, 0, 0, NULL},
	{NULL},
};

/* form_rotate: a new link only when the member confirmed (the share page's
 * confirmation says what stops working); without confirm=1, nothing
 * changes and the member is asked. */
static enum err form_rotate(struct req *r)
{
	struct owncard c;
	const char *token;
	if (!r->in[RO_CONFIRM].present || !r->in[RO_CONFIRM].num)
		return req_redirect(r, "/card/share?rotate=confirm#rotate");
	enum err e = owncard_by_user(r->db, &r->arena, r->user->id, &c);
	if (e == ERR_OK)
		e = owncard_rotate(r->db, &r->arena, c.id, &token);
	return e != ERR_OK ? e : req_redirect(r, "/card/share?rotated=1");
}

/* --- the route table ------------------------------------------------------------*/

static const struct route routes[] = {
	{"GET", "/api/v1/card", AUTH_USER_CARD, BODY_NONE, NULL, api_get_card},
	{"PUT", "/api/v1/card", AUTH_USER, BODY_JSON, in_put_card, api_put_card},
	{"GET", "/api/v1/card.vcf", AUTH_USER, BODY_NONE, in_vcf, api_vcf},
	{"GET", "/api/v1/card/images/{side}", AUTH_USER, BODY_NONE, in_image, api_get_image},
	{"PUT", "/api/v1/card/images/{side}", AUTH_USER, BODY_IMAGE, NULL, api_put_image},
	{"DELETE", "/api/v1/card/images/{side}", AUTH_USER, BODY_NONE, NULL, api_delete_image},
	{"GET", "/api/v1/card/revisions", AUTH_USER, BODY_NONE, in_revisions, api_revisions},
	{"GET", "/api/v1/card/revisions/{n}", AUTH_USER, BODY_NONE, in_revision, api_revision},
	{"GET", "/api/v1/card/revisions/{n}/images/{side}", AUTH_USER, BODY_NONE, in_image, api_revision_image},
	{"GET", "/api/v1/card/share", AUTH_USER, BODY_NONE, NULL, api_get_share},
	{"PUT", "/api/v1/card/share", AUTH_USER, BODY_JSON, in_share, api_put_share},
	{"POST", "/api/v1/card/share/rotate", AUTH_USER, BODY_NONE, NULL, api_rotate},

	{"GET", "/card", AUTH_USER, BODY_NONE, NULL, page_card},
	{"POST", "/card", AUTH_USER, BODY_FORM, in_card_form, form_card},
	{"GET", "/card/images", AUTH_USER, BODY_NONE, NULL, page_images},
	{"POST", "/card/images/{side}", AUTH_USER, BODY_UPLOAD, NULL, form_image_upload},
	{"POST", "/card/images/{side}/delete", AUTH_USER, BODY_FORM, NULL, form_image_delete},
	{"GET", "/card/history", AUTH_USER, BODY_NONE, in_revisions, page_history},
	{"GET", "/card/history/{n}", AUTH_USER, BODY_NONE, in_revision, page_revision},
	{"GET", "/card/share", AUTH_USER, BODY_NONE, NULL, page_share},
	{"POST", "/card/share", AUTH_USER, BODY_FORM, in_share_form, form_share},
	{"POST", "/card/share/rotate", AUTH_USER, BODY_FORM, in_rotate_form, form_rotate},
	{NULL},
};

int main(int argc, char **argv)
{
	return app_run(argc, argv, "mycard", routes, NULL);
}
