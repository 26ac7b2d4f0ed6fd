/* ocr.h: read a card image with Tesseract (one handle per process): decode and straighten it in a sandboxed child, then recognise lines. */
#ifndef LIVECARD_OCR_H
#define LIVECARD_OCR_H

#include <stddef.h>

#include "arena.h"
#include "cardfields.h"
#include "err.h"

/* What ocr_read found, in the arena given to it. */
struct ocr_page {
	struct ocr_line *lines;
	size_t n;
	int width, height;	/* of the straightened card image */
	int cropped;		/* a card was found in a photo and cut out */
	int name_line;		/* index of the line read twice (the name), or -1 */
	double prep_ms, ocr_ms;	/* time in the decoding child, in Tesseract */
};

/* ocr_init: load the Tesseract models: three handles, "chi_sim+eng" for
 * the page, "chi_sim" for a Chinese card's name line and "eng" for its
 * e-mail and web address lines (datapath NULL: Tesseract's default, or
 * TESSDATA_PREFIX). Once per process: 0.2-0.5 s and about 150 MB.
 * ERR_UNAVAILABLE when a model is missing. Idempotent. */
enum err ocr_init(const char *datapath);

/* ocr_read: read an encoded card image (JPEG or PNG, as stored by
 * imagestore_put). The decoding, card detection, straightening and
 * background normalisation run in a sandboxed child (lib/sandbox.h, the
 * image limits of lib/image.h); Tesseract then reads the page (sparse text,
 * --psm 11); on a Chinese card the name line again (chi_sim, --psm 7,
 * at three sizes, preferring a name that begins with a common surname),
 * the e-mail and web address lines in English and the organisation line
 * in Chinese at three sizes, the readings voting by confidence (docs/ocr.md).
 * ERR_BAD_REQUEST
 * "unreadable_image" when the child fails; ERR_UNAVAILABLE when ocr_init
 * failed. Lines are in reading order (top to bottom, left to right). */
enum err ocr_read(const void *data, size_t len, struct arena *a, struct ocr_page *out,
		  struct errinfo *ei);

/* ocr_shutdown: free the Tesseract handles (for leak checkers). */
void ocr_shutdown(void);

#endif
