/* davstore.h: CardDAV's statements: the book's change counter and name, the names clients chose (dav_names), their verbatim vCards (dav_raw) and the change log; entries read as DAV_ROW_* rows are folder_dav_* in lib/folder.h. */
#ifndef LIVECARD_DAVSTORE_H
#define LIVECARD_DAVSTORE_H

#include "arena.h"
#include "db.h"
#include "err.h"

/* Every function reads or writes the folder of holder only. Errors as
 * db_query / db_exec. */

/* davstore_folder_seq: the folder's change counter (0 when it has none). */
enum err davstore_folder_seq(struct db *db, struct arena *a, long long holder, long long *seq);

/* davstore_book_name: the display name a client gave the book, or NULL. */
enum err davstore_book_name(struct db *db, struct arena *a, long long holder, const char **name);

/* davstore_book_name_set: keep name as the book's display name; "" drops it. */
enum err davstore_book_name_set(struct db *db, long long holder, const char *name);

/* davstore_tags: (entry_id, JSON array of its tags, sorted) for every
 * tagged entry of the folder. */
enum err davstore_tags(struct db *db, struct arena *a, struct db_result *res, long long holder);

/* davstore_name_keep: entry id is known as name; derived says that name
 * is the one its UID or id gives it (no row kept), otherwise the name is
 * kept beside it (a row of another entry with that name gives way). */
enum err davstore_name_keep(struct db *db, long long holder, long long id, const char *name, int derived);

/* davstore_raw_keep: keep a client's vCard text (version digit version)
 * as the bytes of entry id at change seq; vcard NULL forgets them. */
enum err davstore_raw_keep(struct db *db, long long id, long long seq, long long version,
			   const char *vcard);

/* davstore_changes: the change log past from, one row per entry and name:
 * (entry_id, uid, last seq, chosen name or NULL), oldest first. */
enum err davstore_changes(struct db *db, struct arena *a, struct db_result *res, long long holder,
			  long long from);

/* davstore_oldest_change: the oldest change counter the log keeps, def
 * when it keeps none. */
enum err davstore_oldest_change(struct db *db, struct arena *a, long long holder, long long def,
				long long *seq);

#endif
