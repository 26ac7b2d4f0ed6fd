/* contact.h: validation and normalisation of UTF-8 text, e-mails, phones, URLs. */
#ifndef LIVECARD_CONTACT_H
#define LIVECARD_CONTACT_H

#include <stddef.h>

#include "arena.h"

#define URL_MAX 2048

/* utf8_valid: 1 when the n bytes at s are strict UTF-8 (no overlong forms,
 * no surrogates, nothing above U+10FFFF) holding no NUL and no C0 control
 * character other than tab, LF and CR; else 0. */
int utf8_valid(const char *s, size_t n);

/* utf8_cut: the largest length <= max of the NUL-terminated s that does not
 * end inside a multi-byte character (strlen(s) when that is <= max). */
size_t utf8_cut(const char *s, size_t max);

/* email_normalize: in trimmed of white space and lower-cased (ASCII), in a;
 * NULL when it is not a plausible address: one '@', a dot-atom local part
 * of 1..64 octets, a domain of two or more labels ([a-z0-9-] not starting or
 * ending with '-', or UTF-8 IDN labels), at most 254 octets in all. */
char *email_normalize(const char *in, struct arena *a);

/* phone_normalize: the number in E.164 ("+8613800138000"), in a, or NULL
 * when it is not a valid phone number by libphonenumber's rules
 * (lib/phonenum.h: the country's lengths and number ranges). Accepts an
 * optional "tel:", spaces, dashes, dots, slashes and parentheses, a leading
 * "+", and drops an extension ("ext. 12", "x12", "#12", ";ext=12",
 * "转 12"); any other character, or a second '+', gives NULL. National
 * numbers are read in default_country (ISO 3166 alpha-2, e.g. "CN", any
 * case) with its trunk and international prefixes ("0", "1" in NANP, "8"
 * in Russia, "011", "0011", ...); NULL or an unknown country: only numbers
 * with their country code ("+" or "00") are accepted. Equal numbers give
 * equal strings, so members are matched by phone on this form. */
char *phone_normalize(const char *in, const char *default_country, struct arena *a);

/* The message of the 400 invalid_phone when phone_normalize gives NULL. */
#define PHONE_INVALID_MESSAGE "not a valid phone number for its country (wrong length or no such number range)"

/* phone_display: value as people read it: an E.164 number in the
 * international format with its country's grouping ("+86 138 0013 9999",
 * "+1 650-253-0000"), in a; any other value (a number kept as it was
 * written, "") is returned as it is; NULL gives "". For pages, letters and
 * messages; tel: links keep the E.164 value. */
const char *phone_display(const char *value, struct arena *a);

/* phone_shown_add: shown (NULL: "") with one more line, "VALUE<TAB>DISPLAY"
 * where DISPLAY is phone_display(value), in a: the text a row stores
 * beside its phones (cards.phones_shown, folder_entries.tile_phone_shown)
 * so that the pages reading it need no libphonenumber. */
const char *phone_shown_add(const char *shown, const char *value, struct arena *a);

/* phone_shown_next: the DISPLAY of the line of shown at *pos when that
 * line is value's, copied into buf (size bytes); *pos moves to the next
 * line. NULL when there is no such line, it is another value's (the
 * phones changed since) or it does not fit: the caller then uses
 * phone_display. */
const char *phone_shown_next(const char *shown, size_t *pos, const char *value, char *buf, size_t size);

/* phone_national_digits: the national significant number of an E.164
 * number ("+8613800138000" gives "13800138000"), in a; NULL when e164 is
 * not in E.164 form. */
const char *phone_national_digits(const char *e164, struct arena *a);

/* url_valid: 1 when s is an absolute http:// or https:// URL with a host
 * (no user info; optional port), valid UTF-8 without spaces or control
 * characters, at most URL_MAX bytes; else 0. */
int url_valid(const char *s);

/* url_linkable: 1 when s may be the href of a link exactly as it stands:
 * an http(s) URL that url_valid accepts, or "mailto:" / "tel:" (any case)
 * followed by valid UTF-8 without spaces or control characters, at most
 * URL_MAX bytes. Any other scheme (javascript:, data:, vbscript:, file:,
 * ...), and any value with a leading blank or a tab, newline or other
 * control character anywhere (which browsers strip or skip before reading
 * the scheme: " JaVaScRiPt:", "java\tscript:"), gives 0: show it as text. */
int url_linkable(const char *s);

#endif
