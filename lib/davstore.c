/* davstore.c: CardDAV's statements (see davstore.h). */
#include "davstore.h"

enum err davstore_folder_seq(struct db *db, struct arena *a, long long holder, long long *seq)
{
	struct db_result res;
	enum err e = db_query(db, a, &res, "SELECT seq FROM folders WHERE holder_id = ?", "i", holder);

	if (e == ERR_OK)
		*seq = res.nrows ? db_cell_int(&res, 0, 0, 0) : 0;
	return e;
}

enum err davstore_book_name(struct db *db, struct arena *a, long long holder, const char **name)
{
	struct db_result res;
	enum err e = db_query(db, a, &res, "SELECT display_name FROM dav_books WHERE holder_id = ?",
			      "i", holder);

	if (e == ERR_OK)
		*name = res.nrows ? db_cell(&res, 0, 0) : NULL;
	return e;
}

enum err davstore_book_name_set(struct db *db, long long holder, const char *name)
{
	if (*name == '\0')
		return db_exec(db, "DELETE FROM dav_books WHERE holder_id = ?", "i", holder);
	return db_exec(db, "INSERT INTO dav_books (holder_id, display_name) VALUES (?, ?) "
		       "ON DUPLICATE KEY UPDATE display_name = VALUES(display_name)", "is", holder, name);
}

enum err davstore_tags(struct db *db, struct arena *a, struct db_result *res, long long holder)
{
	return db_query(db, a, res,
			"SELECT entry_id, JSON_ARRAYAGG(tag ORDER BY tag) FROM entry_tags WHERE holder_id = ? "
			"GROUP BY entry_id", "i", holder);
}

enum err davstore_name_keep(struct db *db, long long holder, long long id, const char *name, int derived)
{
	enum err e;

	if (derived)
		return db_exec(db, "DELETE FROM dav_names WHERE entry_id = ?", "i", id);
	e = db_exec(db, "DELETE FROM dav_names WHERE holder_id = ? AND name = ? AND entry_id <> ?",
		    "isi", holder, name, id);
	if (e == ERR_OK)
		e = db_exec(db, "INSERT INTO dav_names (entry_id, holder_id, name) VALUES (?, ?, ?) "
			    "ON DUPLICATE KEY UPDATE name = VALUES(name)", "iis", id, holder, name);
	return e;
}

enum err davstore_raw_keep(struct db *db, long long id, long long seq, long long version,
			   const char *vcard)
{
	if (vcard == NULL)
		return db_exec(db, "DELETE FROM dav_raw WHERE entry_id = ?", "i", id);
	return db_exec(db, "REPLACE INTO dav_raw (entry_id, change_seq, version, vcard) VALUES (?, ?, ?, ?)",
		       "iiis", id, seq, version, vcard);
}

/* STRAIGHT_JOIN: the list is read first and each name looked up by its
 * index (left alone the optimizer scans the whole folder for a small list). */
enum err davstore_changes(struct db *db, struct arena *a, struct db_result *res, long long holder,
			  long long from)
{
	return db_query(db, a, res,
			"SELECT c.entry_id, c.uid, MAX(c.seq) AS s, n.name FROM folder_changes c "
			"LEFT JOIN dav_names n ON n.entry_id = c.entry_id AND n.holder_id = c.holder_id "
			"WHERE c.holder_id = ? AND c.seq > ? GROUP BY c.entry_id, c.uid, n.name ORDER BY s",
			"ii", holder, from);
}

enum err davstore_oldest_change(struct db *db, struct arena *a, long long holder, long long def,
				long long *seq)
{
	struct db_result res;
	enum err e = db_query(db, a, &res, "SELECT MIN(seq) FROM folder_changes WHERE holder_id = ?",
			      "i", holder);

	if (e == ERR_OK)
		*seq = db_cell_int(&res, 0, 0, def);
	return e;
}
