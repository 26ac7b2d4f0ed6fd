/* sms.h: how long a text is as a phone counts it (GSM-7 or UCS-2), and fitting a name into one message. */
#ifndef LIVECARD_SMS_H
#define LIVECARD_SMS_H

#include <stddef.h>

#include "arena.h"

#define SMS_GSM7_MAX 160	/* septets in one GSM-7 message */
#define SMS_UCS2_MAX 70		/* UTF-16 units in one UCS-2 message */

/* sms_units: the length of UTF-8 text as a phone counts it: GSM-7 septets
 * (the extension characters ^ { } \ [ ] ~ | and the euro sign count 2)
 * when every character is in the GSM 03.38 alphabet, else UTF-16 units
 * (characters beyond the BMP count 2) with *ucs2 set (may be NULL). */
size_t sms_units(const char *text, int *ucs2);

/* sms_fits: whether text is one message (160 GSM-7 or 70 UCS-2 units). */
int sms_fits(const char *text);

/* sms_fit_name: text with its first occurrence of name shortened (an
 * ellipsis after the cut, "..." in GSM-7, "…" in UCS-2) just enough that it
 * is one message; text itself when it fits, when name is not in it, or
 * when even a one-letter name would not make it fit (the rest of the text
 * is then too long by itself). In a. */
const char *sms_fit_name(struct arena *a, const char *text, const char *name);

#endif
