/* strmap.h: a string-keyed open-addressing map in an arena (sets of names, an import's keys). */
#ifndef LIVECARD_STRMAP_H
#define LIVECARD_STRMAP_H

#include <stddef.h>

#include "arena.h"

struct strmap {
	const char **keys;	/* the keys are not copied: they must outlive the map */
	long *vals;
	size_t cap;
};

/* strmap_init: an empty map with room for n keys (more are not added). */
void strmap_init(struct strmap *m, struct arena *a, size_t n);

/* strmap_get: the value of key, or -1 when absent. */
long strmap_get(const struct strmap *m, const char *key);

/* strmap_add: set key to val unless it is there already (its value then
 * stays). 1 when added, 0 when it was there (or the map is full). */
int strmap_add(struct strmap *m, const char *key, long val);

#endif
