/* batchrun.h: the nightly job's run log read back: whether a lock holder still lives, and the job's state in one line (make status). */
#ifndef LIVECARD_BATCHRUN_H
#define LIVECARD_BATCHRUN_H

#include "arena.h"
#include "db.h"
#include "err.h"

/* batchrun_holder_dead: whether the batch_locks holder "host:pid:nonce" is a
 * process of this host (host) that is gone; 0 for another host's holder,
 * which only its heartbeat can tell about. */
int batchrun_holder_dead(const char *holder, const char *host);

/* batchrun_status: one line (no newline, in a) on the last run of job
 * ("reconcile"): when it started, whether it finished and its counts; or,
 * while it runs, its phase and how far it got; or that it was stopped and
 * where the next run resumes; "never ran" when batch_runs has none.
 * stale_seconds: a running row whose lock heartbeat is older is reported as
 * stopped (as the next run would take it over). */
enum err batchrun_status(struct db *db, struct arena *a, const char *job, long stale_seconds,
			 const char **line);

#endif
