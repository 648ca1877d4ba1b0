/* Finding things in a loaded agreement: partners, arrangements, elements, cost centres,
 * budgets and years by id, the names of its enumerations, and (for the loaders in
 * agreement.c, profile.c, riskshare_load.c and governance_load.c) references by id that
 * report the ids known when one is not. Below every loader, so none of them calls another
 * to resolve a reference. */
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "s75/error.h"
#include "s75/agreement.h"
#include "strmap.h"
#include "xalloc.h"

const char *const partner_kinds[] = {"local-authority", "nhs-body", "other", NULL};
const char *const arrangement_kinds[] = {"pooled-fund", "lead-commissioning",
						"integrated-provision", NULL};
const char *const legal_bases[] = {"s75", "s31", "s76", "s256", "s65z5", NULL};
const char *const year_statuses[] = {"indicative", "agreed", NULL};

const char *s75_partner_kind_name(s75_partner_kind k)
{
	return partner_kinds[k];
}

const char *s75_arrangement_kind_name(s75_arrangement_kind k)
{
	return arrangement_kinds[k];
}

const char *s75_legal_basis_name(s75_legal_basis b)
{
	return legal_bases[b];
}

int s75_agreement_find_partner(const s75_agreement *ag, const char *id)
{
	for (size_t i = 0; i < ag->npartners; i++)
		if (ag->partners[i].id && !strcmp(ag->partners[i].id, id))
			return (int)i;
	return -1;
}

const char *s75_agreement_partner_name(const s75_agreement *ag, const char *id)
{
	int i = ag ? s75_agreement_find_partner(ag, id) : -1;
	return i >= 0 && ag->partners[i].name ? ag->partners[i].name : id;
}

int s75_agreement_find_arrangement(const s75_agreement *ag, const char *id)
{
	for (size_t i = 0; i < ag->narrangements; i++)
		if (ag->arrangements[i].id && !strcmp(ag->arrangements[i].id, id))
			return (int)i;
	return -1;
}

int s75_arrangement_find_element(const s75_arrangement *a, const char *id)
{
	for (size_t i = 0; i < a->nelements; i++)
		if (a->elements[i].id && !strcmp(a->elements[i].id, id))
			return (int)i;
	return -1;
}

int s75_agreement_find_cost_centre(const s75_agreement *ag, const char *code, size_t len)
{
	return ag->cc_index ? s75_strmap_get(ag->cc_index, code, len) : -1;
}

const s75_budget *s75_year_find_budget(const s75_year *y, int cc)
{
	if (y && y->budget_index)
		return y->budget_index[cc] >= 0 ? &y->budgets[y->budget_index[cc]] : NULL;
	for (size_t i = 0; y && i < y->nbudgets; i++)
		if (y->budgets[i].cost_centre == cc)
			return &y->budgets[i];
	return NULL;
}

const s75_year *s75_agreement_find_year(const s75_agreement *ag, int fy)
{
	for (size_t i = 0; i < ag->nyears; i++)
		if (ag->years[i].fy == fy)
			return &ag->years[i];
	return NULL;
}

void s75_pool_partners(bool *out, const s75_agreement *ag, int pool, int fy)
{
	for (size_t p = 0; p < ag->npartners; p++)
		out[p] = false;
	for (size_t y = 0; y < ag->nyears; y++)
		if (fy < 0 || ag->years[y].fy == fy)
			for (size_t c = 0; c < ag->years[y].ncontributions; c++)
				if (ag->years[y].contributions[c].pool == pool)
					out[ag->years[y].contributions[c].partner] = true;
}

/* "70:30" over the pool's partners in agreement order -> basis points per partner. */
int s75_split_parse(int64_t *bp, const s75_agreement *ag, const bool *in_pool, const char *text)
{
	size_t np = ag->npartners, k = 0, want = 0;
	const char *p = text;
	int64_t sum = 0;
	for (size_t i = 0; i < np; i++)
		want += in_pool[i];
	memset(bp, 0, np * sizeof(int64_t));
	for (size_t i = 0; i < np; i++) {
		if (!in_pool[i])
			continue;
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		int64_t v;
		if (s75_money_parse(&v, p, len, S75_UNIT_POUNDS, 0) || v < 0) {
			return s75_error_set(S75_EINVALID,
					     "'%s' is not a split like 70:30 (percentages with at most two decimals)",
					     text);
		}
		bp[i] = v;
		sum += v;
		k++;
		if (!end) {
			p = NULL;
			break;
		}
		p = end + 1;
	}
	if (k != want || p) { /* fewer, or more, percentages than partners */
		return s75_error_set(S75_EINVALID,
				     "'%s' needs %zu percentages, one per partner of the pool in agreement order",
				     text, want);
	}
	if (sum != 10000) {
		return s75_error_set(S75_EINVALID, "'%s' adds up to %lld.%02lld, not 100", text,
				     (long long)(sum / 100), (long long)(sum % 100));
	}
	return 0;
}

/* Reports a reference to an id that does not exist, listing those that do. */
static void unknown_ref(loader *l, struct fy_node *n, const char *kind, const char *id,
			const char *const *known, size_t nknown)
{
	s75_buf b = S75_BUF_INIT;
	for (size_t i = 0; i < nknown; i++)
		if (known[i])
			s75_buf_printf(&b, "%s%s", b.len ? ", " : "", known[i]);
	yn_error(&l->y, n, "unknown %s '%s' (known: %s)", kind, id, b.len ? b.ptr : "none");
	s75_buf_release(&b);
}

int partner_ref_text(loader *l, struct fy_node *n, const char *id)
{
	s75_agreement *ag = l->ag;
	int i = s75_agreement_find_partner(ag, id);
	if (i < 0 && ag->npartners == 0)
		return -1; /* the partners did not load: one error was enough */
	if (i < 0) {
		const char **ids = xcalloc(ag->npartners + 1, sizeof(char *));
		for (size_t k = 0; k < ag->npartners; k++)
			ids[k] = ag->partners[k].id;
		unknown_ref(l, n, "partner", id, ids, ag->npartners);
		free(ids);
	}
	return i;
}

int partner_ref(loader *l, struct fy_node *map, const char *key, bool required,
		       const char *what)
{
	struct fy_node *v = yn_get(&l->y, map, key, required, what);
	const char *id = v ? yn_str(&l->y, v, what) : NULL;
	return id ? partner_ref_text(l, v, id) : -1;
}

/* The id list of a partner set, a pool set or a pool's elements, for messages. */
static void arrangement_ids(const s75_agreement *ag, const char ***out, size_t *n)
{
	*out = xcalloc(ag->narrangements + 1, sizeof(char *));
	*n = 0;
	for (size_t i = 0; i < ag->narrangements; i++)
		if (ag->arrangements[i].kind == S75_ARR_POOLED_FUND)
			(*out)[(*n)++] = ag->arrangements[i].id;
}

int pool_ref_text(loader *l, struct fy_node *n, const char *id)
{
	s75_agreement *ag = l->ag;
	int i = s75_agreement_find_arrangement(ag, id);
	if (i >= 0 && ag->arrangements[i].kind == S75_ARR_POOLED_FUND)
		return i;
	if (i >= 0) {
		yn_error(&l->y, n, "'%s' is %s, not a pooled fund", id,
			 arrangement_kinds[ag->arrangements[i].kind]);
		return -1;
	}
	const char **ids;
	size_t nids;
	arrangement_ids(ag, &ids, &nids);
	unknown_ref(l, n, "pool", id, ids, nids);
	free(ids);
	return -1;
}

int element_ref_text(loader *l, struct fy_node *n, int pool, const char *id)
{
	const s75_arrangement *a = &l->ag->arrangements[pool];
	int i = s75_arrangement_find_element(a, id);
	if (i < 0) {
		const char **ids = xcalloc(a->nelements + 1, sizeof(char *));
		for (size_t k = 0; k < a->nelements; k++)
			ids[k] = a->elements[k].id;
		s75_buf known = S75_BUF_INIT;
		for (size_t k = 0; k < a->nelements; k++)
			if (ids[k])
				s75_buf_printf(&known, "%s%s", known.len ? ", " : "", ids[k]);
		yn_error(&l->y, n, "unknown element '%s' of pool '%s' (known: %s)", id, a->id,
			 known.len ? known.ptr : "none");
		s75_buf_release(&known);
		free(ids);
	}
	return i;
}
