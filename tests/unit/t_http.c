/* t_http.c: unit tests for lib/http.c's pure parsers: multipart bodies and local paths. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "http.h"

#define CT "multipart/form-data; boundary=BB"

/* check: http_multipart_check on a copy of body in a buffer of its exact
 * size, so that ASan sees any read past the end. */
static enum err check(const char *ctype, const char *body, size_t max)
{
	size_t n = strlen(body);
	char *copy = malloc(n ? n : 1);
	memcpy(copy, body, n);
	enum err e = http_multipart_check(ctype, copy, n, max);
	free(copy);
	return e;
}

struct seen {
	int n;
	char names[8][32];
	size_t lens[8];
	int files;
};

static enum err collect(void *ctx, const struct mp_part *p)
{
	struct seen *s = ctx;
	if (s->n < 8) {
		snprintf(s->names[s->n], sizeof(s->names[0]), "%.*s", (int)p->name_len, p->name);
		s->lens[s->n] = p->len;
	}
	s->files += p->filename != NULL;
	s->n++;
	return ERR_OK;
}

static void test_boundary(void)
{
	const char *body = "--BB\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--BB--\r\n";
	is_int(check(CT, body, 16), ERR_OK, "a well-formed body");
	is_int(check("Multipart/Form-Data;boundary=\"BB\"", body, 16), ERR_OK, "quoted boundary, any case, no space");
	is_int(check("multipart/form-data; charset=utf-8; boundary=BB", body, 16), ERR_OK, "another parameter first");
	is_int(check("multipart/form-data", body, 16), ERR_BAD_REQUEST, "no boundary parameter (finding 1)");
	is_int(check("multipart/form-data;", body, 16), ERR_BAD_REQUEST, "a lone semicolon");
	is_int(check("multipart/form-data; boundary=", body, 16), ERR_BAD_REQUEST, "an empty boundary");
	is_int(check("multipart/form-data; boundary=\"\"", body, 16), ERR_BAD_REQUEST, "an empty quoted boundary");
	is_int(check("multipart/form-data; boundary=\"BB", body, 16), ERR_BAD_REQUEST, "an unterminated quote");
	is_int(check("multipart/form-data; boundary=BB; boundary=BB", body, 16), ERR_BAD_REQUEST, "two boundaries");
	is_int(check("multipart/form-data; boundary=B{B", body, 16), ERR_BAD_REQUEST, "a character outside RFC 2046's set");
	is_int(check("multipart/form-data; boundary=\"BB \"", body, 16), ERR_BAD_REQUEST, "a boundary ending in a space");
	char ct[128], b71[72];
	memset(b71, 'b', 71);
	b71[71] = '\0';
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", b71);
	is_int(check(ct, body, 16), ERR_BAD_REQUEST, "a 71-character boundary");
	is_int(check(NULL, body, 16), ERR_BAD_REQUEST, "no content type");
	is_int(check("text/plain; boundary=BB", body, 16), ERR_BAD_REQUEST, "not multipart/form-data");
}

static void test_structure(void)
{
	is_int(check(CT, "--BB\r\n\r\nx\r\n--BB--\r\n", 16), ERR_BAD_REQUEST, "a part without headers (the crash body)");
	is_int(check(CT, "", 16), ERR_BAD_REQUEST, "an empty body");
	is_int(check(CT, "--BB--\r\n", 16), ERR_OK, "no parts at all");
	is_int(check(CT, "--BB--", 16), ERR_OK, "the closing delimiter without CRLF");
	is_int(check(CT, "--BB--\r\nmore", 16), ERR_BAD_REQUEST, "data after the close");
	is_int(check(CT, "junk\r\n--BB--\r\n", 16), ERR_BAD_REQUEST, "a preamble");
	is_int(check(CT, "--BB\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx", 16),
	       ERR_BAD_REQUEST, "the closing delimiter missing");
	is_int(check(CT, "--BB\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--BB", 16),
	       ERR_BAD_REQUEST, "the body ends right after a delimiter");
	is_int(check(CT, "--BB\r\nContent-Disposition: form-data; name=\"a\"\r\n", 16),
	       ERR_BAD_REQUEST, "headers without the blank line");
	is_int(check(CT, "--BB\r\nContent-Disposition: form-data; name=\"a\"", 16),
	       ERR_BAD_REQUEST, "a header line that never ends");
	is_int(check(CT, "--BB\nContent-Disposition: form-data; name=\"a\"\n\nx\n--BB--\n", 16),
	       ERR_BAD_REQUEST, "LF-only line ends");
	is_int(check(CT, "--BB\rContent-Disposition: form-data; name=\"a\"\r\rx\r--BB--\r", 16),
	       ERR_BAD_REQUEST, "CR-only line ends");
	is_int(check(CT, "--BB\r\nContent-Disposition: form-data; name=\"a\"\n\r\nx\r\n--BB--\r\n", 16),
	       ERR_BAD_REQUEST, "a header ending in a bare LF");
	is_int(check(CT, "--BB\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--BBx\r\ny\r\n--BB--\r\n", 16),
	       ERR_BAD_REQUEST, "the boundary as the prefix of a longer line");
	is_int(check(CT, "--BBB\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--BB--\r\n", 16),
	       ERR_BAD_REQUEST, "a first line longer than the boundary");
	is_int(check(CT, "--BB\r\nContent-Disposition: form-data\r\n\r\nx\r\n--BB--\r\n", 16),
	       ERR_BAD_REQUEST, "a part without a name");
	is_int(check(CT, "--BB\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nx\r\n--BB--\r\n", 16),
	       ERR_BAD_REQUEST, "an empty name");
	is_int(check(CT, "--BB\r\nContent-Disposition: form-data; name=\"a..b\"\r\n\r\nx\r\n--BB--\r\n", 16),
	       ERR_BAD_REQUEST, "a name with an empty segment");
	is_int(check(CT, "--BB\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--BB--\r\n", 16),
	       ERR_BAD_REQUEST, "not form-data");
	is_int(check(CT, "--BB\r\nContent-Type: text/plain\r\n\r\nx\r\n--BB--\r\n", 16),
	       ERR_BAD_REQUEST, "no Content-Disposition");
	is_int(check(CT, "--BB\r\nContent-Disposition: form-data; name=\"a\"\r\n folded\r\n\r\nx\r\n--BB--\r\n", 16),
	       ERR_BAD_REQUEST, "a folded header");
	is_int(check(CT, "--BB\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Transfer-Encoding: base64\r\n\r\nx\r\n--BB--\r\n", 16),
	       ERR_BAD_REQUEST, "base64 transfer encoding");
	is_int(check(CT, "--BB\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n--BB--\r\n", 16),
	       ERR_OK, "an empty value whose blank line meets the delimiter");
	const char nul[] = "--BB\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\0y\r\n--BB--\r\n";
	is_int(http_multipart_check(CT, nul, sizeof(nul) - 1, 16), ERR_BAD_REQUEST, "a NUL in a plain field");
	const char nulf[] = "--BB\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.png\"\r\n\r\nx\0y\r\n--BB--\r\n";
	is_int(http_multipart_check(CT, nulf, sizeof(nulf) - 1, 16), ERR_OK, "a NUL in a file is data");
}

static void test_parts(void)
{
	const char *body =
		"--BB\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n"
		"--BB\r\nContent-Disposition: form-data; name=\"emails.0.value\"\r\n\r\n\r\n"
		"--BB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.vcf\"\r\n"
		"Content-Type: text/vcard\r\n\r\nBEGIN:VCARD\r\n--B\r\nEND:VCARD\r\n\r\n"
		"--BB--\r\n";
	struct seen s;
	memset(&s, 0, sizeof(s));
	is_int(http_multipart_parse(CT, body, strlen(body), 16, collect, &s, NULL), ERR_OK, "three parts parse");
	is_int(s.n, 3, "three parts seen");
	is_str(s.names[0], "csrf", "first name");
	is_int(s.lens[0], 3, "first value's length");
	is_str(s.names[1], "emails.0.value", "a dotted name");
	is_int(s.lens[1], 0, "an empty value");
	is_int(s.lens[2], strlen("BEGIN:VCARD\r\n--B\r\nEND:VCARD\r\n"), "the file keeps its lines and a line that starts like the boundary");
	is_int(s.files, 1, "one file part");
	is_int(check(CT, "--BB\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\\b \xe5\x90\x8d.png\"\r\n\r\nx\r\n--BB--\r\n", 16),
	       ERR_OK, "a file name with a backslash and UTF-8, as browsers send it");
	is_int(check(CT, "--BB\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\tb\"\r\n\r\nx\r\n--BB--\r\n", 16),
	       ERR_BAD_REQUEST, "a control character in a quoted value");
	is_int(check(CT, body, 2), ERR_TOO_LARGE, "more parts than the limit: too large");
	is_int(check(CT, body, 3), ERR_OK, "exactly the limit");
	const char *why = NULL;
	http_multipart_parse("multipart/form-data", body, strlen(body), 16, NULL, NULL, &why);
	ok(why && strstr(why, "boundary"), "the message names the boundary");
}

/* ucheck: http_urlencoded_parse on an exact-size copy; the decoded fields
 * joined as "name=value;" into out. */
struct joined {
	char buf[256];
};

static enum err join(void *ctx, const struct mp_part *p)
{
	struct joined *j = ctx;
	size_t n = strlen(j->buf);
	snprintf(j->buf + n, sizeof(j->buf) - n, "%.*s=%.*s;", (int)p->name_len, p->name, (int)p->len, p->data);
	return ERR_OK;
}

static enum err ucheck(const char *body, size_t max, struct joined *j)
{
	size_t n = strlen(body);
	char *copy = malloc(n ? n : 1);
	memcpy(copy, body, n);
	if (j)
		j->buf[0] = '\0';
	enum err e = http_urlencoded_parse(copy, n, max, j ? join : NULL, j, NULL);
	free(copy);
	return e;
}

static void test_urlencoded(void)
{
	struct joined j;
	is_int(ucheck("a=1&b=x+y%20z&c=&d", 16, &j), ERR_OK, "a plain form");
	is_str(j.buf, "a=1;b=x y z;c=;d=;", "decoded, empty and bare fields");
	is_int(ucheck("", 16, &j), ERR_OK, "an empty body");
	is_int(ucheck("a=1&&b=2&", 16, &j), ERR_OK, "empty fields are skipped");
	is_str(j.buf, "a=1;b=2;", "the two fields");
	is_int(ucheck("emails.0.value=a%40b.cn", 16, &j), ERR_OK, "a dotted name");
	is_str(j.buf, "emails.0.value=a@b.cn;", "decoded value");
	is_int(ucheck("a=%", 16, NULL), ERR_BAD_REQUEST, "a lone %%");
	is_int(ucheck("a=%4", 16, NULL), ERR_BAD_REQUEST, "a short escape at the end");
	is_int(ucheck("a=%zz", 16, NULL), ERR_BAD_REQUEST, "a non-hex escape");
	is_int(ucheck("a=x%00y", 16, NULL), ERR_BAD_REQUEST, "an encoded NUL");
	is_int(ucheck("=x", 16, NULL), ERR_BAD_REQUEST, "no name");
	is_int(ucheck("a%20b=x", 16, NULL), ERR_BAD_REQUEST, "a space in a name");
	is_int(ucheck("a..b=x", 16, NULL), ERR_BAD_REQUEST, "an empty name segment");
	is_int(ucheck("a=1&a=2&a=3", 2, NULL), ERR_TOO_LARGE, "more fields than the limit");
	is_int(ucheck("a=1&a=2&a=3", 3, NULL), ERR_OK, "exactly the limit");
}

static void test_localpath(void)
{
	ok(http_localpath_valid("/"), "/");
	ok(http_localpath_valid("/settings"), "/settings");
	ok(http_localpath_valid("/folder?tag=a&q=b%20c"), "a query with an escaped space");
	ok(http_localpath_valid("/?x=1"), "/?x=1");
	ok(!http_localpath_valid(NULL), "NULL");
	ok(!http_localpath_valid(""), "empty");
	ok(!http_localpath_valid("settings"), "relative");
	ok(!http_localpath_valid("//evil.example/x"), "//host");
	ok(!http_localpath_valid("/\\evil.example/x"), "/\\host");
	ok(!http_localpath_valid("/\t/evil.example/x"), "/TAB/host (finding 3)");
	ok(!http_localpath_valid("/\n/evil.example"), "LF");
	ok(!http_localpath_valid("/\r/evil.example"), "CR");
	ok(!http_localpath_valid("/a\x7f"), "DEL");
	ok(!http_localpath_valid("/a b"), "a space");
	ok(!http_localpath_valid("/a\\b"), "a backslash anywhere");
	ok(!http_localpath_valid("/a//b"), "// anywhere");
	ok(!http_localpath_valid("/%09/evil.example/x"), "a percent-encoded tab");
	ok(!http_localpath_valid("/%0a"), "a percent-encoded LF");
	ok(!http_localpath_valid("/%5Cevil"), "a percent-encoded backslash");
	ok(!http_localpath_valid("/%7f"), "a percent-encoded DEL");
	ok(!http_localpath_valid("/\xc3\xa9"), "non-ASCII");
	ok(!http_localpath_valid("https://evil.example/"), "an absolute URL");
	ok(!http_localpath_valid("/ evil"), "a space after /");
}

int main(void)
{
	test_boundary();
	test_structure();
	test_parts();
	test_urlencoded();
	test_localpath();
	return done_testing();
}
