/* Instalments and arrears: each paying partner's net contribution split into the agreement's
 * instalments (s75_alloc_split: they sum to the contribution), payments set against them
 * oldest first, and what is overdue on a day. */
#include <stdlib.h>
#include <string.h>

#include "s75/alloc.h"
#include "s75/arrears.h"
#include "s75/contrib.h"
#include "s75/error.h"
#include "xalloc.h"

/* The day instalment k (1..n) of year fy falls due. */
static s75_date due_day(s75_instalments kind, int fy, int k)
{
	bool monthly = kind == S75_INSTALMENTS_MONTHLY_ADVANCE || kind == S75_INSTALMENTS_MONTHLY_ARREARS;
	bool advance = kind == S75_INSTALMENTS_QUARTERLY_ADVANCE || kind == S75_INSTALMENTS_MONTHLY_ADVANCE;
	int months = monthly ? 1 : 3;
	s75_date start = s75_date_add_months(s75_fy_start(fy), (k - 1) * months);
	return advance ? start : s75_date_add_months(start, months) - 1;
}

int s75_arrears_build(s75_arrears **out, s75_db *db, const s75_agreement *ag, int fy, s75_date as_of)
{
	s75_contrib_schedule *s = NULL;
	s75_contribution_payment *p = NULL;
	size_t np = 0, alloc = 0;
	char fyb[8];
	int rc;
	*out = NULL;
	const s75_year *y = s75_agreement_find_year(ag, fy);
	if (ag->instalments == S75_INSTALMENTS_NONE && !(y && y->ninstalments))
		return s75_error_set(S75_EINVALID, "the agreement states no instalments ('instalments: quarterly-in-advance' and the like, or a year's dates and amounts)");
	if ((rc = s75_contrib_schedule_build(&s, ag, fy)))
		return rc == S75_ENOTFOUND ? s75_error_set(S75_EINVALID, "the agreement has no year %s", s75_fy_format(fyb, fy)) : rc;
	if ((rc = s75_payments_list(&p, &np, db))) {
		s75_contrib_schedule_free(s);
		return rc;
	}
	s75_arrears *a = xcalloc(1, sizeof(*a));
	a->fy = fy;
	a->as_of = as_of;
	a->unallocated = xcalloc(ag->npartners + 1, sizeof(int64_t));
	a->mismatch = xcalloc(ag->npartners + 1, sizeof(int64_t));
	int n = ag->instalments == S75_INSTALMENTS_QUARTERLY_ADVANCE || ag->instalments == S75_INSTALMENTS_QUARTERLY_ARREARS ? 4 : 12;
	int64_t ones[12] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, parts[12];
	for (size_t pi = 0; pi < ag->npartners; pi++) {
		int64_t net = s->by_partner[pi].net;
		/* the year's own dates and amounts for this partner, if it states them */
		const s75_instalment_due *dated = NULL;
		int nd = 0;
		for (size_t k = 0; y && k < y->ninstalments; k++)
			if (y->instalments[k].partner == (int)pi) {
				if (!dated)
					dated = &y->instalments[k];
				nd++;
			}
		if ((int)pi == ag->host || (net <= 0 && !dated) ||
		    (!dated && ag->instalments == S75_INSTALMENTS_NONE))
			continue;
		if (dated) {
			int64_t sum = 0;
			for (int k = 0; k < nd; k++)
				if (__builtin_add_overflow(sum, dated[k].amount, &sum)) {
					rc = s75_error_set(S75_EOVERFLOW, "the instalments of '%s' are out of range", ag->partners[pi].id);
					goto fail;
				}
			if (sum != net)
				a->mismatch[pi] = sum - net;
		} else if ((rc = s75_alloc_split(parts, net, ones, (size_t)n)))
			goto fail;
		/* what the partner paid for the year by as_of, set against the oldest first */
		int64_t paid = 0;
		for (size_t j = 0; j < np; j++)
			if (p[j].fy == fy && p[j].date <= as_of && !strcmp(p[j].partner, ag->partners[pi].id) &&
			    __builtin_add_overflow(paid, p[j].amount, &paid)) {
				rc = s75_error_set(S75_EOVERFLOW, "the payments of '%s' are out of range", ag->partners[pi].id);
				goto fail;
			}
		for (int k = 1; k <= (dated ? nd : n); k++) {
			ALLOC_GROW(a->items, a->n + 1, alloc);
			s75_instalment *x = &a->items[a->n++];
			x->partner = (int)pi;
			x->number = k;
			x->due = dated ? dated[k - 1].due : due_day(ag->instalments, fy, k);
			x->amount = dated ? dated[k - 1].amount : parts[k - 1];
			x->received = paid < x->amount ? paid : x->amount;
			paid -= x->received;
			x->outstanding = x->amount - x->received;
			x->days_late = x->outstanding > 0 && x->due < as_of ? (int)(as_of - x->due) : 0;
		}
		a->unallocated[pi] = paid;
	}
	s75_contrib_schedule_free(s);
	s75_payments_free(p, np);
	*out = a;
	return 0;
fail:
	s75_contrib_schedule_free(s);
	s75_payments_free(p, np);
	s75_arrears_free(a);
	return rc;
}

void s75_arrears_free(s75_arrears *a)
{
	if (!a)
		return;
	free(a->items);
	free(a->unallocated);
	free(a->mismatch);
	free(a);
}
