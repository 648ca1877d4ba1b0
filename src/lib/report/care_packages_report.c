/* The care-package register at a date (s75 report packages) as a document with its JSON
 * and CSV. */
#include <jansson.h>
#include <stdlib.h>

#include "report_internal.h"
#include "s75/packages.h"
#include "s75/report.h"
#include "xalloc.h"

static json_t *group_json(const char *key, const char *value, const s75_pkg_group *g)
{
	json_t *o = json_object();
	json_object_set_new(o, key, json_string(value));
	json_object_set_new(o, "packages", json_integer(g->packages));
	json_object_set_new(o, "annual_cost", json_integer(g->annual));
	return o;
}

/* What the JSON's review lists read while the document lives: the report and the ids of
 * the pools and elements. */
typedef struct reviews_ctx {
	s75_packages_report *r;
	char **pool_id;     /* per arrangement */
	char ***element_id; /* per arrangement, per element */
	size_t npools;
} reviews_ctx;

static void reviews_ctx_free(void *v)
{
	reviews_ctx *c = v;
	for (size_t a = 0; a < c->npools; a++) {
		for (size_t e = 0; c->element_id[a][e]; e++)
			free(c->element_id[a][e]);
		free(c->element_id[a]);
		free(c->pool_id[a]);
	}
	free(c->pool_id);
	free(c->element_id);
	s75_packages_report_free(c->r);
	free(c);
}

static reviews_ctx *reviews_ctx_new(const s75_agreement *ag, s75_packages_report *r)
{
	reviews_ctx *c = xcalloc(1, sizeof(*c));
	c->r = r;
	c->npools = ag->narrangements;
	c->pool_id = xcalloc(c->npools + 1, sizeof(char *));
	c->element_id = xcalloc(c->npools + 1, sizeof(char **));
	for (size_t a = 0; a < c->npools; a++) {
		const s75_arrangement *x = &ag->arrangements[a];
		c->pool_id[a] = xstrdup(x->id);
		c->element_id[a] = xcalloc(x->nelements + 1, sizeof(char *));
		for (size_t e = 0; e < x->nelements; e++)
			c->element_id[a][e] = xstrdup(x->elements[e].id);
	}
	return c;
}

static void review_row(doc_json_row *w, const s75_pkg_row *p, const reviews_ctx *c)
{
	char d[11];
	s75_date on = c->r->on;
	doc_json_row_object(w);
	doc_json_row_string(w, "package", p->id);
	doc_json_row_string(w, "person", p->person);
	doc_json_row_string(w, "pool", c->pool_id[p->pool]);
	doc_json_row_string(w, "element", c->element_id[p->pool][p->element]);
	doc_json_row_string(w, "next_review", s75_date_format(d, p->next_review));
	doc_json_row_string(w, "last_review",
			    p->has_last_review ? s75_date_format(d, p->last_review) : NULL);
	doc_json_row_int(w, "days", p->next_review < on ? on - p->next_review : p->next_review - on);
	doc_json_row_end(w);
}

static void overdue_row(doc_json_row *w, size_t i, const void *ctx)
{
	const reviews_ctx *c = ctx;
	review_row(w, &c->r->overdue[i], c);
}

static void due_row(doc_json_row *w, size_t i, const void *ctx)
{
	const reviews_ctx *c = ctx;
	review_row(w, &c->r->due[i], c);
}

static s75_table *reviews_table(const s75_agreement *ag, const s75_pkg_row *list,
				size_t n, s75_date on, const char *title, bool overdue)
{
	s75_table *t = s75_table_new(title);
	char d[11];
	s75_table_column(t, "Package", S75_CELL_TEXT);
	s75_table_column(t, "Person", S75_CELL_TEXT);
	s75_table_column(t, "Pool", S75_CELL_TEXT);
	s75_table_column(t, "Element", S75_CELL_TEXT);
	s75_table_column(t, "Last review", S75_CELL_TEXT);
	s75_table_column(t, "Next review", S75_CELL_TEXT);
	s75_table_column(t, overdue ? "Days overdue" : "Days to go", S75_CELL_INT);
	for (size_t i = 0; i < n; i++) {
		const s75_pkg_row *p = &list[i];
		s75_table_row(t, 0);
		s75_table_text(t, p->id);
		s75_table_text(t, p->person);
		s75_table_text(t, ag->arrangements[p->pool].name);
		s75_table_text(t, ag->arrangements[p->pool].elements[p->element].name);
		s75_table_text(t, p->has_last_review ? s75_date_format(d, p->last_review) : "never");
		s75_table_text(t, s75_date_format(d, p->next_review));
		s75_table_int(t, overdue ? on - p->next_review : p->next_review - on);
	}
	return t;
}

static s75_table *summary_table(const char *title, const char *what, const char *const *names,
				 const s75_pkg_group *g, size_t n, const s75_packages_report *r,
				 bool skip_empty)
{
	s75_table *t = s75_table_new(title);
	s75_table_column(t, what, S75_CELL_TEXT);
	s75_table_column(t, "Packages", S75_CELL_INT);
	s75_table_column(t, "Annual cost", S75_CELL_MONEY);
	for (size_t i = 0; i < n; i++) {
		if (skip_empty && !g[i].packages)
			continue;
		s75_table_row(t, 0);
		s75_table_text(t, names[i]);
		s75_table_int(t, g[i].packages);
		s75_table_money(t, g[i].annual);
	}
	s75_table_row(t, S75_ROW_TOTAL | S75_ROW_STRONG);
	s75_table_text(t, "Total");
	if (skip_empty)
		s75_table_empty(t); /* partners share packages: their counts do not add up */
	else
		s75_table_int(t, r->packages);
	s75_table_money(t, r->net);
	return t;
}

int s75_report_packages(s75_doc **out, s75_db *db, const s75_agreement *ag, int pi, s75_date on,
			const s75_report_options *ro)
{
	s75_packages_report *r;
	reviews_ctx *ctx = NULL;
	s75_doc *doc = NULL;
	char d[11], d2[11];
	int rc;
	*out = NULL;
	/* only what the form asked for (s75_report_form): at 100k packages the review lists
	 * are tens of MB as a table; JSON writes them from the report's rows */
	s75_report_form form = ro ? ro->form : S75_FORM_ALL;
	bool want_json = form == S75_FORM_ALL || form == S75_FORM_JSON;
	bool want_doc = form == S75_FORM_ALL || form == S75_FORM_DOC;
	bool agg = ro && ro->aggregates_only;
	if ((rc = s75_packages_report_build(&r, db, ag, pi, on, !agg && (want_json || want_doc))))
		return rc;
	json_t *root = json_object();
	const char *fnames[S75_FUND_COUNT], *ftitles[S75_FUND_COUNT], *snames[S75_SVC_COUNT];
	const char **pnames = calloc(ag->npartners + 1, sizeof(char *));
	const char **ptitles = calloc(ag->npartners + 1, sizeof(char *)); /* on the page */
	if (!pnames || !ptitles)
		abort();
	int64_t overdue_cost = r->overdue_annual, due_cost = r->due_annual;
	for (int i = 0; i < S75_FUND_COUNT; i++) {
		fnames[i] = s75_funding_name((s75_funding)i);
		ftitles[i] = s75_funding_title((s75_funding)i);
	}
	for (int i = 0; i < S75_SVC_COUNT; i++)
		snames[i] = s75_service_name((s75_service)i);
	for (size_t p = 0; p < ag->npartners; p++)
		pnames[p] = ag->partners[p].id, ptitles[p] = ag->partners[p].name;
	s75_date_format(d, on);
	s75_date_format(d2, on + 90);
	{
		json_t *a;
		json_object_set_new(root, "date", json_string(d));
		json_object_set_new(root, "pool", pi >= 0 ? json_string(ag->arrangements[pi].id) : json_null());
		json_object_set_new(root, "days", json_integer(r->days));
		json_object_set_new(root, "packages", json_integer(r->packages));
		json_object_set_new(root, "gross_annual_cost", json_integer(r->gross));
		json_object_set_new(root, "client_contributions", json_integer(r->client));
		json_object_set_new(root, "annual_cost_total", json_integer(r->net));
		a = json_array();
		for (int i = 0; i < S75_FUND_COUNT; i++) {
			json_t *o = group_json("funding", fnames[i], &r->by_funding[i]);
			json_object_set_new(o, "name", json_string(ftitles[i]));
			json_array_append_new(a, o);
		}
		json_object_set_new(root, "by_funding", a);
		a = json_array();
		for (int i = 0; i < S75_SVC_COUNT; i++)
			json_array_append_new(a, group_json("service", snames[i], &r->by_service[i]));
		json_object_set_new(root, "by_service", a);
		a = json_array();
		for (size_t p = 0; p < ag->npartners; p++)
			if (r->by_partner[p].packages)
				json_array_append_new(a, group_json("id", pnames[p], &r->by_partner[p]));
		json_object_set_new(root, "by_partner", a);
		json_object_set_new(root, "reviews_overdue", json_integer((json_int_t)r->noverdue));
		json_object_set_new(root, "reviews_overdue_annual_cost", json_integer(overdue_cost));
		json_object_set_new(root, "reviews_due_90_days", json_integer((json_int_t)r->ndue));
		json_object_set_new(root, "reviews_due_annual_cost", json_integer(due_cost));
		/* aggregates only: the lists are there, empty, with their counts above */
		bool none = agg || !want_json;
		json_object_set_new(root, "overdue", json_array());
		json_object_set_new(root, "due", json_array());
		if (!none)
			ctx = reviews_ctx_new(ag, r);
	}
	s75_table *t = s75_table_new(NULL);
	{
		s75_table_column(t, "Group", S75_CELL_TEXT);
		s75_table_column(t, "Item", S75_CELL_TEXT);
		s75_table_column(t, "Packages", S75_CELL_INT);
		s75_table_column(t, "Annual cost", S75_CELL_MONEY);
		for (int g = 0; g < 3; g++) {
			size_t n = g == 0 ? S75_FUND_COUNT : g == 1 ? S75_SVC_COUNT : ag->npartners;
			for (size_t i = 0; i < n; i++) {
				const s75_pkg_group *x = g == 0 ? &r->by_funding[i]
						       : g == 1 ? &r->by_service[i] : &r->by_partner[i];
				if (g == 2 && !x->packages)
					continue;
				s75_table_row(t, 0);
				s75_table_text(t, g == 0 ? "funding" : g == 1 ? "service" : "partner");
				s75_table_text(t, g == 0 ? fnames[i] : g == 1 ? snames[i] : pnames[i]);
				s75_table_int(t, x->packages);
				s75_table_money(t, x->annual);
			}
		}
		s75_table_row(t, 0);
		s75_table_text(t, "total");
		s75_table_text(t, "all");
		s75_table_int(t, r->packages);
		s75_table_money(t, r->net);
		s75_table_row(t, 0);
		s75_table_text(t, "reviews");
		s75_table_text(t, "overdue");
		s75_table_int(t, (int64_t)r->noverdue);
		s75_table_money(t, overdue_cost);
		s75_table_row(t, 0);
		s75_table_text(t, "reviews");
		s75_table_text(t, "due_90_days");
		s75_table_int(t, (int64_t)r->ndue);
		s75_table_money(t, due_cost);
	}
	{
		s75_buf b = S75_BUF_INIT;
		s75_buf_printf(&b, "Care packages at %s", d);
		doc = s75_report_doc_new(ag, b.ptr, pi >= 0 ? ag->arrangements[pi].id : "every pool", ro);
		s75_buf_reset(&b);
		if (pi >= 0)
			s75_buf_printf(&b, "Pool %s: ", ag->arrangements[pi].id);
		s75_buf_printf(&b, "%ld package%s active; annual cost for a full year from %s (%d days) at the terms then in force, net of client contributions.",
			       r->packages, r->packages == 1 ? "" : "s", d, r->days);
		s75_doc_para(doc, b.ptr);
		s75_doc_table(doc, summary_table("By funding", "Funding", ftitles, r->by_funding,
						 S75_FUND_COUNT, r, false));
		s75_doc_table(doc, summary_table("By service", "Service", snames, r->by_service,
						 S75_SVC_COUNT, r, false));
		s75_doc_table(doc, summary_table("By partner (the packages each pays a part of, and its part)",
						 "Partner", ptitles, r->by_partner, ag->npartners, r,
						 true));
		s75_doc_section(doc, "Reviews", NULL);
		s75_buf_reset(&b);
		s75_buf_printf(&b, "Reviews overdue (next review before %s): %zu", d, r->noverdue);
		bool lists = !agg && want_doc;
		if (r->noverdue && lists)
			s75_doc_table(doc, reviews_table(ag, r->overdue, r->noverdue, on, b.ptr, true));
		else
			s75_doc_para(doc, b.ptr);
		s75_buf_reset(&b);
		s75_buf_printf(&b, "Reviews due in the next 90 days (%s to %s): %zu", d, d2, r->ndue);
		if (r->ndue && lists)
			s75_doc_table(doc, reviews_table(ag, r->due, r->ndue, on, b.ptr, false));
		else
			s75_doc_para(doc, b.ptr);
		s75_buf_release(&b);
	}
	if (ctx) {
		/* the lists, written from the report's rows when the JSON is rendered */
		json_object_set_new(root, "overdue", doc_json_rows(doc, r->noverdue, overdue_row, ctx));
		json_object_set_new(root, "due", doc_json_rows(doc, r->ndue, due_row, ctx));
		doc_own(doc, ctx, reviews_ctx_free);
		r = NULL; /* the context's */
	}
	if (want_json)
		s75_doc_json(doc, root);
	else
		json_decref(root);
	if (form == S75_FORM_ALL || form == S75_FORM_CSV)
		s75_doc_csv(doc, t);
	else
		s75_table_free(t);
	free(pnames);
	free(ptitles);
	s75_packages_report_free(r);
	*out = doc;
	return 0;
}
