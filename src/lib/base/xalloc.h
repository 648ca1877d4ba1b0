/* Allocation that aborts on failure: out of memory is not an input error, and
 * threading ENOMEM through every call would hide the real error paths. */
#ifndef S75_XALLOC_H
#define S75_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/** realloc of an array of `n` elements of `size`, with overflow checked. */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Grows `arr` (with `alloc` slots) so that it holds at least `nr` elements. */
#define ALLOC_GROW(arr, nr, alloc)                                                      \
	do {                                                                            \
		if ((nr) > (alloc)) {                                                   \
			size_t alloc_grow_n_ = (alloc) < 8 ? 8 : (alloc) * 2;           \
			if (alloc_grow_n_ < (nr))                                       \
				alloc_grow_n_ = (nr);                                   \
			(arr) = xreallocarray((arr), alloc_grow_n_, sizeof(*(arr)));    \
			(alloc) = alloc_grow_n_;                                        \
		}                                                                       \
	} while (0)

#endif
