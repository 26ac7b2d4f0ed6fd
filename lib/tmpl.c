/* tmpl.c: ClearSilver rendering with Config.VarEscapeMode = html, the language strings, Accept-Language. */
#include "tmpl.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "http.h"
#include "log.h"
#include "when.h"

static const char *const locales[] = {"en", "zh-CN"};
#define N_LOCALES (sizeof(locales) / sizeof(locales[0]))
static HDF *lang[N_LOCALES];
/* per locale, a tree holding Lang.* that templates read through ClearSilver's
 * global data set, so no request copies the strings */
static HDF *lang_root[N_LOCALES];

static void log_neo(const char *what, NEOERR *nerr)
{
	STRING s;
	string_init(&s);
	nerr_error_string(nerr, &s);
	log_error("%s: %s", what, s.buf ? s.buf : "?");
	string_clear(&s);
	nerr_ignore(&nerr);
}

static int is_hdf(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return d->d_name[0] != '.' && n > 4 && strcmp(d->d_name + n - 4, ".hdf") == 0;
}

/* read_module_files: every lang/<locale>/<module>.hdf, in name order, after
 * lang/<locale>.hdf: a module's strings need no #include line (and have
 * none, so each file is read once). */
static NEOERR *read_module_files(HDF *h, const char *locale)
{
	char dir[1024], path[1400];
	struct dirent **names = NULL;
	NEOERR *nerr = STATUS_OK;
	int n;

	snprintf(dir, sizeof(dir), "%s/lang/%s", cfg.templates_dir, locale);
	n = scandir(dir, &names, is_hdf, alphasort);
	if (n < 0)
		return STATUS_OK;	/* no module files */
	for (int k = 0; k < n; k++) {
		if (nerr == STATUS_OK) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[k]->d_name);
			nerr = hdf_read_file(h, path);
		}
		free(names[k]);
	}
	free(names);
	return nerr;
}

int tmpl_init(void)
{
	for (size_t i = 0; i < N_LOCALES; i++) {
		char path[1024];
		NEOERR *nerr;
		if (lang[i])
			continue;
		snprintf(path, sizeof(path), "%s/lang/%s.hdf", cfg.templates_dir, locales[i]);
		nerr = hdf_init(&lang[i]);
		/* each module's strings sit in lang/<locale>/<module>.hdf, pulled
		 * in by #include lines relative to the lang directory */
		if (nerr == STATUS_OK)
			nerr = hdf_set_valuef(lang[i], "hdf.loadpaths.0=%s/lang", cfg.templates_dir);
		if (nerr == STATUS_OK)
			nerr = hdf_read_file(lang[i], path);
		if (nerr == STATUS_OK)
			nerr = read_module_files(lang[i], locales[i]);
		if (nerr == STATUS_OK)
			nerr = hdf_init(&lang_root[i]);
		if (nerr == STATUS_OK)
			nerr = hdf_copy(lang_root[i], "Lang", lang[i]);
		/* the site's name and address: read by pages through the
		 * global data set (render), not set in every request's */
		if (nerr == STATUS_OK)
			nerr = hdf_set_value(lang_root[i], "Site.Name", cfg.site_name);
		if (nerr == STATUS_OK)
			nerr = hdf_set_value(lang_root[i], "Site.BaseURL", cfg.base_url);
		if (nerr != STATUS_OK) {
			log_neo(path, nerr);
			return -1;
		}
	}
	return 0;
}

const char *tmpl_locale(const char *s)
{
	if (s && strncasecmp(s, "zh", 2) == 0)
		return "zh-CN";
	return "en";
}

/* supported: the locale of one language tag ("zh-Hans-CN" → "zh-CN",
 * "en-US" → "en"), or NULL. Only whole primary subtags count ("zhx" is not
 * Chinese). */
static const char *supported(const char *tag, size_t n)
{
	size_t primary = 0;
	while (primary < n && tag[primary] != '-' && tag[primary] != '_')
		primary++;
	if (primary == 2 && strncasecmp(tag, "zh", 2) == 0)
		return "zh-CN";
	if (primary == 2 && strncasecmp(tag, "en", 2) == 0)
		return "en";
	return NULL;
}

const char *tmpl_accept_language(const char *header)
{
	const char *best = NULL, *p = header;
	double best_q = 0.0;

	while (p && *p) {
		size_t len = strcspn(p, ",");
		const char *end = p + len, *tag = p, *semi;
		double q = 1.0;

		while (tag < end && (*tag == ' ' || *tag == '\t'))
			tag++;
		semi = memchr(tag, ';', (size_t)(end - tag));
		size_t tlen = (size_t)((semi ? semi : end) - tag);
		while (tlen > 0 && (tag[tlen - 1] == ' ' || tag[tlen - 1] == '\t'))
			tlen--;
		for (const char *a = semi; a && a < end; a = memchr(a + 1, ';', (size_t)(end - a - 1))) {
			const char *v = a + 1;
			while (v < end && *v == ' ')
				v++;
			if (end - v >= 2 && (v[0] == 'q' || v[0] == 'Q') && v[1] == '=') {
				char num[16];
				size_t m = (size_t)(end - v - 2);
				if (m >= sizeof(num))
					m = sizeof(num) - 1;
				memcpy(num, v + 2, m);
				num[m] = '\0';
				char *e;
				q = strtod(num, &e);
				if (e == num || q < 0.0 || q > 1.0)
					q = 0.0;	/* malformed: ignore the language */
			}
			if (a + 1 >= end)
				break;
		}
		const char *loc = supported(tag, tlen);
		if (loc && q > 0.0 && q > best_q) {
			best = loc;
			best_q = q;
		}
		p = *end ? end + 1 : end;
	}
	return best;
}

static size_t locale_index(const char *locale)
{
	for (size_t i = 0; i < N_LOCALES; i++)
		if (locale && strcmp(locale, locales[i]) == 0)
			return i;
	return 0;
}

static HDF *lang_of(const char *locale)
{
	return lang[locale_index(locale)];
}

HDF *tmpl_lang(const char *locale)
{
	return lang_of(locale);
}

const char *tmpl_text(const char *locale, const char *key)
{
	HDF *h = lang_of(locale);
	const char *v = h ? hdf_get_value(h, key, NULL) : NULL;
	return v ? v : key;
}

static void prepare_hdf(HDF *hdf)
{
	hdf_set_value(hdf, "Config.VarEscapeMode", "html");
	hdf_set_value(hdf, "hdf.loadpaths.0", cfg.templates_dir);
	hdf_set_value(hdf, "Site.Name", cfg.site_name);
	hdf_set_value(hdf, "Site.BaseURL", cfg.base_url);
}

/* page_data: tmpl_render's data every page reads (tmpl.h), once a request.
 * What prepare_hdf sets is not needed in a request's data set: escaping
 * and the template path are settings of the parse (parse_hdf, the cached
 * trees), and Site.* is in every locale's global data set (tmpl_init). */
static void page_data(struct req *r)
{
	if (r->page_data_set)
		return;
	r->page_data_set = 1;
	hdf_set_value(r->hdf, "Page.Lang", r->locale);
	hdf_set_value(r->hdf, "Page.Path", r->path);
	/* the reader's time zone: the member's setting, else the browser's
	 * guess (lc_tz, set by livecard.js), else the language's default */
	const char *guess = hdf_get_value(r->hdf, "Cookie.lc_tz", NULL);
	hdf_set_value(r->hdf, "Page.TZ", r->user && r->user->tz && when_tz_valid(r->user->tz) ? r->user->tz
					 : when_tz_default(guess, r->locale));
	if (r->user) {
		hdf_set_value(r->hdf, "User.Name", r->user->full_name);
		hdf_set_value(r->hdf, "User.Email", r->user->email);
		hdf_set_int_value(r->hdf, "User.Verified", r->user->email_verified);
		if (r->user->csrf)
			hdf_set_value(r->hdf, "CSRF", r->user->csrf);
	}
}

static NEOERR *render_cb(void *ctx, char *s)
{
	return string_append((STRING *)ctx, s);
}

/* Parsed templates, one per name and locale per process: a parse tree only
 * depends on the template files, on the settings of parse_hdf (escaping on,
 * the template path) and on the locale's strings, never on a request's data
 * (every include is a literal name, resolved at parse time), so each render
 * points the tree at the request's data (cs->hdf) and language
 * (cs->global_hdf) instead of reading and parsing the files again. A render
 * that fails drops its tree.
 *
 * Language strings resolved at parse time (issue 19): the language strings are
 * constants of a locale, so in the tree of (template, locale) every plain
 * `<?cs var:Lang.A.B ?>` whose key exists in the locale is turned into the text
 * ClearSilver would print for it: the value escaped by ClearSilver's own
 * neos_var_escape in the very escaping mode the parser gave that var node
 * (html, or escape:"none" inside such a block, or for a macro body the mode of
 * the template's calls). The text becomes a literal node of the tree, never
 * template source, so a value holding `<?cs` cannot turn into template code.
 * Everything else that reads Lang (if:, alt:, name:, set:, call arguments,
 * url_escape(Lang.X), a key the locale lacks) is left to ClearSilver at render
 * time as before. Then each run of adjacent literal nodes is joined into one,
 * so a render makes one output call where it made several. */
#define TMPL_CACHE 160
/* the tree of a request whose data set holds Lang.* itself (ClearSilver
 * reads the request's data before the global one): nothing resolved */
#define UNRESOLVED N_LOCALES
static struct {
	char *name;
	size_t key;	/* locale index, or UNRESOLVED */
	CSPARSE *cs;
	int resolved;	/* Lang strings held as text */
} parsed[TMPL_CACHE];
static size_t n_parsed;
static HDF *parse_hdf;

/* the command numbers of ClearSilver's parse tree nodes (cs/csparse.c's
 * Commands[]; a literal is always 0), read from a probe parse */
enum { CMD_LITERAL = 0 };
static int cmd_var = -1, cmd_set = -1, cmd_call = -1;

static NEOERR *new_parser(CSPARSE **out)
{
	CSPARSE *cs = NULL;
	NEOERR *nerr = STATUS_OK;

	*out = NULL;
	if (parse_hdf == NULL) {
		nerr = hdf_init(&parse_hdf);
		if (nerr != STATUS_OK)
			return nerr;
		prepare_hdf(parse_hdf);
	}
	nerr = cs_init(&cs, parse_hdf);
	if (nerr == STATUS_OK)
		nerr = cgi_register_strfuncs(cs);
	if (nerr == STATUS_OK)
		nerr = when_register(cs);
	if (nerr != STATUS_OK) {
		if (cs)
			cs_destroy(&cs);
		return nerr;
	}
	*out = cs;
	return STATUS_OK;
}

/* probe_commands: cmd_var, cmd_set and cmd_call from the tree of a template
 * holding one of each, in that order. */
static NEOERR *probe_commands(void)
{
	static const char probe[] =
		"<?cs var:A ?><?cs set:B = C ?><?cs def:d() ?><?cs /def ?><?cs call:d() ?>";
	int found[4], n = 0;
	CSPARSE *cs = NULL;
	NEOERR *nerr;
	char *text;

	if (cmd_var >= 0)
		return STATUS_OK;
	if ((nerr = new_parser(&cs)) != STATUS_OK)
		return nerr;
	if ((text = strdup(probe)) == NULL)
		nerr = nerr_raise(NERR_NOMEM, "probe");
	else
		nerr = cs_parse_string(cs, text, strlen(text));	/* takes text */
	for (CSTREE *t = nerr == STATUS_OK ? cs->tree : NULL; t; t = t->next)
		if (t->cmd != CMD_LITERAL && n < 4)
			found[n++] = t->cmd;
	cs_destroy(&cs);
	if (nerr != STATUS_OK)
		return nerr;
	if (n != 4)
		return nerr_raise(NERR_ASSERT, "unexpected ClearSilver parse tree (%d commands)", n);
	cmd_var = found[0];
	cmd_set = found[1];
	cmd_call = found[3];
	return STATUS_OK;
}

static int is_lang(const char *s)
{
	return s && strncmp(s, "Lang", 4) == 0 && (s[4] == '\0' || s[4] == '.' || s[4] == '[');
}

/* arg_names_lang: an argument expression naming Lang or Lang.* anywhere */
static int arg_names_lang(const CSARG *a)
{
	for (; a; a = a->next)
		if (((a->op_type & (CS_TYPE_VAR | CS_TYPE_VAR_NUM)) && is_lang(a->s)) ||
		    arg_names_lang(a->expr1) || arg_names_lang(a->expr2))
			return 1;
	return 0;
}

struct resolve {
	HDF *lang;		/* the locale's tree holding Lang.* */
	int blocked;		/* something may give Lang a value other than the locale's */
	unsigned call_modes;	/* escaping modes of the calls outside macro bodies */
	NEOS_ESCAPE undef_mode;	/* the mode a macro body's var: gets at render */
	ULIST *alloc;		/* the parse's strings, freed with it */
	int resolved;
};

/* survey: what could make a resolved string differ from what a render
 * prints: a set: writing Lang.*, a local (each, with, loop, macro argument)
 * named Lang; and the escaping modes of the calls (a var: in a macro body is
 * escaped in the mode of the call that runs it). */
static void survey(struct resolve *rs, const CSTREE *t)
{
	for (; t; t = t->next) {
		if (t->cmd == cmd_set && arg_names_lang(&t->arg1))
			rs->blocked = 1;
		else if (t->cmd != cmd_var && t->cmd != CMD_LITERAL && t->arg1.op_type == CS_TYPE_VAR &&
			 t->arg1.s && strcmp(t->arg1.s, "Lang") == 0)
			rs->blocked = 1;	/* each:Lang = ..., with:, loop: */
		if (t->cmd == cmd_call && t->escape != NEOS_ESCAPE_UNDEF)
			rs->call_modes |= (unsigned)t->escape;
		survey(rs, t->case_0);
		survey(rs, t->case_1);
	}
}

static NEOERR *keep(struct resolve *rs, char *s)
{
	NEOERR *nerr = uListAppend(rs->alloc, s);
	if (nerr != STATUS_OK)
		free(s);
	return nerr;
}

/* resolve_vars: each plain var:Lang.X with a value in rs->lang becomes a
 * literal node of that value escaped as var_eval would escape it. */
static NEOERR *resolve_vars(struct resolve *rs, CSTREE *t)
{
	NEOERR *nerr;

	for (; t; t = t->next) {
		if (t->cmd == cmd_var && t->arg1.op_type == CS_TYPE_VAR && t->arg1.expr1 == NULL &&
		    t->arg1.expr2 == NULL && t->arg1.next == NULL && t->arg1.s &&
		    strncmp(t->arg1.s, "Lang.", 5) == 0) {
			NEOS_ESCAPE mode = t->escape == NEOS_ESCAPE_UNDEF ? rs->undef_mode : t->escape;
			const char *v = hdf_get_value(rs->lang, t->arg1.s, NULL);
			char *text = NULL;
			if (v && mode != NEOS_ESCAPE_UNDEF) {
				if ((nerr = neos_var_escape(mode, v, &text)) != STATUS_OK)
					return nerr;
				if (text && (nerr = keep(rs, text)) != STATUS_OK)
					return nerr;
				t->cmd = CMD_LITERAL;
				t->arg1.op_type = CS_TYPE_STRING;
				t->arg1.s = text;	/* NULL prints nothing, as var_eval */
				rs->resolved++;
			}
		}
		if ((nerr = resolve_vars(rs, t->case_0)) != STATUS_OK ||
		    (nerr = resolve_vars(rs, t->case_1)) != STATUS_OK)
			return nerr;
	}
	return STATUS_OK;
}

static int is_literal(const CSTREE *t)
{
	return t && t->cmd == CMD_LITERAL && t->case_0 == NULL && t->case_1 == NULL;
}

/* join_literals: each run of adjacent literal nodes made one node (the
 * others freed; a literal node owns nothing but itself). */
static NEOERR *join_literals(struct resolve *rs, CSTREE *t)
{
	NEOERR *nerr;

	for (; t; t = t->next) {
		if (is_literal(t) && is_literal(t->next)) {
			size_t len = 0;
			for (CSTREE *u = t; is_literal(u); u = u->next)
				len += u->arg1.s ? strlen(u->arg1.s) : 0;
			char *text = malloc(len + 1), *p = text;
			if (text == NULL)
				return nerr_raise(NERR_NOMEM, "joined text");
			for (CSTREE *u = t; is_literal(u); u = u->next) {
				size_t n = u->arg1.s ? strlen(u->arg1.s) : 0;
				memcpy(p, u->arg1.s ? u->arg1.s : "", n);
				p += n;
			}
			*p = '\0';
			if ((nerr = keep(rs, text)) != STATUS_OK)
				return nerr;
			while (is_literal(t->next)) {
				CSTREE *gone = t->next;
				t->next = gone->next;
				free(gone->fname);
				free(gone);
			}
			t->arg1.op_type = CS_TYPE_STRING;
			t->arg1.s = text;
		}
		if ((nerr = join_literals(rs, t->case_0)) != STATUS_OK ||
		    (nerr = join_literals(rs, t->case_1)) != STATUS_OK)
			return nerr;
	}
	return STATUS_OK;
}

/* resolve_language: the Lang strings of a locale (strings) made text in cs's tree
 * (see above); *resolved: how many. */
static NEOERR *resolve_language(CSPARSE *cs, HDF *strings, int *resolved)
{
	struct resolve rs = {.lang = strings, .undef_mode = NEOS_ESCAPE_UNDEF, .alloc = cs->alloc};
	NEOERR *nerr;

	*resolved = 0;
	survey(&rs, cs->tree);
	for (CS_MACRO *m = cs->macros; m; m = m->next)
		for (CSARG *a = m->args; a; a = a->next)
			if (is_lang(a->s))
				rs.blocked = 1;
	if (!rs.blocked) {
		/* one mode for every call: the one a macro body's var: gets */
		unsigned m = rs.call_modes;
		if (m != 0 && (m & (m - 1)) == 0)
			rs.undef_mode = (NEOS_ESCAPE)m;
		if ((nerr = resolve_vars(&rs, cs->tree)) != STATUS_OK)
			return nerr;
	}
	if ((nerr = join_literals(&rs, cs->tree)) != STATUS_OK)
		return nerr;
	*resolved = rs.resolved;
	return STATUS_OK;
}

static NEOERR *parse_template(const char *name, size_t key, CSPARSE **out, int *resolved)
{
	CSPARSE *cs = NULL;
	NEOERR *nerr = probe_commands();

	*out = NULL;
	*resolved = 0;
	if (nerr == STATUS_OK)
		nerr = new_parser(&cs);
	if (nerr == STATUS_OK)
		nerr = cs_parse_file(cs, (char *)name);
	if (nerr == STATUS_OK && key < N_LOCALES)
		nerr = resolve_language(cs, lang_root[key], resolved);
	if (nerr != STATUS_OK) {
		if (cs)
			cs_destroy(&cs);
		return nerr;
	}
	*out = cs;
	return STATUS_OK;
}

/* parsed_slot: the cache index of (name, key), parsed now when new; -1 when
 * the cache is full (the caller parses a tree of its own). */
static NEOERR *parsed_slot(const char *name, size_t key, long *slot)
{
	NEOERR *nerr;

	*slot = -1;
	for (size_t i = 0; i < n_parsed; i++) {
		if (parsed[i].key == key && strcmp(parsed[i].name, name) == 0) {
			if (parsed[i].cs == NULL &&
			    (nerr = parse_template(name, key, &parsed[i].cs, &parsed[i].resolved)) != STATUS_OK)
				return nerr;
			*slot = (long)i;
			return STATUS_OK;
		}
	}
	if (n_parsed == TMPL_CACHE)
		return STATUS_OK;
	char *copy = strdup(name);
	if (copy == NULL)
		return nerr_raise(NERR_NOMEM, "template name");
	nerr = parse_template(name, key, &parsed[n_parsed].cs, &parsed[n_parsed].resolved);
	if (nerr != STATUS_OK) {
		free(copy);
		return nerr;
	}
	parsed[n_parsed].name = copy;
	parsed[n_parsed].key = key;
	*slot = (long)n_parsed++;
	return STATUS_OK;
}

int tmpl_resolved(const char *name, const char *locale)
{
	size_t key = locale_index(locale);
	for (size_t i = 0; i < n_parsed; i++)
		if (parsed[i].key == key && parsed[i].cs && strcmp(parsed[i].name, name) == 0)
			return parsed[i].resolved;
	return -1;
}

static enum err render(HDF *hdf, const char *locale, const char *name, STRING *out)
{
	CSPARSE *cs = NULL;
	long slot = -1;
	int resolved;
	/* a data set holding Lang.* itself wins over the locale's strings in
	 * ClearSilver's lookup: such a render gets a tree with none resolved */
	size_t key = hdf_get_obj(hdf, "Lang") ? UNRESOLVED : locale_index(locale);
	NEOERR *nerr = parsed_slot(name, key, &slot);

	if (nerr == STATUS_OK && slot < 0)
		nerr = parse_template(name, key, &cs, &resolved);
	else if (nerr == STATUS_OK)
		cs = parsed[slot].cs;
	if (nerr == STATUS_OK) {
		cs->hdf = hdf;
		cs->global_hdf = lang_root[locale_index(locale)];
		cs->locals = NULL;
		when_context(hdf_get_value(hdf, "Page.TZ", NULL), locale);
		nerr = cs_render(cs, out, render_cb);
		cs->hdf = parse_hdf;
		cs->global_hdf = NULL;
		cs->locals = NULL;
		cs->output_ctx = NULL;
		if (slot < 0 || nerr != STATUS_OK) {
			cs_destroy(&cs);
			if (slot >= 0)
				parsed[slot].cs = NULL;
		}
	}
	if (nerr != STATUS_OK) {
		log_neo(name, nerr);
		return ERR_INTERNAL;
	}
	return ERR_OK;
}

enum err tmpl_render(struct req *r, const char *name, STRING *out)
{
	page_data(r);
	if (hdf_get_value(r->hdf, "Page.Lang", NULL) == NULL)
		hdf_set_value(r->hdf, "Page.Lang", tmpl_locale(r->locale ? r->locale : cfg.default_locale));
	return render(r->hdf, r->locale ? r->locale : tmpl_locale(cfg.default_locale), name, out);
}

enum err tmpl_render_hdf(HDF *hdf, const char *locale, const char *name, STRING *out)
{
	prepare_hdf(hdf);
	hdf_set_value(hdf, "Page.Lang", tmpl_locale(locale));
	return render(hdf, tmpl_locale(locale), name, out);
}
