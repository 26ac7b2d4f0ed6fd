/* t_arena.c: lib/arena.c: formatted strings written in one pass into the head block or measured first, allocations that never overlap. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "tap.h"

int main(void)
{
	struct arena a;
	char want[40000];

	arena_init(&a);
	/* into an empty arena (no head block yet) */
	is_str(arena_printf(&a, "%s-%d", "first", 1), "first-1", "the first text of an empty arena");

	/* many texts into one block: each stays intact while the next are written */
	char *s[400];
	for (int i = 0; i < 400; i++)
		s[i] = arena_printf(&a, "text %d of %s", i, "many");
	int intact = 1;
	for (int i = 0; i < 400; i++) {
		char w[64];
		snprintf(w, sizeof(w), "text %d of %s", i, "many");
		intact &= strcmp(s[i], w) == 0;
	}
	ok(intact, "400 texts, each as written (none overwritten by a later one)");
	ok(((size_t)s[1] % sizeof(max_align_t)) == 0, "texts start aligned like any allocation");

	/* texts of every length around what is left in the head block: the
	 * one that does not fit is measured and written whole elsewhere */
	int whole = 1;
	for (int n = 1; n < 600; n += 7) {
		memset(want, 'x', (size_t)n);
		want[n] = '\0';
		char *p = arena_printf(&a, "%s", want);
		char *q = arena_alloc(&a, 16);
		memset(q, 'y', 16);
		whole &= strcmp(p, want) == 0;
	}
	ok(whole, "texts of 1..600 bytes next to allocations, whatever the room left");

	/* longer than a block */
	memset(want, 'z', sizeof(want) - 1);
	want[sizeof(want) - 1] = '\0';
	char *big = arena_printf(&a, "<%s>", want);
	ok(big && strlen(big) == sizeof(want) + 1 && big[0] == '<' && big[sizeof(want)] == '>',
	   "a text longer than a block (40,001 bytes)");
	is_str(arena_printf(&a, "%s", ""), "", "an empty text");
	size_t before = a.total;
	char *t = arena_printf(&a, "%d", 12345);
	is_str(t, "12345", "a number");
	is_int(strlen(t), 5, "of its length");
	ok(a.total > before, "the arena counts what the text took");
	arena_reset(&a);
	is_str(arena_printf(&a, "after %s", "reset"), "after reset", "usable again after arena_reset");
	arena_reset(&a);
	return done_testing();
}
