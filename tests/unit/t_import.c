/* t_import.c: unit tests for the database-free parts of lib/import.c: reading a file's cards (errors, tags, UIDs, keys) and planning duplicates by policy. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "arena.h"
#include "import.h"
#include "strmap.h"

static struct arena A;

#define CARD(body) "BEGIN:VCARD\r\nVERSION:3.0\r\n" body "END:VCARD\r\n"

static const char FILE3[] =
	CARD("FN:Wang Fang\r\nEMAIL:fang@acme.example\r\nCATEGORIES:clients,tea\r\nUID:u-1\r\n")
	CARD("FN:Fang W.\r\nEMAIL:FANG@acme.example\r\nTEL:138 0013 8000\r\nCATEGORIES:vip\r\n")
	"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\n"
	CARD("NOTE:no identity\r\n")
	CARD("FN:Li Lei\r\nTEL:+86 138 0013 8000\r\n")
	CARD("FN:Other\r\nEMAIL:other@example.org\r\n");

static void read_file(struct import_batch *b, struct import_result *res)
{
	struct errinfo ei = {0};
	import_result_init(res);
	ok(import_read(FILE3, strlen(FILE3), NULL, "CN", &A, b, res, &ei) == ERR_OK, "the file is read");
}

static void test_read(void)
{
	struct import_batch b;
	struct import_result res;
	struct errinfo ei = {0};

	read_file(&b, &res);
	is_int(b.n, 4, "four good cards");
	is_int(json_array_size(res.errors), 2, "two reported: the broken one and the one without identity");
	is_str(json_string_value(json_object_get(json_array_get(res.errors, 1), "code")), "no_identity",
	       "the card without identity by its code");
	ok(b.cards[0].n_tags == 2 && strcmp(b.cards[0].tags[1], "tea") == 0, "CATEGORIES became the first card's tags");
	is_int(b.cards[0].card.n_extras, 0, "and left its extras");
	is_str(b.cards[0].uid, "u-1", "the UID is kept");
	ok(b.cards[0].keys[b.cards[0].n_keys - 1] && strcmp(b.cards[0].keys[b.cards[0].n_keys - 1], "u:u-1") == 0,
	   "and is a key");
	import_free(&res);

	import_result_init(&res);
	is_int(import_read("x", 1, NULL, "CN", &A, &b, &res, &ei), ERR_BAD_REQUEST, "no vCard: 400");
	is_str(ei.code, "invalid_vcard", "with its code");
	memset(&ei, 0, sizeof(ei));
	is_int(import_read(FILE3, strlen(FILE3), "NO-SUCH-CHARSET", "CN", &A, &b, &res, &ei), ERR_BAD_REQUEST,
	       "an unknown charset: 400");
	is_str(ei.code, "unknown_charset", "with its code");
	import_free(&res);
}

static void test_plan(void)
{
	struct import_batch b;
	struct import_result res;

	/* merge: card 1 shares the e-mail of card 0, card 2 the phone of card 1 */
	read_file(&b, &res);
	import_plan(&b, FOLDER_DUP_MERGE, &A, &res);
	ok(b.cards[0].action == NULL && b.cards[3].action == NULL, "merge: the first of each and the unrelated card are new");
	ok(b.cards[1].action && strcmp(b.cards[1].action, "merged") == 0 && b.cards[1].target == 0,
	   "a card with the same e-mail merges into the first");
	ok(b.cards[2].action && strcmp(b.cards[2].action, "merged") == 0 && b.cards[2].target == 0,
	   "a card sharing a phone with a merged card goes to the same first card");
	ok(b.cards[0].n_tags == 3 && strcmp(b.cards[0].tags[2], "vip") == 0, "the merged card's tags join the first's");
	ok(b.cards[0].card.n_phones == 1, "and its phone too");
	is_int(res.merged, 2, "two merged");
	import_free(&res);

	/* skip, with card 3 matching a stored entry */
	read_file(&b, &res);
	b.cards[3].dup_db = 77;
	import_plan(&b, FOLDER_DUP_SKIP, &A, &res);
	ok(b.cards[1].action && strcmp(b.cards[1].action, "skipped") == 0 && b.cards[1].target == 0,
	   "skip: the in-file duplicate is skipped for the first card");
	ok(b.cards[3].action && strcmp(b.cards[3].action, "skipped") == 0 && b.cards[3].target_entry == 77,
	   "a duplicate of a stored entry is skipped for it");
	ok(b.cards[2].action == NULL, "a skipped card's keys are not the file's: the card sharing its phone is new");
	is_int(res.skipped, 2, "two skipped");
	is_int(b.cards[0].n_tags, 2, "skipped cards' tags go nowhere");
	import_free(&res);

	/* keep: a second entry, the UID taken is dropped */
	read_file(&b, &res);
	b.cards[0].dup_db = 5;
	import_plan(&b, FOLDER_DUP_KEEP, &A, &res);
	ok(b.cards[0].action && strcmp(b.cards[0].action, "kept") == 0 && b.cards[0].target_entry == 5,
	   "keep: a duplicate of a stored entry is kept as a new one");
	ok(b.cards[0].uid == NULL, "its UID, taken, is replaced");
	ok(b.cards[1].action && strcmp(b.cards[1].action, "kept") == 0, "the in-file duplicate is kept too");
	is_int(res.merged + res.skipped, 0, "nothing merged or skipped");
	import_free(&res);

	/* merge into a stored entry: left for the caller */
	read_file(&b, &res);
	b.cards[0].dup_db = 9;
	import_plan(&b, FOLDER_DUP_MERGE, &A, &res);
	ok(b.cards[0].target_entry == 9 && b.cards[0].target == -1, "a card matching a stored entry merges into it");
	ok(b.cards[1].target_entry == 9, "and so does its in-file duplicate");
	is_int(b.cards[0].n_tags, 2, "whose tags are not merged into the card here");
	import_free(&res);
}

static void test_strmap(void)
{
	struct strmap m;
	char keys[100][16];
	int all = 1;

	strmap_init(&m, &A, 100);
	for (int i = 0; i < 100; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%d", i);
		all &= strmap_add(&m, keys[i], i);
	}
	ok(all, "strmap: 100 keys added");
	ok(!strmap_add(&m, "k7", 99) && strmap_get(&m, "k7") == 7, "a key added again keeps its first value");
	ok(strmap_get(&m, "k99") == 99 && strmap_get(&m, "nope") == -1, "found by its text; an absent key is -1");
}

/* import_slice: the chunks of an import job take the good cards of a range
 * of the file's cards (broken ones counted in the range, never stored). */
static void test_slice(void)
{
	struct import_batch b, s;
	struct import_result res;

	read_file(&b, &res);
	import_slice(&b, 0, 2, &s);
	ok(s.n == 2 && s.cards == b.cards && s.n_parsed == 2, "cards 0-1: the first two good cards");
	import_slice(&b, 2, 4, &s);
	is_int(s.n, 0, "cards 2-3: both broken, nothing to store");
	import_slice(&b, 4, 6, &s);
	ok(s.n == 2 && s.cards == b.cards + 2 && strcmp(s.cards[0].card.full_name, "Li Lei") == 0,
	   "cards 4-5: the last two good cards");
	is_int(s.n_keys, b.cards[2].n_keys + b.cards[3].n_keys, "with their keys counted");
	size_t all = 0;
	for (size_t lo = 0; lo < 6; lo += 4) {
		import_slice(&b, lo, lo + 4 > 6 ? 6 : lo + 4, &s);
		all += s.n;
	}
	is_int(all, b.n, "chunks of 4 take every good card once");
	import_free(&res);
}

int main(void)
{
	arena_init(&A);
	test_strmap();
	test_read();
	test_plan();
	test_slice();
	arena_reset(&A);
	return done_testing();
}
