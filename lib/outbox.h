/* outbox.h: queue e-mail, SMS and webhook messages in the caller's transaction. */
#ifndef LIVECARD_OUTBOX_H
#define LIVECARD_OUTBOX_H

#include <ClearSilver.h>

#include "arena.h"
#include "db.h"
#include "err.h"

enum outbox_channel { OUTBOX_EMAIL, OUTBOX_SMS, OUTBOX_WEBHOOK, OUTBOX__MAX };

/* outbox_channel_name: "email", "sms", "webhook". */
const char *outbox_channel_name(enum outbox_channel c);

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

/* outbox_sms: render templates/sms/<tmpl> in locale with data and queue it. */
enum err outbox_sms(struct db *db, struct arena *a, const char *locale, const char *to,
		    const char *tmpl, HDF *data, const char *dedupe_key);

#endif
