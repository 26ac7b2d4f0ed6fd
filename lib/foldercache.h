/* foldercache.h: the folder list page's costly parts kept between requests in each worker, keyed by the folder's view counter (issue 19). */
#ifndef LIVECARD_FOLDERCACHE_H
#define LIVECARD_FOLDERCACHE_H

#include <stddef.h>

#include "arena.h"

/* What a list page's tiles depend on besides the rows: the folder
 * (holder), its view counter when the rows were read (folder_view_seq,
 * read before them), the language of the badges, the tag filter, the
 * cursor and the page size. A search (q) is never kept: see
 * docs/architecture.md. tag and cursor: NULL and "" are the same. */
struct foldercache_key {
	long long holder, seq, limit;
	const char *locale, *tag, *cursor;
};

/* A list page's tiles: their HTML (folder_tiles_html; tiles_len bytes, NUL
 * after them), how many entries they show, and the next page's cursor
 * (NULL on the last page). */
struct foldercache_page {
	const char *tiles;
	size_t tiles_len;
	long long shown;
	const char *next_cursor;
};

/* The folder's tags with their entry counts (folder_tags_all) and its
 * number of entries (folder_saved_count): per holder and counter, for every
 * page of the folder, searches included. */
struct foldercache_counts {
	const char **tags;
	long long *counts;
	size_t n;
	long long total;
};

/* foldercache_set_limit: the cache's bound in bytes (blocks and their
 * bookkeeping); 0 turns it off. Entries beyond the new bound are dropped.
 * Without a call, the first use reads Limits.FolderCacheKiB (512). */
void foldercache_set_limit(size_t bytes);

/* foldercache_enabled: whether the cache is on (its bound above 0). */
int foldercache_enabled(void);

/* foldercache_page_get: 1 and *out when the page of k is kept (it becomes
 * the most recently used), else 0. out's strings belong to the cache and
 * stay valid until the next foldercache_*_put, foldercache_set_limit or
 * foldercache_clear: copy them before. */
int foldercache_page_get(const struct foldercache_key *k, struct foldercache_page *out);

/* foldercache_page_put: keep a copy of p under k, dropping the least
 * recently used entries to stay within the bound and every entry of the
 * holder kept under a lower counter; nothing when p alone is over the
 * bound, the cache is off, or memory runs out. */
void foldercache_page_put(const struct foldercache_key *k, const struct foldercache_page *p);

/* foldercache_counts_get: 1 and *out (its arrays and strings copied into a)
 * when the counts of holder at counter seq are kept, else 0. */
int foldercache_counts_get(long long holder, long long seq, struct arena *a,
			   struct foldercache_counts *out);

/* foldercache_counts_put: keep a copy of c for holder at counter seq (as
 * foldercache_page_put). */
void foldercache_counts_put(long long holder, long long seq, const struct foldercache_counts *c);

/* foldercache_bytes, foldercache_count: what the cache holds now (bytes
 * counted against the bound, entries). */
size_t foldercache_bytes(void);
size_t foldercache_count(void);

/* foldercache_clear: drop every entry. */
void foldercache_clear(void);

#endif
