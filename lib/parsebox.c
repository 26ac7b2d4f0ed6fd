/* parsebox.c: vCard and CardDAV XML request bodies parsed in a long-lived sandboxed child, the worker getting back plain data. */
#include "parsebox.h"

#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
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

/* The answer: for a vCard packed cards (child_vcard), for XML a u32
 * length and a JSON text (child_xml). */

/* --- in the child ------------------------------------------------------------*/

/* answer: out = [u32 length of the JSON text][the text] (malloc'ed),
 * from j (which it releases); 0 or -1 */
static int answer(json_t *j, unsigned char **out, size_t *out_len)
{
	char *text = json_dumps(j, JSON_COMPACT);
	size_t tl;
	uint32_t l32;

	json_decref(j);
	if (text == NULL)
		return -1;
	tl = strlen(text);
	*out = malloc(4 + tl);
	if (*out == NULL) {
		free(text);
		return -1;
	}
	l32 = (uint32_t)tl;
	memcpy(*out, &l32, 4);
	memcpy(*out + 4, text, tl);
	*out_len = 4 + tl;
	free(text);
	return 0;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

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

/* tree: an element as {"n": name, "s": namespace, "a": [[name, value]...],
 * "c": [children]}, text as a string; comments and PIs are left out */
static json_t *tree(const xmlNode *n)
{
	json_t *o = json_object(), *attrs = json_array(), *kids = json_array();

	json_object_set_new(o, "n", json_string((const char *)n->name));
	if (n->ns && n->ns->href)
		json_object_set_new(o, "s", json_string((const char *)n->ns->href));
	for (const xmlAttr *at = n->properties; at; at = at->next) {
		xmlChar *v = xmlNodeGetContent((const xmlNode *)at);
		json_array_append_new(attrs, json_pack("[ss]", (const char *)at->name,
						       v ? (const char *)v : ""));
		xmlFree(v);
	}
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE)
			json_array_append_new(kids, tree(c));
		else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
			json_array_append_new(kids, json_string((const char *)c->content));
	}
	json_object_set_new(o, "a", attrs);
	json_object_set_new(o, "c", kids);
	return o;
}

static int child_xml(const unsigned char *in, size_t len, unsigned char **out, size_t *out_len)
{
	xmlDocPtr doc;
	json_t *j = json_object();
	enum err e = dav_xml_parse((const char *)in, len, &doc);

	json_object_set_new(j, "r", json_integer(e));
	if (e == ERR_OK) {
		json_object_set_new(j, "t", tree(xmlDocGetRootElement(doc)));
		xmlFreeDoc(doc);
	} else {
		json_object_set_new(j, "why", str_or_null(dav_xml_refusal((const char *)in, len)));
	}
	return answer(j, out, out_len);
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

/* copy: a string of the answer into a, or NULL */
static const char *copy(struct arena *a, const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? arena_strdup(a, s) : NULL;
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

/* build: the element of t under parent (NULL: the root) in doc; 0 or -1 */
static int build(xmlDocPtr doc, xmlNodePtr parent, const json_t *t, int depth)
{
	const char *name = json_string_value(json_object_get(t, "n"));
	const char *href = json_string_value(json_object_get(t, "s"));
	const json_t *attrs = json_object_get(t, "a"), *kids = json_object_get(t, "c"), *v;
	xmlNodePtr n;
	size_t i;

	if (name == NULL || !json_is_array(attrs) || !json_is_array(kids) ||
	    depth > DAV_XML_MAX_DEPTH + 1)
		return -1;
	n = xmlNewDocNode(doc, NULL, (const xmlChar *)name, NULL);
	if (n == NULL)
		return -1;
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
			return -1;
		xmlSetNs(n, ns);
	}
	json_array_foreach(attrs, i, v) {
		const char *k = json_string_value(json_array_get(v, 0));
		const char *val = json_string_value(json_array_get(v, 1));
		if (k == NULL || val == NULL || xmlNewProp(n, (const xmlChar *)k, (const xmlChar *)val) == NULL)
			return -1;
	}
	json_array_foreach(kids, i, v) {
		if (json_is_string(v)) {
			xmlNodePtr tx = xmlNewDocText(doc, (const xmlChar *)json_string_value(v));
			if (tx == NULL)
				return -1;
			xmlAddChild(n, tx);
		} else if (build(doc, n, v, depth + 1) != 0) {
			return -1;
		}
	}
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

int parsebox_read_xml(const unsigned char *ans, size_t n, struct arena *a, xmlDocPtr *doc,
		      const char **why, enum err *e)
{
	uint32_t jl;
	json_error_t jerr;
	json_t *j = NULL;
	int rc = 0;

	*doc = NULL;
	*why = NULL;
	if (n < 4 || (memcpy(&jl, ans, 4), jl > n - 4) ||
	    (j = json_loadb((const char *)ans + 4, jl, 0, &jerr)) == NULL || !json_is_object(j)) {
		json_decref(j);
		return -1;
	}
	*e = result_of(json_integer_value(json_object_get(j, "r")));
	if (*e == ERR_OK) {
		xmlDocPtr d = xmlNewDoc((const xmlChar *)"1.0");
		if (d == NULL || build(d, NULL, json_object_get(j, "t"), 1) != 0) {
			xmlFreeDoc(d);
			rc = -1;
		} else {
			*doc = d;
		}
	} else {
		*why = copy(a, j, "why");
	}
	json_decref(j);
	return rc;
}
