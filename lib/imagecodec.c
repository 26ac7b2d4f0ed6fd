/* imagecodec.c: the decoding side of card images: libvips loads, rotates, converts, scales and re-encodes, run in the sandboxed helper (libexec/livecard-imaged). */
#include "imagecodec.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sodium.h>
#include <vips/vips.h>

#include "sandbox.h"

static int image_ready;

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
	return image_err_corrupt(ei);
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
		return image_err_too_big(ei);

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

enum err image_encode_local(enum image_kind kind, const void *data, size_t len,
			    const struct image_limits *lim, struct image_out *out,
			    struct errinfo *ei)
{
	if (image_init() != ERR_OK)
		return errinfo_set(ei, ERR_INTERNAL, NULL, NULL,
				   "the image library could not start");
	/* every intermediate image hangs off ctx and goes with it */
	VipsImage *ctx = vips_image_new();
	VipsImage **t = (VipsImage **)vips_object_local_array(VIPS_OBJECT(ctx), 14);
	enum err e = image_encode(kind, data, len, lim, t, out, ei);
	g_object_unref(ctx);
	return e;
}

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

int image_child_main(void)
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
	enum err e = image_encode_local((enum image_kind)job.kind, in + sizeof(job), n - sizeof(job),
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
