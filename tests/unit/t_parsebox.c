/* t_parsebox.c: unit tests of parsing in the sandboxed child (lib/parsebox.c): same results as in process, the child's confinement, recovery. */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <libxml/parser.h>

#include "dav.h"
#include "parsebox.h"
#include "sandbox.h"
#include "tap.h"

/* slurp: the whole file (malloc'd), or NULL */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) != NULL) {
		*len = fread(buf, 1, (size_t)n, f);
		buf[*len] = '\0';
	}
	fclose(f);
	return buf;
}

/* describe: everything a caller can see of a parse, as one string */
static char *describe(enum err e, const struct vcard_result *vr)
{
	json_t *o = json_object(), *cards = json_array();
	char *s;

	json_object_set_new(o, "e", json_integer(e));
	json_object_set_new(o, "n", json_integer((json_int_t)vr->n_cards));
	json_object_set_new(o, "b", json_integer((json_int_t)vr->n_broken));
	for (size_t i = 0; e == ERR_OK && i < vr->n_cards; i++) {
		const struct vcard_parsed *p = &vr->cards[i];
		json_t *c = card_to_json(&p->card), *x = json_array();
		for (size_t k = 0; k < p->card.n_extras; k++)
			json_array_append_new(x, json_string(p->card.extras[k].line));
		json_object_set_new(c, "_x", x);
		json_object_set_new(c, "_i", json_integer((json_int_t)p->index));
		json_object_set_new(c, "_e", p->error ? json_string(p->error) : json_null());
		json_object_set_new(c, "_w", p->warning ? json_string(p->warning) : json_null());
		json_object_set_new(c, "_v", json_string(p->version));
		json_object_set_new(c, "_u", json_string(p->uid));
		json_object_set_new(c, "_r", json_string(p->rev));
		json_object_set_new(c, "_pm", p->photo_mime ? json_string(p->photo_mime) : json_null());
		json_object_set_new(c, "_pu", p->photo_uri ? json_string(p->photo_uri) : json_null());
		json_object_set_new(c, "_pl", json_integer((json_int_t)p->photo_len));
		/* the photo's bytes, by a checksum */
		unsigned long h = 5381;
		for (size_t k = 0; k < p->photo_len; k++)
			h = h * 33 + p->photo[k];
		json_object_set_new(c, "_ph", json_integer((json_int_t)(h & 0x7fffffff)));
		json_array_append_new(cards, c);
	}
	json_object_set_new(o, "cards", cards);
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return s;
}

/* same_both_ways: data parsed in process and in the child looks the same */
static int same_both_ways(const char *data, size_t len, const struct vcard_parse_opts *opts,
			  const char *what)
{
	struct arena a;
	struct vcard_result r1, r2;
	enum err e1, e2;
	char *d1, *d2;
	int same;

	arena_init(&a);
	parsebox_set(0);
	e1 = vcard_parse_boxed(data, len, opts, &a, &r1);
	d1 = describe(e1, &r1);
	parsebox_set(1);
	e2 = vcard_parse_boxed(data, len, opts, &a, &r2);
	d2 = describe(e2, &r2);
	same = d1 && d2 && strcmp(d1, d2) == 0;
	if (!same)
		printf("# %s differs:\n#  in process %.300s\n#  in child   %.300s\n", what, d1, d2);
	free(d1);
	free(d2);
	arena_reset(&a);
	return same;
}

/* each_file: same_both_ways for every regular file under dir (recursive);
 * the number of files, and *bad the number that differ */
static int each_file(const char *dir, int *bad)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char path[4096];
		size_t len;
		char *data;
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (de->d_type == DT_DIR) {
			n += each_file(path, bad);
			continue;
		}
		if ((data = slurp(path, &len)) == NULL)
			continue;
		n++;
		if (!same_both_ways(data, len, NULL, path))
			(*bad)++;
		free(data);
	}
	closedir(d);
	return n;
}

static void test_vcard_same(void)
{
	const char *env = getenv("LIVECARD_TESTDATA");
	const char *td = env && *env ? env :
			 access("../shared/testdata/vcards", R_OK) == 0 ? "../shared/testdata" :
			 "/work/shared/testdata";
	char dir[4096];
	int bad = 0, n;

	snprintf(dir, sizeof(dir), "%s/vcards", td);
	n = each_file(dir, &bad);
	n += each_file("tests/fuzz/corpus/vcard", &bad);
	ok(n > 40, "vCards to compare: %d (test data and the fuzz corpus)", n);
	is_int(bad, 0, "every one parses the same in the child as in process");

	/* the options reach the child: a charset, one card only, a photo limit */
	const char *gb = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\xd5\xc5\xc8\xfd\r\nORG:\xb1\xb1\xbe\xa9\r\nEND:VCARD\r\n";
	struct vcard_parse_opts o = {.charset = "GB18030"};
	ok(same_both_ways(gb, strlen(gb), &o, "GB18030 declared"), "a declared charset (GB18030) is converted the same");
	o.charset = "BIG5";
	ok(same_both_ways(gb, strlen(gb), &o, "BIG5 declared"), "and another (BIG5)");
	struct vcard_parse_opts one = {.max_cards = 1};
	const char *two = "BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:B\r\nEND:VCARD\r\n";
	ok(same_both_ways(two, strlen(two), &one, "max_cards 1"), "too many cards: the same refusal");
	ok(same_both_ways("no card here", 12, NULL, "no card"), "no card: the same refusal");

	struct arena a;
	struct vcard_result vr;
	arena_init(&a);
	enum err e = vcard_parse_boxed(gb, strlen(gb), &(struct vcard_parse_opts){.charset = "GB18030"}, &a, &vr);
	ok(e == ERR_OK && vr.n_cards == 1 && strcmp(vr.cards[0].card.full_name, "张三") == 0 &&
		   strcmp(vr.cards[0].card.organization, "北京") == 0,
	   "GB18030 text comes back as UTF-8 from the child");
	arena_reset(&a);
}

/* dump: an element tree as text (names, namespaces, attributes, text) */
static void dump(const xmlNode *n, char *buf, size_t cap)
{
	for (; n; n = n->next) {
		size_t l = strlen(buf);
		if (n->type == XML_ELEMENT_NODE) {
			snprintf(buf + l, cap - l, "<{%s}%s", n->ns && n->ns->href ? (const char *)n->ns->href : "",
				 (const char *)n->name);
			for (const xmlAttr *at = n->properties; at; at = at->next) {
				xmlChar *v = xmlGetProp(n, at->name);
				l = strlen(buf);
				snprintf(buf + l, cap - l, " %s=%s", (const char *)at->name, v ? (const char *)v : "");
				xmlFree(v);
			}
			l = strlen(buf);
			snprintf(buf + l, cap - l, ">");
			dump(n->children, buf, cap);
			l = strlen(buf);
			snprintf(buf + l, cap - l, "</>");
		} else if (n->type == XML_TEXT_NODE && n->content) {
			snprintf(buf + l, cap - l, "%s", (const char *)n->content);
		}
	}
}

static void test_xml_same(void)
{
	static const char *const bodies[] = {
		"<propfind xmlns=\"DAV:\"><prop><current-user-principal/></prop></propfind>",
		"<D:propfind xmlns:D=\"DAV:\"><D:allprop/></D:propfind>",
		"<C:addressbook-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:carddav\">"
		"<D:prop><D:getetag/></D:prop><C:filter test=\"allof\"><C:prop-filter name=\"EMAIL\">"
		"<C:text-match match-type=\"ends-with\" collation=\"i;unicode-casemap\">example.org</C:text-match>"
		"<C:param-filter name=\"TYPE\"><C:is-not-defined/></C:param-filter></C:prop-filter></C:filter>"
		"<C:limit><C:nresults>1</C:nresults></C:limit></C:addressbook-query>",
		"<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><D:displayname>名片 &amp; &lt;cards&gt;"
		"<![CDATA[ x ]]></D:displayname></D:prop></D:set></D:propertyupdate>",
		"<?xml version=\"1.0\" encoding=\"utf-8\"?><!-- c --><a xmlns=\"urn:x\"><?pi x?><b xmlns=\"urn:y\" k=\"v\">t</b></a>",
	};
	struct arena a;
	char b1[8192], b2[8192];
	int bad = 0;

	arena_init(&a);
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		xmlDocPtr d1, d2;
		const char *why;
		b1[0] = b2[0] = '\0';
		parsebox_set(0);
		enum err e1 = dav_xml_parse_boxed(bodies[i], strlen(bodies[i]), &a, &d1, &why);
		parsebox_set(1);
		enum err e2 = dav_xml_parse_boxed(bodies[i], strlen(bodies[i]), &a, &d2, &why);
		if (e1 == ERR_OK)
			dump(xmlDocGetRootElement(d1), b1, sizeof(b1));
		if (e2 == ERR_OK)
			dump(xmlDocGetRootElement(d2), b2, sizeof(b2));
		if (e1 != e2 || strcmp(b1, b2) != 0) {
			bad++;
			printf("# body %zu differs:\n#  %s\n#  %s\n", i, b1, b2);
		}
		xmlFreeDoc(d1);
		xmlFreeDoc(d2);
	}
	is_int(bad, 0, "DAV request bodies: the rebuilt document reads as libxml2's own");

	/* refusals come back with their reason */
	char *bomb = malloc(200000);
	size_t n = (size_t)sprintf(bomb, "<a");
	for (int i = 0; i < 20000; i++)
		n += (size_t)sprintf(bomb + n, " a%d=\"\"", i);
	sprintf(bomb + n, "/>");
	xmlDocPtr d;
	const char *why = NULL;
	enum err e = dav_xml_parse_boxed(bomb, strlen(bomb), &a, &d, &why);
	ok(e == ERR_BAD_REQUEST && why && strstr(why, "attributes"), "an attribute bomb: 400 with the reason (%s)",
	   why ? why : "none");
	free(bomb);
	e = dav_xml_parse_boxed("<a>", 3, &a, &d, &why);
	ok(e == ERR_BAD_REQUEST && why == NULL, "not well-formed: 400 without a limit named");
	const char *dtd = "<!DOCTYPE a [<!ENTITY b \"c\">]><a>&b;</a>";
	e = dav_xml_parse_boxed(dtd, strlen(dtd), &a, &d, &why);
	ok(e == ERR_BAD_REQUEST, "a DOCTYPE: 400");
	arena_reset(&a);
}

/* count_named: elements named name under n (n included) */
static size_t count_named(const xmlNode *n, const char *name, const xmlNode **last)
{
	size_t c = 0;
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)n->name, name) == 0) {
			c++;
			*last = n;
		}
		c += count_named(n->children, name, last);
	}
	return c;
}

/* The XML answer as the worker reads it: a real one, cut and damaged, and
 * ones no child would write; then a multiget of 5,000 hrefs both ways. */
static void test_xml_answer(void)
{
	static struct sandbox_service svc = {.task = "parse"};
	const char *body = "<C:addressbook-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:carddav\">"
			   "<D:prop><D:getetag/></D:prop><C:filter test=\"anyof\"><C:prop-filter name=\"FN\">"
			   "<C:text-match match-type=\"contains\">李 &amp; co</C:text-match></C:prop-filter>"
			   "</C:filter></C:addressbook-query>";
	struct sandbox_limits lim = {.wall_ms = 10000, .out_max = 1 << 20};
	char req[1024];
	unsigned char *ans = NULL;
	size_t n = 0;
	int detail, refused = 0, read_back = 0;
	struct arena a;
	xmlDocPtr d;
	const char *why;
	enum err e;

	arena_init(&a);
	req[0] = 'X';
	memcpy(req + 1, body, strlen(body));
	ok(sandbox_call(&svc, req, 1 + strlen(body), &lim, &ans, &n, &detail) == SANDBOX_OK && n > 0,
	   "the child answers an XML body (%zu bytes)", n);
	if (ans == NULL)
		return;
	ok(parsebox_read_xml(ans, n, &a, &d, &why, &e) == 0 && e == ERR_OK && d, "the answer reads");
	char b1[4096] = "", b2[4096] = "";
	dump(xmlDocGetRootElement(d), b1, sizeof(b1));
	xmlFreeDoc(d);
	parsebox_set(0);
	dav_xml_parse_boxed(body, strlen(body), &a, &d, &why);
	parsebox_set(1);
	dump(xmlDocGetRootElement(d), b2, sizeof(b2));
	xmlFreeDoc(d);
	is_str(b1, b2, "as the document libxml2 parses here");

	for (size_t cut = 0; cut < n; cut++)
		refused += parsebox_read_xml(ans, cut, &a, &d, &why, &e) != 0;
	is_int(refused, (long long)n, "every truncation is refused (%zu)", n);
	srand(11);
	for (int i = 0; i < 3000; i++) {
		unsigned char *m = malloc(n);
		memcpy(m, ans, n);
		for (int k = 0; k < 1 + i % 4; k++)
			m[rand() % n] = (unsigned char)rand();
		if (parsebox_read_xml(m, n, &a, &d, &why, &e) == 0) {
			read_back++;
			xmlFreeDoc(d);
		}
		free(m);
		arena_reset(&a);
	}
	ok(1, "3000 damaged answers read without a fault (%d still read)", read_back);

	/* a root that is closed twice, an element after the root, and a nesting
	 * deeper than the parser allows: refused */
	struct card_packbuf b = {0};
	uint32_t r = 0;
	card_pack_str(&b, (const char *)&r, 4);
	for (int k = 0; k < DAV_XML_MAX_DEPTH + 2; k++) {
		card_pack_str(&b, "E", 1);
		card_pack_str(&b, "a", 2);
		card_pack_str(&b, "urn:x", 6);
	}
	for (int k = 0; k < DAV_XML_MAX_DEPTH + 2; k++)
		card_pack_str(&b, "U", 1);
	ok(parsebox_read_xml(b.data, b.len, &a, &d, &why, &e) != 0, "an answer nested too deep is refused");
	b.len = 4 + 4;
	card_pack_str(&b, "E", 1);
	card_pack_str(&b, "a", 2);
	card_pack_str(&b, NULL, 0);
	memset(b.data + b.len - 4, 0xff, 4);
	card_pack_str(&b, "U", 1);
	size_t one = b.len;
	ok(parsebox_read_xml(b.data, one, &a, &d, &why, &e) == 0 && d, "one element reads");
	xmlFreeDoc(d);
	card_pack_str(&b, "U", 1);
	ok(parsebox_read_xml(b.data, b.len, &a, &d, &why, &e) != 0, "an end too many is refused");
	b.len = one;
	card_pack_str(&b, "E", 1);
	card_pack_str(&b, "b", 2);
	card_pack_str(&b, "urn:x", 6);
	card_pack_str(&b, "U", 1);
	ok(parsebox_read_xml(b.data, b.len, &a, &d, &why, &e) != 0, "a second root is refused");
	b.len = one - 5;	/* the root open again */
	card_pack_str(&b, "T", 1);
	card_pack_str(&b, "x", 2);
	card_pack_str(&b, "U", 1);
	ok(parsebox_read_xml(b.data, b.len, &a, &d, &why, &e) == 0 && d, "a text with its NUL reads");
	xmlFreeDoc(d);
	b.len = one - 5;
	card_pack_str(&b, "T", 1);
	card_pack_str(&b, "x", 1);	/* no NUL counted */
	card_pack_str(&b, "U", 1);
	ok(parsebox_read_xml(b.data, b.len, &a, &d, &why, &e) != 0, "a string without its NUL is refused");
	free(b.data);
	free(ans);
	sandbox_service_stop(&svc);

	/* a first sync's multiget: 5,000 hrefs */
	size_t cap = 5000 * 64 + 512, l = 0;
	char *mg = malloc(cap);
	l += (size_t)sprintf(mg, "<C:addressbook-multiget xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:carddav\">"
				 "<D:prop><D:getetag/><C:address-data/></D:prop>");
	for (int i = 0; i < 5000; i++)
		l += (size_t)sprintf(mg + l, "<D:href>/dav/u/book/card-%06d.vcf</D:href>", i);
	l += (size_t)sprintf(mg + l, "</C:addressbook-multiget>");
	double ms[2];
	size_t hrefs[2];
	const xmlNode *last[2] = {NULL, NULL};
	char lastv[2][64] = {"", ""};
	for (int boxed = 0; boxed < 2; boxed++) {
		struct timespec t0, t1;
		parsebox_set(boxed);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		e = dav_xml_parse_boxed(mg, l, &a, &d, &why);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms[boxed] = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
		hrefs[boxed] = e == ERR_OK ? count_named(xmlDocGetRootElement(d), "href", &last[boxed]) : 0;
		if (last[boxed]) {
			xmlChar *t = xmlNodeGetContent(last[boxed]);
			snprintf(lastv[boxed], sizeof(lastv[boxed]), "%s", (const char *)t);
			xmlFree(t);
		}
		if (e == ERR_OK)
			xmlFreeDoc(d);
		arena_reset(&a);
	}
	ok(hrefs[0] == 5000 && hrefs[1] == 5000 && strcmp(lastv[0], lastv[1]) == 0,
	   "a multiget of 5,000 hrefs: the same hrefs both ways (%zu, %zu, last %s)", hrefs[0], hrefs[1], lastv[1]);
	printf("# a multiget of 5,000 hrefs (%zu bytes): %.1f ms in process, %.1f ms in the child\n", l, ms[0],
	       ms[1]);
	free(mg);
}

/* status_line: the value of a "Name:" line of /proc/pid/status, or "" */
static const char *status_line(int pid, const char *name, char *buf, size_t cap)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	buf[0] = '\0';
	if ((f = fopen(path, "r")) == NULL)
		return buf;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, name, strlen(name)) == 0 && line[strlen(name)] == ':') {
			const char *v = line + strlen(name) + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			snprintf(buf, cap, "%.*s", (int)strcspn(v, "\n"), v);
		}
	fclose(f);
	return buf;
}

static void test_confinement(void)
{
	struct arena a;
	struct vcard_result vr;
	char buf[256], path[64];
	const char *card = "BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n";
	int pid, pid2;
	FILE *f;

	arena_init(&a);
	parsebox_set(1);
	ok(vcard_parse_boxed(card, strlen(card), NULL, &a, &vr) == ERR_OK, "a card is parsed");
	pid = parsebox_child_pid();
	ok(pid > 0 && pid != getpid(), "by a child process (%d)", pid);
	is_str(status_line(pid, "Seccomp", buf, sizeof(buf)), "2", "the child runs under a seccomp filter");
	is_str(status_line(pid, "NoNewPrivs", buf, sizeof(buf)), "1", "and cannot gain privileges");
	snprintf(path, sizeof(path), "/proc/%d/environ", pid);
	if ((f = fopen(path, "r")) != NULL) {
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = '\0';
		fclose(f);
		ok(n == strlen("LIVECARD_SANDBOX=parse") + 1 && strcmp(buf, "LIVECARD_SANDBOX=parse") == 0,
		   "its environment is only its task (no configuration path, no password)");
	} else {
		ok(0, "its environment can be read");
	}
	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	int fds = 0;
	DIR *d = opendir(path);
	struct dirent *de;
	while (d && (de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			fds++;
	if (d)
		closedir(d);
	ok(fds > 0 && fds <= 2, "it holds only stderr and its socket (%d descriptors)", fds);

	ok(vcard_parse_boxed(card, strlen(card), NULL, &a, &vr) == ERR_OK && parsebox_child_pid() == pid,
	   "the next call is served by the same child");

	/* a child that dies between calls is replaced, and the call succeeds */
	kill(pid, SIGKILL);
	usleep(100000);
	ok(vcard_parse_boxed(card, strlen(card), NULL, &a, &vr) == ERR_OK && vr.n_cards == 1,
	   "a child killed between calls: the next call is served");
	pid2 = parsebox_child_pid();
	ok(pid2 > 0 && pid2 != pid, "by a new child");
	ok(waitpid(pid, NULL, WNOHANG) < 0, "the old child was reaped (no zombie)");

	/* a child that stops answering costs that call only */
	kill(pid2, SIGSTOP);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	enum err e = vcard_parse_boxed(card, strlen(card), &(struct vcard_parse_opts){.max_cards = 1}, &a, &vr);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ok(e == ERR_BAD_REQUEST && s >= PARSEBOX_WALL_MS_ONE / 1000.0 - 0.5 && s < PARSEBOX_WALL_MS_ONE / 1000.0 + 3,
	   "a child that hangs: 400 after the wall limit (%.1f s)", s);
	ok(parsebox_child_pid() == 0 && waitpid(pid2, NULL, WNOHANG) < 0, "and it was killed and reaped");
	ok(vcard_parse_boxed(card, strlen(card), NULL, &a, &vr) == ERR_OK && vr.n_cards == 1,
	   "the call after it is served by a fresh child");

	/* a worker under a lower hard CPU limit (and a forked copy of the
	 * worker, which starts a child of its own) than the child's (a shared
	 * host's ulimit -t) still gets a child, under that lower limit */
	pid_t w = fork();
	if (w == 0) {
		struct rlimit rl = {.rlim_cur = 300, .rlim_max = 300};
		struct arena b;
		struct vcard_result r2;
		char st[256], lim[64];
		FILE *lf;
		arena_init(&b);
		if (setrlimit(RLIMIT_CPU, &rl) != 0)
			_exit(2);
		if (vcard_parse_boxed(card, strlen(card), NULL, &b, &r2) != ERR_OK || r2.n_cards != 1)
			_exit(3);
		snprintf(lim, sizeof(lim), "/proc/%d/limits", parsebox_child_pid());
		if ((lf = fopen(lim, "r")) == NULL)
			_exit(4);
		int seen = 0;
		while (fgets(st, sizeof(st), lf))
			if (strncmp(st, "Max cpu time", 12) == 0 && strstr(st, "300"))
				seen = 1;
		fclose(lf);
		_exit(seen ? 0 : 5);
	}
	int ws = -1;
	waitpid(w, &ws, 0);
	ok(WIFEXITED(ws) && WEXITSTATUS(ws) == 0,
	   "under a hard CPU limit of 300 s the child starts, with that limit (%d)", WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
	arena_reset(&a);
}

/* cost: microseconds per call of a small card, in the child and in process */
static void test_cost(void)
{
	const char *card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Li Lei\r\nORG:Example Ltd\r\n"
			   "EMAIL;TYPE=work:li@example.com\r\nTEL;TYPE=cell:+86 138 0013 9999\r\nEND:VCARD\r\n";
	struct arena a;
	struct vcard_result vr;
	struct timespec t0, t1;
	double us[2];
	int rounds = 300;

	arena_init(&a);
	for (int boxed = 0; boxed < 2; boxed++) {
		parsebox_set(boxed);
		vcard_parse_boxed(card, strlen(card), NULL, &a, &vr);	/* start the child */
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (int i = 0; i < rounds; i++)
			vcard_parse_boxed(card, strlen(card), NULL, &a, &vr);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		us[boxed] = ((double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3) / rounds;
		arena_reset(&a);
	}
	printf("# one card: %.0f us in process, %.0f us in the child\n", us[0], us[1]);

	/* a file of 1,000 such cards (an import) */
	size_t one = strlen(card), n = 1000;
	char *file = malloc(one * n + 1);
	double ms[2];
	for (size_t i = 0; i < n; i++)
		memcpy(file + i * one, card, one);
	file[one * n] = '\0';
	for (int boxed = 0; boxed < 2; boxed++) {
		parsebox_set(boxed);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (int i = 0; i < 5; i++) {
			vcard_parse_boxed(file, one * n, NULL, &a, &vr);
			arena_reset(&a);
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms[boxed] = ((double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6) / 5;
	}
	free(file);
	printf("# 1,000 cards: %.1f ms in process, %.1f ms in the child\n", ms[0], ms[1]);
	ok(us[1] < 20000, "a call to the child costs well under 20 ms (%.0f us)", us[1]);
	parsebox_set(1);
}

/* card_pack / card_unpack: a round trip, and bytes that are not a packed
 * card (what a child gone bad could send) are refused without a crash */
static void test_pack(void)
{
	const char *vc = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Li Lei\r\nN:Li;Lei;;Dr.;\r\nORG:Example;R&D\r\n"
			 "TITLE:CTO\r\nEMAIL;TYPE=work:li@example.com\r\nTEL;TYPE=cell:+86 138 0013 9999\r\n"
			 "ADR;TYPE=work:;;1 Road;Beijing;;100000;CN\r\nURL:https://example.com/\r\n"
			 "NOTE:a\\nb\r\nX-FOO:bar\r\nEND:VCARD\r\n";
	struct arena a;
	struct vcard_result vr;
	struct card_packbuf b = {0};
	struct card back;
	const unsigned char *p;
	int refused = 0, rounds = 0;

	arena_init(&a);
	parsebox_set(0);
	ok(vcard_parse_boxed(vc, strlen(vc), NULL, &a, &vr) == ERR_OK && vr.n_cards == 1, "a rich card");
	parsebox_set(1);
	card_pack(&b, &vr.cards[0].card);
	ok(!b.failed && b.len > 0, "packs (%zu bytes)", b.len);
	p = b.data;
	ok(card_unpack(&p, b.data + b.len, &a, &back) == 0 && p == b.data + b.len, "unpacks to its end");
	json_t *o1 = card_to_json(&vr.cards[0].card), *o2 = card_to_json(&back);
	char *j1 = json_dumps(o1, JSON_SORT_KEYS), *j2 = json_dumps(o2, JSON_SORT_KEYS);
	json_decref(o1);
	json_decref(o2);
	is_str(j2, j1, "the same card");
	ok(back.n_extras == vr.cards[0].card.n_extras && back.n_extras == 1 &&
		   strcmp(back.extras[0].line, vr.cards[0].card.extras[0].line) == 0,
	   "with its extras");
	free(j1);
	free(j2);
	for (size_t cut = 0; cut < b.len; cut++) {
		p = b.data;
		refused += card_unpack(&p, b.data + cut, &a, &back) != 0;
	}
	is_int(refused, (long long)b.len, "every truncation is refused (%zu)", b.len);
	/* flipped bytes: read or refused, never beyond the buffer (ASan) */
	srand(7);
	for (int i = 0; i < 2000; i++) {
		unsigned char *m = malloc(b.len);
		memcpy(m, b.data, b.len);
		for (int k = 0; k < 3; k++)
			m[rand() % b.len] = (unsigned char)rand();
		p = m;
		if (card_unpack(&p, m + b.len, &a, &back) == 0)
			rounds++;
		free(m);
		arena_reset(&a);
	}
	ok(1, "2000 damaged packs read without a fault (%d still read as a card)", rounds);
	free(b.data);
	arena_reset(&a);
}

int main(void)
{
	test_pack();
	test_vcard_same();
	test_xml_same();
	test_xml_answer();
	test_confinement();
	test_cost();
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
