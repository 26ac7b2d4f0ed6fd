/* imagecodec.h: what lib/image.c (the worker's side) and lib/imagecodec.c (the decoder, libvips) share; not for other callers. */
#ifndef LIVECARD_IMAGECODEC_H
#define LIVECARD_IMAGECODEC_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "image.h"

enum image_kind {
	IMAGE_NONE,
	IMAGE_JPEG,
	IMAGE_PNG,
	IMAGE_WEBP,
	IMAGE__MAX
};

/* IMAGE_HELPER: the decoding child's program (libexec/livecard-imaged.c),
 * found by sandbox_program; the worker programs do not link libvips. */
#define IMAGE_HELPER "livecard-imaged"

static inline int dims_over(const struct image_limits *lim, uint64_t w, uint64_t h)
{
	return w > (uint64_t)lim->max_side || h > (uint64_t)lim->max_side ||
	       w * h > lim->max_pixels;
}

/* image_err_corrupt, image_err_too_big: the two refusals both sides give */
static inline enum err image_err_corrupt(struct errinfo *ei)
{
	return errinfo_set(ei, ERR_BAD_REQUEST, "corrupt_image", NULL, "the image could not be decoded");
}

static inline enum err image_err_too_big(struct errinfo *ei)
{
	return errinfo_set(ei, ERR_BAD_REQUEST, "image_too_large_dimensions", NULL,
			   "the image has too many pixels");
}

/* The decoding child  * It answers one header and the two images' bytes. Its failures are sent as
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

/* image_local_encode: set by image_sandbox_set(0) (lib/imagelocal.c) to the
 * in-process decoder; NULL (the default) decodes in the helper program.
 * Kept out of image.c's own code so that the workers do not link libvips. */
extern enum err (*image_local_encode)(enum image_kind kind, const void *data, size_t len,
				      const struct image_limits *lim, struct image_out *out,
				      struct errinfo *ei);

/* image_encode_local: decode and re-encode in this process (starts libvips
 * with image_init); what the helper does inside its sandbox. */
enum err image_encode_local(enum image_kind kind, const void *data, size_t len,
			    const struct image_limits *lim, struct image_out *out,
			    struct errinfo *ei);

/* image_child_main: the helper program's whole life (lib/sandbox.h): read
 * the job from SANDBOX_IN_FD, start libvips, enter the filter, decode,
 * write the answer to SANDBOX_OUT_FD. Returns the exit status. */
int image_child_main(void);

#endif
