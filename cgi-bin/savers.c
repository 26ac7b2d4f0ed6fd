/* savers.c: module 103, who saved my card: the savers list and search, letters (inbox), non-member subscriptions. */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "config.h"
#include "contact.h"
#include "crypto.h"
#include "http.h"
#include "letters.h"
#include "log.h"
#include "outbox.h"
#include "owncard.h"
#include "savers.h"
#include "tmpl.h"

#define CODE_DIGITS 6

/* --- shared steps -------------------------------------------------------*/

/* json_hdf: a saver object (savers_list item, letter payload) as HDF under
 * prefix: FullName, Organization, Title, Emails.N, Phones.N (E.164, and
 * Phones.N.Display as people read it), IsMember,
 * Since, How, CardURL, Kind, and on the list State, Id, Held, HeldSince. */
static void saver_hdf(struct req *r, const char *prefix, const json_t *s)
{
	struct arena *a = &r->arena;
	const json_t *v;
	size_t i;

	req_set(r, arena_printf(a, "%s.Kind", prefix), json_string_value(json_object_get(s, "kind")));
	req_set(r, arena_printf(a, "%s.FullName", prefix), json_string_value(json_object_get(s, "full_name")));
	req_set(r, arena_printf(a, "%s.Organization", prefix), json_string_value(json_object_get(s, "organization")));
	req_set(r, arena_printf(a, "%s.Title", prefix), json_string_value(json_object_get(s, "title")));
	req_set(r, arena_printf(a, "%s.Since", prefix), json_string_value(json_object_get(s, "since")));
	req_set(r, arena_printf(a, "%s.How", prefix), json_string_value(json_object_get(s, "how")));
	req_set(r, arena_printf(a, "%s.CardURL", prefix), json_string_value(json_object_get(s, "card_url")));
	req_set(r, arena_printf(a, "%s.IsMember", prefix), json_is_true(json_object_get(s, "is_member")) ? "1" : "0");
	req_set(r, arena_printf(a, "%s.State", prefix), json_string_value(json_object_get(s, "state")));
	if (json_is_integer(json_object_get(s, "id")))
		req_setf(r, arena_printf(a, "%s.Id", prefix), "%lld", (long long)json_integer_value(json_object_get(s, "id")));
	if (json_integer_value(json_object_get(s, "held")) > 0) {
		req_setf(r, arena_printf(a, "%s.Held", prefix), "%lld", (long long)json_integer_value(json_object_get(s, "held")));
		req_set(r, arena_printf(a, "%s.HeldSince", prefix), json_string_value(json_object_get(s, "held_since")));
	}
	json_array_foreach(json_object_get(s, "emails"), i, v)
		req_set(r, arena_printf(a, "%s.Emails.%zu", prefix, i), json_string_value(v));
	json_array_foreach(json_object_get(s, "phones"), i, v) {
		req_set(r, arena_printf(a, "%s.Phones.%zu", prefix, i), json_string_value(v));
		req_set(r, arena_printf(a, "%s.Phones.%zu.Display", prefix, i), phone_display(json_string_value(v), a));
	}
}

/* too_many: answer 429 with Retry-After (API and pages alike). */
static enum err too_many(struct req *r, const char *code, int retry, const char *message)
{
	r->ei.retry_after = retry > 0 ? retry : 1;
	return req_fail(r, ERR_TOO_MANY, code, NULL, message);
}

/* public_card: the card behind a public link, or a 404 like the page's. */
static enum err public_card(struct req *r, const char *token, struct owncard *c)
{
	enum err e = owncard_by_token(r->db, &r->arena, token, c);
	if (e == ERR_NOT_FOUND)
		return req_fail(r, ERR_NOT_FOUND, "not_found", NULL, "no such card");
	if (e == ERR_OK)
		owncard_shared_view(c);
	return e;
}

/* --- the savers list ----------------------------------------------------*/

enum { LS_LIMIT, LS_CURSOR, LS_FOUND, LS_REMOVED };
static const struct input in_list[] = {
	[LS_LIMIT] = {"limit", IN_INT, SRC_QUERY, 0, 1, 500, NULL},
	[LS_CURSOR] = {"cursor", IN_TOKEN, SRC_QUERY, 0, 1, 64, NULL},
	{NULL},
};

static enum err list_page(struct req *r, json_t **items, const char **next)
{
	long long limit = r->in[LS_LIMIT].present ? r->in[LS_LIMIT].num : 50;
	enum err e = savers_list(r->db, &r->arena, r->user->id, r->in[LS_CURSOR].str, limit, items, next, &r->ei);
	if (e == ERR_BAD_REQUEST)
		return req_fail(r, e, r->ei.code, r->ei.field, r->ei.message);
	return e;
}

static enum err api_savers(struct req *r)
{
	json_t *items;
	const char *next;
	long long total = 0;
	enum err e = list_page(r, &items, &next);
	if (e == ERR_OK)
		e = savers_count(r->db, &r->arena, r->user->id, &total);
	if (e != ERR_OK) {
		json_decref(items);
		return e;
	}
	return req_json(r, 200, json_pack("{s:o, s:s?, s:I}", "savers", items, "next_cursor", next,
					  "total", (json_int_t)total));
}

/* search: step C2 for the signed-in member, at most once per
 * Savers.SearchIntervalSeconds. Commits. */
static enum err search(struct req *r, long long *found)
{
	int retry = 0;
	enum err e = db_begin(r->db);
	if (e != ERR_OK)
		return e;
	e = savers_quota_take(r->db, &r->arena, arena_printf(&r->arena, "search:%lld", r->user->id), 1,
			      config_get_int("Savers.SearchIntervalSeconds", 10), &retry);
	if (e == ERR_TOO_MANY)
		return too_many(r, "search_too_soon", retry, "you searched a moment ago; try again later");
	if (e == ERR_OK)
		e = savers_search(r->db, &r->arena, r->user->id, found);
	if (e == ERR_OK)
		e = db_commit(r->db);
	return e;
}

static enum err api_search(struct req *r)
{
	long long found = 0, total = 0;
	enum err e = search(r, &found);
	if (e == ERR_OK)
		e = savers_count(r->db, &r->arena, r->user->id, &total);
	if (e != ERR_OK)
		return e;
	return req_json(r, 200, json_pack("{s:I, s:I}", "found", (json_int_t)found, "total", (json_int_t)total));
}

/* savers_page: the list page (status 200, or 429 after a search too soon). */
static enum err savers_page(struct req *r, int status)
{
	json_t *items, *it;
	const char *next;
	long long total = 0;
	size_t i;
	enum err e = list_page(r, &items, &next);
	if (e != ERR_OK)
		return e;
	e = savers_count(r->db, &r->arena, r->user->id, &total);
	if (e != ERR_OK) {
		json_decref(items);
		return e;
	}
	json_array_foreach(items, i, it)
		saver_hdf(r, arena_printf(&r->arena, "Savers.%zu", i), it);
	json_decref(items);
	req_setf(r, "List.Total", "%lld", total);
	req_set(r, "List.Next", next);
	if (r->in[LS_CURSOR].present)
		req_set(r, "List.Paged", "1");
	auth_form_token(r);
	return req_html(r, status, "savers.cs");
}

/* the page takes the list's inputs, and found: what a search just found
 * (shown even when it is 0: "nobody new") */
static const struct input in_page[] = {
	[LS_LIMIT] = {"limit", IN_INT, SRC_QUERY, 0, 1, 500, NULL},
	[LS_CURSOR] = {"cursor", IN_TOKEN, SRC_QUERY, 0, 1, 64, NULL},
	[LS_FOUND] = {"found", IN_INT, SRC_QUERY, 0, 0, 1000000000, NULL},
	[LS_REMOVED] = {"removed", IN_BOOL, SRC_QUERY, 0, 0, 0, NULL},
	{NULL},
};

static enum err page_savers(struct req *r)
{
	if (r->in[LS_FOUND].present)
		req_setf(r, "SaversSearch.Found", "%lld", r->in[LS_FOUND].num);
	if (r->in[LS_REMOVED].num)
		req_set(r, "SaversRemoved.Done", "1");
	return savers_page(r, 200);
}

static enum err form_search(struct req *r)
{
	long long found = 0;
	enum err e = search(r, &found);
	if (e == ERR_TOO_MANY) {
		req_add_header(r, "Retry-After: %d", r->ei.retry_after);
		req_set(r, "Form.Error", r->ei.code);
		return savers_page(r, 429);
	}
	if (e != ERR_OK)
		return e;
	return req_redirect(r, arena_printf(&r->arena, "/savers?found=%lld", found));
}

/* --- removing a saver -------------------------------------------------------*/

/* remove_saver: the signed-in owner takes member (member 1: a user id) or
 * subscriber person (member 0: a subscription id) id off their list.
 * 404 when it is not on their list; nothing changes then. Commits. */
static enum err remove_saver(struct req *r, int member, long long id)
{
	enum err e = db_begin(r->db);
	if (e != ERR_OK)
		return e;
	e = member ? savers_remove_member(r->db, &r->arena, r->user->id, id)
		   : savers_remove_subscriber(r->db, &r->arena, r->user->id, id);
	if (e == ERR_NOT_FOUND)
		return req_fail(r, e, "not_found", NULL, "no such saver on your list");
	if (e == ERR_OK)
		e = db_commit(r->db);
	return e;
}

static enum err api_remove_member(struct req *r)
{
	enum err e = remove_saver(r, 1, r->param_ids[0]);
	return e != ERR_OK ? e : req_no_content(r);
}

static enum err api_remove_subscriber(struct req *r)
{
	enum err e = remove_saver(r, 0, r->param_ids[0]);
	return e != ERR_OK ? e : req_no_content(r);
}

static enum err form_remove_member(struct req *r)
{
	enum err e = remove_saver(r, 1, r->param_ids[0]);
	return e != ERR_OK ? e : req_redirect(r, "/savers?removed=1");
}

static enum err form_remove_subscriber(struct req *r)
{
	enum err e = remove_saver(r, 0, r->param_ids[0]);
	return e != ERR_OK ? e : req_redirect(r, "/savers?removed=1");
}

/* --- letters (the in-site inbox) -------------------------------------------*/

enum { LT_UNREAD, LT_SINCE, LT_LIMIT, LT_CURSOR };
static const struct input in_letters[] = {
	[LT_UNREAD] = {"unread", IN_BOOL, SRC_QUERY, 0, 0, 0, NULL},
	[LT_SINCE] = {"since_id", IN_INT, SRC_QUERY, 0, 0, 0x7fffffffffffffffLL, NULL},
	[LT_LIMIT] = {"limit", IN_INT, SRC_QUERY, 0, 1, 500, NULL},
	[LT_CURSOR] = {"cursor", IN_INT, SRC_QUERY, 0, 1, 0x7fffffffffffffffLL, NULL},
	{NULL},
};

/* A page of letters, newest first. */
struct letters {
	struct db_result rows;		/* id, kind, payload, created_at, read */
	size_t n;
	long long next;			/* cursor: 0 on the last page */
	long long unread, last_id;
};

static enum err letters_read(struct req *r, int unread_only, long long since_id, long long cursor,
			     long long limit, struct letters *out)
{
	enum err e;

	memset(out, 0, sizeof(*out));
	e = letters_page(r->db, &r->arena, r->user->id, unread_only, since_id, cursor, limit + 1, &out->rows);
	if (e != ERR_OK)
		return e;
	out->n = out->rows.nrows > (size_t)limit ? (size_t)limit : out->rows.nrows;
	if (out->rows.nrows > (size_t)limit)
		out->next = db_cell_int(&out->rows, out->n - 1, 0, 0);
	return letters_counts(r->db, &r->arena, r->user->id, &out->unread, &out->last_id);
}

static json_t *letter_payload(const struct letters *l, size_t i)
{
	json_error_t jerr;
	const char *p = db_cell(&l->rows, i, 2);
	json_t *j = p ? json_loads(p, 0, &jerr) : NULL;
	return j ? j : json_object();
}

static enum err api_letters(struct req *r)
{
	struct letters l;
	long long limit = r->in[LT_LIMIT].present ? r->in[LT_LIMIT].num : 50;
	enum err e = letters_read(r, (int)r->in[LT_UNREAD].num, r->in[LT_SINCE].num, r->in[LT_CURSOR].num,
				  limit, &l);
	if (e != ERR_OK)
		return e;
	json_t *list = json_array();
	for (size_t i = 0; i < l.n; i++) {
		json_t *payload = letter_payload(&l, i);
		const char *kind = db_cell(&l.rows, i, 1);
		json_array_append_new(list, json_pack("{s:I, s:s, s:b, s:s?, s:s, s:o}",
			"id", (json_int_t)db_cell_int(&l.rows, i, 0, 0), "kind", kind,
			"read", (int)db_cell_int(&l.rows, i, 4, 0),
			"created_at", json_time(&r->arena, db_cell(&l.rows, i, 3)),
			"text", savers_letter_text(r, kind, payload), "payload", payload));
	}
	json_t *next = l.next ? json_string(arena_printf(&r->arena, "%lld", l.next)) : json_null();
	return req_json(r, 200, json_pack("{s:o, s:I, s:I, s:o}", "notifications", list,
					  "unread", (json_int_t)l.unread, "last_id", (json_int_t)l.last_id,
					  "next_cursor", next));
}

/* letter_mark: mark letter id (0: every letter) of the signed-in member read. */
static enum err letter_mark(struct req *r, long long id)
{
	enum err e = letters_mark_read(r->db, &r->arena, r->user->id, id);
	if (e == ERR_NOT_FOUND)
		return req_fail(r, ERR_NOT_FOUND, "not_found", NULL, "no such letter");
	return e;
}

static enum err api_letter_read(struct req *r)
{
	enum err e = letter_mark(r, r->param_ids[0]);
	return e != ERR_OK ? e : req_no_content(r);
}

static enum err api_letters_read_all(struct req *r)
{
	enum err e = letter_mark(r, 0);
	return e != ERR_OK ? e : req_no_content(r);
}

enum { IB_CURSOR };
static const struct input in_inbox[] = {
	[IB_CURSOR] = {"cursor", IN_INT, SRC_QUERY, 0, 1, 0x7fffffffffffffffLL, NULL},
	{NULL},
};

static enum err page_inbox(struct req *r)
{
	struct letters l;
	enum err e = letters_read(r, 0, 0, r->in[IB_CURSOR].num, 50, &l);
	if (e != ERR_OK)
		return e;
	for (size_t i = 0; i < l.n; i++) {
		const char *p = arena_printf(&r->arena, "Letters.%zu", i);
		json_t *payload = letter_payload(&l, i);
		const char *kind = db_cell(&l.rows, i, 1);
		req_set(r, arena_printf(&r->arena, "%s.Id", p), db_cell(&l.rows, i, 0));
		req_set(r, arena_printf(&r->arena, "%s.Kind", p), kind);
		req_set(r, arena_printf(&r->arena, "%s.Text", p), savers_letter_text(r, kind, payload));
		req_set(r, arena_printf(&r->arena, "%s.Created", p), db_cell(&l.rows, i, 3));
		req_set(r, arena_printf(&r->arena, "%s.Read", p), db_cell(&l.rows, i, 4));
		/* a letter of another module may link to where it happened: a
		 * local path only */
		const char *url = json_string_value(json_object_get(payload, "url"));
		if (http_localpath_valid(url))
			req_set(r, arena_printf(&r->arena, "%s.Url", p), url);
		if (json_is_object(json_object_get(payload, "saver")))
			saver_hdf(r, arena_printf(&r->arena, "%s.Saver", p), json_object_get(payload, "saver"));
		json_decref(payload);
	}
	req_setf(r, "Inbox.Unread", "%lld", l.unread);
	req_setf(r, "Inbox.LastId", "%lld", l.last_id);
	if (l.next)
		req_setf(r, "Inbox.Next", "%lld", l.next);
	if (r->in[IB_CURSOR].present)
		req_set(r, "Inbox.Paged", "1");
	auth_form_token(r);
	return req_html(r, 200, "inbox.cs");
}

static enum err form_read(struct req *r)
{
	enum err e = letter_mark(r, r->param_ids[0]);
	return e != ERR_OK ? e : req_redirect(r, "/inbox");
}

static enum err form_read_all(struct req *r)
{
	enum err e = letter_mark(r, 0);
	return e != ERR_OK ? e : req_redirect(r, "/inbox");
}

/* --- subscribing (non-members) ----------------------------------------------*/

/* What one subscribe request did, for the answer (never whether the
 * address was known: the answer is the same for every address). */
struct sub_result {
	int by_email, by_sms;
};

/* subscribe_one: start (or restart) the double opt-in of one address for
 * card c: a mailed link or an SMS code. A confirmed subscription, or an
 * address on the do-not-contact list, is left alone without a word. */
static enum err subscribe_one(struct req *r, const struct owncard *c, const char *name,
			      const char *email, const char *phone)
{
	struct arena *a = &r->arena;
	enum err e;
	int listed, confirmed, retry = 0;
	long long id;
	const char *unsub, *ckey = savers_ckey(a, email, phone);

	if ((e = savers_dnc_listed(r->db, a, ckey, &listed)) != ERR_OK || listed)
		return e;
	if ((e = savers_sub_find(r->db, a, c->id, email, phone, &id, &confirmed)) != ERR_OK || confirmed)
		return e;
	/* no spam: per recipient and per card owner */
	e = savers_quota_take(r->db, a, arena_printf(a, "r:%s", ckey),
			      config_get_int("Savers.MaxPerRecipientPerDay", 5), 86400, &retry);
	if (e == ERR_OK)
		e = savers_quota_take(r->db, a, arena_printf(a, "o:%lld", c->user_id),
				      config_get_int("Savers.MaxPerOwnerPerDay", 500), 86400, &retry);
	if (e == ERR_TOO_MANY)
		return too_many(r, "too_many_messages", retry, "too many messages to this address; try again later");
	if (e != ERR_OK)
		return e;
	e = savers_sub_open(r->db, a, c->id, c->user_id, name, email, phone, r->locale, &id);
	if (e == ERR_CONFLICT)
		return req_fail(r, e, "conflict", NULL, "a concurrent request subscribed this address; try again");
	if (e != ERR_OK)
		return e;

	const char *secret = email ? token_new(a, 32) : digits_new(a, CODE_DIGITS);
	const char *hash = email ? token_hash(a, secret) : token_hash(a, arena_printf(a, "sub:%lld:%s", id, secret));
	long secs = email ? config_get_int("Savers.ConfirmLinkSeconds", 172800)
			  : config_get_int("Savers.CodeSeconds", 600);
	if ((e = savers_sub_challenge(r->db, a, id, hash, (long long)secs, &unsub)) != ERR_OK)
		return e;

	HDF *data = NULL;
	if (hdf_init(&data) != STATUS_OK)
		return ERR_INTERNAL;
	hdf_set_value(data, "Sub.FullName", savers_one_line(a, name));
	hdf_set_value(data, "Sub.Owner", savers_one_line(a, c->card.full_name));
	hdf_set_value(data, "Sub.CardURL", arena_printf(a, "%s/c/%s", cfg.base_url, c->share_token));
	hdf_set_value(data, "Sub.Unsubscribe", arena_printf(a, "%s/s/unsubscribe/%s", cfg.base_url, unsub));
	hdf_set_int_value(data, "Sub.Minutes", (int)(secs / 60));
	hdf_set_int_value(data, "Sub.Hours", (int)(secs / 3600 ? secs / 3600 : 1));
	/* the dedupe key names the subscription, so an unsubscribe can cancel it */
	const char *dk = arena_printf(a, "sub:%lld:confirm:%.16s", id, hash);
	if (email) {
		hdf_set_value(data, "Sub.Link", arena_printf(a, "%s/s/confirm?token=%s", cfg.base_url, secret));
		e = outbox_mail(r->db, a, r->locale, email, "subscribe_confirm.cs", data, dk);
	} else {
		hdf_set_value(data, "Sub.Code", secret);
		hdf_set_value(data, "Sub.VerifyURL", arena_printf(a, "%s/c/%s/subscribe?phone=%%2B%s",
								   cfg.base_url, c->share_token, phone + 1));
		e = outbox_sms(r->db, a, r->locale, phone, "subscribe_code.cs", data, dk);
	}
	hdf_destroy(&data);
	return e;
}

/* subscribe: POST /c/{token}/subscribe, JSON or form. Commits. */
static enum err subscribe(struct req *r, const char *token, const char *name, const char *email,
			  const char *phone, struct sub_result *out)
{
	struct owncard c;
	int retry = 0;
	enum err e;

	memset(out, 0, sizeof(*out));
	if (email && !*email)
		email = NULL;
	if (phone && !*phone)
		phone = NULL;
	if (email == NULL && phone == NULL)
		return req_fail(r, ERR_BAD_REQUEST, "contact_required", "email",
				"give an e-mail address or a phone number");
	if ((e = public_card(r, token, &c)) != ERR_OK)
		return e;
	if (r->user && r->user->id == c.user_id)
		return req_fail(r, ERR_CONFLICT, "own_card", NULL, "this is your own card");
	if ((e = db_begin(r->db)) != ERR_OK)
		return e;
	e = savers_quota_take(r->db, &r->arena, arena_printf(&r->arena, "s:%s", r->remote_addr),
			      config_get_int("Savers.MaxPerSenderPerHour", 20), 3600, &retry);
	if (e == ERR_TOO_MANY)
		return too_many(r, "too_many_requests", retry, "too many subscriptions from here; try again later");
	if (e == ERR_OK && email && (e = subscribe_one(r, &c, name, email, NULL)) == ERR_OK)
		out->by_email = 1;
	if (e == ERR_OK && phone && (e = subscribe_one(r, &c, name, NULL, phone)) == ERR_OK)
		out->by_sms = 1;
	if (e == ERR_OK)
		e = db_commit(r->db);
	return e;
}

/* confirm_link: the mailed link's token. *status: "confirmed", or "invalid"
 * (unknown, used, or expired). Commits. */
static enum err confirm_link(struct req *r, const char *token, const char **status)
{
	long long id, owner;
	const char *email;
	enum err e;

	*status = "invalid";
	if ((e = db_begin(r->db)) != ERR_OK)
		return e;
	e = savers_sub_by_link(r->db, &r->arena, token_hash(&r->arena, token), &id, &owner, &email);
	if (e != ERR_OK || id == 0)
		return e;
	e = savers_sub_confirmed(r->db, &r->arena, id, owner, email, NULL);
	if (e == ERR_OK)
		e = db_commit(r->db);
	if (e == ERR_OK)
		*status = "confirmed";
	return e;
}

/* confirm_code: the SMS code for phone on the card behind token. Answers
 * 400 invalid_code (a try used up) or 410 code_expired (no live code:
 * expired, used up, or never sent) through r->ei. Commits. */
static enum err confirm_code(struct req *r, const char *token, const char *phone, const char *code)
{
	struct owncard c;
	long long id, owner = 0, attempts = 0;
	const char *want;
	enum err e;
	long max = config_get_int("Savers.CodeAttempts", 5);

	if ((e = public_card(r, token, &c)) != ERR_OK || (e = db_begin(r->db)) != ERR_OK)
		return e;
	e = savers_sub_by_phone(r->db, &r->arena, c.id, phone, &id, &owner, &want, &attempts);
	if (e != ERR_OK)
		return e;
	if (id == 0 || want == NULL || attempts >= max)
		return req_fail(r, ERR_GONE, "code_expired", "code", "no code is waiting for this number: ask for a new one");
	const char *got = token_hash(&r->arena, arena_printf(&r->arena, "sub:%lld:%s", id, code));
	if (!secure_equal(got, want)) {
		/* the try counts even though the request fails: commit it */
		e = savers_sub_code_missed(r->db, id, (long long)max);
		if (e == ERR_OK)
			e = db_commit(r->db);
		if (e != ERR_OK)
			return e;
		return req_fail(r, ERR_BAD_REQUEST, "invalid_code", "code", "wrong code");
	}
	e = savers_sub_confirmed(r->db, &r->arena, id, owner, NULL, phone);
	if (e == ERR_OK)
		e = db_commit(r->db);
	return e;
}

/* unsubscribe: the subscription with this unsubscribe token ends; never
 * also puts its address on the do-not-contact list and ends every
 * subscription of the address. Whatever is still queued for them is
 * cancelled. Commits. */
static enum err unsubscribe(struct req *r, const char *token, int never)
{
	enum err e;

	if ((e = db_begin(r->db)) != ERR_OK)
		return e;
	e = savers_unsubscribe(r->db, &r->arena, token, never);
	if (e == ERR_NOT_FOUND)
		return req_fail(r, ERR_NOT_FOUND, "not_found", NULL, "no such subscription");
	if (e == ERR_OK)
		e = db_commit(r->db);
	return e;
}

enum { SB_NAME, SB_EMAIL, SB_PHONE };
static const struct input in_subscribe[] = {
	[SB_NAME] = {"full_name", IN_TEXT, SRC_BODY, 1, 1, 200, NULL},
	[SB_EMAIL] = {"email", IN_EMAIL, SRC_BODY, 0, 0, 254, NULL},
	[SB_PHONE] = {"phone", IN_PHONE, SRC_BODY, 0, 0, 40, NULL},
	{NULL},
};

static json_t *confirm_by(const struct sub_result *s)
{
	json_t *by = json_array();
	if (s->by_email)
		json_array_append_new(by, json_string("email"));
	if (s->by_sms)
		json_array_append_new(by, json_string("sms"));
	return by;
}

static enum err api_subscribe(struct req *r)
{
	struct sub_result s;
	enum err e = subscribe(r, r->params[0], r->in[SB_NAME].str, r->in[SB_EMAIL].str, r->in[SB_PHONE].str, &s);
	if (e != ERR_OK)
		return e;
	return req_json(r, 202, json_pack("{s:s, s:o}", "status", "pending", "confirm_by", confirm_by(&s)));
}

enum { SV_PHONE, SV_CODE };
static const struct input in_sub_verify[] = {
	[SV_PHONE] = {"phone", IN_PHONE, SRC_BODY, 1, 0, 40, NULL},
	[SV_CODE] = {"code", IN_TOKEN, SRC_BODY, 1, 1, 12, NULL},
	{NULL},
};

static enum err api_sub_verify(struct req *r)
{
	enum err e = confirm_code(r, r->params[0], r->in[SV_PHONE].str, r->in[SV_CODE].str);
	return e != ERR_OK ? e : req_json(r, 200, json_pack("{s:s}", "status", "confirmed"));
}

enum { CF_TOKEN };
static const struct input in_confirm[] = {
	[CF_TOKEN] = {"token", IN_TOKEN, SRC_BODY, 1, 20, 64, NULL},
	{NULL},
};

static enum err api_confirm(struct req *r)
{
	const char *status;
	enum err e = confirm_link(r, r->in[CF_TOKEN].str, &status);
	if (e != ERR_OK)
		return e;
	if (strcmp(status, "confirmed") != 0)
		return req_fail(r, ERR_GONE, "invalid_token", "token", "this link is invalid, used or expired");
	return req_json(r, 200, json_pack("{s:s}", "status", "confirmed"));
}

enum { US_TOKEN, US_NEVER };
static const struct input in_unsubscribe_api[] = {
	[US_TOKEN] = {"token", IN_TOKEN, SRC_BODY, 1, 20, 64, NULL},
	[US_NEVER] = {"never", IN_BOOL, SRC_BODY, 0, 0, 0, NULL},
	{NULL},
};

static enum err api_unsubscribe(struct req *r)
{
	int never = (int)r->in[US_NEVER].num;
	enum err e = unsubscribe(r, r->in[US_TOKEN].str, never);
	if (e != ERR_OK)
		return e;
	return req_json(r, 200, json_pack("{s:s, s:b}", "status", "unsubscribed", "do_not_contact", never));
}

/* --- subscription pages -------------------------------------------------------*/

static enum err result_page(struct req *r, int status, const char *key)
{
	req_set(r, "Result.Key", key);
	return req_html(r, status, "subscribe_result.cs");
}

/* subscribe_form_page: the form, with the card's name and any error. */
static enum err subscribe_form_page(struct req *r, const struct owncard *c, int status)
{
	req_set(r, "Sub.Owner", c->card.full_name);
	req_set(r, "Sub.Token", c->share_token);
	if (r->ei.code && status >= 400) {
		req_set(r, "Form.Error", r->ei.code);
		req_set(r, "Form.Field", r->ei.field);
	}
	auth_form_token(r);
	return req_html(r, status, "subscribe.cs");
}

enum { SP_PHONE };
static const struct input in_subscribe_page[] = {
	[SP_PHONE] = {"phone", IN_PHONE, SRC_QUERY, 0, 0, 40, NULL},
	{NULL},
};

static enum err page_subscribe(struct req *r)
{
	struct owncard c;
	enum err e = public_card(r, r->params[0], &c);
	if (e != ERR_OK)
		return e;
	/* the SMS links here with the number: straight to the code form */
	if (r->in[SP_PHONE].present && *r->in[SP_PHONE].str) {
		req_set(r, "Sub.Owner", c.card.full_name);
		req_set(r, "Sub.Token", c.share_token);
		req_set(r, "Sub.Phone", r->in[SP_PHONE].str);
		req_set(r, "Sub.PhoneDisplay", phone_display(r->in[SP_PHONE].str, &r->arena));
		auth_form_token(r);
		return req_html(r, 200, "subscribe_code.cs");
	}
	req_add_header(r, "X-Robots-Tag: noindex, nofollow");
	return subscribe_form_page(r, &c, 200);
}

static enum err form_subscribe(struct req *r)
{
	struct sub_result s;
	struct owncard c;
	enum err e = subscribe(r, r->params[0], r->in[SB_NAME].str, r->in[SB_EMAIL].str, r->in[SB_PHONE].str, &s);
	if (e == ERR_BAD_REQUEST || e == ERR_TOO_MANY || e == ERR_CONFLICT) {
		if (e == ERR_TOO_MANY)
			req_add_header(r, "Retry-After: %d", r->ei.retry_after);
		struct errinfo keep = r->ei;
		if (public_card(r, r->params[0], &c) != ERR_OK)
			return e;
		r->ei = keep;
		return subscribe_form_page(r, &c, err_status(e));
	}
	if (e != ERR_OK)
		return e;
	if (s.by_sms) {
		req_set(r, "Sub.Token", r->params[0]);
		req_set(r, "Sub.Phone", r->in[SB_PHONE].str);
		req_set(r, "Sub.PhoneDisplay", phone_display(r->in[SB_PHONE].str, &r->arena));
		if (s.by_email)
			req_set(r, "Sub.AlsoEmail", r->in[SB_EMAIL].str);
		auth_form_token(r);
		return req_html(r, 202, "subscribe_code.cs");
	}
	req_set(r, "Result.Email", r->in[SB_EMAIL].str);
	return result_page(r, 202, "sent_email");
}

static enum err form_sub_verify(struct req *r)
{
	enum err e = confirm_code(r, r->params[0], r->in[SV_PHONE].str, r->in[SV_CODE].str);
	if (e == ERR_BAD_REQUEST) {
		req_set(r, "Form.Error", r->ei.code);
		req_set(r, "Sub.Token", r->params[0]);
		req_set(r, "Sub.Phone", r->in[SV_PHONE].str);
		req_set(r, "Sub.PhoneDisplay", phone_display(r->in[SV_PHONE].str, &r->arena));
		auth_form_token(r);
		return req_html(r, 400, "subscribe_code.cs");
	}
	if (e == ERR_GONE)
		return result_page(r, 410, "code_expired");
	if (e != ERR_OK)
		return e;
	return result_page(r, 200, "confirmed");
}

enum { CQ_TOKEN };
static const struct input in_confirm_page[] = {
	[CQ_TOKEN] = {"token", IN_TOKEN, SRC_QUERY, 1, 20, 64, NULL},
	{NULL},
};

/* page_confirm: the mailed link shows a button; only the POST confirms,
 * so a mail scanner that opens links does not subscribe anyone. */
static enum err page_confirm(struct req *r)
{
	struct db_result res;
	enum err e = savers_sub_link_page(r->db, &r->arena, token_hash(&r->arena, r->in[CQ_TOKEN].str), &res);
	if (e != ERR_OK)
		return e;
	if (res.nrows == 0)
		return result_page(r, 410, "invalid_link");
	req_set(r, "Sub.FullName", db_cell(&res, 0, 0));
	req_set(r, "Sub.Owner", db_cell(&res, 0, 1));
	req_set(r, "Sub.ConfirmToken", r->in[CQ_TOKEN].str);
	auth_form_token(r);
	return req_html(r, 200, "subscribe_confirm.cs");
}

static enum err form_confirm(struct req *r)
{
	const char *status;
	enum err e = confirm_link(r, r->in[CF_TOKEN].str, &status);
	if (e != ERR_OK)
		return e;
	if (strcmp(status, "confirmed") != 0)
		return result_page(r, 410, "invalid_link");
	return result_page(r, 200, "confirmed");
}

/* unsubscribe_render: the subscription's page (the card's link, the
 * unsubscribe form) for its unsubscribe token. */
static enum err unsubscribe_render(struct req *r, const char *token)
{
	struct db_result res;
	enum err e = savers_sub_unsubscribe_page(r->db, &r->arena, token, &res);
	if (e != ERR_OK)
		return e;
	if (res.nrows == 0)
		return req_fail(r, ERR_NOT_FOUND, "not_found", NULL, "no such subscription");
	req_set(r, "Sub.Status", db_cell(&res, 0, 0));
	req_set(r, "Sub.Owner", db_cell(&res, 0, 1));
	req_set(r, "Sub.Address", db_cell(&res, 0, 2) ? db_cell(&res, 0, 2) : db_cell(&res, 0, 3));
	req_set(r, "Sub.Token", token);
	if (db_cell(&res, 0, 4))
		req_set(r, "Sub.CardPath", arena_printf(&r->arena, "/c/%s", db_cell(&res, 0, 4)));
	auth_form_token(r);
	req_add_header(r, "X-Robots-Tag: noindex, nofollow");
	return req_html(r, 200, "subscribe_unsubscribe.cs");
}

static enum err page_unsubscribe(struct req *r)
{
	return unsubscribe_render(r, r->params[0]);
}

/* page_short: the short link of an SMS (savers_short_link): the same page */
static enum err page_short(struct req *r)
{
	const char *token;
	enum err e = savers_short_lookup(r->db, &r->arena, r->params[0], &token);
	if (e == ERR_NOT_FOUND)
		return req_fail(r, e, "not_found", NULL, "no such subscription");
	return e != ERR_OK ? e : unsubscribe_render(r, token);
}

enum { UF_NEVER };
static const struct input in_unsubscribe_form[] = {
	[UF_NEVER] = {"never", IN_BOOL, SRC_BODY, 0, 0, 0, NULL},
	{NULL},
};

static enum err form_unsubscribe(struct req *r)
{
	int never = (int)r->in[UF_NEVER].num;
	enum err e = unsubscribe(r, r->params[0], never);
	if (e != ERR_OK)
		return e;
	return result_page(r, 200, never ? "never" : "unsubscribed");
}

/* --- the route table ----------------------------------------------------*/

static const struct route routes[] = {
	{"GET", "/api/v1/savers", AUTH_USER, BODY_NONE, in_list, api_savers},
	{"POST", "/api/v1/savers/search", AUTH_USER, BODY_NONE, NULL, api_search},
	{"DELETE", "/api/v1/savers/members/{id}", AUTH_USER, BODY_NONE, NULL, api_remove_member},
	{"DELETE", "/api/v1/savers/subscribers/{id}", AUTH_USER, BODY_NONE, NULL, api_remove_subscriber},
	{"GET", "/api/v1/notifications", AUTH_USER, BODY_NONE, in_letters, api_letters},
	{"POST", "/api/v1/notifications/read-all", AUTH_USER, BODY_NONE, NULL, api_letters_read_all},
	{"POST", "/api/v1/notifications/{id}/read", AUTH_USER, BODY_NONE, NULL, api_letter_read},
	/* JSON posts to /c/{token}/subscribe[/verify] arrive here (conf/nginx/50-savers.conf) */
	{"POST", "/api/v1/c/{token}/subscribe", AUTH_NONE, BODY_JSON, in_subscribe, api_subscribe},
	{"POST", "/api/v1/c/{token}/subscribe/verify", AUTH_NONE, BODY_JSON, in_sub_verify, api_sub_verify},
	{"POST", "/api/v1/subscriptions/confirm", AUTH_NONE, BODY_JSON, in_confirm, api_confirm},
	{"POST", "/api/v1/subscriptions/unsubscribe", AUTH_NONE, BODY_JSON, in_unsubscribe_api, api_unsubscribe},

	{"GET", "/savers", AUTH_USER, BODY_NONE, in_page, page_savers},
	{"POST", "/savers/search", AUTH_USER, BODY_FORM, NULL, form_search},
	{"POST", "/savers/members/{id}/remove", AUTH_USER, BODY_FORM, NULL, form_remove_member},
	{"POST", "/savers/subscribers/{id}/remove", AUTH_USER, BODY_FORM, NULL, form_remove_subscriber},
	{"GET", "/inbox", AUTH_USER, BODY_NONE, in_inbox, page_inbox},
	{"POST", "/inbox/read-all", AUTH_USER, BODY_FORM, NULL, form_read_all},
	{"POST", "/inbox/{id}/read", AUTH_USER, BODY_FORM, NULL, form_read},
	{"GET", "/c/{token}/subscribe", AUTH_NONE, BODY_NONE, in_subscribe_page, page_subscribe},
	{"POST", "/c/{token}/subscribe", AUTH_NONE, BODY_FORM, in_subscribe, form_subscribe},
	{"POST", "/c/{token}/subscribe/verify", AUTH_NONE, BODY_FORM, in_sub_verify, form_sub_verify},
	{"GET", "/s/confirm", AUTH_NONE, BODY_NONE, in_confirm_page, page_confirm},
	{"POST", "/s/confirm", AUTH_NONE, BODY_FORM, in_confirm, form_confirm},
	{"GET", "/s/unsubscribe/{token}", AUTH_NONE, BODY_NONE, NULL, page_unsubscribe},
	{"GET", "/u/{token}", AUTH_NONE, BODY_NONE, NULL, page_short},
	{"POST", "/s/unsubscribe/{token}", AUTH_NONE, BODY_FORM, in_unsubscribe_form, form_unsubscribe},
	{NULL},
};

int main(int argc, char **argv)
{
	return app_run(argc, argv, "savers", routes, NULL);
}
