/* Private to the agreement loader and its parts (agreement.c, lookup.c, profile.c,
 * riskshare_load.c, governance_load.c). */
#ifndef S75_LOADER_H
#define S75_LOADER_H

#include "s75/agreement.h"
#include "yamlnode.h"

typedef struct loader {
	ynctx y;
	s75_agreement *ag;
	bool partner_kinds_unknown; /* a kind was invalid: skip the NHS/LA warning */
} loader;

/* The names of the enumerations, in enum order, NULL-terminated (lookup.c). */
extern const char *const partner_kinds[];
extern const char *const arrangement_kinds[];
extern const char *const legal_bases[];
extern const char *const year_statuses[];

/* A partner id at node `n`: its index, or -1 after reporting it unknown. */
int partner_ref_text(loader *l, struct fy_node *n, const char *id);
/* A partner reference held in `key` of `map`: its index, or -1 (reported if bad). */
int partner_ref(loader *l, struct fy_node *map, const char *key, bool required, const char *what);
/* The path of a file the agreement names at `v`, relative to its folder, in `path`;
 * false (reported) if it is absolute, climbs out with '..' or is not a regular file. */
bool named_file(loader *l, struct fy_node *v, const s75_agreement *ag, const char *name,
		s75_buf *path);
/* The import_profiles section. */
void load_profiles(loader *l, struct fy_node *seq);
/* Errors for contributions that cannot be added up (per pool, partner, pool and partner,
 * year) within the largest amount s75 holds (profile.c). */
void check_contribution_sums(const s75_agreement *ag, s75_diags *diags);
/* A year's risk_share and savings sections. */
void load_risk_share(loader *l, s75_year *y, struct fy_node *m);
void load_savings(loader *l, s75_year *y, struct fy_node *seq);
/* A pooled fund's id at node `n`: its index, or -1 after reporting it. */
int pool_ref_text(loader *l, struct fy_node *n, const char *id);
int element_ref_text(loader *l, struct fy_node *n, int pool, const char *id);
/* The kpis, governance, risks and variations sections (governance_load.c); call after the years. */
void load_governance_sections(loader *l, struct fy_node *root);

#endif
