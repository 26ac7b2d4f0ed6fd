/* htmlw.h: HTML written straight into a page in C, byte for byte as ClearSilver's templates (escaping html) would write it. */
#ifndef LIVECARD_HTMLW_H
#define LIVECARD_HTMLW_H

#include <stddef.h>

#include <ClearSilver.h>

/* struct htmlw: text gathered in a buffer and appended to out in large
 * pieces (ClearSilver's string_append measures and checks the STRING on
 * every call). err becomes -1 when an append or an escape fails (memory).
 * Set out and zero the rest; htmlw_flush at the end. */
struct htmlw {
	STRING *out;
	size_t n;
	int err;
	char buf[4096];
};

/* htmlw_flush: append what is gathered to out. */
void htmlw_flush(struct htmlw *w);

/* htmlw_putn / htmlw_put: append bytes as they are. */
void htmlw_putn(struct htmlw *w, const char *s, size_t n);
void htmlw_put(struct htmlw *w, const char *s);

/* HTMLW_LIT: append a string literal (its length known when compiled). */
#define HTMLW_LIT(w, lit) htmlw_putn((w), "" lit, sizeof(lit) - 1)

/* htmlw_html: append s as `<?cs var:s ?>` does with Config.VarEscapeMode
 * html (ClearSilver's own neos_var_escape; NULL appends nothing). */
void htmlw_html(struct htmlw *w, const char *s);

/* htmlw_url: append s as `<?cs var:url_escape(s) ?>` does (NULL as ""). */
void htmlw_url(struct htmlw *w, const char *s);

/* htmlw_true: ClearSilver's truth of a value in an if: (arg_eval_bool):
 * missing or empty is false, a value that is a number as a whole (strtol,
 * base 0) is that number, anything else is true. */
int htmlw_true(const char *s);

#endif
