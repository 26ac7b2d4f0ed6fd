/* t_savers.c: unit tests for lib/savers.c's pure parts and module 103's mail and SMS templates. */
#include <string.h>

#include "tap.h"
#include "arena.h"
#include "config.h"
#include "savers.h"
#include "tmpl.h"

static struct arena A;

static void test_how(void)
{
	is_str(savers_how_name(SAVERS_SAVED), "saved", "how: saved");
	is_str(savers_how_name(SAVERS_SEARCH), "search", "how: search");
	is_str(savers_how_name(SAVERS_RECONCILE), "reconcile", "how: reconcile");
	is_str(savers_how_name(SAVERS_SUBSCRIBED), "subscribed", "how: subscribed");
	for (int h = 0; h < SAVERS_HOW__MAX; h++)
		is_int(savers_how_lookup(savers_how_name((enum savers_how)h)), h, "lookup(name(%d)) round-trips", h);
	is_int(savers_how_lookup("Saved"), SAVERS_HOW__MAX, "names are exact");
	is_int(savers_how_lookup(NULL), SAVERS_HOW__MAX, "NULL is no value");
}

static void test_cursor(void)
{
	const char *since;
	int kind;
	long long id;
	const char *c = savers_cursor_make(&A, "2024-03-05 07:08:09", 1, 42);

	is_str(c, "20240305070809-1-42", "a cursor names the row: time, kind, id");
	ok(savers_cursor_parse(&A, c, &since, &kind, &id) == 0, "it parses");
	is_str(since, "2024-03-05 07:08:09", "back to the DATETIME");
	is_int(kind, 1, "the kind");
	is_int(id, 42, "the id");
	c = savers_cursor_make(&A, "1999-12-31 23:59:59.000000", 0, 9223372036854775807LL);
	ok(savers_cursor_parse(&A, c, &since, &kind, &id) == 0 && kind == 0 && id == 9223372036854775807LL,
	   "subscriber kind and the largest id round-trip");
	is_str(savers_cursor_make(&A, "2024-03", 1, 1), NULL, "no cursor from a short time");
	static const char *const bad[] = {
		"", "x", "20240305070809", "20240305070809-2-1", "20240305070809-1-", "2024030507080-1-1",
		"20240305070809-1-1x", "2024O305070809-1-1", "20240305070809_1_1", "20240305070809-1-12345678901234567890",
		"' OR 1=1 --", NULL,
	};
	for (int i = 0; bad[i]; i++)
		ok(savers_cursor_parse(&A, bad[i], &since, &kind, &id) == -1, "a bad cursor is refused: '%s'", bad[i]);
	ok(savers_cursor_parse(&A, NULL, &since, &kind, &id) == -1, "NULL is refused");
}

static void test_helpers(void)
{
	is_str(savers_ckey(&A, "a@example.com", NULL), "e:a@example.com", "an e-mail key");
	is_str(savers_ckey(&A, "", "+8613800138000"), "t:+8613800138000", "a phone key");
	is_str(savers_ckey(&A, "a@example.com", "+8613800138000"), "e:a@example.com", "the e-mail when both");
	is_str(savers_ckey(&A, NULL, NULL), NULL, "none");
	is_str(savers_one_line(&A, "Eve\r\nBcc: x@example.com\tz"), "Eve  Bcc: x@example.com z",
	       "line breaks and tabs become spaces (no header injection)");
	is_str(savers_one_line(&A, NULL), "", "NULL gives an empty string");
	is_str(savers_one_line(&A, "张伟"), "张伟", "UTF-8 is kept");

	json_t *s = savers_subscriber_json(&A, 7, "Sam", "sam@example.org", NULL, "2024-01-02 03:04:05");
	char *text = json_dumps(s, JSON_SORT_KEYS | JSON_COMPACT);
	is_str(text, "{\"card_url\":null,\"emails\":[\"sam@example.org\"],\"full_name\":\"Sam\",\"how\":\"subscribed\","
	       "\"id\":7,\"is_member\":false,\"kind\":\"subscriber\",\"organization\":\"\",\"phones\":[],"
	       "\"since\":\"2024-01-02T03:04:05Z\",\"title\":\"\"}", "a subscriber on the list");
	free(text);
	json_decref(s);
}

/* render: a mail or SMS template in locale with data. */
static const char *render(const char *locale, const char *name, HDF *data)
{
	HDF *h = NULL;
	STRING s;
	const char *out = NULL;
	hdf_init(&h);
	hdf_copy(h, "", data);
	string_init(&s);
	if (tmpl_render_hdf(h, locale, name, &s) == ERR_OK)
		out = arena_strdup(&A, s.buf ? s.buf : "");
	string_clear(&s);
	hdf_destroy(&h);
	return out;
}

static void test_templates(void)
{
	HDF *d = NULL;
	const char *m;

	cfg.templates_dir = "templates";
	cfg.site_name = "livecard";
	cfg.base_url = "https://cards.example";
	ok(tmpl_init() == 0, "the language files load");
	hdf_init(&d);
	hdf_set_value(d, "Saver.FullName", "Dan <Saver> & Co");
	hdf_set_value(d, "Saver.Title", "Buyer");
	hdf_set_value(d, "Saver.Emails.0", "dan@example.com");
	hdf_set_value(d, "Saver.Phones.0", "+8613900002222");
	hdf_set_value(d, "Saver.CardURL", "https://cards.example/c/abc");
	hdf_set_value(d, "Mail.SaversURL", "https://cards.example/savers");
	hdf_set_value(d, "Mail.SettingsURL", "https://cards.example/settings");

	m = render("en", "mail/saved.cs", d);
	ok(m && strstr(m, "Subject: Dan <Saver> & Co saved your card\n") != NULL,
	   "mail/saved.cs: the subject names the saver, unescaped (it is plain text)");
	ok(m && strstr(m, "E-mail: dan@example.com") && strstr(m, "Phone: +8613900002222"), "with the saver's details");
	ok(m && strstr(m, "https://cards.example/c/abc") && strstr(m, "https://cards.example/savers"),
	   "and links to the saver's card and the list");
	ok(m && !strstr(m, "&amp;") && !strstr(m, "&lt;"), "no HTML escaping in a text mail");
	m = render("zh-CN", "mail/saved.cs", d);
	ok(m && strstr(m, "保存了您的名片"), "in Chinese for a Chinese-speaking owner");
	m = render("en", "sms/saved.cs", d);
	ok(m && strstr(m, "livecard: Dan <Saver> & Co saved your card. https://cards.example/savers"),
	   "sms/saved.cs: one short line (the saver's details are on the savers page: issue 21, one message)");
	ok(m && strcspn(m, "\n") >= strlen(m) - 1, "an SMS is one line (at most a final line break)");
	m = render("en", "mail/subscribed.cs", d);
	ok(m && strstr(m, "Subject: Dan <Saver> & Co subscribed to updates of your card"), "mail/subscribed.cs");

	HDF *s = NULL;
	hdf_init(&s);
	hdf_set_value(s, "Sub.FullName", "Sam");
	hdf_set_value(s, "Sub.Owner", "Alice Owner");
	hdf_set_value(s, "Sub.CardURL", "https://cards.example/c/abc");
	hdf_set_value(s, "Sub.Link", "https://cards.example/s/confirm?token=T");
	hdf_set_value(s, "Sub.Unsubscribe", "https://cards.example/s/unsubscribe/U");
	hdf_set_value(s, "Sub.Code", "123456");
	hdf_set_value(s, "Sub.VerifyURL", "https://cards.example/c/abc/subscribe?phone=%2B8613800138000");
	m = render("en", "mail/subscribe_confirm.cs", s);
	ok(m && strncmp(m + strspn(m, "\n "), "Subject: ", 9) == 0, "mail/subscribe_confirm.cs starts with its subject");
	ok(m && strstr(m, "https://cards.example/s/confirm?token=T") && strstr(m, "Alice Owner"),
	   "with the confirmation link, naming the card");
	ok(m && strstr(m, "https://cards.example/s/unsubscribe/U"), "and the unsubscribe link");
	m = render("en", "sms/subscribe_code.cs", s);
	ok(m && strncmp(m + strspn(m, "\n "), "livecard: 123456 ", 17) == 0, "sms/subscribe_code.cs: the code first");
	ok(m && !strstr(m, "http"), "and no link (issue 21: it fits one message; unconfirmed, nothing more comes)");
	m = render("zh-CN", "sms/subscribe_code.cs", s);
	ok(m && strstr(m, "验证码") && strstr(m, "Alice Owner") && !strstr(m, "http"), "in Chinese too");
	hdf_set_value(s, "Sub.Hours", "48");
	m = render("en", "mail/subscribe_confirm.cs", s);
	ok(m && strstr(m, "The link works for 48 hours."), "saying how long the link works");
	hdf_set_value(s, "Phone.Code", "654321");
	hdf_set_value(s, "Phone.Minutes", "10");
	m = render("en", "sms/phone_code.cs", s);
	ok(m && strncmp(m + strspn(m, "\n "), "654321 is your livecard code", 28) == 0, "sms/phone_code.cs: the code first");
	ok(m && strstr(m, "It works for 10 minutes."), "and how long it works");
	hdf_destroy(&s);
	hdf_destroy(&d);
}

int main(void)
{
	arena_init(&A);
	test_how();
	test_cursor();
	test_helpers();
	test_templates();
	arena_reset(&A);
	return done_testing();
}
