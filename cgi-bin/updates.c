/* updates.c: module 104, pending updates of saved cards: list, accept, decline, sync, per-card policy, offers to link matched copies (JSON) and the /updates page. */
#include <string.h>

#include "auth.h"
#include "folder.h"
#include "http.h"
#include "letters.h"
#include "log.h"
#include "updates.h"

/* --- shared steps -------------------------------------------------------*/

/* entry_error: the answer for an entry that cannot be updated. */
static enum err entry_error(struct req *r, enum err e)
{
	if (e == ERR_NOT_FOUND)
		return req_fail(r, ERR_NOT_FOUND, "not_found", NULL, "no such entry in your card folder");
	if (e == ERR_CONFLICT)
		return req_fail(r, ERR_CONFLICT, "not_linked", NULL,
				"this entry was not saved from a member's card, so it has no updates");
	return e;
}

static json_t *fields_json(unsigned mask)
{
	json_t *arr = json_array();
	for (int f = 0; f < CF__MAX; f++)
		if (mask & (1u << f))
			json_array_append_new(arr, json_string(card_field_name((enum card_field)f)));
	return arr;
}

/* entry_json: {"entry": ...} of one of the caller's entries, plus extra. */
static enum err answer_entry(struct req *r, long long id, json_t *extra)
{
	struct folder_entry en;
	enum err e = folder_entry_get(r->db, &r->arena, r->user->id, id, 0, &en);
	if (e != ERR_OK) {
		json_decref(extra);
		return entry_error(r, e);
	}
	json_t *body = json_pack("{s:o}", "entry", folder_entry_json(&en, &r->arena));
	if (extra)
		json_object_update_new(body, extra);
	return req_json(r, 200, body);
}

/* letters_done: the holder's unread letters asking about entry id's
 * update ("card.update") are read once the update is accepted or declined
 * (in the caller's transaction). */
static enum err letters_done(struct req *r, long long id)
{
	return letters_update_done(r->db, r->user->id, id);
}

/* accept: apply the pending update of one entry, or with declined the
 * update its holder declined (its own transaction); *d says what was
 * applied. */
static enum err accept(struct req *r, long long id, int declined, struct updates_diff *d)
{
	enum err e = db_begin(r->db);
	if (e == ERR_OK)
		e = declined ? updates_declined_diff(r->db, &r->arena, r->user->id, id, 1, d)
			     : updates_diff(r->db, &r->arena, r->user->id, id, 0, 1, d);
	if (e == ERR_OK)
		e = updates_apply(r->db, &r->arena, d);
	if (e == ERR_OK)
		e = letters_done(r, id);
	if (e == ERR_OK)
		e = db_commit(r->db);
	return e != ERR_OK ? entry_error(r, e) : ERR_OK;
}

static enum err decline(struct req *r, long long id, long long *rev)
{
	enum err e = db_begin(r->db);
	if (e == ERR_OK)
		e = updates_decline(r->db, &r->arena, r->user->id, id, rev);
	if (e == ERR_OK)
		e = letters_done(r, id);
	if (e == ERR_OK)
		e = db_commit(r->db);
	return e != ERR_OK ? entry_error(r, e) : ERR_OK;
}

/* sync: step D3 over the caller's linked entries that are behind and not
 * declined (at most UPDATES_SYNC_MAX): *behind gets the pending updates
 * (entries whose new revisions change nothing the holder sees are left
 * out); with apply they are applied, in one transaction. decline_all
 * declines them instead. */
static enum err sync(struct req *r, int apply, int decline_all, json_t **behind, long long *n_done,
		     int *more)
{
	long long *ids;
	size_t n;
	enum err e = ERR_OK;

	*behind = json_array();
	*n_done = 0;
	if ((apply || decline_all) && (e = db_begin(r->db)) != ERR_OK)
		return e;
	e = updates_behind(r->db, &r->arena, r->user->id, 0, 0, UPDATES_SYNC_MAX, &ids, &n, more);
	for (size_t i = 0; e == ERR_OK && i < n; i++) {
		struct updates_diff d;
		long long rev;
		e = updates_diff(r->db, &r->arena, r->user->id, ids[i], 0, apply || decline_all, &d);
		if (e == ERR_NOT_FOUND || e == ERR_CONFLICT) {
			e = ERR_OK;	/* deleted or unlinked since the list was read */
			continue;
		}
		if (e != ERR_OK)
			break;
		if (d.fields)
			json_array_append_new(*behind, updates_diff_json(&d, &r->arena));
		if (apply || (decline_all && d.fields == 0)) {
			/* (nothing the holder sees: the copy just holds the revision) */
			e = updates_apply(r->db, &r->arena, &d);
			*n_done += d.fields != 0;
		} else if (decline_all) {
			e = updates_decline(r->db, &r->arena, r->user->id, ids[i], &rev);
			(*n_done)++;
		}
		if (e == ERR_OK && (apply || decline_all))
			e = letters_done(r, ids[i]);
	}
	if (e == ERR_OK && (apply || decline_all))
		e = db_commit(r->db);
	return e;
}

/* offer_error: the answer for an entry that cannot be linked (d->entry
 * tells why when updates_offer_diff filled it). */
static enum err offer_error(struct req *r, enum err e, const struct updates_diff *d)
{
	if (e != ERR_CONFLICT)
		return entry_error(r, e);
	if (d->entry.id && d->entry.source_card_id > 0)
		return req_fail(r, ERR_CONFLICT, "already_linked", NULL,
				"this card is linked to its owner's card already");
	return req_fail(r, ERR_CONFLICT, "not_offered", NULL,
			"this card does not match a member's card you could link it to, or you link another copy of it");
}

/* link: link a matched copy to its owner's card (its own transaction); *d
 * says what was applied. */
static enum err link(struct req *r, long long id, struct updates_diff *d)
{
	enum err e = db_begin(r->db);
	if (e == ERR_OK)
		e = updates_offer_diff(r->db, &r->arena, r->user->id, id, 1, d);
	if (e == ERR_OK)
		e = updates_link(r->db, &r->arena, d);
	if (e == ERR_OK)
		e = db_commit(r->db);
	return e != ERR_OK ? offer_error(r, e, d) : ERR_OK;
}

static enum err dismiss(struct req *r, long long id)
{
	struct updates_diff none;
	enum err e = db_begin(r->db);
	memset(&none, 0, sizeof(none));
	if (e == ERR_OK)
		e = updates_dismiss(r->db, &r->arena, r->user->id, id);
	if (e == ERR_OK)
		e = db_commit(r->db);
	return e != ERR_OK ? offer_error(r, e, &none) : ERR_OK;
}

/* --- JSON API -----------------------------------------------------------*/

/* answer_diffs: {key: [the update of each entry in ids], "next_cursor"}:
 * pending updates (entries with nothing to change are left out; with
 * declined, an entry's declined update follows its pending one), or with
 * offers what linking each would change; entries deleted or changed since
 * the ids were read are skipped. */
static enum err answer_diffs(struct req *r, const char *key, const long long *ids, size_t n, int more,
			     int offers, int declined)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		struct updates_diff d;
		enum err e = offers ? updates_offer_diff(r->db, &r->arena, r->user->id, ids[i], 0, &d)
				    : updates_diff(r->db, &r->arena, r->user->id, ids[i], 0, 0, &d);
		if (e == ERR_NOT_FOUND || e == ERR_CONFLICT)
			continue;
		if (e != ERR_OK) {
			json_decref(list);
			return e;
		}
		if (offers || d.fields)
			json_array_append_new(list, updates_diff_json(&d, &r->arena));
		if (offers || !declined || d.declined)
			continue;
		e = updates_declined_diff(r->db, &r->arena, r->user->id, ids[i], 0, &d);
		if (e == ERR_OK && d.fields)
			json_array_append_new(list, updates_diff_json(&d, &r->arena));
		else if (e != ERR_OK && e != ERR_NOT_FOUND && e != ERR_CONFLICT) {
			json_decref(list);
			return e;
		}
	}
	json_t *next = more && n ? json_string(arena_printf(&r->arena, "%lld", ids[n - 1])) : json_null();
	return req_json(r, 200, json_pack("{s:o, s:o}", key, list, "next_cursor", next));
}

enum { LS_LIMIT, LS_CURSOR, LS_DECLINED };
static const struct input in_list[] = {
	[LS_LIMIT] = {"limit", IN_INT, SRC_QUERY, 0, 1, 500, NULL},
	[LS_CURSOR] = {"cursor", IN_INT, SRC_QUERY, 0, 1, 0x7fffffffffffffffLL, NULL},
	[LS_DECLINED] = {"declined", IN_BOOL, SRC_QUERY, 0, 0, 0, NULL},
	{NULL},
};

/* api_list: the pending updates, by entry id; ?declined=1 adds the ones
 * the holder declined and can still take (with "declined": true; an entry
 * can have both). */
static enum err api_list(struct req *r)
{
	long long limit = r->in[LS_LIMIT].present ? r->in[LS_LIMIT].num : 50;
	long long *ids;
	size_t n;
	int more;
	enum err e = updates_behind(r->db, &r->arena, r->user->id, (int)r->in[LS_DECLINED].num,
				    r->in[LS_CURSOR].num, limit, &ids, &n, &more);
	if (e != ERR_OK)
		return e;
	return answer_diffs(r, "updates", ids, n, more, 0, (int)r->in[LS_DECLINED].num);
}

/* api_accept_as: api_accept, or with declined api_accept_declined. */
static enum err api_accept_as(struct req *r, int declined)
{
	struct updates_diff d;
	enum err e = accept(r, r->param_ids[0], declined, &d);
	if (e != ERR_OK)
		return e;
	return answer_entry(r, r->param_ids[0], json_pack("{s:o, s:I, s:I}", "applied", fields_json(d.fields),
		"from_revision", (json_int_t)d.from_revision, "to_revision", (json_int_t)d.to_revision));
}

static enum err api_accept(struct req *r)
{
	return api_accept_as(r, 0);
}

/* api_accept_declined: take the update the holder declined (issue 18). */
static enum err api_accept_declined(struct req *r)
{
	return api_accept_as(r, 1);
}

static enum err api_decline(struct req *r)
{
	long long rev = 0;
	enum err e = decline(r, r->param_ids[0], &rev);
	if (e != ERR_OK)
		return e;
	return answer_entry(r, r->param_ids[0], json_pack("{s:I}", "declined_revision", (json_int_t)rev));
}

static enum err api_all(struct req *r, int apply)
{
	json_t *behind;
	long long n;
	int more = 0;
	enum err e = sync(r, apply, !apply, &behind, &n, &more);
	if (e != ERR_OK) {
		json_decref(behind);
		return e;
	}
	return req_json(r, 200, json_pack("{s:o, s:I, s:b}", apply ? "applied" : "declined", behind,
					  "count", (json_int_t)n, "more", more));
}

static enum err api_accept_all(struct req *r)
{
	return api_all(r, 1);
}

static enum err api_decline_all(struct req *r)
{
	return api_all(r, 0);
}

enum { SY_APPLY };
static const struct input in_sync[] = {
	[SY_APPLY] = {"apply", IN_BOOL, SRC_BODY, 0, 0, 0, NULL},
	{NULL},
};

/* api_sync: step D3: which linked cards changed since they were synced;
 * with apply also update them. */
static enum err api_sync(struct req *r)
{
	json_t *behind;
	long long n;
	int more = 0, apply = (int)r->in[SY_APPLY].num;
	enum err e = sync(r, apply, 0, &behind, &n, &more);
	if (e != ERR_OK) {
		json_decref(behind);
		return e;
	}
	return req_json(r, 200, json_pack("{s:o, s:b, s:I, s:b}", "behind", behind, "applied", apply,
					  "updated", (json_int_t)n, "more", more));
}

enum { PO_AUTO };
static const struct input in_policy[] = {
	[PO_AUTO] = {"auto_update", IN_BOOL, SRC_BODY, 1, 0, 0, NULL},
	{NULL},
};

/* policy: store the entry's auto_update (its own transaction); turned on,
 * it applies the pending update, and the letters asking about it are read
 * once the copy holds the card's revision. */
static enum err policy(struct req *r, int on, int *applied)
{
	enum err e = db_begin(r->db);
	if (e == ERR_OK)
		e = updates_set_policy(r->db, &r->arena, r->user->id, r->param_ids[0], on, applied);
	if (e == ERR_OK && on) {
		int current;
		e = updates_entry_current(r->db, &r->arena, r->user->id, r->param_ids[0], &current);
		if (e == ERR_OK && current)
			e = letters_done(r, r->param_ids[0]);
	}
	if (e == ERR_OK)
		e = db_commit(r->db);
	return e != ERR_OK ? entry_error(r, e) : ERR_OK;
}

static enum err api_policy(struct req *r)
{
	int applied = 0;
	enum err e = policy(r, (int)r->in[PO_AUTO].num, &applied);
	if (e != ERR_OK)
		return e;
	return answer_entry(r, r->param_ids[0], json_pack("{s:b}", "applied", applied));
}

enum { OF_LIMIT, OF_CURSOR };
static const struct input in_offers[] = {
	[OF_LIMIT] = {"limit", IN_INT, SRC_QUERY, 0, 1, 500, NULL},
	[OF_CURSOR] = {"cursor", IN_INT, SRC_QUERY, 0, 1, 0x7fffffffffffffffLL, NULL},
	{NULL},
};

/* api_offers: the caller's copies of members' cards that are not linked
 * yet, each with what linking would change (an update from revision 0). */
static enum err api_offers(struct req *r)
{
	long long limit = r->in[OF_LIMIT].present ? r->in[OF_LIMIT].num : 50;
	long long *ids;
	size_t n;
	int more;
	enum err e = updates_offers(r->db, &r->arena, r->user->id, r->in[OF_CURSOR].num, limit, &ids, &n, &more);
	if (e != ERR_OK)
		return e;
	return answer_diffs(r, "offers", ids, n, more, 1, 0);
}

static enum err api_link(struct req *r)
{
	struct updates_diff d;
	enum err e = link(r, r->param_ids[0], &d);
	if (e != ERR_OK)
		return e;
	return answer_entry(r, r->param_ids[0], json_pack("{s:o, s:I}", "applied", fields_json(d.fields),
		"to_revision", (json_int_t)d.to_revision));
}

static enum err api_dismiss(struct req *r)
{
	enum err e = dismiss(r, r->param_ids[0]);
	return e != ERR_OK ? e : answer_entry(r, r->param_ids[0], NULL);
}

/* --- HTML pages ---------------------------------------------------------*/

static const char *const done_choices[] = {
	"accepted", "accepted_declined", "declined", "accepted_all", "declined_all", "auto", "nothing", "linked", "dismissed", NULL,
};

enum { PG_CHECK, PG_DONE, PG_CURSOR };
static const struct input in_page[] = {
	[PG_CHECK] = {"check", IN_BOOL, SRC_QUERY, 0, 0, 0, NULL},
	[PG_DONE] = {"done", IN_ENUM, SRC_QUERY, 0, 0, 0, done_choices},
	[PG_CURSOR] = {"cursor", IN_INT, SRC_QUERY, 0, 1, 0x7fffffffffffffffLL, NULL},
	{NULL},
};

#define PAGE_ITEMS 100

static enum err page_updates(struct req *r)
{
	long long *ids;
	size_t n;
	int more, np = 0, nd = 0;
	enum err e = updates_behind(r->db, &r->arena, r->user->id, 1, r->in[PG_CURSOR].num, PAGE_ITEMS,
				    &ids, &n, &more);
	if (e != ERR_OK)
		return e;
	for (size_t i = 0; i < n; i++) {
		struct updates_diff d;
		e = updates_diff(r->db, &r->arena, r->user->id, ids[i], 0, 0, &d);
		if (e == ERR_NOT_FOUND || e == ERR_CONFLICT)
			continue;
		if (e != ERR_OK)
			return e;
		if (d.fields) {
			const char *p = d.declined ? arena_printf(&r->arena, "Declined.%d", nd++)
						   : arena_printf(&r->arena, "Pending.%d", np++);
			updates_diff_hdf(r->hdf, p, &d, &r->arena);
		}
		if (d.declined)
			continue;
		/* what the holder declined of an older revision stays listed */
		e = updates_declined_diff(r->db, &r->arena, r->user->id, ids[i], 0, &d);
		if (e == ERR_OK && d.fields)
			updates_diff_hdf(r->hdf, arena_printf(&r->arena, "Declined.%d", nd++), &d, &r->arena);
		else if (e != ERR_OK && e != ERR_NOT_FOUND && e != ERR_CONFLICT)
			return e;
	}
	/* the copies the member could keep up to date (first page only) */
	if (!r->in[PG_CURSOR].present) {
		int no = 0;
		e = updates_offers(r->db, &r->arena, r->user->id, 0, PAGE_ITEMS, &ids, &n, &more);
		if (e != ERR_OK)
			return e;
		for (size_t i = 0; i < n; i++) {
			struct updates_diff d;
			e = updates_offer_diff(r->db, &r->arena, r->user->id, ids[i], 0, &d);
			if (e == ERR_NOT_FOUND || e == ERR_CONFLICT)
				continue;
			if (e != ERR_OK)
				return e;
			updates_diff_hdf(r->hdf, arena_printf(&r->arena, "Offers.%d", no++), &d, &r->arena);
		}
		req_setf(r, "Updates.OfferCount", "%d", no);
		if (more)
			req_set(r, "Updates.OffersMore", "1");
	}
	req_setf(r, "Updates.Count", "%d", np);
	if (more && n)
		req_setf(r, "Updates.Next", "%lld", ids[n - 1]);
	if (r->in[PG_CURSOR].present)
		req_set(r, "Updates.Paged", "1");
	if (r->in[PG_CHECK].num)
		req_set(r, "Updates.Checked", "1");
	if (r->in[PG_DONE].present)
		req_set(r, "Updates.Done", r->in[PG_DONE].str);
	auth_form_token(r);
	return req_html(r, 200, "updates.cs");
}

static enum err form_accept(struct req *r)
{
	struct updates_diff d;
	enum err e = accept(r, r->param_ids[0], 0, &d);
	if (e != ERR_OK)
		return e;
	return req_redirect(r, d.fields ? "/updates?done=accepted" : "/updates?done=nothing");
}

static enum err form_accept_declined(struct req *r)
{
	struct updates_diff d;
	enum err e = accept(r, r->param_ids[0], 1, &d);
	if (e != ERR_OK)
		return e;
	return req_redirect(r, d.fields ? "/updates?done=accepted_declined" : "/updates?done=nothing");
}

static enum err form_decline(struct req *r)
{
	long long rev;
	enum err e = decline(r, r->param_ids[0], &rev);
	return e != ERR_OK ? e : req_redirect(r, "/updates?done=declined");
}

static enum err form_all(struct req *r, int apply)
{
	json_t *behind;
	long long n;
	int more = 0;
	enum err e = sync(r, apply, !apply, &behind, &n, &more);
	json_decref(behind);
	if (e != ERR_OK)
		return e;
	if (n == 0)
		return req_redirect(r, "/updates?done=nothing");
	return req_redirect(r, apply ? "/updates?done=accepted_all" : "/updates?done=declined_all");
}

static enum err form_accept_all(struct req *r)
{
	return form_all(r, 1);
}

static enum err form_decline_all(struct req *r)
{
	return form_all(r, 0);
}

/* Forms of the entry page (folder module) come back to it: from=entry. */
static const char *const from_choices[] = {"updates", "entry", NULL};

/* back: 303 to the updates page, or to the entry's page when the form was
 * on it, saying what was done. */
static enum err back(struct req *r, int from_entry, const char *done)
{
	if (from_entry)
		return req_redirect(r, arena_printf(&r->arena, "/folder/%lld?%s=1", r->param_ids[0], done));
	return req_redirect(r, arena_printf(&r->arena, "/updates?done=%s", done));
}

enum { LF_FROM };
static const struct input in_link_form[] = {
	[LF_FROM] = {"from", IN_ENUM, SRC_BODY, 0, 0, 0, from_choices},
	{NULL},
};

static enum err form_link(struct req *r)
{
	struct updates_diff d;
	enum err e = link(r, r->param_ids[0], &d);
	return e != ERR_OK ? e : back(r, r->in[LF_FROM].num == 1, "linked");
}

static enum err form_dismiss(struct req *r)
{
	enum err e = dismiss(r, r->param_ids[0]);
	return e != ERR_OK ? e : back(r, r->in[LF_FROM].num == 1, "dismissed");
}

enum { PF_AUTO, PF_FROM };
static const struct input in_policy_form[] = {
	[PF_AUTO] = {"auto_update", IN_BOOL, SRC_BODY, 0, 0, 0, NULL},
	[PF_FROM] = {"from", IN_ENUM, SRC_BODY, 0, 0, 0, from_choices},
	{NULL},
};

static enum err form_policy(struct req *r)
{
	int applied = 0;
	/* an unticked checkbox is absent from the form: it means off */
	enum err e = policy(r, r->in[PF_AUTO].present && r->in[PF_AUTO].num, &applied);
	return e != ERR_OK ? e : back(r, r->in[PF_FROM].num == 1, "auto");
}


/* --- the route table ----------------------------------------------------*/

static const struct route routes[] = {
	{"GET", "/api/v1/updates", AUTH_USER, BODY_NONE, in_list, api_list},
	{"POST", "/api/v1/updates/accept-all", AUTH_USER, BODY_NONE, NULL, api_accept_all},
	{"POST", "/api/v1/updates/decline-all", AUTH_USER, BODY_NONE, NULL, api_decline_all},
	{"POST", "/api/v1/updates/{id}/accept", AUTH_USER, BODY_NONE, NULL, api_accept},
	{"POST", "/api/v1/updates/{id}/accept-declined", AUTH_USER, BODY_NONE, NULL, api_accept_declined},
	{"POST", "/api/v1/updates/{id}/decline", AUTH_USER, BODY_NONE, NULL, api_decline},
	{"GET", "/api/v1/updates/offers", AUTH_USER, BODY_NONE, in_offers, api_offers},
	{"POST", "/api/v1/updates/{id}/link", AUTH_USER, BODY_NONE, NULL, api_link},
	{"POST", "/api/v1/updates/{id}/dismiss", AUTH_USER, BODY_NONE, NULL, api_dismiss},
	{"POST", "/api/v1/folder/sync", AUTH_USER, BODY_JSON, in_sync, api_sync},
	{"PUT", "/api/v1/folder/{id}/policy", AUTH_USER, BODY_JSON, in_policy, api_policy},

	{"GET", "/updates", AUTH_USER, BODY_NONE, in_page, page_updates},
	{"POST", "/updates/accept-all", AUTH_USER, BODY_FORM, NULL, form_accept_all},
	{"POST", "/updates/decline-all", AUTH_USER, BODY_FORM, NULL, form_decline_all},
	{"POST", "/updates/{id}/accept", AUTH_USER, BODY_FORM, NULL, form_accept},
	{"POST", "/updates/{id}/accept-declined", AUTH_USER, BODY_FORM, NULL, form_accept_declined},
	{"POST", "/updates/{id}/decline", AUTH_USER, BODY_FORM, NULL, form_decline},
	{"POST", "/updates/{id}/policy", AUTH_USER, BODY_FORM, in_policy_form, form_policy},
	{"POST", "/updates/{id}/link", AUTH_USER, BODY_FORM, in_link_form, form_link},
	{"POST", "/updates/{id}/dismiss", AUTH_USER, BODY_FORM, in_link_form, form_dismiss},
	{NULL},
};

int main(int argc, char **argv)
{
	return app_run(argc, argv, "updates", routes, NULL);
}
