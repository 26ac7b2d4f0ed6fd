/* t_card.c: unit tests for lib/card.c (JSON in and out, checks, fields, keys). */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "arena.h"
#include "card.h"
#include "err.h"

static struct arena A;

static const char EXAMPLE[] =
	"{\"full_name\": \"Zhang Wei\","
	" \"name\": {\"family\": \"Zhang\", \"given\": \"Wei\", \"additional\": \"\","
	"   \"prefix\": \"\", \"suffix\": \"\"},"
	" \"organization\": \"Example Ltd.\", \"department\": \"Sales\", \"title\": \"Manager\","
	" \"emails\": [{\"type\": \"work\", \"value\": \" Wei.Zhang@Example.com \"},"
	"   {\"type\": \"HOME\", \"value\": \"wei@home.example.cn\"}],"
	" \"phones\": [{\"type\": \"mobile\", \"value\": \"+86 138 0013 8000\"},"
	"   {\"type\": \"work\", \"value\": \"010-1234 5678\"}],"
	" \"addresses\": [{\"type\": \"work\", \"street\": \"1 Road\", \"locality\": \"Shanghai\","
	"   \"region\": \"\", \"postal_code\": \"200000\", \"country\": \"CN\"}],"
	" \"urls\": [{\"type\": \"work\", \"value\": \"https://example.com\"}],"
	" \"note\": \"met at the fair\"}";

/* Parse JSON text and run card_from_json with default country CN. */
static enum err from_text(const char *text, struct card *c, struct errinfo *ei)
{
	json_error_t jerr;
	json_t *j = json_loads(text, 0, &jerr);
	enum err e;

	if (j == NULL) {
		printf("# bad test JSON: %s\n", jerr.text);
		return ERR_INTERNAL;
	}
	e = card_from_json(j, "CN", c, &A, ei);
	json_decref(j);
	return e;
}

/* One rejection: the error, its code and its field. */
static void rejects(const char *text, const char *code, const char *field, const char *what)
{
	struct card c;
	struct errinfo ei = {0};

	is_int(from_text(text, &c, &ei), ERR_BAD_REQUEST, "%s: rejected", what);
	is_str(ei.code, code, "%s: code", what);
	is_str(ei.field, field, "%s: field", what);
	ok(ei.message && *ei.message, "%s: has a message", what);
}

/* One rejection of an object holding a string that JSON text cannot carry. */
static void rejects_raw(const char *key, const char *bytes, size_t n, const char *what)
{
	struct card c;
	struct errinfo ei = {0};
	json_t *j = json_pack("{s:s}", "full_name", "X");

	json_object_set_new(j, key, json_stringn_nocheck(bytes, n));
	is_int(card_from_json(j, "CN", &c, &A, &ei), ERR_BAD_REQUEST, "%s: rejected", what);
	is_str(ei.code, "invalid_utf8", "%s: code", what);
	is_str(ei.field, key, "%s: field", what);
	json_decref(j);
}

static void test_fields(void)
{
	int f;

	for (f = 0; f < CF__MAX; f++)
		is_int(card_field_lookup(card_field_name((enum card_field)f)), f,
		       "field %s looks up to itself", card_field_name((enum card_field)f));
	is_str(card_field_name(CF_FULL_NAME), "full_name", "name of CF_FULL_NAME");
	is_str(card_field_name(CF_BACK_IMAGE), "back_image", "name of CF_BACK_IMAGE");
	is_int(card_field_lookup("nickname"), CF__MAX, "unknown field gives CF__MAX");
	is_int(card_field_lookup(""), CF__MAX, "empty name gives CF__MAX");
}

static void test_init(void)
{
	struct card c;

	memset(&c, 0xa5, sizeof(c));
	card_init(&c);
	ok(c.full_name && c.family && c.given && c.additional && c.prefix && c.suffix &&
	   c.organization && c.department && c.title && c.note, "init: no NULL strings");
	is_str(c.full_name, "", "init: full_name empty");
	is_str(c.note, "", "init: note empty");
	ok(c.n_emails == 0 && c.n_phones == 0 && c.n_addresses == 0 && c.n_urls == 0 &&
	   c.n_extras == 0, "init: lists empty");
}

static void test_from_json(void)
{
	struct card c;
	struct errinfo ei = {0};

	is_int(from_text(EXAMPLE, &c, &ei), ERR_OK, "example card accepted");
	is_str(c.full_name, "Zhang Wei", "full_name");
	is_str(c.family, "Zhang", "name.family");
	is_str(c.given, "Wei", "name.given");
	is_str(c.additional, "", "name.additional");
	is_str(c.organization, "Example Ltd.", "organization");
	is_str(c.department, "Sales", "department");
	is_str(c.title, "Manager", "title");
	is_str(c.note, "met at the fair", "note");
	is_int(c.n_emails, 2, "two e-mails");
	is_str(c.emails[0].value, "wei.zhang@example.com", "e-mail trimmed and lower-cased");
	is_str(c.emails[1].type, "home", "type lower-cased");
	is_int(c.n_phones, 2, "two phones");
	is_str(c.phones[0].type, "cell", "mobile read as cell");
	is_str(c.phones[0].value, "+8613800138000", "mobile in E.164");
	is_str(c.phones[1].value, "+861012345678", "landline in E.164");
	is_int(c.n_addresses, 1, "one address");
	is_str(c.addresses[0].locality, "Shanghai", "address locality");
	is_str(c.addresses[0].postal_code, "200000", "address postal_code");
	is_str(c.addresses[0].country, "CN", "address country");
	is_int(c.n_urls, 1, "one URL");
	is_str(c.urls[0].value, "https://example.com", "URL kept");

	is_int(from_text("{\"full_name\": \"张伟\", \"name\": {\"family\": \"张\", \"given\": \"伟\"},"
			 " \"organization\": \"示例有限公司\"}", &c, &ei), ERR_OK,
	       "Chinese card accepted");
	is_str(c.full_name, "张伟", "Chinese full_name");
	is_str(c.family, "张", "Chinese family name");
	is_str(c.given, "伟", "Chinese given name");
	is_str(c.prefix, "", "missing name part is empty");
	is_str(c.title, "", "missing field is empty, not NULL");
	ok(c.n_emails == 0 && c.n_phones == 0, "missing lists are empty");

	is_int(from_text("{\"full_name\": \"X\", \"phones\": [{\"value\": \"13800138000\"}],"
			 " \"addresses\": [{\"locality\": \"Beijing\"}]}", &c, &ei), ERR_OK,
	       "items without type accepted");
	is_str(c.phones[0].type, "", "missing type is empty");
	is_str(c.addresses[0].type, "", "missing address type is empty");
	is_str(c.addresses[0].street, "", "missing address part is empty");

	/* the limits are in bytes, and inclusive */
	static const char org[] = "{\"full_name\": \"X\", \"organization\": \"";
	static const char note[] = "{\"full_name\": \"X\", \"note\": \"";
	char buf[9000];
	size_t k = strlen(org), n;

	memcpy(buf, org, k);
	memset(buf + k, 'o', CARD_MAX_TEXT);
	memcpy(buf + k + CARD_MAX_TEXT, "\"}", 3);
	is_int(from_text(buf, &c, &ei), ERR_OK, "organization of CARD_MAX_TEXT bytes accepted");
	is_int(strlen(c.organization), CARD_MAX_TEXT, "organization kept whole");
	memset(buf + k, 'o', CARD_MAX_TEXT + 1);
	memcpy(buf + k + CARD_MAX_TEXT + 1, "\"}", 3);
	rejects(buf, "too_long", "organization", "organization of CARD_MAX_TEXT + 1 bytes");

	/* 67 Chinese characters are 201 bytes */
	n = k;
	for (int i = 0; i < 67; i++, n += 3)
		memcpy(buf + n, "张", 3);
	memcpy(buf + n, "\"}", 3);
	rejects(buf, "too_long", "organization", "organization of 67 Chinese characters");

	k = strlen(note);
	memcpy(buf, note, k);
	memset(buf + k, 'n', CARD_MAX_NOTE);
	memcpy(buf + k + CARD_MAX_NOTE, "\"}", 3);
	is_int(from_text(buf, &c, &ei), ERR_OK, "note of CARD_MAX_NOTE bytes accepted");
	memset(buf + k, 'n', CARD_MAX_NOTE + 1);
	memcpy(buf + k + CARD_MAX_NOTE + 1, "\"}", 3);
	rejects(buf, "too_long", "note", "note of CARD_MAX_NOTE + 1 bytes");

	/* twenty items pass, twenty-one do not */
	n = (size_t)snprintf(buf, sizeof(buf), "{\"full_name\": \"X\", \"emails\": [");
	for (int i = 0; i < CARD_MAX_ITEMS; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s{\"value\": \"a%d@x.com\"}",
				      i ? "," : "", i);
	snprintf(buf + n, sizeof(buf) - n, "]}");
	is_int(from_text(buf, &c, &ei), ERR_OK, "CARD_MAX_ITEMS e-mails accepted");
	is_int(c.n_emails, CARD_MAX_ITEMS, "all of them kept");
	snprintf(buf + n, sizeof(buf) - n, ",{\"value\": \"z@x.com\"}]}");
	rejects(buf, "too_many", "emails", "CARD_MAX_ITEMS + 1 e-mails");
}

static void test_rejections(void)
{
	struct card c;
	struct errinfo ei = {0};
	json_t *j;

	j = json_array();
	is_int(card_from_json(j, "CN", &c, &A, &ei), ERR_BAD_REQUEST, "array rejected");
	is_str(ei.code, "invalid_type", "array: invalid_type");
	json_decref(j);

	rejects("{}", "required", "full_name", "missing full_name");
	rejects("{\"organization\": \"X\"}", "required", "full_name", "only organization");
	rejects("{\"full_name\": \"\"}", "required", "full_name", "empty full_name");
	rejects("{\"full_name\": \"  \\t \"}", "required", "full_name", "blank full_name");
	rejects("{\"full_name\": 5}", "invalid_type", "full_name", "number full_name");
	rejects("{\"full_name\": null}", "invalid_type", "full_name", "null full_name");
	rejects("{\"full_name\": \"X\", \"title\": [\"a\"]}", "invalid_type", "title", "array title");
	rejects("{\"full_name\": \"X\", \"nickname\": \"x\"}", "unknown_field", "nickname",
		"unknown key");
	rejects("{\"full_name\": \"X\", \"front_image\": \"x\"}", "unknown_field", "front_image",
		"image key in the JSON object");
	rejects("{\"full_name\": \"X\", \"name\": \"Zhang\"}", "invalid_type", "name",
		"name as a string");
	rejects("{\"full_name\": \"X\", \"name\": {\"family\": 1}}", "invalid_type", "name.family",
		"name.family number");
	rejects("{\"full_name\": \"X\", \"name\": {\"nick\": \"x\"}}", "unknown_field", "name.nick",
		"name.nick");
	rejects("{\"full_name\": \"X\", \"emails\": {}}", "invalid_type", "emails",
		"emails as an object");
	rejects("{\"full_name\": \"X\", \"emails\": [{\"value\": \"a@x.com\"}, \"b@x.com\"]}",
		"invalid_type", "emails[1]", "e-mail as a bare string");
	rejects("{\"full_name\": \"X\", \"emails\": [{\"value\": \"a@x.com\"}, {\"value\": \"b@\"}]}",
		"invalid_email", "emails[1].value", "bad second e-mail");
	rejects("{\"full_name\": \"X\", \"emails\": [{\"value\": \"a@x.com\", \"label\": \"x\"}]}",
		"unknown_field", "emails[0].label", "unknown key in an e-mail");
	rejects("{\"full_name\": \"X\", \"emails\": [{\"type\": \"work\"}]}",
		"required", "emails[0].value", "e-mail without value");
	rejects("{\"full_name\": \"X\", \"emails\": [{\"value\": 7}]}",
		"invalid_type", "emails[0].value", "e-mail value number");
	rejects("{\"full_name\": \"X\", \"emails\": [{\"type\": \"spouse\", \"value\": \"a@x.com\"}]}",
		"invalid_type_value", "emails[0].type", "unknown e-mail type");
	rejects("{\"full_name\": \"X\", \"phones\": [{\"type\": \"cell\", \"value\": \"call me\"}]}",
		"invalid_phone", "phones[0].value", "words as a phone");
	rejects("{\"full_name\": \"X\", \"phones\": [{\"value\": \"+86 138\"}]}",
		"invalid_phone", "phones[0].value", "short phone");
	rejects("{\"full_name\": \"X\", \"phones\": [{\"value\": \"+86 138 0013 8000            "
		"              \"}]}", "too_long", "phones[0].value", "phone over CARD_MAX_PHONE");
	rejects("{\"full_name\": \"X\", \"phones\": [{\"type\": \"car\", \"value\": \"13800138000\"}]}",
		"invalid_type_value", "phones[0].type", "unknown phone type");
	rejects("{\"full_name\": \"X\", \"urls\": [{\"value\": \"javascript:alert(1)\"}]}",
		"invalid_url", "urls[0].value", "javascript: URL");
	rejects("{\"full_name\": \"X\", \"urls\": [{\"value\": \"example.com\"}]}",
		"invalid_url", "urls[0].value", "URL without scheme");
	rejects("{\"full_name\": \"X\", \"addresses\": [{\"type\": \"cell\"}]}",
		"invalid_type_value", "addresses[0].type", "cell as address type");
	rejects("{\"full_name\": \"X\", \"addresses\": [{}, {\"city\": \"x\"}]}",
		"unknown_field", "addresses[1].city", "unknown address key");
	rejects("{\"full_name\": \"X\", \"addresses\": [{\"street\": false}]}",
		"invalid_type", "addresses[0].street", "address street boolean");
	rejects("{\"full_name\": \"X\", \"addresses\": \"Shanghai\"}",
		"invalid_type", "addresses", "addresses as a string");
	rejects("{\"full_name\": \"X\", \"title\": \"a\\u0001b\"}", "invalid_utf8", "title",
		"control character in title");

	rejects_raw("title", "\xc0\xaf", 2, "overlong in title");
	rejects_raw("organization", "\xed\xa0\x80", 3, "surrogate in organization");
	rejects_raw("department", "abc\xe5\xbc", 5, "truncated character in department");
	rejects_raw("note", "a\0b", 3, "NUL inside note");
}

static void test_normalize(void)
{
	struct card c, src;
	struct errinfo ei = {0};
	struct card_item em[CARD_MAX_ITEMS + 1], ph[2], url[1];
	char longname[CARD_MAX_TEXT + 10];
	size_t i;

	/* an import: odd values kept, over-long cut at a character boundary */
	card_init(&c);
	memset(longname, 0, sizeof(longname));
	memcpy(longname, "a", 1);
	for (i = 1; i + 3 <= CARD_MAX_TEXT + 3; i += 3)
		memcpy(longname + i, "张", 3);
	c.organization = longname;	/* 1 + 67 * 3 = 202 bytes */
	for (i = 0; i <= CARD_MAX_ITEMS; i++) {
		em[i].type = "INTERNET";
		em[i].value = "a@x.com";
	}
	em[0].value = " Not An Address ";
	c.emails = em;
	c.n_emails = CARD_MAX_ITEMS + 1;
	ph[0] = (struct card_item){"Cell", "138 0013 8000"};
	ph[1] = (struct card_item){"work", "ask reception"};
	c.phones = ph;
	c.n_phones = 2;
	url[0] = (struct card_item){"", "www.example.com"};
	c.urls = url;
	c.n_urls = 1;
	c.family = "Zhang";
	c.given = "Wei";
	c.prefix = "Dr.";
	is_int(card_normalize(&c, "CN", 0, &A, &ei), ERR_OK, "lenient: accepted");
	is_int(strlen(c.organization), 199, "lenient: organization cut to 199 bytes");
	ok(strncmp(c.organization, longname, 199) == 0, "lenient: cut keeps the start");
	is_int(c.n_emails, CARD_MAX_ITEMS, "lenient: list cut to CARD_MAX_ITEMS");
	is_str(c.emails[0].value, "not an address", "lenient: odd e-mail trimmed, lower-cased");
	is_str(c.emails[1].type, "internet", "lenient: odd type kept, lower-cased");
	is_str(em[1].type, "INTERNET", "lenient: the caller's array is not changed");
	is_str(c.phones[0].value, "+8613800138000", "lenient: phone in E.164");
	is_str(c.phones[0].type, "cell", "lenient: phone type lower-cased");
	is_str(c.phones[1].value, "ask reception", "lenient: odd phone kept");
	is_str(c.urls[0].value, "www.example.com", "lenient: odd URL kept");
	is_str(c.full_name, "Dr. Wei Zhang", "lenient: full_name from the structured name");
	ok(c.note != NULL, "lenient: NULL strings become empty");

	/* the same card, strict */
	card_init(&c);
	c.full_name = "X";
	c.phones = ph;
	c.n_phones = 2;
	is_int(card_normalize(&c, "CN", 1, &A, &ei), ERR_BAD_REQUEST, "strict: odd phone rejected");
	is_str(ei.code, "invalid_phone", "strict: invalid_phone");
	is_str(ei.field, "phones[1].value", "strict: field of the odd phone");
	card_init(&c);
	c.full_name = "X";
	c.organization = longname;
	is_int(card_normalize(&c, "CN", 1, &A, &ei), ERR_BAD_REQUEST, "strict: long text rejected");
	is_str(ei.code, "too_long", "strict: too_long");

	/* deriving full_name */
	card_init(&c);
	c.family = "张";
	c.given = "伟";
	is_int(card_normalize(&c, "CN", 0, &A, &ei), ERR_OK, "Chinese name: accepted");
	is_str(c.full_name, "张伟", "Chinese name: family name first, no space");
	card_init(&c);
	c.organization = "Example Ltd.";
	card_normalize(&c, "CN", 0, &A, &ei);
	is_str(c.full_name, "Example Ltd.", "no name: organization");
	card_init(&c);
	em[0].value = "Wei@Example.com";
	c.emails = em;
	c.n_emails = 1;
	card_normalize(&c, "CN", 0, &A, &ei);
	is_str(c.full_name, "wei@example.com", "no name or organization: first e-mail");
	card_init(&c);
	c.phones = ph;
	c.n_phones = 1;
	card_normalize(&c, "CN", 0, &A, &ei);
	is_str(c.full_name, "+8613800138000", "only a phone: the phone");
	card_init(&c);
	is_int(card_normalize(&c, "CN", 0, &A, &ei), ERR_BAD_REQUEST, "empty card rejected");
	is_str(ei.code, "required", "empty card: required");
	is_str(ei.field, "full_name", "empty card: field full_name");

	/* invalid UTF-8 is an error even for imports */
	card_init(&c);
	c.full_name = "X";
	c.title = "\xed\xa0\x80";
	is_int(card_normalize(&c, "CN", 0, &A, &ei), ERR_BAD_REQUEST, "lenient: bad UTF-8 rejected");
	is_str(ei.code, "invalid_utf8", "lenient: invalid_utf8");
	is_str(ei.field, "title", "lenient: field title");
	struct card_extra ex[2] = {{"X-A:ok"}, {"X-B:\xc0\xaf"}};
	card_init(&c);
	c.full_name = "X";
	c.extras = ex;
	c.n_extras = 2;
	is_int(card_normalize(&c, "CN", 0, &A, &ei), ERR_BAD_REQUEST, "bad UTF-8 in an extra rejected");
	is_str(ei.field, "extras[1]", "extra: field");

	/* normalising a card does not change a card it shares a list with */
	card_init(&src);
	ph[0] = (struct card_item){"Cell", "138 0013 8000"};
	src.phones = ph;
	src.n_phones = 1;
	card_init(&c);
	c.full_name = "X";
	card_copy_field(&c, &src, CF_PHONES);
	card_normalize(&c, "CN", 0, &A, &ei);
	is_str(c.phones[0].value, "+8613800138000", "shared list: copy normalised");
	is_str(src.phones[0].value, "138 0013 8000", "shared list: source unchanged");
}

static void test_round_trip(void)
{
	struct card c, d;
	struct errinfo ei = {0};
	json_t *j, *v;
	char *text;
	int f;

	from_text(EXAMPLE, &c, &ei);
	j = card_to_json(&c);
	ok(json_is_object(j), "to_json: an object");
	is_int(json_object_size(j), 10, "to_json: ten keys");
	is_str(json_string_value(json_object_get(j, "full_name")), "Zhang Wei", "to_json: full_name");
	v = json_object_get(j, "name");
	is_int(json_object_size(v), 5, "to_json: name has five keys");
	is_str(json_string_value(json_object_get(v, "given")), "Wei", "to_json: name.given");
	v = json_array_get(json_object_get(j, "phones"), 0);
	is_str(json_string_value(json_object_get(v, "type")), "cell", "to_json: phone type");
	is_str(json_string_value(json_object_get(v, "value")), "+8613800138000", "to_json: phone");
	v = json_array_get(json_object_get(j, "addresses"), 0);
	is_int(json_object_size(v), 6, "to_json: address has six keys");
	ok(json_object_get(j, "front_image") == NULL, "to_json: no image keys");

	text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	is_int(from_text(text, &d, &ei), ERR_OK, "round trip: accepted again");
	free(text);
	for (f = 0; f < CF__MAX; f++)
		ok(card_field_equal(&c, &d, (enum card_field)f), "round trip: %s equal",
		   card_field_name((enum card_field)f));

	from_text("{\"full_name\": \"张伟\", \"note\": \"第一行\\n第二行\"}", &c, &ei);
	j = card_to_json(&c);
	is_int(json_array_size(json_object_get(j, "emails")), 0, "to_json: empty list is []");
	is_int(card_from_json(j, "CN", &d, &A, &ei), ERR_OK, "round trip (object): Chinese card");
	json_decref(j);
	is_str(d.full_name, "张伟", "round trip: Chinese full_name");
	is_str(d.note, "第一行\n第二行", "round trip: multi-line note");

	j = card_field_to_json(&c, CF_FRONT_IMAGE);
	ok(json_is_null(j), "field_to_json: image is null");
	json_decref(j);
	j = card_field_to_json(&c, CF_FULL_NAME);
	is_str(json_string_value(j), "张伟", "field_to_json: full_name");
	json_decref(j);
}

static void test_equal_copy_hide(void)
{
	struct card x, y;
	struct errinfo ei = {0};

	from_text(EXAMPLE, &x, &ei);
	from_text(EXAMPLE, &y, &ei);
	for (int f = 0; f < CF__MAX; f++)
		ok(card_field_equal(&x, &y, (enum card_field)f), "same card: %s equal",
		   card_field_name((enum card_field)f));

	struct card_item ph[2] = {y.phones[0], y.phones[1]};
	y.phones = ph;
	ph[1].type = "home";
	ok(!card_field_equal(&x, &y, CF_PHONES), "phones: differ by a type");
	ph[1] = x.phones[1];
	ok(card_field_equal(&x, &y, CF_PHONES), "phones: equal again");
	ph[0].value = "+8613900139000";
	ok(!card_field_equal(&x, &y, CF_PHONES), "phones: differ by a value");
	ph[0] = x.phones[1];
	ph[1] = x.phones[0];
	ok(!card_field_equal(&x, &y, CF_PHONES), "phones: order matters");
	y.n_phones = 1;
	ok(!card_field_equal(&x, &y, CF_PHONES), "phones: differ by count");

	struct card_address ad = y.addresses[0];
	y.addresses = &ad;
	ad.postal_code = "200001";
	ok(!card_field_equal(&x, &y, CF_ADDRESSES), "addresses: differ by postal_code");
	y.given = "Lei";
	ok(!card_field_equal(&x, &y, CF_NAME), "name: differ by given name");
	ok(card_field_equal(&x, &y, CF_FULL_NAME), "full_name: still equal");
	y.title = "Director";
	ok(!card_field_equal(&x, &y, CF_TITLE), "title: differ");
	ok(card_field_equal(&x, &y, CF_EMAILS), "emails: still equal");

	card_copy_field(&y, &x, CF_PHONES);
	ok(card_field_equal(&x, &y, CF_PHONES), "copy: phones equal after copy");
	card_copy_field(&y, &x, CF_NAME);
	ok(card_field_equal(&x, &y, CF_NAME), "copy: name equal after copy");
	card_copy_field(&y, &x, CF_ADDRESSES);
	ok(card_field_equal(&x, &y, CF_ADDRESSES), "copy: addresses equal after copy");
	ok(!card_field_equal(&x, &y, CF_TITLE), "copy: other fields untouched");
	card_copy_field(&y, &x, CF_TITLE);
	is_str(y.title, "Manager", "copy: title");

	card_hide_field(&y, CF_EMAILS);
	is_int(y.n_emails, 0, "hide: emails gone");
	ok(!card_field_equal(&x, &y, CF_EMAILS), "hide: emails differ now");
	card_hide_field(&y, CF_NAME);
	ok(*y.family == '\0' && *y.given == '\0' && *y.suffix == '\0', "hide: name parts empty");
	card_hide_field(&y, CF_NOTE);
	is_str(y.note, "", "hide: note empty");
	card_hide_field(&y, CF_ADDRESSES);
	is_int(y.n_addresses, 0, "hide: addresses gone");
	card_hide_field(&y, CF_FRONT_IMAGE);
	is_str(y.full_name, "Zhang Wei", "hide: full_name untouched by other fields");
	is_int(y.n_phones, 2, "hide: phones untouched");
	json_t *j = card_to_json(&y);
	is_int(json_array_size(json_object_get(j, "emails")), 0, "hide: to_json has no e-mails");
	is_str(json_string_value(json_object_get(j, "note")), "", "hide: to_json note empty");
	json_decref(j);
}

static void test_keys_search(void)
{
	struct card c;
	struct errinfo ei = {0};
	const char **keys;
	size_t n;

	from_text("{\"full_name\": \"Zhang Wei\","
		  " \"emails\": [{\"value\": \"Wei@Example.com\"}, {\"type\": \"home\", \"value\": \"wei@example.com\"},"
		  "   {\"value\": \"b@x.org\"}],"
		  " \"phones\": [{\"value\": \"13800138000\"}, {\"value\": \"+86 138-0013-8000\"},"
		  "   {\"value\": \"0086 138 0013 8000\"}, {\"value\": \"+1 (415) 555-2671\"}]}", &c, &ei);
	n = card_keys(&c, &A, &keys);
	is_int(n, 4, "keys: four after dedupe");
	is_str(keys[0], "e:wei@example.com", "keys: e-mail");
	is_str(keys[1], "e:b@x.org", "keys: second e-mail");
	is_str(keys[2], "t:+8613800138000", "keys: phone");
	is_str(keys[3], "t:+14155552671", "keys: second phone");

	struct card_item ph[2] = {{"cell", "ask reception"}, {"work", "+442079460958"}};
	card_init(&c);
	c.full_name = "X";
	c.phones = ph;
	c.n_phones = 2;
	n = card_keys(&c, &A, &keys);
	is_int(n, 1, "keys: only E.164 phones");
	is_str(keys[0], "t:+442079460958", "keys: the E.164 one");
	card_init(&c);
	n = card_keys(&c, &A, &keys);
	is_int(n, 0, "keys: none for an empty card");

	from_text("{\"full_name\": \"Zhang Wei\", \"name\": {\"family\": \"Zhang\", \"given\": \"Wei\"},"
		  " \"organization\": \"ACME Corp\", \"title\": \"CTO\", \"note\": \"Secret\","
		  " \"emails\": [{\"value\": \"WEI@acme.com\"}], \"phones\": [{\"value\": \"13800138000\"}]}",
		  &c, &ei);
	is_str(card_search_text(&c, &A),
	       "zhang wei zhang wei acme corp cto wei@acme.com +8613800138000 13800138000",
	       "search text: lower-cased, names, org, e-mails, phones, national digits");
	from_text("{\"full_name\": \"张伟\", \"organization\": \"示例\"}", &c, &ei);
	is_str(card_search_text(&c, &A), "张伟 示例", "search text: Chinese");
}


/* card_load reads stored text as card_from_json's card, fast path or not;
 * card_json_ascii writes what jansson's ENSURE_ASCII dump of it writes. */
static void test_stored(void)
{
	struct card c, back;
	struct errinfo ei = {0};
	json_error_t jerr;

	is_int(from_text(EXAMPLE, &c, &ei), ERR_OK, "example card");
	json_t *j = card_to_json(&c);
	char *stored = json_dumps(j, JSON_COMPACT);
	is_int(card_load(stored, &A, &back), ERR_OK, "stored card loads");
	for (int f = 0; f < CF_FRONT_IMAGE; f++)
		ok(card_field_equal(&c, &back, (enum card_field)f), "field %s read back", card_field_name((enum card_field)f));
	/* the slow path (white space, an unknown key) gives the same card */
	is_int(card_load("{ \"full_name\" : \"A\\u00e9\", \"x\": 1, \"emails\": [{\"type\":\"work\",\"value\":\"a@b.c\"}] }",
			 &A, &back), ERR_OK, "jansson's path");
	is_str(back.full_name, "A\xc3\xa9", "escape decoded");
	is_int((long long)back.n_emails, 1, "list read");
	is_int(card_load("[1]", &A, &back), ERR_INTERNAL, "not an object");
	is_int(card_load(NULL, &A, &back), ERR_INTERNAL, "no text");
	free(stored);
	json_decref(j);

	static const char *const strings[] = {
		"plain", "\xe5\xbc\xa0\xe4\xbc\x9f Zhang", "quote \" back \\ slash /", "tab\there\nnl\rcr\bbs\ffeed",
		"\x01\x02\x1f\x7f del", "\xf0\x9f\x98\x80 emoji \xf0\x90\x80\x80 \xf4\x8f\xbf\xbf", "\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf",
		"\xe2\x80\xa8 line sep", "", "<script>&amp;</script>",
	};
	json_t *arr = json_array(), *o = json_object();
	for (size_t i = 0; i < sizeof(strings) / sizeof(*strings); i++) {
		json_array_append_new(arr, json_string(strings[i]));
		json_object_set_new(o, strings[i], json_string(strings[i]));
	}
	json_object_set_new(o, "list", arr);
	json_object_set_new(o, "empty", json_object());
	json_object_set_new(o, "none", json_array());
	char *compact = json_dumps(o, JSON_COMPACT), *ascii = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	is_str(card_json_ascii(compact, &A), ascii, "ENSURE_ASCII form without parsing");
	json_t *re = json_loads(compact, 0, &jerr);
	char *again = json_dumps(re, JSON_COMPACT | JSON_ENSURE_ASCII);
	is_str(again, ascii, "which is what parsing and dumping the stored text writes");
	free(again);
	json_decref(re);
	free(compact);
	free(ascii);
	json_decref(o);
	ok(card_json_ascii("{\"a\": \"b\"}", &A) == NULL, "white space: left to jansson");
	ok(card_json_ascii("{\"a\":1}", &A) == NULL, "a number: left to jansson");
	ok(card_json_ascii("{\"a\":null}", &A) == NULL, "a literal: left to jansson");
	ok(card_json_ascii("{\"a\":\"\\u00e9\"}", &A) == NULL, "an escape jansson does not write");
	ok(card_json_ascii("{\"a\":\"\\/\"}", &A) == NULL, "an escaped slash");
	ok(card_json_ascii("{\"a\":\"\\u000A\"}", &A) == NULL, "\\n written long");
	ok(card_json_ascii("{\"a\":\"\xc3\"}", &A) == NULL, "invalid UTF-8");
	ok(card_json_ascii("{\"a\":\"\xed\xa0\x80\"}", &A) == NULL, "a surrogate in UTF-8");
	ok(card_json_ascii("{\"a\":\"b}", &A) == NULL, "an open string");
	is_str(card_json_ascii("{\"a\":\"\\u001F\\\"\"}", &A), "{\"a\":\"\\u001F\\\"\"}", "jansson's escapes kept");
}

int main(void)
{
	arena_init(&A);
	test_fields();
	test_init();
	test_from_json();
	test_rejections();
	test_normalize();
	test_round_trip();
	test_equal_copy_hide();
	test_keys_search();
	test_stored();
	arena_reset(&A);
	return done_testing();
}
