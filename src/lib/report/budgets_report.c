/* The cost-centre budgets of a year and their monthly profile (s75 budgets), as a document
 * with its JSON and CSV. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s75/budgets.h"
#include "s75/error.h"
#include "s75/ledger.h"
#include "s75/packages.h"
#include "s75/report.h"
#include "report_internal.h"

static json_t *budgets_json(const s75_agreement *ag, const s75_year *y, const char *fys)
{
	json_t *root = json_object(), *arr = json_array();
	json_object_set_new(root, "year", json_string(fys));
	for (size_t i = 0; i < ag->ncost_centres; i++) {
		const s75_cost_centre *cc = &ag->cost_centres[i];
		const s75_budget *b = s75_year_find_budget(y, (int)i);
		json_t *o = json_object(), *prof = json_array();
		json_object_set_new(o, "code", json_string(cc->code));
		json_object_set_new(o, "name", cc->name ? json_string(cc->name) : json_null());
		json_object_set_new(o, "pool", json_string(ag->arrangements[cc->pool].id));
		json_object_set_new(o, "element", json_string(ag->arrangements[cc->pool].elements[cc->element].id));
		json_object_set_new(o, "partner", json_string(ag->partners[cc->partner].id));
		json_object_set_new(o, "budget", json_integer(b ? b->amount : 0));
		for (int p = 1; p <= 12; p++)
			json_array_append_new(prof, json_integer(s75_budget_to_date(b, p) -
								  s75_budget_to_date(b, p - 1)));
		json_object_set_new(o, "monthly", prof);
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "cost_centres", arr);
	return root;
}

/* The columns naming a cost centre: code, name, pool, element, partner. */
static void cc_columns(s75_table *t)
{
	const char *cols[] = {"Code", "Name", "Pool", "Element", "Partner"};
	for (int i = 0; i < 5; i++)
		s75_table_column(t, cols[i], S75_CELL_TEXT);
}

/* A new row with the cells naming cost centre `c`. */
static void cc_cells(s75_table *t, const s75_agreement *ag, size_t c)
{
	const s75_cost_centre *cc = &ag->cost_centres[c];
	s75_table_row(t, 0);
	s75_table_text(t, cc->code);
	s75_table_text(t, cc->name ? cc->name : "");
	s75_table_text(t, ag->arrangements[cc->pool].id);
	s75_table_text(t, ag->arrangements[cc->pool].elements[cc->element].id);
	s75_table_text(t, ag->partners[cc->partner].id);
}

static s75_table *budgets_table(const s75_agreement *ag, const s75_year *y, const char *title,
				 bool csv)
{
	s75_table *t = s75_table_new(csv ? NULL : title);
	cc_columns(t);
	s75_table_column(t, "Budget", S75_CELL_MONEY);
	int64_t total = 0;
	for (size_t i = 0; i < ag->ncost_centres; i++) {
		const s75_budget *b = s75_year_find_budget(y, (int)i);
		cc_cells(t, ag, i);
		s75_table_money(t, b ? b->amount : 0);
		if (b && __builtin_add_overflow(total, b->amount, &total)) {
			char fys[8];
			s75_error_set(S75_EOVERFLOW, "the budgets of %s add up to more than s75 can hold",
				      s75_fy_format(fys, y->fy));
			s75_table_free(t);
			return NULL;
		}
	}
	if (!csv) {
		s75_table_row(t, S75_ROW_TOTAL);
		s75_table_text(t, "Total");
		for (int i = 0; i < 4; i++)
			s75_table_empty(t);
		s75_table_money(t, total);
	}
	return t;
}

int s75_report_budgets(s75_doc **out, const s75_agreement *ag, int fy, const s75_report_options *o)
{
	const s75_year *y = s75_agreement_find_year(ag, fy);
	char fys[8];
	s75_table *t, *csv;
	*out = NULL;
	s75_fy_format(fys, fy);
	s75_buf title = S75_BUF_INIT;
	s75_buf_printf(&title, "Cost-centre budgets %s", fys);
	if (!(t = budgets_table(ag, y, title.ptr, false))) {
		s75_buf_release(&title);
		return S75_EOVERFLOW;
	}
	csv = budgets_table(ag, y, NULL, true);
	s75_doc *d = s75_report_doc_new(ag, title.ptr, fys, o);
	s75_buf_release(&title);
	s75_doc_bare(d);
	s75_doc_table(d, t);
	s75_doc_csv(d, csv);
	s75_doc_json(d, budgets_json(ag, y, fys));
	*out = d;
	return 0;
}

/* "R1", "R1, R2": the revisions of cost centre `cc` in force at `p`. */
static void revisions_of(s75_buf *b, const s75_budget_versions *v, int cc, int p)
{
	for (long l = v->first_line[cc]; l >= 0; l = v->lines[l].next) {
		const s75_budget_revision *r = &v->revisions[v->lines[l].revision];
		if (r->from <= p)
			s75_buf_printf(b, "%sR%d", b->len ? ", " : "", r->number);
	}
}

/* The figures of one cost centre in a version. */
typedef struct bv_row {
	int64_t original, revised, change;
	int64_t forecast, latest;
	int64_t actual, committed, available; /* latest: to date; the packages' rest of the year */
	bool has_forecast;
	int forecast_period;
	const char *latest_is; /* "original", "revised" or "forecast" */
} bv_row;

/* Every cost centre's figures in `bo`'s version; a forecast only for `latest`. */
static int bv_rows(bv_row **out, bool *any_commit, s75_db *db, const s75_agreement *ag,
		   const s75_year *y, const s75_budget_versions *v, const s75_budgets_options *bo,
		   int p, s75_period *fper)
{
	bv_row *rows = calloc(ag->ncost_centres + 1, sizeof(*rows));
	s75_monitoring *m = NULL;
	int rc = 0;
	if (!rows)
		abort();
	if (bo->version == S75_BV_LATEST && db) {
		if ((rc = s75_monitoring_build(&m, db, ag, *fper, S75_LEVEL_COST_CENTRE))) {
			free(rows);
			return rc;
		}
	}
	for (size_t c = 0; c < ag->ncost_centres; c++) {
		bv_row *r = &rows[c];
		const s75_budget *b = s75_year_find_budget(y, (int)c);
		r->original = b ? b->amount : 0;
		r->revised = s75_budget_annual(v, y, (int)c, p);
		if (s75_money_sub(&r->change, r->revised, r->original)) {
			rc = s75_error_set(S75_EOVERFLOW, "the revision of '%s' is beyond the range of amounts",
					   ag->cost_centres[c].code);
			break;
		}
		r->latest = r->revised;
		r->latest_is = "original";
		for (long l = v->first_line[c]; l >= 0; l = v->lines[l].next)
			if (v->revisions[v->lines[l].revision].from <= p)
				r->latest_is = "revised";
	}
	int64_t *commit = m ? calloc(ag->ncost_centres + 1, sizeof(int64_t)) : NULL;
	if (m && !commit)
		abort();
	if (m && !rc && (rc = s75_packages_commitment(commit, db, ag, *fper)) == 0)
		for (size_t c = 0; c < ag->ncost_centres; c++)
			*any_commit |= commit[c] != 0;
	/* and the purchase orders imported as commitments, to the same period */
	if (m && !rc)
		rc = s75_ledger_committed(commit, any_commit, db, ag, *fper);
	for (size_t i = 0; m && !rc && i < m->ncost_centres; i++) {
		const s75_monitor_row *mr = &m->cost_centres[i];
		bv_row *r = &rows[mr->cost_centre];
		r->actual = mr->actual_to_date;
		r->committed = commit[mr->cost_centre];
		if (s75_money_sub(&r->available, r->revised, r->actual) ||
		    s75_money_sub(&r->available, r->available, r->committed)) {
			rc = s75_error_set(S75_EOVERFLOW, "the budget available to '%s' is beyond the range of amounts",
					   ag->cost_centres[mr->cost_centre].code);
			break;
		}
		if (mr->forecast_basis != S75_FC_IMPORTED && mr->forecast_basis != S75_FC_CARRIED)
			continue; /* a default is not a forecast anyone made */
		r->has_forecast = true;
		r->forecast = mr->forecast;
		r->forecast_period = mr->forecast_period;
		r->latest = mr->forecast;
		r->latest_is = "forecast";
	}
	s75_monitoring_free(m);
	free(commit);
	if (rc) {
		free(rows);
		return rc;
	}
	*out = rows;
	return 0;
}

/* The budgets by cost centre in a version; `title` NULL for CSV (no total). */
static s75_table *bv_table(const s75_agreement *ag, const s75_budget_versions *v,
			   const bv_row *rows, const s75_budgets_options *bo, int p, bool commit,
			   const char *title)
{
	s75_table *t = s75_table_new(title);
	bool latest = bo->version == S75_BV_LATEST;
	int64_t tot[8] = {0};
	cc_columns(t);
	s75_table_column(t, "Original", S75_CELL_MONEY);
	s75_table_column(t, "Change", S75_CELL_MONEY);
	s75_table_column(t, "Revised", S75_CELL_MONEY);
	s75_table_column(t, "Revisions", S75_CELL_TEXT);
	if (latest) {
		s75_table_column(t, "Forecast", S75_CELL_MONEY);
		s75_table_column(t, "Made at", S75_CELL_TEXT);
		s75_table_column(t, "Latest", S75_CELL_MONEY);
		s75_table_column(t, "Latest is", S75_CELL_TEXT);
		s75_table_column(t, "Actual to date", S75_CELL_MONEY);
		if (commit) /* committed vs actual, where a commitment is known */
			s75_table_column(t, "Committed", S75_CELL_MONEY);
		s75_table_column(t, "Available", S75_CELL_MONEY);
	}
	for (size_t c = 0; c < ag->ncost_centres; c++) {
		const bv_row *r = &rows[c];
		s75_buf b = S75_BUF_INIT;
		cc_cells(t, ag, c);
		s75_table_money(t, r->original);
		s75_table_money(t, r->change);
		s75_table_money(t, r->revised);
		revisions_of(&b, v, (int)c, p);
		s75_table_text(t, b.ptr);
		s75_buf_release(&b);
		if (latest) {
			if (r->has_forecast) {
				s75_table_money(t, r->forecast);
				s75_buf_printf(&b, "P%d", r->forecast_period);
				s75_table_text(t, b.ptr);
				s75_buf_release(&b);
			} else {
				s75_table_empty(t);
				s75_table_empty(t);
			}
			s75_table_money(t, r->latest);
			s75_table_text(t, r->latest_is);
			s75_table_money(t, r->actual);
			if (commit)
				s75_table_money(t, r->committed);
			s75_table_money(t, r->available);
		}
		const int64_t add[8] = {r->original, r->change, r->revised,
					r->has_forecast ? r->forecast : 0, r->latest, r->actual,
					r->committed, r->available};
		for (int i = 0; i < 8; i++)
			if (s75_money_add(&tot[i], tot[i], add[i])) {
				s75_table_free(t);
				s75_error_set(S75_EOVERFLOW, "the budgets add up to more than s75 can hold");
				return NULL;
			}
	}
	if (title) {
		s75_table_row(t, S75_ROW_TOTAL);
		s75_table_text(t, "Total");
		for (int i = 0; i < 4; i++)
			s75_table_empty(t);
		s75_table_money(t, tot[0]);
		s75_table_money(t, tot[1]);
		s75_table_money(t, tot[2]);
		s75_table_empty(t);
		if (latest) {
			bool anyf = false;
			for (size_t c = 0; c < ag->ncost_centres; c++)
				anyf |= rows[c].has_forecast;
			if (anyf)
				s75_table_money(t, tot[3]);
			else
				s75_table_empty(t);
			s75_table_empty(t);
			s75_table_money(t, tot[4]);
			s75_table_empty(t);
			s75_table_money(t, tot[5]);
			if (commit)
				s75_table_money(t, tot[6]);
			s75_table_money(t, tot[7]);
		}
	}
	return t;
}

s75_table *report_revisions_table(const s75_budget_versions *v, int p)
{
	s75_table *t = s75_table_new("Budget revisions");
	const char *cols[] = {"Revision", "Decision", "Decided", "From", "Cost centres"};
	for (int i = 0; i < 5; i++)
		s75_table_column(t, cols[i], S75_CELL_TEXT);
	s75_table_column(t, "Change", S75_CELL_MONEY);
	s75_table_column(t, "Note", S75_CELL_TEXT);
	s75_table_column(t, "Recorded", S75_CELL_TEXT);
	for (size_t i = 0; i < v->nrevisions; i++) {
		const s75_budget_revision *r = &v->revisions[i];
		s75_buf b = S75_BUF_INIT;
		char date[11];
		int64_t change = 0;
		if (r->from > p)
			continue;
		s75_table_row(t, 0);
		s75_buf_printf(&b, "R%d", r->number);
		s75_table_text(t, b.ptr);
		s75_table_text(t, r->decision);
		s75_table_text(t, s75_date_format(date, r->decided_on));
		s75_buf_reset(&b);
		s75_buf_printf(&b, "P%d", r->from);
		s75_table_text(t, b.ptr);
		s75_buf_reset(&b);
		s75_buf_printf(&b, "%zu", r->nlines);
		s75_table_text(t, b.ptr);
		for (size_t l = r->first; l < r->first + r->nlines; l++)
			if (s75_money_add(&change, change, v->lines[l].amount - v->lines[l].previous))
				change = 0; /* not reached: checked as the versions are built */
		s75_table_money(t, change);
		s75_table_text(t, r->note ? r->note : "");
		s75_buf_reset(&b);
		s75_buf_printf(&b, "%s%s%s", r->recorded_at, r->recorded_by ? " by " : "",
			       r->recorded_by ? r->recorded_by : "");
		s75_table_text(t, b.ptr);
		s75_buf_release(&b);
	}
	return t;
}

json_t *report_revisions_json(const s75_agreement *ag, const s75_budget_versions *v, int p)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < v->nrevisions; i++) {
		const s75_budget_revision *r = &v->revisions[i];
		char date[11];
		if (r->from > p)
			continue;
		json_t *o = json_object(), *lines = json_array();
		json_object_set_new(o, "number", json_integer(r->number));
		json_object_set_new(o, "decision", json_string(r->decision));
		json_object_set_new(o, "decided_on", json_string(s75_date_format(date, r->decided_on)));
		json_object_set_new(o, "from_period", json_integer(r->from));
		json_object_set_new(o, "note", r->note ? json_string(r->note) : json_null());
		json_object_set_new(o, "file", json_string(r->file));
		json_object_set_new(o, "recorded_at", json_string(r->recorded_at));
		json_object_set_new(o, "recorded_by", r->recorded_by ? json_string(r->recorded_by) : json_null());
		for (size_t l = r->first; l < r->first + r->nlines; l++) {
			json_t *x = json_object();
			json_object_set_new(x, "cost_centre", json_string(ag->cost_centres[v->lines[l].cost_centre].code));
			json_object_set_new(x, "previous", json_integer(v->lines[l].previous));
			json_object_set_new(x, "budget", json_integer(v->lines[l].amount));
			json_object_set_new(x, "note", v->lines[l].note ? json_string(v->lines[l].note) : json_null());
			json_array_append_new(lines, x);
		}
		json_object_set_new(o, "lines", lines);
		json_array_append_new(arr, o);
	}
	return arr;
}

int report_revisions_in_force(s75_doc *d, json_t *j, s75_db *db, const s75_agreement *ag,
			      s75_period per)
{
	s75_budget_versions *v;
	int rc;
	if ((rc = s75_budget_versions_load(&v, db, ag, per.fy)))
		return rc;
	v->upto = per.p;
	if (!s75_budget_versions_in_force(v, per.p)) {
		s75_budget_versions_free(v);
		return 0;
	}
	if (d)
		s75_doc_table(d, report_revisions_table(v, per.p));
	if (j)
		json_object_set_new(j, "budget_revisions", report_revisions_json(ag, v, per.p));
	s75_budget_versions_free(v);
	return 0;
}

static json_t *bv_json(const s75_agreement *ag, const s75_year *y, const s75_budget_versions *v,
		       const bv_row *rows, const s75_budgets_options *bo, int p, const char *fys)
{
	json_t *root = json_object(), *arr = json_array();
	json_object_set_new(root, "year", json_string(fys));
	json_object_set_new(root, "version", json_string(s75_budget_version_name(bo->version)));
	json_object_set_new(root, "period", bo->period ? json_integer(bo->period) : json_null());
	for (size_t c = 0; c < ag->ncost_centres; c++) {
		const s75_cost_centre *cc = &ag->cost_centres[c];
		const bv_row *r = &rows[c];
		json_t *o = json_object(), *prof = json_array(), *revs = json_array();
		json_object_set_new(o, "code", json_string(cc->code));
		json_object_set_new(o, "name", cc->name ? json_string(cc->name) : json_null());
		json_object_set_new(o, "pool", json_string(ag->arrangements[cc->pool].id));
		json_object_set_new(o, "element", json_string(ag->arrangements[cc->pool].elements[cc->element].id));
		json_object_set_new(o, "partner", json_string(ag->partners[cc->partner].id));
		json_object_set_new(o, "budget", json_integer(r->revised));
		json_object_set_new(o, "original", json_integer(r->original));
		json_object_set_new(o, "change", json_integer(r->change));
		json_object_set_new(o, "revised", json_integer(r->revised));
		for (long l = v->first_line[c]; l >= 0; l = v->lines[l].next)
			if (v->revisions[v->lines[l].revision].from <= p)
				json_array_append_new(revs, json_integer(v->revisions[v->lines[l].revision].number));
		json_object_set_new(o, "revisions", revs);
		for (int q = 1; q <= 12; q++) /* as the revisions in force at p make it (v->upto) */
			json_array_append_new(prof, json_integer(s75_budget_version_to_date(v, y, (int)c, q) -
								  s75_budget_version_to_date(v, y, (int)c, q - 1)));
		json_object_set_new(o, "monthly", prof);
		if (bo->version == S75_BV_LATEST) {
			json_object_set_new(o, "forecast", r->has_forecast ? json_integer(r->forecast) : json_null());
			json_object_set_new(o, "forecast_period", r->has_forecast ? json_integer(r->forecast_period) : json_null());
			json_object_set_new(o, "latest", json_integer(r->latest));
			json_object_set_new(o, "latest_is", json_string(r->latest_is));
			json_object_set_new(o, "actual_to_date", json_integer(r->actual));
			json_object_set_new(o, "committed", json_integer(r->committed));
			json_object_set_new(o, "available", json_integer(r->available));
		}
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "cost_centres", arr);
	json_object_set_new(root, "revisions", report_revisions_json(ag, v, p));
	return root;
}

/* The period a `latest` list takes its forecasts at: the one asked, else the year's latest
 * with actuals, else P12. */
static void latest_period(s75_period *out, s75_db *db, int fy, int asked)
{
	s75_period lp;
	out->fy = fy;
	out->p = asked ? asked : 12;
	if (!asked && db && !s75_ledger_latest_period(&lp, db) && lp.fy == fy)
		out->p = lp.p;
}

/* One value of a dimension: its cost centres' figures added up. */
typedef struct dim_group {
	const char *value; /* NULL: the cost centres without one */
	size_t ncc;
	int64_t sum[5];    /* original, change, revised, forecast, latest */
	bool any_forecast;
} dim_group;

/* The groups of dimension `dim`, in the order their values first appear among the cost
 * centres, those without a value last. NULL (message set) on an overflow. */
static dim_group *dim_groups(size_t *n, const s75_agreement *ag, int dim, const bv_row *rows)
{
	dim_group *g = calloc(ag->ncost_centres + 2, sizeof(*g));
	size_t k = 0;
	if (!g)
		abort();
	for (int pass = 0; pass < 2; pass++)
		for (size_t c = 0; c < ag->ncost_centres; c++) {
			const char *val = ag->cost_centres[c].dims ? ag->cost_centres[c].dims[dim] : NULL;
			size_t i;
			if ((pass == 0) != (val != NULL))
				continue;
			for (i = 0; i < k; i++)
				if (val ? g[i].value && !strcmp(g[i].value, val) : !g[i].value)
					break;
			if (i == k)
				g[k++].value = val;
			const bv_row *r = &rows[c];
			const int64_t add[5] = {r->original, r->change, r->revised,
						r->has_forecast ? r->forecast : 0, r->latest};
			g[i].ncc++;
			g[i].any_forecast |= r->has_forecast;
			for (int x = 0; x < 5; x++)
				if (s75_money_add(&g[i].sum[x], g[i].sum[x], add[x])) {
					free(g);
					s75_error_set(S75_EOVERFLOW, "the budgets of %s '%s' add up to more than s75 can hold",
						      ag->dimensions.items[dim], val ? val : "(none)");
					return NULL;
				}
		}
	*n = k;
	return g;
}

/* The budgets by the values of dimension `dim`; `title` NULL for CSV (no total). */
static s75_table *dim_table(const s75_agreement *ag, int dim, const dim_group *g, size_t n,
			    const s75_budgets_options *bo, const char *title)
{
	s75_table *t = s75_table_new(title);
	bool orig = bo->version == S75_BV_ORIGINAL, latest = bo->version == S75_BV_LATEST;
	int64_t tot[5] = {0};
	s75_table_column(t, ag->dimensions.items[dim], S75_CELL_TEXT);
	s75_table_column(t, "Cost centres", S75_CELL_TEXT);
	if (orig) {
		s75_table_column(t, "Budget", S75_CELL_MONEY);
	} else {
		s75_table_column(t, "Original", S75_CELL_MONEY);
		s75_table_column(t, "Change", S75_CELL_MONEY);
		s75_table_column(t, "Revised", S75_CELL_MONEY);
	}
	if (latest) {
		s75_table_column(t, "Forecast", S75_CELL_MONEY);
		s75_table_column(t, "Latest", S75_CELL_MONEY);
	}
	for (size_t i = 0; i < n; i++) {
		char cnt[24];
		s75_table_row(t, 0);
		s75_table_text(t, g[i].value ? g[i].value : "(none)");
		snprintf(cnt, sizeof(cnt), "%zu", g[i].ncc);
		s75_table_text(t, cnt);
		for (int x = 0; x < 5; x++) {
			if ((orig && x != 0) || (!latest && x >= 3))
				continue;
			if (x == 3 && !g[i].any_forecast)
				s75_table_empty(t);
			else
				s75_table_money(t, g[i].sum[x]);
			tot[x] += g[i].sum[x]; /* the groups partition the cost centres: checked there */
		}
	}
	if (title) {
		char cnt[24];
		snprintf(cnt, sizeof(cnt), "%zu", ag->ncost_centres);
		s75_table_row(t, S75_ROW_TOTAL);
		s75_table_text(t, "Total");
		s75_table_text(t, cnt);
		for (int x = 0; x < 5; x++)
			if (!(orig && x != 0) && !(!latest && x >= 3))
				s75_table_money(t, tot[x]);
	}
	return t;
}

static json_t *dim_json(const s75_agreement *ag, int dim, const dim_group *g, size_t n,
			const s75_budgets_options *bo, const char *fys)
{
	json_t *root = json_object(), *arr = json_array();
	json_object_set_new(root, "year", json_string(fys));
	json_object_set_new(root, "version", json_string(s75_budget_version_name(bo->version)));
	json_object_set_new(root, "period", bo->period ? json_integer(bo->period) : json_null());
	json_object_set_new(root, "by", json_string(ag->dimensions.items[dim]));
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object(), *ccs = json_array();
		json_object_set_new(o, "value", g[i].value ? json_string(g[i].value) : json_null());
		for (size_t c = 0; c < ag->ncost_centres; c++) {
			const char *val = ag->cost_centres[c].dims ? ag->cost_centres[c].dims[dim] : NULL;
			if (g[i].value ? val && !strcmp(val, g[i].value) : !val)
				json_array_append_new(ccs, json_string(ag->cost_centres[c].code));
		}
		json_object_set_new(o, "cost_centres", ccs);
		json_object_set_new(o, "budget", json_integer(g[i].sum[2]));
		json_object_set_new(o, "original", json_integer(g[i].sum[0]));
		json_object_set_new(o, "change", json_integer(g[i].sum[1]));
		json_object_set_new(o, "revised", json_integer(g[i].sum[2]));
		if (bo->version == S75_BV_LATEST) {
			json_object_set_new(o, "forecast", g[i].any_forecast ? json_integer(g[i].sum[3]) : json_null());
			json_object_set_new(o, "latest", json_integer(g[i].sum[4]));
		}
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "groups", arr);
	return root;
}

/* The budgets by a dimension, as a document. */
static int dim_doc(s75_doc *d, const s75_agreement *ag, const bv_row *rows,
		   const s75_budgets_options *bo, const char *title, const char *fys)
{
	int dim = -1;
	size_t n;
	for (size_t i = 0; i < ag->dimensions.n; i++)
		if (!strcmp(ag->dimensions.items[i], bo->by))
			dim = (int)i;
	if (dim < 0) {
		s75_buf b = S75_BUF_INIT;
		for (size_t i = 0; i < ag->dimensions.n; i++)
			s75_buf_printf(&b, "%s%s", i ? ", " : "", ag->dimensions.items[i]);
		s75_error_set(S75_EINVALID, "the agreement gives its cost centres no dimension '%s' (%s%s)",
			      bo->by, ag->dimensions.n ? "its dimensions: " : "it declares none under 'dimensions'",
			      b.ptr);
		s75_buf_release(&b);
		return S75_EINVALID;
	}
	dim_group *g = dim_groups(&n, ag, dim, rows);
	if (!g)
		return S75_EOVERFLOW;
	s75_doc_table(d, dim_table(ag, dim, g, n, bo, title));
	s75_doc_csv(d, dim_table(ag, dim, g, n, bo, NULL));
	s75_doc_json(d, dim_json(ag, dim, g, n, bo, fys));
	free(g);
	return 0;
}

int s75_report_budget_versions(s75_doc **out, s75_db *db, const s75_agreement *ag,
			       const s75_budgets_options *bo, const s75_report_options *o)
{
	const s75_year *y = s75_agreement_find_year(ag, bo->fy);
	s75_budget_versions *v = NULL;
	bv_row *rows = NULL;
	s75_table *t = NULL, *csv = NULL;
	s75_period fper = {bo->fy, 12};
	bool any_commit = false; /* the care packages commit some of the budget */
	char fys[8], per[16];
	int rc, p = bo->period ? bo->period : 12;
	*out = NULL;
	if (!y)
		return s75_error_set(S75_ENOTFOUND, "the agreement has no year %s", s75_fy_format(fys, bo->fy));
	if (bo->period < 0 || bo->period > 12)
		return s75_error_set(S75_EINVALID, "a period is 1..12, not %d", bo->period);
	if (bo->version == S75_BV_ORIGINAL && !bo->by)
		return s75_report_budgets(out, ag, bo->fy, o); /* as it always was */
	if (bo->version == S75_BV_ORIGINAL)
		p = 0; /* no revision */
	s75_fy_format(fys, bo->fy);
	if ((rc = s75_budget_versions_load(&v, db, ag, bo->fy)))
		return rc;
	v->upto = p;
	if (bo->version == S75_BV_LATEST)
		latest_period(&fper, db, bo->fy, bo->period);
	if ((rc = bv_rows(&rows, &any_commit, db, ag, y, v, bo, p, &fper)))
		goto done;
	s75_buf title = S75_BUF_INIT, params = S75_BUF_INIT;
	s75_buf_printf(&title, "Cost-centre budgets %s, %s", fys, s75_budget_version_name(bo->version));
	s75_buf_printf(&params, "%s, version %s", fys, s75_budget_version_name(bo->version));
	if (bo->period) {
		s75_period_format(per, (s75_period){bo->fy, bo->period});
		s75_buf_printf(&title, " at %s", per);
		s75_buf_printf(&params, ", at %s", per);
	}
	if (bo->version == S75_BV_LATEST) {
		s75_period_format(per, fper);
		s75_buf_printf(&params, ", forecasts made by %s", per);
	}
	if (bo->by) {
		s75_buf_printf(&title, " by %s", bo->by);
		s75_buf_printf(&params, ", by %s", bo->by);
		s75_doc *d = s75_report_doc_new(ag, title.ptr, params.ptr, o);
		if (!db && bo->version != S75_BV_ORIGINAL)
			s75_doc_warning(d, "no workspace (s75.db): the budgets are the agreement's, with no revisions or forecasts");
		rc = dim_doc(d, ag, rows, bo, title.ptr, fys);
		s75_buf_release(&title);
		s75_buf_release(&params);
		if (rc)
			s75_doc_free(d);
		else
			*out = d;
		goto done;
	}
	t = bv_table(ag, v, rows, bo, p, any_commit, title.ptr);
	csv = t ? bv_table(ag, v, rows, bo, p, any_commit, NULL) : NULL;
	s75_doc *d = t ? s75_report_doc_new(ag, title.ptr, params.ptr, o) : NULL;
	s75_buf_release(&title);
	s75_buf_release(&params);
	if (!t) {
		rc = S75_EOVERFLOW;
		goto done;
	}
	if (!db)
		s75_doc_warning(d, "no workspace (s75.db): the budgets are the agreement's, with no revisions or forecasts");
	s75_doc_table(d, t);
	if (s75_budget_versions_in_force(v, p))
		s75_doc_table(d, report_revisions_table(v, p));
	else
		s75_doc_para(d, "No revision of the year's budgets is recorded: every budget is the original.");
	s75_doc_csv(d, csv);
	s75_doc_json(d, bv_json(ag, y, v, rows, bo, p, fys));
	*out = d;
done:
	free(rows);
	s75_budget_versions_free(v);
	return rc;
}

int s75_report_budget_history(s75_doc **out, s75_db *db, const s75_agreement *ag, int fy,
			      const char *code, const s75_report_options *o)
{
	const s75_year *y = s75_agreement_find_year(ag, fy);
	s75_budget_versions *v = NULL;
	char fys[8], date[11];
	int rc, cc;
	*out = NULL;
	if (!y)
		return s75_error_set(S75_ENOTFOUND, "the agreement has no year %s", s75_fy_format(fys, fy));
	if ((cc = s75_agreement_find_cost_centre(ag, code, strlen(code))) < 0)
		return s75_error_set(S75_EINVALID, "unknown cost centre '%s'", code);
	if ((rc = s75_budget_versions_load(&v, db, ag, fy)))
		return rc;
	s75_fy_format(fys, fy);
	const s75_budget *b = s75_year_find_budget(y, cc);
	s75_buf title = S75_BUF_INIT;
	s75_buf_printf(&title, "Budget history of %s %s", ag->cost_centres[cc].code, fys);
	s75_doc *d = s75_report_doc_new(ag, title.ptr, fys, o);
	s75_table *t[2];
	json_t *root = json_object(), *arr = json_array();
	for (int k = 0; k < 2; k++) {
		t[k] = s75_table_new(k ? NULL : title.ptr);
		const char *cols[] = {"Version", "Decision", "Decided", "From"};
		for (int i = 0; i < 4; i++)
			s75_table_column(t[k], cols[i], S75_CELL_TEXT);
		s75_table_column(t[k], "Annual budget", S75_CELL_MONEY);
		s75_table_column(t[k], "Change", S75_CELL_MONEY);
		s75_table_column(t[k], "Note", S75_CELL_TEXT);
		s75_table_column(t[k], "Recorded", S75_CELL_TEXT);
		s75_table_row(t[k], 0);
		s75_table_text(t[k], "original");
		s75_table_text(t[k], "the agreement");
		s75_table_text(t[k], y->has_agreed_on ? s75_date_format(date, y->agreed_on) : "");
		s75_table_text(t[k], "P1");
		s75_table_money(t[k], b ? b->amount : 0);
		s75_table_empty(t[k]);
		s75_table_text(t[k], b ? "" : "no budget set");
		s75_table_text(t[k], "");
	}
	{
		json_t *o0 = json_object();
		json_object_set_new(o0, "version", json_string("original"));
		json_object_set_new(o0, "decision", json_null());
		json_object_set_new(o0, "decided_on", y->has_agreed_on ? json_string(s75_date_format(date, y->agreed_on)) : json_null());
		json_object_set_new(o0, "from_period", json_integer(1));
		json_object_set_new(o0, "budget", json_integer(b ? b->amount : 0));
		json_object_set_new(o0, "change", json_null());
		json_array_append_new(arr, o0);
	}
	for (long l = v->first_line[cc]; l >= 0; l = v->lines[l].next) {
		const s75_budget_revision_line *x = &v->lines[l];
		const s75_budget_revision *r = &v->revisions[x->revision];
		s75_buf b2 = S75_BUF_INIT, rec = S75_BUF_INIT;
		s75_buf_printf(&b2, "R%d", r->number);
		s75_buf_printf(&rec, "%s%s%s", r->recorded_at, r->recorded_by ? " by " : "",
			       r->recorded_by ? r->recorded_by : "");
		const char *note = x->note ? x->note : r->note ? r->note : "";
		for (int k = 0; k < 2; k++) {
			char fp[8];
			snprintf(fp, sizeof(fp), "P%d", r->from);
			s75_table_row(t[k], 0);
			s75_table_text(t[k], b2.ptr);
			s75_table_text(t[k], r->decision);
			s75_table_text(t[k], s75_date_format(date, r->decided_on));
			s75_table_text(t[k], fp);
			s75_table_money(t[k], x->amount);
			s75_table_money(t[k], x->amount - x->previous);
			s75_table_text(t[k], note);
			s75_table_text(t[k], rec.ptr);
		}
		json_t *o1 = json_object();
		json_object_set_new(o1, "version", json_string(b2.ptr));
		json_object_set_new(o1, "number", json_integer(r->number));
		json_object_set_new(o1, "decision", json_string(r->decision));
		json_object_set_new(o1, "decided_on", json_string(s75_date_format(date, r->decided_on)));
		json_object_set_new(o1, "from_period", json_integer(r->from));
		json_object_set_new(o1, "budget", json_integer(x->amount));
		json_object_set_new(o1, "change", json_integer(x->amount - x->previous));
		json_object_set_new(o1, "note", *note ? json_string(note) : json_null());
		json_object_set_new(o1, "recorded_at", json_string(r->recorded_at));
		json_object_set_new(o1, "recorded_by", r->recorded_by ? json_string(r->recorded_by) : json_null());
		json_array_append_new(arr, o1);
		s75_buf_release(&b2);
		s75_buf_release(&rec);
	}
	json_object_set_new(root, "year", json_string(fys));
	json_object_set_new(root, "cost_centre", json_string(ag->cost_centres[cc].code));
	json_object_set_new(root, "versions", arr);
	json_object_set_new(root, "budget", json_integer(s75_budget_annual(v, y, cc, 12)));
	if (!db)
		s75_doc_warning(d, "no workspace (s75.db): the budget is the agreement's, with no revisions");
	s75_doc_table(d, t[0]);
	s75_doc_csv(d, t[1]);
	s75_doc_json(d, root);
	s75_buf_release(&title);
	s75_budget_versions_free(v);
	*out = d;
	return 0;
}
