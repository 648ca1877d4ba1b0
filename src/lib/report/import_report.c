/* The tables an import shows: its control totals, the rows that are not transactions or
 * are outside the pool, and the unknown cost centres it met; those of a care-packages import. */
#include <stdio.h>

#include "s75/report.h"

s75_table *s75_report_import_totals(const s75_import_result *r)
{
	s75_table *t = s75_table_new("Control totals");
	long rows = 0;
	s75_table_column(t, "Partner", S75_CELL_TEXT);
	s75_table_column(t, "Kind", S75_CELL_TEXT);
	s75_table_column(t, "Rows", S75_CELL_INT);
	s75_table_column(t, "Amount", S75_CELL_MONEY);
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

s75_table *s75_report_import_skipped(const s75_import_result *r)
{
	if (!r->rows_skipped && !r->rows_outside)
		return NULL;
	s75_table *t = s75_table_new("Rows not imported as transactions");
	s75_table_column(t, "Why", S75_CELL_TEXT);
	s75_table_column(t, "Rows", S75_CELL_INT);
	s75_table_column(t, "Amount", S75_CELL_MONEY);
	for (size_t i = 0; i < r->nskipped; i++) {
		char why[600];
		snprintf(why, sizeof(why), "skipped: %s", r->skipped[i].reason);
		s75_table_row(t, 0);
		s75_table_text(t, why);
		s75_table_int(t, r->skipped[i].rows);
		s75_table_empty(t);
	}
	if (r->rows_outside) {
		s75_table_row(t, 0);
		s75_table_text(t, "outside the pool (include_when / exclude_when)");
		s75_table_int(t, r->rows_outside);
		s75_table_money(t, r->outside_total);
	}
	s75_table_row(t, S75_ROW_TOTAL);
	s75_table_text(t, "Total");
	s75_table_int(t, r->rows_skipped + r->rows_outside);
	s75_table_empty(t);
	return t;
}

s75_table *s75_report_import_unknown(const s75_import_result *r)
{
	if (!r->nunknown)
		return NULL;
	s75_table *t = s75_table_new("Unknown cost centres (not in the agreement), largest first");
	long rows = 0;
	int64_t total = 0;
	bool overflow = false;
	s75_table_column(t, "Cost centre", S75_CELL_TEXT);
	s75_table_column(t, "Rows", S75_CELL_INT);
	s75_table_column(t, "Total", S75_CELL_MONEY);
	s75_table_column(t, "Did you mean", S75_CELL_TEXT);
	for (size_t i = 0; i < r->nunknown; i++) {
		s75_table_row(t, 0);
		s75_table_text(t, r->unknown[i].code);
		s75_table_int(t, r->unknown[i].rows);
		s75_table_money(t, r->unknown[i].total);
		if (r->unknown[i].suggestion)
			s75_table_text(t, r->unknown[i].suggestion);
		else
			s75_table_empty(t);
		rows += r->unknown[i].rows;
		overflow |= __builtin_add_overflow(total, r->unknown[i].total, &total);
	}
	s75_table_row(t, S75_ROW_TOTAL);
	s75_table_text(t, "Total");
	s75_table_int(t, rows);
	if (overflow)
		s75_table_text(t, "out of range");
	else
		s75_table_money(t, total);
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
