/* JSON lists too long for a jansson tree (doc_json_rows): the document's JSON written by
 * a walk of its tree that gives the same bytes as jansson's json_dump_callback() with
 * JSON_INDENT(2) | JSON_PRESERVE_ORDER, and writes each long list's rows straight from
 * the report's own data. At 100,000 care packages a tree of the 55,000 overdue reviews was
 * about 50 MB and most of the report's time. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"
#include "report_internal.h"
#include "s75/error.h"
#include "xalloc.h"

#define JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER)

json_t *doc_json_rows(s75_doc *d, size_t n, doc_json_row_fn row, const void *ctx)
{
	json_t *node = json_array();
	d->lists = xreallocarray(d->lists, d->nlists + 1, sizeof(*d->lists));
	d->lists[d->nlists].node = node;
	d->lists[d->nlists].n = n;
	d->lists[d->nlists].row = row;
	d->lists[d->nlists].ctx = ctx;
	d->nlists++;
	return node;
}

void doc_own(s75_doc *d, void *data, void (*free_fn)(void *))
{
	d->owned = xreallocarray(d->owned, d->nowned + 1, sizeof(*d->owned));
	d->owned[d->nowned].data = data;
	d->owned[d->nowned].free_fn = free_fn;
	d->nowned++;
}

static void indent(s75_buf *out, int depth)
{
	size_t n = (size_t)depth * 2;
	s75_buf_grow(out, n + 1);
	out->ptr[out->len++] = '\n';
	memset(out->ptr + out->len, ' ', n);
	out->len += n;
	out->ptr[out->len] = '\0';
}

/* A value by jansson itself (reals, true, false, and text that needs escaping). */
static void dump_any(s75_buf *out, const json_t *v)
{
	size_t n = json_dumpb(v, NULL, 0, JSON_FLAGS | JSON_ENCODE_ANY);
	s75_buf_grow(out, n);
	if (n)
		json_dumpb(v, out->ptr + out->len, n, JSON_FLAGS | JSON_ENCODE_ANY);
	out->len += n;
	out->ptr[out->len] = '\0';
}

static void put_string(s75_buf *out, const char *s, size_t len)
{
	/* printable ASCII with no quote or backslash is written as it is, as jansson writes it */
	size_t i = 0;
	while (i < len && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7F && s[i] != '"' &&
	       s[i] != '\\')
		i++;
	if (i == len) {
		s75_buf_grow(out, len + 2);
		out->ptr[out->len++] = '"';
		memcpy(out->ptr + out->len, s, len);
		out->len += len;
		out->ptr[out->len++] = '"';
		out->ptr[out->len] = '\0';
		return;
	}
	json_t *v = json_stringn(s, len);
	if (v)
		dump_any(out, v);
	else /* not UTF-8: jansson would not hold it either */
		s75_buf_puts(out, "null");
	json_decref(v);
}

static void put_int(s75_buf *out, int64_t v)
{
	char b[24];
	int n = 0;
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		b[sizeof(b) - 1 - n++] = (char)('0' + a % 10);
		a /= 10;
	} while (a);
	if (v < 0)
		b[sizeof(b) - 1 - n++] = '-';
	s75_buf_add(out, b + sizeof(b) - n, (size_t)n);
}

static void write_list(s75_buf *out, const doc_json_list *l, int depth)
{
	if (!l->n) {
		s75_buf_puts(out, "[]");
		return;
	}
	s75_buf_putc(out, '[');
	for (size_t i = 0; i < l->n; i++) {
		doc_json_row w = {out, depth + 1, 0, {0}};
		if (i)
			s75_buf_putc(out, ',');
		indent(out, depth + 1);
		l->row(&w, i, l->ctx);
	}
	indent(out, depth);
	s75_buf_putc(out, ']');
}

static void walk(const s75_doc *d, s75_buf *out, const json_t *v, int depth)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *x;
		size_t i = 0, n = json_object_size(v);
		s75_buf_putc(out, '{');
		if (!n) {
			s75_buf_putc(out, '}');
			return;
		}
		json_object_foreach((json_t *)v, key, x) {
			if (i++)
				s75_buf_putc(out, ',');
			indent(out, depth + 1);
			put_string(out, key, strlen(key));
			s75_buf_add(out, ": ", 2);
			walk(d, out, x, depth + 1);
		}
		indent(out, depth);
		s75_buf_putc(out, '}');
		return;
	}
	case JSON_ARRAY: {
		size_t n = json_array_size(v);
		for (size_t k = 0; k < d->nlists; k++)
			if (d->lists[k].node == v) {
				write_list(out, &d->lists[k], depth);
				return;
			}
		s75_buf_putc(out, '[');
		if (!n) {
			s75_buf_putc(out, ']');
			return;
		}
		for (size_t i = 0; i < n; i++) {
			if (i)
				s75_buf_putc(out, ',');
			indent(out, depth + 1);
			walk(d, out, json_array_get(v, i), depth + 1);
		}
		indent(out, depth);
		s75_buf_putc(out, ']');
		return;
	}
	case JSON_STRING:
		put_string(out, json_string_value(v), json_string_length(v));
		return;
	case JSON_INTEGER:
		put_int(out, json_integer_value(v));
		return;
	default:
		dump_any(out, v);
		return;
	}
}

int doc_json_write(const s75_doc *d, s75_buf *out)
{
	walk(d, out, d->json, 0);
	s75_buf_putc(out, '\n');
	return 0;
}

void doc_json_row_object(doc_json_row *w)
{
	s75_buf_putc(w->out, '{');
	w->level++;
	if (w->level >= (int)(sizeof(w->n) / sizeof(w->n[0])))
		abort(); /* programming error: rows are shallow */
	w->n[w->level] = 0;
}

void doc_json_row_key(doc_json_row *w, const char *key)
{
	size_t len = strlen(key), n = (size_t)(w->depth + w->level) * 2, i = 0;
	while (i < len && (unsigned char)key[i] >= 0x20 && (unsigned char)key[i] < 0x7F &&
	       key[i] != '"' && key[i] != '\\')
		i++;
	if (i < len) { /* a key that needs escaping: the slow way */
		if (w->n[w->level]++)
			s75_buf_putc(w->out, ',');
		indent(w->out, w->depth + w->level);
		put_string(w->out, key, len);
		s75_buf_add(w->out, ": ", 2);
		return;
	}
	/* `,` `\n` indent `"key": ` in one go: each row writes several */
	s75_buf *out = w->out;
	s75_buf_grow(out, n + len + 6);
	char *p = out->ptr + out->len;
	if (w->n[w->level]++)
		*p++ = ',';
	*p++ = '\n';
	memset(p, ' ', n);
	p += n;
	*p++ = '"';
	memcpy(p, key, len);
	p += len;
	memcpy(p, "\": ", 3);
	p += 3;
	*p = '\0';
	out->len = (size_t)(p - out->ptr);
}

void doc_json_row_end(doc_json_row *w)
{
	if (w->n[w->level])
		indent(w->out, w->depth + w->level - 1);
	s75_buf_putc(w->out, '}');
	w->level--;
}

void doc_json_row_string(doc_json_row *w, const char *key, const char *s)
{
	doc_json_row_key(w, key);
	if (s)
		put_string(w->out, s, strlen(s));
	else
		s75_buf_puts(w->out, "null");
}

void doc_json_row_int(doc_json_row *w, const char *key, int64_t v)
{
	doc_json_row_key(w, key);
	put_int(w->out, v);
}
