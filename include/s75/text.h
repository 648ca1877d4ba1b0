/* s75 — text from outside files made safe to show.
 *
 * Ids, file names and cells come from files a hostile user may have written: shown on a
 * terminal they must not carry control characters (an escape sequence could rewrite the
 * screen), and in HTML or XLSX they must not carry characters XML forbids. Valid UTF-8
 * such as "£" passes through unchanged.
 */
#ifndef S75_TEXT_H
#define S75_TEXT_H

#include <stdbool.h>
#include "buf.h"

/** No limit on the length s75_text_escape() keeps. */
#define S75_TEXT_NO_LIMIT ((size_t)-1)

/**
 * Appends `len` bytes of `s` to `out` with control characters written as \n, \t, \r or
 * \xNN, bytes that are not UTF-8 as \xNN and non-characters (U+FFFE, U+FFFF, ...) as
 * \u{FFFE}; cut after about `max` bytes of input with "[... N more bytes]".
 */
S75_EXTERN(void) s75_text_escape(s75_buf *out, const char *s, size_t len, size_t max);

/** How much of a message s75_text_escape_msg() keeps. */
#define S75_TEXT_MSG_MAX 600

/** s75_text_escape() of a whole NUL-terminated message, cut after S75_TEXT_MSG_MAX bytes. */
S75_EXTERN(void) s75_text_escape_msg(s75_buf *out, const char *s);

/**
 * Appends the NUL-terminated `s` to `out` with what XML 1.0 cannot carry replaced:
 * control characters other than tab and line ends by a space, bytes that are not UTF-8
 * and non-characters by U+FFFD.
 */
S75_EXTERN(void) s75_text_xml_safe(s75_buf *out, const char *s);

/**
 * The length of the run at the start of `s` that s75_text_xml_safe() keeps byte for byte
 * without looking further: printable ASCII, tab and line ends. When it is strlen(s), the
 * text is already safe as it is.
 */
S75_EXTERN(size_t) s75_text_xml_plain(const char *s);

/** True when the code point is a Unicode non-character (U+FDD0..U+FDEF, U+xxFFFE/F). */
S75_EXTERN(bool) s75_text_is_nonchar(uint32_t cp);

/**
 * Decodes one UTF-8 sequence at `s` (of `n` bytes available): its length, or 0 when the
 * bytes there are not UTF-8 (overlong forms, surrogates and values past U+10FFFF too).
 */
S75_EXTERN(size_t) s75_text_utf8_next(const unsigned char *s, size_t n, uint32_t *cp);

/** True when the `n` bytes at `s` are well-formed UTF-8 (the agreement loader, the imports). */
S75_EXTERN(bool) s75_text_valid_utf8(const unsigned char *s, size_t n);
/** Strips spaces and tabs from both ends of the `*len` bytes at `*s`. */
S75_EXTERN(void) s75_text_trim(const char **s, size_t *len);

#endif
