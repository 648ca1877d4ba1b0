/* Which partners take part in which pooled fund: what the dashboard's roles are scoped by. */
#include "s75/agreement.h"

bool s75_agreement_partner_in_pool(const s75_agreement *ag, int partner, int pool)
{
	if (partner < 0 || pool < 0 || (size_t)partner >= ag->npartners ||
	    (size_t)pool >= ag->narrangements)
		return false;
	const s75_arrangement *a = &ag->arrangements[pool];
	int host = a->host >= 0 ? a->host : ag->host;
	if (host == partner || a->lead == partner)
		return true;
	for (size_t e = 0; e < a->nelements; e++)
		if (a->elements[e].lead == partner)
			return true;
	for (size_t y = 0; y < ag->nyears; y++)
		for (size_t c = 0; c < ag->years[y].ncontributions; c++) {
			const s75_contribution *k = &ag->years[y].contributions[c];
			if (k->pool == pool && k->partner == partner)
				return true;
		}
	for (size_t c = 0; c < ag->ncost_centres; c++)
		if (ag->cost_centres[c].pool == pool && ag->cost_centres[c].partner == partner)
			return true;
	return false;
}
