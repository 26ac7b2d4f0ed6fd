/* importjob.c: large vCard imports of the browser form as background jobs (import_jobs): stored by the request, worked through in chunks by livecard-outbox, shown with their progress. */
#include "importjob.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "autolink.h"
#include "config.h"
#include "import.h"
#include "log.h"
#include "tmpl.h"

#define PIECE (1024 * 1024)	/* bytes of the file per import_job_data row */

static long setting(const char *key, long def, long lo, long hi)
{
	long v = config_get_int(key, def);
	return v < lo ? lo : v > hi ? hi : v;
}

long importjob_async_cards(void)
{
	return setting("Import.AsyncCards", IMPORTJOB_ASYNC_CARDS, 0, 1000000);
}

enum err importjob_create(struct db *db, long long holder, const char *data, size_t len,
			  enum folder_dup policy, long long total, long long *id)
{
	enum err e = db_exec(db,
		"INSERT INTO import_jobs (user_id, policy, total, created_at) VALUES (?, ?, ?, UTC_TIMESTAMP())",
		"isi", holder, folder_dup_choices[policy], total);
	if (e != ERR_OK)
		return e;
	*id = (long long)db_insert_id(db);
	for (size_t off = 0, seq = 0; off < len || seq == 0; off += PIECE, seq++) {
		size_t n = len - off < PIECE ? len - off : PIECE;
		if ((e = db_exec(db, "INSERT INTO import_job_data (job_id, seq, bytes) VALUES (?, ?, ?)", "iib",
				 *id, (long long)seq, (const void *)(data + off), n)) != ERR_OK)
			return e;
	}
	return ERR_OK;
}

#define JOB_COLS "id, user_id, status, error, total, done, imported, merged, skipped, failed, linked, offered, report"

static void job_read(const struct db_result *res, struct import_job *j)
{
	const char *report = db_cell(res, 0, 12);
	*j = (struct import_job){
		.id = db_cell_int(res, 0, 0, 0), .user_id = db_cell_int(res, 0, 1, 0),
		.status = db_cell(res, 0, 2), .error = db_cell(res, 0, 3),
		.total = db_cell_int(res, 0, 4, 0), .done = db_cell_int(res, 0, 5, 0),
		.imported = db_cell_int(res, 0, 6, 0), .merged = db_cell_int(res, 0, 7, 0),
		.skipped = db_cell_int(res, 0, 8, 0), .failed = db_cell_int(res, 0, 9, 0),
		.linked = db_cell_int(res, 0, 10, 0), .offered = db_cell_int(res, 0, 11, 0),
	};
	j->report = report ? json_loads(report, 0, NULL) : NULL;
	if (!json_is_object(j->report)) {
		json_decref(j->report);
		j->report = json_object();
	}
	static const char *const lists[] = {"errors", "warnings", "duplicates", "entries"};
	for (size_t k = 0; k < sizeof(lists) / sizeof(*lists); k++)
		if (!json_is_array(json_object_get(j->report, lists[k])))
			json_object_set_new(j->report, lists[k], json_array());
}

enum err importjob_get(struct db *db, struct arena *a, long long holder, long long id, struct import_job *j)
{
	struct db_result res;
	enum err e = db_query(db, a, &res, "SELECT " JOB_COLS " FROM import_jobs WHERE id = ? AND user_id = ?",
			      "ii", id, holder);
	memset(j, 0, sizeof(*j));
	if (e != ERR_OK)
		return e;
	if (res.nrows == 0)
		return ERR_NOT_FOUND;
	job_read(&res, j);
	return ERR_OK;
}

json_t *importjob_json(struct import_job *j)
{
	json_t *o = json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		"id", (json_int_t)j->id, "status", j->status ? j->status : "queued",
		"total", (json_int_t)j->total, "done", (json_int_t)j->done,
		"imported", (json_int_t)j->imported, "merged", (json_int_t)j->merged,
		"skipped", (json_int_t)j->skipped, "failed", (json_int_t)j->failed,
		"linked", (json_int_t)j->linked, "offered", (json_int_t)j->offered);
	if (o == NULL) {
		json_decref(j->report);
		j->report = NULL;
		return NULL;
	}
	char url[64];
	snprintf(url, sizeof(url), "/folder/import/%lld", j->id);
	json_object_set_new(o, "url", json_string(url));
	if (j->error)
		json_object_set_new(o, "error", json_string(j->error));
	if (j->status && strcmp(j->status, "done") == 0) {
		json_object_set(o, "errors", json_object_get(j->report, "errors"));
		json_object_set(o, "warnings", json_object_get(j->report, "warnings"));
		json_object_set(o, "duplicates", json_object_get(j->report, "duplicates"));
	}
	json_decref(j->report);
	j->report = NULL;
	return o;
}

/* --- the worker ------------------------------------------------------------*/

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* claim_job: the job this claim holds, else a queued one or one whose
 * claim expired, now held by claim (*id 0: none). */
static enum err claim_job(struct db *db, struct arena *a, const char *claim, long long *id)
{
	static const char sel[] = "SELECT id FROM import_jobs WHERE status = 'running' AND claim = ? ORDER BY id LIMIT 1";
	struct db_result res;
	enum err e;

	*id = 0;
	if ((e = db_query(db, a, &res, sel, "s", claim)) != ERR_OK)
		return e;
	if (res.nrows == 0) {
		e = db_exec(db,
			"UPDATE import_jobs SET status = 'running', claim = ?, "
			"claimed_until = UTC_TIMESTAMP() + INTERVAL ? SECOND, "
			"started_at = COALESCE(started_at, UTC_TIMESTAMP()) "
			"WHERE status = 'queued' OR (status = 'running' AND claimed_until < UTC_TIMESTAMP()) "
			"ORDER BY id LIMIT 1",
			"si", claim, (long long)setting("Import.LeaseSeconds", IMPORTJOB_LEASE_SECONDS, 1, 86400));
		if (e != ERR_OK || db_affected(db) == 0)
			return e;
		if ((e = db_query(db, a, &res, sel, "s", claim)) != ERR_OK)
			return e;
	}
	if (res.nrows)
		*id = db_cell_int(&res, 0, 0, 0);
	return ERR_OK;
}

/* job_failed: count a failed step of job id (why: in English); given up
 * as 'failed' after Import.MaxFailures, its bytes deleted. */
static void job_failed(struct db *db, long long id, const char *why)
{
	long max = setting("Import.MaxFailures", IMPORTJOB_MAX_FAILURES, 1, 1000);
	char cut[384];
	size_t n = strlen(why);

	if (n >= sizeof(cut)) {	/* error is VARCHAR(400): cut at a character's start */
		n = sizeof(cut) - 1;
		while (n > 0 && ((unsigned char)why[n] & 0xC0) == 0x80)
			n--;
		memcpy(cut, why, n);
		cut[n] = '\0';
		why = cut;
	}

	db_rollback(db);
	if (db_exec(db, "UPDATE import_jobs SET failures = failures + 1, error = ?, "
		    "status = IF(failures >= ?, 'failed', status), "
		    "finished_at = IF(status = 'failed', UTC_TIMESTAMP(), NULL), "
		    "claim = IF(status = 'failed', NULL, claim) WHERE id = ?",
		    "sii", why, (long long)max, id) != ERR_OK)
		return;
	db_exec(db, "DELETE d FROM import_job_data d JOIN import_jobs j ON j.id = d.job_id "
		"WHERE d.job_id = ? AND j.status = 'failed'", "i", id);
	log_warn("import job %lld: a step failed: %s", id, why);
}

/* append_capped: the items of more (index in [lo, hi) when lo < hi) to the
 * report's list, at most IMPORTJOB_LIST_MAX in all. */
static void append_capped(json_t *report, const char *name, const json_t *more, size_t lo, size_t hi)
{
	json_t *list = json_object_get(report, name);
	size_t i;
	json_t *v;

	json_array_foreach(more, i, v) {
		size_t idx = (size_t)json_integer_value(json_object_get(v, "index"));
		if (lo < hi && (idx < lo || idx >= hi))
			continue;
		if (json_array_size(list) >= (strcmp(name, "entries") == 0 ? IMPORT_SHOWN : IMPORTJOB_LIST_MAX))
			break;
		json_array_append(list, v);
	}
}

/* count_in: items of list whose index is in [lo, hi). */
static long long count_in(const json_t *list, size_t lo, size_t hi)
{
	long long n = 0;
	size_t i;
	json_t *v;

	json_array_foreach(list, i, v) {
		size_t idx = (size_t)json_integer_value(json_object_get(v, "index"));
		n += idx >= lo && idx < hi;
	}
	return n;
}

/* chunk: cards [lo, hi) of the file (b, read's issues in rd) stored for
 * job id in one transaction with the job's progress. *lost: the claim was
 * lost (nothing done). */
static enum err chunk(struct db *db, struct arena *a, long long id, const char *claim, struct import_batch *b,
		      struct import_result *rd, size_t lo, size_t hi, int *finished, int *lost,
		      const char **why)
{
	struct db_result res;
	struct import_job j;
	struct import_result cr;
	struct import_batch sub;
	struct errinfo ei = {0};
	enum folder_dup policy = FOLDER_DUP_SKIP;
	enum err e;

	*lost = 0;
	if ((e = db_begin(db)) != ERR_OK)
		return e;
	e = db_query(db, a, &res, "SELECT " JOB_COLS ", policy FROM import_jobs "
		     "WHERE id = ? AND claim = ? AND status = 'running' FOR UPDATE", "is", id, claim);
	if (e != ERR_OK)
		return e;
	if (res.nrows == 0 || db_cell_int(&res, 0, 5, -1) != (long long)lo) {
		*lost = 1;	/* another worker holds it now */
		db_rollback(db);
		return ERR_OK;
	}
	job_read(&res, &j);
	for (int k = 0; k < FOLDER_DUP__MAX; k++)
		if (strcmp(db_cell(&res, 0, 13), folder_dup_choices[k]) == 0)
			policy = (enum folder_dup)k;

	import_result_init(&cr);
	import_slice(b, lo, hi, &sub);
	long long limit = AUTOLINK_MAX - j.linked;
	e = import_store(db, a, j.user_id, &sub, policy, limit > 0 ? limit : 0, &cr, &ei);
	*finished = hi >= (size_t)j.total;
	long long failed = count_in(rd->errors, lo, hi);
	if (e == ERR_OK) {
		append_capped(j.report, "errors", rd->errors, lo, hi);
		append_capped(j.report, "warnings", rd->warnings, lo, hi);
		append_capped(j.report, "warnings", cr.warnings, 0, 0);
		append_capped(j.report, "duplicates", cr.duplicates, 0, 0);
		append_capped(j.report, "entries", cr.entries, 0, 0);
	}
	if (e == ERR_OK && *finished)
		e = autolink_letter(db, a, j.user_id, AUTOLINK_IMPORT, j.linked + cr.linked, j.offered + cr.offered);
	if (e == ERR_OK && *finished)
		e = db_exec(db, "DELETE FROM import_job_data WHERE job_id = ?", "i", id);
	if (e == ERR_OK) {
		char *report = json_dumps(j.report, JSON_COMPACT);
		const char *st = *finished ? "done" : "running";
		e = report ? db_exec(db,
			"UPDATE import_jobs SET done = ?, imported = imported + ?, merged = merged + ?, "
			"skipped = skipped + ?, failed = failed + ?, linked = linked + ?, offered = offered + ?, "
			"report = ?, status = ?, claimed_until = UTC_TIMESTAMP() + INTERVAL ? SECOND, "
			"finished_at = IF(? = 'done', UTC_TIMESTAMP(), NULL), claim = IF(? = 'done', NULL, claim) "
			"WHERE id = ?", "iiiiiiississi", (long long)hi, cr.imported, cr.merged, cr.skipped, failed,
			cr.linked, cr.offered, report, st,
			(long long)setting("Import.LeaseSeconds", IMPORTJOB_LEASE_SECONDS, 1, 86400), st, st, id)
			   : ERR_INTERNAL;
		free(report);
	}
	if (e == ERR_OK)
		e = db_commit(db);
	if (e != ERR_OK) {
		*why = ei.message ? ei.message : err_default_code(e);
		db_rollback(db);
	} else if (*finished) {
		log_info("import job %lld (user %lld): %lld cards: %lld new, %lld merged, %lld skipped, %lld broken",
			 id, j.user_id, j.total, j.imported + cr.imported, j.merged + cr.merged,
			 j.skipped + cr.skipped, j.failed + failed);
	}
	json_decref(j.report);
	import_free(&cr);
	return e;
}

enum err importjob_step(struct db *db, struct arena *a, const char *claim, long budget_ms,
			const volatile sig_atomic_t *stop, struct importjob_step *st)
{
	struct db_result res;
	struct import_batch b;
	struct import_result rd;
	struct errinfo ei = {0};
	long long id, total, done;
	size_t len = 0;
	char *data;
	double t0 = now_ms();
	long per = setting("Import.ChunkCards", IMPORTJOB_CHUNK_CARDS, 1, 100000);
	long pause = setting("Import.ChunkPauseMillis", 0, 0, 60000);	/* tests only */
	enum err e;

	memset(st, 0, sizeof(*st));
	if (tmpl_init() != 0)
		return ERR_INTERNAL;
	if ((e = claim_job(db, a, claim, &id)) != ERR_OK || id == 0)
		return e;
	st->job_id = id;
	if ((e = db_query(db, a, &res, "SELECT total, done FROM import_jobs WHERE id = ?", "i", id)) != ERR_OK)
		return e;
	total = db_cell_int(&res, 0, 0, 0);
	done = db_cell_int(&res, 0, 1, 0);
	/* the file, read once per step */
	if ((e = db_query(db, a, &res, "SELECT bytes FROM import_job_data WHERE job_id = ? ORDER BY seq", "i",
			  id)) != ERR_OK)
		return e;
	for (size_t i = 0; i < res.nrows; i++)
		len += res.lens[i];
	data = arena_alloc(a, len + 1);
	len = 0;
	for (size_t i = 0; i < res.nrows; i++) {
		memcpy(data + len, res.cells[i], res.lens[i]);
		len += res.lens[i];
	}
	data[len] = '\0';
	import_result_init(&rd);
	e = import_read(data, len, NULL, cfg.default_country, a, &b, &rd, &ei);
	if (e == ERR_UNAVAILABLE) {
		import_free(&rd);
		return e;	/* no parsing child now: later */
	}
	if (e != ERR_OK) {
		job_failed(db, id, ei.message ? ei.message : "the file holds no vCard");
		import_free(&rd);
		return ERR_OK;
	}
	while (!*stop) {
		int finished = 0, lost = 0;
		const char *why = NULL;
		size_t lo = (size_t)done, hi = lo + (size_t)per;
		if (hi > (size_t)total)
			hi = (size_t)total;
		e = chunk(db, a, id, claim, &b, &rd, lo, hi, &finished, &lost, &why);
		if (e == ERR_UNAVAILABLE)
			break;	/* the database is away: the claim is kept, the chunk runs again */
		if (e != ERR_OK) {
			job_failed(db, id, why ? why : err_default_code(e));
			break;
		}
		if (lost)
			break;
		st->cards += (long long)(hi - lo);
		done = (long long)hi;
		if (finished) {
			st->finished = 1;
			break;
		}
		if (pause > 0)
			usleep((useconds_t)pause * 1000);
		if (now_ms() - t0 > budget_ms)
			break;
	}
	import_free(&rd);
	return e;
}
