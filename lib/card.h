/* card.h: the business card object of API.md, shared by own cards and saved cards. */
#ifndef LIVECARD_CARD_H
#define LIVECARD_CARD_H

#include <stddef.h>
#include <jansson.h>

#include "arena.h"
#include "err.h"

/* Limits (bytes of UTF-8) enforced by card_from_json. */
#define CARD_MAX_TEXT 200	/* names, organization, title, ... */
#define CARD_MAX_NOTE 4000
#define CARD_MAX_EMAIL 254
#define CARD_MAX_PHONE 40	/* as typed, before normalisation */
#define CARD_MAX_URL 2048
#define CARD_MAX_ITEMS 20	/* per list (emails, phones, addresses, urls) */
#define CARD_MAX_TYPE 20

/* One typed value: an e-mail, a phone or a URL. */
struct card_item {
	const char *type;	/* "work", "home", "cell", "fax", "other", ... */
	const char *value;	/* e-mail lower-cased; phone E.164 when it could be
				 * normalised, else as typed; URL as given */
};

struct card_address {
	const char *type;
	const char *street, *locality, *region, *postal_code, *country;
};

/* An unknown vCard property kept verbatim (name with group and params),
 * so that an import/export round trip does not drop it. */
struct card_extra {
	const char *line;	/* the unfolded content line, UTF-8 */
};

/* Every string is non-NULL ("" when empty) and owned by an arena. The
 * members are declared once more, as data, in card_texts and card_lists
 * below: a new member goes into both (t_card checks they agree). */
struct card {
	const char *full_name;
	const char *family, *given, *additional, *prefix, *suffix;
	const char *organization, *department, *title;
	const char *note;
	struct card_item *emails;
	size_t n_emails;
	struct card_item *phones;
	size_t n_phones;
	struct card_address *addresses;
	size_t n_addresses;
	struct card_item *urls;
	size_t n_urls;
	struct card_extra *extras;	/* not part of the JSON object */
	size_t n_extras;
};

/* Field names used for visibility, diffs and updates, in display order. */
enum card_field {
	CF_FULL_NAME,
	CF_NAME,
	CF_ORGANIZATION,
	CF_DEPARTMENT,
	CF_TITLE,
	CF_EMAILS,
	CF_PHONES,
	CF_ADDRESSES,
	CF_URLS,
	CF_NOTE,
	CF_FRONT_IMAGE,		/* images are not in the JSON object but are */
	CF_BACK_IMAGE,		/* fields for sharing, diffs and updates */
	CF__MAX
};

/* A string member of a struct by offset, with its JSON key and limit. */
struct card_str_member {
	const char *key;
	size_t off;
	size_t max;
};

/* The card's fields, declared once (lib/card.c): the JSON reader and
 * writer, normalisation, comparison and the fast reader of stored cards
 * (lib/dav.c) are built from these tables. To add a field: struct card,
 * enum card_field and card_field_name, then a row here (docs/architecture.md). */
struct card_text {
	enum card_field f;		/* the field it belongs to */
	struct card_str_member m;	/* key "full_name", or "name.family" for a part of name */
};
extern const struct card_text card_texts[];
extern const size_t card_n_texts;

/* The lists of a card: items (type, value) or addresses. */
struct card_list {
	enum card_field f;
	const char *key;		/* JSON key */
	size_t off, n_off;		/* offsetof the array and of its count */
	int addresses;			/* struct card_address, else struct card_item */
};
extern const struct card_list card_lists[];
extern const size_t card_n_lists;

/* The parts of an address, in struct card_address order. */
extern const struct card_str_member card_address_parts[];
extern const size_t card_n_address_parts;

/* card_field_name: the JSON key of a field ("full_name", "name", ...,
 * "front_image", "back_image"). */
const char *card_field_name(enum card_field f);

/* card_field_lookup: the field with that JSON key, or CF__MAX. */
enum card_field card_field_lookup(const char *name);

/* card_init: an empty card (all strings "", all lists empty). */
void card_init(struct card *c);

/* card_from_json: validate a JSON card object and fill *c (strings in a).
 * Checks types, unknown keys, UTF-8, lengths, e-mail syntax, URL scheme
 * (http/https), types of items; normalises e-mails (trim, lower-case) and
 * phones (E.164 with default_country, an ISO 3166 alpha-2 code such as "CN").
 * full_name is required. On failure returns ERR_BAD_REQUEST with ei->field
 * naming the offending field (e.g. "emails[1].value") and nothing in *c is
 * meaningful. */
enum err card_from_json(const json_t *obj, const char *default_country,
			struct card *c, struct arena *a, struct errinfo *ei);

/* card_load: a card from its JSON text as stored (cards.data,
 * card_revisions.data, folder_entries.data) into *c (strings in a), without
 * checking or normalising it again: it was when it was written (strict for
 * own cards, not strict for imported copies), so reading it back does not
 * pay for that twice. card_to_json's shape is read by a small reader of
 * its own, several times quicker than a general JSON parser; anything else
 * (an unknown key, a value of another type, \u0000) by jansson, with the
 * same result: keys that are not card fields are ignored, a missing one
 * reads as empty. Extras are not part of it. ERR_INTERNAL when text is
 * NULL or not a JSON object. */
enum err card_load(const char *text, struct arena *a, struct card *c);

/* card_load_fast: card_load's own reader alone: 1 and *c when text is a
 * card object in card_to_json's shape, 0 when it leaves the text to
 * jansson (t_cardtable checks that a card with every field takes this
 * path, so a field the reader forgets cannot hide behind the fallback). */
int card_load_fast(const char *text, struct arena *a, struct card *c);

/* card_load_extras: c's extras from their stored JSON text (an array of
 * strings; NULL: none), read as card_load reads the card; anything but
 * strings in it is skipped. */
enum err card_load_extras(const char *text, struct arena *a, struct card *c);

/* card_json_ascii: stored card text (or any JSON text json_dumps wrote
 * with JSON_COMPACT) as json_dumps(json_loads(text), JSON_COMPACT |
 * JSON_ENSURE_ASCII) writes it, byte for byte, without building it in
 * memory: non-ASCII characters become \uXXXX escapes (surrogate pairs
 * above U+FFFF), everything else is copied. NULL (in a) when the text is
 * not in the form jansson writes (white space, numbers, literals, other
 * escapes, invalid UTF-8): the caller then parses and dumps it. The text
 * must not repeat a key in an object (jansson never writes one). */
const char *card_json_ascii(const char *text, struct arena *a);

/* utf8_put: code point cp (at most 0x10FFFF) as UTF-8 at o (up to 4
 * bytes, no NUL); returns the bytes written. */
size_t utf8_put(char *o, unsigned cp);

/* card_normalize: validate and normalise a card built by other means (the
 * vCard parser, the database). Always: every string valid UTF-8 (else
 * ERR_BAD_REQUEST), e-mails trimmed and lower-cased, phones put in E.164
 * when they can be (default_country for national numbers), list types
 * lower-cased. strict (API input): over-long strings, bad e-mail syntax,
 * phones that cannot be put in E.164, non-http(s) URLs, unknown item
 * types, too many items and an empty full_name are errors.
 * Not strict (imports): over-long strings are cut at a UTF-8 boundary,
 * odd values are kept as given, and an empty full_name is derived from
 * the structured name, then the organization, then the first e-mail or
 * phone (an error only when all are empty). */
enum err card_normalize(struct card *c, const char *default_country, int strict,
			struct arena *a, struct errinfo *ei);

/* card_to_json: a new JSON object (caller json_decref's it) in API.md shape. */
json_t *card_to_json(const struct card *c);

/* A growing byte buffer for card_pack (malloc'ed data; free it). */
struct card_packbuf {
	unsigned char *data;
	size_t len, cap;
	int failed;		/* out of memory or a string over 4 GiB: data is
				 * incomplete */
};

/* card_pack: append c, extras included, to b in a compact form that only
 * card_unpack reads (strings as a u32 length and bytes, in the field
 * table's order, so a new text field is packed without a change here).
 * For handing cards between processes of one build, not for storage. */
void card_pack(struct card_packbuf *b, const struct card *c);

/* card_pack_str: append one string (n bytes of s) to b in the packed
 * form; s NULL with n 0 is the empty string. */
void card_pack_str(struct card_packbuf *b, const char *s, size_t n);

/* card_unpack: read one card packed by card_pack from *p (not beyond end)
 * into *c (strings in a) and advance *p; 0, or -1 when the bytes are not
 * such a card (short, or a length or count beyond what is there), in which
 * case *c is not meaningful. */
int card_unpack(const unsigned char **p, const unsigned char *end, struct arena *a, struct card *c);

/* card_unpack_str: one string of card_pack_str (or a NULL one, written as
 * the length 0xffffffff) into *s (in a, NUL-terminated) and its length
 * into *n (may be NULL); 0 or -1 as card_unpack. */
int card_unpack_str(const unsigned char **p, const unsigned char *end, struct arena *a,
		    const char **s, size_t *n);

/* card_field_to_json: one field's value as JSON (new reference); the image
 * fields are not represented here and give JSON null. */
json_t *card_field_to_json(const struct card *c, enum card_field f);

/* card_field_equal: whether a field has the same value in both cards (lists
 * element by element, type and value). The image fields compare equal here:
 * the card does not hold its images. */
int card_field_equal(const struct card *x, const struct card *y, enum card_field f);

/* card_copy_field: set field f of dst to the value in src (shallow: the
 * strings are shared, so both cards must live in arenas that outlive dst). */
void card_copy_field(struct card *dst, const struct card *src, enum card_field f);

/* card_hide_field: clear field f (used to drop fields not shared). */
void card_hide_field(struct card *c, enum card_field f);

/* card_keys: the normalised matching keys of a card, "e:<email>" for each
 * e-mail and "t:<E.164>" for each phone that is in E.164 form, without
 * duplicates; returns the count and sets *keys (array in a). */
size_t card_keys(const struct card *c, struct arena *a, const char ***keys);

/* card_search_text: one lower-cased string with names, organization,
 * e-mails, phones (E.164 and national digits) for folder search. */
char *card_search_text(const struct card *c, struct arena *a);

#endif
