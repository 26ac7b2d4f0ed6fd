/* strmap.c: a string-keyed open-addressing map (FNV-1a, linear probing) in an arena. */
#include "strmap.h"

#include <string.h>

static size_t str_hash(const char *s)
{
	size_t h = 14695981039346656037ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

void strmap_init(struct strmap *m, struct arena *a, size_t n)
{
	m->cap = 16;
	while (m->cap < 4 * n)
		m->cap *= 2;
	m->keys = arena_alloc(a, m->cap * sizeof(*m->keys));
	m->vals = arena_alloc(a, m->cap * sizeof(*m->vals));
}

/* slot: where key is, or the empty slot where it would go; cap when full. */
static size_t slot(const struct strmap *m, const char *key)
{
	size_t i = str_hash(key) & (m->cap - 1);
	for (size_t probes = 0; probes < m->cap; probes++, i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == NULL || strcmp(m->keys[i], key) == 0)
			return i;
	return m->cap;
}

long strmap_get(const struct strmap *m, const char *key)
{
	size_t i = slot(m, key);
	return i < m->cap && m->keys[i] ? m->vals[i] : -1;
}

int strmap_add(struct strmap *m, const char *key, long val)
{
	size_t i = slot(m, key);
	if (i == m->cap || m->keys[i])
		return 0;
	m->keys[i] = key;
	m->vals[i] = val;
	return 1;
}
