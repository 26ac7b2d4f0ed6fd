/* fuzz_dav_xml.c: libFuzzer harness for CardDAV request bodies: dav_xml_parse (lib/dav.c) and a walk of the document the way cgi-bin/carddav.c reads it. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "dav.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const dav_names[] = {
	"propfind", "prop", "allprop", "propname", "include", "href", "sync-token",
	"sync-level", "limit", "nresults", "propertyupdate", "set", "remove",
};
static const char *const card_names[] = {
	"addressbook-multiget", "addressbook-query", "filter", "prop-filter",
	"param-filter", "text-match", "is-not-defined", "address-data", "limit",
};

static void visit(const xmlNode *n, struct arena *a, int depth, size_t *count)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (++*count > 100000 || depth > DAV_XML_MAX_DEPTH + 1)
			__builtin_trap();	/* dav_xml_parse promised a bound on depth */
		for (size_t i = 0; i < sizeof(dav_names) / sizeof(dav_names[0]); i++)
			if (dav_node_is(n, DAV_NS, dav_names[i]))
				(void)dav_child(n, DAV_NS, "href");
		for (size_t i = 0; i < sizeof(card_names) / sizeof(card_names[0]); i++)
			if (dav_node_is(n, DAV_NS_CARD, card_names[i]))
				(void)dav_child(n, DAV_NS_CARD, "text-match");
		const char *text = dav_node_text(n, a);
		if (text == NULL)
			__builtin_trap();
		if (dav_node_is(n, DAV_NS, "href")) {
			const char *p = dav_href_path(a, text);
			const char *uid;
			long long id;
			if (p && p[0] != '/')
				__builtin_trap();
			if (p && strrchr(p, '/'))
				(void)dav_name_parse(a, strrchr(p, '/') + 1, &uid, &id);
		}
		if (dav_node_is(n, DAV_NS, "sync-token")) {
			long long seq;
			(void)dav_token_parse(text, &seq);
		}
		if (dav_node_is(n, DAV_NS_CARD, "text-match")) {
			xmlChar *mt = xmlGetProp(n, (const xmlChar *)"match-type");
			xmlChar *co = xmlGetProp(n, (const xmlChar *)"collation");
			enum dav_match m = dav_match_lookup((const char *)mt);
			enum dav_collation c = dav_collation_lookup((const char *)co);
			if (m != DAV_MATCH__MAX && c != DAV_COLL__MAX) {
				(void)dav_text_match("Ann Example 中文 ÄÖ", text, m, c);
				(void)dav_text_match(text, text, m, c);
				(void)dav_text_match(dav_digits(a, text), dav_digits(a, "+86 138"), m, c);
			}
			xmlFree(mt);
			xmlFree(co);
		}
		/* what a multistatus would echo back of the request (property names
		 * and namespaces of unknown properties) */
		{
			struct dav_buf b;
			dav_buf_init(&b);
			dav_buf_text(&b, (const char *)n->name, strlen((const char *)n->name));
			if (n->ns && n->ns->href)
				dav_buf_text(&b, (const char *)n->ns->href, strlen((const char *)n->ns->href));
			if (b.len && memchr(b.data, '<', b.len))
				__builtin_trap();
			dav_buf_free(&b);
		}
		visit(n->children, a, depth + 1, count);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena a;
	xmlDocPtr doc = NULL;
	size_t count = 0;

	if (dav_xml_parse((const char *)data, size, &doc) != ERR_OK) {
		if (doc != NULL)
			__builtin_trap();	/* refused: nothing to free */
		return 0;
	}
	if (doc == NULL)
		__builtin_trap();
	visit(xmlDocGetRootElement(doc), &a, 1, &count);
	xmlFreeDoc(doc);
	arena_reset(&a);
	return 0;
}
