/* tmpl.c: ClearSilver rendering with Config.VarEscapeMode = html and the language strings. */
#include "tmpl.h"

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "http.h"
#include "log.h"

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

static enum err render(HDF *hdf, const char *locale, const char *name, STRING *out)
{
	CSPARSE *cs = NULL;
	NEOERR *nerr = cs_init(&cs, hdf);
	if (nerr == STATUS_OK)
		cs->global_hdf = lang_root[locale_index(locale)];
	if (nerr == STATUS_OK)
		nerr = cgi_register_strfuncs(cs);
	if (nerr == STATUS_OK)
		nerr = cs_parse_file(cs, name);
	if (nerr == STATUS_OK)
		nerr = cs_render(cs, out, render_cb);
	if (cs)
		cs_destroy(&cs);
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
