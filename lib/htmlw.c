/* htmlw.c: HTML written straight into a page in C, byte for byte as ClearSilver's templates (escaping html) would write it. */
#include "htmlw.h"

#include <stdlib.h>
#include <string.h>

void htmlw_flush(struct htmlw *w)
{
	if (w->n) {
		NEOERR *err = string_appendn(w->out, w->buf, (int)w->n);
		if (err != STATUS_OK) {
			nerr_ignore(&err);
			w->err = -1;
		}
		w->n = 0;
	}
}

void htmlw_putn(struct htmlw *w, const char *s, size_t n)
{
	if (w->n + n > sizeof(w->buf)) {
		htmlw_flush(w);
		if (n > sizeof(w->buf)) {
			NEOERR *err = string_appendn(w->out, s, (int)n);
			if (err != STATUS_OK) {
				nerr_ignore(&err);
				w->err = -1;
			}
			return;
		}
	}
	memcpy(w->buf + w->n, s, n);
	w->n += n;
}

void htmlw_put(struct htmlw *w, const char *s)
{
	htmlw_putn(w, s, strlen(s));
}

/* put_escaped: append *esc, what an escaping function that returned err
 * wrote, and free it */
static void put_escaped(struct htmlw *w, NEOERR *err, char **esc)
{
	if (err == STATUS_OK)
		htmlw_put(w, *esc ? *esc : "");
	else
		w->err = -1;
	nerr_ignore(&err);
	free(*esc);
	*esc = NULL;
}

void htmlw_html(struct htmlw *w, const char *s)
{
	char *esc = NULL;

	if (s == NULL)
		return;
	/* most values need no escaping: copy them */
	if (strpbrk(s, "&<>\"'\r\n") == NULL) {
		htmlw_put(w, s);
		return;
	}
	put_escaped(w, neos_var_escape(NEOS_ESCAPE_HTML, s, &esc), &esc);
}

void htmlw_url(struct htmlw *w, const char *s)
{
	char *esc = NULL;

	put_escaped(w, cgi_url_escape(s ? s : "", &esc), &esc);
}

int htmlw_true(const char *s)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return 0;
	v = strtol(s, &end, 0);
	return *end == '\0' ? v != 0 : 1;
}
