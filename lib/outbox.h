/* outbox.h: queue e-mail, SMS and webhook messages in the caller's transaction. */
#ifndef LIVECARD_OUTBOX_H
#define LIVECARD_OUTBOX_H

#include <ClearSilver.h>

#include "arena.h"
#include "db.h"
#include "err.h"

/* The outgoing channels, one list: the enum, and outbox_channels[] beside
 * it in lib/outbox.c, from which the rest is driven: the SQL ENUM of
 * outbox.channel (t_outbox checks sql/ against the names), the member's
 * setting (its column of users, checked against sql/, its input and the
 * settings page's value: lib/account.c reads and writes it with a switch
 * over this enum), the fan-out of card updates (lib/updates.c: a sender
 * per channel in a table t_outbox checks, the chunk's look at who wants
 * what built from .wants), and the worker's sender (batch/livecard-outbox.c:
 * a switch over this enum; the compiler names a missing case). Adding a
 * channel: docs/architecture.md. */
enum outbox_channel { OUTBOX_EMAIL, OUTBOX_SMS, OUTBOX_WEBHOOK, OUTBOX__MAX };

/* Who wants each channel (SQL over users aliased u): outbox_channels[].wants,
 * and the condition of that channel's fan-out statement in lib/updates.c. */
#define OUTBOX_WANTS_EMAIL "u.notify_email = 1 AND u.email_verified_at IS NOT NULL"
#define OUTBOX_WANTS_SMS "u.notify_sms = 1"
#define OUTBOX_WANTS_WEBHOOK "u.webhook_url IS NOT NULL AND u.webhook_url <> ''"

struct outbox_channel_def {
	const char *name;	/* outbox.channel, and the dedupe keys' "upd:<name>:" */
	const char *setting;	/* the member's setting: its key in PUT /api/v1/me/channels and "channels" */
	const char *column;	/* the users column holding it (and the settings form's input) */
	const char *hdf;	/* the settings page's Settings.<hdf> */
	const char *wants;	/* SQL over users aliased u: the member wants this channel */
};
extern const struct outbox_channel_def outbox_channels[OUTBOX__MAX];

/* outbox_wants_sql: the text of a statement that asks, per channel, who
 * wants it: head, then for each channel in enum order pre, its .wants and
 * post, then tail, into buf (size bytes). Returns buf, or NULL when it
 * does not fit (a programming error: the caller's buffer is too small). */
const char *outbox_wants_sql(char *buf, size_t size, const char *head, const char *pre,
			     const char *post, const char *tail);

/* outbox_channel_name: "email", "sms", "webhook". */
const char *outbox_channel_name(enum outbox_channel c);

/* outbox_channel_lookup: the channel named name, or OUTBOX__MAX. */
enum outbox_channel outbox_channel_lookup(const char *name);

/* outbox_queue: insert one message (status queued). dedupe_key, when not
 * NULL, makes a second message with the same key a no-op (ERR_OK), so
 * retried fan-outs never send twice. Call inside the transaction of the
 * change that causes the message. */
enum err outbox_queue(struct db *db, enum outbox_channel ch, const char *recipient,
		      const char *subject, const char *body, const char *secret,
		      const char *dedupe_key);

/* outbox_mail: render templates/mail/<tmpl> (first line "Subject: ...",
 * a blank line, then the body) in locale with data (may be NULL; Lang.*
 * and Site.* are added) and queue it to the address. */
enum err outbox_mail(struct db *db, struct arena *a, const char *locale, const char *to,
		     const char *tmpl, HDF *data, const char *dedupe_key);

/* outbox_sms_text: templates/sms/<tmpl> rendered in locale with data and
 * made to fit one message (lib/sms.h) by shortening the names it carries
 * (Sub.Owner, Upd.Owner, Saver.FullName); *out in a. */
enum err outbox_sms_text(struct arena *a, const char *locale, const char *tmpl, HDF *data, const char **out);

/* outbox_sms: outbox_sms_text, queued to the number. */
enum err outbox_sms(struct db *db, struct arena *a, const char *locale, const char *to,
		    const char *tmpl, HDF *data, const char *dedupe_key);

/* outbox_mark_sent: message id, held by the worker run claim, reached its
 * destination (SMTP 250, HTTP 2xx): status sent. Call outside a
 * transaction, so that it is committed the moment it returns ERR_OK. */
enum err outbox_mark_sent(struct db *db, long long id, const char *claim);

/* outbox_mark_possibly_delivered: an attempt at message id handed over the
 * whole message (SMTP: the end of DATA) and lost the connection before the
 * server's reply, so the recipient may have it: counts the attempt in
 * possibly_delivered (a later send of the row is a "possible duplicate") and
 * keeps error as last_error. The row stays claimed. Outside a transaction. */
enum err outbox_mark_possibly_delivered(struct db *db, long long id, const char *claim,
					const char *error);

/* The outbox in numbers (livecardctl status). */
struct outbox_stats {
	long long queued, sending, sent, failed;
	long long possible_duplicates;	/* sent after an attempt that may have delivered it */
	long long possibly_delivered;	/* not yet sent, after such an attempt */
};

/* outbox_stats: count the outbox's rows by status into *st. */
enum err outbox_stats(struct db *db, struct arena *a, struct outbox_stats *st);

#endif
