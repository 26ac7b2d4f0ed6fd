/* image.h: card images: check an upload, re-encode it without metadata, thumbnail it. */
#ifndef LIVECARD_IMAGE_H
#define LIVECARD_IMAGE_H

#include <stddef.h>

#include "err.h"

#define IMAGE_DEFAULT_MAX_BYTES (10u * 1024 * 1024)
#define IMAGE_DEFAULT_MAX_PIXELS 50000000ull	/* declared width * height */
#define IMAGE_DEFAULT_MAX_SIDE 20000		/* declared width or height */
#define IMAGE_DEFAULT_LONG_SIDE 2048		/* re-encoded image, long side */
#define IMAGE_DEFAULT_THUMB_SIDE 320		/* thumbnail, long side */

/* What an upload may be and what comes out. A zero field means the default
 * above, so `struct image_limits lim = {.max_bytes = cfg.image_max};` works. */
struct image_limits {
	size_t max_bytes;		/* encoded upload size */
	unsigned long long max_pixels;	/* declared width * height */
	int max_side;			/* declared width, height */
	int max_long_side;		/* output is scaled down to this, never up */
	int thumb_side;			/* thumbnail long side, never scaled up */
	/* the decoding child (lib/sandbox.h; zero: the sandbox's defaults) */
	int decode_cpu_seconds;		/* CPU time */
	size_t decode_mem_bytes;	/* address space */
	int decode_wall_ms;		/* wall-clock time, then it is killed */
};

/* The result of image_process. data and thumb are malloc'ed and owned by the
 * struct (free with image_out_free); the mime strings are static. */
struct image_out {
	unsigned char *data;		/* the re-encoded image */
	size_t len;
	const char *mime;		/* "image/jpeg", or "image/png" if alpha */
	int width, height;		/* of data, after rotation and scaling */
	unsigned char *thumb;		/* the thumbnail, same format as data */
	size_t thumb_len;
	const char *thumb_mime;
	int thumb_width, thumb_height;
	char sha256[65];		/* lower-case hex SHA-256 of data */
};

/* image_init: (lib/imagecodec.c, links libvips) start libvips for this process (one worker thread, no
 * operation cache, only the JPEG, PNG and WebP loaders allowed) and
 * libsodium. Idempotent; the decoder calls it if nobody did.
 * ERR_INTERNAL if a library cannot start. */
enum err image_init(void);

/* image_process: check an uploaded image and re-encode it.
 * Accepts JPEG, PNG and WebP by their magic bytes; refuses others with
 * ERR_MEDIA_TYPE "unsupported_image", len over lim->max_bytes with
 * ERR_TOO_LARGE "image_too_large", declared dimensions over the limits with
 * ERR_BAD_REQUEST "image_too_large_dimensions" (read from the header alone,
 * before any pixel is decoded), and images that fail to decode with
 * ERR_BAD_REQUEST "corrupt_image". On success fills *out: the image turned
 * upright by its EXIF orientation, converted to 8-bit sRGB, scaled down to
 * lim->max_long_side, saved as JPEG (quality 85) or as PNG if it has an
 * alpha channel, with every piece of metadata removed (EXIF, GPS, XMP, IPTC,
 * ICC, comments); a thumbnail the same way; and the SHA-256 of the bytes.
 * The sniffing and the header checks run in the caller; the decoding and
 * encoding run in a child executing the helper program livecard-imaged
 * (libexec/, found by sandbox_program; the caller itself does not link
 * libvips) under lib/sandbox.c's limits (CPU, memory and wall-clock
 * time, no file descriptors but the result pipe, a seccomp filter that
 * refuses files, sockets and exec), which sends the two images back. A
 * child that crashes, is killed by a limit or the filter, or answers
 * nonsense is ERR_BAD_REQUEST "unreadable_image" ("could not read this
 * image"), and the caller carries on; no child at all (fork failed, no
 * helper program) is ERR_UNAVAILABLE. lim may be NULL for the defaults. On failure *out is left empty (safe to
 * pass to image_out_free) and *ei says why; ei may be NULL. */
enum err image_process(const void *data, size_t len,
		       const struct image_limits *lim, struct image_out *out,
		       struct errinfo *ei);

/* image_sandbox_set: decode in a sandboxed child (1, the default) or in
 * this process (0: for the fuzzer, which needs the coverage of the decoding
 * in its own process, and for measuring the sandbox's cost). It is in
 * lib/imagelocal.c: a program that calls it links libvips. */
void image_sandbox_set(int on);

/* For tests: what the next decoding children do before decoding. */
enum image_fault {
	IMAGE_FAULT_NONE,
	IMAGE_FAULT_CRASH,	/* dereference NULL */
	IMAGE_FAULT_SPIN,	/* loop forever (the CPU or wall-clock limit ends it) */
	IMAGE_FAULT_ESCAPE,	/* try to open a file and a socket; exit 99 if
				 * either works, else decode as usual */
	IMAGE_FAULT__MAX
};
void image_test_fault(enum image_fault f);

/* image_out_free: free what image_process stored in *out and empty it.
 * Safe on an emptied or zeroed struct, and twice. */
void image_out_free(struct image_out *out);

/* image_shutdown: (lib/imagecodec.c) stop libvips at process exit (for leak checkers); no
 * image_* call may follow. */
void image_shutdown(void);

#endif
