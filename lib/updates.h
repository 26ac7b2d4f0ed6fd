/* updates.h: module 104, updates reach every copy: the save hook, pending updates of linked copies (derived), applying and declining them, and the fan-out worker's steps. */
#ifndef LIVECARD_UPDATES_H
#define LIVECARD_UPDATES_H

#include <stddef.h>

#include <ClearSilver.h>
#include <jansson.h>

#include "arena.h"
#include "card.h"
#include "db.h"
#include "err.h"
#include "folder.h"
#include "outbox.h"
#include "owncard.h"

struct req;

/* Defaults of the settings (conf/livecard.hdf, docs/updates.md). */
#define UPDATES_COALESCE_SECONDS 60	/* Updates.CoalesceSeconds */
#define UPDATES_CHUNK_ROWS 5000		/* Updates.ChunkRows: entries or subscribers per step */
#define UPDATES_LEASE_SECONDS 60	/* Updates.LeaseSeconds: a job's claim without news */
#define UPDATES_SYNC_MAX 500		/* entries one sync or accept-all handles */

/* --- the save hook --------------------------------------------------------*/

/* updates_card_changed: card_id (owned by owner_id) has just been written as
 * revision. Records the fan-out in one statement: when a job for the card
 * is still waiting (its coalescing window, Updates.CoalesceSeconds from the
 * first edit, is open) its to_revision moves to revision; otherwise a new
 * waiting job from revision - 1 to revision is inserted. Call inside the
 * transaction that wrote the revision (owncard_save does). */
enum err updates_card_changed(struct db *db, long long card_id, long long owner_id, long long revision);

/* --- one entry's pending update ------------------------------------------*/

/* What applying revision to_revision of the source card would change in a
 * linked copy. Field rules: only fields the owner changed after the copy's
 * synced_revision (or after the revision the holder declined, which is not
 * asked about again unless that declined revision itself is asked for) and
 * shares now are considered; a text field takes the
 * owner's value; a list field (emails, phones, urls, addresses) takes the
 * owner's list followed by the items the holder added to the copy
 * themselves (items in neither the owner's list at synced_revision nor the
 * new one); an image takes the owner's image. fields holds the fields whose
 * value actually changes. Notes, tags, unchanged fields and unshared fields
 * are never touched. Strings live in the arena given to updates_diff. */
struct updates_diff {
	struct folder_entry entry;	/* the copy as stored */
	struct owncard src;		/* source card at to_revision, shared view */
	long long from_revision;	/* changes counted after this revision: the
					 * copy's synced_revision, or the declined one */
	long long to_revision;
	long long latest_revision;	/* the source card's current revision */
	int declined;			/* a declined update (updates_declined_diff, or
					 * updates_diff when the newest was declined) */
	unsigned considered;		/* the fields looked at: changed by the owner in
					 * the range (or declined), shared now */
	unsigned fields;		/* bit (1u << enum card_field) per changing field */
	struct card result;		/* the copy's text after applying */
	const char *image[FOLDER_SIDE__MAX];	/* the copy's images after applying */
};

/* updates_diff: the pending update of entry entry_id of holder's folder up
 * to to_revision (<= 0 or beyond the latest: the latest). lock reads the
 * entry FOR UPDATE (inside a transaction, before updates_apply).
 * ERR_NOT_FOUND when the entry is not in holder's folder; ERR_CONFLICT when
 * it is not linked to a member's card (typed in, or the card is gone). An
 * entry that is up to date gives fields 0 and to_revision <= from_revision
 * or nothing to change. When the holder declined to_revision (or later),
 * the result is updates_declined_diff's (declined 1). */
enum err updates_diff(struct db *db, struct arena *a, long long holder_id, long long entry_id,
		      long long to_revision, int lock, struct updates_diff *out);

/* updates_declined_diff: the update of entry entry_id the holder declined
 * and can still take ("updates you declined"): the fields they declined
 * (declined_fields) that the owner has not changed again after the
 * declined revision (such a change is a pending update again), at their
 * current values, merged like an update from the revision the copy held
 * when declining. declined is 1; fields 0 when nothing declined is left.
 * updates_diff gives the same when the holder declined the newest
 * revision. Taking it (updates_apply) leaves synced_revision alone while a
 * newer revision is pending. Errors as updates_diff. */
enum err updates_declined_diff(struct db *db, struct arena *a, long long holder_id, long long entry_id,
			       int lock, struct updates_diff *out);

/* updates_diff_json: the API object of a pending update (new reference):
 * {"entry_id", "owner": {"full_name"}, "from_revision", "to_revision",
 * "declined", "auto_update", "changes": [{"field", "old", "new"}]} with
 * old = the copy's value and new = the value after applying (API card
 * shapes; images as URLs or null). */
json_t *updates_diff_json(const struct updates_diff *d, struct arena *a);

/* updates_diff_hdf: the same for the pages under prefix: EntryId, Owner,
 * From, To, Declined, Auto, Changes.N.{Field, Image (front|back), OldImage,
 * NewImage (URLs), Old.K.{Label,Text}, New.K.{Label,Text}}. */
void updates_diff_hdf(HDF *hdf, const char *prefix, const struct updates_diff *d, struct arena *a);

/* updates_apply: write d (from updates_diff with lock) into the copy: the
 * changing fields through folder_entry_update (the folder's change log, keys
 * and member flags follow; CardDAV sees the change), synced_revision =
 * to_revision. A copy with nothing to change only has its synced_revision
 * moved. Call inside the transaction of updates_diff. */
enum err updates_apply(struct db *db, struct arena *a, struct updates_diff *d);

/* updates_decline: keep entry entry_id's copy as it is and stop asking for
 * the source card's current revision (declined_revision = that revision,
 * *revision gets it); the fields it would have changed stay listed as
 * declined (updates_declined_diff) until taken or changed again. ERR_NOT_FOUND / ERR_CONFLICT as updates_diff. Call
 * inside a transaction. */
enum err updates_decline(struct db *db, struct arena *a, long long holder_id, long long entry_id,
			 long long *revision);

/* updates_set_policy: the holder's choice for entry entry_id: auto_update
 * 1 (apply updates without asking), 0 (ask). Turning it on applies a
 * pending, not declined update at once (*applied 1). ERR_NOT_FOUND /
 * ERR_CONFLICT as updates_diff. Call inside a transaction. */
enum err updates_set_policy(struct db *db, struct arena *a, long long holder_id, long long entry_id,
			    int auto_update, int *applied);

/* --- offers: matched copies the holder may link (issue 18) ---------------*/

/* updates_offer_diff: what linking entry entry_id of holder's folder to the
 * card of the member it matches would change, in the shape of an update
 * from revision 0 to the card's current revision: each field the owner
 * shares and has filled in takes the owner's value (list fields: the
 * owner's items, then the holder's own); fields the owner left empty or
 * does not share, the holder's notes and tags are never touched. lock
 * reads the entry FOR UPDATE (then call updates_link in the same
 * transaction). ERR_NOT_FOUND when the entry is not in holder's folder;
 * ERR_CONFLICT when it is no offer (FOLDER_LINK_OFFER: linked already, not
 * matched to a member with a saved card, the holder links another copy of
 * that card, or dismissed): out->entry is filled then, to tell which. */
enum err updates_offer_diff(struct db *db, struct arena *a, long long holder_id, long long entry_id,
			    int lock, struct updates_diff *out);

/* updates_link: link the copy of d (from updates_offer_diff with lock) to
 * its owner's card and apply d, so that it is a linked copy holding the
 * card's current revision, like one saved from the public link: updates
 * reach it from then on. The holder becomes the owner's saver (savers_on_
 * entry, which tells the owner when the holder is new). ERR_CONFLICT when
 * another copy of the card was linked meanwhile. Call inside the
 * transaction of updates_offer_diff. */
enum err updates_link(struct db *db, struct arena *a, struct updates_diff *d);

/* updates_link_notify: updates_link, telling the owner of the new saver only
 * when notify is 1 (0: the saver is recorded silently, as bulk paths do;
 * lib/autolink.c). */
enum err updates_link_notify(struct db *db, struct arena *a, struct updates_diff *d, int notify);

/* updates_dismiss: stop offering entry entry_id for linking to the member
 * it matches now (an offer comes back if it matches another member later).
 * ERR_NOT_FOUND / ERR_CONFLICT as updates_offer_diff. Call inside a
 * transaction. */
enum err updates_dismiss(struct db *db, struct arena *a, long long holder_id, long long entry_id);

/* updates_offers: ids of holder's entries that are link offers, in id
 * order after after_id, at most limit (*ids in a, *more 1 when there are
 * further ones). */
enum err updates_offers(struct db *db, struct arena *a, long long holder_id, long long after_id,
			long long limit, long long **ids, size_t *n, int *more);

/* updates_offer_count: how many of holder's entries are link offers. */
enum err updates_offer_count(struct db *db, struct arena *a, long long holder_id, long long *n);

/* updates_behind: ids of holder's linked entries whose source card is newer
 * than the copy (cards.revision > synced_revision), in id order after
 * after_id, at most limit; with_declined 0 leaves out the entries whose
 * holder declined the current revision. *ids in a; *more 1 when there are
 * further ones. Entries whose newer revisions change nothing they see are
 * included (updates_diff gives fields 0 for them). */
enum err updates_behind(struct db *db, struct arena *a, long long holder_id, int with_declined,
			long long after_id, long long limit, long long **ids, size_t *n, int *more);

/* updates_pending_count: how many of holder's linked entries are behind and
 * not declined (the count of updates_behind, without reading the diffs). */
enum err updates_pending_count(struct db *db, struct arena *a, long long holder_id, long long *n);

/* updates_home_counts: Home.PendingUpdates for the signed-in member's home
 * page (left unset when the database does not answer). */
void updates_home_counts(struct req *r);

/* --- the fan-out (run by livecard-outbox) ---------------------------------*/

/* Counters of one fan-out step, for the worker's log. */
struct updates_step {
	long long job_id;		/* 0: no job was due */
	int finished;			/* the job is done */
	long long letters, messages, applied;
};

/* updates_fanout_step: one bounded step of the fan-out, in its own
 * transaction: claim a due job (waiting past its window, or running under
 * an expired claim) for claim (the worker's random id) unless one is held
 * already, then process one chunk of Updates.ChunkRows rows after the job's
 * cursor: member phase (linked copies of the card, by folder_entries.id):
 * in-site letters, e-mail/SMS/webhook per the holder's channels, copies on
 * automatic update applied (updates_apply); then subscriber phase
 * (confirmed subscribers of the card, by subscribers.id): e-mail or SMS
 * with the public link and the unsubscribe link, never to a do-not-contact
 * address, within Savers.MaxPerRecipientPerDay. Rows go in with INSERT
 * IGNORE ... SELECT and dedupe keys ("upd:<letter|email|sms|webhook>:
 * <entry>:<revision>", "sub:<subscriber>:upd:<card>:<revision>"), and the
 * cursor is committed with them, so a killed worker's successor resumes at
 * the cursor and nobody is told twice. Texts are rendered once per locale
 * (templates/mail|sms/card_updated*.cs). Needs tmpl_init (called here).
 * *st says what was done; ERR_OK with st->job_id 0 when nothing is due. */
enum err updates_fanout_step(struct db *db, struct arena *a, const char *claim, struct updates_step *st);

/* updates_entry_current: whether entry_id of holder_id's folder is linked
 * and holds its card's current revision (*current). */
enum err updates_entry_current(struct db *db, struct arena *a, long long holder_id, long long entry_id,
			       int *current);

/* updates_channel_fans_out: whether card updates are fanned out on channel
 * c (a sender of lib/updates.c's table; t_outbox checks every channel). */
int updates_channel_fans_out(enum outbox_channel c);

#endif
