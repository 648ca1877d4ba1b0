#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "xalloc.h"

struct block {
	struct block *next;
	size_t used, size;
	_Alignas(max_align_t) unsigned char data[];
};

struct s75_arena {
	struct block *head;
};

s75_arena *s75_arena_new(void)
{
	return xcalloc(1, sizeof(s75_arena));
}

void s75_arena_free(s75_arena *a)
{
	if (!a)
		return;
	for (struct block *b = a->head, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

void *s75_arena_alloc(s75_arena *a, size_t n, size_t size)
{
	size_t bytes, align = _Alignof(max_align_t);
	if (__builtin_mul_overflow(n, size, &bytes) || bytes > SIZE_MAX / 2)
		abort();
	bytes = (bytes + align - 1) & ~(align - 1);
	if (bytes == 0)
		bytes = align;
	struct block *b = a->head;
	if (!b || b->size - b->used < bytes) {
		size_t cap = bytes > 16384 ? bytes : 16384;
		b = xmalloc(sizeof(*b) + cap);
		b->size = cap;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += bytes;
	memset(p, 0, bytes);
	return p;
}

char *s75_arena_strndup(s75_arena *a, const char *s, size_t n)
{
	char *p = s75_arena_alloc(a, n + 1, 1);
	memcpy(p, s, n);
	return p;
}

char *s75_arena_strdup(s75_arena *a, const char *s)
{
	return s75_arena_strndup(a, s, strlen(s));
}
