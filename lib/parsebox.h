/* parsebox.h: vCard and CardDAV XML request bodies parsed in a long-lived sandboxed child, the worker getting back plain data. */
#ifndef LIVECARD_PARSEBOX_H
#define LIVECARD_PARSEBOX_H

#include <stddef.h>

#include <libxml/tree.h>

#include "arena.h"
#include "err.h"
#include "vcard.h"

/* Time one parse may take in the child (the parent kills it after that). */
#define PARSEBOX_WALL_MS_FILE 60000	/* a vCard file of many cards */
#define PARSEBOX_WALL_MS_ONE 10000	/* one card, one XML body */

/* parsebox_set: on (the default) parses in the child; off parses in the
 * calling process (the fuzzers, which must see the parser, and tests that
 * compare both). */
void parsebox_set(int on);

/* parsebox_child_pid: the process id of this worker's parsing child, or 0
 * when none runs (for tests and operators: its /proc entry shows the
 * filter, "Seccomp: 2"). */
int parsebox_child_pid(void);

/* vcard_parse_boxed: vcard_parse_ex, run in this worker's parsing child
 * (lib/sandbox.h sandbox_call: no files, no sockets, no exec, rlimits),
 * whose result comes back as JSON and is rebuilt in a: *out is what
 * vcard_parse_ex gives for the same bytes (cards, broken ones, warnings,
 * photos), so callers need not know where it ran. The parser's own
 * results (ERR_OK, ERR_BAD_REQUEST, ERR_TOO_LARGE) pass through. When the
 * child gives no answer (it crashed on these bytes, overstayed or said too
 * much) ERR_BAD_REQUEST, logged; when no child can be started
 * ERR_UNAVAILABLE. The next call starts a fresh child either way. */
enum err vcard_parse_boxed(const char *data, size_t len, const struct vcard_parse_opts *opts,
			   struct arena *a, struct vcard_result *out);

/* dav_xml_parse_boxed: dav_xml_parse (with its pre-scan) in the parsing
 * child; the document is rebuilt here from the child's tree of elements,
 * namespaces, attributes and text (comments and processing instructions
 * are not kept), so libxml2's parser never reads the request's bytes in
 * the worker. ERR_OK with *doc (xmlFreeDoc it); ERR_BAD_REQUEST with *why
 * (in a) the refusal of dav_xml_refusal, or NULL when the body is merely
 * not well-formed; ERR_UNAVAILABLE when no child can be started. */
enum err dav_xml_parse_boxed(const char *body, size_t len, struct arena *a, xmlDocPtr *doc,
			     const char **why);

/* parsebox_read_vcard, parsebox_read_xml: read the child's answer (n bytes
 * of ans; what vcard_parse_boxed and dav_xml_parse_boxed do with it) into
 * *out, or *doc and *why, with the parser's result in *e. 0, or -1 when the
 * bytes are not an answer (nothing is then meaningful; *doc is NULL). They
 * are exported for the fuzzer, which plays a child gone bad: no answer may
 * make the worker read or write outside what it was given. */
int parsebox_read_vcard(const unsigned char *ans, size_t n, struct arena *a,
			struct vcard_result *out, enum err *e);
int parsebox_read_xml(const unsigned char *ans, size_t n, struct arena *a, xmlDocPtr *doc,
		      const char **why, enum err *e);

#endif
