/* Private: the text checks every reader shares (the agreement loader, the imports). */
#ifndef S75_TEXT_H
#define S75_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when the n bytes at s are well-formed UTF-8. */
bool text_valid_utf8(const unsigned char *s, size_t n);
/* Strips spaces and tabs from both ends. */
void text_trim(const char **s, size_t *len);

#endif
