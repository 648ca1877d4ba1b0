/* s75 contributions: the contributions schedule of a year. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

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

static void render_json(const s75_agreement *ag, const s75_contrib_schedule *s, s75_buf *out)
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
	char *txt = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	s75_buf_puts(out, txt);
	s75_buf_putc(out, '\n');
	free(txt);
	json_decref(root);
}

static void render_csv(const s75_agreement *ag, const s75_contrib_schedule *s, s75_buf *out)
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
	s75_table_render_csv(t, out, 1);
	s75_table_free(t);
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
			s75_table_column(t, ag->partners[k].id, S75_CELL_MONEY);
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
		s75_table_text(t, lead >= 0 ? ag->partners[lead].id : "");
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

static s75_doc *build_doc(const cli_ctx *ctx, const s75_contrib_schedule *s)
{
	const s75_agreement *ag = ctx->ag;
	char fy[8];
	s75_buf b = S75_BUF_INIT;
	s75_buf_printf(&b, "Contributions %s (%s)", s75_fy_format(fy, s->fy),
		       s->year->status == S75_YEAR_AGREED ? "agreed" : "indicative");
	if (s->as_of != s75_fy_end(s->fy)) {
		char d[11];
		s75_buf_printf(&b, " in force on %s", s75_date_format(d, s->as_of));
	}
	s75_doc *d = cli_doc_new(ctx, b.ptr, fy);
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
					s75_buf_printf(&b, " %s ", ag->partners[k].id);
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
		s75_table_column(t, ag->arrangements[s->pools[i].pool].id, S75_CELL_MONEY);
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

int cmd_contributions(int argc, char **argv, cli_ctx *ctx)
{
	const char *year = NULL, *format = "table", *units = "£", *output = NULL, *as_of = NULL;
	int first;
	const cli_opt opts[] = {
		{"year", 'y', OPT_STRING, "YEAR", "financial year, e.g. 2017/18 (default: the latest)", &year},
		{"as-of", 0, OPT_STRING, "DATE", "contributions in force on DATE (default: the year's end)", &as_of},
		{"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx or html (default table)", &format},
		CLI_UNITS_OUTPUT_OPTS(units, output),
		{0},
	};
	const cli_spec spec = {
		"contributions", "[--year Y] [--as-of DATE] [--format table|csv|json|xlsx|html] [--units U] [-o FILE]",
		"Prints the contributions schedule of a year: per pool, element and partner the gross\n"
		"contribution, less service-user income, less grants, the net, and each partner's share\n"
		"of the pool's net; totals per pool and per partner. JSON amounts are integer pence.\n"
		"The contributions are those in force at the year's end (the schedule plus the year's\n"
		"variations), or on --as-of DATE (the year is then DATE's unless --year says).",
		opts, 0, 0};
	cli_format fmt;
	s75_unit unit;
	int fy, rc = cli_parse(&spec, argc, argv, &first);
	s75_contrib_schedule *s = NULL;
	s75_buf out = S75_BUF_INIT;

	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_output_parse(format, FMT_ALL, &fmt, units, &unit))
		return EXIT_USAGE;
	s75_date at = 0;
	if (as_of && s75_date_parse(&at, as_of)) {
		cli_error("--as-of: %s", s75_error_last());
		return EXIT_USAGE;
	}
	if (as_of && !year) {
		char fys[8];
		fy = s75_fy_of_date(at);
		if (!s75_agreement_find_year(ctx->ag, fy)) {
			cli_error("the agreement has no year %s", s75_fy_format(fys, fy));
			return EXIT_BAD_INPUT;
		}
	} else if ((rc = cli_year(ctx->ag, year, &fy))) {
		return rc;
	}
	if (as_of && s75_fy_of_date(at) != fy) {
		cli_error("--as-of %s is not in the year %s", as_of, year);
		return EXIT_USAGE;
	}
	if (s75_contrib_schedule_build_at(&s, ctx->ag, fy, as_of ? at : s75_fy_end(fy))) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	if (fmt == FMT_JSON || fmt == FMT_CSV) {
		if (fmt == FMT_JSON)
			render_json(ctx->ag, s, &out);
		else
			render_csv(ctx->ag, s, &out);
		rc = cli_write(&out, output);
	} else {
		rc = cli_output_doc(build_doc(ctx, s), fmt, unit, output);
	}
	s75_buf_release(&out);
	s75_contrib_schedule_free(s);
	return rc;
}
