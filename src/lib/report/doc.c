#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"
#include "s75/error.h"
#include "xalloc.h"

s75_doc *s75_doc_new(const char *title)
{
	s75_doc *d = xcalloc(1, sizeof(*d));
	d->title = xstrdup(title);
	return d;
}

static void free_chart(s75_chart *c)
{
	for (size_t i = 0; i < c->ncats; i++)
		free(c->cats[i]);
	for (size_t i = 0; i < c->nseries; i++) {
		free(c->series[i].name);
		free(c->series[i].v);
	}
	free(c->cats);
	free(c->series);
	free(c->title);
	free(c->desc);
	free(c->suffix);
	free(c);
}

const char *s75_doc_title(const s75_doc *d)
{
	return d->title;
}

void s75_doc_free(s75_doc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nmeta; i++) {
		free(d->meta[i].key);
		free(d->meta[i].value);
	}
	for (size_t i = 0; i < d->nsections; i++) {
		doc_section *s = &d->sections[i];
		for (size_t k = 0; k < s->nblocks; k++) {
			doc_block *b = &s->blocks[k];
			free(b->text);
			free(b->amounts);
			s75_table_free(b->table);
			if (b->chart)
				free_chart(b->chart);
		}
		free(s->blocks);
		free(s->heading);
		free(s->sheet);
	}
	free(d->meta);
	for (size_t i = 0; i < d->nwarnings; i++)
		free(d->warnings[i]);
	free(d->warnings);
	free(d->sections);
	free(d->title);
	json_decref(d->json);
	s75_table_free(d->csv);
	free(d->lists);
	for (size_t i = 0; i < d->nowned; i++)
		d->owned[i].free_fn(d->owned[i].data);
	free(d->owned);
	free(d);
}

void s75_doc_json(s75_doc *d, json_t *data)
{
	json_decref(d->json);
	d->json = data;
}

void s75_doc_units(s75_doc *d, s75_unit unit)
{
	d->unit = unit;
}

const char *s75_doc_rounding_note(s75_unit unit)
{
	switch (unit) {
	case S75_UNIT_THOUSANDS:
		return "Amounts in £'000, rounded; rows are rounded so that they add to the rounded "
		       "totals shown (largest remainder).";
	case S75_UNIT_MILLIONS:
		return "Amounts in £m to one decimal place, rounded; rows are rounded so that they add "
		       "to the rounded totals shown (largest remainder).";
	default:
		return "";
	}
}

void s75_doc_bare(s75_doc *d)
{
	d->bare = true;
}

void s75_doc_csv(s75_doc *d, s75_table *t)
{
	s75_table_free(d->csv);
	d->csv = t;
}

int s75_doc_render_json(const s75_doc *d, s75_buf *out)
{
	if (!d->json)
		return s75_error_set(S75_EINVALID, "'%s' has no JSON form", d->title);
	/* by our own writer (json_rows.c), byte for byte as jansson's indented dump, and
	 * straight into `out`: no whole second copy of a large document (json_dumps) */
	return doc_json_write(d, out);
}

int s75_doc_render_csv(const s75_doc *d, s75_buf *out)
{
	if (!d->csv)
		return s75_error_set(S75_EINVALID, "'%s' has no CSV form", d->title);
	s75_table_render_csv(d->csv, out, 1);
	return 0;
}

void s75_doc_meta(s75_doc *d, const char *key, const char *value)
{
	d->meta = xreallocarray(d->meta, d->nmeta + 1, sizeof(*d->meta));
	d->meta[d->nmeta].key = xstrdup(key);
	d->meta[d->nmeta].value = xstrdup(value ? value : "");
	d->nmeta++;
}

void s75_doc_warning(s75_doc *d, const char *text)
{
	d->warnings = xreallocarray(d->warnings, d->nwarnings + 1, sizeof(char *));
	d->warnings[d->nwarnings++] = xstrdup(text);
}

size_t s75_doc_nwarnings(const s75_doc *d)
{
	return d->nwarnings;
}

void s75_doc_section(s75_doc *d, const char *heading, const char *sheet)
{
	d->sections = xreallocarray(d->sections, d->nsections + 1, sizeof(*d->sections));
	memset(&d->sections[d->nsections], 0, sizeof(doc_section));
	d->sections[d->nsections].heading = xstrdup(heading);
	d->sections[d->nsections].sheet = sheet ? xstrdup(sheet) : NULL;
	d->nsections++;
}

static doc_block *new_block(s75_doc *d)
{
	if (!d->nsections)
		s75_doc_section(d, d->title, "Summary");
	doc_section *s = &d->sections[d->nsections - 1];
	s->blocks = xreallocarray(s->blocks, s->nblocks + 1, sizeof(*s->blocks));
	doc_block *b = &s->blocks[s->nblocks++];
	memset(b, 0, sizeof(*b));
	return b;
}

void s75_doc_para(s75_doc *d, const char *text)
{
	new_block(d)->text = xstrdup(text);
}

void s75_doc_para_amounts(s75_doc *d, const char *text, const int64_t *pence, size_t n)
{
	doc_block *b = new_block(d);
	b->text = xstrdup(text);
	b->amounts = xcalloc(n + 1, sizeof(int64_t));
	memcpy(b->amounts, pence, n * sizeof(int64_t));
	b->namounts = n;
}

void doc_para_text(s75_buf *out, const doc_block *b, s75_unit unit)
{
	size_t k = 0;
	for (const char *p = b->text; *p; p++) {
		if (p[0] == '{' && p[1] == '}' && k < b->namounts) {
			s75_unit_amount(out, b->amounts[k++], unit);
			p++;
		} else {
			s75_buf_putc(out, *p);
		}
	}
}

void s75_doc_table(s75_doc *d, s75_table *t)
{
	new_block(d)->table = t;
}

void s75_doc_set_charts_drawn(s75_doc *d, bool drawn)
{
	d->no_charts = !drawn;
}

bool s75_doc_charts_drawn(const s75_doc *d)
{
	return !d->no_charts;
}

s75_chart *s75_doc_chart(s75_doc *d, s75_chart_kind kind, const char *title,
			 const char *description)
{
	s75_chart *c = xcalloc(1, sizeof(*c));
	c->kind = kind;
	c->title = xstrdup(title);
	c->desc = xstrdup(description ? description : "");
	new_block(d)->chart = c;
	return c;
}

void s75_chart_category(s75_chart *c, const char *label)
{
	c->cats = xreallocarray(c->cats, c->ncats + 1, sizeof(char *));
	c->cats[c->ncats++] = xstrdup(label);
}

void s75_chart_series(s75_chart *c, const char *name, const int64_t *pence, size_t n)
{
	c->series = xreallocarray(c->series, c->nseries + 1, sizeof(*c->series));
	chart_series *s = &c->series[c->nseries++];
	s->name = xstrdup(name);
	s->v = xcalloc(n + 1, sizeof(int64_t));
	memcpy(s->v, pence, n * sizeof(int64_t));
	s->n = n;
}

void s75_chart_values_as(s75_chart *c, s75_chart_values kind, const char *suffix)
{
	c->values = kind;
	free(c->suffix);
	c->suffix = suffix ? xstrdup(suffix) : NULL;
}

void s75_chart_flags(s75_chart *c, unsigned flags)
{
	c->flags = flags;
}

void s75_doc_render_text(const s75_doc *d, s75_buf *out, s75_unit unit)
{
	if (d->bare) {
		for (size_t i = 0; i < d->nsections; i++)
			for (size_t k = 0; k < d->sections[i].nblocks; k++) {
				const doc_block *b = &d->sections[i].blocks[k];
				if (b->text) {
					doc_para_text(out, b, unit);
					s75_buf_putc(out, '\n');
				}
				else if (b->table)
					s75_table_render_text(b->table, out, unit);
			}
		return;
	}
	/* the cover (when, file, sha256) is for the workbook and the page; a terminal
	 * report starts with its warnings, then its title */
	for (size_t i = 0; i < d->nwarnings; i++)
		s75_buf_printf(out, "warning: %s\n", d->warnings[i]);
	s75_buf_printf(out, "%s — %s\n", d->title, s75_unit_name(unit));
	if (unit != S75_UNIT_POUNDS)
		s75_buf_printf(out, "%s\n", s75_doc_rounding_note(unit));
	for (size_t i = 0; i < d->nsections; i++) {
		const doc_section *s = &d->sections[i];
		bool shown = false; /* charts are for the page: a section of charts only is skipped */
		for (size_t k = 0; k < s->nblocks; k++)
			shown |= s->blocks[k].text || s->blocks[k].table;
		if (!shown)
			continue;
		if (strcmp(s->heading, d->title))
			s75_buf_printf(out, "\n== %s ==\n", s->heading);
		for (size_t k = 0; k < s->nblocks; k++) {
			const doc_block *b = &s->blocks[k];
			s75_buf_putc(out, '\n');
			if (b->text) {
				doc_para_text(out, b, unit);
				s75_buf_putc(out, '\n');
			}
			else if (b->table)
				s75_table_render_text(b->table, out, unit);
			else
				s75_buf_len_trim_nl(out); /* a chart: nothing in text */
		}
	}
}
