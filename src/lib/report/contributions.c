/* The contributions report: the schedule of a year as a document (its tables, its JSON and
 * its CSV), for s75 contributions. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "s75/contrib.h"
#include "s75/report.h"

static json_t *bp_json(int64_t bp, bool valid)
{
	s75_buf b = S75_BUF_INIT;
	if (!valid)
		return json_null();
	s75_bp_format(&b, bp);
	json_t *j = json_string(b.ptr);
	s75_buf_release(&b);
	return j;
}

static void amounts_json(json_t *o, const s75_amounts *a)
{
	json_object_set_new(o, "gross", json_integer(a->gross));
	json_object_set_new(o, "income", json_integer(a->income));
	json_object_set_new(o, "grants", json_integer(a->grants));
	json_object_set_new(o, "net", json_integer(a->net));
}

static json_t *contributions_json(const s75_agreement *ag, const s75_contrib_schedule *s)
{
	char fy[8];
	json_t *root = json_object(), *pools = json_array(), *tot = json_array();
	json_object_set_new(root, "year", json_string(s75_fy_format(fy, s->fy)));
	json_object_set_new(root, "status",
			    json_string(s->year->status == S75_YEAR_AGREED ? "agreed" : "indicative"));
	char asof[11];
	json_object_set_new(root, "as_of", json_string(s75_date_format(asof, s->as_of)));
	json_object_set_new(root, "units", json_string("pence"));
	for (size_t i = 0; i < s->npools; i++) {
		const s75_contrib_pool *p = &s->pools[i];
		const s75_arrangement *a = &ag->arrangements[p->pool];
		json_t *jp = json_object(), *els = json_array(), *parts = json_array();
		json_object_set_new(jp, "id", json_string(a->id));
		json_object_set_new(jp, "name", json_string(a->name));
		amounts_json(jp, &p->total);
		for (size_t e = 0; e < p->nelements; e++) {
			const s75_contrib_element *ce = &p->elements[e];
			json_t *je = json_object(), *ep = json_array();
			json_object_set_new(je, "id", json_string(a->elements[ce->element].id));
			json_object_set_new(je, "name", json_string(a->elements[ce->element].name));
			int lead = a->elements[ce->element].lead;
			json_object_set_new(je, "lead",
					    lead >= 0 ? json_string(ag->partners[lead].id) : json_null());
			amounts_json(je, &ce->total);
			for (size_t k = 0; k < s->npartners; k++) {
				if (!ce->has[k])
					continue;
				json_t *jx = json_object();
				json_object_set_new(jx, "id", json_string(ag->partners[k].id));
				amounts_json(jx, &ce->by_partner[k]);
				json_array_append_new(ep, jx);
			}
			json_object_set_new(je, "partners", ep);
			json_array_append_new(els, je);
		}
		json_object_set_new(jp, "elements", els);
		for (size_t k = 0; k < s->npartners; k++) {
			if (!p->contributes[k])
				continue;
			json_t *jx = json_object();
			json_object_set_new(jx, "id", json_string(ag->partners[k].id));
			amounts_json(jx, &p->by_partner[k]);
			json_object_set_new(jx, "share_pct", bp_json(p->share_bp[k], p->shares_valid));
			json_array_append_new(parts, jx);
		}
		json_object_set_new(jp, "partners", parts);
		json_array_append_new(pools, jp);
	}
	json_object_set_new(root, "pools", pools);
	for (size_t k = 0; k < s->npartners; k++) {
		json_t *jx = json_object();
		json_object_set_new(jx, "id", json_string(ag->partners[k].id));
		amounts_json(jx, &s->by_partner[k]);
		json_object_set_new(jx, "share_pct", bp_json(s->share_bp[k], s->shares_valid));
		json_array_append_new(tot, jx);
	}
	json_object_set_new(root, "partners", tot);
	json_t *jt = json_object();
	amounts_json(jt, &s->total);
	json_object_set_new(root, "total", jt);
	return root;
}

static s75_table *contributions_csv(const s75_agreement *ag, const s75_contrib_schedule *s)
{
	char fy[8];
	s75_table *t = s75_table_new(NULL);
	const char *cols[] = {"year", "pool", "element", "partner"};
	for (int i = 0; i < 4; i++)
		s75_table_column(t, cols[i], S75_CELL_TEXT);
	s75_table_column(t, "gross", S75_CELL_MONEY);
	s75_table_column(t, "income", S75_CELL_MONEY);
	s75_table_column(t, "grants", S75_CELL_MONEY);
	s75_table_column(t, "net", S75_CELL_MONEY);
	for (size_t i = 0; i < s->npools; i++) {
		const s75_contrib_pool *p = &s->pools[i];
		const s75_arrangement *a = &ag->arrangements[p->pool];
		for (size_t e = 0; e < p->nelements; e++)
			for (size_t k = 0; k < s->npartners; k++) {
				const s75_amounts *x = &p->elements[e].by_partner[k];
				if (!p->elements[e].has[k])
					continue;
				s75_table_row(t, 0);
				s75_table_text(t, s75_fy_format(fy, s->fy));
				s75_table_text(t, a->id);
				s75_table_text(t, a->elements[e].id);
				s75_table_text(t, ag->partners[k].id);
				s75_table_money(t, x->gross);
				s75_table_money(t, x->income);
				s75_table_money(t, x->grants);
				s75_table_money(t, x->net);
			}
	}
	return t;
}

/* One pool laid out as the council reports lay it out: elements down, partners across. */
static s75_table *pool_table(const s75_agreement *ag, const s75_contrib_schedule *s,
			     const s75_contrib_pool *p)
{
	const s75_arrangement *a = &ag->arrangements[p->pool];
	s75_buf title = S75_BUF_INIT;
	s75_buf_printf(&title, "Pool: %s (%s)", a->name, a->id);
	s75_table *t = s75_table_new(title.ptr);
	s75_buf_release(&title);
	s75_table_column(t, "", S75_CELL_TEXT);
	s75_table_column(t, "Lead", S75_CELL_TEXT);
	for (size_t k = 0; k < s->npartners; k++)
		if (p->contributes[k])
			s75_table_column(t, ag->partners[k].name, S75_CELL_MONEY);
	s75_table_column(t, "Total", S75_CELL_MONEY);

#define PARTNER_CELLS(expr, total)                                                             \
	do {                                                                                   \
		for (size_t k = 0; k < s->npartners; k++)                                      \
			if (p->contributes[k])                                                 \
				s75_table_money(t, (expr));                                    \
		s75_table_money(t, (total));                                                   \
	} while (0)

	for (size_t e = 0; e < p->nelements; e++) {
		const s75_contrib_element *ce = &p->elements[e];
		int lead = a->elements[e].lead;
		s75_table_row(t, 0);
		s75_table_text(t, a->elements[e].name);
		s75_table_text(t, lead >= 0 ? ag->partners[lead].name : "");
		PARTNER_CELLS(ce->by_partner[k].gross, ce->total.gross);
	}
	s75_table_row(t, S75_ROW_TOTAL);
	s75_table_text(t, "Gross contribution");
	s75_table_empty(t);
	PARTNER_CELLS(p->by_partner[k].gross, p->total.gross);
	if (p->total.grants) {
		s75_table_row(t, 0);
		s75_table_text(t, "Less grant funding");
		s75_table_empty(t);
		PARTNER_CELLS(-p->by_partner[k].grants, -p->total.grants);
	}
	s75_table_row(t, 0);
	s75_table_text(t, "Less service-user income");
	s75_table_empty(t);
	PARTNER_CELLS(-p->by_partner[k].income, -p->total.income);
	s75_table_row(t, S75_ROW_TOTAL | S75_ROW_STRONG);
	s75_table_text(t, "Net contribution");
	s75_table_empty(t);
	PARTNER_CELLS(p->by_partner[k].net, p->total.net);
#undef PARTNER_CELLS
	return t;
}

static s75_doc *build_doc(const s75_agreement *ag, const s75_contrib_schedule *s,
			  const s75_report_options *o)
{
	char fy[8];
	s75_buf b = S75_BUF_INIT;
	s75_buf_printf(&b, "Contributions %s (%s)", s75_fy_format(fy, s->fy),
		       s->year->status == S75_YEAR_AGREED ? "agreed" : "indicative");
	if (s->as_of != s75_fy_end(s->fy)) {
		char d[11];
		s75_buf_printf(&b, " in force on %s", s75_date_format(d, s->as_of));
	}
	s75_doc *d = s75_report_doc_new(ag, b.ptr, fy, o);
	s75_buf_reset(&b);
	for (size_t i = 0; i < s->npools; i++) {
		const s75_contrib_pool *p = &s->pools[i];
		s75_buf_reset(&b);
		s75_buf_printf(&b, "%s (%s)", ag->arrangements[p->pool].name, ag->arrangements[p->pool].id);
		s75_doc_section(d, b.ptr, ag->arrangements[p->pool].id);
		s75_doc_table(d, pool_table(ag, s, p));
		s75_buf_reset(&b);
		if (p->shares_valid) {
			s75_buf_puts(&b, "Share of net:");
			for (size_t k = 0; k < s->npartners; k++)
				if (p->contributes[k]) {
					s75_buf_printf(&b, "%s %s ", b.len > 13 ? "," : "", ag->partners[k].name);
					s75_bp_format(&b, p->share_bp[k]);
					s75_buf_putc(&b, '%');
				}
		} else {
			s75_buf_puts(&b, "Share of net: none (the pool's net contribution is not positive)");
		}
		s75_doc_para(d, b.ptr);
	}
	/* totals per partner across pools */
	s75_doc_section(d, "All pools", NULL);
	s75_table *t = s75_table_new("All pools: net contribution by partner");
	s75_table_column(t, "Partner", S75_CELL_TEXT);
	for (size_t i = 0; i < s->npools; i++)
		s75_table_column(t, ag->arrangements[s->pools[i].pool].name, S75_CELL_MONEY);
	s75_table_column(t, "Total", S75_CELL_MONEY);
	s75_table_column(t, "Share", S75_CELL_BP);
	for (size_t k = 0; k < s->npartners; k++) {
		s75_table_row(t, 0);
		s75_table_text(t, ag->partners[k].name);
		for (size_t i = 0; i < s->npools; i++)
			s75_table_money(t, s->pools[i].by_partner[k].net);
		s75_table_money(t, s->by_partner[k].net);
		if (s->shares_valid)
			s75_table_bp(t, s->share_bp[k]);
		else
			s75_table_empty(t);
	}
	s75_table_row(t, S75_ROW_TOTAL | S75_ROW_STRONG);
	s75_table_text(t, "Total");
	for (size_t i = 0; i < s->npools; i++)
		s75_table_money(t, s->pools[i].total.net);
	s75_table_money(t, s->total.net);
	if (s->shares_valid)
		s75_table_bp(t, 10000);
	else
		s75_table_empty(t);
	s75_doc_table(d, t);
	s75_buf_release(&b);
	return d;
}

int s75_report_contributions(s75_doc **out, const s75_agreement *ag, int fy, s75_date as_of,
			     const s75_report_options *o)
{
	s75_contrib_schedule *s = NULL;
	int rc;
	*out = NULL;
	if ((rc = s75_contrib_schedule_build_at(&s, ag, fy, as_of)))
		return rc;
	s75_doc *d = build_doc(ag, s, o);
	s75_doc_json(d, contributions_json(ag, s));
	s75_doc_csv(d, contributions_csv(ag, s));
	s75_contrib_schedule_free(s);
	*out = d;
	return 0;
}
