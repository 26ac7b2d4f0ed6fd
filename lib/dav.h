/* dav.h: WebDAV/CardDAV helpers: safe XML request parsing, an XML output buffer, Basic credentials, resource names, sync tokens and text-match. */
#ifndef LIVECARD_DAV_H
#define LIVECARD_DAV_H

#include <stddef.h>

#include <libxml/tree.h>

#include "arena.h"
#include "card.h"
#include "err.h"

#define DAV_NS "DAV:"
#define DAV_NS_CARD "urn:ietf:params:xml:ns:carddav"
#define DAV_NS_CS "http://calendarserver.org/ns/"

#define DAV_NAME_MAX 255	/* bytes of a resource name (the route's {seg} limit) */
#define DAV_UID_DIRECT_MAX 100	/* longer UIDs are named by entry id */
#define DAV_XML_MAX_DEPTH 32	/* deeper request documents are refused */
#define DAV_XML_MAX_ATTRS 64	/* attributes (namespace declarations included) of one element */
#define DAV_XML_MAX_ATTRS_TOTAL 1024	/* attributes of a whole request document */
#define DAV_XML_MAX_NS 64	/* namespace declarations of a request document */
#define DAV_XML_MAX_NODES 200000	/* elements, comments and PIs of a request document (a first
				 * sync of a 50,000-card folder names 50,000 hrefs) */

/* A growable output buffer (malloc'd, not in an arena: a multistatus of a
 * big folder is megabytes). On allocation failure the buffer stops growing
 * and failed is set; the caller answers 503. With a sink (dav_buf_sink) it
 * holds at most about sink_at bytes: what it holds is handed to the sink
 * before it would grow past that. */
struct dav_buf {
	char *data;		/* NUL-terminated when len > 0 */
	size_t len, cap;
	int failed;		/* out of memory, or the sink failed */
	int (*sink)(void *ctx, const char *data, size_t len);
	void *sink_ctx;
	size_t sink_at;
	size_t sunk;		/* bytes handed to the sink so far */
};

/* dav_buf_init: an empty buffer; dav_buf_free releases it (twice is fine). */
void dav_buf_init(struct dav_buf *b);
void dav_buf_free(struct dav_buf *b);

/* dav_buf_sink: from now on, once the buffer holds at least at bytes, the
 * next append first hands them to fn (which returns 0, or -1 to stop: the
 * buffer is then failed) and empties the buffer. What is left at the end
 * is the caller's to send. */
void dav_buf_sink(struct dav_buf *b, int (*fn)(void *ctx, const char *data, size_t len),
		  void *ctx, size_t at);

/* dav_buf_add / dav_buf_str: append raw bytes (trusted markup). */
void dav_buf_add(struct dav_buf *b, const char *s, size_t n);
void dav_buf_str(struct dav_buf *b, const char *s);

/* dav_buf_printf: append formatted trusted markup (numbers, fixed names). */
void dav_buf_printf(struct dav_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* dav_buf_text: append n bytes of UTF-8 text as XML character data: & < >
 * and " escaped, CR kept as &#13; (XML would turn CRLF into LF), and the
 * characters XML 1.0 cannot carry (C0 controls but tab/LF/CR, U+FFFE,
 * U+FFFF, invalid UTF-8) replaced by U+FFFD. */
void dav_buf_text(struct dav_buf *b, const char *s, size_t n);

/* dav_xml_parse: parse a request body with libxml2 without network access,
 * entity substitution or DTD loading. A body that dav_xml_refusal refuses
 * (a DOCTYPE and so any entity declaration, too deep, too many attributes
 * or elements) never reaches libxml2. On success *doc is the document (free it
 * with xmlFreeDoc); otherwise ERR_BAD_REQUEST and *doc is NULL. */
enum err dav_xml_parse(const char *body, size_t len, xmlDocPtr *doc);

/* dav_xml_refusal: why dav_xml_parse refuses body before libxml2 sees it
 * (a static English sentence), or NULL when the body may be parsed. One
 * linear pass over the markup refuses a DOCTYPE or other declaration, an
 * element with more than DAV_XML_MAX_ATTRS attributes, more than
 * DAV_XML_MAX_ATTRS_TOTAL attributes in all, more than DAV_XML_MAX_NS
 * namespace declarations, more than DAV_XML_MAX_NODES
 * elements, comments and PIs, nesting deeper than DAV_XML_MAX_DEPTH, and
 * an encoding it cannot read (only UTF-8, its ASCII-compatible subsets and
 * UTF-16 are read), so that libxml2 never spends more than linear time. */
const char *dav_xml_refusal(const char *body, size_t len);

/* dav_node_is: whether n is an element named name in namespace ns. */
int dav_node_is(const xmlNode *n, const char *ns, const char *name);

/* dav_child: the first element child of parent named name in ns, or NULL. */
xmlNode *dav_child(const xmlNode *parent, const char *ns, const char *name);

/* dav_node_text: the trimmed text content of n, in a ("" when none). */
const char *dav_node_text(const xmlNode *n, struct arena *a);

/* dav_basic_parse: the user and password of an `Authorization: Basic`
 * header value, in a. 0 when the header is not Basic or not decodable. */
int dav_basic_parse(const char *header, struct arena *a, const char **user, const char **pass);

/* Resource names. An entry whose UID is 1..DAV_UID_DIRECT_MAX characters
 * of [A-Za-z0-9_.-] is named "<uid>.vcf"; any other UID (e.g. the
 * "urn:uuid:..." of cards saved on the site), and the reserved form
 * "_<digits>", is named "_<entry id>.vcf". The mapping is one-to-one, and
 * every name fits the route pattern and needs no percent-encoding. */

/* dav_name_ok: whether a client may give a resource this (decoded) name:
 * 1..DAV_NAME_MAX bytes of RFC 3986 unreserved and sub-delims characters
 * and '@' (so "john+work@example.com.vcf"), not "." or "..". A name that
 * is not the one derived from the card's UID is kept beside the entry. */
int dav_name_ok(const char *name);

/* dav_uid_direct: whether uid is used as its own resource name. */
int dav_uid_direct(const char *uid);

/* dav_name_of: the resource name of an entry (in a). */
const char *dav_name_of(struct arena *a, const char *uid, long long id);

/* dav_name_parse: what a resource name designates: *id > 0 for
 * "_<id>.vcf", else *uid (in a) for "<uid>.vcf" with a direct UID.
 * 0 when the name designates nothing that can exist. */
int dav_name_parse(struct arena *a, const char *name, const char **uid, long long *id);

/* dav_href_path: the path of an href (an absolute URL or an absolute
 * path), percent-decoded, in a; NULL when it is not one. */
const char *dav_href_path(struct arena *a, const char *href);

/* dav_token_format: the sync-token URI of change counter seq (in a). */
const char *dav_token_format(struct arena *a, long long seq);

/* dav_token_parse: the change counter of a sync-token; 0 when the token
 * is not one of ours. */
int dav_token_parse(const char *token, long long *seq);

/* dav_etag: the strong ETag of a stored copy, quotes included (in a). */
const char *dav_etag(struct arena *a, long long change_seq);

/* dav_depth: the Depth header: 0, 1, or 1 for "infinity" (nothing here is
 * deeper); def when absent; -1 when malformed. */
int dav_depth(const char *header, int def);

/* dav_http_date: an RFC 7231 date from a MariaDB DATETIME text (UTC), in a;
 * NULL when t is not one. */
const char *dav_http_date(struct arena *a, const char *t);

/* text-match (RFC 6352 section 10.5.4) */
enum dav_match {
	DAV_MATCH_EQUALS,
	DAV_MATCH_CONTAINS,
	DAV_MATCH_STARTS_WITH,
	DAV_MATCH_ENDS_WITH,
	DAV_MATCH__MAX
};

enum dav_collation {
	DAV_COLL_UNICODE_CASEMAP,	/* i;unicode-casemap (folds ASCII and
					 * Latin-1/Greek/Cyrillic letters) */
	DAV_COLL_ASCII_CASEMAP,		/* i;ascii-casemap */
	DAV_COLL_OCTET,			/* i;octet */
	DAV_COLL__MAX
};

/* dav_match_lookup / dav_collation_lookup: from the attribute value (NULL:
 * the default, contains / i;unicode-casemap); __MAX when unknown. */
enum dav_match dav_match_lookup(const char *s);
enum dav_collation dav_collation_lookup(const char *s);

/* dav_text_match: whether value matches text under m and c. */
int dav_text_match(const char *value, const char *text, enum dav_match m, enum dav_collation c);

/* The columns CardDAV reads for an entry (folder_entries aliased e), in
 * the order of enum dav_col: DAV_ROW_LIGHT is the first DAV_COL_DATA of
 * them, DAV_ROW_FULL all (t_dav counts them against the enum). */
enum dav_col {
	DAV_COL_ID, DAV_COL_UID, DAV_COL_SEQ, DAV_COL_UPDATED, DAV_COL_NAME,
	DAV_COL_DATA, DAV_COL_EXTRAS, DAV_COL_FRONT, DAV_COL_TAGS, DAV_COL_RAW,
	DAV_COL__MAX
};
/* The name a client chose (sql/014): one primary-key lookup per row. */
#define DAV_ROW_LIGHT "e.id, e.uid, e.change_seq, e.updated_at, " \
	"(SELECT n.name FROM dav_names n WHERE n.entry_id = e.id)"
/* The client's own vCard, while the entry is as that PUT left it: the
 * version digit, then the text. */
#define DAV_ROW_RAW "(SELECT CONCAT(r.version, r.vcard) FROM dav_raw r " \
	"WHERE r.entry_id = e.id AND r.change_seq = e.change_seq)"
#define DAV_ROW_FULL DAV_ROW_LIGHT ", e.data, e.extras, e.front_image, " \
	"(SELECT JSON_ARRAYAGG(t.tag ORDER BY t.tag) FROM entry_tags t WHERE t.entry_id = e.id), " DAV_ROW_RAW

/* DAV_ROW_FULL without the tags (NULL), for a scan that reads the tags of
 * the whole folder once. */
#define DAV_ROW_SCAN DAV_ROW_LIGHT ", e.data, e.extras, e.front_image, NULL, " DAV_ROW_RAW

/* dav_digits: the decimal digits of s (in a), for comparing phone numbers
 * written in different forms. */
const char *dav_digits(struct arena *a, const char *s);

#endif
