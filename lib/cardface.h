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

#endif
