#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s75/buf.h"
#include "xalloc.h"

char s75_buf_empty[1];

void s75_buf_init(s75_buf *b)
{
	b->ptr = s75_buf_empty;
	b->len = 0;
	b->alloc = 0;
}

void s75_buf_release(s75_buf *b)
{
	if (b->alloc)
		free(b->ptr);
	s75_buf_init(b);
}

void s75_buf_grow(s75_buf *b, size_t extra)
{
	size_t want;
	int fresh = b->alloc == 0;

	if (__builtin_add_overflow(b->len, extra, &want) || __builtin_add_overflow(want, 1, &want))
		want = SIZE_MAX;
	if (want <= b->alloc)
		return;
	if (fresh)
		b->ptr = NULL;
	size_t n = b->alloc < 64 ? 64 : b->alloc;
	while (n < want)
		n = n > SIZE_MAX / 2 ? want : n * 2;
	b->ptr = xrealloc(b->ptr, n);
	b->alloc = n;
	if (fresh)
		b->ptr[0] = '\0';
}

void s75_buf_add(s75_buf *b, const void *data, size_t len)
{
	s75_buf_grow(b, len);
	memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void s75_buf_puts(s75_buf *b, const char *s)
{
	s75_buf_add(b, s, strlen(s));
}

void s75_buf_putc(s75_buf *b, char c)
{
	s75_buf_add(b, &c, 1);
}

void s75_buf_vprintf(s75_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	s75_buf_grow(b, 64);
	va_copy(cp, ap);
	n = vsnprintf(b->ptr + b->len, b->alloc - b->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		abort();
	if ((size_t)n >= b->alloc - b->len) {
		s75_buf_grow(b, (size_t)n);
		n = vsnprintf(b->ptr + b->len, b->alloc - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void s75_buf_printf(s75_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	s75_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void s75_buf_reset(s75_buf *b)
{
	b->len = 0;
	if (b->alloc)
		b->ptr[0] = '\0';
}

char *s75_buf_detach(s75_buf *b)
{
	char *s = b->alloc ? b->ptr : xstrdup("");
	s75_buf_init(b);
	return s;
}
