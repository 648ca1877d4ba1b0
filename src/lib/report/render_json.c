/* A document's JSON written straight from its jansson tree, byte for byte as
 * json_dump_callback(JSON_INDENT(2) | JSON_PRESERVE_ORDER) writes it, without its
 * per-value callbacks and loop checks: a report's JSON (thousands of objects) is written
 * several times faster. What it does not write itself (a real number, text that is not
 * UTF-8), it leaves to jansson. */
#include <stdio.h>
#include <string.h>

#include "doc_internal.h"
#include "s75/text.h"

static void indent(s75_buf *out, int depth)
{
	static const char spaces[] = "                                ";
	s75_buf_putc(out, '\n');
	for (size_t n = (size_t)depth * 2; n > 0;) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		s75_buf_add(out, spaces, k);
		n -= k;
	}
}

/* As jansson's dump_string without JSON_ENSURE_ASCII or JSON_ESCAPE_SLASH. */
static int string(s75_buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	s75_buf_putc(out, '"');
	while (i < len) {
		size_t run = i;
		while (run < len && p[run] >= 0x20 && p[run] != '"' && p[run] != '\\')
			run++;
		if (run > i) {
			/* jansson refuses text that is not UTF-8: so do we (it says why) */
			for (size_t j = i; j < run;) {
				uint32_t cp;
				size_t k = p[j] < 0x80 ? 1 : s75_text_utf8_next(p + j, run - j, &cp);
				if (!k)
					return -1;
				j += k;
			}
			s75_buf_add(out, s + i, run - i);
			i = run;
			continue;
		}
		char seq[8];
		switch (p[i]) {
		case '\\': s75_buf_add(out, "\\\\", 2); break;
		case '"': s75_buf_add(out, "\\\"", 2); break;
		case '\b': s75_buf_add(out, "\\b", 2); break;
		case '\f': s75_buf_add(out, "\\f", 2); break;
		case '\n': s75_buf_add(out, "\\n", 2); break;
		case '\r': s75_buf_add(out, "\\r", 2); break;
		case '\t': s75_buf_add(out, "\\t", 2); break;
		default:
			snprintf(seq, sizeof(seq), "\\u%04X", (unsigned)p[i]);
			s75_buf_add(out, seq, 6);
		}
		i++;
	}
	s75_buf_putc(out, '"');
	return 0;
}

static int value(s75_buf *out, const json_t *j, int depth)
{
	char num[32];
	switch (json_typeof(j)) {
	case JSON_NULL:
		s75_buf_add(out, "null", 4);
		return 0;
	case JSON_TRUE:
		s75_buf_add(out, "true", 4);
		return 0;
	case JSON_FALSE:
		s75_buf_add(out, "false", 5);
		return 0;
	case JSON_INTEGER: {
		/* as "%" JSON_INTEGER_FORMAT, without printf (a report has tens of thousands) */
		json_int_t v = json_integer_value(j);
		unsigned long long a = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
		char digits[24];
		size_t n = 0, k = 0;
		do {
			digits[n++] = (char)('0' + a % 10);
			a /= 10;
		} while (a);
		if (v < 0)
			num[k++] = '-';
		while (n)
			num[k++] = digits[--n];
		s75_buf_add(out, num, k);
		return 0;
	}
	case JSON_STRING:
		return string(out, json_string_value(j), json_string_length(j));
	case JSON_ARRAY: {
		size_t n = json_array_size(j);
		s75_buf_putc(out, '[');
		if (!n) {
			s75_buf_putc(out, ']');
			return 0;
		}
		indent(out, depth + 1);
		for (size_t i = 0; i < n; i++) {
			if (value(out, json_array_get(j, i), depth + 1))
				return -1;
			if (i + 1 < n) {
				s75_buf_putc(out, ',');
				indent(out, depth + 1);
			} else {
				indent(out, depth);
			}
		}
		s75_buf_putc(out, ']');
		return 0;
	}
	case JSON_OBJECT: {
		/* jansson keeps an object's keys in the order they were set */
		void *it = json_object_iter((json_t *)j);
		s75_buf_putc(out, '{');
		if (!it) {
			s75_buf_putc(out, '}');
			return 0;
		}
		indent(out, depth + 1);
		while (it) {
			void *next = json_object_iter_next((json_t *)j, it);
			if (string(out, json_object_iter_key(it), json_object_iter_key_len(it)))
				return -1;
			s75_buf_add(out, ": ", 2);
			if (value(out, json_object_iter_value(it), depth + 1))
				return -1;
			if (next) {
				s75_buf_putc(out, ',');
				indent(out, depth + 1);
			} else {
				indent(out, depth);
			}
			it = next;
		}
		s75_buf_putc(out, '}');
		return 0;
	}
	default:
		return -1; /* a real: jansson's own formatting */
	}
}

int doc_json_write(s75_buf *out, const json_t *j)
{
	size_t at = out->len;
	if (!json_is_object(j) && !json_is_array(j))
		return -1;
	if (value(out, j, 0)) {
		out->len = at; /* left to jansson, from the start */
		if (out->ptr)
			out->ptr[at] = '\0';
		return -1;
	}
	return 0;
}
