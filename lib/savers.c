/* savers.c: module 103: who saved my card, the message on save, subscribers' rules and send quotas. */
#include "savers.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "card.h"
#include "config.h"
#include "contact.h"
#include "crypto.h"
#include "folder.h"
#include "http.h"
#include "log.h"
#include "outbox.h"
#include "owncard.h"
#include "tmpl.h"

/* at most this many owners are told about one saved entry */

static const char *const how_names[SAVERS_HOW__MAX] = {"saved", "search", "reconcile", "subscribed"};
static const char *const state_names[SAVERS_STATE__MAX] = {"linked", "could", "subscribed"};

long savers_window_seconds(void)
{
	long w = config_get_int("Savers.RecipientWindowSeconds", 86400);
	return w >= 1 ? w : 86400;
}

const char *savers_how_name(enum savers_how h)
{
	return (unsigned)h < SAVERS_HOW__MAX ? how_names[h] : "saved";
}

enum savers_how savers_how_lookup(const char *name)
{
	for (int i = 0; name && i < SAVERS_HOW__MAX; i++)
		if (strcmp(name, how_names[i]) == 0)
			return (enum savers_how)i;
	return SAVERS_HOW__MAX;
}

/* --- small helpers ------------------------------------------------------*/

const char *savers_one_line(struct arena *a, const char *s)
{
	char *c = arena_strdup(a, s ? s : "");
	for (char *p = c; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return c;
}

const char *savers_ckey(struct arena *a, const char *email, const char *phone)
{
	if (email && *email)
		return arena_printf(a, "e:%s", email);
	if (phone && *phone)
		return arena_printf(a, "t:%s", phone);
	return NULL;
}

/* now_iso: the current UTC time as "YYYY-MM-DDTHH:MM:SSZ", in a. */
static const char *now_iso(struct arena *a)
{
	char buf[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return arena_strdup(a, buf);
}

const char *savers_cursor_make(struct arena *a, const char *since, int kind, long long id)
{
	if (since == NULL || strlen(since) < 19)
		return NULL;
	return arena_printf(a, "%.4s%.2s%.2s%.2s%.2s%.2s-%d-%lld", since, since + 5, since + 8,
			    since + 11, since + 14, since + 17, kind ? 1 : 0, id);
}

int savers_cursor_parse(struct arena *a, const char *c, const char **since_out, int *kind, long long *id)
{
	size_t n = c ? strlen(c) : 0;
	long long v = 0;

	if (n < 18 || n > 14 + 3 + 19 || c[14] != '-' || (c[15] != '0' && c[15] != '1') || c[16] != '-')
		return -1;
	for (size_t i = 0; i < 14; i++)
		if (c[i] < '0' || c[i] > '9')
			return -1;
	for (size_t i = 17; i < n; i++) {
		if (c[i] < '0' || c[i] > '9' || v > (LLONG_MAX - (c[i] - '0')) / 10)
			return -1;
		v = v * 10 + (c[i] - '0');
	}
	*since_out = arena_printf(a, "%.4s-%.2s-%.2s %.2s:%.2s:%.2s", c, c + 4, c + 6, c + 8, c + 10, c + 12);
	*kind = c[15] - '0';
	*id = v;
	return 0;
}

/* --- quotas and the do-not-contact list -----------------------------------*/

enum err savers_quota_take(struct db *db, struct arena *a, const char *key, long limit,
			   long window_s, int *retry_after)
{
	struct db_result res;
	long long w = window_s > 0 ? window_s : 1;
	enum err e = db_exec(db,
		"INSERT INTO send_quota (qkey, window_start, n) VALUES (?, UTC_TIMESTAMP(), 1) "
		"ON DUPLICATE KEY UPDATE "
		"n = IF(window_start <= UTC_TIMESTAMP() - INTERVAL ? SECOND, 1, n + 1), "
		"window_start = IF(window_start <= UTC_TIMESTAMP() - INTERVAL ? SECOND, UTC_TIMESTAMP(), window_start)",
		"sii", key, w, w);
	if (e != ERR_OK)
		return e;
	e = db_query(db, a, &res,
		"SELECT n, TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), window_start + INTERVAL ? SECOND) "
		"FROM send_quota WHERE qkey = ?", "is", w, key);
	if (e != ERR_OK)
		return e;
	if (res.nrows && db_cell_int(&res, 0, 0, 0) > limit) {
		long long wait = db_cell_int(&res, 0, 1, w);
		if (retry_after)
			*retry_after = wait > 0 ? (int)wait : 1;
		return ERR_TOO_MANY;
	}
	return ERR_OK;
}

enum err savers_dnc_listed(struct db *db, struct arena *a, const char *ckey, int *listed)
{
	struct db_result res;
	enum err e;

	*listed = 0;
	if (ckey == NULL)
		return ERR_OK;
	e = db_query(db, a, &res, "SELECT 1 FROM do_not_contact WHERE ckey = ?", "s", ckey);
	if (e == ERR_OK)
		*listed = res.nrows > 0;
	return e;
}

/* --- what the owner sees of a saver ---------------------------------------*/

static json_t *item_values(const struct card_item *items, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		if (items[i].value && *items[i].value)
			json_array_append_new(arr, json_string(items[i].value));
	return arr;
}

enum err savers_member_json(struct db *db, struct arena *a, long long saver_id, json_t **out)
{
	struct db_result res, ph;
	enum err e;

	*out = NULL;
	e = db_query(db, a, &res,
		"SELECT u.full_name, u.email, u.email_verified_at IS NOT NULL, c.id, c.revision "
		"FROM users u LEFT JOIN cards c ON c.user_id = u.id WHERE u.id = ?", "i", saver_id);
	if (e != ERR_OK)
		return e;
	if (res.nrows == 0)
		return ERR_NOT_FOUND;
	if (db_cell(&res, 0, 3) && db_cell_int(&res, 0, 4, 0) > 0) {
		struct owncard oc;
		e = owncard_by_id(db, a, db_cell_int(&res, 0, 3, 0), &oc);
		if (e == ERR_UNAVAILABLE)
			return e;
		if (e == ERR_OK) {
			/* only what D shares with anyone who has D's link */
			owncard_shared_view(&oc);
			*out = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:b, s:s}",
				"kind", "member", "full_name", oc.card.full_name,
				"organization", oc.card.organization, "title", oc.card.title,
				"emails", item_values(oc.card.emails, oc.card.n_emails),
				"phones", item_values(oc.card.phones, oc.card.n_phones),
				"is_member", 1,
				"card_url", arena_printf(a, "%s/c/%s", cfg.base_url, oc.share_token));
			return *out ? ERR_OK : ERR_INTERNAL;
		}
	}
	/* no card yet: the account's name and verified addresses */
	json_t *emails = json_array(), *phones = json_array();
	if (db_cell_int(&res, 0, 2, 0) && db_cell(&res, 0, 1))
		json_array_append_new(emails, json_string(db_cell(&res, 0, 1)));
	e = db_query(db, a, &ph, "SELECT phone FROM user_phones WHERE user_id = ? AND verified_at IS NOT NULL "
		     "ORDER BY id", "i", saver_id);
	for (size_t i = 0; e == ERR_OK && i < ph.nrows; i++)
		json_array_append_new(phones, json_string(db_cell(&ph, i, 0)));
	*out = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:b, s:n}",
		"kind", "member", "full_name", db_cell(&res, 0, 0) ? db_cell(&res, 0, 0) : "",
		"organization", "", "title", "", "emails", emails, "phones", phones,
		"is_member", 1, "card_url");
	if (e != ERR_OK) {
		json_decref(*out);
		*out = NULL;
		return e;
	}
	return *out ? ERR_OK : ERR_INTERNAL;
}

json_t *savers_subscriber_json(struct arena *a, long long id, const char *full_name,
			       const char *email, const char *phone, const char *since)
{
	json_t *emails = json_array(), *phones = json_array();
	if (email && *email)
		json_array_append_new(emails, json_string(email));
	if (phone && *phone)
		json_array_append_new(phones, json_string(phone));
	return json_pack("{s:s, s:I, s:s, s:s, s:s, s:o, s:o, s:b, s:s?, s:s, s:n}",
		"kind", "subscriber", "id", (json_int_t)id, "full_name", full_name ? full_name : "",
		"organization", "", "title", "", "emails", emails, "phones", phones,
		"is_member", 0, "since", json_time(a, since), "how", "subscribed", "card_url");
}

/* saver_hdf: a saver's details under Saver.* for the mail and SMS templates. */
static void saver_hdf(HDF *h, struct arena *a, const json_t *s)
{
	const json_t *v;
	size_t i;

	hdf_set_value(h, "Saver.FullName", savers_one_line(a, json_string_value(json_object_get(s, "full_name"))));
	hdf_set_value(h, "Saver.Organization", savers_one_line(a, json_string_value(json_object_get(s, "organization"))));
	hdf_set_value(h, "Saver.Title", savers_one_line(a, json_string_value(json_object_get(s, "title"))));
	json_array_foreach(json_object_get(s, "emails"), i, v)
		hdf_set_valuef(h, "Saver.Emails.%zu=%s", i, json_string_value(v));
	json_array_foreach(json_object_get(s, "phones"), i, v) {
		hdf_set_valuef(h, "Saver.Phones.%zu=%s", i, json_string_value(v));
		hdf_set_valuef(h, "Saver.Phones.%zu.Display=%s", i, phone_display(json_string_value(v), a));
	}
	if (json_string_value(json_object_get(s, "card_url")))
		hdf_set_value(h, "Saver.CardURL", json_string_value(json_object_get(s, "card_url")));
	hdf_set_int_value(h, "Saver.IsMember", json_is_true(json_object_get(s, "is_member")));
}

/* What the channel senders of tell_owner share: the owner's row (columns
 * TELL_*), the event, the saver and the rendered data. */
struct tell {
	long long owner_id;
	struct db_result owner;
	const char *event, *how, *at;
	json_t *saver;
	HDF *data;	/* Saver.* and Mail.* for the mail and SMS templates */
	const char *tmpl;
};
enum { TELL_EMAIL, TELL_LOCALE, TELL_HOOK, TELL_SECRET, TELL_WANTS };

/* One channel's message to the owner about a saver; wanted is already
 * known (outbox_channels[].wants over the owner's row). */
typedef enum err (*tell_fn)(struct db *db, struct arena *a, const struct tell *t, const char *dedupe_key);

/* e-mail only to a verified address (OUTBOX_WANTS_EMAIL): D's details must
 * not reach a stranger who signed up with someone else's address */
static enum err tell_email(struct db *db, struct arena *a, const struct tell *t, const char *dedupe_key)
{
	const char *email = db_cell(&t->owner, 0, TELL_EMAIL);
	int listed;
	enum err e;

	if (email == NULL)
		return ERR_OK;
	e = savers_dnc_listed(db, a, arena_printf(a, "e:%s", email), &listed);
	if (e == ERR_OK && !listed)
		e = outbox_mail(db, a, db_cell(&t->owner, 0, TELL_LOCALE), email, t->tmpl, t->data, dedupe_key);
	return e;
}

/* SMS to the owner's first verified phone */
static enum err tell_sms(struct db *db, struct arena *a, const struct tell *t, const char *dedupe_key)
{
	struct db_result ph;
	int listed = 0;
	enum err e = db_query(db, a, &ph, "SELECT phone FROM user_phones WHERE user_id = ? AND verified_at IS NOT NULL "
			      "ORDER BY verified_at, id LIMIT 1", "i", t->owner_id);

	if (e == ERR_OK && ph.nrows)
		e = savers_dnc_listed(db, a, arena_printf(a, "t:%s", db_cell(&ph, 0, 0)), &listed);
	if (e == ERR_OK && ph.nrows && !listed)
		e = outbox_sms(db, a, db_cell(&t->owner, 0, TELL_LOCALE), db_cell(&ph, 0, 0), t->tmpl, t->data,
			       dedupe_key);
	return e;
}

/* the webhook, signed with the owner's secret */
static enum err tell_webhook(struct db *db, struct arena *a, const struct tell *t, const char *dedupe_key)
{
	json_t *body = json_pack("{s:s, s:s, s:s, s:O}", "event", t->event, "at", t->at, "how", t->how,
				 "saver", t->saver);
	char *btext = body ? json_dumps(body, JSON_COMPACT) : NULL;
	enum err e;

	json_decref(body);
	if (btext == NULL)
		return ERR_INTERNAL;
	e = outbox_queue(db, OUTBOX_WEBHOOK, db_cell(&t->owner, 0, TELL_HOOK), "", btext,
			 db_cell(&t->owner, 0, TELL_SECRET), dedupe_key);
	free(btext);
	return e;
}

/* The owner's message on each channel of enum outbox_channel, in its
 * order (t_outbox checks that none is missing). */
static const tell_fn tell_by[OUTBOX__MAX] = {
	[OUTBOX_EMAIL] = tell_email,
	[OUTBOX_SMS] = tell_sms,
	[OUTBOX_WEBHOOK] = tell_webhook,
};

int savers_channel_tells(enum outbox_channel c)
{
	return c >= 0 && c < OUTBOX__MAX && tell_by[c] != NULL;
}

/* tell_sql: the owner's row: TELL_* columns, then whether they want each
 * channel (outbox_channels[].wants). */
static const char *tell_sql(void)
{
	static char sql[1024];
	static const char *text;

	if (text == NULL)
		text = outbox_wants_sql(sql, sizeof(sql), "SELECT u.email, u.locale, u.webhook_url, u.webhook_secret",
					", (", ")", " FROM users u WHERE u.id = ?");
	return text;
}

/* tell_owner: the letter and the channel messages to owner about a saver.
 * event "card.saved" (templates saved.cs) or "card.subscribed"
 * (subscribed.cs); dkey the dedupe key's stem ("<dkey>:letter",
 * "<dkey>:<channel>"). */
static enum err tell_owner(struct db *db, struct arena *a, long long owner, const char *event,
			   const char *how, json_t *saver, const char *dkey)
{
	struct tell t = {.owner_id = owner, .event = event, .how = how, .saver = saver};
	enum err e;

	t.tmpl = strcmp(event, "card.saved") == 0 ? "saved.cs" : "subscribed.cs";
	e = tell_sql() ? db_query(db, a, &t.owner, tell_sql(), "i", owner) : ERR_INTERNAL;
	if (e != ERR_OK || t.owner.nrows == 0)
		return e;
	t.at = now_iso(a);

	/* the in-site letter: a snapshot, rendered in the reader's language */
	json_t *payload = json_pack("{s:s, s:s, s:O}", "how", how, "at", t.at, "saver", saver);
	char *text = payload ? json_dumps(payload, JSON_COMPACT) : NULL;
	json_decref(payload);
	if (text == NULL)
		return ERR_INTERNAL;
	e = db_exec(db, "INSERT IGNORE INTO notifications (user_id, kind, payload, dedupe_key, created_at) "
		    "VALUES (?, ?, ?, ?, UTC_TIMESTAMP())", "isss", owner, event, text,
		    arena_printf(a, "%s:letter", dkey));
	free(text);
	if (e != ERR_OK)
		return e;

	if (hdf_init(&t.data) != STATUS_OK)
		return ERR_INTERNAL;
	saver_hdf(t.data, a, saver);
	hdf_set_value(t.data, "Mail.SaversURL", arena_printf(a, "%s/savers", cfg.base_url));
	hdf_set_value(t.data, "Mail.InboxURL", arena_printf(a, "%s/inbox", cfg.base_url));
	hdf_set_value(t.data, "Mail.SettingsURL", arena_printf(a, "%s/settings", cfg.base_url));
	for (int c = 0; e == ERR_OK && c < OUTBOX__MAX; c++)
		if (db_cell_int(&t.owner, 0, TELL_WANTS + (size_t)c, 0) > 0)
			e = tell_by[c](db, a, &t, arena_printf(a, "%s:%s", dkey,
				outbox_channel_name((enum outbox_channel)c)));
	hdf_destroy(&t.data);
	return e;
}

/* --- recording ----------------------------------------------------------*/

enum err savers_record(struct db *db, struct arena *a, long long owner_id, long long saver_id,
		       const char *how, int notify)
{
	enum savers_how h = savers_how_lookup(how);
	json_t *saver = NULL;
	enum err e;

	if (h == SAVERS_HOW__MAX)
		return ERR_BAD_REQUEST;
	if (owner_id <= 0 || saver_id <= 0 || owner_id == saver_id)
		return ERR_OK;
	e = db_exec(db, "INSERT IGNORE INTO savers (owner_id, saver_id, how, since) "
		    "SELECT ?, ?, ?, UTC_TIMESTAMP() FROM DUAL WHERE " SAVERS_NOT_REMOVED("?", "?"),
		    "iisii", owner_id, saver_id, how_names[h], owner_id, saver_id);
	if (e != ERR_OK || db_affected(db) == 0 || !notify)
		return e;
	e = savers_member_json(db, a, saver_id, &saver);
	if (e == ERR_NOT_FOUND)
		return ERR_OK;
	if (e != ERR_OK)
		return e;
	/* a member who subscribed on the public page is told as a subscription */
	e = tell_owner(db, a, owner_id, h == SAVERS_SUBSCRIBED ? "card.subscribed" : "card.saved",
		       how_names[h], saver, arena_printf(a, "saved:%lld:%lld", owner_id, saver_id));
	json_decref(saver);
	return e;
}

enum err savers_on_entry(struct db *db, struct arena *a, long long entry_id, int notify)
{
	long long holder, owner;
	enum err e = folder_entry_owner(db, a, entry_id, &holder, &owner);

	if (e != ERR_OK)
		return e;
	if (owner <= 0 || owner == holder)
		return ERR_OK;
	return savers_record(db, a, owner, holder, "saved", notify);
}

enum err savers_on_verified(struct db *db, struct arena *a, long long user_id, const char *ckey)
{
	struct db_result res;
	enum err e;
	int is_email;

	if (ckey == NULL || (strncmp(ckey, "e:", 2) != 0 && strncmp(ckey, "t:", 2) != 0))
		return ERR_BAD_REQUEST;
	is_email = ckey[0] == 'e';
	e = db_query(db, a, &res, is_email ?
		"SELECT id, owner_id, user_id, confirmed_at FROM subscribers WHERE email = ? "
		"AND status = 'confirmed' FOR UPDATE" :
		"SELECT id, owner_id, user_id, confirmed_at FROM subscribers WHERE phone = ? "
		"AND status = 'confirmed' FOR UPDATE", "s", ckey + 2);
	for (size_t i = 0; e == ERR_OK && i < res.nrows; i++) {
		long long id = db_cell_int(&res, i, 0, 0), owner = db_cell_int(&res, i, 1, 0);
		long long before = db_cell_int(&res, i, 2, 0);
		/* the address changed hands: the member who held it is no longer
		 * this subscriber */
		if (before && before != user_id)
			e = db_exec(db, "DELETE FROM savers WHERE owner_id = ? AND saver_id = ? AND how = 'subscribed'",
				    "ii", owner, before);
		if (e == ERR_OK)
			e = db_exec(db, "UPDATE subscribers SET user_id = ? WHERE id = ?", "ii", user_id, id);
		if (e == ERR_OK && owner != user_id)
			e = db_exec(db, "INSERT IGNORE INTO savers (owner_id, saver_id, how, since) "
				    "SELECT ?, ?, 'subscribed', COALESCE(?, UTC_TIMESTAMP()) FROM DUAL WHERE "
				    SAVERS_NOT_REMOVED("?", "?"), "iisii", owner, user_id, db_cell(&res, i, 3), owner, user_id);
	}
	/* members holding a card with this key hold user_id's card when the
	 * matching made user_id its owner (member_key_verified did, just now) */
	if (e == ERR_OK)
		e = folder_savers_of_key(db, user_id, ckey);
	return e;
}

enum err savers_search(struct db *db, struct arena *a, long long owner_id, long long *found)
{
	(void)a;
	*found = 0;
	enum err e = folder_savers_of_owner(db, owner_id);
	if (e == ERR_OK)
		*found = (long long)db_affected(db);
	return e;
}

/* --- the list -------------------------------------------------------------*/

/* SUB_LISTED(B): the subscription aliased B is its person's line on the
 * owner's list: confirmed, not a member's address, and the first confirmed
 * subscription of its person (one by e-mail and one by phone are one
 * person); a person one of whose addresses a member verified is listed as
 * that member. */
#define SUB_LISTED(B) \
	"(" B ".status = 'confirmed' AND " B ".user_id IS NULL AND NOT EXISTS (SELECT 1 FROM subscribers bp " \
	"FORCE INDEX (subscribers_person) WHERE bp.person_id = " B ".person_id AND bp.status = 'confirmed' " \
	"AND (bp.user_id IS NOT NULL OR bp.id < " B ".id)))"

/* SAVER_STATE(S): 0 linked, 1 could, 2 subscribed, for the savers row S */
#define SAVER_STATE(S) \
	"CASE WHEN " FOLDER_HOLDS_LINKED(S ".owner_id", S ".saver_id") " THEN 0 " \
	"WHEN " SAVERS_HOLDS(S) " THEN 1 ELSE 2 END"

enum err savers_count(struct db *db, struct arena *a, long long owner_id, long long *n)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT (SELECT COUNT(*) FROM savers s WHERE s.owner_id = ? AND " SAVERS_VISIBLE("s") ") + "
		"(SELECT COUNT(*) FROM subscribers b WHERE b.owner_id = ? AND " SUB_LISTED("b") ")",
		"ii", owner_id, owner_id);
	*n = e == ERR_OK && res.nrows ? db_cell_int(&res, 0, 0, 0) : 0;
	return e;
}

/* person_json: the person of subscription id (listed by SUB_LISTED): every
 * address of their confirmed subscriptions, and what is held back. */
static enum err person_json(struct db *db, struct arena *a, long long id, const char *full_name,
			    const char *since, json_t **out)
{
	struct db_result res;
	long long held = 0;
	const char *held_since = NULL;
	enum err e = db_query(db, a, &res,
		"SELECT b.email, b.phone, b.held_changes, b.held_since FROM subscribers b "
		"JOIN subscribers me ON me.id = ? WHERE b.status = 'confirmed' AND b.user_id IS NULL "
		"AND (b.id = me.id OR b.person_id = me.person_id) ORDER BY b.id", "i", id);
	if (e != ERR_OK)
		return e;
	*out = savers_subscriber_json(a, id, full_name, NULL, NULL, since);
	if (*out == NULL)
		return ERR_INTERNAL;
	for (size_t i = 0; i < res.nrows; i++) {
		const char *em = db_cell(&res, i, 0), *ph = db_cell(&res, i, 1), *hs = db_cell(&res, i, 3);
		if (em && *em)
			json_array_append_new(json_object_get(*out, "emails"), json_string(em));
		else if (ph && *ph)
			json_array_append_new(json_object_get(*out, "phones"), json_string(ph));
		held += db_cell_int(&res, i, 2, 0);
		if (hs && (held_since == NULL || strcmp(hs, held_since) < 0))
			held_since = hs;
	}
	json_object_set_new(*out, "held", json_integer(held));
	json_object_set_new(*out, "held_since", held_since ? json_string(json_time(a, held_since)) : json_null());
	return ERR_OK;
}

/* member_held: "held" and "held_since" of member saver_id on owner_id's list:
 * what is held back from the subscriptions of an address the member
 * verified (a member saver found through a subscription is told by mail or
 * SMS, within the same daily limit). */
static enum err member_held(struct db *db, struct arena *a, long long owner_id, long long saver_id, json_t *it)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT COALESCE(SUM(held_changes), 0), MIN(held_since) FROM subscribers "
		"WHERE owner_id = ? AND user_id = ? AND status = 'confirmed'", "ii", owner_id, saver_id);
	if (e != ERR_OK)
		return e;
	const char *since = res.nrows ? db_cell(&res, 0, 1) : NULL;
	json_object_set_new(it, "held", json_integer(res.nrows ? db_cell_int(&res, 0, 0, 0) : 0));
	json_object_set_new(it, "held_since", since ? json_string(json_time(a, since)) : json_null());
	return ERR_OK;
}

enum err savers_list(struct db *db, struct arena *a, long long owner_id, const char *cursor,
		     long long limit, json_t **items, const char **next_cursor, struct errinfo *ei)
{
	struct db_result res;
	const char *since = "9999-12-31 23:59:59";
	int kind = 1;
	long long id = 0x7fffffffffffffffLL;
	enum err e;

	*items = NULL;
	*next_cursor = NULL;
	if (limit < 1 || limit > 500)
		limit = 50;
	if (cursor && *cursor && savers_cursor_parse(a, cursor, &since, &kind, &id) != 0)
		return errinfo_set(ei, ERR_BAD_REQUEST, "invalid_cursor", "cursor", "not a cursor of this list");
	/* each branch reads at most limit + 1 rows from the cursor on, in
	 * index order; the outer ORDER BY merges the two */
	e = db_query(db, a, &res,
		"SELECT x.k, x.ref, x.since, x.how, x.full_name, x.st FROM ("
		"(SELECT 1 AS k, s.saver_id AS ref, s.since AS since, CAST(s.how AS CHAR) AS how, "
		"NULL AS full_name, " SAVER_STATE("s") " AS st FROM savers s "
		"WHERE s.owner_id = ? AND (s.since, 1, s.saver_id) < (?, ?, ?) AND " SAVERS_VISIBLE("s")
		" ORDER BY s.since DESC, s.saver_id DESC LIMIT ?) "
		"UNION ALL "
		"(SELECT 0, b.id, b.confirmed_at, 'subscribed', b.full_name, 2 FROM subscribers b "
		"WHERE b.owner_id = ? AND " SUB_LISTED("b") " "
		"AND (b.confirmed_at, 0, b.id) < (?, ?, ?) ORDER BY b.confirmed_at DESC, b.id DESC LIMIT ?)"
		") x ORDER BY x.since DESC, x.k DESC, x.ref DESC LIMIT ?",
		"isiiiisiiii", owner_id, since, (long long)kind, id, limit + 1,
		owner_id, since, (long long)kind, id, limit + 1, limit + 1);
	if (e != ERR_OK)
		return e;
	json_t *arr = json_array();
	size_t n = res.nrows > (size_t)limit ? (size_t)limit : res.nrows;
	for (size_t i = 0; i < n; i++) {
		json_t *it;
		long long ref = db_cell_int(&res, i, 1, 0), st = db_cell_int(&res, i, 5, 2);
		if (db_cell_int(&res, i, 0, 0) == 1) {
			e = savers_member_json(db, a, ref, &it);
			if (e == ERR_NOT_FOUND)
				continue;
			if (e == ERR_OK) {
				json_object_set_new(it, "id", json_integer(ref));
				json_object_set_new(it, "since", json_string(json_time(a, db_cell(&res, i, 2))));
				json_object_set_new(it, "how", json_string(db_cell(&res, i, 3)));
				if (strcmp(db_cell(&res, i, 3), "subscribed") == 0) {
					e = member_held(db, a, owner_id, ref, it);
				} else {
					json_object_set_new(it, "held", json_integer(0));
					json_object_set_new(it, "held_since", json_null());
				}
				if (e != ERR_OK) {
					json_decref(it);
					it = NULL;
				}
			}
		} else {
			e = person_json(db, a, ref, db_cell(&res, i, 4), db_cell(&res, i, 2), &it);
		}
		if (e != ERR_OK) {
			json_decref(arr);
			return e;
		}
		json_object_set_new(it, "state", json_string(state_names[st >= 0 && st < SAVERS_STATE__MAX ? st : 2]));
		json_array_append_new(arr, it);
	}
	if (res.nrows > (size_t)limit)
		*next_cursor = savers_cursor_make(a, db_cell(&res, n - 1, 2), (int)db_cell_int(&res, n - 1, 0, 0),
						  db_cell_int(&res, n - 1, 1, 0));
	*items = arr;
	return ERR_OK;
}

void savers_home_counts(struct req *r)
{
	long long n = 0;
	if (r->user && savers_count(r->db, &r->arena, r->user->id, &n) == ERR_OK)
		req_setf(r, "Home.Savers", "%lld", n);
}

/* --- removing a saver ------------------------------------------------------*/

/* sub_end: subscription id ends (as an unsubscribe does, without the
 * do-not-contact list): nothing queued or held for it is sent. */
static enum err sub_end(struct db *db, struct arena *a, long long id)
{
	enum err e = db_exec(db, "UPDATE subscribers SET status = 'unsubscribed', confirm_hash = NULL, "
			     "confirm_expires_at = NULL, held_changes = 0, held_since = NULL, held_until = NULL "
			     "WHERE id = ?", "i", id);
	return e == ERR_OK ? savers_cancel_queued(db, a, id) : e;
}

enum err savers_remove_member(struct db *db, struct arena *a, long long owner_id, long long saver_id)
{
	struct db_result res;
	enum err e;

	if (owner_id == saver_id)
		return ERR_NOT_FOUND;
	e = db_query(db, a, &res, "SELECT 1 FROM savers s WHERE s.owner_id = ? AND s.saver_id = ? AND "
		     SAVERS_VISIBLE("s") " FOR UPDATE", "ii", owner_id, saver_id);
	if (e != ERR_OK)
		return e;
	if (res.nrows == 0)
		return ERR_NOT_FOUND;
	e = db_exec(db, "INSERT INTO savers_removed (owner_id, saver_id, removed_at) VALUES (?, ?, UTC_TIMESTAMP()) "
		    "ON DUPLICATE KEY UPDATE removed_at = VALUES(removed_at)", "ii", owner_id, saver_id);
	if (e == ERR_OK)
		e = db_exec(db, "DELETE FROM savers WHERE owner_id = ? AND saver_id = ?", "ii", owner_id, saver_id);
	/* the saver's copies of the card: linked ones, and matched ones */
	long long *copies = NULL;
	size_t n_copies = 0;
	if (e == ERR_OK)
		e = folder_copies_of_owner(db, a, saver_id, owner_id, &copies, &n_copies);
	for (size_t i = 0; e == ERR_OK && i < n_copies; i++) {
		long long id = copies[i];
		/* the copy stays as it is, but no update reaches it (nothing is
		 * pending: pending updates need source_card_id) and it is not
		 * offered for linking to the owner again */
		e = folder_entry_unshare(db, id, owner_id);
		if (e == ERR_OK)
			e = folder_match(db, a, id);
		for (int c = 0; e == ERR_OK && c < OUTBOX__MAX; c++)
			e = db_exec(db, "UPDATE outbox SET status = 'failed', last_error = 'no longer shared', claim = NULL "
				    "WHERE status = 'queued' AND dedupe_key LIKE ?", "s",
				    arena_printf(a, "upd:%s:%lld:%%", outbox_channel_name((enum outbox_channel)c), id));
	}
	/* a saver who subscribed with an address they verified */
	if (e == ERR_OK)
		e = db_query(db, a, &res, "SELECT id FROM subscribers WHERE owner_id = ? AND user_id = ? "
			     "AND status <> 'unsubscribed' FOR UPDATE", "ii", owner_id, saver_id);
	for (size_t i = 0; e == ERR_OK && i < res.nrows; i++)
		e = sub_end(db, a, db_cell_int(&res, i, 0, 0));
	return e;
}

enum err savers_remove_subscriber(struct db *db, struct arena *a, long long owner_id, long long id)
{
	struct db_result res;
	enum err e = db_query(db, a, &res, "SELECT b.person_id FROM subscribers b WHERE b.id = ? AND b.owner_id = ? "
			      "AND " SUB_LISTED("b") " FOR UPDATE", "ii", id, owner_id);
	if (e != ERR_OK)
		return e;
	if (res.nrows == 0)
		return ERR_NOT_FOUND;
	long long person = db_cell_int(&res, 0, 0, 0);
	e = db_query(db, a, &res, "SELECT id FROM subscribers WHERE owner_id = ? AND status = 'confirmed' "
		     "AND user_id IS NULL AND (id = ? OR person_id = ?) FOR UPDATE", "iii", owner_id, id, person);
	for (size_t i = 0; e == ERR_OK && i < res.nrows; i++)
		e = sub_end(db, a, db_cell_int(&res, i, 0, 0));
	return e;
}

/* "the subscription aliased B is by phone" */
#define BY_PHONE(B) "(" B ".email IS NULL OR " B ".email = '')"

enum err savers_person_join(struct db *db, struct arena *a, long long id, int *joined)
{
	struct db_result res;
	enum err e;

	*joined = 0;
	e = db_query(db, a, &res,
		"SELECT o.person_id FROM subscribers me JOIN subscribers o ON o.card_id = me.card_id "
		"AND o.id <> me.id AND o.status = 'confirmed' AND o.user_id IS NULL AND o.full_name = me.full_name "
		"AND " BY_PHONE("o") " <> " BY_PHONE("me") " "
		"WHERE me.id = ? AND o.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM subscribers p "
		"WHERE p.person_id = o.person_id AND p.id <> me.id AND p.status = 'confirmed' "
		"AND " BY_PHONE("p") " = " BY_PHONE("me") ") ORDER BY o.person_id LIMIT 1", "i", id);
	if (e != ERR_OK)
		return e;
	long long person = res.nrows ? db_cell_int(&res, 0, 0, 0) : 0;
	*joined = person > 0;
	return db_exec(db, "UPDATE subscribers SET person_id = ? WHERE id = ?", "ii", person > 0 ? person : id, id);
}

/* --- non-members ----------------------------------------------------------*/

enum err savers_subscriber_message(struct db *db, struct arena *a, long long subscriber_id,
				   const char *locale, const char *tmpl, HDF *data,
				   const char *dedupe_key, int *queued)
{
	struct db_result res;
	enum err e;
	int listed, retry;

	*queued = 0;
	e = db_query(db, a, &res,
		"SELECT b.full_name, b.email, b.phone, b.status, b.unsubscribe_token, b.owner_id, c.share_token, "
		"b.locale FROM subscribers b JOIN cards c ON c.id = b.card_id WHERE b.id = ?", "i", subscriber_id);
	if (e != ERR_OK || res.nrows == 0)
		return e;
	if (strcmp(db_cell(&res, 0, 3), "confirmed") != 0)
		return ERR_OK;
	const char *email = db_cell(&res, 0, 1), *phone = db_cell(&res, 0, 2);
	const char *ckey = savers_ckey(a, email, phone);
	if ((e = savers_dnc_listed(db, a, ckey, &listed)) != ERR_OK || listed)
		return e;
	e = savers_quota_take(db, a, arena_printf(a, "u:%s", ckey),
			      config_get_int("Savers.MaxPerRecipientPerDay", 5), savers_window_seconds(), &retry);
	if (e == ERR_OK)
		e = savers_quota_take(db, a, arena_printf(a, "o:%s", db_cell(&res, 0, 5)),
				      config_get_int("Savers.MaxPerOwnerPerDay", 500), 86400, &retry);
	if (e == ERR_TOO_MANY) {
		log_info("savers: quota spent, no message to subscriber %lld", subscriber_id);
		return ERR_OK;
	}
	if (e != ERR_OK)
		return e;
	HDF *d = NULL;
	if (hdf_init(&d) != STATUS_OK)
		return ERR_INTERNAL;
	if (data)
		hdf_copy(d, "", data);
	hdf_set_value(d, "Sub.FullName", savers_one_line(a, db_cell(&res, 0, 0)));
	hdf_set_value(d, "Sub.Unsubscribe", arena_printf(a, "%s/s/unsubscribe/%s", cfg.base_url, db_cell(&res, 0, 4)));
	hdf_set_value(d, "Sub.Short", savers_short_link(a, db_cell(&res, 0, 4)));
	hdf_set_value(d, "Sub.CardURL", arena_printf(a, "%s/c/%s", cfg.base_url, db_cell(&res, 0, 6)));
	const char *dk = arena_printf(a, "sub:%lld:%s", subscriber_id,
				      dedupe_key ? dedupe_key : token_new(a, 16));
	if (locale == NULL)
		locale = db_cell(&res, 0, 7);
	if (email && *email)
		e = outbox_mail(db, a, locale, email, tmpl, d, dk);
	else
		e = outbox_sms(db, a, locale, phone, tmpl, d, dk);
	hdf_destroy(&d);
	if (e == ERR_OK)
		*queued = 1;
	return e;
}

enum err savers_cancel_queued(struct db *db, struct arena *a, long long subscriber_id)
{
	return db_exec(db, "UPDATE outbox SET status = 'failed', last_error = 'unsubscribed', claim = NULL "
		       "WHERE status = 'queued' AND dedupe_key LIKE ?", "s",
		       arena_printf(a, "sub:%lld:%%", subscriber_id));
}

enum err savers_tell_subscribed(struct db *db, struct arena *a, long long owner_id,
				long long subscriber_id)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT full_name, email, phone, COALESCE(confirmed_at, UTC_TIMESTAMP()) FROM subscribers WHERE id = ?",
		"i", subscriber_id);
	if (e != ERR_OK || res.nrows == 0)
		return e;
	json_t *s = savers_subscriber_json(a, subscriber_id, db_cell(&res, 0, 0), db_cell(&res, 0, 1),
					   db_cell(&res, 0, 2), db_cell(&res, 0, 3));
	if (s == NULL)
		return ERR_INTERNAL;
	/* the owner needs no subscription id, and no subscription's since */
	json_object_del(s, "id");
	json_object_del(s, "since");
	e = tell_owner(db, a, owner_id, "card.subscribed", "subscribed", s,
		       arena_printf(a, "subscribed:%lld", subscriber_id));
	json_decref(s);
	return e;
}

/* --- letters: their text in the reader's language ------------------------ */

/* update_text: the text of a letter about a changed saved card
 * ("card.update" asks, "card.updated" says it was applied: module 104)
 * rendered again from its payload (owner, fields, kept, auto) in the reader's
 * language of today; NULL when the payload lacks them. */
static const char *update_text(struct req *r, const json_t *payload)
{
	const char *owner = json_string_value(json_object_get(payload, "owner"));
	const json_t *fields = json_object_get(payload, "fields"), *f;
	const char *out = NULL;
	HDF *h = NULL;
	STRING s;
	size_t i;

	if (owner == NULL || !json_is_array(fields) || hdf_init(&h) != STATUS_OK)
		return NULL;
	hdf_set_value(h, "Upd.Owner", owner);
	hdf_set_value(h, "Upd.Auto", json_is_true(json_object_get(payload, "auto")) ? "1" : "0");
	json_array_foreach(fields, i, f)
		if (json_is_string(f))
			hdf_set_value(h, arena_printf(&r->arena, "Upd.Fields.%zu", i), json_string_value(f));
	/* the fields kept because the holder declined them (issue 18) */
	json_array_foreach(json_object_get(payload, "kept"), i, f)
		if (json_is_string(f))
			hdf_set_value(h, arena_printf(&r->arena, "Upd.Kept.%zu", i), json_string_value(f));
	string_init(&s);
	if (tmpl_render_hdf(h, r->locale, "updates_letter.cs", &s) == ERR_OK && s.buf) {
		/* one line, trimmed */
		char *t = arena_strdup(&r->arena, s.buf), *e;
		for (char *c = t; *c; c++)
			if ((unsigned char)*c < 0x20)
				*c = ' ';
		while (*t == ' ')
			t++;
		for (e = t + strlen(t); e > t && e[-1] == ' '; e--)
			;
		*e = '\0';
		out = *t ? t : NULL;
	}
	string_clear(&s);
	hdf_destroy(&h);
	return out;
}

/* savers_letter_text: see savers.h. */
const char *savers_letter_text(struct req *r, const char *kind, const json_t *payload)
{
	const char *name = json_string_value(json_object_get(json_object_get(payload, "saver"), "full_name"));
	const char *how = json_string_value(json_object_get(payload, "how"));
	const char *own = json_string_value(json_object_get(payload, "text"));

	if (strcmp(kind, "card.saved") == 0 && name)
		return arena_printf(&r->arena, "%s %s", name, tmpl_text(r->locale,
			how && strcmp(how, "subscribed") == 0 ? "Savers.Letter.Subscribed" : "Savers.Letter.Saved"));
	if (strcmp(kind, "card.subscribed") == 0 && name)
		return arena_printf(&r->arena, "%s %s", name, tmpl_text(r->locale, "Savers.Letter.Subscribed"));
	if (strcmp(kind, "card.update") == 0 || strcmp(kind, "card.updated") == 0) {
		const char *t = update_text(r, payload);
		if (t)
			return t;
	}
	if (own)
		return own;
	return tmpl_text(r->locale, "Savers.Letter.Other");
}

/* --- held-back update messages -------------------------------------------- */

/* held_one: send what is held for subscription id when its window opened.
 * Commits (or rolls back) its own transaction. */
static enum err held_one(struct db *db, struct arena *a, long long id, int *sent)
{
	struct db_result res;
	struct owncard oc;
	enum err e;
	int listed, retry = 0;

	if ((e = db_begin(db)) != ERR_OK)
		return e;
	e = db_query(db, a, &res,
		"SELECT b.full_name, b.email, b.phone, b.status, b.unsubscribe_token, b.card_id, b.locale, "
		"b.held_changes, b.held_since FROM subscribers b WHERE b.id = ? AND b.held_until <= UTC_TIMESTAMP() "
		"FOR UPDATE", "i", id);
	if (e != ERR_OK || res.nrows == 0) {
		db_rollback(db);
		return e;
	}
	const char *email = db_cell(&res, 0, 1), *phone = db_cell(&res, 0, 2);
	const char *ckey = savers_ckey(a, email, phone);
	long long changes = db_cell_int(&res, 0, 7, 0);
	const char *since = db_cell(&res, 0, 8);
	e = savers_dnc_listed(db, a, ckey, &listed);
	if (e == ERR_OK && (listed || ckey == NULL || changes <= 0 || since == NULL ||
			    strcmp(db_cell(&res, 0, 3), "confirmed") != 0)) {
		/* nobody to tell any more */
		e = db_exec(db, "UPDATE subscribers SET held_changes = 0, held_since = NULL, held_until = NULL "
			    "WHERE id = ?", "i", id);
		return e == ERR_OK ? db_commit(db) : e;
	}
	if (e == ERR_OK)
		e = savers_quota_take(db, a, arena_printf(a, "u:%s", ckey),
				      config_get_int("Savers.MaxPerRecipientPerDay", 5), savers_window_seconds(), &retry);
	if (e == ERR_TOO_MANY) {
		/* another card's update took the new window first: the next one */
		e = db_exec(db, "UPDATE subscribers SET held_until = UTC_TIMESTAMP() + INTERVAL ? SECOND WHERE id = ?",
			    "ii", (long long)(retry > 0 ? retry : 1), id);
		return e == ERR_OK ? db_commit(db) : e;
	}
	if (e == ERR_OK)
		e = owncard_by_id(db, a, db_cell_int(&res, 0, 5, 0), &oc);
	if (e != ERR_OK) {
		db_rollback(db);
		return e;
	}
	owncard_shared_view(&oc);
	HDF *d = NULL;
	if (hdf_init(&d) != STATUS_OK) {
		db_rollback(db);
		return ERR_INTERNAL;
	}
	hdf_set_value(d, "Upd.Owner", savers_one_line(a, oc.card.full_name));
	hdf_set_int_value(d, "Held.Count", (int)changes);
	hdf_set_value(d, "Held.Since", arena_printf(a, "%.16s", since));
	hdf_set_value(d, "Sub.FullName", savers_one_line(a, db_cell(&res, 0, 0)));
	hdf_set_value(d, "Sub.Unsubscribe", arena_printf(a, "%s/s/unsubscribe/%s", cfg.base_url, db_cell(&res, 0, 4)));
	hdf_set_value(d, "Sub.Short", savers_short_link(a, db_cell(&res, 0, 4)));
	hdf_set_value(d, "Sub.CardURL", arena_printf(a, "%s/c/%s", cfg.base_url, oc.share_token));
	char stamp[16];
	size_t k = 0;
	for (const char *c = since; *c && k < sizeof(stamp) - 1; c++)
		if (*c >= '0' && *c <= '9')
			stamp[k++] = *c;
	stamp[k] = '\0';
	const char *dk = arena_printf(a, "sub:%lld:held:%s:%lld", id, stamp, changes);
	if (email && *email)
		e = outbox_mail(db, a, db_cell(&res, 0, 6), email, "card_updated_held.cs", d, dk);
	else
		e = outbox_sms(db, a, db_cell(&res, 0, 6), phone, "card_updated_held.cs", d, dk);
	hdf_destroy(&d);
	if (e == ERR_OK)
		e = db_exec(db, "UPDATE subscribers SET held_changes = 0, held_since = NULL, held_until = NULL "
			    "WHERE id = ?", "i", id);
	if (e == ERR_OK)
		e = db_commit(db);
	if (e != ERR_OK) {
		db_rollback(db);
		return e;
	}
	(*sent)++;
	log_info("savers: %lld held change(s) sent to subscriber %lld in one message", changes, id);
	return ERR_OK;
}

enum err savers_held_send(struct db *db, struct arena *a, int max, int *sent)
{
	struct db_result res;
	enum err e;

	*sent = 0;
	if (tmpl_init() != 0)
		return ERR_INTERNAL;
	e = db_query(db, a, &res, "SELECT id FROM subscribers WHERE held_until <= UTC_TIMESTAMP() "
		     "ORDER BY held_until, id LIMIT ?", "i", (long long)(max > 0 ? max : 100));
	for (size_t i = 0; e == ERR_OK && i < res.nrows; i++)
		e = held_one(db, a, db_cell_int(&res, i, 0, 0), sent);
	return e;
}

const char *savers_short_link(struct arena *a, const char *unsubscribe_token)
{
	return arena_printf(a, "%s" SAVERS_SHORT_PATH "%.*s", cfg.base_url, SAVERS_SHORT_LEN, unsubscribe_token);
}

enum err savers_short_lookup(struct db *db, struct arena *a, const char *code, const char **token)
{
	struct db_result res;
	size_t n = strlen(code);

	*token = NULL;
	if (n != SAVERS_SHORT_LEN || strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != n)
		return ERR_NOT_FOUND;
	/* a range on the unique index: the tokens that begin with code ('~'
	 * sorts after every character of a token) */
	enum err e = db_query(db, a, &res, "SELECT unsubscribe_token FROM subscribers "
			      "WHERE unsubscribe_token > ? AND unsubscribe_token < CONCAT(?, '~') LIMIT 2",
			      "ss", code, code);
	if (e != ERR_OK)
		return e;
	if (res.nrows != 1)	/* none, or (48 random bits: next to never) two */
		return ERR_NOT_FOUND;
	*token = db_cell(&res, 0, 0);
	return ERR_OK;
}

/* --- subscriptions: the subscribe form, its confirmation, unsubscribing --*/

enum err savers_sub_find(struct db *db, struct arena *a, long long card_id, const char *email,
			 const char *phone, long long *id, int *confirmed)
{
	struct db_result res;
	enum err e = db_query(db, a, &res, email ?
		     "SELECT id, status FROM subscribers WHERE card_id = ? AND email = ? FOR UPDATE" :
		     "SELECT id, status FROM subscribers WHERE card_id = ? AND phone = ? FOR UPDATE",
		     "is", card_id, email ? email : phone);

	*id = 0;
	*confirmed = 0;
	if (e == ERR_OK && res.nrows) {
		*id = db_cell_int(&res, 0, 0, 0);
		*confirmed = strcmp(db_cell(&res, 0, 1), "confirmed") == 0;
	}
	return e;
}

enum err savers_sub_open(struct db *db, struct arena *a, long long card_id, long long owner_id,
			 const char *name, const char *email, const char *phone, const char *locale,
			 long long *id)
{
	enum err e;

	if (*id)
		return db_exec(db, "UPDATE subscribers SET full_name = ?, locale = ?, status = 'pending', "
			       "confirmed_at = NULL, user_id = NULL, person_id = NULL, held_changes = 0, "
			       "held_since = NULL, held_until = NULL WHERE id = ?", "ssi", name, locale, *id);
	e = db_exec(db, "INSERT INTO subscribers (card_id, owner_id, full_name, email, phone, locale, "
		    "status, unsubscribe_token, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, UTC_TIMESTAMP())",
		    "iisssss", card_id, owner_id, name, email, phone, locale, token_new(a, 32));
	*id = (long long)db_insert_id(db);
	return e;
}

enum err savers_sub_challenge(struct db *db, struct arena *a, long long id, const char *hash,
			      long long secs, const char **unsub)
{
	struct db_result res;
	enum err e = db_exec(db, "UPDATE subscribers SET confirm_hash = ?, confirm_expires_at = UTC_TIMESTAMP() + "
			     "INTERVAL ? SECOND, confirm_attempts = 0 WHERE id = ?", "sii", hash, secs, id);

	if (e == ERR_OK)
		e = db_query(db, a, &res, "SELECT unsubscribe_token FROM subscribers WHERE id = ?", "i", id);
	if (e == ERR_OK && res.nrows == 0)
		e = ERR_INTERNAL;
	*unsub = e == ERR_OK ? db_cell(&res, 0, 0) : NULL;
	return e;
}

enum err savers_sub_by_link(struct db *db, struct arena *a, const char *hash, long long *id,
			    long long *owner, const char **email)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT id, owner_id, email, confirm_expires_at > UTC_TIMESTAMP() FROM subscribers "
		"WHERE confirm_hash = ? AND email IS NOT NULL AND status = 'pending' FOR UPDATE", "s", hash);

	*id = 0;
	if (e == ERR_OK && res.nrows && db_cell_int(&res, 0, 3, 0)) {
		*id = db_cell_int(&res, 0, 0, 0);
		*owner = db_cell_int(&res, 0, 1, 0);
		*email = db_cell(&res, 0, 2);
	}
	return e;
}

enum err savers_sub_by_phone(struct db *db, struct arena *a, long long card_id, const char *phone,
			     long long *id, long long *owner, const char **hash, long long *attempts)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT id, owner_id, confirm_hash, confirm_expires_at > UTC_TIMESTAMP(), confirm_attempts "
		"FROM subscribers WHERE card_id = ? AND phone = ? AND status = 'pending' FOR UPDATE",
		"is", card_id, phone);

	*id = 0;
	*hash = NULL;
	if (e == ERR_OK && res.nrows) {
		*id = db_cell_int(&res, 0, 0, 0);
		*owner = db_cell_int(&res, 0, 1, 0);
		*hash = db_cell_int(&res, 0, 3, 0) ? db_cell(&res, 0, 2) : NULL;
		*attempts = db_cell_int(&res, 0, 4, 0);
	}
	return e;
}

enum err savers_sub_code_missed(struct db *db, long long id, long long max)
{
	return db_exec(db, "UPDATE subscribers SET confirm_attempts = confirm_attempts + 1, "
		       "confirm_hash = IF(confirm_attempts >= ?, NULL, confirm_hash) WHERE id = ?", "ii", max, id);
}

enum err savers_sub_confirmed(struct db *db, struct arena *a, long long id, long long owner,
			      const char *email, const char *phone)
{
	struct db_result res;
	enum err e = db_exec(db, "UPDATE subscribers SET status = 'confirmed', confirmed_at = UTC_TIMESTAMP(), "
			     "confirm_hash = NULL, confirm_expires_at = NULL, confirm_attempts = 0 WHERE id = ?",
			     "i", id);
	if (e == ERR_OK)
		e = db_query(db, a, &res, "SELECT user_id FROM contact_keys WHERE ckey = ?", "s",
			     savers_ckey(a, email, phone));
	if (e != ERR_OK)
		return e;
	long long member = res.nrows ? db_cell_int(&res, 0, 0, 0) : 0;
	int joined = 0;
	if (member && member != owner) {
		e = db_exec(db, "UPDATE subscribers SET user_id = ?, person_id = id WHERE id = ?", "ii", member, id);
		if (e == ERR_OK)
			e = savers_record(db, a, owner, member, "subscribed", 1);
		return e;
	}
	/* the same person by e-mail and by phone is one saver: told once */
	e = savers_person_join(db, a, id, &joined);
	if (e != ERR_OK || joined)
		return e;
	return savers_tell_subscribed(db, a, owner, id);
}

enum err savers_unsubscribe(struct db *db, struct arena *a, const char *token, int never)
{
	struct db_result res, all;
	enum err e = db_query(db, a, &res,
		"SELECT id, email, phone FROM subscribers WHERE unsubscribe_token = ? FOR UPDATE", "s", token);

	if (e != ERR_OK)
		return e;
	if (res.nrows == 0)
		return ERR_NOT_FOUND;
	const char *email = db_cell(&res, 0, 1), *phone = db_cell(&res, 0, 2);
	const char *ckey = savers_ckey(a, email, phone);
	if (never) {
		e = db_query(db, a, &all, email ?
			"SELECT id, owner_id, user_id FROM subscribers WHERE email = ? FOR UPDATE" :
			"SELECT id, owner_id, user_id FROM subscribers WHERE phone = ? FOR UPDATE",
			"s", email ? email : phone);
		if (e == ERR_OK)
			e = db_exec(db, "INSERT IGNORE INTO do_not_contact (ckey, created_at) VALUES (?, UTC_TIMESTAMP())",
				    "s", ckey);
		/* anything still queued to the address, whoever queued it */
		if (e == ERR_OK)
			e = db_exec(db, "UPDATE outbox SET status = 'failed', last_error = 'do not contact' "
				    "WHERE status = 'queued' AND channel = ? AND recipient = ?", "ss",
				    outbox_channel_name(email ? OUTBOX_EMAIL : OUTBOX_SMS), email ? email : phone);
	} else {
		e = db_query(db, a, &all,
			"SELECT id, owner_id, user_id FROM subscribers WHERE id = ?", "i", db_cell_int(&res, 0, 0, 0));
	}
	for (size_t i = 0; e == ERR_OK && i < all.nrows; i++) {
		long long id = db_cell_int(&all, i, 0, 0), member = db_cell_int(&all, i, 2, 0);
		e = db_exec(db, "UPDATE subscribers SET status = 'unsubscribed', confirm_hash = NULL, "
			    "confirm_expires_at = NULL, held_changes = 0, held_since = NULL, held_until = NULL "
			    "WHERE id = ?", "i", id);
		if (e == ERR_OK && member)
			e = db_exec(db, "DELETE FROM savers WHERE owner_id = ? AND saver_id = ? AND how = 'subscribed'",
				    "ii", db_cell_int(&all, i, 1, 0), member);
		if (e == ERR_OK)
			e = savers_cancel_queued(db, a, id);
	}
	return e;
}

enum err savers_sub_link_page(struct db *db, struct arena *a, const char *hash, struct db_result *res)
{
	return db_query(db, a, res,
		"SELECT b.full_name, JSON_VALUE(c.data, '$.full_name') FROM subscribers b JOIN cards c ON c.id = b.card_id "
		"WHERE b.confirm_hash = ? AND b.email IS NOT NULL AND b.status = 'pending' "
		"AND b.confirm_expires_at > UTC_TIMESTAMP()", "s", hash);
}

enum err savers_sub_unsubscribe_page(struct db *db, struct arena *a, const char *token,
				     struct db_result *res)
{
	return db_query(db, a, res,
		"SELECT b.status, JSON_VALUE(c.data, '$.full_name'), b.email, b.phone, c.share_token FROM subscribers b "
		"JOIN cards c ON c.id = b.card_id WHERE b.unsubscribe_token = ?", "s", token);
}

enum err savers_is_removed(struct db *db, struct arena *a, long long owner_id, long long saver_id,
			   int *removed)
{
	struct db_result res;
	enum err e = db_query(db, a, &res, "SELECT 1 FROM savers_removed WHERE owner_id = ? AND saver_id = ?",
			      "ii", owner_id, saver_id);

	*removed = e == ERR_OK && res.nrows;
	return e;
}
