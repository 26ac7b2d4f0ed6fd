/* t_qr.c: unit tests for lib/qr.c (SVG QR codes). */
#include "tap.h"

#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "arena.h"
#include "qr.h"

static int count(const char *s, const char *needle)
{
	int n = 0;

	for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* the d attribute of the one path */
static const char *path_d(const char *svg)
{
	const char *p = strstr(svg, "<path");
	return p ? strstr(p, " d=\"") : NULL;
}

/* Draw the path back into a size x size grid of modules; -1 if the path
 * has anything but the expected runs or two runs overlap. */
static int path_render(const char *svg, int size, unsigned char *grid)
{
	const char *d = path_d(svg);
	int x, y, w, w2, used, runs = 0;

	if (d == NULL)
		return -1;
	d += 4;
	memset(grid, 0, (size_t)size * (size_t)size);
	while (*d != '"') {
		if (sscanf(d, "M%d %dh%dv1h-%dz%n", &x, &y, &w, &w2, &used) != 4 ||
		    w != w2 || w < 1 || x < 0 || y < 0 || x + w > size || y >= size)
			return -1;
		for (int i = 0; i < w; i++) {
			if (grid[y * size + x + i])
				return -1;
			grid[y * size + x + i] = 1;
		}
		runs++;
		d += used;
	}
	return runs;
}

/* The SVG must show exactly the modules libqrencode computes for text. */
static int matches_encoder(const char *svg, const char *text, int *version)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL)
		return 0;
	int n = qr->width, size = n + 2 * QR_QUIET, good = 1;
	unsigned char *grid = malloc((size_t)size * (size_t)size);
	*version = qr->version;
	if (path_render(svg, size, grid) < 0)
		good = 0;
	for (int y = 0; good && y < size; y++)
		for (int x = 0; good && x < size; x++) {
			int in = x >= QR_QUIET && x < QR_QUIET + n &&
				 y >= QR_QUIET && y < QR_QUIET + n;
			int dark = in && (qr->data[(y - QR_QUIET) * n + x - QR_QUIET] & 1);
			if (grid[y * size + x] != dark)
				good = 0;
		}
	free(grid);
	QRcode_free(qr);
	return good;
}

int main(void)
{
	struct arena a;
	int version = 0;
	char want[64];

	arena_init(&a);

	const char *url = "https://livecard.example/c/Zq3v9XkT2mB7pL0sWc4rYh";
	char *svg = qr_svg(url, NULL, &a);
	ok(svg != NULL, "qr_svg makes an SVG for a URL");
	ok(svg && strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0,
	   "it starts with <svg and the SVG namespace");
	ok(svg && strstr(svg, "</svg>") != NULL, "it is closed");
	is_int(svg ? count(svg, "<path") : -1, 1, "exactly one <path>");
	is_int(svg ? count(svg, "<title>") : -1, 1, "one <title>");
	ok(svg && strstr(svg, "shape-rendering=\"crispEdges\""), "crispEdges");
	ok(svg && strstr(svg, url), "the title names the URL");
	/* 49 bytes at level M need version 4 (up to 62 bytes): 33 modules,
	 * plus 4 quiet modules each side */
	ok(svg && matches_encoder(svg, url, &version),
	   "the path draws exactly the encoder's dark modules inside the quiet zone");
	is_int(version, 4, "a 49-byte URL at level M is version 4");
	snprintf(want, sizeof(want), "viewBox=\"0 0 %d %d\"", 17 + 4 * version + 8,
		 17 + 4 * version + 8);
	ok(svg && strstr(svg, want), "viewBox is the symbol plus the quiet zone (%s)", want);
	ok(svg && strstr(svg, "viewBox=\"0 0 41 41\""), "that is 41 units");

	const char *other = "https://livecard.example/c/Zq3v9XkT2mB7pL0sWc4rYi";
	char *svg2 = qr_svg(other, NULL, &a);
	ok(svg2 && svg && strcmp(path_d(svg), path_d(svg2)) != 0,
	   "a text differing in one character gives a different path");
	ok(svg2 && matches_encoder(svg2, other, &version), "and it matches its own encoding");
	char *again = qr_svg(url, NULL, &a);
	ok(again && svg && strcmp(again, svg) == 0, "the same text gives the same SVG");

	char *tiny = qr_svg("A", NULL, &a);
	ok(tiny && strstr(tiny, "viewBox=\"0 0 29 29\""), "one character: version 1, 21+8 units");
	ok(tiny && matches_encoder(tiny, "A", &version), "and its modules match");

	char *esc = qr_svg("a<b>&\"c'", NULL, &a);
	const char *t0 = esc ? strstr(esc, "<title>") : NULL;
	const char *t1 = t0 ? strstr(t0, "</title>") : NULL;
	is_str(t1 ? arena_strndup(&a, t0, (size_t)(t1 - t0 + 8)) : NULL,
	       "<title>QR code: a&lt;b&gt;&amp;&quot;c&#39;</title>",
	       "the title is XML-escaped");
	char *cap = qr_svg("x", "二维码 <&>", &a);
	ok(cap != NULL && strstr(cap, "<title>二维码 &lt;&amp;&gt;: x</title>") != NULL,
	   "the caption comes first in the title, XML-escaped");
	ok(esc && !strstr(esc, "a<b>"), "no raw markup from the text");
	ok(esc && matches_encoder(esc, "a<b>&\"c'", &version), "the code encodes the raw text");

	const char *utf8 = "名片 https://livecard.example/c/x";
	char *u = qr_svg(utf8, NULL, &a);
	ok(u && matches_encoder(u, utf8, &version), "UTF-8 text is encoded as bytes");

	ok(qr_svg(NULL, NULL, &a) == NULL, "NULL text gives NULL");
	ok(qr_svg("", NULL, &a) == NULL, "empty text gives NULL");

	size_t big = 4000;
	char *huge = malloc(big + 1);
	memset(huge, 'x', big);
	huge[big] = '\0';
	ok(qr_svg(huge, NULL, &a) == NULL, "text too long for version 40 gives NULL");
	huge[1000] = '\0';
	char *large = qr_svg(huge, NULL, &a);
	int large_ok = large && matches_encoder(large, huge, &version);
	ok(large_ok, "1000 bytes still encode (version %d)", version);
	free(huge);

	/* path size stays small: runs merged, so far fewer commands than
	 * dark modules */
	int dark = 0, runs = 0;
	{
		QRcode *qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
		for (int i = 0; i < qr->width * qr->width; i++)
			dark += qr->data[i] & 1;
		unsigned char grid[41 * 41];
		runs = path_render(svg, 41, grid);
		QRcode_free(qr);
	}
	ok(runs > 0 && runs < dark, "horizontal runs merged: %d commands for %d dark modules", runs, dark);
	ok(svg && strlen(svg) < 8192, "the SVG is small (%zu bytes)", svg ? strlen(svg) : 0);

	arena_reset(&a);
	return done_testing();
}
