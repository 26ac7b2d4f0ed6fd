/* fuzz_dav_scan.c: libFuzzer harness for dav_xml_refusal and dav_xml_parse (lib/dav.c): the scan never under-counts what libxml2 builds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <libxml/parser.h>

#include "dav.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t elems, attrs_total, ns_total;

/* walk: count what the tree holds; abort when one element has more
 * attributes, or lies deeper, than the scan let through. */
static void walk(const xmlNode *n, int depth)
{
	for (; n; n = n->next) {
		size_t a = 0;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		elems++;
		for (const xmlAttr *p = n->properties; p; p = p->next)
			a++;
		for (const xmlNs *s = n->nsDef; s; s = s->next)
			a++, ns_total++;
		attrs_total += a;
		if (a > DAV_XML_MAX_ATTRS || depth > DAV_XML_MAX_DEPTH)
			abort();
		walk(n->children, depth + 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xmlDocPtr d = NULL;
	const char *why = dav_xml_refusal((const char *)data, size);

	if (dav_xml_parse((const char *)data, size, &d) != ERR_OK)
		return 0;
	if (why)
		abort();	/* the parse let through what the scan refuses */
	elems = attrs_total = ns_total = 0;
	walk(xmlDocGetRootElement(d), 1);
	if (elems > DAV_XML_MAX_NODES || attrs_total > DAV_XML_MAX_ATTRS_TOTAL || ns_total > DAV_XML_MAX_NS)
		abort();
	xmlFreeDoc(d);
	return 0;
}
