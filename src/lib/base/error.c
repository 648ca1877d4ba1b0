#include <stdarg.h>
#include <stdio.h>

#include "s75/error.h"

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

	va_start(ap, fmt);
	vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
	va_end(ap);
	last_code = code;
	return code;
}

void s75_error_clear(void)
{
	last_msg[0] = '\0';
	last_code = 0;
}
