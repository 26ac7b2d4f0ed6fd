/* livecard-outbox.c: deliver queued e-mail (SMTP), SMS (HTTP gateway) and webhooks with retries, work through the fan-out jobs of card updates and the large vCard imports (import jobs), and send the update messages held back by the daily limit once it allows. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "arena.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "importjob.h"
#include "log.h"
#include "netguard.h"
#include "outbox.h"
#include "savers.h"
#include "updates.h"

#define BATCH 20
/* at most this long on fan-out steps before the next delivery batch */
#define FANOUT_BUDGET_MS 2000
/* ... and on import chunks */
#define IMPORT_BUDGET_MS 2000

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

/* A message being sent, read from the outbox row. */
struct message {
	long long id;
	const char *channel, *recipient, *subject, *body, *secret, *dedupe;
	const char *date;	/* RFC 5322 date of the row's creation */
	long long attempts, possibly_delivered;
};

/* upload state for libcurl's read callback */
struct payload {
	const char *data;
	size_t len, off;
};

static size_t read_cb(char *buf, size_t size, size_t nmemb, void *userp)
{
	struct payload *p = userp;
	size_t room = size * nmemb, left = p->len - p->off;
	size_t n = left < room ? left : room;
	memcpy(buf, p->data + p->off, n);
	p->off += n;
	return n;
}

static size_t discard_cb(char *buf, size_t size, size_t nmemb, void *userp)
{
	(void)buf, (void)userp;
	return size * nmemb;
}

/* header_text: a header value without line breaks, RFC 2047-encoded when
 * it is not plain ASCII. */
static const char *header_text(struct arena *a, const char *s)
{
	int ascii = 1;
	char *clean = arena_strdup(a, s);
	for (char *p = clean; *p; p++) {
		if (*p == '\r' || *p == '\n')
			*p = ' ';
		if ((unsigned char)*p >= 0x80)
			ascii = 0;
	}
	if (ascii)
		return clean;
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = strlen(clean);
	char *out = arena_alloc(a, n * 2 + 32), *o = out;
	o += snprintf(o, 16, "=?UTF-8?B?");
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned char)clean[i] << 16;
		if (i + 1 < n)
			v |= (unsigned char)clean[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)clean[i + 2];
		*o++ = b64[(v >> 18) & 63];
		*o++ = b64[(v >> 12) & 63];
		*o++ = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		*o++ = i + 2 < n ? b64[v & 63] : '=';
	}
	memcpy(o, "?=", 3);
	return out;
}

/* crlf_body: the body with every line ending made CRLF and leading dots
 * left to libcurl (it dot-stuffs). */
static char *crlf_body(struct arena *a, const char *body)
{
	size_t n = strlen(body);
	char *out = arena_alloc(a, n * 2 + 3), *o = out;
	for (const char *p = body; *p; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n')
			*o++ = '\r';
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

/* What an SMTP transaction reached, from libcurl's trace: whether a
 * failure came after the whole message was handed over (the end of DATA)
 * and before the server said anything about it. */
struct smtp_trace {
	const struct payload *p;
	int data_ok;		/* the server answered 354 to DATA */
	int reply_after_end;	/* a reply line came after the whole message was handed over */
};

static int trace_cb(CURL *c, curl_infotype type, char *data, size_t size, void *userp)
{
	struct smtp_trace *t = userp;
	(void)c;
	if (type != CURLINFO_HEADER_IN || size < 3)
		return 0;
	if (t->p->off == t->p->len && t->data_ok)
		t->reply_after_end = 1;
	else if (memcmp(data, "354", 3) == 0)
		t->data_ok = 1;
	return 0;
}

/* The outcome of one delivery attempt. */
enum send_result {
	SEND_OK,		/* accepted: SMTP 250, HTTP 2xx */
	SEND_FAILED,		/* not delivered; try again later */
	SEND_MAYBE,		/* SMTP: the connection dropped after the end of DATA, before the reply */
};

/* send_email: one SMTP transaction on c (a fresh handle the caller cleans
 * up only after recording the outcome: the QUIT that cleanup sends must
 * not stand between the 250 and the database). The Message-ID and Date
 * come from the row, so a retry sends the same message. */
static enum send_result send_email(CURL *c, struct arena *a, const struct message *m, char *err, size_t errlen)
{
	char msgid[160];
	CURLcode rc;
	struct curl_slist *rcpt = NULL;
	struct payload p;
	struct smtp_trace t = {.p = &p};

	const char *domain = strchr(cfg.mail_from, '@');
	snprintf(msgid, sizeof(msgid), "<outbox-%lld@%s>", m->id, domain ? domain + 1 : "localhost");
	const char *text = arena_printf(a,
		"From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: %s\r\n"
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
		"Content-Transfer-Encoding: 8bit\r\nAuto-Submitted: auto-generated\r\n\r\n%s",
		header_text(a, cfg.mail_from), header_text(a, m->recipient),
		header_text(a, m->subject), m->date, msgid, crlf_body(a, m->body));
	p.data = text;
	p.len = strlen(text);
	p.off = 0;

	if (c == NULL) {
		snprintf(err, errlen, "curl init failed");
		return SEND_FAILED;
	}
	rcpt = curl_slist_append(rcpt, m->recipient);
	curl_easy_setopt(c, CURLOPT_URL, cfg.smtp_url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, cfg.mail_from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &p);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)p.len);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, cfg.outbox_timeout);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	/* the trace (the server's reply lines) tells where a failure happened */
	curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, trace_cb);
	curl_easy_setopt(c, CURLOPT_DEBUGDATA, &t);
	curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
	if (cfg.smtp_starttls)
		curl_easy_setopt(c, CURLOPT_USE_SSL, cfg.smtp_starttls >= 2 ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
	if (cfg.smtp_user)
		curl_easy_setopt(c, CURLOPT_USERNAME, cfg.smtp_user);
	if (cfg.smtp_password)
		curl_easy_setopt(c, CURLOPT_PASSWORD, cfg.smtp_password);
	rc = curl_easy_perform(c);
	/* nothing of this transaction is used by the cleanup's QUIT */
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, NULL);
	curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, NULL);
	curl_easy_setopt(c, CURLOPT_VERBOSE, 0L);
	curl_slist_free_all(rcpt);
	if (rc == CURLE_OK)
		return SEND_OK;
	if (t.data_ok && p.off == p.len && !t.reply_after_end && rc != CURLE_SEND_ERROR) {
		/* the server had the whole message and may have stored it */
		snprintf(err, errlen, "smtp: %s after the end of DATA, before the reply: possibly delivered",
			 curl_easy_strerror(rc));
		return SEND_MAYBE;
	}
	snprintf(err, errlen, "smtp: %s", curl_easy_strerror(rc));
	return SEND_FAILED;
}

/* http_post: POST a JSON body; 2xx is success. For webhooks the
 * destination address is checked after resolution (netguard). */
static int http_post(struct arena *a, const char *url, const char *json, const char *sig_header,
		     const char *user, const char *password, int guard, char *err, size_t errlen)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	CURLcode rc;
	long status = 0;

	if (c == NULL) {
		snprintf(err, errlen, "curl init failed");
		return -1;
	}
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "User-Agent: livecard-outbox");
	if (sig_header)
		h = curl_slist_append(h, sig_header);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard_cb);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, guard ? 10L : cfg.outbox_timeout);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	if (guard)
		netguard_curl(c);
	if (user)
		curl_easy_setopt(c, CURLOPT_USERNAME, user);
	if (password)
		curl_easy_setopt(c, CURLOPT_PASSWORD, password);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		if (status < 200 || status > 299)
			snprintf(err, errlen, "http status %ld", status);
	} else {
		snprintf(err, errlen, "http: %s", curl_easy_strerror(rc));
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	(void)a;
	return (rc == CURLE_OK && status >= 200 && status <= 299) ? 0 : -1;
}

static int send_sms(struct arena *a, const struct message *m, char *err, size_t errlen)
{
	const char *url = config_get("SMS.URL", NULL);
	if (url == NULL) {
		snprintf(err, errlen, "SMS.URL is not configured");
		return -1;
	}
	json_t *j = json_pack("{s:s, s:s, s:s}", "to", m->recipient, "text", m->body,
			      "sender", config_get("SMS.Sender", "livecard"));
	char *body = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	int rc = http_post(a, url, body, NULL, config_get("SMS.User", NULL),
			   config_get("SMS.Password", NULL), 0, err, errlen);
	free(body);
	return rc;
}

static int send_webhook(struct arena *a, const struct message *m, char *err, size_t errlen)
{
	const char *sig = arena_printf(a, "X-Livecard-Signature: sha256=%s",
				       hmac_sha256_hex(a, m->secret ? m->secret : "", m->body, strlen(m->body)));
	return http_post(a, m->recipient, m->body, sig, NULL, NULL, 1, err, errlen);
}

/* persist: whether to try a write of a delivery's outcome again after e:
 * while the database is away (a restart), for as long as it takes — a
 * message delivered but not marked sent would be sent again once its claim
 * expires — except that a stopping worker gives up after ten seconds. */
static int persist(enum err e, int *tries, long long id)
{
	if (e == ERR_OK || e != ERR_UNAVAILABLE || (stopping && *tries >= 10))
		return 0;
	if ((*tries)++ == 0)
		log_warn("message %lld: cannot record its outcome yet (database away); trying again", id);
	sleep(1);
	return 1;
}

/* deliver_one: one attempt at m; an e-mail whose connection dropped after
 * the end of DATA is counted as possibly delivered and tried once more
 * at once with the same Message-ID. Returns the outcome; *c is the curl
 * handle of the last attempt, for the caller to clean up once the outcome
 * is recorded. */
static enum send_result deliver_one(struct db *db, struct arena *a, struct message *m, const char *claim,
				    CURL **c, char *err, size_t errlen)
{
	enum send_result rc;
	enum err e;
	int tries;

	switch (outbox_channel_lookup(m->channel)) {	/* every channel of enum outbox_channel */
	case OUTBOX_SMS:
		return send_sms(a, m, err, errlen) == 0 ? SEND_OK : SEND_FAILED;
	case OUTBOX_WEBHOOK:
		return send_webhook(a, m, err, errlen) == 0 ? SEND_OK : SEND_FAILED;
	case OUTBOX_EMAIL:
		break;
	case OUTBOX__MAX:
		snprintf(err, errlen, "unknown channel %s", m->channel);
		return SEND_FAILED;
	}
	*c = curl_easy_init();
	rc = send_email(*c, a, m, err, errlen);
	if (rc != SEND_MAYBE)
		return rc;
	for (int again = 0; rc == SEND_MAYBE; again++) {
		m->possibly_delivered++;
		tries = 0;
		while (persist(e = outbox_mark_possibly_delivered(db, m->id, claim, err), &tries, m->id))
			;
		log_warn("email message %lld: connection dropped after the end of DATA, before the reply: "
			 "possibly delivered (%lld time%s)%s", m->id, m->possibly_delivered,
			 m->possibly_delivered == 1 ? "" : "s",
			 again ? "" : "; trying once more now with the same Message-ID");
		if (e != ERR_OK || again)
			break;
		curl_easy_cleanup(*c);
		*c = curl_easy_init();
		rc = send_email(*c, a, m, err, errlen);
	}
	return rc == SEND_OK ? SEND_OK : SEND_FAILED;
}

/* deliver_batch: claim up to BATCH due messages and try each once.
 * Returns how many were claimed, or -1 on a database error. */
static int deliver_batch(struct db *db, struct arena *a)
{
	struct db_result res;
	const char *claim = token_new(a, 16);
	enum err e;

	/* a claim expires, so a worker killed mid-send does not strand a message */
	e = db_exec(db,
		"UPDATE outbox SET status = 'sending', claim = ?, claimed_until = UTC_TIMESTAMP() + INTERVAL ? SECOND, "
		"attempts = attempts + 1 "
		"WHERE (status = 'queued' AND next_attempt_at <= UTC_TIMESTAMP()) "
		"OR (status = 'sending' AND claimed_until < UTC_TIMESTAMP()) "
		"ORDER BY id LIMIT ?",
		"sii", claim, (long long)cfg.outbox_timeout * 3 + 30, (long long)BATCH);
	if (e != ERR_OK)
		return -1;
	if (db_affected(db) == 0)
		return 0;
	e = db_query(db, a, &res,
		"SELECT id, channel, recipient, subject, body, secret, dedupe_key, attempts, possibly_delivered, "
		"DATE_FORMAT(created_at, '%a, %d %b %Y %H:%i:%s +0000') "
		"FROM outbox WHERE claim = ? AND status = 'sending' ORDER BY id", "s", claim);
	if (e != ERR_OK)
		return -1;
	for (size_t i = 0; i < res.nrows && !stopping; i++) {
		struct message m = {
			.id = db_cell_int(&res, i, 0, 0),
			.channel = db_cell(&res, i, 1),
			.recipient = db_cell(&res, i, 2),
			.subject = db_cell(&res, i, 3),
			.body = db_cell(&res, i, 4),
			.secret = db_cell(&res, i, 5),
			.dedupe = db_cell(&res, i, 6),
			.attempts = db_cell_int(&res, i, 7, 1),
			.possibly_delivered = db_cell_int(&res, i, 8, 0),
			.date = db_cell(&res, i, 9),
		};
		char err[400] = "";
		CURL *c = NULL;
		int tries = 0;
		enum send_result rc = deliver_one(db, a, &m, claim, &c, err, sizeof(err));
		if (rc == SEND_OK) {
			/* recorded (and committed) before anything else happens,
			 * the SMTP QUIT included */
			while (persist(e = outbox_mark_sent(db, m.id, claim), &tries, m.id))
				;
			if (m.possibly_delivered)
				log_warn("sent %s message %lld: possible duplicate (%lld earlier attempt%s may have "
					 "delivered it; same Message-ID)", m.channel, m.id, m.possibly_delivered,
					 m.possibly_delivered == 1 ? "" : "s");
			else
				log_info("sent %s message %lld", m.channel, m.id);
		} else if (m.attempts >= cfg.outbox_max_attempts) {
			while (persist(e = db_exec(db, "UPDATE outbox SET status = 'failed', claim = NULL, "
						   "claimed_until = NULL, last_error = ? WHERE id = ? AND claim = ?",
						   "sis", err, m.id, claim), &tries, m.id))
				;
			log_warn("gave up on %s message %lld after %lld attempts: %s", m.channel, m.id, m.attempts, err);
		} else {
			/* exponential backoff: base, 2×base, 4×base ... at most an hour */
			long long delay = cfg.outbox_backoff;
			for (long long k = 1; k < m.attempts && delay < 3600; k++)
				delay *= 2;
			if (delay > 3600)
				delay = 3600;
			while (persist(e = db_exec(db, "UPDATE outbox SET status = 'queued', claim = NULL, "
						   "claimed_until = NULL, last_error = ?, "
						   "next_attempt_at = UTC_TIMESTAMP() + INTERVAL ? SECOND "
						   "WHERE id = ? AND claim = ?", "siis", err, delay, m.id, claim),
				       &tries, m.id))
				;
			log_warn("%s message %lld failed (attempt %lld, retry in %llds): %s",
				 m.channel, m.id, m.attempts, delay, err);
		}
		if (c)
			curl_easy_cleanup(c);
		if (e != ERR_OK)
			return -1;
	}
	return (int)res.nrows;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* fanout_run: fan-out steps (lib/updates.c) for up to FANOUT_BUDGET_MS, so
 * that delivery goes on during a large fan-out. claim names this process's
 * hold on a job. Returns the steps that did work, or -1 on an error. */
static int fanout_run(struct db *db, struct arena *a, const char *claim)
{
	double t0 = now_ms();
	long pause = config_get_int("Updates.ChunkPauseMillis", 0);	/* fault tests only */
	int steps = 0;

	while (!stopping) {
		struct updates_step st;
		enum err e = updates_fanout_step(db, a, claim, &st);
		arena_reset(a);
		if (e != ERR_OK) {
			log_warn("fan-out step failed (%s); retrying", err_default_code(e));
			return -1;
		}
		if (st.job_id == 0)
			break;
		steps++;
		if (st.letters || st.messages || st.applied)
			log_debug("fan-out job %lld: %lld letters, %lld messages, %lld copies updated",
				 st.job_id, st.letters, st.messages, st.applied);
		if (pause > 0)
			usleep((useconds_t)pause * 1000);
		if (now_ms() - t0 > FANOUT_BUDGET_MS)
			break;
	}
	return steps;
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
			fprintf(stderr, "usage: livecard-outbox [--once]\n"
				"  delivers queued messages; --once drains the queue and exits (for cron)\n");
			return 2;
		}
	}
	log_set_ident("livecard-outbox");
	if (config_load(NULL) != 0 || crypto_init() != 0)
		return 1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	arena_init(&a);
	db_open(&db);
	/* this process's name on the fan-out jobs it holds; a killed worker's
	 * jobs are taken over when their claim expires (Updates.LeaseSeconds) */
	char claim[32];
	snprintf(claim, sizeof(claim), "%s", token_new(&a, 16));
	arena_reset(&a);
	log_info("delivering (SMTP %s)", cfg.smtp_url);
	while (!stopping) {
		int f = fanout_run(db, &a, claim), held = 0;
		/* messages held back by a recipient's daily limit, whose window
		 * opened: one message each for all their changes */
		if (!stopping && savers_held_send(db, &a, 100, &held) != ERR_OK)
			log_warn("held messages: a step failed; retrying");
		arena_reset(&a);
		if (held > 0 && f >= 0)
			f += held;
		/* large vCard imports of the browser form, a chunk per transaction
		 * (lib/importjob.c); claimed like fan-out jobs */
		struct importjob_step ist;
		if (!stopping) {
			enum err ie = importjob_step(db, &a, claim, IMPORT_BUDGET_MS, &stopping, &ist);
			if (ie != ERR_OK)
				log_warn("import job %lld: a step failed (%s); retrying", ist.job_id, err_default_code(ie));
			else if (ist.cards > 0 && f >= 0)
				f++;
		}
		arena_reset(&a);
		int n = deliver_batch(db, &a);
		arena_reset(&a);
		if (n < 0 || (f < 0 && n == 0)) {
			if (once) {
				db_close(db);
				return 1;
			}
			sleep(1);	/* the database is away; try again soon */
			continue;
		}
		if (n == 0 && f == 0) {
			if (once)
				break;
			usleep((useconds_t)cfg.outbox_poll_ms * 1000);
		}
	}
	db_close(db);
	curl_global_cleanup();
	return 0;
}
