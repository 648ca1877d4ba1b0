/* Contributions due (s75 report contributions-due) and the demand for arrears (s75 invoice)
 * as documents, from the instalments and payments (compute/arrears.c). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "s75/arrears.h"
#include "s75/error.h"
#include "s75/money.h"
#include "s75/report.h"

static const char *pname(const s75_agreement *ag, int i)
{
	return ag->partners[i].name ? ag->partners[i].name : ag->partners[i].id;
}

/* The instalments of `partner` (-1: every partner); overdue ones only with `overdue`. */
static s75_table *instalments_table(const s75_agreement *ag, const s75_arrears *a, int partner,
				    bool overdue, const char *title)
{
	s75_table *t = s75_table_new(title);
	s75_table_column(t, "Partner", S75_CELL_TEXT);
	s75_table_column(t, "Instalment", S75_CELL_INT);
	s75_table_column(t, "Due", S75_CELL_TEXT);
	s75_table_column(t, "Amount", S75_CELL_MONEY);
	s75_table_column(t, "Received", S75_CELL_MONEY);
	s75_table_column(t, "Outstanding", S75_CELL_MONEY);
	s75_table_column(t, "Days late", S75_CELL_INT);
	int64_t tot[3] = {0, 0, 0};
	for (size_t i = 0; i < a->n; i++) {
		const s75_instalment *x = &a->items[i];
		char d[11];
		if ((partner >= 0 && x->partner != partner) || (overdue && !x->days_late))
			continue;
		s75_table_row(t, 0);
		s75_table_text(t, pname(ag, x->partner));
		s75_table_int(t, x->number);
		s75_table_text(t, s75_date_format(d, x->due));
		s75_table_money(t, x->amount);
		s75_table_money(t, x->received);
		s75_table_money(t, x->outstanding);
		if (x->days_late)
			s75_table_int(t, x->days_late);
		else
			s75_table_empty(t);
		tot[0] += x->amount;
		tot[1] += x->received;
		tot[2] += x->outstanding;
	}
	s75_table_row(t, S75_ROW_TOTAL | S75_ROW_STRONG);
	s75_table_text(t, "Total");
	s75_table_empty(t);
	s75_table_empty(t);
	for (int k = 0; k < 3; k++)
		s75_table_money(t, tot[k]);
	s75_table_empty(t);
	return t;
}

static json_t *arrears_json(const s75_agreement *ag, const s75_arrears *a, int partner)
{
	json_t *root = json_object(), *arr = json_array();
	char d[11], fyb[8];
	json_object_set_new(root, "year", json_string(s75_fy_format(fyb, a->fy)));
	json_object_set_new(root, "as_of", json_string(s75_date_format(d, a->as_of)));
	for (size_t i = 0; i < a->n; i++) {
		const s75_instalment *x = &a->items[i];
		if (partner >= 0 && x->partner != partner)
			continue;
		json_t *o = json_object();
		json_object_set_new(o, "partner", json_string(ag->partners[x->partner].id));
		json_object_set_new(o, "instalment", json_integer(x->number));
		json_object_set_new(o, "due", json_string(s75_date_format(d, x->due)));
		json_object_set_new(o, "amount", json_integer(x->amount));
		json_object_set_new(o, "received", json_integer(x->received));
		json_object_set_new(o, "outstanding", json_integer(x->outstanding));
		json_object_set_new(o, "days_late", json_integer(x->days_late));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "instalments", arr);
	return root;
}

int s75_report_contributions_due(s75_doc **out, s75_db *db, const s75_agreement *ag, int fy,
				 s75_date as_of, const s75_report_options *o)
{
	s75_arrears *a = NULL;
	char params[64], fyb[8], d[11];
	int rc;
	*out = NULL;
	if ((rc = s75_arrears_build(&a, db, ag, fy, as_of)))
		return rc;
	snprintf(params, sizeof(params), "%s, as of %s", s75_fy_format(fyb, fy), s75_date_format(d, as_of));
	s75_doc *doc = s75_report_doc_new(ag, "Contributions due", params, o);
	size_t late = 0;
	for (size_t i = 0; i < a->n; i++)
		late += a->items[i].days_late > 0;
	char line[160];
	snprintf(line, sizeof(line), "%zu instalment%s overdue.", late, late == 1 ? "" : "s");
	s75_doc_para(doc, line);
	for (size_t pi = 0; pi < ag->npartners; pi++)
		if (a->mismatch[pi]) {
			s75_buf w = S75_BUF_INIT;
			s75_buf_printf(&w, "%s's instalments stated by date and amount add up to ", pname(ag, (int)pi));
			s75_money_format(&w, a->mismatch[pi] > 0 ? a->mismatch[pi] : -a->mismatch[pi], S75_UNIT_POUNDS,
					 S75_FMT_SEP | S75_FMT_POUND);
			s75_buf_printf(&w, " %s than its net contribution for the year", a->mismatch[pi] > 0 ? "more" : "less");
			s75_doc_warning(doc, w.ptr);
			s75_buf_release(&w);
		}
	for (size_t pi = 0; pi < ag->npartners; pi++)
		if (a->unallocated[pi]) {
			s75_buf w = S75_BUF_INIT;
			s75_buf_printf(&w, "%s paid ", pname(ag, (int)pi));
			s75_money_format(&w, a->unallocated[pi], S75_UNIT_POUNDS, S75_FMT_SEP | S75_FMT_POUND);
			s75_buf_puts(&w, " more than its instalments for the year");
			s75_doc_warning(doc, w.ptr);
			s75_buf_release(&w);
		}
	s75_doc_table(doc, instalments_table(ag, a, -1, false, "Instalments"));
	s75_doc_csv(doc, instalments_table(ag, a, -1, false, "Instalments"));
	s75_doc_json(doc, arrears_json(ag, a, -1));
	s75_arrears_free(a);
	*out = doc;
	return 0;
}

int s75_report_invoice(s75_doc **out, s75_db *db, const s75_agreement *ag, const char *partner,
		       s75_date as_of, const s75_report_options *o)
{
	s75_arrears *a = NULL;
	char params[96], d[11];
	int pi = s75_agreement_find_partner(ag, partner), rc;
	*out = NULL;
	if (pi < 0)
		return s75_error_set(S75_EINVALID, "no partner '%s' in the agreement", partner);
	if (pi == ag->host)
		return s75_error_set(S75_EINVALID, "'%s' is the host partner: it pays no instalments", partner);
	if ((rc = s75_arrears_build(&a, db, ag, s75_fy_of_date(as_of), as_of)))
		return rc;
	snprintf(params, sizeof(params), "%s, as of %s", pname(ag, pi), s75_date_format(d, as_of));
	s75_doc *doc = s75_report_doc_new(ag, "Demand for payment of contributions in arrears", params, o);
	int64_t owed = 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->items[i].partner == pi && a->items[i].days_late)
			owed += a->items[i].outstanding;
	s75_buf w = S75_BUF_INIT;
	s75_buf_printf(&w, "To %s, from %s (host partner), %s: the instalments of your contribution below are overdue. Please pay ",
		       pname(ag, pi), pname(ag, ag->host), s75_date_format(d, as_of));
	s75_money_format(&w, owed, S75_UNIT_POUNDS, S75_FMT_SEP | S75_FMT_POUND);
	s75_buf_puts(&w, " to the pooled fund.");
	s75_doc_para(doc, w.ptr);
	s75_buf_release(&w);
	s75_doc_table(doc, instalments_table(ag, a, pi, true, "Overdue instalments"));
	s75_doc_csv(doc, instalments_table(ag, a, pi, true, "Overdue instalments"));
	s75_doc_json(doc, arrears_json(ag, a, pi));
	s75_arrears_free(a);
	*out = doc;
	return 0;
}
