/* arena.c: region allocator backing per-request and per-chunk memory. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 16384

struct arena_block {
	struct arena_block *next;
	size_t size, used;
	max_align_t data[];
};

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->total = 0;
}

static struct arena_block *block_new(size_t size)
{
	struct arena_block *b = malloc(sizeof(*b) + size);
	if (b == NULL) {
		fputs("livecard: out of memory\n", stderr);
		abort();
	}
	b->size = size;
	b->used = 0;
	return b;
}

/* alloc_raw: n bytes as arena_alloc hands them out, not zeroed (for the
 * copies below, which write every byte they return). */
static void *alloc_raw(struct arena *a, size_t n)
{
	size_t align = sizeof(max_align_t);
	size_t need = (n + align - 1) / align * align;
	struct arena_block *b = a->head;

	if (need == 0)
		need = align;
	if (need > ARENA_BLOCK / 4) {
		/* big allocations get a block of their own behind the head,
		 * so the head keeps serving small ones */
		b = block_new(need);
		b->used = need;
		if (a->head) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = NULL;
			a->head = b;
		}
	} else {
		if (b == NULL || b->size - b->used < need) {
			b = block_new(ARENA_BLOCK);
			b->next = a->head;
			a->head = b;
		}
		b->used += need;
	}
	a->total += need;
	return (char *)b->data + b->used - need;
}

void *arena_alloc(struct arena *a, size_t n)
{
	void *p = alloc_raw(a, n);
	memset(p, 0, n ? n : 1);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	if (s == NULL)
		return NULL;
	char *p = alloc_raw(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

void *arena_memdup(struct arena *a, const void *p, size_t n)
{
	char *q = alloc_raw(a, n + 1);
	if (n)
		memcpy(q, p, n);
	q[n] = '\0';
	return q;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	size_t align = sizeof(max_align_t);
	struct arena_block *b = a->head;
	va_list ap;

	/* one pass when the text fits the head block's free space (most do);
	 * else measured, then written into an allocation of its size */
	if (b && b->size - b->used > align) {
		char *p = (char *)b->data + b->used;
		size_t room = b->size - b->used;
		va_start(ap, fmt);
		int n = vsnprintf(p, room, fmt, ap);
		va_end(ap);
		if (n < 0)
			return arena_strdup(a, "");
		if ((size_t)n < room) {
			size_t need = ((size_t)n + 1 + align - 1) / align * align;
			b->used += need;
			a->total += need;
			return p;
		}
	}
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return arena_strdup(a, "");
	char *p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void arena_reset(struct arena *a)
{
	struct arena_block *b = a->head, *next;
	for (; b; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
	a->total = 0;
}

char *arena_strdup_trim(struct arena *a, const char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return arena_strndup(a, s, n);
}
