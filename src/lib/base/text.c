/* Outside text made safe for a terminal, HTML and XLSX. */
#include <stdio.h>
#include <string.h>

#include "s75/text.h"

bool s75_text_is_nonchar(uint32_t cp)
{
	return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

size_t s75_text_utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t k;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xE0) == 0xC0)
		k = 2, v = c & 0x1F, min = 0x80;
	else if ((c & 0xF0) == 0xE0)
		k = 3, v = c & 0x0F, min = 0x800;
	else if ((c & 0xF8) == 0xF0)
		k = 4, v = c & 0x07, min = 0x10000;
	else
		return 0;
	if (k > n)
		return 0;
	for (size_t j = 1; j < k; j++) {
		if ((s[j] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[j] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return k;
}

void s75_text_escape(s75_buf *out, const char *s, size_t len, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t k;
		if (i >= max) {
			s75_buf_printf(out, "[... %zu more bytes]", len - i);
			return;
		}
		/* printable ASCII, most text, is copied a run at a time */
		for (k = 0; i + k < len && i + k < max && p[i + k] >= 0x20 && p[i + k] < 0x7F; k++)
			;
		if (k) {
			s75_buf_add(out, s + i, k);
			i += k;
			continue;
		}
		k = s75_text_utf8_next(p + i, len - i, &cp);
		if (!k) {
			s75_buf_printf(out, "\\x%02X", p[i]);
			i++;
			continue;
		}
		if (cp == '\n')
			s75_buf_puts(out, "\\n");
		else if (cp == '\t')
			s75_buf_puts(out, "\\t");
		else if (cp == '\r')
			s75_buf_puts(out, "\\r");
		else if (cp < 0x20 || cp == 0x7F)
			s75_buf_printf(out, "\\x%02X", (unsigned)cp);
		else if ((cp >= 0x80 && cp < 0xA0) || s75_text_is_nonchar(cp) ||
			 cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
			 (cp >= 0x2066 && cp <= 0x2069))
			/* C1 controls, non-characters, line separators and bidi overrides */
			s75_buf_printf(out, "\\u{%04X}", (unsigned)cp);
		else
			s75_buf_add(out, s + i, k);
		i += k;
	}
}

void s75_text_escape_msg(s75_buf *out, const char *s)
{
	s75_text_escape(out, s, strlen(s), S75_TEXT_MSG_MAX);
}

size_t s75_text_xml_plain(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while ((p[i] >= 0x20 && p[i] < 0x80) || p[i] == '\t' || p[i] == '\n' || p[i] == '\r')
		i++;
	return i;
}

void s75_text_xml_safe(s75_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0;
	while (i < len) {
		uint32_t cp;
		/* a run of ASCII that needs nothing: in one piece */
		size_t plain = s75_text_xml_plain(s + i);
		if (plain) {
			s75_buf_add(out, s + i, plain);
			i += plain;
			continue;
		}
		size_t k = s75_text_utf8_next(p + i, len - i, &cp);
		if (!k) {
			s75_buf_puts(out, "\xEF\xBF\xBD");
			i++;
			continue;
		}
		if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
			s75_buf_putc(out, ' ');
		else if (s75_text_is_nonchar(cp))
			s75_buf_puts(out, "\xEF\xBF\xBD");
		else
			s75_buf_add(out, s + i, k);
		i += k;
	}
}


bool s75_text_valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t k = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2
								: (c & 0xF8) == 0xF0 ? 3 : 9;
		if (k == 9 || (k == 1 && c < 0xC2) || i + k >= n + (k == 0))
			return false;
		for (size_t j = 1; j <= k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return false;
		i += k + 1;
	}
	return true;
}

void s75_text_trim(const char **s, size_t *len)
{
	while (*len && ((*s)[0] == ' ' || (*s)[0] == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}
