/* parsebox.c: vCard and CardDAV XML request bodies parsed in a long-lived sandboxed child, the worker getting back plain data. */
#include "parsebox.h"

#include <iconv.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <libxml/dict.h>
#include <libxml/parser.h>

#include "dav.h"
#include "card.h"
#include "log.h"
#include "sandbox.h"

static int boxed = 1;
static struct sandbox_service service = {.task = "parse"};

void parsebox_set(int on)
{
	boxed = on != 0;
}

int parsebox_child_pid(void)
{
	return service.pid > 0 ? service.pid : 0;
}

/* The request: one byte of kind, then for a vCard the options, then the
 * body. */
#define KIND_VCARD 'V'
#define KIND_XML 'X'

struct vcard_job {
	uint64_t max_cards, max_line, max_props, max_photo;
	char charset[48];
};

/* The answer: for a vCard packed cards (child_vcard), for XML a packed
 * document (child_xml). */

/* --- in the child ------------------------------------------------------------*/

/* pack_opt: a string that may be NULL (written as the length 0xffffffff) */
static void pack_opt(struct card_packbuf *b, const char *s, size_t n)
{
	card_pack_str(b, s ? s : "", s ? n : 0);
	if (s == NULL && !b->failed)
		memset(b->data + b->len - 4, 0xff, 4);
}

/* child_vcard: the answer is packed (lib/card.h): a header of three u32
 * (the result, broken cards, cards), then per card its index (u64), the
 * card, and error, warning, version, uid, rev, photo type, photo URI and
 * photo bytes, each possibly NULL */
static int child_vcard(const unsigned char *in, size_t len, unsigned char **out, size_t *out_len)
{
	struct vcard_job job;
	struct vcard_parse_opts o = {0};
	struct vcard_result vr = {0};
	struct card_packbuf b = {0};
	struct arena a;
	uint32_t hdr[3];
	enum err e;

	if (len < sizeof(job))
		return -1;
	memcpy(&job, in, sizeof(job));
	job.charset[sizeof(job.charset) - 1] = '\0';
	o.max_cards = (size_t)job.max_cards;
	o.max_line = (size_t)job.max_line;
	o.max_props = (size_t)job.max_props;
	o.max_photo = (size_t)job.max_photo;
	o.charset = job.charset[0] ? job.charset : NULL;
	arena_init(&a);
	e = vcard_parse_ex((const char *)in + sizeof(job), len - sizeof(job), &o, &a, &vr);
	if (e != ERR_OK)
		vr.n_cards = 0;
	hdr[0] = (uint32_t)e;
	hdr[1] = (uint32_t)vr.n_broken;
	hdr[2] = (uint32_t)vr.n_cards;
	card_pack_str(&b, (const char *)hdr, sizeof(hdr));
	for (size_t i = 0; i < vr.n_cards; i++) {
		const struct vcard_parsed *p = &vr.cards[i];
		uint64_t idx = p->index;
		card_pack_str(&b, (const char *)&idx, sizeof(idx));
		card_pack(&b, &p->card);
		const char *const opt[] = {p->error, p->warning, p->version, p->uid, p->rev,
					   p->photo_mime, p->photo_uri};
		for (size_t k = 0; k < sizeof(opt) / sizeof(opt[0]); k++)
			pack_opt(&b, opt[k], opt[k] ? strlen(opt[k]) : 0);
		pack_opt(&b, (const char *)p->photo, p->photo_len);
	}
	arena_reset(&a);
	if (b.failed) {
		free(b.data);
		return -1;
	}
	*out = b.data;
	*out_len = b.len;
	return 0;
}

/* The XML answer, packed as the vCard one (each item a u32 length and its
 * bytes): the result (u32); then for a refused body the refusal (or NULL),
 * for a parsed one the document as a sequence of items, each a kind of one
 * byte and its strings, every string with its NUL counted in its length:
 *   E name namespace   an element starts (namespace NULL: none)
 *   A name value       an attribute of the element that is open
 *   T text             a text (or CDATA) child of the element that is open
 *   U                  the open element ends
 * Comments and processing instructions are left out. Nothing in it needs
 * a parser: the worker reads it with bounds checks and builds the tree with
 * libxml2's tree API, without a JSON tree between (a 5,000-href multiget's
 * answer was 10 MB of jansson nodes on each side). */
#define XML_ITEM_ELEMENT 'E'
#define XML_ITEM_ATTR 'A'
#define XML_ITEM_TEXT 'T'
#define XML_ITEM_END 'U'

static void put_kind(struct card_packbuf *b, char kind)
{
	card_pack_str(b, &kind, 1);
}

/* put_z: s (may be NULL) with its NUL */
static void put_z(struct card_packbuf *b, const char *s)
{
	pack_opt(b, s, s ? strlen(s) + 1 : 0);
}

static void pack_tree(struct card_packbuf *b, const xmlNode *n)
{
	put_kind(b, XML_ITEM_ELEMENT);
	put_z(b, (const char *)n->name);
	put_z(b, n->ns && n->ns->href ? (const char *)n->ns->href : NULL);
	for (const xmlAttr *at = n->properties; at; at = at->next) {
		xmlChar *v = xmlNodeGetContent((const xmlNode *)at);
		put_kind(b, XML_ITEM_ATTR);
		put_z(b, (const char *)at->name);
		put_z(b, v ? (const char *)v : "");
		xmlFree(v);
	}
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE) {
			pack_tree(b, c);
		} else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
			put_kind(b, XML_ITEM_TEXT);
			put_z(b, (const char *)c->content);
		}
	}
	put_kind(b, XML_ITEM_END);
}

static int child_xml(const unsigned char *in, size_t len, unsigned char **out, size_t *out_len)
{
	xmlDocPtr doc;
	struct card_packbuf b = {0};
	enum err e = dav_xml_parse((const char *)in, len, &doc);
	uint32_t r = (uint32_t)e;

	card_pack_str(&b, (const char *)&r, sizeof(r));
	if (e == ERR_OK) {
		pack_tree(&b, xmlDocGetRootElement(doc));
		xmlFreeDoc(doc);
	} else {
		put_z(&b, dav_xml_refusal((const char *)in, len));
	}
	if (b.failed) {
		free(b.data);
		return -1;
	}
	*out = b.data;
	*out_len = b.len;
	return 0;
}

static int child_call(const unsigned char *in, size_t len, unsigned char **out, size_t *out_len)
{
	if (len < 1)
		return -1;
	if (in[0] == KIND_VCARD)
		return child_vcard(in + 1, len - 1, out, out_len);
	if (in[0] == KIND_XML)
		return child_xml(in + 1, len - 1, out, out_len);
	return -1;
}

/* Charsets whose converters are loaded before the filter closes the files
 * (glibc loads a converter module at its first use and keeps it while a
 * descriptor is open): what vCards declare and what the charset guess
 * names. Another declared charset cannot be converted in the child, and its
 * text is read as undeclared (kept when UTF-8, else guessed). */
static const char *const preload[] = {
	"UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32", "GB18030", "GBK", "GB2312", "BIG5",
	"BIG5-HKSCS", "SHIFT_JIS", "CP932", "EUC-JP", "ISO-2022-JP", "EUC-KR", "CP949",
	"EUC-TW", "ISO-8859-1", "ISO-8859-2", "ISO-8859-3", "ISO-8859-4", "ISO-8859-5",
	"ISO-8859-6", "ISO-8859-7", "ISO-8859-8", "ISO-8859-9", "ISO-8859-10", "ISO-8859-13",
	"ISO-8859-14", "ISO-8859-15", "ISO-8859-16", "WINDOWS-1250", "WINDOWS-1251",
	"WINDOWS-1252", "WINDOWS-1253", "WINDOWS-1254", "WINDOWS-1255", "WINDOWS-1256",
	"WINDOWS-1257", "WINDOWS-1258", "KOI8-R", "KOI8-U", "MACINTOSH", "TIS-620", "CP874",
	"CP437", "CP850", "CP866",
};

/* the converters' descriptors, open for the child's life */
static iconv_t held[sizeof(preload) / sizeof(preload[0])];

/* In the child, this runs before main(): the program is whichever links
 * this file. */
__attribute__((constructor)) static void parse_child_entry(void)
{
	const char *task = sandbox_task();

	if (task == NULL || strcmp(task, "parse") != 0)
		return;
	/* keep up to 8 MiB of freed heap between calls, and take buffers up
	 * to that size from the heap: glibc's defaults (128 KiB) gave every
	 * call's buffers back and faulted them in again on the next, and page
	 * faults are most of a call's cost on a virtual machine (a 5,000-href
	 * multiget: 776 faults, 17 ms of CPU) */
	mallopt(M_TRIM_THRESHOLD, 8 << 20);
	mallopt(M_MMAP_THRESHOLD, 8 << 20);
	xmlInitParser();
	json_object_seed(1);	/* no /dev/urandom in here */
	for (size_t i = 0; i < sizeof(preload) / sizeof(preload[0]); i++)
		held[i] = iconv_open("UTF-8", preload[i]);
	sandbox_serve(child_call);
}

/* --- in the worker -------------------------------------------------------*/

/* call: one call to the child; its answer in *ans (malloc'ed) and *n.
 * ERR_OK, ERR_BAD_REQUEST (no answer: these bytes) or ERR_UNAVAILABLE (no
 * child) */
static enum err call(const char *what, const unsigned char *req, size_t req_len, int wall_ms,
		     unsigned char **ans, size_t *n)
{
	struct sandbox_limits lim = {.wall_ms = wall_ms, .out_max = 16 * req_len + (1u << 20)};
	int detail;
	enum sandbox_status st = sandbox_call(&service, req, req_len, &lim, ans, n, &detail);

	if (st == SANDBOX_ERROR) {
		log_error("parsebox: no %s parsing child (%d)", what, detail);
		return ERR_UNAVAILABLE;
	}
	if (st != SANDBOX_OK) {
		log_warn("parsebox: %s parsing child %s (%d)", what, sandbox_status_name(st), detail);
		return ERR_BAD_REQUEST;
	}
	return ERR_OK;
}

/* nonsense: an answer that cannot be read: the child is not trusted again */
static enum err nonsense(const char *what, unsigned char *ans)
{
	log_warn("parsebox: %s parsing child answered nonsense", what);
	free(ans);
	sandbox_service_stop(&service);
	return ERR_BAD_REQUEST;
}

/* the parser's own result, when it is one it can give */
static enum err result_of(long long r)
{
	return r == ERR_OK || r == ERR_TOO_LARGE || r == ERR_UNAVAILABLE ? (enum err)r : ERR_BAD_REQUEST;
}

enum err vcard_parse_boxed(const char *data, size_t len, const struct vcard_parse_opts *opts,
			   struct arena *a, struct vcard_result *out)
{
	struct vcard_job job = {0};
	unsigned char *req, *ans = NULL;
	size_t n;
	enum err e;

	if (!boxed)
		return vcard_parse_ex(data, len, opts, a, out);
	memset(out, 0, sizeof(*out));
	if (opts) {
		job.max_cards = opts->max_cards;
		job.max_line = opts->max_line;
		job.max_props = opts->max_props;
		job.max_photo = opts->max_photo;
		if (opts->charset &&
		    snprintf(job.charset, sizeof(job.charset), "%s", opts->charset) >= (int)sizeof(job.charset))
			return ERR_BAD_REQUEST;
	}
	req = malloc(1 + sizeof(job) + len);
	if (req == NULL)
		return ERR_UNAVAILABLE;
	req[0] = KIND_VCARD;
	memcpy(req + 1, &job, sizeof(job));
	if (len)
		memcpy(req + 1 + sizeof(job), data, len);
	e = call("vCard", req, 1 + sizeof(job) + len,
		 opts && opts->max_cards == 1 ? PARSEBOX_WALL_MS_ONE : PARSEBOX_WALL_MS_FILE, &ans, &n);
	free(req);
	if (e != ERR_OK)
		return e;

	if (parsebox_read_vcard(ans, n, a, out, &e) != 0)
		return nonsense("vCard", ans);
	free(ans);
	return e;
}

int parsebox_read_vcard(const unsigned char *ans, size_t n, struct arena *a,
			struct vcard_result *out, enum err *e)
{
	const unsigned char *p = ans, *end = ans + n;
	const char *hs;
	size_t hl;
	uint32_t hdr[3];

	memset(out, 0, sizeof(*out));
	if (card_unpack_str(&p, end, a, &hs, &hl) != 0 || hs == NULL || hl != sizeof(hdr))
		return -1;
	memcpy(hdr, hs, sizeof(hdr));
	*e = result_of(hdr[0]);
	if (*e != ERR_OK)
		return 0;
	if (hdr[2] > (size_t)(end - p) / 4)
		return -1;
	out->cards = arena_alloc(a, ((size_t)hdr[2] + 1) * sizeof(*out->cards));
	for (size_t i = 0; i < hdr[2]; i++) {
		struct vcard_parsed *vp = &out->cards[i];
		const char *idx, *photo;
		size_t il, pl;
		uint64_t index;
		memset(vp, 0, sizeof(*vp));
		const char **opt[] = {&vp->error, &vp->warning, &vp->version, &vp->uid, &vp->rev,
				      &vp->photo_mime, &vp->photo_uri};
		if (card_unpack_str(&p, end, a, &idx, &il) != 0 || idx == NULL || il != sizeof(index) ||
		    card_unpack(&p, end, a, &vp->card) != 0)
			return -1;
		memcpy(&index, idx, sizeof(index));
		vp->index = (size_t)index;
		for (size_t k = 0; k < sizeof(opt) / sizeof(opt[0]); k++)
			if (card_unpack_str(&p, end, a, opt[k], NULL) != 0)
				return -1;
		if (card_unpack_str(&p, end, a, &photo, &pl) != 0)
			return -1;
		if (vp->version == NULL || vp->uid == NULL || vp->rev == NULL)
			return -1;
		if (photo && pl > 0) {
			vp->photo = (const unsigned char *)photo;
			vp->photo_len = pl;
		}
	}
	out->n_cards = hdr[2];
	out->n_broken = hdr[1] <= hdr[2] ? hdr[1] : hdr[2];
	return 0;
}

enum err dav_xml_parse_boxed(const char *body, size_t len, struct arena *a, xmlDocPtr *doc,
			     const char **why)
{
	unsigned char *req, *ans = NULL;
	size_t n;
	enum err e;

	*doc = NULL;
	*why = NULL;
	if (!boxed) {
		e = dav_xml_parse(body, len, doc);
		if (e == ERR_BAD_REQUEST) {
			const char *w = dav_xml_refusal(body, len);
			*why = w ? arena_strdup(a, w) : NULL;
		}
		return e;
	}
	if (body == NULL || len == 0)
		return ERR_BAD_REQUEST;
	req = malloc(1 + len);
	if (req == NULL)
		return ERR_UNAVAILABLE;
	req[0] = KIND_XML;
	memcpy(req + 1, body, len);
	e = call("XML", req, 1 + len, PARSEBOX_WALL_MS_ONE, &ans, &n);
	free(req);
	if (e != ERR_OK)
		return e;
	if (parsebox_read_xml(ans, n, a, doc, why, &e) != 0)
		return nonsense("XML", ans);
	free(ans);
	return e;
}

/* take_z: one string of put_z, pointing into the answer (NUL-terminated
 * there, checked), or NULL for a NULL one; 0 or -1 */
static int take_z(const unsigned char **p, const unsigned char *end, const char **s)
{
	uint32_t l;

	if (end - *p < 4)
		return -1;
	memcpy(&l, *p, 4);
	*p += 4;
	if (l == UINT32_MAX) {
		*s = NULL;
		return 0;
	}
	if (l == 0 || (size_t)(end - *p) < l || (*p)[l - 1] != '\0')
		return -1;
	*s = (const char *)*p;
	*p += l;
	return 0;
}

/* take_kind: the kind byte of the next item, or -1 */
static int take_kind(const unsigned char **p, const unsigned char *end)
{
	uint32_t l;

	if (end - *p < 5)
		return -1;
	memcpy(&l, *p, 4);
	if (l != 1)
		return -1;
	*p += 5;
	return (*p)[-1];
}

/* element: a new element named name in namespace href (NULL: none) under
 * parent (NULL: the root of doc); NULL when out of memory */
static xmlNodePtr element(xmlDocPtr doc, xmlNodePtr parent, const char *name, const char *href)
{
	xmlNodePtr n = xmlNewDocNode(doc, NULL, (const xmlChar *)name, NULL);

	if (n == NULL)
		return NULL;
	if (parent)
		xmlAddChild(parent, n);
	else
		xmlDocSetRootElement(doc, n);
	if (href) {
		/* the parent's namespace when it is the same, else declared
		 * here as the default one */
		xmlNsPtr ns = parent && parent->ns && parent->ns->href &&
				      strcmp((const char *)parent->ns->href, href) == 0 ?
				      parent->ns : xmlNewNs(n, (const xmlChar *)href, NULL);
		if (ns == NULL)
			return NULL;
		xmlSetNs(n, ns);
	}
	return n;
}

/* build: the document of the items from p to end into doc; 0, or -1 when
 * they are not one well-nested element (an item out of place, an element
 * deeper than the parser allows, bytes left over) */
static int build(xmlDocPtr doc, const unsigned char *p, const unsigned char *end)
{
	xmlNodePtr open = NULL;
	int depth = 0, done = 0;

	while (p < end) {
		const char *s1, *s2;
		int kind = take_kind(&p, end);

		if (done || (kind != XML_ITEM_ELEMENT && open == NULL))
			return -1;
		switch (kind) {
		case XML_ITEM_ELEMENT:
			if (take_z(&p, end, &s1) != 0 || s1 == NULL || take_z(&p, end, &s2) != 0 ||
			    ++depth > DAV_XML_MAX_DEPTH + 1 || (open = element(doc, open, s1, s2)) == NULL)
				return -1;
			break;
		case XML_ITEM_ATTR:
			if (take_z(&p, end, &s1) != 0 || s1 == NULL || take_z(&p, end, &s2) != 0 ||
			    s2 == NULL || xmlNewProp(open, (const xmlChar *)s1, (const xmlChar *)s2) == NULL)
				return -1;
			break;
		case XML_ITEM_TEXT: {
			xmlNodePtr tx;
			if (take_z(&p, end, &s1) != 0 || s1 == NULL ||
			    (tx = xmlNewDocText(doc, (const xmlChar *)s1)) == NULL)
				return -1;
			xmlAddChild(open, tx);
			break;
		}
		case XML_ITEM_END:
			done = --depth == 0;
			open = done ? NULL : open->parent;
			break;
		default:
			return -1;
		}
	}
	return done ? 0 : -1;
}

int parsebox_read_xml(const unsigned char *ans, size_t n, struct arena *a, xmlDocPtr *doc,
		      const char **why, enum err *e)
{
	const unsigned char *p = ans, *end = ans + n;
	const char *hs;
	size_t hl;
	uint32_t r;

	*doc = NULL;
	*why = NULL;
	if (card_unpack_str(&p, end, a, &hs, &hl) != 0 || hs == NULL || hl != sizeof(r))
		return -1;
	memcpy(&r, hs, sizeof(r));
	*e = result_of(r);
	if (*e != ERR_OK) {
		const char *w;
		if (take_z(&p, end, &w) != 0 || p != end)
			return -1;
		*why = w ? arena_strdup(a, w) : NULL;
		return 0;
	}
	xmlDocPtr d = xmlNewDoc((const xmlChar *)"1.0");
	/* element names from a dictionary, as the parser keeps them: one copy
	 * of "href" for a multiget's thousands of hrefs */
	if (d && (d->dict = xmlDictCreate()) == NULL) {
		xmlFreeDoc(d);
		return -1;
	}
	if (d == NULL || build(d, p, end) != 0) {
		xmlFreeDoc(d);
		return -1;
	}
	*doc = d;
	return 0;
}
