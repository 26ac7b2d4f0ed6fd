/* import.h: a vCard file into a member's card folder (POST /api/v1/folder/import, the import page): read, plan duplicates, store. */
#ifndef LIVECARD_IMPORT_H
#define LIVECARD_IMPORT_H

#include <stddef.h>

#include <jansson.h>

#include "arena.h"
#include "card.h"
#include "err.h"
#include "folder.h"
#include "http.h"

/* What an import did (docs/api.md): counts, and per card the errors,
 * warnings and what became of duplicates ({index, code, message} and
 * {index, action, entry_id[, new_entry_id]}). Freed with import_free. */
struct import_result {
	long long imported, merged, skipped;
	long long linked, offered;	/* cards of members: linked at once, offered */
	json_t *errors, *duplicates, *warnings;
	json_t *entries;	/* the first IMPORT_SHOWN new entries: {id, name}, for the page's links */
};
#define IMPORT_SHOWN 50

/* One good card of a file on its way into the folder. */
struct import_card {
	size_t index;			/* position in the file */
	struct card card;		/* normalised; CATEGORIES taken out */
	const char *uid;		/* kept UID, or NULL (a new one) */
	const char **tags;		/* by the rules of vcardmap.h */
	size_t n_tags;
	const unsigned char *photo;	/* embedded photo, or NULL */
	size_t photo_len;
	const char **keys;		/* matching keys and "u:<uid>" */
	size_t n_keys;
	long long dup_db;		/* the stored entry it duplicates, or 0 */
	long target;			/* -1; else the card of the file it went into */
	long long target_entry;		/* the stored entry it went into or was skipped for */
	const char *action;		/* NULL (a new entry), "skipped", "merged", "kept" */
	long new_slot;			/* index among the inserted entries, or -1 */
	const char *front;		/* stored image hash */
};

/* The good cards of a file. */
struct import_batch {
	struct import_card *cards;
	size_t n;
	size_t n_parsed;		/* cards in the file, broken ones included */
	size_t n_keys;			/* keys of all cards */
};

/* import_result_init: empty counts and lists (import_free releases them). */
void import_result_init(struct import_result *res);

/* import_read: parse data (charset: the file's declared one, or NULL) and
 * prepare each good card: normalised (country for phone numbers), tags
 * from CATEGORIES (vcardmap_take_tags), kept extras, UID, photo, keys.
 * Broken and refused cards go to res->errors, dropped photos to
 * res->warnings. Everything in a; no database. ERR_BAD_REQUEST (ei: code
 * "unknown_charset" or "invalid_vcard") or ERR_TOO_LARGE (ei: code
 * "too_many_cards"). */
enum err import_read(const char *data, size_t len, const char *charset, const char *country,
		     struct arena *a, struct import_batch *b, struct import_result *res,
		     struct errinfo *ei);

/* import_plan: given each card's dup_db (0 when nothing stored matches),
 * decide in file order what becomes of each by policy: duplicates within
 * the file follow the first card that has a key in common; with merge,
 * such cards (card, tags, photo) are merged into that first card here,
 * and cards that duplicate a stored entry are left for the caller to
 * merge into it (action "merged", target_entry). Counts skipped and
 * merged into res. No database. */
void import_plan(struct import_batch *b, enum folder_dup policy, struct arena *a,
		 struct import_result *res);

/* import_slice: the good cards of b whose index in the file is in
 * [lo, hi), as a batch that shares b's cards (n_parsed: hi - lo). */
void import_slice(const struct import_batch *b, size_t lo, size_t hi, struct import_batch *out);

/* import_store: store the cards of b (import_read's, or a slice of them)
 * in holder's folder inside the caller's open transaction: lock the
 * folder, find stored duplicates with one query, plan (import_plan), merge
 * into stored entries, insert the new ones in bulk, link (at most
 * link_limit) or offer the cards of members. Adds to res's counts and
 * lists (entries up to IMPORT_SHOWN). No letter (autolink_letter is the
 * caller's). A photo's failure other than a refusal is in *ei; database
 * errors as db_exec. */
enum err import_store(struct db *db, struct arena *a, long long holder, struct import_batch *b,
		      enum folder_dup policy, long long link_limit, struct import_result *res,
		      struct errinfo *ei);

/* import_run: the whole import into holder's folder (see docs/api.md and
 * docs/folder.md): read, find stored duplicates with one query, plan,
 * store new entries in bulk and merged ones, link or offer the cards of
 * members, all in one transaction. Failures are recorded with req_fail;
 * res is set up either way (import_free). */
enum err import_run(struct req *r, long long holder, const char *data, size_t len,
		    enum folder_dup policy, const char *charset, struct import_result *res);

/* import_json: res as the API's answer (the lists move into it). */
json_t *import_json(struct import_result *res);

/* import_free: release res's lists (not after import_json). */
void import_free(struct import_result *res);

#endif
