/* davstore.c: CardDAV's statements (see davstore.h). */
#include "davstore.h"
#include "dav.h"

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

enum err davstore_by_name(struct db *db, struct arena *a, struct db_result *res, long long holder,
			  const char *name, int full)
{
	return db_query(db, a, res, full ?
			"SELECT " DAV_ROW_FULL " FROM dav_names n JOIN folder_entries e ON e.id = n.entry_id "
			"AND e.holder_id = n.holder_id WHERE n.holder_id = ? AND n.name = ?" :
			"SELECT " DAV_ROW_LIGHT " FROM dav_names n JOIN folder_entries e ON e.id = n.entry_id "
			"AND e.holder_id = n.holder_id WHERE n.holder_id = ? AND n.name = ?", "is", holder, name);
}

enum err davstore_by_uid(struct db *db, struct arena *a, struct db_result *res, long long holder,
			 const char *uid, int full)
{
	return db_query(db, a, res, full ?
			"SELECT " DAV_ROW_FULL " FROM folder_entries e WHERE e.holder_id = ? AND e.uid = ?" :
			"SELECT " DAV_ROW_LIGHT " FROM folder_entries e WHERE e.holder_id = ? AND e.uid = ?",
			"is", holder, uid);
}

enum err davstore_by_id(struct db *db, struct arena *a, struct db_result *res, long long holder,
			long long id, int full)
{
	return db_query(db, a, res, full ?
			"SELECT " DAV_ROW_FULL " FROM folder_entries e WHERE e.holder_id = ? AND e.id = ?" :
			"SELECT " DAV_ROW_LIGHT " FROM folder_entries e WHERE e.holder_id = ? AND e.id = ?",
			"ii", holder, id);
}

enum err davstore_lock(struct db *db, struct arena *a, long long id)
{
	struct db_result res;
	enum err e = db_query(db, a, &res, "SELECT id FROM folder_entries WHERE id = ? FOR UPDATE", "i", id);

	if (e == ERR_OK && res.nrows == 0)
		e = ERR_NOT_FOUND;
	return e;
}

enum err davstore_tags(struct db *db, struct arena *a, struct db_result *res, long long holder)
{
	return db_query(db, a, res,
			"SELECT entry_id, JSON_ARRAYAGG(tag ORDER BY tag) FROM entry_tags WHERE holder_id = ? "
			"GROUP BY entry_id", "i", holder);
}

enum err davstore_scan(struct db *db, struct arena *a, struct db_result *res, long long holder,
		       const char *after, long long limit)
{
	return db_query(db, a, res, "SELECT " DAV_ROW_SCAN " FROM folder_entries e WHERE e.holder_id = ? "
			"AND e.uid > ? ORDER BY e.uid LIMIT ?", "isi", holder, after, limit);
}

enum err davstore_list(struct db *db, struct arena *a, struct db_result *res, long long holder)
{
	return db_query(db, a, res, "SELECT " DAV_ROW_LIGHT " FROM folder_entries e WHERE e.holder_id = ?",
			"i", holder);
}

enum err davstore_count(struct db *db, struct arena *a, long long holder, long long *n)
{
	struct db_result res;
	enum err e = db_query(db, a, &res, "SELECT COUNT(*) FROM folder_entries WHERE holder_id = ?",
			      "i", holder);

	if (e == ERR_OK)
		*n = db_cell_int(&res, 0, 0, 0);
	return e;
}

enum err davstore_uid_taken(struct db *db, struct arena *a, struct db_result *res, long long holder,
			    const char *uid, long long self)
{
	return db_query(db, a, res, "SELECT " DAV_ROW_LIGHT " FROM folder_entries e "
			"WHERE e.holder_id = ? AND e.uid = ? AND e.id <> ?", "isi", holder, uid, self);
}

enum err davstore_set_uid(struct db *db, long long holder, long long id, const char *uid)
{
	return db_exec(db, "UPDATE folder_entries SET uid = ? WHERE id = ? AND holder_id = ?",
		       "sii", uid, id, holder);
}

enum err davstore_change_seq(struct db *db, struct arena *a, long long id, long long *seq)
{
	struct db_result res;
	enum err e = db_query(db, a, &res, "SELECT change_seq FROM folder_entries WHERE id = ?", "i", id);

	if (e == ERR_OK)
		*seq = db_cell_int(&res, 0, 0, 0);
	return e;
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
enum err davstore_by_list(struct db *db, struct arena *a, struct db_result *res, long long holder,
			  enum davstore_list k, const char *json, int full)
{
#define FROM_LIST(row, cols) "SELECT STRAIGHT_JOIN " row " FROM JSON_TABLE(?, '$[*]' COLUMNS (" cols "))"
#define NAME_COL "u VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin PATH '$'"
#define BY_NAMES " j JOIN dav_names n ON n.holder_id = ? AND n.name = j.u " \
		"JOIN folder_entries e ON e.id = n.entry_id AND e.holder_id = n.holder_id"
#define BY_UIDS " j JOIN folder_entries e ON e.holder_id = ? AND e.uid = j.u"
#define BY_IDS " j JOIN folder_entries e FORCE INDEX (PRIMARY) ON e.id = j.i AND e.holder_id = ?"
	static const char *const sql[3][2] = {
		[DAVSTORE_NAMES] = {FROM_LIST(DAV_ROW_LIGHT, NAME_COL) BY_NAMES,
				    FROM_LIST(DAV_ROW_FULL, NAME_COL) BY_NAMES},
		[DAVSTORE_UIDS] = {FROM_LIST(DAV_ROW_LIGHT, NAME_COL) BY_UIDS,
				   FROM_LIST(DAV_ROW_FULL, NAME_COL) BY_UIDS},
		[DAVSTORE_IDS] = {FROM_LIST(DAV_ROW_LIGHT, "i BIGINT PATH '$'") BY_IDS,
				  FROM_LIST(DAV_ROW_FULL, "i BIGINT PATH '$'") BY_IDS},
	};
	return db_query(db, a, res, sql[k][!!full], "si", json, holder);
}

enum err davstore_since(struct db *db, struct arena *a, struct db_result *res, long long holder,
			long long after, long long limit, int full)
{
	return db_query(db, a, res, full ?
			"SELECT " DAV_ROW_FULL " FROM folder_entries e WHERE e.holder_id = ? AND e.change_seq > ? "
			"ORDER BY e.change_seq LIMIT ?" :
			"SELECT " DAV_ROW_LIGHT " FROM folder_entries e WHERE e.holder_id = ? AND e.change_seq > ? "
			"ORDER BY e.change_seq LIMIT ?", "iii", holder, after, limit);
}

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
