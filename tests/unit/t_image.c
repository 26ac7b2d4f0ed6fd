/* t_image.c: unit tests for lib/image.c (sniffing, limits, re-encoding, metadata stripping). */
#include "tap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <vips/vips.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "err.h"
#include "image.h"
#include "sandbox.h"

static char tmpdir[] = "/tmp/t_image.XXXXXX";

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* A test picture as a vips image: a colour gradient, or (marker) a dark
 * picture with a white block in the top-left eighth, so rotation shows.
 * Band 4 of 4 (or 2 of 2) is an alpha ramp. */
static VipsImage *make_image(int w, int h, int bands, int marker)
{
	size_t n = (size_t)w * (size_t)h * (size_t)bands;
	unsigned char *p = malloc(n);
	int has_alpha = bands == 2 || bands == 4;

	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			for (int b = 0; b < bands; b++) {
				unsigned char v;
				if (has_alpha && b == bands - 1)
					v = (unsigned char)(64 + (x * 191) / w);
				else if (marker)
					v = (x < w / 4 && y < h / 4) ? 255 : 20;
				else
					v = (unsigned char)((x * 255 / w + y * 128 / h + b * 60) & 0xFF);
				p[((size_t)y * w + x) * bands + b] = v;
			}
	VipsImage *raw = vips_image_new_from_memory_copy(p, n, w, h, bands, VIPS_FORMAT_UCHAR);
	free(p);
	VipsImage *im = NULL;
	vips_copy(raw, &im, "interpretation",
		  bands >= 3 ? VIPS_INTERPRETATION_sRGB : VIPS_INTERPRETATION_B_W, NULL);
	g_object_unref(raw);
	return im;
}

/* Encoded test files; g_free the result. */
static void *jpeg_of(VipsImage *im, size_t *len)
{
	void *buf = NULL;

	if (vips_jpegsave_buffer(im, &buf, len, "Q", 90, NULL))
		return NULL;
	return buf;
}

static void *png_of(VipsImage *im, size_t *len)
{
	void *buf = NULL;

	if (vips_pngsave_buffer(im, &buf, len, "compression", 1, NULL))
		return NULL;
	return buf;
}

static void *webp_of(VipsImage *im, int lossless, size_t *len)
{
	void *buf = NULL;

	if (vips_webpsave_buffer(im, &buf, len, "Q", 80, "lossless", lossless, NULL))
		return NULL;
	return buf;
}

/* libvips 8.14 always writes the extended (VP8X) layout; pull out the
 * bitstream chunk and wrap it in the simple layout other encoders write. */
static void *webp_simple(void *ext, size_t len, size_t *out_len)
{
	unsigned char *p = ext, *q = NULL;

	for (size_t i = 12; i + 8 <= len; ) {
		size_t n = p[i + 4] | p[i + 5] << 8 | p[i + 6] << 16 | (size_t)p[i + 7] << 24;
		if (n > len - i - 8)
			break;
		if (memcmp(p + i, "VP8 ", 4) == 0 || memcmp(p + i, "VP8L", 4) == 0) {
			size_t body = 8 + n + (n & 1);
			q = g_malloc(12 + body);
			memcpy(q, "RIFF", 4);
			size_t riff = 4 + body;
			for (int k = 0; k < 4; k++)
				q[4 + k] = (unsigned char)(riff >> (8 * k));
			memcpy(q + 8, "WEBP", 4);
			memcpy(q + 12, p + i, body);
			*out_len = 12 + body;
			break;
		}
		i += 8 + n + (n & 1);
	}
	g_free(ext);
	return q;
}

static void *jpeg_new(int w, int h, int bands, int marker, size_t *len)
{
	VipsImage *im = make_image(w, h, bands, marker);
	void *buf = jpeg_of(im, len);
	g_object_unref(im);
	return buf;
}

/* Decode an output again: width, height, bands; -1 width on failure. */
static void decode(const void *data, size_t len, int *w, int *h, int *bands)
{
	VipsImage *im = vips_image_new_from_buffer(data, len, "", NULL);

	*w = *h = *bands = -1;
	if (im == NULL) {
		vips_error_clear();
		return;
	}
	*w = im->Xsize;
	*h = im->Ysize;
	*bands = im->Bands;
	g_object_unref(im);
}

/* Mean brightness of a 20x20 box around (x, y) of an encoded image. */
static double brightness(const void *data, size_t len, int x, int y)
{
	VipsImage *im = vips_image_new_from_buffer(data, len, "", NULL), *box = NULL;
	double mean = -1;

	if (im && vips_extract_area(im, &box, x - 10, y - 10, 20, 20, NULL) == 0)
		vips_avg(box, &mean, NULL);
	if (box)
		g_object_unref(box);
	if (im)
		g_object_unref(im);
	vips_error_clear();
	return mean;
}

static int write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		return -1;
	size_t n = fwrite(data, 1, len, f);
	return (fclose(f) == 0 && n == len) ? 0 : -1;
}

/* malloc'ed contents of a file. */
static unsigned char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (f == NULL)
		return NULL;
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			unsigned char *grown = realloc(buf, cap);
			if (grown == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = grown;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	*len = n;
	return buf;
}

/* Run a shell command; its stdout (up to size-1 bytes) into out. */
static int run(const char *cmd, char *out, size_t size)
{
	FILE *p = popen(cmd, "r");
	size_t n = 0, got;

	out[0] = '\0';
	if (p == NULL)
		return -1;
	while (n < size - 1 && (got = fread(out + n, 1, size - 1 - n, p)) > 0)
		n += got;
	out[n] = '\0';
	return pclose(p);
}

static int contains(const void *hay, size_t len, const char *needle, size_t nlen)
{
	return memmem(hay, len, needle, nlen) != NULL;
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
	}
	return c ^ 0xFFFFFFFFu;
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* A PNG that declares w x h: signature, IHDR with a correct CRC, then an
 * IDAT that claims 1 MB and holds 64 bytes of garbage. */
static size_t png_bomb(unsigned char *buf, uint32_t w, uint32_t h)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
	size_t n = 0;

	memcpy(buf, sig, 8);
	n = 8;
	put_be32(buf + n, 13);
	memcpy(buf + n + 4, "IHDR", 4);
	put_be32(buf + n + 8, w);
	put_be32(buf + n + 12, h);
	buf[n + 16] = 8;	/* bit depth */
	buf[n + 17] = 2;	/* RGB */
	buf[n + 18] = buf[n + 19] = buf[n + 20] = 0;
	put_be32(buf + n + 21, crc32_of(buf + n + 4, 17));
	n += 25;
	put_be32(buf + n, 1u << 20);
	memcpy(buf + n + 4, "IDAT", 4);
	n += 8;
	for (int i = 0; i < 64; i++)
		buf[n++] = (unsigned char)(i * 37 + 11);
	return n;
}

/* A JPEG that is only SOI, a baseline SOF0 declaring w x h, and EOI. */
static size_t jpeg_bomb(unsigned char *buf, unsigned w, unsigned h)
{
	static const unsigned char head[] = {
		0xFF, 0xD8,
		0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
		0xFF, 0xC0, 0x00, 0x11, 0x08,
	};
	size_t n = sizeof(head);

	memcpy(buf, head, n);
	buf[n++] = (unsigned char)(h >> 8);
	buf[n++] = (unsigned char)h;
	buf[n++] = (unsigned char)(w >> 8);
	buf[n++] = (unsigned char)w;
	buf[n++] = 3;
	for (int c = 1; c <= 3; c++) {
		buf[n++] = (unsigned char)c;
		buf[n++] = c == 1 ? 0x22 : 0x11;
		buf[n++] = c == 1 ? 0 : 1;
	}
	buf[n++] = 0xFF;
	buf[n++] = 0xD9;
	return n;
}

/* A WebP whose VP8X header declares a w x h canvas. */
static size_t webp_bomb(unsigned char *buf, uint32_t w, uint32_t h)
{
	memcpy(buf, "RIFF", 4);
	put_be32(buf + 4, 0);
	buf[4] = 30;	/* little-endian size, roughly right */
	memcpy(buf + 8, "WEBPVP8X", 8);
	buf[16] = 10;
	buf[17] = buf[18] = buf[19] = 0;
	memset(buf + 20, 0, 4);
	w -= 1;
	h -= 1;
	buf[24] = (unsigned char)w;
	buf[25] = (unsigned char)(w >> 8);
	buf[26] = (unsigned char)(w >> 16);
	buf[27] = (unsigned char)h;
	buf[28] = (unsigned char)(h >> 8);
	buf[29] = (unsigned char)(h >> 16);
	memcpy(buf + 30, "VP8 ", 4);
	memset(buf + 34, 0, 16);
	return 50;
}

static int is_hex64(const char *s)
{
	if (strlen(s) != 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

static void test_refusals(void)
{
	struct image_out out;
	struct errinfo ei;
	enum err e;

	const char *text = "BEGIN:VCARD\nVERSION:4.0\nFN:Not an image\nEND:VCARD\n";
	memset(&ei, 0, sizeof(ei));
	e = image_process(text, strlen(text), NULL, &out, &ei);
	is_int(e, ERR_MEDIA_TYPE, "a text file is refused as ERR_MEDIA_TYPE");
	is_str(ei.code, "unsupported_image", "with code unsupported_image");
	ok(out.data == NULL && out.thumb == NULL && out.len == 0, "and *out stays empty");
	image_out_free(&out);

	static const char gif[] = "GIF89a\x01\x00\x01\x00\x80\x00\x00";
	is_int(image_process(gif, sizeof(gif) - 1, NULL, &out, &ei), ERR_MEDIA_TYPE,
	       "a GIF is refused (only JPEG, PNG, WebP)");
	static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
	is_int(image_process(svg, sizeof(svg) - 1, NULL, &out, &ei), ERR_MEDIA_TYPE,
	       "an SVG is refused");
	static const char riff[] = "RIFF\x10\x00\x00\x00WAVEfmt ";
	is_int(image_process(riff, sizeof(riff) - 1, NULL, &out, &ei), ERR_MEDIA_TYPE,
	       "a RIFF that is not WebP is refused");
	is_int(image_process("", 0, NULL, &out, &ei), ERR_MEDIA_TYPE, "an empty body is refused");
	is_int(image_process(NULL, 10, NULL, &out, NULL), ERR_MEDIA_TYPE,
	       "NULL data is refused, with ei NULL");

	size_t len;
	void *jpg = jpeg_new(200, 100, 3, 0, &len);
	struct image_limits small = {.max_bytes = len - 1};
	memset(&ei, 0, sizeof(ei));
	e = image_process(jpg, len, &small, &out, &ei);
	is_int(e, ERR_TOO_LARGE, "a file one byte over max_bytes is ERR_TOO_LARGE");
	is_str(ei.code, "image_too_large", "with code image_too_large");
	is_int(err_status(e), 413, "which is HTTP 413");
	small.max_bytes = len;
	e = image_process(jpg, len, &small, &out, &ei);
	is_int(e, ERR_OK, "exactly max_bytes is accepted");
	image_out_free(&out);
	struct image_limits few = {.max_pixels = 200 * 100 - 1};
	e = image_process(jpg, len, &few, &out, &ei);
	is_int(e, ERR_BAD_REQUEST, "one pixel over max_pixels is refused");
	is_str(ei.code, "image_too_large_dimensions", "as image_too_large_dimensions");
	struct image_limits narrow = {.max_side = 199};
	is_int(image_process(jpg, len, &narrow, &out, &ei), ERR_BAD_REQUEST,
	       "a side over max_side is refused");

	/* truncated and damaged JPEGs: an error, never a crash */
	memset(&ei, 0, sizeof(ei));
	e = image_process(jpg, len / 2, NULL, &out, &ei);
	is_int(e, ERR_BAD_REQUEST, "a JPEG cut in half is ERR_BAD_REQUEST");
	is_str(ei.code, "corrupt_image", "with code corrupt_image");
	ok(out.data == NULL, "and no output");
	e = image_process(jpg, 100, NULL, &out, &ei);
	is_int(e, ERR_BAD_REQUEST, "a JPEG cut before its frame header is refused");
	is_str(ei.code, "corrupt_image", "as corrupt_image");
	e = image_process(jpg, 3, NULL, &out, &ei);
	is_int(e, ERR_BAD_REQUEST, "just the JPEG magic is corrupt_image");
	unsigned char *bad = malloc(len);
	memcpy(bad, jpg, len);
	for (size_t i = len / 3; i < len - 2; i += 7)
		bad[i] ^= 0x5A;
	e = image_process(bad, len, NULL, &out, &ei);
	ok(e == ERR_BAD_REQUEST || e == ERR_OK, "a JPEG with scrambled scan data does not crash (%d)", e);
	image_out_free(&out);
	free(bad);
	g_free(jpg);

	VipsImage *im = make_image(300, 200, 4, 0);
	void *png = png_of(im, &len);
	e = image_process(png, len - len / 3, NULL, &out, &ei);
	is_int(e, ERR_BAD_REQUEST, "a truncated PNG is refused");
	is_str(ei.code, "corrupt_image", "as corrupt_image");
	g_free(png);
	void *webp = webp_of(im, 0, &len);
	e = image_process(webp, len / 2, NULL, &out, &ei);
	is_int(e, ERR_BAD_REQUEST, "a truncated WebP is refused");
	g_free(webp);
	g_object_unref(im);
}

static void test_bombs(void)
{
	unsigned char buf[256];
	struct image_out out;
	struct errinfo ei;
	enum err e;
	size_t n;
	double t0, ms;

	n = png_bomb(buf, 20000, 20000);
	memset(&ei, 0, sizeof(ei));
	t0 = now_ms();
	e = image_process(buf, n, NULL, &out, &ei);
	ms = now_ms() - t0;
	is_int(e, ERR_BAD_REQUEST, "a 20000x20000 PNG header is refused");
	is_str(ei.code, "image_too_large_dimensions", "as image_too_large_dimensions");
	ok(ms < 50, "in under 50 ms (%.3f ms)", ms);
	printf("# refusing the 20000x20000 PNG bomb took %.3f ms\n", ms);

	n = png_bomb(buf, 10000, 6000);
	e = image_process(buf, n, NULL, &out, &ei);
	is_str(e == ERR_BAD_REQUEST ? ei.code : "", "image_too_large_dimensions",
	       "10000x6000 (60 MP, both sides under 20000) is refused by pixel count");
	n = png_bomb(buf, 100000, 1);
	e = image_process(buf, n, NULL, &out, &ei);
	is_str(e == ERR_BAD_REQUEST ? ei.code : "", "image_too_large_dimensions",
	       "100000x1 is refused by side length");
	n = png_bomb(buf, 0x7FFFFFFF, 0x7FFFFFFF);
	e = image_process(buf, n, NULL, &out, &ei);
	is_str(e == ERR_BAD_REQUEST ? ei.code : "", "image_too_large_dimensions",
	       "2^31-1 square does not overflow the check");

	n = png_bomb(buf, 300, 200);
	e = image_process(buf, n, NULL, &out, &ei);
	is_int(e, ERR_BAD_REQUEST, "a small PNG header with garbage IDAT is refused");
	is_str(ei.code, "corrupt_image", "as corrupt_image");

	n = jpeg_bomb(buf, 65000, 65000);
	t0 = now_ms();
	e = image_process(buf, n, NULL, &out, &ei);
	ms = now_ms() - t0;
	is_str(e == ERR_BAD_REQUEST ? ei.code : "", "image_too_large_dimensions",
	       "a JPEG declaring 65000x65000 is refused (%.3f ms)", ms);
	n = jpeg_bomb(buf, 8000, 8000);
	e = image_process(buf, n, NULL, &out, &ei);
	is_str(e == ERR_BAD_REQUEST ? ei.code : "", "image_too_large_dimensions",
	       "a JPEG declaring 8000x8000 (64 MP) is refused");
	n = jpeg_bomb(buf, 640, 480);
	e = image_process(buf, n, NULL, &out, &ei);
	is_str(e == ERR_BAD_REQUEST ? ei.code : "", "corrupt_image",
	       "a JPEG with a frame header and no scan is corrupt_image");

	n = webp_bomb(buf, 16000, 16000);
	t0 = now_ms();
	e = image_process(buf, n, NULL, &out, &ei);
	ms = now_ms() - t0;
	is_str(e == ERR_BAD_REQUEST ? ei.code : "", "image_too_large_dimensions",
	       "a WebP canvas of 16000x16000 is refused (%.3f ms)", ms);
}

static void test_scaling(void)
{
	struct image_out out;
	struct errinfo ei;
	enum err e;
	size_t len;
	int w, h, bands;
	double t0, ms;

	void *big = jpeg_new(4000, 3000, 3, 0, &len);
	t0 = now_ms();
	e = image_process(big, len, NULL, &out, &ei);
	ms = now_ms() - t0;
	is_int(e, ERR_OK, "a 4000x3000 JPEG (%zu bytes) is processed", len);
	is_int(out.width, 2048, "scaled to 2048 wide");
	is_int(out.height, 1536, "and 1536 high");
	printf("# processing a 4000x3000 JPEG (%zu bytes) took %.1f ms; out %zu bytes, thumb %zu bytes\n",
	       len, ms, out.len, out.thumb_len);
	const char *preload = getenv("LD_PRELOAD");
	if (preload && strstr(preload, "vgpreload"))
		ok(1, "# SKIP timing under valgrind (%.1f ms)", ms);
	else
		ok(ms < 5000, "in reasonable time (%.1f ms)", ms);
	image_out_free(&out);
	g_free(big);

	big = jpeg_new(5000, 3000, 3, 0, &len);
	e = image_process(big, len, NULL, &out, &ei);
	is_int(e, ERR_OK, "a 5000x3000 JPEG is processed");
	is_int(out.width, 2048, "long side scaled to 2048");
	ok(out.height >= 1228 && out.height <= 1229, "aspect kept: height %d", out.height);
	is_str(out.mime, "image/jpeg", "output is JPEG");
	ok(out.len > 4 && out.data[0] == 0xFF && out.data[1] == 0xD8, "bytes are a JPEG");
	decode(out.data, out.len, &w, &h, &bands);
	ok(w == out.width && h == out.height && bands == 3,
	   "output decodes as %dx%d, %d bands (sRGB)", w, h, bands);
	is_int(out.thumb_width, 320, "thumbnail long side 320");
	ok(out.thumb_height >= 191 && out.thumb_height <= 193, "thumbnail height %d", out.thumb_height);
	is_str(out.thumb_mime, "image/jpeg", "thumbnail is JPEG");
	decode(out.thumb, out.thumb_len, &w, &h, &bands);
	ok(w == out.thumb_width && h == out.thumb_height, "thumbnail decodes as %dx%d", w, h);
	ok(out.len < 1000000 && out.thumb_len < out.len, "sizes: %zu and %zu bytes",
	   out.len, out.thumb_len);
	image_out_free(&out);
	g_free(big);

	/* portrait, and a 8x JPEG shrink-on-load */
	big = jpeg_new(2000, 18000, 3, 0, &len);
	e = image_process(big, len, NULL, &out, &ei);
	is_int(e, ERR_OK, "a 2000x18000 JPEG is processed");
	ok(out.height == 2048 && out.width >= 227 && out.width <= 228,
	   "tall image: %dx%d", out.width, out.height);
	ok(out.thumb_height == 320, "thumbnail %dx%d", out.thumb_width, out.thumb_height);
	image_out_free(&out);
	g_free(big);

	void *small = jpeg_new(100, 50, 3, 0, &len);
	e = image_process(small, len, NULL, &out, &ei);
	is_int(e, ERR_OK, "a 100x50 JPEG is processed");
	ok(out.width == 100 && out.height == 50, "never upscaled: %dx%d", out.width, out.height);
	ok(out.thumb_width == 100 && out.thumb_height == 50, "thumbnail not upscaled either");
	image_out_free(&out);

	struct image_limits lim = {.max_long_side = 80, .thumb_side = 16};
	e = image_process(small, len, &lim, &out, &ei);
	ok(e == ERR_OK && out.width == 80 && out.height == 40, "max_long_side honoured: %dx%d",
	   out.width, out.height);
	ok(out.thumb_width == 16 && out.thumb_height == 8, "thumb_side honoured: %dx%d",
	   out.thumb_width, out.thumb_height);
	image_out_free(&out);
	g_free(small);

	/* greyscale in, sRGB out */
	void *grey = jpeg_new(300, 200, 1, 0, &len);
	e = image_process(grey, len, NULL, &out, &ei);
	decode(out.data, out.len, &w, &h, &bands);
	ok(e == ERR_OK && bands == 3, "a greyscale JPEG comes out as 3-band sRGB (%d)", bands);
	image_out_free(&out);
	g_free(grey);
}

static void test_formats(void)
{
	struct image_out out;
	struct errinfo ei;
	enum err e;
	size_t len;
	int w, h, bands;

	VipsImage *rgba = make_image(600, 400, 4, 0);
	void *png = png_of(rgba, &len);
	e = image_process(png, len, NULL, &out, &ei);
	is_int(e, ERR_OK, "a 600x400 PNG with alpha is processed");
	is_str(out.mime, "image/png", "it stays PNG (alpha)");
	ok(out.len > 8 && memcmp(out.data, "\x89PNG", 4) == 0, "bytes are a PNG");
	decode(out.data, out.len, &w, &h, &bands);
	ok(w == 600 && h == 400 && bands == 4, "600x400 with 4 bands: %dx%d/%d", w, h, bands);
	is_str(out.thumb_mime, "image/png", "thumbnail is PNG too");
	decode(out.thumb, out.thumb_len, &w, &h, &bands);
	ok(w == 320 && h == 213 && bands == 4, "thumbnail 320x213 with alpha: %dx%d/%d", w, h, bands);
	image_out_free(&out);
	g_free(png);
	g_object_unref(rgba);

	rgba = make_image(3000, 1000, 4, 0);
	png = png_of(rgba, &len);
	e = image_process(png, len, NULL, &out, &ei);
	decode(out.data, out.len, &w, &h, &bands);
	ok(e == ERR_OK && w == 2048 && h == 683 && bands == 4,
	   "a 3000x1000 RGBA PNG scales to 2048x683 keeping alpha: %dx%d/%d", w, h, bands);
	image_out_free(&out);
	g_free(png);
	g_object_unref(rgba);

	VipsImage *rgb = make_image(800, 600, 3, 0);
	png = png_of(rgb, &len);
	e = image_process(png, len, NULL, &out, &ei);
	ok(e == ERR_OK && strcmp(out.mime, "image/jpeg") == 0,
	   "a PNG without alpha becomes JPEG");
	image_out_free(&out);
	g_free(png);

	VipsImage *ushort = NULL, *rgb16 = NULL;
	vips_linear1(rgb, &ushort, 257.0, 0.0, "uchar", FALSE, NULL);
	vips_cast(ushort, &rgb16, VIPS_FORMAT_USHORT, NULL);
	g_object_unref(ushort);
	ushort = NULL;
	vips_copy(rgb16, &ushort, "interpretation", VIPS_INTERPRETATION_RGB16, NULL);
	png = png_of(ushort, &len);
	g_object_unref(rgb16);
	g_object_unref(ushort);
	e = image_process(png, len, NULL, &out, &ei);
	decode(out.data, out.len, &w, &h, &bands);
	ok(e == ERR_OK && w == 800 && bands == 3, "a 16-bit PNG becomes an 8-bit sRGB JPEG (%d)", e);
	ok(brightness(out.data, out.len, 400, 300) > 30, "and is not black (%.0f)",
	   brightness(out.data, out.len, 400, 300));
	image_out_free(&out);
	g_free(png);

	void *webp = webp_of(rgb, 0, &len);
	webp = webp ? webp_simple(webp, len, &len) : NULL;
	ok(webp && len > 16 && memcmp((char *)webp + 12, "VP8 ", 4) == 0, "lossy WebP (VP8) made");
	e = image_process(webp, len, NULL, &out, &ei);
	is_int(e, ERR_OK, "a lossy WebP is processed");
	ok(out.width == 800 && out.height == 600 && strcmp(out.mime, "image/jpeg") == 0,
	   "800x600 JPEG out (%dx%d %s)", out.width, out.height, out.mime);
	image_out_free(&out);
	g_free(webp);
	g_object_unref(rgb);

	rgba = make_image(500, 300, 4, 0);
	webp = webp_of(rgba, 1, &len);
	webp = webp ? webp_simple(webp, len, &len) : NULL;
	ok(webp && len > 16 && memcmp((char *)webp + 12, "VP8L", 4) == 0, "lossless WebP (VP8L) made");
	e = image_process(webp, len, NULL, &out, &ei);
	ok(e == ERR_OK && strcmp(out.mime, "image/png") == 0 && out.width == 500,
	   "a lossless WebP with alpha becomes PNG");
	image_out_free(&out);
	g_free(webp);
	webp = webp_of(rgba, 0, &len);
	ok(webp && len > 16 && memcmp((char *)webp + 12, "VP8X", 4) == 0, "lossy WebP with alpha (VP8X) made");
	e = image_process(webp, len, NULL, &out, &ei);
	ok(e == ERR_OK && strcmp(out.mime, "image/png") == 0 && out.height == 300,
	   "a VP8X WebP with alpha becomes PNG");
	image_out_free(&out);
	g_free(webp);
	g_object_unref(rgba);

	rgb = make_image(4000, 2400, 3, 0);
	webp = webp_of(rgb, 0, &len);
	e = image_process(webp, len, NULL, &out, &ei);
	ok(e == ERR_OK && out.width == 2048 && out.height == 1229,
	   "a 4000x2400 WebP scales to 2048x1229 (%dx%d)", out.width, out.height);
	image_out_free(&out);
	g_free(webp);
	g_object_unref(rgb);
}

static void test_hash(void)
{
	struct image_out a, b, c;
	struct errinfo ei;
	size_t len, len2;
	unsigned char digest[crypto_hash_sha256_BYTES];
	char hex[65];

	void *jpg = jpeg_new(640, 480, 3, 0, &len);
	is_int(image_process(jpg, len, NULL, &a, &ei), ERR_OK, "hash: first run");
	is_int(image_process(jpg, len, NULL, &b, &ei), ERR_OK, "hash: second run");
	ok(is_hex64(a.sha256), "sha256 is 64 lower-case hex digits");
	is_str(a.sha256, b.sha256, "and stable for the same input");
	ok(a.len == b.len && memcmp(a.data, b.data, a.len) == 0, "the bytes are identical too");
	crypto_hash_sha256(digest, a.data, a.len);
	sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
	is_str(a.sha256, hex, "it is the SHA-256 of the output bytes");
	void *jpg2 = jpeg_new(640, 480, 3, 1, &len2);
	is_int(image_process(jpg2, len2, NULL, &c, &ei), ERR_OK, "hash: another picture");
	ok(strcmp(a.sha256, c.sha256) != 0, "gives another hash");
	image_out_free(&a);
	image_out_free(&b);
	image_out_free(&c);
	image_out_free(&c);
	ok(c.data == NULL && c.thumb == NULL && c.sha256[0] == '\0', "image_out_free empties, twice is safe");
	g_free(jpg);
	g_free(jpg2);
}

static void test_metadata(void)
{
	char in_path[64], out_path[64], thumb_path[64], cmd[512], res[4096];
	struct image_out out;
	struct errinfo ei;
	size_t len;
	int w, h, bands;

	snprintf(in_path, sizeof(in_path), "%s/in.jpg", tmpdir);
	snprintf(out_path, sizeof(out_path), "%s/out.jpg", tmpdir);
	snprintf(thumb_path, sizeof(thumb_path), "%s/thumb.jpg", tmpdir);

	/* 640x480 stored, white block top-left; orientation 6 says "turn
	 * 90 degrees clockwise to view", so the block ends up top-right */
	void *jpg = jpeg_new(640, 480, 3, 1, &len);
	ok(write_file(in_path, jpg, len) == 0, "wrote a JPEG to %s", in_path);
	g_free(jpg);
	snprintf(cmd, sizeof(cmd),
		 "exiftool -q -overwrite_original -GPSLatitude=31.23 -GPSLatitudeRef=N "
		 "-GPSLongitude=121.47 -GPSLongitudeRef=E -Orientation#=6 "
		 "-Artist='Secret Person' -Make=LeakyPhone -XMP:Creator='Secret Person' "
		 "-IPTC:By-line='Secret Person' -Comment='secret comment' '%s'", in_path);
	is_int(system(cmd), 0, "exiftool added GPS, EXIF, XMP, IPTC and a comment");
	snprintf(cmd, sizeof(cmd), "exiftool -n -s3 -GPSLatitude -GPSLongitude '%s'", in_path);
	run(cmd, res, sizeof(res));
	ok(strstr(res, "31.23") && strstr(res, "121.47"), "exiftool sees the GPS position in the input");

	unsigned char *data = read_file(in_path, &len);
	ok(data && contains(data, len, "Secret Person", 13), "the input carries the personal data");
	is_int(image_process(data, len, NULL, &out, &ei), ERR_OK, "the tagged JPEG is processed");
	free(data);
	ok(out.width == 480 && out.height == 640, "turned upright by EXIF orientation: %dx%d",
	   out.width, out.height);
	ok(brightness(out.data, out.len, 480 - 40, 40) > 200 &&
	   brightness(out.data, out.len, 40, 40) < 60,
	   "the stored top-left block is now top-right (rotated clockwise)");
	ok(out.thumb_width == 240 && out.thumb_height == 320, "thumbnail upright too: %dx%d",
	   out.thumb_width, out.thumb_height);

	ok(!contains(out.data, out.len, "Exif\0\0", 6), "no EXIF block in the output bytes");
	ok(!contains(out.data, out.len, "http://ns.adobe.com/xap", 23), "no XMP packet");
	ok(!contains(out.data, out.len, "Photoshop 3.0", 13), "no IPTC (Photoshop) block");
	ok(!contains(out.data, out.len, "ICC_PROFILE", 11), "no ICC profile");
	ok(!contains(out.data, out.len, "Secret", 6) && !contains(out.data, out.len, "LeakyPhone", 10) &&
	   !contains(out.data, out.len, "secret comment", 14), "none of the personal strings");

	ok(write_file(out_path, out.data, out.len) == 0 &&
	   write_file(thumb_path, out.thumb, out.thumb_len) == 0, "wrote the output and thumbnail");
	snprintf(cmd, sizeof(cmd), "exiftool -s -G -GPS:all -EXIF:all -XMP:all -IPTC:all "
		 "-ICC_Profile:all -Photoshop:all -Comment '%s'", out_path);
	run(cmd, res, sizeof(res));
	is_str(res, "", "exiftool finds no GPS, EXIF, XMP, IPTC, ICC or comment in the output");
	snprintf(cmd, sizeof(cmd), "exiftool -s -G -GPS:all -EXIF:all -XMP:all -IPTC:all "
		 "-ICC_Profile:all -Photoshop:all -Comment '%s'", thumb_path);
	run(cmd, res, sizeof(res));
	is_str(res, "", "nor in the thumbnail");
	snprintf(cmd, sizeof(cmd), "exiftool -s3 -ImageWidth -ImageHeight '%s'", out_path);
	run(cmd, res, sizeof(res));
	is_str(res, "480\n640\n", "exiftool reads the output as a plain 480x640 JPEG");
	decode(out.data, out.len, &w, &h, &bands);
	ok(w == 480 && h == 640, "and vips decodes it");
	image_out_free(&out);

	/* an embedded ICC profile (CMYK) is applied, then dropped */
	VipsImage *rgb = make_image(400, 300, 3, 1), *cmyk = NULL;
	if (vips_icc_present() && vips_icc_transform(rgb, &cmyk, "cmyk", NULL) == 0) {
		void *buf = NULL;
		vips_jpegsave_buffer(cmyk, &buf, &len, "Q", 90, NULL);
		ok(buf && contains(buf, len, "ICC_PROFILE", 11), "a CMYK JPEG with an ICC profile made");
		is_int(image_process(buf, len, NULL, &out, &ei), ERR_OK, "the CMYK JPEG is processed");
		decode(out.data, out.len, &w, &h, &bands);
		ok(bands == 3 && strcmp(out.mime, "image/jpeg") == 0, "converted to 3-band sRGB JPEG");
		ok(!contains(out.data, out.len, "ICC_PROFILE", 11), "its profile is not kept");
		ok(brightness(out.data, out.len, 20, 20) > 200 && brightness(out.data, out.len, 380, 280) < 60,
		   "colours survive the conversion (white %.0f, dark %.0f)",
		   brightness(out.data, out.len, 20, 20), brightness(out.data, out.len, 380, 280));
		image_out_free(&out);
		g_free(buf);
		g_object_unref(cmyk);
	} else {
		vips_error_clear();
		ok(1, "# SKIP no lcms in this libvips");
	}
	g_object_unref(rgb);

	unlink(in_path);
	unlink(out_path);
	unlink(thumb_path);
}

/* Damaged uploads: random byte flips and cuts of small JPEG, PNG and WebP
 * files must give an error value or a clean image, never a crash. */
static void test_mutations(void)
{
	struct image_out out;
	struct errinfo ei;
	size_t lens[3];
	void *files[3];
	int bad = 0, refused = 0, runs = 0;
	unsigned seed = 12345;

	VipsImage *im = make_image(120, 80, 3, 1), *rgba = make_image(120, 80, 4, 0);
	files[0] = jpeg_of(im, &lens[0]);
	files[1] = png_of(rgba, &lens[1]);
	files[2] = webp_of(im, 0, &lens[2]);
	g_object_unref(im);
	g_object_unref(rgba);
	for (int f = 0; f < 3; f++) {
		unsigned char *copy = malloc(lens[f]);
		for (int i = 0; i < 150; i++) {
			size_t len = lens[f];
			memcpy(copy, files[f], len);
			seed = seed * 1103515245u + 12345u;
			if (i % 3 == 0)
				len = 1 + (seed >> 8) % len;
			int flips = 1 + (int)((seed >> 4) % 8);
			for (int k = 0; k < flips; k++) {
				seed = seed * 1103515245u + 12345u;
				/* mostly the headers, where parsers live */
				size_t at = (seed >> 8) % (k % 2 ? len : (len < 64 ? len : 64));
				copy[at] ^= (unsigned char)(1u << ((seed >> 3) % 8));
			}
			enum err e = image_process(copy, len, NULL, &out, &ei);
			runs++;
			if (e != ERR_OK)
				refused++;
			if (e != ERR_OK && e != ERR_BAD_REQUEST && e != ERR_MEDIA_TYPE)
				bad++;
			if (e == ERR_OK && (out.data == NULL || out.thumb == NULL || out.width < 1))
				bad++;
			image_out_free(&out);
		}
		free(copy);
		g_free(files[f]);
	}
	is_int(bad, 0, "%d damaged files: %d refused with 400/415, the rest decoded; no crash",
	       runs, refused);
}

/* image_init blocks every vips loader but JPEG, PNG and WebP, so even a
 * direct vips call cannot reach them. */
static void test_blocked_loaders(void)
{
	VipsImage *im = make_image(64, 48, 3, 0), *back = NULL;
	void *tiff = NULL;
	size_t len = 0;

	ok(vips_tiffsave_buffer(im, &tiff, &len, NULL) == 0, "a TIFF made with vips");
	back = vips_image_new_from_buffer(tiff, len, "", NULL);
	ok(back == NULL, "vips itself refuses to load it after image_init");
	if (back)
		g_object_unref(back);
	vips_error_clear();
	struct image_out out;
	struct errinfo ei;
	is_int(image_process(tiff, len, NULL, &out, &ei), ERR_MEDIA_TYPE,
	       "and image_process refuses it as unsupported_image");
	g_free(tiff);
	g_object_unref(im);
}

/* The seccomp filter itself, in a plain forked child: what it refuses
 * fails with EPERM, what it does not know kills the process. */
static int filtered_child(int what)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		if (sandbox_enter() != 0)
			_exit(10);
		errno = 0;
		switch (what) {
		case 0:	/* open a file */
			_exit(open("/etc/hostname", O_RDONLY) < 0 && errno == EPERM ? 0 : 1);
		case 1:	/* a socket */
			_exit(socket(AF_INET, SOCK_STREAM, 0) < 0 && errno == EPERM ? 0 : 1);
		case 2:	/* run a program */
			execl("/bin/false", "false", (char *)NULL);	/* exits 1 if it runs */
			_exit(errno == EPERM ? 0 : 1);
		case 3:	/* a new process (clone without CLONE_THREAD) */
			_exit(syscall(SYS_clone, (long)SIGCHLD, 0L, 0L, 0L, 0L) < 0 && errno == EPERM ? 0 : 1);
		case 4:	/* executable memory */
			_exit(mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EPERM ? 0 : 1);
		case 5:	/* a call nobody listed: killed */
			syscall(SYS_uname, NULL);
			_exit(0);
		}
		_exit(2);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

static double median(double *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			double t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void test_sandbox(void)
{
	struct image_out out = {0};
	struct errinfo ei = {0};
	size_t len;
	enum err e;

	is_int(filtered_child(0), 0, "filtered: opening a file fails with EPERM");
	is_int(filtered_child(1), 0, "filtered: making a socket fails with EPERM");
	is_int(filtered_child(2), 0, "filtered: exec fails with EPERM");
	is_int(filtered_child(3), 0, "filtered: a new process fails with EPERM");
	is_int(filtered_child(4), 0, "filtered: executable memory fails with EPERM");
	int st = filtered_child(5);
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS, "filtered: an unlisted call kills it with SIGSYS (%#x)", st);

	void *jpg = jpeg_new(640, 480, 3, 0, &len);

	/* the decoding child tries a file and a socket before decoding and
	 * exits 99 if either works: a success means both were refused */
	image_test_fault(IMAGE_FAULT_ESCAPE);
	e = image_process(jpg, len, NULL, &out, &ei);
	is_int(e, ERR_OK, "the decoding child cannot open a file or a socket, and still decodes");
	image_out_free(&out);

	image_test_fault(IMAGE_FAULT_CRASH);
	memset(&ei, 0, sizeof(ei));
	e = image_process(jpg, len, NULL, &out, &ei);
	is_int(e, ERR_BAD_REQUEST, "a decoder that crashes is ERR_BAD_REQUEST");
	is_int(err_status(e), 400, "which is HTTP 400");
	is_str(ei.code, "unreadable_image", "with code unreadable_image");
	is_str(ei.message, "could not read this image", "and says so");
	ok(out.data == NULL && out.len == 0, "and nothing comes out");

	image_test_fault(IMAGE_FAULT_SPIN);
	struct image_limits quick = {.decode_cpu_seconds = 1, .decode_wall_ms = 800};
	double t0 = now_ms();
	memset(&ei, 0, sizeof(ei));
	e = image_process(jpg, len, &quick, &out, &ei);
	double spent = now_ms() - t0;
	is_int(e, ERR_BAD_REQUEST, "a decoder that never ends is ERR_BAD_REQUEST");
	is_str(ei.code, "unreadable_image", "with code unreadable_image");
	ok(spent < 3000, "and is stopped by the wall-clock limit (%.0f ms)", spent);

	image_test_fault(IMAGE_FAULT_SPIN);
	struct image_limits cpu = {.decode_cpu_seconds = 1, .decode_wall_ms = 20000};
	t0 = now_ms();
	e = image_process(jpg, len, &cpu, &out, &ei);
	spent = now_ms() - t0;
	ok(e == ERR_BAD_REQUEST && spent < 5000, "or by the CPU limit (%.0f ms)", spent);

	image_test_fault(IMAGE_FAULT_NONE);
	e = image_process(jpg, len, NULL, &out, &ei);
	is_int(e, ERR_OK, "the next image is processed as usual");
	is_int(out.width, 640, "640 wide");
	image_out_free(&out);

	/* the same result in the child as in this process */
	struct image_out here = {0};
	image_sandbox_set(0);
	e = image_process(jpg, len, NULL, &here, &ei);
	image_sandbox_set(1);
	is_int(e, ERR_OK, "in process too");
	e = image_process(jpg, len, NULL, &out, &ei);
	/* (not byte for byte: the child runs without orc's vector code) */
	ok(e == ERR_OK && out.width == here.width && out.height == here.height &&
	   out.thumb_width == here.thumb_width && out.thumb_height == here.thumb_height &&
	   strcmp(out.mime, here.mime) == 0 && out.len > 0 && out.thumb_len > 0,
	   "the sandboxed child answers the same images as decoding in process (%zu / %zu bytes)",
	   out.len, here.len);
	image_out_free(&out);
	image_out_free(&here);
	g_free(jpg);

	/* the cost: a typical photo-sized JPEG, sandboxed and in process
	 * alternately (IMAGE_BENCH=N rounds; a sanitizer build inflates both) */
	int rounds = getenv("IMAGE_BENCH") ? atoi(getenv("IMAGE_BENCH")) : 5;
	if (rounds < 1 || rounds > 1000)
		rounds = 5;
	jpg = jpeg_new(2400, 1600, 3, 0, &len);
	double *ts = calloc((size_t)rounds, sizeof(double)), *ti = calloc((size_t)rounds, sizeof(double));
	int good = 1;
	for (int i = 0; i < rounds; i++) {
		image_sandbox_set(1);
		t0 = now_ms();
		good &= image_process(jpg, len, NULL, &out, &ei) == ERR_OK;
		ts[i] = now_ms() - t0;
		image_out_free(&out);
		image_sandbox_set(0);
		t0 = now_ms();
		good &= image_process(jpg, len, NULL, &out, &ei) == ERR_OK;
		ti[i] = now_ms() - t0;
		image_out_free(&out);
	}
	image_sandbox_set(1);
	ok(good, "%d rounds of a 2400x1600 JPEG both ways", rounds);
	double ms = median(ts, rounds), mi = median(ti, rounds);
	printf("# 2400x1600 JPEG (%zu bytes), median of %d: sandboxed %.1f ms, in process %.1f ms, "
	       "cost %.1f ms per upload\n", len, rounds, ms, mi, ms - mi);
	free(ts);
	free(ti);
	g_free(jpg);
}

int main(void)
{
	char res[256];

	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	is_int(image_init(), ERR_OK, "image_init");
	is_int(image_init(), ERR_OK, "image_init again is harmless");
	ok(run("exiftool -ver", res, sizeof(res)) == 0 && res[0], "exiftool is installed (%.5s)", res);

	test_refusals();
	test_bombs();
	test_scaling();
	test_formats();
	test_hash();
	test_metadata();
	test_mutations();
	test_blocked_loaders();
	test_sandbox();

	rmdir(tmpdir);
	image_shutdown();
	return done_testing();
}
