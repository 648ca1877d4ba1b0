/* An arena: many small allocations freed together. The agreement model lives in one,
 * so that freeing it is one call and a half-built model on error leaks nothing. */
#ifndef S75_ARENA_H
#define S75_ARENA_H

#include <stddef.h>

typedef struct s75_arena s75_arena;

s75_arena *s75_arena_new(void);
void s75_arena_free(s75_arena *a);
/** Zeroed memory for `n` elements of `size`; aborts if memory runs out. */
void *s75_arena_alloc(s75_arena *a, size_t n, size_t size);
char *s75_arena_strdup(s75_arena *a, const char *s);
char *s75_arena_strndup(s75_arena *a, const char *s, size_t n);

#endif
