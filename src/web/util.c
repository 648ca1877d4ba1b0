/* Allocation that aborts on failure, and a locale-free case-insensitive compare: what the
 * request parsing needs, apart from the library (so the fuzz target can be built alone). */
#include <stdlib.h>
#include <string.h>

#include "request.h"

void *web_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		abort();
	return p;
}

void *web_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

char *web_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(web_xmalloc(n), s, n);
}

int strncasecmp_ascii(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int ca = (unsigned char)a[i], cb = (unsigned char)b[i];
		if (ca >= 'A' && ca <= 'Z')
			ca += 32;
		if (cb >= 'A' && cb <= 'Z')
			cb += 32;
		if (ca != cb || !ca)
			return ca - cb;
	}
	return 0;
}

