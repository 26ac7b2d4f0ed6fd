/* t_tmpl.c: templates parsed once per process render each request's own data: the same parse tree rendered with different data sets, languages, loops, macros, set and escaping gives what a fresh parse gives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "tap.h"
#include "tmpl.h"

static char dir[] = "/tmp/t_tmpl.XXXXXX";

static void put(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static const char page[] =
	"<?cs include:\"macros.cs\" ?><?cs set:Page.Title = Card.Name ?>"
	"[<?cs var:Lang.Hello ?> <?cs var:Page.Title ?>]"
	"<?cs each:e = Card.Emails ?>(<?cs name:e ?>=<?cs var:e ?><?cs if:last(e) ?>!<?cs /if ?>)<?cs /each ?>"
	"<?cs loop:i = #1, #3, #1 ?><?cs var:i ?><?cs /loop ?>"
	"<?cs call:item(Card.Name, Card.Note) ?>"
	"<?cs escape:\"none\" ?><?cs var:Card.Raw ?><?cs /escape ?>"
	"<?cs if:Card.Flag ?>F<?cs else ?>-<?cs /if ?>"
	"{<?cs var:url_escape(Card.Name) ?>}";

static const char macros[] = "<?cs def:item(a, b) ?><li><?cs var:a ?>/<?cs var:b ?></li><?cs /def ?>";

static NEOERR *out_cb(void *ctx, char *text)
{
	return string_append((STRING *)ctx, text);
}

/* render_fresh: what ClearSilver gives with a parse of its own. */
static char *render_fresh(HDF *h, const char *locale)
{
	CSPARSE *cs = NULL;
	STRING s;
	string_init(&s);
	hdf_set_value(h, "Config.VarEscapeMode", "html");
	hdf_set_valuef(h, "hdf.loadpaths.0=%s", dir);
	HDF *lang = NULL;
	hdf_init(&lang);
	hdf_copy(lang, "Lang", tmpl_lang(locale));
	NEOERR *nerr = cs_init(&cs, h);
	if (nerr == STATUS_OK) {
		cs->global_hdf = lang;
		nerr = cgi_register_strfuncs(cs);
	}
	if (nerr == STATUS_OK)
		nerr = cs_parse_file(cs, "page.cs");
	if (nerr == STATUS_OK)
		nerr = cs_render(cs, &s, out_cb);
	nerr_ignore(&nerr);
	cs_destroy(&cs);
	hdf_destroy(&lang);
	char *r = strdup(s.buf ? s.buf : "");
	string_clear(&s);
	return r;
}

static HDF *data(const char *name, int n_emails, int flag)
{
	HDF *h = NULL;
	hdf_init(&h);
	hdf_set_value(h, "Card.Name", name);
	hdf_set_value(h, "Card.Note", "<b>note</b>");
	hdf_set_value(h, "Card.Raw", "<i>raw</i>");
	for (int i = 0; i < n_emails; i++)
		hdf_set_valuef(h, "Card.Emails.%d=%s%d@example.com", i, name, i);
	if (flag)
		hdf_set_value(h, "Card.Flag", "1");
	return h;
}

static char *render_cached(HDF *h, const char *locale)
{
	STRING s;
	string_init(&s);
	enum err e = tmpl_render_hdf(h, locale, "page.cs", &s);
	char *r = strdup(e == ERR_OK && s.buf ? s.buf : e == ERR_OK ? "" : "(error)");
	string_clear(&s);
	return r;
}

int main(void)
{
	if (mkdtemp(dir) == NULL)
		return 1;
	char lang[300];
	snprintf(lang, sizeof(lang), "%s/lang", dir);
	mkdir(lang, 0700);
	put("lang/en.hdf", "Hello = Hello\n");
	put("lang/zh-CN.hdf", "Hello = 你好\n");
	put("page.cs", page);
	put("macros.cs", macros);
	cfg.templates_dir = dir;
	cfg.site_name = "livecard";
	cfg.base_url = "https://cards.example";
	ok(tmpl_init() == 0, "the language files load");

	struct { const char *name; int emails, flag; const char *locale; } runs[] = {
		{"Alice <A&B>", 3, 1, "en"}, {"Bob", 0, 0, "zh-CN"}, {"Carol", 1, 0, "en"},
		{"Alice <A&B>", 3, 1, "en"}, {"Dan", 5, 1, "zh-CN"},
	};
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		HDF *a = data(runs[i].name, runs[i].emails, runs[i].flag);
		HDF *b = data(runs[i].name, runs[i].emails, runs[i].flag);
		char *got = render_cached(a, runs[i].locale), *want = render_fresh(b, runs[i].locale);
		is_str(got, want, "render %zu (%s, %d e-mails, %s) equals a fresh parse's", i, runs[i].name,
		       runs[i].emails, runs[i].locale);
		ok(strcmp(hdf_get_value(a, "Page.Title", ""), runs[i].name) == 0, "set: wrote into this render's data");
		free(got);
		free(want);
		hdf_destroy(&a);
		hdf_destroy(&b);
	}
	HDF *h = data("x", 1, 0);
	char *got = render_cached(h, "en");
	ok(strstr(got, "&lt;b&gt;note&lt;/b&gt;") && strstr(got, "<i>raw</i>"), "escaping on, escape:none honoured: %s", got);
	ok(strstr(got, "[Hello x]") != NULL, "language strings from the locale's tree");
	free(got);
	STRING s;
	string_init(&s);
	is_int(tmpl_render_hdf(h, "en", "missing.cs", &s), ERR_INTERNAL, "a missing template is an error");
	string_clear(&s);
	got = render_cached(h, "en");
	ok(strstr(got, "[Hello x]") != NULL, "and the others still render");
	free(got);
	hdf_destroy(&h);

	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return done_testing();
}
