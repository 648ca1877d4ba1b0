/* The budget in force: a cost centre's original budget (the agreement's) as the revisions
 * recorded in the workspace change it from their first period on (store/budget_revisions.c). */
#include <string.h>

#include "s75/budgets.h"
#include "s75/error.h"
#include "s75/ledger.h"

static const char *const version_names[] = {"original", "revised", "latest"};

const char *s75_budget_version_name(s75_budget_version v)
{
	return (unsigned)v < 3 ? version_names[v] : "?";
}

int s75_budget_version_parse(s75_budget_version *out, const char *s)
{
	for (int i = 0; i < 3; i++)
		if (!strcmp(s, version_names[i])) {
			*out = (s75_budget_version)i;
			return 0;
		}
	return s75_error_set(S75_EINVALID, "unknown budget version '%s' (expected original, revised or latest)", s);
}

__extension__ typedef __int128 i128;

size_t s75_budget_versions_in_force(const s75_budget_versions *v, int p)
{
	size_t n = 0;
	for (size_t i = 0; v && i < v->nrevisions; i++)
		n += v->revisions[i].from <= p && v->revisions[i].from <= v->upto;
	return n;
}

int64_t s75_budget_annual(const s75_budget_versions *v, const s75_year *y, int cc, int p)
{
	const s75_budget *b = y ? s75_year_find_budget(y, cc) : NULL;
	int64_t amount = b ? b->amount : 0;
	if (!v || cc < 0 || (size_t)cc >= v->ncost_centres)
		return amount;
	for (long l = v->first_line[cc]; l >= 0; l = v->lines[l].next)
		if (v->revisions[v->lines[l].revision].from <= p &&
		    v->revisions[v->lines[l].revision].from <= v->upto)
			amount = v->lines[l].amount;
	return amount;
}

/* The original's profile (ledger.h): its cumulative figure to P, to the nearest penny. */
int64_t s75_budget_to_date(const s75_budget *b, int p)
{
	i128 w = 0, wp = 0;
	if (!b || p <= 0)
		return 0;
	if (p > 12)
		p = 12;
	for (int i = 0; i < 12; i++) {
		w += b->weights[i];
		if (i < p)
			wp += b->weights[i];
	}
	if (w <= 0)
		return 0; /* weights are checked at load: not reached */
	/* amount * wp / w to the nearest penny, halves away from zero; |amount * wp| < 2^127 */
	i128 n = (i128)b->amount * wp;
	i128 q = n / w, r = n % w;
	if (r * 2 >= w)
		q++;
	else if (r * 2 <= -w)
		q--;
	return (int64_t)q; /* between 0 and amount */
}

/* n / d to the nearest whole number, halves away from zero; d > 0 */
static i128 div_round(i128 n, i128 d)
{
	i128 q = n / d, r = n % d;
	if (r * 2 >= d)
		q++;
	else if (r * 2 <= -d)
		q--;
	return q;
}

int64_t s75_budget_version_to_date(const s75_budget_versions *v, const s75_year *y, int cc, int p)
{
	const s75_budget *b = y ? s75_year_find_budget(y, cc) : NULL;
	int64_t base = s75_budget_to_date(b, p);
	if (!v || cc < 0 || (size_t)cc >= v->ncost_centres || v->first_line[cc] < 0 || p <= 0)
		return base;
	if (p > 12)
		p = 12;
	i128 sum = base;
	for (long l = v->first_line[cc]; l >= 0; l = v->lines[l].next) {
		const s75_budget_revision_line *x = &v->lines[l];
		int from = v->revisions[x->revision].from;
		if (from > p || from > v->upto)
			continue; /* not in force yet: the periods before it stay as they were */
		i128 all = 0, upto = 0;
		for (int i = from; i <= 12; i++) {
			int64_t w = b ? b->weights[i - 1] : 1;
			all += w;
			if (i <= p)
				upto += w;
		}
		if (all <= 0) { /* the original put nothing in these months: spread it evenly */
			all = 13 - from;
			upto = p - from + 1;
		}
		sum += div_round(((i128)x->amount - x->previous) * upto, all);
	}
	if (sum > INT64_MAX)
		return INT64_MAX;
	if (sum < INT64_MIN)
		return INT64_MIN;
	return (int64_t)sum;
}
