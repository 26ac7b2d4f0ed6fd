/* t_owncard.c: unit tests for the database-free parts of lib/owncard.c (fields, diff, shared view, UID, REV, HDF). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tap.h"
#include "arena.h"
#include "card.h"
#include "config.h"
#include "owncard.h"

static struct arena A;

static struct card_item email_work = {"work", "a@example.com"};
static struct card_item email_home = {"home", "b@example.com"};
static struct card_item phone_cell = {"cell", "+8613800138000"};
static struct card_address addr = {"work", "碧波路690号", "上海", "", "201203", "中国"};

/* sample: a card with every kind of field filled. */
static void sample(struct owncard *c)
{
	memset(c, 0, sizeof(*c));
	card_init(&c->card);
	c->id = 7;
	c->user_id = 3;
	c->revision = 4;
	c->card.full_name = "张伟";
	c->card.family = "张";
	c->card.given = "伟";
	c->card.organization = "ACME";
	c->card.title = "CTO";
	c->card.note = "note";
	c->card.emails = &email_work;
	c->card.n_emails = 1;
	c->card.phones = &phone_cell;
	c->card.n_phones = 1;
	c->card.addresses = &addr;
	c->card.n_addresses = 1;
	c->front_image = "aaaa";
	c->back_image = "bbbb";
	c->share_token = "tok";
	c->visible = OWNCARD_ALL_FIELDS;
	c->updated_at = "2024-03-05 07:08:09";
}

static void test_fields(void)
{
	unsigned all = OWNCARD_ALL_FIELDS;
	is_str(owncard_fields_text(0, &A), "", "no fields: empty list");
	is_str(owncard_fields_text(all, &A),
	       "full_name,name,organization,department,title,emails,phones,addresses,urls,note,front_image,back_image",
	       "every field, in display order");
	is_str(owncard_fields_text((1u << CF_BACK_IMAGE) | (1u << CF_TITLE), &A), "title,back_image",
	       "a mask in field order, whatever order the bits were set");
	is_int(owncard_fields_parse("title,back_image"), (1u << CF_BACK_IMAGE) | (1u << CF_TITLE),
	       "parsed back");
	is_int(owncard_fields_parse(owncard_fields_text(all, &A)), all, "a round trip of every field");
	is_int(owncard_fields_parse(""), 0, "empty list: no field");
	is_int(owncard_fields_parse(NULL), 0, "NULL: no field");
	is_int(owncard_fields_parse("nope,,emails,password,"), 1u << CF_EMAILS, "unknown names are ignored");
	is_int(owncard_fields_parse("emailsx"), 0, "a prefix is not a match");
}

static void test_diff(void)
{
	struct owncard x, y;
	sample(&x);
	sample(&y);
	is_int(owncard_diff(&x, &y), 0, "identical cards: no difference");
	y.card.title = "CEO";
	is_int(owncard_diff(&x, &y), 1u << CF_TITLE, "a title change is the title only");
	y.card.given = "小伟";
	is_int(owncard_diff(&x, &y), (1u << CF_TITLE) | (1u << CF_NAME), "a name part is the name field");
	sample(&y);
	y.card.emails = &email_home;
	is_int(owncard_diff(&x, &y), 1u << CF_EMAILS, "another e-mail address");
	y.card.n_emails = 0;
	is_int(owncard_diff(&x, &y), 1u << CF_EMAILS, "no e-mail address");
	sample(&y);
	y.front_image = NULL;
	is_int(owncard_diff(&x, &y), 1u << CF_FRONT_IMAGE, "a removed front image");
	y.front_image = "cccc";
	y.back_image = "dddd";
	is_int(owncard_diff(&x, &y), (1u << CF_FRONT_IMAGE) | (1u << CF_BACK_IMAGE), "both images replaced");
	y.front_image = "aaaa";
	y.back_image = "bbbb";
	y.revision = 9;
	y.updated_at = "2030-01-01 00:00:00";
	is_int(owncard_diff(&x, &y), 0, "revision and time are not fields");
}

static void test_shared_view(void)
{
	struct owncard c;
	sample(&c);
	c.visible = (1u << CF_TITLE) | (1u << CF_FRONT_IMAGE);
	owncard_shared_view(&c);
	is_str(c.card.full_name, "张伟", "the full name is always shown");
	ok(c.visible & (1u << CF_FULL_NAME), "and counted as shared");
	is_str(c.card.title, "CTO", "a shared field stays");
	is_str(c.front_image, "aaaa", "a shared image stays");
	ok(c.back_image == NULL, "a hidden image goes");
	is_str(c.card.organization, "", "a hidden text field is emptied");
	is_str(c.card.family, "", "the hidden name parts too");
	is_int(c.card.n_emails + c.card.n_phones + c.card.n_addresses, 0, "hidden lists are emptied");
	is_str(c.card.note, "", "the hidden note");
}

static void test_uid_rev(void)
{
	struct owncard c, d;
	cfg.base_url = "https://cards.example";
	sample(&c);
	sample(&d);
	const char *u = owncard_uid(&c, &A);
	ok(strlen(u) == 45 && strncmp(u, "urn:uuid:", 9) == 0, "UID is a urn:uuid (%s)", u);
	ok(u[23] == '5' && strchr("89ab", u[28]) != NULL, "a version-5 style UUID");
	is_str(owncard_uid(&d, &A), u, "stable for the same card");
	d.id = 8;
	ok(strcmp(owncard_uid(&d, &A), u) != 0, "different for another card");
	d.id = 7;
	d.share_token = "rotated";
	is_str(owncard_uid(&d, &A), u, "unchanged by a new link");
	is_str(owncard_rev(&c, &A), "20240305T070809Z", "REV from updated_at");
	c.updated_at = NULL;
	ok(owncard_rev(&c, &A) == NULL, "no time, no REV");
}

static void test_hdf(void)
{
	struct owncard c;
	HDF *h = NULL;
	sample(&c);
	hdf_init(&h);
	owncard_hdf(h, "Card", &c.card);
	is_str(hdf_get_value(h, "Card.FullName", NULL), "张伟", "FullName");
	is_str(hdf_get_value(h, "Card.Name.Family", NULL), "张", "Name.Family");
	is_str(hdf_get_value(h, "Card.Emails.0.Value", NULL), "a@example.com", "Emails.0.Value");
	is_str(hdf_get_value(h, "Card.Phones.0.Type", NULL), "cell", "Phones.0.Type");
	is_str(hdf_get_value(h, "Card.Addresses.0.PostalCode", NULL), "201203", "Addresses.0.PostalCode");
	is_str(hdf_get_value(h, "Card.Has.name", NULL), "1", "Has.name for a filled name");
	ok(hdf_get_value(h, "Card.Has.urls", NULL) == NULL, "no Has.urls without URLs");
	ok(hdf_get_value(h, "Card.Has.department", NULL) == NULL, "no Has.department when empty");
	hdf_destroy(&h);

	/* only http(s), mailto and tel URLs are marked as links */
	{
		struct card_item urls[] = {
			{"work", "https://example.com/"}, {"home", "javascript:alert(1)"},
			{"other", "data:text/html,x"}, {"other", " JaVaScRiPt:alert(1)"}, {"other", "tel:+15550100"},
		};
		static const char *const want[] = {"1", NULL, NULL, NULL, "1"};
		c.card.urls = urls;
		c.card.n_urls = sizeof(urls) / sizeof(urls[0]);
		hdf_init(&h);
		owncard_hdf(h, "Card", &c.card);
		for (size_t i = 0; i < c.card.n_urls; i++) {
			char key[64];
			snprintf(key, sizeof(key), "Card.Urls.%zu.Link", i);
			const char *got = hdf_get_value(h, key, NULL);
			ok(want[i] ? got && strcmp(got, want[i]) == 0 : got == NULL, "%s: %s", urls[i].value,
			   want[i] ? "Link = 1" : "no Link");
			snprintf(key, sizeof(key), "Card.Urls.%zu.Value", i);
			is_str(hdf_get_value(h, key, NULL), urls[i].value, "and its Value is kept for showing as text");
		}
		ok(hdf_get_value(h, "Card.Emails.0.Link", NULL) == NULL, "e-mails get no Link flag (the template adds mailto:)");
		hdf_destroy(&h);
	}

	/* owncard_card_hdf: Display from the stored forms when they are the
	 * phones', worked out when not (stale or NULL): the same values */
	{
		struct card_item phones[] = {{"cell", "+8613800139999"}, {"work", "+16502530000"}};
		struct card none;
		card_init(&none);
		c.card.urls = none.urls;
		c.card.n_urls = 0;
		c.card.phones = phones;
		c.card.n_phones = 2;
		const char *stored = owncard_phones_shown(&c.card, &A);
		is_str(stored, "+8613800139999\t+86 138 0013 9999\n+16502530000\t+1 650-253-0000\n",
		       "owncard_phones_shown: VALUE<TAB>DISPLAY per phone");
		const char *variants[] = {stored, NULL, "+8613800139999\tSTORED\n+19999999999\tSTALE\n"};
		const char *want0[] = {"+86 138 0013 9999", "+86 138 0013 9999", "STORED"};
		for (int v = 0; v < 3; v++) {
			c.phones_shown = variants[v];
			hdf_init(&h);
			owncard_card_hdf(h, "Card", &c);
			is_str(hdf_get_value(h, "Card.Phones.0.Display", NULL), want0[v], "Phones.0.Display (variant %d)", v);
			is_str(hdf_get_value(h, "Card.Phones.1.Display", NULL), "+1 650-253-0000",
			       "Phones.1.Display: stored, or worked out when the line is another number's (variant %d)", v);
			is_str(hdf_get_value(h, "Card.Phones.1.Value", NULL), "+16502530000", "Phones.1.Value (variant %d)", v);
			hdf_destroy(&h);
		}
	}
}

/* --- the GET /api/v1/card answer written directly --------------------------*/

/* jansson's answer, as cgi-bin/mycard.c built it before owncard_answer_tail
 * (for reads, and for writes until they used it too) */
static json_t *image_j(const char *base, const char *side, const char *hash)
{
	char u[600], t[600];
	if (hash == NULL)
		return json_null();
	snprintf(u, sizeof(u), "%s/api/v1/card/images/%s?v=%s", base, side, hash);
	snprintf(t, sizeof(t), "%s/api/v1/card/images/%s?thumb=1&v=%s", base, side, hash);
	return json_pack("{s:s, s:s, s:s}", "hash", hash, "url", u, "thumb_url", t);
}

static json_t *fields_j(unsigned mask)
{
	json_t *fields = json_array();
	for (int f = 0; f < CF__MAX; f++)
		if (mask & (1u << f))
			json_array_append_new(fields, json_string(card_field_name((enum card_field)f)));
	return fields;
}

static char *tail_by_jansson(const struct owncard *c, const char *base, const char *updated,
			     const unsigned *changed)
{
	char p[600], v[600], q[600];
	json_t *fields = fields_j(c->visible);
	snprintf(p, sizeof(p), "%s/c/%s", base, c->share_token);
	snprintf(v, sizeof(v), "%s/c/%s.vcf", base, c->share_token);
	snprintf(q, sizeof(q), "%s/c/%s/qr.svg", base, c->share_token);
	json_t *body = json_object();
	json_object_set_new(body, "revision", json_integer((json_int_t)c->revision));
	json_object_set_new(body, "updated_at", updated ? json_string(updated) : json_null());
	json_object_set_new(body, "images", json_pack("{s:o, s:o}", "front", image_j(base, "front", c->front_image),
						      "back", image_j(base, "back", c->back_image)));
	json_object_set_new(body, "share", json_pack("{s:s, s:s, s:s, s:o}", "url", p, "vcard_url", v, "qr_url", q,
						     "visible_fields", fields));
	if (changed)
		json_object_set_new(body, "changed_fields", fields_j(*changed));
	char *rest = json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(body);
	char *t = malloc(strlen(rest) + 2);
	t[0] = ',';
	strcpy(t + 1, rest + 1);
	free(rest);
	return t;
}

static void test_answer_tail(void)
{
	static const char *bases[] = {"https://cards.example", "http://127.0.0.1:8080", "https://名片.example/sub/path",
				      "https://x.example/\"q\"\\"};
	static const char *hashes[] = {NULL, "3f9a0c5e7b1d2f4a6c8e0b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a", "0"};
	static const unsigned masks[] = {0, 1u, (1u << CF__MAX) - 1, (1u << 0) | (1u << 5) | (1u << 9), 0x2AAu};
	int n = 0, same = 0;
	for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++)
		for (size_t f = 0; f < 3; f++)
			for (size_t k = 0; k < 3; k++)
				for (size_t m = 0; m < sizeof(masks) / sizeof(masks[0]); m++) {
					struct owncard c;
					memset(&c, 0, sizeof(c));
					card_init(&c.card);
					c.revision = (long long)(f * 1000003 + k * 7 + m);
					c.share_token = m % 2 ? "SQDMR1LnFIWpQpooI6Kdog" : "a_b-c";
					c.front_image = hashes[f];
					c.back_image = hashes[k];
					c.visible = masks[m];
					const char *updated = (b + m) % 3 ? "2026-12-07T22:03:46Z" : NULL;
					/* a read, or a write that changed some fields, or none */
					unsigned ch = masks[(m + f + k) % (sizeof(masks) / sizeof(masks[0]))];
					const unsigned *changed = (b + f + k) % 3 == 0 ? NULL : &ch;
					char *want = tail_by_jansson(&c, bases[b], updated, changed);
					const char *got = owncard_answer_tail(&A, &c, bases[b], updated, changed);
					n++;
					if (got && strcmp(got, want) == 0)
						same++;
					else if (same + 1 == n)
						printf("# first difference:\n#  got: %s\n# want: %s\n", got ? got : "(null)", want);
					free(want);
				}
	is_int(same, n, "the answer's tail written directly equals jansson's, %d cases (base URLs with non-ASCII, quotes and backslashes; images or none; every field mask; reads and writes with changed_fields)", n);
}

int main(void)
{
	arena_init(&A);
	test_fields();
	test_diff();
	test_shared_view();
	test_answer_tail();
	test_uid_rev();
	test_hdf();
	arena_reset(&A);
	return done_testing();
}
