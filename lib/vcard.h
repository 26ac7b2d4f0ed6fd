/* vcard.h: vCard 2.1/3.0/4.0 import into the card model, and 3.0/4.0 export. */
#ifndef LIVECARD_VCARD_H
#define LIVECARD_VCARD_H

#include <stddef.h>

#include "arena.h"
#include "card.h"
#include "err.h"

/* Default limits of the parser (see struct vcard_parse_opts). */
#define VCARD_MAX_CARDS 100000		/* cards in one file */
#define VCARD_MAX_PROPS 2000		/* content lines in one card */
#define VCARD_MAX_PHOTO (4u << 20)	/* decoded bytes of an embedded photo */
#define VCARD_FOLD 75			/* octets per physical output line */

/* Limits; a zero member means the default above. The default line limit
 * is big enough for the base64 text of a photo of max_photo bytes. */
struct vcard_parse_opts {
	size_t max_cards;	/* more cards: the whole parse fails, ERR_TOO_LARGE */
	size_t max_line;	/* longer unfolded line: that card is broken */
	size_t max_props;	/* more lines in a card: that card is broken */
	size_t max_photo;	/* bigger photo: dropped, the card is kept with
				 * a warning */
	const char *charset;	/* the input's declared charset (an import's
				 * ?charset=, a PUT's Content-Type), for every
				 * value without CHARSET; NULL: decided */
};

/* One card of a file, good or broken. Strings are in the caller's arena. */
struct vcard_parsed {
	struct card card;	/* e-mails and phones as found: the caller
				 * runs card_normalize; every string is
				 * valid UTF-8 and non-NULL */
	size_t index;		/* 0-based position of the card in the file */
	const char *error;	/* NULL for a good card; for a broken one why,
				 * and card holds what was read before */
	const char *warning;	/* NULL, or what was dropped from a good card */
	const char *version;	/* "2.1", "3.0", "4.0" as declared, or "" */
	const char *uid;	/* UID value, "" when absent */
	const char *rev;	/* REV value, "" when absent */
	const unsigned char *photo;	/* embedded photo bytes, or NULL */
	size_t photo_len;
	const char *photo_mime;	/* "image/jpeg", ... (sniffed, then from the
				 * parameters); NULL without a photo */
	const char *photo_uri;	/* PHOTO given by reference, or NULL */
};

struct vcard_result {
	struct vcard_parsed *cards;	/* in file order, broken ones included */
	size_t n_cards;
	size_t n_broken;
};

/* vcard_parse_ex: parse a vCard stream (one or many cards, versions 2.1,
 * 3.0 and 4.0, CRLF/LF/CR line ends, UTF-8 or UTF-16 with BOM) into *out.
 * Everything, out->cards included, is allocated in a; nothing to free but
 * the arena. opts may be NULL for the defaults.
 *
 * Text is converted to UTF-8: a CHARSET parameter (GB18030, GBK, BIG5,
 * SHIFT_JIS, ISO-8859-x, windows-125x, ...) through iconv, invalid bytes
 * becoming U+FFFD. Values without CHARSET that are valid UTF-8 are kept;
 * the others are decoded, for the whole card at once, from opts->charset
 * when given, else the charset another property of the card declares,
 * else the one vcard_charset_guess decides from all of them (with the
 * card's LANGUAGE as a hint).
 *
 * Mapping: FN, N, ORG (org;department, further units joined to the
 * department with ", "), TITLE, NOTE, EMAIL, TEL (tel: URIs unwrapped),
 * ADR (extended address, street and PO box joined with newlines into
 * street), URL, PHOTO, UID, REV. Item types: the best of the TYPE
 * parameters and an Apple X-ABLabel of the same group (cell > fax > pager
 * > work > home > other), else the label or unknown type itself
 * (lower-cased, cut at CARD_MAX_TYPE bytes), else "other". Properties the
 * model has no place for (and repeated FN, ORG, TITLE, NOTE) are kept in
 * card.extras as unfolded lines, with QUOTED-PRINTABLE and CHARSET decoded
 * away and 2.1 bare parameters rewritten as TYPE=. BEGIN, END, VERSION,
 * PRODID and PROFILE, a second N, UID or REV and PHOTOs after the first
 * are dropped.
 *
 * Returns ERR_OK when the input holds at least one BEGIN:VCARD (broken
 * cards are reported in place: missing or misplaced BEGIN/END, over-long
 * line, too many lines); ERR_BAD_REQUEST when it holds none;
 * ERR_TOO_LARGE when it holds more than max_cards (out is then empty). */
enum err vcard_parse_ex(const char *data, size_t len,
			const struct vcard_parse_opts *opts, struct arena *a,
			struct vcard_result *out);

/* vcard_charset_guess: the charset of the n bytes of legacy text s (not
 * UTF-8), as an iconv name: "WINDOWS-1252", "GB18030", "BIG5" or "CP932"
 * (Shift-JIS) by the structure of the bytes (accented letters inside
 * words, pairs of high bytes in each charset's frequent rows) with Debian's
 * libuchardet as one more vote and lang (a LANGUAGE tag such as "zh-TW",
 * or NULL) as a strong hint, checked to convert with iconv; uchardet's own
 * answer when it names another charset for a text long enough to tell;
 * "UTF-8" for pure ASCII; "ISO-8859-1" when nothing else converts. The
 * string is static (or thread-local): copy it before the next call. */
const char *vcard_charset_guess(const char *s, size_t n, const char *lang);

/* vcard_charset_known: 1 when name (at most 40 bytes) is a charset iconv
 * converts to UTF-8, so it can be an input's declared charset. */
int vcard_charset_known(const char *name);

/* vcard_parse: vcard_parse_ex with the default limits. */
enum err vcard_parse(const char *data, size_t len, struct arena *a,
		     struct vcard_result *out);

enum vcard_version {
	VCARD_V3 = 3,		/* RFC 2426 */
	VCARD_V4 = 4		/* RFC 6350 */
};

/* What a card's vCard carries beside the card itself. Every pointer may be
 * NULL. The photo is embedded only when there is no photo_uri. */
struct vcard_write_opts {
	enum vcard_version version;
	const char *uid;		/* stable UID */
	const char *rev;		/* REV timestamp, e.g. "20240101T120000Z" */
	const char *photo_uri;		/* URL of the image */
	const void *photo;		/* image bytes to embed ... */
	size_t photo_len;
	const char *photo_mime;		/* ... and their type, "image/jpeg" */
};

/* A growable output buffer in an arena, for writing many cards. */
struct vcard_buf {
	struct arena *a;
	char *data;		/* NUL-terminated; owned by a */
	size_t len, cap;
	size_t col;		/* octets on the current physical line */
};

/* vcard_buf_init: an empty buffer whose memory comes from a. */
void vcard_buf_init(struct vcard_buf *b, struct arena *a);

/* vcard_buf_clear: forget the contents but keep the space, so a caller can
 * stream a folder: append a card, send data[0..len), clear, repeat. */
void vcard_buf_clear(struct vcard_buf *b);

/* vcard_append: write one card as vCard (CRLF line ends, lines folded at
 * VCARD_FOLD octets without splitting a UTF-8 character) at the end of b.
 * o may be NULL (4.0, no UID, REV or photo). Extras are written back as
 * they are when they are valid content lines for the version. */
void vcard_append(struct vcard_buf *b, const struct card *c,
		  const struct vcard_write_opts *o);

/* vcard_write: one card as a NUL-terminated vCard string in a; *len (if
 * len is not NULL) gets its length. Freed with the arena. */
char *vcard_write(const struct card *c, const struct vcard_write_opts *o,
		  struct arena *a, size_t *len);

/* vcard_write_many: n cards into one string in a (for a folder export);
 * opts is NULL or an array of n options, one per card. *len as above. */
char *vcard_write_many(const struct card *cards,
		       const struct vcard_write_opts *opts, size_t n,
		       struct arena *a, size_t *len);

#endif
