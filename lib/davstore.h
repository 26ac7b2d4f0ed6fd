/* davstore.h: CardDAV's statements: the book's change counter and name, entries read as DAV_ROW_* rows (enum dav_col), the names clients chose (dav_names), their verbatim vCards (dav_raw) and the change log. */
#ifndef LIVECARD_DAVSTORE_H
#define LIVECARD_DAVSTORE_H

#include "arena.h"
#include "db.h"
#include "err.h"

/* Every function reads or writes the folder of holder only; the rows of
 * *res (in a) are DAV_ROW_FULL when full, else DAV_ROW_LIGHT, in the
 * columns of enum dav_col (lib/dav.h). Errors as db_query / db_exec. */

/* davstore_folder_seq: the folder's change counter (0 when it has none). */
enum err davstore_folder_seq(struct db *db, struct arena *a, long long holder, long long *seq);

/* davstore_book_name: the display name a client gave the book, or NULL. */
enum err davstore_book_name(struct db *db, struct arena *a, long long holder, const char **name);

/* davstore_book_name_set: keep name as the book's display name; "" drops it. */
enum err davstore_book_name_set(struct db *db, long long holder, const char *name);

/* davstore_by_name / _by_uid / _by_id: the entry a client named name
 * (dav_names), the entry with this UID, the entry with this id (0 or 1 row). */
enum err davstore_by_name(struct db *db, struct arena *a, struct db_result *res, long long holder,
			  const char *name, int full);
enum err davstore_by_uid(struct db *db, struct arena *a, struct db_result *res, long long holder,
			 const char *uid, int full);
enum err davstore_by_id(struct db *db, struct arena *a, struct db_result *res, long long holder,
			long long id, int full);

/* davstore_lock: lock entry id FOR UPDATE (inside a transaction);
 * ERR_NOT_FOUND when it is gone. */
enum err davstore_lock(struct db *db, struct arena *a, long long id);

/* davstore_tags: (entry_id, JSON array of its tags, sorted) for every
 * tagged entry of the folder. */
enum err davstore_tags(struct db *db, struct arena *a, struct db_result *res, long long holder);

/* davstore_scan: up to limit entries with UID after `after`, in UID order,
 * as DAV_ROW_SCAN (full rows with NULL tags: see davstore_tags). */
enum err davstore_scan(struct db *db, struct arena *a, struct db_result *res, long long holder,
		       const char *after, long long limit);

/* davstore_list: every entry of the folder, light rows (one indexed query). */
enum err davstore_list(struct db *db, struct arena *a, struct db_result *res, long long holder);

/* davstore_count: how many entries the folder has. */
enum err davstore_count(struct db *db, struct arena *a, long long holder, long long *n);

/* davstore_uid_taken: the entry other than self with this UID (light rows). */
enum err davstore_uid_taken(struct db *db, struct arena *a, struct db_result *res, long long holder,
			    const char *uid, long long self);

/* davstore_set_uid: entry id of the folder takes uid. */
enum err davstore_set_uid(struct db *db, long long holder, long long id, const char *uid);

/* davstore_change_seq: entry id's change counter (0 when it is gone). */
enum err davstore_change_seq(struct db *db, struct arena *a, long long id, long long *seq);

/* davstore_name_keep: entry id is known as name; derived says that name
 * is the one its UID or id gives it (no row kept), otherwise the name is
 * kept beside it (a row of another entry with that name gives way). */
enum err davstore_name_keep(struct db *db, long long holder, long long id, const char *name, int derived);

/* davstore_raw_keep: keep a client's vCard text (version digit version)
 * as the bytes of entry id at change seq; vcard NULL forgets them. */
enum err davstore_raw_keep(struct db *db, long long id, long long seq, long long version,
			   const char *vcard);

/* The lists davstore_by_list looks up: a JSON array of chosen names, of
 * UIDs or of entry ids. */
enum davstore_list { DAVSTORE_NAMES, DAVSTORE_UIDS, DAVSTORE_IDS };

/* davstore_by_list: the entries named in json (a JSON array of kind k),
 * each looked up by its index. */
enum err davstore_by_list(struct db *db, struct arena *a, struct db_result *res, long long holder,
			  enum davstore_list k, const char *json, int full);

/* davstore_since: up to limit entries changed after change counter after,
 * in change order. */
enum err davstore_since(struct db *db, struct arena *a, struct db_result *res, long long holder,
			long long after, long long limit, int full);

/* davstore_changes: the change log past from, one row per entry and name:
 * (entry_id, uid, last seq, chosen name or NULL), oldest first. */
enum err davstore_changes(struct db *db, struct arena *a, struct db_result *res, long long holder,
			  long long from);

/* davstore_oldest_change: the oldest change counter the log keeps, def
 * when it keeps none. */
enum err davstore_oldest_change(struct db *db, struct arena *a, long long holder, long long def,
				long long *seq);

#endif
