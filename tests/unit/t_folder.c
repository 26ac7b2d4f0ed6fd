/* t_folder.c: unit tests for the database-free parts of lib/folder.c (tags, UIDs, stored cards, tolerant edits, merge, JSON). */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "tap.h"
#include "arena.h"
#include "card.h"
#include "folder.h"
#include "jsonw.h"
#include "searchfold.h"

static struct arena A;

static json_t *parse(const char *text)
{
	json_error_t jerr;
	json_t *j = json_loads(text, 0, &jerr);
	if (j == NULL)
		printf("# bad JSON in test: %s\n", jerr.text);
	return j;
}

/* card_of: a card from JSON text, strictly checked (CN numbers). */
static struct card card_of(const char *text)
{
	struct card c;
	struct errinfo ei = {0};
	json_t *j = parse(text);
	if (card_from_json(j, "CN", &c, &A, &ei) != ERR_OK)
		printf("# card_of: %s %s\n", ei.code ? ei.code : "", ei.field ? ei.field : "");
	json_decref(j);
	return c;
}

static void test_uids(void)
{
	const char *u1 = folder_uid_new(&A), *u2 = folder_uid_new(&A);
	ok(strlen(u1) == 45 && strncmp(u1, "urn:uuid:", 9) == 0, "a new UID is a urn:uuid (%s)", u1);
	ok(u1[9 + 14] == '4', "version 4");
	ok(strchr("89ab", u1[9 + 19]) != NULL, "RFC 4122 variant");
	ok(strcmp(u1, u2) != 0, "two UIDs differ");
	ok(folder_uid_ok(u1), "our own UIDs are kept");
	ok(folder_uid_ok("8b574c60-fd7f-4e99-b584-c5db131ae687"), "a plain UUID is kept");
	ok(folder_uid_ok("0E7602CC-443E-4B82-B4B1-90F62F99A199:ABPerson"), "an Apple UID is kept");
	ok(!folder_uid_ok(""), "empty: refused");
	ok(!folder_uid_ok(NULL), "NULL: refused");
	ok(!folder_uid_ok("has space"), "a space: refused");
	ok(!folder_uid_ok("a/b"), "a slash (a CardDAV path) : refused");
	ok(!folder_uid_ok("\xe5\xbc\xa0"), "non-ASCII: refused");
	char *long_uid = arena_alloc(&A, FOLDER_MAX_UID + 2);
	memset(long_uid, 'u', FOLDER_MAX_UID + 1);
	ok(!folder_uid_ok(long_uid), "over %d bytes: refused", FOLDER_MAX_UID);
	long_uid[FOLDER_MAX_UID] = '\0';
	ok(folder_uid_ok(long_uid), "exactly %d bytes: kept", FOLDER_MAX_UID);
}

static void test_tags(void)
{
	const char *in[] = {" fair ", "China", "", "FAIR", "china ", "\xe5\xb1\x95\xe4\xbc\x9a", "  "};
	const char **out;
	size_t n;
	struct errinfo ei = {0};

	is_int(folder_tags_clean(in, 7, &A, &out, &n, &ei), ERR_OK, "tags are cleaned");
	is_int(n, 3, "blanks and repeats (any case) dropped");
	is_str(out[0], "fair", "trimmed, first spelling kept");
	is_str(out[1], "China", "order kept");
	is_str(out[2], "\xe5\xb1\x95\xe4\xbc\x9a", "Chinese tags are fine");

	char *big = arena_alloc(&A, FOLDER_MAX_TAG + 2);
	memset(big, 't', FOLDER_MAX_TAG + 1);
	const char *too_long[] = {"ok", big};
	is_int(folder_tags_clean(too_long, 2, &A, &out, &n, &ei), ERR_BAD_REQUEST, "an over-long tag is refused");
	is_str(ei.field, "tags", "naming the field");
	is_str(ei.code, "too_long", "too_long");

	const char *bad[] = {"\xff\xfe"};
	is_int(folder_tags_clean(bad, 1, &A, &out, &n, &ei), ERR_BAD_REQUEST, "invalid UTF-8 is refused");

	const char *many[FOLDER_MAX_TAGS + 1];
	for (int i = 0; i <= FOLDER_MAX_TAGS; i++)
		many[i] = arena_printf(&A, "tag%d", i);
	is_int(folder_tags_clean(many, FOLDER_MAX_TAGS, &A, &out, &n, &ei), ERR_OK, "%d tags are fine", FOLDER_MAX_TAGS);
	is_int(folder_tags_clean(many, FOLDER_MAX_TAGS + 1, &A, &out, &n, &ei), ERR_BAD_REQUEST, "one more is too many");
	is_int(folder_tags_clean(NULL, 0, &A, &out, &n, &ei), ERR_OK, "no tags");
	is_int(n, 0, "is zero tags");
}

static void test_load(void)
{
	struct card c = card_of("{\"full_name\":\"\xe5\xbc\xa0\xe4\xbc\x9f\",\"name\":{\"family\":\"\xe5\xbc\xa0\",\"given\":\"\xe4\xbc\x9f\"},"
				"\"organization\":\"Example\",\"emails\":[{\"type\":\"work\",\"value\":\"w@example.com\"}],"
				"\"phones\":[{\"type\":\"cell\",\"value\":\"+86 138 0013 8000\"}],"
				"\"addresses\":[{\"type\":\"work\",\"street\":\"1 Road\\nFloor 2\",\"locality\":\"Shanghai\"}],"
				"\"urls\":[{\"type\":\"work\",\"value\":\"https://example.com\"}],\"note\":\"n\"}");
	json_t *j = card_to_json(&c);
	char *text = json_dumps(j, JSON_COMPACT);
	struct card back;
	json_decref(j);

	is_int(folder_card_load(text, "[\"X-CUSTOM:1\",\"item1.X-ABLabel:Desk\"]", &A, &back), ERR_OK, "a stored card loads");
	for (int f = 0; f < CF__MAX; f++)
		ok(card_field_equal(&c, &back, (enum card_field)f), "field %s survives the round trip",
		   card_field_name((enum card_field)f));
	is_int(back.n_extras, 2, "with its kept vCard lines");
	is_str(back.extras[1].line, "item1.X-ABLabel:Desk", "verbatim");
	free(text);

	/* what imports store may break the strict rules, and still loads */
	is_int(folder_card_load("{\"full_name\":\"Odd\",\"phones\":[{\"type\":\"assistantphone\",\"value\":\"BusinessPhone\"}]}",
				NULL, &A, &back), ERR_OK, "a card with odd values loads as stored");
	is_str(back.phones[0].value, "BusinessPhone", "the odd value is kept");
	is_str(back.title, "", "missing fields are empty strings");
	is_int(back.n_extras, 0, "no extras");
	is_int(folder_card_load("[1,2]", NULL, &A, &back), ERR_INTERNAL, "a non-object is a stored-data error");
	is_int(folder_card_load("{oops", NULL, &A, &back), ERR_INTERNAL, "so is broken JSON");
}

static void test_tolerant_edit(void)
{
	struct card old, out;
	struct errinfo ei = {0};
	json_t *j;

	/* the stored copy, as an import left it */
	folder_card_load("{\"full_name\":\"Odd\",\"emails\":[{\"type\":\"internet\",\"value\":\"not-an-address\"}],"
			 "\"phones\":[{\"type\":\"work\",\"value\":\"BusinessPhone\"},{\"type\":\"cell\",\"value\":\"+8613800138000\"}],"
			 "\"addresses\":[{\"type\":\"postal\",\"street\":\"S\",\"locality\":\"L\",\"region\":\"\",\"postal_code\":\"\",\"country\":\"\"}]}",
			 "[\"X-KEEP:me\"]", &A, &old);

	j = parse("{\"full_name\":\"Odd Edited\",\"title\":\"Boss\","
		  "\"emails\":[{\"type\":\"internet\",\"value\":\"not-an-address\"}],"
		  "\"phones\":[{\"type\":\"work\",\"value\":\"BusinessPhone\"},{\"type\":\"cell\",\"value\":\"+8613800138000\"},"
		  "{\"type\":\"home\",\"value\":\"021 5555 0000\"}],"
		  "\"addresses\":[{\"type\":\"postal\",\"street\":\"S\",\"locality\":\"L\",\"region\":\"\",\"postal_code\":\"\",\"country\":\"\"}]}");
	is_int(folder_card_from_json(j, &old, "CN", &out, &A, &ei), ERR_OK,
	       "values the strict rules refuse are accepted when they are stored ones");
	is_str(out.full_name, "Odd Edited", "the edit is taken");
	is_str(out.title, "Boss", "a new field too");
	is_str(out.emails[0].value, "not-an-address", "the stored odd e-mail stays as it was");
	is_str(out.emails[0].type, "internet", "with its type");
	is_str(out.phones[0].value, "BusinessPhone", "the stored odd phone stays as it was");
	is_str(out.phones[2].value, "+862155550000", "a new phone is normalised");
	is_str(out.addresses[0].type, "postal", "the stored odd address type stays");
	is_int(out.n_extras, 1, "the stored extras are kept");
	json_decref(j);

	j = parse("{\"full_name\":\"Odd\",\"phones\":[{\"type\":\"work\",\"value\":\"BusinessPhone\"},"
		  "{\"type\":\"work\",\"value\":\"OtherPhone\"}]}");
	is_int(folder_card_from_json(j, &old, "CN", &out, &A, &ei), ERR_BAD_REQUEST, "a new odd value is refused");
	is_str(ei.field, "phones[1].value", "naming it at its own index");
	json_decref(j);

	j = parse("{\"full_name\":\"Odd\",\"phones\":[{\"type\":\"cell\",\"value\":\"BusinessPhone\"}]}");
	is_int(folder_card_from_json(j, &old, "CN", &out, &A, &ei), ERR_BAD_REQUEST,
	       "a stored value under another type is a new item");
	json_decref(j);

	j = parse("{\"full_name\":\"Odd\",\"emails\":[{\"type\":\"internet\",\"value\":\"not-an-address\"}]}");
	is_int(folder_card_from_json(j, NULL, "CN", &out, &A, &ei), ERR_BAD_REQUEST,
	       "without a stored copy the rules are strict");
	json_decref(j);

	j = parse("{\"full_name\":\"X\",\"colour\":\"red\"}");
	is_int(folder_card_from_json(j, &old, "CN", &out, &A, &ei), ERR_BAD_REQUEST, "unknown fields are refused");
	is_str(ei.code, "unknown_field", "unknown_field");
	json_decref(j);
}

static void test_merge(void)
{
	struct card dst = card_of("{\"full_name\":\"Ada\",\"emails\":[{\"type\":\"work\",\"value\":\"ada@example.com\"}],"
				  "\"phones\":[{\"type\":\"cell\",\"value\":\"+8613800138000\"}],\"note\":\"first\"}");
	struct card src = card_of("{\"full_name\":\"Ada Lovelace\",\"title\":\"Chief\",\"organization\":\"Engines\","
				  "\"emails\":[{\"type\":\"home\",\"value\":\"ADA@example.com\"},{\"type\":\"home\",\"value\":\"ada@home.example\"}],"
				  "\"phones\":[{\"type\":\"cell\",\"value\":\"13800138000\"}],"
				  "\"addresses\":[{\"type\":\"home\",\"locality\":\"London\"}],\"note\":\"second\"}");
	struct card_extra ex[] = {{"X-ONE:1"}, {"X-TWO:2"}};
	dst.extras = ex;
	dst.n_extras = 1;
	src.extras = ex;
	src.n_extras = 2;

	folder_card_merge(&dst, &src, &A);
	is_str(dst.full_name, "Ada", "a field dst has is kept");
	is_str(dst.title, "Chief", "an empty field is filled");
	is_str(dst.organization, "Engines", "another");
	is_int(dst.n_emails, 2, "e-mails: the same address in another case is not repeated");
	is_str(dst.emails[1].value, "ada@home.example", "the new one is appended");
	is_int(dst.n_phones, 1, "phones: the same E.164 number is not repeated");
	is_int(dst.n_addresses, 1, "the address is added");
	is_str(dst.note, "first\nsecond", "a different note is appended");
	is_int(dst.n_extras, 2, "extras: the union");

	folder_card_merge(&dst, &src, &A);
	is_int(dst.n_emails + dst.n_phones + dst.n_addresses + dst.n_extras, 6, "merging twice changes nothing more");
	is_str(dst.note, "first\nsecond", "nor the note");

	struct card many = card_of("{\"full_name\":\"Many\"}");
	struct card_item *items = arena_alloc(&A, 30 * sizeof(*items));
	for (int i = 0; i < 30; i++) {
		items[i].type = "work";
		items[i].value = arena_printf(&A, "u%d@example.com", i);
	}
	src.emails = items;
	src.n_emails = 30;
	folder_card_merge(&many, &src, &A);
	is_int(many.n_emails, CARD_MAX_ITEMS, "a list stops at %d items", CARD_MAX_ITEMS);
}

static void test_json(void)
{
	struct folder_entry e;
	json_t *j;
	const char *fronts[] = {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};

	memset(&e, 0, sizeof(e));
	e.card = card_of("{\"full_name\":\"Json\"}");
	e.card_json = "{\"full_name\":\"Json\"}";
	e.id = 7;
	e.uid = "u-7";
	e.notes = "n";
	e.image[FOLDER_FRONT] = fronts[0];
	e.source_card_id = 3;
	e.synced_revision = 2;
	e.latest_revision = 4;
	e.declined_revision = -1;
	e.owner_is_member = 1;
	e.created_at = "2024-01-02 03:04:05";
	e.updated_at = "2024-01-02 03:04:06";
	j = folder_entry_json(&e, &A);
	is_int(json_integer_value(json_object_get(j, "id")), 7, "id");
	ok(json_is_true(json_object_get(j, "linked")), "linked");
	ok(json_is_true(json_object_get(j, "update_pending")), "an update is pending: synced 2 < latest 4");
	ok(json_is_true(json_object_get(j, "owner_is_member")), "owner_is_member");
	ok(json_is_false(json_object_get(j, "owner_saved_my_card")), "owner_saved_my_card");
	is_str(json_string_value(json_object_get(json_object_get(j, "images"), "front")),
	       "/api/v1/folder/7/images/front?v=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	       "the image URL names its bytes");
	ok(json_is_null(json_object_get(json_object_get(j, "images"), "back")), "no back image: null");
	is_str(json_string_value(json_object_get(j, "updated_at")), "2024-01-02T03:04:06Z", "times in ISO 8601 UTC");
	ok(json_is_array(json_object_get(j, "tags")) && json_array_size(json_object_get(j, "tags")) == 0, "tags: []");
	json_decref(j);

	e.declined_revision = 4;
	j = folder_entry_json(&e, &A);
	ok(json_is_false(json_object_get(j, "update_pending")), "the holder declined revision 4: none pending");
	json_decref(j);
	e.declined_revision = 3;
	j = folder_entry_json(&e, &A);
	ok(json_is_true(json_object_get(j, "update_pending")), "declined 3, latest 4: pending again");
	json_decref(j);
	e.source_card_id = 0;
	j = folder_entry_json(&e, &A);
	ok(json_is_false(json_object_get(j, "update_pending")) && json_is_null(json_object_get(j, "synced_revision")) &&
	   json_is_null(json_object_get(j, "latest_revision")), "an unlinked entry: no revisions, nothing pending");
	json_decref(j);

	is_str(folder_dup_choices[FOLDER_DUP_SKIP], "skip", "on_duplicate choices: skip");
	is_str(folder_dup_choices[FOLDER_DUP_MERGE], "merge", "merge");
	is_str(folder_dup_choices[FOLDER_DUP_KEEP], "keep", "keep");
	ok(folder_dup_choices[FOLDER_DUP__MAX] == NULL, "NULL-terminated");
	is_str(folder_side_name(FOLDER_BACK), "back", "side names");
}

/* stored_text: the card's text as folder_entries.data holds it, in A. */
static const char *stored_text(const struct card *c)
{
	json_t *j = card_to_json(c);
	char *t = json_dumps(j, JSON_COMPACT);
	const char *copy = arena_strdup(&A, t);
	free(t);
	json_decref(j);
	return copy;
}

/* text_of: what the API wrote before folder_entry_json_text wrote it
 * directly: jansson's ENSURE_ASCII dump of folder_entry_json. */
static char *text_of(const struct folder_entry *e)
{
	json_t *j = folder_entry_json(e, &A);
	char *t = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(j);
	return t;
}

/* folder_entry_json_text writes, member by member, the bytes jansson
 * writes for the same entry: escapes, numbers, null, booleans, tags. */
static void test_json_text(void)
{
	static const char *const strings[] = {
		"plain", "\xe5\xbc\xa0\xe4\xbc\x9f Zhang", "quote \" back \\ slash /", "tab\there\nnl\rcr\bbs\ffeed",
		"\x01\x02\x1f\x7f del", "\xf0\x9f\x98\x80 emoji \xf0\x90\x80\x80 \xf4\x8f\xbf\xbf",
		"\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf", "\xe2\x80\xa8 line sep", "", "<script>&amp;</script>",
		"M\xc3\xbc" "ller Garc\xc3\xad" "a", "!%_",
	};
	size_t n = sizeof(strings) / sizeof(*strings);
	struct folder_entry e;
	struct card c;

	for (size_t i = 0; i < n; i++) {
		card_init(&c);
		c.full_name = strings[i];
		c.note = strings[(i + 3) % n];
		memset(&e, 0, sizeof(e));
		e.id = 1000000000000LL + (long long)i;
		e.uid = i % 4 == 1 ? NULL : strings[(i + 1) % n];
		e.card_json = stored_text(&c);
		e.notes = i % 5 == 2 ? NULL : strings[(i + 2) % n];
		e.tags = arena_alloc(&A, 3 * sizeof(*e.tags));
		for (size_t t = 0; t < i % 3; t++)
			e.tags[e.n_tags++] = strings[(i + 4 + t) % n];
		e.image[FOLDER_FRONT] = i % 2 ? "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" : NULL;
		e.image[FOLDER_BACK] = i % 3 ? "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" : NULL;
		e.source_card_id = i % 2 ? 9 : 0;
		e.synced_revision = i % 4 == 3 ? -1 : (long long)i;
		e.latest_revision = i % 6 == 5 ? -1 : (long long)i + (long long)(i % 3);
		e.declined_revision = i % 5 == 4 ? (long long)i + 1 : -1;
		e.owner_is_member = (int)(i % 2);
		e.owner_saved_my_card = (int)(i % 3 == 0);
		e.auto_update_effective = (int)(i % 4 == 0);
		e.link_offer = (int)(i % 5 == 1);
		e.created_at = i % 7 == 6 ? NULL : "2024-01-02 03:04:05";
		e.updated_at = i % 7 == 5 ? "short" : "2024-11-12 13:14:15.123456";
		char *want = text_of(&e);
		const char *got = folder_entry_json_text(&e, &A);
		is_str(got, want, "entry %zu written as jansson writes it", i);
		free(want);
	}
	/* jsonw_string: every ASCII byte, and code points of each UTF-8 length */
	int same = 1;
	for (unsigned cp = 1; cp < 0x110000 && same; cp = cp < 0x800 ? cp + 1 : cp + 97) {
		char in[8], buf[JSONW_STRING_MAX(7)], *end;
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		size_t len = utf8_put(in, cp);
		in[len] = 'x';
		in[len + 1] = '\0';
		json_t *j = json_string(in);
		char *want = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT | JSON_ENSURE_ASCII);
		end = jsonw_string(buf, in);
		same = end && (size_t)(end - buf) == strlen(want) && memcmp(buf, want, strlen(want)) == 0;
		if (!same)
			printf("# U+%04X: %s\n", cp, want);
		free(want);
		json_decref(j);
	}
	ok(same, "jsonw_string writes each character as jansson does");
	ok(jsonw_string((char[16]){0}, "a\xc3") == NULL && jsonw_string((char[16]){0}, "\xed\xa0\x80") == NULL,
	   "jsonw_string: invalid UTF-8 refused");
	{
		char b[128];
		struct jsonw w = {b, 0};
		JSONW_LIT(&w, "[");
		jsonw_int(&w, -9223372036854775807LL - 1);
		JSONW_LIT(&w, ",");
		jsonw_str(&w, NULL);
		JSONW_LIT(&w, ",");
		jsonw_bool(&w, 1);
		JSONW_LIT(&w, ",");
		jsonw_bool(&w, 0);
		JSONW_LIT(&w, ",");
		jsonw_str(&w, "\"\xe5\x90\x8d\"");
		JSONW_LIT(&w, "]");
		ok(jsonw_end(&w) == 0 && strcmp(b, "[-9223372036854775808,null,true,false,\"\\\"\\u540D\\\"\"]") == 0,
		   "the bounded writer: numbers, null, booleans, strings (%s)", b);
		w.o = b;
		jsonw_str(&w, "ok");
		jsonw_str(&w, "a\xc3");
		JSONW_LIT(&w, "}");
		ok(jsonw_end(&w) == -1 && strcmp(b, "\"ok\"}") == 0, "a string that is not UTF-8 is left out and the text refused");
	}

	/* a tag that is not UTF-8: jansson leaves it out, and so does the text */
	memset(&e, 0, sizeof(e));
	card_init(&c);
	c.full_name = "A";
	e.card_json = stored_text(&c);
	e.tags = arena_alloc(&A, 2 * sizeof(*e.tags));
	e.tags[e.n_tags++] = "ok";
	e.tags[e.n_tags++] = "bad \xc3";
	char *want = text_of(&e);
	is_str(folder_entry_json_text(&e, &A), want, "invalid UTF-8: jansson's answer");
	free(want);
}

/* search_fold: the smallest character of each LIKE class (the table is
 * MariaDB's own answer; tests/integration/245-folder-search.t compares the
 * search with the collation's LIKE on a real stack). */
static void test_search_fold(void)
{
	is_str(search_fold("zhang Wei 123", &A), "ZHANG WEI 123", "ASCII letters: the capital");
	is_str(search_fold("m\xc3\xbcller GARC\xc3\x8d" "A", &A), "MULLER GARCIA", "accents and case: one class");
	is_str(search_fold("\xef\xbd\x9a\xef\xbc\x91", &A), "Z1", "fullwidth forms: ASCII");
	is_str(search_fold("\xe5\xbc\xa0\xe4\xbc\x9f \xf0\x9f\x98\x80", &A), "\xe5\xbc\xa0\xe4\xbc\x9f \xf0\x9f\x98\x80",
	       "CJK ideographs and characters above U+FFFF: themselves");
	is_str(search_fold("e\xcc\x81" "b\x7f", &A), "E\x01" "B\x01", "weightless characters (a combining accent, DEL): U+0001");
	is_str(search_fold("stra\xc3\x9f" "e \xc3\xa6", &A), search_fold("STRA\xc3\x9f" "E \xc3\x86", &A),
	       "\xc3\x9f and \xc3\xa6 stay letters of their own (LIKE does not expand them)");
	ok(strcmp(search_fold("\xc3\x9f", &A), "SS") != 0 && strcmp(search_fold("\xc3\xa6", &A), "AE") != 0,
	   "no expansion");
	is_str(search_fold("\xc2\xad", &A), "\xc2\xad", "the soft hyphen weighs: itself");
	is_str(search_fold("bad \xc3", &A), "BAD \xc3", "bytes that are not UTF-8: copied");
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	arena_init(&A);
	test_uids();
	test_tags();
	test_load();
	test_tolerant_edit();
	test_merge();
	test_json();
	test_json_text();
	test_search_fold();
	arena_reset(&A);
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
