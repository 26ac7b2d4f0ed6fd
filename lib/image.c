/* image.c: card images: sniff and bound uploads in the worker, then have them re-encoded clean by the sandboxed decoder (lib/imagecodec.c in libexec/livecard-imaged). */
#include "image.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "imagecodec.h"
#include "log.h"
#include "sandbox.h"

static enum image_fault image_fault;

enum err (*image_local_encode)(enum image_kind kind, const void *data, size_t len,
			       const struct image_limits *lim, struct image_out *out,
			       struct errinfo *ei);

void image_test_fault(enum image_fault f)
{
	image_fault = f;
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
	char helper[PATH_MAX];
	enum sandbox_status st = SANDBOX_ERROR;
	if (sandbox_program(IMAGE_HELPER, helper, sizeof(helper)) == 0)
		st = sandbox_run_program(helper, "image", in, sizeof(job) + len, &sl, &buf, &n, &detail);
	else
		detail = errno;
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
	if (sodium_init() < 0)
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
		return image_err_corrupt(ei);
	if (dims_over(&L, w, h))
		return image_err_too_big(ei);

	enum err e = image_local_encode ? image_local_encode(kind, data, len, &L, out, ei) :
					  image_encode_sandboxed(kind, data, len, &L, out, ei);
	if (e != ERR_OK)
		image_out_free(out);
	return e;
}
