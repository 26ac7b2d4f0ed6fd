/* t_dav.c: unit tests for the pure CardDAV helpers of lib/dav.c: safe XML parsing, namespaces, Basic credentials, names, hrefs, tokens, dates, text-match, XML escaping. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <sodium.h>

#include "tap.h"
#include "arena.h"
#include "dav.h"

static struct arena A;

/* parse: dav_xml_parse of a NUL-terminated string; *doc starts non-NULL so
 * that a failure is seen to clear it. */
static enum err parse(const char *s, xmlDocPtr *doc)
{
	*doc = (xmlDocPtr)&A;	/* a sentinel: must be replaced */
	return dav_xml_parse(s, s ? strlen(s) : 0, doc);
}

/* refused: one test point: s is refused with ERR_BAD_REQUEST and no doc. */
static void refused(const char *s, size_t len, const char *what)
{
	xmlDocPtr d = (xmlDocPtr)&A;
	enum err e = dav_xml_parse(s, len, &d);

	ok(e == ERR_BAD_REQUEST && d == NULL, "dav_xml_parse refuses %s (err %d, doc %s)", what, (int)e,
	   d ? "set" : "NULL");
	if (d && d != (xmlDocPtr)&A)
		xmlFreeDoc(d);
}

/* nested: depth <a> elements one in another, inner (may be "") innermost. */
static char *nested(int depth, const char *inner)
{
	size_t n = (size_t)depth * 7 + strlen(inner) + 1;
	char *s = malloc(n), *p = s;

	if (s == NULL)
		abort();
	for (int i = 0; i < depth; i++)
		p += sprintf(p, "<a>");
	p += sprintf(p, "%s", inner);
	for (int i = 0; i < depth; i++)
		p += sprintf(p, "</a>");
	return s;
}

/* utf16le: ASCII s as UTF-16LE with a BOM (malloc'd), its length in *len. */
static char *utf16le(const char *s, size_t *len)
{
	size_t n = strlen(s);
	char *out = malloc(2 * n + 2);

	if (out == NULL)
		abort();
	out[0] = (char)0xff, out[1] = (char)0xfe;
	for (size_t i = 0; i < n; i++)
		out[2 + 2 * i] = s[i], out[3 + 2 * i] = 0;
	*len = 2 * n + 2;
	return out;
}

/* text: dav_buf_text of n bytes of s into a fresh buffer, copied into the arena. */
static const char *text(const char *s, size_t n)
{
	struct dav_buf b;
	const char *r;

	dav_buf_init(&b);
	dav_buf_text(&b, s, n);
	r = b.len ? arena_strndup(&A, b.data, b.len) : "";
	dav_buf_free(&b);
	return r;
}

#define REFUSE(lit, what) refused((lit), sizeof(lit) - 1, (what))
#define TEXT(lit) text((lit), sizeof(lit) - 1)

/* --- dav_xml_parse --------------------------------------------------------*/

static const char propfind[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	"<D:propfind xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:carddav\">\n"
	"  <D:prop>\n"
	"    <D:getetag/>\n"
	"    <C:address-data/>\n"
	"    <D:displayname/>\n"
	"  </D:prop>\n"
	"</D:propfind>\n";

static void test_xml_parse(void)
{
	xmlDocPtr d;
	enum err e;
	char *s;
	size_t n;

	e = parse(propfind, &d);
	is_int(e, ERR_OK, "a PROPFIND body parses");
	ok(d != NULL && d != (xmlDocPtr)&A, "and gives a document");
	ok(d && dav_node_is(xmlDocGetRootElement(d), DAV_NS, "propfind"), "whose root is DAV:propfind");
	if (d && d != (xmlDocPtr)&A)
		xmlFreeDoc(d);

	/* the length decides, not a NUL */
	{
		static const char body[] = {'<', 'a', '/', '>', '<', 'b', '>'};	/* no NUL */
		d = NULL;
		e = dav_xml_parse(body, 4, &d);
		ok(e == ERR_OK && d && strcmp((const char *)xmlDocGetRootElement(d)->name, "a") == 0,
		   "only len bytes are parsed (\"<a/>\" of \"<a/><b>\", not NUL-terminated)");
		if (d)
			xmlFreeDoc(d);
		refused(body, sizeof(body), "the whole of \"<a/><b>\"");
	}

	/* empty and malformed */
	refused(NULL, 0, "a NULL body");
	refused(propfind, 0, "an empty body (len 0)");
	REFUSE("", "an empty string");
	REFUSE("   \n", "a body of blanks");
	REFUSE("not xml at all", "text that is not XML");
	REFUSE("<a><b></a>", "mismatched tags");
	REFUSE("<a>", "an unclosed element");
	REFUSE("<a/><b/>", "two root elements");
	REFUSE("<a/>trailing", "text after the root");
	REFUSE("<!-- only a comment -->", "a comment and no root element");
	REFUSE("<a>&bogus;</a>", "an undeclared entity");
	REFUSE("<a b=\"1\" b=\"2\"/>", "a repeated attribute");
	REFUSE("<a>\xff\xfe</a>", "invalid UTF-8");

	/* XXE: DOCTYPE with an external entity */
	{
		static const char xxe[] =
			"<?xml version=\"1.0\"?>\n"
			"<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
			"<D:propfind xmlns:D=\"DAV:\"><D:prop><D:displayname>&e;</D:displayname></D:prop></D:propfind>";
		xmlDocPtr xd = (xmlDocPtr)&A;
		e = dav_xml_parse(xxe, sizeof(xxe) - 1, &xd);
		is_int(e, ERR_BAD_REQUEST, "a DOCTYPE with an external entity (XXE) is refused with ERR_BAD_REQUEST");
		ok(xd == NULL, "and no document (so no file content) comes back");
		if (xd && xd != (xmlDocPtr)&A) {
			xmlChar *c = xmlNodeGetContent(xmlDocGetRootElement(xd));
			ok(c == NULL || strstr((const char *)c, "root:") == NULL, "no /etc/passwd content");
			xmlFree(c);
			xmlFreeDoc(xd);
		}
	}
	REFUSE("<!DOCTYPE x SYSTEM \"file:///etc/passwd\"><x/>", "an external DTD");
	REFUSE("<!DOCTYPE propfind><propfind xmlns=\"DAV:\"/>", "a DOCTYPE without entities");
	{
		static const char lol[] =
			"<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
			" <!ENTITY lol \"lol\">\n"
			" <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
			" <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
			" <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
			" <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
			" <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
			" <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
			" <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
			" <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
			" <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
			"]>\n<lolz>&lol9;</lolz>";
		refused(lol, sizeof(lol) - 1, "an entity expansion bomb (billion laughs)");
	}
	REFUSE("<a><!ENTITY e \"x\"></a>", "an entity declaration outside a DOCTYPE");

	/* the same attacks in UTF-16, where the byte check for "<!DOCTYPE"
	 * cannot see them: libxml2 decodes them, and the internal subset is
	 * what refuses them */
	s = utf16le("<?xml version=\"1.0\" encoding=\"UTF-16\"?><D:propfind xmlns:D=\"DAV:\"><D:prop/></D:propfind>", &n);
	d = NULL;
	e = dav_xml_parse(s, n, &d);
	ok(e == ERR_OK && d && dav_node_is(xmlDocGetRootElement(d), DAV_NS, "propfind"),
	   "a UTF-16 body without a DOCTYPE parses (so the next refusals are about the DOCTYPE)");
	if (d)
		xmlFreeDoc(d);
	free(s);
	s = utf16le("<?xml version=\"1.0\" encoding=\"UTF-16\"?>"
		    "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>", &n);
	refused(s, n, "a UTF-16 DOCTYPE with an external entity");
	free(s);
	s = utf16le("<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">"
		    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]><x>&c;&c;</x>", &n);
	refused(s, n, "a UTF-16 DOCTYPE with nested internal entities");
	free(s);

	/* depth: DAV_XML_MAX_DEPTH nested elements are fine, one more is not */
	s = nested(DAV_XML_MAX_DEPTH, "");
	d = NULL;
	e = dav_xml_parse(s, strlen(s), &d);
	ok(e == ERR_OK && d != NULL, "%d nested elements (DAV_XML_MAX_DEPTH) parse", DAV_XML_MAX_DEPTH);
	if (d)
		xmlFreeDoc(d);
	free(s);
	s = nested(DAV_XML_MAX_DEPTH + 1, "");
	refused(s, strlen(s), "DAV_XML_MAX_DEPTH + 1 nested elements");
	free(s);
	s = nested(200, "x");	/* under libxml2's own limit (256): our check refuses it */
	refused(s, strlen(s), "200 nested elements");
	free(s);
	s = nested(10000, "x");
	refused(s, strlen(s), "10,000 nested elements (no crash)");
	free(s);
	/* the deep branch is not the first child: every sibling is looked at */
	{
		char *deep = nested(DAV_XML_MAX_DEPTH, "");
		char *body = malloc(strlen(deep) + 64);
		sprintf(body, "<r><s/>text<t><u/></t>%s</r>", deep);
		refused(body, strlen(body), "a document whose second child nests DAV_XML_MAX_DEPTH more");
		free(body);
		free(deep);
	}
	/* Note: an element at depth DAV_XML_MAX_DEPTH is accepted only when
	 * empty: its text node counts as one more level (stricter than the
	 * header's words, harmless for real requests). */
}

/* --- limits checked before libxml2 parses (finding 4 of issue 17) ------------*/

enum attr_style { AS_DOUBLE, AS_SINGLE, AS_SPACED, AS_XMLNS };

/* attrs_body: a propfind whose prop element carries n attributes written
 * in style (malloc'd). */
static char *attrs_body(int n, enum attr_style style)
{
	char *s = malloc((size_t)n * 32 + 128), *p = s;

	if (s == NULL)
		abort();
	p += sprintf(p, "<?xml version=\"1.0\"?><d:propfind xmlns:d=\"DAV:\"><d:prop");
	for (int i = 0; i < n; i++) {
		switch (style) {
		case AS_DOUBLE: p += sprintf(p, " a%d=\"\"", i); break;
		case AS_SINGLE: p += sprintf(p, " a%d='x'", i); break;
		case AS_SPACED: p += sprintf(p, "\ta%d = \"x>y\"", i); break;
		case AS_XMLNS: p += sprintf(p, " xmlns:p%d=\"urn:x\"", i); break;
		}
	}
	sprintf(p, "/></d:propfind>");
	return s;
}

/* accepted: one test point: s parses. */
static void accepted(const char *s, size_t len, const char *what)
{
	xmlDocPtr d = NULL;
	enum err e = dav_xml_parse(s, len, &d);

	ok(e == ERR_OK && d != NULL, "dav_xml_parse accepts %s (err %d, why: %s)", what, (int)e,
	   dav_xml_refusal(s, len) ? dav_xml_refusal(s, len) : "-");
	if (d)
		xmlFreeDoc(d);
}

/* now: this process's CPU time (not the wall clock: a loaded machine must
 * not fail the "fast enough" checks) */
static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_xml_limits(void)
{
	char *s, *p;
	size_t n;
	double t;

	/* attributes of one element: quadratic inside libxml2, refused before */
	s = attrs_body(DAV_XML_MAX_ATTRS - 1, AS_DOUBLE);	/* + xmlns:d on the root */
	accepted(s, strlen(s), "DAV_XML_MAX_ATTRS attributes on one element");
	free(s);
	s = attrs_body(DAV_XML_MAX_ATTRS + 1, AS_DOUBLE);
	refused(s, strlen(s), "DAV_XML_MAX_ATTRS + 1 attributes on one element");
	is_str(dav_xml_refusal(s, strlen(s)), "an element has too many attributes", "and says why");
	free(s);
	for (int k = 0; k < 3; k++) {
		static const int counts[] = {30000, 45000, 95000};
		s = attrs_body(counts[k], AS_DOUBLE);
		t = now();
		refused(s, strlen(s), "an element with tens of thousands of attributes");
		t = now() - t;
		ok(t < 0.5, "%d attributes are refused in %.3f s (libxml2 alone: 1 / 2.6 / 17 s)", counts[k], t);
		free(s);
	}
	s = attrs_body(30000, AS_SINGLE);
	refused(s, strlen(s), "30,000 attributes in single quotes");
	free(s);
	s = attrs_body(30000, AS_SPACED);
	refused(s, strlen(s), "30,000 attributes with blanks around = and > in the values");
	free(s);
	/* UTF-16 bodies are read in code units, not bytes */
	s = attrs_body(DAV_XML_MAX_ATTRS + 1, AS_DOUBLE);
	p = utf16le(s, &n);
	refused(p, n, "DAV_XML_MAX_ATTRS + 1 attributes in UTF-16");
	free(p);
	free(s);
	s = attrs_body(10, AS_DOUBLE);
	p = utf16le(s, &n);
	accepted(p, n, "10 attributes in UTF-16");
	free(p);
	free(s);

	/* attributes of the whole document */
	{
		size_t cap = 40 * DAV_XML_MAX_ATTRS_TOTAL + 64;
		char *b = malloc(cap);
		int per = DAV_XML_MAX_ATTRS, elems = DAV_XML_MAX_ATTRS_TOTAL / DAV_XML_MAX_ATTRS;
		for (int extra = 0; extra < 2; extra++) {
			p = b;
			p += sprintf(p, "<r>");
			for (int e = 0; e < elems + extra; e++) {
				p += sprintf(p, "<x");
				for (int i = 0; i < per; i++)
					p += sprintf(p, " a%d=\"\"", i);
				p += sprintf(p, "/>");
			}
			sprintf(p, "</r>");
			if (extra)
				refused(b, strlen(b), "DAV_XML_MAX_ATTRS_TOTAL + 64 attributes in all");
			else
				accepted(b, strlen(b), "DAV_XML_MAX_ATTRS_TOTAL attributes in all");
		}
		free(b);
	}

	/* namespace declarations */
	s = attrs_body(DAV_XML_MAX_NS - 1, AS_XMLNS);
	accepted(s, strlen(s), "DAV_XML_MAX_NS namespace declarations");
	free(s);
	s = attrs_body(DAV_XML_MAX_NS, AS_XMLNS);
	refused(s, strlen(s), "DAV_XML_MAX_NS + 1 namespace declarations");
	is_str(dav_xml_refusal(s, strlen(s)), "the body declares too many namespaces", "and says why");
	free(s);

	/* elements of the whole document */
	for (int extra = 0; extra < 2; extra++) {
		int count = DAV_XML_MAX_NODES - 1 + extra;	/* + the root */
		s = malloc((size_t)count * 4 + 16);
		p = s + sprintf(s, "<r>");
		for (int i = 0; i < count; i++)
			p += sprintf(p, "<a/>");
		sprintf(p, "</r>");
		t = now();
		if (extra)
			refused(s, strlen(s), "DAV_XML_MAX_NODES + 1 elements");
		else
			accepted(s, strlen(s), "DAV_XML_MAX_NODES elements");
		ok(now() - t < 1.0, "in under a second of CPU");
		free(s);
	}
	s = malloc(16 * (size_t)DAV_XML_MAX_NODES + 16);
	p = s + sprintf(s, "<r>");
	for (int i = 0; i < DAV_XML_MAX_NODES; i++)
		p += sprintf(p, "<!--c-->");
	sprintf(p, "</r>");
	refused(s, strlen(s), "DAV_XML_MAX_NODES comments");
	free(s);

	/* depth is refused before parsing too */
	s = nested(DAV_XML_MAX_DEPTH + 1, "");
	ok(dav_xml_refusal(s, strlen(s)) != NULL, "DAV_XML_MAX_DEPTH + 1 levels are refused by the scan");
	free(s);
	s = nested(DAV_XML_MAX_DEPTH, "");
	ok(dav_xml_refusal(s, strlen(s)) == NULL, "DAV_XML_MAX_DEPTH levels are not");
	free(s);
	{
		/* siblings do not add up to depth */
		char *b = malloc(8 * 1000 + 16);
		p = b + sprintf(b, "<r>");
		for (int i = 0; i < 1000; i++)
			p += sprintf(p, "<a></a>");
		sprintf(p, "</r>");
		accepted(b, strlen(b), "1,000 sibling elements with end tags");
		free(b);
	}

	/* markup the scan must not miscount */
	REFUSE("<a b=\"1\" b=\"2\"/>", "a repeated attribute (still)");
	s = "<a b=\">\" c='>' d=\"'\"><!-- <x y=1> --><![CDATA[<z a=1 b=2>]]><?pi x=1?>t&gt;</a>";
	accepted(s, strlen(s), "> and quotes inside values, markup in comments, CDATA and PIs");
	REFUSE("<a><!ELEMENT a ANY></a>", "another declaration than a DOCTYPE");

	/* encodings the scan cannot read are refused */
	{
		static const char latin1[] = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xe9</a>";
		accepted(latin1, sizeof(latin1) - 1, "a body declared ISO-8859-1");
	}
	REFUSE("<?xml version=\"1.0\" encoding=\"UTF-7\"?><a>+ADw-b/+AD4-</a>", "a body declared UTF-7");
	REFUSE("<?xml version='1.0' encoding='ebcdic-cp-us'?><a/>", "a body declared EBCDIC");
	REFUSE("\x00\x00\x00<\x00\x00\x00a\x00\x00\x00/\x00\x00\x00>", "a UCS-4 body");
	p = utf16le("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>", &n);
	refused(p, n, "a UTF-16 body declaring ISO-8859-1");
	free(p);
	{
		static const char be[] = "\xfe\xff\0<\0a\0/\0>";
		accepted(be, sizeof(be) - 1, "a UTF-16BE body with a BOM");
	}
	REFUSE("\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-7\"?><a/>", "UTF-7 after a UTF-8 BOM");
}

/* --- namespaces ---------------------------------------------------------------*/

static void test_nodes(void)
{
	static const char q[] =
		"<?xml version=\"1.0\"?>\n"
		"<card:addressbook-query xmlns:card=\"urn:ietf:params:xml:ns:carddav\" xmlns:dav=\"DAV:\">\n"
		"  <!-- a comment first -->\n"
		"  <dav:prop><dav:getetag/><card:address-data/></dav:prop>\n"
		"  <card:filter test=\"anyof\">\n"
		"    <card:prop-filter name=\"FN\">\n"
		"      <card:text-match collation=\"i;ascii-casemap\" match-type=\"starts-with\">  Jo &amp; Co\n  </card:text-match>\n"
		"    </card:prop-filter>\n"
		"  </card:filter>\n"
		"  <card:limit><card:nresults> 7 </card:nresults></card:limit>\n"
		"</card:addressbook-query>\n";
	/* swapped prefixes, a default namespace, a decoy namespace, no namespace */
	static const char odd[] =
		"<C:multiget xmlns:C=\"DAV:\" xmlns:D=\"urn:ietf:params:xml:ns:carddav\">"
		"<href xmlns=\"urn:example:not-dav\">/decoy</href>"
		"<href>/no-namespace</href>"
		"<C:href>  /dav/a.vcf  </C:href>"
		"<D:href>/carddav-ns</D:href>"
		"<prop xmlns=\"DAV:\"><D:address-data/></prop>"
		"<x:y xmlns:x=\"DAV:\">a<![CDATA[<b>&]]>c<z>d</z></x:y>"
		"</C:multiget>";
	xmlDocPtr d;
	xmlNode *root, *n, *f, *tm;

	if (parse(q, &d) != ERR_OK || d == NULL) {
		ok(0, "the addressbook-query parses");
		return;
	}
	root = xmlDocGetRootElement(d);
	ok(dav_node_is(root, DAV_NS_CARD, "addressbook-query"), "root: CardDAV addressbook-query (prefix \"card\")");
	ok(!dav_node_is(root, DAV_NS, "addressbook-query"), "not in DAV:");
	ok(!dav_node_is(root, DAV_NS_CARD, "addressbook"), "the name must be whole");
	ok(!dav_node_is(root, NULL, "addressbook-query"), "ns NULL wants no namespace");
	ok(!dav_node_is(NULL, DAV_NS, "prop"), "NULL is no element");
	n = dav_child(root, DAV_NS, "prop");
	ok(n && dav_node_is(n, DAV_NS, "prop"), "dav_child finds DAV:prop past a comment and blanks (prefix \"dav\")");
	ok(dav_child(n, DAV_NS_CARD, "address-data") != NULL, "and CardDAV address-data in it");
	ok(dav_child(n, DAV_NS, "address-data") == NULL, "but not DAV:address-data");
	ok(dav_child(n, DAV_NS, "getetag") == n->children, "DAV:getetag is its first child");
	ok(dav_child(root, DAV_NS_CARD, "prop") == NULL, "no CardDAV prop at the root");
	ok(dav_child(root, DAV_NS, "getetag") == NULL, "dav_child looks at children only, not grandchildren");
	ok(dav_child(NULL, DAV_NS, "prop") == NULL, "dav_child of NULL is NULL");
	f = dav_child(dav_child(root, DAV_NS_CARD, "filter"), DAV_NS_CARD, "prop-filter");
	tm = dav_child(f, DAV_NS_CARD, "text-match");
	ok(tm != NULL, "filter / prop-filter / text-match found");
	is_str(dav_node_text(tm, &A), "Jo & Co", "dav_node_text: trimmed, the entity decoded, inner blanks kept");
	is_str(dav_node_text(dav_child(dav_child(root, DAV_NS_CARD, "limit"), DAV_NS_CARD, "nresults"), &A), "7",
	       "nresults text trimmed");
	is_str(dav_node_text(dav_child(n, DAV_NS, "getetag"), &A), "", "an empty element's text is \"\"");
	is_str(dav_node_text(NULL, &A), "", "dav_node_text(NULL) is \"\"");
	if (tm) {
		xmlChar *mt = xmlGetProp(tm, (const xmlChar *)"match-type");
		xmlChar *co = xmlGetProp(tm, (const xmlChar *)"collation");
		is_int(dav_match_lookup((const char *)mt), DAV_MATCH_STARTS_WITH, "the request's match-type is starts-with");
		is_int(dav_collation_lookup((const char *)co), DAV_COLL_ASCII_CASEMAP, "its collation is i;ascii-casemap");
		ok(dav_text_match("JOHN & CO", dav_node_text(tm, &A), dav_match_lookup((const char *)mt),
				  dav_collation_lookup((const char *)co)) == 0,
		   "\"JOHN & CO\" does not start with \"Jo & Co\"");
		ok(dav_text_match("jo & co ltd", dav_node_text(tm, &A), dav_match_lookup((const char *)mt),
				  dav_collation_lookup((const char *)co)) == 1,
		   "\"jo & co ltd\" does");
		xmlFree(mt);
		xmlFree(co);
	}
	xmlFreeDoc(d);

	if (parse(odd, &d) != ERR_OK || d == NULL) {
		ok(0, "the multiget with odd prefixes parses");
		return;
	}
	root = xmlDocGetRootElement(d);
	ok(dav_node_is(root, DAV_NS, "multiget"), "prefix C bound to DAV: is DAV: (the URI decides)");
	ok(!dav_node_is(root, DAV_NS_CARD, "multiget"), "and not CardDAV");
	n = dav_child(root, DAV_NS, "href");
	is_str(dav_node_text(n, &A), "/dav/a.vcf", "dav_child skips hrefs in another and in no namespace");
	is_str(dav_node_text(dav_child(root, DAV_NS_CARD, "href"), &A), "/carddav-ns",
	       "prefix D bound to CardDAV is CardDAV");
	is_str(dav_node_text(dav_child(root, NULL, "href"), &A), "/no-namespace", "ns NULL finds the un-namespaced href");
	n = dav_child(root, DAV_NS, "prop");
	ok(n != NULL, "a default-namespace (xmlns=\"DAV:\") prop is DAV:prop");
	ok(dav_child(n, DAV_NS_CARD, "address-data") != NULL, "its D:address-data child is CardDAV");
	is_str(dav_node_text(dav_child(root, DAV_NS, "y"), &A), "a<b>&cd",
	       "dav_node_text joins text, CDATA and descendants' text");
	xmlFreeDoc(d);
}

/* --- Basic credentials ------------------------------------------------------------*/

static void test_basic(void)
{
	const char *u, *p;
	unsigned char raw[800];
	char hdr[1200];

	u = p = "unset";
	ok(dav_basic_parse("Basic dXNlcjpwYXNz", &A, &u, &p), "Basic base64(user:pass) parses");
	is_str(u, "user", "user");
	is_str(p, "pass", "password");
	ok(dav_basic_parse("Basic YWxpY2U6cGE6c3M6d29yZA==", &A, &u, &p), "a password with colons parses");
	is_str(u, "alice", "the user ends at the first colon");
	is_str(p, "pa:ss:word", "the password keeps its colons");
	ok(dav_basic_parse("basic   asO2cmc6cMOkc3M=", &A, &u, &p), "scheme case-insensitive, blanks before the credentials");
	ok(strcmp(u, "j\xc3\xb6rg") == 0 && strcmp(p, "p\xc3\xa4ss") == 0, "UTF-8 user and password come through");
	ok(dav_basic_parse("Basic dXNlcjo=", &A, &u, &p) && strcmp(u, "user") == 0 && strcmp(p, "") == 0,
	   "an empty password");
	ok(dav_basic_parse("Basic OnBhc3M=", &A, &u, &p) && strcmp(u, "") == 0 && strcmp(p, "pass") == 0,
	   "an empty user");
	ok(dav_basic_parse("Basic dXNlcjo", &A, &u, &p) && strcmp(u, "user") == 0 && strcmp(p, "") == 0,
	   "base64 without its padding");

	u = p = "unset";
	ok(!dav_basic_parse("Basic bm9jb2xvbg==", &A, &u, &p), "no colon: refused");
	ok(!dav_basic_parse("Basic dXNlcgA6cGFzcw==", &A, &u, &p), "a NUL in the decoded text: refused");
	ok(!dav_basic_parse("Basic !!!!", &A, &u, &p), "bad base64: refused");
	ok(!dav_basic_parse("Basic dXNlcjpw*XNz", &A, &u, &p), "a stray character in the base64: refused");
	ok(!dav_basic_parse("dXNlcjpwYXNz", &A, &u, &p), "no scheme: refused");
	ok(!dav_basic_parse("Bearer dXNlcjpwYXNz", &A, &u, &p), "Bearer: refused");
	ok(!dav_basic_parse("Bearer x", &A, &u, &p), "\"Bearer x\": refused");
	ok(!dav_basic_parse("Digest username=\"u\"", &A, &u, &p), "Digest: refused");
	ok(!dav_basic_parse("BasicdXNlcjpwYXNz", &A, &u, &p), "no space after Basic: refused");
	ok(!dav_basic_parse("Basic ", &A, &u, &p), "Basic and nothing: refused");
	ok(!dav_basic_parse("Basic    ", &A, &u, &p), "Basic and blanks: refused");
	ok(!dav_basic_parse("", &A, &u, &p), "empty: refused");
	ok(!dav_basic_parse(NULL, &A, &u, &p), "absent: refused");
	ok(strcmp(u, "unset") == 0 && strcmp(p, "unset") == 0, "refusals leave user and password alone");

	/* the 1024-byte limit on the encoded credentials */
	memset(raw, 'x', sizeof(raw));
	raw[0] = 'u', raw[1] = ':';
	memcpy(hdr, "Basic ", 6);
	sodium_bin2base64(hdr + 6, sizeof(hdr) - 6, raw, 768, sodium_base64_VARIANT_ORIGINAL);
	is_int(strlen(hdr + 6), 1024, "(768 bytes encode to 1024 characters)");
	ok(dav_basic_parse(hdr, &A, &u, &p) && strlen(p) == 766, "1024 characters of credentials parse");
	sodium_bin2base64(hdr + 6, sizeof(hdr) - 6, raw, 771, sodium_base64_VARIANT_ORIGINAL);
	ok(!dav_basic_parse(hdr, &A, &u, &p), "1028 characters are refused");
}

/* --- names ------------------------------------------------------------------------*/

static void test_names(void)
{
	static const struct {
		const char *uid;
		int direct;
	} uids[] = {
		{"abc", 1}, {"ABC-def_0.9", 1}, {"1234", 1}, {"_", 1}, {"_x1", 1}, {"a.b.c", 1},
		{"_1", 0}, {"_0", 0}, {"_123456789012345678", 0},	/* reserved: "_<digits>" */
		{"", 0}, {NULL, 0},
		{"urn:uuid:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", 0},
		{"a/b", 0}, {"../etc/passwd", 0}, {"a%2Fb", 0}, {"a%20b", 0}, {"a b", 0}, {"a\\b", 0},
		{"a?b", 0}, {"a#b", 0}, {"a+b", 0}, {"\xc3\xa9", 0}, {"a\nb", 0}, {"a@b", 0},
	};
	char uid100[DAV_UID_DIRECT_MAX + 2];
	const char *name, *uid;
	long long id;

	for (size_t i = 0; i < sizeof(uids) / sizeof(uids[0]); i++)
		is_int(dav_uid_direct(uids[i].uid), uids[i].direct, "dav_uid_direct(\"%s\")",
		       uids[i].uid == NULL ? "(null)" : strchr(uids[i].uid, '\n') ? "a\\nb" : uids[i].uid);
	memset(uid100, 'u', sizeof(uid100));
	uid100[DAV_UID_DIRECT_MAX] = '\0';
	is_int(dav_uid_direct(uid100), 1, "a %d-character UID is direct", DAV_UID_DIRECT_MAX);
	uid100[DAV_UID_DIRECT_MAX] = 'u';
	uid100[DAV_UID_DIRECT_MAX + 1] = '\0';
	is_int(dav_uid_direct(uid100), 0, "a %d-character UID is not", DAV_UID_DIRECT_MAX + 1);
	is_str(dav_name_of(&A, uid100, 77), "_77.vcf", "and is named by its entry id");
	uid100[DAV_UID_DIRECT_MAX] = '\0';

	is_str(dav_name_of(&A, "abc", 5), "abc.vcf", "a direct UID names itself");
	is_str(dav_name_of(&A, "urn:uuid:x", 5), "_5.vcf", "another UID: _<id>.vcf");
	is_str(dav_name_of(&A, "_5", 9), "_9.vcf", "the reserved form is named by id, not as itself");
	is_str(dav_name_of(&A, "a/../b", 12), "_12.vcf", "a UID with a slash is named by id");
	is_str(dav_name_of(&A, NULL, 3), "_3.vcf", "no UID: named by id");

	/* round trips: dav_name_parse(dav_name_of(uid, id)) */
	{
		static const char *const rt[] = {"abc", "ABC-def_0.9", "_", "x.vcf", "urn:uuid:1", "a/b", "_7", "",
						 "..", "\xc3\xa9"};
		for (size_t i = 0; i < sizeof(rt) / sizeof(rt[0]); i++) {
			long long eid = 1000 + (long long)i;
			int direct = dav_uid_direct(rt[i]);
			name = dav_name_of(&A, rt[i], eid);
			uid = "unset", id = -1;
			ok(dav_name_parse(&A, name, &uid, &id) &&
			   (direct ? uid && strcmp(uid, rt[i]) == 0 && id == 0 : uid == NULL && id == eid),
			   "round trip of UID \"%s\" (id %lld) through \"%s\"", rt[i], eid, name);
			ok(strchr(name, '/') == NULL && strcmp(name, "..") != 0 && strcmp(name, ".") != 0 &&
			   strchr(name, '%') == NULL, "\"%s\" is a safe path segment", name);
		}
	}
	name = dav_name_of(&A, uid100, 1);
	ok(dav_name_parse(&A, name, &uid, &id) && uid && strcmp(uid, uid100) == 0,
	   "round trip of a %d-character UID", DAV_UID_DIRECT_MAX);
	ok(dav_name_parse(&A, "_999999999999999999.vcf", &uid, &id) && uid == NULL && id == 999999999999999999LL,
	   "\"_<18 digits>.vcf\" gives that id");

	/* names that designate nothing */
	{
		static const char *const bad[] = {
			"", ".vcf", "abc", "abc.VCF", "abc.vcard", "abc.vcf.", "a/b.vcf", "../x.vcf", "..",
			"%2e%2e.vcf", "a%2Fb.vcf", "a b.vcf", "_0.vcf", "_00.vcf", "\xc3\xa9.vcf", "urn:uuid:1.vcf",
			"abc.vcf/", "/abc.vcf",
		};
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			uid = "unset", id = -1;
			ok(dav_name_parse(&A, bad[i], &uid, &id) == 0 && uid == NULL && id == 0,
			   "dav_name_parse refuses \"%s\" (uid NULL, id 0)", bad[i]);
		}
	}
	ok(dav_name_parse(&A, NULL, &uid, &id) == 0, "dav_name_parse refuses NULL");
	{
		char big[DAV_NAME_MAX + 8];
		memset(big, 'n', sizeof(big));
		strcpy(big + DAV_UID_DIRECT_MAX + 1, ".vcf");	/* a 101-character UID */
		ok(dav_name_parse(&A, big, &uid, &id) == 0, "a name whose UID is too long to be direct is refused");
		strcpy(big + DAV_NAME_MAX + 1 - 4, ".vcf");	/* DAV_NAME_MAX + 1 bytes */
		ok(dav_name_parse(&A, big, &uid, &id) == 0, "a name longer than DAV_NAME_MAX is refused");
	}
	ok(dav_name_parse(&A, "_42.vcf", &uid, &id) && uid == NULL && id == 42, "\"_42.vcf\" is entry 42");
	ok(dav_name_parse(&A, "abc.vcf", &uid, &id) && uid && strcmp(uid, "abc") == 0 && id == 0,
	   "\"abc.vcf\" is UID abc");

	/* one name per entry: "_042.vcf" would be a second name for entry
	 * 42 ("_42.vcf"), one that no listing gives and PUT could write
	 * through */
	{
		int r = dav_name_parse(&A, "_042.vcf", &uid, &id);
		ok(r == 0, "dav_name_parse refuses the non-canonical \"_042.vcf\" (got %d, id %lld)"
		   " (an alias of \"_42.vcf\")", r, id);
	}
}

/* Names a client may choose: RFC 3986 unreserved, sub-delims and '@'. */
static void test_name_ok(void)
{
	static const struct {
		const char *name;
		int ok;
	} t[] = {
		{"john+work@example.com.vcf", 1}, {"A1B2C3.vcf", 1}, {"a;b=c,d!$'()*~_.vcf", 1},
		{"no-extension", 1}, {"_12.vcf", 1}, {"x", 1},
		{"", 0}, {NULL, 0}, {".", 0}, {"..", 0}, {"a b.vcf", 0}, {"a/b.vcf", 0}, {"a%2Fb.vcf", 0},
		{"a:b.vcf", 0}, {"a?b", 0}, {"a#b", 0}, {"a\\b", 0}, {"a\"b", 0}, {"a<b>", 0},
		{"\xc3\xa9.vcf", 0}, {"a\nb", 0}, {"a\x7f", 0},
	};
	char big[DAV_NAME_MAX + 2];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		is_int(dav_name_ok(t[i].name), t[i].ok, "dav_name_ok(\"%s\")", t[i].name ? t[i].name : "(null)");
	memset(big, 'a', DAV_NAME_MAX);
	big[DAV_NAME_MAX] = '\0';
	is_int(dav_name_ok(big), 1, "a name of DAV_NAME_MAX bytes is one");
	big[DAV_NAME_MAX] = 'a';
	big[DAV_NAME_MAX + 1] = '\0';
	is_int(dav_name_ok(big), 0, "one byte more is not");
}

/* --- hrefs ------------------------------------------------------------------------*/

static void test_href(void)
{
	static const struct {
		const char *href, *path;
	} t[] = {
		{"https://dav.example.com/dav/u/book/a.vcf", "/dav/u/book/a.vcf"},
		{"http://dav.example.com:8080/dav/x.vcf", "/dav/x.vcf"},
		{"HTTPS://Example.COM/Path", "/Path"},
		{"https://user@host/p?q=1#f", "/p"},
		{"/dav/u/book/a.vcf", "/dav/u/book/a.vcf"},
		{"/", "/"},
		{"/dav/a%20b.vcf", "/dav/a b.vcf"},
		{"/dav/%7euser/%7E", "/dav/~user/~"},
		{"/dav/%C3%A9.vcf", "/dav/\xc3\xa9.vcf"},
		{"/dav/a%2Fb", "/dav/a/b"},
		{"/dav/a%25b", "/dav/a%b"},
		{"/dav/a.vcf?x=%zz", "/dav/a.vcf"},
		{"/dav/a.vcf#%", "/dav/a.vcf"},
		{"/dav/x%41", "/dav/xA"},
		{"dav/a.vcf", NULL},
		{"a.vcf", NULL},
		{"", NULL},
		{"ftp://host/a.vcf", NULL},
		{"mailto:a@b.c", NULL},
		{"http://host", NULL},
		{"https://", NULL},
		{"http:/host/a", NULL},
		{"/dav/a%", NULL},
		{"/dav/a%4", NULL},
		{"/dav/a%zz", NULL},
		{"/dav/a%4g", NULL},
		{"/dav/a%00b", NULL},
		{"/dav/%%41", NULL},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		is_str(dav_href_path(&A, t[i].href), t[i].path, "dav_href_path(\"%s\")", t[i].href);
	is_str(dav_href_path(&A, NULL), NULL, "dav_href_path(NULL)");
}

/* --- tokens, ETags, Depth, dates ---------------------------------------------------*/

static void test_tokens(void)
{
	static const long long seqs[] = {0, 1, 42, 1234567890, 999999999999999999LL};
	static const char *const bad[] = {
		"", "urn:livecard:sync:", "urn:livecard:sync:-1", "urn:livecard:sync:+1", "urn:livecard:sync:1x",
		"urn:livecard:sync: 1", "urn:livecard:sync:1 ", "urn:livecard:sync:1234567890123456789",
		"URN:LIVECARD:SYNC:1", "urn:livecard:sync1", "urn:other:sync:1", "http://example.com/sync/1",
		" urn:livecard:sync:1", "1",
	};
	long long seq;

	is_str(dav_token_format(&A, 42), "urn:livecard:sync:42", "dav_token_format(42)");
	for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
		const char *t = dav_token_format(&A, seqs[i]);
		seq = -7;
		ok(dav_token_parse(t, &seq) == 1 && seq == seqs[i], "token round trip of %lld (\"%s\")", seqs[i], t);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		seq = -7;
		ok(dav_token_parse(bad[i], &seq) == 0 && seq == -7, "dav_token_parse refuses \"%s\"", bad[i]);
	}
	ok(dav_token_parse(NULL, &seq) == 0, "dav_token_parse refuses NULL");

	is_str(dav_etag(&A, 7), "\"7\"", "dav_etag(7) is \"7\" in quotes");
	is_str(dav_etag(&A, 1234567890123LL), "\"1234567890123\"", "dav_etag of a big counter");
	ok(strcmp(dav_etag(&A, 1), dav_etag(&A, 2)) != 0, "different counters, different ETags");

	is_int(dav_depth("0", 1), 0, "Depth: 0");
	is_int(dav_depth("1", 0), 1, "Depth: 1");
	is_int(dav_depth("infinity", 0), 1, "Depth: infinity is 1");
	is_int(dav_depth("Infinity", 0), 1, "Depth: Infinity (any case) is 1");
	is_int(dav_depth(NULL, 0), 0, "no Depth: the default (0)");
	is_int(dav_depth(NULL, 1), 1, "no Depth: the default (1)");
	is_int(dav_depth("", 1), 1, "an empty Depth: the default");
	is_int(dav_depth("2", 0), -1, "Depth: 2 is malformed");
	is_int(dav_depth("-1", 0), -1, "Depth: -1 is malformed");
	is_int(dav_depth("01", 0), -1, "Depth: 01 is malformed");
	is_int(dav_depth("infinite", 0), -1, "Depth: infinite is malformed");
	is_int(dav_depth("one", 1), -1, "Depth: one is malformed");
	is_int(dav_depth("0, 1", 1), -1, "Depth: \"0, 1\" is malformed");

	is_str(dav_http_date(&A, "2024-03-05 07:08:09"), "Tue, 05 Mar 2024 07:08:09 GMT",
	       "dav_http_date: IMF-fixdate");
	is_str(dav_http_date(&A, "1970-01-01 00:00:00"), "Thu, 01 Jan 1970 00:00:00 GMT", "the epoch");
	is_str(dav_http_date(&A, "2000-02-29 23:59:59"), "Tue, 29 Feb 2000 23:59:59 GMT", "a leap day");
	is_str(dav_http_date(&A, "2038-01-19 03:14:08"), "Tue, 19 Jan 2038 03:14:08 GMT", "past 2^31 seconds");
	is_str(dav_http_date(&A, "2024-12-01 12:00:00.123456"), "Sun, 01 Dec 2024 12:00:00 GMT",
	       "a DATETIME(6) fraction is dropped");
	{
		/* the text is UTC whatever the local zone */
		const char *old = getenv("TZ");
		char *saved = old ? strdup(old) : NULL;
		setenv("TZ", "America/New_York", 1);
		tzset();
		is_str(dav_http_date(&A, "2024-07-04 23:30:00"), "Thu, 04 Jul 2024 23:30:00 GMT",
		       "the local time zone (TZ=America/New_York) plays no part");
		if (saved) {
			setenv("TZ", saved, 1);
			free(saved);
		} else {
			unsetenv("TZ");
		}
		tzset();
	}
	is_str(dav_http_date(&A, NULL), NULL, "dav_http_date(NULL)");
	is_str(dav_http_date(&A, ""), NULL, "dav_http_date(\"\")");
	is_str(dav_http_date(&A, "garbage"), NULL, "dav_http_date(\"garbage\")");
	is_str(dav_http_date(&A, "2024-03-05"), NULL, "a date without a time");
	is_str(dav_http_date(&A, "Tue, 05 Mar 2024 07:08:09 GMT"), NULL, "an HTTP date is not a DATETIME");
	/* Note: out-of-range fields ("2024-02-30 00:00:00", "2024-13-01 ...")
	 * are normalised by timegm rather than refused; DATETIME columns never
	 * hold them, so this is left unpinned. */
}

/* --- text-match -------------------------------------------------------------------*/

static void test_match(void)
{
	static const struct {
		const char *value, *text;
		enum dav_match m;
		int unicode, ascii, octet;	/* expected under each collation */
	} t[] = {
		{"John Smith", "John Smith", DAV_MATCH_EQUALS, 1, 1, 1},
		{"John Smith", "john smith", DAV_MATCH_EQUALS, 1, 1, 0},
		{"John Smith", "John", DAV_MATCH_EQUALS, 0, 0, 0},
		{"John", "John Smith", DAV_MATCH_EQUALS, 0, 0, 0},
		{"John Smith", "SMI", DAV_MATCH_CONTAINS, 1, 1, 0},
		{"John Smith", "n S", DAV_MATCH_CONTAINS, 1, 1, 1},
		{"John Smith", "xyz", DAV_MATCH_CONTAINS, 0, 0, 0},
		{"John Smith", "JOHN", DAV_MATCH_STARTS_WITH, 1, 1, 0},
		{"John Smith", "John", DAV_MATCH_STARTS_WITH, 1, 1, 1},
		{"John Smith", "Smith", DAV_MATCH_STARTS_WITH, 0, 0, 0},
		{"Jo", "John", DAV_MATCH_STARTS_WITH, 0, 0, 0},
		{"John Smith", "SMITH", DAV_MATCH_ENDS_WITH, 1, 1, 0},
		{"John Smith", "Smith", DAV_MATCH_ENDS_WITH, 1, 1, 1},
		{"John Smith", "John", DAV_MATCH_ENDS_WITH, 0, 0, 0},
		{"th", "Smith", DAV_MATCH_ENDS_WITH, 0, 0, 0},
		/* non-ASCII: only i;unicode-casemap folds it */
		{"\xc3\x89mile Zola", "\xc3\xa9mile", DAV_MATCH_STARTS_WITH, 1, 0, 0},	/* Émile / émile */
		{"\xc3\x89MILE", "\xc3\x89mile", DAV_MATCH_EQUALS, 1, 1, 0},	/* ÉMILE / Émile */
		{"\xc3\x89MILE", "\xc3\xa9mile", DAV_MATCH_EQUALS, 1, 0, 0},	/* ÉMILE / émile */
		{"M\xc3\x9cLLER", "m\xc3\xbcller", DAV_MATCH_EQUALS, 1, 0, 0},	/* MÜLLER / müller */
		{"\xd0\x9c\xd0\x9e\xd0\xa1\xd0\x9a\xd0\x92\xd0\x90", "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0",
		 DAV_MATCH_EQUALS, 1, 0, 0},	/* МОСКВА / москва */
		{"\xd0\x81\xd0\xbb\xd0\xba\xd0\xb0", "\xd1\x91\xd0\xbb\xd0\xba\xd0\xb0", DAV_MATCH_EQUALS, 1, 0, 0},	/* Ёлка / ёлка */
		{"\xce\x91\xce\x98\xce\x97\xce\x9d\xce\x91", "\xce\xb8\xce\xb7\xce\xbd", DAV_MATCH_CONTAINS, 1, 0, 0},	/* ΑΘΗΝΑ / θην */
		{"\xc5\x81\xc3\x93\x44\xc5\xb9", "\xc5\x82\xc3\xb3\x64\xc5\xba", DAV_MATCH_EQUALS, 1, 0, 0},	/* ŁÓDŹ / łódź */
		{"\xc5\x81\xc3\x93\x44\xc5\xb9", "\xc5\x81\xc3\x93\x64\xc5\xb9", DAV_MATCH_EQUALS, 1, 1, 0},	/* ŁÓDŹ / ŁÓdŹ */
		{"\xc3\x97", "\xc3\xb7", DAV_MATCH_EQUALS, 0, 0, 0},	/* × is not the capital of ÷ */
		{"\xc3\x9f", "\xc3\xbf", DAV_MATCH_EQUALS, 0, 0, 0},	/* ß is not the capital of ÿ */
		{"\xc4\xb0", "\xc4\xb1", DAV_MATCH_EQUALS, 0, 0, 0},	/* İ is not the capital of ı */
		{"\xce\xa3", "\xcf\x83", DAV_MATCH_EQUALS, 1, 0, 0},	/* Σ / σ */
		{"caf\xc3\xa9", "CAF\xc3\xa9", DAV_MATCH_EQUALS, 1, 1, 0},
		{"caf\xc3\xa9", "cafe", DAV_MATCH_EQUALS, 0, 0, 0},	/* no accent stripping */
		{"x\xffy", "\xff", DAV_MATCH_CONTAINS, 1, 1, 1},	/* invalid UTF-8 compares as bytes */
		{"X\xffY", "x\xffy", DAV_MATCH_EQUALS, 1, 1, 0},
	};
	static const enum dav_collation colls[] = {DAV_COLL_UNICODE_CASEMAP, DAV_COLL_ASCII_CASEMAP, DAV_COLL_OCTET};
	static const char *const coll_names[] = {"unicode", "ascii", "octet"};

	is_int(dav_match_lookup(NULL), DAV_MATCH_CONTAINS, "no match-type: contains");
	is_int(dav_match_lookup("equals"), DAV_MATCH_EQUALS, "equals");
	is_int(dav_match_lookup("contains"), DAV_MATCH_CONTAINS, "contains");
	is_int(dav_match_lookup("starts-with"), DAV_MATCH_STARTS_WITH, "starts-with");
	is_int(dav_match_lookup("ends-with"), DAV_MATCH_ENDS_WITH, "ends-with");
	is_int(dav_match_lookup("sounds-like"), DAV_MATCH__MAX, "an unknown match-type: __MAX");
	is_int(dav_match_lookup(""), DAV_MATCH__MAX, "an empty match-type: __MAX");
	is_int(dav_match_lookup("equal"), DAV_MATCH__MAX, "\"equal\" (a prefix of equals): __MAX");
	is_int(dav_collation_lookup(NULL), DAV_COLL_UNICODE_CASEMAP, "no collation: i;unicode-casemap");
	is_int(dav_collation_lookup("i;unicode-casemap"), DAV_COLL_UNICODE_CASEMAP, "i;unicode-casemap");
	is_int(dav_collation_lookup("i;ascii-casemap"), DAV_COLL_ASCII_CASEMAP, "i;ascii-casemap");
	is_int(dav_collation_lookup("i;octet"), DAV_COLL_OCTET, "i;octet");
	is_int(dav_collation_lookup("i;basic"), DAV_COLL__MAX, "an unknown collation: __MAX");
	is_int(dav_collation_lookup(""), DAV_COLL__MAX, "an empty collation: __MAX");

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const int want[3] = {t[i].unicode, t[i].ascii, t[i].octet};
		for (int c = 0; c < 3; c++)
			is_int(dav_text_match(t[i].value, t[i].text, t[i].m, colls[c]), want[c],
			       "\"%s\" %s \"%s\" under %s", t[i].value,
			       t[i].m == DAV_MATCH_EQUALS ? "equals" : t[i].m == DAV_MATCH_CONTAINS ? "contains" :
			       t[i].m == DAV_MATCH_STARTS_WITH ? "starts with" : "ends with",
			       t[i].text, coll_names[c]);
	}
	is_int(dav_text_match(NULL, "x", DAV_MATCH_CONTAINS, DAV_COLL_OCTET), 0, "a NULL value matches nothing");
	is_int(dav_text_match("x", NULL, DAV_MATCH_CONTAINS, DAV_COLL_OCTET), 0, "a NULL text matches nothing");
}

/* --- output buffer, digits ------------------------------------------------------------*/

static void test_buf(void)
{
	struct dav_buf b;
	char big[10000];
	xmlDocPtr d;

	is_str(TEXT("plain text 123"), "plain text 123", "dav_buf_text: plain text unchanged");
	is_str(TEXT("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e'f", "& < > \" escaped");
	is_str(TEXT("&amp;"), "&amp;amp;", "an entity in the text is escaped, not kept");
	is_str(TEXT("x\r\ny\tz\n"), "x&#13;\ny\tz\n", "CR as &#13;, LF and tab kept");
	is_str(TEXT("a\x01" "b\x1f" "c"), "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c", "C0 controls become U+FFFD");
	is_str(TEXT("a\0b"), "a\xef\xbf\xbd" "b", "a NUL becomes U+FFFD");
	is_str(TEXT("\x7f"), "\x7f", "DEL is allowed in XML and kept");
	is_str(TEXT("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	       "valid UTF-8 (2, 3 and 4 bytes) kept");
	is_str(TEXT("a\xff" "b"), "a\xef\xbf\xbd" "b", "an invalid byte becomes U+FFFD");
	is_str(TEXT("\xc3("), "\xef\xbf\xbd(", "a broken sequence becomes U+FFFD");
	is_str(TEXT("\xef\xbf\xbe|\xef\xbf\xbf"), "\xef\xbf\xbd|\xef\xbf\xbd", "U+FFFE and U+FFFF become U+FFFD");
	ok(strstr(TEXT("\xed\xa0\x80"), "\xed") == NULL && strstr(TEXT("\xed\xa0\x80"), "\xef\xbf\xbd"),
	   "a UTF-16 surrogate (ED A0 80) is replaced");
	ok(strstr(TEXT("\xc0\xaf"), "\xc0") == NULL, "an overlong encoding (C0 AF) is replaced");
	ok(strstr(TEXT("\xf4\x90\x80\x80"), "\xf4") == NULL, "a code point past U+10FFFF is replaced");
	is_str(TEXT("ok\xe2\x82"), "ok\xef\xbf\xbd\xef\xbf\xbd", "a sequence cut at the end is replaced");
	is_str(text("abcdef", 3), "abc", "only n bytes are read");
	is_str(text("<x>", 0), "", "n = 0 adds nothing");

	/* what dav_buf_text writes is read back as the same text */
	{
		static const char orig[] = "a&b<c>\"d\" 'e'\r\nf\tg & h";
		struct arena *a = &A;
		const char *body;
		dav_buf_init(&b);
		dav_buf_str(&b, "<t>");
		dav_buf_text(&b, orig, sizeof(orig) - 1);
		dav_buf_str(&b, "</t>");
		body = arena_strndup(a, b.data, b.len);
		dav_buf_free(&b);
		ok(parse(body, &d) == ERR_OK && d, "escaped text parses as XML");
		if (d && d != (xmlDocPtr)&A) {
			is_str(dav_node_text(xmlDocGetRootElement(d), a), orig, "and reads back as the original, CR included");
			xmlFreeDoc(d);
		}
	}

	dav_buf_init(&b);
	ok(b.len == 0 && b.failed == 0, "an initialised buffer is empty");
	dav_buf_add(&b, "xyz", 0);
	is_int(b.len, 0, "adding 0 bytes adds nothing");
	dav_buf_str(&b, "<a>");
	dav_buf_printf(&b, "%d-%s", 42, "x");
	is_str(b.data, "<a>42-x", "dav_buf_str then dav_buf_printf");
	memset(big, 'q', 300);
	big[300] = '\0';
	dav_buf_printf(&b, "[%s]", big);
	ok(b.len == 7 + 302 && b.data[7] == '[' && b.data[308] == ']' && b.data[309] == '\0',
	   "dav_buf_printf of more than 256 bytes (len %zu)", b.len);
	memset(big, 'z', sizeof(big));
	dav_buf_add(&b, big, sizeof(big));
	ok(b.len == 309 + sizeof(big) && b.cap > b.len && b.data[b.len] == '\0' && b.data[b.len - 1] == 'z' &&
	   b.data[308] == ']' && !b.failed, "the buffer grows past 4096 bytes and keeps its content");
	dav_buf_free(&b);
	ok(b.data == NULL && b.len == 0, "dav_buf_free empties it");
	dav_buf_free(&b);
	ok(b.data == NULL, "and a second free is harmless");

	is_str(dav_digits(&A, "+1 (555) 010-9999"), "15550109999", "dav_digits keeps only digits");
	is_str(dav_digits(&A, "+49 30 1234 56-78 ext. 9"), "4930123456789", "spaces, dashes, letters dropped");
	is_str(dav_digits(&A, "no digits"), "", "none: \"\"");
	is_str(dav_digits(&A, ""), "", "empty: \"\"");
	is_str(dav_digits(&A, NULL), "", "NULL: \"\"");
	is_str(dav_digits(&A, "\xd9\xa3\xef\xbc\x95" "7"), "7", "non-ASCII digits (Arabic-Indic, fullwidth) dropped");
}

int main(void)
{
	arena_init(&A);
	test_xml_parse();
	test_xml_limits();
	test_nodes();
	test_basic();
	test_names();
	test_name_ok();
	test_href();
	test_tokens();
	test_match();
	test_buf();
	arena_reset(&A);
	xmlCleanupParser();
	return done_testing();
}
