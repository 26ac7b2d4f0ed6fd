/* qr.h: QR codes drawn as SVG, for the public card page. */
#ifndef LIVECARD_QR_H
#define LIVECARD_QR_H

#include "arena.h"

/* QR_QUIET: modules of light margin around the symbol (the standard's minimum). */
#define QR_QUIET 4

/* qr_svg: an SVG document (no XML prolog, starts with "<svg") drawing the
 * QR code of text (UTF-8, encoded as bytes, error correction level M):
 * viewBox "0 0 N N" with one unit per module and a QR_QUIET margin, a white
 * background rect, and one <path> holding every dark module; the <title>
 * reads "CAPTION: text" (CAPTION in the reader's language; "QR code" when
 * NULL), XML-escaped. The string is owned by a. NULL if text is NULL or
 * empty, or too long for any QR version (about 2300 bytes). */
char *qr_svg(const char *text, const char *caption, struct arena *a);

#endif
