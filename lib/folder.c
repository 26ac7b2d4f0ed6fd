/* folder.c: the card folder: entries, matching keys, tags, the change log and member flags; every statement on folder_entries (docs/architecture.md, "SQL"). */
#include "folder.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "contact.h"
#include "dav.h"
#include "http.h"
#include "jsonw.h"
#include "log.h"
#include "outbox.h"
#include "savers.h"
#include "searchfold.h"

const char *const folder_dup_choices[] = {
	[FOLDER_DUP_SKIP] = "skip",
	[FOLDER_DUP_MERGE] = "merge",
	[FOLDER_DUP_KEEP] = "keep",
	[FOLDER_DUP__MAX] = NULL,
};

static const char *const side_names[FOLDER_SIDE__MAX] = {"front", "back"};

const char *folder_side_name(enum folder_side s)
{
	return (s >= 0 && s < FOLDER_SIDE__MAX) ? side_names[s] : NULL;
}

/* --- SQL shared by the statements below ---------------------------------*/

/* ENTRY_COLUMNS_OF(CARD, TAGS, OFFER): the columns of an entry in row_entry
 * order: CARD is the card and its extras (columns 3-4), TAGS its tags as a
 * JSON array (20), OFFER its FOLDER_LINK_OFFER (22). The two DATETIMEs
 * come as text MariaDB writes (the same "YYYY-MM-DD HH:MM:SS"): the client
 * library's own conversion is an sprintf per value, a sixth of a search. */
#define ENTRY_COLUMNS_OF(CARD, TAGS, OFFER) \
	"e.id, e.holder_id, e.uid, " CARD ", e.notes, e.front_image, e.back_image, " \
	"e.source_card_id, e.synced_revision, e.declined_revision, c.revision, e.auto_update, " \
	"u.auto_update_default, e.owner_user_id, e.owner_is_member, e.owner_saved_my_card, " \
	"e.change_seq, CAST(e.created_at AS CHAR), CAST(e.updated_at AS CHAR), " TAGS ", e.full_name, " OFFER
/* The columns folder_entry_get reads: one entry, everything in one row. */
#define ENTRY_COLUMNS ENTRY_COLUMNS_OF("e.data, e.extras", \
	"(SELECT JSON_ARRAYAGG(t.tag ORDER BY t.tag) FROM entry_tags t WHERE t.entry_id = e.id)", \
	FOLDER_LINK_OFFER("e"))
/* The columns of a listing (folder_list, folder_list_json): the tags and
 * the link offers of the page are read afterwards (list_tags, list_offers),
 * as a correlated subquery per listed row cost MariaDB more than the rest
 * of the 500-entry page together (bench/findings.md). */
#define LIST_COLUMNS ENTRY_COLUMNS_OF("e.data, e.extras", "NULL", "0")
/* The list pages' columns: of LIST_COLUMNS only what a tile shows or the
 * listing needs (the id, the front image, the link and its revisions, the
 * owner's match, the sort name), NULL in the other places (the card and
 * its extras, holder, uid, notes, back image, auto-update settings,
 * change_seq and the two DATETIMEs, whose conversion to text in the
 * client library was a fifth of the 500-entry page), then the five values
 * a list shows of the card (columns 23-27, brief_card): full_name and the
 * tile columns MariaDB keeps from data (sql/017_folder_tile.sql), so no
 * JSON is read per row; and (28) the first phone's display form stored
 * with it (sql/020_card_phones_shown.sql), so no libphonenumber either. */
#define BRIEF_COLUMNS \
	"e.id, NULL, NULL, NULL, NULL, NULL, e.front_image, NULL, " \
	"e.source_card_id, e.synced_revision, e.declined_revision, c.revision, NULL, " \
	"NULL, e.owner_user_id, e.owner_is_member, e.owner_saved_my_card, " \
	"NULL, NULL, NULL, NULL, e.full_name, 0, " \
	"e.full_name, e.tile_title, e.tile_org, e.tile_phone, e.tile_email, e.tile_phone_shown"
#define ENTRY_FROM \
	" FROM folder_entries e JOIN users u ON u.id = e.holder_id " \
	"LEFT JOIN cards c ON c.id = e.source_card_id "
/* LIST_FROM: ENTRY_FROM for a listing (LIST_WHERE). Left to choose, MariaDB
 * takes folder_entries_search only for the order, after the plan is made,
 * and then tests the search on every row it reads; named, the search's
 * conditions on search_fold are tested on the index (0.3 instead of 1 ms
 * of MariaDB's CPU for a 500-entry folder, bench/findings.md). */
#define LIST_FROM \
	" FROM folder_entries e USE INDEX (folder_entries_search) JOIN users u ON u.id = e.holder_id " \
	"LEFT JOIN cards c ON c.id = e.source_card_id "

/* --- small helpers ------------------------------------------------------*/

const char *folder_uid_new(struct arena *a)
{
	unsigned char b[16];

	randombytes_buf(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	return arena_printf(a, "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
			    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5], b[6],
			    b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

int folder_uid_ok(const char *uid)
{
	size_t n;

	if (uid == NULL || (n = strlen(uid)) == 0 || n > FOLDER_MAX_UID)
		return 0;
	for (; *uid; uid++)
		if (*uid < 0x21 || *uid > 0x7e || *uid == '/' || *uid == '\\')
			return 0;
	return 1;
}

enum err folder_tags_clean(const char *const *tags, size_t n, struct arena *a,
			   const char ***out, size_t *n_out, struct errinfo *ei)
{
	const char **t = arena_alloc(a, (n + 1) * sizeof(*t));
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		const char *s = tags[i] ? arena_strdup_trim(a, tags[i]) : "";
		size_t j;
		if (*s == '\0')
			continue;
		if (!utf8_valid(s, strlen(s)))
			return errinfo_set(ei, ERR_BAD_REQUEST, "invalid_utf8", "tags", "a tag is not valid text");
		if (strlen(s) > FOLDER_MAX_TAG)
			return errinfo_set(ei, ERR_BAD_REQUEST, "too_long", "tags", "a tag is too long");
		for (j = 0; j < k && strcasecmp(t[j], s) != 0; j++)
			;
		if (j < k)
			continue;
		if (k == FOLDER_MAX_TAGS)
			return errinfo_set(ei, ERR_BAD_REQUEST, "too_many", "tags", "too many tags");
		t[k++] = s;
	}
	*out = t;
	*n_out = k;
	return ERR_OK;
}

enum err folder_tags_union(struct arena *arena, const char *const *a, size_t n_a,
			   const char *const *b, size_t n_b, const char ***out, size_t *n_out,
			   struct errinfo *ei)
{
	const char **both = arena_alloc(arena, (n_a + n_b + 1) * sizeof(*both));
	if (n_a)
		memcpy(both, a, n_a * sizeof(*both));
	if (n_b)
		memcpy(both + n_a, b, n_b * sizeof(*both));
	return folder_tags_clean(both, n_a + n_b, arena, out, n_out, ei);
}

/* dumps_with: JSON text of j written with flags, in a (j is released). */
static const char *dumps_with(json_t *j, struct arena *a, size_t flags)
{
	char *s;
	const char *copy;

	if (j == NULL)
		return NULL;
	s = json_dumps(j, flags);
	json_decref(j);
	if (s == NULL)
		return NULL;
	copy = arena_strdup(a, s);
	free(s);
	return copy;
}

/* dumps: JSON text of j in a (j is released). */
static const char *dumps(json_t *j, struct arena *a)
{
	return dumps_with(j, a, JSON_COMPACT);
}

/* dumps_ascii: JSON text of j as an API answer writes it (req_json), in a
 * (j is released). */
static const char *dumps_ascii(json_t *j, struct arena *a)
{
	return dumps_with(j, a, JSON_COMPACT | JSON_ENSURE_ASCII);
}

/* card_json_text: the card object as stored in folder_entries.data. */
static const char *card_json_text(const struct card *c, struct arena *a)
{
	return dumps(card_to_json(c), a);
}

/* extras_json: the kept vCard lines as a JSON array, or NULL for none. */
static json_t *extras_json(const struct card *c)
{
	json_t *arr;

	if (c->n_extras == 0)
		return NULL;
	arr = json_array();
	for (size_t i = 0; i < c->n_extras && i < FOLDER_MAX_EXTRAS; i++)
		if (c->extras[i].line && *c->extras[i].line)
			json_array_append_new(arr, json_string(c->extras[i].line));
	return arr;
}

/* entry_keys: the card's matching keys that can be stored (ASCII, as
 * contact_keys can only hold ASCII), as a JSON array. */
static json_t *entry_keys(const struct card *c, struct arena *a)
{
	const char **keys;
	size_t n = card_keys(c, a, &keys);
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++) {
		const unsigned char *p = (const unsigned char *)keys[i];
		int ascii = strlen(keys[i]) <= 260;
		for (; *p && ascii; p++)
			ascii = *p < 0x80;
		if (ascii)
			json_array_append_new(arr, json_string(keys[i]));
	}
	return arr;
}

static json_t *tags_json(const char *const *tags, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_string(tags[i]));
	return arr;
}

/* --- reading stored cards -------------------------------------------------*/

enum err folder_card_load(const char *card_json, const char *extras_json_text,
			  struct arena *a, struct card *c)
{
	enum err e = card_load(card_json, a, c);

	return e != ERR_OK ? e : card_load_extras(extras_json_text, a, c);
}

/* --- checking cards from clients -----------------------------------------*/

static int str_same(const char *x, const char *y)
{
	return strcmp(x ? x : "", y ? y : "") == 0;
}

static int address_same(const struct card_address *x, const struct card_address *y)
{
	return str_same(x->type, y->type) && str_same(x->street, y->street) &&
	       str_same(x->locality, y->locality) && str_same(x->region, y->region) &&
	       str_same(x->postal_code, y->postal_code) && str_same(x->country, y->country);
}

static const char *jraw(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A list the strict check may have refused an old value of. */
enum tolerated { TOL_EMAILS, TOL_PHONES, TOL_URLS, TOL_ADDRESSES, TOL__MAX };

static const char *const tol_lists[TOL__MAX] = {"emails", "phones", "urls", "addresses"};
static const char *const tol_placeholder[TOL__MAX] = {
	"placeholder@example.com", "+8613800138000", "https://example.com", NULL};

/* old_item: the index in old of an item equal to the JSON item it, or -1. */
static long old_item(const struct card *old, enum tolerated t, const json_t *it)
{
	const struct card_item *items = NULL;
	size_t n = 0;

	if (old == NULL || !json_is_object(it))
		return -1;
	if (t == TOL_ADDRESSES) {
		struct card_address ad = {
			jraw(it, "type"), jraw(it, "street"), jraw(it, "locality"), jraw(it, "region"),
			jraw(it, "postal_code"), jraw(it, "country"),
		};
		for (size_t i = 0; i < old->n_addresses; i++)
			if (address_same(&old->addresses[i], &ad))
				return (long)i;
		return -1;
	}
	if (t == TOL_EMAILS)
		items = old->emails, n = old->n_emails;
	else if (t == TOL_PHONES)
		items = old->phones, n = old->n_phones;
	else
		items = old->urls, n = old->n_urls;
	for (size_t i = 0; i < n; i++)
		if (str_same(items[i].type, jraw(it, "type")) && jraw(it, "value") &&
		    str_same(items[i].value, jraw(it, "value")))
			return (long)i;
	return -1;
}

enum err folder_card_from_json(const json_t *obj, const struct card *old,
			       const char *default_country, struct card *out,
			       struct arena *a, struct errinfo *ei)
{
	/* tolerated[t][i]: the index in old of item i of list t kept as stored */
	long *kept[TOL__MAX] = {0};
	json_t *copy = NULL;
	const json_t *cur = obj;
	enum err e;

	for (int round = 0; round <= 4 * CARD_MAX_ITEMS; round++) {
		size_t idx;
		char list[16];
		int t;
		json_t *arr, *it;

		e = card_from_json(cur, default_country, out, a, ei);
		if (e != ERR_BAD_REQUEST || old == NULL || ei == NULL || ei->field == NULL)
			break;
		if (sscanf(ei->field, "%15[a-z][%zu]", list, &idx) != 2)
			break;
		for (t = 0; t < TOL__MAX && strcmp(tol_lists[t], list) != 0; t++)
			;
		if (t == TOL__MAX)
			break;
		arr = json_object_get(cur, list);
		it = json_array_get(arr, idx);
		long k = old_item(old, (enum tolerated)t, it);
		if (k < 0 || (kept[t] && kept[t][idx] >= 0))
			break;
		if (copy == NULL) {
			copy = json_deep_copy(obj);
			cur = copy;
			arr = json_object_get(copy, list);
		}
		if (kept[t] == NULL) {
			kept[t] = arena_alloc(a, (json_array_size(arr) + 1) * sizeof(long));
			for (size_t i = 0; i <= json_array_size(arr); i++)
				kept[t][i] = -1;
		}
		kept[t][idx] = k;
		json_array_set_new(arr, idx, t == TOL_ADDRESSES ? json_pack("{s:s}", "type", "other") :
				   json_pack("{s:s, s:s}", "type", "other", "value", tol_placeholder[t]));
	}
	json_decref(copy);
	if (e != ERR_OK)
		return e;
	/* put the tolerated values back as they were stored */
	for (int t = 0; t < TOL__MAX; t++) {
		if (kept[t] == NULL)
			continue;
		for (size_t i = 0; ; i++) {
			size_t n = t == TOL_EMAILS ? out->n_emails : t == TOL_PHONES ? out->n_phones :
				   t == TOL_URLS ? out->n_urls : out->n_addresses;
			if (i >= n)
				break;
			if (kept[t][i] < 0)
				continue;
			if (t == TOL_EMAILS)
				out->emails[i] = old->emails[kept[t][i]];
			else if (t == TOL_PHONES)
				out->phones[i] = old->phones[kept[t][i]];
			else if (t == TOL_URLS)
				out->urls[i] = old->urls[kept[t][i]];
			else
				out->addresses[i] = old->addresses[kept[t][i]];
		}
	}
	if (old) {
		out->extras = old->extras;
		out->n_extras = old->n_extras;
	}
	return ERR_OK;
}

/* --- merging --------------------------------------------------------------*/

static int item_in(const struct card_item *items, size_t n, const char *value, int nocase)
{
	for (size_t i = 0; i < n; i++)
		if (nocase ? strcasecmp(items[i].value, value) == 0 : strcmp(items[i].value, value) == 0)
			return 1;
	return 0;
}

static void merge_items(struct card_item **dst, size_t *nd, const struct card_item *src, size_t ns,
			int nocase, struct arena *a)
{
	struct card_item *out = arena_alloc(a, (*nd + ns + 1) * sizeof(*out));
	size_t n = *nd;

	if (*nd)
		memcpy(out, *dst, *nd * sizeof(*out));
	for (size_t i = 0; i < ns && n < CARD_MAX_ITEMS; i++)
		if (!item_in(out, n, src[i].value, nocase))
			out[n++] = src[i];
	*dst = out;
	*nd = n;
}

static void merge_text(const char **dst, const char *src)
{
	if ((*dst == NULL || **dst == '\0') && src && *src)
		*dst = src;
}

void folder_card_merge(struct card *dst, const struct card *src, struct arena *a)
{
	size_t i, k, n;

	merge_text(&dst->full_name, src->full_name);
	if (!*dst->family && !*dst->given && !*dst->additional && !*dst->prefix && !*dst->suffix) {
		dst->family = src->family;
		dst->given = src->given;
		dst->additional = src->additional;
		dst->prefix = src->prefix;
		dst->suffix = src->suffix;
	}
	merge_text(&dst->organization, src->organization);
	merge_text(&dst->department, src->department);
	merge_text(&dst->title, src->title);
	if (*src->note && !strstr(dst->note, src->note)) {
		if (*dst->note == '\0')
			dst->note = src->note;
		else if (strlen(dst->note) + strlen(src->note) + 1 <= CARD_MAX_NOTE)
			dst->note = arena_printf(a, "%s\n%s", dst->note, src->note);
	}
	merge_items(&dst->emails, &dst->n_emails, src->emails, src->n_emails, 1, a);
	merge_items(&dst->phones, &dst->n_phones, src->phones, src->n_phones, 0, a);
	merge_items(&dst->urls, &dst->n_urls, src->urls, src->n_urls, 0, a);

	struct card_address *ads = arena_alloc(a, (dst->n_addresses + src->n_addresses + 1) * sizeof(*ads));
	n = dst->n_addresses;
	if (n)
		memcpy(ads, dst->addresses, n * sizeof(*ads));
	for (i = 0; i < src->n_addresses && n < CARD_MAX_ITEMS; i++) {
		for (k = 0; k < n && !address_same(&ads[k], &src->addresses[i]); k++)
			;
		if (k == n)
			ads[n++] = src->addresses[i];
	}
	dst->addresses = ads;
	dst->n_addresses = n;

	struct card_extra *ex = arena_alloc(a, (dst->n_extras + src->n_extras + 1) * sizeof(*ex));
	n = dst->n_extras;
	if (n)
		memcpy(ex, dst->extras, n * sizeof(*ex));
	for (i = 0; i < src->n_extras && n < FOLDER_MAX_EXTRAS; i++) {
		for (k = 0; k < n && strcmp(ex[k].line, src->extras[i].line) != 0; k++)
			;
		if (k == n)
			ex[n++] = src->extras[i];
	}
	dst->extras = ex;
	dst->n_extras = n;
}

/* --- the change log -------------------------------------------------------*/

/* seq_reserve: bump folders.seq of holder by n (creating the row), and
 * give the first of the n new values. The row stays locked until the
 * transaction ends, so the numbers follow the order of commits. */
static enum err seq_reserve(struct db *db, struct arena *a, long long holder_id, long long n,
			    long long *first)
{
	struct db_result res;
	enum err e = db_exec(db,
		"INSERT INTO folders (holder_id, seq) VALUES (?, ?) "
		"ON DUPLICATE KEY UPDATE seq = seq + VALUES(seq)", "ii", holder_id, n);
	if (e != ERR_OK)
		return e;
	e = db_query(db, a, &res, "SELECT seq FROM folders WHERE holder_id = ? FOR UPDATE", "i", holder_id);
	if (e != ERR_OK)
		return e;
	if (res.nrows == 0)
		return ERR_INTERNAL;
	*first = db_cell_int(&res, 0, 0, 0) - n + 1;
	return ERR_OK;
}

enum err folder_lock(struct db *db, long long holder_id)
{
	/* the duplicate-key path takes the row's exclusive lock as well */
	return db_exec(db, "INSERT INTO folders (holder_id, seq) VALUES (?, 0) "
		       "ON DUPLICATE KEY UPDATE seq = seq", "i", holder_id);
}

static enum err change_log(struct db *db, long long holder_id, long long seq, long long id,
			   const char *uid, int deleted)
{
	return db_exec(db,
		"INSERT INTO folder_changes (holder_id, seq, entry_id, uid, deleted, created_at) "
		"VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP())", "iiisi", holder_id, seq, id, uid,
		(long long)deleted);
}

/* --- member flags ---------------------------------------------------------*/

/* match_range: the member flags of the holder's entries with ids lo..hi
 * (reset first when reset), and the owner_saved_my_card flags of the
 * matched members' entries for this holder that these entries turn on. */
static enum err match_range(struct db *db, long long holder_id, long long lo, long long hi, int reset)
{
	enum err e = ERR_OK;

	if (reset)
		e = db_exec(db,
			"UPDATE folder_entries SET owner_user_id = NULL, owner_is_member = 0, "
			"owner_saved_my_card = 0 WHERE holder_id = ? AND id BETWEEN ? AND ? "
			"AND source_card_id IS NULL", "iii", holder_id, lo, hi);
	/* several members may match: the lowest user id wins, always */
	if (e == ERR_OK)
		e = db_exec(db,
			"UPDATE folder_entries e JOIN (SELECT ck.entry_id, MIN(k.user_id) AS uid "
			"FROM card_keys ck JOIN contact_keys k ON k.ckey = ck.ckey "
			"WHERE ck.entry_id BETWEEN ? AND ? AND ck.holder_id = ? GROUP BY ck.entry_id) m "
			"ON m.entry_id = e.id SET e.owner_user_id = m.uid, e.owner_is_member = 1 "
			"WHERE e.source_card_id IS NULL", "iii", lo, hi, holder_id);
	if (e == ERR_OK)
		e = db_exec(db,
			"UPDATE folder_entries e SET e.owner_saved_my_card = " FOLDER_SAVED_MY_CARD("e") " "
			"WHERE e.holder_id = ? AND e.id BETWEEN ? AND ? AND e.owner_user_id IS NOT NULL",
			"iii", holder_id, lo, hi);
	/* the other way round: the owners of these cards (as matched just
	 * now) hold the card of someone who saved theirs */
	if (e == ERR_OK)
		e = db_exec(db,
			"UPDATE folder_entries f JOIN (SELECT DISTINCT g.owner_user_id AS uid "
			"FROM folder_entries g WHERE g.holder_id = ? AND g.id BETWEEN ? AND ? "
			"AND g.owner_user_id IS NOT NULL) m "
			"ON f.owner_user_id = ? AND f.holder_id = m.uid SET f.owner_saved_my_card = 1",
			"iiii", holder_id, lo, hi, holder_id);
	return e;
}

/* matched_users: every member whose verified key an entry carries, and the
 * owner of its source card; in a. */
static enum err matched_users(struct db *db, struct arena *a, long long id, long long **users,
			      size_t *n)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT k.user_id FROM card_keys ck JOIN contact_keys k ON k.ckey = ck.ckey "
		"WHERE ck.entry_id = ? UNION SELECT c.user_id FROM folder_entries g "
		"JOIN cards c ON c.id = g.source_card_id WHERE g.id = ?", "ii", id, id);
	if (e != ERR_OK)
		return e;
	*users = arena_alloc(a, (res.nrows + 1) * sizeof(**users));
	for (size_t i = 0; i < res.nrows; i++)
		(*users)[i] = db_cell_int(&res, i, 0, 0);
	*n = res.nrows;
	return ERR_OK;
}

/* recompute_saved: owner_saved_my_card of user's entries whose owner is
 * holder, after holder's folder lost or changed an entry. */
static enum err recompute_saved(struct db *db, long long user_id, long long holder_id)
{
	return db_exec(db,
		"UPDATE folder_entries f SET f.owner_saved_my_card = " FOLDER_SAVED_MY_CARD("f") " "
		"WHERE f.owner_user_id = ? AND f.holder_id = ?", "ii", holder_id, user_id);
}

enum err folder_match(struct db *db, struct arena *a, long long entry_id)
{
	long long holder, before;
	enum err e = folder_entry_owner(db, a, entry_id, &holder, &before);

	if (e != ERR_OK)
		return e;
	e = match_range(db, holder, entry_id, entry_id, 1);
	if (e == ERR_OK && before)
		e = recompute_saved(db, before, holder);
	return e;
}

/* --- saving ---------------------------------------------------------------*/

/* tile_phone_shown: folder_entries.tile_phone_shown of card c: its first
 * phone and that phone's display form (phone_shown_add), "" without one. */
/* stored_fold: search_fold of a search_text as folder_entries.search_fold
 * stores it, NULL when longer than the column (that entry is then searched
 * by search_text under the collation, LIST_WHERE). */
static const char *stored_fold(const char *search_text, struct arena *a)
{
	const char *f = search_fold(search_text, a);
	return strlen(f) <= SEARCH_FOLD_MAX ? f : NULL;
}

enum err folder_fold_backfill(struct db *db, struct arena *a, long long after_id, long long limit,
			      long long *last_id, long long *filled)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT id, search_text FROM folder_entries WHERE id > ? AND search_fold IS NULL "
		"ORDER BY id LIMIT ?", "ii", after_id, limit);

	*last_id = 0;
	*filled = 0;
	if (e != ERR_OK)
		return e;
	for (size_t i = 0; i < res.nrows; i++) {
		long long id = db_cell_int(&res, i, 0, 0);
		const char *text = db_cell(&res, i, 1) ? db_cell(&res, i, 1) : "";
		const char *fold = stored_fold(text, a);
		*last_id = id;
		if (fold == NULL)
			continue;
		e = db_exec(db, "UPDATE folder_entries SET search_fold = CAST(? AS BINARY) "
			    "WHERE id = ? AND search_fold IS NULL AND CAST(search_text AS BINARY) = CAST(? AS BINARY)",
			    "sis", fold, id, text);
		if (e != ERR_OK)
			return e;
		*filled += (long long)db_affected(db);
	}
	return ERR_OK;
}

static const char *tile_phone_shown(const struct card *c, struct arena *a)
{
	return c->n_phones ? phone_shown_add("", c->phones[0].value, a) : "";
}

enum err folder_insert_entries(struct db *db, struct arena *a, long long holder_id,
			       const struct folder_new *items, size_t n, long long *ids)
{
	for (size_t start = 0; start < n; start += FOLDER_BATCH) {
		size_t m = n - start < FOLDER_BATCH ? n - start : FOLDER_BATCH;
		long long seq, lo = 0, hi = 0;
		struct db_result res;
		json_t *doc = json_array();
		const char *text;
		enum err e;

		if ((e = seq_reserve(db, a, holder_id, (long long)m, &seq)) != ERR_OK) {
			json_decref(doc);
			return e;
		}
		for (size_t i = 0; i < m; i++) {
			const struct folder_new *it = &items[start + i];
			const struct card *c = it->card;
			json_t *o = json_object();
			json_t *x = extras_json(c);
			const char *uid = folder_uid_ok(it->uid) ? it->uid : folder_uid_new(a);

			json_object_set_new(o, "u", json_string(uid));
			json_object_set_new(o, "d", card_to_json(c));
			if (x)
				json_object_set_new(o, "x", x);
			json_object_set_new(o, "n", json_string(c->full_name));
			const char *search = card_search_text(c, a), *fold = stored_fold(search, a);
			json_object_set_new(o, "s", json_string(search));
			if (fold)
				json_object_set_new(o, "sf", json_string(fold));
			json_object_set_new(o, "ps", json_string(tile_phone_shown(c, a)));
			json_object_set_new(o, "no", json_string(it->notes ? it->notes : ""));
			if (it->image[FOLDER_FRONT])
				json_object_set_new(o, "f", json_string(it->image[FOLDER_FRONT]));
			if (it->image[FOLDER_BACK])
				json_object_set_new(o, "b", json_string(it->image[FOLDER_BACK]));
			if (it->source_card_id > 0) {
				json_object_set_new(o, "c", json_integer(it->source_card_id));
				json_object_set_new(o, "r", json_integer(it->synced_revision));
				if (it->owner_user_id > 0)
					json_object_set_new(o, "o", json_integer(it->owner_user_id));
			}
			json_object_set_new(o, "q", json_integer(seq + (long long)i));
			json_array_append_new(doc, o);
		}
		text = dumps(doc, a);
		if (text == NULL)
			return ERR_INTERNAL;
		e = db_exec(db,
			"INSERT INTO folder_entries (holder_id, uid, data, extras, full_name, search_text, "
			"search_fold, tile_phone_shown, notes, front_image, back_image, source_card_id, synced_revision, "
			"owner_user_id, owner_is_member, change_seq, created_at, updated_at) "
			"SELECT ?, j.u, j.d, j.x, j.n, j.s, CONVERT(j.sf USING binary), j.ps, j.no, j.f, j.b, j.c, j.r, j.o, j.o IS NOT NULL, j.q, "
			"UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM JSON_TABLE(?, '$[*]' COLUMNS ("
			"ord FOR ORDINALITY, "
			"u VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin PATH '$.u', "
			"d JSON PATH '$.d', x JSON PATH '$.x', "
			"n VARCHAR(200) CHARACTER SET utf8mb4 PATH '$.n', "
			"s TEXT CHARACTER SET utf8mb4 PATH '$.s', sf TEXT CHARACTER SET utf8mb4 PATH '$.sf', "
			"ps TEXT CHARACTER SET utf8mb4 PATH '$.ps', "
			"no TEXT CHARACTER SET utf8mb4 PATH '$.no', "
			"f CHAR(64) CHARACTER SET ascii COLLATE ascii_bin PATH '$.f', "
			"b CHAR(64) CHARACTER SET ascii COLLATE ascii_bin PATH '$.b', "
			"c BIGINT UNSIGNED PATH '$.c', r INT UNSIGNED PATH '$.r', "
			"o BIGINT UNSIGNED PATH '$.o', q BIGINT UNSIGNED PATH '$.q')) j ORDER BY j.ord",
			"is", holder_id, text);
		if (e != ERR_OK)
			return e;
		e = db_query(db, a, &res,
			"SELECT j.ord, e.id FROM JSON_TABLE(?, '$[*]' COLUMNS (ord FOR ORDINALITY, "
			"u VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin PATH '$.u')) j "
			"JOIN folder_entries e ON e.holder_id = ? AND e.uid = j.u ORDER BY j.ord",
			"si", text, holder_id);
		if (e != ERR_OK)
			return e;
		if (res.nrows != m) {
			log_error("folder: inserted %zu entries but found %zu", m, res.nrows);
			return ERR_INTERNAL;
		}
		for (size_t i = 0; i < m; i++) {
			long long id = db_cell_int(&res, i, 1, 0);
			if (ids)
				ids[start + i] = id;
			if (lo == 0 || id < lo)
				lo = id;
			if (id > hi)
				hi = id;
		}
		/* keys and tags by the new ids: small documents, no second join */
		json_t *kdoc = json_array(), *tdoc = json_array();
		for (size_t i = 0; i < m; i++) {
			const struct folder_new *it = &items[start + i];
			long long id = db_cell_int(&res, i, 1, 0);
			json_t *keys = entry_keys(it->card, a);
			size_t k;
			json_t *v;
			json_array_foreach(keys, k, v)
				json_array_append_new(kdoc, json_pack("{s:I, s:O}", "i", (json_int_t)id, "k", v));
			json_decref(keys);
			for (k = 0; k < it->n_tags; k++)
				json_array_append_new(tdoc, json_pack("{s:I, s:s}", "i", (json_int_t)id, "t", it->tags[k]));
		}
		size_t n_tags = json_array_size(tdoc);
		const char *ktext = dumps(kdoc, a), *ttext = dumps(tdoc, a);
		if (ktext == NULL || ttext == NULL)
			return ERR_INTERNAL;
		e = db_exec(db,
			"INSERT INTO card_keys (entry_id, ckey, holder_id) SELECT j.i, j.k, ? "
			"FROM JSON_TABLE(?, '$[*]' COLUMNS (i BIGINT UNSIGNED PATH '$.i', "
			"k VARCHAR(260) CHARACTER SET ascii COLLATE ascii_bin PATH '$.k')) j",
			"is", holder_id, ktext);
		if (e == ERR_OK && n_tags)
			e = db_exec(db,
				"INSERT IGNORE INTO entry_tags (holder_id, tag, entry_id) SELECT ?, j.t, j.i "
				"FROM JSON_TABLE(?, '$[*]' COLUMNS (i BIGINT UNSIGNED PATH '$.i', "
				"t VARCHAR(100) CHARACTER SET utf8mb4 PATH '$.t')) j",
				"is", holder_id, ttext);
		/* the rows just written carry change_seq seq .. seq + m - 1 */
		if (e == ERR_OK)
			e = db_exec(db,
				"INSERT INTO folder_changes (holder_id, seq, entry_id, uid, deleted, created_at) "
				"SELECT holder_id, change_seq, id, uid, 0, UTC_TIMESTAMP() FROM folder_entries "
				"WHERE holder_id = ? AND id BETWEEN ? AND ? AND change_seq BETWEEN ? AND ?",
				"iiiii", holder_id, lo, hi, seq, seq + (long long)m - 1);
		if (e == ERR_OK)
			e = match_range(db, holder_id, lo, hi, 0);
		if (e != ERR_OK)
			return e;
	}
	return ERR_OK;
}

enum err folder_entry_insert(struct db *db, struct arena *a, long long holder_id,
			     const struct folder_new *in, long long *id)
{
	return folder_insert_entries(db, a, holder_id, in, 1, id);
}

/* --- reading entries ------------------------------------------------------*/

static long long cell_or(const struct db_result *r, size_t row, size_t col, long long def)
{
	return db_cell(r, row, col) ? db_cell_int(r, row, col, def) : def;
}

/* row_entry: fill *e from row i of an ENTRY_COLUMNS result. */
/* brief_card: the values of BRIEF_COLUMNS 23-27 as a card of one name,
 * title, organisation, first phone and first e-mail. */
static void brief_card(const struct db_result *r, size_t i, struct arena *a, struct card *c)
{
	const char *phone = db_cell(r, i, 26), *email = db_cell(r, i, 27);

	card_init(c);
	c->full_name = db_cell(r, i, 23) ? db_cell(r, i, 23) : "";
	c->title = db_cell(r, i, 24) ? db_cell(r, i, 24) : "";
	c->organization = db_cell(r, i, 25) ? db_cell(r, i, 25) : "";
	if (phone) {
		c->phones = arena_alloc(a, sizeof(*c->phones));
		memset(c->phones, 0, sizeof(*c->phones));
		c->phones[0].value = phone;
		c->n_phones = 1;
	}
	if (email) {
		c->emails = arena_alloc(a, sizeof(*c->emails));
		memset(c->emails, 0, sizeof(*c->emails));
		c->emails[0].value = email;
		c->n_emails = 1;
	}
}

/* How much of each entry's card a listing reads. */
enum list_mode {
	LIST_FULL,	/* the card parsed, extras included */
	LIST_BRIEF,	/* BRIEF_COLUMNS: what a list page shows; no card_json */
	LIST_JSON,	/* card_json only (the API answers with it); card empty */
};

/* row_entry_of: entry i of ENTRY_COLUMNS rows (LIST_FULL, LIST_JSON) or of
 * BRIEF_COLUMNS rows (LIST_BRIEF). */
static enum err row_entry_of(const struct db_result *r, size_t i, struct arena *a, enum list_mode mode,
			     struct folder_entry *e)
{
	json_error_t jerr;
	const char *tags = db_cell(r, i, 20);

	memset(e, 0, sizeof(*e));
	e->id = db_cell_int(r, i, 0, 0);
	e->holder_id = db_cell_int(r, i, 1, 0);
	e->uid = db_cell(r, i, 2);
	e->card_json = db_cell(r, i, 3);
	if (mode == LIST_BRIEF) {
		brief_card(r, i, a, &e->card);
		e->phone_shown = db_cell(r, i, 28);
	}
	else if (mode == LIST_JSON && e->card_json)
		card_init(&e->card);
	else if (folder_card_load(e->card_json, db_cell(r, i, 4), a, &e->card) != ERR_OK) {
		log_error("folder: entry %lld holds an invalid card", e->id);
		return ERR_INTERNAL;
	}
	e->notes = db_cell(r, i, 5) ? db_cell(r, i, 5) : "";
	e->image[FOLDER_FRONT] = db_cell(r, i, 6);
	e->image[FOLDER_BACK] = db_cell(r, i, 7);
	e->source_card_id = cell_or(r, i, 8, 0);
	e->synced_revision = cell_or(r, i, 9, -1);
	e->declined_revision = cell_or(r, i, 10, -1);
	e->latest_revision = e->source_card_id ? cell_or(r, i, 11, -1) : -1;
	e->auto_update = (int)cell_or(r, i, 12, -1);
	e->auto_update_effective = e->auto_update >= 0 ? e->auto_update : (int)cell_or(r, i, 13, 0);
	e->owner_user_id = cell_or(r, i, 14, 0);
	e->owner_is_member = (int)cell_or(r, i, 15, 0);
	e->owner_saved_my_card = (int)cell_or(r, i, 16, 0);
	e->link_offer = (int)cell_or(r, i, 22, 0);
	e->change_seq = cell_or(r, i, 17, 0);
	e->created_at = db_cell(r, i, 18);
	e->updated_at = db_cell(r, i, 19);
	if (tags) {
		json_t *arr = json_loads(tags, 0, &jerr);
		size_t k;
		json_t *v;
		e->tags = arena_alloc(a, (json_array_size(arr) + 1) * sizeof(*e->tags));
		json_array_foreach(arr, k, v) {
			if (json_is_string(v))
				e->tags[e->n_tags++] = arena_strdup(a, json_string_value(v));
		}
		json_decref(arr);
	}
	return ERR_OK;
}

static enum err row_entry(const struct db_result *r, size_t i, struct arena *a, struct folder_entry *e)
{
	return row_entry_of(r, i, a, LIST_FULL, e);
}

enum err folder_entry_get(struct db *db, struct arena *a, long long holder_id, long long id,
			  int lock, struct folder_entry *out)
{
	struct db_result res;
	enum err e;

	if (lock) {
		e = db_query(db, a, &res,
			     "SELECT id FROM folder_entries WHERE id = ? AND holder_id = ? FOR UPDATE",
			     "ii", id, holder_id);
		if (e != ERR_OK)
			return e;
		if (res.nrows == 0)
			return ERR_NOT_FOUND;
	}
	e = db_query(db, a, &res, "SELECT " ENTRY_COLUMNS ENTRY_FROM "WHERE e.id = ? AND e.holder_id = ?",
		     "ii", id, holder_id);
	if (e != ERR_OK)
		return e;
	if (res.nrows == 0)
		return ERR_NOT_FOUND;
	return row_entry(&res, 0, a, out);
}

/* --- changing entries -----------------------------------------------------*/

enum err folder_entry_update(struct db *db, struct arena *a, long long holder_id, long long id,
			     const struct folder_change *ch)
{
	struct folder_entry cur;
	long long seq, *before = NULL;
	size_t n_before = 0;
	const struct card *c;
	const char *img[FOLDER_SIDE__MAX];
	enum err e;

	if ((e = folder_entry_get(db, a, holder_id, id, 1, &cur)) != ERR_OK)
		return e;
	if (ch->card && (e = matched_users(db, a, id, &before, &n_before)) != ERR_OK)
		return e;
	if ((e = seq_reserve(db, a, holder_id, 1, &seq)) != ERR_OK)
		return e;
	c = ch->card ? ch->card : &cur.card;
	for (int s = 0; s < FOLDER_SIDE__MAX; s++)
		img[s] = ch->set_image[s] ? ch->image[s] : cur.image[s];
	json_t *x = extras_json(c);
	const char *search = card_search_text(c, a);
	e = db_exec(db,
		"UPDATE folder_entries SET data = ?, extras = ?, full_name = ?, search_text = ?, "
		"search_fold = CAST(? AS BINARY), tile_phone_shown = ?, notes = ?, front_image = ?, back_image = ?, "
		"synced_revision = IF(? > 0, ?, synced_revision), change_seq = ?, "
		"updated_at = UTC_TIMESTAMP() WHERE id = ? AND holder_id = ?",
		"sssssssssiiiii", ch->card ? card_json_text(c, a) : cur.card_json, x ? dumps(x, a) : NULL,
		c->full_name, search, stored_fold(search, a), tile_phone_shown(c, a), ch->notes ? ch->notes : cur.notes,
		img[FOLDER_FRONT], img[FOLDER_BACK], ch->synced_revision, ch->synced_revision, seq,
		id, holder_id);
	if (e == ERR_OK && ch->card) {
		e = db_exec(db, "DELETE FROM card_keys WHERE entry_id = ?", "i", id);
		if (e == ERR_OK)
			e = db_exec(db,
				"INSERT INTO card_keys (entry_id, ckey, holder_id) SELECT ?, j.k, ? "
				"FROM JSON_TABLE(?, '$[*]' COLUMNS (k VARCHAR(260) CHARACTER SET ascii "
				"COLLATE ascii_bin PATH '$')) j", "iis", id, holder_id,
				dumps(entry_keys(c, a), a));
	}
	if (e == ERR_OK && ch->set_tags) {
		e = db_exec(db, "DELETE FROM entry_tags WHERE entry_id = ?", "i", id);
		if (e == ERR_OK && ch->n_tags)
			e = db_exec(db,
				"INSERT IGNORE INTO entry_tags (holder_id, tag, entry_id) SELECT ?, j.t, ? "
				"FROM JSON_TABLE(?, '$[*]' COLUMNS (t VARCHAR(100) CHARACTER SET utf8mb4 "
				"PATH '$')) j", "iis", holder_id, id, dumps(tags_json(ch->tags, ch->n_tags), a));
	}
	if (e == ERR_OK)
		e = change_log(db, holder_id, seq, id, cur.uid, 0);
	if (e == ERR_OK && ch->card) {
		e = match_range(db, holder_id, id, id, 1);
		for (size_t i = 0; e == ERR_OK && i < n_before; i++)
			e = recompute_saved(db, before[i], holder_id);
	}
	return e;
}

enum err folder_entry_update_card(struct db *db, struct arena *a, long long holder_id,
				  long long id, const struct card *c)
{
	struct folder_change ch = {.card = c};
	return folder_entry_update(db, a, holder_id, id, &ch);
}

enum err folder_entry_delete(struct db *db, struct arena *a, long long holder_id, long long id)
{
	struct db_result res;
	long long seq, *before = NULL;
	size_t n_before = 0;
	enum err e;

	e = db_query(db, a, &res, "SELECT uid FROM folder_entries WHERE id = ? AND holder_id = ? FOR UPDATE",
		     "ii", id, holder_id);
	if (e != ERR_OK)
		return e;
	if (res.nrows == 0)
		return ERR_NOT_FOUND;
	const char *uid = db_cell(&res, 0, 0);
	if ((e = matched_users(db, a, id, &before, &n_before)) != ERR_OK ||
	    (e = seq_reserve(db, a, holder_id, 1, &seq)) != ERR_OK)
		return e;
	e = db_exec(db, "DELETE FROM folder_entries WHERE id = ? AND holder_id = ?", "ii", id, holder_id);
	if (e == ERR_OK)
		e = change_log(db, holder_id, seq, id, uid, 1);
	for (size_t i = 0; e == ERR_OK && i < n_before; i++)
		e = recompute_saved(db, before[i], holder_id);
	return e;
}

/* --- duplicates -----------------------------------------------------------*/

enum err folder_find_duplicates(struct db *db, struct arena *a, long long holder_id,
				const struct card *const *cards, const char *const *uids,
				size_t n, long long *dup_ids)
{
	json_t *keys = json_array(), *ids = json_array();
	struct db_result res;
	enum err e;

	for (size_t i = 0; i < n; i++) {
		json_t *k = entry_keys(cards[i], a);
		size_t j;
		json_t *v;
		dup_ids[i] = 0;
		json_array_foreach(k, j, v)
			json_array_append_new(keys, json_pack("{s:I, s:O}", "i", (json_int_t)i, "k", v));
		json_decref(k);
		if (uids && folder_uid_ok(uids[i]))
			json_array_append_new(ids, json_pack("{s:I, s:s}", "i", (json_int_t)i, "u", uids[i]));
	}
	const char *ktext = dumps(keys, a), *utext = dumps(ids, a);
	if (ktext == NULL || utext == NULL)
		return ERR_INTERNAL;
	e = db_query(db, a, &res,
		"SELECT j.i, MIN(ck.entry_id) FROM JSON_TABLE(?, '$[*]' COLUMNS (i INT PATH '$.i', "
		"k VARCHAR(260) CHARACTER SET ascii COLLATE ascii_bin PATH '$.k')) j "
		"JOIN card_keys ck ON ck.holder_id = ? AND ck.ckey = j.k GROUP BY j.i "
		"UNION ALL SELECT j.i, e.id FROM JSON_TABLE(?, '$[*]' COLUMNS (i INT PATH '$.i', "
		"u VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin PATH '$.u')) j "
		"JOIN folder_entries e ON e.holder_id = ? AND e.uid = j.u",
		"sisi", ktext, holder_id, utext, holder_id);
	if (e != ERR_OK)
		return e;
	for (size_t r = 0; r < res.nrows; r++) {
		long long i = db_cell_int(&res, r, 0, -1), id = db_cell_int(&res, r, 1, 0);
		if (i >= 0 && (size_t)i < n && id > 0 && (dup_ids[i] == 0 || id < dup_ids[i]))
			dup_ids[i] = id;
	}
	return ERR_OK;
}

/* --- listing --------------------------------------------------------------*/

enum err folder_saved_count(struct db *db, struct arena *a, long long holder_id, long long *n)
{
	struct db_result res;
	enum err e = db_query(db, a, &res, "SELECT COUNT(*) FROM folder_entries WHERE holder_id = ?",
			      "i", holder_id);
	*n = e == ERR_OK ? db_cell_int(&res, 0, 0, 0) : 0;
	return e;
}

enum err folder_tags_all(struct db *db, struct arena *a, long long holder_id,
			 const char ***tags, long long **counts, size_t *n)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT tag, COUNT(*) FROM entry_tags WHERE holder_id = ? GROUP BY tag ORDER BY tag",
		"i", holder_id);
	if (e != ERR_OK)
		return e;
	*tags = arena_alloc(a, (res.nrows + 1) * sizeof(**tags));
	*counts = arena_alloc(a, (res.nrows + 1) * sizeof(**counts));
	for (size_t i = 0; i < res.nrows; i++) {
		(*tags)[i] = db_cell(&res, i, 0);
		(*counts)[i] = db_cell_int(&res, i, 1, 0);
	}
	*n = res.nrows;
	return ERR_OK;
}

/* The cursor: base64url of "<id>:<full_name>" of the last entry shown. */
static const char *cursor_make(struct arena *a, long long id, const char *full_name)
{
	const char *raw = arena_printf(a, "%lld:%s", id, full_name ? full_name : "");
	size_t len = strlen(raw);
	size_t cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(a, cap);

	sodium_bin2base64(out, cap, (const unsigned char *)raw, len,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

static int cursor_read(struct arena *a, const char *cursor, long long *id, const char **name)
{
	size_t n = strlen(cursor), len = 0;
	unsigned char *buf = arena_alloc(a, n + 1);
	char *end;

	if (n == 0 || n > 400 ||
	    sodium_base642bin(buf, n, cursor, n, NULL, &len, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return -1;
	buf[len] = '\0';
	if (strlen((char *)buf) != len)
		return -1;
	*id = strtoll((char *)buf, &end, 10);
	if (end == (char *)buf || *end != ':' || *id <= 0 || !utf8_valid(end + 1, strlen(end + 1)))
		return -1;
	*name = end + 1;
	return 0;
}

#define SEARCH_WORDS 5

/* like_pattern: "%s%" with LIKE's wildcards escaped by '!'; lower: A-Z
 * lower-cased (a pattern for search_text, which card_search_text writes
 * lower-cased), else as it is (a pattern for search_fold, already folded). */
static const char *like_pattern(struct arena *a, const char *s, size_t n, int lower)
{
	char *p = arena_alloc(a, 2 * n + 3), *o = p;

	*o++ = '%';
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%' || c == '_' || c == '!')
			*o++ = '!';
		*o++ = (char)(lower && c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	*o++ = '%';
	*o = '\0';
	return p;
}

/* The patterns of one word slot: either of two may match (a phone number
 * as typed: its digits or its E.164 form), each for search_fold (FOLD_*,
 * folded) and for search_text (TEXT_*). A second pattern that is the first
 * again is NULL: `x LIKE NULL` is NULL, so the OR gives what it gave, and
 * MariaDB does not compare the text twice. */
enum { FOLD_A, FOLD_B, TEXT_A, TEXT_B, SLOT_PATTERNS };

/* slot_set: the slot's patterns for the texts x and y (x again: one). */
static void slot_set(struct arena *a, const char *pat[SLOT_PATTERNS], const char *x, size_t nx,
		     const char *y, size_t ny)
{
	int same = nx == ny && memcmp(x, y, nx) == 0;
	const char *fx = search_fold(arena_strndup(a, x, nx), a);

	pat[FOLD_A] = like_pattern(a, fx, strlen(fx), 0);
	pat[TEXT_A] = like_pattern(a, x, nx, 1);
	if (same) {
		pat[FOLD_B] = pat[TEXT_B] = NULL;
		return;
	}
	const char *fy = search_fold(arena_strndup(a, y, ny), a);
	pat[FOLD_B] = like_pattern(a, fy, strlen(fy), 0);
	pat[TEXT_B] = like_pattern(a, y, ny, 1);
}

/* search_patterns: the patterns of each word slot; a slot without a word
 * matches everything ("%"). */
static void search_patterns(struct arena *a, const char *q, const char *cc,
			    const char *pat[SEARCH_WORDS][SLOT_PATTERNS])
{
	size_t slot = 0, digits = 0;
	int phoneish = 1;

	for (size_t i = 0; i < SEARCH_WORDS; i++) {
		pat[i][FOLD_A] = pat[i][TEXT_A] = "%";
		pat[i][FOLD_B] = pat[i][TEXT_B] = NULL;
	}
	if (q == NULL || *q == '\0')
		return;
	for (const char *p = q; *p; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (!strchr(" +-().,/", *p))
			phoneish = 0;
	}
	if (phoneish && digits >= 3) {
		/* a number as people type it: its E.164 form, or its digits */
		char *d = arena_alloc(a, digits + 1), *o = d;
		const char *e164 = phone_normalize(q, cc, a);
		for (const char *p = q; *p; p++)
			if (isdigit((unsigned char)*p))
				*o++ = *p;
		*o = '\0';
		if (e164 == NULL)
			e164 = d;
		slot_set(a, pat[0], d, strlen(d), e164, strlen(e164));
		return;
	}
	while (*q && slot < SEARCH_WORDS) {
		size_t n;
		while (*q == ' ' || *q == '\t' || *q == ',')
			q++;
		n = strcspn(q, " \t,");
		if (n == 0)
			break;
		slot_set(a, pat[slot], q, n, q, n);
		slot++;
		q += n;
	}
}

/* LIST_WHERE: the holder's entries, with the tag (? = '': any) and every
 * word slot's patterns. An entry's search_fold (sql/021_search_fold.sql)
 * is compared as bytes, which finds what search_text LIKE finds under
 * utf8mb4_unicode_ci (lib/searchfold.h) at a fraction of the cost, and on
 * the folder_entries_search index (holder_id, full_name, id, search_fold):
 * MariaDB tests these conditions on the index (index condition pushdown)
 * and reads only the matching rows. Entries without search_fold (written
 * before 021, or by `livecardctl seed`, or whose fold is too long) are
 * compared by search_text as before. Parameters: holder, tag, tag, then
 * SEARCH_PATTERN_ARGS. */
#define SEARCH_SLOT_FOLD \
	"AND (e.search_fold LIKE CAST(? AS BINARY) ESCAPE '!' OR e.search_fold LIKE CAST(? AS BINARY) ESCAPE '!' " \
	"OR e.search_fold IS NULL) "
#define SEARCH_SLOT_TEXT \
	"AND (e.search_fold IS NOT NULL OR e.search_text LIKE ? ESCAPE '!' OR e.search_text LIKE ? ESCAPE '!') "
#define LIST_WHERE \
	"WHERE e.holder_id = ? AND (? = '' OR EXISTS (SELECT 1 FROM entry_tags t " \
	"WHERE t.holder_id = e.holder_id AND t.tag = ? AND t.entry_id = e.id)) " \
	SEARCH_SLOT_FOLD SEARCH_SLOT_FOLD SEARCH_SLOT_FOLD SEARCH_SLOT_FOLD SEARCH_SLOT_FOLD \
	SEARCH_SLOT_TEXT SEARCH_SLOT_TEXT SEARCH_SLOT_TEXT SEARCH_SLOT_TEXT SEARCH_SLOT_TEXT
#define SEARCH_PATTERN_TYPES "ssssssssssssssssssss"
#define SEARCH_PATTERN_ARGS(p) \
	p[0][FOLD_A], p[0][FOLD_B], p[1][FOLD_A], p[1][FOLD_B], p[2][FOLD_A], p[2][FOLD_B], \
	p[3][FOLD_A], p[3][FOLD_B], p[4][FOLD_A], p[4][FOLD_B], \
	p[0][TEXT_A], p[0][TEXT_B], p[1][TEXT_A], p[1][TEXT_B], p[2][TEXT_A], p[2][TEXT_B], \
	p[3][TEXT_A], p[3][TEXT_B], p[4][TEXT_A], p[4][TEXT_B]

/* by_id: the entries of a page ordered by id, for list_tags and list_offers. */
static int by_id_cmp(const void *x, const void *y)
{
	long long i = (*(struct folder_entry *const *)x)->id, j = (*(struct folder_entry *const *)y)->id;
	return i < j ? -1 : i > j;
}

static struct folder_entry *by_id_find(struct folder_entry **sorted, size_t n, long long id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sorted[mid]->id == id)
			return sorted[mid];
		if (sorted[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ids_json: the ids of the n entries of sorted for which pick is true
 * (NULL: all) as a JSON array of numbers, "[3,5,8]", written directly (a
 * jansson array of 500 numbers was 8 % of the 500-entry page); NULL when
 * none is picked. */
static const char *ids_json(struct arena *a, struct folder_entry **sorted, size_t n,
			    int (*pick)(const struct folder_entry *))
{
	char *buf = arena_alloc(a, n * 21 + 3), *o = buf;
	size_t k = 0;

	*o++ = '[';
	for (size_t i = 0; i < n; i++) {
		if (pick && !pick(sorted[i]))
			continue;
		char digits[24];
		size_t d = 0;
		unsigned long long v = sorted[i]->id > 0 ? (unsigned long long)sorted[i]->id : 0;
		do
			digits[d++] = (char)('0' + v % 10);
		while ((v /= 10) != 0);
		if (k++)
			*o++ = ',';
		while (d)
			*o++ = digits[--d];
	}
	*o++ = ']';
	*o = '\0';
	return k ? buf : NULL;
}

/* list_tags: the tags of the page's entries (ids: their ids as a JSON
 * array), sorted as folder_entry_get's JSON_ARRAYAGG sorts them: one
 * indexed query for the page. */
static enum err list_tags(struct db *db, struct arena *a, struct folder_entry **sorted, size_t n,
			  const char *ids)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT t.entry_id, t.tag FROM JSON_TABLE(?, '$[*]' COLUMNS (i BIGINT UNSIGNED PATH '$')) j "
		"JOIN entry_tags t ON t.entry_id = j.i ORDER BY t.entry_id, t.tag", "s", ids);

	if (e != ERR_OK)
		return e;
	for (size_t r = 0; r < res.nrows;) {
		long long id = db_cell_int(&res, r, 0, 0);
		size_t k = r;
		while (k < res.nrows && db_cell_int(&res, k, 0, 0) == id)
			k++;
		struct folder_entry *en = by_id_find(sorted, n, id);
		if (en) {
			en->tags = arena_alloc(a, (k - r + 1) * sizeof(*en->tags));
			for (size_t t = r; t < k; t++)
				if (db_cell(&res, t, 1))
					en->tags[en->n_tags++] = db_cell(&res, t, 1);
		}
		r = k;
	}
	return ERR_OK;
}

/* list_offers: link_offer of the page's entries. Only an unlinked entry
 * matched to a member can be an offer (the first terms of
 * FOLDER_LINK_OFFER), so the whole expression is asked of those only, in
 * one query; a page without such entries costs none. */
static int may_be_offer(const struct folder_entry *en)
{
	return en->source_card_id == 0 && en->owner_is_member && en->owner_user_id;
}

static enum err list_offers(struct db *db, struct arena *a, long long holder_id,
			    struct folder_entry **sorted, size_t n)
{
	struct db_result res;
	const char *ids = ids_json(a, sorted, n, may_be_offer);
	enum err e;

	if (ids == NULL)
		return ERR_OK;
	e = db_query(db, a, &res,
		"SELECT e.id FROM JSON_TABLE(?, '$[*]' COLUMNS (i BIGINT UNSIGNED PATH '$')) j "
		"JOIN folder_entries e ON e.id = j.i WHERE e.holder_id = ? AND " FOLDER_LINK_OFFER("e"),
		"si", ids, holder_id);
	if (e != ERR_OK)
		return e;
	for (size_t r = 0; r < res.nrows; r++) {
		struct folder_entry *en = by_id_find(sorted, n, db_cell_int(&res, r, 0, 0));
		if (en)
			en->link_offer = 1;
	}
	return ERR_OK;
}

/* list_extras: the tags (unless any_tags is 0: the holder has none) and
 * link offers of a page read by LIST_COLUMNS or BRIEF_COLUMNS. */
static enum err list_extras(struct db *db, struct arena *a, long long holder_id, int any_tags,
			   struct folder_page *pg)
{
	struct folder_entry **sorted;
	const char *ids;
	enum err e;

	if (pg->n == 0)
		return ERR_OK;
	sorted = arena_alloc(a, pg->n * sizeof(*sorted));
	for (size_t i = 0; i < pg->n; i++)
		sorted[i] = &pg->entries[i];
	qsort(sorted, pg->n, sizeof(*sorted), by_id_cmp);
	if ((ids = ids_json(a, sorted, pg->n, NULL)) == NULL)
		return ERR_INTERNAL;
	if (any_tags && (e = list_tags(db, a, sorted, pg->n, ids)) != ERR_OK)
		return e;
	return list_offers(db, a, holder_id, sorted, pg->n);
}

static enum err list(struct db *db, struct arena *a, long long holder_id, const char *q,
		     const char *tag, const char *cursor, long long limit,
		     const char *default_country, enum list_mode mode, int any_tags,
		     struct folder_page *out, struct errinfo *ei)
{
	int brief = mode == LIST_BRIEF;
	const char *pat[SEARCH_WORDS][SLOT_PATTERNS];
	struct db_result res;
	long long after_id = 0;
	const char *after_name = NULL;
	enum err e;

	memset(out, 0, sizeof(*out));
	if (limit < 1 || limit > 500)
		limit = 50;
	if (cursor && *cursor && cursor_read(a, cursor, &after_id, &after_name) != 0)
		return errinfo_set(ei, ERR_BAD_REQUEST, "invalid_cursor", "cursor", "not a cursor of this list");
	if (tag == NULL)
		tag = "";
	search_patterns(a, q, default_country, pat);
	if (after_name == NULL && brief)
		e = db_query(db, a, &res,
			"SELECT " BRIEF_COLUMNS LIST_FROM LIST_WHERE
			"ORDER BY e.full_name, e.id LIMIT ?",
			"iss" SEARCH_PATTERN_TYPES "i", holder_id, tag, tag, SEARCH_PATTERN_ARGS(pat), limit + 1);
	else if (brief)
		e = db_query(db, a, &res,
			"SELECT " BRIEF_COLUMNS LIST_FROM LIST_WHERE
			"AND (e.full_name > ? OR (e.full_name = ? AND e.id > ?)) "
			"ORDER BY e.full_name, e.id LIMIT ?",
			"iss" SEARCH_PATTERN_TYPES "ssii", holder_id, tag, tag, SEARCH_PATTERN_ARGS(pat),
			after_name, after_name, after_id, limit + 1);
	else if (after_name == NULL)
		e = db_query(db, a, &res,
			"SELECT " LIST_COLUMNS LIST_FROM LIST_WHERE
			"ORDER BY e.full_name, e.id LIMIT ?",
			"iss" SEARCH_PATTERN_TYPES "i", holder_id, tag, tag, SEARCH_PATTERN_ARGS(pat), limit + 1);
	else
		e = db_query(db, a, &res,
			"SELECT " LIST_COLUMNS LIST_FROM LIST_WHERE
			"AND (e.full_name > ? OR (e.full_name = ? AND e.id > ?)) "
			"ORDER BY e.full_name, e.id LIMIT ?",
			"iss" SEARCH_PATTERN_TYPES "ssii", holder_id, tag, tag, SEARCH_PATTERN_ARGS(pat),
			after_name, after_name, after_id, limit + 1);
	if (e != ERR_OK)
		return e;
	size_t n = res.nrows > (size_t)limit ? (size_t)limit : res.nrows;
	out->entries = arena_alloc(a, (n + 1) * sizeof(*out->entries));
	for (size_t i = 0; i < n; i++)
		if ((e = row_entry_of(&res, i, a, mode, &out->entries[i])) != ERR_OK)
			return e;
	out->n = n;
	if (res.nrows > (size_t)limit)
		out->next_cursor = cursor_make(a, out->entries[n - 1].id, db_cell(&res, n - 1, 21));
	return list_extras(db, a, holder_id, any_tags, out);
}

enum err folder_list(struct db *db, struct arena *a, long long holder_id, const char *q,
		     const char *tag, const char *cursor, long long limit,
		     const char *default_country, struct folder_page *out, struct errinfo *ei)
{
	return list(db, a, holder_id, q, tag, cursor, limit, default_country, LIST_FULL, 1, out, ei);
}

enum err folder_list_json(struct db *db, struct arena *a, long long holder_id, const char *q,
			  const char *tag, const char *cursor, long long limit,
			  const char *default_country, struct folder_page *out, struct errinfo *ei)
{
	return list(db, a, holder_id, q, tag, cursor, limit, default_country, LIST_JSON, 1, out, ei);
}

enum err folder_list_brief(struct db *db, struct arena *a, long long holder_id, const char *q,
			   const char *tag, const char *cursor, long long limit,
			   const char *default_country, int any_tags, struct folder_page *out,
			   struct errinfo *ei)
{
	return list(db, a, holder_id, q, tag, cursor, limit, default_country, LIST_BRIEF, any_tags, out, ei);
}

enum err folder_view_seq(struct db *db, struct arena *a, long long holder_id, long long *seq)
{
	struct db_result res;
	enum err e = db_query(db, a, &res, "SELECT view_seq FROM folder_views WHERE holder_id = ?",
			      "i", holder_id);
	*seq = e == ERR_OK && res.nrows ? db_cell_int(&res, 0, 0, 0) : 0;
	return e;
}

/* --- JSON -------------------------------------------------------------------*/

const char *folder_image_url(struct arena *a, long long id, enum folder_side side, const char *hash)
{
	return arena_printf(a, "/api/v1/folder/%lld/images/%s?v=%s", id, folder_side_name(side), hash);
}

static json_t *time_json(struct arena *a, const char *dbtime)
{
	const char *t = json_time(a, dbtime);
	return t ? json_string(t) : json_null();
}

/* entry_object: folder_entry_json with card as the value of "card". */
static json_t *entry_object(const struct folder_entry *e, struct arena *a, json_t *card)
{
	json_t *o = json_object(), *images = json_object();
	int linked = e->source_card_id > 0;
	int pending = linked && e->latest_revision >= 0 && e->synced_revision < e->latest_revision &&
		      (e->declined_revision < 0 || e->declined_revision < e->latest_revision);

	json_object_set_new(o, "id", json_integer(e->id));
	json_object_set_new(o, "uid", json_string(e->uid ? e->uid : ""));
	json_object_set_new(o, "card", card);
	json_object_set_new(o, "owner_is_member", json_boolean(e->owner_is_member));
	json_object_set_new(o, "owner_saved_my_card", json_boolean(e->owner_saved_my_card));
	json_object_set_new(o, "linked", json_boolean(linked));
	json_object_set_new(o, "synced_revision", linked && e->synced_revision >= 0 ?
			    json_integer(e->synced_revision) : json_null());
	json_object_set_new(o, "latest_revision", linked && e->latest_revision >= 0 ?
			    json_integer(e->latest_revision) : json_null());
	json_object_set_new(o, "update_pending", json_boolean(pending));
	json_object_set_new(o, "auto_update", json_boolean(e->auto_update_effective));
	json_object_set_new(o, "link_offer", json_boolean(e->link_offer));
	json_object_set_new(o, "tags", tags_json(e->tags, e->n_tags));
	json_object_set_new(o, "notes", json_string(e->notes ? e->notes : ""));
	for (int s = 0; s < FOLDER_SIDE__MAX; s++)
		json_object_set_new(images, side_names[s], e->image[s] ?
				    json_string(folder_image_url(a, e->id, (enum folder_side)s, e->image[s])) :
				    json_null());
	json_object_set_new(o, "images", images);
	json_object_set_new(o, "created_at", time_json(a, e->created_at));
	json_object_set_new(o, "updated_at", time_json(a, e->updated_at));
	return o;
}

json_t *folder_entry_json(const struct folder_entry *e, struct arena *a)
{
	json_error_t jerr;
	json_t *card = e->card_json ? json_loads(e->card_json, 0, &jerr) : NULL;

	return entry_object(e, a, card ? card : card_to_json(&e->card));
}

/* entry_text: folder_entry_json_text written member by member with the
 * card's text (card, already in ENSURE_ASCII form) copied in; NULL when a
 * string is not strict UTF-8 (jansson would leave that member out: the
 * caller lets it write the entry). */
static const char *entry_text(const struct folder_entry *e, struct arena *a, const char *card)
{
	const char *uid = e->uid ? e->uid : "", *notes = e->notes ? e->notes : "";
	const char *img[FOLDER_SIDE__MAX], *created = json_time(a, e->created_at),
		   *updated = json_time(a, e->updated_at);
	int linked = e->source_card_id > 0;
	int pending = linked && e->latest_revision >= 0 && e->synced_revision < e->latest_revision &&
		      (e->declined_revision < 0 || e->declined_revision < e->latest_revision);
	/* the fixed text and the numbers (at most 20 digits each) take < 400 bytes */
	size_t cap = 400 + strlen(card) + JSONW_STRING_MAX(strlen(uid)) + JSONW_STRING_MAX(strlen(notes));

	for (size_t i = 0; i < e->n_tags; i++)
		cap += 1 + JSONW_STRING_MAX(strlen(e->tags[i]));
	for (int s = 0; s < FOLDER_SIDE__MAX; s++) {
		img[s] = e->image[s] ? folder_image_url(a, e->id, (enum folder_side)s, e->image[s]) : NULL;
		cap += img[s] ? JSONW_STRING_MAX(strlen(img[s])) : 4;
	}
	cap += (created ? JSONW_STRING_MAX(strlen(created)) : 4) + (updated ? JSONW_STRING_MAX(strlen(updated)) : 4);
	struct jsonw w = {arena_alloc(a, cap), 0};
	char *out = w.o;

	JSONW_LIT(&w, "{\"id\":");
	jsonw_int(&w, e->id);
	JSONW_LIT(&w, ",\"uid\":");
	jsonw_str(&w, uid);
	JSONW_LIT(&w, ",\"card\":");
	jsonw_raw(&w, card, strlen(card));
	JSONW_LIT(&w, ",\"owner_is_member\":");
	jsonw_bool(&w, e->owner_is_member);
	JSONW_LIT(&w, ",\"owner_saved_my_card\":");
	jsonw_bool(&w, e->owner_saved_my_card);
	JSONW_LIT(&w, ",\"linked\":");
	jsonw_bool(&w, linked);
	JSONW_LIT(&w, ",\"synced_revision\":");
	if (linked && e->synced_revision >= 0)
		jsonw_int(&w, e->synced_revision);
	else
		JSONW_LIT(&w, "null");
	JSONW_LIT(&w, ",\"latest_revision\":");
	if (linked && e->latest_revision >= 0)
		jsonw_int(&w, e->latest_revision);
	else
		JSONW_LIT(&w, "null");
	JSONW_LIT(&w, ",\"update_pending\":");
	jsonw_bool(&w, pending);
	JSONW_LIT(&w, ",\"auto_update\":");
	jsonw_bool(&w, e->auto_update_effective);
	JSONW_LIT(&w, ",\"link_offer\":");
	jsonw_bool(&w, e->link_offer);
	JSONW_LIT(&w, ",\"tags\":[");
	for (size_t i = 0; i < e->n_tags; i++) {
		if (i > 0)
			JSONW_LIT(&w, ",");
		jsonw_str(&w, e->tags[i]);
	}
	JSONW_LIT(&w, "],\"notes\":");
	jsonw_str(&w, notes);
	JSONW_LIT(&w, ",\"images\":{\"front\":");
	jsonw_str(&w, img[FOLDER_FRONT]);
	JSONW_LIT(&w, ",\"back\":");
	jsonw_str(&w, img[FOLDER_BACK]);
	JSONW_LIT(&w, "},\"created_at\":");
	jsonw_str(&w, created);
	JSONW_LIT(&w, ",\"updated_at\":");
	jsonw_str(&w, updated);
	JSONW_LIT(&w, "}");
	return jsonw_end(&w) == 0 ? out : NULL;
}

const char *folder_entry_json_text(const struct folder_entry *e, struct arena *a)
{
	const char *card = card_json_ascii(e->card_json, a), *text = card ? entry_text(e, a, card) : NULL;

	return text ? text : dumps_ascii(folder_entry_json(e, a), a);
}

enum err folder_linked_copy(struct db *db, struct arena *a, long long holder_id, long long card_id,
			    int lock, long long *id)
{
	struct db_result res;
	enum err e = db_query(db, a, &res, lock ?
		"SELECT id FROM folder_entries WHERE holder_id = ? AND source_card_id = ? FOR UPDATE" :
		"SELECT id FROM folder_entries WHERE holder_id = ? AND source_card_id = ?",
		"ii", holder_id, card_id);

	*id = e == ERR_OK && res.nrows ? db_cell_int(&res, 0, 0, 0) : 0;
	return e;
}

enum err folder_unlinked_copy_offer(struct db *db, struct arena *a, long long holder_id,
				    long long owner_id, long long *id)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT id FROM folder_entries WHERE owner_user_id = ? AND holder_id = ? "
		"AND source_card_id IS NULL ORDER BY id LIMIT 1 FOR UPDATE", "ii", owner_id, holder_id);

	*id = e == ERR_OK && res.nrows ? db_cell_int(&res, 0, 0, 0) : 0;
	if (*id)
		e = db_exec(db, "UPDATE folder_entries SET dismissed_owner_id = NULL WHERE id = ?", "i", *id);
	return e;
}

/* --- folder_entries statements of other modules ---------------------------
 * Every statement that reads or writes folder_entries is a function of this
 * file (docs/architecture.md, "SQL"), called by the module that decides
 * when, inside that module's transaction: moving one here changes neither
 * lock order nor transaction boundaries. */

/* ids_doc: ids as a JSON array text (for JSON_TABLE), in a. */
static const char *ids_doc(struct arena *a, const long long *ids, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_integer(ids[i]));
	return dumps(arr, a);
}

/* ids_of: column 0 of res as an array in a. */
static void ids_of(const struct db_result *res, struct arena *a, long long **out, size_t *n)
{
	*out = arena_alloc(a, (res->nrows + 1) * sizeof(**out));
	*n = 0;
	for (size_t i = 0; i < res->nrows; i++)
		(*out)[(*n)++] = db_cell_int(res, i, 0, 0);
}

enum err folder_entry_owner(struct db *db, struct arena *a, long long entry_id, long long *holder_id,
			    long long *owner_id)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT holder_id, owner_user_id FROM folder_entries WHERE id = ?", "i", entry_id);

	*holder_id = *owner_id = 0;
	if (e != ERR_OK)
		return e;
	if (res.nrows == 0)
		return ERR_NOT_FOUND;
	*holder_id = db_cell_int(&res, 0, 0, 0);
	*owner_id = db_cell_int(&res, 0, 1, 0);
	return ERR_OK;
}

enum err folder_offers_among(struct db *db, struct arena *a, long long holder_id, const long long *ids,
			     size_t n, long long limit, long long **out, size_t *n_out)
{
	struct db_result res;
	const char *doc = ids_doc(a, ids, n);
	enum err e;

	*out = NULL;
	*n_out = 0;
	if (doc == NULL)
		return ERR_INTERNAL;
	e = db_query(db, a, &res,
		"SELECT e.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) j "
		"JOIN folder_entries e ON e.id = j.id WHERE e.holder_id = ? AND "
		FOLDER_LINK_OFFER("e") " ORDER BY e.id LIMIT ?", "sii", doc, holder_id, limit);
	if (e == ERR_OK)
		ids_of(&res, a, out, n_out);
	return e;
}

enum err folder_offers_among_count(struct db *db, struct arena *a, long long holder_id,
				   const long long *ids, size_t n, long long *count)
{
	struct db_result res;
	const char *doc = ids_doc(a, ids, n);
	enum err e;

	*count = 0;
	if (doc == NULL)
		return ERR_INTERNAL;
	e = db_query(db, a, &res,
		"SELECT COUNT(*) FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) j "
		"JOIN folder_entries e ON e.id = j.id WHERE e.holder_id = ? AND " FOLDER_LINK_OFFER("e"),
		"si", doc, holder_id);
	*count = e == ERR_OK && res.nrows ? db_cell_int(&res, 0, 0, 0) : 0;
	return e;
}

enum err folder_autolink_offers(struct db *db, struct arena *a, long long owner_id, const long long *ids,
				size_t n, long long limit, struct db_result *res)
{
	const char *doc = ids_doc(a, ids, n);

	if (doc == NULL)
		return ERR_INTERNAL;
	return db_query(db, a, res,
		"SELECT e.id, e.holder_id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) j "
		"JOIN folder_entries e ON e.id = j.id JOIN users u ON u.id = e.holder_id "
		"WHERE e.owner_user_id = ? AND e.holder_id <> ? AND u.auto_link_members = 1 AND "
		FOLDER_LINK_OFFER("e") " ORDER BY e.id LIMIT ?", "siii", doc, owner_id, owner_id, limit);
}

enum err folder_matched_per_holder(struct db *db, struct arena *a, long long owner_id, const long long *ids,
				   size_t n, struct db_result *res)
{
	const char *doc = ids_doc(a, ids, n);

	if (doc == NULL)
		return ERR_INTERNAL;
	return db_query(db, a, res,
		"SELECT e.holder_id, u.locale, SUM(e.source_card_id IS NOT NULL), SUM(e.source_card_id IS NULL) "
		"FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) j "
		"JOIN folder_entries e ON e.id = j.id JOIN users u ON u.id = e.holder_id "
		"WHERE e.owner_user_id = ? AND e.holder_id <> ? AND (e.source_card_id IS NOT NULL OR "
		FOLDER_LINK_OFFER("e") ") GROUP BY e.holder_id, u.locale", "sii", doc, owner_id, owner_id);
}

enum err folder_key_candidates(struct db *db, struct arena *a, const char *ckey, long long user_id,
			       long long **out, size_t *n)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT e.id FROM card_keys hit JOIN folder_entries e ON e.id = hit.entry_id "
		"WHERE hit.ckey = ? AND e.source_card_id IS NULL AND e.holder_id <> ? "
		"AND NOT (e.owner_user_id <=> ?)", "sii", ckey, user_id, user_id);

	*out = NULL;
	*n = 0;
	if (e == ERR_OK)
		ids_of(&res, a, out, n);
	return e;
}

enum err folder_key_match_owners(struct db *db, const char *ckey)
{
	return db_exec(db,
		"UPDATE folder_entries e JOIN (SELECT ck.entry_id, MIN(k.user_id) AS uid "
		"FROM card_keys hit JOIN card_keys ck ON ck.entry_id = hit.entry_id "
		"JOIN contact_keys k ON k.ckey = ck.ckey WHERE hit.ckey = ? GROUP BY ck.entry_id) m "
		"ON m.entry_id = e.id SET e.owner_user_id = m.uid, e.owner_is_member = 1 "
		"WHERE e.source_card_id IS NULL", "s", ckey);
}

enum err folder_key_unmatch(struct db *db, const char *ckey, long long user_id)
{
	return db_exec(db,
		"UPDATE folder_entries e JOIN card_keys hit ON hit.entry_id = e.id AND hit.ckey = ? "
		"LEFT JOIN (SELECT ck.entry_id, MIN(k.user_id) AS uid FROM card_keys h2 "
		"JOIN card_keys ck ON ck.entry_id = h2.entry_id JOIN contact_keys k ON k.ckey = ck.ckey "
		"WHERE h2.ckey = ? GROUP BY ck.entry_id) m ON m.entry_id = e.id "
		"SET e.owner_user_id = m.uid, e.owner_is_member = (m.uid IS NOT NULL), "
		"e.owner_saved_my_card = 0 WHERE e.source_card_id IS NULL AND e.owner_user_id = ?",
		"ssi", ckey, ckey, user_id);
}

enum err folder_key_saved_flags(struct db *db, const char *ckey)
{
	return db_exec(db,
		"UPDATE folder_entries e JOIN card_keys hit ON hit.entry_id = e.id AND hit.ckey = ? "
		"SET e.owner_saved_my_card = " FOLDER_SAVED_MY_CARD("e"), "s", ckey);
}

enum err folder_key_holder_flags(struct db *db, const char *ckey, long long holder_id)
{
	return db_exec(db,
		"UPDATE folder_entries f JOIN (SELECT DISTINCT holder_id FROM card_keys WHERE ckey = ?) h "
		"ON f.owner_user_id = h.holder_id SET f.owner_saved_my_card = " FOLDER_SAVED_MY_CARD("f")
		" WHERE f.holder_id = ?", "si", ckey, holder_id);
}

enum err folder_savers_of_key(struct db *db, long long owner_id, const char *ckey)
{
	return db_exec(db,
		"INSERT IGNORE INTO savers (owner_id, saver_id, how, since) "
		"SELECT ?, f.holder_id, 'search', MIN(f.created_at) FROM card_keys ck "
		"JOIN folder_entries f ON f.id = ck.entry_id WHERE ck.ckey = ? AND f.owner_user_id = ? "
		"AND f.holder_id <> ? AND " SAVERS_NOT_REMOVED("f.owner_user_id", "f.holder_id")
		" GROUP BY f.holder_id", "isii", owner_id, ckey, owner_id, owner_id);
}

enum err folder_savers_of_owner(struct db *db, long long owner_id)
{
	return db_exec(db,
		"INSERT IGNORE INTO savers (owner_id, saver_id, how, since) "
		"SELECT ?, f.holder_id, 'search', MIN(f.created_at) FROM folder_entries f "
		"FORCE INDEX (folder_entries_owner) WHERE f.owner_user_id = ? AND f.holder_id <> ? "
		"AND " SAVERS_NOT_REMOVED("f.owner_user_id", "f.holder_id") " GROUP BY f.holder_id",
		"iii", owner_id, owner_id, owner_id);
}

enum err folder_copies_of_owner(struct db *db, struct arena *a, long long holder_id, long long owner_id,
				long long **out, size_t *n)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT e.id FROM folder_entries e WHERE e.holder_id = ? AND (e.owner_user_id = ? "
		"OR e.source_card_id IN (SELECT c.id FROM cards c WHERE c.user_id = ?)) ORDER BY e.id FOR UPDATE",
		"iii", holder_id, owner_id, owner_id);

	*out = NULL;
	*n = 0;
	if (e == ERR_OK)
		ids_of(&res, a, out, n);
	return e;
}

enum err folder_entry_unshare(struct db *db, long long id, long long owner_id)
{
	return db_exec(db, "UPDATE folder_entries SET source_card_id = NULL, synced_revision = NULL, "
		       "declined_revision = NULL, dismissed_owner_id = ? WHERE id = ?", "ii", owner_id, id);
}

enum err folder_declined(struct db *db, struct arena *a, long long entry_id, unsigned *fields, long long *base)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT declined_fields, declined_base FROM folder_entries WHERE id = ?", "i", entry_id);

	*fields = 0;
	*base = -1;
	if (e != ERR_OK)
		return e;
	if (res.nrows == 0)
		return ERR_NOT_FOUND;
	*fields = (unsigned)db_cell_int(&res, 0, 0, 0);
	*base = db_cell(&res, 0, 1) ? db_cell_int(&res, 0, 1, 0) : -1;
	return ERR_OK;
}

enum err folder_entry_link(struct db *db, long long holder_id, long long id, long long card_id)
{
	return db_exec(db,
		"UPDATE folder_entries SET source_card_id = ?, synced_revision = 0, declined_revision = NULL, "
		"declined_fields = 0, declined_base = NULL, dismissed_owner_id = NULL "
		"WHERE id = ? AND holder_id = ? AND source_card_id IS NULL",
		"iii", card_id, id, holder_id);
}

enum err folder_offer_dismiss(struct db *db, long long holder_id, long long id)
{
	return db_exec(db, "UPDATE folder_entries SET dismissed_owner_id = owner_user_id "
		       "WHERE id = ? AND holder_id = ?", "ii", id, holder_id);
}

enum err folder_offers_after(struct db *db, struct arena *a, struct db_result *res, long long holder_id,
			     long long after_id, long long limit)
{
	return db_query(db, a, res,
		"SELECT e.id FROM folder_entries e WHERE e.holder_id = ? AND e.id > ? AND "
		FOLDER_LINK_OFFER("e") " ORDER BY e.id LIMIT ?", "iii", holder_id, after_id, limit);
}

enum err folder_offer_count(struct db *db, struct arena *a, long long holder_id, long long *n)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT COUNT(*) FROM folder_entries e WHERE e.holder_id = ? AND " FOLDER_LINK_OFFER("e"),
		"i", holder_id);

	*n = e == ERR_OK && res.nrows ? db_cell_int(&res, 0, 0, 0) : 0;
	return e;
}

enum err folder_declined_taken(struct db *db, long long entry_id, unsigned mask)
{
	long long keep = (long long)(~mask & 0xffffffffu);

	if (mask == 0)
		return ERR_OK;
	/* (written so that either order of assignment gives the same result) */
	return db_exec(db, "UPDATE folder_entries SET declined_base = IF((declined_fields & ?) = 0, NULL, "
		       "declined_base), declined_fields = declined_fields & ? WHERE id = ? AND declined_fields <> 0",
		       "iii", keep, keep, entry_id);
}

enum err folder_entry_synced(struct db *db, long long holder_id, long long id, long long revision)
{
	return db_exec(db, "UPDATE folder_entries SET synced_revision = ? WHERE id = ? AND holder_id = ? "
		       "AND (synced_revision IS NULL OR synced_revision < ?)", "iiii",
		       revision, id, holder_id, revision);
}

enum err folder_entry_decline(struct db *db, long long holder_id, long long id, unsigned fields,
			      long long revision)
{
	return db_exec(db, "UPDATE folder_entries SET "
		       "declined_base = IF(declined_fields = 0, COALESCE(synced_revision, 0), declined_base), "
		       "declined_fields = declined_fields | ?, declined_revision = ? WHERE id = ? AND holder_id = ?",
		       "iiii", (long long)fields, revision, id, holder_id);
}

enum err folder_entry_auto_update(struct db *db, long long holder_id, long long id, int on)
{
	return db_exec(db, "UPDATE folder_entries SET auto_update = ? WHERE id = ? AND holder_id = ?", "iii",
		       (long long)(on ? 1 : 0), id, holder_id);
}

/* behind: newer than the copy and not declined; with the flag 1 also the
 * copies whose holder declined the newest revision, or keeps declined
 * fields of an older one */
#define BEHIND_WHERE \
	"e.holder_id = ? AND e.source_card_id IS NOT NULL AND ((c.revision > COALESCE(e.synced_revision, 0) " \
	"AND (? = 1 OR e.declined_revision IS NULL OR e.declined_revision < c.revision)) " \
	"OR (? = 1 AND e.declined_fields <> 0)) "

enum err folder_behind_after(struct db *db, struct arena *a, struct db_result *res, long long holder_id,
			     int with_declined, long long after_id, long long limit)
{
	return db_query(db, a, res,
		"SELECT e.id FROM folder_entries e JOIN cards c ON c.id = e.source_card_id WHERE " BEHIND_WHERE
		"AND e.id > ? ORDER BY e.id LIMIT ?",
		"iiiii", holder_id, (long long)(with_declined ? 1 : 0), (long long)(with_declined ? 1 : 0),
		after_id, limit);
}

enum err folder_behind_count(struct db *db, struct arena *a, long long holder_id, long long *n)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT COUNT(*) FROM folder_entries e JOIN cards c ON c.id = e.source_card_id WHERE " BEHIND_WHERE,
		"iii", holder_id, 0LL, 0LL);

	*n = e == ERR_OK && res.nrows ? db_cell_int(&res, 0, 0, 0) : 0;
	return e;
}

enum err folder_entry_current(struct db *db, struct arena *a, long long holder_id, long long id, int *current)
{
	struct db_result res;
	enum err e = db_query(db, a, &res, "SELECT 1 FROM folder_entries e JOIN cards c "
			      "ON c.id = e.source_card_id WHERE e.id = ? AND e.holder_id = ? "
			      "AND COALESCE(e.synced_revision, 0) >= c.revision", "ii", id, holder_id);

	*current = e == ERR_OK && res.nrows;
	return e;
}

enum err folder_linked_chunk_end(struct db *db, struct arena *a, long long card_id, long long lo,
				 long long rows, long long *hi)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT MAX(id) FROM (SELECT id FROM folder_entries WHERE source_card_id = ? AND id > ? "
		"ORDER BY id LIMIT ?) t", "iii", card_id, lo, rows);

	*hi = e == ERR_OK && res.nrows ? db_cell_int(&res, 0, 0, 0) : 0;
	return e;
}

/* CardDAV reads entries as DAV_ROW_* rows (lib/dav.h, enum dav_col). */

enum err folder_dav_by_name(struct db *db, struct arena *a, struct db_result *res, long long holder,
			  const char *name, int full)
{
	return db_query(db, a, res, full ?
			"SELECT " DAV_ROW_FULL " FROM dav_names n JOIN folder_entries e ON e.id = n.entry_id "
			"AND e.holder_id = n.holder_id WHERE n.holder_id = ? AND n.name = ?" :
			"SELECT " DAV_ROW_LIGHT " FROM dav_names n JOIN folder_entries e ON e.id = n.entry_id "
			"AND e.holder_id = n.holder_id WHERE n.holder_id = ? AND n.name = ?", "is", holder, name);
}

enum err folder_dav_by_uid(struct db *db, struct arena *a, struct db_result *res, long long holder,
			 const char *uid, int full)
{
	return db_query(db, a, res, full ?
			"SELECT " DAV_ROW_FULL " FROM folder_entries e WHERE e.holder_id = ? AND e.uid = ?" :
			"SELECT " DAV_ROW_LIGHT " FROM folder_entries e WHERE e.holder_id = ? AND e.uid = ?",
			"is", holder, uid);
}

enum err folder_dav_by_id(struct db *db, struct arena *a, struct db_result *res, long long holder,
			long long id, int full)
{
	return db_query(db, a, res, full ?
			"SELECT " DAV_ROW_FULL " FROM folder_entries e WHERE e.holder_id = ? AND e.id = ?" :
			"SELECT " DAV_ROW_LIGHT " FROM folder_entries e WHERE e.holder_id = ? AND e.id = ?",
			"ii", holder, id);
}

enum err folder_entry_lock(struct db *db, struct arena *a, long long id)
{
	struct db_result res;
	enum err e = db_query(db, a, &res, "SELECT id FROM folder_entries WHERE id = ? FOR UPDATE", "i", id);

	if (e == ERR_OK && res.nrows == 0)
		e = ERR_NOT_FOUND;
	return e;
}

enum err folder_dav_scan(struct db *db, struct arena *a, struct db_result *res, long long holder,
		       const char *after, long long limit)
{
	return db_query(db, a, res, "SELECT " DAV_ROW_SCAN " FROM folder_entries e WHERE e.holder_id = ? "
			"AND e.uid > ? ORDER BY e.uid LIMIT ?", "isi", holder, after, limit);
}

enum err folder_dav_list(struct db *db, struct arena *a, struct db_result *res, long long holder)
{
	return db_query(db, a, res, "SELECT " DAV_ROW_LIGHT " FROM folder_entries e WHERE e.holder_id = ?",
			"i", holder);
}

enum err folder_dav_uid_taken(struct db *db, struct arena *a, struct db_result *res, long long holder,
			    const char *uid, long long self)
{
	return db_query(db, a, res, "SELECT " DAV_ROW_LIGHT " FROM folder_entries e "
			"WHERE e.holder_id = ? AND e.uid = ? AND e.id <> ?", "isi", holder, uid, self);
}

enum err folder_entry_set_uid(struct db *db, long long holder, long long id, const char *uid)
{
	return db_exec(db, "UPDATE folder_entries SET uid = ? WHERE id = ? AND holder_id = ?",
		       "sii", uid, id, holder);
}

enum err folder_entry_change_seq(struct db *db, struct arena *a, long long id, long long *seq)
{
	struct db_result res;
	enum err e = db_query(db, a, &res, "SELECT change_seq FROM folder_entries WHERE id = ?", "i", id);

	if (e == ERR_OK)
		*seq = db_cell_int(&res, 0, 0, 0);
	return e;
}

enum err folder_dav_by_list(struct db *db, struct arena *a, struct db_result *res, long long holder,
			  enum folder_dav_list k, const char *json, int full)
{
#define FROM_LIST(row, cols) "SELECT STRAIGHT_JOIN " row " FROM JSON_TABLE(?, '$[*]' COLUMNS (" cols "))"
#define NAME_COL "u VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin PATH '$'"
#define BY_NAMES " j JOIN dav_names n ON n.holder_id = ? AND n.name = j.u " \
		"JOIN folder_entries e ON e.id = n.entry_id AND e.holder_id = n.holder_id"
#define BY_UIDS " j JOIN folder_entries e ON e.holder_id = ? AND e.uid = j.u"
#define BY_IDS " j JOIN folder_entries e FORCE INDEX (PRIMARY) ON e.id = j.i AND e.holder_id = ?"
	static const char *const sql[3][2] = {
		[FOLDER_DAV_NAMES] = {FROM_LIST(DAV_ROW_LIGHT, NAME_COL) BY_NAMES,
				    FROM_LIST(DAV_ROW_FULL, NAME_COL) BY_NAMES},
		[FOLDER_DAV_UIDS] = {FROM_LIST(DAV_ROW_LIGHT, NAME_COL) BY_UIDS,
				   FROM_LIST(DAV_ROW_FULL, NAME_COL) BY_UIDS},
		[FOLDER_DAV_IDS] = {FROM_LIST(DAV_ROW_LIGHT, "i BIGINT PATH '$'") BY_IDS,
				  FROM_LIST(DAV_ROW_FULL, "i BIGINT PATH '$'") BY_IDS},
	};
	return db_query(db, a, res, sql[k][!!full], "si", json, holder);
}

enum err folder_dav_since(struct db *db, struct arena *a, struct db_result *res, long long holder,
			long long after, long long limit, int full)
{
	return db_query(db, a, res, full ?
			"SELECT " DAV_ROW_FULL " FROM folder_entries e WHERE e.holder_id = ? AND e.change_seq > ? "
			"ORDER BY e.change_seq LIMIT ?" :
			"SELECT " DAV_ROW_LIGHT " FROM folder_entries e WHERE e.holder_id = ? AND e.change_seq > ? "
			"ORDER BY e.change_seq LIMIT ?", "iii", holder, after, limit);
}

/* --- a fan-out chunk's linked copies (lib/updates.c) ------------------------
 * Set-based statements over the eligible entries of a chunk: each one
 * INSERT ... SELECT or UPDATE over (lo, hi], as the fan-out's bounded
 * transactions need. */

/* The entries of a chunk that are told about (and given) to_revision. */
#define ELIGIBLE \
	"e.source_card_id = ? AND e.id > ? AND e.id <= ? AND e.synced_revision < ? " \
	"AND (e.declined_revision IS NULL OR e.declined_revision < ?) "
#define ELIGIBLE_TYPES "iiiii"
#define ELIGIBLE_ARGS(c) (c)->card_id, (c)->lo, (c)->hi, (c)->to, (c)->to
#define AUTO "COALESCE(e.auto_update, u.auto_update_default, 0)"
#define ZH "(u.locale = 'zh-CN')"

/* Which eligible entries a statement writes for: with single 0, the
 * chunk's entries but those on automatic update whose update does not
 * start at the job's from revision (they caught up from an older
 * revision, or declined part of the job's window: their letters say what
 * their own update did, written one by one); with single an entry id,
 * that entry only. */
#define SCOPE \
	"AND IF(? = 0, NOT (" AUTO " = 1 AND GREATEST(COALESCE(e.synced_revision, 0), " \
	"COALESCE(e.declined_revision, 0)) <> ?), e.id = ?) "
#define SCOPE_TYPES "iii"
#define SCOPE_ARGS(c) (c)->single, (c)->from, (c)->single

enum err folder_chunk_hold(struct db *db, const struct folder_chunk *c)
{
	enum err e = db_exec(db, "UPDATE folder_entries e SET e.synced_revision = ? WHERE " ELIGIBLE
			     "AND e.synced_revision >= ?", "i" ELIGIBLE_TYPES "i", c->to, ELIGIBLE_ARGS(c), c->from);
	if (e == ERR_OK)
		e = db_exec(db, "UPDATE folder_entries e SET e.declined_revision = ? WHERE " ELIGIBLE
			    "AND e.synced_revision < ? AND e.declined_revision >= ?",
			    "i" ELIGIBLE_TYPES "ii", c->to, ELIGIBLE_ARGS(c), c->from, c->from);
	return e;
}

enum err folder_chunk_auto(struct db *db, struct arena *a, const struct folder_chunk *c, struct db_result *res)
{
	return db_query(db, a, res,
		"SELECT e.id, e.holder_id FROM folder_entries e JOIN users u ON u.id = e.holder_id WHERE "
		ELIGIBLE "AND " AUTO " = 1 ORDER BY e.id", ELIGIBLE_TYPES, ELIGIBLE_ARGS(c));
}

enum err folder_chunk_letters(struct db *db, const struct folder_chunk *c, const char *const letter[2][2])
{
	return db_exec(db,
		"INSERT IGNORE INTO notifications (user_id, kind, payload, dedupe_key, created_at) "
		"SELECT e.holder_id, IF(" AUTO " = 1, 'card.updated', 'card.update'), "
		"CONCAT('{\"entry_id\": ', e.id, ', \"url\": \"', IF(" AUTO " = 1, CONCAT('/folder/', e.id), '/updates'), "
		"'\", ', SUBSTR(ELT(1 + " AUTO " * 2 + " ZH ", ?, ?, ?, ?), 2)), "
		"CONCAT('upd:letter:', e.id, ':', ?), UTC_TIMESTAMP() "
		"FROM folder_entries e JOIN users u ON u.id = e.holder_id WHERE " ELIGIBLE SCOPE,
		"ssssi" ELIGIBLE_TYPES SCOPE_TYPES, letter[0][0], letter[0][1], letter[1][0], letter[1][1],
		c->to, ELIGIBLE_ARGS(c), SCOPE_ARGS(c));
}

enum err folder_chunk_letters_prune(struct db *db, const struct folder_chunk *c)
{
	return db_exec(db,
		"DELETE old FROM folder_entries e "
		"JOIN notifications nw ON nw.dedupe_key = CONCAT('upd:letter:', e.id, ':', ?) "
		"JOIN notifications old ON old.user_id = nw.user_id AND old.id < nw.id AND old.read_at IS NULL "
		"AND old.dedupe_key LIKE CONCAT('upd:letter:', e.id, ':%') "
		"WHERE e.source_card_id = ? AND e.id > ? AND e.id <= ?",
		"iiii", c->to, c->card_id, c->lo, c->hi);
}

/* probe_sql: per channel (outbox_channels[].wants) how many holders of
 * the chunk's eligible entries want it, then how many apply updates
 * automatically. */
static const char *probe_sql(void)
{
	static char sql[1024];
	static const char *text;

	if (text == NULL)
		text = outbox_wants_sql(sql, sizeof(sql), "SELECT ", "COALESCE(SUM(", "), 0), ",
					"COALESCE(SUM(" AUTO " = 1), 0) "
					"FROM folder_entries e JOIN users u ON u.id = e.holder_id WHERE " ELIGIBLE);
	return text;
}

enum err folder_chunk_probe(struct db *db, struct arena *a, const struct folder_chunk *c, struct db_result *res)
{
	const char *sql = probe_sql();

	return sql ? db_query(db, a, res, sql, ELIGIBLE_TYPES, ELIGIBLE_ARGS(c)) : ERR_INTERNAL;
}

enum err folder_chunk_email(struct db *db, const struct folder_chunk *c, const char *const subject[2][2],
			    const char *const body[2][2], const char *name_marker)
{
	return db_exec(db,
		"INSERT IGNORE INTO outbox (channel, recipient, subject, body, dedupe_key, status, "
		"next_attempt_at, created_at) "
		"SELECT 'email', u.email, ELT(1 + " AUTO " * 2 + " ZH ", ?, ?, ?, ?), "
		"REPLACE(ELT(1 + " AUTO " * 2 + " ZH ", ?, ?, ?, ?), ?, u.full_name), "
		"CONCAT('upd:email:', e.id, ':', ?), 'queued', UTC_TIMESTAMP(), UTC_TIMESTAMP() "
		"FROM folder_entries e JOIN users u ON u.id = e.holder_id WHERE " ELIGIBLE SCOPE
		"AND " OUTBOX_WANTS_EMAIL " "
		"AND NOT EXISTS (SELECT 1 FROM do_not_contact d WHERE d.ckey = CONCAT('e:', u.email))",
		"sssssssssi" ELIGIBLE_TYPES SCOPE_TYPES, subject[0][0], subject[0][1], subject[1][0],
		subject[1][1], body[0][0], body[0][1], body[1][0], body[1][1], name_marker, c->to,
		ELIGIBLE_ARGS(c), SCOPE_ARGS(c));
}

enum err folder_chunk_sms(struct db *db, const struct folder_chunk *c, const char *const sms[2][2],
			  const char *name_marker)
{
	return db_exec(db,
		"INSERT IGNORE INTO outbox (channel, recipient, subject, body, dedupe_key, status, "
		"next_attempt_at, created_at) "
		"SELECT 'sms', x.phone, '', REPLACE(ELT(1 + x.au * 2 + x.zh, ?, ?, ?, ?), ?, x.name), "
		"CONCAT('upd:sms:', x.id, ':', ?), 'queued', UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM ("
		"SELECT e.id, " AUTO " AS au, " ZH " AS zh, u.full_name AS name, "
		"(SELECT p.phone FROM user_phones p WHERE p.user_id = u.id AND p.verified_at IS NOT NULL "
		"ORDER BY p.verified_at, p.id LIMIT 1) AS phone "
		"FROM folder_entries e JOIN users u ON u.id = e.holder_id WHERE " ELIGIBLE SCOPE
		"AND " OUTBOX_WANTS_SMS ") x WHERE x.phone IS NOT NULL "
		"AND NOT EXISTS (SELECT 1 FROM do_not_contact d WHERE d.ckey = CONCAT('t:', x.phone))",
		"sssssi" ELIGIBLE_TYPES SCOPE_TYPES, sms[0][0], sms[0][1], sms[1][0], sms[1][1],
		name_marker, c->to, ELIGIBLE_ARGS(c), SCOPE_ARGS(c));
}

enum err folder_chunk_webhook(struct db *db, const struct folder_chunk *c, const char *const hook[2])
{
	return db_exec(db,
		"INSERT IGNORE INTO outbox (channel, recipient, subject, body, secret, dedupe_key, status, "
		"next_attempt_at, created_at) "
		"SELECT 'webhook', u.webhook_url, '', CONCAT('{\"entry_id\": ', e.id, ', ', SUBSTR(IF(" AUTO " = 1, ?, ?), 2)), "
		"u.webhook_secret, CONCAT('upd:webhook:', e.id, ':', ?), 'queued', UTC_TIMESTAMP(), UTC_TIMESTAMP() "
		"FROM folder_entries e JOIN users u ON u.id = e.holder_id WHERE " ELIGIBLE SCOPE
		"AND " OUTBOX_WANTS_WEBHOOK,
		"ssi" ELIGIBLE_TYPES SCOPE_TYPES, hook[1], hook[0], c->to, ELIGIBLE_ARGS(c), SCOPE_ARGS(c));
}
