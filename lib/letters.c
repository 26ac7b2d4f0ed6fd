/* letters.c: a member's in-site letters (see letters.h). */
#include "letters.h"

enum err letters_page(struct db *db, struct arena *a, long long user_id, int unread_only,
		      long long since_id, long long before, long long limit, struct db_result *rows)
{
	return db_query(db, a, rows,
		"SELECT id, kind, payload, created_at, read_at IS NOT NULL FROM notifications "
		"WHERE user_id = ? AND id > ? AND id < ? AND (? = 0 OR read_at IS NULL) "
		"ORDER BY id DESC LIMIT ?", "iiiii", user_id, since_id,
		before > 0 ? before : 0x7fffffffffffffffLL, (long long)unread_only, limit);
}

enum err letters_counts(struct db *db, struct arena *a, long long user_id, long long *unread,
			long long *last_id)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT (SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL), "
		"(SELECT COALESCE(MAX(id), 0) FROM notifications WHERE user_id = ?)", "ii", user_id, user_id);

	*unread = *last_id = 0;
	if (e == ERR_OK && res.nrows) {
		*unread = db_cell_int(&res, 0, 0, 0);
		*last_id = db_cell_int(&res, 0, 1, 0);
	}
	return e;
}

enum err letters_mark_read(struct db *db, struct arena *a, long long user_id, long long id)
{
	struct db_result res;
	enum err e;

	if (id == 0)
		return db_exec(db, "UPDATE notifications SET read_at = UTC_TIMESTAMP() WHERE user_id = ? "
			       "AND read_at IS NULL", "i", user_id);
	e = db_query(db, a, &res, "SELECT 1 FROM notifications WHERE id = ? AND user_id = ?", "ii", id, user_id);
	if (e != ERR_OK)
		return e;
	if (res.nrows == 0)
		return ERR_NOT_FOUND;
	return db_exec(db, "UPDATE notifications SET read_at = COALESCE(read_at, UTC_TIMESTAMP()) "
		       "WHERE id = ? AND user_id = ?", "ii", id, user_id);
}

enum err letters_update_done(struct db *db, long long user_id, long long entry_id)
{
	return db_exec(db, "UPDATE notifications SET read_at = UTC_TIMESTAMP() WHERE user_id = ? "
		       "AND kind = 'card.update' AND read_at IS NULL "
		       "AND CAST(JSON_VALUE(payload, '$.entry_id') AS UNSIGNED) = ?", "ii", user_id, entry_id);
}
