/* livecard-ocr.c: the OCR worker: claims photographed cards (scans) that requests left pending, reads them with Tesseract and stores the proposed fields. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "arena.h"
#include "cardfields.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "imagestore.h"
#include "log.h"
#include "ocr.h"
#include "scan.h"

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* read_side: the fields of one stored image, national phone numbers read
 * in country; ERR_BAD_REQUEST with ei when it cannot be read */
static enum err read_side(struct db *db, struct arena *a, const char *hash, const char *country,
			  struct cardfields *f, struct errinfo *ei)
{
	const void *data;
	size_t len;
	const char *mime;
	struct ocr_page page;
	enum err e = imagestore_get(db, a, hash, 0, &data, &len, &mime);
	if (e != ERR_OK)
		return errinfo_set(ei, e, e == ERR_NOT_FOUND ? "no_image" : NULL, NULL, "the image is gone");
	if ((e = ocr_read(data, len, a, &page, ei)) != ERR_OK)
		return e;
	cardfields_extract(page.lines, page.n, page.width, page.height, country, a, f);
	log_debug("scan: %zu lines, %s, prepared in %.0f ms, read in %.0f ms", page.n,
		  page.cropped ? "card found in the photo" : "whole image", page.prep_ms, page.ocr_ms);
	return ERR_OK;
}

/* scan_one: claim the oldest pending scan and read it. 1 when one was
 * done, 0 when none waits, -1 on a database error. */
static int scan_one(struct db *db, struct arena *a)
{
	const char *claim = token_new(a, 16);
	struct db_result res;
	struct errinfo ei = {0};
	struct cardfields front, back;
	enum err e;

	if (scan_claim(db, a, claim, &res) != ERR_OK)
		return -1;
	if (res.nrows == 0)
		return 0;
	long long id = db_cell_int(&res, 0, 0, 0), attempts = db_cell_int(&res, 0, 3, 0);
	long long user_id = db_cell_int(&res, 0, 4, 0);
	const char *front_hash = db_cell(&res, 0, 1), *back_hash = db_cell(&res, 0, 2);
	/* the member's own country reads the card's national numbers */
	const char *country_from;
	const char *country = scan_default_country(db, a, user_id, &country_from);
	double t0 = now_ms();

	if (attempts > SCAN_MAX_ATTEMPTS) {
		/* it killed or stalled the worker each time: give up on it */
		log_warn("scan %lld: given up after %lld attempts", id, attempts - 1);
		return scan_finish(db, id, claim, NULL, "too_many_attempts", 0) == ERR_OK ? 1 : -1;
	}
	e = read_side(db, a, front_hash, country, &front, &ei);
	if (e == ERR_OK && back_hash && read_side(db, a, back_hash, country, &back, &ei) == ERR_OK)
		cardfields_merge(&front, &back);
	long long ms = (long long)(now_ms() - t0);
	if (e == ERR_UNAVAILABLE || e == ERR_INTERNAL) {
		/* not the image's fault: the claim expires and it is tried again */
		log_warn("scan %lld: %s; will retry", id, ei.message ? ei.message : err_default_code(e));
		return -1;
	}
	json_t *fields = e == ERR_OK ? cardfields_json(&front) : NULL;
	if (fields)
		json_object_set_new(fields, "default_country",
				    json_pack("{s:s, s:s}", "value", country, "from", country_from));
	char *text = fields ? json_dumps(fields, JSON_COMPACT) : NULL;
	json_decref(fields);
	e = scan_finish(db, id, claim, text, e == ERR_OK ? NULL : (ei.code ? ei.code : "unreadable_image"), ms);
	free(text);
	log_info("scan %lld read in %lld ms", id, ms);
	return e == ERR_OK ? 1 : -1;
}

int main(int argc, char **argv)
{
	int once = 0;
	struct db *db = NULL;
	struct arena a;
	struct sigaction sa;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--once") == 0) {
			once = 1;
		} else {
			fprintf(stderr, "usage: livecard-ocr [--once]\n"
				"  reads photographed cards; --once reads those waiting and exits (for cron)\n");
			return 2;
		}
	}
	/* Tesseract's OpenMP threads fight over the cores with the web
	 * programs and gain nothing on one page at a time: one thread, set
	 * before libgomp reads it (at load), so the worker starts itself again */
	if (getenv("OMP_THREAD_LIMIT") == NULL) {
		setenv("OMP_THREAD_LIMIT", "1", 1);
		execv("/proc/self/exe", argv);
	}
	log_set_ident("livecard-ocr");
	if (config_load(NULL) != 0 || crypto_init() != 0)
		return 1;
	if (ocr_init(NULL) != ERR_OK)
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	arena_init(&a);
	db_open(&db);
	long poll = config_get_int("OCR.PollMillis", 300);
	log_info("reading photographed cards");
	while (!stopping) {
		int n = scan_one(db, &a);
		arena_reset(&a);
		if (n < 0) {
			if (once)
				break;
			sleep(1);	/* the database is away; try again soon */
			continue;
		}
		if (n == 0) {
			if (once)
				break;
			usleep((useconds_t)poll * 1000);
		}
	}
	db_close(db);
	ocr_shutdown();
	return 0;
}
