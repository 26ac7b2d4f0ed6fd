/* scan.h: photographed cards waiting for the OCR worker or for their holder's review (the scans table, sql/015_scans.sql). */
#ifndef LIVECARD_SCAN_H
#define LIVECARD_SCAN_H

#include <jansson.h>

#include "arena.h"
#include "db.h"
#include "err.h"

#define SCAN_MAX_ATTEMPTS 3	/* claims of one scan before the worker gives up */
#define SCAN_LEASE_SECONDS 120	/* a claim expires after this (a killed worker) */

/* A scan as stored; strings in the reader's arena. */
struct scan {
	long long id, user_id, entry_id;	/* entry_id 0 until saved */
	const char *front, *back;		/* image hashes; back may be NULL */
	const char *status;			/* pending, working, done, failed, saved */
	const char *fields;			/* JSON text (cardfields_json), or NULL */
	const char *error;			/* error code when failed, or NULL */
	long long ocr_ms;
	const char *created_at;
};

/* scan_create: a pending scan of user_id's card with its stored images
 * (back may be NULL); *id the new row. */
enum err scan_create(struct db *db, long long user_id, const char *front, const char *back,
		     long long *id);

/* scan_get: scan id of user_id; ERR_NOT_FOUND when there is none or it is
 * someone else's. */
enum err scan_get(struct db *db, struct arena *a, long long user_id, long long id, struct scan *out);

/* scan_claim: mark the oldest pending scan (or one whose claim expired)
 * as the worker's (claim) and read it: res gets one row (id, front_image,
 * back_image, attempts, user_id) or none. */
enum err scan_claim(struct db *db, struct arena *a, const char *claim, struct db_result *res);

/* scan_finish: the worker's result: fields (JSON text) and 'done', or
 * error (a code) and 'failed'; only while claim still holds it. */
enum err scan_finish(struct db *db, long long id, const char *claim, const char *fields,
		     const char *error, long long ms);

/* scan_saving: mark scan id of user_id as saved before its entry is made,
 * so that a form sent twice saves one entry. ERR_CONFLICT when it was
 * saved already or is not read yet. */
enum err scan_saving(struct db *db, long long user_id, long long id);

/* scan_saved: the entry the saved scan became (entry_id), or, with
 * entry_id 0, the save failed and the scan is back to 'done'. */
enum err scan_saved(struct db *db, long long id, long long entry_id);

/* scan_json: the API object (new reference): scan_id, status, fields
 * (object or null), error, entry_id (or null), images {front, back} (API
 * paths or null), created_at. */
json_t *scan_json(const struct scan *s, struct arena *a);

/* scan_default_country: the country (ISO 3166 alpha-2) in which the
 * national phone numbers on user_id's scanned cards are read: the country
 * of the member's first verified phone, else of the first phone on the
 * member's own card, else CN for a member whose language is zh-CN, else
 * Site.DefaultCountry. *source (may be NULL) says which: "phone", "card",
 * "language" or "site". In a. Never fails: a database error gives the
 * site's country. */
const char *scan_default_country(struct db *db, struct arena *a, long long user_id, const char **source);

#endif
