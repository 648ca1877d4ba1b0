/* The settlement and projected risk-share reports (s75 settle, s75 riskshare): the risk
 * share applied to a year, as a document with its JSON and CSV. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "s75/error.h"

json_t *report_payments_json(const s75_agreement *ag, const s75_settlement *s, int only)
{
	json_t *pay = json_array();
	for (size_t i = 0; i < s->npayments; i++) {
		if (only >= 0 && s->payments[i].pool != only)
			continue;
		json_t *o = json_object();
		json_object_set_new(o, "from", json_string(ag->partners[s->payments[i].from].id));
		json_object_set_new(o, "to", json_string(ag->partners[s->payments[i].to].id));
		json_object_set_new(o, "amount", json_integer(s->payments[i].amount));
		json_object_set_new(o, "pool", s->payments[i].pool >= 0
						       ? json_string(ag->arrangements[s->payments[i].pool].id)
						       : json_null());
		json_array_append_new(pay, o);
	}
	return pay;
}

s75_table *report_payments_table(const s75_agreement *ag, const s75_settlement *s, int only)
{
	/* one pool: the same either way */
	bool per_pool = !s->net && s->npools > 1 && only < 0;
	size_t n = 0;
	for (size_t i = 0; i < s->npayments; i++)
		n += only < 0 || s->payments[i].pool == only;
	s75_table *t = s75_table_new(
		!n ? "Balancing payments: none, every partner has paid its final cost"
		: only >= 0 ? "Balancing payments through the pool's host"
		: per_pool    ? "Balancing payments, per pool through its host"
		: s->net && s->npools > 1 ? "Balancing payments, netted across pools"
					  : "Balancing payments");
	if (per_pool)
		s75_table_column(t, "Pool", S75_CELL_TEXT);
	s75_table_column(t, "From", S75_CELL_TEXT);
	s75_table_column(t, "To", S75_CELL_TEXT);
	s75_table_column(t, "Amount", S75_CELL_MONEY);
	for (size_t i = 0; i < s->npayments; i++) {
		if (only >= 0 && s->payments[i].pool != only)
			continue;
		s75_table_row(t, 0);
		if (per_pool)
			s75_table_text(t, s->payments[i].pool >= 0
						  ? ag->arrangements[s->payments[i].pool].id
						  : "");
		s75_table_text(t, ag->partners[s->payments[i].from].name);
		s75_table_text(t, ag->partners[s->payments[i].to].name);
		s75_table_money(t, s->payments[i].amount);
	}
	return t;
}

static json_t *steps_json(const s75_agreement *ag, const s75_rs_result *rs)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < rs->nsteps; i++) {
		const s75_rs_step *st = &rs->steps[i];
		json_t *o = json_object(), *p = json_object();
		json_object_set_new(o, "step", json_integer((json_int_t)i + 1));
		json_object_set_new(o, "what", json_string(st->what));
		json_object_set_new(o, "amount", json_integer(st->amount));
		for (size_t k = 0; k < rs->npartners; k++)
			if (st->by_partner[k])
				json_object_set_new(p, ag->partners[k].id, json_integer(st->by_partner[k]));
		json_object_set_new(o, "partners", p);
		json_object_set_new(o, "reserve", json_integer(st->to_reserve));
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *settlement_json(const s75_agreement *ag, const s75_settlement *s, bool settle, int only)
{
	json_t *root = json_object(), *pools = json_array();
	char fy[8], per[16];
	json_object_set_new(root, "year", json_string(s75_fy_format(fy, s->fy)));
	if (!settle)
		json_object_set_new(root, "period", json_string(s75_period_format(per, s->period)));
	for (size_t i = 0; i < s->npools; i++) {
		const s75_settle_pool *p = &s->pools[i];
		if (only >= 0 && p->pool != only)
			continue;
		json_t *jp = json_object(), *parts = json_array();
		json_object_set_new(jp, "id", json_string(ag->arrangements[p->pool].id));
		json_object_set_new(jp, "budget", json_integer(p->budget));
		json_object_set_new(jp, "outturn", json_integer(p->outturn));
		json_object_set_new(jp, "variance", json_integer(p->variance));
		json_object_set_new(jp, "reserve", json_integer(p->reserve));
		if (settle) {
			char pe[16], en[11];
			json_object_set_new(jp, "part_year", json_boolean(p->part_year));
			json_object_set_new(jp, "to_period", json_string(s75_period_format(pe, p->to)));
			json_object_set_new(jp, "ends", p->part_year ? json_string(s75_date_format(en, p->ends))
								      : json_null());
		}
		for (size_t k = 0; k < s->npartners; k++) {
			const s75_settle_partner *x = &p->partners[k];
			if (!x->involved)
				continue;
			json_t *o = json_object();
			json_object_set_new(o, "id", json_string(ag->partners[k].id));
			json_object_set_new(o, "contribution", json_integer(x->contribution));
			json_object_set_new(o, "variance_share", json_integer(x->variance_share));
			json_object_set_new(o, "final_cost", json_integer(x->final_cost));
			if (settle) {
				json_object_set_new(o, "spent", json_integer(x->spent));
				json_object_set_new(o, "transferred", json_integer(x->transferred));
				json_object_set_new(o, "reserve_held", json_integer(x->reserve_held));
				json_object_set_new(o, "balance", json_integer(x->balance));
			}
			json_array_append_new(parts, o);
		}
		json_object_set_new(jp, "partners", parts);
		json_object_set_new(jp, "steps", steps_json(ag, p->rs));
		json_array_append_new(pools, jp);
	}
	json_object_set_new(root, "pools", pools);
	json_object_set_new(root, "warnings", report_warnings_json(s->warnings, s->nwarnings));
	if (settle) {
		json_object_set_new(root, "payments", report_payments_json(ag, s, only));
	}
	return root;
}

/* The working, step by step: one row per step, a column per partner. */
static s75_table *steps_table(const s75_agreement *ag, const s75_settle_pool *p, size_t np)
{
	s75_table *t = s75_table_new("Working");
	s75_table_column(t, "Step", S75_CELL_TEXT);
	s75_table_column(t, "Amount", S75_CELL_MONEY);
	for (size_t k = 0; k < np; k++)
		if (p->partners[k].involved)
			s75_table_column(t, ag->partners[k].name, S75_CELL_MONEY);
	s75_table_column(t, "Kept in the pool", S75_CELL_MONEY);
	for (size_t i = 0; i < p->rs->nsteps; i++) {
		const s75_rs_step *st = &p->rs->steps[i];
		char n[512];
		snprintf(n, sizeof(n), "%zu. %s", i + 1, st->what);
		s75_table_row(t, 0);
		s75_table_text(t, n);
		s75_table_money(t, st->amount);
		for (size_t k = 0; k < np; k++)
			if (p->partners[k].involved)
				s75_table_money(t, st->by_partner[k]);
		/* an underspend kept in the pool, signed like the variance: each row adds across */
		s75_table_money(t, -st->to_reserve);
	}
	s75_table_row(t, S75_ROW_TOTAL);
	s75_table_text(t, "Variance shared");
	s75_table_money(t, p->variance);
	for (size_t k = 0; k < np; k++)
		if (p->partners[k].involved)
			s75_table_money(t, p->partners[k].variance_share);
	s75_table_money(t, -p->reserve);
	return t;
}

static s75_table *partners_table(const s75_agreement *ag, const s75_settle_pool *p, size_t np,
				 bool settle)
{
	s75_table *t = s75_table_new("Partners");
	s75_table_column(t, "Partner", S75_CELL_TEXT);
	s75_table_column(t, "Contribution", S75_CELL_MONEY);
	s75_table_column(t, "Variance share", S75_CELL_MONEY);
	s75_table_column_flags(t, S75_COL_ADVERSE_POSITIVE);
	s75_table_column(t, "Final cost", S75_CELL_MONEY);
	if (settle) {
		s75_table_column(t, "Spent", S75_CELL_MONEY);
		s75_table_column(t, "Transferred", S75_CELL_MONEY);
		s75_table_column(t, "Reserve held", S75_CELL_MONEY);
		s75_table_column(t, "Balance", S75_CELL_MONEY);
	}
	s75_settle_partner tot;
	memset(&tot, 0, sizeof(tot));
	for (size_t k = 0; k < np; k++) {
		const s75_settle_partner *x = &p->partners[k];
		if (!x->involved)
			continue;
		s75_table_row(t, 0);
		s75_table_text(t, ag->partners[k].name);
		s75_table_money(t, x->contribution);
		s75_table_money(t, x->variance_share);
		s75_table_money(t, x->final_cost);
		tot.contribution += x->contribution;
		tot.variance_share += x->variance_share;
		tot.final_cost += x->final_cost;
		if (settle) {
			s75_table_money(t, x->spent);
			s75_table_money(t, x->transferred);
			s75_table_money(t, x->reserve_held);
			s75_table_money(t, x->balance);
			tot.spent += x->spent;
			tot.transferred += x->transferred;
			tot.reserve_held += x->reserve_held;
			tot.balance += x->balance;
		}
	}
	s75_table_row(t, S75_ROW_TOTAL | S75_ROW_STRONG);
	s75_table_text(t, "Total");
	s75_table_money(t, tot.contribution);
	s75_table_money(t, tot.variance_share);
	s75_table_money(t, tot.final_cost);
	if (settle) {
		s75_table_money(t, tot.spent);
		s75_table_money(t, tot.transferred);
		s75_table_money(t, tot.reserve_held);
		s75_table_money(t, tot.balance);
	}
	return t;
}

static s75_doc *settlement_doc(const s75_agreement *ag, const s75_settlement *s, bool settle,
			       const s75_report_options *o, int only)
{
	char fy[8], per[16];
	s75_buf b = S75_BUF_INIT;
	if (settle)
		s75_buf_printf(&b, "Settlement %s", s75_fy_format(fy, s->fy));
	else
		s75_buf_printf(&b, "Projected risk share at %s", s75_period_format(per, s->period));
	if (only >= 0)
		s75_buf_printf(&b, " — %s", ag->arrangements[only].name);
	s75_doc *d = s75_report_doc_new(ag, b.ptr, settle ? s75_fy_format(fy, s->fy) : s75_period_format(per, s->period), o);
	for (size_t i = 0; i < s->nwarnings; i++)
		s75_doc_warning(d, s->warnings[i]);
	for (size_t i = 0; i < s->npools; i++) {
		const s75_settle_pool *p = &s->pools[i];
		const s75_arrangement *a = &ag->arrangements[p->pool];
		if (only >= 0 && p->pool != only)
			continue;
		s75_buf_reset(&b);
		s75_buf_printf(&b, "%s (%s)", a->name, a->id);
		s75_doc_section(d, b.ptr, a->id);
		s75_buf_reset(&b);
		{
			int64_t v[4] = {p->budget, p->outturn, p->variance < 0 ? -p->variance : p->variance,
					p->reserve < 0 ? -p->reserve : p->reserve};
			s75_buf_printf(&b, "Net contributions {}, %s outturn {}, %s {}",
				       settle ? "actual" : "forecast", p->variance >= 0 ? "overspend" : "underspend");
			if (p->reserve)
				s75_buf_puts(&b, p->reserve > 0 ? "; reserve carried forward {}"
								 : "; met from the fund's reserve and uncommitted funds {}");
			s75_doc_para_amounts(d, b.ptr, v, 4);
		}
		if (p->part_year) {
			char pe[16], en[11];
			s75_buf_reset(&b);
			s75_buf_printf(&b, "Part year: the pool ended on %s; settled to %s, contributions pro-rated %lld/%lld (by %s), budgets to %s",
				       s75_date_format(en, p->ends), s75_period_format(pe, p->to),
				       (long long)p->part_num, (long long)p->part_den,
				       ag->notice.pro_rata_days ? "days" : "months", pe);
			s75_doc_para(d, b.ptr);
		}
		s75_doc_table(d, steps_table(ag, p, s->npartners));
		s75_doc_table(d, partners_table(ag, p, s->npartners, settle));
		report_chart_waterfalls(d, ag, p);
	}
	if (settle) {
		s75_doc_section(d, "Balancing payments", NULL);
		s75_doc_table(d, report_payments_table(ag, s, only));
	}
	s75_buf_release(&b);
	return d;
}

/* CSV: one row per pool and partner. */
static s75_table *settlement_csv(const s75_agreement *ag, const s75_settlement *s, bool settle, int only)
{
	s75_table *t = s75_table_new(NULL);
	s75_table_column(t, "pool", S75_CELL_TEXT);
	s75_table_column(t, "partner", S75_CELL_TEXT);
	const char *cols[] = {"contribution", "variance_share", "final_cost", "spent",
			      "transferred", "reserve_held", "balance"};
	for (int i = 0; i < (settle ? 7 : 3); i++)
		s75_table_column(t, cols[i], S75_CELL_MONEY);
	for (size_t i = 0; i < s->npools; i++)
		for (size_t k = 0; k < s->npartners; k++) {
			const s75_settle_partner *x = &s->pools[i].partners[k];
			if (!x->involved || (only >= 0 && s->pools[i].pool != only))
				continue;
			s75_table_row(t, 0);
			s75_table_text(t, ag->arrangements[s->pools[i].pool].id);
			s75_table_text(t, ag->partners[k].id);
			s75_table_money(t, x->contribution);
			s75_table_money(t, x->variance_share);
			s75_table_money(t, x->final_cost);
			if (settle) {
				s75_table_money(t, x->spent);
				s75_table_money(t, x->transferred);
				s75_table_money(t, x->reserve_held);
				s75_table_money(t, x->balance);
			}
		}
	return t;
}

static int settlement_report(s75_doc **out, s75_db *db, const s75_agreement *ag, int fy,
			     const s75_settle_options *so, bool settle, const s75_report_options *o)
{
	s75_settlement *s = NULL;
	int rc;
	*out = NULL;
	/* one pool alone: its own risk share and its balancing payments through its host;
	 * payments netted across pools cannot be shown for one of them */
	int only = s75_report_pool_index(ag, o);
	if (only < -1)
		return only;
	if (only >= 0 && so->net)
		return s75_error_set(S75_EINVALID, "--net nets the balances across every pool: "
						   "it cannot be used with --pool");
	if ((rc = s75_settle(&s, db, ag, fy, so)))
		return rc;
	s75_doc *d = settlement_doc(ag, s, settle, o, only);
	json_t *j = settlement_json(ag, s, settle, only);
	if (only >= 0)
		json_object_set_new(j, "pool", json_string(ag->arrangements[only].id));
	s75_doc_json(d, j);
	s75_doc_csv(d, settlement_csv(ag, s, settle, only));
	s75_settlement_free(s);
	*out = d;
	return 0;
}

int s75_report_settle(s75_doc **out, s75_db *db, const s75_agreement *ag, int fy, bool direct,
		      bool net, const s75_report_options *o)
{
	s75_settle_options so;
	memset(&so, 0, sizeof(so));
	so.direct = direct;
	so.net = net;
	return settlement_report(out, db, ag, fy, &so, true, o);
}

int s75_report_riskshare(s75_doc **out, s75_db *db, const s75_agreement *ag, s75_period period,
			 const s75_report_options *o)
{
	s75_settle_options so;
	memset(&so, 0, sizeof(so));
	so.period = period;
	so.forecast = true;
	return settlement_report(out, db, ag, period.fy, &so, false, o);
}
