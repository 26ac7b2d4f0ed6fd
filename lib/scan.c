/* scan.c: the scans table: photographed cards from the upload to the OCR worker's fields and the saved folder entry. */
#include "scan.h"

#include <string.h>

#include "config.h"
#include "phonenum.h"

enum err scan_create(struct db *db, long long user_id, const char *front, const char *back,
		     long long *id)
{
	enum err e = db_exec(db,
		"INSERT INTO scans (user_id, front_image, back_image, status, created_at) "
		"VALUES (?, ?, ?, 'pending', UTC_TIMESTAMP())", "iss", user_id, front, back);
	if (e == ERR_OK)
		*id = (long long)db_insert_id(db);
	return e;
}

enum err scan_get(struct db *db, struct arena *a, long long user_id, long long id, struct scan *out)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT id, user_id, front_image, back_image, status, fields, error, ocr_ms, entry_id, "
		"created_at FROM scans WHERE id = ? AND user_id = ?", "ii", id, user_id);
	if (e != ERR_OK)
		return e;
	if (res.nrows == 0)
		return ERR_NOT_FOUND;
	memset(out, 0, sizeof(*out));
	out->id = db_cell_int(&res, 0, 0, 0);
	out->user_id = db_cell_int(&res, 0, 1, 0);
	out->front = db_cell(&res, 0, 2);
	out->back = db_cell(&res, 0, 3);
	out->status = db_cell(&res, 0, 4);
	out->fields = db_cell(&res, 0, 5);
	out->error = db_cell(&res, 0, 6);
	out->ocr_ms = db_cell_int(&res, 0, 7, 0);
	out->entry_id = db_cell_int(&res, 0, 8, 0);
	out->created_at = db_cell(&res, 0, 9);
	return ERR_OK;
}

enum err scan_claim(struct db *db, struct arena *a, const char *claim, struct db_result *res)
{
	enum err e = db_exec(db,
		"UPDATE scans SET status = 'working', claim = ?, "
		"claimed_until = UTC_TIMESTAMP() + INTERVAL ? SECOND, attempts = attempts + 1 "
		"WHERE status = 'pending' OR (status = 'working' AND claimed_until < UTC_TIMESTAMP()) "
		"ORDER BY id LIMIT 1", "si", claim, (long long)SCAN_LEASE_SECONDS);
	if (e != ERR_OK)
		return e;
	if (db_affected(db) == 0) {
		memset(res, 0, sizeof(*res));
		return ERR_OK;
	}
	return db_query(db, a, res,
		"SELECT id, front_image, back_image, attempts, user_id FROM scans "
		"WHERE claim = ? AND status = 'working'", "s", claim);
}

enum err scan_finish(struct db *db, long long id, const char *claim, const char *fields,
		     const char *error, long long ms)
{
	return db_exec(db,
		"UPDATE scans SET status = IF(? IS NULL, 'done', 'failed'), fields = ?, error = ?, "
		"ocr_ms = ?, done_at = UTC_TIMESTAMP(), claim = NULL, claimed_until = NULL "
		"WHERE id = ? AND claim = ?", "sssiis", error, fields, error, ms, id, claim);
}

enum err scan_saving(struct db *db, long long user_id, long long id)
{
	enum err e = db_exec(db,
		"UPDATE scans SET status = 'saved' "
		"WHERE id = ? AND user_id = ? AND status IN ('done', 'failed')", "ii", id, user_id);
	if (e == ERR_OK && db_affected(db) == 0)
		return ERR_CONFLICT;
	return e;
}

enum err scan_saved(struct db *db, long long id, long long entry_id)
{
	if (entry_id == 0)
		return db_exec(db, "UPDATE scans SET status = IF(fields IS NULL, 'failed', 'done') "
			       "WHERE id = ? AND status = 'saved' AND entry_id IS NULL", "i", id);
	return db_exec(db, "UPDATE scans SET entry_id = ? WHERE id = ?", "ii", entry_id, id);
}

json_t *scan_json(const struct scan *s, struct arena *a)
{
	json_t *fields = NULL;
	if (s->fields)
		fields = json_loads(s->fields, 0, NULL);
	json_t *images = json_pack("{s:s, s:o}", "front",
				   arena_printf(a, "/api/v1/folder/scan/%lld/images/front", s->id), "back",
				   s->back ? json_string(arena_printf(a, "/api/v1/folder/scan/%lld/images/back", s->id))
					   : json_null());
	return json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:o, s:s}", "scan_id", (json_int_t)s->id,
			 "status", s->status, "fields", fields ? fields : json_null(),
			 "error", s->error ? json_string(s->error) : json_null(),
			 "entry_id", s->entry_id ? json_integer(s->entry_id) : json_null(),
			 "ocr_ms", s->ocr_ms ? json_integer(s->ocr_ms) : json_null(),
			 "images", images, "created_at", s->created_at ? s->created_at : "");
}

const char *scan_default_country(struct db *db, struct arena *a, long long user_id, const char **source)
{
	struct db_result res;
	char cc[3];
	const char *src = "site", *country = cfg.default_country;

	if (db_query(db, a, &res,
		     "SELECT (SELECT phone FROM user_phones WHERE user_id = u.id AND verified_at IS NOT NULL "
		     "ORDER BY verified_at, id LIMIT 1), "
		     "(SELECT JSON_VALUE(data, '$.phones[0].value') FROM cards WHERE user_id = u.id), u.locale "
		     "FROM users u WHERE u.id = ?", "i", user_id) == ERR_OK && res.nrows == 1) {
		const char *phone = db_cell(&res, 0, 0), *card = db_cell(&res, 0, 1), *locale = db_cell(&res, 0, 2);
		if (phone && phonenum_region(phone, cc)) {
			src = "phone";
			country = arena_strdup(a, cc);
		} else if (card && phonenum_region(card, cc)) {
			src = "card";
			country = arena_strdup(a, cc);
		} else if (locale && strcmp(locale, "zh-CN") == 0) {
			src = "language";
			country = "CN";
		}
	}
	if (source)
		*source = src;
	return country;
}
