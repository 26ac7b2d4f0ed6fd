/* foldercache.c: a bounded per-process LRU of folder list pages' tiles and counts, keyed by holder and view counter (issue 19). */
#include "foldercache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

enum fc_kind { FC_PAGE, FC_COUNTS };

/* One kept entry in one malloc block: the header, then data: the key's
 * strings (locale, tag, cursor, each with its NUL), then for a page the
 * tiles and the next cursor (each with its NUL); for counts no key
 * strings, the counts (copied with memcpy) and the tags (each with its
 * NUL). */
struct fc_entry {
	struct fc_entry *prev, *next;	/* most recently used first */
	enum fc_kind kind;
	long long holder, seq, limit;
	size_t size;			/* charged against the bound */
	size_t key_len;
	size_t tiles_len;		/* page */
	long long shown;
	int has_next;
	size_t n;			/* counts */
	long long total;
	char data[];
};

/* Each block also costs malloc's own header; charge it. */
#define FC_OVERHEAD 16

static struct fc_entry *head, *tail;
static size_t used, count;
static long limit_bytes = -1;	/* -1: not read yet */

static size_t limit_get(void)
{
	if (limit_bytes < 0) {
		long kib = config_get_int("Limits.FolderCacheKiB", 512);
		limit_bytes = kib > 0 ? kib * 1024 : 0;
	}
	return (size_t)limit_bytes;
}

static void unlink_entry(struct fc_entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		tail = e->prev;
	e->prev = e->next = NULL;
}

static void push_front(struct fc_entry *e)
{
	e->prev = NULL;
	e->next = head;
	if (head)
		head->prev = e;
	head = e;
	if (tail == NULL)
		tail = e;
}

static void drop(struct fc_entry *e)
{
	unlink_entry(e);
	used -= e->size;
	count--;
	free(e);
}

static void shrink_to(size_t bound)
{
	while (tail && used > bound)
		drop(tail);
}

void foldercache_set_limit(size_t bytes)
{
	limit_bytes = (long)bytes;
	shrink_to(bytes);
}

int foldercache_enabled(void)
{
	return limit_get() > 0;
}

void foldercache_clear(void)
{
	while (head)
		drop(head);
}

size_t foldercache_bytes(void)
{
	return used;
}

size_t foldercache_count(void)
{
	return count;
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* key_text: the key's strings as one run of bytes in buf (NULL: the length
 * only). */
static size_t key_text(const struct foldercache_key *k, char *buf)
{
	const char *s[3] = {nz(k->locale), nz(k->tag), nz(k->cursor)};
	size_t n = 0;

	for (int i = 0; i < 3; i++) {
		size_t l = strlen(s[i]) + 1;
		if (buf)
			memcpy(buf + n, s[i], l);
		n += l;
	}
	return n;
}

static struct fc_entry *find(enum fc_kind kind, long long holder, long long seq, long long lim,
			     const char *key, size_t key_len)
{
	for (struct fc_entry *e = head; e; e = e->next)
		if (e->kind == kind && e->holder == holder && e->seq == seq && e->limit == lim &&
		    e->key_len == key_len && memcmp(e->data, key, key_len) == 0)
			return e;
	return NULL;
}

/* store: make room for e (dropping what the holder kept under an older
 * counter, the same key, then the least recently used) and keep it; frees
 * e when it does not fit. */
static void store(struct fc_entry *e)
{
	size_t bound = limit_get();

	if (e->size > bound) {
		free(e);
		return;
	}
	for (struct fc_entry *o = head, *next; o; o = next) {
		next = o->next;
		if (o->holder == e->holder &&
		    (o->seq < e->seq ||
		     (o->kind == e->kind && o->seq == e->seq && o->limit == e->limit &&
		      o->key_len == e->key_len && memcmp(o->data, e->data, e->key_len) == 0)))
			drop(o);
	}
	shrink_to(bound - e->size);
	push_front(e);
	used += e->size;
	count++;
}

int foldercache_page_get(const struct foldercache_key *k, struct foldercache_page *out)
{
	char stack_key[512], *key = stack_key;
	size_t key_len = key_text(k, NULL);
	struct fc_entry *e;

	if (limit_get() == 0 || head == NULL)
		return 0;
	if (key_len > sizeof(stack_key) && (key = malloc(key_len)) == NULL)
		return 0;
	key_text(k, key);
	e = find(FC_PAGE, k->holder, k->seq, k->limit, key, key_len);
	if (key != stack_key)
		free(key);
	if (e == NULL)
		return 0;
	unlink_entry(e);
	push_front(e);
	out->tiles = e->data + e->key_len;
	out->tiles_len = e->tiles_len;
	out->shown = e->shown;
	out->next_cursor = e->has_next ? out->tiles + e->tiles_len + 1 : NULL;
	return 1;
}

void foldercache_page_put(const struct foldercache_key *k, const struct foldercache_page *p)
{
	size_t key_len = key_text(k, NULL);
	size_t next_len = p->next_cursor ? strlen(p->next_cursor) + 1 : 0;
	size_t block = sizeof(struct fc_entry) + key_len + p->tiles_len + 1 + next_len;
	struct fc_entry *e;

	if (limit_get() == 0 || block + FC_OVERHEAD > limit_get() || (e = malloc(block)) == NULL)
		return;
	memset(e, 0, sizeof(*e));
	e->kind = FC_PAGE;
	e->holder = k->holder;
	e->seq = k->seq;
	e->limit = k->limit;
	e->size = block + FC_OVERHEAD;
	e->key_len = key_len;
	key_text(k, e->data);
	if (p->tiles_len)
		memcpy(e->data + key_len, p->tiles, p->tiles_len);
	e->data[key_len + p->tiles_len] = '\0';
	e->tiles_len = p->tiles_len;
	e->shown = p->shown;
	e->has_next = p->next_cursor != NULL;
	if (next_len)
		memcpy(e->data + key_len + p->tiles_len + 1, p->next_cursor, next_len);
	store(e);
}

int foldercache_counts_get(long long holder, long long seq, struct arena *a,
			   struct foldercache_counts *out)
{
	struct fc_entry *e;
	const char *s;

	if (limit_get() == 0 || head == NULL ||
	    (e = find(FC_COUNTS, holder, seq, 0, "", 0)) == NULL)
		return 0;
	unlink_entry(e);
	push_front(e);
	out->n = e->n;
	out->total = e->total;
	out->tags = arena_alloc(a, (e->n + 1) * sizeof(*out->tags));
	out->counts = arena_alloc(a, (e->n + 1) * sizeof(*out->counts));
	memcpy(out->counts, e->data, e->n * sizeof(*out->counts));
	s = e->data + e->n * sizeof(long long);
	for (size_t i = 0; i < e->n; i++) {
		size_t l = strlen(s);
		out->tags[i] = arena_strndup(a, s, l);
		s += l + 1;
	}
	return 1;
}

void foldercache_counts_put(long long holder, long long seq, const struct foldercache_counts *c)
{
	size_t strings = 0, block;
	struct fc_entry *e;
	char *s;

	for (size_t i = 0; i < c->n; i++)
		strings += strlen(nz(c->tags[i])) + 1;
	/* the counts are copied in and out with memcpy: no alignment asked */
	block = sizeof(struct fc_entry) + c->n * sizeof(long long) + strings;
	if (limit_get() == 0 || block + FC_OVERHEAD > limit_get() || (e = malloc(block)) == NULL)
		return;
	memset(e, 0, sizeof(*e));
	e->kind = FC_COUNTS;
	e->holder = holder;
	e->seq = seq;
	e->size = block + FC_OVERHEAD;
	e->n = c->n;
	e->total = c->total;
	if (c->n)
		memcpy(e->data, c->counts, c->n * sizeof(long long));
	s = e->data + c->n * sizeof(long long);
	for (size_t i = 0; i < c->n; i++) {
		size_t l = strlen(nz(c->tags[i])) + 1;
		memcpy(s, nz(c->tags[i]), l);
		s += l;
	}
	store(e);
}
