/* Each partner's share of a pooled fund for its own accounts (docs/reports.md): the
 * settlement's memorandum account split between the partners in proportion to what each
 * finally bears of the pool (its final cost), every split by the largest remainder. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "s75/alloc.h"
#include "s75/error.h"
#include "s75/ledger.h"
#include "s75/report.h"
#include "s75/statement.h"
#include "s75/variation.h"
#include "xalloc.h"

static const char *const line_name[S75_PST_NLINES] = {
	"Contribution to the pool",
	"Share of the pool's other income",
	"Share of the pool's gross expenditure",
	"Share of the surplus (deficit) for the year",
	"  of which its risk share: credit (charge)",
	"Share of the reserve carried forward (asset)",
	"Balance owed to it (due from it) at the year end",
};

static const char *const line_key[S75_PST_NLINES] = {
	"contribution", "income", "expenditure", "surplus", "risk_share", "reserve", "balance",
};

/* Splits one pool's memorandum account between the partners. */
static int split_pool(s75_pst_pool *q, const s75_settle_pool *p, const s75_monitoring *m,
		      size_t np)
{
	int64_t E = 0, I = 0, *r = NULL, *e = NULL, sumF = 0;
	bool neg = false;
	int rc = 0;
	for (size_t k = 0; k < m->nrows; k++)
		if (m->rows[k].pool == p->pool) {
			E += m->rows[k].expenditure_to_date;
			I += m->rows[k].income_to_date;
		}
	q->pool = p->pool;
	q->no_actuals = !E && !I;
	q->weight = xcalloc(np + 1, sizeof(int64_t));
	q->involved = xcalloc(np + 1, sizeof(bool));
	for (int l = 0; l < S75_PST_NLINES; l++)
		q->share[l] = xcalloc(np + 1, sizeof(int64_t));
	/* the basis: each partner's final cost; contributions if a final cost is negative */
	for (size_t k = 0; k < np; k++) {
		q->involved[k] = p->partners[k].involved;
		neg |= p->partners[k].final_cost < 0;
		sumF += p->partners[k].final_cost;
	}
	for (size_t k = 0; k < np; k++) {
		int64_t w = neg || sumF <= 0 ? p->partners[k].contribution : p->partners[k].final_cost;
		q->weight[k] = w > 0 ? w : 0;
	}
	r = q->share[S75_PST_RESERVE];
	e = q->share[S75_PST_EXPENDITURE];
	if ((rc = s75_alloc_split(r, p->reserve, q->weight, np)) ||
	    (rc = s75_alloc_split(e, E, q->weight, np)))
		return rc;
	for (size_t k = 0; k < np; k++) {
		const s75_settle_partner *x = &p->partners[k];
		int64_t net = x->final_cost - r[k]; /* what it bears of the pool's net expenditure */
		q->share[S75_PST_CONTRIBUTION][k] = x->contribution;
		q->share[S75_PST_INCOME][k] = e[k] - net;
		q->share[S75_PST_SURPLUS][k] = x->contribution - net;
		q->share[S75_PST_RISK_SHARE][k] = -x->variance_share;
		q->share[S75_PST_BALANCE][k] = x->balance;
	}
	/* the memorandum account (report annual-return) */
	q->total[S75_PST_CONTRIBUTION] = p->budget;
	q->total[S75_PST_INCOME] = I;
	q->total[S75_PST_EXPENDITURE] = E;
	q->total[S75_PST_SURPLUS] = p->budget + I - E;
	q->total[S75_PST_RESERVE] = p->reserve;
	q->total[S75_PST_RISK_SHARE] = -(p->variance + p->reserve); /* the shares less the reserve are the variance */
	q->total[S75_PST_BALANCE] = 0;
	/* the shares sum to the memorandum account, line by line, to the penny */
	for (int l = 0; l < S75_PST_NLINES; l++) {
		int64_t s = 0;
		for (size_t k = 0; k < np; k++)
			s += q->share[l][k];
		if (s != q->total[l])
			return s75_error_set(S75_EINVALID,
					     "the partners' shares of '%s' (%lld) do not sum to the memorandum account (%lld)",
					     line_key[l], (long long)s, (long long)q->total[l]);
	}
	return 0;
}

int s75_partner_statement_build(s75_partner_statement **out, s75_db *db, const s75_agreement *ag,
				int fy, int partner)
{
	s75_settlement *s = NULL;
	s75_monitoring *m = NULL;
	s75_partner_statement *st = NULL;
	s75_settle_options so;
	int rc;
	*out = NULL;
	if (partner < 0 || (size_t)partner >= ag->npartners)
		return s75_error_set(S75_ENOTFOUND, "no such partner");
	memset(&so, 0, sizeof(so));
	if ((rc = s75_settle(&s, db, ag, fy, &so)) ||
	    (rc = s75_monitoring_build(&m, db, ag, (s75_period){fy, 12}, S75_LEVEL_ELEMENT)))
		goto done;
	st = xcalloc(1, sizeof(*st));
	st->fy = fy;
	st->partner = partner;
	st->npartners = ag->npartners;
	st->pools = xcalloc(s->npools + 1, sizeof(*st->pools));
	for (size_t i = 0; i < s->npools && !rc; i++) {
		if (!s->pools[i].partners[partner].involved)
			continue;
		rc = split_pool(&st->pools[st->npools++], &s->pools[i], m, ag->npartners);
	}
	if (!rc && !st->npools) {
		char b[16];
		rc = s75_error_set(S75_ENOTFOUND, "partner '%s' has no part in any pooled fund in %s",
				   ag->partners[partner].id, s75_fy_format(b, fy));
	}
done:
	s75_settlement_free(s);
	s75_monitoring_free(m);
	if (rc) {
		s75_partner_statement_free(st);
		return rc;
	}
	*out = st;
	return 0;
}

void s75_partner_statement_free(s75_partner_statement *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->npools; i++) {
		for (int l = 0; l < S75_PST_NLINES; l++)
			free(s->pools[i].share[l]);
		free(s->pools[i].weight);
		free(s->pools[i].involved);
	}
	free(s->pools);
	free(s);
}

static void statement_doc(s75_doc *d, const s75_partner_statement *s, const s75_agreement *ag)
{
	const s75_partner *me = &ag->partners[s->partner];
	s75_buf b = S75_BUF_INIT;
	for (size_t i = 0; i < s->npools; i++) {
		const s75_pst_pool *q = &s->pools[i];
		const s75_arrangement *a = &ag->arrangements[q->pool];
		int64_t *shares = xcalloc(s->npartners + 1, sizeof(int64_t));
		s75_buf_reset(&b);
		s75_buf_printf(&b, "%s (%s)", a->name, a->id);
		s75_doc_section(d, b.ptr, a->id);
		if (q->no_actuals) {
			char fy[16];
			s75_buf_reset(&b);
			s75_buf_printf(&b, "Warning: the workspace has no expenditure or income for this pool in %s: "
					   "import the partners' ledgers before the statement is used.",
				       s75_fy_format(fy, s->fy));
			s75_doc_para(d, b.ptr);
		}
		s75_alloc_shares_bp(shares, q->weight, s->npartners);
		s75_buf_reset(&b);
		s75_buf_printf(&b, "The pool is a joint arrangement: %s recognises its share of the pool's income, "
				   "expenditure and reserve in proportion to what it finally bears of the pool, its "
				   "final cost under the risk share (its contribution plus its share of the over- or "
				   "underspend): ",
			       me->name);
		for (size_t k = 0, first = 1; k < s->npartners; k++) {
			if (!q->involved[k])
				continue;
			s75_buf_printf(&b, "%s%s ", first ? "" : ", ", ag->partners[k].id);
			s75_bp_format(&b, shares[k]);
			s75_buf_putc(&b, '%');
			first = 0;
		}
		s75_buf_puts(&b, ". Each line of every partner's statement sums, over the partners, to the "
				 "memorandum account of the annual return to the penny.");
		s75_doc_para(d, b.ptr);
		free(shares);

		s75_buf_reset(&b);
		s75_buf_printf(&b, "Statement of %s", me->name);
		s75_table *t = s75_table_new(b.ptr);
		s75_table_column(t, "", S75_CELL_TEXT);
		s75_table_column(t, me->id, S75_CELL_MONEY);
		s75_table_column(t, "Pool (memorandum account)", S75_CELL_MONEY);
		for (int l = 0; l < S75_PST_NLINES; l++) {
			s75_table_row(t, 0);
			s75_table_text(t, line_name[l]);
			s75_table_money(t, q->share[l][s->partner]);
			s75_table_money(t, q->total[l]);
		}
		s75_doc_table(d, t);

		t = s75_table_new("Reconciliation: every partner's share of each line, and the memorandum account");
		s75_table_column(t, "", S75_CELL_TEXT);
		for (size_t k = 0; k < s->npartners; k++)
			if (q->involved[k])
				s75_table_column(t, ag->partners[k].id, S75_CELL_MONEY);
		s75_table_column(t, "Sum of the shares", S75_CELL_MONEY);
		s75_table_column(t, "Memorandum account", S75_CELL_MONEY);
		for (int l = 0; l < S75_PST_NLINES; l++) {
			int64_t sum = 0;
			s75_table_row(t, 0);
			s75_table_text(t, line_name[l]);
			for (size_t k = 0; k < s->npartners; k++) {
				sum += q->share[l][k];
				if (q->involved[k])
					s75_table_money(t, q->share[l][k]);
			}
			s75_table_money(t, sum);
			s75_table_money(t, q->total[l]);
		}
		s75_doc_table(d, t);
	}
	s75_buf_release(&b);
}

static json_t *statement_json(const s75_partner_statement *s, const s75_agreement *ag)
{
	json_t *root = json_object(), *pools = json_array();
	char fy[16];
	json_object_set_new(root, "year", json_string(s75_fy_format(fy, s->fy)));
	json_object_set_new(root, "partner", json_string(ag->partners[s->partner].id));
	for (size_t i = 0; i < s->npools; i++) {
		const s75_pst_pool *q = &s->pools[i];
		json_t *jp = json_object(), *basis = json_object(), *lines = json_object();
		json_object_set_new(jp, "id", json_string(ag->arrangements[q->pool].id));
		if (q->no_actuals)
			json_object_set_new(jp, "warning", json_string("no expenditure or income in the workspace for this pool"));
		for (size_t k = 0; k < s->npartners; k++)
			if (q->involved[k])
				json_object_set_new(basis, ag->partners[k].id, json_integer(q->weight[k]));
		json_object_set_new(jp, "basis_final_cost", basis);
		for (int l = 0; l < S75_PST_NLINES; l++) {
			json_t *jl = json_object(), *all = json_object();
			json_object_set_new(jl, "share", json_integer(q->share[l][s->partner]));
			json_object_set_new(jl, "pool", json_integer(q->total[l]));
			for (size_t k = 0; k < s->npartners; k++)
				if (q->involved[k])
					json_object_set_new(all, ag->partners[k].id, json_integer(q->share[l][k]));
			json_object_set_new(jl, "partners", all);
			json_object_set_new(lines, line_key[l], jl);
		}
		json_object_set_new(jp, "lines", lines);
		json_array_append_new(pools, jp);
	}
	json_object_set_new(root, "pools", pools);
	return root;
}

int s75_report_partner_statement(s75_doc **out, s75_db *db, const s75_agreement *ag, int fy,
				 int partner, const s75_report_options *o)
{
	s75_partner_statement *st = NULL;
	s75_buf b = S75_BUF_INIT;
	char fys[16];
	int rc;
	*out = NULL;
	if ((rc = s75_partner_statement_build(&st, db, ag, fy, partner)))
		return rc;
	s75_fy_format(fys, fy);
	s75_buf_printf(&b, "Statement of %s's share of the pooled funds %s", ag->partners[partner].name,
		       fys);
	s75_doc *d = s75_report_doc_new(ag, b.ptr, fys, o);
	statement_doc(d, st, ag);
	s75_doc_json(d, statement_json(st, ag));
	s75_partner_statement_free(st);
	s75_buf_release(&b);
	*out = d;
	return 0;
}

int s75_reserve_at_year_end(int64_t *out, bool *known, s75_db *db, const s75_agreement *ag, int fy,
			    int pool)
{
	const s75_year *y = s75_agreement_find_year(ag, fy);
	s75_monitoring *m = NULL;
	s75_settlement *s = NULL;
	s75_settle_options so;
	bool any = false;
	int rc;
	*out = 0;
	*known = false;
	if (!y)
		return 0;
	if ((rc = s75_monitoring_build(&m, db, ag, (s75_period){fy, 12}, S75_LEVEL_POOL)))
		return rc;
	for (size_t i = 0; i < m->nrows; i++)
		any |= m->rows[i].pool == pool && (m->rows[i].expenditure_to_date || m->rows[i].income_to_date);
	s75_monitoring_free(m);
	if (!any)
		return 0;
	memset(&so, 0, sizeof(so));
	if ((rc = s75_settle(&s, db, ag, fy, &so)))
		return rc;
	const s75_rs_rule *rule = s75_year_risk_share_at(ag, y, pool, s75_fy_end(fy));
	for (size_t i = 0; i < s->npools; i++) {
		const s75_settle_pool *p = &s->pools[i];
		if (p->pool != pool)
			continue;
		/* carried forward = reserve + drawn + used, so the year end is opening + reserve + used */
		*out = (rule && rule->has_reserve ? rule->reserve : 0) + p->reserve + p->rs->uncommitted_used;
		*known = true;
	}
	s75_settlement_free(s);
	return 0;
}
