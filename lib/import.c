/* import.c: a vCard file into a member's card folder: read and prepare the cards, plan what becomes of duplicates, store in one transaction. */
#include "import.h"

#include <string.h>

#include "autolink.h"
#include "config.h"
#include "imagestore.h"
#include "log.h"
#include "parsebox.h"
#include "strmap.h"
#include "vcard.h"
#include "vcardmap.h"

/* keep_extras: drop kept lines an entry should not carry (too many, or
 * huge ones such as embedded sounds), and keep a PHOTO given by URL. */
static void keep_extras(struct arena *a, struct card *c, const char *photo_uri)
{
	size_t k = 0;
	struct card_extra *ex = arena_alloc(a, (c->n_extras + 2) * sizeof(*ex));

	for (size_t i = 0; i < c->n_extras && k < FOLDER_MAX_EXTRAS; i++)
		if (c->extras[i].line && strlen(c->extras[i].line) <= 16384)
			ex[k++] = c->extras[i];
	if (photo_uri && *photo_uri && strlen(photo_uri) <= 2048 && k < FOLDER_MAX_EXTRAS)
		ex[k++].line = arena_printf(a, "PHOTO;VALUE=uri:%s", photo_uri);
	c->extras = ex;
	c->n_extras = k;
}

/* add_issue: one import error or warning: the card's index, a code the
 * pages translate (Lang.Folder.ImportPage.Issue.<code>) and the detail in
 * English for programs and logs. */
static void add_issue(json_t *list, size_t index, const char *code, const char *message)
{
	json_array_append_new(list, json_pack("{s:I, s:s, s:s}", "index", (json_int_t)index, "code", code,
					      "message", message ? message : "invalid card"));
}

void import_result_init(struct import_result *res)
{
	memset(res, 0, sizeof(*res));
	res->errors = json_array();
	res->duplicates = json_array();
	res->warnings = json_array();
	res->entries = json_array();
}

enum err import_read(const char *data, size_t len, const char *charset, const char *country,
		     struct arena *a, struct import_batch *b, struct import_result *res,
		     struct errinfo *ei)
{
	struct vcard_parse_opts opts = {.charset = charset};
	struct vcard_result vr;
	enum err e;

	memset(b, 0, sizeof(*b));
	if (charset && !vcard_charset_known(charset))
		return errinfo_set(ei, ERR_BAD_REQUEST, "unknown_charset", "charset", "this charset is not known");
	/* parsed in the worker's sandboxed child (lib/parsebox.c) */
	e = vcard_parse_boxed(data, len, &opts, a, &vr);
	if (e == ERR_UNAVAILABLE)
		return errinfo_set(ei, e, "busy", NULL, "cannot read the file now");
	if (e == ERR_TOO_LARGE)
		return errinfo_set(ei, e, "too_many_cards", NULL, "the file holds too many cards");
	if (e != ERR_OK)
		return errinfo_set(ei, ERR_BAD_REQUEST, "invalid_vcard", NULL, "the file holds no vCard");

	b->n_parsed = vr.n_cards;
	b->cards = arena_alloc(a, (vr.n_cards + 1) * sizeof(*b->cards));
	for (size_t i = 0; i < vr.n_cards; i++) {
		struct vcard_parsed *vp = &vr.cards[i];
		struct errinfo cei = {0};
		struct import_card *c = &b->cards[b->n];
		if (vp->error) {
			add_issue(res->errors, vp->index, "unreadable", vp->error);
			continue;
		}
		memset(c, 0, sizeof(*c));
		c->index = vp->index;
		c->card = vp->card;
		if (card_normalize(&c->card, country, 0, a, &cei) != ERR_OK) {
			int empty = cei.code && strcmp(cei.code, "required") == 0;
			add_issue(res->errors, vp->index, empty ? "no_identity" : "invalid_field",
				  empty ? "the card has no name, organisation, e-mail or phone" : cei.message);
			continue;
		}
		vcardmap_take_tags(&c->card, a, &c->tags, &c->n_tags);
		keep_extras(a, &c->card, vp->photo_uri);
		c->uid = folder_uid_ok(vp->uid) ? vp->uid : NULL;
		c->photo = vp->photo;
		c->photo_len = vp->photo_len;
		if (vp->warning)
			add_issue(res->warnings, vp->index, "photo_dropped", vp->warning);
		c->n_keys = card_keys(&c->card, a, &c->keys);
		if (c->uid) {
			const char **k = arena_alloc(a, (c->n_keys + 1) * sizeof(*k));
			memcpy(k, c->keys, c->n_keys * sizeof(*k));
			k[c->n_keys++] = arena_printf(a, "u:%s", c->uid);
			c->keys = k;
		}
		c->target = -1;
		c->new_slot = -1;
		b->n_keys += c->n_keys;
		b->n++;
	}
	return ERR_OK;
}

/* add_tags: the tags of *t with those of more (unchanged when too many). */
static void add_tags(struct arena *a, const char ***t, size_t *n, const char *const *more, size_t n_more)
{
	const char **both;
	size_t n_both;
	struct errinfo ei = {0};

	if (n_more && folder_tags_union(a, *t, *n, more, n_more, &both, &n_both, &ei) == ERR_OK) {
		*t = both;
		*n = n_both;
	}
}

void import_plan(struct import_batch *b, enum folder_dup policy, struct arena *a,
		 struct import_result *res)
{
	struct import_card *in = b->cards;
	struct strmap map; /* an import's keys and UIDs to the card they were first seen on */

	strmap_init(&map, a, b->n_keys);
	for (size_t i = 0; i < b->n; i++) {
		struct import_card *c = &in[i];
		long earlier = -1;
		for (size_t k = 0; k < c->n_keys && earlier < 0; k++)
			earlier = strmap_get(&map, c->keys[k]);
		if (c->dup_db == 0 && earlier < 0) {
			for (size_t k = 0; k < c->n_keys; k++)
				strmap_add(&map, c->keys[k], (long)i);
			continue;
		}
		/* an earlier card of the file that was merged or skipped stands
		 * for the entry it went to */
		while (earlier >= 0 && in[earlier].target >= 0)
			earlier = in[earlier].target;
		if (c->dup_db == 0 && earlier >= 0 && in[earlier].target_entry)
			c->dup_db = in[earlier].target_entry;
		if (policy == FOLDER_DUP_KEEP) {
			c->action = "kept";
			if (c->uid && (strmap_get(&map, arena_printf(a, "u:%s", c->uid)) >= 0 || c->dup_db))
				c->uid = NULL;	/* the UID is taken: a new one */
			c->target_entry = c->dup_db;
			if (!c->dup_db)
				c->target = earlier;	/* reported with that card's id */
			for (size_t k = 0; k < c->n_keys; k++)
				strmap_add(&map, c->keys[k], (long)i);
			continue;
		}
		if (policy == FOLDER_DUP_SKIP) {
			c->action = "skipped";
			res->skipped++;
			if (c->dup_db)
				c->target_entry = c->dup_db;
			else
				c->target = earlier;
			continue;
		}
		c->action = "merged";
		res->merged++;
		if (c->dup_db) {
			c->target_entry = c->dup_db;	/* merged by the caller, which reads the entry */
		} else {
			struct import_card *t = &in[earlier];
			folder_card_merge(&t->card, &c->card, a);
			add_tags(a, &t->tags, &t->n_tags, c->tags, c->n_tags);
			if (t->photo == NULL && c->photo) {
				t->photo = c->photo;
				t->photo_len = c->photo_len;
			}
			c->target = earlier;
		}
		for (size_t k = 0; k < c->n_keys; k++)
			strmap_add(&map, c->keys[k], c->dup_db ? (long)i : earlier);
	}
}

/* A stored entry that import merges cards into. */
struct merged {
	long long id;
	struct folder_entry entry;
	const char *front;
	const char **tags;	/* the entry's tags and the merged cards' */
	size_t n_tags;
};

/* store_photo: an embedded photo through imagestore; a photo that is not
 * an image we take is a warning, not an error of the card. */
static enum err store_photo(struct db *db, struct arena *a, struct import_result *res, struct import_card *in,
			    struct errinfo *ei)
{
	const char *hash = NULL;
	struct errinfo pei = {0};
	if (in->photo == NULL || in->front)
		return ERR_OK;
	enum err e = imagestore_put_db(db, a, in->photo, in->photo_len, &hash, &pei);
	if (e == ERR_MEDIA_TYPE || e == ERR_BAD_REQUEST || e == ERR_TOO_LARGE) {
		add_issue(res->warnings, in->index, "photo_dropped", arena_printf(a, "photo not stored: %s",
								 pei.code ? pei.code : "invalid image"));
		return ERR_OK;
	}
	if (e == ERR_OK)
		in->front = hash;
	else if (pei.err == e)
		*ei = pei;
	return e;
}

/* merge_stored: the cards planned to merge into stored entries, in file
 * order, into *mg (each entry read once, locked). */
static enum err merge_stored(struct db *db, struct arena *a, long long holder, struct import_batch *b,
			     struct import_result *res, struct merged *mg, size_t *n_mg, struct errinfo *ei)
{
	enum err e;

	*n_mg = 0;
	for (size_t i = 0; i < b->n; i++) {
		struct import_card *c = &b->cards[i];
		size_t m;
		if (c->action == NULL || strcmp(c->action, "merged") != 0 || c->dup_db == 0)
			continue;
		for (m = 0; m < *n_mg && mg[m].id != c->dup_db; m++)
			;
		if (m == *n_mg) {
			mg[m].id = c->dup_db;
			if ((e = folder_entry_get(db, a, holder, c->dup_db, 1, &mg[m].entry)) != ERR_OK)
				return e;
			mg[m].front = mg[m].entry.image[FOLDER_FRONT];
			mg[m].tags = mg[m].entry.tags;
			mg[m].n_tags = mg[m].entry.n_tags;
			(*n_mg)++;
		}
		folder_card_merge(&mg[m].entry.card, &c->card, a);
		add_tags(a, &mg[m].tags, &mg[m].n_tags, c->tags, c->n_tags);
		if (mg[m].front == NULL && c->photo) {
			if ((e = store_photo(db, a, res, c, ei)) != ERR_OK)
				return e;
			mg[m].front = c->front;
		}
	}
	return ERR_OK;
}

void import_slice(const struct import_batch *b, size_t lo, size_t hi, struct import_batch *out)
{
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	while (i < b->n && b->cards[i].index < lo)
		i++;
	out->cards = b->cards + i;
	for (; i < b->n && b->cards[i].index < hi; i++) {
		out->n++;
		out->n_keys += b->cards[i].n_keys;
	}
	out->n_parsed = hi > lo ? hi - lo : 0;
}

enum err import_store(struct db *db, struct arena *a, long long holder, struct import_batch *b,
		      enum folder_dup policy, long long link_limit, struct import_result *res,
		      struct errinfo *ei)
{
	struct import_card *in = b->cards;
	struct merged *mg;
	size_t n_mg = 0;
	enum err e;

	if ((e = folder_lock(db, holder)) != ERR_OK)
		return e;
	/* duplicates of what is stored: one query for the whole file */
	{
		const struct card **cards = arena_alloc(a, (b->n + 1) * sizeof(*cards));
		const char **uids = arena_alloc(a, (b->n + 1) * sizeof(*uids));
		long long *dups = arena_alloc(a, (b->n + 1) * sizeof(*dups));
		for (size_t i = 0; i < b->n; i++) {
			cards[i] = &in[i].card;
			uids[i] = in[i].uid;
		}
		if (b->n && (e = folder_find_duplicates(db, a, holder, cards, uids, b->n, dups)) != ERR_OK)
			return e;
		for (size_t i = 0; i < b->n; i++)
			in[i].dup_db = dups[i];
	}

	/* what to do with each card, in file order; then the stored entries
	 * that cards merge into */
	import_plan(b, policy, a, res);
	mg = arena_alloc(a, (b->n + 1) * sizeof(*mg));
	if ((e = merge_stored(db, a, holder, b, res, mg, &n_mg, ei)) != ERR_OK)
		return e;

	/* the new entries, in bulk */
	struct folder_new *nw = arena_alloc(a, (b->n + 1) * sizeof(*nw));
	long long *ids = arena_alloc(a, (b->n + 1) * sizeof(*ids));
	size_t n_new = 0;
	for (size_t i = 0; i < b->n; i++) {
		struct import_card *c = &in[i];
		if (c->action && strcmp(c->action, "kept") != 0)
			continue;
		if ((e = store_photo(db, a, res, c, ei)) != ERR_OK)
			return e;
		nw[n_new] = (struct folder_new){.card = &c->card, .uid = c->uid, .tags = c->tags,
						 .n_tags = c->n_tags, .image = {c->front, NULL}};
		c->new_slot = (long)n_new++;
	}
	if (n_new && (e = folder_insert_entries(db, a, holder, nw, n_new, ids)) != ERR_OK)
		return e;
	res->imported += (long long)n_new;
	for (size_t k = 0; k < n_new && json_array_size(res->entries) < IMPORT_SHOWN; k++)
		json_array_append_new(res->entries, json_pack("{s:I, s:s?}", "id", (json_int_t)ids[k],
							      "name", nw[k].card->full_name));
	for (size_t m = 0; m < n_mg; m++) {
		struct folder_change ch = {.card = &mg[m].entry.card, .set_tags = 1,
					   .tags = mg[m].tags, .n_tags = mg[m].n_tags};
		if (mg[m].front && mg[m].entry.image[FOLDER_FRONT] == NULL) {
			ch.set_image[FOLDER_FRONT] = 1;
			ch.image[FOLDER_FRONT] = mg[m].front;
		}
		if ((e = folder_entry_update(db, a, holder, mg[m].id, &ch)) != ERR_OK)
			return e;
	}
	/* the cards of members among them: linked at once when the holder
	 * chose so (at most link_limit), else offered */
	long long *touched = arena_alloc(a, (n_new + n_mg + 1) * sizeof(*touched));
	long long linked = 0, offered = 0;
	memcpy(touched, ids, n_new * sizeof(*touched));
	for (size_t m = 0; m < n_mg; m++)
		touched[n_new + m] = mg[m].id;
	if ((e = autolink_entries(db, a, holder, touched, n_new + n_mg, link_limit, &linked, &offered)) != ERR_OK)
		return e;
	res->linked += linked;
	res->offered += offered;
	for (size_t i = 0; i < b->n; i++) {
		struct import_card *c = &in[i];
		long long id = c->target_entry;
		if (c->action == NULL)
			continue;
		if (id == 0 && c->target >= 0 && in[c->target].new_slot >= 0)
			id = ids[in[c->target].new_slot];
		json_t *d = json_pack("{s:I, s:s, s:I}", "index", (json_int_t)c->index, "action", c->action,
				      "entry_id", (json_int_t)id);
		if (strcmp(c->action, "kept") == 0 && c->new_slot >= 0)
			json_object_set_new(d, "new_entry_id", json_integer(ids[c->new_slot]));
		json_array_append_new(res->duplicates, d);
	}
	return ERR_OK;
}

enum err import_run(struct req *r, long long holder, const char *data, size_t len,
		    enum folder_dup policy, const char *charset, struct import_result *res)
{
	struct import_batch b;
	struct errinfo ei = {0};
	enum err e;

	import_result_init(res);
	if ((e = import_read(data, len, charset, cfg.default_country, &r->arena, &b, res, &ei)) != ERR_OK)
		return req_fail(r, e, ei.code, ei.field, ei.message);
	if ((e = db_begin(r->db)) != ERR_OK)
		return e;
	e = import_store(r->db, &r->arena, holder, &b, policy, AUTOLINK_MAX, res, &ei);
	/* one letter says which cards of members were linked or offered */
	if (e == ERR_OK)
		e = autolink_letter(r->db, &r->arena, holder, AUTOLINK_IMPORT, res->linked, res->offered);
	if (e == ERR_OK)
		e = db_commit(r->db);
	if (e != ERR_OK) {
		if (ei.err == e)
			req_fail(r, e, ei.code, ei.field, ei.message);
		return e;
	}
	log_info("folder: user %lld imported %zu cards: %lld new, %lld merged, %lld skipped, %zu broken",
		 holder, b.n_parsed, res->imported, res->merged, res->skipped, json_array_size(res->errors));
	return ERR_OK;
}

json_t *import_json(struct import_result *res)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o}", "imported", (json_int_t)res->imported,
			 "merged", (json_int_t)res->merged, "skipped", (json_int_t)res->skipped,
			 "linked", (json_int_t)res->linked, "offered", (json_int_t)res->offered,
			 "errors", res->errors, "duplicates", res->duplicates, "warnings", res->warnings);
}

void import_free(struct import_result *res)
{
	json_decref(res->errors);
	json_decref(res->duplicates);
	json_decref(res->warnings);
	json_decref(res->entries);
}
