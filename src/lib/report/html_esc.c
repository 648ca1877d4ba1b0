/* Text for HTML and XML: the one escaper of the page and its charts. What XML cannot
 * carry (controls, non-characters, broken UTF-8) is replaced first. */
#include "doc_internal.h"
#include "s75/text.h"

void doc_html_esc(s75_buf *out, const char *text)
{
	/* what XML cannot carry (controls, non-characters, broken UTF-8) replaced first */
	s75_buf safe = S75_BUF_INIT;
	s75_text_xml_safe(&safe, text);
	for (const char *s = safe.ptr ? safe.ptr : ""; *s; s++) {
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
			if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
				s75_buf_putc(out, ' ');
			else
				s75_buf_putc(out, *s);
		}
	}
	s75_buf_release(&safe);
}
