/* batchrun.c: the nightly job's run log read back (batch_runs, batch_locks, reconcile_state) for operators. */
#include "batchrun.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int batchrun_holder_dead(const char *holder, const char *host)
{
	size_t hl = strlen(host);
	long pid;
	char *end;

	if (strncmp(holder, host, hl) != 0 || holder[hl] != ':')
		return 0;
	pid = strtol(holder + hl + 1, &end, 10);
	if (pid <= 0 || *end != ':')
		return 0;
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* the phases of a full pass, in order, each walking the members by id */
static const char *const full_phases[] = {"keys", "match", "entries", "savers", "flags", NULL};

static int full_phase_index(const char *phase)
{
	for (int i = 0; full_phases[i]; i++)
		if (strcmp(full_phases[i], phase) == 0)
			return i;
	return -1;
}

/* counts: the run's counts (batch_runs columns 6..13 of res) as words */
static const char *counts(struct arena *a, const struct db_result *res)
{
	return arena_printf(a, "%lld rows scanned, keys +%lld -%lld, %lld owners changed, "
			    "flags +%lld -%lld, savers +%lld -%lld",
			    db_cell_int(res, 0, 6, 0), db_cell_int(res, 0, 7, 0), db_cell_int(res, 0, 8, 0),
			    db_cell_int(res, 0, 9, 0), db_cell_int(res, 0, 10, 0), db_cell_int(res, 0, 11, 0),
			    db_cell_int(res, 0, 12, 0), db_cell_int(res, 0, 13, 0));
}

/* where: the checkpoint of the pass in progress, with how far a full-pass
 * phase got through the members ("entries (phase 3 of 5) 48 %, id 190 of 400") */
static enum err where(struct db *db, struct arena *a, const char **out)
{
	struct db_result st, mx;
	enum err e = db_query(db, a, &st, "SELECT phase, last_id FROM reconcile_state WHERE id = 1", "");
	if (e != ERR_OK)
		return e;
	if (st.nrows == 0 || db_cell(&st, 0, 0) == NULL) {
		*out = "no checkpoint yet";
		return ERR_OK;
	}
	const char *phase = db_cell(&st, 0, 0);
	long long last = db_cell_int(&st, 0, 1, 0);
	int i = full_phase_index(phase);
	if (i < 0) {
		*out = arena_printf(a, "phase %s, after id %lld", phase, last);
		return ERR_OK;
	}
	e = db_query(db, a, &mx, "SELECT IFNULL(MAX(id), 0) FROM users", "");
	if (e != ERR_OK)
		return e;
	long long max = db_cell_int(&mx, 0, 0, 0);
	int pct = max > 0 ? (int)(100 * (last < max ? last : max) / max) : 0;
	*out = arena_printf(a, "phase %s (%d of 5) %d %%, member id %lld of %lld", phase, i + 1, pct, last, max);
	return ERR_OK;
}

enum err batchrun_status(struct db *db, struct arena *a, const char *job, long stale_seconds,
			 const char **line)
{
	struct db_result res, lk;
	const char *at;
	char host[256] = "";
	enum err e = db_query(db, a, &res,
		"SELECT id, mode, status, started_at, seconds, TIMESTAMPDIFF(SECOND, started_at, UTC_TIMESTAMP()), "
		"rows_scanned, keys_added, keys_removed, owners_changed, flags_set, flags_cleared, "
		"savers_added, savers_removed, message FROM batch_runs WHERE job = ? ORDER BY id DESC LIMIT 1",
		"s", job);
	if (e != ERR_OK)
		return e;
	if (res.nrows == 0) {
		*line = arena_printf(a, "%s: never ran", job);
		return ERR_OK;
	}
	const char *status = db_cell(&res, 0, 2), *mode = db_cell(&res, 0, 1);
	const char *pass = strcmp(mode, "since") == 0 ? "--since pass" : "full pass";
	long long run = db_cell_int(&res, 0, 0, 0);
	at = arena_printf(a, "%s UTC", db_cell(&res, 0, 3));

	if (strcmp(status, "done") == 0) {
		*line = arena_printf(a, "%s: last ran %s, finished in %s s (%s, run %lld): %s", job, at,
				     db_cell(&res, 0, 4) ? db_cell(&res, 0, 4) : "?", pass, run, counts(a, &res));
		return ERR_OK;
	}
	const char *pos;
	if ((e = where(db, a, &pos)) != ERR_OK)
		return e;
	if (strcmp(status, "running") == 0) {
		e = db_query(db, a, &lk, "SELECT holder, TIMESTAMPDIFF(SECOND, heartbeat_at, UTC_TIMESTAMP()) "
			     "FROM batch_locks WHERE name = ?", "s", job);
		if (e != ERR_OK)
			return e;
		(void)gethostname(host, sizeof(host) - 1);
		int alive = lk.nrows && db_cell_int(&lk, 0, 1, 0) <= stale_seconds &&
			    !batchrun_holder_dead(db_cell(&lk, 0, 0), host);
		if (alive) {
			*line = arena_printf(a, "%s: running since %s (%s, run %lld, %lld s): %s; so far %s", job, at,
					     pass, run, db_cell_int(&res, 0, 5, 0), pos, counts(a, &res));
			return ERR_OK;
		}
		*line = arena_printf(a, "%s: last ran %s and did not finish (%s, run %lld: its process is gone "
				     "or silent), stopped at %s; the next run resumes there", job, at, pass, run, pos);
		return ERR_OK;
	}
	*line = arena_printf(a, "%s: last ran %s and did not finish (%s, run %lld %s%s%s), stopped at %s; "
			     "the next run resumes there", job, at, pass, run, status,
			     db_cell(&res, 0, 14) ? ": " : "", db_cell(&res, 0, 14) ? db_cell(&res, 0, 14) : "", pos);
	return ERR_OK;
}
