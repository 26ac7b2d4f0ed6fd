/* t_sms.c: lib/sms.c counts SMS as a phone does (GSM-7 septets with the extension characters as two, else UCS-2 units), and every SMS text the product sends, in English and Chinese, with the longest realistic names and links, is one message (issue 21). */
#include <string.h>

#include "arena.h"
#include "config.h"
#include "outbox.h"
#include "savers.h"
#include "sms.h"
#include "tap.h"
#include "tmpl.h"

/* the longest realistic values: a 28-character public base URL, names as
 * long as people's names get on business cards */
#define BASE "https://livecard.example.com"
static const char *const long_names[] = {
	"Maximilian Alexander Featherstonehaugh-Wolfeschlegel",
	"Ólafur Þórðarson-Guðmundsdóttir",	/* not GSM-7: the text becomes UCS-2 */
	"欧阳娜娜·阿不都热依木·司马",
	"张伟",
	NULL,
};

/* each SMS template, its data, and the text that must survive the fitting */
struct sms_case {
	const char *tmpl;
	const char *name_key;
	const char *must;	/* a part that is never cut (the link, the code) */
};

static const struct sms_case cases[] = {
	{"subscribe_code.cs", "Sub.Owner", "123456"},
	{"card_updated_sub.cs", "Upd.Owner", BASE SAVERS_SHORT_PATH "AbCdEfGh"},
	{"card_updated_held.cs", "Upd.Owner", BASE SAVERS_SHORT_PATH "AbCdEfGh"},
	{"card_updated.cs", "Upd.Owner", BASE "/updates"},
	{"saved.cs", "Saver.FullName", BASE "/savers"},
	{"subscribed.cs", "Saver.FullName", BASE "/savers"},
	{"phone_code.cs", NULL, "654321"},
	{NULL, NULL, NULL},
};

int main(void)
{
	struct arena a;
	int ucs2;

	arena_init(&a);
	/* counting as a phone does */
	is_int(sms_units("Hello, world!", &ucs2), 13, "plain text: a septet each");
	ok(!ucs2, "GSM-7");
	is_int(sms_units("a{b}c[d]e~f|g^h\\i", &ucs2), 25, "the extension characters count two (8 of 17)");
	is_int(sms_units("10 €", &ucs2), 5, "the euro sign counts two");
	ok(!ucs2, "and is GSM-7");
	is_int(sms_units("Müller, Señor, Åse, ÉCOLE", &ucs2), 25, "the accented letters of the GSM alphabet count one");
	ok(!ucs2, "still GSM-7");
	is_int(sms_units("Zoë", &ucs2), 3, "ë is not GSM-7: UCS-2 units");
	ok(ucs2, "UCS-2");
	is_int(sms_units("`", &ucs2), 1, "nor the backquote");
	ok(ucs2, "UCS-2");
	is_int(sms_units("张伟 https://x.cn", &ucs2), 15, "Chinese: UCS-2, ASCII counts one unit there");
	ok(ucs2, "UCS-2");
	is_int(sms_units("ok 😀", &ucs2), 5, "a character beyond the BMP counts two units");
	is_int(sms_units("\xff\xfe", &ucs2), 2, "invalid UTF-8 bytes: a unit each");
	char buf[200];
	memset(buf, 'a', 160);
	buf[160] = '\0';
	ok(sms_fits(buf), "160 GSM-7 characters fit");
	buf[159] = '{';
	ok(!sms_fits(buf), "159 and an extension character do not");
	ok(sms_fits("张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟"),
	   "70 Chinese characters fit");
	ok(!sms_fits("张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟x"),
	   "71 units do not");

	/* fitting a name */
	const char *t = sms_fit_name(&a, "short Ann text", "Ann");
	is_str(t, "short Ann text", "a text that fits is left alone");
	memset(buf, 'x', 150);
	snprintf(buf + 150, sizeof(buf) - 150, " Bartholomew!");
	t = sms_fit_name(&a, buf, "Bartholomew");
	ok(sms_fits(t) && sms_units(t, NULL) == 160, "a GSM-7 text is cut to 160 exactly (%zu)", sms_units(t, NULL));
	ok(strstr(t, " Bar") != NULL && strstr(t, "...!") != NULL && !strstr(t, "Bartholomew"), "the name cut, with \"...\" (%s)", t + 150);
	t = sms_fit_name(&a, "张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟 欧阳娜娜司马 end", "欧阳娜娜司马");
	ok(sms_fits(t) && strstr(t, "欧阳") != NULL && strstr(t, "… end") != NULL && !strstr(t, "司马"), "a UCS-2 text: the name cut on a character, with \"…\" (%s)", t);

	/* every SMS the product sends, in both languages, with the longest
	 * realistic names and links */
	cfg.templates_dir = "templates";
	cfg.site_name = "livecard";
	cfg.base_url = BASE;
	ok(tmpl_init() == 0, "the language files load");
	is_str(savers_short_link(&a, "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg"), BASE SAVERS_SHORT_PATH "AbCdEfGh",
	       "the short link of a subscription");
	const char *locales[] = {"en", "zh-CN", NULL};
	for (int c = 0; cases[c].tmpl; c++)
		for (int l = 0; locales[l]; l++)
			for (int n = 0; long_names[n]; n++) {
				HDF *d = NULL;
				const char *text = NULL;
				hdf_init(&d);
				if (cases[c].name_key)
					hdf_set_value(d, cases[c].name_key, long_names[n]);
				hdf_set_value(d, "Sub.Code", "123456");
				hdf_set_value(d, "Phone.Code", "654321");
				hdf_set_value(d, "Phone.Minutes", "10");
				hdf_set_value(d, "Sub.Short", BASE SAVERS_SHORT_PATH "AbCdEfGh");
				hdf_set_value(d, "Held.Count", "12");
				hdf_set_value(d, "Held.Since", "2026-12-07 03:00:00");
				hdf_set_value(d, "Upd.Auto", "0");
				hdf_set_value(d, "Upd.Link", BASE "/updates");
				hdf_set_value(d, "Upd.FolderURL", BASE "/folder");
				hdf_set_value(d, "Mail.SaversURL", BASE "/savers");
				enum err e = outbox_sms_text(&a, locales[l], cases[c].tmpl, d, &text);
				hdf_destroy(&d);
				int u;
				size_t units = text ? sms_units(text, &u) : 0;
				ok(e == ERR_OK && sms_fits(text), "%s %s, %s: one message (%zu %s units): %s", cases[c].tmpl,
				   locales[l], long_names[n], units, u ? "UCS-2" : "GSM-7", text ? text : "(none)");
				ok(text && strstr(text, cases[c].must), "  %s is whole in it", cases[c].must);
				if (cases[c].name_key) {
					char first[8];
					snprintf(first, sizeof(first), "%.6s", long_names[n]);
					ok(text && strstr(text, first), "  the name is there, at least its beginning");
				}
			}
	arena_reset(&a);
	return done_testing();
}
