#include <stdarg.h>
#include <stdio.h>

#include "s75/buf.h"
#include "s75/error.h"
#include "s75/text.h"

static _Thread_local char last_msg[1024];
static _Thread_local int last_code;

const char *s75_error_last(void)
{
	return last_msg;
}

int s75_error_code(void)
{
	return last_code;
}

int s75_error_set(int code, const char *fmt, ...)
{
	va_list ap;
	s75_buf raw = S75_BUF_INIT, shown = S75_BUF_INIT;

	va_start(ap, fmt);
	s75_buf_vprintf(&raw, fmt, ap);
	va_end(ap);
	/* values from files reach the terminal: control characters escaped, long ones cut */
	s75_text_escape_msg(&shown, raw.ptr);
	snprintf(last_msg, sizeof(last_msg), "%s", shown.ptr);
	s75_buf_release(&raw);
	s75_buf_release(&shown);
	last_code = code;
	return code;
}

void s75_error_clear(void)
{
	last_msg[0] = '\0';
	last_code = 0;
}
