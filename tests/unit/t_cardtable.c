/* t_cardtable.c: a card field is declared once: struct card, enum card_field, the tables of lib/card.c, the JSON writer, the fast reader of lib/card.c and CardDAV's column lists agree (a field missing from any of them fails here). */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "arena.h"
#include "card.h"
#include "dav.h"
#include "folder.h"

static struct arena A;

/* top_level_columns: the columns of a SELECT list (commas outside
 * parentheses and quotes, plus one). */
static size_t top_level_columns(const char *sql)
{
	size_t n = 1;
	int depth = 0, quoted = 0;
	for (const char *p = sql; *p; p++) {
		if (*p == '\'')
			quoted = !quoted;
		else if (!quoted && *p == '(')
			depth++;
		else if (!quoted && *p == ')')
			depth--;
		else if (!quoted && depth == 0 && *p == ',')
			n++;
	}
	return n;
}

int main(void)
{
	struct card c, back;
	arena_init(&A);

	/* every member of struct card is in a table: its size is the tables' */
	size_t declared = card_n_texts * sizeof(const char *) +
			  card_n_lists * (sizeof(void *) + sizeof(size_t)) +
			  sizeof(struct card_extra *) + sizeof(size_t);
	is_int(sizeof(struct card), declared,
	       "struct card holds exactly the members of card_texts and card_lists (and the extras)");
	is_int(sizeof(struct card_address), card_n_address_parts * sizeof(const char *),
	       "struct card_address holds exactly card_address_parts");

	/* every field of enum card_field but the images has a row, and its name */
	for (int f = 0; f < CF__MAX; f++) {
		int rows = 0;
		for (size_t i = 0; i < card_n_texts; i++)
			rows += card_texts[i].f == (enum card_field)f;
		for (size_t i = 0; i < card_n_lists; i++)
			rows += card_lists[i].f == (enum card_field)f &&
				strcmp(card_lists[i].key, card_field_name((enum card_field)f)) == 0;
		if (f == CF_FRONT_IMAGE || f == CF_BACK_IMAGE)
			ok(rows == 0, "%s is not in the card object", card_field_name((enum card_field)f));
		else
			ok(rows > 0, "field %s has its row in the tables", card_field_name((enum card_field)f));
	}

	/* a card with every member set, distinctly */
	card_init(&c);
	for (size_t i = 0; i < card_n_texts; i++)
		*(const char **)((char *)&c + card_texts[i].m.off) = arena_printf(&A, "text %zu", i);
	for (size_t i = 0; i < card_n_lists; i++) {
		const struct card_list *l = &card_lists[i];
		if (l->addresses) {
			struct card_address *ad = arena_alloc(&A, sizeof(*ad));
			for (size_t k = 0; k < card_n_address_parts; k++)
				*(const char **)((char *)ad + card_address_parts[k].off) =
					k == 0 ? "work" : arena_printf(&A, "part %zu", k);
			*(struct card_address **)((char *)&c + l->off) = ad;
		} else {
			struct card_item *it = arena_alloc(&A, sizeof(*it));
			it->type = "work";
			it->value = arena_printf(&A, "value %zu", i);
			*(struct card_item **)((char *)&c + l->off) = it;
		}
		*(size_t *)((char *)&c + l->n_off) = 1;
	}

	/* through the JSON writer and the fast reader, every field comes back */
	json_t *j = card_to_json(&c);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	ok(card_load_fast(text, &A, &back), "the fast reader of lib/card.c takes a full card (no fallback)");
	for (int f = 0; f < CF__MAX; f++)
		ok(card_field_equal(&c, &back, (enum card_field)f), "%s survives card_to_json and card_load_fast",
		   card_field_name((enum card_field)f));
	for (size_t i = 0; i < card_n_texts; i++)
		ok(strcmp(*(const char **)((char *)&back + card_texts[i].m.off), arena_printf(&A, "text %zu", i)) == 0,
		   "text member %s read back", card_texts[i].m.key);
	is_str(back.full_name, c.full_name, "full_name read back as written");
	/* and through the general reader (lib/folder.c), the fast one's fallback */
	struct card slow;
	ok(folder_card_load(text, NULL, &A, &slow) == ERR_OK, "folder_card_load reads the full card");
	for (int f = 0; f < CF__MAX; f++)
		ok(card_field_equal(&c, &slow, (enum card_field)f), "%s survives folder_card_load",
		   card_field_name((enum card_field)f));
	free(text);

	/* CardDAV's column lists match the columns row_read reads */
	is_int(top_level_columns(DAV_ROW_LIGHT), DAV_COL_DATA, "DAV_ROW_LIGHT lists the light columns of enum dav_col");
	is_int(top_level_columns(DAV_ROW_FULL), DAV_COL__MAX, "DAV_ROW_FULL lists every column of enum dav_col");
	is_int(top_level_columns(DAV_ROW_SCAN), DAV_COL__MAX, "DAV_ROW_SCAN too");

	arena_reset(&A);
	return done_testing();
}
