/* arena.h: region allocator; everything a request allocates is freed at once. */
#ifndef LIVECARD_ARENA_H
#define LIVECARD_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;	/* newest block first */
	size_t total;			/* bytes handed out, for accounting */
};

/* arena_init: make an empty arena; no allocation until first use. */
void arena_init(struct arena *a);

/* arena_alloc: n zeroed bytes aligned for any type, owned by the arena.
 * Never returns NULL: aborts the process when memory is exhausted. */
void *arena_alloc(struct arena *a, size_t n);

/* arena_strdup / arena_strndup: NUL-terminated copy owned by the arena;
 * NULL in gives NULL out. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* arena_strdup_trim: s without leading and trailing spaces, tabs, CR and
 * LF, copied into the arena. */
char *arena_strdup_trim(struct arena *a, const char *s);

/* arena_memdup: copy of n bytes (plus a NUL after them) owned by the arena. */
void *arena_memdup(struct arena *a, const void *p, size_t n);

/* arena_printf: formatted string owned by the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* arena_reset: free every allocation; the arena stays usable. */
void arena_reset(struct arena *a);

#endif
