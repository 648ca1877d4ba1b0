/* Notice and termination: when a notice takes effect under the agreement's terms, the
 * notices recorded, the day each arrangement ends, where each stands, and the history of
 * changes to the agreement. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "notice_internal.h"
#include "s75/error.h"
#include "s75/governance.h"
#include "s75/notice.h"
#include "s75/variation.h"
#include "xalloc.h"

const char *s75_arr_state_name(s75_arr_state s)
{
	static const char *const names[] = {"not started", "active", "ending", "ended"};
	return names[s];
}

/* "the agreement" or "'ID'", for messages. */
static const char *name_of(char *buf, const s75_agreement *ag, int a)
{
	if (a < 0)
		snprintf(buf, 160, "the agreement");
	else
		snprintf(buf, 160, "'%s'", ag->arrangements[a].id);
	return buf;
}

int s75_notice_compute(s75_notice *out, const s75_agreement *ag, const s75_notice_input *in)
{
	const s75_notice_terms *t = &ag->notice;
	char d[11];
	memset(out, 0, sizeof(*out));
	out->by = s75_agreement_find_partner(ag, in->by ? in->by : "");
	if (out->by < 0)
		return s75_error_set(S75_EINVALID, "no partner '%s' in the agreement",
		                     in->by ? in->by : "");
	if ((out->arrangement = notice_scope_ref(ag, in->scope)) == -2)
		return S75_EINVALID;
	snprintf(out->scope, sizeof(out->scope), "%s", in->scope);
	out->date = in->date;
	out->grounds = in->grounds;
	snprintf(out->note, sizeof(out->note), "%s", in->note ? in->note : "");
	switch (in->grounds) {
	case S75_GROUNDS_GENERAL:
		out->months = t->general_months;
		break;
	case S75_GROUNDS_NO_CONTRIBUTION_AGREEMENT:
		out->months = t->no_contribution_agreement_months;
		break;
	case S75_GROUNDS_BY_AGREEMENT:
		if (!in->effective || in->effective <= in->date) {
			char e[11];
			return s75_error_set(S75_EINVALID,
			                     in->effective ? "notice by agreement takes effect on %s, not after it is given (%s)"
			                                   : "notice by agreement needs the day the partners agreed it takes effect%s%s",
			                     in->effective ? s75_date_format(e, in->effective) : "",
			                     in->effective ? s75_date_format(d, in->date) : "");
		}
		out->months = 0; /* whole months from the date to the day agreed */
		while (s75_date_add_months(in->date, out->months + 1) <= in->effective)
			out->months++;
		break;
	default:
		out->months = t->default_months;
		break;
	}
	if (in->grounds != S75_GROUNDS_BY_AGREEMENT && in->effective)
		return s75_error_set(S75_EINVALID,
		                     "only notice by agreement takes a day agreed (grounds '%s' take the terms' period)",
		                     s75_grounds_name(in->grounds));
	if (out->months < 0) {
		static const char *const keys[] = {
		    "general_months", "no_contribution_agreement_months", "default_months"};
		return s75_error_set(
		    S75_EINVALID,
		    "the agreement states no notice period for grounds '%s' (notice: %s)",
		    s75_grounds_name(in->grounds), keys[in->grounds]);
	}
	if (in->date < ag->start) {
		char s[11];
		return s75_error_set(S75_EINVALID,
		                     "notice on %s is before the agreement starts (%s)",
		                     s75_date_format(d, in->date), s75_date_format(s, ag->start));
	}
	if (out->arrangement >= 0 && ag->arrangements[out->arrangement].has_start &&
	    in->date < ag->arrangements[out->arrangement].start) {
		char s[11];
		return s75_error_set(S75_EINVALID, "notice on %s is before '%s' starts (%s)",
		                     s75_date_format(d, in->date),
		                     ag->arrangements[out->arrangement].id,
		                     s75_date_format(s, ag->arrangements[out->arrangement].start));
	}
	out->has_scheduled_end = notice_scheduled_end(ag, out->arrangement, &out->scheduled_end);
	if (out->has_scheduled_end && in->date > out->scheduled_end) {
		char e[11];
		char what[160];
		return s75_error_set(S75_EINVALID, "notice on %s comes after %s ended (%s)",
		                     s75_date_format(d, in->date),
		                     name_of(what, ag, out->arrangement),
		                     s75_date_format(e, out->scheduled_end));
	}
	out->effective = in->grounds == S75_GROUNDS_BY_AGREEMENT
	                     ? in->effective
	                     : s75_date_add_months(in->date, out->months);
	return 0;
}

int s75_notice_record(s75_notice *out, s75_db *db, const s75_agreement *ag,
                      const s75_notice_input *in, const char *now)
{
	sql_stmt *st = NULL;
	char d[11], e[11];
	int rc;
	if ((rc = s75_notice_compute(out, ag, in)))
		return rc;
	/* an arrangement already ended by an earlier notice takes no more */
	s75_status *now_st;
	if ((rc = s75_status_build(&now_st, db, ag, in->date)))
		return rc;
	const s75_arr_status *x =
	    out->arrangement < 0 ? &now_st->agreement : &now_st->arrangements[out->arrangement];
	if (x->state == S75_STATE_ENDED) {
		char what[160];
		rc = s75_error_set(S75_EINVALID,
		                   "notice on %s comes after %s ended (%s, under notice %lld)",
		                   s75_date_format(d, in->date),
		                   name_of(what, ag, out->arrangement), s75_date_format(e, x->ends),
		                   x->notice >= 0 ? (long long)now_st->notices[x->notice].id : 0LL);
		s75_status_free(now_st);
		return rc;
	}
	s75_status_free(now_st);
	if ((rc = db_begin_write(db)))
		return rc;
	if ((rc =
	         db_prepare(db, &st,
	                    "INSERT INTO notice(served_by, date, scope, grounds, months, effective,"
	                    " note, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")))
		goto fail;
	sql_bind_text(st, 1, ag->partners[out->by].id, -1);
	sql_bind_int(st, 2, out->date);
	sql_bind_text(st, 3, out->scope, -1);
	sql_bind_text(st, 4, s75_grounds_name(out->grounds), -1);
	sql_bind_int(st, 5, out->months);
	sql_bind_int(st, 6, out->effective);
	if (out->note[0])
		sql_bind_text(st, 7, out->note, -1);
	sql_bind_text(st, 8, now, -1);
	if (sql_step(st) != SQL_ROW || (out->id = sql_column_int64(st, 0), sql_step(st) != SQL_DONE)) {
		rc = db_error(db, "cannot record the notice");
		goto fail;
	}
	sql_finalize(st);
	st = NULL;
	s75_buf det = S75_BUF_INIT;
	s75_buf_printf(&det, "notice %lld by %s on %s, %s, %s: %d months, effective %s",
	               (long long)out->id, ag->partners[out->by].id, s75_date_format(d, out->date),
	               out->scope, s75_grounds_name(out->grounds), out->months,
	               s75_date_format(e, out->effective));
	rc = db_audit(db, now, "record notice", 0, det.ptr);
	s75_buf_release(&det);
	if (rc || (rc = db_commit(db)))
		goto fail;
	return 0;
fail:
	sql_finalize(st);
	db_exec(db, "ROLLBACK");
	out->id = 0;
	return rc;
}

static void set_state(s75_arr_status *s, s75_date as_of, bool pool)
{
	if (as_of < s->start)
		s->state = S75_STATE_NOT_STARTED;
	else if (s->has_end && as_of > s->ends)
		s->state = S75_STATE_ENDED;
	else if (s->notice >= 0)
		s->state = S75_STATE_ENDING;
	else
		s->state = S75_STATE_ACTIVE;
	if (s->has_end)
		s->final_period = s75_period_of_date(s->ends);
	s->settlement_due = pool && s->state == S75_STATE_ENDED;
}

int s75_status_build(s75_status **out, s75_db *db, const s75_agreement *ag, s75_date as_of)
{
	s75_status *s = xcalloc(1, sizeof(*s));
	int rc, an;
	s75_date ae;
	*out = NULL;
	if (db && (rc = s75_notices_list(&s->notices, &s->nnotices, db, ag))) {
		free(s);
		return rc;
	}
	s->as_of = as_of;
	s->narrangements = ag->narrangements;
	s->arrangements = xcalloc(ag->narrangements + 1, sizeof(s75_arr_status));
	s75_date *ends = xcalloc(ag->narrangements + 1, sizeof(s75_date));
	int *by = xcalloc(ag->narrangements + 1, sizeof(int));
	notice_ends_from(ag, s->notices, s->nnotices, as_of, ends, by, &ae, &an);
	s->agreement.arrangement = -1;
	s->agreement.start = ag->start;
	s->agreement.has_end = ae != 0;
	s->agreement.ends = ae;
	s->agreement.notice = an;
	set_state(&s->agreement, as_of, false);
	for (size_t a = 0; a < ag->narrangements; a++) {
		s75_arr_status *x = &s->arrangements[a];
		const s75_arrangement *arr = &ag->arrangements[a];
		x->arrangement = (int)a;
		x->start = arr->has_start ? arr->start : ag->start;
		x->has_end = ends[a] != 0;
		x->ends = ends[a];
		x->notice = by[a];
		set_state(x, as_of, arr->kind == S75_ARR_POOLED_FUND);
	}
	free(ends);
	free(by);
	*out = s;
	return 0;
}

void s75_status_free(s75_status *s)
{
	if (!s)
		return;
	free(s->arrangements);
	free(s->notices);
	free(s);
}

/* ---- history ----------------------------------------------------------------------- */

static s75_change *add(s75_history *h, size_t *alloc, s75_date date, const char *kind,
                       const char *ref, const char *decision)
{
	ALLOC_GROW(h->items, h->n + 1, *alloc);
	s75_change *c = &h->items[h->n++];
	memset(c, 0, sizeof(*c));
	c->date = date;
	c->kind = xstrdup(kind);
	c->ref = xstrdup(ref ? ref : "");
	c->decision = decision ? xstrdup(decision) : NULL;
	return c;
}

/* The net contribution of a line in force on `date`, 0 if none. */
static int net_at(const s75_agreement *ag, const s75_year *y, s75_date date, int pool, int el,
                  int p, int64_t *net)
{
	s75_contribution *c;
	size_t n;
	int rc = s75_year_contributions_at(&c, &n, ag, y, date);
	*net = 0;
	for (size_t i = 0; !rc && i < n; i++)
		if (c[i].pool == pool && c[i].element == el && c[i].partner == p)
			*net = c[i].net;
	free(c);
	return rc;
}

/* A partner, a pool, an element or a KPI: by its name for the human formats (`named`), by
   its id for CSV and JSON (and where it has no name). */
#define NAME_OR_ID(x, named) ((named) && (x).name ? (x).name : (x).id)

static void describe_rule(s75_buf *b, const s75_agreement *ag, const s75_rs_rule *r, bool named)
{
	for (int over = 1; over >= 0; over--) {
		const s75_rs_band *bands = over ? r->over : r->under;
		size_t nb = over ? r->nover : r->nunder;
		s75_buf_puts(b, over ? "overspend " : "; underspend ");
		for (size_t i = 0; i < nb; i++) {
			s75_buf_printf(b, "%s%s", i ? ", then " : "",
			               s75_rs_method_name(bands[i].method));
			if (bands[i].method == S75_RS_FIXED && bands[i].ratio_bp) {
				bool first = true;
				s75_buf_putc(b, ' ');
				for (size_t p = 0; p < ag->npartners; p++)
					if (bands[i].ratio_bp[p]) {
						s75_buf_printf(b, "%s%s ", first ? "" : ":",
						               NAME_OR_ID(ag->partners[p], named));
						s75_bp_format(b, bands[i].ratio_bp[p]);
						first = false;
					}
			}
			if (bands[i].method == S75_RS_PARTNER && bands[i].partner >= 0)
				s75_buf_printf(b, " %s", NAME_OR_ID(ag->partners[bands[i].partner], named));
		}
	}
}

static int cmp_change(const void *a, const void *b)
{
	const s75_change *x = a, *y = b;
	return x->date < y->date ? -1 : x->date > y->date;
}

int s75_history_build(s75_history **out, s75_db *db, const s75_agreement *ag, int fy)
{
	s75_history *h = xcalloc(1, sizeof(*h));
	size_t alloc = 0, nv;
	const s75_variation *v = s75_agreement_variations(ag, &nv);
	const s75_gov_model *g = s75_agreement_governance(ag);
	s75_notice *notices = NULL;
	size_t nn = 0;
	char fys[8], d[11];
	int rc = 0;
	*out = NULL;
	for (size_t i = 0; i < ag->nyears; i++) {
		const s75_year *y = &ag->years[i];
		if (y->fy < 0 || (fy >= 0 && y->fy != fy))
			continue;
		s75_fy_format(fys, y->fy);
		bool agreed = y->status == S75_YEAR_AGREED && y->has_agreed_on;
		s75_change *c = add(h, &alloc, agreed ? y->agreed_on : s75_fy_start(y->fy),
		                    "schedule", fys, NULL);
		s75_buf b = S75_BUF_INIT;
		if (agreed)
			s75_buf_printf(&b, "%s schedule agreed on %s", fys,
			               s75_date_format(d, y->agreed_on));
		else
			s75_buf_printf(&b, "%s schedule indicative (not agreed)", fys);
		c->what = s75_buf_detach(&b);
		c->label = xstrdup(c->what);
	}
	for (size_t i = 0; i < nv; i++) {
		const s75_variation *x = &v[i];
		const s75_year *y = s75_agreement_find_year(ag, x->fy);
		if (fy >= 0 && x->fy != fy)
			continue;
		for (size_t j = 0; j < x->ncontributions && y; j++) {
			const s75_var_contribution *vc = &x->contributions[j];
			s75_change *c =
			    add(h, &alloc, x->effective, "contribution", x->id, x->decision);
			const s75_arrangement *a = &ag->arrangements[vc->pool];
			for (int nm = 0; nm < 2; nm++) {
				s75_buf b = S75_BUF_INIT;
				s75_buf_printf(&b, nm ? "%s / %s / %s net %s" : "%s/%s/%s net %s",
				               NAME_OR_ID(*a, nm), NAME_OR_ID(a->elements[vc->element], nm),
				               NAME_OR_ID(ag->partners[vc->partner], nm),
				               vc->net < 0 ? "-" : "+");
				s75_money_format(&b, vc->net < 0 ? -vc->net : vc->net, S75_UNIT_POUNDS,
				                 S75_FMT_SEP | S75_FMT_POUND);
				if (x->description)
					s75_buf_printf(&b, " (%s)", x->description);
				*(nm ? &c->label : &c->what) = s75_buf_detach(&b);
			}
			c->has_amounts = true;
			if ((rc = net_at(ag, y, x->effective, vc->pool, vc->element, vc->partner,
			                 &c->after)))
				goto fail;
			c->before = c->after - vc->net;
		}
		for (size_t j = 0; j < x->nrisk_share; j++) {
			s75_change *c =
			    add(h, &alloc, x->effective, "risk-share", x->id, x->decision);
			for (int nm = 0; nm < 2; nm++) {
				s75_buf b = S75_BUF_INIT;
				s75_buf_printf(&b, "risk share of pool '%s' from %s: ",
				               NAME_OR_ID(ag->arrangements[x->risk_share[j].pool], nm),
				               s75_date_format(d, x->effective));
				describe_rule(&b, ag, &x->risk_share[j], nm);
				*(nm ? &c->label : &c->what) = s75_buf_detach(&b);
			}
		}
		for (size_t j = 0; j < x->nkpis; j++) {
			const s75_var_kpi *k = &x->kpis[j];
			s75_change *c = add(h, &alloc, x->effective, "kpi", x->id, x->decision);
			for (int nm = 0; nm < 2; nm++) {
				s75_buf b = S75_BUF_INIT;
				s75_buf_printf(&b, "KPI '%s':", NAME_OR_ID(g->kpis[k->kpi], nm));
				if (k->set_target) {
					s75_buf_puts(&b, " target ");
					s75_kpi_value_format(&b, k->target, true);
					if (k->set_target_date)
						s75_buf_printf(&b, " by %s",
						               s75_date_format(d, k->target_date));
				}
				if (k->set_tolerance) {
					s75_buf_puts(&b, " tolerance ");
					s75_kpi_value_format(&b, k->tolerance, true);
				}
				if (k->set_baseline) {
					s75_buf_puts(&b, " baseline ");
					s75_kpi_value_format(&b, k->baseline, true);
					s75_buf_printf(&b, " (%s)", k->baseline_period);
				}
				*(nm ? &c->label : &c->what) = s75_buf_detach(&b);
			}
		}
	}
	if (db && (rc = s75_notices_list(&notices, &nn, db, ag)))
		goto fail;
	for (size_t i = 0; i < nn; i++) {
		const s75_notice *x = &notices[i];
		char e[11], ref[32];
		if (fy >= 0 && s75_fy_of_date(x->date) != fy)
			continue;
		snprintf(ref, sizeof(ref), "notice %lld", (long long)x->id);
		s75_change *c = add(h, &alloc, x->date, "notice", ref, NULL);
		for (int nm = 0; nm < 2; nm++) {
			s75_buf b = S75_BUF_INIT;
			s75_buf_printf(&b, "%s served notice on %s (%s, %d months): ends %s",
			               NAME_OR_ID(ag->partners[x->by], nm), x->scope,
			               s75_grounds_name(x->grounds), x->months,
			               s75_date_format(e, x->effective));
			*(nm ? &c->label : &c->what) = s75_buf_detach(&b);
		}
	}
	free(notices);
	/* by date; stable, so that changes of one day keep the file's order */
	for (size_t i = 1; i < h->n; i++)
		for (size_t j = i; j > 0 && cmp_change(&h->items[j - 1], &h->items[j]) > 0; j--) {
			s75_change t = h->items[j];
			h->items[j] = h->items[j - 1];
			h->items[j - 1] = t;
		}
	*out = h;
	return 0;
fail:
	free(notices);
	s75_history_free(h);
	return rc;
}

void s75_history_free(s75_history *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++) {
		free(h->items[i].kind);
		free(h->items[i].ref);
		free(h->items[i].decision);
		free(h->items[i].what);
		free(h->items[i].label);
	}
	free(h->items);
	free(h);
}
