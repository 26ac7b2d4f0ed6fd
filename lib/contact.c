/* contact.c: strict UTF-8, e-mail, phone (through lib/phonenum.h) and http(s) URL checks. */
#include "contact.h"
#include "phonenum.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define EMAIL_MAX 254
#define EMAIL_LOCAL_MAX 64
#define EMAIL_LABEL_MAX 63
#define PHONE_DIGITS_MAX 20	/* collected before libphonenumber reads them */

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int is_alnum_lower(int c)
{
	return (c >= 'a' && c <= 'z') || is_digit(c);
}

int utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	while (p < end) {
		unsigned c = *p, cp, min;
		size_t len, i;

		if (c < 0x80) {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				return 0;
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2, cp = c & 0x1f, min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3, cp = c & 0x0f, min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4, cp = c & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		if ((size_t)(end - p) < len)
			return 0;
		for (i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		p += len;
	}
	return 1;
}

size_t utf8_cut(const char *s, size_t max)
{
	size_t n = strnlen(s, max);

	if (n < max)
		return n;
	/* s[max] exists (a NUL or more text): back off continuation bytes */
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/* The local part as a dot-atom (RFC 5322 atext, plus UTF-8 per RFC 6531). */
static int email_local_valid(const char *s, size_t n)
{
	static const char atext[] = "!#$%&'*+-/=?^_`{|}~";
	size_t i;

	if (n == 0 || n > EMAIL_LOCAL_MAX || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.') {
			if (s[i + 1] == '.')
				return 0;
		} else if (!is_alnum_lower(c) && c < 0x80 && strchr(atext, c) == NULL) {
			return 0;
		}
	}
	return 1;
}

static int email_domain_valid(const char *s)
{
	size_t labels = 0;

	for (;;) {
		size_t n = 0, digits = 0;
		for (; s[n] && s[n] != '.'; n++) {
			unsigned char c = (unsigned char)s[n];
			if (!is_alnum_lower(c) && c != '-' && c < 0x80)
				return 0;
			digits += is_digit(c);
		}
		if (n == 0 || n > EMAIL_LABEL_MAX || s[0] == '-' || s[n - 1] == '-')
			return 0;
		labels++;
		if (s[n] == '\0') {
			/* an all-numeric last label makes an IP address, not a name */
			return labels >= 2 && digits < n;
		}
		s += n + 1;
	}
}

char *email_normalize(const char *in, struct arena *a)
{
	size_t start = 0, end, i;
	char *s, *at;

	if (in == NULL)
		return NULL;
	end = strlen(in);
	while (start < end && is_space((unsigned char)in[start]))
		start++;
	while (end > start && is_space((unsigned char)in[end - 1]))
		end--;
	if (end == start || end - start > EMAIL_MAX || !utf8_valid(in + start, end - start))
		return NULL;
	s = arena_strndup(a, in + start, end - start);
	for (i = 0; s[i]; i++) {
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
	}
	at = strchr(s, '@');
	if (at == NULL || strchr(at + 1, '@') != NULL)
		return NULL;
	if (!email_local_valid(s, (size_t)(at - s)) || !email_domain_valid(at + 1))
		return NULL;
	return s;
}

/* The length of the country calling code that starts the digits d: codes
 * are prefix-free, 1 and 7 are the only one-digit codes and these are the
 * two-digit ones (ITU-T E.164 list); every other code has three digits. */
static size_t phone_cc_len(const char *d)
{
	static const char two[] = "20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 "
		"51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98";
	size_t i;

	if (d[0] == '1' || d[0] == '7')
		return 1;
	for (i = 0; i + 1 < sizeof(two); i += 3) {
		if (two[i] == d[0] && two[i + 1] == d[1])
			return 2;
	}
	return 3;
}

/* Whether p (just after the number's digits) is an extension to drop:
 * "ext. 12", "extension 12", "x12", "#12", ";ext=12", ", ext 12", and the
 * Chinese "转 12" and "分机 12" ("010-1234 5678 转 123"). */
static int phone_is_extension(const char *p)
{
	static const char *const marks[] = {"extension", "ext", "x", "#", "\u8f6c", "\u5206\u673a"};
	size_t i, n = sizeof(marks) / sizeof(marks[0]);

	if (*p == ';' || *p == ',')
		p++;
	while (*p == ' ')
		p++;
	for (i = 0; i < n; i++) {
		size_t k = strlen(marks[i]);
		if (strncasecmp(p, marks[i], k) == 0) {
			p += k;
			break;
		}
	}
	if (i == n)
		return 0;
	while (*p == '.' || *p == ':' || *p == '=' || *p == ' ')
		p++;
	if (!is_digit((unsigned char)*p))
		return 0;
	while (is_digit((unsigned char)*p) || *p == ' ')
		p++;
	return *p == '\0';
}

/* Collect the digits of in into d (NUL-terminated); *plus tells whether it
 * began with '+'. Returns the digit count, or 0 when in is not a number. */
static size_t phone_digits(const char *in, char d[PHONE_DIGITS_MAX + 1], int *plus)
{
	size_t n = 0;
	const char *p = in;

	*plus = 0;
	while (is_space((unsigned char)*p))
		p++;
	if (strncasecmp(p, "tel:", 4) == 0)
		p += 4;
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (is_digit(c)) {
			if (n == PHONE_DIGITS_MAX)
				return 0;
			d[n++] = (char)c;
		} else if (c == '+' && n == 0 && !*plus) {
			*plus = 1;
		} else if (is_space(c) || c == '-' || c == '.' || c == '(' || c == ')' || c == '/') {
			continue;
		} else if (n > 0 && phone_is_extension(p)) {
			break;
		} else {
			return 0;
		}
	}
	d[n] = '\0';
	return n;
}

char *phone_normalize(const char *in, const char *default_country, struct arena *a)
{
	char d[PHONE_DIGITS_MAX + 2], out[PHONENUM_MAX];
	int plus;

	if (in == NULL || phone_digits(in, d + 1, &plus) == 0)
		return NULL;
	d[0] = '+';
	if (!phonenum_e164(plus ? d : d + 1, default_country, out))
		return NULL;
	return arena_strdup(a, out);
}

/* The display forms this process worked out, by number: a list page shows
 * the same numbers request after request, and each costs libphonenumber a
 * parse and a format (tens of thousands of instructions; 500 of them were a
 * fifth of the 500-entry folder page). 4-way set-associative, 2,048
 * numbers (128 KB); a full set replaces its ways in turn. E.164 numbers
 * are at most 16 characters, so the key fits. */
#define DISPLAY_SETS 512
#define DISPLAY_WAYS 4
struct display_slot {
	char e164[20];
	char shown[40];		/* "" : not readable (shown as it is) */
};
static struct display_set {
	struct display_slot way[DISPLAY_WAYS];
	unsigned next;		/* the way the next miss replaces */
} display_cache[DISPLAY_SETS];

const char *phone_display(const char *value, struct arena *a)
{
	char out[PHONENUM_MAX];
	struct display_set *set = NULL;
	size_t n;

	if (value == NULL)
		return "";
	if (value[0] != '+')
		return value;
	n = strlen(value);
	if (n < sizeof(set->way[0].e164)) {
		unsigned h = 2166136261u;	/* FNV-1a */
		for (size_t i = 0; i < n; i++)
			h = (h ^ (unsigned char)value[i]) * 16777619u;
		set = &display_cache[h % DISPLAY_SETS];
		for (int w = 0; w < DISPLAY_WAYS; w++)
			if (strcmp(set->way[w].e164, value) == 0)
				return set->way[w].shown[0] ? arena_strdup(a, set->way[w].shown) : value;
	}
	int ok = phonenum_international(value, out);
	size_t m = ok ? strlen(out) : 0;
	if (set && m < sizeof(set->way[0].shown)) {
		struct display_slot *slot = &set->way[set->next++ % DISPLAY_WAYS];
		memcpy(slot->e164, value, n + 1);
		memcpy(slot->shown, ok ? out : "", m + 1);
	}
	return ok ? arena_strdup(a, out) : value;
}

const char *phone_shown_add(const char *shown, const char *value, struct arena *a)
{
	const char *v = value ? value : "";
	return arena_printf(a, "%s%s\t%s\n", shown ? shown : "", v, phone_display(v, a));
}

const char *phone_shown_next(const char *shown, size_t *pos, const char *value, char *buf, size_t size)
{
	const char *line, *tab, *end;
	size_t n = strlen(value);

	if (shown == NULL || shown[*pos] == '\0')
		return NULL;
	line = shown + *pos;
	end = strchr(line, '\n');
	if (end == NULL)
		return NULL;
	tab = memchr(line, '\t', (size_t)(end - line));
	*pos = (size_t)(end + 1 - shown);
	if (tab == NULL || (size_t)(tab - line) != n || memcmp(line, value, n) != 0 ||
	    (size_t)(end - tab - 1) >= size)
		return NULL;
	memcpy(buf, tab + 1, (size_t)(end - tab - 1));
	buf[end - tab - 1] = '\0';
	return buf;
}

const char *phone_national_digits(const char *e164, struct arena *a)
{
	size_t n, i;

	if (e164 == NULL || e164[0] != '+')
		return NULL;
	n = strlen(e164 + 1);
	if (n < 8 || n > 15 || e164[1] == '0')
		return NULL;
	for (i = 1; i <= n; i++) {
		if (!is_digit((unsigned char)e164[i]))
			return NULL;
	}
	return arena_strdup(a, e164 + 1 + phone_cc_len(e164 + 1));
}

/* host: a DNS name (letters, digits, '-', '_', '.', or UTF-8 for IDN) or
 * an IP literal in brackets; then an optional ":port". No user info: in
 * "https://bank.example@evil.example" it only misleads. */
static int url_authority_valid(const char *s, size_t n)
{
	size_t h = 0, i;

	if (n > 0 && s[0] == '[') {
		for (h = 1; h < n && s[h] != ']'; h++) {
			char c = s[h];
			if (!is_digit(c) && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F') &&
			    c != ':' && c != '.')
				return 0;
		}
		if (h == n || h == 1)
			return 0;
		h++;
	} else {
		for (; h < n && s[h] != ':'; h++) {
			unsigned char c = (unsigned char)s[h];
			if (c == '.' && (h == 0 || s[h - 1] == '.'))
				return 0;
			if (!is_alnum_lower(c) && !(c >= 'A' && c <= 'Z') && c != '-' &&
			    c != '_' && c != '.' && c < 0x80)
				return 0;
		}
		if (h == 0)
			return 0;
	}
	if (h == n)
		return 1;
	if (s[h] != ':' || n - h - 1 == 0 || n - h - 1 > 5)
		return 0;
	long port = 0;
	for (i = h + 1; i < n; i++) {
		if (!is_digit((unsigned char)s[i]))
			return 0;
		port = port * 10 + (s[i] - '0');
	}
	return port <= 65535;
}

int url_valid(const char *s)
{
	size_t n, i, skip;

	if (s == NULL)
		return 0;
	n = strnlen(s, URL_MAX + 1);
	if (n == 0 || n > URL_MAX || !utf8_valid(s, n))
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c == 0x7f || strchr("\"<>\\^`{|}", c) != NULL)
			return 0;
	}
	if (strncasecmp(s, "http://", 7) == 0)
		skip = 7;
	else if (strncasecmp(s, "https://", 8) == 0)
		skip = 8;
	else
		return 0;
	s += skip;
	n = strcspn(s, "/?#");
	return url_authority_valid(s, n);
}

int url_linkable(const char *s)
{
	size_t n, skip;

	if (s == NULL)
		return 0;
	if (url_valid(s))
		return 1;
	if (strncasecmp(s, "mailto:", 7) == 0)
		skip = 7;
	else if (strncasecmp(s, "tel:", 4) == 0)
		skip = 4;
	else
		return 0;
	n = strnlen(s, URL_MAX + 1);
	if (n == skip || n > URL_MAX || !utf8_valid(s, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}
