/* savers.h: module 103, who saved my card: the savers list, the message on save, subscribers' rules and send quotas. */
#ifndef LIVECARD_SAVERS_H
#define LIVECARD_SAVERS_H

#include <ClearSilver.h>
#include <jansson.h>

#include "arena.h"
#include "db.h"
#include "err.h"
#include "folder.h"
#include "outbox.h"

struct req;

/* SAVERS_HOLDS(S): SQL for "the saver of the savers row aliased S still
 * holds the owner's card" (FOLDER_HOLDS in folder.h) — the nightly job's
 * definition too. */
#define SAVERS_HOLDS(S) FOLDER_HOLDS(S ".owner_id", S ".saver_id")

/* SAVERS_VISIBLE(S): SQL for "the savers row aliased S is on the list":
 * the saver still holds the card, or subscribed with a verified address
 * (how = 'subscribed' needs no folder entry; the nightly job must keep it). */
#define SAVERS_VISIBLE(S) "(" S ".how = 'subscribed' OR " SAVERS_HOLDS(S) ")"

/* SAVERS_NOT_REMOVED(O, S): SQL for "owner O (an SQL expression) did not
 * remove member S from their savers list" (savers_removed, issue 18): every
 * path that records a saver (saving, search, a verification, the nightly
 * job) and every link offer (FOLDER_LINK_OFFER) checks it. */
#define SAVERS_NOT_REMOVED(O, S) \
	"NOT EXISTS (SELECT 1 FROM savers_removed sr WHERE sr.owner_id = " O " AND sr.saver_id = " S ")"

/* The states of a saver on the owner's list (savers_list's "state"). */
enum savers_state {
	SAVERS_STATE_LINKED,		/* a copy in the saver's folder is linked to the card: gets updates */
	SAVERS_STATE_COULD,		/* a matched copy that is not linked: could get them (an offer) */
	SAVERS_STATE_SUBSCRIBED,	/* told by e-mail or SMS (a subscription) */
	SAVERS_STATE__MAX
};

/* How a member saver was found (savers.how). */
enum savers_how {
	SAVERS_SAVED,		/* D saved A's card (public link, or typed in) */
	SAVERS_SEARCH,		/* A's search of all folders, or A verified a key */
	SAVERS_RECONCILE,	/* the nightly job */
	SAVERS_SUBSCRIBED,	/* D subscribed on A's page with an address D verified */
	SAVERS_HOW__MAX
};

/* savers_how_name: "saved", "search", "reconcile", "subscribed". */
const char *savers_how_name(enum savers_how h);

/* savers_how_lookup: the value named name, or SAVERS_HOW__MAX. */
enum savers_how savers_how_lookup(const char *name);

/* --- recording savers (called by other modules) ---------------------------*/

/* savers_record: member saver_id (D) holds owner_id's (A's) card. Upserts
 * the savers row (the first `since` and `how` are kept). When notify is 1
 * and the row is new, A is told at once: an in-site letter (notifications,
 * kind "card.saved"), and per A's channel settings an e-mail (to A's
 * verified address), an SMS (to A's first verified phone) and a webhook
 * (event "card.saved"), all queued in the outbox with the dedupe keys
 * "saved:<A>:<D>:<letter|email|sms|webhook>"; each carries D's name and
 * contact details (D's shared card, else D's account name and verified
 * addresses). With how "subscribed" the letter and webhook event are
 * "card.subscribed" (templates subscribed.cs) instead. how is "saved", "search", "reconcile" or "subscribed"
 * (ERR_BAD_REQUEST otherwise). owner_id == saver_id is a no-op, and so
 * is a pair the owner removed from their list (savers_removed). Call
 * inside the caller's transaction; nothing is committed here. */
enum err savers_record(struct db *db, struct arena *a, long long owner_id, long long saver_id,
		       const char *how, int notify);

/* savers_on_entry: the folder entry entry_id was just saved by its holder
 * (one card: from a public link, or typed in; not a bulk import). The
 * member whose card it is — the entry's owner_user_id, which matching set:
 * the linked source card's owner, else the lowest member id whose verified
 * e-mail or phone the entry carries, as the nightly job decides — gets the
 * holder recorded as a saver with how "saved" (savers_record with notify).
 * Call after folder_entry_insert or _update, inside the same transaction. */
enum err savers_on_entry(struct db *db, struct arena *a, long long entry_id, int notify);

/* savers_on_verified: user_id has just proved ckey ("e:<email>" or
 * "t:<E.164>"). Confirmed subscribers with that address are marked as that
 * member's (subscribers.user_id) and become member savers with how
 * "subscribed" (the row of a member who held the address before is
 * dropped); members whose folders hold a card with ckey become savers of
 * user_id with how "search" (no message); pairs an owner removed from
 * their list (savers_removed) are left out. Call inside the transaction of
 * member_key_verified. */
enum err savers_on_verified(struct db *db, struct arena *a, long long user_id, const char *ckey);

/* savers_search: step C2. Every member whose folder holds owner_id's card
 * (an entry whose owner_user_id is owner_id: one range of the owner index)
 * is added with how "search" and, as since, when they saved it. No
 * message; members owner_id removed from the list stay off it. *found:
 * the rows added. Call inside a transaction. */
enum err savers_search(struct db *db, struct arena *a, long long owner_id, long long *found);

/* --- reading the list --------------------------------------------------*/

/* savers_count: the length of owner_id's list, in people: member savers
 * still holding the card, or subscribed, and confirmed non-member
 * subscribers, a person subscribed by e-mail and by phone counted once
 * (subscribers.person_id). */
enum err savers_count(struct db *db, struct arena *a, long long owner_id, long long *n);

/* savers_list: a page of owner_id's list, newest first: *items (a new JSON
 * array, caller json_decref's it) of {"kind": "member"|"subscriber", "id"
 * (the member's user id, or the person's first subscription id),
 * "full_name", "organization", "title", "emails": [...], "phones": [...],
 * "is_member", "since", "how", "card_url", "state": "linked"|"could"|
 * "subscribed", "held", "held_since"} (held: changes held back from a
 * subscriber over the daily limit, or from the subscriptions of a member
 * saver found through one, to be sent as one message; held_since null
 * when none); one item per person; at most limit (1..500) after
 * cursor (NULL: from the start); *next_cursor (in a) NULL on the last page.
 * ERR_BAD_REQUEST (ei field "cursor") for a malformed cursor. */
enum err savers_list(struct db *db, struct arena *a, long long owner_id, const char *cursor,
		     long long limit, json_t **items, const char **next_cursor, struct errinfo *ei);

/* savers_member_json: what A may see of member D (a new JSON object):
 * D's shared card (full_name, organization, title, emails, phones and the
 * public link card_url) when D has saved one, else D's account name, its
 * verified e-mail and D's verified phones. ERR_NOT_FOUND when D is gone. */
enum err savers_member_json(struct db *db, struct arena *a, long long saver_id, json_t **out);

/* savers_home_counts: Home.Savers (the list's length) for the signed-in
 * member's home page. */
void savers_home_counts(struct req *r);

/* savers_cursor_make: the opaque cursor after a row (DATETIME text since,
 * kind 1 member / 0 subscriber, id), in a: "YYYYMMDDhhmmss-K-ID". */
const char *savers_cursor_make(struct arena *a, const char *since, int kind, long long id);

/* savers_cursor_parse: the parts of a cursor; since_out (in a) as DATETIME
 * text. 0 on success, -1 when malformed. */
int savers_cursor_parse(struct arena *a, const char *cursor, const char **since_out, int *kind,
			long long *id);

/* --- removing a saver (issue 18) -------------------------------------------*/

/* savers_remove_member: owner_id takes member saver_id off their list: the
 * savers row goes, savers_removed keeps the decision (nothing records the
 * saver again: SAVERS_NOT_REMOVED), every copy of owner_id's card in
 * saver_id's folder is unlinked (source_card_id NULL, matched again by its
 * keys, its content untouched) and not offered for linking to owner_id
 * (dismissed_owner_id), messages about it still queued are cancelled, and
 * saver_id's subscriptions to owner_id's card end. saver_id is told
 * nothing. ERR_NOT_FOUND when saver_id is not on owner_id's list. Call
 * inside a transaction. */
enum err savers_remove_member(struct db *db, struct arena *a, long long owner_id, long long saver_id);

/* savers_remove_subscriber: owner_id takes the non-member person of
 * subscription id off their list: every confirmed subscription of that
 * person (subscribers.person_id) to owner_id's card ends (status
 * unsubscribed; not on the do-not-contact list, so they may subscribe
 * again), what is queued or held for it is dropped. ERR_NOT_FOUND when it
 * is not a confirmed subscription to owner_id's card listed as a
 * non-member. Call inside a transaction. */
enum err savers_remove_subscriber(struct db *db, struct arena *a, long long owner_id, long long id);

/* savers_person_join: subscription id was just confirmed: its person_id is
 * that of a confirmed subscription to the same card with the same name on
 * the other channel (e-mail vs phone) whose person has no confirmed
 * subscription on this channel yet, else its own id. *joined 1 when it
 * joined another subscription's person (the owner was told already). */
enum err savers_person_join(struct db *db, struct arena *a, long long id, int *joined);

/* --- messages to non-members --------------------------------------------*/

/* savers_window_seconds: the window of the per-recipient quota
 * (Savers.RecipientWindowSeconds, default 86400: a day; tests shorten it). */
long savers_window_seconds(void);

/* savers_held_send: send the update messages held back from subscribers
 * over Savers.MaxPerRecipientPerDay whose window opened (held_until):
 * one message each ("N changes since <date>", templates mail|sms/
 * card_updated_held.cs, dedupe key "sub:<id>:held:<since>:<N>"), counted
 * against the update quota "u:<ckey>"; a recipient whose quota is spent
 * again is held on until the window after. At most max subscriptions, each
 * in its own transaction; *sent the messages queued. Needs tmpl_init
 * (called here). For the outbox worker. */
enum err savers_held_send(struct db *db, struct arena *a, int max, int *sent);

/* savers_quota_take: count one event against key in a fixed window of
 * window_s seconds. ERR_OK while the count is <= limit, else ERR_TOO_MANY
 * with *retry_after (seconds; may be NULL). The count is part of the
 * caller's transaction (a rolled-back request does not count). Keys used:
 * "r:<ckey>" confirmation and code messages to a recipient, "u:<ckey>"
 * update messages to a recipient (module 104; a separate count, so that
 * confirmations and codes never use up the update quota), "s:<client
 * address>" sender, "o:<owner id>" card owner, "pc:<user id>" phone codes,
 * "search:<user id>". */
enum err savers_quota_take(struct db *db, struct arena *a, const char *key, long limit,
			   long window_s, int *retry_after);

/* savers_channel_tells: whether the owner of a card is told on channel c
 * that someone saved it (t_outbox: every channel is). */
int savers_channel_tells(enum outbox_channel c);

/* savers_dnc_listed: whether ckey is on the do-not-contact list (*listed
 * 1 or 0). No message is ever queued to a listed address. */
enum err savers_dnc_listed(struct db *db, struct arena *a, const char *ckey, int *listed);

/* savers_ckey: "e:<email>" or "t:<phone>" (in a) of a subscriber's address. */
const char *savers_ckey(struct arena *a, const char *email, const char *phone);

/* savers_subscriber_message: queue a message to a non-member subscriber
 * (for the updates module): the mail templates/mail/<tmpl> or the SMS
 * templates/sms/<tmpl>, whichever address the subscription has, rendered
 * in locale (NULL: the subscriber's own) with data (may be NULL) plus
 * Sub.Unsubscribe (the one-click link every such message must show),
 * Sub.FullName and Sub.CardURL. Sends nothing, with *queued 0 and ERR_OK,
 * when the subscription is not confirmed, the address is on the
 * do-not-contact list, or the per-recipient update quota or the per-owner
 * quota (Savers.MaxPerRecipientPerDay as "u:<ckey>", Savers.MaxPerOwnerPerDay)
 * is spent. The
 * outbox dedupe key is "sub:<id>:" + dedupe_key (NULL: a random one), so
 * that unsubscribing cancels what is still queued. Call inside a
 * transaction. */
enum err savers_subscriber_message(struct db *db, struct arena *a, long long subscriber_id,
				   const char *locale, const char *tmpl, HDF *data,
				   const char *dedupe_key, int *queued);

/* savers_cancel_queued: mark the still-queued messages of subscription id
 * failed ("unsubscribed"), so none of them leaves after an unsubscribe. */
enum err savers_cancel_queued(struct db *db, struct arena *a, long long subscriber_id);

/* savers_tell_subscribed: tell owner_id that subscriber_id confirmed a
 * subscription (letter "card.subscribed", and e-mail/SMS/webhook per the
 * owner's channels, dedupe keys "subscribed:<id>:<channel>"). */
enum err savers_tell_subscribed(struct db *db, struct arena *a, long long owner_id,
				long long subscriber_id);

/* savers_subscriber_json: what the owner sees of a subscriber (a new JSON
 * object, the shape of savers_list's items). */
json_t *savers_subscriber_json(struct arena *a, long long id, const char *full_name,
			       const char *email, const char *phone, const char *since);

/* savers_one_line: s with control characters (line breaks too) replaced by
 * spaces, in a; for names put into mail subjects and SMS. */
const char *savers_one_line(struct arena *a, const char *s);

/* savers_letter_text: one line saying what a letter (a notifications row of
 * KIND with its decoded PAYLOAD) is about, in r->locale as of today: who
 * saved or subscribed (card.saved, card.subscribed), a changed card drawn
 * again with updates_letter.cs (card.update, card.updated), else the
 * letter's own "text", else a generic line. Allocated in r->arena. */
const char *savers_letter_text(struct req *r, const char *kind, const json_t *payload);

/* The short link of SMS to a subscriber (issue 21): one link that fits
 * one message, <base>/u/ and the first SAVERS_SHORT_LEN characters of the
 * subscription's unsubscribe token (48 random bits), leading to the
 * subscription's page: the card, and the button that stops the messages. */
#define SAVERS_SHORT_PATH "/u/"
#define SAVERS_SHORT_LEN 8
#define SAVERS_SHORT_LEN_SQL "8"

/* savers_short_link: the short link of a subscription (in a). */
const char *savers_short_link(struct arena *a, const char *unsubscribe_token);

/* savers_short_lookup: the unsubscribe token a short code stands for (in
 * a); ERR_NOT_FOUND for a malformed or unknown code. */
enum err savers_short_lookup(struct db *db, struct arena *a, const char *code, const char **token);

/* --- subscriptions: the subscribe form, its confirmation, unsubscribing --*/

/* savers_sub_find: the subscription of card_id for email (else phone),
 * locked FOR UPDATE: *id (0 when there is none) and whether it is
 * confirmed. Inside the caller's transaction. */
enum err savers_sub_find(struct db *db, struct arena *a, long long card_id, const char *email,
			 const char *phone, long long *id, int *confirmed);

/* savers_sub_open: subscription *id (0: a new one of card_id, owned by
 * owner_id, for email or phone, with a new unsubscribe token) is pending
 * again under name and locale, as if never confirmed; *id is the row.
 * ERR_CONFLICT when a concurrent request made the same one. */
enum err savers_sub_open(struct db *db, struct arena *a, long long card_id, long long owner_id,
			 const char *name, const char *email, const char *phone, const char *locale,
			 long long *id);

/* savers_sub_challenge: subscription id waits secs seconds for the secret
 * whose token_hash is hash, no tries used; *unsub is its unsubscribe
 * token (in a). ERR_INTERNAL when the row is gone. */
enum err savers_sub_challenge(struct db *db, struct arena *a, long long id, const char *hash,
			      long long secs, const char **unsub);

/* savers_sub_by_link: the pending e-mail subscription whose link has
 * token_hash hash, locked FOR UPDATE: *id (0 when none, or its link
 * expired), *owner and *email (in a). */
enum err savers_sub_by_link(struct db *db, struct arena *a, const char *hash, long long *id,
			    long long *owner, const char **email);

/* savers_sub_by_phone: the pending subscription of card_id for phone,
 * locked FOR UPDATE: *id (0 when none), *owner, *hash (the waiting code's,
 * NULL when none or expired) and *attempts. */
enum err savers_sub_by_phone(struct db *db, struct arena *a, long long card_id, const char *phone,
			     long long *id, long long *owner, const char **hash, long long *attempts);

/* savers_sub_code_missed: a wrong code for subscription id: one try used,
 * and the code dropped once max tries are used. */
enum err savers_sub_code_missed(struct db *db, long long id, long long max);

/* savers_sub_confirmed: subscription id (of owner) is confirmed: the owner
 * is told; an address (email or phone) that is a member's verified one
 * makes that member the saver (savers_record "subscribed"); the same person
 * by e-mail and by phone is told once (savers_person_join). Inside the
 * caller's transaction. */
enum err savers_sub_confirmed(struct db *db, struct arena *a, long long id, long long owner,
			      const char *email, const char *phone);

/* savers_unsubscribe: the subscription with unsubscribe token token ends;
 * never also puts its address on the do-not-contact list, fails what is
 * still queued to the address and ends every subscription of it. Whatever
 * is queued for the ended subscriptions is cancelled and member savers
 * recorded by them are removed. ERR_NOT_FOUND when no subscription has the
 * token. Inside the caller's transaction. */
enum err savers_unsubscribe(struct db *db, struct arena *a, const char *token, int never);

/* savers_sub_link_page: what the confirmation page of a live mailed link
 * (token_hash hash) shows: (subscriber's name, card owner's name); no row
 * when the link is unknown, used or expired. */
enum err savers_sub_link_page(struct db *db, struct arena *a, const char *hash, struct db_result *res);

/* savers_sub_unsubscribe_page: what the unsubscribe page of token shows:
 * (status, card owner's name, email, phone, the card's share token); no row when unknown. */
enum err savers_sub_unsubscribe_page(struct db *db, struct arena *a, const char *token,
				     struct db_result *res);

/* savers_is_removed: whether owner_id removed member saver_id from their
 * savers list (savers_removed). */
enum err savers_is_removed(struct db *db, struct arena *a, long long owner_id, long long saver_id,
			   int *removed);

#endif
