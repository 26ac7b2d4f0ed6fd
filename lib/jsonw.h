/* jsonw.h: JSON text written directly, byte for byte as jansson's json_dumps(JSON_COMPACT | JSON_ENSURE_ASCII) writes it. */
#ifndef LIVECARD_JSONW_H
#define LIVECARD_JSONW_H

#include <stddef.h>

/* jsonw_plain: 1 for the bytes a JSON string holds as they are (0x20-0x7F
 * but '"' and '\\'), 0 for the rest (NUL among them). */
extern const unsigned char jsonw_plain[256];

/* jsonw_utf8_get: the code point of the strict UTF-8 sequence at p
 * (before end) into *cp; its length, or 0 when it is not strict UTF-8
 * (overlong, a surrogate, above U+10FFFF, cut short) or p is ASCII. */
size_t jsonw_utf8_get(const unsigned char *p, const unsigned char *end, unsigned *cp);

/* jsonw_put_u: code point cp (>= 0x80) at o as jansson escapes it with
 * JSON_ENSURE_ASCII: "\uXXXX" in upper-case hex, a surrogate pair of two
 * above U+FFFF (at most 12 bytes); returns the end of what it wrote. */
char *jsonw_put_u(char *o, unsigned cp);

/* JSONW_STRING_MAX: the most bytes jsonw_string writes for a string of n
 * bytes (each byte as "\u00XX", and the two quotes). */
#define JSONW_STRING_MAX(n) (6 * (size_t)(n) + 2)

/* jsonw_string: s as a JSON string, quotes included, at o (room for
 * JSONW_STRING_MAX(strlen(s))), written as json_dumps writes a string with
 * JSON_ENSURE_ASCII: \" \\ \b \f \n \r \t, other characters below 0x20 as
 * \u00XX, non-ASCII as \uXXXX (surrogate pairs), "/" and DEL as they are.
 * Returns the end of what it wrote (not NUL-terminated), or NULL when s is
 * not strict UTF-8 (json_string would refuse it). */
char *jsonw_string(char *o, const char *s);

/* A JSON text written at o into a buffer its writer sized beforehand for
 * everything it writes (JSONW_STRING_MAX per string, 20 bytes per number);
 * bad is set once a string is not strict UTF-8 (that string is left out:
 * the writer then gives up on the text, as jansson would leave the member
 * out). jsonw_end NUL-terminates. */
struct jsonw {
	char *o;
	int bad;
};

/* JSONW_LIT: append a string literal (its length known when compiled). */
#define JSONW_LIT(w, lit) jsonw_raw((w), "" lit, sizeof(lit) - 1)

/* jsonw_raw: append n bytes of JSON text as they are. */
void jsonw_raw(struct jsonw *w, const char *s, size_t n);

/* jsonw_str: append s as a JSON string (jsonw_string); NULL as null. */
void jsonw_str(struct jsonw *w, const char *s);

/* jsonw_bool: append true or false. */
void jsonw_bool(struct jsonw *w, int b);

/* jsonw_int: append n as jansson writes an integer. */
void jsonw_int(struct jsonw *w, long long n);

/* jsonw_end: NUL-terminate; 0, or -1 when a string was not UTF-8. */
int jsonw_end(struct jsonw *w);

#endif
