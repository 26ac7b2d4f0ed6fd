/* qr.c: QR codes as compact SVG paths, with libqrencode. */
#include "qr.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <qrencode.h>

/* a fixed-capacity string in the arena, sized before writing */
struct sbuf {
	char *p;
	size_t len, cap;
	int overflow;
};

__attribute__((format(printf, 2, 3)))
static void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;

	if (b->overflow)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->cap - b->len) {
		b->overflow = 1;
		return;
	}
	b->len += (size_t)n;
}

static void sbuf_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->overflow || n >= b->cap - b->len) {
		b->overflow = 1;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static const char *xml_entity(char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	default: return NULL;
	}
}

static size_t xml_escaped_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++) {
		const char *e = xml_entity(*s);
		n += e ? strlen(e) : 1;
	}
	return n;
}

static void sbuf_put_xml(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		const char *e = xml_entity(*s);
		if (e)
			sbuf_put(b, e, strlen(e));
		else if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n' && *s != '\r')
			sbuf_put(b, "?", 1);	/* not allowed in XML 1.0 */
		else
			sbuf_put(b, s, 1);
	}
}

char *qr_svg(const char *text, const char *caption, struct arena *a)
{
	if (text == NULL || *text == '\0')
		return NULL;
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL)
		return NULL;

	int n = qr->width, size = n + 2 * QR_QUIET;
	const unsigned char *m = qr->data;	/* bit 0 of each byte: dark */
	size_t runs = 0;
	for (int y = 0; y < n; y++)
		for (int x = 0; x < n; x++)
			if ((m[y * n + x] & 1) && (x == 0 || !(m[y * n + x - 1] & 1)))
				runs++;

	/* one "M x y h w v1 h-w z" per horizontal run of dark modules; each
	 * number has at most 3 digits (size <= 185) */
	struct sbuf b = {0};
	if (caption == NULL)
		caption = "QR code";
	b.cap = 400 + xml_escaped_len(caption) + xml_escaped_len(text) + runs * 24;
	b.p = arena_alloc(a, b.cap);
	sbuf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
		    "viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\" "
		    "role=\"img\"><title>", size, size);
	sbuf_put_xml(&b, caption);
	sbuf_printf(&b, ": ");
	sbuf_put_xml(&b, text);
	sbuf_printf(&b, "</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
		    "<path fill=\"#000\" d=\"", size, size);
	for (int y = 0; y < n; y++) {
		for (int x = 0; x < n; ) {
			if (!(m[y * n + x] & 1)) {
				x++;
				continue;
			}
			int x0 = x;
			while (x < n && (m[y * n + x] & 1))
				x++;
			sbuf_printf(&b, "M%d %dh%dv1h-%dz", x0 + QR_QUIET,
				    y + QR_QUIET, x - x0, x - x0);
		}
	}
	sbuf_printf(&b, "\"/></svg>\n");
	QRcode_free(qr);
	return b.overflow ? NULL : b.p;
}
