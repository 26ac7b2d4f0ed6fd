/* owncard.c: a member's own card: its row, revisions, sharing and public token. */
#include "owncard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "contact.h"
#include "crypto.h"
#include "jsonw.h"
#include "log.h"
#include "updates.h"
#include "vcardmap.h"

#define CARD_COLUMNS OWNCARD_COLUMNS

/* from_row_as: fill *out from the CARD_COLUMNS of row 0 starting at column
 * k; with text_only, a card whose stored text can be copied (out->stored) is
 * not parsed: its out->card stays empty. from_row: everything, from column
 * 0. The stored data was checked and normalised when it was written
 * (card_from_json, strict), so it is read back as it is (card_load); a
 * failure here is a bug or tampering. */
static enum err from_row_as(const struct db_result *res, size_t k, struct arena *a, int text_only,
			    struct owncard *out)
{
	memset(out, 0, sizeof(*out));
	out->id = db_cell_int(res, 0, k + 0, 0);
	out->user_id = db_cell_int(res, 0, k + 1, 0);
	out->revision = db_cell_int(res, 0, k + 2, 0);
	out->front_image = arena_strdup(a, db_cell(res, 0, k + 4));
	out->back_image = arena_strdup(a, db_cell(res, 0, k + 5));
	out->share_token = arena_strdup(a, db_cell(res, 0, k + 6));
	out->visible = owncard_fields_parse(db_cell(res, 0, k + 7)) | (1u << CF_FULL_NAME);
	out->updated_at = arena_strdup(a, db_cell(res, 0, k + 8));
	out->phones_shown = arena_strdup(a, db_cell(res, 0, k + 9));
	out->stored = out->phones_shown ? arena_strdup(a, db_cell(res, 0, k + 3)) : NULL;
	if (text_only && out->stored) {
		card_init(&out->card);
		out->unparsed = 1;
		return ERR_OK;
	}
	if (card_load(db_cell(res, 0, k + 3), a, &out->card) != ERR_OK) {
		log_error("owncard: card %lld holds invalid JSON", out->id);
		return ERR_INTERNAL;
	}
	return ERR_OK;
}

static enum err from_row(const struct db_result *res, struct arena *a, struct owncard *out)
{
	return from_row_as(res, 0, a, 0, out);
}

/* card_text: the card as the JSON text stored in cards.data, in a. */
static const char *card_text(const struct card *c, struct arena *a)
{
	json_t *j = card_to_json(c);
	char *s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (s == NULL)
		return NULL;
	char *copy = arena_strdup(a, s);
	free(s);
	return copy;
}

/* create: the revision-0 card of a member, {"full_name": the account's
 * name}, with its revision row and a fresh link token. ERR_CONFLICT when
 * another request created it first. */
static enum err create(struct db *db, struct arena *a, long long user_id)
{
	struct db_result res;
	struct card c;
	int own_tx = !db_in_transaction(db);
	enum err e;

	e = db_query(db, a, &res, "SELECT full_name FROM users WHERE id = ?", "i", user_id);
	if (e != ERR_OK)
		return e;
	if (res.nrows == 0)
		return ERR_NOT_FOUND;
	card_init(&c);
	c.full_name = db_cell(&res, 0, 0) ? db_cell(&res, 0, 0) : "";
	const char *data = card_text(&c, a);
	if (data == NULL)
		return ERR_INTERNAL;
	if (own_tx && (e = db_begin(db)) != ERR_OK)
		return e;
	e = db_exec(db, "INSERT INTO cards (user_id, revision, data, share_token, phones_shown, "
		    "created_at, updated_at) VALUES (?, 0, ?, ?, '', UTC_TIMESTAMP(), UTC_TIMESTAMP())",
		    "iss", user_id, data, token_new(a, OWNCARD_TOKEN_BYTES));
	if (e == ERR_OK)
		e = db_exec(db, "INSERT INTO card_revisions (card_id, revision, data, changed_fields, created_at) "
			    "VALUES (?, 0, ?, '', UTC_TIMESTAMP())", "is", (long long)db_insert_id(db), data);
	if (own_tx) {
		if (e == ERR_OK)
			e = db_commit(db);
		else
			db_rollback(db);
	}
	return e;
}

/* by_user: the member's card, created when absent; locked when lock;
 * text_only as in from_row_as. */
static enum err by_user(struct db *db, struct arena *a, long long user_id, int lock, int text_only,
			struct owncard *out)
{
	struct db_result res;
	enum err e;

	for (int attempt = 0; attempt < 2; attempt++) {
		e = db_query(db, a, &res,
			     lock ? "SELECT " CARD_COLUMNS " FROM cards c WHERE c.user_id = ? FOR UPDATE"
				  : "SELECT " CARD_COLUMNS " FROM cards c WHERE c.user_id = ?",
			     "i", user_id);
		if (e != ERR_OK)
			return e;
		if (res.nrows)
			return from_row_as(&res, 0, a, text_only, out);
		e = create(db, a, user_id);
		/* a concurrent request may have created it: read it again */
		if (e != ERR_OK && e != ERR_CONFLICT)
			return e;
	}
	return ERR_INTERNAL;
}

enum err owncard_by_user(struct db *db, struct arena *a, long long user_id, struct owncard *out)
{
	return by_user(db, a, user_id, 0, 0, out);
}

enum err owncard_lock(struct db *db, struct arena *a, long long user_id, struct owncard *out)
{
	return by_user(db, a, user_id, 1, 0, out);
}

enum err owncard_text_by_user(struct db *db, struct arena *a, long long user_id, struct owncard *out)
{
	return by_user(db, a, user_id, 0, 1, out);
}

enum err owncard_text_from_row(const struct db_result *res, size_t col, struct arena *a,
			       struct owncard *out)
{
	if (res == NULL || res->nrows == 0 || col + 10 > res->ncols || db_cell(res, 0, col) == NULL)
		return ERR_NOT_FOUND;
	return from_row_as(res, col, a, 1, out);
}

enum err owncard_by_id(struct db *db, struct arena *a, long long id, struct owncard *out)
{
	struct db_result res;
	enum err e = db_query(db, a, &res, "SELECT " CARD_COLUMNS " FROM cards c WHERE c.id = ?", "i", id);
	if (e != ERR_OK)
		return e;
	return res.nrows ? from_row(&res, a, out) : ERR_NOT_FOUND;
}

static enum err by_token(struct db *db, struct arena *a, const char *token, int text_only,
			 struct owncard *out)
{
	struct db_result res;
	enum err e;

	if (token == NULL || *token == '\0')
		return ERR_NOT_FOUND;
	e = db_query(db, a, &res, "SELECT " CARD_COLUMNS " FROM cards c WHERE c.share_token = ?", "s", token);
	if (e != ERR_OK)
		return e;
	return res.nrows ? from_row_as(&res, 0, a, text_only, out) : ERR_NOT_FOUND;
}

enum err owncard_by_token(struct db *db, struct arena *a, const char *token, struct owncard *out)
{
	return by_token(db, a, token, 0, out);
}

enum err owncard_text_by_token(struct db *db, struct arena *a, const char *token, struct owncard *out)
{
	return by_token(db, a, token, 1, out);
}

enum err owncard_parse(struct owncard *c, struct arena *a)
{
	if (!c->unparsed)
		return ERR_OK;
	c->unparsed = 0;
	if (card_load(c->stored, a, &c->card) != ERR_OK) {
		log_error("owncard: card %lld holds invalid JSON", c->id);
		return ERR_INTERNAL;
	}
	return ERR_OK;
}

void owncard_shared_view(struct owncard *c)
{
	c->visible |= 1u << CF_FULL_NAME;
	for (int f = 0; f < CF__MAX; f++) {
		if (c->visible & (1u << f))
			continue;
		if (f == CF_FRONT_IMAGE)
			c->front_image = NULL;
		else if (f == CF_BACK_IMAGE)
			c->back_image = NULL;
		else
			card_hide_field(&c->card, (enum card_field)f);
	}
	c->card.extras = NULL;
	c->card.n_extras = 0;
}

enum err owncard_revision(struct db *db, struct arena *a, long long card_id, long long rev,
			  struct owncard *out)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT c.id, c.user_id, r.revision, r.data, r.front_image, r.back_image, "
		"c.share_token, c.visible_fields, r.created_at, NULL "
		"FROM card_revisions r JOIN cards c ON c.id = r.card_id "
		"WHERE r.card_id = ? AND r.revision = ?", "ii", card_id, rev);
	if (e != ERR_OK)
		return e;
	return res.nrows ? from_row(&res, a, out) : ERR_NOT_FOUND;
}

static int str_same(const char *x, const char *y)
{
	return strcmp(x ? x : "", y ? y : "") == 0;
}

unsigned owncard_diff(const struct owncard *x, const struct owncard *y)
{
	unsigned changed = 0;

	for (int f = 0; f < CF__MAX; f++) {
		int same;
		if (f == CF_FRONT_IMAGE)
			same = str_same(x->front_image, y->front_image);
		else if (f == CF_BACK_IMAGE)
			same = str_same(x->back_image, y->back_image);
		else
			same = card_field_equal(&x->card, &y->card, (enum card_field)f);
		if (!same)
			changed |= 1u << f;
	}
	return changed;
}

enum err owncard_save(struct db *db, struct arena *a, struct owncard *c, unsigned changed)
{
	struct db_result res;
	const char *data = card_text(&c->card, a);
	const char *fields = owncard_fields_text(changed, a);
	const char *shown = owncard_phones_shown(&c->card, a);
	long long rev = c->revision + 1;
	enum err e;

	if (data == NULL)
		return ERR_INTERNAL;
	e = db_exec(db, "UPDATE cards SET revision = ?, data = ?, front_image = ?, back_image = ?, "
		    "phones_shown = ?, updated_at = UTC_TIMESTAMP() WHERE id = ? AND revision = ?",
		    "issssii", rev, data, c->front_image, c->back_image, shown, c->id, c->revision);
	if (e != ERR_OK)
		return e;
	if (db_affected(db) != 1)	/* not locked by the caller, or changed meanwhile */
		return ERR_PRECONDITION;
	e = db_exec(db, "INSERT INTO card_revisions (card_id, revision, data, front_image, back_image, "
		    "changed_fields, created_at) VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP())",
		    "iissss", c->id, rev, data, c->front_image, c->back_image, fields);
	if (e != ERR_OK)
		return e;
	/* module 104: one fan-out job per (coalesced) change, in this transaction */
	e = updates_card_changed(db, c->id, c->user_id, rev);
	if (e != ERR_OK)
		return e;
	e = db_query(db, a, &res, "SELECT updated_at FROM cards WHERE id = ?", "i", c->id);
	if (e != ERR_OK)
		return e;
	c->revision = rev;
	c->phones_shown = shown;
	c->stored = data;
	c->updated_at = arena_strdup(a, db_cell(&res, 0, 0));
	return ERR_OK;
}

enum err owncard_set_visible(struct db *db, long long card_id, unsigned visible)
{
	struct arena a;
	enum err e;

	arena_init(&a);
	e = db_exec(db, "UPDATE cards SET visible_fields = ? WHERE id = ?", "si",
		    owncard_fields_text(visible | (1u << CF_FULL_NAME), &a), card_id);
	arena_reset(&a);
	return e;
}

enum err owncard_rotate(struct db *db, struct arena *a, long long card_id, const char **token)
{
	const char *t = token_new(a, OWNCARD_TOKEN_BYTES);
	enum err e = db_exec(db, "UPDATE cards SET share_token = ? WHERE id = ?", "si", t, card_id);
	if (e != ERR_OK)
		return e;
	if (db_affected(db) != 1)
		return ERR_NOT_FOUND;
	*token = t;
	return ERR_OK;
}

const char *owncard_fields_text(unsigned fields, struct arena *a)
{
	size_t len = 0;
	char *s;

	for (int f = 0; f < CF__MAX; f++)
		if (fields & (1u << f))
			len += strlen(card_field_name((enum card_field)f)) + 1;
	s = arena_alloc(a, len + 1);
	len = 0;
	for (int f = 0; f < CF__MAX; f++) {
		if (!(fields & (1u << f)))
			continue;
		const char *name = card_field_name((enum card_field)f);
		size_t n = strlen(name);
		if (len)
			s[len++] = ',';
		memcpy(s + len, name, n);
		len += n;
	}
	s[len] = '\0';
	return s;
}

unsigned owncard_fields_parse(const char *list)
{
	unsigned mask = 0;
	char name[64];

	while (list && *list) {
		size_t n = strcspn(list, ",");
		if (n > 0 && n < sizeof(name)) {
			memcpy(name, list, n);
			name[n] = '\0';
			enum card_field f = card_field_lookup(name);
			if (f < CF__MAX)
				mask |= 1u << f;
		}
		list += n;
		if (*list == ',')
			list++;
	}
	return mask;
}

const char *owncard_uid(const struct owncard *c, struct arena *a)
{
	/* a name-based identifier: stable, and not the bare row number */
	char seed[256];
	snprintf(seed, sizeof(seed), "livecard card %lld at %s", c->id, cfg.base_url ? cfg.base_url : "");
	const char *h = sha256_hex(a, seed, strlen(seed));
	return arena_printf(a, "urn:uuid:%.8s-%.4s-5%.3s-%c%.3s-%.12s", h, h + 8, h + 13,
			    "89ab"[(h[16] >= 'a' ? h[16] - 'a' + 10 : h[16] - '0') & 3], h + 17, h + 20);
}

const char *owncard_rev(const struct owncard *c, struct arena *a)
{
	return vcardmap_rev(a, c->updated_at);
}

/* --- templates ----------------------------------------------------------*/

/* The card's values are set below one node (prefix, looked up once) and
 * each list item below its own node, not by full dotted names: ClearSilver
 * walks a name part by part from where it is given, and the public page's
 * 60-odd values were a quarter of its request. */
static void put(HDF *node, const char *key, const char *value)
{
	hdf_set_value(node, key, value ? value : "");
}

/* item_node: the node list.i below node (created). */
static HDF *item_node(HDF *node, const char *list, size_t i)
{
	char key[64];
	HDF *item = NULL;
	NEOERR *nerr;

	snprintf(key, sizeof(key), "%s.%zu", list, i);
	nerr = hdf_get_node(node, key, &item);
	nerr_ignore(&nerr);
	return item;
}

/* hdf_items: list.N.Type and .Value; with links, list.N.Link = 1 for the
 * values that may be an href (url_linkable), so that the templates link
 * only those and show the rest (javascript:, data:, ...) as text. */
static void hdf_items(HDF *node, const char *list, const struct card_item *items, size_t n, int links)
{
	for (size_t i = 0; i < n; i++) {
		HDF *item = item_node(node, list, i);
		if (item == NULL)
			continue;
		put(item, "Type", items[i].type);
		put(item, "Value", items[i].value);
		if (links && url_linkable(items[i].value))
			put(item, "Link", "1");
	}
}

const char *owncard_phones_shown(const struct card *card, struct arena *a)
{
	const char *s = "";

	for (size_t i = 0; i < card->n_phones; i++)
		s = phone_shown_add(s, card->phones[i].value, a);
	return s;
}

/* hdf_phone_display: Phones.N.Display, each phone as people read it
 * (phone_display: "+86 138 0013 9999"), from shown where it has the
 * phone, else worked out; .Value keeps E.164 for tel:. */
static void hdf_phone_display(HDF *node, const struct card_item *items, size_t n, const char *shown)
{
	struct arena tmp;
	char buf[256];
	size_t pos = 0;

	arena_init(&tmp);
	for (size_t i = 0; i < n; i++) {
		const char *v = items[i].value ? items[i].value : "";
		const char *d = phone_shown_next(shown, &pos, v, buf, sizeof(buf));
		HDF *item = item_node(node, "Phones", i);
		if (item)
			put(item, "Display", d ? d : phone_display(v, &tmp));
	}
	arena_reset(&tmp);
}

static void card_hdf(HDF *hdf, const char *prefix, const struct card *c, const char *shown);

void owncard_hdf(HDF *hdf, const char *prefix, const struct card *c)
{
	card_hdf(hdf, prefix, c, NULL);
}

void owncard_card_hdf(HDF *hdf, const char *prefix, const struct owncard *c)
{
	card_hdf(hdf, prefix, &c->card, c->phones_shown);
}

static void card_hdf(HDF *hdf, const char *prefix, const struct card *c, const char *shown)
{
	struct card none;
	HDF *node = NULL, *name = NULL, *has = NULL;
	NEOERR *nerr = hdf_get_node(hdf, prefix, &node);

	nerr_ignore(&nerr);
	if (node == NULL)
		return;
	card_init(&none);
	put(node, "FullName", c->full_name);
	nerr = hdf_get_node(node, "Name", &name);
	nerr_ignore(&nerr);
	if (name) {
		put(name, "Family", c->family);
		put(name, "Given", c->given);
		put(name, "Additional", c->additional);
		put(name, "Prefix", c->prefix);
		put(name, "Suffix", c->suffix);
	}
	put(node, "Organization", c->organization);
	put(node, "Department", c->department);
	put(node, "Title", c->title);
	put(node, "Note", c->note);
	hdf_items(node, "Emails", c->emails, c->n_emails, 0);
	hdf_items(node, "Phones", c->phones, c->n_phones, 0);
	hdf_phone_display(node, c->phones, c->n_phones, shown);
	hdf_items(node, "Urls", c->urls, c->n_urls, 1);
	for (size_t i = 0; i < c->n_addresses; i++) {
		const struct card_address *ad = &c->addresses[i];
		HDF *item = item_node(node, "Addresses", i);
		if (item == NULL)
			continue;
		put(item, "Type", ad->type);
		put(item, "Street", ad->street);
		put(item, "Locality", ad->locality);
		put(item, "Region", ad->region);
		put(item, "PostalCode", ad->postal_code);
		put(item, "Country", ad->country);
	}
	for (int f = 0; f < CF_FRONT_IMAGE; f++) {
		if (card_field_equal(c, &none, (enum card_field)f))
			continue;
		if (has == NULL) {
			nerr = hdf_get_node(node, "Has", &has);
			nerr_ignore(&nerr);
			if (has == NULL)
				break;
		}
		put(has, card_field_name((enum card_field)f), "1");
	}
}

enum err owncard_revisions(struct db *db, struct arena *a, long long card_id, long long before,
			   long long limit, struct db_result *res)
{
	return db_query(db, a, res,
		"SELECT revision, changed_fields, created_at FROM card_revisions "
		"WHERE card_id = ? AND revision < ? ORDER BY revision DESC LIMIT ?",
		"iii", card_id, before, limit);
}

enum err owncard_revision_fields(struct db *db, struct arena *a, long long card_id, long long revision,
				 const char **fields)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT changed_fields FROM card_revisions WHERE card_id = ? AND revision = ?",
		"ii", card_id, revision);

	*fields = e == ERR_OK && res.nrows && db_cell(&res, 0, 0) ? db_cell(&res, 0, 0) : "";
	return e;
}

/* --- the JSON answer ------------------------------------------------------*/

/* tail_url: a URL string base_url + path */
static void tail_url(struct jsonw *w, struct arena *a, const char *base_url, const char *path)
{
	jsonw_str(w, arena_printf(a, "%s%s", base_url, path));
}

static void tail_image(struct jsonw *w, struct arena *a, const char *base_url, const char *side, const char *hash)
{
	if (hash == NULL) {
		JSONW_LIT(w, "null");
		return;
	}
	JSONW_LIT(w, "{\"hash\":");
	jsonw_str(w, hash);
	JSONW_LIT(w, ",\"url\":");
	tail_url(w, a, base_url, arena_printf(a, "/api/v1/card/images/%s?v=%s", side, hash));
	JSONW_LIT(w, ",\"thumb_url\":");
	tail_url(w, a, base_url, arena_printf(a, "/api/v1/card/images/%s?thumb=1&v=%s", side, hash));
	JSONW_LIT(w, "}");
}

/* tail_fields: a JSON array of the names of the fields in mask, enum order */
static void tail_fields(struct jsonw *w, unsigned mask)
{
	int first = 1;

	JSONW_LIT(w, "[");
	for (int f = 0; f < CF__MAX; f++) {
		if (!(mask & (1u << f)))
			continue;
		if (!first)
			JSONW_LIT(w, ",");
		first = 0;
		jsonw_str(w, card_field_name((enum card_field)f));
	}
	JSONW_LIT(w, "]");
}

const char *owncard_answer_tail(struct arena *a, const struct owncard *c, const char *base_url,
				const char *updated, const unsigned *changed)
{
	const char *token = c->share_token ? c->share_token : "";
	const char *front = c->front_image, *back = c->back_image;
	/* the longest value of each kind, escaped: a bound for the buffer */
	size_t n = 512 + 4 * (strlen(base_url) + strlen(token) + 16) * 6 +
		   (front ? 3 * (strlen(front) + strlen(base_url) + 64) * 6 : 0) +
		   (back ? 3 * (strlen(back) + strlen(base_url) + 64) * 6 : 0) +
		   (updated ? JSONW_STRING_MAX(strlen(updated)) : 0);
	/* visible_fields and changed_fields: each name at most once in each */
	for (int f = 0; f < CF__MAX; f++)
		n += 2 * (JSONW_STRING_MAX(strlen(card_field_name((enum card_field)f))) + 1);
	struct jsonw w = {arena_alloc(a, n), 0};
	char *buf = w.o;
	const char *p = arena_printf(a, "/c/%s", token);

	JSONW_LIT(&w, ",\"revision\":");
	jsonw_int(&w, c->revision);
	JSONW_LIT(&w, ",\"updated_at\":");
	jsonw_str(&w, updated);
	JSONW_LIT(&w, ",\"images\":{\"front\":");
	tail_image(&w, a, base_url, "front", front);
	JSONW_LIT(&w, ",\"back\":");
	tail_image(&w, a, base_url, "back", back);
	JSONW_LIT(&w, "},\"share\":{\"url\":");
	tail_url(&w, a, base_url, p);
	JSONW_LIT(&w, ",\"vcard_url\":");
	tail_url(&w, a, base_url, arena_printf(a, "%s.vcf", p));
	JSONW_LIT(&w, ",\"qr_url\":");
	tail_url(&w, a, base_url, arena_printf(a, "%s/qr.svg", p));
	JSONW_LIT(&w, ",\"visible_fields\":");
	tail_fields(&w, c->visible);
	JSONW_LIT(&w, "}");
	if (changed) {
		JSONW_LIT(&w, ",\"changed_fields\":");
		tail_fields(&w, *changed);
	}
	JSONW_LIT(&w, "}");
	return jsonw_end(&w) == 0 ? buf : NULL;
}
