/* card.c: the card object: JSON in and out, validation, comparison, keys. */
#include "card.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "contact.h"
#include "jsonw.h"

static const char *const card_field_names[CF__MAX] = {
	[CF_FULL_NAME] = "full_name",
	[CF_NAME] = "name",
	[CF_ORGANIZATION] = "organization",
	[CF_DEPARTMENT] = "department",
	[CF_TITLE] = "title",
	[CF_EMAILS] = "emails",
	[CF_PHONES] = "phones",
	[CF_ADDRESSES] = "addresses",
	[CF_URLS] = "urls",
	[CF_NOTE] = "note",
	[CF_FRONT_IMAGE] = "front_image",
	[CF_BACK_IMAGE] = "back_image",
};

/* The card's members, declared once (card.h): every reader and writer of
 * the card object (JSON in and out here, the fast reader of lib/dav.c,
 * normalisation, comparison) goes through these tables. */
const struct card_text card_texts[] = {
	{CF_FULL_NAME, {"full_name", offsetof(struct card, full_name), CARD_MAX_TEXT}},
	{CF_NAME, {"name.family", offsetof(struct card, family), CARD_MAX_TEXT}},
	{CF_NAME, {"name.given", offsetof(struct card, given), CARD_MAX_TEXT}},
	{CF_NAME, {"name.additional", offsetof(struct card, additional), CARD_MAX_TEXT}},
	{CF_NAME, {"name.prefix", offsetof(struct card, prefix), CARD_MAX_TEXT}},
	{CF_NAME, {"name.suffix", offsetof(struct card, suffix), CARD_MAX_TEXT}},
	{CF_ORGANIZATION, {"organization", offsetof(struct card, organization), CARD_MAX_TEXT}},
	{CF_DEPARTMENT, {"department", offsetof(struct card, department), CARD_MAX_TEXT}},
	{CF_TITLE, {"title", offsetof(struct card, title), CARD_MAX_TEXT}},
	{CF_NOTE, {"note", offsetof(struct card, note), CARD_MAX_NOTE}},
};

const size_t card_n_texts = sizeof(card_texts) / sizeof(card_texts[0]);
#define N_TEXTS card_n_texts

const struct card_list card_lists[] = {
	{CF_EMAILS, "emails", offsetof(struct card, emails), offsetof(struct card, n_emails), 0},
	{CF_PHONES, "phones", offsetof(struct card, phones), offsetof(struct card, n_phones), 0},
	{CF_ADDRESSES, "addresses", offsetof(struct card, addresses), offsetof(struct card, n_addresses), 1},
	{CF_URLS, "urls", offsetof(struct card, urls), offsetof(struct card, n_urls), 0},
};
const size_t card_n_lists = sizeof(card_lists) / sizeof(card_lists[0]);

const struct card_str_member card_address_parts[] = {
	{"type", offsetof(struct card_address, type), CARD_MAX_TYPE},
	{"street", offsetof(struct card_address, street), CARD_MAX_TEXT},
	{"locality", offsetof(struct card_address, locality), CARD_MAX_TEXT},
	{"region", offsetof(struct card_address, region), CARD_MAX_TEXT},
	{"postal_code", offsetof(struct card_address, postal_code), CARD_MAX_TEXT},
	{"country", offsetof(struct card_address, country), CARD_MAX_TEXT},
};

const size_t card_n_address_parts = sizeof(card_address_parts) / sizeof(card_address_parts[0]);
#define N_ADDRESS_PARTS card_n_address_parts
#define address_parts card_address_parts

static const char *const item_types[] = {
	"work", "home", "cell", "fax", "pager", "voice", "main", "other", "pref", NULL
};
static const char *const address_types[] = {"work", "home", "other", NULL};

/* The three lists of typed values and how their values are checked. */
enum item_kind { ITEM_EMAIL, ITEM_PHONE, ITEM_URL };

static const struct {
	const char *list;
	size_t max;
	const char *bad;	/* error code for a value that does not pass */
} item_kinds[] = {
	[ITEM_EMAIL] = {"emails", CARD_MAX_EMAIL, "invalid_email"},
	[ITEM_PHONE] = {"phones", CARD_MAX_PHONE, "invalid_phone"},
	[ITEM_URL] = {"urls", CARD_MAX_URL, "invalid_url"},
};

static const struct {
	const char *code, *message;
} card_messages[] = {
	{"required", "this field is required"},
	{"invalid_type", "this field has the wrong JSON type"},
	{"unknown_field", "unknown field"},
	{"invalid_utf8", "text must be UTF-8 without control characters"},
	{"too_long", "this field is too long"},
	{"too_many", "this list has too many items"},
	{"invalid_email", "not a valid e-mail address"},
	{"invalid_phone", PHONE_INVALID_MESSAGE},
	{"invalid_url", "not a valid http or https URL"},
	{"invalid_type_value", "unknown type"},
};

static enum err card_fail(struct errinfo *ei, const char *code, const char *field)
{
	const char *message = code;
	size_t i;

	for (i = 0; i < sizeof(card_messages) / sizeof(card_messages[0]); i++) {
		if (strcmp(card_messages[i].code, code) == 0)
			message = card_messages[i].message;
	}
	return errinfo_set(ei, ERR_BAD_REQUEST, code, field, message);
}

/* "emails[1].value" (or "emails[1]" when sub is NULL), in a. */
static const char *field_at(struct arena *a, const char *list, size_t i, const char *sub)
{
	if (sub == NULL)
		return arena_printf(a, "%s[%zu]", list, i);
	return arena_printf(a, "%s[%zu].%s", list, i, sub);
}

static const char *str_get(const void *base, size_t off)
{
	const char *s = *(const char *const *)((const char *)base + off);
	return s ? s : "";
}

static const char **str_ref(void *base, size_t off)
{
	return (const char **)((char *)base + off);
}

static int char_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int str_blank(const char *s)
{
	for (; s && *s; s++) {
		if (!char_blank(*s))
			return 0;
	}
	return 1;
}

static void str_lower(char *s)
{
	for (; *s; s++) {
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
	}
}

/* The non-empty parts joined by sep, in a. */
static char *str_join(struct arena *a, const char *const *parts, size_t n, const char *sep)
{
	size_t i, len = 0, k = strlen(sep);
	char *s, *p;

	for (i = 0; i < n; i++) {
		if (parts[i] && *parts[i])
			len += strlen(parts[i]) + k;
	}
	p = s = arena_alloc(a, len + 1);
	for (i = 0; i < n; i++) {
		if (parts[i] == NULL || *parts[i] == '\0')
			continue;
		if (p != s) {
			memcpy(p, sep, k);
			p += k;
		}
		memcpy(p, parts[i], strlen(parts[i]));
		p += strlen(parts[i]);
	}
	*p = '\0';
	return s;
}

const char *card_field_name(enum card_field f)
{
	return (f >= 0 && f < CF__MAX) ? card_field_names[f] : NULL;
}

enum card_field card_field_lookup(const char *name)
{
	int f;

	for (f = 0; f < CF__MAX && name; f++) {
		if (strcmp(card_field_names[f], name) == 0)
			return (enum card_field)f;
	}
	return CF__MAX;
}

void card_init(struct card *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < N_TEXTS; i++)
		*str_ref(c, card_texts[i].m.off) = "";
}

/* ---- JSON in ---- */

/* A JSON string copied into *out; NULL, or the error code. */
static const char *json_text(const json_t *v, const char **out, struct arena *a)
{
	if (!json_is_string(v))
		return "invalid_type";
	/* json_string_length counts a "\u0000" that strlen would stop at */
	if (!utf8_valid(json_string_value(v), json_string_length(v)))
		return "invalid_utf8";
	*out = arena_strndup(a, json_string_value(v), json_string_length(v));
	return NULL;
}

/* The members of obj into the string members of base listed in m[];
 * prefix names the object in errors ("name", "emails[1]"). */
static enum err json_members(const json_t *obj, const char *prefix, void *base,
			     const struct card_str_member *m, size_t n_m, struct arena *a,
			     struct errinfo *ei)
{
	json_t *o = (json_t *)obj;	/* jansson's iterators take non-const */
	const char *key, *code;
	json_t *v;
	size_t i;

	if (!json_is_object(obj))
		return card_fail(ei, "invalid_type", prefix);
	json_object_foreach(o, key, v) {
		for (i = 0; i < n_m && strcmp(m[i].key, key) != 0; i++)
			;
		if (i == n_m)
			return card_fail(ei, "unknown_field", arena_printf(a, "%s.%s", prefix, key));
		if ((code = json_text(v, str_ref(base, m[i].off), a)) != NULL)
			return card_fail(ei, code, arena_printf(a, "%s.%s", prefix, key));
	}
	return ERR_OK;
}

static enum err json_name(const json_t *v, struct card *c, struct arena *a,
			  struct errinfo *ei)
{
	struct card_str_member m[5];
	size_t i, n = 0;

	for (i = 0; i < N_TEXTS; i++) {
		if (card_texts[i].f == CF_NAME) {
			m[n] = card_texts[i].m;
			m[n++].key += strlen("name.");
		}
	}
	return json_members(v, "name", c, m, n, a, ei);
}

static enum err json_items(const json_t *v, const char *list, struct card_item **items,
			   size_t *n, struct arena *a, struct errinfo *ei)
{
	static const struct card_str_member m[] = {
		{"type", offsetof(struct card_item, type), CARD_MAX_TYPE},
		{"value", offsetof(struct card_item, value), 0},	/* max: see item_kinds */
	};
	const json_t *e;
	size_t i;
	enum err err;

	if (!json_is_array(v))
		return card_fail(ei, "invalid_type", list);
	if (json_array_size(v) > CARD_MAX_ITEMS)
		return card_fail(ei, "too_many", list);
	*n = json_array_size(v);
	*items = arena_alloc(a, *n * sizeof(**items));
	json_array_foreach(v, i, e) {
		struct card_item *it = &(*items)[i];
		err = json_members(e, field_at(a, list, i, NULL), it, m, 2, a, ei);
		if (err)
			return err;
		if (it->value == NULL)
			return card_fail(ei, "required", field_at(a, list, i, "value"));
		if (it->type == NULL)
			it->type = "";
	}
	return ERR_OK;
}

static enum err json_addresses(const json_t *v, struct card *c, struct arena *a,
			       struct errinfo *ei)
{
	const json_t *e;
	size_t i, k;
	enum err err;

	if (!json_is_array(v))
		return card_fail(ei, "invalid_type", "addresses");
	if (json_array_size(v) > CARD_MAX_ITEMS)
		return card_fail(ei, "too_many", "addresses");
	c->n_addresses = json_array_size(v);
	c->addresses = arena_alloc(a, c->n_addresses * sizeof(*c->addresses));
	json_array_foreach(v, i, e) {
		struct card_address *ad = &c->addresses[i];
		err = json_members(e, field_at(a, "addresses", i, NULL), ad, address_parts,
				   N_ADDRESS_PARTS, a, ei);
		if (err)
			return err;
		for (k = 0; k < N_ADDRESS_PARTS; k++) {
			if (*str_ref(ad, address_parts[k].off) == NULL)
				*str_ref(ad, address_parts[k].off) = "";
		}
	}
	return ERR_OK;
}

enum err card_from_json(const json_t *obj, const char *default_country,
			struct card *c, struct arena *a, struct errinfo *ei)
{
	json_t *o = (json_t *)obj;	/* jansson's iterators take non-const */
	const char *key, *code;
	json_t *v;
	size_t i;
	enum err err = ERR_OK;

	card_init(c);
	if (!json_is_object(obj))
		return card_fail(ei, "invalid_type", NULL);
	json_object_foreach(o, key, v) {
		enum card_field f = card_field_lookup(key);
		switch (f) {
		case CF_NAME:
			err = json_name(v, c, a, ei);
			break;
		case CF_EMAILS:
			err = json_items(v, card_field_name(f), &c->emails, &c->n_emails, a, ei);
			break;
		case CF_PHONES:
			err = json_items(v, card_field_name(f), &c->phones, &c->n_phones, a, ei);
			break;
		case CF_URLS:
			err = json_items(v, card_field_name(f), &c->urls, &c->n_urls, a, ei);
			break;
		case CF_ADDRESSES:
			err = json_addresses(v, c, a, ei);
			break;
		default:
			for (i = 0; i < N_TEXTS && strcmp(card_texts[i].m.key, key) != 0; i++)
				;
			/* error fields must outlive obj: static or in a */
			if (i == N_TEXTS)
				return card_fail(ei, "unknown_field", arena_strdup(a, key));
			code = json_text(v, str_ref(c, card_texts[i].m.off), a);
			if (code)
				return card_fail(ei, code, card_texts[i].m.key);
		}
		if (err)
			return err;
	}
	if (json_object_get(obj, "full_name") == NULL)
		return card_fail(ei, "required", "full_name");
	return card_normalize(c, default_country, 1, a, ei);
}

/* ---- validation and normalisation ---- */

/* Check one string (NULL becomes ""); cut it when over max and not strict.
 * NULL, or the error code. */
static const char *text_norm(const char **s, size_t max, int strict, struct arena *a)
{
	size_t n;

	if (*s == NULL)
		*s = "";
	n = strlen(*s);
	if (!utf8_valid(*s, n))
		return "invalid_utf8";
	if (n > max) {
		if (strict)
			return "too_long";
		*s = arena_strndup(a, *s, utf8_cut(*s, max));
	}
	return NULL;
}

/* An item or address type, lower-cased, "mobile" read as "cell". */
static const char *type_norm(const char **t, const char *const *allowed, int strict,
			     struct arena *a)
{
	const char *s = *t ? *t : "";
	size_t n = strlen(s), i;
	char *low;

	if (!utf8_valid(s, n))
		return "invalid_utf8";
	if (n > CARD_MAX_TYPE) {
		if (strict)
			return "invalid_type_value";
		n = utf8_cut(s, CARD_MAX_TYPE);
	}
	low = arena_strndup(a, s, n);
	str_lower(low);
	*t = strcmp(low, "mobile") == 0 ? "cell" : low;
	if (!strict || **t == '\0')
		return NULL;
	for (i = 0; allowed[i]; i++) {
		if (strcmp(allowed[i], *t) == 0)
			return NULL;
	}
	return "invalid_type_value";
}

static const char *value_norm(const char **v, enum item_kind kind, const char *cc,
			      int strict, struct arena *a)
{
	const char *s = *v ? *v : "", *norm = NULL;
	size_t n = strlen(s), max = item_kinds[kind].max;

	if (!utf8_valid(s, n))
		return "invalid_utf8";
	if (strict && n > max)
		return "too_long";
	switch (kind) {
	case ITEM_EMAIL:
		norm = email_normalize(s, a);
		break;
	case ITEM_PHONE:
		norm = phone_normalize(s, cc, a);
		break;
	case ITEM_URL:
		norm = url_valid(s) ? s : NULL;
		break;
	}
	if (norm == NULL) {
		if (strict)
			return item_kinds[kind].bad;
		norm = s;
		if (kind == ITEM_EMAIL) {
			/* odd addresses are kept, but trimmed and lower-cased */
			size_t b = 0, e = n;
			char *t;
			while (b < e && char_blank(s[b]))
				b++;
			while (e > b && char_blank(s[e - 1]))
				e--;
			t = arena_strndup(a, s + b, e - b);
			str_lower(t);
			norm = t;
		}
	}
	if (strlen(norm) > max)
		norm = arena_strndup(a, norm, utf8_cut(norm, max));
	*v = norm;
	return NULL;
}

/* Normalise one list into a fresh array: the old one may be shared with
 * another card through card_copy_field. */
static enum err items_norm(struct card_item **items, size_t *n, enum item_kind kind,
			   const char *cc, int strict, struct arena *a, struct errinfo *ei)
{
	const char *list = item_kinds[kind].list, *code;
	struct card_item *out;
	size_t i;

	if (*n > CARD_MAX_ITEMS) {
		if (strict)
			return card_fail(ei, "too_many", list);
		*n = CARD_MAX_ITEMS;
	}
	out = arena_alloc(a, *n * sizeof(*out));
	for (i = 0; i < *n; i++) {
		out[i] = (*items)[i];
		if ((code = type_norm(&out[i].type, item_types, strict, a)) != NULL)
			return card_fail(ei, code, field_at(a, list, i, "type"));
		if ((code = value_norm(&out[i].value, kind, cc, strict, a)) != NULL)
			return card_fail(ei, code, field_at(a, list, i, "value"));
	}
	*items = out;
	return ERR_OK;
}

static enum err addresses_norm(struct card *c, int strict, struct arena *a,
			       struct errinfo *ei)
{
	struct card_address *out;
	const char *code;
	size_t i, k;

	if (c->n_addresses > CARD_MAX_ITEMS) {
		if (strict)
			return card_fail(ei, "too_many", "addresses");
		c->n_addresses = CARD_MAX_ITEMS;
	}
	out = arena_alloc(a, c->n_addresses * sizeof(*out));
	for (i = 0; i < c->n_addresses; i++) {
		out[i] = c->addresses[i];
		if ((code = type_norm(&out[i].type, address_types, strict, a)) != NULL)
			return card_fail(ei, code, field_at(a, "addresses", i, "type"));
		for (k = 1; k < N_ADDRESS_PARTS; k++) {
			code = text_norm(str_ref(&out[i], address_parts[k].off),
					 address_parts[k].max, strict, a);
			if (code)
				return card_fail(ei, code,
						 field_at(a, "addresses", i, address_parts[k].key));
		}
	}
	c->addresses = out;
	return ERR_OK;
}

/* Whether a name is written family name first without spaces (Chinese,
 * Japanese, Korean): its first character is in U+3000..U+DFFF. */
static int name_is_cjk(const char *s)
{
	unsigned char c = (unsigned char)s[0];
	return c >= 0xe3 && c <= 0xed;
}

/* A full name for an imported card that has none. */
static const char *card_derive_name(const struct card *c, struct arena *a)
{
	const char *parts[5] = {c->prefix, c->given, c->additional, c->family, c->suffix};
	const char *s;

	if (name_is_cjk(c->family)) {
		parts[0] = c->family;
		parts[1] = c->given;
		s = str_join(a, parts, 2, "");
	} else {
		s = str_join(a, parts, 5, " ");
	}
	if (str_blank(s))
		s = c->organization;
	if (str_blank(s) && c->n_emails)
		s = c->emails[0].value;
	if (str_blank(s) && c->n_phones)
		s = c->phones[0].value;
	if (strlen(s) > CARD_MAX_TEXT)
		s = arena_strndup(a, s, utf8_cut(s, CARD_MAX_TEXT));
	return s;
}

enum err card_normalize(struct card *c, const char *default_country, int strict,
			struct arena *a, struct errinfo *ei)
{
	const char *code;
	size_t i;
	enum err err;

	for (i = 0; i < N_TEXTS; i++) {
		code = text_norm(str_ref(c, card_texts[i].m.off), card_texts[i].m.max, strict, a);
		if (code)
			return card_fail(ei, code, card_texts[i].m.key);
	}
	if ((err = items_norm(&c->emails, &c->n_emails, ITEM_EMAIL, default_country, strict, a, ei)) ||
	    (err = items_norm(&c->phones, &c->n_phones, ITEM_PHONE, default_country, strict, a, ei)) ||
	    (err = items_norm(&c->urls, &c->n_urls, ITEM_URL, default_country, strict, a, ei)) ||
	    (err = addresses_norm(c, strict, a, ei)))
		return err;
	for (i = 0; i < c->n_extras; i++) {
		if (c->extras[i].line == NULL)
			c->extras[i].line = "";
		if (!utf8_valid(c->extras[i].line, strlen(c->extras[i].line)))
			return card_fail(ei, "invalid_utf8", field_at(a, "extras", i, NULL));
	}
	if (str_blank(c->full_name) && !strict)
		c->full_name = card_derive_name(c, a);
	if (str_blank(c->full_name))
		return card_fail(ei, "required", "full_name");
	return ERR_OK;
}

/* ---- JSON out ---- */

/* A JSON string; "" in the unexpected case of text that is not UTF-8. */
static json_t *json_str(const char *s)
{
	json_t *j = json_string(s ? s : "");
	return j ? j : json_string("");
}

static json_t *json_object_of(const void *base, const struct card_str_member *m, size_t n,
			      size_t skip)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < n; i++)
		json_object_set_new(o, m[i].key + skip, json_str(str_get(base, m[i].off)));
	return o;
}

static json_t *json_of_items(const struct card_item *items, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "type", json_str(items[i].type));
		json_object_set_new(o, "value", json_str(items[i].value));
		json_array_append_new(arr, o);
	}
	return arr;
}

json_t *card_field_to_json(const struct card *c, enum card_field f)
{
	struct card_str_member m[5];
	json_t *arr;
	size_t i, n = 0;

	switch (f) {
	case CF_NAME:
		for (i = 0; i < N_TEXTS; i++) {
			if (card_texts[i].f == CF_NAME)
				m[n++] = card_texts[i].m;
		}
		return json_object_of(c, m, n, strlen("name."));
	case CF_EMAILS:
		return json_of_items(c->emails, c->n_emails);
	case CF_PHONES:
		return json_of_items(c->phones, c->n_phones);
	case CF_URLS:
		return json_of_items(c->urls, c->n_urls);
	case CF_ADDRESSES:
		arr = json_array();
		for (i = 0; i < c->n_addresses; i++)
			json_array_append_new(arr, json_object_of(&c->addresses[i], address_parts,
								  N_ADDRESS_PARTS, 0));
		return arr;
	default:
		for (i = 0; i < N_TEXTS; i++) {
			if (card_texts[i].f == f)
				return json_str(str_get(c, card_texts[i].m.off));
		}
		return json_null();
	}
}

json_t *card_to_json(const struct card *c)
{
	json_t *o = json_object();
	int f;

	for (f = 0; f < CF__MAX; f++) {
		if (f != CF_FRONT_IMAGE && f != CF_BACK_IMAGE)
			json_object_set_new(o, card_field_names[f],
					    card_field_to_json(c, (enum card_field)f));
	}
	return o;
}

/* ---- packed form (between processes) ---- */

/* A packed card: every string as a u32 length and its bytes, in the order
 * of card_texts; then each list as a u32 count and its members (emails,
 * phones, urls: type, value; addresses: address_parts; extras: line). */

void card_pack_str(struct card_packbuf *b, const char *s, size_t n)
{
	uint32_t l = (uint32_t)n;

	if (b->failed)
		return;
	if (n > UINT32_MAX - 1 || b->len + 4 + n < b->len) {
		b->failed = 1;
		return;
	}
	if (b->cap - b->len < 4 + n) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap - b->len < 4 + n)
			cap *= 2;
		unsigned char *nd = realloc(b->data, cap);
		if (nd == NULL) {
			b->failed = 1;
			return;
		}
		b->data = nd;
		b->cap = cap;
	}
	memcpy(b->data + b->len, &l, 4);
	if (n)
		memcpy(b->data + b->len + 4, s, n);
	b->len += 4 + n;
}

static void pack_text(struct card_packbuf *b, const char *s)
{
	card_pack_str(b, s ? s : "", s ? strlen(s) : 0);
}

static void pack_count(struct card_packbuf *b, size_t n)
{
	uint32_t l = (uint32_t)n;
	card_pack_str(b, NULL, 0);	/* room for the count, then overwrite */
	if (!b->failed)
		memcpy(b->data + b->len - 4, &l, 4);
}

static void pack_items(struct card_packbuf *b, const struct card_item *it, size_t n)
{
	pack_count(b, n);
	for (size_t i = 0; i < n; i++) {
		pack_text(b, it[i].type);
		pack_text(b, it[i].value);
	}
}

void card_pack(struct card_packbuf *b, const struct card *c)
{
	size_t i, k;

	for (i = 0; i < N_TEXTS; i++)
		pack_text(b, str_get(c, card_texts[i].m.off));
	pack_items(b, c->emails, c->n_emails);
	pack_items(b, c->phones, c->n_phones);
	pack_items(b, c->urls, c->n_urls);
	pack_count(b, c->n_addresses);
	for (i = 0; i < c->n_addresses; i++)
		for (k = 0; k < N_ADDRESS_PARTS; k++)
			pack_text(b, str_get(&c->addresses[i], address_parts[k].off));
	pack_count(b, c->n_extras);
	for (i = 0; i < c->n_extras; i++)
		pack_text(b, c->extras[i].line);
}

int card_unpack_str(const unsigned char **p, const unsigned char *end, struct arena *a,
		    const char **s, size_t *n)
{
	uint32_t l;

	if (end - *p < 4)
		return -1;
	memcpy(&l, *p, 4);
	*p += 4;
	if (l == UINT32_MAX) {	/* NULL */
		*s = NULL;
		if (n)
			*n = 0;
		return 0;
	}
	if ((size_t)(end - *p) < l)
		return -1;
	*s = arena_memdup(a, *p, l);
	if (n)
		*n = l;
	*p += l;
	return 0;
}

static int unpack_count(const unsigned char **p, const unsigned char *end, size_t *n)
{
	uint32_t l;

	if (end - *p < 4)
		return -1;
	memcpy(&l, *p, 4);
	*p += 4;
	/* each member takes at least 4 bytes: a count beyond what is left
	 * is a lie */
	if (l > (size_t)(end - *p) / 4)
		return -1;
	*n = l;
	return 0;
}

static int unpack_items(const unsigned char **p, const unsigned char *end, struct arena *a,
			struct card_item **it, size_t *n)
{
	if (unpack_count(p, end, n) != 0)
		return -1;
	*it = arena_alloc(a, (*n + 1) * sizeof(**it));
	for (size_t i = 0; i < *n; i++)
		if (card_unpack_str(p, end, a, &(*it)[i].type, NULL) != 0 || (*it)[i].type == NULL ||
		    card_unpack_str(p, end, a, &(*it)[i].value, NULL) != 0 || (*it)[i].value == NULL)
			return -1;
	return 0;
}

int card_unpack(const unsigned char **p, const unsigned char *end, struct arena *a, struct card *c)
{
	size_t i, k;

	card_init(c);
	for (i = 0; i < N_TEXTS; i++)
		if (card_unpack_str(p, end, a, str_ref(c, card_texts[i].m.off), NULL) != 0 ||
		    *str_ref(c, card_texts[i].m.off) == NULL)
			return -1;
	if (unpack_items(p, end, a, &c->emails, &c->n_emails) != 0 ||
	    unpack_items(p, end, a, &c->phones, &c->n_phones) != 0 ||
	    unpack_items(p, end, a, &c->urls, &c->n_urls) != 0 ||
	    unpack_count(p, end, &c->n_addresses) != 0)
		return -1;
	c->addresses = arena_alloc(a, (c->n_addresses + 1) * sizeof(*c->addresses));
	for (i = 0; i < c->n_addresses; i++)
		for (k = 0; k < N_ADDRESS_PARTS; k++)
			if (card_unpack_str(p, end, a, str_ref(&c->addresses[i], address_parts[k].off), NULL) != 0 ||
			    *str_ref(&c->addresses[i], address_parts[k].off) == NULL)
				return -1;
	if (unpack_count(p, end, &c->n_extras) != 0)
		return -1;
	c->extras = arena_alloc(a, (c->n_extras + 1) * sizeof(*c->extras));
	for (i = 0; i < c->n_extras; i++)
		if (card_unpack_str(p, end, a, &c->extras[i].line, NULL) != 0 || c->extras[i].line == NULL)
			return -1;
	return 0;
}

/* ---- fields: compare, copy, hide ---- */

static int str_eq(const char *x, const char *y)
{
	return strcmp(x ? x : "", y ? y : "") == 0;
}

static int items_equal(const struct card_item *x, size_t nx, const struct card_item *y,
		       size_t ny)
{
	size_t i;

	if (nx != ny)
		return 0;
	for (i = 0; i < nx; i++) {
		if (!str_eq(x[i].type, y[i].type) || !str_eq(x[i].value, y[i].value))
			return 0;
	}
	return 1;
}

int card_field_equal(const struct card *x, const struct card *y, enum card_field f)
{
	size_t i, k;

	switch (f) {
	case CF_EMAILS:
		return items_equal(x->emails, x->n_emails, y->emails, y->n_emails);
	case CF_PHONES:
		return items_equal(x->phones, x->n_phones, y->phones, y->n_phones);
	case CF_URLS:
		return items_equal(x->urls, x->n_urls, y->urls, y->n_urls);
	case CF_ADDRESSES:
		if (x->n_addresses != y->n_addresses)
			return 0;
		for (i = 0; i < x->n_addresses; i++) {
			for (k = 0; k < N_ADDRESS_PARTS; k++) {
				size_t off = address_parts[k].off;
				if (!str_eq(str_get(&x->addresses[i], off), str_get(&y->addresses[i], off)))
					return 0;
			}
		}
		return 1;
	case CF_FRONT_IMAGE:
	case CF_BACK_IMAGE:
		/* the card does not hold its images: callers compare those */
		return 1;
	default:
		for (i = 0; i < N_TEXTS; i++) {
			size_t off = card_texts[i].m.off;
			if (card_texts[i].f == f && !str_eq(str_get(x, off), str_get(y, off)))
				return 0;
		}
		return 1;
	}
}

void card_copy_field(struct card *dst, const struct card *src, enum card_field f)
{
	size_t i;

	switch (f) {
	case CF_EMAILS:
		dst->emails = src->emails;
		dst->n_emails = src->n_emails;
		break;
	case CF_PHONES:
		dst->phones = src->phones;
		dst->n_phones = src->n_phones;
		break;
	case CF_URLS:
		dst->urls = src->urls;
		dst->n_urls = src->n_urls;
		break;
	case CF_ADDRESSES:
		dst->addresses = src->addresses;
		dst->n_addresses = src->n_addresses;
		break;
	default:
		for (i = 0; i < N_TEXTS; i++) {
			if (card_texts[i].f == f)
				*str_ref(dst, card_texts[i].m.off) = str_get(src, card_texts[i].m.off);
		}
	}
}

void card_hide_field(struct card *c, enum card_field f)
{
	size_t i;

	switch (f) {
	case CF_EMAILS:
		c->emails = NULL;
		c->n_emails = 0;
		break;
	case CF_PHONES:
		c->phones = NULL;
		c->n_phones = 0;
		break;
	case CF_URLS:
		c->urls = NULL;
		c->n_urls = 0;
		break;
	case CF_ADDRESSES:
		c->addresses = NULL;
		c->n_addresses = 0;
		break;
	default:
		for (i = 0; i < N_TEXTS; i++) {
			if (card_texts[i].f == f)
				*str_ref(c, card_texts[i].m.off) = "";
		}
	}
}

/* ---- matching keys and search ---- */

static size_t keys_add(const char **keys, size_t n, const char *k)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(keys[i], k) == 0)
			return n;
	}
	keys[n] = k;
	return n + 1;
}

size_t card_keys(const struct card *c, struct arena *a, const char ***keys)
{
	const char **k = arena_alloc(a, (c->n_emails + c->n_phones + 1) * sizeof(*k));
	size_t i, n = 0;

	for (i = 0; i < c->n_emails; i++) {
		const char *e = email_normalize(c->emails[i].value, a);
		if (e)
			n = keys_add(k, n, arena_printf(a, "e:%s", e));
	}
	for (i = 0; i < c->n_phones; i++) {
		if (phone_national_digits(c->phones[i].value, a))
			n = keys_add(k, n, arena_printf(a, "t:%s", c->phones[i].value));
	}
	*keys = k;
	return n;
}

char *card_search_text(const struct card *c, struct arena *a)
{
	size_t n = 0, i, max = N_TEXTS + c->n_emails + 2 * c->n_phones;
	const char **parts = arena_alloc(a, max * sizeof(*parts));
	char *s;

	for (i = 0; i < N_TEXTS; i++) {
		if (card_texts[i].f != CF_NOTE)
			parts[n++] = str_get(c, card_texts[i].m.off);
	}
	for (i = 0; i < c->n_emails; i++)
		parts[n++] = c->emails[i].value;
	for (i = 0; i < c->n_phones; i++) {
		parts[n++] = c->phones[i].value;
		parts[n++] = phone_national_digits(c->phones[i].value, a);
	}
	s = str_join(a, parts, n, " ");
	str_lower(s);
	return s;
}

/* ---- stored cards ---- */

size_t utf8_put(char *o, unsigned c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xc0 | (c >> 6));
		o[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xe0 | (c >> 12));
		o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (c >> 18));
	o[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	o[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}


/* A reader over JSON text; bad is set at the first thing it does not expect. */
struct jr {
	const char *p, *end;
	struct arena *a;
	int bad;
};

static void jr_ws(struct jr *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int jr_eat(struct jr *j, char c)
{
	jr_ws(j);
	if (j->p < j->end && *j->p == c) {
		j->p++;
		return 1;
	}
	return 0;
}

static int jr_hex4(const char *s, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		unsigned char h = (unsigned char)s[i];
		if (h >= '0' && h <= '9')
			*v = *v * 16 + (unsigned)(h - '0');
		else if ((h | 0x20) >= 'a' && (h | 0x20) <= 'f')
			*v = *v * 16 + (unsigned)((h | 0x20) - 'a' + 10);
		else
			return 0;
	}
	return 1;
}

/* jr_string: a JSON string, decoded into the arena; NULL (bad) otherwise. */
static const char *jr_string(struct jr *j)
{
	const char *s, *q;
	char *out, *o;

	jr_ws(j);
	if (j->p >= j->end || *j->p != '"') {
		j->bad = 1;
		return NULL;
	}
	s = ++j->p;
	for (q = s; q < j->end && *q != '"'; q++)
		if (*q == '\\')
			q++;
	if (q >= j->end) {
		j->bad = 1;
		return NULL;
	}
	out = o = arena_alloc(j->a, (size_t)(q - s) + 1);
	for (const char *p = s; p < q; p++) {
		unsigned cp, lo;
		if ((unsigned char)*p < 0x20) {
			j->bad = 1;
			return NULL;
		}
		if (*p != '\\') {
			*o++ = *p;
			continue;
		}
		switch (*++p) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			if (q - p < 5 || !jr_hex4(p + 1, &cp) || cp == 0) {
				j->bad = 1;
				return NULL;
			}
			p += 4;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (q - p < 7 || p[1] != '\\' || p[2] != 'u' || !jr_hex4(p + 3, &lo) ||
				    lo < 0xdc00 || lo > 0xdfff) {
					j->bad = 1;
					return NULL;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				p += 6;
			} else if (cp >= 0xdc00 && cp <= 0xdfff) {
				j->bad = 1;
				return NULL;
			}
			o += utf8_put(o, cp);
			break;
		default:
			j->bad = 1;
			return NULL;
		}
	}
	*o = '\0';
	j->p = q + 1;
	return out;
}

/* jr_object: the members of an object whose values are strings, stored
 * at the slot of their key in keys[]; an unknown key or another value is
 * bad. Missing members are "". */
static void jr_object(struct jr *j, const char *const *keys, const char **vals, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vals[i] = "";
	if (!jr_eat(j, '{')) {
		j->bad = 1;
		return;
	}
	if (jr_eat(j, '}'))
		return;
	do {
		const char *k = jr_string(j), *v;
		size_t i;
		if (j->bad || !jr_eat(j, ':'))
			break;
		v = jr_string(j);
		for (i = 0; i < n && strcmp(keys[i], k) != 0; i++)
			;
		if (j->bad || i == n)
			break;
		vals[i] = v;
	} while (jr_eat(j, ','));
	if (j->bad || !jr_eat(j, '}'))
		j->bad = 1;
}

/* jr_array: an array of objects read with jr_object; *out gets n_keys
 * strings per element, *count the elements. */
static void jr_array(struct jr *j, const char *const *keys, size_t n_keys, const char ***out,
		     size_t *count)
{
	size_t cap = 4, n = 0;
	const char **v = arena_alloc(j->a, cap * n_keys * sizeof(*v));

	*out = v;
	*count = 0;
	if (!jr_eat(j, '[')) {
		j->bad = 1;
		return;
	}
	if (jr_eat(j, ']'))
		return;
	do {
		if (n == cap) {
			const char **nv = arena_alloc(j->a, cap * 2 * n_keys * sizeof(*nv));
			memcpy(nv, v, cap * n_keys * sizeof(*nv));
			v = nv;
			cap *= 2;
		}
		jr_object(j, keys, v + n * n_keys, n_keys);
		n++;
	} while (!j->bad && jr_eat(j, ','));
	if (j->bad || !jr_eat(j, ']')) {
		j->bad = 1;
		return;
	}
	*out = v;
	*count = n;
}

static const char *const item_keys[] = {"type", "value"};
static const char *const name_keys[] = {"family", "given", "additional", "prefix", "suffix"};
static const char *const address_keys[] = {"type", "street", "locality", "region", "postal_code", "country"};

static void jr_items(struct jr *j, struct card_item **items, size_t *n)
{
	const char **v;
	jr_array(j, item_keys, 2, &v, n);
	*items = arena_alloc(j->a, (*n + 1) * sizeof(**items));
	for (size_t i = 0; i < *n; i++) {
		(*items)[i].type = v[2 * i];
		(*items)[i].value = v[2 * i + 1];
	}
}

int card_load_fast(const char *text, struct arena *a, struct card *c)
{
	struct jr j = {text, text + strlen(text), a, 0};

	card_init(c);
	if (!jr_eat(&j, '{'))
		return 0;
	if (jr_eat(&j, '}'))
		return 0;
	do {
		const char *k = jr_string(&j);
		if (j.bad || !jr_eat(&j, ':'))
			return 0;
		if (strcmp(k, "full_name") == 0)
			c->full_name = jr_string(&j);
		else if (strcmp(k, "organization") == 0)
			c->organization = jr_string(&j);
		else if (strcmp(k, "department") == 0)
			c->department = jr_string(&j);
		else if (strcmp(k, "title") == 0)
			c->title = jr_string(&j);
		else if (strcmp(k, "note") == 0)
			c->note = jr_string(&j);
		else if (strcmp(k, "name") == 0) {
			const char *v[5];
			jr_object(&j, name_keys, v, 5);
			c->family = v[0], c->given = v[1], c->additional = v[2];
			c->prefix = v[3], c->suffix = v[4];
		} else if (strcmp(k, "emails") == 0)
			jr_items(&j, &c->emails, &c->n_emails);
		else if (strcmp(k, "phones") == 0)
			jr_items(&j, &c->phones, &c->n_phones);
		else if (strcmp(k, "urls") == 0)
			jr_items(&j, &c->urls, &c->n_urls);
		else if (strcmp(k, "addresses") == 0) {
			const char **v;
			jr_array(&j, address_keys, 6, &v, &c->n_addresses);
			c->addresses = arena_alloc(a, (c->n_addresses + 1) * sizeof(*c->addresses));
			for (size_t i = 0; !j.bad && i < c->n_addresses; i++) {
				const char **f = v + 6 * i;
				c->addresses[i] = (struct card_address){f[0], f[1], f[2], f[3], f[4], f[5]};
			}
		} else
			return 0;
		if (j.bad)
			return 0;
	} while (jr_eat(&j, ','));
	if (!jr_eat(&j, '}'))
		return 0;
	jr_ws(&j);
	return j.p == j.end;
}

/* fast_extras: a JSON array of strings; 0 when it is not one. */
static int fast_extras(const char *text, struct arena *a, struct card *c)
{
	struct jr j = {text, text + strlen(text), a, 0};
	size_t cap = 8, n = 0;
	struct card_extra *ex = arena_alloc(a, cap * sizeof(*ex));

	if (!jr_eat(&j, '['))
		return 0;
	if (!jr_eat(&j, ']')) {
		do {
			const char *s = jr_string(&j);
			if (j.bad)
				return 0;
			if (n == cap) {
				struct card_extra *nx = arena_alloc(a, cap * 2 * sizeof(*nx));
				memcpy(nx, ex, cap * sizeof(*nx));
				ex = nx;
				cap *= 2;
			}
			ex[n++].line = s;
		} while (jr_eat(&j, ','));
		if (!jr_eat(&j, ']'))
			return 0;
	}
	jr_ws(&j);
	if (j.p != j.end)
		return 0;
	c->extras = ex;
	c->n_extras = n;
	return 1;
}

static const char *stored_str(const json_t *o, const char *key, struct arena *a)
{
	const json_t *v = json_object_get(o, key);
	return json_is_string(v) ? arena_strndup(a, json_string_value(v), json_string_length(v)) : "";
}

static void stored_items(const json_t *arr, struct card_item **items, size_t *n, struct arena *a)
{
	size_t i, k = 0;
	const json_t *v;

	*n = 0;
	*items = NULL;
	if (!json_is_array(arr))
		return;
	*items = arena_alloc(a, (json_array_size(arr) + 1) * sizeof(**items));
	json_array_foreach(arr, i, v) {
		if (!json_is_object(v))
			continue;
		(*items)[k].type = stored_str(v, "type", a);
		(*items)[k].value = stored_str(v, "value", a);
		k++;
	}
	*n = k;
}

/* slow_card: the card object read by jansson, for whatever card_load_fast does
 * not expect. */
static enum err slow_card(const char *text, struct arena *a, struct card *c)
{
	json_error_t jerr;
	json_t *o = text ? json_loads(text, 0, &jerr) : NULL;
	const json_t *name, *v;
	size_t i, k;

	card_init(c);
	if (!json_is_object(o)) {
		json_decref(o);
		return ERR_INTERNAL;
	}
	c->full_name = stored_str(o, "full_name", a);
	name = json_object_get(o, "name");
	c->family = stored_str(name, "family", a);
	c->given = stored_str(name, "given", a);
	c->additional = stored_str(name, "additional", a);
	c->prefix = stored_str(name, "prefix", a);
	c->suffix = stored_str(name, "suffix", a);
	c->organization = stored_str(o, "organization", a);
	c->department = stored_str(o, "department", a);
	c->title = stored_str(o, "title", a);
	c->note = stored_str(o, "note", a);
	stored_items(json_object_get(o, "emails"), &c->emails, &c->n_emails, a);
	stored_items(json_object_get(o, "phones"), &c->phones, &c->n_phones, a);
	stored_items(json_object_get(o, "urls"), &c->urls, &c->n_urls, a);
	v = json_object_get(o, "addresses");
	if (json_is_array(v)) {
		const json_t *ad;
		c->addresses = arena_alloc(a, (json_array_size(v) + 1) * sizeof(*c->addresses));
		k = 0;
		json_array_foreach(v, i, ad) {
			if (!json_is_object(ad))
				continue;
			c->addresses[k].type = stored_str(ad, "type", a);
			c->addresses[k].street = stored_str(ad, "street", a);
			c->addresses[k].locality = stored_str(ad, "locality", a);
			c->addresses[k].region = stored_str(ad, "region", a);
			c->addresses[k].postal_code = stored_str(ad, "postal_code", a);
			c->addresses[k].country = stored_str(ad, "country", a);
			k++;
		}
		c->n_addresses = k;
	}
	json_decref(o);
	return ERR_OK;
}

enum err card_load(const char *text, struct arena *a, struct card *c)
{
	if (text && card_load_fast(text, a, c))
		return ERR_OK;
	return slow_card(text, a, c);
}

enum err card_load_extras(const char *text, struct arena *a, struct card *c)
{
	json_error_t jerr;
	json_t *x;

	c->extras = NULL;
	c->n_extras = 0;
	if (text == NULL || fast_extras(text, a, c))
		return ERR_OK;
	c->extras = NULL;
	c->n_extras = 0;
	x = json_loads(text, 0, &jerr);
	if (json_is_array(x)) {
		size_t i, k = 0;
		const json_t *v;
		c->extras = arena_alloc(a, (json_array_size(x) + 1) * sizeof(*c->extras));
		json_array_foreach(x, i, v) {
			if (json_is_string(v))
				c->extras[k++].line = arena_strdup(a, json_string_value(v));
		}
		c->n_extras = k;
	}
	json_decref(x);
	return ERR_OK;
}

/* ---- stored card text in API answers ---- */

const char *card_json_ascii(const char *text, struct arena *a)
{
	const unsigned char *p = (const unsigned char *)text, *end;
	char *out, *o;
	int in_str = 0;

	if (text == NULL)
		return NULL;
	end = p + strlen(text);
	/* a code point of up to 4 bytes becomes at most 12 */
	out = o = arena_alloc(a, (size_t)(end - p) * 3 + 1);
	while (p < end) {
		unsigned char ch = *p;
		if (in_str && jsonw_plain[ch]) {
			/* a run of characters copied as they are (text ends in NUL, not plain) */
			do
				*o++ = (char)*p++;
			while (jsonw_plain[*p]);
			continue;
		}
		if (!in_str) {
			if (ch == '"')
				in_str = 1;
			else if (ch != '{' && ch != '}' && ch != '[' && ch != ']' && ch != ',' && ch != ':')
				return NULL;	/* white space, a number, a literal */
			*o++ = (char)*p++;
			continue;
		}
		if (ch == '"') {
			in_str = 0;
			*o++ = (char)*p++;
		} else if (ch == '\\') {
			/* the escapes jansson writes, and only those */
			if (p + 1 >= end)
				return NULL;
			if (strchr("\"\\bfnrt", p[1]) && p[1] != '\0') {
				*o++ = (char)*p++;
				*o++ = (char)*p++;
			} else if (p[1] == 'u' && end - p >= 6 && p[2] == '0' && p[3] == '0' &&
				   (p[4] == '0' || p[4] == '1') && strchr("0123456789ABCDEF", p[5]) &&
				   p[5] != '\0' && !strchr("\b\f\n\r\t", ((p[4] - '0') << 4) |
							   (p[5] <= '9' ? p[5] - '0' : p[5] - 'A' + 10))) {
				memcpy(o, p, 6);
				o += 6;
				p += 6;
			} else
				return NULL;
		} else if (ch < 0x20) {
			return NULL;
		} else if (ch < 0x80) {
			*o++ = (char)*p++;
		} else {
			unsigned cp;
			size_t n = jsonw_utf8_get(p, end, &cp);
			if (n == 0)
				return NULL;
			o = jsonw_put_u(o, cp);
			p += n;
		}
	}
	if (in_str)
		return NULL;
	*o = '\0';
	return out;
}
