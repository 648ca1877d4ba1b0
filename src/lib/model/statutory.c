/* The statutory contents of a pooled-fund agreement (SI 2000/617; DOMAIN.md): what the
 * written agreement must specify, checked per pooled fund. */
#include "s75/agreement.h"

typedef struct item {
	char letter;
	const char *what;
} item;

static const item items[] = {
	{'a', "the agreed aims and outcomes"},
	{'b', "each partner's contribution and how it may be varied"},
	{'c', "the NHS functions and health-related functions covered"},
	{'d', "the persons and services covered"},
	{'e', "the staff, goods, services or accommodation the partners provide"},
	{'f', "the duration and provision for review, variation and termination"},
	{'g', "how the pool is managed and monitored, with a host partner and pool manager"},
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

/* Names the keys of item `letter` that are missing. */
static void missing_parts(const s75_agreement *ag, const s75_arrangement *a, int pool, char letter,
			  s75_buf *out)
{
	const char *names[6];
	bool miss[6];
	size_t n = 0;
#define PART(name, cond)                                                                       \
	do {                                                                                   \
		names[n] = (name);                                                             \
		miss[n++] = !(cond);                                                           \
	} while (0)
	switch (letter) {
	case 'a':
		PART("aims", a->aims.n);
		PART("outcomes", a->outcomes.n);
		break;
	case 'b':
		PART("contributions", has_contributions(ag, pool));
		PART("contributions_varied_by", ag->contributions_varied_by && *ag->contributions_varied_by);
		break;
	case 'c':
		PART("nhs_functions", a->nhs_functions.n);
		PART("health_related_functions", a->health_related_functions.n);
		break;
	case 'd':
		PART("persons", a->persons && *a->persons);
		PART("services", a->services.n);
		break;
	case 'e':
		PART("resources", a->nresources);
		break;
	case 'f':
		PART("review", ag->review && *ag->review);
		PART("variation", ag->variation && *ag->variation);
		PART("notice", ag->notice.present && ag->notice.general_months >= 0);
		break;
	case 'g':
		PART("governance", a->governance && *a->governance);
		PART("host_partner", a->host >= 0 || ag->host >= 0);
		PART("pool_manager", ag->pool_manager_partner >= 0);
		break;
	}
#undef PART
	for (size_t i = 0; i < n; i++)
		if (miss[i])
			s75_buf_printf(out, "%s'%s'", out->len ? ", " : "", names[i]);
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
			s75_buf missing = S75_BUF_INIT;
			missing_parts(ag, a, (int)i, items[k].letter, &missing);
			s75_diags_add(diags, S75_DIAG_WARNING, ag->path, a->pos,
				      "pool '%s' does not state (%c) %s; missing: %s",
				      a->id ? a->id : "?", items[k].letter, items[k].what, missing.ptr);
			s75_buf_release(&missing);
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
