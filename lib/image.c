/* image.c: card images: sniff and bound uploads, then re-encode them clean with libvips. */
#include "image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sodium.h>
#include <vips/vips.h>

#include "log.h"
#include "sandbox.h"

enum image_kind {
	IMAGE_NONE,
	IMAGE_JPEG,
	IMAGE_PNG,
	IMAGE_WEBP,
	IMAGE__MAX
};

static int image_ready;
static int image_sandboxed = 1;
static enum image_fault image_fault;

void image_sandbox_set(int on)
{
	image_sandboxed = on != 0;
}

void image_test_fault(enum image_fault f)
{
	image_fault = f;
}

/* Names of metadata that must not survive re-encoding; the savers strip
 * too, this only makes sure nothing depends on that alone. */
static const char *const meta_prefixes[] = {
	"exif-", "xmp", "iptc", "icc-", "photoshop", "png-comment-",
	"gif-comment", "heif-", "orientation",
};

static void image_log_drop(const gchar *domain, GLogLevelFlags level,
			  const gchar *message, gpointer user)
{
	/* libvips warns on stderr about every odd upload; the caller gets
	 * the failure as an error value instead */
}

enum err image_init(void)
{
	if (image_ready)
		return ERR_OK;
	if (sodium_init() < 0)
		return ERR_INTERNAL;
	if (VIPS_INIT("livecard")) {
		vips_error_clear();
		return ERR_INTERNAL;
	}
	g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE |
			  G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG, image_log_drop, NULL);
	/* one request at a time per process: one worker, and no cache of
	 * operations or pixels between requests */
	vips_concurrency_set(1);
	vips_cache_set_max(0);
	vips_cache_set_max_mem(0);
	vips_cache_set_max_files(0);
	/* nothing but the three loaders we sniff for may ever run, even if
	 * some other code path hands vips a buffer */
	vips_block_untrusted_set(TRUE);
	vips_operation_block_set("VipsForeignLoad", TRUE);
	vips_operation_block_set("VipsForeignLoadJpeg", FALSE);
	vips_operation_block_set("VipsForeignLoadPng", FALSE);
	vips_operation_block_set("VipsForeignLoadWebp", FALSE);
	image_ready = 1;
	return ERR_OK;
}

void image_shutdown(void)
{
	if (image_ready) {
		vips_shutdown();
		image_ready = 0;
	}
}

void image_out_free(struct image_out *out)
{
	if (out == NULL)
		return;
	free(out->data);
	free(out->thumb);
	memset(out, 0, sizeof(*out));
}

static uint32_t be16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le16(const unsigned char *p)
{
	return (uint32_t)p[1] << 8 | p[0];
}

static uint32_t le24(const unsigned char *p)
{
	return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | le24(p);
}

static enum image_kind image_sniff(const unsigned char *p, size_t len)
{
	if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return IMAGE_JPEG;
	if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return IMAGE_PNG;
	if (len >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
		return IMAGE_WEBP;
	return IMAGE_NONE;
}

/* The frame size from the first SOFn marker, walking the segments. */
static int jpeg_dims(const unsigned char *p, size_t len, uint32_t *w, uint32_t *h)
{
	size_t i = 2;

	while (i < len) {
		if (p[i] != 0xFF)
			return -1;
		while (i < len && p[i] == 0xFF)
			i++;
		if (i >= len)
			return -1;
		unsigned m = p[i++];
		if (m == 0x01 || (m >= 0xD0 && m <= 0xD7))
			continue;
		/* a frame header must come before any scan or the end */
		if (m == 0x00 || m == 0xD8 || m == 0xD9 || m == 0xDA)
			return -1;
		if (len - i < 2)
			return -1;
		size_t seg = be16(p + i);
		if (seg < 2 || len - i < seg)
			return -1;
		if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
			if (seg < 7)
				return -1;
			*h = be16(p + i + 3);
			*w = be16(p + i + 5);
			return 0;
		}
		i += seg;
	}
	return -1;
}

/* IHDR must be the first chunk. */
static int png_dims(const unsigned char *p, size_t len, uint32_t *w, uint32_t *h)
{
	if (len < 24 || be32(p + 8) != 13 || memcmp(p + 12, "IHDR", 4) != 0)
		return -1;
	*w = be32(p + 16);
	*h = be32(p + 20);
	return 0;
}

/* The first chunk: a lossy or lossless bitstream, or the extended header
 * with the canvas size. */
static int webp_dims(const unsigned char *p, size_t len, uint32_t *w, uint32_t *h)
{
	if (len < 20)
		return -1;
	const unsigned char *c = p + 20;
	size_t avail = len - 20;

	if (memcmp(p + 12, "VP8 ", 4) == 0) {
		if (avail < 10 || c[3] != 0x9D || c[4] != 0x01 || c[5] != 0x2A)
			return -1;
		*w = le16(c + 6) & 0x3FFF;
		*h = le16(c + 8) & 0x3FFF;
		return 0;
	}
	if (memcmp(p + 12, "VP8L", 4) == 0) {
		if (avail < 5 || c[0] != 0x2F)
			return -1;
		uint32_t bits = le32(c + 1);
		*w = (bits & 0x3FFF) + 1;
		*h = ((bits >> 14) & 0x3FFF) + 1;
		return 0;
	}
	if (memcmp(p + 12, "VP8X", 4) == 0) {
		if (avail < 10)
			return -1;
		*w = le24(c + 4) + 1;
		*h = le24(c + 7) + 1;
		return 0;
	}
	return -1;
}

static int header_dims(enum image_kind kind, const unsigned char *p, size_t len,
		       uint32_t *w, uint32_t *h)
{
	int r = -1;

	switch (kind) {
	case IMAGE_JPEG:
		r = jpeg_dims(p, len, w, h);
		break;
	case IMAGE_PNG:
		r = png_dims(p, len, w, h);
		break;
	case IMAGE_WEBP:
		r = webp_dims(p, len, w, h);
		break;
	default:
		break;
	}
	if (r == 0 && (*w == 0 || *h == 0))
		r = -1;
	return r;
}

static int dims_over(const struct image_limits *lim, uint64_t w, uint64_t h)
{
	return w > (uint64_t)lim->max_side || h > (uint64_t)lim->max_side ||
	       w * h > lim->max_pixels;
}

/* Open the upload with the one loader its magic bytes chose. Only the header
 * is read here; pixels are decoded as the pipeline pulls them, in order.
 * shrink (JPEG) and scale (WebP) decode at a reduced size. */
static VipsImage *image_load(enum image_kind kind, const void *data, size_t len,
			     int shrink, double scale)
{
	VipsImage *im = NULL;
	void *buf = (void *)data;	/* vips only reads it */
	int r = -1;

	switch (kind) {
	case IMAGE_JPEG:
		r = vips_jpegload_buffer(buf, len, &im,
					 "access", VIPS_ACCESS_SEQUENTIAL,
					 "fail_on", VIPS_FAIL_ON_ERROR,
					 "shrink", shrink, NULL);
		break;
	case IMAGE_PNG:
		r = vips_pngload_buffer(buf, len, &im,
					"access", VIPS_ACCESS_SEQUENTIAL,
					"fail_on", VIPS_FAIL_ON_ERROR, NULL);
		break;
	case IMAGE_WEBP:
		r = vips_webpload_buffer(buf, len, &im,
					 "access", VIPS_ACCESS_SEQUENTIAL,
					 "fail_on", VIPS_FAIL_ON_ERROR,
					 "scale", scale, NULL);
		break;
	default:
		break;
	}
	return r == 0 ? im : NULL;
}

static int meta_is_private(const char *name)
{
	for (size_t i = 0; i < sizeof(meta_prefixes) / sizeof(meta_prefixes[0]); i++)
		if (strncmp(name, meta_prefixes[i], strlen(meta_prefixes[i])) == 0)
			return 1;
	return 0;
}

/* Drop every metadata item that could carry data about the picture or its
 * maker from im (a private copy). */
static void meta_strip(VipsImage *im)
{
	gchar **names = vips_image_get_fields(im);

	for (gchar **n = names; n && *n; n++)
		if (meta_is_private(*n))
			vips_image_remove(im, *n);
	g_strfreev(names);
}

/* Encode im as PNG (alpha) or JPEG into malloc'ed bytes. */
static int image_save(VipsImage *im, int png, unsigned char **data, size_t *len)
{
	void *buf = NULL;
	size_t n = 0;
	int r;

	if (png)
		r = vips_pngsave_buffer(im, &buf, &n, "strip", TRUE,
					"compression", 6, NULL);
	else
		r = vips_jpegsave_buffer(im, &buf, &n, "Q", 85, "strip", TRUE,
					 "optimize_coding", TRUE, NULL);
	if (r != 0)
		return -1;
	*data = malloc(n ? n : 1);
	if (*data == NULL) {
		g_free(buf);
		return -1;
	}
	memcpy(*data, buf, n);
	*len = n;
	g_free(buf);
	return 0;
}

static enum err corrupt(struct errinfo *ei)
{
	vips_error_clear();
	return errinfo_set(ei, ERR_BAD_REQUEST, "corrupt_image", NULL,
			   "the image could not be decoded");
}

static enum err too_big_dims(struct errinfo *ei)
{
	return errinfo_set(ei, ERR_BAD_REQUEST, "image_too_large_dimensions", NULL,
			   "the image has too many pixels");
}

/* Decode, rotate, convert, scale and encode; t holds every intermediate
 * image so that the caller frees them all at once. */
static enum err image_encode(enum image_kind kind, const void *data, size_t len,
			     const struct image_limits *lim, VipsImage **t,
			     struct image_out *out, struct errinfo *ei)
{
	VipsImage *in;

	if (!(t[0] = image_load(kind, data, len, 1, 1.0)))
		return corrupt(ei);
	in = t[0];
	/* our own header parse and the decoder's must both be within limits */
	if (dims_over(lim, (uint64_t)in->Xsize, (uint64_t)in->Ysize))
		return too_big_dims(ei);

	int long_in = in->Xsize > in->Ysize ? in->Xsize : in->Ysize;
	double factor = (double)long_in / lim->max_long_side;
	if (factor > 1.0) {
		/* decode at a fraction of the size where the format can:
		 * JPEG by 2, 4 or 8 leaving at least 2x for the resampler */
		int shrink = factor >= 16 ? 8 : factor >= 8 ? 4 : factor >= 4 ? 2 : 1;
		if (kind == IMAGE_JPEG && shrink > 1) {
			if (!(t[1] = image_load(kind, data, len, shrink, 1.0)))
				return corrupt(ei);
			in = t[1];
		} else if (kind == IMAGE_WEBP) {
			if (!(t[1] = image_load(kind, data, len, 1, 1.0 / factor)))
				return corrupt(ei);
			in = t[1];
		}
	}

	long_in = in->Xsize > in->Ysize ? in->Xsize : in->Ysize;
	if (long_in > lim->max_long_side) {
		double scale = (double)lim->max_long_side / long_in;
		int alpha = vips_image_hasalpha(in);
		VipsBandFormat format = in->BandFmt;

		/* premultiplied, so transparent pixels do not bleed colour */
		if (alpha) {
			if (vips_premultiply(in, &t[2], NULL))
				return corrupt(ei);
			in = t[2];
		}
		if (vips_resize(in, &t[3], scale, NULL))
			return corrupt(ei);
		in = t[3];
		if (alpha) {
			if (vips_unpremultiply(in, &t[4], NULL) ||
			    vips_cast(t[4], &t[5], format, NULL))
				return corrupt(ei);
			in = t[5];
		}
	}

	/* An embedded profile (Display P3, Adobe RGB, CMYK, ...) describes
	 * what the numbers mean; it is stripped below, so move the pixels to
	 * sRGB with it first. A broken profile is ignored, as browsers do. */
	if (vips_image_get_typeof(in, VIPS_META_ICC_NAME) && vips_icc_present()) {
		if (vips_icc_transform(in, &t[6], "srgb", "embedded", TRUE,
				       "intent", VIPS_INTENT_RELATIVE, NULL) == 0)
			in = t[6];
		else
			vips_error_clear();
	}
	if (vips_image_get_interpretation(in) != VIPS_INTERPRETATION_sRGB) {
		if (vips_colourspace(in, &t[7], VIPS_INTERPRETATION_sRGB, NULL))
			return corrupt(ei);
		in = t[7];
	}
	if (in->BandFmt != VIPS_FORMAT_UCHAR) {
		if (vips_cast_uchar(in, &t[8], NULL))
			return corrupt(ei);
		in = t[8];
	}

	int orientation = vips_image_get_orientation(in);
	if (orientation > 1 && orientation <= 8) {
		/* rotation reads pixels out of order and the decoder is
		 * sequential: go through memory (the image is small by now) */
		if (!(t[9] = vips_image_copy_memory(in)) ||
		    vips_autorot(t[9], &t[10], NULL))
			return corrupt(ei);
		in = t[10];
	}

	if (vips_copy(in, &t[11], NULL))
		return corrupt(ei);
	in = t[11];
	meta_strip(in);

	int png = vips_image_hasalpha(in);
	if (image_save(in, png, &out->data, &out->len))
		return corrupt(ei);
	out->mime = png ? "image/png" : "image/jpeg";
	out->width = in->Xsize;
	out->height = in->Ysize;

	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, out->data, out->len);
	sodium_bin2hex(out->sha256, sizeof(out->sha256), digest, sizeof(digest));

	/* the thumbnail comes from our own clean output: small, trusted,
	 * upright, already sRGB */
	if (vips_thumbnail_buffer(out->data, out->len, &t[12], lim->thumb_side,
				  "height", lim->thumb_side,
				  "size", VIPS_SIZE_DOWN, NULL) ||
	    vips_copy(t[12], &t[13], NULL)) {
		vips_error_clear();
		return errinfo_set(ei, ERR_INTERNAL, NULL, NULL,
				   "the thumbnail could not be made");
	}
	meta_strip(t[13]);
	if (image_save(t[13], png, &out->thumb, &out->thumb_len)) {
		vips_error_clear();
		return errinfo_set(ei, ERR_INTERNAL, NULL, NULL,
				   "the thumbnail could not be saved");
	}
	out->thumb_mime = out->mime;
	out->thumb_width = t[13]->Xsize;
	out->thumb_height = t[13]->Ysize;
	return ERR_OK;
}

/* image_encode_here: image_encode in this process */
static enum err image_encode_here(enum image_kind kind, const void *data, size_t len,
				  const struct image_limits *lim, struct image_out *out,
				  struct errinfo *ei)
{
	/* every intermediate image hangs off ctx and goes with it */
	VipsImage *ctx = vips_image_new();
	VipsImage **t = (VipsImage **)vips_object_local_array(VIPS_OBJECT(ctx), 14);
	enum err e = image_encode(kind, data, len, lim, t, out, ei);
	g_object_unref(ctx);
	return e;
}

/* --- the decoding child ---------------------------------------------------
 * It answers one header and the two images' bytes. Its failures are sent as
 * an index into this table: nothing the child says is used as a pointer. */
static const struct {
	enum err err;
	const char *code, *message;
} child_errors[] = {
	{ERR_OK, NULL, NULL},
	{ERR_BAD_REQUEST, "corrupt_image", "the image could not be decoded"},
	{ERR_BAD_REQUEST, "image_too_large_dimensions", "the image has too many pixels"},
	{ERR_INTERNAL, NULL, "the thumbnail could not be made"},
	{ERR_INTERNAL, NULL, "the thumbnail could not be saved"},
};

#define CHILD_MAGIC 0x4c43494du	/* "LCIM" */

struct child_hdr {
	uint32_t magic;
	uint32_t error;			/* index into child_errors */
	int32_t width, height, thumb_width, thumb_height;
	uint32_t png;
	uint32_t pad;
	uint64_t len, thumb_len;
};

/* what the parent sends: this, then the upload's bytes */
struct child_job {
	uint32_t magic;
	uint32_t kind;
	uint32_t fault;
	int32_t max_side, max_long_side, thumb_side;
	uint64_t max_bytes, max_pixels;
};

static void child_fault(enum image_fault f)
{
	switch (f) {
	case IMAGE_FAULT_CRASH:
		*(volatile int *)(uintptr_t)(f == IMAGE_FAULT_CRASH ? 0 : 8) = 1;
		break;
	case IMAGE_FAULT_SPIN:
		for (volatile unsigned long i = 0;; i++)
			;
	case IMAGE_FAULT_ESCAPE: {
		int fd = open("/etc/hostname", O_RDONLY);
		int e1 = errno;
		int s = socket(AF_INET, SOCK_STREAM, 0);
		if (fd >= 0 || s >= 0 || e1 != EPERM || errno != EPERM)
			_exit(99);
		break;
	}
	default:
		break;
	}
}

/* image_child: the decoding child's whole life (lib/sandbox.h): read the
 * job, start libvips, shut the doors, decode, answer. The exit status. */
static int image_child(void)
{
	unsigned char *in;
	size_t n;
	struct child_job job;
	struct image_out out = {0};
	struct errinfo ei = {0};
	struct child_hdr h = {0};

	if (sandbox_child_input(&in, &n) != 0 || n < sizeof(job))
		return 2;
	memcpy(&job, in, sizeof(job));
	if (job.magic != CHILD_MAGIC || job.kind == IMAGE_NONE || job.kind >= IMAGE__MAX ||
	    job.fault >= IMAGE_FAULT__MAX)
		return 2;
	/* orc would compile vector code into a file in /tmp and map it
	 * executable: neither is allowed in here, so it is not asked to */
	setenv("VIPS_NOVECTOR", "1", 1);
	if (image_init() != ERR_OK)
		return 3;
	if (sandbox_enter() != 0)
		return 4;
	child_fault((enum image_fault)job.fault);

	struct image_limits lim = {
		.max_bytes = (size_t)job.max_bytes, .max_pixels = job.max_pixels,
		.max_side = job.max_side, .max_long_side = job.max_long_side,
		.thumb_side = job.thumb_side,
	};
	enum err e = image_encode_here((enum image_kind)job.kind, in + sizeof(job), n - sizeof(job),
				       &lim, &out, &ei);
	h.magic = CHILD_MAGIC;
	h.error = 1;
	for (uint32_t i = 0; i < sizeof(child_errors) / sizeof(child_errors[0]); i++)
		if (child_errors[i].err == e && child_errors[i].code == (e == ERR_OK ? NULL : ei.code) &&
		    child_errors[i].message == (e == ERR_OK ? NULL : ei.message))
			h.error = i;
	if (e == ERR_OK) {
		h.width = out.width;
		h.height = out.height;
		h.thumb_width = out.thumb_width;
		h.thumb_height = out.thumb_height;
		h.png = strcmp(out.mime, "image/png") == 0;
		h.len = out.len;
		h.thumb_len = out.thumb_len;
	}
	if (sandbox_write_all(SANDBOX_OUT_FD, &h, sizeof(h)) || sandbox_write_all(SANDBOX_OUT_FD, out.data, out.len) ||
	    sandbox_write_all(SANDBOX_OUT_FD, out.thumb, out.thumb_len))
		return 1;
	return 0;
}

/* In the child, this runs before main(): the program that was executed is
 * whichever links this file (a livecard program, a test, the fuzzer). */
__attribute__((constructor)) static void image_child_entry(void)
{
	const char *task = sandbox_task();
	if (task && strcmp(task, "image") == 0)
		_exit(image_child());
}

static enum err unreadable(struct errinfo *ei)
{
	return errinfo_set(ei, ERR_BAD_REQUEST, "unreadable_image", NULL,
			   "could not read this image");
}

/* image_encode_sandboxed: image_encode in a sandboxed child */
static enum err image_encode_sandboxed(enum image_kind kind, const void *data, size_t len,
				       const struct image_limits *lim, struct image_out *out,
				       struct errinfo *ei)
{
	struct child_job job = {
		.magic = CHILD_MAGIC, .kind = kind, .fault = image_fault,
		.max_side = lim->max_side, .max_long_side = lim->max_long_side,
		.thumb_side = lim->thumb_side, .max_bytes = lim->max_bytes,
		.max_pixels = lim->max_pixels,
	};
	struct sandbox_limits sl = {
		.cpu_seconds = lim->decode_cpu_seconds,
		.mem_bytes = lim->decode_mem_bytes,
		.wall_ms = lim->decode_wall_ms,
		/* two images of at most max_long_side squared, 4 bytes a pixel,
		 * is far more than any encoding of them */
		.out_max = sizeof(struct child_hdr) +
			   2 * (size_t)lim->max_long_side * (size_t)lim->max_long_side * 4 + 65536,
	};
	unsigned char *buf = NULL, *in;
	size_t n = 0;
	int detail = 0;
	struct child_hdr h;

	in = malloc(sizeof(job) + len);
	if (in == NULL)
		return errinfo_set(ei, ERR_UNAVAILABLE, NULL, NULL, "out of memory");
	memcpy(in, &job, sizeof(job));
	memcpy(in + sizeof(job), data, len);
	enum sandbox_status st = sandbox_run("image", in, sizeof(job) + len, &sl, &buf, &n, &detail);
	free(in);
	if (st == SANDBOX_ERROR) {
		log_error("image: no decoding child: %s", strerror(detail));
		return errinfo_set(ei, ERR_UNAVAILABLE, NULL, NULL,
				   "the image could not be processed now");
	}
	if (st != SANDBOX_OK) {
		log_warn("image: decoding child %s (%d)", sandbox_status_name(st), detail);
		return unreadable(ei);
	}
	if (n < sizeof(h)) {
		free(buf);
		log_warn("image: decoding child answered %zu bytes", n);
		return unreadable(ei);
	}
	memcpy(&h, buf, sizeof(h));
	if (h.magic != CHILD_MAGIC || h.error >= sizeof(child_errors) / sizeof(child_errors[0]) ||
	    (h.error == 0 && (h.len == 0 || h.thumb_len == 0 ||
			      h.len > n || h.thumb_len > n ||
			      sizeof(h) + h.len + h.thumb_len != n ||
			      h.width <= 0 || h.height <= 0 || h.thumb_width <= 0 || h.thumb_height <= 0 ||
			      h.width > lim->max_long_side || h.height > lim->max_long_side))) {
		free(buf);
		log_warn("image: decoding child answered nonsense");
		return unreadable(ei);
	}
	if (h.error != 0) {
		free(buf);
		return errinfo_set(ei, child_errors[h.error].err, child_errors[h.error].code, NULL,
				   child_errors[h.error].message);
	}
	out->data = malloc(h.len);
	out->thumb = malloc(h.thumb_len);
	if (out->data == NULL || out->thumb == NULL) {
		free(buf);
		return errinfo_set(ei, ERR_UNAVAILABLE, NULL, NULL, "out of memory");
	}
	memcpy(out->data, buf + sizeof(h), h.len);
	memcpy(out->thumb, buf + sizeof(h) + h.len, h.thumb_len);
	free(buf);
	out->len = h.len;
	out->thumb_len = h.thumb_len;
	out->mime = out->thumb_mime = h.png ? "image/png" : "image/jpeg";
	out->width = h.width;
	out->height = h.height;
	out->thumb_width = h.thumb_width;
	out->thumb_height = h.thumb_height;
	/* the hash is of what this process stores, computed here */
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, out->data, out->len);
	sodium_bin2hex(out->sha256, sizeof(out->sha256), digest, sizeof(digest));
	return ERR_OK;
}

enum err image_process(const void *data, size_t len,
		       const struct image_limits *lim, struct image_out *out,
		       struct errinfo *ei)
{
	struct image_limits L = {0};
	uint32_t w, h;

	memset(out, 0, sizeof(*out));
	if (lim)
		L = *lim;
	if (L.max_bytes == 0)
		L.max_bytes = IMAGE_DEFAULT_MAX_BYTES;
	if (L.max_pixels == 0)
		L.max_pixels = IMAGE_DEFAULT_MAX_PIXELS;
	if (L.max_side <= 0)
		L.max_side = IMAGE_DEFAULT_MAX_SIDE;
	if (L.max_long_side <= 0)
		L.max_long_side = IMAGE_DEFAULT_LONG_SIDE;
	if (L.thumb_side <= 0)
		L.thumb_side = IMAGE_DEFAULT_THUMB_SIDE;
	if (data == NULL)
		len = 0;
	if (image_init() != ERR_OK)
		return errinfo_set(ei, ERR_INTERNAL, NULL, NULL,
				   "the image library could not start");

	if (len > L.max_bytes)
		return errinfo_set(ei, ERR_TOO_LARGE, "image_too_large", NULL,
				   "the image file is too large");
	enum image_kind kind = image_sniff(data, len);
	if (kind == IMAGE_NONE)
		return errinfo_set(ei, ERR_MEDIA_TYPE, "unsupported_image", NULL,
				   "only JPEG, PNG and WebP images are accepted");
	/* before any decoder sees the bytes: a small file may declare a
	 * huge canvas (a decompression bomb) */
	if (header_dims(kind, data, len, &w, &h))
		return corrupt(ei);
	if (dims_over(&L, w, h))
		return too_big_dims(ei);

	enum err e = image_sandboxed ? image_encode_sandboxed(kind, data, len, &L, out, ei) :
				       image_encode_here(kind, data, len, &L, out, ei);
	if (e != ERR_OK)
		image_out_free(out);
	return e;
}
