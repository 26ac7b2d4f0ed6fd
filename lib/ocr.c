/* ocr.c: card images to lines of text: a sandboxed child decodes, finds and straightens the card and flattens its light; Tesseract (C API) reads it. */
#include "ocr.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <tesseract/capi.h>
#include <vips/vips.h>

#include "image.h"
#include "log.h"
#include "sandbox.h"

#define OCR_MAGIC 0x4c434f43u	/* "LCOC" */
#define OCR_MAX_SIDE 2000	/* the decoded image, long side */
#define OCR_MIN_WIDTH 1000	/* narrower cards are scaled up ... */
#define OCR_UP_WIDTH 1280	/* ... to this width */
#define OCR_NAME_PX 32		/* text height of the name line's second reading */

static TessBaseAPI *page_api, *name_api, *latin_api;
static int ocr_failed;

/* --- the decoding child ----------------------------------------------------- */

/* A grey image, 8 bits a pixel, rows without padding. */
struct gray {
	int w, h;
	unsigned char *px;
};

struct ocr_hdr {
	uint32_t magic;
	int32_t w, h, cropped;
};

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* sample: bilinear value of g at (x, y); outside is white */
static double sample(const struct gray *g, double x, double y)
{
	if (x < 0 || y < 0 || x > g->w - 1 || y > g->h - 1)
		return 255;
	int x0 = (int)x, y0 = (int)y;
	int x1 = x0 + 1 < g->w ? x0 + 1 : x0, y1 = y0 + 1 < g->h ? y0 + 1 : y0;
	double fx = x - x0, fy = y - y0;
	const unsigned char *p = g->px;
	double top = p[y0 * g->w + x0] * (1 - fx) + p[y0 * g->w + x1] * fx;
	double bot = p[y1 * g->w + x0] * (1 - fx) + p[y1 * g->w + x1] * fx;
	return top * (1 - fy) + bot * fy;
}

/* solve8: a 8x8 linear system by Gaussian elimination with pivoting;
 * 0, or -1 when singular. */
static int solve8(double m[8][9], double x[8])
{
	for (int c = 0; c < 8; c++) {
		int p = c;
		for (int r = c + 1; r < 8; r++)
			if (fabs(m[r][c]) > fabs(m[p][c]))
				p = r;
		if (fabs(m[p][c]) < 1e-9)
			return -1;
		for (int k = 0; k < 9; k++) {
			double t = m[c][k];
			m[c][k] = m[p][k];
			m[p][k] = t;
		}
		for (int r = 0; r < 8; r++) {
			if (r == c)
				continue;
			double f = m[r][c] / m[c][c];
			for (int k = c; k < 9; k++)
				m[r][k] -= f * m[c][k];
		}
	}
	for (int i = 0; i < 8; i++)
		x[i] = m[i][8] / m[i][i];
	return 0;
}

/* warp: the quadrilateral q (top left, top right, bottom right, bottom left)
 * of src mapped onto a w x h rectangle (a homography). */
static int warp(const struct gray *src, const double q[4][2], int w, int h, struct gray *dst)
{
	const double rect[4][2] = {{0, 0}, {w - 1, 0}, {w - 1, h - 1}, {0, h - 1}};
	double m[8][9], k[8];
	for (int i = 0; i < 4; i++) {
		double u = rect[i][0], v = rect[i][1], x = q[i][0], y = q[i][1];
		double r1[9] = {u, v, 1, 0, 0, 0, -u * x, -v * x, x};
		double r2[9] = {0, 0, 0, u, v, 1, -u * y, -v * y, y};
		memcpy(m[2 * i], r1, sizeof(r1));
		memcpy(m[2 * i + 1], r2, sizeof(r2));
	}
	if (solve8(m, k) != 0)
		return -1;
	dst->w = w;
	dst->h = h;
	dst->px = malloc((size_t)w * h);
	if (dst->px == NULL)
		return -1;
	for (int v = 0; v < h; v++)
		for (int u = 0; u < w; u++) {
			double d = k[6] * u + k[7] * v + 1;
			double x = (k[0] * u + k[1] * v + k[2]) / d, y = (k[3] * u + k[4] * v + k[5]) / d;
			double s = sample(src, x, y);
			dst->px[(size_t)v * w + u] = (unsigned char)(s + 0.5);
		}
	return 0;
}

/* otsu: the threshold that best splits the histogram in two */
static int otsu(const unsigned long hist[256], unsigned long total)
{
	double sum = 0, sum_b = 0, best = -1;
	unsigned long wb = 0;
	int t = 128;
	for (int i = 0; i < 256; i++)
		sum += (double)i * hist[i];
	for (int i = 0; i < 256; i++) {
		wb += hist[i];
		if (wb == 0 || wb == total)
			continue;
		sum_b += (double)i * hist[i];
		double mb = sum_b / wb, mf = (sum - sum_b) / (total - wb);
		double between = (double)wb * (total - wb) * (mb - mf) * (mb - mf);
		if (between > best) {
			best = between;
			t = i;
		}
	}
	return t;
}

/* find_card: the corners of a bright card on a darker background, in
 * pixels of g; 0 when found, -1 when the image looks like a card already
 * (or no card stands out). On a copy shrunk to about 400 px: Otsu's
 * threshold, the largest bright region, and its extreme points along the
 * two diagonals. */
static int find_card(const struct gray *g, double q[4][2], int *thr)
{
	int f = (g->w > g->h ? g->w : g->h) / 400;
	if (f < 1)
		f = 1;
	int sw = g->w / f, sh = g->h / f;
	size_t n = (size_t)sw * sh;
	unsigned char *s = malloc(n);
	int *stack = malloc(n * sizeof(int));
	unsigned char *seen = calloc(n, 1);
	unsigned long hist[256] = {0};
	int rc = -1;

	if (s == NULL || stack == NULL || seen == NULL)
		goto out;
	for (int y = 0; y < sh; y++)
		for (int x = 0; x < sw; x++) {
			unsigned sum = 0;
			for (int j = 0; j < f; j++)
				for (int i = 0; i < f; i++)
					sum += g->px[(size_t)(y * f + j) * g->w + x * f + i];
			s[(size_t)y * sw + x] = (unsigned char)(sum / (unsigned)(f * f));
			hist[s[(size_t)y * sw + x]]++;
		}
	int t = otsu(hist, n);
	*thr = t;
	/* the largest 4-connected region above the threshold */
	size_t best = 0;
	int best_seed = -1;
	for (size_t i = 0; i < n; i++) {
		if (seen[i] || s[i] <= t)
			continue;
		size_t area = 0;
		int top = 0;
		stack[top++] = (int)i;
		seen[i] = 1;
		while (top) {
			int p = stack[--top], x = p % sw, y = p / sw;
			area++;
			int nb[4] = {x > 0 ? p - 1 : -1, x + 1 < sw ? p + 1 : -1, y > 0 ? p - sw : -1,
				     y + 1 < sh ? p + sw : -1};
			for (int k = 0; k < 4; k++)
				if (nb[k] >= 0 && !seen[nb[k]] && s[nb[k]] > t) {
					seen[nb[k]] = 1;
					stack[top++] = nb[k];
				}
		}
		if (area > best) {
			best = area;
			best_seed = (int)i;
		}
	}
	/* a card that fills the picture, or no region worth the name */
	if (best_seed < 0 || best < n / 8 || best > n * 85 / 100)
		goto out;
	/* walk the winning region again for its corners */
	memset(seen, 0, n);
	int top = 0;
	double ext[4] = {1e18, -1e18, -1e18, 1e18};	/* min x+y, max x-y, max x+y, min x-y */
	int at[4][2] = {{0}};
	int touches = 0;
	stack[top++] = best_seed;
	seen[best_seed] = 1;
	while (top) {
		int p = stack[--top], x = p % sw, y = p / sw;
		if (x == 0 || y == 0 || x == sw - 1 || y == sh - 1)
			touches++;
		double v[4] = {x + y, x - y, x + y, x - y};
		if (v[0] < ext[0]) { ext[0] = v[0]; at[0][0] = x; at[0][1] = y; }
		if (v[1] > ext[1]) { ext[1] = v[1]; at[1][0] = x; at[1][1] = y; }
		if (v[2] > ext[2]) { ext[2] = v[2]; at[2][0] = x; at[2][1] = y; }
		if (v[3] < ext[3]) { ext[3] = v[3]; at[3][0] = x; at[3][1] = y; }
		int nb[4] = {x > 0 ? p - 1 : -1, x + 1 < sw ? p + 1 : -1, y > 0 ? p - sw : -1,
			     y + 1 < sh ? p + sw : -1};
		for (int k = 0; k < 4; k++)
			if (nb[k] >= 0 && !seen[nb[k]] && s[nb[k]] > t) {
				seen[nb[k]] = 1;
				stack[top++] = nb[k];
			}
	}
	/* a region that runs along the edges is the background, not a card */
	if (touches > (sw + sh) / 2)
		goto out;
	for (int k = 0; k < 4; k++) {
		q[k][0] = (at[k][0] + 0.5) * f;
		q[k][1] = (at[k][1] + 0.5) * f;
	}
	rc = 0;
out:
	free(s);
	free(stack);
	free(seen);
	return rc;
}

static double dist(const double a[2], const double b[2])
{
	return hypot(a[0] - b[0], a[1] - b[1]);
}

/* flatten: divide by an estimate of the paper's brightness (the brightest
 * pixel of each 32 px block, smoothed), so uneven light and a tinted card
 * become white paper with dark text; then stretch the contrast. */
static void flatten(struct gray *g)
{
	const int B = 32;
	int bw = (g->w + B - 1) / B, bh = (g->h + B - 1) / B;
	double *bg = malloc(sizeof(double) * bw * bh), *sm = malloc(sizeof(double) * bw * bh);
	if (bg == NULL || sm == NULL) {
		free(bg);
		free(sm);
		return;
	}
	for (int by = 0; by < bh; by++)
		for (int bx = 0; bx < bw; bx++) {
			/* the 95th percentile, not the maximum: noise has bright specks */
			unsigned hist[256] = {0}, cnt = 0;
			for (int y = by * B; y < (by + 1) * B && y < g->h; y++)
				for (int x = bx * B; x < (bx + 1) * B && x < g->w; x++) {
					hist[g->px[(size_t)y * g->w + x]]++;
					cnt++;
				}
			unsigned acc = 0, lim = cnt / 20;
			int v = 255;
			while (v > 0 && acc + hist[v] <= lim)
				acc += hist[v--];
			bg[by * bw + bx] = v;
		}
	/* a block of solid print (a banner) takes its neighbours' paper */
	for (int by = 0; by < bh; by++)
		for (int bx = 0; bx < bw; bx++) {
			double m = 0;
			for (int j = -1; j <= 1; j++)
				for (int i = -1; i <= 1; i++) {
					int x = bx + i, y = by + j;
					if (x >= 0 && y >= 0 && x < bw && y < bh && bg[y * bw + x] > m)
						m = bg[y * bw + x];
				}
			sm[by * bw + bx] = m < 40 ? 40 : m;
		}
	unsigned long hist[256] = {0};
	for (int y = 0; y < g->h; y++)
		for (int x = 0; x < g->w; x++) {
			double fx = (x + 0.5) / B - 0.5, fy = (y + 0.5) / B - 0.5;
			if (fx < 0) fx = 0;
			if (fy < 0) fy = 0;
			if (fx > bw - 1) fx = bw - 1;
			if (fy > bh - 1) fy = bh - 1;
			int x0 = (int)fx, y0 = (int)fy, x1 = x0 + 1 < bw ? x0 + 1 : x0, y1 = y0 + 1 < bh ? y0 + 1 : y0;
			double ax = fx - x0, ay = fy - y0;
			double b = (sm[y0 * bw + x0] * (1 - ax) + sm[y0 * bw + x1] * ax) * (1 - ay) +
				   (sm[y1 * bw + x0] * (1 - ax) + sm[y1 * bw + x1] * ax) * ay;
			double v = 255.0 * g->px[(size_t)y * g->w + x] / b;
			unsigned char c = v > 255 ? 255 : (unsigned char)v;
			g->px[(size_t)y * g->w + x] = c;
			hist[c]++;
		}
	/* stretch: the darkest 1 % to black */
	unsigned long acc = 0, lim = (unsigned long)g->w * g->h / 100;
	int lo = 0;
	while (lo < 200 && acc + hist[lo] <= lim)
		acc += hist[lo++];
	if (lo > 0)
		for (size_t i = 0; i < (size_t)g->w * g->h; i++)
			g->px[i] = g->px[i] <= lo ? 0 : (unsigned char)((g->px[i] - lo) * 255 / (255 - lo));
	free(bg);
	free(sm);
}

/* span_mean: the mean of g over the pixels [x0, x1) x [y0, y1) */
static int span_mean(const struct gray *g, int x0, int y0, int x1, int y1)
{
	unsigned long sum = 0, n = 0;
	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++, n++)
			sum += g->px[(size_t)y * g->w + x];
	return n ? (int)(sum / n) : 255;
}

/* invert_band: the band [x0, x1) x [y0, y1) (found in 8 px blocks) made
 * print on paper: its edges moved to the pixel rows and columns where the
 * band (darker than thr) begins and ends, up to a block either way and
 * onto the picture's edge, and its pixels inverted and scaled so that the
 * band's colour becomes paper (paper) and its lettering black */
static void invert_band(struct gray *g, int x0, int y0, int x1, int y1, int thr, int paper)
{
	const int B = 8;
	int lim;
	for (lim = y0 - B; y0 > 0 && y0 > lim && span_mean(g, x0, y0 - 1, x1, y0) < thr; y0--)
		;
	for (lim = y0 + B; y0 < y1 && y0 < lim && span_mean(g, x0, y0, x1, y0 + 1) >= thr; y0++)
		;
	for (lim = y1 + B; y1 < g->h && y1 < lim && span_mean(g, x0, y1, x1, y1 + 1) < thr; y1++)
		;
	for (lim = y1 - B; y1 > y0 && y1 > lim && span_mean(g, x0, y1 - 1, x1, y1) >= thr; y1--)
		;
	for (lim = x0 - B; x0 > 0 && x0 > lim && span_mean(g, x0 - 1, y0, x0, y1) < thr; x0--)
		;
	for (lim = x0 + B; x0 < x1 && x0 < lim && span_mean(g, x0, y0, x0 + 1, y1) >= thr; x0++)
		;
	for (lim = x1 + B; x1 < g->w && x1 < lim && span_mean(g, x1, y0, x1 + 1, y1) < thr; x1++)
		;
	for (lim = x1 - B; x1 > x0 && x1 > lim && span_mean(g, x1 - 1, y0, x1, y1) >= thr; x1--)
		;
	/* the band's colour: the mean of its dark pixels */
	unsigned long sum = 0, n = 0;
	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++)
			if (g->px[(size_t)y * g->w + x] < thr) {
				sum += g->px[(size_t)y * g->w + x];
				n++;
			}
	int band = n ? (int)(sum / n) : 0;
	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++) {
			int v = (255 - g->px[(size_t)y * g->w + x]) * paper / (255 - band);
			g->px[(size_t)y * g->w + x] = (unsigned char)(v > 255 ? 255 : v);
		}
}

/* uninvert: light text on a dark band (an organisation's name on a
 * coloured bar) made dark on light: the bounding box of each large,
 * mostly solid region of 8 px blocks darker than thr on average is
 * inverted (invert_band), so the page reads as print on paper. Bold glyphs
 * make only small regions. */
static void uninvert(struct gray *g, int thr, int paper)
{
	const int B = 8;
	int bw = g->w / B, bh = g->h / B;
	size_t n = (size_t)bw * bh;
	unsigned char *dark = calloc(n ? n : 1, 1);
	int *stack = malloc((n ? n : 1) * sizeof(int));
	if (dark == NULL || stack == NULL)
		goto out;
	for (int by = 0; by < bh; by++)
		for (int bx = 0; bx < bw; bx++) {
			unsigned sum = 0;
			for (int y = by * B; y < (by + 1) * B; y++)
				for (int x = bx * B; x < (bx + 1) * B; x++)
					sum += g->px[(size_t)y * g->w + x];
			dark[by * bw + bx] = sum / (B * B) < (unsigned)thr;
		}
	for (size_t i = 0; i < n; i++) {
		if (dark[i] != 1)
			continue;
		int top = 0, x0 = bw, y0 = bh, x1 = -1, y1 = -1;
		size_t area = 0;
		stack[top++] = (int)i;
		dark[i] = 2;
		while (top) {
			int p = stack[--top], x = p % bw, y = p / bw;
			area++;
			if (x < x0) x0 = x;
			if (x > x1) x1 = x;
			if (y < y0) y0 = y;
			if (y > y1) y1 = y;
			int nb[4] = {x > 0 ? p - 1 : -1, x + 1 < bw ? p + 1 : -1, y > 0 ? p - bw : -1,
				     y + 1 < bh ? p + bw : -1};
			for (int k = 0; k < 4; k++)
				if (nb[k] >= 0 && dark[nb[k]] == 1) {
					dark[nb[k]] = 2;
					stack[top++] = nb[k];
				}
		}
		size_t box = (size_t)(x1 - x0 + 1) * (y1 - y0 + 1);
		if (area < 150 || area * 2 < box)
			continue;
		invert_band(g, x0 * B, y0 * B, (x1 + 1) * B, (y1 + 1) * B, thr, paper);
	}
out:
	free(dark);
	free(stack);
}

/* paper_level: the brightness of a card's paper, before flattening: the
 * mean of the 8 px blocks at the 80th percentile (print, a band and shade
 * are darker) */
static int paper_level(const struct gray *g)
{
	const int B = 8;
	unsigned long hist[256] = {0}, n = 0, acc = 0;
	for (int by = 0; by + B <= g->h; by += B)
		for (int bx = 0; bx + B <= g->w; bx += B) {
			unsigned sum = 0;
			for (int y = by; y < by + B; y++)
				for (int x = bx; x < bx + B; x++)
					sum += g->px[(size_t)y * g->w + x];
			hist[sum / (B * B)]++;
			n++;
		}
	int v = 0;
	while (v < 255 && (acc + hist[v]) * 5 < n * 4)
		acc += hist[v++];
	return v;
}

/* bright_share: the share of points of the strip between the edge a-b and
 * the edge a2-b2 brighter than t (-1 when much of it is off the image) */
static double bright_share(const struct gray *g, const double a[2], const double b[2], const double a2[2],
			   const double b2[2], int t)
{
	int n = 0, bright = 0, off = 0;
	/* not the row along the edge: the card's own border, found on a
	 * shrunk copy, leaks into it */
	for (int j = 1; j < 12; j++)
		for (int i = 0; i < 80; i++) {
			double u = (i + 0.5) / 80, v = (j + 0.5) / 12;
			double x = (a[0] + (b[0] - a[0]) * u) * (1 - v) + (a2[0] + (b2[0] - a2[0]) * u) * v;
			double y = (a[1] + (b[1] - a[1]) * u) * (1 - v) + (a2[1] + (b2[1] - a2[1]) * u) * v;
			n++;
			if (x < 0 || y < 0 || x > g->w - 1 || y > g->h - 1) {
				off++;
				continue;
			}
			bright += sample(g, x, y) > t;
		}
	return off * 5 > n ? -1 : (double)bright / n;
}

/* Cards are about 1.5 to 1.8 times as wide as high (90 x 54 mm, 3.5 x 2
 * in): a region found longer than OCR_CARD_LONG lost a band along one long
 * side, and is given back up to OCR_CARD_ASPECT. */
#define OCR_CARD_LONG 1.95
#define OCR_CARD_ASPECT 1.75

/* recover_band: a dark band along the top or bottom of a card (an
 * organisation's name in white on a coloured bar) is no part of the bright
 * region find_card took for the card, which is then too long for its
 * height; the quad q is extended over the band on the side whose strip
 * holds light print (the band's lettering; a table beside the card holds
 * none), by the height a card of that width lacks. */
static void recover_band(const struct gray *g, double q[4][2], int t)
{
	double w = fmax(dist(q[0], q[1]), dist(q[3], q[2]));
	double h = fmax(dist(q[0], q[3]), dist(q[1], q[2]));
	if (h < 1 || w < h * OCR_CARD_LONG)
		return;
	double k = (w / OCR_CARD_ASPECT - h) / h;
	double top[2][2], bot[2][2];
	for (int c = 0; c < 2; c++) {
		top[0][c] = q[0][c] + (q[0][c] - q[3][c]) * k;
		top[1][c] = q[1][c] + (q[1][c] - q[2][c]) * k;
		bot[0][c] = q[3][c] + (q[3][c] - q[0][c]) * k;
		bot[1][c] = q[2][c] + (q[2][c] - q[1][c]) * k;
	}
	double st = bright_share(g, q[0], q[1], top[0], top[1], t);
	double sb = bright_share(g, q[3], q[2], bot[0], bot[1], t);
	if (st < 0.01 && sb < 0.01)
		return;
	if (st >= sb) {
		memcpy(q[0], top[0], sizeof(top[0]));
		memcpy(q[1], top[1], sizeof(top[1]));
	} else {
		memcpy(q[3], bot[0], sizeof(bot[0]));
		memcpy(q[2], bot[1], sizeof(bot[1]));
	}
}

/* prepare: decoded grey image in, the card straightened, scaled and
 * flattened out (dst->px malloc'ed). */
static int prepare(const struct gray *src, struct gray *dst, int *cropped)
{
	double q[4][2];
	double w, h;
	int t = 128;
	*cropped = find_card(src, q, &t) == 0;
	if (*cropped)
		recover_band(src, q, t);
	if (*cropped) {
		w = fmax(dist(q[0], q[1]), dist(q[3], q[2]));
		h = fmax(dist(q[0], q[3]), dist(q[1], q[2]));
	} else {
		double full[4][2] = {{0, 0}, {src->w - 1, 0}, {src->w - 1, src->h - 1}, {0, src->h - 1}};
		memcpy(q, full, sizeof(full));
		w = src->w;
		h = src->h;
	}
	if (w < 50 || h < 30)
		return -1;
	double scale = 1;
	if (w < OCR_MIN_WIDTH)
		scale = OCR_UP_WIDTH / w;
	else if (w > OCR_MAX_SIDE)
		scale = OCR_MAX_SIDE / w;
	if (warp(src, q, (int)(w * scale), (int)(h * scale), dst) != 0)
		return -1;
	/* a band inverted before the light is flattened: flatten would
	 * take the band's lettering for its paper near the letters and the
	 * band's colour for it elsewhere, and leave it half dark */
	int paper = paper_level(dst);
	uninvert(dst, paper / 2, paper);
	flatten(dst);
	uninvert(dst, 100, 255);
	return 0;
}

/* ocr_child: the decoding child's whole life (lib/sandbox.h). */
static int ocr_child(void)
{
	unsigned char *in;
	size_t n;
	VipsImage *im = NULL, *t = NULL;
	struct gray src = {0}, dst = {0};
	struct ocr_hdr hdr = {.magic = OCR_MAGIC};
	size_t len = 0;

	if (sandbox_child_input(&in, &n) != 0 || n < 8)
		return 2;
	setenv("VIPS_NOVECTOR", "1", 1);	/* as image.c: no executable code from /tmp */
	if (image_init() != ERR_OK)
		return 3;
	if (sandbox_enter() != 0)
		return 4;
	if (n >= 3 && in[0] == 0xff && in[1] == 0xd8 && in[2] == 0xff) {
		if (vips_jpegload_buffer(in, n, &im, "fail_on", VIPS_FAIL_ON_ERROR, NULL))
			return 5;
	} else if (n >= 8 && memcmp(in, "\x89PNG\r\n\x1a\n", 8) == 0) {
		if (vips_pngload_buffer(in, n, &im, "fail_on", VIPS_FAIL_ON_ERROR, NULL))
			return 5;
	} else {
		return 5;
	}
	if (vips_image_get_width(im) > IMAGE_DEFAULT_MAX_SIDE || vips_image_get_height(im) > IMAGE_DEFAULT_MAX_SIDE)
		return 5;
	double longest = fmax(vips_image_get_width(im), vips_image_get_height(im));
	if (longest > OCR_MAX_SIDE) {
		if (vips_resize(im, &t, OCR_MAX_SIDE / longest, NULL))
			return 5;
		g_object_unref(im);
		im = t;
	}
	if (vips_colourspace(im, &t, VIPS_INTERPRETATION_B_W, NULL))
		return 5;
	g_object_unref(im);
	im = t;
	if (vips_image_get_bands(im) > 1) {
		if (vips_extract_band(im, &t, 0, NULL))
			return 5;
		g_object_unref(im);
		im = t;
	}
	if (vips_cast_uchar(im, &t, NULL))
		return 5;
	g_object_unref(im);
	im = t;
	src.px = vips_image_write_to_memory(im, &len);
	src.w = vips_image_get_width(im);
	src.h = vips_image_get_height(im);
	g_object_unref(im);
	if (src.px == NULL || len != (size_t)src.w * src.h)
		return 5;
	if (prepare(&src, &dst, &hdr.cropped) != 0)
		return 5;
	hdr.w = dst.w;
	hdr.h = dst.h;
	if (sandbox_write_all(SANDBOX_OUT_FD, &hdr, sizeof(hdr)) || sandbox_write_all(SANDBOX_OUT_FD, dst.px, (size_t)dst.w * dst.h))
		return 1;
	return 0;
}

__attribute__((constructor)) static void ocr_child_entry(void)
{
	const char *task = sandbox_task();
	if (task && strcmp(task, "ocr") == 0)
		_exit(ocr_child());
}

/* ocr_prepare: ocr_child's work, from this process; *g malloc'ed. */
static enum err ocr_prepare(const void *data, size_t len, struct gray *g, int *cropped,
			    struct errinfo *ei)
{
	struct sandbox_limits sl = {
		.out_max = sizeof(struct ocr_hdr) + (size_t)OCR_MAX_SIDE * OCR_MAX_SIDE + 4096,
	};
	unsigned char *buf = NULL;
	size_t n = 0;
	int detail = 0;
	struct ocr_hdr h;

	enum sandbox_status st = sandbox_run("ocr", data, len, &sl, &buf, &n, &detail);
	if (st == SANDBOX_ERROR)
		return errinfo_set(ei, ERR_UNAVAILABLE, NULL, NULL, "the image could not be processed now");
	if (st != SANDBOX_OK || n < sizeof(h)) {
		log_warn("ocr: decoding child %s (%d)", sandbox_status_name(st), detail);
		free(buf);
		return errinfo_set(ei, ERR_BAD_REQUEST, "unreadable_image", NULL, "could not read this image");
	}
	memcpy(&h, buf, sizeof(h));
	if (h.magic != OCR_MAGIC || h.w <= 0 || h.h <= 0 || h.w > 4 * OCR_MAX_SIDE || h.h > 4 * OCR_MAX_SIDE ||
	    sizeof(h) + (size_t)h.w * h.h != n) {
		free(buf);
		log_warn("ocr: decoding child answered nonsense");
		return errinfo_set(ei, ERR_BAD_REQUEST, "unreadable_image", NULL, "could not read this image");
	}
	g->w = h.w;
	g->h = h.h;
	g->px = malloc((size_t)h.w * h.h);
	if (g->px == NULL) {
		free(buf);
		return errinfo_set(ei, ERR_UNAVAILABLE, NULL, NULL, "out of memory");
	}
	memcpy(g->px, buf + sizeof(h), (size_t)h.w * h.h);
	*cropped = h.cropped;
	free(buf);
	return ERR_OK;
}

/* --- Tesseract ---------------------------------------------------------------- */

static TessBaseAPI *api_new(const char *datapath, const char *lang, TessPageSegMode psm)
{
	TessBaseAPI *api = TessBaseAPICreate();
	if (api == NULL)
		return NULL;
	if (TessBaseAPIInit3(api, datapath, lang) != 0) {
		TessBaseAPIDelete(api);
		return NULL;
	}
	TessBaseAPISetPageSegMode(api, psm);
	TessBaseAPISetVariable(api, "user_defined_dpi", "300");
	TessBaseAPISetVariable(api, "debug_file", "/dev/null");
	return api;
}

enum err ocr_init(const char *datapath)
{
	if (page_api)
		return ERR_OK;
	if (ocr_failed)
		return ERR_UNAVAILABLE;
	page_api = api_new(datapath, "chi_sim+eng", PSM_SPARSE_TEXT);
	name_api = api_new(datapath, "chi_sim", PSM_SINGLE_LINE);
	latin_api = api_new(datapath, "eng", PSM_SINGLE_LINE);
	if (page_api == NULL || name_api == NULL || latin_api == NULL) {
		log_error("ocr: cannot load the Tesseract models chi_sim and eng");
		ocr_shutdown();
		ocr_failed = 1;
		return ERR_UNAVAILABLE;
	}
	return ERR_OK;
}

void ocr_shutdown(void)
{
	if (page_api) {
		TessBaseAPIEnd(page_api);
		TessBaseAPIDelete(page_api);
	}
	if (name_api) {
		TessBaseAPIEnd(name_api);
		TessBaseAPIDelete(name_api);
	}
	if (latin_api) {
		TessBaseAPIEnd(latin_api);
		TessBaseAPIDelete(latin_api);
	}
	page_api = name_api = latin_api = NULL;
}

/* cjk_edge: whether the first (last: the last) character of s is a
 * Chinese character or a digit (ch: 'c' Chinese, 'd' digit, 0 other) */
static int edge_kind(const char *s, int last)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	if (n == 0)
		return 0;
	if (last) {
		size_t i = n - 1;
		while (i > 0 && (p[i] & 0xc0) == 0x80)
			i--;
		p += i;
	}
	/* digits, and Latin letters ("A座", "5G"), join Chinese when close */
	if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z'))
		return 'd';
	if (*p >= 0xe3 && *p <= 0xe9)
		return 'c';
	return 0;
}

/* word_em: the character size of a word: for Chinese (square glyphs) the
 * larger of its height and its width per character (a box may hold only
 * part of a glyph: 一 is flat, 有 came out 11 px wide at 33 px), else its
 * height */
static int word_em(const char *txt, int w, int h)
{
	int n = 0, cjk = 0;
	for (const unsigned char *p = (const unsigned char *)txt; *p; p++)
		if ((*p & 0xc0) != 0x80) {
			n++;
			cjk += *p >= 0xe3 && *p <= 0xe9;
		}
	return cjk && cjk == n && w / n > h ? w / n : h;
}

/* reserve: room for need bytes in *buf (grown with realloc); 0, or -1 with
 * *buf as it was when memory runs out */
static int reserve(char **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t nc = need * 2 + 64;
	char *nb = realloc(*buf, nc);
	if (nb == NULL)
		return -1;
	*buf = nb;
	*cap = nc;
	return 0;
}

/* read_lines: the text lines Tesseract found, appended to *lines, each
 * built from its words: a space between two words unless both sides of
 * the gap are Chinese (or Chinese and a digit) and the gap is narrower
 * than 0.85 of the smaller character size of the two words (Tesseract
 * splits Chinese into "words" at random, with gaps of up to 0.6 characters
 * between their boxes; a wider gap separates two things, e.g. a name and a
 * title set in different sizes on one row). */
static void read_lines(TessBaseAPI *api, struct arena *a, struct ocr_line **lines, size_t *n, size_t *cap)
{
	TessResultIterator *ri = TessBaseAPIGetIterator(api);
	if (ri == NULL)
		return;
	TessPageIterator *pi = TessResultIteratorGetPageIterator(ri);
	struct ocr_line *ln = NULL;
	char *buf = NULL;
	size_t blen = 0, bcap = 0, chars = 0;
	double confsum = 0;
	int prev_r = 0, prev_em = 0;
	do {
		int l, t, r, b;
		char *txt = TessResultIteratorGetUTF8Text(ri, RIL_WORD);
		if (txt == NULL || *txt == '\0' || !TessPageIteratorBoundingBox(pi, RIL_WORD, &l, &t, &r, &b)) {
			TessDeleteText(txt);
			continue;
		}
		if (ln == NULL || TessPageIteratorIsAtBeginningOf(pi, RIL_TEXTLINE)) {
			if (ln) {
				ln->text = arena_strndup(a, buf, blen);
				ln->conf = chars ? (float)(confsum / chars) : 0;
			}
			if (*n == *cap) {
				size_t nc = *cap ? *cap * 2 : 32;
				struct ocr_line *nl = arena_alloc(a, nc * sizeof(*nl));
				if (*n)
					memcpy(nl, *lines, *n * sizeof(*nl));
				*lines = nl;
				*cap = nc;
			}
			ln = &(*lines)[(*n)++];
			int ll, lt, lr, lb;
			if (!TessPageIteratorBoundingBox(pi, RIL_TEXTLINE, &ll, &lt, &lr, &lb)) {
				ll = l, lt = t, lr = r, lb = b;
			}
			ln->x = ll;
			ln->y = lt;
			ln->w = lr - ll;
			ln->h = lb - lt;
			ln->first_w = 0;
			blen = 0;
			chars = 0;
			confsum = 0;
		} else {
			int k1 = edge_kind(buf ? arena_strndup(a, buf, blen) : "", 1), k2 = edge_kind(txt, 0);
			int em = word_em(txt, r - l, b - t);
			int tight = (l - prev_r) * 20 < (em < prev_em ? em : prev_em) * 17;

			if (!(tight && ((k1 == 'c' && k2) || (k2 == 'c' && k1)))) {
				if (reserve(&buf, &bcap, blen + 2) != 0) {
					TessDeleteText(txt);
					continue;
				}
				buf[blen++] = ' ';
				if (ln->first_w == 0)
					ln->first_w = prev_r - ln->x;
			}
		}
		size_t k = strlen(txt);
		if (reserve(&buf, &bcap, blen + k + 1) != 0) {
			TessDeleteText(txt);
			continue;
		}
		memcpy(buf + blen, txt, k);
		blen += k;
		confsum += TessResultIteratorConfidence(ri, RIL_WORD) * (double)k;
		chars += k;
		prev_r = r;
		prev_em = word_em(txt, r - l, b - t);
		TessDeleteText(txt);
	} while (TessPageIteratorNext(pi, RIL_WORD));
	if (ln) {
		ln->text = arena_strndup(a, buf ? buf : "", blen);
		ln->conf = chars ? (float)(confsum / chars) : 0;
	}
	free(buf);
	TessResultIteratorDelete(ri);
}

static int line_order(const void *pa, const void *pb)
{
	const struct ocr_line *x = pa, *y = pb;
	int cx = x->y + x->h / 2, cy = y->y + y->h / 2;
	/* on one text row (centres within half a line), left to right */
	int tol = (x->h < y->h ? x->h : y->h) / 2;
	if (abs(cx - cy) > tol)
		return cx < cy ? -1 : 1;
	return (x->x > y->x) - (x->x < y->x);
}

/* merge_rows: pieces of one line that the sparse segmentation cut apart
 * ("Business Development" | "Manager") joined again: on one row, of about
 * one size, with a gap of at most a character or so (two between Chinese
 * pieces, whose cut often loses the character between them: 南京星 |
 * 智能制造 for 南京星辰智能制造), or overlapping (北京德 | 砷润贸易有限公:
 * the organisation line's second reading reads the whole row again).
 * Columns stay apart. */
static void merge_rows(struct ocr_page *p, struct arena *a)
{
	size_t o = 0;
	for (size_t i = 0; i < p->n; i++) {
		struct ocr_line *prev = o ? &p->lines[o - 1] : NULL, *cur = &p->lines[i];
		int hmin = prev && prev->h < cur->h ? prev->h : cur->h, hmax = prev && prev->h > cur->h ? prev->h : cur->h;
		int gap = prev ? cur->x - (prev->x + prev->w) : 0;
		int zh = prev && edge_kind(prev->text, 1) == 'c' && edge_kind(cur->text, 0) == 'c';
		if (prev && abs((prev->y + prev->h / 2) - (cur->y + cur->h / 2)) * 3 < hmin && hmax * 4 < hmin * 5 &&
		    cur->x > prev->x + prev->w / 2 && gap < hmin * (zh ? 8 : 6) / 5) {
			size_t lp = strlen(prev->text), lc = strlen(cur->text);
			prev->text = arena_printf(a, "%s %s", prev->text, cur->text);
			prev->conf = (float)((prev->conf * lp + cur->conf * lc) / (lp + lc ? lp + lc : 1));
			int right = cur->x + cur->w > prev->x + prev->w ? cur->x + cur->w : prev->x + prev->w, bottom = cur->y + cur->h > prev->y + prev->h ? cur->y + cur->h : prev->y + prev->h;
			if (cur->y < prev->y)
				prev->y = cur->y;
			prev->w = right - prev->x;
			prev->h = bottom - prev->y;
			continue;
		}
		p->lines[o++] = *cur;
	}
	p->n = o;
}

/* reread: line ln cut out of g, scaled to px of text height, read again
 * as one line by api; the text (in a) and Tesseract's confidence, or NULL.
 * keep: the result stays in api for its iterator (the caller clears it). */
static char *reread(TessBaseAPI *api, const struct gray *g, const struct ocr_line *ln, int px_h,
		    struct arena *a, int *conf, int keep)
{
	int m = ln->h / 4 + 4;
	int x0 = ln->x - m, y0 = ln->y - m, x1 = ln->x + ln->w + m, y1 = ln->y + ln->h + m;
	char *out = NULL;
	if (x0 < 0) x0 = 0;
	if (y0 < 0) y0 = 0;
	if (x1 > g->w) x1 = g->w;
	if (y1 > g->h) y1 = g->h;
	double s = (double)px_h / (ln->h > 0 ? ln->h : 1);
	int w = (int)((x1 - x0) * s), h = (int)((y1 - y0) * s);
	if (w < 8 || h < 8 || w > 4000 || h > 400)
		return NULL;
	unsigned char *px = malloc((size_t)w * h);
	if (px == NULL)
		return NULL;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			px[(size_t)y * w + x] = (unsigned char)(sample(g, x0 + x / s, y0 + y / s) + 0.5);
	TessBaseAPISetImage(api, px, w, h, 1, w);
	if (TessBaseAPIRecognize(api, NULL) == 0) {
		char *txt = TessBaseAPIGetUTF8Text(api);
		*conf = TessBaseAPIMeanTextConf(api);
		if (txt)
			out = cardfields_clean_text(txt, a);
		TessDeleteText(txt);
	}
	if (!keep)
		TessBaseAPIClear(api);
	free(px);
	return out;
}

static int has_cjk(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p >= 0xe3 && *p <= 0xe9)
			return 1;
	return 0;
}

/* cjk_name: s is 2-4 Chinese characters and nothing else (spaces aside) */
static int cjk_name(const char *s)
{
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		if (*p == ' ') {
			p++;
			continue;
		}
		if (*p < 0xe3 || *p > 0xe9 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		unsigned cp = ((p[0] & 15u) << 12) | ((p[1] & 63u) << 6) | (p[2] & 63u);
		if (cp < 0x3400 || cp > 0x9fff)
			return 0;
		n++;
		p += 3;
	}
	return n >= 2 && n <= 4;
}

/* reread_name: the name line read as one line in Chinese at OCR_NAME_PX;
 * it replaces the first reading when Tesseract is surer of it, or when the
 * first reading holds no Chinese at all. */
static void reread_name(const struct gray *g, struct ocr_line *ln, struct arena *a)
{
	int conf = 0;
	/* a name and a title on one row: only the name's part is read again */
	struct ocr_line part = *ln;
	const char *rest = "";
	const char *first = ln->text;
	if (ln->first_w > 0 && strchr(ln->text, ' ')) {
		/* a "word" of Latin junk narrower than two characters of the
		 * line's size is no name: the page model cut the name itself
		 * ("GB =" for 邱玉); the whole line, when it reads as a name
		 * beginning with a common surname at one of the sizes */
		static const int wpx[] = {OCR_NAME_PX, OCR_NAME_PX * 3 / 2, OCR_NAME_PX * 3 / 4};
		for (size_t k = 0; !has_cjk(ln->text) && ln->first_w * 10 < ln->h * 17 && k < 3; k++) {
			int c = 0;
			char *whole = reread(name_api, g, ln, wpx[k], a, &c, 0);
			if (whole && cjk_name(whole) && cardfields_surname(whole)) {
				ln->text = whole;
				ln->conf = (float)(c > ln->conf ? c : ln->conf + 1);
				return;
			}
		}
		part.w = ln->first_w;
		rest = strchr(ln->text, ' ');
		first = arena_strndup(a, ln->text, (size_t)(rest - ln->text));
	}
	/* the rest of such a row (a title in smaller print beside a large
	 * name) read as Latin junk: read again in Chinese too, at a scale that
	 * gives its smaller print the name's size */
	if (*rest && !has_cjk(rest)) {
		struct ocr_line tail = *ln;
		int skip = ln->first_w + ln->h / 4 + 4;
		tail.x = ln->x + skip;
		tail.w = ln->w - skip;
		int tconf = 0;
		char *tt = tail.w > ln->h ? reread(name_api, g, &tail, OCR_NAME_PX * 2, a, &tconf, 0) : NULL;
		if (tt && has_cjk(tt))
			rest = arena_printf(a, " %s", tt);
	}
	/* at 32 px first; when that reading is no name (2-4 Chinese
	 * characters: Latin junk, a character too many or too few), at other
	 * sizes, taking the first that reads as a name */
	static const int px[] = {OCR_NAME_PX, OCR_NAME_PX * 3 / 2, OCR_NAME_PX * 3 / 4};
	char *t = NULL, *sur = NULL;
	int named = 0, sconf = 0;
	for (size_t k = 0; k < sizeof(px) / sizeof(px[0]); k++) {
		int c = 0;
		char *r = reread(name_api, g, &part, px[k], a, &c, 0);
		if (r == NULL || !has_cjk(r))
			continue;
		/* a name that begins with a common surname: look-alikes of
		 * the surname (邱 read 皂, 廖 read 庆) make names without one */
		if (cjk_name(r) && cardfields_surname(r)) {
			sur = r;
			sconf = c;
			break;
		}
		if (named)
			continue;
		if (cjk_name(r)) {
			/* a name beats a first reading that is none */
			if (!cjk_name(first))
				c = c > (int)ln->conf ? c : (int)ln->conf + 1;
			t = r;
			conf = c;
			named = 1;
			continue;
		}
		if (t == NULL || c > conf) {
			t = r;
			conf = c;
		}
	}
	/* ... and beats a first reading that has none */
	if (sur && !(cjk_name(first) && cardfields_surname(first) && sconf <= ln->conf)) {
		t = sur;
		conf = sconf > (int)ln->conf ? sconf : (int)ln->conf + 1;
	}
	if (t && *t && has_cjk(t) && (conf > ln->conf || !has_cjk(ln->text))) {
		ln->text = arena_printf(a, "%s%s", t, rest);
		ln->conf = (float)conf;
	} else if (*rest && strcmp(rest, strchr(ln->text, ' ')) != 0) {
		ln->text = arena_printf(a, "%.*s%s", (int)(strchr(ln->text, ' ') - ln->text), ln->text, rest);
	}
}

/* reread_title: on a Chinese card, a short line of Latin junk just below
 * the name (or beside it) is its title in smaller print that the page
 * model misread: read again in Chinese at two sizes, and taken when it
 * reads as a title */
static void reread_title(const struct gray *g, struct ocr_page *p, struct arena *a)
{
	const struct ocr_line *nm = &p->lines[p->name_line];
	static const int px[] = {OCR_NAME_PX, OCR_NAME_PX * 3 / 2};
	for (size_t i = 0; i < p->n; i++) {
		struct ocr_line *ln = &p->lines[i];
		if ((int)i == p->name_line || has_cjk(ln->text) || strlen(ln->text) > 12 ||
		    strpbrk(ln->text, "0123456789@") || ln->h * 4 < nm->h || ln->h >= nm->h ||
		    ln->y < nm->y || ln->y > nm->y + nm->h * 2)
			continue;
		for (size_t k = 0; k < sizeof(px) / sizeof(px[0]); k++) {
			int conf = 0;
			char *r = reread(name_api, g, ln, px[k], a, &conf, 0);
			if (r && cardfields_is_title(r)) {
				ln->text = r;
				ln->conf = (float)conf;
				break;
			}
		}
	}
}

/* A vote among readings of one line: each distinct key (the value as
 * cardfields reads it) sums the confidences of the readings giving it. */
#define TALLY_MAX 4
struct tally {
	const char *val[TALLY_MAX], *key[TALLY_MAX];
	double score[TALLY_MAX];
	int votes[TALLY_MAX], n;
};

/* tally_add: one reading (val, as read) with its key and confidence */
static void tally_add(struct tally *t, const char *key, const char *val, int conf)
{
	int j = 0;
	if (key == NULL)
		return;
	while (j < t->n && strcmp(t->key[j], key) != 0)
		j++;
	if (j == t->n) {
		if (t->n == TALLY_MAX)
			return;
		t->val[j] = val;
		t->key[j] = key;
		t->votes[j] = 0;
		t->score[j] = 0;
		t->n++;
	}
	t->score[j] += conf;
	t->votes[j]++;
}

/* tally_decided: no key but the leading one can win any more with left
 * readings still to come (each worth 100 at the most): reading them is
 * time lost */
static int tally_decided(const struct tally *t, int left)
{
	double top = 0, rest = 0;
	for (int j = 0; j < t->n; j++) {
		rest += t->score[j];
		if (t->score[j] > top)
			top = t->score[j];
	}
	rest -= top;
	return t->n && top > rest + 100.0 * left;
}

/* tally_best: the index of the key with the most, or -1 (the first key
 * added wins a tie) */
static int tally_best(const struct tally *t)
{
	int best = -1;
	for (int j = 0; j < t->n; j++)
		if (best < 0 || t->score[j] > t->score[best])
			best = j;
	return best;
}

/* latin_value: the e-mail or web address in a line read by latin_api:
 * the words from the first one holding mark ("@", "www") to the end,
 * joined without spaces, and their mean confidence (the label before
 * it, Chinese read as Latin junk, is left out of both); NULL if none.
 * left (unless NULL): set to the left edge of the value's first word in
 * the reading's pixels when that word is the value alone. */
static char *latin_value(TessBaseAPI *api, const char *mark, struct arena *a, int *conf, int *left)
{
	TessResultIterator *ri = TessBaseAPIGetIterator(api);
	TessPageIterator *pi = ri ? TessResultIteratorGetPageIterator(ri) : NULL;
	char *out = NULL;
	double sum = 0;
	int n = 0;
	if (ri == NULL)
		return NULL;
	do {
		char *w = TessResultIteratorGetUTF8Text(ri, RIL_WORD);
		if (w && *w && (out || strstr(w, mark))) {
			/* a label glued to the value ("E:abc@…") stays out */
			const char *v = out ? w : strstr(w, mark);
			if (out == NULL) {
				int l, t, r, b;
				while (v > w && v[-1] != ':' && v[-1] != ' ' && (unsigned char)v[-1] < 0x80)
					v--;
				/* where the value begins: the word's left edge, when
				 * the word is the value alone */
				if (left && v == w && TessPageIteratorBoundingBox(pi, RIL_WORD, &l, &t, &r, &b))
					*left = l;
			}
			out = arena_printf(a, "%s%s", out ? out : "", v);
			sum += TessResultIteratorConfidence(ri, RIL_WORD);
			n++;
		}
		TessDeleteText(w);
	} while (TessResultIteratorNext(ri, RIL_WORD));
	TessResultIteratorDelete(ri);
	*conf = n ? (int)(sum / n) : 0;
	return out;
}

/* reread_latin: an e-mail or web address line of a Chinese card read
 * again in English only (the mixed model confuses l, i and j), at three
 * scales, after the first of them the value alone (the Chinese label beside
 * it, read as Latin junk, led the model astray: fja@ read fia@); each distinct value (as cardfields reads it) gets the
 * confidences of the readings that gave it, the first reading's
 * included, and the value with the most wins: look-alikes misread at one
 * scale are outvoted by the others. The label before it is kept from the
 * first reading. */
static void reread_latin(const struct gray *g, struct ocr_line *ln, struct arena *a)
{
	const char *mark = strchr(ln->text, '@') ? "@" : "www";
	const char *at = strstr(ln->text, mark);
	if (at == NULL)
		return;
	const char *o = at;
	while (o > ln->text && o[-1] != ' ' && o[-1] != ':')
		o--;
	static const int px[] = {OCR_NAME_PX, OCR_NAME_PX * 3 / 2, OCR_NAME_PX * 2};
	struct tally t = {0};
	tally_add(&t, cardfields_contact_key(o, a), o, (int)ln->conf);
	int first_in = t.n;	/* the first reading is key 0 */
	struct ocr_line val = *ln;
	for (size_t k = 0; k < sizeof(px) / sizeof(px[0]); k++) {
		int conf = 0, left = -1;
		if (tally_decided(&t, (int)(sizeof(px) / sizeof(px[0]) - k)))
			break;
		char *r = reread(latin_api, g, &val, px[k], a, &conf, 1);
		const char *v = r ? latin_value(latin_api, mark, a, &conf, k == 0 ? &left : NULL) : NULL;
		if (left > 0) {
			/* the value alone from now on (no label's junk beside it) */
			int m = ln->h / 4 + 4, x0 = ln->x - m > 0 ? ln->x - m : 0;
			int vx = x0 + left * ln->h / px[k];
			if (vx > ln->x && vx < ln->x + ln->w - ln->h) {
				val.w = ln->x + ln->w - vx;
				val.x = vx;
			}
		}
		TessBaseAPIClear(latin_api);
		if (v)
			tally_add(&t, cardfields_contact_key(v, a), v, conf);
	}
	int best = tally_best(&t);
	if (best < 0 || (first_in && best == 0))
		return;	/* the first reading stands */
	ln->text = arena_printf(a, "%.*s%s", (int)(o - ln->text), ln->text, t.val[best]);
	ln->conf = (float)(t.score[best] / t.votes[best]);
}

/* reread_org: a Chinese card's organisation line read again with chi_sim
 * alone at three sizes, and the readings that are still an organisation
 * vote with the first one (a character the page model adds now and then,
 * 深圳恒信和能源有限公司, is outvoted) */
static void reread_org(const struct gray *g, struct ocr_line *ln, struct arena *a)
{
	static const int px[] = {OCR_NAME_PX * 3 / 4, OCR_NAME_PX, OCR_NAME_PX * 3 / 2};
	struct tally t = {0};
	tally_add(&t, ln->text, ln->text, (int)ln->conf);
	for (size_t k = 0; k < sizeof(px) / sizeof(px[0]); k++) {
		int conf = 0;
		if (tally_decided(&t, (int)(sizeof(px) / sizeof(px[0]) - k)))
			break;
		char *r = reread(name_api, g, ln, px[k], a, &conf, 0);
		if (r && cardfields_is_org(r))
			tally_add(&t, r, r, conf);
	}
	int best = tally_best(&t);
	if (best <= 0)
		return;
	ln->text = t.val[best];
	ln->conf = (float)(t.score[best] / t.votes[best]);
}

enum err ocr_read(const void *data, size_t len, struct arena *a, struct ocr_page *out,
		  struct errinfo *ei)
{
	struct gray g = {0};
	size_t cap = 0;
	enum err e;
	double t0 = now_ms();

	memset(out, 0, sizeof(*out));
	out->name_line = -1;
	if ((e = ocr_init(NULL)) != ERR_OK)
		return errinfo_set(ei, e, NULL, NULL, "the text recogniser is not available");
	if ((e = ocr_prepare(data, len, &g, &out->cropped, ei)) != ERR_OK)
		return e;
	double t1 = now_ms();
	out->prep_ms = t1 - t0;
	out->width = g.w;
	out->height = g.h;
	TessBaseAPISetImage(page_api, g.px, g.w, g.h, 1, g.w);
	if (TessBaseAPIRecognize(page_api, NULL) != 0) {
		TessBaseAPIClear(page_api);
		free(g.px);
		return errinfo_set(ei, ERR_BAD_REQUEST, "unreadable_image", NULL, "could not read this image");
	}
	read_lines(page_api, a, &out->lines, &out->n, &cap);
	TessBaseAPIClear(page_api);
	if (out->n > 1)
		qsort(out->lines, out->n, sizeof(*out->lines), line_order);
	merge_rows(out, a);
	/* a Chinese card's name: large bold characters the page model misreads */
	size_t cjk = 0, all = 0;
	for (size_t i = 0; i < out->n; i++)
		for (const unsigned char *p = (const unsigned char *)out->lines[i].text; *p; p++) {
			if ((*p & 0xc0) != 0x80)
				all++;
			if (*p >= 0xe3 && *p <= 0xe9)
				cjk++;
		}
	if (cjk * 10 >= all) {
		out->name_line = cardfields_name_line(out->lines, out->n, g.w, g.h);
		if (out->name_line >= 0) {
			reread_name(&g, &out->lines[out->name_line], a);
			reread_title(&g, out, a);
		}
		for (size_t i = 0; i < out->n; i++) {
			if (strchr(out->lines[i].text, '@') || strstr(out->lines[i].text, "www"))
				reread_latin(&g, &out->lines[i], a);
			else if (has_cjk(out->lines[i].text) && cardfields_is_org(out->lines[i].text))
				reread_org(&g, &out->lines[i], a);
		}
	}
	out->ocr_ms = now_ms() - t1;
	free(g.px);
	return ERR_OK;
}
