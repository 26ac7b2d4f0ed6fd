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

void tmpl_prepare(struct req *r)
{
	prepare_hdf(r->hdf);
}

void tmpl_language(struct req *r)
{
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

/* Parsed templates, one per name per process: a parse tree only depends on
 * the template files and on the settings of parse_hdf (escaping on, the
 * template path), never on a request's data (every include is a literal
 * name, resolved at parse time), so each render points the tree at the
 * request's data (cs->hdf) and language (cs->global_hdf) instead of reading
 * and parsing the files again. A render that fails drops its tree. */
#define TMPL_CACHE 64
static struct {
	char *name;
	CSPARSE *cs;
} parsed[TMPL_CACHE];
static size_t n_parsed;
static HDF *parse_hdf;

static NEOERR *parse_template(const char *name, CSPARSE **out)
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
	if (nerr == STATUS_OK)
		nerr = cs_parse_file(cs, (char *)name);
	if (nerr != STATUS_OK) {
		if (cs)
			cs_destroy(&cs);
		return nerr;
	}
	*out = cs;
	return STATUS_OK;
}

/* parsed_slot: the cache index of name, parsed now when new; -1 when the
 * cache is full (the caller parses a tree of its own). */
static NEOERR *parsed_slot(const char *name, long *slot)
{
	NEOERR *nerr;

	*slot = -1;
	for (size_t i = 0; i < n_parsed; i++) {
		if (strcmp(parsed[i].name, name) == 0) {
			if (parsed[i].cs == NULL && (nerr = parse_template(name, &parsed[i].cs)) != STATUS_OK)
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
	nerr = parse_template(name, &parsed[n_parsed].cs);
	if (nerr != STATUS_OK) {
		free(copy);
		return nerr;
	}
	parsed[n_parsed].name = copy;
	*slot = (long)n_parsed++;
	return STATUS_OK;
}

static enum err render(HDF *hdf, const char *locale, const char *name, STRING *out)
{
	CSPARSE *cs = NULL;
	long slot = -1;
	NEOERR *nerr = parsed_slot(name, &slot);

	if (nerr == STATUS_OK && slot < 0)
		nerr = parse_template(name, &cs);
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
