/* s75 — a growable byte buffer, always NUL-terminated (strbuf's rules).
 *
 * A buffer initialised with S75_BUF_INIT owns no memory until something is added;
 * s75_buf_release() frees it and leaves it ready for reuse. `ptr` is never NULL.
 */
#ifndef S75_BUF_H
#define S75_BUF_H

#include <stdarg.h>
#include "common.h"

typedef struct s75_buf {
	char *ptr;
	size_t len;
	size_t alloc;
} s75_buf;

extern char s75_buf_empty[];
#define S75_BUF_INIT {s75_buf_empty, 0, 0}

S75_EXTERN(void) s75_buf_init(s75_buf *b);
S75_EXTERN(void) s75_buf_release(s75_buf *b);
/** Makes room for `extra` more bytes plus the NUL. Aborts if memory runs out. */
S75_EXTERN(void) s75_buf_grow(s75_buf *b, size_t extra);
S75_EXTERN(void) s75_buf_add(s75_buf *b, const void *data, size_t len);
S75_EXTERN(void) s75_buf_puts(s75_buf *b, const char *s);
S75_EXTERN(void) s75_buf_putc(s75_buf *b, char c);
S75_EXTERN(void) s75_buf_printf(s75_buf *b, const char *fmt, ...) S75_PRINTF(2, 3);
S75_EXTERN(void) s75_buf_vprintf(s75_buf *b, const char *fmt, va_list ap);
S75_EXTERN(void) s75_buf_reset(s75_buf *b);
/** Hands the string to the caller (who frees it with free()) and resets the buffer. */
S75_EXTERN(char *) s75_buf_detach(s75_buf *b);

#endif
