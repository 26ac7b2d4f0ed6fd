/* folder.c: module 102, the card folder: saved cards typed in, imported from vCard or saved from a public link; search, tags, notes, export. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "autolink.h"
#include "cardform.h"
#include "config.h"
#include "contact.h"
#include "folder.h"
#include "foldercache.h"
#include "foldertile.h"
#include "http.h"
#include "imagestore.h"
#include "import.h"
#include "importjob.h"
#include "log.h"
#include "owncard.h"
#include "savers.h"
#include "vcard.h"
#include "vcardmap.h"

#define EXPORT_PAGE 500		/* entries read at once for a whole-folder export */

static const char *const version_choices[] = {"4.0", "3.0", NULL};

/* --- shared steps ------------------------------------------------------------*/

static long long holder(struct req *r)
{
	return r->user->id;
}

/* not_found: the one answer for an entry that is not in the caller's folder. */
static enum err not_found(struct req *r)
{
	return req_fail(r, ERR_NOT_FOUND, NULL, NULL, "no such entry in your folder");
}

static enum err get_entry(struct req *r, long long id, int lock, struct folder_entry *e)
{
	enum err err = folder_entry_get(r->db, &r->arena, holder(r), id, lock, e);
	return err == ERR_NOT_FOUND ? not_found(r) : err;
}

static enum err answer_entry(struct req *r, int status, long long id, json_t *extra)
{
	struct folder_entry e;
	enum err err = get_entry(r, id, 0, &e);
	if (err != ERR_OK) {
		json_decref(extra);
		return err;
	}
	json_t *body = json_pack("{s:o}", "entry", folder_entry_json(&e, &r->arena));
	if (extra)
		json_object_update_new(body, extra);
	if (status == 201)
		req_add_header(r, "Location: /api/v1/folder/%lld", id);
	return req_json(r, status, body);
}

/* fail_ei: record a library errinfo as the request's failure. */
static enum err fail_ei(struct req *r, const struct errinfo *ei)
{
	return req_fail(r, ei->err ? ei->err : ERR_BAD_REQUEST, ei->code, ei->field, ei->message);
}

/* clean_tags: the tags of an input (STRLIST), checked. */
static enum err clean_tags(struct req *r, const struct value *v, const char ***tags, size_t *n)
{
	struct errinfo ei = {0};
	*tags = NULL;
	*n = 0;
	if (!v->present)
		return ERR_OK;
	if (folder_tags_clean(v->list, v->n_list, &r->arena, tags, n, &ei) != ERR_OK)
		return fail_ei(r, &ei);
	return ERR_OK;
}

static json_t *dup_json(long long entry_id, const char *action)
{
	return json_pack("{s:{s:I, s:s}}", "duplicate", "entry_id", (json_int_t)entry_id, "action", action);
}

/* save_card: the work of POST /api/v1/folder and /folder/new
 * (folder_save_card, lib/foldersave.c) for the signed-in holder. */
static enum err save_card(struct req *r, const struct card *c, const char *notes,
			  const char *const *tags, size_t n_tags, const char *const img[FOLDER_SIDE__MAX],
			  enum folder_dup policy, long long *id, const char **action, long long *dup)
{
	return folder_save_card(r->db, &r->arena, holder(r), c, notes, tags, n_tags, img, policy, id,
				action, dup);
}

/* --- vCard export ------------------------------------------------------------*/

/* export_append: one entry as a vCard at the end of b; the front image is
 * embedded (its thumbnail when thumb), since address books rarely fetch
 * photo URLs and ours need a sign-in. */
static enum err export_append(struct req *r, struct vcard_buf *b, struct folder_entry *e,
			      enum vcard_version v, int thumb)
{
	struct vcardmap_card m = {.card = &e->card, .version = v, .uid = e->uid, .updated_at = e->updated_at,
				  .tags = (const char *const *)e->tags, .n_tags = e->n_tags,
				  .front = e->image[FOLDER_FRONT], .thumb = thumb};
	return vcardmap_append(r->db, b, &m);
}

enum { VC_VERSION };
static const struct input in_vcf[] = {
	[VC_VERSION] = {"version", IN_ENUM, SRC_QUERY, 0, 0, 0, version_choices},
	{NULL},
};

static enum vcard_version want_version(struct req *r)
{
	return r->in[VC_VERSION].present && r->in[VC_VERSION].num == 1 ? VCARD_V3 : VCARD_V4;
}

static enum err api_export_all(struct req *r)
{
	struct vcard_buf b;
	const char *cursor = NULL;
	enum err e;

	vcard_buf_init(&b, &r->arena);
	do {
		struct folder_page page;
		struct errinfo ei = {0};
		e = folder_list(r->db, &r->arena, holder(r), NULL, NULL, cursor, EXPORT_PAGE,
				cfg.default_country, &page, &ei);
		if (e != ERR_OK)
			return e;
		for (size_t i = 0; i < page.n; i++)
			if ((e = export_append(r, &b, &page.entries[i], want_version(r), 1)) != ERR_OK)
				return e;
		cursor = page.next_cursor;
	} while (cursor);
	req_add_header(r, "Content-Disposition: attachment; filename=\"folder.vcf\"");
	return req_raw(r, 200, "text/vcard; charset=utf-8", b.data ? b.data : "", b.len);
}

static enum err api_export_one(struct req *r)
{
	struct folder_entry en;
	struct vcard_buf b;
	enum err e = get_entry(r, r->param_ids[0], 0, &en);

	if (e != ERR_OK)
		return e;
	vcard_buf_init(&b, &r->arena);
	if ((e = export_append(r, &b, &en, want_version(r), 0)) != ERR_OK)
		return e;
	req_add_header(r, "Content-Disposition: attachment; filename=\"card-%lld.vcf\"", en.id);
	return req_raw(r, 200, "text/vcard; charset=utf-8", b.data ? b.data : "", b.len);
}

/* --- vCard import (lib/import.c) ---------------------------------------------*/

enum { IMP_DUP, IMP_CHARSET, IMP_ASYNC };
static const struct input in_import[] = {
	[IMP_DUP] = {"on_duplicate", IN_ENUM, SRC_QUERY, 0, 0, 0, folder_dup_choices},
	[IMP_CHARSET] = {"charset", IN_TOKEN, SRC_QUERY, 0, 1, 40, NULL},
	[IMP_ASYNC] = {"async", IN_BOOL, SRC_QUERY, 0, 0, 0, NULL},
	{NULL},
};

static enum folder_dup want_policy(const struct value *v)
{
	return v->present ? (enum folder_dup)v->num : FOLDER_DUP_SKIP;
}

/* import_job_start: a file of more than Import.AsyncCards cards becomes
 * a job (lib/importjob.c): *id set, or 0 when the file is small enough to
 * import at once. The file is read first, so a file that is no vCard (or
 * holds too many cards) is refused here with nothing stored. */
static enum err import_job_start(struct req *r, const char *data, size_t len, enum folder_dup policy,
				 const char *charset, long long *id)
{
	struct import_batch b;
	struct import_result chk;
	struct errinfo ei = {0};
	enum err e;

	*id = 0;
	import_result_init(&chk);
	e = import_read(data, len, charset, cfg.default_country, &r->arena, &b, &chk, &ei);
	import_free(&chk);
	if (e != ERR_OK)
		return req_fail(r, e, ei.code, ei.field, ei.message);
	if ((long)b.n_parsed <= importjob_async_cards())
		return ERR_OK;
	if ((e = db_begin(r->db)) != ERR_OK ||
	    (e = importjob_create(r->db, holder(r), data, len, policy, (long long)b.n_parsed, id)) != ERR_OK ||
	    (e = db_commit(r->db)) != ERR_OK)
		return e;
	log_info("folder: user %lld: import job %lld queued (%zu cards)", holder(r), *id, b.n_parsed);
	return ERR_OK;
}

/* job_answer: the job's JSON (GET /api/v1/folder/import/{id}, and the 202
 * of ?async=1). */
static enum err job_answer(struct req *r, int status, long long id)
{
	struct import_job j;
	enum err e = importjob_get(r->db, &r->arena, holder(r), id, &j);
	if (e == ERR_NOT_FOUND)
		return req_fail(r, e, "not_found", NULL, "no such import");
	if (e != ERR_OK)
		return e;
	if (status == 202)
		req_add_header(r, "Location: /api/v1/folder/import/%lld", id);
	return req_json(r, status, importjob_json(&j));
}

static enum err api_import(struct req *r)
{
	struct import_result res;
	const char *body = r->body ? r->body : "", *charset = r->in[IMP_CHARSET].present ? r->in[IMP_CHARSET].str : NULL;
	enum folder_dup policy = want_policy(&r->in[IMP_DUP]);
	enum err e;

	if (r->in[IMP_ASYNC].present && r->in[IMP_ASYNC].num) {
		long long id = 0;
		if ((e = import_job_start(r, body, r->body_len, policy, charset, &id)) != ERR_OK)
			return e;
		if (id)
			return job_answer(r, 202, id);
	}
	e = import_run(r, holder(r), body, r->body_len, policy, charset, &res);
	if (e != ERR_OK) {
		import_free(&res);
		return e;
	}
	return req_json(r, 200, import_json(&res));
}

static enum err api_import_job(struct req *r)
{
	return job_answer(r, 200, r->param_ids[0]);
}

/* --- JSON API: the folder ------------------------------------------------------*/

enum { LS_Q, LS_TAG, LS_LIMIT, LS_CURSOR };
static const struct input in_list[] = {
	[LS_Q] = {"q", IN_TEXT, SRC_QUERY, 0, 0, 200, NULL},
	[LS_TAG] = {"tag", IN_TEXT, SRC_QUERY, 0, 0, FOLDER_MAX_TAG, NULL},
	[LS_LIMIT] = {"limit", IN_INT, SRC_QUERY, 0, 1, 500, NULL},
	[LS_CURSOR] = {"cursor", IN_TOKEN, SRC_QUERY, 0, 1, 400, NULL},
	{NULL},
};

/* list_page: the listing of the request's inputs; brief for the HTML list
 * (folder_list_brief, any_tags as it takes it), else for JSON answers
 * (folder_list_json). */
static enum err list_page(struct req *r, struct folder_page *page, long long def_limit, int brief,
			  int any_tags)
{
	struct errinfo ei = {0};
	const char *q = r->in[LS_Q].present ? r->in[LS_Q].str : NULL;
	const char *tag = r->in[LS_TAG].present ? r->in[LS_TAG].str : NULL;
	const char *cursor = r->in[LS_CURSOR].present ? r->in[LS_CURSOR].str : NULL;
	long long limit = r->in[LS_LIMIT].present ? r->in[LS_LIMIT].num : def_limit;
	enum err e = brief ? folder_list_brief(r->db, &r->arena, holder(r), q, tag, cursor, limit,
					       cfg.default_country, any_tags, page, &ei)
			   : folder_list_json(r->db, &r->arena, holder(r), q, tag, cursor, limit,
					      cfg.default_country, page, &ei);
	if (e == ERR_BAD_REQUEST)
		return fail_ei(r, &ei);
	return e;
}

static enum err api_list(struct req *r)
{
	struct folder_page page;
	enum err e = list_page(r, &page, 50, 0, 1);
	if (e != ERR_OK)
		return e;
	/* {"entries": [...], "next_cursor": "..."} as req_json would write it,
	 * each entry's stored card copied in rather than parsed (issue 19) */
	STRING s;
	string_init(&s);
	NEOERR *err = string_append(&s, "{\"entries\":[");
	for (size_t i = 0; i < page.n && err == STATUS_OK; i++) {
		const char *t = folder_entry_json_text(&page.entries[i], &r->arena);
		if (t == NULL)
			err = nerr_raise(NERR_NOMEM, "entry");
		else if (i > 0 && (err = string_append_char(&s, ',')) != STATUS_OK)
			break;
		else
			err = string_append(&s, t);
	}
	if (err == STATUS_OK)
		err = string_append(&s, "]");
	/* the cursor is base64url: no character JSON escapes */
	if (err == STATUS_OK && page.next_cursor)
		err = string_appendf(&s, ",\"next_cursor\":\"%s\"}", page.next_cursor);
	else if (err == STATUS_OK)
		err = string_append(&s, ",\"next_cursor\":null}");
	if (err != STATUS_OK) {
		nerr_ignore(&err);
		string_clear(&s);
		return req_fail(r, ERR_INTERNAL, NULL, NULL, "cannot encode JSON");
	}
	e = req_json_text(r, 200, s.buf, (size_t)s.len);
	string_clear(&s);
	return e;
}

enum { CR_CARD, CR_NOTES, CR_TAGS, CR_DUP };
static const struct input in_create[] = {
	[CR_CARD] = {"card", IN_JSON, SRC_BODY, 1, 0, 0, NULL},
	[CR_NOTES] = {"notes", IN_TEXT, SRC_BODY, 0, 0, FOLDER_MAX_NOTES, NULL},
	[CR_TAGS] = {"tags", IN_STRLIST, SRC_BODY, 0, 0, FOLDER_MAX_TAG, NULL},
	[CR_DUP] = {"on_duplicate", IN_ENUM, SRC_QUERY, 0, 0, 0, folder_dup_choices},
	{NULL},
};

static enum err api_create(struct req *r)
{
	struct errinfo ei = {0};
	struct card c;
	const char **tags;
	size_t n_tags;
	const char *none[FOLDER_SIDE__MAX] = {NULL, NULL};
	const char *action;
	long long id, dup;
	enum err e;

	if (card_from_json(r->in[CR_CARD].json, cfg.default_country, &c, &r->arena, &ei) != ERR_OK) {
		ei.field = ei.field ? arena_printf(&r->arena, "card.%s", ei.field) : "card";
		return fail_ei(r, &ei);
	}
	if ((e = clean_tags(r, &r->in[CR_TAGS], &tags, &n_tags)) != ERR_OK)
		return e;
	e = save_card(r, &c, r->in[CR_NOTES].present ? r->in[CR_NOTES].str : "", tags, n_tags, none,
		      want_policy(&r->in[CR_DUP]), &id, &action, &dup);
	if (e != ERR_OK)
		return e;
	if (action == NULL)
		return answer_entry(r, 201, id, NULL);
	return answer_entry(r, strcmp(action, "kept") == 0 ? 201 : 200, id, dup_json(dup, action));
}

static enum err api_get(struct req *r)
{
	return answer_entry(r, 200, r->param_ids[0], NULL);
}

enum { UP_CARD, UP_NOTES, UP_TAGS };
static const struct input in_update[] = {
	[UP_CARD] = {"card", IN_JSON, SRC_BODY, 0, 0, 0, NULL},
	[UP_NOTES] = {"notes", IN_TEXT, SRC_BODY, 0, 0, FOLDER_MAX_NOTES, NULL},
	[UP_TAGS] = {"tags", IN_STRLIST, SRC_BODY, 0, 0, FOLDER_MAX_TAG, NULL},
	{NULL},
};

static enum err api_update(struct req *r)
{
	struct folder_entry cur;
	struct folder_change ch = {0};
	struct errinfo ei = {0};
	struct card c;
	const char **tags;
	size_t n_tags;
	long long id = r->param_ids[0];
	enum err e;

	if ((e = clean_tags(r, &r->in[UP_TAGS], &tags, &n_tags)) != ERR_OK)
		return e;
	if ((e = db_begin(r->db)) != ERR_OK || (e = get_entry(r, id, 1, &cur)) != ERR_OK)
		return e;
	if (r->in[UP_CARD].present) {
		if (folder_card_from_json(r->in[UP_CARD].json, &cur.card, cfg.default_country, &c,
					  &r->arena, &ei) != ERR_OK) {
			ei.field = ei.field ? arena_printf(&r->arena, "card.%s", ei.field) : "card";
			return fail_ei(r, &ei);
		}
		ch.card = &c;
	}
	if (r->in[UP_NOTES].present)
		ch.notes = r->in[UP_NOTES].str;
	if (r->in[UP_TAGS].present) {
		ch.set_tags = 1;
		ch.tags = tags;
		ch.n_tags = n_tags;
	}
	if (ch.card || ch.notes || ch.set_tags) {
		if ((e = folder_entry_update(r->db, &r->arena, holder(r), id, &ch)) != ERR_OK ||
		    (ch.card && (e = autolink_entries(r->db, &r->arena, holder(r), &id, 1, 1, NULL, NULL)) != ERR_OK) ||
		    (e = db_commit(r->db)) != ERR_OK)
			return e;
	} else {
		db_rollback(r->db);
	}
	return answer_entry(r, 200, id, NULL);
}

static enum err api_delete(struct req *r)
{
	enum err e = db_begin(r->db);
	if (e == ERR_OK)
		e = folder_entry_delete(r->db, &r->arena, holder(r), r->param_ids[0]);
	if (e == ERR_NOT_FOUND)
		return not_found(r);
	if (e == ERR_OK)
		e = db_commit(r->db);
	return e != ERR_OK ? e : req_no_content(r);
}

static enum folder_side side_of(const char *s)
{
	return strcmp(s, "back") == 0 ? FOLDER_BACK : FOLDER_FRONT;
}

enum { IM_THUMB, IM_V };
static const struct input in_image[] = {
	[IM_THUMB] = {"thumb", IN_BOOL, SRC_QUERY, 0, 0, 0, NULL},
	[IM_V] = {"v", IN_TOKEN, SRC_QUERY, 0, 1, 64, NULL},
	{NULL},
};

static enum err api_image_get(struct req *r)
{
	struct folder_entry en;
	enum err e = get_entry(r, r->param_ids[0], 0, &en);
	if (e != ERR_OK)
		return e;
	const char *hash = en.image[side_of(r->params[1])];
	if (hash == NULL)
		return req_fail(r, ERR_NOT_FOUND, "no_image", r->params[1], "this side has no image");
	return imagestore_serve(r, hash, r->in[IM_THUMB].present && r->in[IM_THUMB].num);
}

/* image_set: put hash (NULL: remove) on one side of an entry; commits.
 * The entry is checked before anything is stored. */
static enum err image_set(struct req *r, long long id, enum folder_side side, const void *data,
			  size_t len, FILE *upload)
{
	struct folder_entry en;
	struct folder_change ch = {0};
	const char *hash = NULL;
	enum err e;

	if ((e = db_begin(r->db)) != ERR_OK || (e = get_entry(r, id, 1, &en)) != ERR_OK)
		return e;
	if (data == NULL && upload == NULL && en.image[side] == NULL)
		return req_fail(r, ERR_NOT_FOUND, "no_image", folder_side_name(side), "this side has no image");
	if (data && (e = imagestore_put(r, data, len, &hash)) != ERR_OK)
		return e;
	if (upload && (e = imagestore_put_file(r, upload, &hash)) != ERR_OK)
		return e;
	ch.set_image[side] = 1;
	ch.image[side] = hash;
	if ((e = folder_entry_update(r->db, &r->arena, holder(r), id, &ch)) != ERR_OK)
		return e;
	return db_commit(r->db);
}

static enum err api_image_put(struct req *r)
{
	if (r->body_len == 0)
		return req_fail(r, ERR_BAD_REQUEST, "required", "image", "no image in the body");
	enum err e = image_set(r, r->param_ids[0], side_of(r->params[1]), r->body, r->body_len, NULL);
	return e != ERR_OK ? e : answer_entry(r, 200, r->param_ids[0], NULL);
}

static enum err api_image_delete(struct req *r)
{
	enum err e = image_set(r, r->param_ids[0], side_of(r->params[1]), NULL, 0, NULL);
	return e != ERR_OK ? e : req_no_content(r);
}

static enum err api_tags(struct req *r)
{
	const char **tags;
	long long *counts;
	size_t n;
	enum err e = folder_tags_all(r->db, &r->arena, holder(r), &tags, &counts, &n);
	if (e != ERR_OK)
		return e;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:I}", "tag", tags[i], "count", (json_int_t)counts[i]));
	return req_json(r, 200, json_pack("{s:o}", "tags", list));
}

/* --- saving a member's card from its public link -------------------------------*/

/* What save_shared did. */
enum saved_as {
	SAVED_ALREADY,	/* a linked copy of the card was in the folder: that entry */
	SAVED_NEW,	/* a new linked entry */
	SAVED_MATCHED,	/* an unlinked copy of the member's card was in the folder:
			 * no second entry; that entry, offered for linking */
	SAVED__MAX
};

/* save_shared: save the card behind a public link token as a linked entry
 * holding only the shared fields and images, unless the folder holds a
 * copy of that member's card already (*created says which). Commits. */
static enum err save_shared(struct req *r, const char *token, long long *id, enum saved_as *created)
{
	struct owncard oc;
	int removed;
	enum err e;

	*created = SAVED_ALREADY;
	e = owncard_by_token(r->db, &r->arena, token, &oc);
	if (e == ERR_NOT_FOUND)
		return req_fail(r, ERR_NOT_FOUND, "no_card", "token", "no card has this link");
	if (e != ERR_OK)
		return e;
	if (oc.user_id == holder(r))
		return req_fail(r, ERR_CONFLICT, "own_card", "token", "this is your own card");
	owncard_shared_view(&oc);
	if ((e = db_begin(r->db)) != ERR_OK || (e = folder_lock(r->db, holder(r))) != ERR_OK)
		return e;
	if ((e = folder_linked_copy(r->db, &r->arena, holder(r), oc.id, 1, id)) != ERR_OK)
		return e;
	if (*id) {
		db_rollback(r->db);
		return ERR_OK;
	}
	/* a copy of this member's card that is not linked (typed in, imported,
	 * from CardDAV): no duplicate; that copy is offered for linking, even
	 * if its offer was dismissed before (saving the link asks for it) */
	if ((e = folder_unlinked_copy_offer(r->db, &r->arena, holder(r), oc.user_id, id)) != ERR_OK)
		return e;
	if (*id) {
		*created = SAVED_MATCHED;
		/* a holder who links cards of members automatically: linked now */
		if ((e = autolink_entries(r->db, &r->arena, holder(r), id, 1, 1, NULL, NULL)) != ERR_OK)
			return e;
		return db_commit(r->db);
	}
	struct folder_new nw = {
		.card = &oc.card, .uid = owncard_uid(&oc, &r->arena),
		.image = {oc.front_image, oc.back_image},
		.source_card_id = oc.id, .synced_revision = oc.revision, .owner_user_id = oc.user_id,
	};
	/* the owner removed this holder from their savers list: the card's
	 * public link still gives a copy, but one that is not linked (no
	 * update reaches it, and it is not offered for linking) */
	if ((e = savers_is_removed(r->db, &r->arena, oc.user_id, holder(r), &removed)) != ERR_OK)
		return e;
	if (removed)
		nw.source_card_id = nw.synced_revision = nw.owner_user_id = 0;
	/* the card's vCard, downloaded and imported before, has this UID */
	const char *uids[1] = {nw.uid};
	const struct card *none[1] = {NULL};
	struct card empty;
	long long taken = 0;
	card_init(&empty);
	none[0] = &empty;
	if ((e = folder_find_duplicates(r->db, &r->arena, holder(r), none, uids, 1, &taken)) != ERR_OK)
		return e;
	if (taken)
		nw.uid = NULL;
	e = folder_entry_insert(r->db, &r->arena, holder(r), &nw, id);
	if (e == ERR_CONFLICT) {
		/* saved by a concurrent request: that entry it is */
		db_rollback(r->db);
		e = folder_linked_copy(r->db, &r->arena, holder(r), oc.id, 0, id);
		if (e == ERR_OK && *id == 0)
			e = ERR_CONFLICT;
		return e;
	}
	/* step C1: the card's owner is told who saved it */
	if (e == ERR_OK)
		e = savers_on_entry(r->db, &r->arena, *id, 1);
	if (e == ERR_OK)
		e = db_commit(r->db);
	if (e == ERR_OK)
		*created = SAVED_NEW;
	return e;
}

enum { SS_TOKEN };
static const struct input in_save_shared[] = {
	[SS_TOKEN] = {"token", IN_TOKEN, SRC_BODY, 1, 16, 64, NULL},
	{NULL},
};

static enum err api_save_shared(struct req *r)
{
	long long id = 0;
	enum saved_as created;
	enum err e = save_shared(r, r->in[SS_TOKEN].str, &id, &created);
	if (e != ERR_OK)
		return e;
	return answer_entry(r, created == SAVED_NEW ? 201 : 200, id,
			    created == SAVED_MATCHED ? json_pack("{s:b}", "matched", 1) : NULL);
}

/* --- HTML pages: shared pieces ------------------------------------------------*/

static void set_i(struct req *r, const char *name, long long v)
{
	req_setf(r, name, "%lld", v);
}

/* entry_hdf: what the pages show of an entry, under prefix. */
static void entry_hdf(struct req *r, const char *prefix, const struct folder_entry *e)
{
	struct arena *a = &r->arena;
	owncard_hdf(r->hdf, arena_printf(a, "%s.Card", prefix), &e->card);
	set_i(r, arena_printf(a, "%s.Id", prefix), e->id);
	req_set(r, arena_printf(a, "%s.Member", prefix), e->owner_is_member ? "1" : "0");
	req_set(r, arena_printf(a, "%s.SavedMyCard", prefix), e->owner_saved_my_card ? "1" : "0");
	req_set(r, arena_printf(a, "%s.Linked", prefix), e->source_card_id ? "1" : "0");
	if (e->link_offer)
		req_set(r, arena_printf(a, "%s.LinkOffer", prefix), "1");
	req_set(r, arena_printf(a, "%s.Auto", prefix), e->auto_update_effective ? "1" : "0");
	if (e->source_card_id) {
		set_i(r, arena_printf(a, "%s.Synced", prefix), e->synced_revision);
		set_i(r, arena_printf(a, "%s.Latest", prefix), e->latest_revision);
		if (e->latest_revision > e->synced_revision &&
		    (e->declined_revision < 0 || e->declined_revision < e->latest_revision))
			req_set(r, arena_printf(a, "%s.UpdatePending", prefix), "1");
	}
	req_set(r, arena_printf(a, "%s.Notes", prefix), e->notes);
	req_set(r, arena_printf(a, "%s.UpdatedAt", prefix), e->updated_at);
	req_set(r, arena_printf(a, "%s.Front", prefix), e->image[FOLDER_FRONT]);
	req_set(r, arena_printf(a, "%s.Back", prefix), e->image[FOLDER_BACK]);
	for (size_t i = 0; i < e->n_tags; i++)
		req_set(r, arena_printf(a, "%s.Tags.%zu", prefix, i), e->tags[i]);
	if (e->card.n_emails)
		req_set(r, arena_printf(a, "%s.Email", prefix), e->card.emails[0].value);
	if (e->card.n_phones)
		req_set(r, arena_printf(a, "%s.Phone", prefix), e->card.phones[0].value);
}

/* list_tiles: Folder.Tiles, the list's tiles as HTML (lib/foldertile.c, what
 * the folder_item macro of templates/folder_macros.cs renders), shown by
 * templates/folder.cs unescaped: 500 tiles through the macros were most of
 * the page's work. */
static enum err list_tiles(struct req *r, const struct folder_page *page)
{
	STRING html;
	enum err e;

	if (page->n == 0)
		return ERR_OK;
	string_init(&html);
	e = folder_tiles_html(&html, page->entries, page->n, r->locale, &r->arena);
	if (e == ERR_OK && html.buf != NULL) {
		/* the data set takes the buffer over (also when it fails:
		 * only out of memory) */
		NEOERR *err = hdf_set_buf(r->hdf, "Folder.Tiles", html.buf);
		if (err != STATUS_OK) {
			nerr_ignore(&err);
			return ERR_INTERNAL;
		}
		return ERR_OK;
	}
	string_clear(&html);
	return e == ERR_OK ? ERR_INTERNAL : e;
}

static const char *jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

enum { FC_CARD, FC_NOTES = FC_CARD + CFI__MAX, FC_TAGS, FC_DUP };
#define CARD_FORM_INPUTS \
	CARDFORM_INPUTS(FC_CARD), \
	[FC_NOTES] = {"notes", IN_TEXT, SRC_BODY, 0, 0, FOLDER_MAX_NOTES, NULL}, \
	[FC_TAGS] = {"tags", IN_STRLIST, SRC_BODY, 0, 0, FOLDER_MAX_TAG, NULL}

static const struct input in_card_form[] = {
	CARD_FORM_INPUTS,
	{NULL},
};

static const struct input in_new_form[] = {
	CARD_FORM_INPUTS,
	[FC_DUP] = {"on_duplicate", IN_ENUM, SRC_BODY, 0, 0, 0, folder_dup_choices},
	{NULL},
};

/* form_failed: show a page again with what went wrong (r->ei). */
static void form_failed(struct req *r)
{
	req_set(r, "Form.Error", r->ei.code);
	req_set(r, "Form.Field", r->ei.field);
}

/* --- HTML pages: the list -------------------------------------------------------*/

/* list_counts: the folder's tags with their counts and its total, kept per
 * view counter (seq < 0: the cache is off) for every page, searches too;
 * *n_tags: how many tags the folder has. */
static enum err list_counts(struct req *r, long long seq, size_t *n_tags)
{
	struct foldercache_counts c;
	enum err e;

	if (seq < 0 || !foldercache_counts_get(holder(r), seq, &r->arena, &c)) {
		if ((e = folder_tags_all(r->db, &r->arena, holder(r), &c.tags, &c.counts, &c.n)) != ERR_OK ||
		    (e = folder_saved_count(r->db, &r->arena, holder(r), &c.total)) != ERR_OK)
			return e;
		if (seq >= 0)
			foldercache_counts_put(holder(r), seq, &c);
	}
	for (size_t i = 0; i < c.n; i++) {
		req_set(r, arena_printf(&r->arena, "Folder.Tags.%zu.Name", i), c.tags[i]);
		set_i(r, arena_printf(&r->arena, "Folder.Tags.%zu.Count", i), c.counts[i]);
	}
	set_i(r, "Folder.Total", c.total);
	*n_tags = c.n;
	return ERR_OK;
}

/* page_list: the list page. With the cache on (Limits.FolderCacheKiB), the
 * folder's view counter is read first; the tiles of a page that is not a
 * search, with their count and the next cursor, are kept under it, so a
 * page seen before costs the session and the counter's statement only.
 * Whatever is read after the counter is at least as new as it. The tag
 * counts come first: a folder without tags needs no tags statement for
 * the listing (searches too). */
static enum err page_list(struct req *r)
{
	struct folder_page page;
	struct foldercache_page kept;
	long long seq = -1;
	size_t n_tags;
	int search = r->in[LS_Q].present;
	struct foldercache_key key = {
		.holder = holder(r),
		.limit = r->in[LS_LIMIT].present ? r->in[LS_LIMIT].num : 50,
		.locale = r->locale,
		.tag = r->in[LS_TAG].present ? r->in[LS_TAG].str : NULL,
		.cursor = r->in[LS_CURSOR].present ? r->in[LS_CURSOR].str : NULL,
	};
	enum err e;

	if (foldercache_enabled() && (e = folder_view_seq(r->db, &r->arena, holder(r), &seq)) != ERR_OK)
		return e;
	key.seq = seq;
	if ((e = list_counts(r, seq, &n_tags)) != ERR_OK)
		return e;
	if (seq >= 0 && !search && foldercache_page_get(&key, &kept)) {
		if (kept.tiles_len)
			req_set(r, "Folder.Tiles", kept.tiles);
		page.n = (size_t)kept.shown;
		page.next_cursor = kept.next_cursor ? arena_strdup(&r->arena, kept.next_cursor) : NULL;
	} else {
		e = list_page(r, &page, 50, 1, n_tags > 0);
		if (e == ERR_BAD_REQUEST)	/* a stale or edited cursor: start over */
			return req_redirect(r, "/folder");
		if (e != ERR_OK)
			return e;
		if ((e = list_tiles(r, &page)) != ERR_OK)
			return e;
		if (seq >= 0 && !search) {
			const char *tiles = hdf_get_value(r->hdf, "Folder.Tiles", NULL);
			kept.tiles = tiles ? tiles : "";
			kept.tiles_len = tiles ? strlen(tiles) : 0;
			kept.shown = (long long)page.n;
			kept.next_cursor = page.next_cursor;
			foldercache_page_put(&key, &kept);
		}
	}
	set_i(r, "Folder.Shown", (long long)page.n);
	req_set(r, "Folder.Q", r->in[LS_Q].present ? r->in[LS_Q].str : NULL);
	req_set(r, "Folder.Tag", r->in[LS_TAG].present ? r->in[LS_TAG].str : NULL);
	req_set(r, "Folder.Next", page.next_cursor);
	if (r->in[LS_CURSOR].present)
		req_set(r, "Folder.Paged", "1");
	auth_form_token(r);
	return req_html(r, 200, "folder.cs");
}

/* --- HTML pages: a new card -------------------------------------------------------*/

static enum err new_page(struct req *r, int status, const json_t *editing)
{
	json_t *blank = NULL;
	if (editing == NULL)
		editing = blank = json_object();
	cardform_fill(r, editing);
	json_decref(blank);
	req_setf(r, "Images.MaxMiB", "%zu", cfg.image_max / (1024 * 1024));
	auth_form_token(r);
	return req_html(r, status, "folder_new.cs");
}

static enum err page_new(struct req *r)
{
	return new_page(r, 200, NULL);
}

static enum err form_new(struct req *r)
{
	struct errinfo ei = {0};
	struct card c;
	const char **tags;
	size_t n_tags;
	const char *img[FOLDER_SIDE__MAX] = {NULL, NULL}, *action;
	long long id, dup;
	enum err e;
	json_t *submitted = cardform_json(r, FC_CARD);

	if (submitted == NULL)
		return req_fail(r, ERR_BAD_REQUEST, "invalid_utf8", NULL, "not valid UTF-8");
	e = card_from_json(submitted, cfg.default_country, &c, &r->arena, &ei);
	if (e != ERR_OK)
		fail_ei(r, &ei);
	if (e == ERR_OK)
		e = clean_tags(r, &r->in[FC_TAGS], &tags, &n_tags);
	for (int s = 0; e == ERR_OK && s < FOLDER_SIDE__MAX; s++) {
		FILE *f = req_upload_chosen(r, folder_side_name((enum folder_side)s));
		if (f)
			e = imagestore_put_file(r, f, &img[s]);
	}
	if (e == ERR_BAD_REQUEST || e == ERR_MEDIA_TYPE || e == ERR_TOO_LARGE) {
		form_failed(r);
		req_set(r, "Form.notes", r->in[FC_NOTES].present ? r->in[FC_NOTES].str : NULL);
		req_set(r, "Form.tags", hdf_get_value(r->hdf, "Query.tags", NULL));
		e = new_page(r, err_status(e), submitted);
		json_decref(submitted);
		return e;
	}
	json_decref(submitted);
	if (e != ERR_OK)
		return e;
	e = save_card(r, &c, r->in[FC_NOTES].present ? r->in[FC_NOTES].str : "", tags, n_tags, img,
		      want_policy(&r->in[FC_DUP]), &id, &action, &dup);
	if (e != ERR_OK)
		return e;
	return req_redirect(r, arena_printf(&r->arena, "/folder/%lld?%s=1", id,
					    action ? action : "added"));
}

/* --- HTML pages: one entry ---------------------------------------------------------*/

/* entry_page: the entry's view and editor; editing (NULL: the stored copy)
 * is what the editor shows, e.g. the values just submitted. */
static enum err entry_page(struct req *r, int status, long long id, const json_t *editing)
{
	struct folder_entry en;
	enum err e = get_entry(r, id, 0, &en);
	if (e != ERR_OK)
		return e;
	entry_hdf(r, "Entry", &en);
	if (editing) {
		cardform_fill(r, editing);
	} else {
		json_t *j = card_to_json(&en.card);
		cardform_fill(r, j);
		json_decref(j);
		req_set(r, "Form.notes", en.notes);
		char *tags = arena_strdup(&r->arena, "");
		for (size_t i = 0; i < en.n_tags; i++)
			tags = arena_printf(&r->arena, "%s%s%s", tags, i ? ", " : "", en.tags[i]);
		req_set(r, "Form.tags", tags);
	}
	req_setf(r, "Images.MaxMiB", "%zu", cfg.image_max / (1024 * 1024));
	auth_form_token(r);
	return req_html(r, status, "folder_entry.cs");
}

static enum err page_entry(struct req *r)
{
	return entry_page(r, 200, r->param_ids[0], NULL);
}

static enum err form_entry(struct req *r)
{
	struct folder_entry cur;
	struct folder_change ch = {0};
	struct errinfo ei = {0};
	struct card c;
	const char **tags = NULL;
	size_t n_tags = 0;
	long long id = r->param_ids[0];
	enum err e;
	json_t *submitted = cardform_json(r, FC_CARD);

	if (submitted == NULL)
		return req_fail(r, ERR_BAD_REQUEST, "invalid_utf8", NULL, "not valid UTF-8");
	e = db_begin(r->db);
	if (e == ERR_OK)
		e = get_entry(r, id, 1, &cur);
	if (e == ERR_OK && folder_card_from_json(submitted, &cur.card, cfg.default_country, &c,
						 &r->arena, &ei) != ERR_OK)
		e = fail_ei(r, &ei);
	if (e == ERR_OK)
		e = clean_tags(r, &r->in[FC_TAGS], &tags, &n_tags);
	if (e == ERR_BAD_REQUEST) {
		db_rollback(r->db);
		form_failed(r);
		req_set(r, "Form.notes", r->in[FC_NOTES].present ? r->in[FC_NOTES].str : NULL);
		req_set(r, "Form.tags", hdf_get_value(r->hdf, "Query.tags", NULL));
		e = entry_page(r, 400, id, submitted);
		json_decref(submitted);
		return e;
	}
	json_decref(submitted);
	if (e != ERR_OK)
		return e;
	ch.card = &c;
	ch.notes = r->in[FC_NOTES].present ? r->in[FC_NOTES].str : "";
	ch.set_tags = 1;
	ch.tags = tags;
	ch.n_tags = n_tags;
	if ((e = folder_entry_update(r->db, &r->arena, holder(r), id, &ch)) != ERR_OK ||
	    (e = autolink_entries(r->db, &r->arena, holder(r), &id, 1, 1, NULL, NULL)) != ERR_OK ||
	    (e = db_commit(r->db)) != ERR_OK)
		return e;
	return req_redirect(r, arena_printf(&r->arena, "/folder/%lld?saved=1", id));
}

static enum err form_delete(struct req *r)
{
	enum err e = db_begin(r->db);
	if (e == ERR_OK)
		e = folder_entry_delete(r->db, &r->arena, holder(r), r->param_ids[0]);
	if (e == ERR_NOT_FOUND)
		return not_found(r);
	if (e == ERR_OK)
		e = db_commit(r->db);
	return e != ERR_OK ? e : req_redirect(r, "/folder?deleted=1");
}

static enum err form_image(struct req *r)
{
	long long id = r->param_ids[0];
	FILE *f = req_upload_chosen(r, "image");
	enum err e;

	if (f == NULL)
		e = req_fail(r, ERR_BAD_REQUEST, "required", "image", "no file was uploaded");
	else
		e = image_set(r, id, side_of(r->params[1]), NULL, 0, f);
	if (e == ERR_BAD_REQUEST || e == ERR_MEDIA_TYPE || e == ERR_TOO_LARGE) {
		db_rollback(r->db);
		form_failed(r);
		return entry_page(r, err_status(e), id, NULL);
	}
	return e != ERR_OK ? e : req_redirect(r, arena_printf(&r->arena, "/folder/%lld?saved=1", id));
}

static enum err form_image_delete(struct req *r)
{
	long long id = r->param_ids[0];
	enum err e = image_set(r, id, side_of(r->params[1]), NULL, 0, NULL);
	if (e == ERR_NOT_FOUND && r->ei.code && strcmp(r->ei.code, "no_image") == 0)
		e = ERR_OK;	/* removed already: the page is what was wanted */
	return e != ERR_OK ? e : req_redirect(r, arena_printf(&r->arena, "/folder/%lld?saved=1", id));
}

/* --- HTML pages: import -----------------------------------------------------------*/

static enum err page_import(struct req *r)
{
	req_setf(r, "Import.MaxMiB", "%zu", cfg.import_max / (1024 * 1024));
	auth_form_token(r);
	return req_html(r, 200, "folder_import.cs");
}

enum { IF_DUP };
static const struct input in_import_form[] = {
	[IF_DUP] = {"on_duplicate", IN_ENUM, SRC_BODY, 0, 0, 0, folder_dup_choices},
	{NULL},
};

static void issues_hdf(struct req *r, const char *prefix, const json_t *list)
{
	size_t i;
	const json_t *v;
	json_array_foreach(list, i, v) {
		set_i(r, arena_printf(&r->arena, "%s.%zu.Index", prefix, i),
		      json_integer_value(json_object_get(v, "index")));
		req_set(r, arena_printf(&r->arena, "%s.%zu.Message", prefix, i), jstr(v, "message"));
		req_set(r, arena_printf(&r->arena, "%s.%zu.Code", prefix, i), jstr(v, "code"));
		if (json_object_get(v, "action")) {
			req_set(r, arena_printf(&r->arena, "%s.%zu.Action", prefix, i), jstr(v, "action"));
			set_i(r, arena_printf(&r->arena, "%s.%zu.Entry", prefix, i),
			      json_integer_value(json_object_get(v, "entry_id")));
		}
	}
}

/* result_hdf: an import's result as Result.* (the import page's and the
 * job page's): counts, the lists, the first new entries. */
static void result_hdf(struct req *r, const long long counts[5], const json_t *errors, const json_t *warnings,
		       const json_t *duplicates, const json_t *entries)
{
	static const char *const names[5] = {"Imported", "Merged", "Skipped", "Linked", "Offered"};
	size_t k;
	const json_t *v;

	req_set(r, "Result.Done", "1");
	for (int i = 0; i < 5; i++)
		set_i(r, arena_printf(&r->arena, "Result.%s", names[i]), counts[i]);
	issues_hdf(r, "Result.Errors", errors);
	issues_hdf(r, "Result.Warnings", warnings);
	issues_hdf(r, "Result.Duplicates", duplicates);
	json_array_foreach(entries, k, v) {
		set_i(r, arena_printf(&r->arena, "Result.Entries.%zu.Id", k), json_integer_value(json_object_get(v, "id")));
		req_set(r, arena_printf(&r->arena, "Result.Entries.%zu.Name", k), jstr(v, "name"));
	}
}

static enum err form_import(struct req *r)
{
	struct import_result res;
	FILE *f = req_upload_chosen(r, "file");
	size_t len = 0, cap = cfg.import_max + 1;
	long long job = 0;
	char *data;
	enum err e;

	req_setf(r, "Import.MaxMiB", "%zu", cfg.import_max / (1024 * 1024));
	if (f == NULL) {
		req_fail(r, ERR_BAD_REQUEST, "required", "file", "no file was uploaded");
		form_failed(r);
		auth_form_token(r);
		return req_html(r, 400, "folder_import.cs");
	}
	data = arena_alloc(&r->arena, cap);
	while (len < cap) {
		size_t n = fread(data + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	if (len > cfg.import_max)
		return req_fail(r, ERR_TOO_LARGE, "too_large", "file", "the file is too large");
	/* a large file becomes a job with a page of its own (the wait page) */
	e = import_job_start(r, data, len, want_policy(&r->in[IF_DUP]), NULL, &job);
	if (e == ERR_OK && job)
		return req_redirect(r, arena_printf(&r->arena, "/folder/import/%lld", job));
	if (e == ERR_OK)
		e = import_run(r, holder(r), data, len, want_policy(&r->in[IF_DUP]), NULL, &res);
	else
		import_result_init(&res);
	if (e == ERR_BAD_REQUEST || e == ERR_TOO_LARGE) {
		import_free(&res);
		db_rollback(r->db);
		form_failed(r);
		auth_form_token(r);
		return req_html(r, err_status(e), "folder_import.cs");
	}
	if (e != ERR_OK) {
		import_free(&res);
		return e;
	}
	const long long counts[5] = {res.imported, res.merged, res.skipped, res.linked, res.offered};
	result_hdf(r, counts, res.errors, res.warnings, res.duplicates, res.entries);
	import_free(&res);
	auth_form_token(r);
	return req_html(r, 200, "folder_import.cs");
}

/* grouped: n with a comma between groups of three digits (1,200), as both
 * languages write counts. */
static const char *grouped(struct arena *a, long long n)
{
	char digits[32], out[48];
	int len = snprintf(digits, sizeof(digits), "%lld", n < 0 ? 0 : n), o = 0;
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return arena_strdup(a, out);
}

/* page_import_job: a job's page: while it runs a wait page that refreshes
 * itself (and, with scripts, polls the JSON route), then the result as the
 * import page shows it, or why it failed. Another member's job: 404. */
static enum err page_import_job(struct req *r)
{
	struct import_job j;
	enum err e = importjob_get(r->db, &r->arena, holder(r), r->param_ids[0], &j);
	if (e == ERR_NOT_FOUND)
		return req_fail(r, e, "not_found", NULL, "no such import");
	if (e != ERR_OK)
		return e;
	set_i(r, "Job.Id", j.id);
	req_set(r, "Job.Status", j.status);
	set_i(r, "Job.Total", j.total);
	set_i(r, "Job.Done", j.done);
	req_set(r, "Job.TotalText", grouped(&r->arena, j.total));
	req_set(r, "Job.DoneText", grouped(&r->arena, j.done));
	set_i(r, "Job.Failed", j.failed);
	if (j.error)
		req_set(r, "Job.Error", j.error);
	if (strcmp(j.status, "done") == 0) {
		const long long counts[5] = {j.imported, j.merged, j.skipped, j.linked, j.offered};
		result_hdf(r, counts, json_object_get(j.report, "errors"), json_object_get(j.report, "warnings"),
			   json_object_get(j.report, "duplicates"), json_object_get(j.report, "entries"));
	} else if (strcmp(j.status, "failed") != 0) {
		req_set(r, "Page.Refresh", "2");
	}
	json_decref(j.report);
	req_add_header(r, "Cache-Control: no-store");
	return req_html(r, 200, "folder_import_job.cs");
}

/* --- HTML pages: saving from a public link ---------------------------------------*/

static enum err form_save_shared(struct req *r)
{
	long long id = 0;
	enum saved_as created;
	const char *token = r->in[SS_TOKEN].str;
	static const char *const outcome[SAVED__MAX] = {
		[SAVED_ALREADY] = "already", [SAVED_NEW] = "saved_shared", [SAVED_MATCHED] = "matched",
	};
	enum err e;

	if (r->user == NULL)
		return req_redirect(r, arena_printf(&r->arena, "/signin?next=/c/%s", token));
	e = save_shared(r, token, &id, &created);
	if (e == ERR_CONFLICT && r->ei.code && strcmp(r->ei.code, "own_card") == 0)
		return req_redirect(r, "/card");
	if (e != ERR_OK)
		return e;
	return req_redirect(r, arena_printf(&r->arena, "/folder/%lld?%s=1%s", id, outcome[created],
					    created == SAVED_MATCHED ? "#keep-updated" : ""));
}

/* --- the route table ---------------------------------------------------------------*/

static const struct route routes[] = {
	{"GET", "/api/v1/folder", AUTH_USER, BODY_NONE, in_list, api_list},
	{"POST", "/api/v1/folder", AUTH_USER, BODY_JSON, in_create, api_create},
	{"GET", "/api/v1/folder.vcf", AUTH_USER, BODY_NONE, in_vcf, api_export_all},
	{"POST", "/api/v1/folder/import", AUTH_USER, BODY_VCARD, in_import, api_import},
	{"GET", "/api/v1/folder/import/{id}", AUTH_USER, BODY_NONE, NULL, api_import_job},
	{"POST", "/api/v1/folder/save-shared", AUTH_USER, BODY_JSON, in_save_shared, api_save_shared},
	{"GET", "/api/v1/folder/tags", AUTH_USER, BODY_NONE, NULL, api_tags},
	{"GET", "/api/v1/folder/{id}", AUTH_USER, BODY_NONE, NULL, api_get},
	{"PUT", "/api/v1/folder/{id}", AUTH_USER, BODY_JSON, in_update, api_update},
	{"DELETE", "/api/v1/folder/{id}", AUTH_USER, BODY_NONE, NULL, api_delete},
	{"GET", "/api/v1/folder/{id}.vcf", AUTH_USER, BODY_NONE, in_vcf, api_export_one},
	{"GET", "/api/v1/folder/{id}/images/{side}", AUTH_USER, BODY_NONE, in_image, api_image_get},
	{"PUT", "/api/v1/folder/{id}/images/{side}", AUTH_USER, BODY_IMAGE, NULL, api_image_put},
	{"DELETE", "/api/v1/folder/{id}/images/{side}", AUTH_USER, BODY_NONE, NULL, api_image_delete},

	{"GET", "/folder", AUTH_USER, BODY_NONE, in_list, page_list},
	{"GET", "/folder/new", AUTH_USER, BODY_NONE, NULL, page_new},
	{"POST", "/folder/new", AUTH_USER, BODY_UPLOAD, in_new_form, form_new},
	{"GET", "/folder/import", AUTH_USER, BODY_NONE, NULL, page_import},
	{"POST", "/folder/import", AUTH_USER, BODY_VCARD_FORM, in_import_form, form_import},
	{"GET", "/folder/import/{id}", AUTH_USER, BODY_NONE, NULL, page_import_job},
	{"POST", "/folder/save-shared", AUTH_NONE, BODY_FORM, in_save_shared, form_save_shared},
	{"GET", "/folder/{id}", AUTH_USER, BODY_NONE, NULL, page_entry},
	{"POST", "/folder/{id}", AUTH_USER, BODY_FORM, in_card_form, form_entry},
	{"POST", "/folder/{id}/delete", AUTH_USER, BODY_FORM, NULL, form_delete},
	{"POST", "/folder/{id}/images/{side}", AUTH_USER, BODY_UPLOAD, NULL, form_image},
	{"POST", "/folder/{id}/images/{side}/delete", AUTH_USER, BODY_FORM, NULL, form_image_delete},
	{NULL},
};

int main(int argc, char **argv)
{
	return app_run(argc, argv, "folder", routes, NULL);
}
