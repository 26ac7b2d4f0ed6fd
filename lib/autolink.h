/* autolink.h: issue 18, "link cards of members automatically": the member setting, linking the copies that become link offers, and the one letter that tells a holder about them. */
#ifndef LIVECARD_AUTOLINK_H
#define LIVECARD_AUTOLINK_H

#include <stddef.h>

#include "arena.h"
#include "db.h"
#include "err.h"

/* Copies one request links at most (about 2 ms each); the offers beyond
 * stay offers until the next path that links (turning the setting on, an
 * import, ...) or the nightly job (livecard-reconcile) links them. */
#define AUTOLINK_MAX 500

/* Why a holder gets the letter about matched copies. */
enum autolink_why {
	AUTOLINK_IMPORT,	/* a vCard import brought cards of members */
	AUTOLINK_VERIFIED,	/* a member proved a key that copies in the folder carry */
	AUTOLINK__MAX
};

/* autolink_enabled: whether holder_id chose to link the cards of members
 * automatically (users.auto_link_members); *on 0 or 1. */
enum err autolink_enabled(struct db *db, struct arena *a, long long holder_id, int *on);

/* autolink_entries: the link offers (FOLDER_LINK_OFFER) among holder_id's
 * entries ids[0..n) (ids NULL: all of the holder's offers). When the holder
 * has the setting on, up to limit of them are linked, in id order, as
 * updates_link does (the owner's shared fields with the update merge rules,
 * the holder becomes the owner's saver) but without telling the owner: the
 * path that made the copy tells the owner as it always did. *linked (may be
 * NULL) gets how many were linked, *offers (may be NULL) how many offers
 * are left among them (setting off, over limit). Call inside the
 * transaction that matched the entries (after folder_insert_entries or
 * folder_entry_update). */
enum err autolink_entries(struct db *db, struct arena *a, long long holder_id, const long long *ids,
			  size_t n, long long limit, long long *linked, long long *offers);

/* autolink_letter: one in-site letter (notifications, kind "cards.matched",
 * payload {"text", "url": "/updates", "why", "linked", "offers"}) to
 * holder_id in their language: for AUTOLINK_IMPORT "N of the imported cards
 * belong to members: keep them up to date" and/or "N imported cards were
 * linked to members' cards". Nothing when linked + offers is 0. No e-mail,
 * SMS or webhook. Call inside the transaction. */
enum err autolink_letter(struct db *db, struct arena *a, long long holder_id, enum autolink_why why,
			 long long linked, long long offers);

/* autolink_verified: after user_id proved a key (member_key_verified), the
 * copies cands[0..n) (unlinked entries in other members' folders carrying
 * the key that did not belong to user_id before) have been matched again.
 * When there are such copies, user_id's card is made if they have none yet
 * (revision 0: a member verifying at sign-up), so that they are offered.
 * Those now offered for linking to user_id's card are linked at once for
 * holders with the setting on (at most AUTOLINK_MAX in all, the rest by the
 * nightly job), and every holder of such copies gets one letter
 * (AUTOLINK_VERIFIED: "<member> is now a member: ..."), written for all
 * holders with one statement. Call inside the verification's transaction. */
enum err autolink_verified(struct db *db, struct arena *a, long long user_id, const long long *cands,
			   size_t n);

#endif
