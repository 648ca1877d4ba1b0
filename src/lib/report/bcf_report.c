/* The Better Care Fund's reports: the plan by scheme, scheme type and stream; the check of
 * the national conditions; the national return (bcf.h, docs/bcf.md). Each is added to a
 * document that every format renders. */
#include <stdlib.h>
#include <string.h>

#include "bcf_internal.h"
#include "db_internal.h"
#include "s75/contrib.h"
#include "s75/error.h"
#include "s75/governance.h"
#include "s75/ledger.h"
#include "s75/money.h"
#include "s75/report.h"
#include "s75/table.h"
#include "xalloc.h"

/* Adds `v` to `*acc`, or returns S75_EOVERFLOW from the enclosing function via `rc`. */
#define ADD(acc, v)                                                                            \
	do {                                                                                   \
		if (s75_money_add((acc), *(acc), (v))) {                                       \
			rc = S75_EOVERFLOW;                                                    \
			goto done;                                                             \
		}                                                                              \
	} while (0)

static const char *const rule_names[] = {"assurance", "minimum contribution", "minimum spend",
					 "pass-through", "balance"};

/* The plan's year, or S75_ENOTFOUND with a message. */
static int plan_year(const bcf_year **out, const s75_bcf *b, int fy)
{
	char buf[8];
	if (!(*out = bcf_find_year(b, fy)))
		return s75_error_set(S75_ENOTFOUND, "the plan '%s' has no year %s", b->plan_path,
				     s75_fy_format(buf, fy));
	return 0;
}

/* The pool's contributions in `s`, or NULL. */
static const s75_contrib_pool *contrib_pool(const s75_contrib_schedule *s, int pool)
{
	for (size_t i = 0; i < s->npools; i++)
		if (s->pools[i].pool == pool)
			return &s->pools[i];
	return NULL;
}

static const s75_contrib_element *contrib_element(const s75_contrib_pool *p, int e)
{
	for (size_t i = 0; p && i < p->nelements; i++)
		if (p->elements[i].element == e)
			return &p->elements[i];
	return NULL;
}

/* Income of an income line: its amount, or the gross contributions it names. */
static int income_amount(int64_t *out, const bcf_income *in, const s75_contrib_pool *cp)
{
	int rc = 0;
	*out = in->has_amount ? in->amount : 0;
	for (size_t i = 0; i < in->nelements; i++) {
		const s75_contrib_element *ce = contrib_element(cp, in->elements[i]);
		if (!ce)
			continue;
		ADD(out, in->partner < 0 ? ce->total.gross : ce->by_partner[in->partner].gross);
	}
done:
	return rc;
}

/* Per stream: income (from the contributions as in force at the year's end) and planned
 * expenditure (the schemes' funding). Arrays of nstreams, freed by the caller. */
typedef struct stream_totals {
	int64_t *income, *planned;
	s75_contrib_schedule *sched;
} stream_totals;

static void totals_release(stream_totals *t)
{
	free(t->income);
	free(t->planned);
	s75_contrib_schedule_free(t->sched);
}

static int totals_build(stream_totals *t, const s75_bcf *b, const s75_agreement *ag,
			const bcf_year *yr)
{
	int rc;
	size_t n = b->fw.nstreams ? b->fw.nstreams : 1;
	t->income = xcalloc(n, sizeof(int64_t));
	t->planned = xcalloc(n, sizeof(int64_t));
	t->sched = NULL;
	if ((rc = s75_contrib_schedule_build(&t->sched, ag, yr->fy)))
		return rc;
	const s75_contrib_pool *cp = contrib_pool(t->sched, b->pool);
	for (size_t i = 0; i < yr->nincome; i++) {
		int64_t v;
		if ((rc = income_amount(&v, &yr->income[i], cp)))
			goto done;
		if (yr->income[i].stream >= 0)
			ADD(&t->income[yr->income[i].stream], v);
	}
	for (size_t i = 0; i < yr->nschemes; i++)
		for (size_t j = 0; j < yr->schemes[i].nfunding; j++)
			ADD(&t->planned[yr->schemes[i].funding[j].stream],
			    yr->schemes[i].funding[j].amount);
done:
	return rc;
}

static int scheme_total(int64_t *out, const bcf_scheme *s)
{
	int rc = 0;
	*out = 0;
	for (size_t j = 0; j < s->nfunding; j++)
		ADD(out, s->funding[j].amount);
done:
	return rc;
}

/* The cost centres' codes, joined. */
static void cc_codes(s75_buf *o, const s75_agreement *ag, const int *cc, size_t n)
{
	for (size_t i = 0; i < n; i++)
		s75_buf_printf(o, "%s%s", i ? " " : "", ag->cost_centres[cc[i]].code);
}

/* Where an income line's money comes from, in words. */
static void income_source(s75_buf *o, const s75_agreement *ag, int pool, const bcf_income *in)
{
	const s75_arrangement *a = &ag->arrangements[pool];
	if (in->has_amount) {
		s75_buf_puts(o, "amount in the plan (outside the contributions)");
		return;
	}
	s75_buf_puts(o, "contributions to ");
	for (size_t i = 0; i < in->nelements; i++)
		s75_buf_printf(o, "%s%s", i ? ", " : "", a->elements[in->elements[i]].id);
	s75_buf_printf(o, " (%s)", in->partner < 0 ? "every partner" : ag->partners[in->partner].id);
}

/* The stream's income sources, for its row. */
static void stream_sources(s75_buf *o, const s75_agreement *ag, int pool, const bcf_year *yr,
			   int stream)
{
	bool first = true;
	for (size_t i = 0; i < yr->nincome; i++) {
		if (yr->income[i].stream != stream)
			continue;
		if (!first)
			s75_buf_puts(o, "; ");
		income_source(o, ag, pool, &yr->income[i]);
		first = false;
	}
	if (first)
		s75_buf_puts(o, "no income in the plan");
}

/* Income by stream against planned expenditure. */
static int stream_table(s75_doc *d, const s75_bcf *b, const s75_agreement *ag,
			const bcf_year *yr, const stream_totals *t, bool with_planned)
{
	int rc = 0;
	int64_t ti = 0, tp = 0, td = 0;
	s75_table *tb = s75_table_new(with_planned ? "Funding streams: income against planned expenditure"
						  : "Income by funding stream");
	s75_buf src = S75_BUF_INIT;
	s75_table_column(tb, "Stream", S75_CELL_TEXT);
	s75_table_column(tb, "Name", S75_CELL_TEXT);
	s75_table_column(tb, "Income", S75_CELL_MONEY);
	if (with_planned) {
		s75_table_column(tb, "Planned expenditure", S75_CELL_MONEY);
		s75_table_column(tb, "Income less planned", S75_CELL_MONEY);
	}
	s75_table_column(tb, "Source", S75_CELL_TEXT);
	for (size_t i = 0; i < b->fw.nstreams; i++) {
		int64_t diff;
		bool used = t->income[i] || t->planned[i];
		for (size_t j = 0; !used && j < yr->nincome; j++)
			used = yr->income[j].stream == (int)i;
		if (!used)
			continue;
		if (s75_money_sub(&diff, t->income[i], t->planned[i])) {
			rc = S75_EOVERFLOW;
			goto done;
		}
		ADD(&ti, t->income[i]);
		ADD(&tp, t->planned[i]);
		ADD(&td, diff);
		s75_table_row(tb, 0);
		s75_table_text(tb, b->fw.streams[i].id);
		s75_table_text(tb, b->fw.streams[i].name);
		s75_table_money(tb, t->income[i]);
		if (with_planned) {
			s75_table_money(tb, t->planned[i]);
			s75_table_money(tb, diff);
		}
		s75_buf_reset(&src);
		stream_sources(&src, ag, b->pool, yr, (int)i);
		s75_table_text(tb, src.ptr);
	}
	s75_table_row(tb, S75_ROW_TOTAL | S75_ROW_STRONG);
	s75_table_text(tb, "Total");
	s75_table_empty(tb);
	s75_table_money(tb, ti);
	if (with_planned) {
		s75_table_money(tb, tp);
		s75_table_money(tb, td);
	}
done:
	s75_buf_release(&src);
	s75_doc_table(d, tb);
	return rc;
}

/* The pool's gross contributions by element and partner, as in force at the year's end. */
static int contributions_table(s75_doc *d, const s75_bcf *b, const s75_agreement *ag,
			       const stream_totals *t)
{
	const s75_contrib_pool *cp = contrib_pool(t->sched, b->pool);
	const s75_arrangement *a = &ag->arrangements[b->pool];
	s75_table *tb = s75_table_new("Gross contributions to the pool (in force at the year's end)");
	s75_table_column(tb, "Element", S75_CELL_TEXT);
	for (size_t p = 0; p < ag->npartners; p++)
		if (cp && cp->contributes[p])
			s75_table_column(tb, ag->partners[p].id, S75_CELL_MONEY);
	s75_table_column(tb, "Total", S75_CELL_MONEY);
	for (size_t i = 0; cp && i < cp->nelements; i++) {
		s75_table_row(tb, 0);
		s75_table_text(tb, a->elements[cp->elements[i].element].name);
		for (size_t p = 0; p < ag->npartners; p++)
			if (cp->contributes[p])
				s75_table_money(tb, cp->elements[i].by_partner[p].gross);
		s75_table_money(tb, cp->elements[i].total.gross);
	}
	s75_table_row(tb, S75_ROW_TOTAL | S75_ROW_STRONG);
	s75_table_text(tb, "Total");
	for (size_t p = 0; cp && p < ag->npartners; p++)
		if (cp->contributes[p])
			s75_table_money(tb, cp->by_partner[p].gross);
	s75_table_money(tb, cp ? cp->total.gross : 0);
	s75_doc_table(d, tb);
	return 0;
}

int s75_bcf_plan_report(s75_doc *d, const s75_bcf *b, const s75_agreement *ag, int fy)
{
	const bcf_year *yr;
	const bcf_framework *fw = &b->fw;
	stream_totals t = {0};
	s75_buf tmp = S75_BUF_INIT;
	int rc;
	if ((rc = plan_year(&yr, b, fy)))
		return rc;
	if ((rc = totals_build(&t, b, ag, yr)))
		goto done;

	s75_doc_section(d, "Schemes", "Schemes");
	s75_buf_printf(&tmp, "Framework: %s (%s). Plan: %s.", fw->name, fw->id, b->plan_path);
	s75_doc_para(d, tmp.ptr);
	s75_table *tb = s75_table_new("Planned expenditure by scheme");
	s75_table_column(tb, "Scheme", S75_CELL_TEXT);
	s75_table_column(tb, "Name", S75_CELL_TEXT);
	s75_table_column(tb, "Scheme type", S75_CELL_TEXT);
	s75_table_column(tb, "Sub-type", S75_CELL_TEXT);
	s75_table_column(tb, "Commissioner", S75_CELL_TEXT);
	s75_table_column(tb, "Provider", S75_CELL_TEXT);
	s75_table_column(tb, "Area of spend", S75_CELL_TEXT);
	s75_table_column(tb, "Elements", S75_CELL_TEXT);
	s75_table_column(tb, "Cost centres", S75_CELL_TEXT);
	s75_table_column(tb, "Funding", S75_CELL_TEXT);
	s75_table_column(tb, "Planned", S75_CELL_MONEY);
	int64_t total = 0;
	for (size_t i = 0; i < yr->nschemes; i++) {
		const bcf_scheme *s = &yr->schemes[i];
		int64_t st;
		if ((rc = scheme_total(&st, s)))
			break;
		if (s75_money_add(&total, total, st)) {
			rc = S75_EOVERFLOW;
			break;
		}
		s75_table_row(tb, 0);
		s75_table_text(tb, s->id);
		s75_table_text(tb, s->name);
		s75_table_text(tb, fw->types[s->type].name);
		if (s->sub_type)
			s75_table_text(tb, s->sub_type);
		else
			s75_table_empty(tb);
		s75_table_text(tb, ag->partners[s->commissioner].id);
		s75_table_text(tb, s->provider);
		s75_table_text(tb, s->area >= 0 ? fw->areas.items[s->area] : "");
		/* the pool's elements its cost centres belong to, each once */
		s75_buf_reset(&tmp);
		for (size_t j = 0; j < s->ncost_centres; j++) {
			int e = ag->cost_centres[s->cost_centres[j]].element;
			bool seen = false;
			for (size_t k = 0; k < j; k++)
				seen = seen || ag->cost_centres[s->cost_centres[k]].element == e;
			if (!seen && e >= 0)
				s75_buf_printf(&tmp, "%s%s", tmp.len ? " " : "",
					       ag->arrangements[b->pool].elements[e].id);
		}
		s75_table_text(tb, tmp.ptr);
		s75_buf_reset(&tmp);
		cc_codes(&tmp, ag, s->cost_centres, s->ncost_centres);
		s75_table_text(tb, tmp.ptr);
		s75_buf_reset(&tmp);
		for (size_t j = 0; j < s->nfunding; j++)
			s75_buf_printf(&tmp, "%s%s", j ? ", " : "", fw->streams[s->funding[j].stream].id);
		s75_table_text(tb, tmp.ptr);
		s75_table_money(tb, st);
	}
	s75_table_row(tb, S75_ROW_TOTAL | S75_ROW_STRONG);
	s75_table_text(tb, "Total");
	for (int k = 0; k < 9; k++)
		s75_table_empty(tb);
	s75_table_money(tb, total);
	s75_doc_table(d, tb);
	if (rc)
		goto done;

	s75_doc_section(d, "By scheme type", "By scheme type");
	tb = s75_table_new("Planned expenditure by scheme type");
	s75_table_column(tb, "Scheme type", S75_CELL_TEXT);
	s75_table_column(tb, "Schemes", S75_CELL_INT);
	s75_table_column(tb, "Planned", S75_CELL_MONEY);
	for (size_t ty = 0; ty < fw->ntypes; ty++) {
		int64_t sum = 0, n = 0;
		for (size_t i = 0; i < yr->nschemes; i++) {
			int64_t st;
			if (yr->schemes[i].type != (int)ty)
				continue;
			scheme_total(&st, &yr->schemes[i]);
			if (s75_money_add(&sum, sum, st))
				rc = S75_EOVERFLOW;
			n++;
		}
		if (!n)
			continue;
		s75_table_row(tb, 0);
		s75_table_text(tb, fw->types[ty].name);
		s75_table_int(tb, n);
		s75_table_money(tb, sum);
	}
	s75_table_row(tb, S75_ROW_TOTAL | S75_ROW_STRONG);
	s75_table_text(tb, "Total");
	s75_table_int(tb, (int64_t)yr->nschemes);
	s75_table_money(tb, total);
	s75_doc_table(d, tb);
	if (rc)
		goto done;

	s75_doc_section(d, "By funding stream", "By funding stream");
	if ((rc = stream_table(d, b, ag, yr, &t, true)))
		goto done;
	rc = contributions_table(d, b, ag, &t);
done:
	s75_buf_release(&tmp);
	totals_release(&t);
	return rc;
}

/* ---- the check ------------------------------------------------------------------- */

/* One line of the check, added to the table. */
static void check_row(s75_table *tb, const bcf_condition *c, const char *what, bool has_req,
		      int64_t req, bool has_act, int64_t act, bool met, const char *evidence)
{
	s75_table_row(tb, 0);
	s75_table_text(tb, c->id);
	s75_table_text(tb, what ? what : c->name);
	s75_table_text(tb, rule_names[c->rule]);
	if (has_req)
		s75_table_money(tb, req);
	else
		s75_table_empty(tb);
	if (has_act)
		s75_table_money(tb, act);
	else
		s75_table_empty(tb);
	s75_table_text(tb, met ? "met" : "NOT MET");
	s75_table_text(tb, evidence);
}

/* Whether scheme `s` matches a minimum-spend condition's `where`. */
static bool scheme_matches(const s75_agreement *ag, const bcf_condition *c, const bcf_scheme *s)
{
	if (c->commissioner >= 0 && (int)ag->partners[s->commissioner].kind != c->commissioner)
		return false;
	bool in = c->nareas == 0;
	for (size_t i = 0; i < c->nareas; i++)
		in = in || c->areas[i] == s->area;
	for (size_t i = 0; i < c->nnot_areas; i++)
		if (c->not_areas[i] == s->area)
			return false;
	return in;
}

/* A recipient's payments on the pass-through cost centres in the year. */
typedef struct paid {
	int64_t amount;
	s75_date last;
	long rows;
} paid;

static int transfers_to(paid *out, s75_db *db, const s75_agreement *ag, const bcf_income *in,
			int fy, const char *recipient, s75_date as_of)
{
	sql_stmt *st = NULL;
	int rc = 0;
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < in->npass_cc && !rc; i++) {
		if ((rc = db_prepare(db, &st,
				     "SELECT COALESCE(SUM(amount), 0), COALESCE(MAX(date), 0), COUNT(*)"
				     " FROM txn WHERE fy = ? AND kind = ? AND cost_centre = ?"
				     " AND reference = ? AND date <= ?")))
			break;
		sql_bind_int(st, 1, fy);
		sql_bind_int(st, 2, S75_TXN_EXPENDITURE);
		sql_bind_text(st, 3, ag->cost_centres[in->pass_cc[i]].code, -1);
		sql_bind_text(st, 4, recipient, -1);
		sql_bind_int(st, 5, as_of);
		if (sql_step(st) == SQL_ROW) {
			if (s75_money_add(&out->amount, out->amount, sql_column_int64(st, 0)))
				rc = S75_EOVERFLOW;
			s75_date last = sql_column_int(st, 1);
			if (last > out->last)
				out->last = last;
			out->rows += sql_column_int(st, 2);
		} else {
			rc = db_error(db, "cannot read the ledger");
		}
		sql_finalize(st);
		st = NULL;
	}
	return rc;
}

/* Transfers on the pass-through cost centres to anyone not in the plan's recipients. */
static int transfers_unplanned(int64_t *amount, long *rows, s75_db *db, const s75_agreement *ag,
			       const bcf_income *in, int fy, s75_date as_of)
{
	int rc = 0;
	*amount = 0;
	*rows = 0;
	for (size_t i = 0; i < in->npass_cc && !rc; i++) {
		sql_stmt *st;
		if ((rc = db_prepare(db, &st,
				     "SELECT reference, amount FROM txn WHERE fy = ? AND kind = ?"
				     " AND cost_centre = ? AND date <= ?")))
			break;
		sql_bind_int(st, 1, fy);
		sql_bind_int(st, 2, S75_TXN_EXPENDITURE);
		sql_bind_text(st, 3, ag->cost_centres[in->pass_cc[i]].code, -1);
		sql_bind_int(st, 4, as_of);
		while (sql_step(st) == SQL_ROW) {
			const char *ref = sql_column_text(st, 0);
			bool known = false;
			for (size_t r = 0; ref && r < in->nrecipients; r++)
				known = known || !strcmp(ref, in->recipients[r].id);
			if (known)
				continue;
			if (s75_money_add(amount, *amount, sql_column_int64(st, 1)))
				rc = S75_EOVERFLOW;
			(*rows)++;
		}
		sql_finalize(st);
	}
	return rc;
}

/* The pass-through rows: one per recipient, with its transfers. */
static int check_pass_through(s75_table *tb, s75_table *detail, size_t *failed, s75_db *db,
			      const s75_agreement *ag, const bcf_year *yr, const bcf_condition *c,
			      const stream_totals *t, s75_date as_of)
{
	int rc = 0;
	s75_buf ev = S75_BUF_INIT, money = S75_BUF_INIT;
	s75_date due;
	char d1[11], d2[11];
	int cy = c->due_month >= 4 ? yr->fy : yr->fy + 1;
	s75_date_from_ymd(&due, cy, c->due_month, c->due_day);
	for (size_t i = 0; i < yr->nincome; i++) {
		const bcf_income *in = &yr->income[i];
		int64_t planned = 0;
		if (in->stream != c->stream)
			continue;
		for (size_t r = 0; r < in->nrecipients; r++)
			if (s75_money_add(&planned, planned, in->recipients[r].amount))
				return S75_EOVERFLOW;
		if (!in->nrecipients || !in->npass_cc) {
			check_row(tb, c, NULL, true, t->income[c->stream], false, 0, false,
				  "the plan names no recipients and cost centres for the pass-through ('pass_to')");
			(*failed)++;
			continue;
		}
		s75_buf_reset(&ev);
		bool ok = planned == t->income[c->stream];
		if (!ok) {
			s75_buf_puts(&ev, "the recipients' amounts add to ");
			s75_money_format(&ev, planned, yr->unit, 0);
			s75_buf_puts(&ev, ", not the stream's income");
		}
		int64_t paid_total = 0;
		for (size_t r = 0; r < in->nrecipients; r++) {
			const bcf_recipient *x = &in->recipients[r];
			paid p;
			if ((rc = transfers_to(&p, db, ag, in, yr->fy, x->id, as_of)))
				goto done;
			bool full = p.amount == x->amount, on_time = p.rows && p.last <= due;
			const char *why = !p.rows	   ? "nothing paid"
					  : p.amount < x->amount ? "not in full"
					  : p.amount > x->amount ? "more than the plan's amount"
					  : !on_time		   ? "late"
								   : "in full and on time";
			if (!(full && on_time))
				ok = false;
			if (s75_money_add(&paid_total, paid_total, p.amount))
				return S75_EOVERFLOW;
			s75_table_row(detail, 0);
			s75_table_text(detail, x->id);
			s75_table_text(detail, x->name);
			s75_table_money(detail, x->amount);
			s75_table_money(detail, p.amount);
			s75_table_text(detail, s75_date_format(d1, due));
			s75_table_text(detail, p.rows ? s75_date_format(d2, p.last) : "");
			s75_table_int(detail, p.rows);
			s75_table_text(detail, why);
			if (!(full && on_time)) {
				s75_buf_reset(&money);
				s75_money_format(&money, p.amount, yr->unit, 0);
				s75_buf_printf(&ev, "%s%s: %s (%s paid)", ev.len ? "; " : "",
					       x->id, why, money.ptr);
			}
		}
		int64_t other;
		long orows;
		if ((rc = transfers_unplanned(&other, &orows, db, ag, in, yr->fy, as_of)))
			goto done;
		if (orows) {
			ok = false;
			s75_buf_reset(&money);
			s75_money_format(&money, other, yr->unit, 0);
			s75_buf_printf(&ev, "%s%ld payment%s (%s) to a recipient not in the plan",
				       ev.len ? "; " : "", orows, orows == 1 ? "" : "s", money.ptr);
		}
		if (ok) {
			s75_buf_printf(&ev, "%zu recipient%s paid in full by %s (ledger payments on ",
				       in->nrecipients, in->nrecipients == 1 ? "" : "s",
				       s75_date_format(d1, due));
			cc_codes(&ev, ag, in->pass_cc, in->npass_cc);
			s75_buf_puts(&ev, ")");
		}
		check_row(tb, c, NULL, true, t->income[c->stream], true, paid_total, ok, ev.ptr);
		if (!ok)
			(*failed)++;
	}
done:
	s75_buf_release(&ev);
	s75_buf_release(&money);
	return rc;
}

/* Builds the conditions table (and the pass-through detail); `*failed` counts the misses. */
static int conditions_tables(s75_table **out, s75_table **detail, size_t *failed,
			     const s75_bcf *b, s75_db *db, const s75_agreement *ag,
			     const bcf_year *yr, s75_date as_of)
{
	const bcf_framework *fw = &b->fw;
	stream_totals t = {0};
	s75_decision *dec = NULL;
	size_t ndec = 0;
	s75_buf ev = S75_BUF_INIT;
	char dbuf[11];
	int rc;
	s75_table *tb = s75_table_new("National conditions");
	s75_table *dt = s75_table_new("Pass-through to each recipient (ledger payments)");
	*out = tb;
	*detail = dt;
	*failed = 0;
	s75_table_column(tb, "Condition", S75_CELL_TEXT);
	s75_table_column(tb, "Name", S75_CELL_TEXT);
	s75_table_column(tb, "Rule", S75_CELL_TEXT);
	s75_table_column(tb, "Required", S75_CELL_MONEY);
	s75_table_column(tb, "Actual", S75_CELL_MONEY);
	s75_table_column(tb, "Result", S75_CELL_TEXT);
	s75_table_column(tb, "Evidence", S75_CELL_TEXT);
	s75_table_column(dt, "Recipient", S75_CELL_TEXT);
	s75_table_column(dt, "Name", S75_CELL_TEXT);
	s75_table_column(dt, "Due", S75_CELL_MONEY);
	s75_table_column(dt, "Paid", S75_CELL_MONEY);
	s75_table_column(dt, "Due by", S75_CELL_TEXT);
	s75_table_column(dt, "Last payment", S75_CELL_TEXT);
	s75_table_column(dt, "Payments", S75_CELL_INT);
	s75_table_column(dt, "Result", S75_CELL_TEXT);
	if ((rc = totals_build(&t, b, ag, yr)))
		goto done;
	if ((rc = s75_decisions_list(&dec, &ndec, db)))
		goto done;
	for (size_t ci = 0; ci < fw->nconditions; ci++) {
		const bcf_condition *c = &fw->conditions[ci];
		s75_buf_reset(&ev);
		switch (c->rule) {
		case BCF_ASSURANCE: {
			const char *id = yr->evidence[ci];
			const s75_decision *x = NULL;
			for (size_t i = 0; id && i < ndec; i++)
				if (!strcmp(dec[i].id, id) && dec[i].date <= as_of)
					x = &dec[i];
			if (!id)
				s75_buf_puts(&ev, "the plan names no decision that evidences it ('evidence')");
			else if (!x)
				s75_buf_printf(&ev, "decision '%s' is not in the decisions log by %s", id,
					       s75_date_format(dbuf, as_of));
			else
				s75_buf_printf(&ev, "decision %s of %s on %s: %s", x->id, x->body,
					       s75_date_format(dbuf, x->date), x->summary);
			check_row(tb, c, NULL, false, 0, false, 0, x != NULL, ev.ptr);
			*failed += x == NULL;
			break;
		}
		case BCF_MINIMUM_CONTRIBUTION: {
			int64_t act = t.income[c->stream];
			bool has = yr->has_minimum[ci];
			if (!has)
				s75_buf_printf(&ev, "the plan states no minimum for %s ('minimums')", c->id);
			else
				s75_buf_printf(&ev, "income of stream %s: ", fw->streams[c->stream].id);
			if (has)
				stream_sources(&ev, ag, b->pool, yr, c->stream);
			bool met = has && act >= yr->minimum[ci];
			check_row(tb, c, NULL, has, yr->minimum[ci], true, act, met, ev.ptr);
			*failed += !met;
			break;
		}
		case BCF_MINIMUM_SPEND: {
			int64_t act = 0;
			bool has = yr->has_minimum[ci], first = true;
			for (size_t i = 0; i < yr->nschemes; i++) {
				const bcf_scheme *s = &yr->schemes[i];
				if (!scheme_matches(ag, c, s))
					continue;
				for (size_t j = 0; j < s->nfunding; j++)
					if (s->funding[j].stream == c->stream) {
						ADD(&act, s->funding[j].amount);
						s75_buf_printf(&ev, "%s%s", first ? "schemes " : ", ", s->id);
						first = false;
					}
			}
			if (first)
				s75_buf_printf(&ev, "no scheme funded by %s matches", fw->streams[c->stream].id);
			if (!has)
				s75_buf_printf(&ev, "; the plan states no minimum for %s ('minimums')", c->id);
			bool met = has && act >= yr->minimum[ci];
			check_row(tb, c, NULL, has, yr->minimum[ci], true, act, met, ev.ptr);
			*failed += !met;
			break;
		}
		case BCF_PASS_THROUGH:
			if ((rc = check_pass_through(tb, dt, failed, db, ag, yr, c, &t, as_of)))
				goto done;
			break;
		case BCF_BALANCE:
			for (size_t i = 0; i < fw->nstreams; i++) {
				bool used = t.income[i] || t.planned[i];
				for (size_t j = 0; !used && j < yr->nincome; j++)
					used = yr->income[j].stream == (int)i;
				if (!used)
					continue;
				bool met = t.income[i] == t.planned[i];
				s75_buf_reset(&ev);
				s75_buf_printf(&ev, "%s: %s", fw->streams[i].id,
					       met ? "income fully planned on schemes"
					       : t.income[i] > t.planned[i] ? "income not planned on schemes"
									    : "schemes plan more than the income");
				check_row(tb, c, fw->streams[i].name, true, t.income[i], true, t.planned[i],
					  met, ev.ptr);
				*failed += !met;
			}
			break;
		}
	}
done:
	s75_decisions_free(dec, ndec);
	s75_buf_release(&ev);
	totals_release(&t);
	return rc;
}

int s75_bcf_check_report(s75_doc *d, size_t *failed, const s75_bcf *b, s75_db *db,
			 const s75_agreement *ag, int fy, s75_date as_of)
{
	const bcf_year *yr;
	s75_table *tb = NULL, *dt = NULL;
	s75_buf tmp = S75_BUF_INIT;
	int rc;
	char dbuf[11];
	*failed = 0;
	if ((rc = plan_year(&yr, b, fy)))
		return rc;
	rc = conditions_tables(&tb, &dt, failed, b, db, ag, yr, as_of);
	s75_doc_section(d, "National conditions", "Conditions");
	s75_buf_printf(&tmp, "%zu condition%s not met, as on %s. Framework: %s (%s).", *failed,
		       *failed == 1 ? "" : "s", s75_date_format(dbuf, as_of), b->fw.name, b->fw.id);
	s75_doc_para(d, tmp.ptr);
	s75_doc_table(d, tb);
	if (dt->nrows)
		s75_doc_table(d, dt);
	else
		s75_table_free(dt);
	s75_buf_release(&tmp);
	return rc;
}

/* ---- the return ------------------------------------------------------------------- */

/* The metrics against their ambitions for quarter q (1..4). */
static int metrics_table(s75_doc *d, const s75_bcf *b, s75_db *db, const s75_agreement *ag,
			 const bcf_year *yr, int q)
{
	const bcf_framework *fw = &b->fw;
	const s75_gov_model *gm = s75_agreement_governance(ag);
	s75_table *tb = s75_table_new("National metrics against the area's ambitions");
	s75_buf v = S75_BUF_INIT;
	int rc = 0;
	/* the trend is from the quarter before (Q1's: the previous year's Q4) */
	s75_rperiod cur = s75_rperiod_quarter(yr->fy, q),
		    prev = q > 1 ? s75_rperiod_quarter(yr->fy, q - 1) : s75_rperiod_quarter(yr->fy - 1, 4);
	s75_table_column(tb, "Metric", S75_CELL_TEXT);
	s75_table_column(tb, "Name", S75_CELL_TEXT);
	s75_table_column(tb, "Definition", S75_CELL_TEXT);
	s75_table_column(tb, "Unit", S75_CELL_TEXT);
	s75_table_column(tb, "Better", S75_CELL_TEXT);
	s75_table_column(tb, "Ambition", S75_CELL_TEXT);
	s75_table_column(tb, "Actual", S75_CELL_TEXT);
	s75_table_column(tb, "RAG", S75_CELL_TEXT);
	s75_table_column(tb, "Trend", S75_CELL_TEXT);
	s75_table_column(tb, "KPI", S75_CELL_TEXT);
	for (size_t i = 0; i < yr->nmetrics; i++) {
		const bcf_plan_metric *pm = &yr->metrics[i];
		const bcf_metric *m = &fw->metrics[pm->metric];
		s75_kpi k;
		s75_kpi_value *vals = NULL;
		size_t nv = 0;
		const s75_kpi_value *now = NULL, *before = NULL;
		memset(&k, 0, sizeof(k));
		if (pm->kpi >= 0)
			k = gm->kpis[pm->kpi];
		k.unit = m->unit;
		k.better = m->better;
		k.has_target = pm->has_ambition[q - 1];
		k.target = pm->ambition[q - 1];
		if (pm->kpi >= 0 && (rc = s75_kpi_values_list(&vals, &nv, db, gm->kpis[pm->kpi].id)))
			break;
		for (size_t j = 0; j < nv; j++) {
			if (!strcmp(vals[j].period, cur.label))
				now = &vals[j];
			if (!strcmp(vals[j].period, prev.label))
				before = &vals[j];
		}
		s75_table_row(tb, 0);
		s75_table_text(tb, m->id);
		s75_table_text(tb, m->name);
		s75_table_text(tb, m->definition);
		s75_table_text(tb, s75_kpi_unit_name(m->unit));
		s75_table_text(tb, m->better == S75_KPI_HIGHER ? "higher" : "lower");
		s75_buf_reset(&v);
		if (k.has_target)
			s75_kpi_value_format(&v, k.target, true);
		s75_table_text(tb, v.ptr ? v.ptr : "");
		s75_buf_reset(&v);
		if (now)
			s75_kpi_value_format(&v, now->value, true);
		s75_table_text(tb, now ? v.ptr : "no value");
		s75_table_text(tb, now ? s75_rag_name(s75_kpi_rag(&k, now->value)) : "");
		s75_table_text(tb, now && before ? s75_trend_name(s75_kpi_trend(&k, before->value, now->value))
						 : "");
		s75_table_text(tb, pm->kpi >= 0 ? gm->kpis[pm->kpi].id : "none");
		s75_kpi_values_free(vals, nv);
	}
	s75_buf_release(&v);
	s75_doc_table(d, tb);
	return rc;
}

/* What the return lacks, as warnings at its top: no ledger figures for the pool, a
 * metric without a value for the quarter, a scheme without cost centres. */
static int return_warnings(s75_doc *d, const s75_bcf *b, s75_db *db, const s75_agreement *ag,
			   const bcf_year *yr, int q, const int64_t *actual)
{
	const s75_gov_model *gm = s75_agreement_governance(ag);
	s75_rperiod cur = s75_rperiod_quarter(yr->fy, q);
	s75_buf w = S75_BUF_INIT;
	bool any = false;
	int rc = 0;
	for (size_t c = 0; c < ag->ncost_centres; c++)
		any = any || (ag->cost_centres[c].pool == b->pool && actual[c] != 0);
	if (!any) {
		s75_buf_printf(&w, "Warning: the ledger has no expenditure on the pool's cost centres to the end of %s: every actual is nil (import the actuals).", cur.label);
		s75_doc_para(d, w.ptr);
	}
	for (size_t i = 0; i < yr->nschemes; i++)
		if (!yr->schemes[i].ncost_centres) {
			s75_buf_reset(&w);
			s75_buf_printf(&w, "Warning: scheme %s has no cost centres: its actual is nil.",
				       yr->schemes[i].id);
			s75_doc_para(d, w.ptr);
		}
	for (size_t i = 0; i < yr->nmetrics; i++) {
		const bcf_plan_metric *pm = &yr->metrics[i];
		s75_kpi_value *vals = NULL;
		size_t nv = 0;
		bool found = false;
		if (pm->kpi >= 0 && (rc = s75_kpi_values_list(&vals, &nv, db, gm->kpis[pm->kpi].id)))
			break;
		for (size_t j = 0; j < nv; j++)
			found = found || !strcmp(vals[j].period, cur.label);
		s75_kpi_values_free(vals, nv);
		if (found)
			continue;
		s75_buf_reset(&w);
		if (pm->kpi < 0)
			s75_buf_printf(&w, "Warning: metric %s has no KPI in the agreement: no actual for %s.",
				       b->fw.metrics[pm->metric].id, cur.label);
		else
			s75_buf_printf(&w, "Warning: metric %s: KPI %s has no value for %s (import kpi).",
				       b->fw.metrics[pm->metric].id, gm->kpis[pm->kpi].id, cur.label);
		s75_doc_para(d, w.ptr);
	}
	s75_buf_release(&w);
	return rc;
}

int s75_bcf_return_report(s75_doc *d, const s75_bcf *b, s75_db *db, const s75_agreement *ag,
			  int fy, int quarter)
{
	const bcf_year *yr;
	const bcf_framework *fw = &b->fw;
	stream_totals t = {0};
	s75_monitoring *mon = NULL;
	s75_buf tmp = S75_BUF_INIT;
	int64_t *actual = NULL, *planned = NULL;
	char pbuf[16], dbuf[11];
	int q = quarter ? quarter : 4;
	int rc;
	if ((rc = plan_year(&yr, b, fy)))
		return rc;
	if ((rc = totals_build(&t, b, ag, yr)))
		goto done;
	s75_period per = {fy, q * 3};
	s75_date end = s75_period_end(per);
	if ((rc = s75_monitoring_build(&mon, db, ag, per, S75_LEVEL_COST_CENTRE)))
		goto done;
	/* per cost centre: gross expenditure to the quarter's end */
	actual = xcalloc(ag->ncost_centres ? ag->ncost_centres : 1, sizeof(int64_t));
	for (size_t i = 0; i < mon->nrows; i++)
		if (mon->rows[i].cost_centre >= 0)
			actual[mon->rows[i].cost_centre] = mon->rows[i].expenditure_to_date;

	/* the return's description and its warnings head the first sheet, so that every
	 * format (the workbook has a sheet only for sections with tables) shows them */
	s75_doc_section(d, "Income by funding stream", "Income");
	s75_buf_printf(&tmp, "%s return for %s to %s (%s), pool %s. Framework: %s (%s). Plan: %s. "
		       "Income is the contributions as in force at the year's end; actual "
		       "expenditure is the ledger's gross expenditure to %s on each scheme's cost "
		       "centres, a pass-through's payments to its recipients among them.",
		       quarter ? "Quarterly" : "Year-end", s75_fy_format(pbuf, fy),
		       s75_date_format(dbuf, end), quarter ? s75_rperiod_quarter(fy, q).label : "the year",
		       ag->arrangements[b->pool].id, fw->name, fw->id, b->plan_path, dbuf);
	s75_doc_para(d, tmp.ptr);

	if ((rc = return_warnings(d, b, db, ag, yr, q, actual)))
		goto done;
	if ((rc = stream_table(d, b, ag, yr, &t, false)))
		goto done;
	if ((rc = contributions_table(d, b, ag, &t)))
		goto done;

	/* expenditure by scheme type, planned and actual */
	s75_doc_section(d, "Expenditure by scheme type", "Expenditure");
	planned = xcalloc(fw->ntypes ? fw->ntypes * 2 : 2, sizeof(int64_t));
	int64_t *act_t = planned + fw->ntypes;
	bool *in_scheme = xcalloc(ag->ncost_centres ? ag->ncost_centres : 1, sizeof(bool));
	for (size_t i = 0; i < yr->nschemes && !rc; i++) {
		const bcf_scheme *s = &yr->schemes[i];
		int64_t st;
		if ((rc = scheme_total(&st, s)) || s75_money_add(&planned[s->type], planned[s->type], st))
			rc = S75_EOVERFLOW;
		for (size_t j = 0; j < s->ncost_centres && !rc; j++) {
			in_scheme[s->cost_centres[j]] = true;
			if (s75_money_add(&act_t[s->type], act_t[s->type], actual[s->cost_centres[j]]))
				rc = S75_EOVERFLOW;
		}
	}
	s75_table *tb = s75_table_new("Expenditure by scheme type");
	s75_table_column(tb, "Scheme type", S75_CELL_TEXT);
	s75_table_column(tb, "Planned (year)", S75_CELL_MONEY);
	s75_table_column(tb, "Actual to date", S75_CELL_MONEY);
	s75_table_column(tb, "Cost centres", S75_CELL_TEXT);
	int64_t tp = 0, ta = 0;
	for (size_t ty = 0; ty < fw->ntypes && !rc; ty++) {
		bool used = false;
		s75_buf_reset(&tmp);
		for (size_t i = 0; i < yr->nschemes; i++)
			if (yr->schemes[i].type == (int)ty) {
				if (used && yr->schemes[i].ncost_centres)
					s75_buf_putc(&tmp, ' ');
				used = true;
				cc_codes(&tmp, ag, yr->schemes[i].cost_centres, yr->schemes[i].ncost_centres);
			}
		if (!used)
			continue;
		if (s75_money_add(&tp, tp, planned[ty]) || s75_money_add(&ta, ta, act_t[ty]))
			rc = S75_EOVERFLOW;
		s75_table_row(tb, 0);
		s75_table_text(tb, fw->types[ty].name);
		s75_table_money(tb, planned[ty]);
		s75_table_money(tb, act_t[ty]);
		s75_table_text(tb, tmp.ptr ? tmp.ptr : "");
	}
	/* the pool's cost centres in no scheme: shown, never dropped */
	int64_t other = 0;
	s75_buf_reset(&tmp);
	for (size_t c = 0; c < ag->ncost_centres; c++)
		if (ag->cost_centres[c].pool == b->pool && !in_scheme[c]) {
			s75_buf_printf(&tmp, "%s%s", tmp.len ? " " : "", ag->cost_centres[c].code);
			if (s75_money_add(&other, other, actual[c]))
				rc = S75_EOVERFLOW;
		}
	free(in_scheme);
	if (tmp.len) {
		if (s75_money_add(&ta, ta, other))
			rc = S75_EOVERFLOW;
		s75_table_row(tb, 0);
		s75_table_text(tb, "Not in a scheme");
		s75_table_money(tb, 0);
		s75_table_money(tb, other);
		s75_table_text(tb, tmp.ptr);
	}
	s75_table_row(tb, S75_ROW_TOTAL | S75_ROW_STRONG);
	s75_table_text(tb, "Total");
	s75_table_money(tb, tp);
	s75_table_money(tb, ta);
	s75_doc_table(d, tb);
	if (rc)
		goto done;

	s75_doc_section(d, "Expenditure by scheme", "Schemes");
	tb = s75_table_new("Expenditure by scheme");
	s75_table_column(tb, "Scheme", S75_CELL_TEXT);
	s75_table_column(tb, "Name", S75_CELL_TEXT);
	s75_table_column(tb, "Scheme type", S75_CELL_TEXT);
	s75_table_column(tb, "Commissioner", S75_CELL_TEXT);
	s75_table_column(tb, "Planned (year)", S75_CELL_MONEY);
	s75_table_column(tb, "Actual to date", S75_CELL_MONEY);
	s75_table_column(tb, "Cost centres", S75_CELL_TEXT);
	tp = ta = 0;
	for (size_t i = 0; i < yr->nschemes && !rc; i++) {
		const bcf_scheme *s = &yr->schemes[i];
		int64_t st, sa = 0;
		scheme_total(&st, s);
		for (size_t j = 0; j < s->ncost_centres; j++)
			if (s75_money_add(&sa, sa, actual[s->cost_centres[j]]))
				rc = S75_EOVERFLOW;
		if (s75_money_add(&tp, tp, st) || s75_money_add(&ta, ta, sa))
			rc = S75_EOVERFLOW;
		s75_table_row(tb, 0);
		s75_table_text(tb, s->id);
		s75_table_text(tb, s->name);
		s75_table_text(tb, fw->types[s->type].name);
		s75_table_text(tb, ag->partners[s->commissioner].id);
		s75_table_money(tb, st);
		s75_table_money(tb, sa);
		s75_buf_reset(&tmp);
		cc_codes(&tmp, ag, s->cost_centres, s->ncost_centres);
		s75_table_text(tb, tmp.ptr ? tmp.ptr : "");
	}
	s75_table_row(tb, S75_ROW_TOTAL | S75_ROW_STRONG);
	s75_table_text(tb, "Total");
	s75_table_empty(tb);
	s75_table_empty(tb);
	s75_table_empty(tb);
	s75_table_money(tb, tp);
	s75_table_money(tb, ta);
	s75_doc_table(d, tb);
	if (rc)
		goto done;

	s75_doc_section(d, "Metrics", "Metrics");
	if ((rc = metrics_table(d, b, db, ag, yr, q)))
		goto done;

	size_t failed = 0;
	s75_doc_section(d, "National conditions confirmed", "Conditions");
	{
		s75_table *ct = NULL, *dt = NULL;
		rc = conditions_tables(&ct, &dt, &failed, b, db, ag, yr, end);
		s75_buf_reset(&tmp);
		s75_buf_printf(&tmp, "%zu condition%s not met as on %s.", failed,
			       failed == 1 ? "" : "s", s75_date_format(dbuf, end));
		s75_doc_para(d, tmp.ptr);
		s75_doc_table(d, ct);
		if (dt->nrows)
			s75_doc_table(d, dt);
		else
			s75_table_free(dt);
	}
done:
	free(actual);
	free(planned);
	s75_monitoring_free(mon);
	s75_buf_release(&tmp);
	totals_release(&t);
	return rc;
}

int s75_report_bcf(s75_doc **out, size_t *failed, const s75_bcf *b, s75_db *db,
		   const s75_agreement *ag, s75_bcf_kind kind, int fy, int quarter, s75_date as_of,
		   const s75_report_options *o)
{
	s75_buf params = S75_BUF_INIT, title = S75_BUF_INIT;
	char yb[8], dbuf[11];
	size_t nfailed = 0;
	int rc;
	*out = NULL;
	s75_fy_format(yb, fy);
	s75_buf_printf(&params, "pool %s, year %s, framework %s", ag->arrangements[s75_bcf_pool(b)].id,
		       yb, s75_bcf_framework_id(b));
	if (kind == S75_BCF_PLAN) {
		s75_buf_printf(&title, "Better Care Fund plan %s", yb);
	} else if (kind == S75_BCF_CHECK) {
		s75_buf_printf(&title, "Better Care Fund national conditions %s", yb);
		s75_buf_printf(&params, ", as of %s", s75_date_format(dbuf, as_of));
	} else if (quarter) {
		s75_buf_printf(&title, "Better Care Fund quarterly return %s Q%d", yb, quarter);
	} else {
		s75_buf_printf(&title, "Better Care Fund year-end return %s", yb);
	}
	s75_doc *d = s75_report_doc_new(ag, title.ptr, params.ptr, o);
	s75_buf_release(&params);
	s75_buf_release(&title);
	rc = kind == S75_BCF_PLAN    ? s75_bcf_plan_report(d, b, ag, fy)
	     : kind == S75_BCF_CHECK ? s75_bcf_check_report(d, &nfailed, b, db, ag, fy, as_of)
				     : s75_bcf_return_report(d, b, db, ag, fy, quarter);
	if (rc) {
		s75_doc_free(d);
		return rc;
	}
	if (failed)
		*failed = nfailed;
	*out = d;
	return 0;
}
