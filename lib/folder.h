/* folder.h: the card folder (module 102): saved entries with their matching keys, tags, change log and member flags; the home of the folder_entries table's statements and SQL fragments (docs/architecture.md, "SQL"). */
#ifndef LIVECARD_FOLDER_H
#define LIVECARD_FOLDER_H

#include <stddef.h>

#include <jansson.h>

#include "arena.h"
#include "card.h"
#include "db.h"
#include "err.h"

#define FOLDER_MAX_TAGS 20	/* tags on one entry */
#define FOLDER_MAX_TAG 100	/* bytes of one tag */
#define FOLDER_MAX_NOTES 4000	/* bytes of the holder's notes */
#define FOLDER_MAX_UID 255	/* bytes of a vCard UID we keep as it is */
#define FOLDER_MAX_EXTRAS 200	/* kept vCard properties per entry */
#define FOLDER_BATCH 500	/* entries per multi-row statement */

/* FOLDER_SAVED_MY_CARD(E): SQL for "the owner of the folder_entries row
 * aliased E (a string literal) also holds the holder's card": the owner's
 * folder has an entry whose owner_user_id is the holder. Matching sets
 * owner_user_id (a linked copy's card owner, else the lowest member id whose
 * verified key the copy carries), so this is the nightly job's definition
 * too (livecard-reconcile); one probe of folder_entries_owner. Set the
 * owners first: the flag reads them. */
#define FOLDER_SAVED_MY_CARD(E) \
	"(" E ".owner_user_id IS NOT NULL AND EXISTS (SELECT 1 FROM folder_entries sg " \
	"FORCE INDEX (folder_entries_owner) WHERE sg.owner_user_id = " E ".holder_id " \
	"AND sg.holder_id = " E ".owner_user_id))"

/* FOLDER_LINK_OFFER(E): SQL for "the folder_entries row aliased E is a copy
 * its holder may link to its owner's card" (issue 18): not linked, matched to
 * a member (owner_user_id, set by matching on every path and by the nightly
 * job) who has a card (even one never saved yet: its first save then
 * arrives as an update), the holder holds no linked
 * copy of that card already, and did not dismiss this member's offer, and
 * the member did not remove the holder from their savers list
 * (savers_removed: SAVERS_NOT_REMOVED in savers.h). Offers are derived,
 * never stored: whatever sets owner_user_id makes one. */
#define FOLDER_LINK_OFFER(E) \
	"(" E ".source_card_id IS NULL AND " E ".owner_is_member = 1 AND " E ".owner_user_id IS NOT NULL " \
	"AND NOT (" E ".dismissed_owner_id <=> " E ".owner_user_id) " \
	"AND NOT EXISTS (SELECT 1 FROM savers_removed lr WHERE lr.owner_id = " E ".owner_user_id " \
	"AND lr.saver_id = " E ".holder_id) " \
	"AND EXISTS (SELECT 1 FROM cards oc WHERE oc.user_id = " E ".owner_user_id " \
	"AND NOT EXISTS (SELECT 1 FROM folder_entries ol WHERE ol.holder_id = " E ".holder_id " \
	"AND ol.source_card_id = oc.id)))"

/* FOLDER_HOLDS(O, H): SQL for "member H (an SQL expression) holds member
 * O's card": H's folder has an entry whose owner_user_id is O (set by
 * matching: a linked copy's card owner, else the lowest member id whose
 * verified key it carries). One probe of folder_entries_owner. */
#define FOLDER_HOLDS(O, H) \
	"EXISTS (SELECT 1 FROM folder_entries hf FORCE INDEX (folder_entries_owner) " \
	"WHERE hf.owner_user_id = " O " AND hf.holder_id = " H ")"

/* FOLDER_HOLDS_LINKED(O, H): SQL for "member H holds a copy linked to one
 * of member O's cards". */
#define FOLDER_HOLDS_LINKED(O, H) \
	"EXISTS (SELECT 1 FROM cards oc JOIN folder_entries lf ON lf.source_card_id = oc.id " \
	"AND lf.holder_id = " H " WHERE oc.user_id = " O ")"

/* What a save does when the card's e-mail, phone or UID is already in the
 * folder: nothing (skip), fold the new card into the old entry (merge), or
 * save a second entry anyway (keep). */
enum folder_dup {
	FOLDER_DUP_SKIP,
	FOLDER_DUP_MERGE,
	FOLDER_DUP_KEEP,
	FOLDER_DUP__MAX
};

/* folder_dup_choices: {"skip", "merge", "keep", NULL}, indexed by enum
 * folder_dup (for IN_ENUM inputs). */
extern const char *const folder_dup_choices[];

/* The two pictures of a collected card. */
enum folder_side {
	FOLDER_FRONT,
	FOLDER_BACK,
	FOLDER_SIDE__MAX
};

/* One entry as stored. Strings live in the arena given to the reader. */
struct folder_entry {
	long long id, holder_id;
	const char *uid;
	struct card card;		/* the holder's copy, extras included */
	const char *card_json;		/* the stored card object (JSON text) */
	const char *notes;
	const char **tags;
	size_t n_tags;
	const char *image[FOLDER_SIDE__MAX];	/* image hashes, or NULL */
	long long source_card_id;	/* 0: typed in or imported */
	long long synced_revision;	/* -1 when not linked */
	long long declined_revision;	/* -1 when none */
	long long latest_revision;	/* the source card's revision; -1 unlinked */
	int auto_update;		/* the holder's choice: -1 default, 0, 1 */
	int auto_update_effective;	/* with the holder's default applied */
	long long owner_user_id;	/* 0 when no member matched */
	int owner_is_member;
	int owner_saved_my_card;
	int link_offer;			/* FOLDER_LINK_OFFER: the holder may link it */
	long long change_seq;
	const char *created_at, *updated_at;	/* MariaDB DATETIME text */
	const char *phone_shown;	/* brief listings: the first phone's display
					 * form as stored (phone_shown_add), or NULL */
};

/* A new entry. card must be normalised (card_from_json or card_normalize);
 * its extras are stored too. Every other member may be 0/NULL. */
struct folder_new {
	const struct card *card;
	const char *notes;		/* NULL: "" */
	const char *const *tags;	/* checked with folder_tags_clean */
	size_t n_tags;
	const char *uid;		/* NULL, "" or unusable (folder_uid_ok): random */
	const char *image[FOLDER_SIDE__MAX];	/* stored image hashes */
	long long source_card_id;	/* linked: the source card ... */
	long long synced_revision;	/* ... the revision this copy holds */
	long long owner_user_id;	/* ... and its owner (a member) */
};

/* A change to an entry; members left 0/NULL keep what is stored. */
struct folder_change {
	const struct card *card;	/* the new copy (normalised), or NULL */
	const char *notes;		/* NULL: keep */
	int set_tags;			/* replace the tags with tags[0..n_tags) */
	const char *const *tags;
	size_t n_tags;
	int set_image[FOLDER_SIDE__MAX];	/* replace that image ... */
	const char *image[FOLDER_SIDE__MAX];	/* ... with this hash (NULL: remove) */
	long long synced_revision;	/* > 0: the copy now holds this revision
					 * of its source card (updates module) */
};

/* folder_side_name: "front" or "back". */
const char *folder_side_name(enum folder_side s);

/* folder_uid_new: a random UID ("urn:uuid:" + RFC 4122 v4), in a. */
const char *folder_uid_new(struct arena *a);

/* folder_uid_ok: whether an imported UID can be kept as the entry's UID:
 * 1..FOLDER_MAX_UID printable ASCII characters, without '/' or '\\'. */
int folder_uid_ok(const char *uid);

/* folder_tags_clean: trim, drop empty and repeated tags (compared without
 * case), check UTF-8, length and count. *out (in a) and *n_out get the
 * tags to store. ERR_BAD_REQUEST with ei->field "tags" when one is too
 * long, not UTF-8, or there are more than FOLDER_MAX_TAGS. */
enum err folder_tags_clean(const char *const *tags, size_t n, struct arena *a,
			   const char ***out, size_t *n_out, struct errinfo *ei);

/* folder_tags_union: the tags of a followed by those of b, cleaned as
 * folder_tags_clean does (in arena); its errors as there (the caller then
 * keeps a's tags). */
enum err folder_tags_union(struct arena *arena, const char *const *a, size_t n_a,
			   const char *const *b, size_t n_b, const char ***out, size_t *n_out,
			   struct errinfo *ei);

/* folder_card_load: a card from its stored JSON text and extras (a JSON
 * array of lines, or NULL), without re-validating it (card_load,
 * card_load_extras): stored cards were checked when they were written, and
 * imported ones may hold values the strict API rules refuse. ERR_INTERNAL
 * when the text is not a card. */
enum err folder_card_load(const char *card_json, const char *extras_json,
			  struct arena *a, struct card *out);

/* folder_card_from_json: a card object from a client, checked like
 * card_from_json (strict), except that an e-mail, phone, URL or address
 * identical to one in old (the stored copy; may be NULL) is taken as it
 * is, so a holder can edit an imported card that carries values the strict
 * rules refuse. The extras of old are kept. On failure ERR_BAD_REQUEST
 * with ei naming the field, as card_from_json. */
enum err folder_card_from_json(const json_t *obj, const struct card *old,
			       const char *default_country, struct card *out,
			       struct arena *a, struct errinfo *ei);

/* folder_card_merge: fold src into dst (for on_duplicate=merge): empty
 * text fields of dst take src's, e-mails/phones/URLs/addresses/extras of
 * src that dst lacks are appended (up to CARD_MAX_ITEMS), a note of src
 * that differs is appended to dst's. dst's arrays are replaced by new ones
 * in a; its strings are shared with src. */
void folder_card_merge(struct card *dst, const struct card *src, struct arena *a);

/* folder_lock: lock holder's folder (its folders row, created when
 * absent) until the transaction ends, so that checking for duplicates and
 * saving are not interleaved with another request on the same folder.
 * Call first inside the transaction. */
enum err folder_lock(struct db *db, long long holder_id);

/* folder_fold_backfill: write search_fold (sql/021_search_fold.sql) for up
 * to limit entries with id > after_id that have none (written before that
 * migration, or by livecardctl seed), in id order; an entry whose
 * search_text changed meanwhile is left to the writer that changed it, and
 * one whose fold is longer than the column keeps none (it is searched by
 * search_text). *last_id: the highest id looked at (0 when none: done);
 * *filled: how many got a fold. */
enum err folder_fold_backfill(struct db *db, struct arena *a, long long after_id, long long limit,
			      long long *last_id, long long *filled);

/* folder_insert_entries: save n new entries in holder's folder with a few
 * set-based statements per FOLDER_BATCH entries (multi-row INSERT ...
 * SELECT FROM JSON_TABLE): the rows, their matching keys, tags, change-log
 * rows (folders.seq bumped once per entry), then the member flags of the
 * new entries and the owner_saved_my_card flags they turn on elsewhere.
 * ids (may be NULL) receives the new ids in order. Call inside a
 * transaction. ERR_CONFLICT when a UID is already in the folder (check
 * with folder_find_duplicates first). */
enum err folder_insert_entries(struct db *db, struct arena *a, long long holder_id,
			       const struct folder_new *items, size_t n, long long *ids);

/* folder_entry_insert: folder_insert_entries of one entry. */
enum err folder_entry_insert(struct db *db, struct arena *a, long long holder_id,
			     const struct folder_new *in, long long *id);

/* folder_save_card: the work of POST /api/v1/folder, /folder/new and a
 * reviewed scan (cgi-bin/scan.c): save c with
 * notes, tags and images, or do what on_duplicate says when its e-mail or
 * phone is in the folder already. *id is the entry the answer shows,
 * *action NULL (new entry) or "skipped", "merged", "kept"; *dup the entry
 * it duplicated. Commits. */
enum err folder_save_card(struct db *db, struct arena *a, long long holder_id, const struct card *c,
			  const char *notes, const char *const *tags, size_t n_tags,
			  const char *const img[FOLDER_SIDE__MAX], enum folder_dup policy, long long *id,
			  const char **action, long long *dup);

/* folder_entry_get: entry id of holder's folder into *out (lock: read it
 * FOR UPDATE, inside a transaction). ERR_NOT_FOUND when there is no such
 * entry in that folder, whoever else may hold it. */
enum err folder_entry_get(struct db *db, struct arena *a, long long holder_id, long long id,
			  int lock, struct folder_entry *out);

/* folder_entry_update: apply ch to entry id of holder's folder: the row,
 * its keys and tags, one change-log row; when the card changed, the member
 * flags are matched again (and the reverse flags of the owners it matched
 * before or matches now). ERR_NOT_FOUND as folder_entry_get. Call inside a
 * transaction. */
enum err folder_entry_update(struct db *db, struct arena *a, long long holder_id, long long id,
			     const struct folder_change *ch);

/* folder_entry_update_card: folder_entry_update with only a new card. */
enum err folder_entry_update_card(struct db *db, struct arena *a, long long holder_id,
				  long long id, const struct card *c);

/* folder_entry_delete: remove entry id of holder's folder, leave a
 * tombstone in the change log (with its UID) and recompute the reverse
 * flags it supported. ERR_NOT_FOUND as folder_entry_get. Call inside a
 * transaction. */
enum err folder_entry_delete(struct db *db, struct arena *a, long long holder_id, long long id);

/* folder_match: set owner_user_id, owner_is_member and owner_saved_my_card
 * of one entry from its card_keys (the lowest matching member id wins; a
 * linked entry keeps its source card's owner), and turn on
 * owner_saved_my_card of the matched owners' entries for the holder. */
enum err folder_match(struct db *db, struct arena *a, long long entry_id);

/* folder_find_duplicates: for each of n cards (with uids[i], NULL or ""
 * for none), the lowest id of an entry of holder's folder sharing an
 * e-mail or phone key or the UID; 0 when none. One query for all. */
enum err folder_find_duplicates(struct db *db, struct arena *a, long long holder_id,
				const struct card *const *cards, const char *const *uids,
				size_t n, long long *dup_ids);

/* folder_saved_count: the number of entries in holder's folder. */
enum err folder_saved_count(struct db *db, struct arena *a, long long holder_id, long long *n);

/* A page of a folder listing. */
struct folder_page {
	struct folder_entry *entries;
	size_t n;
	const char *next_cursor;	/* NULL on the last page */
};

/* folder_list: holder's entries ordered by (full_name, id), at most limit
 * (1..500), after cursor (NULL: from the start; an opaque value from a
 * previous next_cursor). q (NULL or ""): every word must occur in the
 * names, organisation, e-mails or phones; a q that reads as a phone number
 * in any common format finds its E.164 form, a run of digits finds the
 * digits. tag (NULL or ""): only entries with that tag. ERR_BAD_REQUEST
 * (ei field "cursor") for a cursor that is not ours. */
enum err folder_list(struct db *db, struct arena *a, long long holder_id, const char *q,
		     const char *tag, const char *cursor, long long limit,
		     const char *default_country, struct folder_page *out, struct errinfo *ei);

/* folder_list_json: folder_list for folder_entry_json: each entry has its
 * card_json and an empty card (no card parsed that the answer would not use). */
enum err folder_list_json(struct db *db, struct arena *a, long long holder_id, const char *q,
			  const char *tag, const char *cursor, long long limit,
			  const char *default_country, struct folder_page *out, struct errinfo *ei);

/* folder_list_brief: folder_list for the list pages: each entry's card holds
 * only its full name, title, organisation, first phone and first e-mail
 * (read in SQL, no card JSON parsed) and card_json is NULL; of the rest only
 * what a tile shows is read (id, front image, link and revisions, owner
 * match, tags, link offer): holder_id, uid, notes, back image, auto_update
 * (-1, effective 0), change_seq and the times are left 0/NULL. any_tags:
 * 0 when the caller knows the holder tagged no entry at all (read after
 * the folder's view counter, like the page: no tags statement), else 1. */
enum err folder_list_brief(struct db *db, struct arena *a, long long holder_id, const char *q,
			   const char *tag, const char *cursor, long long limit,
			   const char *default_country, int any_tags, struct folder_page *out,
			   struct errinfo *ei);

/* folder_view_seq: the holder's folder view counter (folder_views.view_seq,
 * sql/022_folder_view.sql; 0 when the folder never changed): MariaDB's
 * triggers raise it in the transaction of every change of what a list page
 * shows (entries, tags, linked cards' revisions, owners' cards, removed
 * savers, deleted owners). Read it before the rows a page shows, never
 * after: what is read after it is at least as new, so may be kept under it
 * (lib/foldercache.c). One primary-key statement. */
enum err folder_view_seq(struct db *db, struct arena *a, long long holder_id, long long *seq);

/* folder_tags_all: the holder's tags (sorted) with their entry counts;
 * *tags and *counts in a. */
enum err folder_tags_all(struct db *db, struct arena *a, long long holder_id,
			 const char ***tags, long long **counts, size_t *n);

/* folder_entry_json: the API object of an entry (new reference): id, card,
 * owner_is_member, owner_saved_my_card, linked, synced_revision,
 * latest_revision, update_pending, auto_update, link_offer (the copy
 * matches a member's card and may be linked to it), tags, notes,
 * updated_at, created_at, uid and images {front, back} (URLs of the images,
 * or null). */
json_t *folder_entry_json(const struct folder_entry *e, struct arena *a);

/* folder_entry_json_text: folder_entry_json as the JSON text an API answer
 * holds (JSON_COMPACT | JSON_ENSURE_ASCII), in a, byte for byte what
 * jansson writes: the stored card text is copied in (card_json_ascii) and
 * the other members written directly (lib/jsonw.c), no jansson tree built;
 * an entry whose texts are not in that form (not strict UTF-8) is left to
 * jansson. NULL when out of memory. */
const char *folder_entry_json_text(const struct folder_entry *e, struct arena *a);

/* folder_image_url: the API path of an entry's image, with ?v=<hash> so
 * that the URL names the bytes (and may be cached). In a. */
const char *folder_image_url(struct arena *a, long long id, enum folder_side side,
			     const char *hash);

/* folder_linked_copy: the entry of holder's folder linked to card_id
 * (source_card_id) in *id, 0 when there is none; lock: FOR UPDATE. */
enum err folder_linked_copy(struct db *db, struct arena *a, long long holder_id, long long card_id,
			    int lock, long long *id);

/* folder_unlinked_copy_offer: holder's oldest copy of member owner_id's
 * card that is not linked (typed in, imported, from CardDAV), locked FOR
 * UPDATE, in *id (0 when none); its link offer is made again, even if it
 * was dismissed before. Inside the caller's transaction. */
enum err folder_unlinked_copy_offer(struct db *db, struct arena *a, long long holder_id,
				    long long owner_id, long long *id);

/* --- folder_entries statements of other modules (each inside the caller's
 * transaction; the caller decides when and what one transaction holds) --- */

/* folder_entry_owner: entry_id's holder and its matched owner (0 when
 * none) into *holder_id, *owner_id; ERR_NOT_FOUND when there is no such
 * entry. */
enum err folder_entry_owner(struct db *db, struct arena *a, long long entry_id, long long *holder_id,
			    long long *owner_id);

/* folder_offers_among: of the entries ids[0..n), holder's that are link
 * offers (FOLDER_LINK_OFFER), in id order, at most limit; *out in a. */
enum err folder_offers_among(struct db *db, struct arena *a, long long holder_id, const long long *ids,
			     size_t n, long long limit, long long **out, size_t *n_out);

/* folder_offers_among_count: how many of the entries ids[0..n) are link
 * offers in holder's folder. */
enum err folder_offers_among_count(struct db *db, struct arena *a, long long holder_id,
				   const long long *ids, size_t n, long long *count);

/* folder_autolink_offers: of the entries ids[0..n), the offers of
 * owner_id's card in other members' folders whose holder links cards of
 * members automatically (users.auto_link_members), in id order, at most
 * limit: rows (entry id, holder id) in *res. */
enum err folder_autolink_offers(struct db *db, struct arena *a, long long owner_id, const long long *ids,
				size_t n, long long limit, struct db_result *res);

/* folder_matched_per_holder: of the entries ids[0..n) in other members'
 * folders, those linked to owner_id's card or offered for it, one row per
 * holder: (holder id, holder's locale, linked, offered) in *res. */
enum err folder_matched_per_holder(struct db *db, struct arena *a, long long owner_id, const long long *ids,
				   size_t n, struct db_result *res);

/* folder_key_candidates: the unlinked entries carrying ckey in folders
 * other than user_id's whose owner is not user_id yet; *out in a. */
enum err folder_key_candidates(struct db *db, struct arena *a, const char *ckey, long long user_id,
			       long long **out, size_t *n);

/* folder_key_match_owners: every unlinked entry carrying ckey is matched
 * again over all its keys (the lowest member id wins, as in folder_match). */
enum err folder_key_match_owners(struct db *db, const char *ckey);

/* folder_key_unmatch: user_id no longer proves ckey: the unlinked entries
 * carrying it that user_id owned are matched again over their other keys
 * (or lose their member), their owner_saved_my_card off. */
enum err folder_key_unmatch(struct db *db, const char *ckey, long long user_id);

/* folder_key_saved_flags: owner_saved_my_card of every entry carrying
 * ckey, again (FOLDER_SAVED_MY_CARD). */
enum err folder_key_saved_flags(struct db *db, const char *ckey);

/* folder_key_holder_flags: owner_saved_my_card, again, of holder_id's
 * entries whose owner saved a card carrying ckey. */
enum err folder_key_holder_flags(struct db *db, const char *ckey, long long holder_id);

/* folder_savers_of_key: the members holding a card with ckey that is
 * matched to owner_id join owner_id's savers list ('search', since their
 * first such entry), unless owner_id removed them (SAVERS_NOT_REMOVED). */
enum err folder_savers_of_key(struct db *db, long long owner_id, const char *ckey);

/* folder_savers_of_owner: every member holding an entry matched to
 * owner_id joins owner_id's savers list, as folder_savers_of_key does;
 * db_affected() tells how many joined. */
enum err folder_savers_of_owner(struct db *db, long long owner_id);

/* folder_copies_of_owner: holder's entries of owner_id's card (matched to
 * owner_id, or linked to one of owner_id's cards), locked, in id order;
 * *out in a. */
enum err folder_copies_of_owner(struct db *db, struct arena *a, long long holder_id, long long owner_id,
				long long **out, size_t *n);

/* folder_entry_unshare: entry id is no longer linked and receives no
 * update, and is not offered for linking to owner_id again. */
enum err folder_entry_unshare(struct db *db, long long id, long long owner_id);

/* folder_declined: the fields the holder of entry_id declined (not taken
 * since) and the source revision the copy held when the first of them was
 * declined (-1: none); ERR_NOT_FOUND when there is no such entry. */
enum err folder_declined(struct db *db, struct arena *a, long long entry_id, unsigned *fields, long long *base);

/* folder_entry_link: link holder's unlinked entry id to card_id (revision
 * 0 held, nothing declined, no dismissed offer); ERR_CONFLICT when another
 * copy of the card is linked in the folder; db_affected() 0 when id was
 * linked already. */
enum err folder_entry_link(struct db *db, long long holder_id, long long id, long long card_id);

/* folder_offer_dismiss: holder dismissed the link offer of entry id (for
 * its present owner). */
enum err folder_offer_dismiss(struct db *db, long long holder_id, long long id);

/* folder_offers_after: holder's link offers with an id above after_id, in
 * id order, at most limit: rows (entry id) in *res. */
enum err folder_offers_after(struct db *db, struct arena *a, struct db_result *res, long long holder_id,
			     long long after_id, long long limit);

/* folder_offer_count: how many link offers holder's folder has. */
enum err folder_offer_count(struct db *db, struct arena *a, long long holder_id, long long *n);

/* folder_declined_taken: the fields of mask are no longer declined in
 * entry_id's copy (taken now, or changed again by the owner since). */
enum err folder_declined_taken(struct db *db, long long entry_id, unsigned mask);

/* folder_entry_synced: holder's entry id holds its source's revision (when
 * it held an older one). */
enum err folder_entry_synced(struct db *db, long long holder_id, long long id, long long revision);

/* folder_entry_decline: the holder of entry id declined fields of the
 * update to revision: they stay declined until taken or changed again; the
 * merge base is the revision the copy held when the first still-declined
 * field was declined. */
enum err folder_entry_decline(struct db *db, long long holder_id, long long id, unsigned fields,
			      long long revision);

/* folder_entry_auto_update: whether holder's entry id takes its source's
 * updates automatically. */
enum err folder_entry_auto_update(struct db *db, long long holder_id, long long id, int on);

/* folder_behind_after: holder's linked entries behind their source card
 * (newer and not declined; with_declined also those declined or keeping
 * declined fields), id above after_id, in id order, at most limit: rows
 * (entry id) in *res. */
enum err folder_behind_after(struct db *db, struct arena *a, struct db_result *res, long long holder_id,
			     int with_declined, long long after_id, long long limit);

/* folder_behind_count: how many of holder's linked entries are behind
 * (without the declined ones). */
enum err folder_behind_count(struct db *db, struct arena *a, long long holder_id, long long *n);

/* folder_entry_current: *current 1 when holder's entry id is linked and
 * holds its source card's latest revision. */
enum err folder_entry_current(struct db *db, struct arena *a, long long holder_id, long long id, int *current);

/* folder_linked_chunk_end: the last id of the next rows entries linked to
 * card_id after id lo, in id order (0: none left). */
enum err folder_linked_chunk_end(struct db *db, struct arena *a, long long card_id, long long lo,
				 long long rows, long long *hi);

/* folder_dav_by_name / _by_uid / _by_id (CardDAV: the rows of *res, in a, are DAV_ROW_FULL when
 * full, else DAV_ROW_LIGHT, in the columns of enum dav_col, lib/dav.h): the entry a client named name
 * (dav_names), the entry with this UID, the entry with this id (0 or 1 row). */
enum err folder_dav_by_name(struct db *db, struct arena *a, struct db_result *res, long long holder,
			  const char *name, int full);
enum err folder_dav_by_uid(struct db *db, struct arena *a, struct db_result *res, long long holder,
			 const char *uid, int full);
enum err folder_dav_by_id(struct db *db, struct arena *a, struct db_result *res, long long holder,
			long long id, int full);

/* folder_entry_lock: lock entry id FOR UPDATE (inside a transaction);
 * ERR_NOT_FOUND when it is gone. */
enum err folder_entry_lock(struct db *db, struct arena *a, long long id);

/* folder_dav_scan: up to limit entries with UID after `after`, in UID order,
 * as DAV_ROW_SCAN (full rows with NULL tags: see davstore_tags). */
enum err folder_dav_scan(struct db *db, struct arena *a, struct db_result *res, long long holder,
		       const char *after, long long limit);

/* folder_dav_list: every entry of the folder, light rows (one indexed query). */
enum err folder_dav_list(struct db *db, struct arena *a, struct db_result *res, long long holder);

/* folder_dav_uid_taken: the entry other than self with this UID (light rows). */
enum err folder_dav_uid_taken(struct db *db, struct arena *a, struct db_result *res, long long holder,
			    const char *uid, long long self);

/* folder_entry_set_uid: entry id of the folder takes uid. */
enum err folder_entry_set_uid(struct db *db, long long holder, long long id, const char *uid);

/* folder_entry_change_seq: entry id's change counter (0 when it is gone). */
enum err folder_entry_change_seq(struct db *db, struct arena *a, long long id, long long *seq);

/* The lists folder_dav_by_list looks up: a JSON array of chosen names, of
 * UIDs or of entry ids. */
enum folder_dav_list { FOLDER_DAV_NAMES, FOLDER_DAV_UIDS, FOLDER_DAV_IDS };

/* folder_dav_by_list: the entries named in json (a JSON array of kind k),
 * each looked up by its index. */
enum err folder_dav_by_list(struct db *db, struct arena *a, struct db_result *res, long long holder,
			  enum folder_dav_list k, const char *json, int full);

/* folder_dav_since: up to limit entries changed after change counter after,
 * in change order. */
enum err folder_dav_since(struct db *db, struct arena *a, struct db_result *res, long long holder,
			long long after, long long limit, int full);

/* --- a fan-out chunk's linked copies (lib/updates.c) --- */

/* A chunk of a fan-out job: the entries linked to card_id with ids in
 * (lo, hi] that hold a revision older than to and did not decline it (the
 * "eligible" ones); single 0 for the chunk (without the copies on
 * automatic update whose update does not start at from: they are told one
 * by one), or an entry id for that entry only. The texts are [automatic
 * update][zh-CN] (lib/updates.c, struct fan_texts). Each statement is one
 * set-based INSERT ... SELECT or UPDATE over the chunk. */
struct folder_chunk {
	long long card_id, lo, hi, to, from, single;
};

/* folder_chunk_hold: nothing a saver sees changed: eligible copies that
 * held the previous revision (from) hold to; a declined revision stays
 * declined (declined_revision to). */
enum err folder_chunk_hold(struct db *db, const struct folder_chunk *c);

/* folder_chunk_auto: the eligible entries on automatic update: rows
 * (entry id, holder id) in id order in *res. */
enum err folder_chunk_auto(struct db *db, struct arena *a, const struct folder_chunk *c, struct db_result *res);

/* folder_chunk_letters: the in-site letters ("card.update" to ask,
 * "card.updated" after an automatic update) to the holders of the
 * entries in scope; db_affected() tells how many. */
enum err folder_chunk_letters(struct db *db, const struct folder_chunk *c, const char *const letter[2][2]);

/* folder_chunk_letters_prune: the letter just written replaces its
 * holder's unread letters about the same copy. */
enum err folder_chunk_letters_prune(struct db *db, const struct folder_chunk *c);

/* folder_chunk_probe: one row: per channel of enum outbox_channel how many
 * holders of eligible entries want it (outbox_channels[].wants), then how
 * many apply updates automatically. */
enum err folder_chunk_probe(struct db *db, struct arena *a, const struct folder_chunk *c, struct db_result *res);

/* folder_chunk_email / _sms / _webhook: one channel's messages to the
 * holders of the entries in scope who want it (OUTBOX_WANTS_*): one
 * INSERT ... SELECT into the outbox (dedupe key "upd:<channel>:<entry>:<to>");
 * name_marker in a text is replaced by the holder's name. */
enum err folder_chunk_email(struct db *db, const struct folder_chunk *c, const char *const subject[2][2],
			    const char *const body[2][2], const char *name_marker);
enum err folder_chunk_sms(struct db *db, const struct folder_chunk *c, const char *const sms[2][2],
			  const char *name_marker);
enum err folder_chunk_webhook(struct db *db, const struct folder_chunk *c, const char *const hook[2]);

#endif
