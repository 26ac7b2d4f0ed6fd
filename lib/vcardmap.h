/* vcardmap.h: the one mapping between a livecard card (a folder entry, a member's own card) and a vCard: tags <-> CATEGORIES, front image -> PHOTO, updated_at -> REV. */
#ifndef LIVECARD_VCARDMAP_H
#define LIVECARD_VCARDMAP_H

#include <stddef.h>

#include "arena.h"
#include "card.h"
#include "db.h"
#include "err.h"
#include "vcard.h"

/* The tag rules, for every way a vCard comes in (folder import, CardDAV
 * PUT), decided once:
 *  - every CATEGORIES line (grouped or not, any parameters) is taken out
 *    of the card's extras; its value is a comma-separated text list;
 *  - each item is unescaped: "\," "\;" "\\" give the character, "\n" (and
 *    "\N") a space (a tag is one line), any other "\x" gives x;
 *  - items are trimmed; empty ones are dropped;
 *  - an item over FOLDER_MAX_TAG bytes is cut to FOLDER_MAX_TAG bytes at a
 *    UTF-8 character boundary (and trimmed again) — the tag is kept, and
 *    so are the card's other tags;
 *  - repeated items (compared without case) are dropped;
 *  - the first FOLDER_MAX_TAGS distinct items are kept, the rest dropped.
 * So what comes in always gives tags that folder_tags_clean accepts; going
 * out, the tags are one CATEGORIES line with ',' ';' '\' escaped (and a line
 * break, which only the API can store, written as "\n"). */

/* vcardmap_take_tags: move the CATEGORIES lines of c's extras out (the
 * other extras keep their order) and return their tags by the rules above
 * in *tags (in a; *n may be 0). Never fails. */
void vcardmap_take_tags(struct card *c, struct arena *a, const char ***tags, size_t *n);

/* vcardmap_categories: tags[0..n) as one CATEGORIES line (no line end), in
 * a; NULL when n is 0. */
const char *vcardmap_categories(struct arena *a, const char *const *tags, size_t n);

/* vcardmap_tags_json: a JSON array of strings (as JSON_ARRAYAGG gives it;
 * NULL or not an array: none) as tags in a. */
void vcardmap_tags_json(struct arena *a, const char *json, const char ***tags, size_t *n);

/* vcardmap_rev: a MariaDB DATETIME text "YYYY-MM-DD HH:MM:SS" as a vCard
 * REV ("20240101T120000Z") in a; NULL when t is NULL or too short. */
const char *vcardmap_rev(struct arena *a, const char *t);

/* What the vCard of a card carries beside the card. */
struct vcardmap_card {
	const struct card *card;	/* extras written back as vcard_append says */
	enum vcard_version version;
	const char *uid;		/* UID, or NULL */
	const char *updated_at;		/* DATETIME text for REV, or NULL */
	const char *const *tags;	/* CATEGORIES, n_tags of them */
	size_t n_tags;
	const char *front;		/* hash of the image embedded as PHOTO, or NULL */
	int thumb;			/* embed its thumbnail rather than the image */
};

/* vcardmap_append: the vCard of m at the end of b (b's arena holds it).
 * The front image is read from db (a missing one is left out; db may be
 * NULL when m->front is NULL). Database errors as imagestore_get. */
enum err vcardmap_append(struct db *db, struct vcard_buf *b, const struct vcardmap_card *m);

/* vcardmap_write: the vCard of m as one NUL-terminated string in a (*len
 * its length), as vcardmap_append. */
enum err vcardmap_write(struct db *db, struct arena *a, const struct vcardmap_card *m,
			char **text, size_t *len);

#endif
