#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "s75/diag.h"
#include "s75/text.h"
#include "xalloc.h"

void s75_diags_add(s75_diags *d, s75_diag_level level, const char *file, s75_pos pos,
		   const char *fmt, ...)
{
	s75_buf msg = S75_BUF_INIT;
	va_list ap;

	s75_buf raw = S75_BUF_INIT, name = S75_BUF_INIT;
	va_start(ap, fmt);
	s75_buf_vprintf(&raw, fmt, ap);
	va_end(ap);
	/* values from files reach the terminal: control characters escaped, long ones cut */
	s75_text_escape_msg(&msg, raw.ptr);
	s75_buf_release(&raw);
	s75_text_escape_msg(&name, file ? file : "");
	ALLOC_GROW(d->items, d->n + 1, d->alloc);
	s75_diag *x = &d->items[d->n];
	x->level = level;
	x->file = s75_buf_detach(&name);
	x->pos = pos;
	x->msg = s75_buf_detach(&msg);
	x->seq = d->n++;
	if (level == S75_DIAG_ERROR)
		d->nerrors++;
	else
		d->nwarnings++;
}

static int cmp_diag(const void *pa, const void *pb)
{
	const s75_diag *a = pa, *b = pb;
	int c = strcmp(a->file, b->file);
	if (c)
		return c;
	if (a->pos.line != b->pos.line)
		return a->pos.line < b->pos.line ? -1 : 1;
	if (a->pos.col != b->pos.col)
		return a->pos.col < b->pos.col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void s75_diags_sort(s75_diags *d)
{
	if (d->n > 1)
		qsort(d->items, d->n, sizeof(*d->items), cmp_diag);
}

void s75_diags_format(const s75_diags *d, s75_buf *out)
{
	for (size_t i = 0; i < d->n; i++) {
		const s75_diag *x = &d->items[i];
		const char *lvl = x->level == S75_DIAG_ERROR ? "error" : "warning";
		if (x->pos.line > 0 && x->pos.col > 0)
			s75_buf_printf(out, "%s:%d:%d: %s: %s\n", x->file, x->pos.line, x->pos.col,
				       lvl, x->msg);
		else if (x->pos.line > 0)
			s75_buf_printf(out, "%s:%d: %s: %s\n", x->file, x->pos.line, lvl, x->msg);
		else
			s75_buf_printf(out, "%s: %s: %s\n", x->file, lvl, x->msg);
	}
}

void s75_diags_release(s75_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].file);
		free(d->items[i].msg);
	}
	free(d->items);
	memset(d, 0, sizeof(*d));
}
