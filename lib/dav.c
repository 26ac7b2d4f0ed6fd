/* dav.c: WebDAV/CardDAV helpers: safe XML request parsing, XML output, Basic credentials, names, tokens, text-match. */
#include "dav.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libxml/parser.h>
#include <sodium.h>

#include "folder.h"

/* --- output buffer ------------------------------------------------------*/

void dav_buf_init(struct dav_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void dav_buf_free(struct dav_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

void dav_buf_sink(struct dav_buf *b, int (*fn)(void *ctx, const char *data, size_t len),
		  void *ctx, size_t at)
{
	b->sink = fn;
	b->sink_ctx = ctx;
	b->sink_at = at;
}

/* grow: room for n more bytes and a NUL (after handing a full buffer to
 * its sink); 0 when memory is short or the sink failed. */
static int grow(struct dav_buf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->failed)
		return 0;
	if (b->sink && b->len > 0 && b->len >= b->sink_at) {
		if (b->sink(b->sink_ctx, b->data, b->len) != 0) {
			b->failed = 1;
			return 0;
		}
		b->sunk += b->len;
		b->len = 0;
		b->data[0] = '\0';
	}
	if (b->len + n + 1 <= b->cap)
		return 1;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->len + n + 1) {
		if (cap > SIZE_MAX / 2) {
			b->failed = 1;
			return 0;
		}
		cap *= 2;
	}
	p = realloc(b->data, cap);
	if (p == NULL) {
		b->failed = 1;
		return 0;
	}
	b->data = p;
	b->cap = cap;
	return 1;
}

void dav_buf_add(struct dav_buf *b, const char *s, size_t n)
{
	if (n == 0 || !grow(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void dav_buf_str(struct dav_buf *b, const char *s)
{
	dav_buf_add(b, s, strlen(s));
}

void dav_buf_printf(struct dav_buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		dav_buf_add(b, small, (size_t)n);
		return;
	}
	if (!grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* utf8_seq: length of the valid UTF-8 sequence at s (n bytes left) and its
 * code point; 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0];
	size_t len;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, c &= 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, c &= 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, c &= 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

void dav_buf_text(struct dav_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = p;

	while (p < end) {
		const char *rep = NULL;
		unsigned cp;
		size_t len;

		if (*p >= 0x20 && *p < 0x80 && *p != '&' && *p != '<' && *p != '>' && *p != '"') {
			p++;
			continue;
		}
		len = utf8_seq(p, (size_t)(end - p), &cp);
		if (len == 0) {
			rep = "\xef\xbf\xbd";
			len = 1;
		} else if (cp == '&') {
			rep = "&amp;";
		} else if (cp == '<') {
			rep = "&lt;";
		} else if (cp == '>') {
			rep = "&gt;";
		} else if (cp == '"') {
			rep = "&quot;";
		} else if (cp == '\r') {
			rep = "&#13;";
		} else if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0xfffe || cp == 0xffff) {
			rep = "\xef\xbf\xbd";
		}
		if (rep == NULL) {
			p += len;
			continue;
		}
		dav_buf_add(b, (const char *)run, (size_t)(p - run));
		dav_buf_str(b, rep);
		p += len;
		run = p;
	}
	dav_buf_add(b, (const char *)run, (size_t)(p - run));
}

/* --- XML input ----------------------------------------------------------*/

/* The bytes of a body as the code units libxml2 will read: 1 for UTF-8 and
 * the ASCII-compatible encodings, 2 for UTF-16 (le tells the byte order). */
struct units {
	const unsigned char *p;
	size_t n;		/* code units */
	int width, le;
};

/* unit: the code unit at i as an ASCII character, or 0x100 for anything
 * else (a non-ASCII character cannot start or end markup). */
static unsigned unit(const struct units *u, size_t i)
{
	unsigned c;

	if (u->width == 1)
		c = u->p[i];
	else if (u->le)
		c = u->p[2 * i] | (unsigned)u->p[2 * i + 1] << 8;
	else
		c = (unsigned)u->p[2 * i] << 8 | u->p[2 * i + 1];
	return c < 0x80 ? c : 0x100;
}

/* at: whether the ASCII string lit starts at unit i. */
static int at(const struct units *u, size_t i, const char *lit)
{
	for (; *lit; lit++, i++)
		if (i >= u->n || unit(u, i) != (unsigned char)*lit)
			return 0;
	return 1;
}

/* skip_to: the unit after the first lit at or after i (u->n when none). */
static size_t skip_to(const struct units *u, size_t i, const char *lit)
{
	for (; i < u->n; i++)
		if (at(u, i, lit))
			return i + strlen(lit);
	return u->n;
}

/* encoding_ok: whether the encoding declared by the XML declaration that
 * starts at i (if any) keeps markup where the scan sees it: for 8-bit
 * bodies UTF-8 and the ASCII supersets US-ASCII and ISO-8859-1, for
 * UTF-16 bodies UTF-16. A declaration switching to anything else (UTF-7,
 * EBCDIC, UCS-4) would hide the markup from the scan, so it is refused. */
static int encoding_ok(const struct units *u, size_t i)
{
	static const char *const eight[] = {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin1", NULL};
	static const char *const sixteen[] = {"utf-16", "utf16", NULL};
	size_t end = skip_to(u, i, "?>"), j, k;
	char name[16];
	unsigned q;

	for (j = i; j < end && !at(u, j, "encoding"); j++)
		;
	if (j >= end)
		return 1;
	for (j += 8; j < end && (unit(u, j) == ' ' || unit(u, j) == '\t' || unit(u, j) == '\r' ||
				 unit(u, j) == '\n' || unit(u, j) == '='); j++)
		;
	if (j >= end || ((q = unit(u, j)) != '"' && q != '\''))
		return 0;
	for (j++, k = 0; j < end && unit(u, j) != q; j++) {
		unsigned c = unit(u, j);
		if (c == 0x100 || k + 1 >= sizeof(name))
			return 0;
		name[k++] = (char)c;
	}
	name[k] = '\0';
	for (const char *const *e = u->width == 1 ? eight : sixteen; *e; e++)
		if (strcasecmp(name, *e) == 0)
			return 1;
	return 0;
}

const char *dav_xml_refusal(const char *body, size_t len)
{
	const unsigned char *b = (const unsigned char *)body;
	struct units u = {b, len, 1, 0};
	size_t i = 0, nodes = 0, attrs_total = 0, ns_total = 0;
	int depth = 0;

	if (body == NULL || len == 0)
		return "the body is empty";
	/* what libxml2 detects from the first bytes: UTF-16 by its BOM or by
	 * "<?" in it; UCS-4 and EBCDIC are refused (the scan cannot read them) */
	if (len >= 4 && ((b[0] == 0 && b[1] == 0) || (b[2] == 0 && b[3] == 0) ||
			 (b[0] == 0x4c && b[1] == 0x6f && b[2] == 0xa7 && b[3] == 0x94)))
		return "the body's encoding is not UTF-8 or UTF-16";
	if (len >= 2 && ((b[0] == 0xff && b[1] == 0xfe) || (b[0] == '<' && b[1] == 0)))
		u.width = 2, u.le = 1;
	else if (len >= 2 && ((b[0] == 0xfe && b[1] == 0xff) || (b[0] == 0 && b[1] == '<')))
		u.width = 2, u.le = 0;
	if (u.width == 2) {
		if (len % 2)
			return "the body is not well-formed UTF-16";
		u.n = len / 2;
		if (unit(&u, 0) == 0x100)
			i = 1;		/* the BOM */
	} else if (len >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf) {
		i = 3;
	}
	if (at(&u, i, "<?xml") && !encoding_ok(&u, i))
		return "the body declares an encoding other than UTF-8 or UTF-16";

	/* One linear pass over the markup, so that nothing libxml2 would
	 * spend more than linear time on (an element with tens of thousands
	 * of attributes: its duplicate check is quadratic) reaches it. */
	while (i < u.n) {
		if (unit(&u, i) != '<') {
			i++;
			continue;
		}
		if (at(&u, i, "<?")) {
			i = skip_to(&u, i + 2, "?>");
		} else if (at(&u, i, "<!--")) {
			i = skip_to(&u, i + 4, "-->");
		} else if (at(&u, i, "<![CDATA[")) {
			i = skip_to(&u, i + 9, "]]>");
		} else if (at(&u, i, "<!")) {
			return "the body holds a DOCTYPE or a declaration";
		} else if (at(&u, i, "</")) {
			depth--;
			i = skip_to(&u, i + 2, ">");
			continue;
		} else {
			unsigned q = 0, c = 0, prev = 0;
			size_t attrs = 0;

			for (i++; i < u.n; i++, prev = c) {
				c = unit(&u, i);
				if (q) {
					if (c == q)
						q = 0;
				} else if (c == '"' || c == '\'') {
					q = c;
				} else if (c == 'x' && (prev == ' ' || prev == '\t' || prev == '\r' || prev == '\n') &&
					   at(&u, i, "xmlns") && ++ns_total > DAV_XML_MAX_NS) {
					/* each declaration in scope lengthens libxml2's
					 * lookup of every prefix */
					return "the body declares too many namespaces";
				} else if (c == '=') {
					if (++attrs > DAV_XML_MAX_ATTRS)
						return "an element has too many attributes";
					if (++attrs_total > DAV_XML_MAX_ATTRS_TOTAL)
						return "the body has too many attributes";
				} else if (c == '>') {
					break;
				}
			}
			i++;
			if (prev != '/' && ++depth > DAV_XML_MAX_DEPTH)
				return "the body is nested too deeply";
		}
		if (++nodes > DAV_XML_MAX_NODES)
			return "the body has too many elements";
	}
	return NULL;
}


static int too_deep(const xmlNode *n, int depth)
{
	if (depth > DAV_XML_MAX_DEPTH)
		return 1;
	for (const xmlNode *c = n; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && c->children && too_deep(c->children, depth + 1))
			return 1;
	return 0;
}

enum err dav_xml_parse(const char *body, size_t len, xmlDocPtr *doc)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr d;

	*doc = NULL;
	if (body == NULL || len == 0 || len > INT_MAX)
		return ERR_BAD_REQUEST;
	/* no DTD, so no entity can be declared: a "billion laughs" or an
	 * external entity never reaches the parser */
	if (memmem(body, len, "<!DOCTYPE", 9) || memmem(body, len, "<!ENTITY", 8))
		return ERR_BAD_REQUEST;
	if (dav_xml_refusal(body, len))
		return ERR_BAD_REQUEST;
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL)
		return ERR_UNAVAILABLE;
	d = xmlCtxtReadMemory(ctxt, body, (int)len, NULL, NULL,
			      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
			      XML_PARSE_NOCDATA);
	if (d && (!ctxt->wellFormed || d->intSubset || d->extSubset ||
		  xmlDocGetRootElement(d) == NULL || too_deep(xmlDocGetRootElement(d), 1))) {
		xmlFreeDoc(d);
		d = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	if (d == NULL)
		return ERR_BAD_REQUEST;
	*doc = d;
	return ERR_OK;
}

int dav_node_is(const xmlNode *n, const char *ns, const char *name)
{
	if (n == NULL || n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, name) != 0)
		return 0;
	if (ns == NULL)
		return n->ns == NULL;
	return n->ns && n->ns->href && strcmp((const char *)n->ns->href, ns) == 0;
}

xmlNode *dav_child(const xmlNode *parent, const char *ns, const char *name)
{
	if (parent == NULL)
		return NULL;
	for (xmlNode *c = parent->children; c; c = c->next)
		if (dav_node_is(c, ns, name))
			return c;
	return NULL;
}

const char *dav_node_text(const xmlNode *n, struct arena *a)
{
	xmlChar *t = n ? xmlNodeGetContent(n) : NULL;
	const char *s, *e;
	char *out;

	if (t == NULL)
		return "";
	s = (const char *)t;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		e--;
	out = arena_strndup(a, s, (size_t)(e - s));
	xmlFree(t);
	return out;
}

/* --- credentials ----------------------------------------------------------*/

int dav_basic_parse(const char *header, struct arena *a, const char **user, const char **pass)
{
	size_t n, got = 0;
	unsigned char *bin;
	char *colon;

	if (header == NULL || strncasecmp(header, "Basic ", 6) != 0)
		return 0;
	header += 6;
	while (*header == ' ')
		header++;
	n = strcspn(header, " \t\r\n");
	if (n == 0 || n > 1024)
		return 0;
	bin = arena_alloc(a, n + 1);
	if (sodium_base642bin(bin, n, header, n, NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 &&
	    sodium_base642bin(bin, n, header, n, NULL, &got, NULL,
			      sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0)
		return 0;
	bin[got] = '\0';
	if (memchr(bin, '\0', got))
		return 0;
	colon = strchr((char *)bin, ':');
	if (colon == NULL)
		return 0;
	*colon = '\0';
	*user = (const char *)bin;
	*pass = colon + 1;
	return 1;
}

/* --- names, hrefs, tokens -------------------------------------------------*/

static int name_char(int c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '.';
}

int dav_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > DAV_NAME_MAX || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("-._~!$&'()*+,;=@", name[i]))
			return 0;
	return 1;
}

/* reserved_form: "_" followed by 1..18 digits. */
static int reserved_form(const char *s, size_t n, long long *id)
{
	long long v = 0;

	if (n < 2 || n > 19 || s[0] != '_')
		return 0;
	for (size_t i = 1; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	if (id)
		*id = v;
	return 1;
}

int dav_uid_direct(const char *uid)
{
	size_t n = uid ? strlen(uid) : 0;

	if (n == 0 || n > DAV_UID_DIRECT_MAX || reserved_form(uid, n, NULL))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!name_char((unsigned char)uid[i]))
			return 0;
	return 1;
}

const char *dav_name_of(struct arena *a, const char *uid, long long id)
{
	if (dav_uid_direct(uid))
		return arena_printf(a, "%s.vcf", uid);
	return arena_printf(a, "_%lld.vcf", id);
}

int dav_name_parse(struct arena *a, const char *name, const char **uid, long long *id)
{
	size_t n = name ? strlen(name) : 0;
	char *base;

	*uid = NULL;
	*id = 0;
	if (n <= 4 || n > DAV_NAME_MAX || strcmp(name + n - 4, ".vcf") != 0)
		return 0;
	if (reserved_form(name, n - 4, id)) {
		/* one name per entry: "_042.vcf" is not entry 42's "_42.vcf" */
		if (name[1] == '0')
			*id = 0;
		return *id > 0;
	}
	base = arena_strndup(a, name, n - 4);
	if (!dav_uid_direct(base))
		return 0;
	*uid = base;
	return 1;
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

const char *dav_href_path(struct arena *a, const char *href)
{
	const char *p = href;
	size_t n;
	char *out, *o;

	if (p == NULL)
		return NULL;
	if (strncasecmp(p, "http://", 7) == 0 || strncasecmp(p, "https://", 8) == 0) {
		p = strstr(p, "//") + 2;
		p += strcspn(p, "/");
	}
	if (*p != '/')
		return NULL;
	n = strcspn(p, "?#");
	out = o = arena_alloc(a, n + 1);
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '%') {
			int hi = i + 2 < n ? hexval((unsigned char)p[i + 1]) : -1;
			int lo = hi >= 0 ? hexval((unsigned char)p[i + 2]) : -1;
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return NULL;
			*o++ = (char)(hi * 16 + lo);
			i += 2;
		} else {
			*o++ = p[i];
		}
	}
	*o = '\0';
	return out;
}

#define TOKEN_PREFIX "urn:livecard:sync:"

const char *dav_token_format(struct arena *a, long long seq)
{
	return arena_printf(a, TOKEN_PREFIX "%lld", seq);
}

int dav_token_parse(const char *token, long long *seq)
{
	size_t plen = strlen(TOKEN_PREFIX), n;
	long long v = 0;

	if (token == NULL || strncmp(token, TOKEN_PREFIX, plen) != 0)
		return 0;
	token += plen;
	n = strlen(token);
	if (n == 0 || n > 18)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)token[i]))
			return 0;
		v = v * 10 + (token[i] - '0');
	}
	*seq = v;
	return 1;
}

const char *dav_etag(struct arena *a, long long change_seq)
{
	return arena_printf(a, "\"%lld\"", change_seq);
}

int dav_depth(const char *h, int def)
{
	if (h == NULL || *h == '\0')
		return def;
	while (*h == ' ')
		h++;
	if (strcmp(h, "0") == 0)
		return 0;
	if (strcmp(h, "1") == 0 || strcasecmp(h, "infinity") == 0)
		return 1;
	return -1;
}

const char *dav_http_date(struct arena *a, const char *t)
{
	struct tm tm;
	time_t secs;
	char buf[64];

	memset(&tm, 0, sizeof(tm));
	if (t == NULL || sscanf(t, "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
				&tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return NULL;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	secs = timegm(&tm);
	if (gmtime_r(&secs, &tm) == NULL || strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm) == 0)
		return NULL;
	return arena_strdup(a, buf);
}

/* --- text-match -----------------------------------------------------------*/

enum dav_match dav_match_lookup(const char *s)
{
	static const char *const names[DAV_MATCH__MAX] = {"equals", "contains", "starts-with", "ends-with"};

	if (s == NULL)
		return DAV_MATCH_CONTAINS;
	for (int i = 0; i < DAV_MATCH__MAX; i++)
		if (strcmp(s, names[i]) == 0)
			return (enum dav_match)i;
	return DAV_MATCH__MAX;
}

enum dav_collation dav_collation_lookup(const char *s)
{
	if (s == NULL || strcmp(s, "i;unicode-casemap") == 0)
		return DAV_COLL_UNICODE_CASEMAP;
	if (strcmp(s, "i;ascii-casemap") == 0)
		return DAV_COLL_ASCII_CASEMAP;
	if (strcmp(s, "i;octet") == 0)
		return DAV_COLL_OCTET;
	return DAV_COLL__MAX;
}

/* fold_cp: the lower-case form of the common cased letters. */
static unsigned fold_cp(unsigned c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if ((c >= 0xc0 && c <= 0xde && c != 0xd7) || (c >= 0x391 && c <= 0x3a9 && c != 0x3a2) ||
	    (c >= 0x410 && c <= 0x42f))
		return c + 32;
	if (c >= 0x400 && c <= 0x40f)
		return c + 80;
	/* Latin Extended-A: upper and lower case alternate */
	if (((c >= 0x100 && c <= 0x137) || (c >= 0x14a && c <= 0x177)) && c != 0x130 && c % 2 == 0)
		return c + 1;
	if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e)) && c % 2 == 1)
		return c + 1;
	return c;
}


/* fold: s under collation c, in a malloc'd string (caller frees). */
static char *fold(const char *s, enum dav_collation c)
{
	size_t n = strlen(s);
	char *out = malloc(n * 2 + 1), *o = out;
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	if (out == NULL)
		return NULL;
	while (p < end) {
		unsigned cp;
		size_t len = c == DAV_COLL_OCTET ? 0 : utf8_seq(p, (size_t)(end - p), &cp);
		if (len == 0) {
			*o++ = (char)*p++;
			continue;
		}
		if (c == DAV_COLL_ASCII_CASEMAP) {
			if (len == 1)
				*o++ = (char)tolower((int)cp);
			else {
				memcpy(o, p, len);
				o += len;
			}
		} else {
			o += utf8_put(o, fold_cp(cp));
		}
		p += len;
	}
	*o = '\0';
	return out;
}

int dav_text_match(const char *value, const char *text, enum dav_match m, enum dav_collation c)
{
	char *v, *t;
	size_t vn, tn;
	int hit = 0;

	if (value == NULL || text == NULL)
		return 0;
	v = fold(value, c);
	t = fold(text, c);
	if (v && t) {
		vn = strlen(v);
		tn = strlen(t);
		switch (m) {
		case DAV_MATCH_EQUALS:
			hit = strcmp(v, t) == 0;
			break;
		case DAV_MATCH_STARTS_WITH:
			hit = vn >= tn && memcmp(v, t, tn) == 0;
			break;
		case DAV_MATCH_ENDS_WITH:
			hit = vn >= tn && memcmp(v + vn - tn, t, tn) == 0;
			break;
		case DAV_MATCH_CONTAINS:
		case DAV_MATCH__MAX:
			hit = strstr(v, t) != NULL;
			break;
		}
	}
	free(v);
	free(t);
	return hit;
}

const char *dav_digits(struct arena *a, const char *s)
{
	size_t n = s ? strlen(s) : 0, k = 0;
	char *out = arena_alloc(a, n + 1);

	for (size_t i = 0; i < n; i++)
		if (isdigit((unsigned char)s[i]))
			out[k++] = s[i];
	out[k] = '\0';
	return out;
}

