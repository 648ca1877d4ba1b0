/* The exit report (s75 exit): what each partner would carry if a pool ended on a date — every package by
 * its own funding arrangement — beside the agreement's risk share and other splits. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "s75/packages.h"
#include "s75/report.h"
#include "xalloc.h"

static json_t *by_partner_json(const s75_agreement *ag, const s75_exit *x, const int64_t *v)
{
	json_t *o = json_object();
	for (size_t p = 0; p < x->npartners; p++)
		if (x->involved[p])
			json_object_set_new(o, ag->partners[p].id, json_integer(v[p]));
	return o;
}

/* What the JSON's list of packages not reviewed reads while the document lives. */
typedef struct unreviewed_ctx {
	s75_exit *x;
	char **partner_id; /* per partner */
	char ***element_id; /* per element of the pool */
} unreviewed_ctx;

static void unreviewed_ctx_free(void *v)
{
	unreviewed_ctx *c = v;
	for (size_t p = 0; p < c->x->npartners; p++)
		free(c->partner_id[p]);
	for (size_t e = 0; c->element_id[0][e]; e++)
		free(c->element_id[0][e]);
	free(c->element_id[0]);
	free(c->element_id);
	free(c->partner_id);
	s75_exit_free(c->x);
	free(c);
}

static unreviewed_ctx *unreviewed_ctx_new(const s75_agreement *ag, s75_exit *x)
{
	unreviewed_ctx *c = xcalloc(1, sizeof(*c));
	const s75_arrangement *a = &ag->arrangements[x->pool];
	c->x = x;
	c->partner_id = xcalloc(x->npartners + 1, sizeof(char *));
	for (size_t p = 0; p < x->npartners; p++)
		c->partner_id[p] = xstrdup(ag->partners[p].id);
	c->element_id = xcalloc(1, sizeof(char **));
	c->element_id[0] = xcalloc(a->nelements + 1, sizeof(char *));
	for (size_t e = 0; e < a->nelements; e++)
		c->element_id[0][e] = xstrdup(a->elements[e].id);
	return c;
}

static void unreviewed_row(doc_json_row *w, size_t i, const void *ctx)
{
	const unreviewed_ctx *c = ctx;
	const s75_pkg_row *p = &c->x->unreviewed[i];
	char d[11];
	doc_json_row_object(w);
	doc_json_row_string(w, "package", p->id);
	doc_json_row_string(w, "person", p->person);
	doc_json_row_string(w, "element", c->element_id[0][p->element]);
	doc_json_row_string(w, "funding", s75_funding_name(p->funding));
	doc_json_row_int(w, "health_share_bp", p->health_bp);
	doc_json_row_string(w, "last_review",
			    p->has_last_review ? s75_date_format(d, p->last_review) : NULL);
	doc_json_row_int(w, "annual_cost", p->annual.net);
	doc_json_row_key(w, "by_partner");
	doc_json_row_object(w);
	if (p->health_bp > 0)
		doc_json_row_int(w, c->partner_id[p->health_partner], p->annual.health);
	if (p->health_bp < 10000)
		doc_json_row_int(w, c->partner_id[p->social_partner], p->annual.social);
	doc_json_row_end(w);
	doc_json_row_end(w);
}

/* The JSON; its list of packages not reviewed is `un` (doc_json_rows()). */
static json_t *exit_json(const s75_agreement *ag, const s75_exit *x, char *const *names,
			 json_t *un)
{
	json_t *root = json_object(), *parts = json_array(), *rat = json_array();
	char d[11], fy[8];
	json_object_set_new(root, "pool", json_string(ag->arrangements[x->pool].id));
	json_object_set_new(root, "date", json_string(s75_date_format(d, x->on)));
	json_object_set_new(root, "days", json_integer(x->days));
	json_object_set_new(root, "year", json_string(s75_fy_format(fy, x->fy)));
	json_object_set_new(root, "risk_share", json_string(x->basis));
	json_object_set_new(root, "packages", json_integer((json_int_t)x->npackages));
	json_object_set_new(root, "gross", json_integer(x->gross));
	json_object_set_new(root, "client_contributions", json_integer(x->client));
	json_object_set_new(root, "register_total", json_integer(x->register_total));
	for (size_t r = 0; r < x->nratios; r++)
		json_array_append_new(rat, json_string(names[r]));
	json_object_set_new(root, "ratios", rat);
	for (size_t p = 0; p < x->npartners; p++) {
		if (!x->involved[p])
			continue;
		json_t *o = json_object(), *br = json_array();
		json_object_set_new(o, "id", json_string(ag->partners[p].id));
		json_object_set_new(o, "by_package", json_integer(x->by_package[p]));
		json_object_set_new(o, "by_risk_share", json_integer(x->by_risk_share[p]));
		json_object_set_new(o, "difference", json_integer(x->by_package[p] - x->by_risk_share[p]));
		for (size_t r = 0; r < x->nratios; r++) {
			json_t *q = json_object();
			int64_t v = x->by_ratio[r * x->npartners + p];
			json_object_set_new(q, "ratios", json_string(names[r]));
			json_object_set_new(q, "amount", json_integer(v));
			json_object_set_new(q, "difference", json_integer(x->by_package[p] - v));
			json_array_append_new(br, q);
		}
		json_object_set_new(o, "by_ratios", br);
		json_object_set_new(o, "unreviewed", json_integer(x->unreviewed_by_partner[p]));
		json_array_append_new(parts, o);
	}
	json_object_set_new(root, "partners", parts);
	json_object_set_new(root, "unreviewed", un);
	json_object_set_new(root, "unreviewed_total", json_integer(x->unreviewed_total));
	json_object_set_new(root, "unreviewed_by_partner", by_partner_json(ag, x, x->unreviewed_by_partner));
	return root;
}

/* CSV: the partner table alone; otherwise a document (text, XLSX or HTML) with both tables. */
static s75_doc *exit_report(s75_table **csv_out, const s75_agreement *ag, const s75_exit *x,
			    char *const *names, bool csv, const s75_report_options *o)
{
	size_t np = x->npartners;
	char d[11], fy[8];
	s75_table *t = s75_table_new(NULL);
	s75_table_column(t, "Partner", S75_CELL_TEXT);
	s75_table_column(t, "By package", S75_CELL_MONEY);
	s75_table_column(t, "By risk share", S75_CELL_MONEY);
	s75_table_column(t, "Difference", S75_CELL_MONEY);
	s75_buf h = S75_BUF_INIT;
	for (size_t r = 0; r < x->nratios; r++) {
		s75_buf_reset(&h);
		s75_buf_printf(&h, "Ratios %s", names[r]);
		s75_table_column(t, h.ptr, S75_CELL_MONEY);
		s75_buf_reset(&h);
		s75_buf_printf(&h, "Difference %s", names[r]);
		s75_table_column(t, csv ? h.ptr : "Difference", S75_CELL_MONEY);
	}
	s75_table_column(t, "Not reviewed", S75_CELL_MONEY);
	s75_buf_release(&h);
	for (size_t p = 0; p <= np; p++) {
		if (p < np && !x->involved[p])
			continue;
		if (p == np && csv)
			break;
		s75_table_row(t, p == np ? S75_ROW_TOTAL | S75_ROW_STRONG : 0);
		int64_t bpk = 0, brs = 0, un = 0;
		if (p == np) {
			for (size_t q = 0; q < np; q++) {
				bpk += x->by_package[q];
				brs += x->by_risk_share[q];
				un += x->unreviewed_by_partner[q];
			}
		} else {
			bpk = x->by_package[p];
			brs = x->by_risk_share[p];
			un = x->unreviewed_by_partner[p];
		}
		s75_table_text(t, p == np ? "Total" : csv ? ag->partners[p].id : ag->partners[p].name);
		s75_table_money(t, bpk);
		s75_table_money(t, brs);
		s75_table_money(t, bpk - brs);
		for (size_t r = 0; r < x->nratios; r++) {
			int64_t v = 0;
			if (p == np)
				for (size_t q = 0; q < np; q++)
					v += x->by_ratio[r * np + q];
			else
				v = x->by_ratio[r * np + p];
			s75_table_money(t, v);
			s75_table_money(t, bpk - v);
		}
		s75_table_money(t, un);
	}
	if (csv) {
		*csv_out = t;
		return NULL;
	}
	s75_buf b = S75_BUF_INIT;
	s75_buf_printf(&b, "Ending pool '%s' on %s", ag->arrangements[x->pool].id,
		       s75_date_format(d, x->on));
	s75_doc *doc = s75_report_doc_new(ag, b.ptr, b.ptr, o);
	s75_buf_reset(&b);
	s75_buf_printf(&b, "%zu package%s active on %s, costed for a full year from that day (%d days) at the terms in force, net of client contributions.",
		       x->npackages, x->npackages == 1 ? "" : "s", d, x->days);
	s75_doc_para(doc, b.ptr);
	s75_buf_reset(&b);
	s75_buf_printf(&b, "Risk share: %s, as agreed for %s. Difference: by package less the split beside it (positive: the partner would carry more if the pool ended).",
		       x->basis, s75_fy_format(fy, x->fy));
	s75_doc_para(doc, b.ptr);
	s75_doc_table(doc, t);
	s75_buf_reset(&b);
	s75_buf_printf(&b, "Not reviewed in the 12 months to %s (the uncertainty in the by-package figures): %zu package%s, annual cost £",
		       d, x->nunreviewed, x->nunreviewed == 1 ? "" : "s");
	s75_money_format(&b, x->unreviewed_total, S75_UNIT_POUNDS, S75_FMT_SEP | S75_FMT_BRACKETS);
	s75_doc_para(doc, b.ptr);
	s75_buf_release(&b);
	/* the list is a page's: JSON and CSV have their own */
	if (!x->nunreviewed || (o && (o->form == S75_FORM_JSON || o->form == S75_FORM_CSV)))
		return doc;
	t = s75_table_new(NULL);
	s75_table_column(t, "Package", S75_CELL_TEXT);
	s75_table_column(t, "Person", S75_CELL_TEXT);
	s75_table_column(t, "Element", S75_CELL_TEXT);
	s75_table_column(t, "Funding", S75_CELL_TEXT);
	s75_table_column(t, "Health share", S75_CELL_BP);
	s75_table_column(t, "Last review", S75_CELL_TEXT);
	s75_table_column(t, "Annual cost", S75_CELL_MONEY);
	for (size_t p = 0; p < np; p++)
		if (x->involved[p])
			s75_table_column(t, ag->partners[p].name, S75_CELL_MONEY);
	for (size_t i = 0; i < x->nunreviewed; i++) {
		const s75_pkg_row *pk = &x->unreviewed[i];
		s75_table_row(t, 0);
		s75_table_text(t, pk->id);
		s75_table_text(t, pk->person);
		s75_table_text(t, ag->arrangements[pk->pool].elements[pk->element].id);
		s75_table_text(t, s75_funding_name(pk->funding));
		s75_table_bp(t, pk->health_bp);
		s75_table_text(t, pk->has_last_review ? s75_date_format(d, pk->last_review) : "never");
		s75_table_money(t, pk->annual.net);
		for (size_t p = 0; p < np; p++)
			if (x->involved[p])
				s75_table_money(t, ((int)p == pk->health_partner ? pk->annual.health : 0) +
							   ((int)p == pk->social_partner ? pk->annual.social : 0));
	}
	s75_table_row(t, S75_ROW_TOTAL | S75_ROW_STRONG);
	s75_table_text(t, "Total");
	for (int k = 0; k < 5; k++)
		s75_table_empty(t);
	s75_table_money(t, x->unreviewed_total);
	for (size_t p = 0; p < np; p++)
		if (x->involved[p])
			s75_table_money(t, x->unreviewed_by_partner[p]);
	s75_doc_table(doc, t);
	return doc;
}

int s75_report_exit(s75_doc **out, s75_db *db, const s75_agreement *ag, int pool, s75_date on,
		    const int64_t *ratios_bp, char *const *ratio_names, size_t nratios,
		    const s75_report_options *o)
{
	s75_exit *x = NULL;
	s75_table *csv = NULL;
	int rc;
	*out = NULL;
	if ((rc = s75_exit_build(&x, db, ag, pool, on, ratios_bp, nratios)))
		return rc;
	/* only what the form asked for (s75_report_form): at 100k packages the JSON tree and
	 * the list of unreviewed packages are each tens of MB */
	s75_report_form form = o ? o->form : S75_FORM_ALL;
	s75_doc *d = exit_report(NULL, ag, x, ratio_names, false, o);
	if (form == S75_FORM_ALL || form == S75_FORM_CSV) {
		exit_report(&csv, ag, x, ratio_names, true, o);
		s75_doc_csv(d, csv);
	}
	if (form == S75_FORM_ALL || form == S75_FORM_JSON) {
		/* the list is written from the exit's rows when the JSON is rendered */
		unreviewed_ctx *c = unreviewed_ctx_new(ag, x);
		json_t *un = doc_json_rows(d, x->nunreviewed, unreviewed_row, c);
		s75_doc_json(d, exit_json(ag, x, ratio_names, un));
		doc_own(d, c, unreviewed_ctx_free);
		x = NULL; /* the context's */
	}
	s75_exit_free(x);
	*out = d;
	return 0;
}
