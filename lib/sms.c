/* sms.c: SMS lengths as a phone counts them (GSM 03.38 septets or UCS-2 units), and shortening a name to fit one message. */
#include "sms.h"

#include <string.h>

/* the GSM 03.38 basic alphabet beyond printable ASCII, and the ASCII it lacks */
static const unsigned gsm_basic_extra[] = {
	0xA3, 0xA5, 0xE8, 0xE9, 0xF9, 0xEC, 0xF2, 0xC7, 0xD8, 0xF8, 0xC5, 0xE5, 0x394, 0x3A6, 0x393,
	0x39B, 0x3A9, 0x3A0, 0x3A8, 0x3A3, 0x398, 0x39E, 0xC6, 0xE6, 0xDF, 0xC9, 0xA4, 0xA1, 0xC4,
	0xD6, 0xD1, 0xDC, 0xA7, 0xBF, 0xE4, 0xF6, 0xF1, 0xFC, 0xE0,
};
static const char gsm_ext_ascii[] = "^{}\\[]~|";

/* next_cp: the code point at *s (invalid bytes read as U+FFFD), advancing *s */
static unsigned next_cp(const unsigned char **s)
{
	const unsigned char *p = *s;
	unsigned c = p[0], n = c < 0x80 ? 0 : c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
	unsigned cp = n == 0 ? c : c & (0x3F >> n);
	if (c >= 0x80 && n == 0) {
		*s = p + 1;
		return 0xFFFD;
	}
	for (unsigned i = 1; i <= n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			*s = p + i;
			return 0xFFFD;
		}
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	*s = p + n + 1;
	return cp;
}

/* gsm_septets: 1 or 2 for a character of GSM-7 (basic or extension), 0 when not */
static unsigned gsm_septets(unsigned cp)
{
	if (cp == '\n' || cp == '\r')
		return 1;
	if (cp == 0x20AC || cp == 0x0C)
		return 2;
	if (cp >= 0x20 && cp < 0x7F) {
		if (cp == '`')
			return 0;
		return strchr(gsm_ext_ascii, (int)cp) ? 2 : 1;
	}
	for (size_t i = 0; i < sizeof(gsm_basic_extra) / sizeof(gsm_basic_extra[0]); i++)
		if (gsm_basic_extra[i] == cp)
			return 1;
	return 0;
}

size_t sms_units(const char *text, int *ucs2)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t septets = 0, utf16 = 0;
	int gsm = 1;

	while (*s) {
		unsigned cp = next_cp(&s), g = gsm_septets(cp);
		if (g == 0)
			gsm = 0;
		septets += g;
		utf16 += cp > 0xFFFF ? 2 : 1;
	}
	if (ucs2)
		*ucs2 = !gsm;
	return gsm ? septets : utf16;
}

int sms_fits(const char *text)
{
	int ucs2;
	size_t n = sms_units(text, &ucs2);
	return n <= (ucs2 ? SMS_UCS2_MAX : SMS_GSM7_MAX);
}

const char *sms_fit_name(struct arena *a, const char *text, const char *name)
{
	const char *at = name && *name ? strstr(text, name) : NULL;
	size_t nl, before;

	if (at == NULL || sms_fits(text))
		return text;
	nl = strlen(name);
	before = (size_t)(at - text);
	/* cut whole characters off the name's end until the text fits */
	for (size_t keep = nl; keep > 0;) {
		do
			keep--;
		while (keep > 0 && ((unsigned char)name[keep] & 0xC0) == 0x80);
		if (keep == 0)
			break;
		const char *gsm_try = arena_printf(a, "%.*s%.*s...%s", (int)before, text, (int)keep, name, at + nl);
		int ucs2;
		size_t n = sms_units(gsm_try, &ucs2);
		if (!ucs2 && n <= SMS_GSM7_MAX)
			return gsm_try;
		const char *u = arena_printf(a, "%.*s%.*s\xe2\x80\xa6%s", (int)before, text, (int)keep, name, at + nl);
		if (ucs2 && sms_fits(u))
			return u;
	}
	return text;
}
