/* jsonw.c: JSON strings written directly as jansson's JSON_COMPACT | JSON_ENSURE_ASCII dump writes them (API answers that copy rather than build). */
#include "jsonw.h"

#include <stdio.h>
#include <string.h>

#define R8(x) x, x, x, x, x, x, x, x
#define R32(x) R8(x), R8(x), R8(x), R8(x)
const unsigned char jsonw_plain[256] = {
	R32(0),					/* 0x00-0x1F: escaped */
	1, 1, 0, 1, 1, 1, 1, 1, R8(1),		/* 0x20-0x2F: '"' escaped */
	R8(1), R8(1),				/* 0x30-0x3F */
	R8(1), R8(1), R8(1), 1, 1, 1, 1, 0, 1, 1, 1,	/* 0x40-0x5F: '\\' escaped */
	R32(1),					/* 0x60-0x7F: DEL as it is */
	R32(0), R32(0), R32(0), R32(0),		/* non-ASCII: \uXXXX */
};
#undef R8
#undef R32

size_t jsonw_utf8_get(const unsigned char *p, const unsigned char *end, unsigned *cp)
{
	size_t n = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : *p >= 0xc0 ? 2 : 0;
	unsigned v;

	if (n == 0 || *p > 0xf4 || (size_t)(end - p) < n)
		return 0;
	v = *p & (0x3f >> (n - 1));
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3f);
	}
	if ((n == 2 && v < 0x80) || (n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
	    (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/* put_hex4: "\uXXXX" of a 16-bit unit. */
static char *put_hex4(char *o, unsigned u)
{
	static const char hex[] = "0123456789ABCDEF";

	*o++ = '\\';
	*o++ = 'u';
	for (int s = 12; s >= 0; s -= 4)
		*o++ = hex[(u >> s) & 0xf];
	return o;
}

char *jsonw_put_u(char *o, unsigned cp)
{
	if (cp < 0x10000)
		return put_hex4(o, cp);
	cp -= 0x10000;
	o = put_hex4(o, 0xd800 | (cp >> 10));
	return put_hex4(o, 0xdc00 | (cp & 0x3ff));
}

char *jsonw_string(char *o, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *end = p;

	while (*end)
		end++;
	*o++ = '"';
	while (p < end) {
		unsigned char ch = *p;
		if (jsonw_plain[ch]) {
			do
				*o++ = (char)*p++;
			while (jsonw_plain[*p]);
			continue;
		}
		if (ch >= 0x80) {
			unsigned cp;
			size_t n = jsonw_utf8_get(p, end, &cp);
			if (n == 0)
				return NULL;
			o = jsonw_put_u(o, cp);
			p += n;
			continue;
		}
		*o++ = '\\';
		switch (ch) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '\b': *o++ = 'b'; break;
		case '\f': *o++ = 'f'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		default:
			o = put_hex4(o - 1, ch);
		}
		p++;
	}
	*o++ = '"';
	return o;
}

void jsonw_raw(struct jsonw *w, const char *s, size_t n)
{
	memcpy(w->o, s, n);
	w->o += n;
}

void jsonw_str(struct jsonw *w, const char *s)
{
	char *e;

	if (s == NULL) {
		JSONW_LIT(w, "null");
		return;
	}
	if ((e = jsonw_string(w->o, s)) == NULL)
		w->bad = 1;
	else
		w->o = e;
}

void jsonw_bool(struct jsonw *w, int b)
{
	if (b)
		JSONW_LIT(w, "true");
	else
		JSONW_LIT(w, "false");
}

void jsonw_int(struct jsonw *w, long long n)
{
	w->o += sprintf(w->o, "%lld", n);
}

int jsonw_end(struct jsonw *w)
{
	*w->o = '\0';
	return w->bad ? -1 : 0;
}
