/* t_foldercache.c: lib/foldercache.c: pages and counts kept by key, the bound in bytes kept by dropping the least recently used, older counters of a folder dropped, off at 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "foldercache.h"
#include "tap.h"

static struct foldercache_key key(long long holder, long long seq, const char *locale, const char *tag,
				  const char *cursor)
{
	struct foldercache_key k = {holder, seq, 50, locale, tag, cursor};
	return k;
}

/* put_page: a page of n bytes of tiles (letter c) under k */
static void put_page(const struct foldercache_key *k, size_t n, char c, const char *next)
{
	char *tiles = malloc(n + 1);
	memset(tiles, c, n);
	tiles[n] = '\0';
	struct foldercache_page p = {tiles, n, 7, next};
	foldercache_page_put(k, &p);
	free(tiles);
}

static int has(const struct foldercache_key *k)
{
	struct foldercache_page p;
	return foldercache_page_get(k, &p);
}

int main(void)
{
	struct foldercache_page p;
	struct foldercache_key k;
	struct arena a;

	arena_init(&a);
	foldercache_set_limit(64 * 1024);
	ok(foldercache_enabled(), "on with a bound above 0");

	/* a page kept and found by its whole key */
	k = key(1, 5, "en", NULL, NULL);
	put_page(&k, 1000, 'x', "CURSOR");
	ok(foldercache_page_get(&k, &p), "a kept page is found");
	is_int(p.tiles_len, 1000, "with its tiles' length");
	ok(p.tiles[0] == 'x' && p.tiles[999] == 'x' && p.tiles[1000] == '\0', "its tiles, NUL after them");
	is_int(p.shown, 7, "how many it shows");
	is_str(p.next_cursor, "CURSOR", "and the next cursor");
	k = key(1, 5, "", "", "");
	ok(!has(&k), "another locale is another page");
	k = key(1, 5, "en", "work", NULL);
	ok(!has(&k), "another tag is another page");
	k = key(1, 5, "en", NULL, "abc");
	ok(!has(&k), "another cursor is another page");
	k = key(1, 6, "en", NULL, NULL);
	ok(!has(&k), "another view counter is another page");
	k = key(2, 5, "en", NULL, NULL);
	ok(!has(&k), "another folder is another page");
	k = key(1, 5, "en", NULL, NULL);
	k.limit = 500;
	ok(!has(&k), "another page size is another page");
	k = key(1, 5, "en", "", "");
	ok(has(&k), "an empty tag or cursor is the same as none");
	/* a page without tiles, on the last page */
	k = key(1, 5, "zh-CN", "t", NULL);
	put_page(&k, 0, 'x', NULL);
	ok(foldercache_page_get(&k, &p) && p.tiles_len == 0 && p.tiles[0] == '\0' && p.next_cursor == NULL,
	   "an empty page on the last page: no tiles, no next cursor");

	/* counts */
	const char *tags[] = {"fair", "杭州", ""};
	long long counts[] = {3, 1, 2};
	struct foldercache_counts c = {tags, counts, 3, 42}, got;
	foldercache_counts_put(1, 5, &c);
	ok(foldercache_counts_get(1, 5, &a, &got), "counts kept");
	ok(got.n == 3 && got.total == 42 && got.counts[0] == 3 && got.counts[1] == 1 && got.counts[2] == 2,
	   "with the counts and the total");
	ok(strcmp(got.tags[0], "fair") == 0 && strcmp(got.tags[1], "杭州") == 0 && strcmp(got.tags[2], "") == 0,
	   "and the tags");
	ok(!foldercache_counts_get(1, 4, &a, &got), "not under another counter");
	struct foldercache_counts none = {NULL, NULL, 0, 0};
	foldercache_counts_put(3, 1, &none);
	ok(foldercache_counts_get(3, 1, &a, &got) && got.n == 0 && got.total == 0, "a folder without tags");

	/* a higher counter of a folder drops what it kept under lower ones */
	size_t before = foldercache_count();
	k = key(1, 6, "en", NULL, NULL);
	put_page(&k, 10, 'y', NULL);
	k = key(1, 5, "en", NULL, NULL);
	ok(!has(&k), "a page of the folder's new counter drops its old pages");
	ok(!foldercache_counts_get(1, 5, &a, &got), "and its old counts");
	ok(foldercache_counts_get(3, 1, &a, &got), "another folder's are kept");
	is_int(foldercache_count(), before - 3 + 1, "three entries of counter 5 gone, one of 6 added");

	/* the bound: least recently used first */
	foldercache_clear();
	is_int(foldercache_bytes(), 0, "cleared: nothing counted");
	is_int(foldercache_count(), 0, "and nothing kept");
	for (int h = 1; h <= 6; h++) {
		k = key(h, 1, "en", NULL, NULL);
		put_page(&k, 10000, 'a', NULL);
	}
	ok(foldercache_bytes() <= 64 * 1024, "six 10 kB pages within 64 KiB (%zu bytes)", foldercache_bytes());
	k = key(1, 1, "en", NULL, NULL);
	ok(has(&k), "the first page is used again");
	for (int h = 7; h <= 9; h++) {
		k = key(h, 1, "en", NULL, NULL);
		put_page(&k, 10000, 'a', NULL);
	}
	ok(foldercache_bytes() <= 64 * 1024, "nine pages put: still within the bound (%zu bytes)", foldercache_bytes());
	k = key(1, 1, "en", NULL, NULL);
	ok(has(&k), "the recently used page stayed");
	k = key(2, 1, "en", NULL, NULL);
	ok(!has(&k), "the least recently used went");
	k = key(9, 1, "en", NULL, NULL);
	ok(has(&k), "the newest is there");
	size_t sum = 0;
	for (int h = 1; h <= 9; h++) {
		k = key(h, 1, "en", NULL, NULL);
		sum += has(&k);
	}
	is_int(foldercache_count(), sum, "count() is what is found");

	/* a page over the bound is not kept and drops nothing */
	size_t n = foldercache_count();
	k = key(20, 1, "en", NULL, NULL);
	put_page(&k, 70 * 1024, 'b', NULL);
	ok(!has(&k), "a page larger than the bound is not kept");
	is_int(foldercache_count(), n, "and nothing was dropped for it");

	/* a lower bound drops entries; 0 turns it off */
	foldercache_set_limit(25 * 1024);
	ok(foldercache_bytes() <= 25 * 1024 && foldercache_count() == 2, "a lower bound keeps what fits (%zu)",
	   foldercache_count());
	foldercache_set_limit(0);
	ok(!foldercache_enabled(), "0: off");
	is_int(foldercache_count(), 0, "off: nothing kept");
	k = key(1, 1, "en", NULL, NULL);
	put_page(&k, 10, 'a', NULL);
	ok(!has(&k), "off: nothing put is found");
	foldercache_counts_put(1, 1, &c);
	ok(!foldercache_counts_get(1, 1, &a, &got), "off: no counts either");

	arena_reset(&a);
	return done_testing();
}
