/* csrender.h: render a test template (page.cs in a scratch directory, the project's templates beside it) with escaping on and a language's strings, as lib/tmpl.c renders pages: the reference the C writers are compared with. */
#ifndef LIVECARD_T_CSRENDER_H
#define LIVECARD_T_CSRENDER_H

#include <stdio.h>

#include <ClearSilver.h>

#include "tmpl.h"
#include "when.h"

static NEOERR *csr_out(void *ctx, char *text)
{
	return string_append((STRING *)ctx, text);
}

/* csr_data: a data set for csr_render: html escaping, dir/page.cs first on
 * the load path, then templates/. */
static HDF *csr_data(const char *dir)
{
	HDF *h = NULL;
	hdf_init(&h);
	hdf_set_value(h, "Config.VarEscapeMode", "html");
	hdf_set_valuef(h, "hdf.loadpaths.0=%s", dir);
	hdf_set_value(h, "hdf.loadpaths.1", "templates");
	return h;
}

/* csr_render: dir/page.cs rendered with data h (destroyed) and locale's
 * strings as Lang, appended to s; an error is printed as a TAP comment. */
static void csr_render(HDF *h, const char *locale, STRING *s)
{
	CSPARSE *cs = NULL;
	HDF *lang = NULL;

	hdf_init(&lang);
	hdf_copy(lang, "Lang", tmpl_lang(locale));
	NEOERR *nerr = cs_init(&cs, h);
	if (nerr == STATUS_OK) {
		cs->global_hdf = lang;
		nerr = cgi_register_strfuncs(cs);
	}
	if (nerr == STATUS_OK)
		nerr = when_register(cs);
	if (nerr == STATUS_OK)
		nerr = cs_parse_file(cs, "page.cs");
	if (nerr == STATUS_OK)
		nerr = cs_render(cs, s, csr_out);
	if (nerr != STATUS_OK) {
		STRING m;
		string_init(&m);
		nerr_error_string(nerr, &m);
		printf("# render: %s\n", m.buf);
		string_clear(&m);
	}
	nerr_ignore(&nerr);
	cs_destroy(&cs);
	hdf_destroy(&lang);
	hdf_destroy(&h);
}

#endif
