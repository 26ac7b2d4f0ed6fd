/* fuzz_parsebox.c: libFuzzer harness playing a parsing child gone bad: any bytes as its answer to a vCard or an XML body (parsebox_read_vcard, parsebox_read_xml in lib/parsebox.c). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libxml/tree.h>

#include "dav.h"
#include "parsebox.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* walk: read every node as carddav.c would (names, namespaces, text) */
static size_t walk(const xmlNode *n, struct arena *a, int depth)
{
	size_t count = 0;
	for (; n; n = n->next, count++) {
		if (depth > DAV_XML_MAX_DEPTH + 2)
			__builtin_trap();	/* build() promised a bound on depth */
		if (n->type == XML_ELEMENT_NODE) {
			(void)dav_node_is(n, DAV_NS, "prop");
			(void)dav_node_text(n, a);
			count += walk(n->children, a, depth + 1);
		}
	}
	return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct vcard_result vr;
	xmlDocPtr doc;
	const char *why;
	enum err e;

	if (size < 1)
		return 0;
	arena_init(&a);
	/* the first byte chooses the kind of answer */
	if (data[0] & 1) {
		if (parsebox_read_vcard(data + 1, size - 1, &a, &vr, &e) == 0 && e == ERR_OK) {
			size_t sum = 0;
			for (size_t i = 0; i < vr.n_cards; i++) {
				const struct card *c = &vr.cards[i].card;
				sum += strlen(c->full_name) + strlen(vr.cards[i].uid) + vr.cards[i].photo_len;
				for (size_t k = 0; k < c->n_emails; k++)
					sum += strlen(c->emails[k].value);
				for (size_t k = 0; k < c->n_addresses; k++)
					sum += strlen(c->addresses[k].country);
				for (size_t k = 0; k < c->n_extras; k++)
					sum += strlen(c->extras[k].line);
				if (vr.cards[i].photo_len)
					sum += vr.cards[i].photo[vr.cards[i].photo_len - 1];
			}
			if (vr.n_broken > vr.n_cards)
				__builtin_trap();
			(void)sum;
		}
	} else {
		if (parsebox_read_xml(data + 1, size - 1, &a, &doc, &why, &e) == 0 && doc) {
			walk(xmlDocGetRootElement(doc), &a, 1);
			xmlFreeDoc(doc);
		}
	}
	arena_reset(&a);
	return 0;
}
