#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "xalloc.h"

struct sentry {
	const char *key;
	size_t len;
	int value;
};

struct s75_strmap {
	struct sentry *e;
	size_t cap, n;
};

/* FNV-1a */
static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

s75_strmap *s75_strmap_new(void)
{
	s75_strmap *m = xcalloc(1, sizeof(*m));
	m->cap = 64;
	m->e = xcalloc(m->cap, sizeof(*m->e));
	return m;
}

void s75_strmap_free(s75_strmap *m)
{
	if (!m)
		return;
	free(m->e);
	free(m);
}

static uint64_t mix(uint64_t x);

static struct sentry *sfind(struct sentry *e, size_t cap, const char *key, size_t len)
{
	/* mixed: FNV-1a's low bits alone put ids that differ in their last digits (P000001,
	 * P000002, ...) in runs of neighbouring slots, and the probes compared keys */
	size_t i = mix(hash_bytes(key, len)) & (cap - 1);
	while (e[i].key && !(e[i].len == len && !memcmp(e[i].key, key, len)))
		i = (i + 1) & (cap - 1);
	return &e[i];
}

void s75_strmap_put(s75_strmap *m, const char *key, size_t len, int value)
{
	if ((m->n + 1) * 2 > m->cap) {
		size_t cap = m->cap * 2;
		struct sentry *e = xcalloc(cap, sizeof(*e));
		for (size_t i = 0; i < m->cap; i++)
			if (m->e[i].key)
				*sfind(e, cap, m->e[i].key, m->e[i].len) = m->e[i];
		free(m->e);
		m->e = e;
		m->cap = cap;
	}
	struct sentry *x = sfind(m->e, m->cap, key, len);
	if (!x->key)
		m->n++;
	x->key = key;
	x->len = len;
	x->value = value;
}

int s75_strmap_get(const s75_strmap *m, const char *key, size_t len)
{
	const struct sentry *x = sfind(m->e, m->cap, key, len);
	return x->key ? x->value : -1;
}

struct uentry {
	uint64_t key;
	size_t slot; /* 0 = empty, else slot + 1 */
};

struct s75_u64map {
	struct uentry *e;
	size_t cap, n;
};

s75_u64map *s75_u64map_new(void)
{
	s75_u64map *m = xcalloc(1, sizeof(*m));
	m->cap = 1024;
	m->e = xcalloc(m->cap, sizeof(*m->e));
	return m;
}

void s75_u64map_free(s75_u64map *m)
{
	if (!m)
		return;
	free(m->e);
	free(m);
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

static struct uentry *ufind(struct uentry *e, size_t cap, uint64_t key)
{
	size_t i = mix(key) & (cap - 1);
	while (e[i].slot && e[i].key != key)
		i = (i + 1) & (cap - 1);
	return &e[i];
}

size_t s75_u64map_slot(s75_u64map *m, uint64_t key, int *created)
{
	struct uentry *x = ufind(m->e, m->cap, key);
	if (x->slot) {
		*created = 0;
		return x->slot - 1;
	}
	if ((m->n + 1) * 2 > m->cap) {
		size_t cap = m->cap * 2;
		struct uentry *e = xcalloc(cap, sizeof(*e));
		for (size_t i = 0; i < m->cap; i++)
			if (m->e[i].slot)
				*ufind(e, cap, m->e[i].key) = m->e[i];
		free(m->e);
		m->e = e;
		m->cap = cap;
		x = ufind(m->e, m->cap, key);
	}
	x->key = key;
	x->slot = ++m->n;
	*created = 1;
	return x->slot - 1;
}

size_t s75_u64map_count(const s75_u64map *m)
{
	return m->n;
}
