/* phonenum.h: phone numbers parsed, validated and formatted by libphonenumber (C interface of lib/phonenum.cc). */
#ifndef LIVECARD_PHONENUM_H
#define LIVECARD_PHONENUM_H

#ifdef __cplusplus
extern "C" {
#endif

/* Room for any result: E.164 is at most 16 bytes, the international form
 * of a valid number (spaces, dashes) well under 40. */
#define PHONENUM_MAX 64

/* phonenum_e164: the valid phone number in in (digits with an optional
 * leading '+'; no other character) read in region (ISO 3166 alpha-2, any
 * case; NULL, "" or a region libphonenumber does not know: only numbers
 * written with their country code, after "+" or "00"), in E.164 ("+8613800138000") into out;
 * 1 when libphonenumber parses it and finds it valid for its country
 * (length and number ranges), else 0 and out is "". National and
 * international prefixes of the region ("0", "1", "8", "00", "011",
 * "0011", ...), the trunk prefix written after a country code and a
 * country code typed without '+' are libphonenumber's rules; "00" is read
 * as an international prefix where the region's rules make no valid
 * number ("0044 20 ..." written in the US). The first
 * call loads libphonenumber's metadata (about 4 MB; docs/architecture.md). */
int phonenum_e164(const char *in, const char *region, char out[PHONENUM_MAX]);

/* phonenum_international: the E.164 number e164 in the international
 * format with its country's grouping ("+86 138 0013 9999",
 * "+1 650-253-0000") into out; 1 on success, else 0 and out is a copy of
 * e164 (cut to fit) when it is not a number libphonenumber can read. */
int phonenum_international(const char *e164, char out[PHONENUM_MAX]);

/* phonenum_region: the country (ISO 3166 alpha-2, upper case) of the
 * valid E.164 number e164 ("+8613800138000" → "CN") into out; 1 on
 * success, else 0 and out is "" (not E.164, not valid, or a number of no
 * single country such as a +800 freephone). */
int phonenum_region(const char *e164, char out[3]);

#ifdef __cplusplus
}
#endif

#endif
