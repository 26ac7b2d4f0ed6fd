/* outbox.c: messages written with the change that causes them, delivered later by livecard-outbox. */
#include "outbox.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "sms.h"
#include "tmpl.h"

const struct outbox_channel_def outbox_channels[OUTBOX__MAX] = {
	[OUTBOX_EMAIL] = {"email", "email", "notify_email", "NotifyEmail", OUTBOX_WANTS_EMAIL},
	[OUTBOX_SMS] = {"sms", "sms", "notify_sms", "NotifySMS", OUTBOX_WANTS_SMS},
	[OUTBOX_WEBHOOK] = {"webhook", "webhook_url", "webhook_url", "Webhook", OUTBOX_WANTS_WEBHOOK},
};

const char *outbox_wants_sql(char *buf, size_t size, const char *head, const char *pre,
			     const char *post, const char *tail)
{
	size_t n = (size_t)snprintf(buf, size, "%s", head);

	for (int c = 0; c < OUTBOX__MAX && n < size; c++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s%s", pre, outbox_channels[c].wants, post);
	if (n < size)
		n += (size_t)snprintf(buf + n, size - n, "%s", tail);
	if (n >= size) {
		log_error("outbox: a statement over the channels does not fit in %zu bytes", size);
		return NULL;
	}
	return buf;
}

const char *outbox_channel_name(enum outbox_channel c)
{
	return (c >= 0 && c < OUTBOX__MAX) ? outbox_channels[c].name : "email";
}

enum outbox_channel outbox_channel_lookup(const char *name)
{
	int c;
	for (c = 0; c < OUTBOX__MAX && strcmp(outbox_channels[c].name, name ? name : "") != 0; c++)
		;
	return (enum outbox_channel)c;
}

enum err outbox_queue(struct db *db, enum outbox_channel ch, const char *recipient,
		      const char *subject, const char *body, const char *secret,
		      const char *dedupe_key)
{
	enum err e = db_exec(db,
		"INSERT INTO outbox (channel, recipient, subject, body, secret, dedupe_key, status, "
		"next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', UTC_TIMESTAMP(), UTC_TIMESTAMP())",
		"ssssss", outbox_channel_name(ch), recipient, subject ? subject : "", body,
		secret, dedupe_key);
	if (e == ERR_CONFLICT && dedupe_key)
		return ERR_OK;	/* already queued once: exactly-once as seen by the recipient */
	return e;
}

/* render: a template in a fresh data set copied from data, with flag (when
 * not NULL) set to 1 there. */
static enum err render(struct arena *a, const char *locale, const char *tmpl, HDF *data, const char *flag,
		       char **out)
{
	HDF *hdf = NULL;
	STRING s;
	enum err e;

	if (hdf_init(&hdf) != STATUS_OK)
		return ERR_INTERNAL;
	if (data)
		hdf_copy(hdf, "", data);
	if (flag)
		hdf_set_value(hdf, flag, "1");
	string_init(&s);
	e = tmpl_render_hdf(hdf, locale, tmpl, &s);
	if (e == ERR_OK)
		*out = arena_strdup(a, s.buf ? s.buf : "");
	string_clear(&s);
	hdf_destroy(&hdf);
	return e;
}

enum err outbox_mail(struct db *db, struct arena *a, const char *locale, const char *to,
		     const char *tmpl, HDF *data, const char *dedupe_key)
{
	char *text, *subject = "", *body;
	char path[200];
	enum err e;

	snprintf(path, sizeof(path), "mail/%s", tmpl);
	e = render(a, locale, path, data, NULL, &text);
	if (e != ERR_OK)
		return e;
	/* "Subject: ..." on the first line, then a blank line, then the body */
	while (*text == '\n' || *text == ' ')
		text++;
	body = text;
	if (strncmp(text, "Subject: ", 9) == 0) {
		char *nl = strchr(text, '\n');
		subject = text + 9;
		if (nl) {
			*nl = '\0';
			body = nl + 1;
			while (*body == '\n')
				body++;
		} else {
			body = "";
		}
	}
	return outbox_queue(db, OUTBOX_EMAIL, to, subject, body, NULL, dedupe_key);
}

/* the names an SMS may carry, shortened in this order until it fits one
 * message (docs/outbox.md, "SMS length") */
static const char *const sms_names[] = {"Sub.Owner", "Upd.Owner", "Saver.FullName", NULL};

enum err outbox_sms_text(struct arena *a, const char *locale, const char *tmpl, HDF *data, const char **out)
{
	char path[200];
	const char *fit = NULL;

	snprintf(path, sizeof(path), "sms/%s", tmpl);
	/* the full wording first; then, when even a cut name leaves it too long
	 * (an English text turned UCS-2 by a name), the template's compact one */
	for (int compact = 0; compact < 2 && (fit == NULL || !sms_fits(fit)); compact++) {
		char *text;
		enum err e = render(a, locale, path, data, compact ? "Sms.Compact" : NULL, &text);
		if (e != ERR_OK)
			return e;
		while (*text == '\n' || *text == ' ')
			text++;
		size_t n = strlen(text);
		while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
			text[--n] = '\0';
		fit = text;
		for (int i = 0; sms_names[i] && data && !sms_fits(fit); i++)
			fit = sms_fit_name(a, fit, hdf_get_value(data, sms_names[i], NULL));
	}
	if (!sms_fits(fit))
		log_warn("outbox: SMS %s (%s) is longer than one message: %zu units", tmpl, locale,
			 sms_units(fit, NULL));
	*out = fit;
	return ERR_OK;
}

enum err outbox_sms(struct db *db, struct arena *a, const char *locale, const char *to,
		    const char *tmpl, HDF *data, const char *dedupe_key)
{
	const char *text;
	enum err e = outbox_sms_text(a, locale, tmpl, data, &text);
	if (e != ERR_OK)
		return e;
	return outbox_queue(db, OUTBOX_SMS, to, "", text, NULL, dedupe_key);
}

enum err outbox_mark_sent(struct db *db, long long id, const char *claim)
{
	return db_exec(db, "UPDATE outbox SET status = 'sent', sent_at = UTC_TIMESTAMP(), claim = NULL, "
		       "claimed_until = NULL, last_error = NULL WHERE id = ? AND claim = ?", "is", id, claim);
}

enum err outbox_mark_possibly_delivered(struct db *db, long long id, const char *claim,
					const char *error)
{
	return db_exec(db, "UPDATE outbox SET possibly_delivered = possibly_delivered + 1, "
		       "possibly_delivered_at = UTC_TIMESTAMP(), last_error = ? WHERE id = ? AND claim = ?",
		       "sis", error, id, claim);
}

enum err outbox_stats(struct db *db, struct arena *a, struct outbox_stats *st)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT COALESCE(SUM(status = 'queued'), 0), COALESCE(SUM(status = 'sending'), 0), "
		"COALESCE(SUM(status = 'sent'), 0), COALESCE(SUM(status = 'failed'), 0), "
		"COALESCE(SUM(status = 'sent' AND possibly_delivered > 0), 0), "
		"COALESCE(SUM(status <> 'sent' AND possibly_delivered > 0), 0) FROM outbox", "");
	memset(st, 0, sizeof(*st));
	if (e != ERR_OK || res.nrows == 0)
		return e;
	st->queued = db_cell_int(&res, 0, 0, 0);
	st->sending = db_cell_int(&res, 0, 1, 0);
	st->sent = db_cell_int(&res, 0, 2, 0);
	st->failed = db_cell_int(&res, 0, 3, 0);
	st->possible_duplicates = db_cell_int(&res, 0, 4, 0);
	st->possibly_delivered = db_cell_int(&res, 0, 5, 0);
	return ERR_OK;
}
