/* owncard.h: a member's own card (module 101) as the other modules read it. */
#ifndef LIVECARD_OWNCARD_H
#define LIVECARD_OWNCARD_H

#include <ClearSilver.h>

#include "arena.h"
#include "card.h"
#include "db.h"
#include "err.h"

/* A member's card at its current revision. Strings in the arena. */
struct owncard {
	long long id;			/* cards.id */
	long long user_id;		/* the owner */
	long long revision;		/* 0: never saved */
	struct card card;		/* all fields, or only the shared ones */
	const char *front_image;	/* image hash or NULL */
	const char *back_image;
	const char *share_token;
	unsigned visible;		/* bit (1u << enum card_field) per shared field */
	const char *updated_at;		/* MariaDB DATETIME text */
	const char *phones_shown;	/* cards.phones_shown (owncard_phones_shown) or NULL */
	const char *stored;		/* as read: cards.data when the card was written
					 * by owncard_save or create since
					 * 020_card_phones_shown.sql (phones_shown set with
					 * it), so it is json_dumps(card_to_json(&card),
					 * JSON_COMPACT) byte for byte; else NULL. Set
					 * again by owncard_save; not kept up to date when
					 * card is changed in memory otherwise. */
	int unparsed;			/* a *_text_* reader left card empty (owncard_parse) */
};

/* owncard_by_user: the card of user_id (creating the empty revision-0 row
 * with a fresh share token when the member has none yet). */
enum err owncard_by_user(struct db *db, struct arena *a, long long user_id, struct owncard *out);

/* owncard_text_by_user: like owncard_by_user, for a reader that only
 * copies the card's JSON: when out->stored is set the card is not parsed
 * and out->card is empty (every other member is filled); when it is NULL
 * (a row from before 020_card_phones_shown.sql) out->card is parsed. */
enum err owncard_text_by_user(struct db *db, struct arena *a, long long user_id, struct owncard *out);

/* OWNCARD_COLUMNS: a card row's columns (the table aliased c), as another
 * module's statement reads them along with its own (auth.c: a route that
 * AUTH_USER_CARD). */
#define OWNCARD_COLUMNS \
	"c.id, c.user_id, c.revision, c.data, c.front_image, c.back_image, " \
	"c.share_token, c.visible_fields, c.updated_at, c.phones_shown"

/* owncard_text_from_row: what owncard_text_by_user gives, from the
 * OWNCARD_COLUMNS of row 0 of res starting at column col (read with the
 * user: http.h's user->own_card). ERR_NOT_FOUND when those cells are NULL
 * (the member has no card yet: owncard_text_by_user creates it). */
enum err owncard_text_from_row(const struct db_result *res, size_t col, struct arena *a,
			       struct owncard *out);

/* owncard_by_id: the card with cards.id = id; ERR_NOT_FOUND when absent. */
enum err owncard_by_id(struct db *db, struct arena *a, long long id, struct owncard *out);

/* owncard_by_token: the card whose public link token is token;
 * ERR_NOT_FOUND when no card has it (rotated or never existed). */
enum err owncard_by_token(struct db *db, struct arena *a, const char *token, struct owncard *out);

/* owncard_text_by_token: owncard_by_token for a reader that may not need the
 * card parsed: when out->stored is set out->card is empty (owncard_parse
 * fills it); else it is parsed. */
enum err owncard_text_by_token(struct db *db, struct arena *a, const char *token, struct owncard *out);

/* owncard_parse: parse out->stored into out->card when it was left
 * unparsed (the *_text_* readers); ERR_INTERNAL when the stored text is not
 * a card (logged). */
enum err owncard_parse(struct owncard *c, struct arena *a);

/* owncard_answer_tail: the members that follow "card" in the answer of
 * GET /api/v1/card and of the card's writes, as text beginning with
 * ",\"revision\":" and ending with the object's closing brace: revision,
 * updated_at (updated, the JSON time, or NULL for null), images (front and
 * back: null, or hash, url and thumb_url under base_url +
 * /api/v1/card/images), share (url, vcard_url, qr_url under base_url +
 * /c/TOKEN, visible_fields in enum order), and when changed is not NULL
 * changed_fields (what a write changed, in enum order). Byte for byte what
 * json_dumps(JSON_COMPACT | JSON_ENSURE_ASCII) writes for the object mycard
 * built with jansson (tests/unit/t_owncard.c compares them); NULL when a
 * text is not UTF-8. In a. */
const char *owncard_answer_tail(struct arena *a, const struct owncard *c, const char *base_url,
				const char *updated, const unsigned *changed);

/* owncard_shared_view: hide every field (text and images) the owner does not
 * share (c->visible), so the struct holds only what a saver or the public
 * page may see. */
void owncard_shared_view(struct owncard *c);

/* owncard_revision: the card as it was at revision rev (all fields). */
enum err owncard_revision(struct db *db, struct arena *a, long long card_id, long long rev,
			  struct owncard *out);

/* --- added by module 101 for its programs (mycard, share) and the updates
 * module --------------------------------------------------------------*/

/* OWNCARD_ALL_FIELDS: every field bit; OWNCARD_TOKEN_BYTES: random bytes of
 * a public link token (128 bits, 22 base64url characters). */
#define OWNCARD_ALL_FIELDS ((1u << CF__MAX) - 1u)
#define OWNCARD_TOKEN_BYTES 16

/* owncard_lock: like owncard_by_user, but the cards row is read with FOR
 * UPDATE, so the caller (inside its transaction, db_begin first) may write a
 * new revision with owncard_save. */
enum err owncard_lock(struct db *db, struct arena *a, long long user_id, struct owncard *out);

/* owncard_diff: the fields (bit per enum card_field, images included) whose
 * values differ between x and y. */
unsigned owncard_diff(const struct owncard *x, const struct owncard *y);

/* owncard_save: write c (card text and images as they are in *c) as the next
 * revision of the locked card c->id: cards.revision + 1, the whole card in
 * card_revisions with changed_fields = the fields of `changed`. On success
 * c->revision and c->updated_at are the new ones. Call inside the
 * transaction of owncard_lock; the caller commits. */
enum err owncard_save(struct db *db, struct arena *a, struct owncard *c, unsigned changed);

/* owncard_set_visible: store the shared fields (full_name is always added). */
enum err owncard_set_visible(struct db *db, long long card_id, unsigned visible);

/* owncard_rotate: give the card a new public link token (the old one answers
 * 404 from then on); *token gets it (in a). */
enum err owncard_rotate(struct db *db, struct arena *a, long long card_id, const char **token);

/* owncard_fields_text: a field mask as a comma list of card_field_name()s in
 * display order ("" for none), in a. */
const char *owncard_fields_text(unsigned fields, struct arena *a);

/* owncard_fields_parse: a comma list of field names to a mask; unknown names
 * are ignored. */
unsigned owncard_fields_parse(const char *list);

/* owncard_uid: the card's stable vCard UID ("urn:uuid:...", derived from the
 * site and cards.id, the same in every export and after link rotation). */
const char *owncard_uid(const struct owncard *c, struct arena *a);

/* owncard_rev: updated_at as a vCard REV timestamp ("20240101T120000Z"). */
const char *owncard_rev(const struct owncard *c, struct arena *a);

/* owncard_hdf: the card's text fields under prefix for the templates:
 * FullName, Name.{Family,Given,Additional,Prefix,Suffix}, Organization,
 * Department, Title, Note, Emails.N.{Type,Value}, Phones.N.{Type,Value,
 * Display} (Value in E.164 for tel: links, Display in the international
 * format with the country's grouping, "+86 138 0013 9999"),
 * Urls.N.{Type,Value}, Addresses.N.{Type,Street,Locality,Region,PostalCode,
 * Country}, and Has.<field> = 1 for each field that is not empty. */
void owncard_hdf(HDF *hdf, const char *prefix, const struct card *c);

/* owncard_card_hdf: owncard_hdf of c->card, each phone's Display taken
 * from c->phones_shown (stored when the card was written) where it holds
 * that phone's value, else worked out now (libphonenumber); the same
 * values either way, so the pages that show a member's own card need no
 * phone metadata for cards written since 020_card_phones_shown.sql. */
void owncard_card_hdf(HDF *hdf, const char *prefix, const struct owncard *c);

/* owncard_phones_shown: the phones of card as stored in cards.phones_shown:
 * one line per phone, "VALUE<TAB>DISPLAY" (phone_display of VALUE), in a. */
const char *owncard_phones_shown(const struct card *card, struct arena *a);

/* owncard_revisions: up to limit of card_id's revisions below before,
 * newest first: rows of (revision, changed_fields, created_at) in *res. */
enum err owncard_revisions(struct db *db, struct arena *a, long long card_id, long long before,
			   long long limit, struct db_result *res);

/* owncard_revision_fields: the fields revision of card_id changed (a comma
 * list for owncard_fields_parse; "" when the revision is not kept). */
enum err owncard_revision_fields(struct db *db, struct arena *a, long long card_id, long long revision,
				 const char **fields);

#endif
