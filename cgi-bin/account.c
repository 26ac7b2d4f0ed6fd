/* account.c: sign-up, e-mail verification, sign-in/out, password reset, settings, tokens. */
#include <string.h>

#include "account.h"
#include "auth.h"
#include "autolink.h"
#include "config.h"
#include "contact.h"
#include "crypto.h"
#include "http.h"
#include "letters.h"
#include "log.h"
#include "member.h"
#include "outbox.h"
#include "owncard.h"
#include "savers.h"
#include "tmpl.h"
#include "when.h"

#define PASSWORD_MIN 10
#define PASSWORD_MAX 1024
#define PHONES_MAX 10		/* phone numbers per member */
#define PHONE_CODE_DIGITS 6

static const char *const locale_choices[] = {"en", "zh-CN", NULL};

/* --- shared steps -------------------------------------------------------*/

static json_t *user_json(struct req *r, long long id)
{
	struct db_result res;
	if (account_row(r->db, &r->arena, id, &res) != ERR_OK || res.nrows == 0)
		return NULL;
	json_t *u = json_pack("{s:I, s:s, s:s, s:s, s:b, s:s?}",
			      "id", (json_int_t)id, "email", db_cell(&res, 0, ACCOUNT_EMAIL),
			      "full_name", db_cell(&res, 0, ACCOUNT_NAME), "locale", db_cell(&res, 0, ACCOUNT_LOCALE),
			      "email_verified", (int)db_cell_int(&res, 0, ACCOUNT_VERIFIED, 0),
			      "created_at", json_time(&r->arena, db_cell(&res, 0, ACCOUNT_CREATED)));
	json_object_set_new(u, "channels", account_channels_json(&res, 0));
	json_object_set_new(u, "auto_update_default", json_boolean(db_cell_int(&res, 0, ACCOUNT_AUTO_UPDATE, 0)));
	json_object_set_new(u, "auto_link_members", json_boolean(db_cell_int(&res, 0, ACCOUNT_AUTO_LINK, 0)));
	json_object_set_new(u, "tz", db_cell(&res, 0, ACCOUNT_TZ) ? json_string(db_cell(&res, 0, ACCOUNT_TZ)) : json_null());
	struct db_result ph;
	json_t *phones = json_array();
	if (account_phones(r->db, &r->arena, id, &ph) == ERR_OK)
		for (size_t i = 0; i < ph.nrows; i++)
			json_array_append_new(phones, json_pack("{s:s, s:b}", "phone", db_cell(&ph, i, 0),
								"verified", (int)db_cell_int(&ph, i, 1, 0)));
	json_object_set_new(u, "phones", phones);
	return u;
}

/* mail_link: queue a mail holding a single-use link (verify or reset). */
static enum err mail_link(struct req *r, long long user_id, const char *email, const char *locale,
			  const char *purpose, long seconds, const char *tmpl, const char *path)
{
	const char *tok;
	enum err e = account_email_token(r->db, &r->arena, user_id, purpose, email, (long long)seconds, &tok);
	if (e != ERR_OK)
		return e;
	HDF *data = NULL;
	hdf_init(&data);
	hdf_set_value(data, "Mail.Link", arena_printf(&r->arena, "%s%s?token=%s", cfg.base_url, path, tok));
	hdf_set_int_value(data, "Mail.Hours", (int)(seconds / 3600 ? seconds / 3600 : 1));
	e = outbox_mail(r->db, &r->arena, locale, email, tmpl, data, NULL);
	hdf_destroy(&data);
	return e;
}

/* signup_tz: the time zone a new account starts with: the browser's
 * (the lc_tz cookie livecard.js sets) when it is a zone of the system's
 * tz database, else NULL (pages then guess again: docs/i18n.md). */
static const char *signup_tz(struct req *r)
{
	const char *guess = hdf_get_value(r->hdf, "Cookie.lc_tz", NULL);
	return guess && when_tz_valid(guess) ? guess : NULL;
}

/* register_account: the work of sign-up, API and form alike. The answer
 * is the same whether or not the address already has an account; the
 * owner of an existing one gets a mail saying so instead. Every request
 * counts against the mail quotas (429 too_many_mails once spent). */
static enum err register_account(struct req *r, const char *email, const char *password,
				 const char *full_name, const char *phone, const char *locale)
{
	enum err e;
	long long id;
	const char *hash, *taken_locale, *taken_hash;

	/* new address or taken, the request sends a mail: it counts either way */
	if ((e = throttle_mail_take(r, email)) != ERR_OK)
		return e;
	hash = password_hash(&r->arena, password);	/* same cost either way */
	if (hash == NULL)
		return req_fail(r, ERR_UNAVAILABLE, "busy", NULL, "cannot hash the password now");
	if ((e = db_begin(r->db)) != ERR_OK)
		return e;
	e = account_by_email(r->db, &r->arena, email, 1, &id, &taken_locale, &taken_hash);
	if (e != ERR_OK)
		return e;
	if (id) {
		e = outbox_mail(r->db, &r->arena, taken_locale, email, "exists.cs", NULL, NULL);
		if (e == ERR_OK)
			e = db_commit(r->db);
		return e;
	}
	e = account_create(r->db, email, hash, full_name, locale, signup_tz(r), phone, &id);
	if (e != ERR_OK)
		return e;
	e = mail_link(r, id, email, locale, "verify", cfg.verify_seconds, "verify.cs", "/verify");
	if (e != ERR_OK)
		return e;
	return db_commit(r->db);
}

/* verify_email: consume a verification token. *status is "verified",
 * "already" (used before, address verified) or "invalid". */
static enum err verify_email(struct req *r, const char *token, const char **status, long long *uid)
{
	enum err e;

	*status = "invalid";
	if ((e = db_begin(r->db)) != ERR_OK)
		return e;
	e = account_email_verify(r->db, &r->arena, token, status, uid);
	if (e == ERR_OK && strcmp(*status, "verified") == 0)
		e = db_commit(r->db);
	if (e != ERR_OK)
		*status = "invalid";
	return e;
}

/* sign_in: check e-mail and password, throttled per client and account,
 * per client and per account (throttle_signin_take); *uid on success,
 * ERR_UNAUTHORIZED or ERR_TOO_MANY otherwise. */
static enum err sign_in(struct req *r, const char *email, const char *password, long long *uid)
{
	enum err e;
	long long id;
	const char *locale, *hash;

	/* the attempt counts as a failure before the password is checked */
	if ((e = throttle_signin_take(r, email)) != ERR_OK)
		return e;
	e = account_by_email(r->db, &r->arena, email, 0, &id, &locale, &hash);
	if (e != ERR_OK)
		return e;
	if (id == 0 || !password_verify(hash, password)) {
		if (id == 0)	/* spend the same time as a real check */
			password_verify("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
					"aW52YWxpZGludmFsaWRpbnZhbGlkaW52YWxpZGludmE", password);
		return req_fail(r, ERR_UNAUTHORIZED, "bad_credentials", NULL, "wrong e-mail address or password");
	}
	throttle_signin_ok(r, email);
	*uid = id;
	return ERR_OK;
}

/* request_reset: mail a reset link when the account exists; silent
 * otherwise. Every request counts against the mail quotas. */
static enum err request_reset(struct req *r, const char *email)
{
	enum err e;
	long long id;
	const char *locale, *hash;

	if ((e = throttle_mail_take(r, email)) != ERR_OK)
		return e;
	e = account_by_email(r->db, &r->arena, email, 0, &id, &locale, &hash);
	if (e != ERR_OK || id == 0)
		return e;
	if ((e = db_begin(r->db)) != ERR_OK)
		return e;
	e = mail_link(r, id, email, locale, "reset",
		      cfg.reset_seconds, "reset.cs", "/reset/confirm");
	if (e == ERR_OK)
		e = db_commit(r->db);
	return e;
}

/* confirm_reset: set a new password with a reset token; ends every
 * session, API token and app password, and the mailed link proves the
 * address as the verification link would. */
static enum err confirm_reset(struct req *r, const char *token, const char *password)
{
	enum err e;
	long long uid;
	const char *email, *hash = password_hash(&r->arena, password);

	if (hash == NULL)
		return req_fail(r, ERR_UNAVAILABLE, "busy", NULL, "cannot hash the password now");
	if ((e = db_begin(r->db)) != ERR_OK)
		return e;
	e = account_reset_token(r->db, &r->arena, token, &uid, &email);
	if (e == ERR_NOT_FOUND)
		return req_fail(r, ERR_GONE, "invalid_token", "token", "this link is invalid, used or expired");
	if (e != ERR_OK ||
	    (e = account_password_reset(r->db, &r->arena, token, uid, hash)) != ERR_OK ||
	    (e = auth_credentials_end(r, uid, email)) != ERR_OK ||
	    (e = account_email_proved(r->db, &r->arena, uid, email)) != ERR_OK)
		return e;
	return db_commit(r->db);
}

/* --- phone numbers (SMS codes) --------------------------------------------*/

/* phone_code_send: add phone to the member's numbers (or take the one
 * there) and send it a fresh code by SMS (Savers.CodeSeconds, at most
 * Savers.MaxPhoneCodesPerHour per member and Savers.MaxPerRecipientPerDay
 * per number). *verified 1, and no SMS, when the number is confirmed
 * already. Commits. */
static enum err phone_code_send(struct req *r, const char *phone, int *verified)
{
	enum err e;
	int listed = 0, retry = 0;
	long long id;
	long secs = config_get_int("Savers.CodeSeconds", 600);

	*verified = 0;
	if ((e = db_begin(r->db)) != ERR_OK)
		return e;
	e = account_phone_find(r->db, &r->arena, r->user->id, phone, &id, verified);
	if (e != ERR_OK)
		return e;
	if (*verified) {
		db_rollback(r->db);
		return ERR_OK;
	}
	if ((e = savers_dnc_listed(r->db, &r->arena, arena_printf(&r->arena, "t:%s", phone), &listed)) != ERR_OK)
		return e;
	if (listed)
		return req_fail(r, ERR_BAD_REQUEST, "do_not_contact", "phone",
				"this number asked never to be contacted by this site");
	e = savers_quota_take(r->db, &r->arena, arena_printf(&r->arena, "pc:%lld", r->user->id),
			      config_get_int("Savers.MaxPhoneCodesPerHour", 5), 3600, &retry);
	if (e == ERR_OK)
		e = savers_quota_take(r->db, &r->arena, arena_printf(&r->arena, "r:t:%s", phone),
				      config_get_int("Savers.MaxPerRecipientPerDay", 5), 86400, &retry);
	if (e == ERR_TOO_MANY) {
		r->ei.retry_after = retry;
		return req_fail(r, e, "too_many_messages", "phone", "too many codes sent; try again later");
	}
	if (e != ERR_OK)
		return e;
	if (id == 0 && (e = account_phone_add(r->db, &r->arena, r->user->id, phone, PHONES_MAX, &id)) == ERR_TOO_MANY)
		return req_fail(r, ERR_BAD_REQUEST, "too_many_phones", "phone", "too many phone numbers");
	const char *code = digits_new(&r->arena, PHONE_CODE_DIGITS);
	if (e == ERR_OK)
		e = account_phone_code(r->db, &r->arena, id, code, (long long)secs);
	if (e != ERR_OK)
		return e;
	HDF *data = NULL;
	if (hdf_init(&data) != STATUS_OK)
		return ERR_INTERNAL;
	hdf_set_value(data, "Phone.Code", code);
	hdf_set_int_value(data, "Phone.Minutes", (int)(secs / 60));
	e = outbox_sms(r->db, &r->arena, r->locale, phone, "phone_code.cs", data, NULL);
	hdf_destroy(&data);
	if (e == ERR_OK)
		e = db_commit(r->db);
	return e;
}

/* phone_code_check: a code sent to one of the member's numbers. The number
 * it matches is verified and counts for matching from now on. A wrong code
 * uses up a try of every number waiting (Savers.CodeAttempts); 410
 * code_expired when no code is waiting. *phone: the verified number.
 * Commits. */
static enum err phone_code_check(struct req *r, const char *code, const char **phone)
{
	enum err e;
	long max = config_get_int("Savers.CodeAttempts", 5);
	size_t live = 0;

	if ((e = db_begin(r->db)) != ERR_OK)
		return e;
	e = account_phone_check(r->db, &r->arena, r->user->id, code, (long long)max, phone, &live);
	if (e != ERR_OK)
		return e;
	if (*phone)
		return db_commit(r->db);
	if (live == 0)
		return req_fail(r, ERR_GONE, "code_expired", "code", "no code is waiting: ask for a new one");
	/* the try counts even though the request fails: commit it */
	if ((e = db_commit(r->db)) != ERR_OK)
		return e;
	return req_fail(r, ERR_BAD_REQUEST, "invalid_code", "code", "wrong code");
}

/* --- JSON API -----------------------------------------------------------*/

enum { REG_EMAIL, REG_PASSWORD, REG_NAME, REG_PHONE, REG_LOCALE };
static const struct input in_register[] = {
	[REG_EMAIL] = {"email", IN_EMAIL, SRC_BODY, 1, 0, 254, NULL},
	[REG_PASSWORD] = {"password", IN_PASSWORD, SRC_BODY, 1, PASSWORD_MIN, PASSWORD_MAX, NULL},
	[REG_NAME] = {"full_name", IN_TEXT, SRC_BODY, 1, 1, 200, NULL},
	[REG_PHONE] = {"phone", IN_PHONE, SRC_BODY, 0, 0, 40, NULL},
	[REG_LOCALE] = {"locale", IN_ENUM, SRC_BODY, 0, 0, 0, locale_choices},
	{NULL},
};

static enum err api_register(struct req *r)
{
	const char *locale = r->in[REG_LOCALE].present ? r->in[REG_LOCALE].str : r->locale;
	enum err e = register_account(r, r->in[REG_EMAIL].str, r->in[REG_PASSWORD].str,
				      r->in[REG_NAME].str, r->in[REG_PHONE].str, locale);
	if (e != ERR_OK)
		return e;
	/* identical for new and existing addresses: no id, nothing stored shown */
	return req_json(r, 201, json_pack("{s:{s:s, s:s, s:b}}", "user", "email", r->in[REG_EMAIL].str,
					  "full_name", r->in[REG_NAME].str, "email_verified", 0));
}

enum { VER_TOKEN };
static const struct input in_verify[] = {
	[VER_TOKEN] = {"token", IN_TOKEN, SRC_BODY, 1, 20, 64, NULL},
	{NULL},
};

static enum err api_verify(struct req *r)
{
	const char *status;
	long long uid = 0;
	enum err e = verify_email(r, r->in[VER_TOKEN].str, &status, &uid);
	if (e != ERR_OK)
		return e;
	/* single-use: a used link answers 410 here; only the page is lenient */
	if (strcmp(status, "verified") != 0)
		return req_fail(r, ERR_GONE, "invalid_token", "token", "this link is invalid, used or expired");
	return req_json(r, 200, json_pack("{s:b, s:o}", "verified", 1, "user", user_json(r, uid)));
}

enum { TOK_EMAIL, TOK_PASSWORD, TOK_LABEL };
static const struct input in_token[] = {
	[TOK_EMAIL] = {"email", IN_EMAIL, SRC_BODY, 1, 0, 254, NULL},
	[TOK_PASSWORD] = {"password", IN_PASSWORD, SRC_BODY, 1, 1, PASSWORD_MAX, NULL},
	[TOK_LABEL] = {"label", IN_TEXT, SRC_BODY, 0, 0, 100, NULL},
	{NULL},
};

static enum err api_token_create(struct req *r)
{
	long long uid;
	const char *tok, *expires;
	enum err e = sign_in(r, r->in[TOK_EMAIL].str, r->in[TOK_PASSWORD].str, &uid);
	if (e != ERR_OK)
		return e;
	if ((e = auth_token_create(r, uid, r->in[TOK_LABEL].str, &tok, &expires)) != ERR_OK)
		return e;
	return req_json(r, 201, json_pack("{s:s, s:s?, s:o}", "token", tok,
					  "expires_at", json_time(&r->arena, expires), "user", user_json(r, uid)));
}

static enum err api_token_list(struct req *r)
{
	struct db_result res;
	enum err e = auth_token_list(r, r->user->id, &res);
	if (e != ERR_OK)
		return e;
	json_t *list = json_array();
	for (size_t i = 0; i < res.nrows; i++)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s?, s:s?, s:s?, s:b}",
			"id", (json_int_t)db_cell_int(&res, i, 0, 0), "label", db_cell(&res, i, 1),
			"created_at", json_time(&r->arena, db_cell(&res, i, 2)),
			"last_used_at", json_time(&r->arena, db_cell(&res, i, 3)),
			"expires_at", json_time(&r->arena, db_cell(&res, i, 4)),
			"current", (int)db_cell_int(&res, i, 5, 0)));
	return req_json(r, 200, json_pack("{s:o}", "tokens", list));
}

static enum err api_token_revoke(struct req *r)
{
	enum err e = auth_token_revoke(r, r->user->id, r->param_ids[0]);
	return e != ERR_OK ? e : req_no_content(r);
}

static enum err api_token_delete(struct req *r)
{
	enum err e = auth_session_end(r);
	return e != ERR_OK ? e : req_no_content(r);
}

static enum err api_me(struct req *r)
{
	json_t *u = user_json(r, r->user->id);
	if (u == NULL)
		return req_fail(r, ERR_UNAVAILABLE, NULL, NULL, "cannot read the account");
	return req_json(r, 200, json_pack("{s:o}", "user", u));
}

enum { ME_NAME, ME_LOCALE, ME_AUTO, ME_LINK, ME_TZ };
static const struct input in_me[] = {
	[ME_NAME] = {"full_name", IN_TEXT, SRC_BODY, 0, 1, 200, NULL},
	[ME_LOCALE] = {"locale", IN_ENUM, SRC_BODY, 0, 0, 0, locale_choices},
	[ME_AUTO] = {"auto_update_default", IN_BOOL, SRC_BODY, 0, 0, 0, NULL},
	[ME_LINK] = {"auto_link_members", IN_BOOL, SRC_BODY, 0, 0, 0, NULL},
	[ME_TZ] = {"tz", IN_TEXT, SRC_BODY, 0, 0, WHEN_TZ_MAX, NULL},
	{NULL},
};

/* save_tz: the member's time zone: a zone of the system's tz database, or
 * "" for none (guessed again from the browser); anything else is a 400
 * bad_tz and changes nothing. */
static enum err save_tz(struct req *r, const struct value *tz)
{
	if (!tz->present)
		return ERR_OK;
	if (*tz->str && !when_tz_valid(tz->str))
		return req_fail(r, ERR_BAD_REQUEST, "bad_tz", "tz", "tz is not a time zone of the tz database");
	return account_tz_save(r->db, r->user->id, *tz->str ? tz->str : NULL);
}

/* save_settings: name, language, the default update policy and whether
 * cards of members are linked automatically; when that is on, the offers
 * already in the folder are linked now (at most AUTOLINK_MAX: the rest
 * by the next save of the settings, an import or the nightly job),
 * *linked and *left (offers still unlinked) tell. Inside a transaction. */
static enum err save_settings(struct req *r, const struct value *name, const struct value *locale,
			      const struct value *autoupd, const struct value *autolink,
			      long long *linked, long long *left)
{
	enum err e = account_settings_save(r->db, r->user->id, name, locale, autoupd, autolink);

	*linked = *left = 0;
	if (e == ERR_OK && autolink->present && autolink->num)
		e = autolink_entries(r->db, &r->arena, r->user->id, NULL, 0, AUTOLINK_MAX, linked, left);
	return e;
}

static enum err api_me_update(struct req *r)
{
	long long linked, left;
	enum err e = db_begin(r->db);

	if (e == ERR_OK)
		e = save_tz(r, &r->in[ME_TZ]);
	if (e == ERR_OK)
		e = save_settings(r, &r->in[ME_NAME], &r->in[ME_LOCALE], &r->in[ME_AUTO], &r->in[ME_LINK],
				  &linked, &left);
	if (e == ERR_OK)
		e = db_commit(r->db);
	if (e != ERR_OK)
		return e;
	json_t *u = user_json(r, r->user->id);
	if (u == NULL)
		return req_fail(r, ERR_UNAVAILABLE, NULL, NULL, "cannot read the account");
	json_t *out = json_pack("{s:o}", "user", u);
	/* turning the setting on links the offers already there */
	if (r->in[ME_LINK].present && r->in[ME_LINK].num) {
		json_object_set_new(out, "linked", json_integer(linked));
		json_object_set_new(out, "offers_left", json_integer(left));
	}
	return req_json(r, 200, out);
}

/* one input per channel, at its enum outbox_channel (outbox_channels[].setting) */
enum { CH_EMAIL = OUTBOX_EMAIL, CH_SMS = OUTBOX_SMS, CH_WEBHOOK = OUTBOX_WEBHOOK };
static const struct input in_channels[] = {
	[CH_EMAIL] = {"email", IN_BOOL, SRC_BODY, 0, 0, 0, NULL},
	[CH_SMS] = {"sms", IN_BOOL, SRC_BODY, 0, 0, 0, NULL},
	[CH_WEBHOOK] = {"webhook_url", IN_URL, SRC_BODY, 0, 0, 2048, NULL},
	{NULL},
};
_Static_assert(sizeof(in_channels) / sizeof(in_channels[0]) == OUTBOX__MAX + 1, "an input per channel");

/* save_channels: how the member wants to be told (v: a value per channel,
 * at its enum outbox_channel); a webhook URL must not lead to loopback or
 * private addresses (unless the config allows it). */
static enum err save_channels(struct req *r, const struct value *v)
{
	enum err e = ERR_OK;
	const struct value *hook = &v[OUTBOX_WEBHOOK];
	if (hook->present && *hook->str && !member_webhook_allowed(hook->str))
		return req_fail(r, ERR_BAD_REQUEST, "webhook_address", "webhook_url",
				"the webhook URL must resolve to a public address");
	for (int c = 0; e == ERR_OK && c < OUTBOX__MAX; c++)
		if (v[c].present)
			e = account_channel_save(r->db, &r->arena, r->user->id, (enum outbox_channel)c, &v[c]);
	return e;
}

static enum err api_channels(struct req *r)
{
	enum err e = save_channels(r, r->in);
	if (e != ERR_OK)
		return e;
	struct db_result res;
	e = account_row(r->db, &r->arena, r->user->id, &res);
	if (e != ERR_OK || res.nrows == 0)
		return e != ERR_OK ? e : ERR_NOT_FOUND;
	return req_json(r, 200, account_channels_json(&res, 1));
}

enum { PH_PHONE };
static const struct input in_phone[] = {
	[PH_PHONE] = {"phone", IN_PHONE, SRC_BODY, 1, 0, 40, NULL},
	{NULL},
};

static enum err api_phone(struct req *r)
{
	int verified;
	enum err e = phone_code_send(r, r->in[PH_PHONE].str, &verified);
	if (e != ERR_OK)
		return e;
	return req_json(r, verified ? 200 : 202, json_pack("{s:s, s:b}", "phone", r->in[PH_PHONE].str,
							  "verified", verified));
}

enum { PV_CODE };
static const struct input in_phone_verify[] = {
	[PV_CODE] = {"code", IN_TOKEN, SRC_BODY, 1, 1, 12, NULL},
	{NULL},
};

static enum err api_phone_verify(struct req *r)
{
	const char *phone = NULL;
	enum err e = phone_code_check(r, r->in[PV_CODE].str, &phone);
	if (e != ERR_OK)
		return e;
	return req_json(r, 200, json_pack("{s:s, s:b}", "phone", phone, "verified", 1));
}

/* phone_remove: member_phone_remove in its own transaction (404 when the
 * number is not the member's). */
static enum err phone_remove(struct req *r, const char *phone)
{
	enum err e = db_begin(r->db);
	if (e == ERR_OK)
		e = member_phone_remove(r->db, &r->arena, r->user->id, phone);
	if (e == ERR_OK)
		return db_commit(r->db);
	db_rollback(r->db);
	return e == ERR_NOT_FOUND ? req_fail(r, e, "no_such_phone", "phone", "no such phone number of yours") : e;
}

static enum err api_phone_remove(struct req *r)
{
	enum err e = phone_remove(r, r->in[PH_PHONE].str);
	return e != ERR_OK ? e : req_json(r, 200, json_pack("{s:s, s:b}", "phone", r->in[PH_PHONE].str,
							  "removed", 1));
}

enum { RS_EMAIL };
static const struct input in_reset[] = {
	[RS_EMAIL] = {"email", IN_EMAIL, SRC_BODY, 1, 0, 254, NULL},
	{NULL},
};

static enum err api_reset(struct req *r)
{
	enum err e = request_reset(r, r->in[RS_EMAIL].str);
	if (e != ERR_OK)
		return e;
	return req_json(r, 202, json_pack("{s:s}", "status", "if the address has an account, a link is on its way"));
}

enum { RC_TOKEN, RC_PASSWORD };
static const struct input in_reset_confirm[] = {
	[RC_TOKEN] = {"token", IN_TOKEN, SRC_BODY, 1, 20, 64, NULL},
	[RC_PASSWORD] = {"password", IN_PASSWORD, SRC_BODY, 1, PASSWORD_MIN, PASSWORD_MAX, NULL},
	{NULL},
};

static enum err api_reset_confirm(struct req *r)
{
	enum err e = confirm_reset(r, r->in[RC_TOKEN].str, r->in[RC_PASSWORD].str);
	return e != ERR_OK ? e : req_json(r, 200, json_pack("{s:b}", "reset", 1));
}

enum { AP_LABEL };
static const struct input in_app_password[] = {
	[AP_LABEL] = {"label", IN_TEXT, SRC_BODY, 1, 1, 100, NULL},
	{NULL},
};

/* app_password_create: a random per-device password for CardDAV, shown
 * once. Only for a confirmed e-mail address (403 email_unverified): the
 * address is what CardDAV signs in with, and an unconfirmed one may be
 * someone else's. */
static enum err app_password_create(struct req *r, const char *label, long long *id, const char **secret)
{
	if (!r->user->email_verified)
		return req_fail(r, ERR_FORBIDDEN, "email_unverified", NULL,
				"confirm your e-mail address before creating app passwords");
	return account_app_password_create(r->db, &r->arena, r->user->id, label, id, secret);
}

static enum err api_app_password_create(struct req *r)
{
	long long id;
	const char *secret;
	enum err e = app_password_create(r, r->in[AP_LABEL].str, &id, &secret);
	if (e != ERR_OK)
		return e;
	return req_json(r, 201, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id,
					  "label", r->in[AP_LABEL].str, "password", secret));
}

static enum err api_app_password_list(struct req *r)
{
	struct db_result res;
	enum err e = account_app_password_list(r->db, &r->arena, r->user->id, &res);
	if (e != ERR_OK)
		return e;
	json_t *list = json_array();
	for (size_t i = 0; i < res.nrows; i++)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s?, s:s?}",
			"id", (json_int_t)db_cell_int(&res, i, 0, 0), "label", db_cell(&res, i, 1),
			"created_at", json_time(&r->arena, db_cell(&res, i, 2)),
			"last_used_at", json_time(&r->arena, db_cell(&res, i, 3))));
	return req_json(r, 200, json_pack("{s:o}", "app_passwords", list));
}

static enum err api_app_password_delete(struct req *r)
{
	enum err e = account_app_password_delete(r->db, r->user->id, r->param_ids[0]);
	if (e == ERR_NOT_FOUND)
		return req_fail(r, ERR_NOT_FOUND, NULL, NULL, "no such app password");
	return e != ERR_OK ? e : req_no_content(r);
}

/* --- HTML pages ---------------------------------------------------------*/

static enum err page_message(struct req *r, int status, const char *key)
{
	req_set(r, "Message.Key", key);
	return req_html(r, status, "message.cs");
}

/* form_error: show a form again with the failure and the values typed. */
static enum err form_error(struct req *r, const char *tmpl, int status)
{
	req_set(r, "Form.Error", r->ei.code);
	req_set(r, "Form.Field", r->ei.field);
	auth_form_token(r);
	return req_html(r, status, tmpl);
}

/* home_letters: the member's last HOME_LETTERS letters as Home.Letters.N.*
 * (Text, Created, Read, Url when the letter links to a local page). */
#define HOME_LETTERS 5
static void home_letters(struct req *r)
{
	struct db_result res;
	if (letters_page(r->db, &r->arena, r->user->id, 0, 0, 0, HOME_LETTERS, &res) != ERR_OK)
		return;
	for (size_t i = 0; i < res.nrows; i++) {
		const char *p = arena_printf(&r->arena, "Home.Letters.%zu", i);
		json_error_t jerr;
		const char *raw = db_cell(&res, i, 2);
		json_t *payload = raw ? json_loads(raw, 0, &jerr) : NULL;
		const char *kind = db_cell(&res, i, 1);
		if (payload == NULL)
			payload = json_object();
		req_set(r, arena_printf(&r->arena, "%s.Id", p), db_cell(&res, i, 0));
		req_set(r, arena_printf(&r->arena, "%s.Text", p), savers_letter_text(r, kind ? kind : "", payload));
		req_set(r, arena_printf(&r->arena, "%s.Created", p), db_cell(&res, i, 3));
		req_set(r, arena_printf(&r->arena, "%s.Read", p), db_cell(&res, i, 4));
		const char *url = json_string_value(json_object_get(payload, "url"));
		if (url && url[0] == '/' && url[1] != '/' && url[1] != '\\')
			req_set(r, arena_printf(&r->arena, "%s.Url", p), url);
		json_decref(payload);
	}
}

/* page_home: the landing page for visitors; for a member their card, the
 * counts of saved cards, savers, pending updates and unread letters, and the
 * last letters. */
static enum err page_home(struct req *r)
{
	if (r->user == NULL) {
		auth_form_token(r);
		return req_html(r, 200, "landing.cs");
	}
	struct owncard c;
	long long unread, last_id;
	enum err e = letters_counts(r->db, &r->arena, r->user->id, &unread, &last_id);
	if (e == ERR_OK)
		req_setf(r, "Home.UnreadLetters", "%lld", unread);
	member_home_counts(r);
	savers_home_counts(r);
	if (owncard_by_user(r->db, &r->arena, r->user->id, &c) == ERR_OK) {
		owncard_card_hdf(r->hdf, "Card", &c);
		req_setf(r, "Card.Revision", "%lld", c.revision);
		req_set(r, "Card.UpdatedAt", c.updated_at);
		req_set(r, "Card.Front", c.front_image);
		req_set(r, "Share.Path", arena_printf(&r->arena, "/c/%s", c.share_token));
	}
	home_letters(r);
	auth_form_token(r);
	return req_html(r, 200, "home.cs");
}

enum { LG_NEXT };
static const struct input in_lang[] = {
	[LG_NEXT] = {"next", IN_LOCALPATH, SRC_QUERY, 0, 0, 500, NULL},
	{NULL},
};

/* page_lang: a visitor's language choice (/lang/en, /lang/zh-CN): the
 * lc_lang cookie for a year, then back to next (a local path) or "/". A
 * member's own setting (Settings) still wins. */
static enum err page_lang(struct req *r)
{
	const char *want = r->params[0];
	int ok = 0;
	for (int i = 0; locale_choices[i]; i++)
		if (strcmp(want, locale_choices[i]) == 0)
			ok = 1;
	if (!ok)
		return req_fail(r, ERR_NOT_FOUND, NULL, NULL, "no such language");
	/* IN_LOCALPATH: an unsafe next counts as absent */
	const char *next = r->in[LG_NEXT].present ? r->in[LG_NEXT].str : "/";
	req_set_cookie(r, "lc_lang", want, 365L * 24 * 3600);
	return req_redirect(r, next);
}

static enum err page_signup(struct req *r)
{
	if (r->user)
		return req_redirect(r, "/");
	auth_form_token(r);
	return req_html(r, 200, "signup.cs");
}

/* form_signup: the same inputs as the API (in_register), from a form body */
static enum err form_signup(struct req *r)
{
	const char *locale = r->in[REG_LOCALE].present ? r->in[REG_LOCALE].str : r->locale;
	enum err e = register_account(r, r->in[REG_EMAIL].str, r->in[REG_PASSWORD].str,
				      r->in[REG_NAME].str, r->in[REG_PHONE].str, locale);
	if (e == ERR_TOO_MANY) {
		req_add_header(r, "Retry-After: %d", r->ei.retry_after);
		return form_error(r, "signup.cs", 429);
	}
	if (e != ERR_OK)
		return e;
	req_set(r, "Message.Email", r->in[REG_EMAIL].str);
	return page_message(r, 200, "check_mail");
}

enum { VP_TOKEN };
static const struct input in_verify_page[] = {
	[VP_TOKEN] = {"token", IN_TOKEN, SRC_QUERY, 1, 20, 64, NULL},
	{NULL},
};

/* page_verify: the link in the mail verifies at once; opening it twice
 * (or a mail scanner opening it first) still ends on a friendly page. */
static enum err page_verify(struct req *r)
{
	const char *status;
	long long uid = 0;
	enum err e = verify_email(r, r->in[VP_TOKEN].str, &status, &uid);
	if (e != ERR_OK)
		return e;
	if (strcmp(status, "invalid") == 0)
		return page_message(r, 410, "verify_invalid");
	/* no dead end: on to making the card, signed in already or by the
	 * sign-in form with the address filled in */
	req_set(r, "Message.Next", "/card");
	if (r->user == NULL || r->user->id != uid) {
		struct db_result res;
		if (account_row(r->db, &r->arena, uid, &res) == ERR_OK && res.nrows)
			req_set(r, "Message.SignInEmail", db_cell(&res, 0, ACCOUNT_EMAIL));
	}
	return page_message(r, 200, strcmp(status, "verified") == 0 ? "verified" : "already_verified");
}

enum { SP_NEXT };
static const struct input in_signin_page[] = {
	[SP_NEXT] = {"next", IN_LOCALPATH, SRC_QUERY, 0, 0, 500, NULL},
	{NULL},
};

static enum err page_signin(struct req *r)
{
	if (r->user)
		return req_redirect(r, "/");
	if (r->in[SP_NEXT].present)
		req_set(r, "Form.Next", r->in[SP_NEXT].str);
	auth_form_token(r);
	return req_html(r, 200, "signin.cs");
}

enum { SI_EMAIL, SI_PASSWORD, SI_NEXT };
static const struct input in_signin_form[] = {
	[SI_EMAIL] = {"email", IN_EMAIL, SRC_BODY, 1, 0, 254, NULL},
	[SI_PASSWORD] = {"password", IN_PASSWORD, SRC_BODY, 1, 1, PASSWORD_MAX, NULL},
	[SI_NEXT] = {"next", IN_LOCALPATH, SRC_BODY, 0, 0, 500, NULL},
	{NULL},
};

static enum err form_signin(struct req *r)
{
	long long uid;
	enum err e = sign_in(r, r->in[SI_EMAIL].str, r->in[SI_PASSWORD].str, &uid);
	if (e == ERR_UNAUTHORIZED || e == ERR_TOO_MANY) {
		if (e == ERR_TOO_MANY)
			req_add_header(r, "Retry-After: %d", r->ei.retry_after);
		/* the form shown again keeps where the member was going */
		if (r->in[SI_NEXT].present)
			req_set(r, "Form.Next", r->in[SI_NEXT].str);
		return form_error(r, "signin.cs", err_status(e));
	}
	if (e != ERR_OK)
		return e;
	if ((e = auth_session_start(r, uid)) != ERR_OK)
		return e;
	/* IN_LOCALPATH: only local paths, no open redirect */
	return req_redirect(r, r->in[SI_NEXT].present ? r->in[SI_NEXT].str : "/");
}

static enum err form_signout(struct req *r)
{
	enum err e = auth_session_end(r);
	return e != ERR_OK ? e : req_redirect(r, "/signin");
}

static enum err page_reset(struct req *r)
{
	auth_form_token(r);
	return req_html(r, 200, "reset.cs");
}

static enum err form_reset(struct req *r)
{
	enum err e = request_reset(r, r->in[RS_EMAIL].str);
	if (e == ERR_TOO_MANY) {
		req_add_header(r, "Retry-After: %d", r->ei.retry_after);
		return form_error(r, "reset.cs", 429);
	}
	if (e != ERR_OK)
		return e;
	return page_message(r, 200, "reset_sent");
}

enum { RP_TOKEN };
static const struct input in_reset_page[] = {
	[RP_TOKEN] = {"token", IN_TOKEN, SRC_QUERY, 1, 20, 64, NULL},
	{NULL},
};

static enum err page_reset_confirm(struct req *r)
{
	req_set(r, "Form.Token", r->in[RP_TOKEN].str);
	auth_form_token(r);
	return req_html(r, 200, "reset_confirm.cs");
}

static enum err form_reset_confirm(struct req *r)
{
	enum err e = confirm_reset(r, r->in[RC_TOKEN].str, r->in[RC_PASSWORD].str);
	if (e == ERR_GONE)
		return page_message(r, 410, "reset_invalid");
	if (e != ERR_OK)
		return e;
	return page_message(r, 200, "reset_done");
}

/* settings_render: the settings page (status 200, or 4xx after a phone
 * form failed), with the member's phone numbers. */
static enum err settings_render(struct req *r, int status)
{
	struct db_result res;
	enum err e = account_row(r->db, &r->arena, r->user->id, &res);
	if (e != ERR_OK || res.nrows == 0)
		return e != ERR_OK ? e : ERR_NOT_FOUND;
	req_set(r, "Settings.Name", db_cell(&res, 0, ACCOUNT_NAME));
	req_set(r, "Settings.Locale", db_cell(&res, 0, ACCOUNT_LOCALE));
	for (int c = 0; c < OUTBOX__MAX; c++)
		req_set(r, arena_printf(&r->arena, "Settings.%s", outbox_channels[c].hdf),
			db_cell(&res, 0, ACCOUNT_CHANNELS + (size_t)c));
	req_set(r, "Settings.AutoUpdate", db_cell(&res, 0, ACCOUNT_AUTO_UPDATE));
	req_set(r, "Settings.AutoLink", db_cell(&res, 0, ACCOUNT_AUTO_LINK));
	req_set(r, "Settings.TZ", db_cell(&res, 0, ACCOUNT_TZ));
	e = account_app_password_list(r->db, &r->arena, r->user->id, &res);
	for (size_t i = 0; e == ERR_OK && i < res.nrows; i++) {
		req_setf(r, arena_printf(&r->arena, "AppPasswords.%zu.Id", i), "%s", db_cell(&res, i, 0));
		req_set(r, arena_printf(&r->arena, "AppPasswords.%zu.Label", i), db_cell(&res, i, 1));
		req_set(r, arena_printf(&r->arena, "AppPasswords.%zu.Created", i), db_cell(&res, i, 2));
		req_set(r, arena_printf(&r->arena, "AppPasswords.%zu.Used", i), db_cell(&res, i, 3));
	}
	if (e == ERR_OK)
		e = auth_token_list(r, r->user->id, &res);
	for (size_t i = 0; e == ERR_OK && i < res.nrows; i++) {
		req_set(r, arena_printf(&r->arena, "Tokens.%zu.Id", i), db_cell(&res, i, 0));
		req_set(r, arena_printf(&r->arena, "Tokens.%zu.Label", i), db_cell(&res, i, 1));
		req_set(r, arena_printf(&r->arena, "Tokens.%zu.Created", i), db_cell(&res, i, 2));
		req_set(r, arena_printf(&r->arena, "Tokens.%zu.Used", i), db_cell(&res, i, 3));
		req_set(r, arena_printf(&r->arena, "Tokens.%zu.Expires", i), db_cell(&res, i, 4));
	}
	req_set(r, "Settings.EmailVerified", r->user->email_verified ? "1" : "0");
	if (e == ERR_OK)
		e = account_phones(r->db, &r->arena, r->user->id, &res);
	for (size_t i = 0; e == ERR_OK && i < res.nrows; i++) {
		req_set(r, arena_printf(&r->arena, "Phones.%zu.Number", i), db_cell(&res, i, 0));
		req_set(r, arena_printf(&r->arena, "Phones.%zu.Display", i), phone_display(db_cell(&res, i, 0), &r->arena));
		req_set(r, arena_printf(&r->arena, "Phones.%zu.Verified", i), db_cell(&res, i, 1));
		req_set(r, arena_printf(&r->arena, "Phones.%zu.Waiting", i), db_cell(&res, i, 2));
	}
	auth_form_token(r);
	return req_html(r, status, "settings.cs");
}

static enum err page_settings(struct req *r)
{
	return settings_render(r, 200);
}

/* phone_form_error: the settings page again, the failure beside the phone form. */
static enum err phone_form_error(struct req *r, enum err e)
{
	if (e == ERR_TOO_MANY)
		req_add_header(r, "Retry-After: %d", r->ei.retry_after > 0 ? r->ei.retry_after : 1);
	req_set(r, "PhoneForm.Error", r->ei.code);
	return settings_render(r, err_status(e));
}

static enum err form_phone(struct req *r)
{
	int verified;
	enum err e = phone_code_send(r, r->in[PH_PHONE].str, &verified);
	if (e == ERR_BAD_REQUEST || e == ERR_TOO_MANY)
		return phone_form_error(r, e);
	if (e != ERR_OK)
		return e;
	return req_redirect(r, verified ? "/settings?phone=verified" : "/settings?phone=sent");
}

static enum err form_phone_verify(struct req *r)
{
	const char *phone = NULL;
	enum err e = phone_code_check(r, r->in[PV_CODE].str, &phone);
	if (e == ERR_BAD_REQUEST || e == ERR_GONE)
		return phone_form_error(r, e);
	if (e != ERR_OK)
		return e;
	return req_redirect(r, "/settings?phone=verified");
}

enum { PR_PHONE, PR_CONFIRM };
static const struct input in_phone_remove_form[] = {
	[PR_PHONE] = {"phone", IN_PHONE, SRC_BODY, 1, 0, 40, NULL},
	[PR_CONFIRM] = {"confirm", IN_BOOL, SRC_BODY, 0, 0, 0, NULL},
	{NULL},
};

/* form_phone_remove: the number goes only when the member confirmed; else
 * the settings page asks first (what stops: matching, SMS). */
static enum err form_phone_remove(struct req *r)
{
	if (!r->in[PR_CONFIRM].present || !r->in[PR_CONFIRM].num) {
		req_set(r, "PhoneRemove.Ask", r->in[PR_PHONE].str);
		return settings_render(r, 200);
	}
	enum err e = phone_remove(r, r->in[PR_PHONE].str);
	if (e == ERR_NOT_FOUND)
		return phone_form_error(r, e);
	return e != ERR_OK ? e : req_redirect(r, "/settings?phone=removed#phones");
}

enum { SF_NAME, SF_LOCALE, SF_AUTO, SF_EMAIL, SF_SMS, SF_WEBHOOK, SF_LINK, SF_TZ };
/* the channels' inputs (outbox_channels[].column) in the order of enum outbox_channel */
_Static_assert(SF_SMS - SF_EMAIL == OUTBOX_SMS && SF_WEBHOOK - SF_EMAIL == OUTBOX_WEBHOOK &&
	       OUTBOX__MAX == 3, "the settings form's channel inputs follow enum outbox_channel");
static const struct input in_settings_form[] = {
	[SF_NAME] = {"full_name", IN_TEXT, SRC_BODY, 1, 1, 200, NULL},
	[SF_LOCALE] = {"locale", IN_ENUM, SRC_BODY, 1, 0, 0, locale_choices},
	[SF_AUTO] = {"auto_update_default", IN_BOOL, SRC_BODY, 0, 0, 0, NULL},
	[SF_EMAIL] = {"notify_email", IN_BOOL, SRC_BODY, 0, 0, 0, NULL},
	[SF_SMS] = {"notify_sms", IN_BOOL, SRC_BODY, 0, 0, 0, NULL},
	[SF_WEBHOOK] = {"webhook_url", IN_URL, SRC_BODY, 0, 0, 2048, NULL},
	[SF_LINK] = {"auto_link_members", IN_BOOL, SRC_BODY, 0, 0, 0, NULL},
	[SF_TZ] = {"tz", IN_TEXT, SRC_BODY, 0, 0, WHEN_TZ_MAX, NULL},
	{NULL},
};

static enum err form_settings(struct req *r)
{
	/* an unticked checkbox (or no webhook field) is absent from the form: it means off */
	struct value off = {.present = 1, .num = 0, .str = ""}, channels[OUTBOX__MAX];
	for (int c = 0; c < OUTBOX__MAX; c++)
		channels[c] = r->in[SF_EMAIL + c].present ? r->in[SF_EMAIL + c] : off;
	long long linked = 0, left = 0;
	enum err e = db_begin(r->db);
	if (e == ERR_OK)
		e = save_tz(r, &r->in[SF_TZ]);
	if (e == ERR_OK)
		e = save_settings(r, &r->in[SF_NAME], &r->in[SF_LOCALE],
				  r->in[SF_AUTO].present ? &r->in[SF_AUTO] : &off,
				  r->in[SF_LINK].present ? &r->in[SF_LINK] : &off, &linked, &left);
	if (e == ERR_OK)
		e = save_channels(r, channels);
	if (e == ERR_BAD_REQUEST) {
		/* nothing saved; the page again, filled from what is stored */
		db_rollback(r->db);
		req_set(r, "Form.Error", r->ei.code);
		req_set(r, "Form.Field", r->ei.field);
		return settings_render(r, 400);
	}
	if (e == ERR_OK)
		e = db_commit(r->db);
	return e != ERR_OK ? e : req_redirect(r, linked ? "/settings?saved=1&linked=1" : "/settings?saved=1");
}

static enum err form_app_password(struct req *r)
{
	long long id;
	const char *secret;
	enum err e = app_password_create(r, r->in[AP_LABEL].str, &id, &secret);
	if (e == ERR_FORBIDDEN) {
		req_set(r, "AppPasswordForm.Error", r->ei.code);
		return settings_render(r, 403);
	}
	if (e != ERR_OK)
		return e;
	req_set(r, "NewAppPassword.Label", r->in[AP_LABEL].str);
	req_set(r, "NewAppPassword.Secret", secret);
	return page_settings(r);
}

static enum err form_app_password_delete(struct req *r)
{
	enum err e = account_app_password_delete(r->db, r->user->id, r->param_ids[0]);
	if (e != ERR_OK && e != ERR_NOT_FOUND)	/* the page is the same either way */
		return e;
	return req_redirect(r, "/settings");
}

static enum err form_token_revoke(struct req *r)
{
	enum err e = auth_token_revoke(r, r->user->id, r->param_ids[0]);
	return e != ERR_OK ? e : req_redirect(r, "/settings#tokens");
}

/* --- the route table ----------------------------------------------------*/

static const struct route routes[] = {
	{"POST", "/api/v1/accounts", AUTH_NONE, BODY_JSON, in_register, api_register},
	{"POST", "/api/v1/accounts/verify", AUTH_NONE, BODY_JSON, in_verify, api_verify},
	{"POST", "/api/v1/tokens", AUTH_NONE, BODY_JSON, in_token, api_token_create},
	{"DELETE", "/api/v1/tokens/current", AUTH_USER, BODY_NONE, NULL, api_token_delete},
	{"GET", "/api/v1/tokens", AUTH_USER, BODY_NONE, NULL, api_token_list},
	{"DELETE", "/api/v1/tokens/{id}", AUTH_USER, BODY_NONE, NULL, api_token_revoke},
	{"GET", "/api/v1/me", AUTH_USER, BODY_NONE, NULL, api_me},
	{"PUT", "/api/v1/me", AUTH_USER, BODY_JSON, in_me, api_me_update},
	{"PUT", "/api/v1/me/channels", AUTH_USER, BODY_JSON, in_channels, api_channels},
	{"POST", "/api/v1/me/phone", AUTH_USER, BODY_JSON, in_phone, api_phone},
	{"POST", "/api/v1/me/phone/verify", AUTH_USER, BODY_JSON, in_phone_verify, api_phone_verify},
	{"POST", "/api/v1/me/phone/remove", AUTH_USER, BODY_JSON, in_phone, api_phone_remove},
	{"POST", "/api/v1/password-reset", AUTH_NONE, BODY_JSON, in_reset, api_reset},
	{"POST", "/api/v1/password-reset/confirm", AUTH_NONE, BODY_JSON, in_reset_confirm, api_reset_confirm},
	{"POST", "/api/v1/app-passwords", AUTH_USER, BODY_JSON, in_app_password, api_app_password_create},
	{"GET", "/api/v1/app-passwords", AUTH_USER, BODY_NONE, NULL, api_app_password_list},
	{"DELETE", "/api/v1/app-passwords/{id}", AUTH_USER, BODY_NONE, NULL, api_app_password_delete},

	{"GET", "/", AUTH_NONE, BODY_NONE, NULL, page_home},
	{"GET", "/lang/{name}", AUTH_NONE, BODY_NONE, in_lang, page_lang},
	{"GET", "/signup", AUTH_NONE, BODY_NONE, NULL, page_signup},
	{"POST", "/signup", AUTH_NONE, BODY_FORM, in_register, form_signup},
	{"GET", "/verify", AUTH_NONE, BODY_NONE, in_verify_page, page_verify},
	{"GET", "/signin", AUTH_NONE, BODY_NONE, in_signin_page, page_signin},
	{"POST", "/signin", AUTH_NONE, BODY_FORM, in_signin_form, form_signin},
	{"POST", "/signout", AUTH_USER, BODY_FORM, NULL, form_signout},
	{"GET", "/reset", AUTH_NONE, BODY_NONE, NULL, page_reset},
	{"POST", "/reset", AUTH_NONE, BODY_FORM, in_reset, form_reset},
	{"GET", "/reset/confirm", AUTH_NONE, BODY_NONE, in_reset_page, page_reset_confirm},
	{"POST", "/reset/confirm", AUTH_NONE, BODY_FORM, in_reset_confirm, form_reset_confirm},
	{"GET", "/settings", AUTH_USER, BODY_NONE, NULL, page_settings},
	{"POST", "/settings", AUTH_USER, BODY_FORM, in_settings_form, form_settings},
	{"POST", "/settings/app-passwords", AUTH_USER, BODY_FORM, in_app_password, form_app_password},
	{"POST", "/settings/phone", AUTH_USER, BODY_FORM, in_phone, form_phone},
	{"POST", "/settings/phone/verify", AUTH_USER, BODY_FORM, in_phone_verify, form_phone_verify},
	{"POST", "/settings/phone/remove", AUTH_USER, BODY_FORM, in_phone_remove_form, form_phone_remove},
	{"POST", "/settings/app-passwords/{id}/delete", AUTH_USER, BODY_FORM, NULL, form_app_password_delete},
	{"POST", "/settings/tokens/{id}/delete", AUTH_USER, BODY_FORM, NULL, form_token_revoke},
	{NULL},
};

int main(int argc, char **argv)
{
	return app_run(argc, argv, "account", routes, NULL);
}
