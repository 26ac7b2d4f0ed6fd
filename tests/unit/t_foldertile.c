/* t_foldertile.c: the folder list's tiles written in C (lib/foldertile.c) are byte for byte what the folder_item macro of templates/folder_macros.cs renders, for awkward values, every badge and both languages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "contact.h"
#include "folder.h"
#include "foldertile.h"
#include "csrender.h"
#include "tap.h"
#include "tmpl.h"
#include "when.h"

static char dir[] = "/tmp/t_foldertile.XXXXXX";

static const char page[] =
	"<?cs include:\"macros.cs\" ?><?cs include:\"card_macros.cs\" ?><?cs include:\"folder_macros.cs\" ?>"
	"<?cs each:e = Entries ?><?cs call:folder_item(e) ?>\n<?cs /each ?>";

/* entry_hdf: Entries.<i> as the list page built it before lib/foldertile.c
 * (cgi-bin/folder.c list_item_hdf) */
static void entry_hdf(HDF *hdf, size_t i, const struct folder_entry *e, struct arena *a)
{
	HDF *h = NULL;
	char key[64];

	snprintf(key, sizeof(key), "Entries.%zu", i);
	if (hdf_get_node(hdf, key, &h) != STATUS_OK)
		return;
	snprintf(key, sizeof(key), "%lld", e->id);
	hdf_set_value(h, "Id", key);
	hdf_set_value(h, "Card.FullName", e->card.full_name ? e->card.full_name : "");
	hdf_set_value(h, "Card.Title", e->card.title ? e->card.title : "");
	hdf_set_value(h, "Card.Organization", e->card.organization ? e->card.organization : "");
	if (e->card.n_phones) {
		hdf_set_value(h, "Card.Phones.0.Value", e->card.phones[0].value ? e->card.phones[0].value : "");
		hdf_set_value(h, "Card.Phones.0.Display", phone_display(e->card.phones[0].value, a));
	}
	if (e->card.n_emails)
		hdf_set_value(h, "Card.Emails.0.Value", e->card.emails[0].value ? e->card.emails[0].value : "");
	hdf_set_value(h, "Member", e->owner_is_member ? "1" : "0");
	hdf_set_value(h, "SavedMyCard", e->owner_saved_my_card ? "1" : "0");
	hdf_set_value(h, "Linked", e->source_card_id ? "1" : "0");
	if (e->link_offer)
		hdf_set_value(h, "LinkOffer", "1");
	if (e->source_card_id && e->latest_revision > e->synced_revision &&
	    (e->declined_revision < 0 || e->declined_revision < e->latest_revision))
		hdf_set_value(h, "UpdatePending", "1");
	if (e->image[FOLDER_FRONT])
		hdf_set_value(h, "Front", e->image[FOLDER_FRONT]);
	for (size_t k = 0; k < e->n_tags; k++) {
		snprintf(key, sizeof(key), "Tags.%zu", k);
		hdf_set_value(h, key, e->tags[k]);
	}
}

/* by_template: what the macro renders for the entries */
static char *by_template(const struct folder_entry *es, size_t n, const char *locale, struct arena *a)
{
	HDF *h = csr_data(dir);
	STRING s;

	string_init(&s);
	for (size_t i = 0; i < n; i++)
		entry_hdf(h, i, &es[i], a);
	csr_render(h, locale, &s);
	/* the macro files print their newlines between the definitions
	 * first: what comes before the first tile */
	const char *t = s.buf ? s.buf : "";
	if (n > 0 && strstr(t, "<li class=\"folder-entry\"") != NULL)
		t = strstr(t, "<li class=\"folder-entry\"");
	else if (n == 0)
		t = "";
	char *r = strdup(t);
	string_clear(&s);
	return r;
}

static char *by_c(const struct folder_entry *es, size_t n, const char *locale, struct arena *a)
{
	STRING s;
	string_init(&s);
	enum err e = folder_tiles_html(&s, es, n, locale, a);
	char *r = strdup(e != ERR_OK ? "(failed)" : s.buf ? s.buf : "");
	string_clear(&s);
	return r;
}

static struct card_item item(const char *v)
{
	struct card_item it;
	memset(&it, 0, sizeof(it));
	it.type = "work";
	it.value = v;
	return it;
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
	static const char *phones[] = {
		"+8613800138000", "+16502530000", "12345", "0", "", "+86 <b>", "+442071838750", NULL,
	};
	static const char *tags_a[] = {"work", "a b", "x&y=z/?", "中文", "0", "<t>"};
	size_t nt = sizeof(texts) / sizeof(texts[0]), np = sizeof(phones) / sizeof(phones[0]);
	size_t n = 40;
	struct folder_entry *es = calloc(n, sizeof(*es));
	struct card_item *ph = calloc(n, sizeof(*ph)), *em = calloc(n, sizeof(*em));
	for (size_t i = 0; i < n; i++) {
		struct folder_entry *e = &es[i];
		card_init(&e->card);
		e->id = (long long)(i * 7919 + 1);
		e->card.full_name = texts[i % nt];
		e->card.title = texts[(i + 3) % nt];
		e->card.organization = texts[(i * 5 + 1) % nt];
		if (i % 4 != 3) {
			ph[i] = item(phones[i % np]);
			e->card.phones = &ph[i];
			e->card.n_phones = 1;
		}
		if (i % 3 != 2) {
			em[i] = item(texts[(i * 3 + 2) % nt]);
			e->card.emails = &em[i];
			e->card.n_emails = 1;
		}
		e->owner_is_member = i % 2;
		e->owner_saved_my_card = (i / 2) % 2;
		e->source_card_id = i % 5 ? (long long)i : 0;
		e->synced_revision = (long long)(i % 3);
		e->latest_revision = (long long)(i % 4);
		e->declined_revision = i % 6 == 1 ? 3 : -1;
		e->link_offer = i % 7 == 2;
		e->image[FOLDER_FRONT] = i % 3 == 0 ? "3f9a0c" : i % 9 == 1 ? "0" : NULL;
		e->tags = tags_a;
		e->n_tags = i % 7;
		if (e->n_tags > sizeof(tags_a) / sizeof(tags_a[0]))
			e->n_tags = 0;
	}
	const char *locales[] = {"en", "zh-CN"};
	for (size_t l = 0; l < 2; l++) {
		for (size_t i = 0; i < n; i++) {
			char *want = by_template(&es[i], 1, locales[l], &a), *got = by_c(&es[i], 1, locales[l], &a);
			is_str(got, want, "entry %zu (%s): the tile equals the macro's", i, locales[l]);
			free(want);
			free(got);
		}
		char *want = by_template(es, n, locales[l], &a), *got = by_c(es, n, locales[l], &a);
		ok(strlen(want) > 1000 && strcmp(got, want) == 0, "all %zu tiles at once (%s, %zu bytes)", n,
		   locales[l], strlen(want));
		free(want);
		free(got);
	}
	/* a phone kept as typed (an import) is escaped like every other value:
	 * the macro's alt: wrote the display form unescaped */
	char *typed = by_c(&es[5], 1, "en", &a);
	ok(strstr(typed, "+86 &lt;b&gt;") != NULL && strstr(typed, "<b>") == NULL,
	   "a phone kept as typed is escaped");
	free(typed);
	char *none = by_c(es, 0, "en", &a);
	is_int((long long)strlen(none), 0, "no entries: nothing");
	free(none);
	free(es);
	free(ph);
	free(em);
	arena_reset(&a);
	unlink(path);
	rmdir(dir);
	return done_testing();
}
