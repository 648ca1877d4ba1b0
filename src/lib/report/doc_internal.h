/* Private to the document renderers. */
#ifndef S75_DOC_INTERNAL_H
#define S75_DOC_INTERNAL_H

#include <stdbool.h>

#include <jansson.h>

#include "s75/doc.h"

typedef struct chart_series {
	char *name;
	int64_t *v;
	size_t n;
} chart_series;

struct s75_chart {
	s75_chart_kind kind;
	char *title, *desc;
	char **cats;
	size_t ncats;
	chart_series *series;
	size_t nseries;
	s75_chart_values values; /* s75_chart_values_as() */
	char *suffix;            /* after a FIXED4 value, may be NULL */
	unsigned flags;          /* S75_CHART_LABEL_DIFF, ... */
};

typedef struct doc_block {
	char *text;
	int64_t *amounts; /* for the {} of text (s75_doc_para_amounts), may be NULL */
	size_t namounts;
	s75_table *table;
	s75_chart *chart;
} doc_block;

typedef struct doc_json_row doc_json_row;
typedef void (*doc_json_row_fn)(doc_json_row *w, size_t i, const void *ctx);

typedef struct doc_json_list {
	const struct json_t *node; /* the empty array standing for it in the tree */
	size_t n;
	doc_json_row_fn row;
	const void *ctx;
} doc_json_list;

typedef struct doc_section {
	char *heading;
	char *sheet; /* may be NULL */
	doc_block *blocks;
	size_t nblocks;
} doc_section;

struct s75_doc {
	char *title;
	struct {
		char *key, *value;
	} *meta;
	size_t nmeta;
	char **warnings;
	size_t nwarnings;
	doc_section *sections;
	size_t nsections;
	struct json_t *json; /* for -f json, may be NULL */
	s75_table *csv;      /* for -f csv, may be NULL */
	bool bare;           /* text: the blocks alone (s75_doc_bare) */
	bool no_charts;      /* no form that draws charts will render it (s75_doc_set_charts_drawn) */
	s75_unit unit;       /* s75_doc_units() */
	doc_json_list *lists; /* long lists of the JSON (doc_json_rows) */
	size_t nlists;
	struct {
		void *data;
		void (*free_fn)(void *);
	} *owned; /* what the lists read, freed with the document (doc_own) */
	size_t nowned;
};

/* The document's JSON with its long lists written row by row (json_rows.c). */
int doc_json_write(const s75_doc *d, s75_buf *out);

/* A paragraph's text with its amounts in `unit`. */
void doc_para_text(s75_buf *out, const doc_block *b, s75_unit unit);

/* Escapes text for HTML and XML (html_esc.c): the one escaper of the page. */
void doc_html_esc(s75_buf *out, const char *text);
/* A chart as inline SVG with its title, description and text alternative (render_chart.c). */
void doc_chart_svg(s75_buf *out, const s75_chart *c, size_t id);
/* The sentence saying what a chart shows (empty for a histogram). */
void doc_chart_summary(s75_buf *out, const s75_chart *c);

/* Removes the newline just added for a block that renders nothing in text. */
static inline void s75_buf_len_trim_nl(s75_buf *b)
{
	if (b->len && b->ptr[b->len - 1] == '\n') {
		b->len--;
		b->ptr[b->len] = '\0';
	}
}

#endif
