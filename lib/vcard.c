/* vcard.c: vCard 2.1/3.0/4.0 parsing into the card model, and 3.0/4.0 writing. */
#include "vcard.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uchardet.h>

/* ---- small helpers ------------------------------------------------------ */

struct span {
	const char *p;
	size_t n;
};

static struct span mkspan(const char *p, size_t n)
{
	struct span s;

	s.p = p;
	s.n = n;
	return s;
}

static int lc(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static int is_ws(int c)
{
	return c == ' ' || c == '\t';
}

static int is_alnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* span_ieq: s equals the literal, ignoring ASCII case. */
static int span_ieq(struct span s, const char *lit)
{
	size_t i;

	for (i = 0; i < s.n; i++)
		if (lit[i] == '\0' || lc((unsigned char)s.p[i]) != lc((unsigned char)lit[i]))
			return 0;
	return lit[i] == '\0';
}

static int span_ieq2(struct span x, struct span y)
{
	size_t i;

	if (x.n != y.n)
		return 0;
	for (i = 0; i < x.n; i++)
		if (lc((unsigned char)x.p[i]) != lc((unsigned char)y.p[i]))
			return 0;
	return 1;
}

static int span_iprefix(struct span s, const char *lit)
{
	size_t i;

	for (i = 0; lit[i]; i++)
		if (i >= s.n || lc((unsigned char)s.p[i]) != lc((unsigned char)lit[i]))
			return 0;
	return 1;
}

static int span_icontains(struct span s, const char *lit)
{
	size_t m = strlen(lit), i;

	for (i = 0; i + m <= s.n; i++)
		if (span_iprefix(mkspan(s.p + i, s.n - i), lit))
			return 1;
	return 0;
}

static struct span span_trim(struct span s)
{
	while (s.n && is_ws((unsigned char)s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_ws((unsigned char)s.p[s.n - 1]))
		s.n--;
	return s;
}

/* span_unquote: s without surrounding double quotes (and blanks). */
static struct span span_unquote(struct span s)
{
	s = span_trim(s);
	if (s.n >= 2 && s.p[0] == '"' && s.p[s.n - 1] == '"') {
		s.p++;
		s.n -= 2;
	}
	return s;
}

/* ---- growable buffer (also the writer's output) ------------------------- */

static void buf_reserve(struct vcard_buf *b, size_t extra)
{
	size_t cap;
	char *p;

	if (b->cap > b->len && b->cap - b->len > extra)
		return;
	cap = b->cap ? b->cap : 1024;
	while (cap - b->len <= extra) {
		if (cap > SIZE_MAX / 4) {
			fputs("livecard: vcard buffer overflow\n", stderr);
			abort();
		}
		cap *= 2;
	}
	p = arena_alloc(b->a, cap);
	if (b->len)
		memcpy(p, b->data, b->len);
	b->data = p;
	b->cap = cap;
}

static void buf_put(struct vcard_buf *b, const void *s, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void buf_putc(struct vcard_buf *b, char c)
{
	buf_put(b, &c, 1);
}

static void buf_puts(struct vcard_buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void vcard_buf_init(struct vcard_buf *b, struct arena *a)
{
	b->a = a;
	b->data = NULL;
	b->len = b->cap = b->col = 0;
}

void vcard_buf_clear(struct vcard_buf *b)
{
	b->len = 0;
	b->col = 0;
	if (b->data)
		b->data[0] = '\0';
}

/* ---- UTF-8 -------------------------------------------------------------- */

/* utf8_seq: length of the valid UTF-8 character at s (n bytes left), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];

	if (c < 0x80)
		return 1;
	if (c < 0xC2 || c > 0xF4)
		return 0;
	if (c < 0xE0)
		return (n >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
	if (c < 0xF0) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F))
			return 0;
		return 3;
	}
	if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
	    (s[3] & 0xC0) != 0x80)
		return 0;
	if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
		return 0;
	return 4;
}

static int utf8_valid(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, k;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		k = utf8_seq(s + i, n - i);
		if (k == 0)
			return 0;
		i += k;
	}
	return 1;
}

/* ---- the parser's state ------------------------------------------------- */

#define N_CONV 6

enum cs_kind {
	CS_AUTO,		/* no usable CHARSET: UTF-8, else guessed */
	CS_UTF8,		/* declared UTF-8: invalid bytes become U+FFFD */
	CS_ICONV,		/* declared, converted by iconv */
	CS_GUESS		/* decided for the card: UTF-8 kept, else
				 * converted from name by iconv */
};

struct charset {
	enum cs_kind kind;
	char name[32];
};

struct parser {
	struct arena *a;		/* the caller's: results */
	struct arena tmp;		/* the whole parse: line buffer, input copy */
	struct arena card;		/* one card: its lines, decoded values */
	struct vcard_parse_opts o;
	const char *p, *end;		/* unread input */
	struct vcard_buf line;		/* a logical line being unfolded */
	struct {
		char name[32];
		iconv_t cd;
	} conv[N_CONV];
	size_t n_conv;
	char *empty;			/* "" in a */
	struct span *lines;		/* the current card's lines */
	size_t n_lines, cap_lines;
	int in_line_buf;		/* the last line is in line, not the input */
	const char *card_error;		/* why the current card is broken */
};

static iconv_t conv_get(struct parser *ps, const char *name)
{
	size_t i;
	iconv_t cd;

	for (i = 0; i < ps->n_conv; i++)
		if (strcmp(ps->conv[i].name, name) == 0)
			return ps->conv[i].cd;
	if (ps->n_conv == N_CONV)
		return (iconv_t)-1;	/* too many charsets in one file */
	cd = iconv_open("UTF-8", name);
	snprintf(ps->conv[ps->n_conv].name, sizeof ps->conv[0].name, "%s", name);
	ps->conv[ps->n_conv].cd = cd;
	ps->n_conv++;
	return cd;
}

/* conv_run: append src converted by cd to b. strict: fail (-1) on any bad
 * input; otherwise each bad byte becomes U+FFFD. */
static int conv_run(iconv_t cd, struct span src, struct vcard_buf *b, int strict)
{
	char *in = (char *)src.p, *out;
	size_t inleft = src.n, outleft, r;

	iconv(cd, NULL, NULL, NULL, NULL);
	while (inleft > 0) {
		buf_reserve(b, inleft * 4 + 16);
		out = b->data + b->len;
		outleft = b->cap - b->len - 1;
		r = iconv(cd, &in, &inleft, &out, &outleft);
		b->len = (size_t)(out - b->data);
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG)
			continue;
		if (strict)
			return -1;
		buf_put(b, "\xEF\xBF\xBD", 3);
		in++;
		inleft--;
	}
	buf_reserve(b, 64);
	out = b->data + b->len;
	outleft = b->cap - b->len - 1;
	iconv(cd, NULL, NULL, &out, &outleft);	/* shift back to the initial state */
	b->len = (size_t)(out - b->data);
	b->data[b->len] = '\0';
	return 0;
}

/* charset_of: what the CHARSET parameter value v asks for. */
static void charset_of(struct span v, struct charset *cs)
{
	static const char *const gb[] = {"GB2312", "GBK", "CP936", "EUC-CN", "X-GBK",
		"X-EUC-CN", "GB18030", "MS936", "WINDOWS-936", NULL};
	static const char *const ascii[] = {"US-ASCII", "ASCII", "ANSI_X3.4-1968", "US",
		"DEFAULT", NULL};
	size_t i;

	cs->kind = CS_AUTO;
	cs->name[0] = '\0';
	v = span_unquote(v);
	if (v.n == 0 || v.n >= sizeof cs->name)
		return;
	for (i = 0; i < v.n; i++) {
		int c = (unsigned char)v.p[i];
		if (!is_alnum(c) && c != '-' && c != '_' && c != '.' && c != ':')
			return;
		cs->name[i] = (char)(c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c);
	}
	cs->name[v.n] = '\0';
	if (strcmp(cs->name, "UTF-8") == 0 || strcmp(cs->name, "UTF8") == 0) {
		cs->kind = CS_UTF8;
		return;
	}
	for (i = 0; ascii[i]; i++)
		if (strcmp(cs->name, ascii[i]) == 0)
			return;
	for (i = 0; gb[i]; i++)
		if (strcmp(cs->name, gb[i]) == 0)
			snprintf(cs->name, sizeof cs->name, "%s", "GB18030");
	cs->kind = CS_ICONV;
}

/* ---- deciding a legacy charset ----------------------------------------- */

/* The legacy charsets livecard decides between, as iconv names: what
 * Western European, Simplified Chinese, Traditional Chinese and Japanese
 * phones and desktop programs wrote before UTF-8. */
enum legacy {
	LG_LATIN,		/* Windows-1252, the superset of ISO-8859-1's text */
	LG_GB,			/* GB18030 (GB2312, GBK) */
	LG_BIG5,
	LG_SJIS,		/* CP932, Windows' Shift-JIS */
	LG__MAX
};

static const char *const legacy_name[LG__MAX] = {"WINDOWS-1252", "GB18030", "BIG5", "CP932"};

#define NO_SCORE (-1000000L)

static int ascii_letter(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* latin_letter: a Windows-1252 byte that is a letter. */
static int latin_letter(int c)
{
	return (c >= 0xC0 && c != 0xD7 && c != 0xF7) || c == 0x8A || c == 0x8C || c == 0x8E ||
	       c == 0x9A || c == 0x9C || c == 0x9E || c == 0x9F || c == 0x83;
}

/* score_latin: how much s reads like Western European text in
 * Windows-1252: accented letters inside words (M\xfcller) count most,
 * typographic quotes and dashes some, rare symbols against. */
static long score_latin(const unsigned char *s, size_t n)
{
	long sc = 0;

	size_t run = 0;		/* high bytes in a row so far */

	for (size_t i = 0; i < n; i++) {
		int c = s[i], prev = i ? s[i - 1] : 0, next = i + 1 < n ? s[i + 1] : 0;
		if (c < 0x80) {
			run = 0;
			continue;
		}
		if (c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D)
			return NO_SCORE;	/* not in Windows-1252 */
		/* three high bytes in a row are rare in these languages and
		 * the rule in double-byte ones */
		if (++run >= 3)
			sc -= run == 3 ? 3 : 1;
		if (latin_letter(c))
			sc += (ascii_letter(prev) || ascii_letter(next)) ? 2 : 1;
		else if (c == 0x80 || c == 0x82 || c == 0x84 || c == 0x85 || c == 0x8B || c == 0x9B ||
			 (c >= 0x91 && c <= 0x97))
			sc += 1;	/* euro sign, quotes, dashes, ellipsis */
		else if (c != 0xA0 && c != 0xA9 && c != 0xAE && c != 0xB0 && c != 0xB7 && c != 0x99)
			sc -= 1;
	}
	return sc;
}

/* score_gb: how much s reads like GB2312/GBK/GB18030 text: pairs of high
 * bytes in GB2312's frequent hanzi count most; GBK's pairs with an ASCII
 * trail byte (what M\xfcller looks like) and four-byte forms against. */
static long score_gb(const unsigned char *s, size_t n)
{
	long sc = 0;

	for (size_t i = 0; i < n;) {
		int c = s[i], t = i + 1 < n ? s[i + 1] : 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c == 0x80 || c == 0xFF)
			return NO_SCORE;
		if (t >= 0x30 && t <= 0x39) {
			if (i + 3 >= n || s[i + 2] < 0x81 || s[i + 2] > 0xFE || s[i + 3] < 0x30 || s[i + 3] > 0x39)
				return NO_SCORE;
			sc -= 3;
			i += 4;
			continue;
		}
		if (t < 0x40 || t == 0x7F || t == 0xFF)
			return NO_SCORE;
		if (c >= 0xA1 && t >= 0xA1)
			sc += (c >= 0xB0 && c <= 0xD7) ? 3 : (c >= 0xD8 && c <= 0xF7) ? 2 :
			      (c <= 0xA9) ? 1 : -2;	/* A1-A9 symbols, kana; AA-AF, F8- user-defined */
		else
			sc += t < 0x80 ? -2 : 0;
		i += 2;
	}
	return sc;
}

/* score_big5: the same for Big5: its frequent hanzi (A440-C67E) most. */
static long score_big5(const unsigned char *s, size_t n)
{
	long sc = 0;

	for (size_t i = 0; i < n;) {
		int c = s[i], t = i + 1 < n ? s[i + 1] : 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c < 0xA1 || c > 0xF9 || !((t >= 0x40 && t <= 0x7E) || (t >= 0xA1 && t <= 0xFE)))
			return NO_SCORE;
		sc += (c >= 0xA4 && c <= 0xC6) ? (t >= 0xA1 ? 3 : 2) : (c >= 0xC9 || c <= 0xA3) ? 1 : 0;
		i += 2;
	}
	return sc;
}

/* score_sjis: the same for Shift-JIS: kana and the first level of kanji
 * most; half-width katakana and the vendor and user-defined rows against. */
static long score_sjis(const unsigned char *s, size_t n)
{
	long sc = 0;

	for (size_t i = 0; i < n;) {
		int c = s[i], t = i + 1 < n ? s[i + 1] : 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xA1 && c <= 0xDF) {
			sc -= 1;
			i++;
			continue;
		}
		if (!((c >= 0x81 && c <= 0x9F) || (c >= 0xE0 && c <= 0xFC)) ||
		    !((t >= 0x40 && t <= 0x7E) || (t >= 0x80 && t <= 0xFC)))
			return NO_SCORE;
		sc += (c == 0x82 || c == 0x83 || (c >= 0x88 && c <= 0x9F)) ? 3 : (c == 0x81 || (c >= 0xE0 && c <= 0xEA)) ? 1 :
		      (c >= 0xED) ? -2 : 0;
		i += 2;
	}
	return sc;
}

/* legacy_of: which of the candidates a charset name (uchardet's, or a
 * LANGUAGE tag's) points to; LG__MAX for none. */
static enum legacy legacy_of_charset(const char *cs)
{
	if (cs == NULL)
		return LG__MAX;
	if (strcmp(cs, "GB18030") == 0 || strcmp(cs, "GB2312") == 0 || strcmp(cs, "GBK") == 0)
		return LG_GB;
	if (strcmp(cs, "BIG5") == 0)
		return LG_BIG5;
	if (strcmp(cs, "SHIFT_JIS") == 0)
		return LG_SJIS;
	if (strcmp(cs, "ISO-8859-1") == 0 || strcmp(cs, "ISO-8859-15") == 0 || strcmp(cs, "WINDOWS-1252") == 0)
		return LG_LATIN;
	return LG__MAX;
}

static enum legacy legacy_of_lang(const char *lang)
{
	char l[16];
	size_t i;

	if (lang == NULL)
		return LG__MAX;
	for (i = 0; lang[i] && i + 1 < sizeof l; i++)
		l[i] = (char)lc((unsigned char)lang[i]);
	l[i] = '\0';
	if (strncmp(l, "zh-tw", 5) == 0 || strncmp(l, "zh-hk", 5) == 0 || strncmp(l, "zh-mo", 5) == 0 ||
	    strncmp(l, "zh-hant", 7) == 0)
		return LG_BIG5;
	if (strncmp(l, "zh", 2) == 0)
		return LG_GB;
	if (strncmp(l, "ja", 2) == 0)
		return LG_SJIS;
	static const char *const west[] = {"en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "no", "nb",
					   "nn", "fi", "is", "ca", "ga", "gl", "eu", "af", NULL};
	for (i = 0; west[i]; i++)
		if (strncmp(l, west[i], 2) == 0 && (l[2] == '\0' || l[2] == '-' || l[2] == '_'))
			return LG_LATIN;
	return LG__MAX;
}

/* converts: whether iconv turns all of s into UTF-8 from name. */
static int converts(const char *name, const char *s, size_t n)
{
	iconv_t cd = iconv_open("UTF-8", name);
	char out[512], *in = (char *)s;
	size_t inleft = n;
	int ok = 1;

	if (cd == (iconv_t)-1)
		return 0;
	while (inleft > 0) {
		char *o = out;
		size_t outleft = sizeof out;
		if (iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1 && errno != E2BIG) {
			ok = 0;
			break;
		}
	}
	iconv_close(cd);
	return ok;
}

int vcard_charset_known(const char *name)
{
	iconv_t cd;

	if (name == NULL || *name == '\0' || strlen(name) > 40)
		return 0;
	cd = iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1)
		return 0;
	iconv_close(cd);
	return 1;
}

const char *vcard_charset_guess(const char *text, size_t n, const char *lang)
{
	const unsigned char *s = (const unsigned char *)text;
	long score[LG__MAX], high = 0;
	enum legacy hint = legacy_of_lang(lang), det = LG__MAX;
	static _Thread_local char other_buf[40];	/* uchardet's name outlives its detector */
	const char *other = NULL;
	int done[LG__MAX] = {0};

	for (size_t i = 0; i < n; i++)
		high += s[i] >= 0x80;
	if (high == 0)
		return "UTF-8";
	score[LG_LATIN] = score_latin(s, n);
	score[LG_GB] = score_gb(s, n);
	score[LG_BIG5] = score_big5(s, n);
	score[LG_SJIS] = score_sjis(s, n);
	/* uchardet's own answer is one more vote: it reads longer texts well
	 * and short ones (a name) poorly, so it weighs half a point a byte */
	uchardet_t u = uchardet_new();
	if (u) {
		if (uchardet_handle_data(u, text, n) == 0) {
			uchardet_data_end(u);
			const char *cs = uchardet_get_charset(u);
			det = legacy_of_charset(cs);
			/* another charset altogether (Cyrillic, Greek, Korean, ...):
			 * taken when the text is long enough to be sure of */
			if (det == LG__MAX && cs && *cs && high >= 16 && strcmp(cs, "ASCII") != 0 &&
			    strlen(cs) < sizeof other_buf)
				other = strcpy(other_buf, cs);
		}
		uchardet_delete(u);
	}
	if (other && converts(other, text, n))
		return other;
	if (det < LG__MAX && score[det] != NO_SCORE)
		score[det] += high / 2;
	if (hint < LG__MAX && score[hint] != NO_SCORE)
		score[hint] += high * 2;
	/* the best that iconv agrees with; ties go to the earlier (Latin) */
	for (int round = 0; round < LG__MAX; round++) {
		int best = -1;
		for (int k = 0; k < LG__MAX; k++)
			if (!done[k] && score[k] != NO_SCORE && (best < 0 || score[k] > score[best]))
				best = k;
		if (best < 0)
			break;
		done[best] = 1;
		if (converts(legacy_name[best], text, n))
			return legacy_name[best];
	}
	return "ISO-8859-1";	/* every byte is a character */
}

/* utf8_repair: v with each byte that is not part of valid UTF-8 replaced
 * by U+FFFD, in the card arena. */
static struct span utf8_repair(struct parser *ps, struct span v)
{
	const unsigned char *s = (const unsigned char *)v.p;
	struct vcard_buf b;
	size_t i, k;

	vcard_buf_init(&b, &ps->card);
	buf_reserve(&b, v.n + 16);
	for (i = 0; i < v.n; i += k) {
		k = utf8_seq(s + i, v.n - i);
		if (k == 0) {
			buf_put(&b, "\xEF\xBF\xBD", 3);
			k = 1;
		} else {
			buf_put(&b, s + i, k);
		}
	}
	return mkspan(b.data, b.len);
}

/* to_utf8: the bytes v as UTF-8 (v itself when nothing had to change);
 * *recoded tells whether they changed. New bytes live in the card arena. */
static struct span to_utf8(struct parser *ps, struct span v, const struct charset *cs,
			   int *recoded)
{
	struct vcard_buf b;
	const unsigned char *s = (const unsigned char *)v.p;
	size_t i;
	enum cs_kind kind = cs->kind;

	*recoded = 0;
	vcard_buf_init(&b, &ps->card);
	if (kind == CS_ICONV) {
		iconv_t cd = conv_get(ps, cs->name);
		if (cd != (iconv_t)-1) {
			buf_reserve(&b, v.n);
			conv_run(cd, v, &b, 0);
			*recoded = 1;
			if (!utf8_valid(b.data, b.len))
				return utf8_repair(ps, mkspan(b.data, b.len));
			return mkspan(b.data, b.len);
		}
		kind = CS_AUTO;	/* unknown charset: guess */
	}
	if (utf8_valid(v.p, v.n))
		return v;
	*recoded = 1;
	if (kind == CS_UTF8)
		return utf8_repair(ps, v);
	/* the card's decided charset (card_charset), else this value's own */
	iconv_t cd = conv_get(ps, kind == CS_GUESS ? cs->name : vcard_charset_guess(v.p, v.n, NULL));
	if (cd != (iconv_t)-1) {
		buf_reserve(&b, v.n);
		conv_run(cd, v, &b, 0);
		if (!utf8_valid(b.data, b.len))
			return utf8_repair(ps, mkspan(b.data, b.len));
		return mkspan(b.data, b.len);
	}
	b.len = 0;
	buf_reserve(&b, v.n * 2);
	for (i = 0; i < v.n; i++) {
		if (s[i] < 0x80) {
			b.data[b.len++] = (char)s[i];
		} else {
			b.data[b.len++] = (char)(0xC0 | (s[i] >> 6));
			b.data[b.len++] = (char)(0x80 | (s[i] & 0x3F));
		}
	}
	b.data[b.len] = '\0';
	return mkspan(b.data, b.len);
}

/* ---- reading lines ------------------------------------------------------ */

/* phys_line: the next physical line without its end (LF, CRLF, CR, CRCRLF). */
static int phys_line(struct parser *ps, struct span *l)
{
	const char *s = ps->p, *q = s;

	if (s >= ps->end)
		return 0;
	while (q < ps->end && *q != '\n' && *q != '\r')
		q++;
	*l = mkspan(s, (size_t)(q - s));
	while (q < ps->end && *q == '\r')
		q++;
	if (q < ps->end && *q == '\n')
		q++;
	ps->p = q;
	return 1;
}

static int is_card_edge(struct span l)
{
	struct span t = span_trim(l);

	return span_ieq(t, "BEGIN:VCARD") || span_ieq(t, "END:VCARD");
}

/* line_is_qp: whether the property on this (first physical) line is
 * QUOTED-PRINTABLE, so that "=" at the end of a line joins the next. */
static int line_is_qp(struct span l)
{
	size_t i = 0;

	while (i < l.n && l.p[i] != ':')
		i++;
	return span_icontains(mkspan(l.p, i), "QUOTED-PRINTABLE");
}

/* next_line: the next logical line, unfolded and with QUOTED-PRINTABLE soft
 * line breaks joined; valid until the next call. *toolong is set when it
 * is over max_line (*out then holds a prefix). Returns 0 at the end. */
static int next_line(struct parser *ps, struct span *out, int *toolong)
{
	struct span first, nx;
	const char *save;
	int qp, copied = 0, ends_eq;
	size_t total;

	*toolong = 0;
	if (!phys_line(ps, &first))
		return 0;
	qp = line_is_qp(first);
	total = first.n;
	ends_eq = first.n && first.p[first.n - 1] == '=';
	for (;;) {
		int soft;
		struct span add;

		save = ps->p;
		if (!phys_line(ps, &nx))
			break;
		soft = qp && ends_eq && !is_card_edge(nx);
		if (!soft && !(nx.n && is_ws((unsigned char)nx.p[0]))) {
			ps->p = save;
			break;
		}
		add = soft ? nx : mkspan(nx.p + 1, nx.n - 1);
		if (!copied) {
			ps->line.len = 0;
			buf_put(&ps->line, first.p, first.n);
			copied = 1;
		}
		if (soft && total) {
			total--;
			if (!*toolong)
				ps->line.len--;
		}
		total += add.n;
		if (total > ps->o.max_line)
			*toolong = 1;
		if (!*toolong)
			buf_put(&ps->line, add.p, add.n);
		if (add.n)
			ends_eq = add.p[add.n - 1] == '=';
		else if (soft)
			ends_eq = 0;
	}
	if (total > ps->o.max_line)
		*toolong = 1;
	if (copied)
		*out = mkspan(ps->line.data, ps->line.len);
	else
		*out = first;
	ps->in_line_buf = copied;
	return 1;
}

/* ---- properties --------------------------------------------------------- */

enum pkind {
	K_OTHER, K_SKIP, K_VERSION, K_FN, K_N, K_ORG, K_TITLE, K_NOTE,
	K_EMAIL, K_TEL, K_ADR, K_URL, K_PHOTO, K_UID, K_REV, K_LABEL
};

static const struct {
	const char *name;
	enum pkind kind;
} kinds[] = {
	{"BEGIN", K_SKIP}, {"END", K_SKIP}, {"PRODID", K_SKIP}, {"PROFILE", K_SKIP},
	{"VERSION", K_VERSION}, {"FN", K_FN}, {"N", K_N}, {"ORG", K_ORG},
	{"TITLE", K_TITLE}, {"NOTE", K_NOTE}, {"EMAIL", K_EMAIL}, {"TEL", K_TEL},
	{"ADR", K_ADR}, {"URL", K_URL}, {"PHOTO", K_PHOTO}, {"UID", K_UID},
	{"REV", K_REV}, {"X-ABLABEL", K_LABEL},
};

struct param {
	struct span name;	/* empty for a 2.1 bare word */
	struct span value;	/* raw, quotes kept */
};

struct prop {
	struct span line, group, name, value;
	struct param *params;
	size_t n_params;
	enum pkind kind;
	struct charset cs;
	const struct prop *label;	/* X-ABLabel of the same group, or NULL */
	int group_has_item;		/* an EMAIL/TEL/ADR/URL has this group */
};

static int name_char(int c)
{
	return is_alnum(c) || c == '-' || c == '_';
}

static int all_name_chars(struct span s)
{
	size_t i;

	for (i = 0; i < s.n; i++)
		if (!name_char((unsigned char)s.p[i]))
			return 0;
	return 1;
}

/* value_colon: where the value starts (the ':' after the parameters), or
 * l.n; counts the parameters' ';' on the way. */
static size_t value_colon(struct span l, size_t i, int quoted, size_t *count)
{
	int inq = 0;

	*count = 0;
	for (; i < l.n; i++) {
		char c = l.p[i];
		if (quoted && c == '"')
			inq = !inq;
		else if (!inq && c == ';')
			(*count)++;
		else if (!inq && c == ':')
			return i;
	}
	return l.n;
}

static int prop_param(const struct prop *pr, const char *name, struct span *v)
{
	size_t i;

	for (i = 0; i < pr->n_params; i++)
		if (span_ieq(pr->params[i].name, name)) {
			*v = pr->params[i].value;
			return 1;
		}
	return 0;
}

/* prop_parse: split "group.NAME;params:value"; -1 when it is not one. */
static int prop_parse(struct parser *ps, struct span l, struct prop *pr)
{
	size_t i = 0, j, colon, count, k;
	int quoted = 1;
	struct span tok, v;

	memset(pr, 0, sizeof(*pr));
	pr->line = l;
	while (i < l.n && l.p[i] != ';' && l.p[i] != ':')
		i++;
	if (i == l.n)
		return -1;
	tok = span_trim(mkspan(l.p, i));
	pr->name = tok;
	for (k = tok.n; k > 0; k--)
		if (tok.p[k - 1] == '.') {
			pr->group = mkspan(tok.p, k - 1);
			pr->name = mkspan(tok.p + k, tok.n - k);
			break;
		}
	if (pr->name.n == 0 || !all_name_chars(pr->name) || !all_name_chars(pr->group))
		return -1;
	colon = value_colon(l, i, 1, &count);
	if (colon == l.n) {
		quoted = 0;
		colon = value_colon(l, i, 0, &count);
		if (colon == l.n)
			return -1;
	}
	pr->value = mkspan(l.p + colon + 1, l.n - colon - 1);
	if (count) {
		pr->params = arena_alloc(&ps->card, count * sizeof(*pr->params));
		j = i;
		while (j < colon && l.p[j] == ';') {
			size_t start = ++j, eq = 0;
			int inq = 0;
			struct param *pa;

			while (j < colon && (inq || l.p[j] != ';')) {
				if (quoted && l.p[j] == '"')
					inq = !inq;
				if (!eq && !inq && l.p[j] == '=')
					eq = j;
				j++;
			}
			if (pr->n_params == count)
				break;
			pa = &pr->params[pr->n_params];
			if (eq) {
				pa->name = span_trim(mkspan(l.p + start, eq - start));
				pa->value = span_trim(mkspan(l.p + eq + 1, j - eq - 1));
			} else {
				pa->name = mkspan(l.p + start, 0);
				pa->value = span_trim(mkspan(l.p + start, j - start));
				if (pa->value.n == 0)
					continue;
			}
			pr->n_params++;
		}
	}
	pr->kind = K_OTHER;
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (span_ieq(pr->name, kinds[k].name)) {
			pr->kind = kinds[k].kind;
			break;
		}
	if (prop_param(pr, "CHARSET", &v))
		charset_of(v, &pr->cs);
	else
		pr->cs.kind = CS_AUTO;
	return 0;
}

/* prop_encoding: whether ENCODING (or a 2.1 bare word) is one of the words. */
static int prop_encoding(const struct prop *pr, const char *w1, const char *w2)
{
	size_t i;

	for (i = 0; i < pr->n_params; i++) {
		const struct param *pa = &pr->params[i];
		struct span v = span_unquote(pa->value);
		if (pa->name.n && !span_ieq(pa->name, "ENCODING"))
			continue;
		if (span_ieq(v, w1) || (w2 && span_ieq(v, w2)))
			return 1;
	}
	return 0;
}

static int prop_is_qp(const struct prop *pr)
{
	return prop_encoding(pr, "QUOTED-PRINTABLE", NULL);
}

static int prop_is_b64(const struct prop *pr)
{
	return prop_encoding(pr, "BASE64", "B");
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static struct span qp_decode(struct parser *ps, struct span v)
{
	char *o = arena_alloc(&ps->card, v.n + 1);
	size_t i, j = 0;

	for (i = 0; i < v.n; i++) {
		char c = v.p[i];
		if (c == '=') {
			if (i + 2 < v.n && hexval((unsigned char)v.p[i + 1]) >= 0 &&
			    hexval((unsigned char)v.p[i + 2]) >= 0) {
				o[j++] = (char)(hexval((unsigned char)v.p[i + 1]) * 16 +
						hexval((unsigned char)v.p[i + 2]));
				i += 2;
				continue;
			}
			if (i + 1 == v.n)
				continue;	/* a soft break left at the end */
		}
		o[j++] = c;
	}
	o[j] = '\0';
	return mkspan(o, j);
}

/* prop_text: the value decoded from QUOTED-PRINTABLE and its charset to
 * UTF-8, escapes still in. */
static struct span prop_text(struct parser *ps, const struct prop *pr, int *recoded)
{
	struct span v = pr->value;
	int qp = prop_is_qp(pr), r;

	if (qp)
		v = qp_decode(ps, v);
	v = to_utf8(ps, v, &pr->cs, &r);
	*recoded = r || qp;
	return v;
}

/* text_make: a string for the model in a: backslash escapes undone (when
 * unesc), CR LF and CR made LF, other control characters dropped, blanks
 * and newlines trimmed at both ends. s must be valid UTF-8. */
static char *text_make(struct arena *a, struct span s, int unesc)
{
	char *o = arena_alloc(a, s.n + 1), *q = o;
	size_t i, start, end;

	for (i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c == '\\' && unesc && i + 1 < s.n) {
			c = (unsigned char)s.p[++i];
			if (c == 'n' || c == 'N')
				c = '\n';
		} else if (c == '\r') {
			if (i + 1 < s.n && s.p[i + 1] == '\n')
				i++;
			c = '\n';
		}
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
			continue;
		*q++ = (char)c;
	}
	end = (size_t)(q - o);
	while (end && (o[end - 1] == ' ' || o[end - 1] == '\t' || o[end - 1] == '\n'))
		end--;
	start = 0;
	while (start < end && (o[start] == ' ' || o[start] == '\t' || o[start] == '\n'))
		start++;
	if (start)
		memmove(o, o + start, end - start);
	o[end - start] = '\0';
	return o;
}

/* split_struct: split a structured value at ';' not escaped by '\'. */
static size_t split_struct(struct span v, struct span *parts, size_t max)
{
	size_t i, start = 0, n = 0;

	for (i = 0; i < v.n && n + 1 < max; i++) {
		if (v.p[i] == '\\') {
			i++;
			continue;
		}
		if (v.p[i] == ';') {
			parts[n++] = mkspan(v.p + start, i - start);
			start = i + 1;
		}
	}
	if (start <= v.n)
		parts[n++] = mkspan(v.p + start, v.n - start);
	return n;
}

/* ---- item types --------------------------------------------------------- */

static const struct {
	const char *w;
	int rank;
} type_words[] = {
	{"cell", 6}, {"mobile", 6}, {"iphone", 6}, {"cellular", 6},
	{"fax", 5}, {"facsimile", 5},
	{"pager", 4}, {"beeper", 4},
	{"work", 3}, {"business", 3}, {"office", 3},
	{"home", 2}, {"personal", 2}, {"private", 2},
	{"other", 1},
};

static const char *const rank_type[] = {"", "other", "home", "work", "pager", "fax", "cell"};

/* words that say nothing about the kind of an item */
static const char *const noise_words[] = {
	"pref", "voice", "internet", "x400", "postal", "parcel", "dom", "intl", "msg",
	"bbs", "modem", "isdn", "video", "text", "textphone", "pcs", "aol", "applelink",
	"attmail", "cis", "eworld", "ibmmail", "mcimail", "powershare", "prodigy", "tlx",
	"quoted-printable", "base64", "b", "8bit", "7bit", "uri", "url", "x-internet",
	NULL
};

static int word_rank(struct span w)
{
	size_t i;

	for (i = 0; i < sizeof(type_words) / sizeof(type_words[0]); i++)
		if (span_ieq(w, type_words[i].w))
			return type_words[i].rank;
	return 0;
}

static int word_noise(struct span w)
{
	size_t i;

	for (i = 0; noise_words[i]; i++)
		if (span_ieq(w, noise_words[i]))
			return 1;
	return 0;
}

/* type_cut: a custom type: lower-cased, at most CARD_MAX_TYPE bytes. */
static const char *type_cut(struct parser *ps, struct span w)
{
	char *t = text_make(ps->a, w, 1), *q;
	size_t n = strlen(t);

	for (q = t; *q; q++)
		*q = (char)lc((unsigned char)*q);
	if (n > CARD_MAX_TYPE) {
		n = CARD_MAX_TYPE;
		while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
			n--;
		t[n] = '\0';
	}
	return t;
}

/* item_type: the one type of an EMAIL, TEL, ADR or URL from its TYPE
 * parameters, 2.1 bare words and X-ABLabel. */
static const char *item_type(struct parser *ps, const struct prop *pr, const struct prop *label)
{
	int best = 0, r;
	size_t i, k, s;
	struct span custom = {NULL, 0}, lab = {NULL, 0};

	for (i = 0; i < pr->n_params; i++) {
		const struct param *pa = &pr->params[i];
		struct span v = pa->value;
		if (pa->name.n && !span_ieq(pa->name, "TYPE"))
			continue;
		for (k = 0, s = 0; k <= v.n; k++) {
			struct span w;
			if (k < v.n && v.p[k] != ',')
				continue;
			w = span_unquote(mkspan(v.p + s, k - s));
			s = k + 1;
			if (w.n && w.p[0] == '"') {
				w.p++;
				w.n--;
			}
			if (w.n && w.p[w.n - 1] == '"')
				w.n--;
			if (w.n == 0)
				continue;
			r = word_rank(w);
			if (r > best)
				best = r;
			else if (r == 0 && custom.n == 0 && !word_noise(w) &&
				 utf8_valid(w.p, w.n))
				custom = w;
		}
	}
	if (label) {
		int rec, apple;
		struct span t = prop_text(ps, label, &rec);

		t.p = text_make(&ps->card, t, 1);
		t.n = strlen(t.p);
		apple = t.n >= 8 && memcmp(t.p, "_$!<", 4) == 0 &&
			memcmp(t.p + t.n - 4, ">!$_", 4) == 0;
		if (apple)
			t = mkspan(t.p + 4, t.n - 8);
		r = word_rank(t);
		for (i = 0; apple && !r && i < sizeof(type_words) / sizeof(type_words[0]); i++)
			if (span_icontains(t, type_words[i].w))
				r = type_words[i].rank;
		if (r > best)
			best = r;
		if (r == 0 && t.n)
			lab = t;
	}
	if (best)
		return arena_strdup(ps->a, rank_type[best]);
	if (lab.n)
		return type_cut(ps, lab);
	if (custom.n)
		return type_cut(ps, custom);
	return arena_strdup(ps->a, "other");
}

/* ---- photos --------------------------------------------------------------- */

static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* b64_decode: 0 and the bytes in a; -1 when not base64; -2 when over max. */
static int b64_decode(struct arena *a, struct span v, size_t max,
		      unsigned char **out, size_t *outlen)
{
	size_t i, count = 0, bytes, j = 0;
	unsigned acc = 0, nacc = 0;
	unsigned char *o;

	for (i = 0; i < v.n; i++) {
		int c = (unsigned char)v.p[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=')
			break;
		if (b64val(c) < 0)
			return -1;
		count++;
	}
	if (count % 4 == 1 || count == 0)
		return -1;
	bytes = count / 4 * 3 + (count % 4 == 2 ? 1 : count % 4 == 3 ? 2 : 0);
	if (bytes > max)
		return -2;
	o = arena_alloc(a, bytes + 1);
	for (i = 0; i < v.n && j < bytes; i++) {
		int c = (unsigned char)v.p[i], d = b64val(c);
		if (c == '=')
			break;
		if (d < 0)
			continue;
		acc = (acc << 6) | (unsigned)d;
		if (++nacc == 4) {
			o[j++] = (unsigned char)(acc >> 16);
			o[j++] = (unsigned char)(acc >> 8);
			o[j++] = (unsigned char)acc;
			acc = nacc = 0;
		}
	}
	if (nacc == 2)
		o[j++] = (unsigned char)(acc >> 4);
	else if (nacc == 3) {
		o[j++] = (unsigned char)(acc >> 10);
		o[j++] = (unsigned char)(acc >> 2);
	}
	*out = o;
	*outlen = j;
	return 0;
}

static const char *sniff_mime(const unsigned char *p, size_t n)
{
	if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return "image/jpeg";
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0))
		return "image/gif";
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
		return "image/webp";
	if (n >= 4 && (memcmp(p, "II*\0", 4) == 0 || memcmp(p, "MM\0*", 4) == 0))
		return "image/tiff";
	if (n >= 2 && p[0] == 'B' && p[1] == 'M')
		return "image/bmp";
	return NULL;
}

/* mime_word: a media type from "JPEG", "image/jpeg" or the like, or NULL. */
static const char *mime_word(struct span w)
{
	static const struct {
		const char *w, *mime;
	} m[] = {
		{"jpeg", "image/jpeg"}, {"jpg", "image/jpeg"}, {"image/jpeg", "image/jpeg"},
		{"image/jpg", "image/jpeg"}, {"png", "image/png"}, {"image/png", "image/png"},
		{"gif", "image/gif"}, {"image/gif", "image/gif"}, {"bmp", "image/bmp"},
		{"image/bmp", "image/bmp"}, {"tiff", "image/tiff"}, {"image/tiff", "image/tiff"},
		{"webp", "image/webp"}, {"image/webp", "image/webp"},
	};
	size_t i;

	w = span_unquote(w);
	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (span_ieq(w, m[i].w))
			return m[i].mime;
	return NULL;
}

static void take_photo(struct parser *ps, struct vcard_parsed *vp, const struct prop *pr)
{
	struct span v = span_trim(pr->value), data = v;
	const char *mime = NULL;
	unsigned char *bytes;
	size_t len, i;
	int r;

	if (span_iprefix(v, "data:")) {
		size_t comma = 5;
		while (comma < v.n && v.p[comma] != ',')
			comma++;
		if (comma == v.n || !span_icontains(mkspan(v.p, comma), ";base64"))
			return;
		for (i = 5; i < comma && v.p[i] != ';'; i++)
			;
		mime = mime_word(mkspan(v.p + 5, i - 5));
		data = mkspan(v.p + comma + 1, v.n - comma - 1);
	} else if (prop_is_b64(pr)) {
		for (i = 0; i < pr->n_params && !mime; i++) {
			const struct param *pa = &pr->params[i];
			if (pa->name.n == 0 || span_ieq(pa->name, "TYPE") ||
			    span_ieq(pa->name, "MEDIATYPE"))
				mime = mime_word(pa->value);
		}
	} else {
		int rec;
		struct span t;

		if (vp->photo_uri || v.n == 0)
			return;
		t = to_utf8(ps, v, &pr->cs, &rec);
		vp->photo_uri = text_make(ps->a, t, 1);
		return;
	}
	if (vp->photo)
		return;
	r = b64_decode(ps->a, data, ps->o.max_photo, &bytes, &len);
	if (r == -2) {
		vp->warning = arena_printf(ps->a, "photo over %zu bytes dropped",
					   ps->o.max_photo);
		return;
	}
	if (r < 0) {
		vp->warning = "photo not valid base64, dropped";
		return;
	}
	vp->photo = bytes;
	vp->photo_len = len;
	vp->photo_mime = sniff_mime(bytes, len);
	if (vp->photo_mime == NULL)
		vp->photo_mime = mime ? mime : "application/octet-stream";
}

/* ---- extras --------------------------------------------------------------- */

static int has_ctl(struct span s)
{
	size_t i;

	for (i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if ((c < 0x20 && c != '\t') || c == 0x7F)
			return 1;
	}
	return 0;
}

/* put_clean: append s without control characters; newlines as "\n" when
 * esc_nl, else dropped. */
static void put_clean(struct vcard_buf *b, struct span s, int esc_nl)
{
	size_t i;

	for (i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c == '\r' || c == '\n') {
			if (c == '\r' && i + 1 < s.n && s.p[i + 1] == '\n')
				i++;
			if (esc_nl)
				buf_put(b, "\\n", 2);
			continue;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7F)
			continue;
		buf_putc(b, (char)c);
	}
}

/* extra_line: the property as a line to keep: the unfolded line itself
 * when it is clean UTF-8, else rebuilt with QUOTED-PRINTABLE and CHARSET
 * decoded away and 2.1 bare parameters as TYPE=. */
static const char *extra_line(struct parser *ps, const struct prop *pr)
{
	struct vcard_buf b;
	size_t i;
	int rebuild = 0, rec, b64 = prop_is_b64(pr);
	struct span v;

	for (i = 0; i < pr->n_params; i++)
		if (pr->params[i].name.n == 0 || span_ieq(pr->params[i].name, "CHARSET") ||
		    span_ieq(pr->params[i].name, "ENCODING"))
			rebuild = 1;
	if (!rebuild && utf8_valid(pr->line.p, pr->line.n) && !has_ctl(pr->line))
		return arena_strndup(ps->a, pr->line.p, pr->line.n);
	vcard_buf_init(&b, &ps->card);
	if (pr->group.n) {
		buf_put(&b, pr->group.p, pr->group.n);
		buf_putc(&b, '.');
	}
	buf_put(&b, pr->name.p, pr->name.n);
	for (i = 0; i < pr->n_params; i++) {
		const struct param *pa = &pr->params[i];
		struct span w = span_unquote(pa->value);
		if (pa->name.n == 0 || span_ieq(pa->name, "ENCODING")) {
			if (span_ieq(w, "QUOTED-PRINTABLE") || span_ieq(w, "8BIT") ||
			    span_ieq(w, "7BIT"))
				continue;
			if (span_ieq(w, "BASE64") || span_ieq(w, "B")) {
				buf_puts(&b, ";ENCODING=b");
				continue;
			}
		}
		if (span_ieq(pa->name, "CHARSET"))
			continue;
		if (pa->name.n) {
			buf_putc(&b, ';');
			put_clean(&b, pa->name, 0);
			buf_putc(&b, '=');
		} else {
			buf_puts(&b, ";TYPE=");
		}
		put_clean(&b, to_utf8(ps, pa->value, &pr->cs, &rec), 0);
	}
	buf_putc(&b, ':');
	if (b64) {
		/* base64 text: drop the blanks left by folding */
		for (i = 0; i < pr->value.n; i++)
			if (b64val((unsigned char)pr->value.p[i]) >= 0 || pr->value.p[i] == '=')
				buf_putc(&b, pr->value.p[i]);
	} else {
		v = prop_text(ps, pr, &rec);
		put_clean(&b, v, 1);
	}
	return arena_strndup(ps->a, b.data, b.len);
}

/* ---- one card ------------------------------------------------------------- */

struct gref {
	struct span group;
	size_t i;
};

static int gref_cmp(const void *x, const void *y)
{
	const struct gref *a = x, *b = y;
	size_t i, n = a->group.n < b->group.n ? a->group.n : b->group.n;

	for (i = 0; i < n; i++) {
		int ca = lc((unsigned char)a->group.p[i]), cb = lc((unsigned char)b->group.p[i]);
		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	if (a->group.n != b->group.n)
		return a->group.n < b->group.n ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

static int is_item(enum pkind k)
{
	return k == K_EMAIL || k == K_TEL || k == K_ADR || k == K_URL;
}

/* link_groups: give each grouped property the first X-ABLabel of its group
 * and tell labels whether their group holds an item; sorting keeps this
 * O(n log n) however the groups are named. */
static void link_groups(struct parser *ps, struct prop *pr, size_t np)
{
	struct gref *g = arena_alloc(&ps->card, (np + 1) * sizeof(*g));
	size_t n = 0, i, j, k;

	for (i = 0; i < np; i++)
		if (pr[i].group.n) {
			g[n].group = pr[i].group;
			g[n].i = i;
			n++;
		}
	qsort(g, n, sizeof(*g), gref_cmp);
	for (i = 0; i < n; i = j) {
		const struct prop *label = NULL;
		int item = 0;
		for (j = i; j < n && span_ieq2(g[j].group, g[i].group); j++) {
			const struct prop *p = &pr[g[j].i];
			if (p->kind == K_LABEL && label == NULL)
				label = p;
			if (is_item(p->kind))
				item = 1;
		}
		for (k = i; k < j; k++) {
			pr[g[k].i].label = label;
			pr[g[k].i].group_has_item = item;
		}
	}
}

/* value_text: the property's value as one model string. */
static char *value_text(struct parser *ps, const struct prop *pr)
{
	int rec;

	return text_make(ps->a, prop_text(ps, pr, &rec), 1);
}

static const char *phone_value(struct parser *ps, const struct prop *pr)
{
	int rec;
	struct span v = span_trim(prop_text(ps, pr, &rec));
	size_t i, e;

	if (!span_iprefix(v, "tel:"))
		return text_make(ps->a, v, 1);
	v = mkspan(v.p + 4, v.n - 4);
	for (i = 0; i < v.n && v.p[i] != ';'; i++)
		;
	for (e = i; e < v.n; e++)
		if (span_iprefix(mkspan(v.p + e, v.n - e), ";ext=")) {
			size_t s = e + 5, t = s;
			while (t < v.n && v.p[t] != ';')
				t++;
			return arena_printf(ps->a, "%s ext. %s",
					    text_make(&ps->card, mkspan(v.p, i), 0),
					    text_make(&ps->card, mkspan(v.p + s, t - s), 0));
		}
	return text_make(ps->a, mkspan(v.p, i), 0);
}

static const char *join3(struct parser *ps, const char *x, const char *y, const char *z)
{
	const char *part[3] = {x, y, z};
	struct vcard_buf b;
	size_t i;

	vcard_buf_init(&b, ps->a);
	for (i = 0; i < 3; i++) {
		if (part[i][0] == '\0')
			continue;
		if (b.len)
			buf_putc(&b, '\n');
		buf_puts(&b, part[i]);
	}
	return b.len ? b.data : ps->empty;
}

static void card_clear(struct parser *ps, struct card *c)
{
	memset(c, 0, sizeof(*c));
	c->full_name = c->family = c->given = c->additional = c->prefix = c->suffix =
		c->organization = c->department = c->title = c->note = ps->empty;
}

/* card_build: interpret the card's lines. */
/* card_charset: the charset of the card's values that declare none (and
 * are not UTF-8): the input's declared one (opts.charset), else the one
 * another property of the card declares, else decided by
 * vcard_charset_guess from all such values at once, with the card's
 * LANGUAGE as a hint. */
static void card_charset(struct parser *ps, struct prop *pr, size_t np)
{
	struct charset cs = {CS_AUTO, ""};
	struct span lang = {0};
	struct vcard_buf b;
	size_t i;

	if (ps->o.charset && *ps->o.charset) {
		charset_of(mkspan(ps->o.charset, strlen(ps->o.charset)), &cs);
	} else {
		for (i = 0; i < np && cs.kind != CS_ICONV; i++)
			if (pr[i].cs.kind == CS_ICONV)
				cs = pr[i].cs;
		if (cs.kind == CS_AUTO) {
			vcard_buf_init(&b, &ps->card);
			for (i = 0; i < np; i++) {
				struct span v = pr[i].value;
				if (lang.n == 0)
					prop_param(&pr[i], "LANGUAGE", &lang);
				if (pr[i].cs.kind != CS_AUTO || prop_is_b64(&pr[i]))
					continue;
				if (prop_is_qp(&pr[i]))
					v = qp_decode(ps, v);
				if (!utf8_valid(v.p, v.n)) {
					buf_put(&b, v.p, v.n);
					buf_putc(&b, '\n');
				}
			}
			if (b.len == 0)
				return;
			char *l = NULL;
			if (lang.n) {
				lang = span_unquote(lang);
				l = arena_alloc(&ps->card, lang.n + 1);
				memcpy(l, lang.p, lang.n);
				l[lang.n] = '\0';
			}
			snprintf(cs.name, sizeof cs.name, "%s", vcard_charset_guess(b.data, b.len, l));
			cs.kind = CS_ICONV;
		}
		if (cs.kind != CS_AUTO)
			cs.kind = CS_GUESS;	/* values that are UTF-8 stay as they are */
	}
	if (cs.kind == CS_AUTO)
		return;
	for (i = 0; i < np; i++)
		if (pr[i].cs.kind == CS_AUTO)
			pr[i].cs = cs;
}

static void card_build(struct parser *ps, struct vcard_parsed *vp)
{
	struct card *c = &vp->card;
	struct prop *pr;
	size_t np = 0, i, k, n_email = 0, n_tel = 0, n_adr = 0, n_url = 0;

	card_clear(ps, c);
	vp->version = vp->uid = vp->rev = ps->empty;
	pr = arena_alloc(&ps->card, (ps->n_lines + 1) * sizeof(*pr));
	for (i = 0; i < ps->n_lines; i++)
		if (prop_parse(ps, ps->lines[i], &pr[np]) == 0)
			np++;
	card_charset(ps, pr, np);
	link_groups(ps, pr, np);
	for (i = 0; i < np; i++) {
		switch (pr[i].kind) {
		case K_EMAIL:
			n_email++;
			break;
		case K_TEL:
			n_tel++;
			break;
		case K_ADR:
			n_adr++;
			break;
		case K_URL:
			n_url++;
			break;
		default:
			break;
		}
	}
	c->emails = arena_alloc(ps->a, (n_email + 1) * sizeof(*c->emails));
	c->phones = arena_alloc(ps->a, (n_tel + 1) * sizeof(*c->phones));
	c->addresses = arena_alloc(ps->a, (n_adr + 1) * sizeof(*c->addresses));
	c->urls = arena_alloc(ps->a, (n_url + 1) * sizeof(*c->urls));
	c->extras = arena_alloc(ps->a, (np + 1) * sizeof(*c->extras));

	for (i = 0; i < np; i++) {
		const struct prop *p = &pr[i];
		const struct prop *label = p->label;
		struct span parts[16], t;
		char *s, *f[7];
		int rec, keep = 0;
		size_t n;

		switch (p->kind) {
		case K_SKIP:
			break;
		case K_VERSION:
			if (vp->version[0] == '\0')
				vp->version = value_text(ps, p);
			break;
		case K_UID:
			if (vp->uid[0] == '\0')
				vp->uid = value_text(ps, p);
			break;
		case K_REV:
			if (vp->rev[0] == '\0')
				vp->rev = value_text(ps, p);
			break;
		case K_FN:
		case K_TITLE:
		case K_NOTE: {
			const char **dst = p->kind == K_FN ? &c->full_name :
				p->kind == K_TITLE ? &c->title : &c->note;
			s = value_text(ps, p);
			if ((*dst)[0] == '\0')
				*dst = s;
			else if (strcmp(*dst, s) != 0)
				keep = 1;
			break;
		}
		case K_N:
			if (c->family[0] || c->given[0] || c->additional[0] || c->prefix[0] ||
			    c->suffix[0])
				break;
			t = prop_text(ps, p, &rec);
			n = split_struct(t, parts, 6);
			for (k = 0; k < 5; k++)
				f[k] = k < n ? text_make(ps->a, parts[k], 1) : ps->empty;
			c->family = f[0];
			c->given = f[1];
			c->additional = f[2];
			c->prefix = f[3];
			c->suffix = f[4];
			break;
		case K_ORG: {
			struct vcard_buf dep;

			t = prop_text(ps, p, &rec);
			n = split_struct(t, parts, 16);
			s = text_make(ps->a, parts[0], 1);
			vcard_buf_init(&dep, ps->a);
			for (k = 1; k < n; k++) {
				char *u = text_make(&ps->card, parts[k], 1);
				if (u[0] == '\0')
					continue;
				if (dep.len)
					buf_puts(&dep, ", ");
				buf_puts(&dep, u);
			}
			if (c->organization[0] == '\0' && c->department[0] == '\0') {
				c->organization = s;
				c->department = dep.len ? dep.data : ps->empty;
			} else if (strcmp(c->organization, s) != 0 ||
				   strcmp(c->department, dep.len ? dep.data : "") != 0) {
				keep = 1;
			}
			break;
		}
		case K_EMAIL: {
			struct card_item *it = &c->emails[c->n_emails];
			s = value_text(ps, p);
			if (strncmp(s, "mailto:", 7) == 0 || strncmp(s, "MAILTO:", 7) == 0)
				s += 7;
			if (s[0] == '\0')
				break;
			it->value = s;
			it->type = item_type(ps, p, label);
			c->n_emails++;
			break;
		}
		case K_TEL: {
			struct card_item *it = &c->phones[c->n_phones];
			it->value = phone_value(ps, p);
			if (it->value[0] == '\0')
				break;
			it->type = item_type(ps, p, label);
			c->n_phones++;
			break;
		}
		case K_URL: {
			struct card_item *it = &c->urls[c->n_urls];
			it->value = value_text(ps, p);
			if (it->value[0] == '\0')
				break;
			it->type = item_type(ps, p, label);
			c->n_urls++;
			break;
		}
		case K_ADR: {
			struct card_address *ad = &c->addresses[c->n_addresses];
			t = prop_text(ps, p, &rec);
			n = split_struct(t, parts, 8);
			for (k = 0; k < 7; k++)
				f[k] = k < n ? text_make(ps->a, parts[k], 1) : ps->empty;
			ad->street = join3(ps, f[1], f[2], f[0]);
			ad->locality = f[3];
			ad->region = f[4];
			ad->postal_code = f[5];
			ad->country = f[6];
			if (!ad->street[0] && !f[3][0] && !f[4][0] && !f[5][0] && !f[6][0])
				break;
			ad->type = item_type(ps, p, label);
			c->n_addresses++;
			break;
		}
		case K_PHOTO:
			take_photo(ps, vp, p);
			break;
		case K_LABEL:
			keep = !p->group_has_item;
			break;
		case K_OTHER:
			keep = 1;
			break;
		}
		if (keep)
			c->extras[c->n_extras++].line = extra_line(ps, p);
	}
}

/* ---- the stream ----------------------------------------------------------- */

static void card_finish(struct parser *ps, struct vcard_result *out, const char *error)
{
	struct vcard_parsed *vp = &out->cards[out->n_cards - 1];

	card_build(ps, vp);
	if (error == NULL)
		error = ps->card_error;
	if (error) {
		vp->error = error;
		out->n_broken++;
	}
	arena_reset(&ps->card);
	ps->lines = NULL;
	ps->n_lines = ps->cap_lines = 0;
	ps->card_error = NULL;
}

static void card_add_line(struct parser *ps, struct span l)
{
	if (ps->n_lines == ps->cap_lines) {
		size_t cap = ps->cap_lines ? ps->cap_lines * 2 : 64;
		struct span *nl = arena_alloc(&ps->card, cap * sizeof(*nl));
		if (ps->n_lines)
			memcpy(nl, ps->lines, ps->n_lines * sizeof(*nl));
		ps->lines = nl;
		ps->cap_lines = cap;
	}
	if (ps->in_line_buf)
		l.p = arena_memdup(&ps->card, l.p, l.n);	/* the line buffer is reused */
	ps->lines[ps->n_lines++] = l;
}

/* count_begins: physical lines that start a card (an upper bound). */
static size_t count_begins(const char *p, const char *end)
{
	size_t n = 0;

	while (p < end) {
		const char *q = p;
		while (q < end && *q != '\n' && *q != '\r')
			q++;
		if (span_iprefix(span_trim(mkspan(p, (size_t)(q - p))), "BEGIN:VCARD"))
			n++;
		while (q < end && (*q == '\n' || *q == '\r'))
			q++;
		p = q;
	}
	return n;
}

/* from_utf16: UTF-16 input (BOM, or "B\0E\0..." without one) as UTF-8. */
static int from_utf16(struct parser *ps, const char **data, size_t *len)
{
	const unsigned char *d = (const unsigned char *)*data;
	const char *name = NULL;
	struct vcard_buf b;
	iconv_t cd;

	if (*len >= 2 && d[0] == 0xFF && d[1] == 0xFE)
		name = "UTF-16";
	else if (*len >= 2 && d[0] == 0xFE && d[1] == 0xFF)
		name = "UTF-16";
	else if (*len >= 4 && d[0] != 0 && d[1] == 0 && d[2] != 0 && d[3] == 0)
		name = "UTF-16LE";
	else if (*len >= 4 && d[0] == 0 && d[1] != 0 && d[2] == 0 && d[3] != 0)
		name = "UTF-16BE";
	if (name == NULL)
		return 0;
	cd = iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1)
		return 0;
	vcard_buf_init(&b, &ps->tmp);
	buf_reserve(&b, *len * 2);
	conv_run(cd, mkspan(*data, *len), &b, 0);
	iconv_close(cd);
	*data = b.data;
	*len = b.len;
	return 1;
}

static void parser_done(struct parser *ps)
{
	size_t i;

	for (i = 0; i < ps->n_conv; i++)
		if (ps->conv[i].cd != (iconv_t)-1)
			iconv_close(ps->conv[i].cd);
	arena_reset(&ps->card);
	arena_reset(&ps->tmp);
}

enum err vcard_parse_ex(const char *data, size_t len,
			const struct vcard_parse_opts *opts, struct arena *a,
			struct vcard_result *out)
{
	struct parser ps;
	struct span l;
	size_t cap;
	int in_card = 0, toolong;
	enum err e = ERR_OK;

	memset(out, 0, sizeof(*out));
	if (data == NULL || len == 0)
		return ERR_BAD_REQUEST;
	memset(&ps, 0, sizeof(ps));
	ps.a = a;
	arena_init(&ps.tmp);
	arena_init(&ps.card);
	if (opts)
		ps.o = *opts;
	if (ps.o.max_cards == 0)
		ps.o.max_cards = VCARD_MAX_CARDS;
	if (ps.o.max_props == 0)
		ps.o.max_props = VCARD_MAX_PROPS;
	if (ps.o.max_photo == 0)
		ps.o.max_photo = VCARD_MAX_PHOTO;
	if (ps.o.max_line == 0) {
		ps.o.max_line = ps.o.max_photo / 3 * 4 + 65536;
		if (ps.o.max_line < (1u << 20))
			ps.o.max_line = 1u << 20;
	}
	vcard_buf_init(&ps.line, &ps.tmp);
	ps.empty = arena_strdup(a, "");

	from_utf16(&ps, &data, &len);
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	ps.p = data;
	ps.end = data + len;
	cap = count_begins(data, data + len);
	if (cap == 0)
		cap = 1;
	if (cap > ps.o.max_cards)
		cap = ps.o.max_cards;
	out->cards = arena_alloc(a, cap * sizeof(*out->cards));

	while (next_line(&ps, &l, &toolong)) {
		struct span t = span_trim(l);

		if (span_ieq(t, "BEGIN:VCARD")) {
			if (in_card)
				card_finish(&ps, out, "BEGIN:VCARD before END:VCARD of the card");
			if (out->n_cards == ps.o.max_cards) {
				e = ERR_TOO_LARGE;
				break;
			}
			if (out->n_cards == cap) {	/* the estimate was short */
				struct vcard_parsed *more;
				cap = cap * 2 < ps.o.max_cards ? cap * 2 : ps.o.max_cards;
				more = arena_alloc(a, cap * sizeof(*more));
				memcpy(more, out->cards, out->n_cards * sizeof(*more));
				out->cards = more;
			}
			out->cards[out->n_cards].index = out->n_cards;
			out->n_cards++;
			in_card = 1;
			continue;
		}
		if (span_ieq(t, "END:VCARD")) {
			if (in_card)
				card_finish(&ps, out, NULL);
			in_card = 0;
			continue;
		}
		if (!in_card || t.n == 0)
			continue;
		if (toolong) {
			if (!ps.card_error)
				ps.card_error = arena_printf(a, "a line is longer than %zu bytes",
							     ps.o.max_line);
			continue;
		}
		if (ps.n_lines >= ps.o.max_props) {
			if (!ps.card_error)
				ps.card_error = arena_printf(a, "more than %zu lines in the card",
							     ps.o.max_props);
			continue;
		}
		card_add_line(&ps, l);
	}
	if (e == ERR_OK && in_card)
		card_finish(&ps, out, "no END:VCARD");
	parser_done(&ps);
	if (e == ERR_OK && out->n_cards == 0)
		e = ERR_BAD_REQUEST;
	if (e != ERR_OK)
		memset(out, 0, sizeof(*out));
	return e;
}

enum err vcard_parse(const char *data, size_t len, struct arena *a,
		     struct vcard_result *out)
{
	return vcard_parse_ex(data, len, NULL, a, out);
}

/* ---- writing -------------------------------------------------------------- */

/* w_unit: append k octets that must stay on one physical line. */
static void w_unit(struct vcard_buf *b, const char *s, size_t k)
{
	if (b->col + k > VCARD_FOLD) {
		buf_put(b, "\r\n ", 3);
		b->col = 1;
	}
	buf_put(b, s, k);
	b->col += k;
}

/* w_raw: append s as it is, folding between UTF-8 characters. */
static void w_raw(struct vcard_buf *b, const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		k = utf8_seq((const unsigned char *)s + i, n - i);
		if (k == 0)
			k = 1;
		w_unit(b, s + i, k);
		i += k;
	}
}

static void w_str(struct vcard_buf *b, const char *s)
{
	w_raw(b, s, strlen(s));
}

static void w_end(struct vcard_buf *b)
{
	buf_put(b, "\r\n", 2);
	b->col = 0;
}

/* w_text: a text value with \ , ; and newlines escaped, other control
 * characters and invalid UTF-8 bytes dropped. */
static void w_text(struct vcard_buf *b, const char *s)
{
	size_t i = 0, k, n;

	if (s == NULL)
		return;
	n = strlen(s);
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\\' || c == ',' || c == ';') {
			char esc[2] = {'\\', (char)c};
			w_unit(b, esc, 2);
			i++;
			continue;
		}
		if (c == '\r' || c == '\n') {
			if (c == '\r' && i + 1 < n && s[i + 1] == '\n')
				i++;
			w_unit(b, "\\n", 2);
			i++;
			continue;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7F) {
			i++;
			continue;
		}
		k = utf8_seq((const unsigned char *)s + i, n - i);
		if (k == 0) {
			i++;
			continue;
		}
		w_unit(b, s + i, k);
		i += k;
	}
}

/* w_uri: a URI value, without escapes; control characters, blanks at the
 * ends and invalid UTF-8 dropped. */
static void w_uri(struct vcard_buf *b, const char *s)
{
	size_t i = 0, k, n;

	if (s == NULL)
		return;
	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7F) {
			i++;
			continue;
		}
		k = utf8_seq((const unsigned char *)s + i, n - i);
		if (k == 0) {
			i++;
			continue;
		}
		w_unit(b, s + i, k);
		i += k;
	}
}

static int str_ieq(const char *s, const char *lit)
{
	return s && span_ieq(mkspan(s, strlen(s)), lit);
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* type_params: the TYPE parameter for a standard type, or NULL when the
 * type must go in an X-ABLabel. kind: 't' TEL, 'e' EMAIL, else ADR/URL. */
static const char *type_params(const char *type, int kind, int v4, int *label)
{
	static const struct {
		const char *type;
		int kind;
		const char *v3, *v4;
	} map[] = {
		{"work", 't', "WORK,VOICE", "work,voice"},
		{"home", 't', "HOME,VOICE", "home,voice"},
		{"cell", 't', "CELL", "cell"},
		{"fax", 't', "FAX", "fax"},
		{"pager", 't', "PAGER", "pager"},
		{"other", 't', "VOICE", "voice"},
		{"work", 'e', "INTERNET,WORK", "work"},
		{"home", 'e', "INTERNET,HOME", "home"},
		{"other", 'e', "INTERNET", NULL},
		{"work", 'a', "WORK", "work"},
		{"home", 'a', "HOME", "home"},
		{"other", 'a', NULL, NULL},
	};
	size_t i;
	int k = (kind == 't' || kind == 'e') ? kind : 'a';

	*label = 0;
	if (type == NULL || type[0] == '\0')
		type = "other";
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].kind == k && str_ieq(type, map[i].type))
			return v4 ? map[i].v4 : map[i].v3;
	*label = 1;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].kind == k && str_ieq("other", map[i].type))
			return v4 ? map[i].v4 : map[i].v3;
	return NULL;
}

/* w_item_start: "[itemN.]NAME[;TYPE=...]" with the label noted in *group. */
static void w_item_start(struct vcard_buf *b, const char *name, const char *type, int kind,
			 int v4, size_t *next_group, size_t *group)
{
	int label;
	const char *tp = type_params(type, kind, v4, &label);
	char g[32];

	*group = 0;
	if (label) {
		*group = (*next_group)++;
		snprintf(g, sizeof(g), "item%zu.", *group);
		w_str(b, g);
	}
	w_str(b, name);
	if (tp) {
		w_str(b, ";TYPE=");
		w_str(b, tp);
	}
}

static void w_label(struct vcard_buf *b, size_t group, const char *type)
{
	char g[48];

	if (group == 0)
		return;
	snprintf(g, sizeof(g), "item%zu.X-ABLabel:", group);
	w_str(b, g);
	w_text(b, type);
	w_end(b);
}

static int is_e164(const char *s)
{
	size_t n = 0;

	if (s == NULL || *s++ != '+')
		return 0;
	for (; *s; s++, n++)
		if (*s < '0' || *s > '9')
			return 0;
	return n >= 2 && n <= 15;
}

/* extra_ok: whether an extra is a content line this version accepts, and
 * not one the writer makes itself. */
static int extra_ok(const char *line, int v4)
{
	static const char *const own[] = {"BEGIN", "END", "VERSION", "N", "UID", "REV",
		"PRODID", "PROFILE", NULL};
	size_t n, i = 0, s, k;
	struct span name, pname;

	if (line == NULL)
		return 0;
	n = strlen(line);
	if (!utf8_valid(line, n) || has_ctl(mkspan(line, n)))
		return 0;
	s = i;
	while (i < n && (is_alnum((unsigned char)line[i]) || line[i] == '-'))
		i++;
	if (i < n && line[i] == '.' && i > s) {
		s = ++i;
		while (i < n && (is_alnum((unsigned char)line[i]) || line[i] == '-'))
			i++;
	}
	name = mkspan(line + s, i - s);
	if (name.n == 0)
		return 0;
	for (k = 0; own[k]; k++)
		if (span_ieq(name, own[k]))
			return 0;
	while (i < n && line[i] == ';') {
		s = ++i;
		while (i < n && (is_alnum((unsigned char)line[i]) || line[i] == '-'))
			i++;
		pname = mkspan(line + s, i - s);
		if (pname.n == 0 || i == n || line[i] != '=')
			return 0;
		if (v4 && (span_ieq(pname, "ENCODING") || span_ieq(pname, "CHARSET")))
			return 0;
		i++;
		for (;;) {	/* one value of a list */
			if (i < n && line[i] == '"') {
				i++;
				while (i < n && line[i] != '"')
					i++;
				if (i == n)
					return 0;
				i++;
			} else {
				while (i < n && line[i] != ';' && line[i] != ':' &&
				       line[i] != ',' && line[i] != '"')
					i++;
			}
			if (i < n && line[i] == ',') {
				i++;
				continue;
			}
			break;
		}
	}
	return i < n && line[i] == ':';
}

/* extra_group_max: the largest N of an "itemN." group among the extras. */
static size_t extra_group_max(const struct card *c)
{
	size_t i, max = 0;

	for (i = 0; i < c->n_extras; i++) {
		const char *l = c->extras[i].line;
		size_t v = 0, d = 0;
		if (l == NULL || !span_iprefix(mkspan(l, strlen(l)), "item"))
			continue;
		for (l += 4; *l >= '0' && *l <= '9' && d < 9; l++, d++)
			v = v * 10 + (size_t)(*l - '0');
		if (d && *l == '.' && v > max)
			max = v;
	}
	return max;
}

static void w_base64(struct vcard_buf *b, const unsigned char *p, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	char q[4];

	for (i = 0; i + 2 < n; i += 3) {
		q[0] = tab[p[i] >> 2];
		q[1] = tab[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		q[2] = tab[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)];
		q[3] = tab[p[i + 2] & 63];
		w_unit(b, q, 4);
	}
	if (n - i == 1) {
		q[0] = tab[p[i] >> 2];
		q[1] = tab[(p[i] & 3) << 4];
		q[2] = q[3] = '=';
		w_unit(b, q, 4);
	} else if (n - i == 2) {
		q[0] = tab[p[i] >> 2];
		q[1] = tab[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		q[2] = tab[(p[i + 1] & 15) << 2];
		q[3] = '=';
		w_unit(b, q, 4);
	}
}

/* mime_ok: "type/subtype" made of token characters; *sub gets the subtype. */
static int mime_ok(const char *m, const char **sub)
{
	const char *s;
	int slash = 0;

	if (m == NULL || *m == '\0')
		return 0;
	for (s = m; *s; s++) {
		if (*s == '/') {
			if (slash++ || s == m || s[1] == '\0')
				return 0;
			*sub = s + 1;
		} else if (!is_alnum((unsigned char)*s) && *s != '-' && *s != '+' && *s != '.') {
			return 0;
		}
	}
	return slash == 1;
}

static void w_photo(struct vcard_buf *b, const struct vcard_write_opts *o, int v4)
{
	const char *sub = NULL, *s;

	if (o->photo_uri && o->photo_uri[0]) {
		w_str(b, v4 ? "PHOTO:" : "PHOTO;VALUE=uri:");
		w_uri(b, o->photo_uri);
		w_end(b);
		return;
	}
	if (o->photo == NULL || o->photo_len == 0 || !mime_ok(o->photo_mime, &sub))
		return;
	if (v4) {
		w_str(b, "PHOTO:data:");
		w_str(b, o->photo_mime);
		w_str(b, ";base64,");
	} else {
		w_str(b, "PHOTO;ENCODING=b;TYPE=");
		for (s = sub; *s; s++) {
			char u = (char)(*s >= 'a' && *s <= 'z' ? *s - ('a' - 'A') : *s);
			w_unit(b, &u, 1);
		}
		w_str(b, ":");
	}
	w_base64(b, o->photo, o->photo_len);
	w_end(b);
}

/* fn_of: FN must not be empty when the card has anything to name it by. */
static const char *fn_of(const struct card *c, struct arena *a)
{
	if (nz(c->full_name)[0])
		return c->full_name;
	if (nz(c->given)[0] || nz(c->family)[0])
		return arena_printf(a, "%s%s%s", nz(c->given),
				    nz(c->given)[0] && nz(c->family)[0] ? " " : "", nz(c->family));
	if (nz(c->organization)[0])
		return c->organization;
	if (c->n_emails && c->emails[0].value)
		return c->emails[0].value;
	return "";
}

void vcard_append(struct vcard_buf *b, const struct card *c, const struct vcard_write_opts *o)
{
	struct vcard_write_opts def;
	size_t i, next_group, group;
	int v4;

	if (o == NULL) {
		memset(&def, 0, sizeof(def));
		def.version = VCARD_V4;
		o = &def;
	}
	v4 = o->version != VCARD_V3;
	next_group = extra_group_max(c) + 1;
	buf_reserve(b, 512);
	b->col = 0;
	w_str(b, "BEGIN:VCARD");
	w_end(b);
	w_str(b, v4 ? "VERSION:4.0" : "VERSION:3.0");
	w_end(b);
	if (o->uid && o->uid[0]) {
		w_str(b, "UID:");
		w_text(b, o->uid);
		w_end(b);
	}
	w_str(b, "FN:");
	w_text(b, fn_of(c, b->a));
	w_end(b);
	w_str(b, "N:");
	w_text(b, c->family);
	w_unit(b, ";", 1);
	w_text(b, c->given);
	w_unit(b, ";", 1);
	w_text(b, c->additional);
	w_unit(b, ";", 1);
	w_text(b, c->prefix);
	w_unit(b, ";", 1);
	w_text(b, c->suffix);
	w_end(b);
	if (nz(c->organization)[0] || nz(c->department)[0]) {
		w_str(b, "ORG:");
		w_text(b, c->organization);
		if (nz(c->department)[0]) {
			w_unit(b, ";", 1);
			w_text(b, c->department);
		}
		w_end(b);
	}
	if (nz(c->title)[0]) {
		w_str(b, "TITLE:");
		w_text(b, c->title);
		w_end(b);
	}
	for (i = 0; i < c->n_emails; i++) {
		const struct card_item *it = &c->emails[i];
		if (nz(it->value)[0] == '\0')
			continue;
		w_item_start(b, "EMAIL", it->type, 'e', v4, &next_group, &group);
		w_unit(b, ":", 1);
		w_text(b, it->value);
		w_end(b);
		w_label(b, group, it->type);
	}
	for (i = 0; i < c->n_phones; i++) {
		const struct card_item *it = &c->phones[i];
		int uri = v4 && is_e164(it->value);
		if (nz(it->value)[0] == '\0')
			continue;
		w_item_start(b, uri ? "TEL;VALUE=uri" : "TEL", it->type, 't', v4,
			     &next_group, &group);
		w_unit(b, ":", 1);
		if (uri) {
			w_str(b, "tel:");
			w_uri(b, it->value);
		} else {
			w_text(b, it->value);
		}
		w_end(b);
		w_label(b, group, it->type);
	}
	for (i = 0; i < c->n_addresses; i++) {
		const struct card_address *ad = &c->addresses[i];
		w_item_start(b, "ADR", ad->type, 'a', v4, &next_group, &group);
		w_str(b, ":;;");
		w_text(b, ad->street);
		w_unit(b, ";", 1);
		w_text(b, ad->locality);
		w_unit(b, ";", 1);
		w_text(b, ad->region);
		w_unit(b, ";", 1);
		w_text(b, ad->postal_code);
		w_unit(b, ";", 1);
		w_text(b, ad->country);
		w_end(b);
		w_label(b, group, ad->type);
	}
	for (i = 0; i < c->n_urls; i++) {
		const struct card_item *it = &c->urls[i];
		if (nz(it->value)[0] == '\0')
			continue;
		w_item_start(b, "URL", it->type, 'a', v4, &next_group, &group);
		w_unit(b, ":", 1);
		w_uri(b, it->value);
		w_end(b);
		w_label(b, group, it->type);
	}
	if (nz(c->note)[0]) {
		w_str(b, "NOTE:");
		w_text(b, c->note);
		w_end(b);
	}
	w_photo(b, o, v4);
	for (i = 0; i < c->n_extras; i++) {
		if (!extra_ok(c->extras[i].line, v4))
			continue;
		w_str(b, c->extras[i].line);
		w_end(b);
	}
	if (o->rev && o->rev[0]) {
		w_str(b, "REV:");
		w_uri(b, o->rev);
		w_end(b);
	}
	w_str(b, "END:VCARD");
	w_end(b);
}

char *vcard_write(const struct card *c, const struct vcard_write_opts *o,
		  struct arena *a, size_t *len)
{
	struct vcard_buf b;

	vcard_buf_init(&b, a);
	vcard_append(&b, c, o);
	if (len)
		*len = b.len;
	return b.data;
}

char *vcard_write_many(const struct card *cards, const struct vcard_write_opts *opts,
		       size_t n, struct arena *a, size_t *len)
{
	struct vcard_buf b;
	size_t i;

	vcard_buf_init(&b, a);
	buf_reserve(&b, n * 512);
	for (i = 0; i < n; i++)
		vcard_append(&b, &cards[i], opts ? &opts[i] : NULL);
	if (len)
		*len = b.len;
	return b.data;
}
