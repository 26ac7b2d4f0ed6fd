/* t_vcardmap.c: unit tests for lib/vcardmap.c: the tag rules (CATEGORIES in), CATEGORIES out, REV, and a card with its tags written and read back. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "arena.h"
#include "folder.h"
#include "vcard.h"
#include "vcardmap.h"

static struct arena A;

/* tags_of: the tags vcardmap_take_tags gives for the extras lines given
 * (NULL-terminated), joined with '|'; *left gets the extras kept. */
static const char *tags_of(const char *const *lines, size_t *left)
{
	struct card c = {0};
	const char **t;
	size_t n = 0, len = 1;

	while (lines[n])
		n++;
	c.extras = arena_alloc(&A, (n + 1) * sizeof(*c.extras));
	for (size_t i = 0; i < n; i++)
		c.extras[i].line = lines[i];
	c.n_extras = n;
	vcardmap_take_tags(&c, &A, &t, &n);
	if (left)
		*left = c.n_extras;
	for (size_t i = 0; i < n; i++)
		len += strlen(t[i]) + 1;
	char *s = arena_alloc(&A, len), *o = s;
	for (size_t i = 0; i < n; i++)
		o += sprintf(o, "%s%s", i ? "|" : "", t[i]);
	return s;
}

static void test_take(void)
{
	size_t left;
	const char *l1[] = {"X-A:1", "CATEGORIES:clients,tea", "item1.categories;CHARSET=UTF-8:vip", "X-B:2", NULL};
	is_str(tags_of(l1, &left), "clients|tea|vip", "CATEGORIES lines, grouped or with parameters, become tags");
	is_int(left, 2, "and leave the extras, the others kept");

	const char *l2[] = {"CATEGORIES:a\\,b,c\\;d,e\\\\f", NULL};
	is_str(tags_of(l2, NULL), "a,b|c;d|e\\f", "text-list escapes undone");

	const char *l3[] = {"CATEGORIES:two\\nlines,x\\Ny", NULL};
	is_str(tags_of(l3, NULL), "two lines|x y", "an escaped newline inside a tag is a space (import and CardDAV alike)");

	char longtag[300];
	memset(longtag, 'x', 150);
	strcpy(longtag + 150, ",short");
	const char *l4[] = {arena_printf(&A, "CATEGORIES:%s", longtag), NULL};
	const char *got = tags_of(l4, NULL);
	ok(strlen(got) == FOLDER_MAX_TAG + strlen("|short") && strncmp(got, "xxxx", 4) == 0 &&
	   strcmp(got + FOLDER_MAX_TAG, "|short") == 0,
	   "an over-long tag is cut to %d bytes and the card's other tags are kept", FOLDER_MAX_TAG);

	/* 99 x then a 3-byte character across the limit: cut before it */
	char u[200];
	memset(u, 'y', 99);
	strcpy(u + 99, "\xE4\xB8\xAD\xE4\xB8\xAD");
	const char *l5[] = {arena_printf(&A, "CATEGORIES:%s", u), NULL};
	is_int(strlen(tags_of(l5, NULL)), 99, "the cut never splits a UTF-8 character");

	const char *l6[] = {"CATEGORIES: Tea , tea,TEA,, ,coffee", NULL};
	is_str(tags_of(l6, NULL), "Tea|coffee", "trimmed, empty and repeated (any case) items dropped");

	char many[400] = "CATEGORIES:";
	for (int i = 0; i < 30; i++)
		sprintf(many + strlen(many), "%st%d", i ? "," : "", i);
	const char *l7[] = {many, NULL};
	got = tags_of(l7, NULL);
	ok(strncmp(got, "t0|t1|", 6) == 0 && strstr(got, "t19") && !strstr(got, "t20"),
	   "the first %d distinct tags are kept, the rest dropped", FOLDER_MAX_TAGS);

	const char *l8[] = {"CATEGORIES;X-P=\"a:b\":quoted", "CATEGORIESX:no", "NOTE:CATEGORIES:no", NULL};
	is_str(tags_of(l8, &left), "quoted", "a quoted parameter with ':' is skipped; similar names are not CATEGORIES");
	is_int(left, 2, "those stay extras");

	/* what comes in always passes the folder's own check */
	const char **t, **clean;
	size_t n, nc;
	struct card c = {0};
	struct errinfo ei = {0};
	c.extras = arena_alloc(&A, 2 * sizeof(*c.extras));
	c.extras[0].line = l4[0];
	c.extras[1].line = many;
	c.n_extras = 2;
	vcardmap_take_tags(&c, &A, &t, &n);
	ok(folder_tags_clean(t, n, &A, &clean, &nc, &ei) == ERR_OK && nc == n, "the tags always pass folder_tags_clean");
}

static void test_out(void)
{
	const char *tags[] = {"a,b", "c;d", "e\\f", "two\nlines"};
	is_str(vcardmap_categories(&A, tags, 4), "CATEGORIES:a\\,b,c\\;d,e\\\\f,two\\nlines",
	       "CATEGORIES out: ',' ';' '\\' and a line break escaped");
	ok(vcardmap_categories(&A, tags, 0) == NULL, "no tags, no line");
	is_str(vcardmap_rev(&A, "2024-03-05 07:08:09"), "20240305T070809Z", "REV from DATETIME");
	ok(vcardmap_rev(&A, "2024") == NULL && vcardmap_rev(&A, NULL) == NULL, "no time, no REV");

	const char **t;
	size_t n;
	vcardmap_tags_json(&A, "[\"b\",\"a\"]", &t, &n);
	ok(n == 2 && strcmp(t[0], "b") == 0 && strcmp(t[1], "a") == 0, "tags from a JSON array");
	vcardmap_tags_json(&A, NULL, &t, &n);
	is_int(n, 0, "NULL JSON: no tags");
}

/* a card with tags written by vcardmap_write and read back by the parser
 * and vcardmap_take_tags gives the same tags */
static void test_round_trip(void)
{
	struct card c = {.full_name = "Wang Fang", .organization = "Acme"};
	const char *tags[] = {"clients", "a,b", "x;y", "back\\slash"};
	struct vcardmap_card m = {.card = &c, .version = VCARD_V4, .uid = "urn:uuid:1",
				  .updated_at = "2024-01-02 03:04:05", .tags = tags, .n_tags = 4};
	char *text = NULL;
	size_t len = 0;
	struct vcard_result vr;

	ok(vcardmap_write(NULL, &A, &m, &text, &len) == ERR_OK && text && len == strlen(text), "written");
	ok(strstr(text, "REV:20240102T030405Z\r\n") != NULL, "with REV");
	ok(strstr(text, "UID:urn:uuid:1\r\n") != NULL, "with UID");
	ok(vcard_parse(text, len, &A, &vr) == ERR_OK && vr.n_cards == 1, "read back");
	const char **t;
	size_t n;
	vcardmap_take_tags(&vr.cards[0].card, &A, &t, &n);
	ok(n == 4 && strcmp(t[0], "clients") == 0 && strcmp(t[1], "a,b") == 0 && strcmp(t[2], "x;y") == 0 &&
	   strcmp(t[3], "back\\slash") == 0, "the same four tags come back");
	is_int(vr.cards[0].card.n_extras, 0, "and no CATEGORIES is left among the extras");

	struct vcard_buf b;
	vcard_buf_init(&b, &A);
	ok(vcardmap_append(NULL, &b, &m) == ERR_OK && b.len == len && memcmp(b.data, text, len) == 0,
	   "vcardmap_append writes the same bytes");
}

int main(void)
{
	arena_init(&A);
	test_take();
	test_out();
	test_round_trip();
	arena_reset(&A);
	return done_testing();
}
