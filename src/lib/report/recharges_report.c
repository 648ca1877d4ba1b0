/* Recharge statements (s75 recharges) as a document: the statements of a period, each with
 * its charges and adjustments, from compute/recharges.c. An issued period's cover is the
 * one it was issued with (when, by whom, the agreement then), so that it renders the same
 * byte for byte whenever it is asked for again. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "s75/error.h"
#include "s75/recharges.h"
#include "s75/report.h"

static const char *kind_name(s75_recharge_kind k)
{
	return k == S75_RECHARGE_ADJUSTMENT ? "adjustment" : "charge";
}

/* Whether statement `s` is one `partner` (NULL: any) pays or receives. */
static bool concerns(const s75_recharge_statement *s, const char *partner)
{
	return !partner || !strcmp(s->creditor, partner) || !strcmp(s->debtor, partner);
}

static char *statement_label(char *buf, size_t n, const s75_recharge_statement *s)
{
	if (s->number)
		snprintf(buf, n, "%lld", (long long)s->number);
	else
		snprintf(buf, n, "draft");
	return buf;
}

/* The lines of `s` of one kind. */
static s75_table *lines_table(const s75_recharge_statement *s, s75_recharge_kind kind, const char *title)
{
	s75_table *t = s75_table_new(title);
	bool adj = kind == S75_RECHARGE_ADJUSTMENT;
	char per[16];
	int64_t tot[4] = {0, 0, 0, 0};
	s75_table_column(t, "Package", S75_CELL_TEXT);
	s75_table_column(t, "Person", S75_CELL_TEXT);
	s75_table_column(t, "Month", S75_CELL_TEXT);
	s75_table_column(t, "Funding", S75_CELL_TEXT);
	s75_table_column(t, "NHS share at month end", S75_CELL_BP);
	s75_table_column(t, "Days", S75_CELL_INT);
	s75_table_column(t, "Net cost", S75_CELL_MONEY);
	s75_table_column(t, adj ? "Due now" : "Due", S75_CELL_MONEY);
	if (adj) {
		s75_table_column(t, "Charged before", S75_CELL_MONEY);
		s75_table_column(t, "Adjustment", S75_CELL_MONEY);
		s75_table_column(t, "Reason", S75_CELL_TEXT);
	}
	for (size_t i = 0; i < s->nlines; i++) {
		const s75_recharge_line *l = &s->lines[i];
		if (l->kind != kind)
			continue;
		s75_table_row(t, 0);
		s75_table_text(t, l->package);
		s75_table_text(t, l->person);
		s75_table_text(t, s75_period_format(per, l->month));
		if (l->funding) {
			s75_table_text(t, l->funding);
			s75_table_bp(t, l->health_bp);
		} else {
			s75_table_text(t, "(not running)");
			s75_table_empty(t);
		}
		s75_table_int(t, l->days);
		s75_table_money(t, l->net);
		s75_table_money(t, adj ? l->due : l->amount);
		tot[0] += l->net;
		tot[1] += adj ? l->due : l->amount;
		if (adj) {
			s75_table_money(t, l->charged);
			s75_table_money(t, l->amount);
			if (l->reason)
				s75_table_text(t, l->reason);
			else
				s75_table_empty(t);
			tot[2] += l->charged;
			tot[3] += l->amount;
		}
	}
	s75_table_row(t, S75_ROW_TOTAL | S75_ROW_STRONG);
	s75_table_text(t, "Total");
	for (int k = 0; k < 5; k++)
		s75_table_empty(t);
	s75_table_money(t, tot[0]);
	s75_table_money(t, tot[1]);
	if (adj) {
		s75_table_money(t, tot[2]);
		s75_table_money(t, tot[3]);
		s75_table_empty(t);
	}
	return t;
}

static s75_table *summary_table(const s75_recharges *r, const char *partner)
{
	s75_table *t = s75_table_new("Statements");
	int64_t tot[3] = {0, 0, 0};
	char num[24];
	s75_table_column(t, "Statement", S75_CELL_TEXT);
	s75_table_column(t, "Payable by", S75_CELL_TEXT);
	s75_table_column(t, "Payable to", S75_CELL_TEXT);
	s75_table_column(t, "Charges", S75_CELL_MONEY);
	s75_table_column(t, "Adjustments", S75_CELL_MONEY);
	s75_table_column(t, "Total", S75_CELL_MONEY);
	for (size_t i = 0; i < r->n; i++) {
		const s75_recharge_statement *s = &r->statements[i];
		if (!concerns(s, partner))
			continue;
		s75_table_row(t, 0);
		s75_table_text(t, statement_label(num, sizeof(num), s));
		s75_table_text(t, s->debtor_name);
		s75_table_text(t, s->creditor_name);
		s75_table_money(t, s->charges);
		s75_table_money(t, s->adjustments);
		s75_table_money(t, s->total);
		tot[0] += s->charges;
		tot[1] += s->adjustments;
		tot[2] += s->total;
	}
	s75_table_row(t, S75_ROW_TOTAL | S75_ROW_STRONG);
	s75_table_text(t, "Total");
	s75_table_empty(t);
	s75_table_empty(t);
	for (int k = 0; k < 3; k++)
		s75_table_money(t, tot[k]);
	return t;
}

/* Every line of every statement, one table: the CSV form. */
static s75_table *csv_table(const s75_recharges *r, const char *partner)
{
	s75_table *t = s75_table_new("Recharge lines");
	char num[24], per[16];
	const char *cols[] = {"statement", "payable_by", "payable_to", "package", "person", "pool", "element",
			      "month", "kind", "funding"};
	for (size_t k = 0; k < sizeof(cols) / sizeof(*cols); k++)
		s75_table_column(t, cols[k], S75_CELL_TEXT);
	s75_table_column(t, "health_share", S75_CELL_BP);
	s75_table_column(t, "days", S75_CELL_INT);
	s75_table_column(t, "net", S75_CELL_MONEY);
	s75_table_column(t, "due", S75_CELL_MONEY);
	s75_table_column(t, "charged_before", S75_CELL_MONEY);
	s75_table_column(t, "amount", S75_CELL_MONEY);
	for (size_t i = 0; i < r->n; i++) {
		const s75_recharge_statement *s = &r->statements[i];
		if (!concerns(s, partner))
			continue;
		for (size_t j = 0; j < s->nlines; j++) {
			const s75_recharge_line *l = &s->lines[j];
			s75_table_row(t, 0);
			s75_table_text(t, statement_label(num, sizeof(num), s));
			s75_table_text(t, s->debtor);
			s75_table_text(t, s->creditor);
			s75_table_text(t, l->package);
			s75_table_text(t, l->person);
			s75_table_text(t, l->pool);
			s75_table_text(t, l->element);
			s75_table_text(t, s75_period_format(per, l->month));
			s75_table_text(t, kind_name(l->kind));
			if (l->funding) {
				s75_table_text(t, l->funding);
				s75_table_bp(t, l->health_bp);
			} else {
				s75_table_empty(t);
				s75_table_empty(t);
			}
			s75_table_int(t, l->days);
			s75_table_money(t, l->net);
			s75_table_money(t, l->due);
			s75_table_money(t, l->charged);
			s75_table_money(t, l->amount);
		}
	}
	return t;
}

static json_t *recharges_json(const s75_recharges *r, const char *partner, bool aggregates_only)
{
	json_t *root = json_object(), *arr = json_array(), *w = json_array();
	char per[16];
	int64_t total = 0;
	json_object_set_new(root, "period", json_string(s75_period_format(per, r->period)));
	json_object_set_new(root, "first_period", json_string(s75_period_format(per, r->first)));
	json_object_set_new(root, "status", json_string(r->issued ? "issued" : "draft"));
	json_object_set_new(root, "issued_at", r->issued_at ? json_string(r->issued_at) : json_null());
	json_object_set_new(root, "issued_by", r->issued_by ? json_string(r->issued_by) : json_null());
	json_object_set_new(root, "partner", partner ? json_string(partner) : json_null());
	for (size_t i = 0; i < r->nwarnings; i++)
		json_array_append_new(w, json_string(r->warnings[i]));
	json_object_set_new(root, "warnings", w);
	for (size_t i = 0; i < r->n; i++) {
		const s75_recharge_statement *s = &r->statements[i];
		if (!concerns(s, partner))
			continue;
		json_t *o = json_object(), *lines = json_array();
		json_object_set_new(o, "number", s->number ? json_integer(s->number) : json_null());
		json_object_set_new(o, "payable_by", json_string(s->debtor));
		json_object_set_new(o, "payable_by_name", json_string(s->debtor_name));
		json_object_set_new(o, "payable_to", json_string(s->creditor));
		json_object_set_new(o, "payable_to_name", json_string(s->creditor_name));
		json_object_set_new(o, "charges", json_integer(s->charges));
		json_object_set_new(o, "adjustments", json_integer(s->adjustments));
		json_object_set_new(o, "total", json_integer(s->total));
		total += s->total;
		for (size_t j = 0; j < s->nlines && !aggregates_only; j++) {
			const s75_recharge_line *l = &s->lines[j];
			json_t *x = json_object();
			json_object_set_new(x, "package", json_string(l->package));
			json_object_set_new(x, "person", json_string(l->person));
			json_object_set_new(x, "pool", json_string(l->pool));
			json_object_set_new(x, "element", json_string(l->element));
			json_object_set_new(x, "month", json_string(s75_period_format(per, l->month)));
			json_object_set_new(x, "kind", json_string(kind_name(l->kind)));
			json_object_set_new(x, "funding", l->funding ? json_string(l->funding) : json_null());
			json_object_set_new(x, "health_share_bp", json_integer(l->health_bp));
			json_object_set_new(x, "days", json_integer(l->days));
			json_object_set_new(x, "net", json_integer(l->net));
			json_object_set_new(x, "due", json_integer(l->due));
			json_object_set_new(x, "charged_before", json_integer(l->charged));
			json_object_set_new(x, "amount", json_integer(l->amount));
			json_object_set_new(x, "reason", l->reason ? json_string(l->reason) : json_null());
			json_array_append_new(lines, x);
		}
		json_object_set_new(o, "lines", lines);
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "statements", arr);
	json_object_set_new(root, "total", json_integer(total));
	return root;
}

/* The cover: an issued period's as it was issued; a draft's from the options. */
static s75_doc *cover(const s75_recharges *r, const s75_agreement *ag, const char *params,
		      const s75_report_options *o)
{
	const char *title = "Recharge statements";
	if (!r->issued)
		return s75_report_doc_new(ag, title, params, o);
	s75_doc *d = s75_doc_new(title);
	s75_doc_set_charts_drawn(d, false);
	s75_doc_meta(d, "Report", title);
	s75_doc_meta(d, "Issued", r->issued_at);
	if (r->issued_by)
		s75_doc_meta(d, "Issued by", r->issued_by);
	s75_doc_meta(d, "Agreement", r->agreement_title);
	s75_doc_meta(d, "Agreement file", r->agreement_path);
	s75_doc_meta(d, "Agreement sha256", r->agreement_sha256);
	s75_doc_meta(d, "Parameters", params);
	return d;
}

int s75_report_recharges_doc(s75_doc **out, const s75_recharges *r, const s75_agreement *ag,
			     const char *partner, const s75_report_options *o)
{
	char params[160], per[16], num[24], head[320], first[16];
	bool lines = !(o && o->aggregates_only);
	*out = NULL;
	if (partner && s75_agreement_find_partner(ag, partner) < 0)
		return s75_error_set(S75_EINVALID, "no partner '%s' in the agreement", partner);
	snprintf(params, sizeof(params), "%s, %s%s%s", s75_period_format(per, r->period),
		 r->issued ? "issued" : "draft", partner ? ", statements of " : "",
		 partner ? s75_agreement_partner_name(ag, partner) : "");
	s75_doc *d = cover(r, ag, params, o);
	for (size_t i = 0; i < r->nwarnings; i++)
		s75_doc_warning(d, r->warnings[i]);
	size_t shown = 0;
	for (size_t i = 0; i < r->n; i++)
		shown += concerns(&r->statements[i], partner);
	if (r->issued)
		snprintf(head, sizeof(head), "Issued on %.10s: %zu statement%s, kept as issued; a later change to the register is an adjustment on the next period's statement.",
			 r->issued_at, shown, shown == 1 ? "" : "s");
	else
		snprintf(head, sizeof(head), "Draft, not issued: %zu statement%s. 's75 recharges --period \"%s\" --issue' numbers and keeps %s.",
			 shown, shown == 1 ? "" : "s", s75_period_format(per, r->period), shown == 1 ? "it" : "them");
	s75_doc_para(d, head);
	snprintf(head, sizeof(head), "Each month is charged at the terms in force on each of its days; months from %s on are recharged here.",
		 s75_period_format(first, r->first));
	s75_doc_para(d, head);
	s75_doc_table(d, summary_table(r, partner));
	for (size_t i = 0; i < r->n; i++) {
		const s75_recharge_statement *s = &r->statements[i];
		if (!concerns(s, partner))
			continue;
		char sheet[48];
		statement_label(num, sizeof(num), s);
		snprintf(head, sizeof(head), "Statement %s: %s to %s", num, s->debtor_name, s->creditor_name);
		snprintf(sheet, sizeof(sheet), "Statement %s", num);
		s75_doc_section(d, head, sheet);
		int64_t amounts[3] = {s->total, s->charges, s->adjustments};
		snprintf(head, sizeof(head), "%s pays %s {} for %s: the care packages %s paid for whose cost %s carries, {} for the month and {} of adjustments to earlier months.",
			 s->debtor_name, s->creditor_name, s75_period_format(per, r->period), s->creditor_name, s->debtor_name);
		s75_doc_para_amounts(d, head, amounts, 3);
		if (!lines)
			continue;
		bool any[2] = {false, false};
		for (size_t j = 0; j < s->nlines; j++)
			any[s->lines[j].kind == S75_RECHARGE_ADJUSTMENT] = true;
		if (any[0])
			s75_doc_table(d, lines_table(s, S75_RECHARGE_CHARGE, "Charges"));
		if (any[1])
			s75_doc_table(d, lines_table(s, S75_RECHARGE_ADJUSTMENT, "Adjustments to earlier months"));
	}
	if (lines)
		s75_doc_csv(d, csv_table(r, partner));
	else
		s75_doc_csv(d, summary_table(r, partner));
	s75_doc_json(d, recharges_json(r, partner, !lines));
	*out = d;
	return 0;
}

int s75_report_recharges(s75_doc **out, s75_db *db, const s75_agreement *ag, s75_period period,
			 const char *partner, const s75_report_options *o)
{
	s75_recharges *r = NULL;
	int rc;
	*out = NULL;
	if (partner && s75_agreement_find_partner(ag, partner) < 0)
		return s75_error_set(S75_EINVALID, "no partner '%s' in the agreement", partner);
	if ((rc = s75_recharges_build(&r, db, ag, period)))
		return rc;
	rc = s75_report_recharges_doc(out, r, ag, partner, o);
	s75_recharges_free(r);
	return rc;
}
