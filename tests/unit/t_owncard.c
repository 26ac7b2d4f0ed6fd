/* t_owncard.c: unit tests for the database-free parts of lib/owncard.c (fields, diff, shared view, UID, REV, HDF). */
#include <string.h>

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

int main(void)
{
	arena_init(&A);
	test_fields();
	test_diff();
	test_shared_view();
	test_uid_rev();
	test_hdf();
	arena_reset(&A);
	return done_testing();
}
