/* importjob.h: large vCard imports of the browser form as background jobs (import_jobs): stored by the request, worked through in chunks by livecard-outbox, shown with their progress. */
#ifndef LIVECARD_IMPORTJOB_H
#define LIVECARD_IMPORTJOB_H

#include <signal.h>
#include <stddef.h>

#include <jansson.h>

#include "arena.h"
#include "db.h"
#include "err.h"
#include "folder.h"

/* Defaults of the Import.* settings (docs/config.md). */
#define IMPORTJOB_ASYNC_CARDS 200	/* a file of more cards becomes a job */
#define IMPORTJOB_CHUNK_CARDS 100	/* cards of the file per transaction */
#define IMPORTJOB_LEASE_SECONDS 60	/* a claim not renewed for this long is taken over */
#define IMPORTJOB_MAX_FAILURES 3	/* failed steps before a job is given up */
#define IMPORTJOB_LIST_MAX 200		/* items kept of each list of the report */

/* One job as its pages show it. report is the result's lists
 * ({errors, warnings, duplicates, entries}: import_json's members and the
 * page's links), owned by the caller (json_decref), never NULL. */
struct import_job {
	long long id, user_id;
	const char *status;	/* queued, running, done, failed */
	const char *error;	/* why it failed, or NULL */
	long long total, done;	/* cards in the file; cards handled */
	long long imported, merged, skipped, failed, linked, offered;
	json_t *report;
};

/* importjob_async_cards: the Import.AsyncCards setting: files of more
 * cards than this are imported by a job, smaller ones at once. */
long importjob_async_cards(void);

/* importjob_create: a queued job for holder: the file's bytes (in pieces
 * of 1 MiB in import_job_data), its policy and its count of cards (broken
 * ones included). Call inside a transaction. *id is the new job. */
enum err importjob_create(struct db *db, long long holder, const char *data, size_t len,
			  enum folder_dup policy, long long total, long long *id);

/* importjob_get: holder's job id into *j (strings in a; j->report to be
 * released). ERR_NOT_FOUND when there is none or it is another member's. */
enum err importjob_get(struct db *db, struct arena *a, long long holder, long long id, struct import_job *j);

/* importjob_json: j as the API's answer ({id, status, total, done,
 * imported, merged, skipped, failed, linked, offered, error?, url}; the
 * report's lists when done). Takes j->report's reference. */
json_t *importjob_json(struct import_job *j);

/* What one importjob_step did. */
struct importjob_step {
	long long job_id;	/* 0: no job to work on */
	long long cards;	/* cards of the file handled in this step */
	int finished;		/* the job ended (done or failed) */
};

/* importjob_step: the worker's turn (batch/livecard-outbox): the job this
 * claim holds, or a queued one, or one whose claim expired (a killed
 * worker's, taken over at its last committed chunk); its file is read
 * once and stored Import.ChunkCards cards per transaction, each commit
 * moving the job's `done` and counts with the chunk's entries and renewing
 * the claim, for up to budget_ms (or until *stop). A chunk whose claim was
 * lost to another worker is rolled back. The last chunk writes the one
 * letter about cards of members and deletes the file's bytes. A step that
 * fails is counted; after Import.MaxFailures the job is 'failed' with the
 * error. ERR_OK with st->job_id 0 when there is nothing to do. */
enum err importjob_step(struct db *db, struct arena *a, const char *claim, long budget_ms,
			const volatile sig_atomic_t *stop, struct importjob_step *st);

#endif
