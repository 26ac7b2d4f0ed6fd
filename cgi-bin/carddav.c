/* carddav.c: each member's card folder as a CardDAV address book (RFC 6352) with sync-collection (RFC 6578), under /dav/. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>

#include "auth.h"
#include "autolink.h"
#include "config.h"
#include "contact.h"
#include "crypto.h"
#include "dav.h"
#include "davstore.h"
#include "folder.h"
#include "http.h"
#include "imagestore.h"
#include "log.h"
#include "parsebox.h"
#include "tmpl.h"
#include "vcard.h"
#include "strmap.h"
#include "vcardmap.h"

#define DAV_MAX_RESOURCE (6u << 20)	/* bytes of one vCard PUT (a 4 MiB photo in base64) */
#define DAV_MAX_WANTS 64		/* properties asked for in one request */
#define DAV_MAX_FILTERS 32		/* prop-filters, text-matches per query */
#define DAV_BATCH 500			/* rows per query when cards are written out */
#define CTYPE_XML "application/xml; charset=utf-8"
#define CTYPE_VCARD "text/vcard; charset=utf-8"
#define MS_OPEN "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:multistatus xmlns:d=\"DAV:\" " \
	"xmlns:c=\"urn:ietf:params:xml:ns:carddav\" xmlns:cs=\"http://calendarserver.org/ns/\">"
#define MS_CLOSE "</d:multistatus>\n"

/* --- the resources and their properties -------------------------------------*/

/* What a URL names. */
enum kind {
	K_ROOT,		/* /dav/ (and / when nginx sends PROPFIND there) */
	K_HOME,		/* /dav/<id>/: the principal and the address book home */
	K_BOOK,		/* /dav/<id>/cards/: the card folder */
	K_CARD,		/* /dav/<id>/cards/<name>.vcf: one entry */
	K__MAX
};

enum prop {
	P_RESOURCETYPE,
	P_DISPLAYNAME,
	P_GETETAG,
	P_GETCONTENTTYPE,
	P_GETCONTENTLENGTH,
	P_GETLASTMODIFIED,
	P_CURRENT_USER_PRINCIPAL,
	P_PRINCIPAL_URL,
	P_OWNER,
	P_PRINCIPAL_COLLECTION_SET,
	P_SUPPORTED_REPORT_SET,
	P_CURRENT_USER_PRIVILEGE_SET,
	P_SYNC_TOKEN,
	P_ADDRESSBOOK_HOME_SET,
	P_ADDRESSBOOK_DESCRIPTION,
	P_SUPPORTED_ADDRESS_DATA,
	P_MAX_RESOURCE_SIZE,
	P_ADDRESS_DATA,
	P_GETCTAG,
	P__MAX
};

static const struct {
	const char *ns, *pfx, *name;
} props[P__MAX] = {
	[P_RESOURCETYPE] = {DAV_NS, "d", "resourcetype"},
	[P_DISPLAYNAME] = {DAV_NS, "d", "displayname"},
	[P_GETETAG] = {DAV_NS, "d", "getetag"},
	[P_GETCONTENTTYPE] = {DAV_NS, "d", "getcontenttype"},
	[P_GETCONTENTLENGTH] = {DAV_NS, "d", "getcontentlength"},
	[P_GETLASTMODIFIED] = {DAV_NS, "d", "getlastmodified"},
	[P_CURRENT_USER_PRINCIPAL] = {DAV_NS, "d", "current-user-principal"},
	[P_PRINCIPAL_URL] = {DAV_NS, "d", "principal-URL"},
	[P_OWNER] = {DAV_NS, "d", "owner"},
	[P_PRINCIPAL_COLLECTION_SET] = {DAV_NS, "d", "principal-collection-set"},
	[P_SUPPORTED_REPORT_SET] = {DAV_NS, "d", "supported-report-set"},
	[P_CURRENT_USER_PRIVILEGE_SET] = {DAV_NS, "d", "current-user-privilege-set"},
	[P_SYNC_TOKEN] = {DAV_NS, "d", "sync-token"},
	[P_ADDRESSBOOK_HOME_SET] = {DAV_NS_CARD, "c", "addressbook-home-set"},
	[P_ADDRESSBOOK_DESCRIPTION] = {DAV_NS_CARD, "c", "addressbook-description"},
	[P_SUPPORTED_ADDRESS_DATA] = {DAV_NS_CARD, "c", "supported-address-data"},
	[P_MAX_RESOURCE_SIZE] = {DAV_NS_CARD, "c", "max-resource-size"},
	[P_ADDRESS_DATA] = {DAV_NS_CARD, "c", "address-data"},
	[P_GETCTAG] = {DAV_NS_CS, "cs", "getctag"},
};

/* allprop: the properties each kind returns unasked (RFC 4918 9.1; the
 * report and sync properties are left out, as their RFCs say). */
static const enum prop allprop[K__MAX][8] = {
	[K_ROOT] = {P_RESOURCETYPE, P_DISPLAYNAME, P_CURRENT_USER_PRINCIPAL, P__MAX},
	[K_HOME] = {P_RESOURCETYPE, P_DISPLAYNAME, P_CURRENT_USER_PRINCIPAL, P_PRINCIPAL_URL,
		    P_ADDRESSBOOK_HOME_SET, P__MAX},
	[K_BOOK] = {P_RESOURCETYPE, P_DISPLAYNAME, P_ADDRESSBOOK_DESCRIPTION, P_GETCTAG, P__MAX},
	[K_CARD] = {P_RESOURCETYPE, P_GETETAG, P_GETCONTENTTYPE, P_GETLASTMODIFIED,
		    P_GETCONTENTLENGTH, P__MAX},
};

/* One property asked for; id is P__MAX for one we do not know. */
struct want {
	enum prop id;
	const char *ns, *name;
	enum vcard_version version;	/* address-data; 0: as stored (the
					 * client's own vCard, else 3.0) */
};

enum mode { M_PROP, M_ALLPROP, M_PROPNAME, M__MAX };

struct wants {
	enum mode mode;
	struct want w[DAV_MAX_WANTS];
	size_t n;
	int full;		/* a card property needs the stored card */
};

/* The request's context: who signed in and where their resources are. */
struct dav {
	struct req *r;
	long long uid;
	const char *email, *full_name, *locale;
	const char *home, *book;	/* hrefs */
	long long seq;			/* folders.seq, -1 until read */
	const char *book_name;		/* dav_books.display_name, NULL until read */
	struct dav_buf ok, missing;	/* scratch for one response's propstats */
};

/* One entry of the folder. The light columns always; data, extras,
 * front and tags for the "full" queries. */
struct cardrow {
	long long id, seq;
	const char *uid, *updated;
	const char *name;		/* the name a client chose, or NULL */
	const char *data, *extras, *front, *tags;
	const char *raw;		/* the vCard as the client PUT it, or NULL */
	enum vcard_version raw_version;
	int full;
	const char *vcard;		/* made on demand, in the row's arena */
	size_t vcard_len;
	enum vcard_version vcard_version;	/* as asked (0: as stored) */
};


static void row_read(const struct db_result *res, size_t i, int full, struct cardrow *c)
{
	memset(c, 0, sizeof(*c));
	c->id = db_cell_int(res, i, DAV_COL_ID, 0);
	c->uid = db_cell(res, i, DAV_COL_UID);
	c->seq = db_cell_int(res, i, DAV_COL_SEQ, 0);
	c->updated = db_cell(res, i, DAV_COL_UPDATED);
	c->name = db_cell(res, i, DAV_COL_NAME);
	c->full = full;
	if (full) {
		const char *raw = db_cell(res, i, DAV_COL_RAW);
		c->data = db_cell(res, i, DAV_COL_DATA);
		c->extras = db_cell(res, i, DAV_COL_EXTRAS);
		c->front = db_cell(res, i, DAV_COL_FRONT);
		c->tags = db_cell(res, i, DAV_COL_TAGS);
		if (raw && (raw[0] == '3' || raw[0] == '4')) {
			c->raw_version = raw[0] == '4' ? VCARD_V4 : VCARD_V3;
			c->raw = raw + 1;
		}
	}
}

/* row_name: the resource name of an entry: the one its client chose, else
 * the one derived from its UID (lib/dav.c). */
static const char *row_name(struct arena *a, const struct cardrow *c)
{
	return c->name ? c->name : dav_name_of(a, c->uid, c->id);
}

/* --- answering ------------------------------------------------------------------*/

/* dav_fail_xml: a precondition failure with its DAV:error body (RFC 4918
 * 16); elem is the element with its prefix ("d:valid-sync-token"). */
static enum err dav_fail_xml(struct req *r, int status, const char *elem, const char *why)
{
	const char *body = arena_printf(&r->arena,
		"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:error xmlns:d=\"DAV:\" "
		"xmlns:c=\"urn:ietf:params:xml:ns:carddav\"><%s/></d:error>\n", elem);
	log_info("carddav: %s %s -> %d %s (%s)", r->method, r->path, status, elem, why);
	return req_raw(r, status, CTYPE_XML, body, strlen(body));
}

/* precondition: answer a failed precondition (403 with its DAV:error
 * body) for a helper deep in a handler, and return ERR_FORBIDDEN so that
 * every caller stops; the answer stands (req_error adds nothing to a
 * request that was answered). */
static enum err precondition(struct req *r, const char *elem, const char *why)
{
	enum err e = dav_fail_xml(r, 403, elem, why);
	return e == ERR_OK ? ERR_FORBIDDEN : e;
}

/* DAV_STREAM_AT: a multistatus is kept whole up to this size (sent with
 * its Content-Length, and a fault while writing it still answered with an
 * error); a bigger one (a listing or a first sync of thousands of cards) is
 * sent as it is written, in pieces of this size, so that a worker holds at
 * most about this much of any answer */
#define DAV_STREAM_AT (256u << 10)

/* stream_out: dav_buf's sink for a multistatus: the head first */
static int stream_out(void *ctx, const char *data, size_t len)
{
	struct req *r = ctx;

	if (!r->responded) {
		req_add_header(r, "Cache-Control: no-store");
		req_stream_begin(r, 207, CTYPE_XML);
	}
	return req_stream_write(r, data, len);
}

/* multistatus_open: b, empty, streaming past DAV_STREAM_AT, with the
 * multistatus's opening tag */
static void multistatus_open(struct req *r, struct dav_buf *b)
{
	dav_buf_init(b);
	dav_buf_sink(b, stream_out, r, DAV_STREAM_AT);
	dav_buf_str(b, MS_OPEN);
}

static enum err send_multistatus(struct req *r, struct dav_buf *b);

/* multistatus_end: close and send the multistatus written into b, whose
 * writing ended with e; releases b. Once part of it was streamed the
 * answer can only end: a fault then cuts it short (the client sees XML
 * without its closing tag, which no parser accepts), and is logged. */
static enum err multistatus_end(struct req *r, struct dav_buf *b, enum err e)
{
	if (b->sunk) {
		if (e == ERR_OK)
			dav_buf_str(b, MS_CLOSE);
		if (e == ERR_OK && !b->failed && req_stream_write(r, b->data, b->len) == 0) {
			dav_buf_free(b);
			return ERR_OK;
		}
		log_error("%s %s: the multistatus was cut short after %zu bytes (%s)", r->method, r->path,
			  b->sunk, e != ERR_OK ? err_default_code(e) : "could not write");
		dav_buf_free(b);
		return ERR_OK;
	}
	if (e != ERR_OK || r->responded) {
		dav_buf_free(b);
		return e;
	}
	dav_buf_str(b, MS_CLOSE);
	return send_multistatus(r, b);
}

static enum err send_multistatus(struct req *r, struct dav_buf *b)
{
	enum err e;

	if (b->failed) {
		dav_buf_free(b);
		return req_fail(r, ERR_UNAVAILABLE, "busy", NULL, "out of memory");
	}
	req_add_header(r, "Cache-Control: no-store");
	e = req_raw(r, 207, CTYPE_XML, b->data ? b->data : "", b->len);
	dav_buf_free(b);
	return e;
}

static enum err bad_xml(struct req *r, const char *why)
{
	return req_fail(r, ERR_BAD_REQUEST, "bad_xml", NULL, why);
}

/* xml_body: the request body as a document (free with xmlFreeDoc), or a
 * 400 answered with why it was refused: not well-formed, a DOCTYPE, or
 * over a limit of dav_xml_refusal (checked before libxml2 parses). */
static enum err xml_body(struct req *r, xmlDocPtr *doc)
{
	const char *why;
	enum err e = dav_xml_parse_boxed(r->body, r->body_len, &r->arena, doc, &why);

	if (e == ERR_OK)
		return ERR_OK;
	if (e != ERR_BAD_REQUEST)
		return req_fail(r, e, "busy", NULL, "cannot read the body now");
	return bad_xml(r, why ? why : "the body is not well-formed XML without a DOCTYPE");
}

/* --- signing in (AUTH_APP_PASSWORD in the route table: lib/account.c) ---------*/

/* dav_open: the signed-in member (the route table's AUTH_APP_PASSWORD put
 * them in r->user), and for paths under /dav/<id>/ check that id is the
 * member's own: anyone else's answers 404, exactly like a missing one. */
static enum err dav_open(struct req *r, struct dav *d, int has_id)
{
	memset(d, 0, sizeof(*d));
	d->r = r;
	d->seq = -1;
	if (r->user == NULL)	/* a route not declared AUTH_APP_PASSWORD: a bug */
		return ERR_INTERNAL;
	d->uid = r->user->id;
	d->email = r->user->email;
	d->full_name = r->user->full_name;
	d->locale = tmpl_locale(r->user->locale);
	d->home = arena_printf(&r->arena, "/dav/%lld/", d->uid);
	d->book = arena_printf(&r->arena, "/dav/%lld/cards/", d->uid);
	if (has_id && r->param_ids[0] != d->uid)
		return req_fail(r, ERR_NOT_FOUND, NULL, NULL, "no such resource");
	return ERR_OK;
}

static void dav_close(struct dav *d)
{
	dav_buf_free(&d->ok);
	dav_buf_free(&d->missing);
}

/* folder_seq: the folder's change counter (getctag, sync-token). */
static enum err folder_seq(struct dav *d, long long *seq)
{
	enum err e;

	if (d->seq < 0) {
		e = davstore_folder_seq(d->r->db, &d->r->arena, d->uid, &d->seq);
		if (e != ERR_OK)
			return e;
	}
	*seq = d->seq;
	return ERR_OK;
}

/* book_name: the address book's display name: the one a client gave it
 * (PROPPATCH), else the language files'. */
static enum err book_name(struct dav *d, const char **name)
{
	enum err e;

	if (d->book_name == NULL) {
		e = davstore_book_name(d->r->db, &d->r->arena, d->uid, &d->book_name);
		if (e != ERR_OK)
			return e;
		if (d->book_name == NULL)
			d->book_name = tmpl_text(d->locale, "CardDAV.BookName");
	}
	*name = d->book_name;
	return ERR_OK;
}

/* --- vCards of entries ------------------------------------------------------------*/

/* card_vcard: the vCard of a full row in version v (0: as stored), made
 * once per version, in a. The client's own bytes while the entry is as its
 * PUT left them (and v is 0 or their version); else rendered: the
 * folder's tags are its CATEGORIES and its front image (thumbnail) its
 * PHOTO, as in the folder's own export. */
static enum err card_vcard(struct dav *d, struct cardrow *c, enum vcard_version v, struct arena *a)
{
	struct card card;
	struct vcardmap_card m = {.card = &card, .version = v ? v : VCARD_V3, .uid = c->uid,
				  .updated_at = c->updated, .front = c->front, .thumb = 1};
	const char **tags;
	char *text;
	enum err e;

	if (c->vcard && c->vcard_version == v)
		return ERR_OK;
	if (!c->full)
		return ERR_INTERNAL;
	if (c->raw && (v == 0 || v == c->raw_version)) {
		c->vcard = c->raw;
		c->vcard_len = strlen(c->raw);
		c->vcard_version = v;
		return ERR_OK;
	}
	if (folder_card_load(c->data, c->extras, a, &card) != ERR_OK) {
		log_error("carddav: entry %lld holds an invalid card", c->id);
		return ERR_INTERNAL;
	}
	vcardmap_tags_json(a, c->tags, &tags, &m.n_tags);
	m.tags = tags;
	if ((e = vcardmap_write(d->r->db, a, &m, &text, &c->vcard_len)) != ERR_OK)
		return e;
	c->vcard = text;
	c->vcard_version = v;
	return ERR_OK;
}

/* --- writing properties -----------------------------------------------------------*/

static void open_tag(struct dav_buf *b, const struct want *w, int close_now)
{
	if (w->id < P__MAX)
		dav_buf_printf(b, "<%s:%s%s>", props[w->id].pfx, props[w->id].name, close_now ? "/" : "");
	else if (w->ns && *w->ns) {
		/* a property we do not know: its own namespace, declared here */
		dav_buf_printf(b, "<x:%s xmlns:x=\"", w->name);
		dav_buf_text(b, w->ns, strlen(w->ns));
		dav_buf_str(b, close_now ? "\"/>" : "\">");
	} else
		dav_buf_printf(b, "<%s xmlns=\"\"%s>", w->name, close_now ? "/" : "");
}

static void close_tag(struct dav_buf *b, const struct want *w)
{
	dav_buf_printf(b, "</%s:%s>", props[w->id].pfx, props[w->id].name);
}

static void href(struct dav_buf *b, const char *h)
{
	dav_buf_str(b, "<d:href>");
	dav_buf_text(b, h, strlen(h));
	dav_buf_str(b, "</d:href>");
}

static const char *const privileges[K__MAX] = {
	[K_ROOT] = "<d:privilege><d:read/></d:privilege>",
	[K_HOME] = "<d:privilege><d:read/></d:privilege>",
	[K_BOOK] = "<d:privilege><d:read/></d:privilege><d:privilege><d:write/></d:privilege>"
		   "<d:privilege><d:write-content/></d:privilege><d:privilege><d:bind/></d:privilege>"
		   "<d:privilege><d:unbind/></d:privilege>"
		   "<d:privilege><d:read-current-user-privilege-set/></d:privilege>",
	[K_CARD] = "<d:privilege><d:read/></d:privilege><d:privilege><d:write/></d:privilege>"
		   "<d:privilege><d:write-content/></d:privilege>",
};

/* prop_value: write property w of a resource of kind k into b; 0 when the
 * resource has no such property (it goes into the 404 propstat). */
static enum err prop_value(struct dav *d, struct dav_buf *b, enum kind k, const struct want *w,
			   struct cardrow *c, struct arena *a, int *found)
{
	long long seq;
	const char *s;
	enum err e;

	*found = 0;
	switch (w->id) {
	case P_RESOURCETYPE:
		open_tag(b, w, 0);
		dav_buf_str(b, k == K_ROOT ? "<d:collection/>" : k == K_HOME ? "<d:collection/><d:principal/>" :
			       k == K_BOOK ? "<d:collection/><c:addressbook/>" : "");
		break;
	case P_DISPLAYNAME:
		if (k == K_BOOK && (e = book_name(d, &s)) != ERR_OK)
			return e;
		s = k == K_ROOT ? cfg.site_name : k == K_HOME ? d->full_name : k == K_BOOK ? s : NULL;
		if (s == NULL)
			return ERR_OK;
		open_tag(b, w, 0);
		dav_buf_text(b, s, strlen(s));
		break;
	case P_ADDRESSBOOK_DESCRIPTION:
		if (k != K_BOOK)
			return ERR_OK;
		s = tmpl_text(d->locale, "CardDAV.BookDescription");
		open_tag(b, w, 0);
		dav_buf_text(b, s, strlen(s));
		break;
	case P_GETETAG:
		if (k != K_CARD)
			return ERR_OK;
		open_tag(b, w, 0);
		dav_buf_printf(b, "\"%lld\"", c->seq);
		break;
	case P_GETCONTENTTYPE:
		if (k != K_CARD)
			return ERR_OK;
		open_tag(b, w, 0);
		dav_buf_str(b, CTYPE_VCARD);
		break;
	case P_GETCONTENTLENGTH:
		if (k != K_CARD || !c->full)
			return ERR_OK;
		if ((e = card_vcard(d, c, 0, a)) != ERR_OK)
			return e;
		open_tag(b, w, 0);
		dav_buf_printf(b, "%zu", c->vcard_len);
		break;
	case P_GETLASTMODIFIED:
		if (k != K_CARD || (s = dav_http_date(a, c->updated)) == NULL)
			return ERR_OK;
		open_tag(b, w, 0);
		dav_buf_str(b, s);
		break;
	case P_CURRENT_USER_PRINCIPAL:
		open_tag(b, w, 0);
		href(b, d->home);
		break;
	case P_PRINCIPAL_URL:
		if (k != K_HOME)
			return ERR_OK;
		open_tag(b, w, 0);
		href(b, d->home);
		break;
	case P_OWNER:
		if (k == K_ROOT)
			return ERR_OK;
		open_tag(b, w, 0);
		href(b, d->home);
		break;
	case P_PRINCIPAL_COLLECTION_SET:
		if (k != K_ROOT && k != K_HOME)
			return ERR_OK;
		open_tag(b, w, 0);
		href(b, "/dav/");
		break;
	case P_ADDRESSBOOK_HOME_SET:
		if (k != K_HOME && k != K_ROOT)
			return ERR_OK;
		open_tag(b, w, 0);
		href(b, d->home);
		break;
	case P_SUPPORTED_REPORT_SET:
		if (k != K_BOOK)
			return ERR_OK;
		open_tag(b, w, 0);
		dav_buf_str(b, "<d:supported-report><d:report><c:addressbook-multiget/></d:report></d:supported-report>"
			       "<d:supported-report><d:report><c:addressbook-query/></d:report></d:supported-report>"
			       "<d:supported-report><d:report><d:sync-collection/></d:report></d:supported-report>");
		break;
	case P_CURRENT_USER_PRIVILEGE_SET:
		open_tag(b, w, 0);
		dav_buf_str(b, privileges[k]);
		break;
	case P_SYNC_TOKEN:
	case P_GETCTAG:
		if (k != K_BOOK)
			return ERR_OK;
		if ((e = folder_seq(d, &seq)) != ERR_OK)
			return e;
		open_tag(b, w, 0);
		if (w->id == P_SYNC_TOKEN)
			dav_buf_str(b, dav_token_format(a, seq));
		else
			dav_buf_printf(b, "%lld", seq);
		break;
	case P_SUPPORTED_ADDRESS_DATA:
		if (k != K_BOOK)
			return ERR_OK;
		open_tag(b, w, 0);
		dav_buf_str(b, "<c:address-data-type content-type=\"text/vcard\" version=\"3.0\"/>"
			       "<c:address-data-type content-type=\"text/vcard\" version=\"4.0\"/>");
		break;
	case P_MAX_RESOURCE_SIZE:
		if (k != K_BOOK)
			return ERR_OK;
		open_tag(b, w, 0);
		dav_buf_printf(b, "%u", DAV_MAX_RESOURCE);
		break;
	case P_ADDRESS_DATA:
		if (k != K_CARD || !c->full)
			return ERR_OK;
		if ((e = card_vcard(d, c, w->version, a)) != ERR_OK)
			return e;
		open_tag(b, w, 0);
		dav_buf_text(b, c->vcard, c->vcard_len);
		break;
	case P__MAX:
		return ERR_OK;
	}
	close_tag(b, w);
	*found = 1;
	return ERR_OK;
}

/* write_response: one DAV:response with a 200 propstat for what exists
 * and a 404 propstat for the rest. */
static enum err write_response(struct dav *d, struct dav_buf *out, const char *h, enum kind k,
			       const struct wants *ws, struct cardrow *c, struct arena *a)
{
	struct want all[8];
	const struct want *list = ws->w;
	size_t n = ws->n;
	enum err e;

	d->ok.len = d->missing.len = 0;
	if (ws->mode != M_PROP) {
		size_t m = 0;
		for (; allprop[k][m] != P__MAX && m < 8; m++)
			all[m] = (struct want){.id = allprop[k][m]};
		list = all;
		n = m;
	}
	for (size_t i = 0; i < n; i++) {
		int found = 0;
		if (ws->mode == M_PROPNAME) {
			open_tag(&d->ok, &list[i], 1);
			continue;
		}
		if ((e = prop_value(d, &d->ok, k, &list[i], c, a, &found)) != ERR_OK)
			return e;
		if (!found)
			open_tag(&d->missing, &list[i], 1);
	}
	if (ws->mode == M_ALLPROP)
		for (size_t i = 0; i < ws->n; i++) {	/* DAV:include */
			int found = 0;
			if ((e = prop_value(d, &d->ok, k, &ws->w[i], c, a, &found)) != ERR_OK)
				return e;
		}
	dav_buf_str(out, "<d:response>");
	href(out, h);
	if (d->ok.len) {
		dav_buf_str(out, "<d:propstat><d:prop>");
		dav_buf_add(out, d->ok.data, d->ok.len);
		dav_buf_str(out, "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>");
	}
	if (d->missing.len) {
		dav_buf_str(out, "<d:propstat><d:prop>");
		dav_buf_add(out, d->missing.data, d->missing.len);
		dav_buf_str(out, "</d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>");
	}
	if (!d->ok.len && !d->missing.len)
		dav_buf_str(out, "<d:propstat><d:prop/><d:status>HTTP/1.1 200 OK</d:status></d:propstat>");
	dav_buf_str(out, "</d:response>");
	return ERR_OK;
}

static void write_status(struct dav_buf *out, const char *h, const char *status)
{
	dav_buf_str(out, "<d:response>");
	href(out, h);
	dav_buf_printf(out, "<d:status>HTTP/1.1 %s</d:status></d:response>", status);
}

/* write_card: the response of one entry, named after its UID or id. */
static enum err write_card(struct dav *d, struct dav_buf *out, const struct wants *ws,
			   struct cardrow *c, struct arena *a)
{
	const char *h = arena_printf(a, "%s%s", d->book, row_name(a, c));
	return write_response(d, out, h, K_CARD, ws, c, a);
}

/* --- reading requests -------------------------------------------------------------*/

static enum prop prop_lookup(const char *ns, const char *name)
{
	for (int i = 0; i < P__MAX; i++)
		if (strcmp(props[i].name, name) == 0 && ns && strcmp(props[i].ns, ns) == 0)
			return (enum prop)i;
	return P__MAX;
}

/* wants_add: the element children of a DAV:prop element. */
static enum err wants_add(struct req *r, struct wants *ws, const xmlNode *prop)
{
	for (const xmlNode *c = prop ? prop->children : NULL; c; c = c->next) {
		struct want *w;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (ws->n == DAV_MAX_WANTS)
			return bad_xml(r, "too many properties");
		w = &ws->w[ws->n++];
		w->ns = c->ns && c->ns->href ? arena_strdup(&r->arena, (const char *)c->ns->href) : NULL;
		w->name = arena_strdup(&r->arena, (const char *)c->name);
		w->id = prop_lookup(w->ns, w->name);
		w->version = 0;
		if (w->id == P_ADDRESS_DATA) {
			xmlChar *ct = xmlGetProp(c, (const xmlChar *)"content-type");
			xmlChar *ver = xmlGetProp(c, (const xmlChar *)"version");
			int ok = (ct == NULL || strcasecmp((const char *)ct, "text/vcard") == 0) &&
				 (ver == NULL || strcmp((const char *)ver, "3.0") == 0 ||
				  strcmp((const char *)ver, "4.0") == 0);
			if (ver)
				w->version = strcmp((const char *)ver, "4.0") == 0 ? VCARD_V4 : VCARD_V3;
			xmlFree(ct);
			xmlFree(ver);
			if (!ok)
				return precondition(r, "c:supported-address-data", "address-data type");
		}
		if (w->id == P_ADDRESS_DATA || w->id == P_GETCONTENTLENGTH)
			ws->full = 1;
	}
	return ERR_OK;
}


/* propfind_parse: the body of a PROPFIND (none: allprop). */
static enum err propfind_parse(struct req *r, struct wants *ws)
{
	xmlDocPtr doc;
	xmlNode *root, *c;
	enum err e = ERR_OK;

	memset(ws, 0, sizeof(*ws));
	ws->mode = M_ALLPROP;
	if (r->body_len == 0)
		return ERR_OK;
	if ((e = xml_body(r, &doc)) != ERR_OK)
		return e;
	root = xmlDocGetRootElement(doc);
	if (!dav_node_is(root, DAV_NS, "propfind")) {
		xmlFreeDoc(doc);
		return bad_xml(r, "expected DAV:propfind");
	}
	if ((c = dav_child(root, DAV_NS, "prop")) != NULL) {
		ws->mode = M_PROP;
		e = wants_add(r, ws, c);
	} else if (dav_child(root, DAV_NS, "propname")) {
		ws->mode = M_PROPNAME;
	} else if (dav_child(root, DAV_NS, "allprop")) {
		ws->mode = M_ALLPROP;
		if ((c = dav_child(root, DAV_NS, "include")) != NULL)
			e = wants_add(r, ws, c);
	} else {
		e = bad_xml(r, "DAV:propfind needs prop, allprop or propname");
	}
	if (ws->mode == M_ALLPROP && ws->n == 0)
		ws->full = 1;	/* getcontentlength */
	xmlFreeDoc(doc);
	return e;
}

static int depth_of(struct req *r, int *depth)
{
	*depth = dav_depth(req_env(r, "HTTP_DEPTH"), 1);
	return *depth >= 0;
}

/* --- finding entries --------------------------------------------------------------*/

/* card_find: the entry named name in the member's folder (lock: FOR
 * UPDATE, inside a transaction): the one whose client chose that name,
 * else the one it is derived from (its UID or id) unless that entry has a
 * chosen name. ERR_NOT_FOUND when there is none. */
static enum err card_find(struct dav *d, const char *name, int full, int lock, struct arena *a,
			  struct cardrow *out)
{
	struct db_result res;
	const char *uid;
	long long id;
	enum err e;

	if (!dav_name_ok(name))
		return ERR_NOT_FOUND;
	e = folder_dav_by_name(d->r->db, a, &res, d->uid, name, full);
	if (e != ERR_OK)
		return e;
	if (res.nrows == 1) {
		row_read(&res, 0, full, out);
		goto found;
	}
	if (!dav_name_parse(a, name, &uid, &id))
		return ERR_NOT_FOUND;
	if (uid)
		e = folder_dav_by_uid(d->r->db, a, &res, d->uid, uid, full);
	else
		e = folder_dav_by_id(d->r->db, a, &res, d->uid, id, full);
	if (e != ERR_OK)
		return e;
	if (res.nrows == 0)
		return ERR_NOT_FOUND;
	row_read(&res, 0, full, out);
	/* an entry found by id whose UID names it, or one with a name of
	 * its client's choosing: not under this name */
	if ((!uid && dav_uid_direct(out->uid)) || out->name)
		return ERR_NOT_FOUND;
found:
	return lock ? folder_entry_lock(d->r->db, a, out->id) : ERR_OK;
}

/* --- PROPFIND -------------------------------------------------------------------*/

/* root_href: "/" when nginx handed us a PROPFIND of the site's root. */
static const char *root_href(struct req *r)
{
	const char *ru = req_env(r, "REQUEST_URI");
	return (ru && ru[0] == '/' && (ru[1] == '\0' || ru[1] == '?')) ? "/" : "/dav/";
}

/* --- reading the whole folder -----------------------------------------------------*/

/* The tags of every tagged entry of a folder, by entry id: read once for a
 * scan instead of a subquery per row. */
struct tagmap {
	long long *ids;
	const char **tags;
	size_t cap;
};

static enum err tagmap_load(struct dav *d, struct tagmap *m)
{
	struct req *r = d->r;
	struct db_result res;
	enum err e = davstore_tags(r->db, &r->arena, &res, d->uid);

	if (e != ERR_OK)
		return e;
	m->cap = 16;
	while (m->cap < res.nrows * 2)
		m->cap *= 2;
	m->ids = arena_alloc(&r->arena, m->cap * sizeof(*m->ids));
	m->tags = arena_alloc(&r->arena, m->cap * sizeof(*m->tags));
	for (size_t i = 0; i < res.nrows; i++) {
		long long id = db_cell_int(&res, i, 0, 0);
		size_t k = (size_t)id & (m->cap - 1);
		while (m->ids[k])
			k = (k + 1) & (m->cap - 1);
		m->ids[k] = id;
		m->tags[k] = db_cell(&res, i, 1);
	}
	return ERR_OK;
}

static const char *tagmap_get(const struct tagmap *m, long long id)
{
	for (size_t k = (size_t)id & (m->cap - 1); m->ids[k]; k = (k + 1) & (m->cap - 1))
		if (m->ids[k] == id)
			return m->tags[k];
	return NULL;
}

/* What a scan does with each entry; *stop ends the scan early. */
typedef enum err (*scan_fn)(struct dav *d, struct cardrow *c, struct arena *a, void *ctx, int *stop);

/* scan_folder: every entry with its stored card, in batches of DAV_BATCH
 * in UID order (a range of the (holder_id, uid) index), each batch in an
 * arena of its own, so a folder of any size is read in bounded memory. */
static enum err scan_folder(struct dav *d, scan_fn fn, void *ctx)
{
	struct req *r = d->r;
	struct db_result res;
	struct tagmap tm;
	struct arena a;
	const char *after = "";
	int stop = 0;
	enum err e = tagmap_load(d, &tm);

	if (e != ERR_OK)
		return e;
	arena_init(&a);
	do {
		e = folder_dav_scan(r->db, &a, &res, d->uid, after, DAV_BATCH);
		for (size_t i = 0; e == ERR_OK && !stop && i < res.nrows; i++) {
			struct cardrow c;
			row_read(&res, i, 1, &c);
			c.tags = tagmap_get(&tm, c.id);
			e = fn(d, &c, &a, ctx, &stop);
		}
		if (e != ERR_OK || stop || res.nrows < DAV_BATCH)
			break;
		after = arena_strdup(&r->arena, db_cell(&res, res.nrows - 1, 1));
		arena_reset(&a);
	} while (1);
	arena_reset(&a);
	return e;
}

struct write_ctx {
	struct dav_buf *out;
	const struct wants *ws;
};

static enum err scan_write(struct dav *d, struct cardrow *c, struct arena *a, void *ctx, int *stop)
{
	struct write_ctx *w = ctx;
	return write_card(d, w->out, w->ws, c, a);
}

/* list_cards: a response for every entry of the folder (Depth 1). */
static enum err list_cards(struct dav *d, struct dav_buf *out, const struct wants *ws)
{
	struct req *r = d->r;
	struct db_result res;
	struct write_ctx w = {out, ws};
	enum err e;

	if (ws->full)
		return scan_folder(d, scan_write, &w);
	/* the listing every client makes on every sync: one indexed query,
	 * no card is read */
	e = folder_dav_list(r->db, &r->arena, &res, d->uid);
	for (size_t i = 0; e == ERR_OK && i < res.nrows; i++) {
		struct cardrow c;
		row_read(&res, i, 0, &c);
		e = write_card(d, out, ws, &c, &r->arena);
	}
	return e;
}

static enum err propfind(struct req *r, enum kind k)
{
	struct dav d;
	struct wants ws;
	struct dav_buf out;
	int depth;
	enum err e = dav_open(r, &d, k != K_ROOT);

	if (e != ERR_OK)
		return e;
	if (!depth_of(r, &depth))
		return req_fail(r, ERR_BAD_REQUEST, "bad_depth", NULL, "Depth is 0, 1 or infinity");
	if ((e = propfind_parse(r, &ws)) != ERR_OK)
		return e;
	multistatus_open(r, &out);
	switch (k) {
	case K_ROOT:
		e = write_response(&d, &out, root_href(r), K_ROOT, &ws, NULL, &r->arena);
		if (e == ERR_OK && depth > 0)
			e = write_response(&d, &out, d.home, K_HOME, &ws, NULL, &r->arena);
		break;
	case K_HOME:
		e = write_response(&d, &out, d.home, K_HOME, &ws, NULL, &r->arena);
		if (e == ERR_OK && depth > 0)
			e = write_response(&d, &out, d.book, K_BOOK, &ws, NULL, &r->arena);
		break;
	case K_BOOK:
		/* one snapshot for the ctag, the sync-token and the listing */
		if ((e = db_begin(r->db)) != ERR_OK)
			break;
		e = write_response(&d, &out, d.book, K_BOOK, &ws, NULL, &r->arena);
		if (e == ERR_OK && depth > 0)
			e = list_cards(&d, &out, &ws);
		db_rollback(r->db);
		break;
	case K_CARD: {
		struct cardrow c;
		e = card_find(&d, r->params[1], ws.full, 0, &r->arena, &c);
		if (e == ERR_NOT_FOUND)
			e = req_fail(r, ERR_NOT_FOUND, NULL, NULL, "no such card");
		if (e == ERR_OK)
			e = write_card(&d, &out, &ws, &c, &r->arena);
		break;
	}
	case K__MAX:
		break;
	}
	dav_close(&d);
	return multistatus_end(r, &out, e);
}

static enum err h_propfind_root(struct req *r) { return propfind(r, K_ROOT); }
static enum err h_propfind_home(struct req *r) { return propfind(r, K_HOME); }
static enum err h_propfind_book(struct req *r) { return propfind(r, K_BOOK); }
static enum err h_propfind_card(struct req *r) { return propfind(r, K_CARD); }

/* --- PROPPATCH: the book's display name ----------------------------------------------*/

#define DAV_MAX_BOOK_NAME 200	/* characters of a book's display name */

/* One property of a PROPPATCH and what becomes of it. */
struct patch {
	struct want w;
	int set;		/* DAV:set (else DAV:remove) */
	const char *value;	/* the text of a set */
	int keep;		/* livecard can keep it */
};

/* patch_keepable: whether livecard keeps this property of a resource of
 * kind k: only the address book's DAV:displayname, as text of at most
 * DAV_MAX_BOOK_NAME characters without control characters. */
static int patch_keepable(enum kind k, const struct patch *p)
{
	size_t chars = 0;

	if (k != K_BOOK || p->w.id != P_DISPLAYNAME)
		return 0;
	if (!p->set)
		return 1;
	for (const unsigned char *s = (const unsigned char *)p->value; *s; s++) {
		if (*s < 0x20 || *s == 0x7f)
			return 0;
		chars += (*s & 0xc0) != 0x80;
	}
	return chars <= DAV_MAX_BOOK_NAME;
}

/* proppatch: RFC 4918 9.2, all or nothing: when every property named can
 * be kept they are (200 each); otherwise those that cannot are 403
 * (cannot-modify-protected-property) and the others 424, nothing kept. */
static enum err proppatch(struct req *r, enum kind k)
{
	struct dav d;
	struct dav_buf out;
	struct patch *pp;
	xmlDocPtr doc;
	xmlNode *root;
	size_t n = 0;
	int all = 1;
	enum err e = dav_open(r, &d, k != K_ROOT);

	if (e != ERR_OK)
		return e;
	if (k == K_CARD) {
		struct cardrow c;
		if ((e = card_find(&d, r->params[1], 0, 0, &r->arena, &c)) != ERR_OK)
			return e == ERR_NOT_FOUND ? req_fail(r, ERR_NOT_FOUND, NULL, NULL, "no such card") : e;
	}
	if ((e = xml_body(r, &doc)) != ERR_OK)
		return e;
	root = xmlDocGetRootElement(doc);
	if (!dav_node_is(root, DAV_NS, "propertyupdate")) {
		xmlFreeDoc(doc);
		return bad_xml(r, "expected DAV:propertyupdate");
	}
	pp = arena_alloc(&r->arena, DAV_MAX_WANTS * sizeof(*pp));
	for (xmlNode *op = root->children; op; op = op->next) {
		int set = dav_node_is(op, DAV_NS, "set");
		if (!set && !dav_node_is(op, DAV_NS, "remove"))
			continue;
		for (xmlNode *p = op->children; p; p = p->next) {
			if (!dav_node_is(p, DAV_NS, "prop"))
				continue;
			for (xmlNode *c = p->children; c; c = c->next) {
				struct patch *q;
				if (c->type != XML_ELEMENT_NODE)
					continue;
				if (n == DAV_MAX_WANTS) {
					xmlFreeDoc(doc);
					return bad_xml(r, "too many properties");
				}
				q = &pp[n++];
				q->w.ns = c->ns && c->ns->href ? arena_strdup(&r->arena, (const char *)c->ns->href) : NULL;
				q->w.name = arena_strdup(&r->arena, (const char *)c->name);
				q->w.id = prop_lookup(q->w.ns, q->w.name);
				q->set = set;
				q->value = set ? dav_node_text(c, &r->arena) : NULL;
				q->keep = patch_keepable(k, q);
				all &= q->keep;
			}
		}
	}
	xmlFreeDoc(doc);
	if (all && n) {
		/* the last instruction for the name wins (RFC 4918 9.2) */
		const struct patch *q = &pp[n - 1];
		const char *v = q->set ? arena_strdup_trim(&r->arena, q->value) : "";
		e = davstore_book_name_set(r->db, d.uid, v);
		if (e != ERR_OK) {
			dav_close(&d);
			return e;
		}
	}
	dav_buf_init(&out);
	dav_buf_str(&out, MS_OPEN "<d:response>");
	href(&out, r->path);
	for (size_t i = 0; i < n; i++) {
		dav_buf_str(&out, "<d:propstat><d:prop>");
		open_tag(&out, &pp[i].w, 1);
		dav_buf_str(&out, "</d:prop>");
		if (all)
			dav_buf_str(&out, "<d:status>HTTP/1.1 200 OK</d:status>");
		else if (pp[i].keep)
			dav_buf_str(&out, "<d:status>HTTP/1.1 424 Failed Dependency</d:status>");
		else
			dav_buf_str(&out, "<d:status>HTTP/1.1 403 Forbidden</d:status>"
				    "<d:error><d:cannot-modify-protected-property/></d:error>");
		dav_buf_str(&out, "</d:propstat>");
	}
	dav_buf_str(&out, "</d:response>" MS_CLOSE);
	dav_close(&d);
	return send_multistatus(r, &out);
}

static enum err h_proppatch_root(struct req *r) { return proppatch(r, K_ROOT); }
static enum err h_proppatch_home(struct req *r) { return proppatch(r, K_HOME); }
static enum err h_proppatch_book(struct req *r) { return proppatch(r, K_BOOK); }
static enum err h_proppatch_card(struct req *r) { return proppatch(r, K_CARD); }

/* --- GET, PUT, DELETE of one card --------------------------------------------------*/

/* etag_listed: whether an If-Match / If-None-Match value names the etag
 * of change_seq (strong comparison: weak tags never match) or is "*". */
static int etag_listed(const char *h, long long seq, int *star)
{
	char want[32];
	size_t wl;

	*star = 0;
	snprintf(want, sizeof(want), "\"%lld\"", seq);
	wl = strlen(want);
	while (h && *h) {
		while (*h == ' ' || *h == ',' || *h == '\t')
			h++;
		size_t n = strcspn(h, ",");
		while (n && (h[n - 1] == ' ' || h[n - 1] == '\t'))
			n--;
		if (n == 1 && *h == '*')
			*star = 1;
		else if (seq >= 0 && n == wl && memcmp(h, want, wl) == 0)
			return 1;
		h += strcspn(h, ",");
	}
	return *star;
}

static enum err h_get(struct req *r)
{
	struct dav d;
	struct cardrow c;
	const char *accept = req_env(r, "HTTP_ACCEPT");
	const char *inm = req_env(r, "HTTP_IF_NONE_MATCH");
	/* the version asked for, else the card as stored (the client's own
	 * vCard, else 3.0) */
	enum vcard_version v = accept && strstr(accept, "version=4.0") ? VCARD_V4 :
			       accept && strstr(accept, "version=3.0") ? VCARD_V3 : 0;
	int star;
	enum err e = dav_open(r, &d, 1);

	if (e != ERR_OK)
		return e;
	e = card_find(&d, r->params[1], 1, 0, &r->arena, &c);
	if (e == ERR_NOT_FOUND)
		return req_fail(r, ERR_NOT_FOUND, NULL, NULL, "no such card");
	if (e != ERR_OK || (e = card_vcard(&d, &c, v, &r->arena)) != ERR_OK)
		return e;
	req_add_header(r, "ETag: \"%lld\"", c.seq);
	req_add_header(r, "Cache-Control: private, no-cache");
	if (inm && etag_listed(inm, c.seq, &star))
		return req_raw(r, 304, NULL, "", 0);
	if (dav_http_date(&r->arena, c.updated))
		req_add_header(r, "Last-Modified: %s", dav_http_date(&r->arena, c.updated));
	return req_raw(r, 200, CTYPE_VCARD, c.vcard, c.vcard_len);
}

/* What a PUT body said beside the card. */
struct put_info {
	const char *uid;	/* the vCard's UID as sent ("" when none) */
	enum vcard_version version;	/* 0 for 2.1 or none */
	int verbatim;		/* the bytes can be served as they are */
};

/* content_charset: the charset parameter of a Content-Type (in a), NULL
 * without one or for UTF-8 and US-ASCII (the body is then what it says). */
static const char *content_charset(struct arena *a, const char *ct)
{
	const char *p = ct ? strcasestr(ct, "charset=") : NULL;
	const char *v;
	size_t n;

	if (p == NULL)
		return NULL;
	p += 8;
	if (*p == '"')
		p++;
	n = strcspn(p, "\"; \t");
	v = arena_strndup(a, p, n);
	if (n == 0 || strcasecmp(v, "utf-8") == 0 || strcasecmp(v, "utf8") == 0 || strcasecmp(v, "us-ascii") == 0)
		return NULL;
	return v;
}

/* card_from_put: the card of a PUT body: one vCard, normalised like an
 * import (a phone's card is accepted as it is, odd values kept), its
 * CATEGORIES as tags. ERR_FORBIDDEN when the request was answered (403). */
static enum err card_from_put(struct req *r, struct card *out, const char ***tags, size_t *n_tags,
			      struct put_info *pi)
{
	struct vcard_parse_opts opts = {.max_cards = 1};
	struct vcard_result vr;
	struct errinfo ei = {0};
	const char *body = r->body ? r->body : "";
	enum err e;

	if (r->body_len > DAV_MAX_RESOURCE)
		return req_fail(r, ERR_TOO_LARGE, "too_large", NULL, "a card is at most 6 MiB");
	/* a charset named by the Content-Type is the body's (else decided) */
	opts.charset = content_charset(&r->arena, r->content_type);
	if (opts.charset && !vcard_charset_known(opts.charset))
		return req_fail(r, ERR_MEDIA_TYPE, "unknown_charset", NULL, "this charset is not known");
	e = vcard_parse_boxed(body, r->body_len, &opts, &r->arena, &vr);
	if (e == ERR_UNAVAILABLE)
		return req_fail(r, e, "busy", NULL, "cannot read the body now");
	if (e != ERR_OK || vr.n_cards != 1 || vr.cards[0].error)
		return precondition(r, "c:valid-address-data", "not one vCard");
	*out = vr.cards[0].card;
	pi->uid = vr.cards[0].uid;
	pi->version = strcmp(vr.cards[0].version, "4.0") == 0 ? VCARD_V4 :
		      strcmp(vr.cards[0].version, "3.0") == 0 ? VCARD_V3 : 0;
	/* the client's bytes are kept when they are what a reader gets from
	 * them anyway: UTF-8 text (no charset decided or converted), 3.0 or
	 * 4.0, with the UID the entry keeps (checked by the caller) */
	pi->verbatim = pi->version && opts.charset == NULL && strlen(body) == r->body_len &&
		       utf8_valid(body, r->body_len) &&
		       strncmp(body, "\xEF\xBB\xBF", 3) != 0 && strcasestr(body, "CHARSET=") == NULL;
	if (card_normalize(out, cfg.default_country, 0, &r->arena, &ei) != ERR_OK)
		return precondition(r, "c:valid-address-data", "card rejected");
	vcardmap_take_tags(out, &r->arena, tags, n_tags);
	return ERR_OK;
}

/* card_write: the write path of a PUT, kept apart so that it is the
 * folder module's own functions that change the folder: an update of the
 * holder's copy (keys, tags, change log, member flags matched again) or a
 * new entry with this UID (*id gets its id). */
static enum err card_write(struct dav *d, const struct cardrow *cur, const char *uid,
			   const struct card *c, const char **tags, size_t n_tags, long long *id)
{
	struct req *r = d->r;

	if (cur) {
		struct folder_change ch = {.card = c, .set_tags = 1, .tags = tags, .n_tags = n_tags};
		*id = cur->id;
		return folder_entry_update(r->db, &r->arena, d->uid, cur->id, &ch);
	}
	struct folder_new nw = {.card = c, .uid = uid, .tags = tags, .n_tags = n_tags};
	return folder_entry_insert(r->db, &r->arena, d->uid, &nw, id);
}

/* name_keep: entry id is found under name: when that is not the name its
 * UID gives it, keep the name beside it (a row left by a deleted entry
 * that had the name gives way). */
static enum err name_keep(struct dav *d, long long id, const char *uid, const char *name)
{
	struct req *r = d->r;

	return davstore_name_keep(r->db, d->uid, id, name, strcmp(dav_name_of(&r->arena, uid, id), name) == 0);
}

/* uid_conflict: 0 when no entry of the book but self has this UID; else
 * answers 409 CARDDAV:no-uid-conflict naming the entry that has it
 * (RFC 6352 6.3.2.1) and returns 1 (*e gets the answer's result). */
static int uid_conflict(struct dav *d, const char *uid, long long self, enum err *e)
{
	struct req *r = d->r;
	struct db_result res;
	struct cardrow c;
	const char *body, *h;
	struct dav_buf b;

	*e = folder_dav_uid_taken(r->db, &r->arena, &res, d->uid, uid, self);
	if (*e != ERR_OK)
		return 1;
	if (res.nrows == 0)
		return 0;
	row_read(&res, 0, 0, &c);
	h = arena_printf(&r->arena, "%s%s", d->book, row_name(&r->arena, &c));
	dav_buf_init(&b);
	dav_buf_str(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:error xmlns:d=\"DAV:\" "
		    "xmlns:c=\"urn:ietf:params:xml:ns:carddav\"><c:no-uid-conflict>");
	href(&b, h);
	dav_buf_str(&b, "</c:no-uid-conflict></d:error>\n");
	body = b.failed ? NULL : arena_strdup(&r->arena, b.data);
	dav_buf_free(&b);
	db_rollback(r->db);
	log_info("carddav: PUT %s -> 409 no-uid-conflict with %s", r->path, h);
	*e = body ? req_raw(r, 409, CTYPE_XML, body, strlen(body)) : ERR_UNAVAILABLE;
	return 1;
}

static enum err h_put(struct req *r)
{
	struct dav d;
	struct cardrow cur;
	struct card c;
	struct put_info pi = {0};
	const char **tags = NULL;
	size_t n_tags = 0;
	const char *name = r->params[1], *uid, *base_uid;
	const char *im = req_env(r, "HTTP_IF_MATCH"), *inm = req_env(r, "HTTP_IF_NONE_MATCH");
	long long id, seq, written;
	int exists, star, kept;
	enum err e = dav_open(r, &d, 1);

	if (e != ERR_OK)
		return e;
	if (!dav_name_ok(name))
		return req_fail(r, ERR_FORBIDDEN, "bad_name", NULL,
				"a card's name is 1-255 characters of A-Z a-z 0-9 - . _ ~ ! $ & ' ( ) * + , ; = @");
	if ((e = card_from_put(r, &c, &tags, &n_tags, &pi)) != ERR_OK)
		return e;
	if ((e = db_begin(r->db)) != ERR_OK)
		return e;
	e = card_find(&d, name, 0, 1, &r->arena, &cur);
	if (e != ERR_OK && e != ERR_NOT_FOUND)
		return e;
	exists = e == ERR_OK;
	if ((inm && (exists ? etag_listed(inm, cur.seq, &star) : 0)) ||
	    (im && !(exists && etag_listed(im, cur.seq, &star))))
		return req_fail(r, ERR_PRECONDITION, "precondition_failed", NULL,
				"the card is not in the state If-Match / If-None-Match expects");
	/* "_<id>.vcf" names only what the site made */
	if (!exists && dav_name_parse(&r->arena, name, &base_uid, &id) && base_uid == NULL)
		return req_fail(r, ERR_FORBIDDEN, "bad_name", NULL, "this name is reserved");
	/* the client's UID as sent; without one (or one the folder cannot
	 * keep) the entry keeps its own, a new one takes the name's */
	kept = folder_uid_ok(pi.uid);
	uid = kept ? pi.uid : exists ? cur.uid : NULL;
	if (uid == NULL) {
		size_t n = strlen(name);
		base_uid = n > 4 && strcmp(name + n - 4, ".vcf") == 0 ? arena_strndup(&r->arena, name, n - 4) : name;
		uid = folder_uid_ok(base_uid) ? base_uid : folder_uid_new(&r->arena);
	}
	if ((!exists || strcmp(uid, cur.uid) != 0) && uid_conflict(&d, uid, exists ? cur.id : 0, &e))
		return e;
	e = card_write(&d, exists ? &cur : NULL, uid, &c, tags, n_tags, &id);
	/* an entry made before the client's UID was kept (it held the name
	 * as UID) takes the client's now, under the name it has */
	if (e == ERR_OK && exists && strcmp(uid, cur.uid) != 0)
		e = folder_entry_set_uid(r->db, d.uid, id, uid);
	if (e == ERR_CONFLICT)	/* the same name or UID was taken meanwhile */
		return req_fail(r, ERR_CONFLICT, "conflict", NULL, "the card or its UID exists");
	if (e == ERR_OK)
		e = name_keep(&d, id, uid, name);
	if (e == ERR_OK)
		e = folder_entry_change_seq(r->db, &r->arena, id, &written);
	if (e != ERR_OK)
		return e;
	/* a member's card is linked at once when the holder chose so (a
	 * change of its own: the card is then no longer the client's bytes) */
	if ((e = autolink_entries(r->db, &r->arena, d.uid, &id, 1, 1, NULL, NULL)) != ERR_OK ||
	    (e = folder_entry_change_seq(r->db, &r->arena, id, &seq)) != ERR_OK)
		return e;
	kept = kept && seq == written;
	/* the stored bytes are the client's bytes: the ETag says so (RFC 7231
	 * 4.3.4); otherwise no ETag, and the client reads the card back */
	e = davstore_raw_keep(r->db, id, seq, (long long)pi.version, pi.verbatim && kept ? r->body : NULL);
	if (e != ERR_OK || (e = db_commit(r->db)) != ERR_OK)
		return e;
	if (pi.verbatim && kept)
		req_add_header(r, "ETag: \"%lld\"", seq);
	if (!exists) {
		req_add_header(r, "Location: %s%s", d.book, name);
		return req_raw(r, 201, "text/plain; charset=utf-8", "", 0);
	}
	return req_no_content(r);
}

static enum err h_delete(struct req *r)
{
	struct dav d;
	struct cardrow cur;
	const char *im = req_env(r, "HTTP_IF_MATCH");
	int star;
	enum err e = dav_open(r, &d, 1);

	if (e != ERR_OK || (e = db_begin(r->db)) != ERR_OK)
		return e;
	e = card_find(&d, r->params[1], 0, 1, &r->arena, &cur);
	if (e == ERR_NOT_FOUND)
		return req_fail(r, ERR_NOT_FOUND, NULL, NULL, "no such card");
	if (e != ERR_OK)
		return e;
	if (im && !etag_listed(im, cur.seq, &star))
		return req_fail(r, ERR_PRECONDITION, "precondition_failed", NULL,
				"the card changed since you read it");
	if ((e = folder_entry_delete(r->db, &r->arena, d.uid, cur.id)) != ERR_OK ||
	    (e = db_commit(r->db)) != ERR_OK)
		return e;
	return req_no_content(r);
}

/* --- REPORT addressbook-multiget ----------------------------------------------------*/

/* multiget_batch: answer the names of one batch: the names clients chose,
 * then the names derived from UIDs and ids (of entries without a chosen
 * name); each list is read first and each name looked up by its index
 * (STRAIGHT_JOIN: left alone the optimizer scans the whole folder for a
 * small list). */
static enum err multiget_batch(struct dav *d, struct dav_buf *out, const struct wants *ws,
			       json_t *names, json_t *uids, json_t *ids, struct strmap *found, struct arena *a)
{
	struct db_result res;
	enum err e = ERR_OK;

	for (int pass = 0; pass < 3 && e == ERR_OK; pass++) {
		json_t *list = pass == 0 ? names : pass == 1 ? uids : ids;
		char *text;
		if (json_array_size(list) == 0)
			continue;
		text = json_dumps(list, JSON_COMPACT);
		if (text == NULL)
			return ERR_UNAVAILABLE;
		e = folder_dav_by_list(d->r->db, a, &res, d->uid, pass == 0 ? FOLDER_DAV_NAMES :
				     pass == 1 ? FOLDER_DAV_UIDS : FOLDER_DAV_IDS, text, 1);
		free(text);
		for (size_t i = 0; e == ERR_OK && i < res.nrows; i++) {
			struct cardrow c;
			row_read(&res, i, 1, &c);
			if ((pass && c.name) || (pass == 2 && dav_uid_direct(c.uid)))
				continue;
			if (!strmap_add(found, row_name(&d->r->arena, &c), 0))
				continue;
			e = write_card(d, out, ws, &c, a);
		}
	}
	json_array_clear(names);
	json_array_clear(uids);
	json_array_clear(ids);
	return e;
}

struct mg_ctx {
	struct dav_buf *out;
	const struct wants *ws;
	struct strmap *asked, *found;
};

static enum err scan_multiget(struct dav *d, struct cardrow *c, struct arena *a, void *ctx, int *stop)
{
	struct mg_ctx *m = ctx;
	const char *name = row_name(a, c);

	if (!(strmap_get(m->asked, name) >= 0))
		return ERR_OK;
	strmap_add(m->found, arena_strdup(&d->r->arena, name), 0);
	return write_card(d, m->out, m->ws, c, a);
}

static enum err report_multiget(struct dav *d, xmlNode *root, struct dav_buf *out, struct wants *ws)
{
	struct req *r = d->r;
	struct strmap asked, found;
	json_t *chosen = json_array(), *uids = json_array(), *ids = json_array();
	const char **names;
	size_t n = 0, cap = 0, blen = strlen(d->book);
	struct arena a;
	int bulk = 0;
	enum err e = ERR_OK;

	for (xmlNode *c = root->children; c; c = c->next)
		cap += dav_node_is(c, DAV_NS, "href");
	if (cap > cfg.dav_report_hrefs)
		return req_fail(r, ERR_TOO_LARGE, "too_many_hrefs", NULL,
				arena_printf(&r->arena, "a multiget names at most %zu cards: ask in parts",
					     cfg.dav_report_hrefs));
	/* a first sync asks for (nearly) every card: then one scan of the
	 * folder beats looking each name up */
	if (cap > DAV_BATCH) {
		long long n_entries;
		if ((e = folder_saved_count(r->db, &r->arena, d->uid, &n_entries)) != ERR_OK)
			return e;
		bulk = (long long)cap * 2 >= n_entries;
	}
	names = arena_alloc(&r->arena, (cap + 1) * sizeof(*names));
	strmap_init(&asked, &r->arena, cap);
	strmap_init(&found, &r->arena, cap);
	arena_init(&a);
	for (xmlNode *c = root->children; c && e == ERR_OK; c = c->next) {
		const char *h, *path, *uid;
		long long id;
		if (!dav_node_is(c, DAV_NS, "href"))
			continue;
		h = dav_node_text(c, &r->arena);
		path = dav_href_path(&r->arena, h);
		/* anything not in this book, or unparsable, is simply not found */
		if (path == NULL || strncmp(path, d->book, blen) != 0 || !dav_name_ok(path + blen)) {
			write_status(out, h, "404 Not Found");
			continue;
		}
		if (!strmap_add(&asked, path + blen, 0))
			continue;
		names[n++] = path + blen;
		json_array_append_new(chosen, json_string(path + blen));
		if (dav_name_parse(&r->arena, path + blen, &uid, &id)) {
			if (uid)
				json_array_append_new(uids, json_string(uid));
			else
				json_array_append_new(ids, json_integer(id));
		}
		if (!bulk && json_array_size(chosen) >= DAV_BATCH) {
			e = multiget_batch(d, out, ws, chosen, uids, ids, &found, &a);
			arena_reset(&a);
		}
	}
	if (e == ERR_OK && bulk) {
		struct mg_ctx m = {out, ws, &asked, &found};
		e = scan_folder(d, scan_multiget, &m);
	} else if (e == ERR_OK) {
		e = multiget_batch(d, out, ws, chosen, uids, ids, &found, &a);
	}
	arena_reset(&a);
	json_decref(chosen);
	json_decref(uids);
	json_decref(ids);
	for (size_t i = 0; e == ERR_OK && i < n; i++)
		if (!(strmap_get(&found, names[i]) >= 0))
			write_status(out, arena_printf(&r->arena, "%s%s", d->book, names[i]), "404 Not Found");
	return e;
}

/* --- REPORT sync-collection (RFC 6578) -----------------------------------------------*/

static long long limit_of(struct req *r, xmlNode *root, const char *ns, int *bad)
{
	xmlNode *lim = dav_child(root, ns, "limit");
	xmlNode *nr = lim ? dav_child(lim, ns, "nresults") : NULL;
	const char *s;
	char *end;
	long long n;

	*bad = 0;
	if (lim == NULL)
		return 0;
	s = dav_node_text(nr, &r->arena);
	n = strtoll(s, &end, 10);
	if (nr == NULL || *s == '\0' || *end || n < 1 || n > 1000000000) {
		*bad = 1;
		return 0;
	}
	return n;
}

/* truncated: the 507 response a limited answer ends with (RFC 6578 3.6). */
static void truncated(struct dav_buf *out, const char *h)
{
	dav_buf_str(out, "<d:response>");
	href(out, h);
	dav_buf_str(out, "<d:status>HTTP/1.1 507 Insufficient Storage</d:status>"
		    "<d:error><d:number-of-matches-within-limits/></d:error></d:response>");
}

/* sync_initial: every entry, with a token for now (or, with a limit, the
 * first entries in change order and the token of the last one given). */
static enum err sync_initial(struct dav *d, struct dav_buf *out, const struct wants *ws, long long limit,
			     long long *token)
{
	struct req *r = d->r;
	struct db_result res;
	struct arena a;
	long long after_seq = -1, given = 0;
	enum err e;

	if ((e = folder_seq(d, token)) != ERR_OK)
		return e;
	if (limit == 0)		/* everything, in the listing's order */
		return list_cards(d, out, ws);
	/* in change order, so that a limited answer's token is exact */
	arena_init(&a);
	for (;;) {
		long long want = limit ? limit - given + 1 : DAV_BATCH;
		if (want > DAV_BATCH)
			want = DAV_BATCH;
		e = folder_dav_since(r->db, &a, &res, d->uid, after_seq, want, ws->full);
		for (size_t i = 0; e == ERR_OK && i < res.nrows; i++) {
			struct cardrow c;
			row_read(&res, i, ws->full, &c);
			if (limit && given == limit) {
				*token = after_seq;
				truncated(out, d->book);
				arena_reset(&a);
				return ERR_OK;
			}
			e = write_card(d, out, ws, &c, &a);
			after_seq = c.seq;
			given++;
		}
		if (e != ERR_OK || (long long)res.nrows < want)
			break;
		arena_reset(&a);
	}
	arena_reset(&a);
	return e;
}

/* One name changed since a token: its last change, and the entry that
 * change was about (which may since be gone). */
struct change {
	long long entry_id, seq;
	const char *uid, *name;
	int skip;
};

/* sync_changes: what changed after token from: the change log rows past
 * it, one per entry (an index range on (holder_id, seq)); a name changed
 * by several entries in turn counts once, with its last change. The cost
 * is that of the changes, whatever the size of the folder. */
static enum err sync_changes(struct dav *d, struct dav_buf *out, const struct wants *ws, long long from,
			     long long limit, long long *token)
{
	struct req *r = d->r;
	struct db_result res, ent;
	struct strmap seen;
	struct change *ch;
	json_t *ids;
	long long given = 0, last = from;
	int more = 0;
	enum err e;

	if ((e = folder_seq(d, token)) != ERR_OK)
		return e;
	e = davstore_changes(r->db, &r->arena, &res, d->uid, from);
	if (e != ERR_OK)
		return e;
	ch = arena_alloc(&r->arena, (res.nrows + 1) * sizeof(*ch));
	strmap_init(&seen, &r->arena, res.nrows);
	/* newest first, so the last change of a name wins */
	for (size_t i = res.nrows; i-- > 0;) {
		ch[i].entry_id = db_cell_int(&res, i, 0, 0);
		ch[i].uid = db_cell(&res, i, 1);
		ch[i].seq = db_cell_int(&res, i, 2, 0);
		ch[i].name = db_cell(&res, i, 3);
		if (ch[i].name == NULL)
			ch[i].name = dav_name_of(&r->arena, ch[i].uid, ch[i].entry_id);
		ch[i].skip = !strmap_add(&seen, ch[i].name, 0);
	}
	ids = json_array();
	for (size_t i = 0; i < res.nrows; i++) {
		if (ch[i].skip)
			continue;
		if (limit && given == limit) {
			/* the rest comes with the next request, from the token
			 * of the last change given */
			*token = last;
			for (size_t j = i; j < res.nrows; j++)
				ch[j].skip = 1;
			more = 1;
			break;
		}
		given++;
		last = ch[i].seq;
		json_array_append_new(ids, json_integer(ch[i].entry_id));
	}
	if (more)
		truncated(out, d->book);
	char *text = json_dumps(ids, JSON_COMPACT);
	json_decref(ids);
	if (text == NULL)
		return ERR_UNAVAILABLE;
	e = folder_dav_by_list(r->db, &r->arena, &ent, d->uid, FOLDER_DAV_IDS, text, ws->full);
	free(text);
	if (e != ERR_OK)
		return e;
	struct strmap present;
	strmap_init(&present, &r->arena, ent.nrows);
	for (size_t i = 0; e == ERR_OK && i < ent.nrows; i++) {
		struct cardrow c;
		row_read(&ent, i, ws->full, &c);
		strmap_add(&present, row_name(&r->arena, &c), 0);
		e = write_card(d, out, ws, &c, &r->arena);
	}
	for (size_t i = 0; e == ERR_OK && i < res.nrows; i++)
		if (!ch[i].skip && !(strmap_get(&present, ch[i].name) >= 0))
			write_status(out, arena_printf(&r->arena, "%s%s", d->book, ch[i].name), "404 Not Found");
	return e;
}

static enum err report_sync(struct dav *d, xmlNode *root, struct dav_buf *out, struct wants *ws)
{
	struct req *r = d->r;
	xmlNode *tok = dav_child(root, DAV_NS, "sync-token");
	xmlNode *lvl = dav_child(root, DAV_NS, "sync-level");
	const char *t = tok ? dav_node_text(tok, &r->arena) : "";
	const char *level = lvl ? dav_node_text(lvl, &r->arena) : "1";
	long long from = 0, limit, cur, oldest, token = 0;
	int bad;
	enum err e;

	if (tok == NULL)
		return bad_xml(r, "DAV:sync-collection needs DAV:sync-token");
	if (strcmp(level, "1") != 0 && strcmp(level, "infinite") != 0)
		return bad_xml(r, "DAV:sync-level is 1");
	limit = limit_of(r, root, DAV_NS, &bad);
	if (bad)
		return bad_xml(r, "DAV:limit holds DAV:nresults, a positive number");
	if (ws->n == 0 && ws->mode == M_PROP)
		ws->w[ws->n++] = (struct want){.id = P_GETETAG, .ns = DAV_NS, .name = "getetag"};
	if ((e = db_begin(r->db)) != ERR_OK || (e = folder_seq(d, &cur)) != ERR_OK)
		return e;
	if (*t) {
		/* a token from the future, or older than the oldest change
		 * kept, cannot be answered incrementally: the client starts
		 * over with an initial sync */
		if (!dav_token_parse(t, &from) || from > cur)
			return precondition(r, "d:valid-sync-token", "unknown token");
		e = davstore_oldest_change(r->db, &r->arena, d->uid, cur + 1, &oldest);
		if (e != ERR_OK)
			return e;
		if (from < oldest - 1 && from < cur)
			return precondition(r, "d:valid-sync-token", "expired token");
		e = sync_changes(d, out, ws, from, limit, &token);
	} else {
		e = sync_initial(d, out, ws, limit, &token);
	}
	if (e == ERR_OK)
		dav_buf_printf(out, "<d:sync-token>%s</d:sync-token>", dav_token_format(&r->arena, token));
	db_rollback(r->db);
	return e;
}

/* --- REPORT addressbook-query ---------------------------------------------------------*/

struct tmatch {
	const char *text;
	enum dav_match m;
	enum dav_collation c;
	int negate;
};

struct pfilter {
	const char *name;	/* upper-cased property (or parameter) name */
	int not_defined, allof;
	struct tmatch tm[DAV_MAX_FILTERS];
	size_t n_tm;
	struct pfilter *params;	/* param-filters of a prop-filter */
	size_t n_params;
};

struct qfilter {
	int allof;
	struct pfilter pf[DAV_MAX_FILTERS];
	size_t n;
};

static const char *attr(xmlNode *n, const char *name, struct arena *a)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s = v ? arena_strdup(a, (const char *)v) : NULL;
	xmlFree(v);
	return s;
}

static const char *upper(struct arena *a, const char *s)
{
	char *u = arena_strdup(a, s ? s : "");
	for (char *p = u; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 32);
	return u;
}

/* tmatch_parse: one CARDDAV:text-match. ERR_FORBIDDEN when answered (403). */
static enum err tmatch_parse(struct req *r, xmlNode *n, struct tmatch *t)
{
	const char *neg = attr(n, "negate-condition", &r->arena);
	t->text = dav_node_text(n, &r->arena);
	t->m = dav_match_lookup(attr(n, "match-type", &r->arena));
	t->c = dav_collation_lookup(attr(n, "collation", &r->arena));
	t->negate = neg && strcmp(neg, "yes") == 0;
	if (t->m == DAV_MATCH__MAX)
		return bad_xml(r, "unknown match-type");
	if (t->c == DAV_COLL__MAX)
		return precondition(r, "c:supported-collation", "collation");
	return ERR_OK;
}

static enum err pfilter_parse(struct req *r, xmlNode *n, struct pfilter *pf, int is_param)
{
	const char *test = attr(n, "test", &r->arena);
	enum err e;

	memset(pf, 0, sizeof(*pf));
	pf->name = attr(n, "name", &r->arena);
	if (pf->name == NULL || *pf->name == '\0')
		return bad_xml(r, "a filter needs a name");
	pf->name = upper(&r->arena, pf->name);
	pf->allof = test && strcmp(test, "allof") == 0;
	for (xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (dav_node_is(c, DAV_NS_CARD, "is-not-defined")) {
			pf->not_defined = 1;
		} else if (dav_node_is(c, DAV_NS_CARD, "text-match")) {
			if (pf->n_tm == DAV_MAX_FILTERS)
				return bad_xml(r, "too many text-match elements");
			if ((e = tmatch_parse(r, c, &pf->tm[pf->n_tm++])) != ERR_OK)
				return e;
		} else if (!is_param && dav_node_is(c, DAV_NS_CARD, "param-filter")) {
			if (pf->params == NULL)
				pf->params = arena_alloc(&r->arena, DAV_MAX_FILTERS * sizeof(*pf->params));
			if (pf->n_params == DAV_MAX_FILTERS)
				return bad_xml(r, "too many param-filter elements");
			if ((e = pfilter_parse(r, c, &pf->params[pf->n_params++], 1)) != ERR_OK)
				return e;
		} else {
			return bad_xml(r, "unknown element in a filter");
		}
	}
	return ERR_OK;
}

/* One instance of a vCard property: its value and TYPE. */
struct inst {
	const char *value, *type;
};

/* extra_value: the value of an extra line whose property is name, or NULL. */
static const char *extra_value(const char *line, const char *name)
{
	size_t nlen = strcspn(line, ":;");
	const char *dot = memchr(line, '.', nlen), *p;
	int quoted = 0;

	if (dot) {
		nlen -= (size_t)(dot + 1 - line);
		line = dot + 1;
	}
	if (strlen(name) != nlen || strncasecmp(line, name, nlen) != 0)
		return NULL;
	for (p = line + nlen; *p && (quoted || *p != ':'); p++)
		if (*p == '"')
			quoted = !quoted;
	return *p == ':' ? p + 1 : NULL;
}

/* instances: the instances of property name (upper case) in a card. */
static size_t instances(const struct card *c, const struct cardrow *row, const char *name,
			struct arena *a, struct inst *out, size_t max)
{
	size_t n = 0;
#define ADD(v, t) do { if (n < max && (v) && *(v)) out[n++] = (struct inst){(v), (t)}; } while (0)
	if (strcmp(name, "FN") == 0) {
		ADD(c->full_name, NULL);
	} else if (strcmp(name, "N") == 0) {
		if (*c->family || *c->given || *c->additional || *c->prefix || *c->suffix)
			ADD(arena_printf(a, "%s;%s;%s;%s;%s", c->family, c->given, c->additional,
					 c->prefix, c->suffix), NULL);
	} else if (strcmp(name, "EMAIL") == 0) {
		for (size_t i = 0; i < c->n_emails; i++)
			ADD(c->emails[i].value, c->emails[i].type);
	} else if (strcmp(name, "TEL") == 0) {
		for (size_t i = 0; i < c->n_phones; i++)
			ADD(c->phones[i].value, c->phones[i].type);
	} else if (strcmp(name, "URL") == 0) {
		for (size_t i = 0; i < c->n_urls; i++)
			ADD(c->urls[i].value, c->urls[i].type);
	} else if (strcmp(name, "ADR") == 0) {
		for (size_t i = 0; i < c->n_addresses; i++) {
			const struct card_address *ad = &c->addresses[i];
			ADD(arena_printf(a, ";;%s;%s;%s;%s;%s", ad->street, ad->locality, ad->region,
					 ad->postal_code, ad->country), ad->type);
		}
	} else if (strcmp(name, "ORG") == 0) {
		if (*c->organization || *c->department)
			ADD(*c->department ? arena_printf(a, "%s;%s", c->organization, c->department) :
			    c->organization, NULL);
	} else if (strcmp(name, "TITLE") == 0) {
		ADD(c->title, NULL);
	} else if (strcmp(name, "NOTE") == 0) {
		ADD(c->note, NULL);
	} else if (strcmp(name, "UID") == 0) {
		ADD(row->uid, NULL);
	} else if (strcmp(name, "CATEGORIES") == 0) {
		json_error_t jerr;
		json_t *arr = row->tags ? json_loads(row->tags, 0, &jerr) : NULL, *v;
		size_t i;
		json_array_foreach(arr, i, v)
			ADD(arena_strdup(a, json_string_value(v)), NULL);
		json_decref(arr);
	} else {
		for (size_t i = 0; i < c->n_extras; i++)
			ADD(extra_value(c->extras[i].line, name), NULL);
	}
#undef ADD
	return n;
}

static int tmatch_ok(const struct tmatch *t, const char *value, int is_tel, struct arena *a)
{
	int hit;
	const char *digits = is_tel ? dav_digits(a, t->text) : "";

	if (is_tel && *digits)	/* "138 1234 5678" finds +8613812345678 */
		hit = dav_text_match(dav_digits(a, value), digits, t->m == DAV_MATCH_EQUALS ?
				     DAV_MATCH_ENDS_WITH : t->m, DAV_COLL_OCTET);
	else
		hit = dav_text_match(value, t->text, t->m, t->c);
	return t->negate ? !hit : hit;
}

static int pfilter_ok(const struct pfilter *pf, const struct card *c, const struct cardrow *row,
		      struct arena *a)
{
	struct inst in[64];
	size_t n = instances(c, row, pf->name, a, in, 64);
	int is_tel = strcmp(pf->name, "TEL") == 0;

	if (pf->not_defined)
		return n == 0;
	if (pf->n_tm == 0 && pf->n_params == 0)
		return n > 0;
	for (size_t i = 0; i < n; i++) {
		int any = 0, all = 1;
		for (size_t k = 0; k < pf->n_tm; k++) {
			int ok = tmatch_ok(&pf->tm[k], in[i].value, is_tel, a);
			any |= ok;
			all &= ok;
		}
		for (size_t k = 0; k < pf->n_params; k++) {
			const struct pfilter *pp = &pf->params[k];
			/* only TYPE is a parameter the folder keeps */
			int defined = strcmp(pp->name, "TYPE") == 0 && in[i].type && *in[i].type;
			int ok = pp->not_defined ? !defined : defined;
			for (size_t m = 0; ok && !pp->not_defined && m < pp->n_tm; m++)
				ok = tmatch_ok(&pp->tm[m], in[i].type, 0, a);
			any |= ok;
			all &= ok;
		}
		if (pf->allof ? all : any)
			return 1;
	}
	return 0;
}

struct query_ctx {
	struct dav_buf *out;
	const struct wants *ws;
	const struct qfilter *q;
	long long limit, given;
	int more;
};

static enum err scan_query(struct dav *d, struct cardrow *row, struct arena *a, void *ctx, int *stop)
{
	struct query_ctx *x = ctx;
	struct card card;
	int any = 0, all = 1;

	if (folder_card_load(row->data, row->extras, a, &card) != ERR_OK)
		return ERR_OK;
	for (size_t k = 0; k < x->q->n; k++) {
		int ok = pfilter_ok(&x->q->pf[k], &card, row, a);
		any |= ok;
		all &= ok;
	}
	if (x->q->n && !(x->q->allof ? all : any))
		return ERR_OK;
	if (x->limit && x->given == x->limit) {
		x->more = *stop = 1;
		return ERR_OK;
	}
	x->given++;
	return write_card(d, x->out, x->ws, row, a);
}

static enum err report_query(struct dav *d, xmlNode *root, struct dav_buf *out, struct wants *ws)
{
	struct req *r = d->r;
	struct qfilter *q = arena_alloc(&r->arena, sizeof(*q));
	xmlNode *f = dav_child(root, DAV_NS_CARD, "filter");
	struct query_ctx x = {out, ws, q, 0, 0, 0};
	const char *test;
	int bad;
	enum err e;

	if (f == NULL)
		return bad_xml(r, "CARDDAV:addressbook-query needs CARDDAV:filter");
	test = attr(f, "test", &r->arena);
	q->allof = test && strcmp(test, "allof") == 0;
	for (xmlNode *c = f->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!dav_node_is(c, DAV_NS_CARD, "prop-filter"))
			return bad_xml(r, "CARDDAV:filter holds prop-filter elements");
		if (q->n == DAV_MAX_FILTERS)
			return bad_xml(r, "too many prop-filter elements");
		if ((e = pfilter_parse(r, c, &q->pf[q->n++], 0)) != ERR_OK)
			return e;
	}
	x.limit = limit_of(r, root, DAV_NS_CARD, &bad);
	if (bad)
		return bad_xml(r, "CARDDAV:limit holds CARDDAV:nresults, a positive number");
	e = scan_folder(d, scan_query, &x);
	if (e == ERR_OK && x.more)
		truncated(out, d->book);
	return e;
}

/* --- REPORT dispatch -------------------------------------------------------------------*/

static enum err report(struct req *r, enum kind k)
{
	struct dav d;
	struct wants ws;
	struct dav_buf out;
	xmlDocPtr doc;
	xmlNode *root;
	enum err e = dav_open(r, &d, k != K_ROOT);

	if (e != ERR_OK)
		return e;
	if ((e = xml_body(r, &doc)) != ERR_OK)
		return e;
	root = xmlDocGetRootElement(doc);
	memset(&ws, 0, sizeof(ws));
	ws.mode = M_PROP;
	if (k == K_BOOK && (dav_node_is(root, DAV_NS_CARD, "addressbook-multiget") ||
			    dav_node_is(root, DAV_NS_CARD, "addressbook-query") ||
			    dav_node_is(root, DAV_NS, "sync-collection"))) {
		xmlNode *p = dav_child(root, DAV_NS, "prop");
		if (p)
			e = wants_add(r, &ws, p);
		else if (dav_child(root, DAV_NS, "allprop"))
			ws.mode = M_ALLPROP, ws.full = 1;
		if (e != ERR_OK) {
			xmlFreeDoc(doc);
			return e;
		}
		multistatus_open(r, &out);
		if (dav_node_is(root, DAV_NS_CARD, "addressbook-multiget"))
			e = report_multiget(&d, root, &out, &ws);
		else if (dav_node_is(root, DAV_NS_CARD, "addressbook-query"))
			e = report_query(&d, root, &out, &ws);
		else
			e = report_sync(&d, root, &out, &ws);
		xmlFreeDoc(doc);
		dav_close(&d);
		return multistatus_end(r, &out, e);
	}
	xmlFreeDoc(doc);
	return dav_fail_xml(r, 403, "d:supported-report", "unknown report");
}

static enum err h_report_root(struct req *r) { return report(r, K_ROOT); }
static enum err h_report_home(struct req *r) { return report(r, K_HOME); }
static enum err h_report_book(struct req *r) { return report(r, K_BOOK); }

/* --- OPTIONS and discovery ------------------------------------------------------------*/

static enum err h_options(struct req *r)
{
	req_add_header(r, "DAV: 1, 3, addressbook");
	req_add_header(r, "Allow: OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, PROPPATCH, REPORT");
	return req_raw(r, 200, "text/plain; charset=utf-8", "", 0);
}

/* RFC 6764: /.well-known/carddav leads to the context path. */
static enum err h_wellknown(struct req *r)
{
	req_add_header(r, "Location: /dav/");
	return req_raw(r, 301, "text/plain; charset=utf-8", "", 0);
}

#define ALL_METHODS(pat, pf, pp, rep) \
	{"OPTIONS", pat, AUTH_NONE, BODY_NONE, NULL, h_options}, \
	{"PROPFIND", pat, AUTH_APP_PASSWORD, BODY_XML, NULL, pf}, \
	{"PROPPATCH", pat, AUTH_APP_PASSWORD, BODY_XML, NULL, pp}, \
	{"REPORT", pat, AUTH_APP_PASSWORD, BODY_XML, NULL, rep}

static const struct route routes[] = {
	{"GET", "/.well-known/carddav", AUTH_NONE, BODY_NONE, NULL, h_wellknown},
	{"PROPFIND", "/.well-known/carddav", AUTH_NONE, BODY_XML, NULL, h_wellknown},
	{"OPTIONS", "/.well-known/carddav", AUTH_NONE, BODY_NONE, NULL, h_wellknown},
	{"GET", "/.well-known/carddav/", AUTH_NONE, BODY_NONE, NULL, h_wellknown},
	{"PROPFIND", "/.well-known/carddav/", AUTH_NONE, BODY_XML, NULL, h_wellknown},
	ALL_METHODS("/dav/", h_propfind_root, h_proppatch_root, h_report_root),
	ALL_METHODS("/dav", h_propfind_root, h_proppatch_root, h_report_root),
	ALL_METHODS("/dav/{id}/", h_propfind_home, h_proppatch_home, h_report_home),
	ALL_METHODS("/dav/{id}", h_propfind_home, h_proppatch_home, h_report_home),
	ALL_METHODS("/dav/{id}/cards/", h_propfind_book, h_proppatch_book, h_report_book),
	ALL_METHODS("/dav/{id}/cards", h_propfind_book, h_proppatch_book, h_report_book),
	{"OPTIONS", "/dav/{id}/cards/{seg}", AUTH_NONE, BODY_NONE, NULL, h_options},
	{"PROPFIND", "/dav/{id}/cards/{seg}", AUTH_APP_PASSWORD, BODY_XML, NULL, h_propfind_card},
	{"PROPPATCH", "/dav/{id}/cards/{seg}", AUTH_APP_PASSWORD, BODY_XML, NULL, h_proppatch_card},
	{"GET", "/dav/{id}/cards/{seg}", AUTH_APP_PASSWORD, BODY_NONE, NULL, h_get},
	{"PUT", "/dav/{id}/cards/{seg}", AUTH_APP_PASSWORD, BODY_VCARD, NULL, h_put},
	{"DELETE", "/dav/{id}/cards/{seg}", AUTH_APP_PASSWORD, BODY_NONE, NULL, h_delete},
	{NULL},
};

static int carddav_init(void)
{
	xmlInitParser();
	return 0;
}

int main(int argc, char **argv)
{
	return app_run(argc, argv, "carddav", routes, carddav_init);
}
