/* t_tmpl.c: templates parsed once per process render each request's own data: the same parse tree rendered with different data sets, languages, loops, macros, set and escaping gives what a fresh parse gives; language strings resolved at parse time print what ClearSilver printed (escaped, never template code, missing keys as before). */
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

/* language strings with every character html escaping changes, template
 * code, a missing key, url_escape, escape:"none", a macro body, if: and alt:;
 * J: ClearSilver 0.10.5 gives a block opened inside escape:"none" (an if:)
 * the global mode again, so that var: is html-escaped */
static const char lang_page[] =
	"<?cs include:\"langmacros.cs\" ?>"
	"A[<?cs var:Lang.Evil ?>]B[<?cs var:Lang.Missing ?>]"
	"C[<?cs alt:Lang.Missing ?>alt-fallback<?cs /alt ?>]D[<?cs var:url_escape(Lang.Url) ?>]"
	"E[<?cs escape:\"none\" ?><?cs var:Lang.Evil ?><?cs /escape ?>]F[<?cs call:say(Lang.Nested.Deep) ?>]"
	"G[<?cs if:Lang.Hello ?>yes<?cs /if ?>]H[<?cs var:Lang.Nested ?>]I[<?cs var:Lang.Hello ?><?cs var:Lang.Hello ?>]"
	"J[<?cs escape:\"none\" ?><?cs if:1 ?><?cs var:Lang.Evil ?><?cs /if ?><?cs /escape ?>]";
static const char lang_macros[] = "<?cs def:say(x) ?>(<?cs var:x ?>|<?cs var:Lang.Evil ?>)<?cs /def ?>";

static NEOERR *out_cb(void *ctx, char *text)
{
	return string_append((STRING *)ctx, text);
}

/* render_fresh: what ClearSilver gives with a parse of its own. */
static char *render_fresh_of(HDF *h, const char *locale, const char *name)
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
		nerr = cs_parse_file(cs, (char *)name);
	if (nerr == STATUS_OK)
		nerr = cs_render(cs, &s, out_cb);
	nerr_ignore(&nerr);
	cs_destroy(&cs);
	hdf_destroy(&lang);
	char *r = strdup(s.buf ? s.buf : "");
	string_clear(&s);
	return r;
}

static char *render_fresh(HDF *h, const char *locale)
{
	return render_fresh_of(h, locale, "page.cs");
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

static char *render_cached_of(HDF *h, const char *locale, const char *name)
{
	STRING s;
	string_init(&s);
	enum err e = tmpl_render_hdf(h, locale, name, &s);
	char *r = strdup(e == ERR_OK && s.buf ? s.buf : e == ERR_OK ? "" : "(error)");
	string_clear(&s);
	return r;
}

static char *render_cached(HDF *h, const char *locale)
{
	return render_cached_of(h, locale, "page.cs");
}

int main(void)
{
	if (mkdtemp(dir) == NULL)
		return 1;
	char lang[300];
	snprintf(lang, sizeof(lang), "%s/lang", dir);
	mkdir(lang, 0700);
	put("lang/en.hdf", "Hello = Hello\nEvil = <?cs var:Card.Raw ?> & \"q\" 'a' <script>\n"
			   "Url = a b&c/d\nNested.Deep = deep & down\n");
	put("lang/zh-CN.hdf", "Hello = 你好\nEvil = 坏<?cs var:Card.Raw ?>&\"'\nUrl = 中 文\nNested.Deep = 深\n");
	put("lang.cs", lang_page);
	put("langmacros.cs", lang_macros);
	put("setlang.cs", "<?cs set:Lang.Hello = \"Set\" ?>[<?cs var:Lang.Hello ?>]");
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

	/* language strings resolved at parse time */
	const char *locs[] = {"en", "zh-CN", "en"};
	for (size_t i = 0; i < 3; i++) {
		HDF *a = data("x", 0, 0), *b = data("x", 0, 0);
		char *c = render_cached_of(a, locs[i], "lang.cs"), *f = render_fresh_of(b, locs[i], "lang.cs");
		is_str(c, f, "lang.cs in %s (render %zu) prints what ClearSilver printed", locs[i], i);
		is_int(tmpl_resolved("lang.cs", locs[i]), 6,
		       "six var:Lang.X of lang.cs resolved at parse time in %s (not the missing key, "
		       "not a key without a value)", locs[i]);
		ok(strstr(c, "<i>raw</i>") == NULL, "no language string became template code: %s", c);
		free(c);
		free(f);
		hdf_destroy(&a);
		hdf_destroy(&b);
	}
	h = data("x", 0, 0);
	got = render_cached_of(h, "en", "lang.cs");
	ok(strstr(got, "A[&lt;?cs var:Card.Raw ?&gt; &amp; &quot;q&quot; &#39;a&#39; &lt;script&gt;]") != NULL,
	   "a language string is html-escaped: %s", got);
	ok(strstr(got, "B[]C[alt-fallback]") != NULL, "a missing key prints nothing, alt: falls back");
	ok(strstr(got, "D[a+b%26c%2Fd]") != NULL, "url_escape(Lang.X) is left to ClearSilver");
	ok(strstr(got, "E[<?cs var:Card.Raw ?> & \"q\" 'a' <script>]") != NULL,
	   "escape:\"none\" prints the string as it is, never as template code");
	ok(strstr(got, "F[(deep &amp; down|&lt;?cs var:Card.Raw ?&gt;") != NULL, "a macro body's string escaped as its call");
	ok(strstr(got, "G[yes]H[]I[HelloHello]") != NULL, "if:, a key without value, two in a row");
	ok(strstr(got, "J[&lt;?cs var:Card.Raw ?&gt; &amp;") != NULL, "an if: inside escape:\"none\" escapes as ClearSilver does");
	free(got);
	hdf_destroy(&h);
	h = data("x", 0, 0);
	got = render_cached_of(h, "zh-CN", "lang.cs");
	ok(strstr(got, "A[坏&lt;?cs var:Card.Raw ?&gt;&amp;&quot;&#39;]") != NULL && strstr(got, "I[你好你好]"),
	   "zh-CN's tree holds zh-CN's strings: %s", got);
	free(got);
	hdf_destroy(&h);
	/* request data holding Lang.* wins in ClearSilver's lookup: as before */
	HDF *a = data("x", 0, 0), *b = data("x", 0, 0);
	hdf_set_value(a, "Lang.Hello", "Mine");
	hdf_set_value(b, "Lang.Hello", "Mine");
	got = render_cached_of(a, "en", "lang.cs");
	char *want = render_fresh_of(b, "en", "lang.cs");
	is_str(got, want, "data with Lang.Hello of its own renders as before");
	ok(strstr(got, "I[MineMine]") != NULL, "its own value printed");
	free(got);
	free(want);
	hdf_destroy(&a);
	hdf_destroy(&b);
	/* a template that sets Lang.* resolves nothing */
	a = data("x", 0, 0);
	b = data("x", 0, 0);
	got = render_cached_of(a, "en", "setlang.cs");
	want = render_fresh_of(b, "en", "setlang.cs");
	is_str(got, want, "set:Lang.Hello renders as before");
	ok(strstr(got, "[Set]") != NULL, "the set value printed: %s", got);
	is_int(tmpl_resolved("setlang.cs", "en"), 0, "and nothing resolved in that template");
	is_int(tmpl_resolved("page.cs", "en"), 1, "page.cs: its one var:Lang.Hello resolved");
	free(got);
	free(want);
	hdf_destroy(&a);
	hdf_destroy(&b);

	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return done_testing();
}
