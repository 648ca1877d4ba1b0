/* The statutory contents of a pooled-fund agreement (SI 2000/617; DOMAIN.md): what the
 * written agreement must specify, checked per pooled fund. */
#include "s75/agreement.h"

typedef struct item {
	char letter;
	const char *what;
} item;

static const item items[] = {
	{'a', "the agreed aims and outcomes ('aims' and 'outcomes')"},
	{'b', "each partner's contribution and how it may be varied (a year's 'contributions' and 'agreement.contributions_varied_by')"},
	{'c', "the NHS functions and health-related functions covered ('nhs_functions' and 'health_related_functions')"},
	{'d', "the persons and services covered ('persons' and 'services')"},
	{'e', "the staff, goods, services or accommodation the partners provide ('resources')"},
	{'f', "the duration and provision for review, variation and termination ('agreement.review', 'agreement.variation' and 'notice')"},
	{'g', "how the pool is managed and monitored, with a host partner and pool manager ('governance', 'agreement.host_partner', 'agreement.pool_manager')"},
};

static bool has_contributions(const s75_agreement *ag, int pool)
{
	for (size_t y = 0; y < ag->nyears; y++)
		for (size_t i = 0; i < ag->years[y].ncontributions; i++)
			if (ag->years[y].contributions[i].pool == pool)
				return true;
	return false;
}

static bool present(const s75_agreement *ag, const s75_arrangement *a, int pool, char letter)
{
	switch (letter) {
	case 'a':
		return a->aims.n && a->outcomes.n;
	case 'b':
		return has_contributions(ag, pool) && ag->contributions_varied_by &&
		       *ag->contributions_varied_by;
	case 'c':
		return a->nhs_functions.n && a->health_related_functions.n;
	case 'd':
		return a->persons && *a->persons && a->services.n;
	case 'e':
		return a->nresources > 0;
	case 'f':
		return ag->review && *ag->review && ag->variation && *ag->variation &&
		       ag->notice.present && ag->notice.general_months >= 0;
	case 'g':
		return a->governance && *a->governance && (a->host >= 0 || ag->host >= 0) &&
		       ag->pool_manager_partner >= 0;
	}
	return false;
}

void s75_agreement_check_statutory(const s75_agreement *ag, s75_diags *diags, size_t *npresent,
				   size_t *nexpected)
{
	*npresent = *nexpected = 0;
	for (size_t i = 0; i < ag->narrangements; i++) {
		const s75_arrangement *a = &ag->arrangements[i];
		if (a->kind != S75_ARR_POOLED_FUND)
			continue;
		for (size_t k = 0; k < sizeof(items) / sizeof(items[0]); k++) {
			(*nexpected)++;
			if (present(ag, a, (int)i, items[k].letter)) {
				(*npresent)++;
				continue;
			}
			s75_diags_add(diags, S75_DIAG_WARNING, ag->path, a->pos,
				      "pool '%s' does not state (%c) %s", a->id ? a->id : "?",
				      items[k].letter, items[k].what);
		}
	}
	/* agreements the Audit Commission found unsigned */
	if (!ag->has_signed) {
		s75_pos p = {0, 0};
		s75_diags_add(diags, S75_DIAG_WARNING, ag->path, p,
			      "the agreement is not recorded as signed ('agreement.signed')");
	}
	s75_diags_sort(diags);
}
