/* cardface.h: a card's face (the card_show macro of templates/card_macros.cs) written in C for the public card page. */
#ifndef LIVECARD_CARDFACE_H
#define LIVECARD_CARDFACE_H

#include <ClearSilver.h>

#include "arena.h"
#include "card.h"
#include "err.h"

/* card_face_html: append to out what `<?cs call:card_show(Card) ?>`
 * renders (templates/card_macros.cs, escaping on) when Card is what
 * owncard_card_hdf(hdf, "Card", ...) sets for card c and phones_shown
 * (cards.phones_shown, or NULL) in locale's strings: the name, the
 * organisation line, the structured name, e-mails, phones (their display
 * form), addresses, web addresses (linked only when url_linkable) and the
 * note, with ClearSilver's escaping and truth of values. The public page
 * spent half its instructions building that data set and evaluating the
 * macro; tests/unit/t_cardface.c compares this with the macro. a holds
 * the phones' display forms worked out when phones_shown lacks one.
 * ERR_OK, or ERR_INTERNAL when memory runs out. */
enum err card_face_html(STRING *out, const struct card *c, const char *phones_shown, const char *locale,
			struct arena *a);

/* The faces of stored cards a process drew last, so that a card viewed again
 * unchanged is not parsed and drawn again (the public page: the card's parse
 * and its face were a quarter of the page's instructions). An entry is
 * found by the card's id, the locale and the visible fields' mask, and holds
 * only while the card's stored text and stored phone display forms are the
 * very bytes it was drawn from; the language strings are constants of the
 * process. At most Limits.CardFaceMemo entries (default 64; 0: none) of at
 * most 16 KiB each; the oldest is replaced. */

/* card_face_memo_get: the face drawn for card id with exactly stored and
 * phones_shown (either may be NULL: never found) in locale with visible,
 * and *full_name its shown name; NULL when not kept. The strings are the
 * memo's: valid until the next card_face_memo_put. */
const char *card_face_memo_get(long long id, const char *locale, unsigned visible, const char *stored,
			       const char *phones_shown, const char **full_name);

/* card_face_memo_put: keep face and full_name for card_face_memo_get with
 * the same key and bytes (nothing when the memo is off, an argument is NULL
 * or the entry would be over 16 KiB, or memory runs out). */
void card_face_memo_put(long long id, const char *locale, unsigned visible, const char *stored,
			const char *phones_shown, const char *face, const char *full_name);

#endif
