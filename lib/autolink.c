/* autolink.c: issue 18, linking the cards of members automatically (users.auto_link_members) and the one letter about matched copies. */
#include "autolink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "folder.h"
#include "log.h"
#include "owncard.h"
#include "tmpl.h"
#include "updates.h"

enum err autolink_enabled(struct db *db, struct arena *a, long long holder_id, int *on)
{
	struct db_result res;
	enum err e = db_query(db, a, &res, "SELECT auto_link_members FROM users WHERE id = ?", "i", holder_id);

	*on = e == ERR_OK && res.nrows && db_cell_int(&res, 0, 0, 0) == 1;
	return e;
}

/* link_one: link entry id of holder's folder if it still is an offer
 * (another copy of the same card may have been linked just before: then
 * it is none, and that is no error); *done 1 when it was linked. */
static enum err link_one(struct db *db, struct arena *a, long long holder_id, long long id, int *done)
{
	struct updates_diff d;
	enum err e = updates_offer_diff(db, a, holder_id, id, 1, &d);

	*done = 0;
	if (e == ERR_CONFLICT || e == ERR_NOT_FOUND)
		return ERR_OK;
	if (e == ERR_OK)
		e = updates_link_notify(db, a, &d, 0);
	if (e == ERR_OK)
		*done = 1;
	return e;
}

enum err autolink_entries(struct db *db, struct arena *a, long long holder_id, const long long *ids,
			  size_t n, long long limit, long long *linked, long long *offers)
{
	long long done = 0, left = 0;
	int on = 0;
	enum err e;

	if (linked)
		*linked = 0;
	if (offers)
		*offers = 0;
	if (ids && n == 0)
		return ERR_OK;
	if ((e = autolink_enabled(db, a, holder_id, &on)) != ERR_OK)
		return e;
	if (!on && offers == NULL)
		return ERR_OK;	/* nothing to link, nobody asks how many are offered */
	if (on && limit > 0) {
		long long *todo = NULL;
		size_t n_todo = 0;
		int more = 0;
		if (ids) {
			e = folder_offers_among(db, a, holder_id, ids, n, limit, &todo, &n_todo);
		} else {
			e = updates_offers(db, a, holder_id, 0, limit, &todo, &n_todo, &more);
		}
		for (size_t i = 0; e == ERR_OK && i < n_todo; i++) {
			int one;
			e = link_one(db, a, holder_id, todo[i], &one);
			done += one;
		}
		if (e != ERR_OK)
			return e;
	}
	if (ids) {
		e = folder_offers_among_count(db, a, holder_id, ids, n, &left);
	} else {
		e = updates_offer_count(db, a, holder_id, &left);
	}
	if (e != ERR_OK)
		return e;
	if (done)
		log_info("autolink: user %lld linked %lld copies of members' cards (%lld offers left)",
			 holder_id, done, left);
	if (linked)
		*linked = done;
	if (offers)
		*offers = left;
	return ERR_OK;
}

/* --- the letter ------------------------------------------------------------*/

/* subst: text with "%N" replaced by n and "%M" by member, in a. */
static const char *subst(struct arena *a, const char *text, long long n, const char *member)
{
	size_t cap = strlen(text) + 32 + (member ? strlen(member) : 0) * 2 + 1, k = 0;
	char *out = arena_alloc(a, cap);

	for (const char *p = text; *p && k + 1 < cap; p++) {
		const char *put = NULL;
		char num[24];
		if (p[0] == '%' && p[1] == 'N') {
			snprintf(num, sizeof(num), "%lld", n);
			put = num;
		} else if (p[0] == '%' && p[1] == 'M') {
			put = member ? member : "";
		}
		if (put == NULL) {
			out[k++] = *p;
			continue;
		}
		size_t len = strlen(put);
		if (k + len + 1 > cap)
			break;
		memcpy(out + k, put, len);
		k += len;
		p++;
	}
	out[k] = '\0';
	return out;
}

/* matched_text: the letter's one line in locale: what was linked, then
 * what is offered (Lang.Updates.Matched.*; "One" forms for 1). */
static const char *matched_text(struct arena *a, const char *locale, enum autolink_why why,
				const char *member, long long linked, long long offers)
{
	static const char *const keys[AUTOLINK__MAX][2][2] = {
		[AUTOLINK_IMPORT] = {{"Updates.Matched.ImportLinked", "Updates.Matched.ImportLinkedOne"},
				     {"Updates.Matched.ImportOffers", "Updates.Matched.ImportOffersOne"}},
		[AUTOLINK_VERIFIED] = {{"Updates.Matched.VerifiedLinked", "Updates.Matched.VerifiedLinkedOne"},
				       {"Updates.Matched.VerifiedOffers", "Updates.Matched.VerifiedOffersOne"}},
	};
	const char *sep = strcmp(locale, "zh-CN") == 0 ? "" : " ";
	const char *out = "";

	for (int k = 0; k < 2; k++) {
		long long n = k == 0 ? linked : offers;
		if (n <= 0)
			continue;
		const char *t = subst(a, tmpl_text(locale, keys[why][k][n == 1]), n, member);
		out = *out ? arena_printf(a, "%s%s%s", out, sep, t) : t;
	}
	return out;
}

/* letter_payload: the letter's payload (JSON text in a). */
static const char *letter_payload(struct arena *a, const char *locale, enum autolink_why why,
				  const char *member, long long linked, long long offers)
{
	json_t *p = json_pack("{s:s, s:s, s:s, s:I, s:I}", "text",
			      matched_text(a, locale, why, member, linked, offers), "url", "/updates",
			      "why", why == AUTOLINK_IMPORT ? "import" : "verified", "linked", (json_int_t)linked,
			      "offers", (json_int_t)offers);
	char *s;
	const char *out;

	if (p == NULL)
		return NULL;
	if (member)
		json_object_set_new(p, "member", json_string(member));
	s = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	if (s == NULL)
		return NULL;
	out = arena_strdup(a, s);
	free(s);
	return out;
}

enum err autolink_letter(struct db *db, struct arena *a, long long holder_id, enum autolink_why why,
			 long long linked, long long offers)
{
	struct db_result res;
	enum err e;

	if (linked + offers <= 0 || (unsigned)why >= AUTOLINK__MAX)
		return ERR_OK;
	if ((e = db_query(db, a, &res, "SELECT locale FROM users WHERE id = ?", "i", holder_id)) != ERR_OK)
		return e;
	if (res.nrows == 0)
		return ERR_NOT_FOUND;
	const char *payload = letter_payload(a, tmpl_locale(db_cell(&res, 0, 0)), why, NULL, linked, offers);
	if (payload == NULL)
		return ERR_INTERNAL;
	return db_exec(db, "INSERT INTO notifications (user_id, kind, payload, created_at) "
		       "VALUES (?, 'cards.matched', ?, UTC_TIMESTAMP())", "is", holder_id, payload);
}

enum err autolink_verified(struct db *db, struct arena *a, long long user_id, const long long *cands,
			   size_t n)
{
	struct db_result res;
	enum err e;

	struct owncard oc;

	if (n == 0)
		return ERR_OK;
	/* copies carrying the key are offered when the member has a card: a
	 * member verifying their address at sign-up has none yet, so it is
	 * made now (revision 0, their name), as a first visit would make it;
	 * their first save then reaches the linked copies as an update */
	if ((e = owncard_by_user(db, a, user_id, &oc)) != ERR_OK)
		return e;
	/* the holders who chose it: their new offers are linked at once */
	e = folder_autolink_offers(db, a, user_id, cands, n, (long long)AUTOLINK_MAX, &res);
	for (size_t i = 0; e == ERR_OK && i < res.nrows; i++) {
		int one;
		e = link_one(db, a, db_cell_int(&res, i, 1, 0), db_cell_int(&res, i, 0, 0), &one);
	}
	if (e != ERR_OK)
		return e;
	/* one letter per holder: the copies now linked to user_id's card (by
	 * the step above) and those offered */
	e = folder_matched_per_holder(db, a, user_id, cands, n, &res);
	if (e != ERR_OK || res.nrows == 0)
		return e;
	owncard_shared_view(&oc);
	const char *member = oc.card.full_name && *oc.card.full_name ? oc.card.full_name : "";
	json_t *letters = json_array();
	for (size_t i = 0; i < res.nrows; i++) {
		const char *p = letter_payload(a, tmpl_locale(db_cell(&res, i, 1)), AUTOLINK_VERIFIED, member,
					       db_cell_int(&res, i, 2, 0), db_cell_int(&res, i, 3, 0));
		json_t *pj = p ? json_loads(p, 0, NULL) : NULL;
		if (pj == NULL) {
			json_decref(letters);
			return ERR_INTERNAL;
		}
		json_array_append_new(letters, json_pack("{s:I, s:o}", "u", (json_int_t)db_cell_int(&res, i, 0, 0),
							 "p", pj));
	}
	char *text = json_dumps(letters, JSON_COMPACT);
	json_decref(letters);
	if (text == NULL)
		return ERR_INTERNAL;
	e = db_exec(db,
		"INSERT INTO notifications (user_id, kind, payload, created_at) "
		"SELECT j.u, 'cards.matched', j.p, UTC_TIMESTAMP() FROM JSON_TABLE(?, '$[*]' COLUMNS ("
		"u BIGINT UNSIGNED PATH '$.u', p JSON PATH '$.p')) j", "s", text);
	free(text);
	return e;
}
