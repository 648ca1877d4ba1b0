/* The governance check: what the agreement says should happen (bodies, duties, schedules,
 * the risk register, variations) against what the logs show did, each breach with its
 * evidence (docs/governance.md). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s75/alerts.h"
#include "s75/arrears.h"
#include "s75/money.h"
#include "s75/error.h"
#include "s75/governance.h"
#include "s75/packages.h"
#include "s75/notice.h"
#include "govern_internal.h"
#include "xalloc.h"

static const char *const breach_names[] = {
    "meeting-missed",      "no-public-meeting",    "quorum-not-met",      "report-missing",
    "report-late",         "schedules-not-agreed", "schedules-late",      "ending",
    "risk-review-overdue", "no-risk-register",     "variation-unapproved",
    "package-reviews-overdue", "interest-not-declared", "tolerance-not-reported",
    "contribution-overdue"};

const char *s75_breach_kind_name(s75_breach_kind k)
{
	return breach_names[k];
}

typedef struct checker {
	const s75_agreement *ag;
	s75_breaches *b;
	size_t alloc;
	s75_date as_of, from, to;
	s75_meeting *meetings;
	size_t nmeetings;
	s75_receipt *receipts;
	size_t nreceipts;
	s75_decision *decisions;
	size_t ndecisions;
	s75_status *status;
} checker;

static void breach(checker *c, s75_breach_kind kind, s75_date date, const char *subject,
                   const char *fmt, ...) S75_PRINTF(5, 6);
static void breach(checker *c, s75_breach_kind kind, s75_date date, const char *subject,
                   const char *fmt, ...)
{
	s75_buf e = S75_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	s75_buf_vprintf(&e, fmt, ap);
	va_end(ap);
	ALLOC_GROW(c->b->items, c->b->n + 1, c->alloc);
	s75_breach *x = &c->b->items[c->b->n++];
	x->kind = kind;
	x->date = date;
	x->subject = xstrdup(subject);
	x->evidence = s75_buf_detach(&e);
}

/* Formats a date into one of a few rotating buffers, so a message can hold several. */
static const char *ds(s75_date d)
{
	static _Thread_local char buf[8][11];
	static _Thread_local int i;
	i = (i + 1) % 8;
	return s75_date_format(buf[i], d);
}

static const char *fys(int fy)
{
	static _Thread_local char buf[4][8];
	static _Thread_local int i;
	i = (i + 1) % 4;
	return s75_fy_format(buf[i], fy);
}

static s75_date max_d(s75_date a, s75_date b)
{
	return a > b ? a : b;
}

static s75_date min_d(s75_date a, s75_date b)
{
	return a < b ? a : b;
}

/* The day MM-DD in calendar year `y` (valid: checked at load). */
static s75_date md(int y, int m, int d)
{
	s75_date out = 0;
	s75_date_from_ymd(&out, y, m, d);
	return out;
}

/* ---- meetings ------------------------------------------------------------------------ */

static void check_frequency(checker *c, const s75_gov_body *b, s75_date from, s75_date to)
{
	int y, m, d;
	s75_date_to_ymd(from, &y, &m, &d);
	s75_date ws = md(y, m, 1);
	for (;;) {
		s75_date next = s75_date_add_months(ws, b->every_months), we = next - 1;
		if (we > to)
			break;
		s75_date start = max_d(ws, from);
		bool held = false;
		s75_date last = 0;
		for (size_t i = 0; i < c->nmeetings; i++) {
			const s75_meeting *x = &c->meetings[i];
			if (strcmp(x->body, b->id))
				continue;
			if (x->date >= start && x->date <= we)
				held = true;
			if (x->date < start)
				last = x->date;
		}
		if (!held) {
			s75_buf t = S75_BUF_INIT;
			if (last)
				s75_buf_printf(&t, "the last before it was on %s", ds(last));
			else
				s75_buf_puts(&t, "none is recorded before it");
			breach(c, S75_BREACH_MEETING_MISSED, we, b->id,
			       "no meeting from %s to %s (meets %s); %s", ds(start), ds(we),
			       s75_frequency_name(b->every_months), t.ptr);
			s75_buf_release(&t);
		}
		ws = next;
	}
}

static void check_public(checker *c, const s75_gov_body *b, s75_date from, s75_date to)
{
	for (int fy = s75_fy_of_date(from); s75_fy_end(fy) <= to; fy++) {
		s75_date s = max_d(s75_fy_start(fy), from), e = s75_fy_end(fy);
		int pub = 0, all = 0;
		for (size_t i = 0; i < c->nmeetings; i++) {
			const s75_meeting *x = &c->meetings[i];
			if (strcmp(x->body, b->id) || x->date < s || x->date > e)
				continue;
			all++;
			pub += x->public_meeting;
		}
		if (pub < b->public_meetings)
			breach(c, S75_BREACH_NO_PUBLIC_MEETING, e, b->id,
			       "%d of its %d meeting%s in %s %s held in public; it must hold at "
			       "least %d a year in public",
			       pub, all, all == 1 ? "" : "s", fys(fy), pub == 1 ? "was" : "were",
			       b->public_meetings);
	}
}

static void check_quorum(checker *c, const s75_gov_body *b, s75_date from, s75_date to)
{
	const s75_agreement *ag = c->ag;
	int total = 0;
	for (size_t i = 0; i < b->nmembers; i++)
		total += b->members[i].count;
	for (size_t i = 0; i < c->nmeetings; i++) {
		const s75_meeting *x = &c->meetings[i];
		const char *why;
		if (strcmp(x->body, b->id) || x->date < from || x->date > to ||
		    s75_meeting_quorate(ag, b, x, &why))
			continue;
		s75_buf t = S75_BUF_INIT;
		s75_buf_printf(&t, "meeting of %s: ", ds(x->date));
		if (x->present_total < 0) {
			s75_buf_puts(&t, "no attendance recorded");
		} else {
			s75_buf_printf(&t, "%d of %d members present", x->present_total, total);
			if (x->present) {
				s75_buf_puts(&t, " (");
				bool first = true;
				for (size_t p = 0; p < ag->npartners; p++)
					if (x->present[p] >= 0) {
						s75_buf_printf(&t, "%s%s %d", first ? "" : ", ",
						               ag->partners[p].id, x->present[p]);
						first = false;
					}
				s75_buf_putc(&t, ')');
			}
		}
		s75_buf_puts(&t, "; the quorum is");
		if (b->quorum_members)
			s75_buf_printf(&t, " %d members", b->quorum_members);
		if (b->quorum_each_partner)
			s75_buf_printf(&t, "%s at least %d from each partner",
			               b->quorum_members ? " with" : "", b->quorum_each_partner);
		s75_buf_printf(&t, ": %s", why);
		bool first = true;
		for (size_t k = 0; k < c->ndecisions; k++)
			if (c->decisions[k].date == x->date &&
			    !strcmp(c->decisions[k].body, b->id)) {
				s75_buf_printf(&t, "%s%s",
				               first ? "; decisions taken there: " : ", ",
				               c->decisions[k].id);
				first = false;
			}
		breach(c, S75_BREACH_QUORUM, x->date, b->id, "%s", t.ptr);
		s75_buf_release(&t);
	}
}

/* ---- what bodies receive ----------------------------------------------------------------- */

/* The earliest day `body` received `item` for `period`, or 0. */
static s75_date received(const checker *c, const char *body, s75_gov_item item, const char *period)
{
	s75_date first = 0;
	for (size_t i = 0; i < c->nreceipts; i++) {
		const s75_receipt *r = &c->receipts[i];
		if (!strcmp(r->body, body) && !strcmp(r->item, s75_gov_item_name(item)) &&
		    !strcmp(r->period, period) && (!first || r->date < first))
			first = r->date;
	}
	return first;
}

/* Reports a report not received by its deadline, or received late. */
static void due(checker *c, const s75_gov_body *b, s75_gov_item item, const char *period,
                s75_date deadline, const char *rule)
{
	static const char *const what[] = {"quarterly report", "annual return", "schedules",
	                                   "annual risk assessment"};
	if (deadline > c->as_of)
		return; /* not due yet */
	s75_date got = received(c, b->id, item, period);
	if (!got)
		breach(c, S75_BREACH_REPORT_MISSING, deadline, b->id,
		       "%s for %s not received; due by %s (%s)", what[item], period, ds(deadline),
		       rule);
	else if (got > deadline)
		breach(c, S75_BREACH_REPORT_LATE, got, b->id,
		       "%s for %s received on %s, due by %s (%s): %d day%s late", what[item],
		       period, ds(got), ds(deadline), rule, (int)(got - deadline),
		       got - deadline == 1 ? "" : "s");
}

/* The day next year's schedules for `fy` were agreed: the agreement's agreed_on, or the
 * earliest decision approving them; 0 if neither. */
static s75_date schedules_agreed(const checker *c, int fy, const char **how)
{
	const s75_year *y = s75_agreement_find_year(c->ag, fy);
	s75_date best = 0;
	char want[24];
	snprintf(want, sizeof(want), "schedules:%s", fys(fy));
	*how = NULL;
	if (y && y->status == S75_YEAR_AGREED && y->has_agreed_on) {
		best = y->agreed_on;
		*how = "the agreement's agreed_on";
	}
	for (size_t i = 0; i < c->ndecisions; i++)
		if (!strcmp(c->decisions[i].approves, want) &&
		    (!best || c->decisions[i].date < best)) {
			best = c->decisions[i].date;
			*how = c->decisions[i].id;
		}
	return best;
}

static void check_receives(checker *c, const s75_gov_body *b, s75_date from, s75_date to)
{
	char rule[96];
	for (size_t k = 0; k < b->nreceives; k++) {
		const s75_gov_duty *d = &b->receives[k];
		switch (d->item) {
		case S75_ITEM_QUARTERLY_REPORT:
			snprintf(rule, sizeof(rule), "within %d days of the quarter's end",
			         d->within_days);
			for (int fy = s75_fy_of_date(from); s75_fy_start(fy) <= to; fy++)
				for (int q = 1; q <= 4; q++) {
					s75_rperiod p = s75_rperiod_quarter(fy, q);
					if (p.end < from || p.end > to)
						continue;
					due(c, b, d->item, p.label, p.end + d->within_days, rule);
				}
			break;
		case S75_ITEM_ANNUAL_RETURN:
			for (int fy = s75_fy_of_date(from); s75_fy_end(fy) <= to; fy++) {
				s75_date e = s75_fy_end(fy), deadline;
				if (e < from)
					continue;
				if (d->within_days >= 0) {
					deadline = e + d->within_days;
					snprintf(rule, sizeof(rule),
					         "within %d days of the year's end",
					         d->within_days);
				} else {
					deadline = md(fy + 1, d->by_month, d->by_day);
					if (deadline <= e)
						deadline = md(fy + 2, d->by_month, d->by_day);
					snprintf(rule, sizeof(rule),
					         "by %02d-%02d after the year's end", d->by_month,
					         d->by_day);
				}
				due(c, b, d->item, fys(fy), deadline, rule);
			}
			break;
		case S75_ITEM_RISK_ASSESSMENT:
			for (int fy = s75_fy_of_date(from); s75_fy_start(fy) <= to; fy++) {
				s75_date deadline;
				if (d->within_days >= 0) {
					deadline = s75_fy_start(fy) + d->within_days;
					snprintf(rule, sizeof(rule),
					         "within %d days of the year's start",
					         d->within_days);
				} else {
					deadline = md(d->by_month >= 4 ? fy : fy + 1, d->by_month,
					              d->by_day);
					snprintf(rule, sizeof(rule), "by %02d-%02d in the year",
					         d->by_month, d->by_day);
				}
				if (deadline < from || deadline > to)
					continue;
				due(c, b, d->item, fys(fy), deadline, rule);
			}
			break;
		case S75_ITEM_SCHEDULES:
			for (int fy = s75_fy_of_date(from) + 1; fy <= s75_fy_of_date(c->as_of) + 1;
			     fy++) {
				s75_date start = s75_fy_start(fy), deadline, end;
				if (d->within_days >= 0) {
					deadline = start - d->within_days;
					snprintf(rule, sizeof(rule),
					         "%d days before the year starts", d->within_days);
				} else {
					bool before_april = d->by_month < 4;
					deadline =
					    md(before_april ? fy : fy - 1, d->by_month, d->by_day);
					snprintf(rule, sizeof(rule),
					         "by %02d-%02d before the year starts", d->by_month,
					         d->by_day);
				}
				/* only years the agreement runs into, with deadlines in the span */
				if (deadline < from || deadline > to || deadline > c->as_of)
					continue;
				if (s75_agreement_end(c->ag, &end) && start > end)
					continue;
				const char *how;
				s75_date got = schedules_agreed(c, fy, &how);
				if (!got)
					breach(c, S75_BREACH_SCHEDULES_LATE, deadline, b->id,
					       "%s schedules not agreed; due by %s (%s)", fys(fy),
					       ds(deadline), rule);
				else if (got > deadline)
					breach(c, S75_BREACH_SCHEDULES_LATE, got, b->id,
					       "%s schedules agreed on %s (%s), due by %s (%s)",
					       fys(fy), ds(got), how, ds(deadline), rule);
			}
			break;
		default:
			break;
		}
	}
}

/* ---- the agreement as a whole ------------------------------------------------------------ */

static void check_schedules(checker *c)
{
	for (int fy = s75_fy_of_date(c->from); s75_fy_start(fy) <= c->to; fy++) {
		const s75_year *y = s75_agreement_find_year(c->ag, fy);
		s75_date start = s75_fy_start(fy);
		const char *how;
		s75_date got = schedules_agreed(c, fy, &how);
		if (start < c->from)
			continue;
		if (!y && !got)
			breach(c, S75_BREACH_SCHEDULES, start, fys(fy),
			       "the agreement has no schedule (contributions) for %s, which began "
			       "on %s",
			       fys(fy), ds(start));
		else if (!got)
			breach(c, S75_BREACH_SCHEDULES, start, fys(fy),
			       "the %s schedule is indicative: the partners have worked on "
			       "indicative figures since %s and it is not agreed",
			       fys(fy), ds(start));
		else if (got > start)
			breach(c, S75_BREACH_SCHEDULES, got, fys(fy),
			       "the %s schedule was agreed on %s (%s), after the year began on %s: "
			       "indicative figures were used until then",
			       fys(fy), ds(got), how, ds(start));
	}
}

static void check_ending(checker *c, int months)
{
	const s75_agreement *ag = c->ag;
	const s75_status *st = c->status;
	s75_date horizon = s75_date_add_months(c->as_of, months);
	const s75_arr_status *a = &st->agreement;
	if (a->has_end && a->ends >= c->as_of && a->ends <= horizon) {
		s75_buf t = S75_BUF_INIT;
		s75_buf_printf(&t, "the agreement ends on %s, within %d months of %s", ds(a->ends),
		               months, ds(c->as_of));
		if (a->notice >= 0) {
			const s75_notice *n = &st->notices[a->notice];
			s75_buf_printf(&t, " (notice %lld served by %s on %s)", (long long)n->id,
			               ag->partners[n->by].id, ds(n->date));
		} else if (ag->nextensions) {
			const s75_extension *e = &ag->extensions[ag->nextensions - 1];
			s75_buf_printf(&t, " (as extended%s%s); no further extension is recorded",
			               e->approved ? " by " : "", e->approved ? e->approved : "");
		} else {
			s75_buf_puts(&t, "; no extension is recorded");
		}
		breach(c, S75_BREACH_ENDING, a->ends, "agreement", "%s", t.ptr);
		s75_buf_release(&t);
	}
	for (size_t i = 0; i < st->narrangements; i++) {
		const s75_arr_status *x = &st->arrangements[i];
		if (!x->has_end || x->ends < c->as_of || x->ends > horizon ||
		    (a->has_end && x->ends == a->ends))
			continue;
		s75_buf t = S75_BUF_INIT;
		s75_buf_printf(&t, "%s '%s' ends on %s, within %d months of %s",
		               s75_arrangement_kind_name(ag->arrangements[i].kind),
		               ag->arrangements[i].id, ds(x->ends), months, ds(c->as_of));
		if (x->notice >= 0) {
			const s75_notice *n = &st->notices[x->notice];
			s75_buf_printf(&t, " (notice %lld served by %s on %s, %s)",
			               (long long)n->id, ag->partners[n->by].id, ds(n->date),
			               s75_grounds_name(n->grounds));
		}
		breach(c, S75_BREACH_ENDING, x->ends, ag->arrangements[i].id, "%s", t.ptr);
		s75_buf_release(&t);
	}
}

static void check_risks(checker *c)
{
	const s75_agreement *ag = c->ag;
	const s75_gov_model *g = s75_agreement_governance(ag);
	bool pools = false;
	for (size_t i = 0; i < ag->narrangements; i++)
		pools |= ag->arrangements[i].kind == S75_ARR_POOLED_FUND;
	if (!g->nrisks && pools)
		breach(c, S75_BREACH_NO_RISK_REGISTER, c->as_of, "agreement",
		       "the agreement has no risk register: an annual risk assessment should cover "
		       "reputation, workforce, claims, financial and risk-share, and performance "
		       "risks, with management actions");
	for (size_t i = 0; i < g->nrisks; i++) {
		const s75_risk *r = &g->risks[i];
		if (!r->id || r->review >= c->as_of)
			continue;
		s75_buf t = S75_BUF_INIT;
		s75_buf_printf(&t, "risk '%s' (%s, score %d", r->id, s75_risk_kind_name(r->kind),
		               r->likelihood * r->impact);
		if (r->owner >= 0)
			s75_buf_printf(&t, ", owner %s %s", ag->partners[r->owner].id,
			               r->owner_role ? r->owner_role : "");
		s75_buf_printf(&t, ") was due for review on %s; ", ds(r->review));
		if (r->has_reviewed)
			s75_buf_printf(&t, "last reviewed on %s", ds(r->reviewed));
		else
			s75_buf_puts(&t, "no review is recorded");
		breach(c, S75_BREACH_RISK_REVIEW, r->review, r->id, "%s", t.ptr);
		s75_buf_release(&t);
	}
}

static void check_variations(checker *c)
{
	size_t nv;
	const s75_variation *v = s75_agreement_variations(c->ag, &nv);
	for (size_t i = 0; i < nv; i++) {
		const s75_variation *x = &v[i];
		if (!x->id || !x->decision || x->effective > c->as_of)
			continue;
		const s75_decision *d = NULL;
		for (size_t k = 0; k < c->ndecisions && !d; k++)
			if (!strcmp(c->decisions[k].id, x->decision))
				d = &c->decisions[k];
		char want[160];
		snprintf(want, sizeof(want), "variation:%s", x->id);
		if (!d)
			breach(c, S75_BREACH_VARIATION_UNAPPROVED, x->effective, x->id,
			       "variation '%s' (effective %s) cites decision '%s', which is not in "
			       "the decisions log",
			       x->id, ds(x->effective), x->decision);
		else if (strcmp(d->approves, want))
			breach(c, S75_BREACH_VARIATION_UNAPPROVED, x->effective, x->id,
			       "variation '%s' (effective %s) cites decision '%s' of %s, which "
			       "approves '%s', not '%s'",
			       x->id, ds(x->effective), d->id, ds(d->date), d->approves, want);
	}
}

static int cmp_breach(const void *a, const void *b)
{
	const s75_breach *x = a, *y = b;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	int s = strcmp(x->subject, y->subject);
	return s ? s : strcmp(x->evidence, y->evidence);
}

/* Care packages whose annual review is overdue, per pool (the register of step 6). */
static int check_reviews(checker *c, s75_db *db)
{
	const s75_agreement *ag = c->ag;
	for (size_t a = 0; a < ag->narrangements; a++) {
		long n = 0;
		int rc;
		if (ag->arrangements[a].kind != S75_ARR_POOLED_FUND)
			continue;
		if ((rc = s75_packages_overdue_reviews(&n, db, ag, (int)a, c->as_of)))
			return rc;
		if (n > 0)
			breach(c, S75_BREACH_REVIEWS_OVERDUE, c->as_of, ag->arrangements[a].id,
			       "%ld care package%s of pool '%s' past the date its review was due (s75 report packages lists them)",
			       n, n == 1 ? "" : "s", ag->arrangements[a].id);
	}
	return 0;
}

/* Breaches of the tolerance not reported in time (alerts.c), in the year to the last period
 * ended by as_of. */
static int check_tolerance(checker *c, s75_db *db)
{
	s75_period p = s75_period_add(s75_period_of_date(c->as_of), -1);
	s75_alerts *al = NULL;
	int rc;
	if (!c->ag->tolerance.present || !s75_agreement_find_year(c->ag, p.fy))
		return 0;
	if ((rc = s75_alerts_build(&al, db, c->ag, p)))
		return rc;
	for (size_t i = 0; i < al->n; i++) {
		const s75_alert *a = &al->items[i];
		const s75_arrangement *pool = &c->ag->arrangements[a->pool];
		char subject[160], pb[16], d[11], r[11];
		if (!s75_alert_overdue(a, c->as_of))
			continue;
		snprintf(subject, sizeof(subject), "%s/%s", pool->id, pool->elements[a->element].id);
		s75_period_format(pb, a->first);
		s75_date_format(d, a->deadline);
		if (a->reported)
			breach(c, S75_BREACH_TOLERANCE_UNREPORTED, a->deadline, subject,
			       "forecast variance beyond tolerance from %s reported on %s, %d working days after it was known: due by %s",
			       pb, s75_date_format(r, a->reported), a->working_days, d);
		else
			breach(c, S75_BREACH_TOLERANCE_UNREPORTED, a->deadline, subject,
			       "forecast variance beyond tolerance from %s not reported to the partners: due by %s (record receipt --item tolerance-report)",
			       pb, d);
	}
	s75_alerts_free(al);
	return 0;
}

/* Instalments of the partners' contributions overdue on as_of (arrears.c), in its year. */
static int check_instalments(checker *c, s75_db *db)
{
	int fy = s75_fy_of_date(c->as_of);
	s75_arrears *a = NULL;
	int rc;
	const s75_year *y = s75_agreement_find_year(c->ag, fy);
	if (!y || (c->ag->instalments == S75_INSTALMENTS_NONE && !y->ninstalments))
		return 0;
	if ((rc = s75_arrears_build(&a, db, c->ag, fy, c->as_of)))
		return rc;
	for (size_t i = 0; i < a->n; i++) {
		const s75_instalment *x = &a->items[i];
		char d[11], fyb[8];
		if (!x->days_late)
			continue;
		s75_buf owed = S75_BUF_INIT;
		s75_money_format(&owed, x->outstanding, S75_UNIT_POUNDS, S75_FMT_SEP | S75_FMT_POUND);
		breach(c, S75_BREACH_CONTRIBUTION_OVERDUE, x->due, c->ag->partners[x->partner].id,
		       "instalment %d of %s due %s: %s outstanding, %d days late (s75 invoice)", x->number,
		       s75_fy_format(fyb, fy), s75_date_format(d, x->due), owed.ptr, x->days_late);
		s75_buf_release(&owed);
	}
	s75_arrears_free(a);
	return 0;
}

int s75_governance_check(s75_breaches **out, s75_db *db, const s75_agreement *ag,
                         const s75_gov_check_options *o)
{
	const s75_gov_model *g = s75_agreement_governance(ag);
	checker c;
	int rc;
	memset(&c, 0, sizeof(c));
	*out = NULL;
	c.ag = ag;
	c.as_of = o->as_of;
	c.b = xcalloc(1, sizeof(*c.b));
	/* the span: from the first year of the agreement (or --from) to as_of or its end */
	s75_date first = 0;
	for (size_t i = 0; i < ag->nyears; i++)
		if (ag->years[i].fy >= 0 && (!first || s75_fy_start(ag->years[i].fy) < first))
			first = s75_fy_start(ag->years[i].fy);
	c.from = first ? max_d(ag->start, first) : ag->start;
	if (o->has_from)
		c.from = max_d(o->from, ag->start);
	if ((rc = s75_status_build(&c.status, db, ag, o->as_of)) ||
	    (rc = s75_meetings_list(&c.meetings, &c.nmeetings, db, ag, NULL)) ||
	    (rc = s75_receipts_list(&c.receipts, &c.nreceipts, db, NULL)) ||
	    (rc = s75_decisions_list(&c.decisions, &c.ndecisions, db)))
		goto done;
	c.to = c.as_of;
	if (c.status->agreement.has_end)
		c.to = min_d(c.to, c.status->agreement.ends);
	c.b->as_of = c.as_of;
	c.b->from = c.from;
	for (size_t i = 0; i < g->nbodies && c.from <= c.to; i++) {
		const s75_gov_body *b = &g->bodies[i];
		if (!b->id)
			continue;
		s75_date from = b->has_from ? max_d(c.from, b->from) : c.from;
		s75_date to = b->has_to ? min_d(c.to, b->to) : c.to;
		/* a body of pools that have all ended stops with the last of them */
		if (b->npools) {
			s75_date last = 0;
			bool open = false;
			for (size_t k = 0; k < b->npools; k++) {
				const s75_arr_status *x = &c.status->arrangements[b->pools[k]];
				if (!x->has_end)
					open = true;
				else
					last = max_d(last, x->ends);
			}
			if (!open)
				to = min_d(to, last);
		}
		if (from > to)
			continue;
		if (b->every_months)
			check_frequency(&c, b, from, to);
		if (b->public_meetings)
			check_public(&c, b, from, to);
		check_quorum(&c, b, from, to);
		check_receives(&c, b, from, to);
	}
	if (c.from <= c.to)
		check_schedules(&c);
	check_ending(&c,
	             o->end_warning_months >= 0 ? o->end_warning_months : g->end_warning_months);
	check_risks(&c);
	check_variations(&c);
	if ((rc = check_reviews(&c, db)))
		goto done;
	/* conflicts of interest (interests.c) */
	{
		gov_interest_breach *ib = NULL;
		size_t nib = 0;
		if ((rc = gov_interest_breaches(&ib, &nib, db, c.from, c.as_of)))
			goto done;
		for (size_t i = 0; i < nib; i++)
			breach(&c, S75_BREACH_INTEREST_UNDECLARED, ib[i].date, ib[i].decision, "%s",
			       ib[i].evidence);
		gov_interest_breaches_free(ib, nib);
	}
	if (db && (rc = check_tolerance(&c, db)))
		goto done;
	if (db && (rc = check_instalments(&c, db)))
		goto done;
	if (c.b->n)
		qsort(c.b->items, c.b->n, sizeof(*c.b->items), cmp_breach);
done:
	s75_status_free(c.status);
	s75_meetings_free(c.meetings, c.nmeetings);
	s75_receipts_free(c.receipts, c.nreceipts);
	s75_decisions_free(c.decisions, c.ndecisions);
	if (rc) {
		s75_breaches_free(c.b);
		return rc;
	}
	*out = c.b;
	return 0;
}

void s75_breaches_free(s75_breaches *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++) {
		free(b->items[i].subject);
		free(b->items[i].evidence);
	}
	free(b->items);
	free(b);
}
