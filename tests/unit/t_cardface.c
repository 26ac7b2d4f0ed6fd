/* t_cardface.c: a card's face written in C (lib/cardface.c) is byte for byte what the card_show macro of templates/card_macros.cs renders from owncard_card_hdf's data set, for awkward values, every field and both languages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "cardface.h"
#include "config.h"
#include "contact.h"
#include "owncard.h"
#include "csrender.h"
#include "tap.h"
#include "tmpl.h"
#include "when.h"

static char dir[] = "/tmp/t_cardface.XXXXXX";

static const char page[] =
	"<?cs include:\"macros.cs\" ?><?cs include:\"card_macros.cs\" ?>[[<?cs call:card_show(Card) ?>]]";

/* by_template: what the macro renders for c, Card set by owncard_card_hdf
 * as the public page set it */
static char *by_template(const struct owncard *c, const char *locale)
{
	HDF *h = csr_data(dir);
	STRING s;

	string_init(&s);
	owncard_card_hdf(h, "Card", c);
	csr_render(h, locale, &s);
	/* what the macro call printed, between the markers */
	const char *t = s.buf ? strstr(s.buf, "[[") : NULL, *end = t ? strstr(t, "]]") : NULL;
	char *r = t && end ? strndup(t + 2, (size_t)(end - t - 2)) : strdup("(no render)");
	string_clear(&s);
	return r;
}

static char *by_c(const struct owncard *c, const char *locale, struct arena *a)
{
	STRING s;
	string_init(&s);
	enum err e = card_face_html(&s, &c->card, c->phones_shown, locale, a);
	char *r = strdup(e != ERR_OK ? "(failed)" : s.buf ? s.buf : "");
	string_clear(&s);
	return r;
}

int main(void)
{
	struct arena a;
	arena_init(&a);
	if (mkdtemp(dir) == NULL)
		return 1;
	char path[300];
	snprintf(path, sizeof(path), "%s/page.cs", dir);
	FILE *f = fopen(path, "w");
	if (f == NULL)
		return 1;
	fputs(page, f);
	fclose(f);
	cfg.templates_dir = "templates";
	cfg.site_name = "livecard";
	cfg.base_url = "https://cards.example";
	ok(tmpl_init() == 0, "the language files load");

	/* values where escaping and ClearSilver's truth matter */
	static const char *texts[] = {
		"Fang Chen 19", "<script>alert(\"x\")</script> & 'q'", "0", "", "0x0", " 0", "-0", "007",
		"1e3", "李 雷", "a\r\nb", "Ünïcødé · “quotes”", "&amp;", "99999999999999999999", NULL,
	};
	static const char *types[] = {
		"work", "home", "cell", "fax", "pref", "", "0", "x.y", "<b>", "WORK", "voice", "other", "Card",
		"internet", "text", "video", "pager", "textphone", "main", "1",
	};
	static const char *phones[] = {
		"+8613800138000", "+16502530000", "12345", "0", "", "+86 <b>", "+442071838750", "+8610 6275 1234",
	};
	static const char *urls[] = {
		"https://example.cn/xm", "javascript:alert(1)", "http://a.example/?q=<x>&y=1", "", "0",
		"data:text/html,hi", "ftp://files.example/", "www.example.com", "mailto:a@b.example",
	};
	size_t nt = sizeof(texts) / sizeof(texts[0]), ny = sizeof(types) / sizeof(types[0]),
	       np = sizeof(phones) / sizeof(phones[0]), nu = sizeof(urls) / sizeof(urls[0]);
	const char *locales[] = {"en", "zh-CN"};
	size_t n = 48, same = 0, total = 0;
	for (size_t i = 0; i < n; i++) {
		struct owncard c;
		memset(&c, 0, sizeof(c));
		card_init(&c.card);
		struct card *k = &c.card;
		k->full_name = texts[i % nt];
		k->title = texts[(i + 3) % nt];
		k->department = texts[(i * 7 + 2) % nt];
		k->organization = texts[(i * 5 + 1) % nt];
		k->note = texts[(i * 11 + 4) % nt];
		if (i % 3) {
			k->family = texts[(i + 1) % nt];
			k->given = texts[(i + 2) % nt];
			k->additional = i % 4 ? texts[(i + 5) % nt] : NULL;
			k->prefix = texts[(i + 6) % nt];
			k->suffix = i % 5 ? texts[(i + 7) % nt] : NULL;
		}
		size_t ne = i % 4, nph = (i + 1) % 5, nad = i % 3, nur = (i + 2) % 4;
		k->emails = arena_alloc(&a, (ne + 1) * sizeof(*k->emails));
		for (size_t j = 0; j < ne; j++)
			k->emails[j] = (struct card_item){.type = types[(i + j) % ny], .value = texts[(i * 3 + j) % nt]};
		k->n_emails = ne;
		k->phones = arena_alloc(&a, (nph + 1) * sizeof(*k->phones));
		const char *shown = "";
		for (size_t j = 0; j < nph; j++) {
			k->phones[j] = (struct card_item){.type = types[(i * 2 + j) % ny], .value = phones[(i + j) % np]};
			/* every other card with stored display forms, one of them stale */
			if (i % 2)
				shown = phone_shown_add(shown, j == 1 ? "+10000000000" : k->phones[j].value, &a);
		}
		k->n_phones = nph;
		c.phones_shown = i % 2 ? shown : NULL;
		k->addresses = arena_alloc(&a, (nad + 1) * sizeof(*k->addresses));
		for (size_t j = 0; j < nad; j++)
			k->addresses[j] = (struct card_address){
				.type = types[(i + j * 3) % ny], .street = texts[(i + j) % nt],
				.locality = texts[(i + j + 1) % nt], .region = texts[(i + j + 2) % nt],
				.postal_code = texts[(i + j + 3) % nt], .country = texts[(i + j + 4) % nt]};
		k->n_addresses = nad;
		k->urls = arena_alloc(&a, (nur + 1) * sizeof(*k->urls));
		for (size_t j = 0; j < nur; j++)
			k->urls[j] = (struct card_item){.type = types[(i + j * 5) % ny], .value = urls[(i + j) % nu]};
		k->n_urls = nur;
		for (size_t l = 0; l < 2; l++) {
			char *want = by_template(&c, locales[l]), *got = by_c(&c, locales[l], &a);
			total++;
			if (is_str(got, want, "card %zu (%s): the face equals the macro's", i, locales[l]))
				same++;
			free(want);
			free(got);
		}
	}
	/* an empty card */
	struct owncard e;
	memset(&e, 0, sizeof(e));
	card_init(&e.card);
	for (size_t l = 0; l < 2; l++) {
		char *want = by_template(&e, locales[l]), *got = by_c(&e, locales[l], &a);
		is_str(got, want, "an empty card (%s)", locales[l]);
		free(want);
		free(got);
	}
	is_int(same, total, "every face equals the macro's (%zu)", total);

	/* the memo of drawn faces (Limits.CardFaceMemo, default 64 here) */
	const char *name = NULL, *got;
	ok(card_face_memo_get(1, "en", 3, "{\"full_name\":\"A\"}", "", &name) == NULL, "an empty memo keeps nothing");
	card_face_memo_put(1, "en", 3, "{\"full_name\":\"A\"}", "", "<p>A</p>", "A");
	got = card_face_memo_get(1, "en", 3, "{\"full_name\":\"A\"}", "", &name);
	ok(got && strcmp(got, "<p>A</p>") == 0 && strcmp(name, "A") == 0, "a face kept is found with its name");
	ok(card_face_memo_get(1, "en", 3, "{\"full_name\":\"B\"}", "", &name) == NULL,
	   "not once the card's stored text changed");
	ok(card_face_memo_get(1, "en", 3, "{\"full_name\":\"A\"}", "+1", &name) == NULL,
	   "nor its phones' display forms");
	ok(card_face_memo_get(1, "en", 1, "{\"full_name\":\"A\"}", "", &name) == NULL, "nor for other shared fields");
	ok(card_face_memo_get(1, "zh-CN", 3, "{\"full_name\":\"A\"}", "", &name) == NULL, "nor in another language");
	ok(card_face_memo_get(2, "en", 3, "{\"full_name\":\"A\"}", "", &name) == NULL, "nor for another card");
	ok(card_face_memo_get(1, "en", 3, NULL, "", &name) == NULL &&
	   card_face_memo_get(1, "en", 3, "{\"full_name\":\"A\"}", NULL, &name) == NULL,
	   "a card without stored text is never found");
	card_face_memo_put(1, "en", 3, "{\"full_name\":\"B\"}", "", "<p>B</p>", "B");
	got = card_face_memo_get(1, "en", 3, "{\"full_name\":\"B\"}", "", &name);
	ok(got && strcmp(got, "<p>B</p>") == 0, "the card drawn again replaces its entry");
	ok(card_face_memo_get(1, "en", 3, "{\"full_name\":\"A\"}", "", &name) == NULL, "the old face is gone");
	for (long id = 100; id < 164; id++)
		card_face_memo_put(id, "en", 3, "{}", "", "<p>x</p>", "x");
	ok(card_face_memo_get(1, "en", 3, "{\"full_name\":\"B\"}", "", &name) == NULL &&
	   card_face_memo_get(100, "en", 3, "{}", "", &name) != NULL && card_face_memo_get(163, "en", 3, "{}", "", &name) != NULL,
	   "64 entries at most: the oldest made room");
	char *big = calloc(17 * 1024, 1);
	memset(big, 'x', 17 * 1024 - 1);
	card_face_memo_put(7, "en", 3, "{}", "", big, "x");
	ok(card_face_memo_get(7, "en", 3, "{}", "", &name) == NULL, "a face over 16 KiB is not kept");
	free(big);
	arena_reset(&a);
	unlink(path);
	rmdir(dir);
	return done_testing();
}
