/* Text for HTML and XML: the one escaper of the page and its charts. What XML cannot
 * carry (controls, non-characters, broken UTF-8) is replaced first. */
#include "doc_internal.h"
#include "s75/text.h"

/* Appends `s` escaped; `s` is already safe for XML. */
static void esc_safe(s75_buf *out, const char *s)
{
	while (*s) {
		/* a run with nothing to escape, in one piece */
		size_t n = 0;
		while (s[n] && s[n] != '&' && s[n] != '<' && s[n] != '>' && s[n] != '"' &&
		       ((unsigned char)s[n] >= 0x20 || s[n] == '\n' || s[n] == '\t'))
			n++;
		if (n) {
			s75_buf_add(out, s, n);
			s += n;
			continue;
		}
		switch (*s) {
		case '&':
			s75_buf_puts(out, "&amp;");
			break;
		case '<':
			s75_buf_puts(out, "&lt;");
			break;
		case '>':
			s75_buf_puts(out, "&gt;");
			break;
		case '"':
			s75_buf_puts(out, "&quot;");
			break;
		default:
			/* control characters have no place in a committee paper */
			s75_buf_putc(out, ' ');
		}
		s++;
	}
}

void doc_html_esc(s75_buf *out, const char *text)
{
	/* what XML cannot carry (controls, non-characters, broken UTF-8) replaced first;
	 * plain ASCII (most of a report) needs no copy for that */
	if (!text[s75_text_xml_plain(text)]) {
		esc_safe(out, text);
		return;
	}
	s75_buf safe = S75_BUF_INIT;
	s75_text_xml_safe(&safe, text);
	esc_safe(out, safe.ptr ? safe.ptr : "");
	s75_buf_release(&safe);
}
