/* tmpl.h: ClearSilver templates with HTML auto-escaping, and the language files. */
#ifndef LIVECARD_TMPL_H
#define LIVECARD_TMPL_H

#include <ClearSilver.h>

#include "err.h"

struct req;

/* tmpl_init: load templates/lang/<locale>.hdf and every
 * templates/lang/<locale>/<module>.hdf once per process; 0 or -1. */
int tmpl_init(void);

/* tmpl_locale: the supported locale closest to s ("zh", "zh-CN", "zh_CN"
 * → "zh-CN"; anything else → "en"). */
const char *tmpl_locale(const char *s);

/* tmpl_accept_language: the supported locale an Accept-Language header value
 * prefers: the highest q-value wins (ties: the first listed), "zh", "zh-CN",
 * "zh-Hans", "zh_CN" ... → "zh-CN", "en", "en-GB" ... → "en"; q=0 and
 * unsupported languages are skipped. NULL when nothing listed is supported
 * (the caller then uses the site's default). */
const char *tmpl_accept_language(const char *header);

/* tmpl_render: render templates/<name> with r->hdf into out. The first
 * render of a request first adds what every page reads: the settings
 * (escaping on, template path, site name and URL), the page's language,
 * path and time zone, and the signed-in user's name and CSRF token
 * (User.*, CSRF); a request answered without a page (JSON, a redirect, an
 * image) never builds them. */
enum err tmpl_render(struct req *r, const char *name, STRING *out);

/* tmpl_resolved: how many language strings the cached tree of template name
 * for locale holds as text, resolved when it was parsed (`<?cs var:Lang.X ?>`
 * made the escaped value); -1 when that tree is not parsed (yet). */
int tmpl_resolved(const char *name, const char *locale);

/* tmpl_render_hdf: render templates/<name> with hdf (escaping on, Lang.*
 * of locale copied in) into out; for mails and letters. */
enum err tmpl_render_hdf(HDF *hdf, const char *locale, const char *name, STRING *out);

/* tmpl_lang: the loaded strings of a locale (borrowed; never NULL after a
 * successful tmpl_init). */
HDF *tmpl_lang(const char *locale);

/* tmpl_text: the string at Lang.<key> of locale, or key itself. */
const char *tmpl_text(const char *locale, const char *key);

#endif
