/* The tables an import shows: its control totals, and the unknown cost centres it met;
 * those of a care-packages import. */
#include "s75/report.h"

s75_table *s75_report_import_unknown(const s75_import_result *r)
{
	s75_table *t = s75_table_new("Unknown cost centres (not in the agreement)");
	s75_table_column(t, "Cost centre", S75_CELL_TEXT);
	s75_table_column(t, "Rows", S75_CELL_INT);
	s75_table_column(t, "Total", S75_CELL_MONEY);
	for (size_t i = 0; i < r->nunknown; i++) {
		s75_table_row(t, 0);
		s75_table_text(t, r->unknown[i].code);
		s75_table_int(t, r->unknown[i].rows);
		s75_table_money(t, r->unknown[i].total);
	}
	return t;
}

s75_table *s75_report_import_totals(const s75_import_result *r)
{
	s75_table *t = s75_table_new("Control totals");
	s75_table_column(t, "Partner", S75_CELL_TEXT);
	s75_table_column(t, "Kind", S75_CELL_TEXT);
	s75_table_column(t, "Rows", S75_CELL_INT);
	s75_table_column(t, "Amount", S75_CELL_MONEY);
	long rows = 0;
	for (size_t i = 0; i < r->ntotals; i++) {
		s75_table_row(t, 0);
		s75_table_text(t, r->totals[i].partner);
		s75_table_text(t, s75_txn_kind_name(r->totals[i].kind));
		s75_table_int(t, r->totals[i].rows);
		s75_table_money(t, r->totals[i].amount);
		rows += r->totals[i].rows;
	}
	s75_table_row(t, S75_ROW_TOTAL);
	s75_table_text(t, "Rows imported");
	s75_table_empty(t);
	s75_table_int(t, rows);
	s75_table_empty(t);
	return t;
}

s75_table *s75_report_packages_import_totals(const s75_import_result *r)
{
	s75_table *t = s75_table_new("Control totals (weekly costs of the rows imported)");
	s75_table_column(t, "Partner", S75_CELL_TEXT);
	s75_table_column(t, "Kind", S75_CELL_TEXT);
	s75_table_column(t, "Rows", S75_CELL_INT);
	s75_table_column(t, "Weekly", S75_CELL_MONEY);
	for (size_t i = 0; i < r->ntotals; i++) {
		s75_table_row(t, 0);
		s75_table_text(t, r->totals[i].partner);
		s75_table_text(t, r->totals[i].kind == S75_TXN_INCOME ? "client contributions"
								     : "cost");
		s75_table_int(t, r->totals[i].rows);
		s75_table_money(t, r->totals[i].amount);
	}
	return t;
}
