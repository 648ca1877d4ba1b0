/* Loading and validating the agreement file (docs/agreement-format.md). */
#include <errno.h>
#include <fcntl.h>
#include <libfyaml.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "s75/text.h"
#include "loader.h"
#include "sha256.h"
#include "s75/agreement.h"
#include "s75/csv.h"
#include "s75/error.h"
#include "strmap.h"
#include "xalloc.h"
#include "yamlnode.h"

static void load_partners(loader *l, struct fy_node *seq, s75_pos at)
{
	static const char *const keys[] = {"id", "name", "kind", NULL};
	s75_agreement *ag = l->ag;
	int n = fy_node_sequence_item_count(seq);
	void *it = NULL;
	struct fy_node *item;

	ag->partners = s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1), sizeof(s75_partner));
	while ((item = fy_node_sequence_iterate(seq, &it))) {
		if (!yn_is_map(&l->y, item, "a partner"))
			continue;
		yn_check_keys(&l->y, item, keys, "a partner");
		s75_partner *p = &ag->partners[ag->npartners];
		int kind = -1;
		p->pos = yn_pos(item);
		p->id = yn_get_id(&l->y, item, "id", true, "partner");
		p->name = yn_get_str(&l->y, item, "name", true, "partner");
		yn_get_enum(&l->y, item, "kind", true, "partner", partner_kinds, &kind);
		p->kind = kind < 0 ? S75_PARTNER_OTHER : (s75_partner_kind)kind;
		if (kind < 0)
			l->partner_kinds_unknown = true;
		if (p->id && s75_agreement_find_partner(ag, p->id) >= 0) {
			yn_error(&l->y, yn_get(&l->y, item, "id", false, ""),
				 "duplicate partner id '%s'", p->id);
			p->id = NULL;
		}
		ag->npartners++;
	}
	if (ag->npartners == 0)
		s75_diags_add(l->y.diags, S75_DIAG_ERROR, l->y.file, at,
			      "an agreement needs at least two partners");
}

static void load_basis(loader *l, struct fy_node *n, s75_basis *b)
{
	static const char *const keys[] = {"source", "income", "overheads", "note", NULL};
	static const char *const sources[] = {"budget", "outturn", NULL};
	static const char *const incomes[] = {"gross", "net", NULL};
	static const char *const ovh[] = {"included", "excluded", NULL};
	int v;
	if (!yn_is_map(&l->y, n, "a contribution basis"))
		return;
	yn_check_keys(&l->y, n, keys, "a contribution basis");
	b->set = true;
	if (yn_get_enum(&l->y, n, "source", false, "basis", sources, &v))
		b->source = (s75_basis_source)(v + 1);
	if (yn_get_enum(&l->y, n, "income", false, "basis", incomes, &v))
		b->income = (s75_basis_income)(v + 1);
	if (yn_get_enum(&l->y, n, "overheads", false, "basis", ovh, &v))
		b->overheads = (s75_basis_overheads)(v + 1);
	b->note = yn_get_str(&l->y, n, "note", false, "basis");
}

static void load_agreement_section(loader *l, struct fy_node *m)
{
	static const char *const keys[] = {"id",		  "title",	 "legal_basis",
					   "start",		  "end",	 "extensions",
					   "signed",		  "host_partner", "pool_manager",
					   "review",		  "variation",	 "contributions_varied_by",
					   "forecast_stale_after", "reporting_unit",
					   "forecast_tolerance", NULL};
	static const char *const pm_keys[] = {"role", "partner", NULL};
	s75_agreement *ag = l->ag;
	struct fy_node *v;
	int lb = S75_BASIS_S75;

	yn_check_keys(&l->y, m, keys, "agreement");
	ag->id = yn_get_id(&l->y, m, "id", true, "agreement");
	ag->title = yn_get_str(&l->y, m, "title", true, "agreement");
	yn_get_enum(&l->y, m, "legal_basis", false, "agreement", legal_bases, &lb);
	ag->legal_basis = (s75_legal_basis)lb;
	bool has_start = yn_get_date(&l->y, m, "start", true, "agreement", &ag->start);
	ag->has_end = yn_get_date(&l->y, m, "end", false, "agreement", &ag->end);
	if (has_start && ag->has_end && ag->end < ag->start)
		yn_error(&l->y, yn_get(&l->y, m, "end", false, ""),
			 "agreement 'end' is before its 'start'");
	ag->has_signed = yn_get_date(&l->y, m, "signed", false, "agreement", &ag->signed_on);
	ag->host = partner_ref(l, m, "host_partner", true, "agreement");
	ag->pool_manager_partner = -1;
	if ((v = yn_get(&l->y, m, "pool_manager", true, "agreement")) &&
	    yn_is_map(&l->y, v, "pool_manager")) {
		yn_check_keys(&l->y, v, pm_keys, "pool_manager");
		ag->pool_manager_role = yn_get_str(&l->y, v, "role", true, "pool_manager");
		ag->pool_manager_partner = partner_ref(l, v, "partner", true, "pool_manager");
		if (ag->pool_manager_partner >= 0 && ag->host >= 0 &&
		    ag->pool_manager_partner != ag->host)
			yn_warning(&l->y, yn_get(&l->y, v, "partner", false, ""),
				   "the pool manager is an officer of '%s', not of the host partner '%s'",
				   ag->partners[ag->pool_manager_partner].id,
				   ag->partners[ag->host].id);
	}
	ag->review = yn_get_str(&l->y, m, "review", false, "agreement");
	ag->variation = yn_get_str(&l->y, m, "variation", false, "agreement");
	ag->contributions_varied_by =
		yn_get_str(&l->y, m, "contributions_varied_by", false, "agreement");
	if (!yn_get_int(&l->y, m, "forecast_stale_after", "agreement", 0, 11,
			&ag->forecast_stale_after))
		ag->forecast_stale_after = 2;
	ag->forecast_tolerance_bp = S75_FORECAST_TOLERANCE_DEFAULT_BP;
	if ((v = yn_get(&l->y, m, "forecast_tolerance", false, "agreement"))) {
		const char *t = yn_str(&l->y, v, "forecast_tolerance");
		size_t tl = t ? strlen(t) : 0;
		int64_t bp;
		if (tl && t[tl - 1] == '%')
			tl--;
		if (t && (s75_money_parse(&bp, t, tl, S75_UNIT_POUNDS, 0) || bp < 0 || bp > 10000))
			yn_error(&l->y, v, "forecast_tolerance: '%s' is not a percentage of the budget "
					   "from 0 to 100 with at most two decimals (e.g. 1%% or 0.5%%)", t);
		else if (t) {
			ag->forecast_tolerance_bp = bp;
			ag->has_forecast_tolerance = true;
		}
	}
	if ((v = yn_get(&l->y, m, "reporting_unit", false, "agreement"))) {
		const char *u = yn_str(&l->y, v, "reporting_unit");
		if (u && s75_unit_parse(&ag->reporting_unit, u))
			yn_error(&l->y, v, "reporting_unit: %s", s75_error_last());
		else if (u)
			ag->has_reporting_unit = true;
	}
	if ((v = yn_get(&l->y, m, "extensions", false, "agreement")) &&
	    yn_is_seq(&l->y, v, "extensions")) {
		static const char *const ekeys[] = {"to", "approved", NULL};
		int n = fy_node_sequence_item_count(v);
		void *it = NULL;
		struct fy_node *item;
		s75_date prev = ag->has_end ? ag->end : ag->start;
		ag->extensions = s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1),
						 sizeof(s75_extension));
		if (!ag->has_end && n > 0)
			yn_error(&l->y, v, "extensions need the agreement to have an 'end'");
		while ((item = fy_node_sequence_iterate(v, &it))) {
			if (!yn_is_map(&l->y, item, "an extension"))
				continue;
			yn_check_keys(&l->y, item, ekeys, "an extension");
			s75_extension *e = &ag->extensions[ag->nextensions];
			if (!yn_get_date(&l->y, item, "to", true, "extension", &e->to))
				continue;
			e->approved = yn_get_str(&l->y, item, "approved", false, "extension");
			if (e->to <= prev)
				yn_error(&l->y, yn_get(&l->y, item, "to", false, ""),
					 "an extension must end after the end it extends");
			prev = e->to;
			ag->nextensions++;
		}
	}
}

static void load_notice(loader *l, struct fy_node *m)
{
	static const char *const keys[] = {"general_months", "no_contribution_agreement_months",
					   "default_months", "pro_rata", "note", NULL};
	static const char *const bases[] = {"months", "days", NULL};
	s75_notice_terms *n = &l->ag->notice;
	int basis = 0;
	yn_check_keys(&l->y, m, keys, "notice");
	n->present = true;
	yn_get_enum(&l->y, m, "pro_rata", false, "notice", bases, &basis);
	n->pro_rata_days = basis == 1;
	yn_get_int(&l->y, m, "general_months", "notice", 0, 120, &n->general_months);
	yn_get_int(&l->y, m, "no_contribution_agreement_months", "notice", 0, 120,
		   &n->no_contribution_agreement_months);
	yn_get_int(&l->y, m, "default_months", "notice", 0, 120, &n->default_months);
	n->note = yn_get_str(&l->y, m, "note", false, "notice");
	if (n->general_months >= 0 && n->no_contribution_agreement_months > n->general_months)
		yn_warning(&l->y, yn_get(&l->y, m, "no_contribution_agreement_months", false, ""),
			   "notice where no contribution is agreed is longer than general notice");
}

static void load_elements(loader *l, s75_arrangement *a, struct fy_node *seq, s75_pos at)
{
	static const char *const keys[] = {"id", "name", "lead", "forecast_default", NULL};
	static const char *const fdefaults[] = {"budget", "run_rate", "packages", NULL};
	int n = fy_node_sequence_item_count(seq);
	void *it = NULL;
	struct fy_node *item;

	a->elements = s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1), sizeof(s75_element));
	while ((item = fy_node_sequence_iterate(seq, &it))) {
		if (!yn_is_map(&l->y, item, "an element"))
			continue;
		yn_check_keys(&l->y, item, keys, "an element");
		s75_element *e = &a->elements[a->nelements];
		e->pos = yn_pos(item);
		e->id = yn_get_id(&l->y, item, "id", true, "element");
		e->name = yn_get_str(&l->y, item, "name", true, "element");
		e->lead = partner_ref(l, item, "lead", false, "element");
		int fd = S75_FORECAST_BUDGET;
		yn_get_enum(&l->y, item, "forecast_default", false, "element", fdefaults, &fd);
		e->forecast_default = (s75_forecast_default)fd;
		if (e->id && s75_arrangement_find_element(a, e->id) >= 0) {
			yn_error(&l->y, yn_get(&l->y, item, "id", false, ""),
				 "duplicate element id '%s' in pool '%s'", e->id,
				 a->id ? a->id : "?");
			e->id = NULL;
		}
		a->nelements++;
	}
	if (a->nelements == 0)
		s75_diags_add(l->y.diags, S75_DIAG_ERROR, l->y.file, at, "pool '%s' has no elements",
			      a->id ? a->id : "?");
}

/* NHS functions the 2000 regulations do not allow in partnership arrangements. */
static const char *const excluded_functions[] = {
	"surgery", "radiotherapy", "termination of pregnanc", "endoscop", "laser",
	"emergency ambulance", NULL};

static void check_function(loader *l, struct fy_node *n)
{
	size_t len;
	const char *s = fy_node_is_scalar(n) ? fy_node_get_scalar(n, &len) : NULL;
	for (const char *const *x = excluded_functions; s && *x; x++) {
		size_t xl = strlen(*x);
		for (size_t i = 0; i + xl <= len; i++)
			if (!strncasecmp(s + i, *x, xl)) {
				yn_warning(&l->y, n,
					   "NHS function '%.*s' looks like one the regulations exclude (%s)",
					   (int)len, s, *x);
				return;
			}
	}
}

static void check_functions(loader *l, struct fy_node *m)
{
	struct fy_node *v = yn_get(&l->y, m, "nhs_functions", false, "");
	if (v && fy_node_is_sequence(v)) {
		void *it = NULL;
		struct fy_node *item;
		while ((item = fy_node_sequence_iterate(v, &it)))
			check_function(l, item);
	} else if (v) {
		check_function(l, v);
	}
}

static void load_arrangement(loader *l, struct fy_node *m, s75_arrangement *a)
{
	static const char *const keys[] = {
		"id",	       "name",	      "kind",	   "legal_basis", "care_group",
		"start",       "end",	      "aims",	   "outcomes",	  "nhs_functions",
		"health_related_functions", "persons", "services",    "resources",
		"governance",  "host",	      "elements",  "lead",	  "on_behalf_of",
		"provider",    "bcf",	      NULL};
	static const char *const rkeys[] = {"partner", "provides", NULL};
	static const char *const bkeys[] = {"framework", "plan", NULL};
	struct fy_node *v;
	int kind = S75_ARR_POOLED_FUND, lb = l->ag->legal_basis;

	yn_check_keys(&l->y, m, keys, "an arrangement");
	a->pos = yn_pos(m);
	a->id = yn_get_id(&l->y, m, "id", true, "arrangement");
	a->name = yn_get_str(&l->y, m, "name", true, "arrangement");
	yn_get_enum(&l->y, m, "kind", true, "arrangement", arrangement_kinds, &kind);
	a->kind = (s75_arrangement_kind)kind;
	yn_get_enum(&l->y, m, "legal_basis", false, "arrangement", legal_bases, &lb);
	a->legal_basis = (s75_legal_basis)lb;
	a->care_group = yn_get_str(&l->y, m, "care_group", false, "arrangement");
	a->has_start = yn_get_date(&l->y, m, "start", false, "arrangement", &a->start);
	a->has_end = yn_get_date(&l->y, m, "end", false, "arrangement", &a->end);
	if (a->has_start && a->has_end && a->end < a->start)
		yn_error(&l->y, yn_get(&l->y, m, "end", false, ""),
			 "arrangement 'end' is before its 'start'");
	yn_get_strlist(&l->y, m, "aims", "aims", &a->aims);
	yn_get_strlist(&l->y, m, "outcomes", "outcomes", &a->outcomes);
	yn_get_strlist(&l->y, m, "nhs_functions", "nhs_functions", &a->nhs_functions);
	yn_get_strlist(&l->y, m, "health_related_functions", "health_related_functions",
		       &a->health_related_functions);
	yn_get_strlist(&l->y, m, "services", "services", &a->services);
	check_functions(l, m);
	a->persons = yn_get_str(&l->y, m, "persons", false, "arrangement");
	a->governance = yn_get_str(&l->y, m, "governance", false, "arrangement");
	/* a Better Care Fund pool: its national framework and the area's plan (bcf.h) */
	if ((v = yn_get(&l->y, m, "bcf", false, "arrangement")) && yn_is_map(&l->y, v, "bcf")) {
		yn_check_keys(&l->y, v, bkeys, "'bcf'");
		a->bcf_framework = yn_get_id(&l->y, v, "framework", true, "'bcf'");
		a->bcf_plan = yn_get_str(&l->y, v, "plan", true, "'bcf'");
		a->bcf_pos = yn_pos(v);
	}
	if ((v = yn_get(&l->y, m, "resources", false, "arrangement")) &&
	    yn_is_seq(&l->y, v, "resources")) {
		int n = fy_node_sequence_item_count(v);
		void *it = NULL;
		struct fy_node *item;
		a->resources = s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1),
					       sizeof(s75_resource));
		while ((item = fy_node_sequence_iterate(v, &it))) {
			if (!yn_is_map(&l->y, item, "a resource"))
				continue;
			yn_check_keys(&l->y, item, rkeys, "a resource");
			s75_resource *r = &a->resources[a->nresources++];
			r->partner = partner_ref(l, item, "partner", true, "resource");
			r->provides = yn_get_str(&l->y, item, "provides", true, "resource");
		}
	}
	a->host = -1;
	a->lead = -1;
	a->provider = -1;
	if (yn_get(&l->y, m, "host", false, ""))
		a->host = partner_ref(l, m, "host", false, "arrangement");
	v = yn_get(&l->y, m, "elements", a->kind == S75_ARR_POOLED_FUND, "a pooled fund");
	if (v && a->kind != S75_ARR_POOLED_FUND)
		yn_error(&l->y, v, "only a pooled fund has elements ('%s' is %s)",
			 a->id ? a->id : "?", arrangement_kinds[a->kind]);
	else if (v && yn_is_seq(&l->y, v, "elements"))
		load_elements(l, a, v, yn_key_pos(m, "elements"));
	if (a->kind == S75_ARR_LEAD_COMMISSIONING) {
		a->lead = partner_ref(l, m, "lead", true, "a lead-commissioning arrangement");
		if ((v = yn_get(&l->y, m, "on_behalf_of", true, "a lead-commissioning arrangement")) &&
		    yn_is_seq(&l->y, v, "on_behalf_of")) {
			int n = fy_node_sequence_item_count(v);
			void *it = NULL;
			struct fy_node *item;
			a->on_behalf_of =
				s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1), sizeof(int));
			while ((item = fy_node_sequence_iterate(v, &it))) {
				const char *id = yn_str(&l->y, item, "on_behalf_of");
				int p = id ? partner_ref_text(l, item, id) : -1;
				if (p < 0)
					continue;
				if (p == a->lead)
					yn_error(&l->y, item,
						 "the lead '%s' cannot act on its own behalf", id);
				a->on_behalf_of[a->non_behalf_of++] = p;
			}
		}
	} else {
		if ((v = yn_get(&l->y, m, "lead", false, "")))
			yn_error(&l->y, v, "'lead' belongs to a lead-commissioning arrangement; a pool's leads are per element");
		if ((v = yn_get(&l->y, m, "on_behalf_of", false, "")))
			yn_error(&l->y, v, "'on_behalf_of' belongs to a lead-commissioning arrangement");
	}
	if (yn_get(&l->y, m, "provider", false, "")) {
		if (a->kind != S75_ARR_INTEGRATED_PROVISION)
			yn_error(&l->y, yn_get(&l->y, m, "provider", false, ""),
				 "'provider' belongs to an integrated-provision arrangement");
		a->provider = partner_ref(l, m, "provider", false, "arrangement");
	}
}

static void load_arrangements(loader *l, struct fy_node *seq, s75_pos at)
{
	s75_agreement *ag = l->ag;
	int n = fy_node_sequence_item_count(seq);
	void *it = NULL;
	struct fy_node *item;

	ag->arrangements =
		s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1), sizeof(s75_arrangement));
	while ((item = fy_node_sequence_iterate(seq, &it))) {
		if (!yn_is_map(&l->y, item, "an arrangement"))
			continue;
		s75_arrangement *a = &ag->arrangements[ag->narrangements];
		load_arrangement(l, item, a);
		if (a->id && s75_agreement_find_arrangement(ag, a->id) >= 0) {
			yn_error(&l->y, yn_get(&l->y, item, "id", false, ""),
				 "duplicate arrangement id '%s'", a->id);
			a->id = NULL;
		}
		ag->narrangements++;
	}
	if (ag->narrangements == 0)
		s75_diags_add(l->y.diags, S75_DIAG_ERROR, l->y.file, at,
			      "an agreement needs at least one arrangement");
}

static const char *key_str(loader *l, struct fy_node *k)
{
	size_t len;
	const char *s = yn_key_text(k, &len);
	return s75_arena_strndup(l->y.arena, s, len);
}

static void load_contribution(loader *l, s75_year *y, struct fy_node *v, s75_contribution *c)
{
	static const char *const keys[] = {"gross", "income", "grants", "basis", "note", NULL};
	struct fy_node *x;
	bool ok = true;

	c->pos = yn_pos(v);
	if (fy_node_is_scalar(v)) {
		ok = yn_money(&l->y, v, y->unit, "a contribution", &c->gross);
	} else if (yn_is_map(&l->y, v, "a contribution")) {
		yn_check_keys(&l->y, v, keys, "a contribution");
		x = yn_get(&l->y, v, "gross", true, "a contribution");
		ok = x && yn_money(&l->y, x, y->unit, "gross", &c->gross);
		if ((x = yn_get(&l->y, v, "income", false, ""))) {
			ok = yn_money(&l->y, x, y->unit, "income", &c->income) && ok;
			if (c->income < 0) {
				yn_error(&l->y, x, "income is subtracted from gross: write it as a positive amount");
				ok = false;
			}
		}
		if ((x = yn_get(&l->y, v, "grants", false, ""))) {
			ok = yn_money(&l->y, x, y->unit, "grants", &c->grants) && ok;
			if (c->grants < 0) {
				yn_error(&l->y, x, "grants are subtracted from gross: write them as a positive amount");
				ok = false;
			}
		}
		if ((x = yn_get(&l->y, v, "basis", false, "")))
			load_basis(l, x, &c->basis);
		c->note = yn_get_str(&l->y, v, "note", false, "a contribution");
	} else {
		ok = false;
	}
	if (!c->basis.set && c->partner >= 0)
		c->basis = y->partner_basis[c->partner];
	if (ok && (__builtin_sub_overflow(c->gross, c->income, &c->net) ||
		   __builtin_sub_overflow(c->net, c->grants, &c->net)))
		yn_error(&l->y, v, "net contribution out of range");
}

static void load_contributions(loader *l, s75_year *y, struct fy_node *m)
{
	void *it = NULL, *it2, *it3;
	struct fy_node_pair *pp, *ep, *cp;
	size_t total = 0;

	/* count the leaves first so the array is allocated once */
	while ((pp = fy_node_mapping_iterate(m, &it))) {
		struct fy_node *ev = fy_node_pair_value(pp);
		if (!ev || !fy_node_is_mapping(ev))
			continue;
		it2 = NULL;
		while ((ep = fy_node_mapping_iterate(ev, &it2))) {
			struct fy_node *cv = fy_node_pair_value(ep);
			if (cv && fy_node_is_mapping(cv))
				total += (size_t)fy_node_mapping_item_count(cv);
		}
	}
	y->contributions = s75_arena_alloc(l->y.arena, total ? total : 1, sizeof(s75_contribution));
	it = NULL;
	while ((pp = fy_node_mapping_iterate(m, &it))) {
		struct fy_node *pk = fy_node_pair_key(pp), *ev = fy_node_pair_value(pp);
		int pool = pool_ref_text(l, pk, key_str(l, pk));
		l->y.last_value = ev;
		l->y.last_key_pos = yn_pos(pk);
		if (yn_is_empty(ev) ||
		    !yn_is_map(&l->y, ev, "a pool's contributions (ELEMENT: {PARTNER: ...})"))
			continue;
		if (pool < 0)
			continue;
		it2 = NULL;
		while ((ep = fy_node_mapping_iterate(ev, &it2))) {
			struct fy_node *ek = fy_node_pair_key(ep), *cv = fy_node_pair_value(ep);
			int el = element_ref_text(l, ek, pool, key_str(l, ek));
			l->y.last_value = cv;
			l->y.last_key_pos = yn_pos(ek);
			if (yn_is_empty(cv) ||
			    !yn_is_map(&l->y, cv, "an element's contributions (PARTNER: ...)"))
				continue;
			it3 = NULL;
			while ((cp = fy_node_mapping_iterate(cv, &it3))) {
				struct fy_node *ck = fy_node_pair_key(cp), *v = fy_node_pair_value(cp);
				int p = partner_ref_text(l, ck, key_str(l, ck));
				if (p < 0 || el < 0)
					continue; /* partners under an unknown element are still checked */
				l->y.last_value = v;
				l->y.last_key_pos = yn_pos(ck);
				if (yn_is_empty(v)) {
					yn_error(&l->y, ck, "contribution of '%s' has no amount",
						 l->ag->partners[p].id);
					continue;
				}
				s75_contribution *c = &y->contributions[y->ncontributions++];
				c->pool = pool;
				c->element = el;
				c->partner = p;
				load_contribution(l, y, v, c);
			}
		}
	}
}

/* Adds a budget line after checking its cost centre; reports at `file`:`pos`. */
static void add_budget(loader *l, s75_year *y, const char *code, size_t len, int64_t amount,
		       const int64_t *weights, const char *file, s75_pos pos)
{
	int cc = s75_agreement_find_cost_centre(l->ag, code, len);
	if (cc < 0) {
		s75_diags_add(l->y.diags, S75_DIAG_ERROR, file, pos,
			      "budget for unknown cost centre '%.*s'", (int)len, code);
		return;
	}
	if (s75_year_find_budget(y, cc)) {
		s75_diags_add(l->y.diags, S75_DIAG_ERROR, file, pos,
			      "cost centre '%.*s' has two budgets in one year", (int)len, code);
		return;
	}
	if (!y->budget_index) {
		y->budget_index = s75_arena_alloc(l->y.arena, l->ag->ncost_centres + 1, sizeof(int));
		for (size_t i = 0; i <= l->ag->ncost_centres; i++)
			y->budget_index[i] = -1;
	}
	y->budget_index[cc] = (int)y->nbudgets;
	s75_budget *b = &y->budgets[y->nbudgets++];
	b->cost_centre = cc;
	b->amount = amount;
	b->file = file;
	b->pos = pos;
	b->has_profile = weights != NULL;
	for (int i = 0; i < 12; i++)
		b->weights[i] = weights ? weights[i] : 1;
}

/* A profile of 12 non-negative weights, at least one positive. */
static bool check_weights(const int64_t *w)
{
	int64_t sum = 0;
	for (int i = 0; i < 12; i++) {
		if (w[i] < 0 || w[i] > 1000000000)
			return false;
		sum += w[i];
	}
	return sum > 0;
}

static void load_budgets_inline(loader *l, s75_year *y, struct fy_node *seq)
{
	static const char *const keys[] = {"cost_centre", "budget", "profile", NULL};
	int n = fy_node_sequence_item_count(seq);
	void *it = NULL;
	struct fy_node *item, *v;

	y->budgets = s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1), sizeof(s75_budget));
	while ((item = fy_node_sequence_iterate(seq, &it))) {
		int64_t amount, w[12], *wp = NULL;
		if (!yn_is_map(&l->y, item, "a budget"))
			continue;
		yn_check_keys(&l->y, item, keys, "a budget");
		const char *code = yn_get_str(&l->y, item, "cost_centre", true, "a budget");
		v = yn_get(&l->y, item, "budget", true, "a budget");
		if (!code || !v || !yn_money(&l->y, v, y->unit, "budget", &amount))
			continue;
		if ((v = yn_get(&l->y, item, "profile", false, ""))) {
			bool ok = fy_node_is_sequence(v) && fy_node_sequence_item_count(v) == 12;
			void *it2 = NULL;
			struct fy_node *x;
			for (int i = 0; ok && (x = fy_node_sequence_iterate(v, &it2)); i++) {
				size_t len;
				const char *t = fy_node_is_scalar(x) ? fy_node_get_scalar(x, &len) : NULL;
				char *end;
				char tmp[32];
				ok = t && len > 0 && len < sizeof(tmp);
				if (ok) {
					memcpy(tmp, t, len);
					tmp[len] = '\0';
					w[i] = strtoll(tmp, &end, 10);
					ok = *end == '\0';
				}
			}
			if (!ok || !check_weights(w)) {
				yn_error(&l->y, v, "a budget profile is 12 whole-number weights, P1 (April) to P12 (March), not all zero");
				continue;
			}
			wp = w;
		}
		add_budget(l, y, code, strlen(code), amount, wp, l->y.file, yn_pos(item));
	}
}

static void load_budgets_csv(loader *l, s75_year *y, struct fy_node *v, const char *name)
{
	s75_agreement *ag = l->ag;
	s75_csv *csv = NULL;
	const s75_csv_field *f;
	size_t nf, n = 0, alloc = 0;
	s75_budget *tmp = NULL;
	int r;
	s75_buf path = S75_BUF_INIT;

	if (!named_file(l, v, ag, name, &path))
		goto done;
	const char *file = s75_arena_strdup(l->y.arena, path.ptr);
	if (s75_csv_open(&csv, path.ptr, file, ',')) {
		yn_error(&l->y, v, "%s", s75_error_last());
		goto done;
	}
	r = s75_csv_next(csv, &f, &nf);
	if (r <= 0 || nf < 2 || f[0].len != 11 || memcmp(f[0].ptr, "cost_centre", 11) ||
	    f[1].len != 6 || memcmp(f[1].ptr, "budget", 6) || (nf != 2 && nf != 14)) {
		s75_pos p = {1, 1};
		const char *why = "expected the header cost_centre,budget (and optionally p1,...,p12)";
		if (r < 0)
			why = s75_csv_error(csv, &p);
		s75_diags_add(l->y.diags, S75_DIAG_ERROR, file, p, "%s", why);
		goto done;
	}
	size_t ncols = nf;
	/* grow a scratch array, then copy into the arena */
	y->budgets = NULL;
	while ((r = s75_csv_next(csv, &f, &nf)) > 0) {
		s75_pos p = {(int)s75_csv_line(csv), 0};
		int64_t amount, w[12];
		if (nf == 1 && f[0].len == 0)
			continue;
		if (nf != ncols) {
			s75_diags_add(l->y.diags, S75_DIAG_ERROR, file, p,
				      "expected %zu fields as in the header, found %zu", ncols, nf);
			continue;
		}
		if (s75_money_parse(&amount, f[1].ptr, f[1].len, y->unit, 0)) {
			s75_diags_add(l->y.diags, S75_DIAG_ERROR, file, p, "budget: %s",
				      s75_error_last());
			continue;
		}
		bool ok = true;
		for (size_t i = 0; ncols == 14 && i < 12; i++) {
			char num[32];
			char *end;
			ok = ok && f[2 + i].len > 0 && f[2 + i].len < sizeof(num);
			if (!ok)
				break;
			memcpy(num, f[2 + i].ptr, f[2 + i].len);
			num[f[2 + i].len] = '\0';
			w[i] = strtoll(num, &end, 10);
			ok = *end == '\0';
		}
		if (!ok || (ncols == 14 && !check_weights(w))) {
			s75_diags_add(l->y.diags, S75_DIAG_ERROR, file, p,
				      "p1..p12 must be whole-number weights, not all zero");
			continue;
		}
		ALLOC_GROW(tmp, n + 1, alloc);
		y->budgets = tmp;
		y->nbudgets = n;
		add_budget(l, y, f[0].ptr, f[0].len, amount, ncols == 14 ? w : NULL, file, p);
		n = y->nbudgets;
	}
	if (r < 0) {
		s75_pos p;
		const char *why = s75_csv_error(csv, &p);
		s75_diags_add(l->y.diags, S75_DIAG_ERROR, file, p, "%s", why);
	}
done:
	y->budgets = s75_arena_alloc(l->y.arena, n ? n : 1, sizeof(s75_budget));
	if (n)
		memcpy(y->budgets, tmp, n * sizeof(*tmp));
	y->nbudgets = n;
	free(tmp);
	s75_csv_free(csv);
	s75_buf_release(&path);
}

/* A year's instalments stated by date and amount: {PARTNER: [{due, amount}, ...]}, each
 * partner's in date order; the amounts are in the year's units. */
static void load_instalments(loader *l, s75_year *y, struct fy_node *map)
{
	static const char *const keys[] = {"due", "amount", NULL};
	s75_agreement *ag = l->ag;
	void *it = NULL;
	struct fy_node_pair *pr;
	size_t n = 0;
	/* each partner's list, looked up once, taken in the agreement's order */
	struct fy_node **list = xcalloc(ag->npartners + 1, sizeof(*list));
	while ((pr = fy_node_mapping_iterate(map, &it))) {
		struct fy_node *k = fy_node_pair_key(pr), *v = fy_node_pair_value(pr);
		int p = partner_ref_text(l, k, key_str(l, k));
		if (p < 0)
			continue;
		if (p == ag->host) {
			yn_error(&l->y, k, "'%s' is the host partner: it pays no instalments", ag->partners[p].id);
			continue;
		}
		if (!v || !yn_is_seq(&l->y, v, "a partner's instalments (a list of {due, amount})"))
			continue;
		list[p] = v;
		n += (size_t)fy_node_sequence_item_count(v);
	}
	y->instalments = s75_arena_alloc(l->y.arena, n ? n : 1, sizeof(s75_instalment_due));
	for (size_t p = 0; p < ag->npartners; p++) {
		void *it2 = NULL;
		struct fy_node *item;
		s75_date last = 0;
		bool any = false;
		while (list[p] && (item = fy_node_sequence_iterate(list[p], &it2))) {
			s75_instalment_due *x = &y->instalments[y->ninstalments];
			struct fy_node *a;
			if (!yn_is_map(&l->y, item, "an instalment ({due, amount})"))
				continue;
			yn_check_keys(&l->y, item, keys, "an instalment");
			x->partner = (int)p;
			x->pos = yn_pos(item);
			bool ok = yn_get_date(&l->y, item, "due", true, "an instalment", &x->due);
			ok = (a = yn_get(&l->y, item, "amount", true, "an instalment")) &&
			     yn_money(&l->y, a, y->unit, "amount", &x->amount) && ok;
			if (ok && x->amount <= 0) {
				yn_error(&l->y, a, "an instalment is an amount above zero");
				ok = false;
			}
			if (ok && any && x->due <= last) {
				yn_error(&l->y, item, "instalments are listed in date order, each on a later day");
				ok = false;
			}
			if (ok) {
				last = x->due;
				any = true;
				y->ninstalments++;
			}
		}
	}
	free(list);
}

static void load_year(loader *l, struct fy_node *m, s75_year *y)
{
	static const char *const keys[] = {"year",	    "status",  "agreed_on",  "units",
					   "basis",	    "contributions", "budgets", "risk_share",
					   "savings",	    "instalments",   NULL};
	s75_agreement *ag = l->ag;
	struct fy_node *v;
	int st = S75_YEAR_INDICATIVE;

	yn_check_keys(&l->y, m, keys, "a year");
	y->pos = yn_pos(m);
	y->fy = -1;
	if ((v = yn_get(&l->y, m, "year", true, "a year"))) {
		const char *s = yn_str(&l->y, v, "year");
		if (s && s75_fy_parse(&y->fy, s)) {
			yn_error(&l->y, v, "%s", s75_error_last());
			y->fy = -1;
		}
	}
	yn_get_enum(&l->y, m, "status", true, "a year", year_statuses, &st);
	y->status = (s75_year_status)st;
	y->has_agreed_on = yn_get_date(&l->y, m, "agreed_on", false, "a year", &y->agreed_on);
	if (y->status == S75_YEAR_AGREED && !y->has_agreed_on && !yn_get(&l->y, m, "agreed_on", false, ""))
		yn_error(&l->y, yn_get(&l->y, m, "status", false, ""),
			 "an agreed year needs 'agreed_on' (the date the schedule was agreed)");
	if ((v = yn_get(&l->y, m, "units", false, "a year"))) {
		const char *s = yn_str(&l->y, v, "units");
		if (s && s75_unit_parse(&y->unit, s))
			yn_error(&l->y, v, "%s", s75_error_last());
	}
	y->partner_basis = s75_arena_alloc(l->y.arena, ag->npartners ? ag->npartners : 1,
					   sizeof(s75_basis));
	if ((v = yn_get(&l->y, m, "basis", false, "a year")) &&
	    yn_is_map(&l->y, v, "basis (PARTNER: {source, income, overheads})")) {
		void *it = NULL;
		struct fy_node_pair *pr;
		while ((pr = fy_node_mapping_iterate(v, &it))) {
			struct fy_node *k = fy_node_pair_key(pr);
			int p = partner_ref_text(l, k, key_str(l, k));
			if (p >= 0 && fy_node_pair_value(pr))
				load_basis(l, fy_node_pair_value(pr), &y->partner_basis[p]);
		}
	}
	if ((v = yn_get(&l->y, m, "contributions", true, "a year")) &&
	    yn_is_map(&l->y, v, "contributions (POOL: {ELEMENT: {PARTNER: ...}})"))
		load_contributions(l, y, v);
	if ((v = yn_get(&l->y, m, "risk_share", false, "a year")) &&
	    yn_is_map(&l->y, v, "risk_share (POOL: {overspend, underspend, ...})"))
		load_risk_share(l, y, v);
	if ((v = yn_get(&l->y, m, "savings", false, "a year")) &&
	    yn_is_seq(&l->y, v, "savings (a list)"))
		load_savings(l, y, v);
	if ((v = yn_get(&l->y, m, "instalments", false, "a year")) &&
	    yn_is_map(&l->y, v, "instalments (PARTNER: [{due, amount}, ...])"))
		load_instalments(l, y, v);
	if ((v = yn_get(&l->y, m, "budgets", false, "a year"))) {
		if (fy_node_is_scalar(v)) {
			const char *name = yn_str(&l->y, v, "budgets");
			if (name)
				load_budgets_csv(l, y, v, name);
		} else if (yn_is_seq(&l->y, v, "budgets (a list, or the name of a CSV file)")) {
			load_budgets_inline(l, y, v);
		}
	}
}

static void load_years(loader *l, struct fy_node *seq)
{
	s75_agreement *ag = l->ag;
	int n = fy_node_sequence_item_count(seq);
	void *it = NULL;
	struct fy_node *item;

	ag->years = s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1), sizeof(s75_year));
	while ((item = fy_node_sequence_iterate(seq, &it))) {
		if (!yn_is_map(&l->y, item, "a year"))
			continue;
		s75_year *y = &ag->years[ag->nyears];
		load_year(l, item, y);
		if (y->fy >= 0 && s75_agreement_find_year(ag, y->fy)) {
			char fy[8];
			yn_error(&l->y, yn_get(&l->y, item, "year", false, ""),
				 "duplicate year %s", s75_fy_format(fy, y->fy));
			y->fy = -1;
		}
		ag->nyears++;
	}
}

/* Where each of a cost centre's values was written, for errors. */
typedef struct cc_where {
	const char *file;
	s75_pos code, pool, element, partner;
} cc_where;

/* Resolves and checks one cost centre's references. */
static void add_cost_centre(loader *l, s75_cost_centre *cc, const char *pool_id,
			    const char *element_id, const char *partner_id, const cc_where *w)
{
	s75_agreement *ag = l->ag;
	s75_diags *d = l->y.diags;
	cc->pool = cc->element = cc->partner = -1;
	cc->pos = w->code;
	cc->file = w->file;
	int i;

	if (!cc->code || !*cc->code) {
		s75_diags_add(d, S75_DIAG_ERROR, w->file, w->code, "cost centre has no code");
		return;
	}
	int k = s75_strmap_get(ag->cc_index, cc->code, strlen(cc->code));
	if (k >= 0) {
		s75_diags_add(d, S75_DIAG_ERROR, w->file, w->code,
			      "duplicate cost centre '%s' (first declared at %s:%d)", cc->code,
			      ag->cost_centres[k].file, ag->cost_centres[k].pos.line);
		cc->code = NULL;
		return;
	}
	/* its index: the next slot of whichever array the caller fills */
	s75_strmap_put(ag->cc_index, cc->code, strlen(cc->code), (int)ag->ncost_centres);
	i = s75_agreement_find_arrangement(ag, pool_id);
	if (i >= 0 && ag->arrangements[i].kind != S75_ARR_POOLED_FUND) {
		s75_diags_add(d, S75_DIAG_ERROR, w->file, w->pool,
			      "cost centre '%s': '%s' is %s, not a pooled fund", cc->code, pool_id,
			      arrangement_kinds[ag->arrangements[i].kind]);
	} else if (i < 0) {
		s75_diags_add(d, S75_DIAG_ERROR, w->file, w->pool,
			      "cost centre '%s': unknown pool '%s'", cc->code, pool_id);
	} else {
		cc->pool = i;
		cc->element = s75_arrangement_find_element(&ag->arrangements[i], element_id);
		if (cc->element < 0)
			s75_diags_add(d, S75_DIAG_ERROR, w->file, w->element,
				      "cost centre '%s': unknown element '%s' of pool '%s'",
				      cc->code, element_id, pool_id);
	}
	cc->partner = s75_agreement_find_partner(ag, partner_id);
	if (cc->partner < 0 && ag->npartners > 0)
		s75_diags_add(d, S75_DIAG_ERROR, w->file, w->partner,
			      "cost centre '%s': unknown partner '%s'", cc->code, partner_id);
}

/* The names cost centres may carry a value of: `dimensions: [scheme, funding_stream]`. */
static void load_dimensions(loader *l, struct fy_node *root)
{
	s75_strlist *d = &l->ag->dimensions;
	struct fy_node *v = yn_get(&l->y, root, "dimensions", false, "");
	if (!v)
		return;
	yn_get_strlist(&l->y, root, "dimensions", "the agreement file", d);
	for (size_t i = 0; i < d->n; i++) {
		if (!*d->items[i])
			yn_error(&l->y, v, "a dimension needs a name");
		for (size_t k = 0; k < i; k++)
			if (!strcmp(d->items[i], d->items[k]))
				yn_error(&l->y, v, "dimension '%s' is named twice", d->items[i]);
	}
}

/* The index of dimension `name` (`len` bytes), or -1. */
static int find_dimension(const s75_agreement *ag, const char *name, size_t len)
{
	for (size_t i = 0; i < ag->dimensions.n; i++)
		if (strlen(ag->dimensions.items[i]) == len && !memcmp(ag->dimensions.items[i], name, len))
			return (int)i;
	return -1;
}

/* The agreement's dimensions, for a message: "scheme, funding_stream" or "none declared". */
static const char *dimension_names(loader *l)
{
	const s75_strlist *d = &l->ag->dimensions;
	s75_buf b = S75_BUF_INIT;
	for (size_t i = 0; i < d->n; i++)
		s75_buf_printf(&b, "%s%s", i ? ", " : "", d->items[i]);
	const char *s = s75_arena_strdup(l->y.arena, d->n ? b.ptr : "none is declared under 'dimensions'");
	s75_buf_release(&b);
	return s;
}

/* A cost centre's values: `dimensions: {scheme: reablement, funding_stream: ibcf}`. */
static void load_cc_dimensions(loader *l, s75_cost_centre *cc, struct fy_node *m)
{
	const s75_agreement *ag = l->ag;
	void *it = NULL;
	struct fy_node_pair *pp;
	if (ag->dimensions.n)
		cc->dims = s75_arena_alloc(l->y.arena, ag->dimensions.n, sizeof(char *));
	if (!m || !yn_is_map(&l->y, m, "a cost centre's dimensions"))
		return;
	while ((pp = fy_node_mapping_iterate(m, &it))) {
		size_t len;
		const char *k = yn_key_text(fy_node_pair_key(pp), &len);
		int d = k ? find_dimension(ag, k, len) : -1;
		if (d < 0) {
			yn_error(&l->y, fy_node_pair_key(pp), "cost centre '%s': unknown dimension '%.*s' (the agreement's dimensions: %s)",
				 cc->code ? cc->code : "", k ? (int)len : 0, k ? k : "", dimension_names(l));
			continue;
		}
		cc->dims[d] = yn_str(&l->y, fy_node_pair_value(pp), "a dimension's value");
	}
}

static void load_cost_centres_inline(loader *l, struct fy_node *seq)
{
	static const char *const keys[] = {"code", "name", "pool", "element", "partner", "dimensions", NULL};
	s75_agreement *ag = l->ag;
	int n = fy_node_sequence_item_count(seq);
	void *it = NULL;
	struct fy_node *item;

	ag->cost_centres =
		s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1), sizeof(s75_cost_centre));
	while ((item = fy_node_sequence_iterate(seq, &it))) {
		if (!yn_is_map(&l->y, item, "a cost centre"))
			continue;
		yn_check_keys(&l->y, item, keys, "a cost centre");
		s75_cost_centre *cc = &ag->cost_centres[ag->ncost_centres];
		cc->code = yn_get_str(&l->y, item, "code", true, "cost centre");
		cc->name = yn_get_str(&l->y, item, "name", false, "cost centre");
		const char *pool = yn_get_str(&l->y, item, "pool", true, "cost centre");
		const char *el = yn_get_str(&l->y, item, "element", true, "cost centre");
		const char *pa = yn_get_str(&l->y, item, "partner", true, "cost centre");
		if (!cc->code || !pool || !el || !pa)
			continue;
		cc_where w = {l->y.file, yn_pos(yn_get(&l->y, item, "code", false, "")),
			      yn_pos(yn_get(&l->y, item, "pool", false, "")),
			      yn_pos(yn_get(&l->y, item, "element", false, "")),
			      yn_pos(yn_get(&l->y, item, "partner", false, ""))};
		add_cost_centre(l, cc, pool, el, pa, &w);
		load_cc_dimensions(l, cc, yn_get(&l->y, item, "dimensions", false, ""));
		ag->ncost_centres++;
	}
}

static void load_cost_centres_csv(loader *l, struct fy_node *v, const char *name)
{
	static const char *const cols[] = {"code", "name", "pool", "element", "partner"};
	s75_agreement *ag = l->ag;
	s75_csv *csv = NULL;
	const s75_csv_field *f;
	size_t nf, alloc = 0, n = 0, nheader = 0;
	s75_cost_centre *tmp = NULL;
	int idx[5] = {-1, -1, -1, -1, -1}, r, *dimcol = NULL;
	s75_buf path = S75_BUF_INIT;

	if (!named_file(l, v, ag, name, &path))
		goto done;
	const char *file = s75_arena_strdup(l->y.arena, path.ptr);
	if (s75_csv_open(&csv, path.ptr, file, ',')) {
		yn_error(&l->y, v, "%s", s75_error_last());
		goto done;
	}
	r = s75_csv_next(csv, &f, &nf);
	if (r <= 0) {
		s75_pos p = {1, 1};
		const char *why = "empty file (expected the header code,name,pool,element,partner)";
		if (r < 0)
			why = s75_csv_error(csv, &p);
		s75_diags_add(l->y.diags, S75_DIAG_ERROR, file, p, "%s", why);
		goto done;
	}
	nheader = nf;
	dimcol = xcalloc(nf + 1, sizeof(int));
	for (size_t i = 0; i < nf; i++) {
		bool known = false;
		for (int k = 0; k < 5; k++)
			if (f[i].len == strlen(cols[k]) && !memcmp(f[i].ptr, cols[k], f[i].len)) {
				idx[k] = (int)i;
				known = true;
			}
		/* a column named as one of the agreement's dimensions holds its values */
		dimcol[i] = known ? -1 : find_dimension(ag, f[i].ptr, f[i].len);
		if (!known && dimcol[i] < 0) {
			s75_pos p = {1, 0};
			s75_diags_add(l->y.diags, S75_DIAG_ERROR, file, p,
				      "unknown column '%.*s' (expected code,name,pool,element,partner, or one of the agreement's dimensions: %s)",
				      (int)f[i].len, f[i].ptr, dimension_names(l));
		}
	}
	for (int k = 0; k < 5; k++)
		if (idx[k] < 0 && k != 1) {
			s75_pos p = {1, 0};
			s75_diags_add(l->y.diags, S75_DIAG_ERROR, file, p, "missing column '%s'",
				      cols[k]);
		}
	if (idx[0] < 0 || idx[2] < 0 || idx[3] < 0 || idx[4] < 0)
		goto done;
	while ((r = s75_csv_next(csv, &f, &nf)) > 0) {
		s75_pos p = {(int)s75_csv_line(csv), 0};
		if (nf == 1 && f[0].len == 0)
			continue; /* blank line */
		const char *vals[5] = {NULL};
		for (int k = 0; k < 5; k++)
			if (idx[k] >= 0 && (size_t)idx[k] < nf)
				vals[k] = s75_arena_strndup(l->y.arena, f[idx[k]].ptr, f[idx[k]].len);
		if (nf != nheader) {
			s75_diags_add(l->y.diags, S75_DIAG_ERROR, file, p,
				      "expected %zu fields as in the header, found %zu", nheader, nf);
			continue;
		}
		ALLOC_GROW(tmp, n + 1, alloc);
		memset(&tmp[n], 0, sizeof(tmp[n]));
		tmp[n].code = vals[0];
		tmp[n].name = vals[1];
		/* check duplicates against those read so far */
		ag->cost_centres = tmp;
		ag->ncost_centres = n;
		cc_where w = {file, p, p, p, p};
		add_cost_centre(l, &tmp[n], vals[2], vals[3], vals[4], &w);
		load_cc_dimensions(l, &tmp[n], NULL);
		for (size_t i = 0; i < nf && tmp[n].dims; i++)
			if (dimcol[i] >= 0 && f[i].len)
				tmp[n].dims[dimcol[i]] = s75_arena_strndup(l->y.arena, f[i].ptr, f[i].len);
		n++;
	}
	if (r < 0) {
		s75_pos p;
		const char *why = s75_csv_error(csv, &p);
		s75_diags_add(l->y.diags, S75_DIAG_ERROR, file, p, "%s", why);
	}
	ag->cost_centres = s75_arena_alloc(l->y.arena, n ? n : 1, sizeof(s75_cost_centre));
	if (n)
		memcpy(ag->cost_centres, tmp, n * sizeof(*tmp));
	ag->ncost_centres = n;
done:
	if (!ag->cost_centres || ag->cost_centres == tmp) {
		ag->cost_centres = NULL;
		ag->ncost_centres = 0;
	}
	free(tmp);
	free(dimcol);
	s75_csv_free(csv);
	s75_buf_release(&path);
}

/* Checks that need the whole model. */
static void cross_checks(loader *l, struct fy_node *root)
{
	s75_agreement *ag = l->ag;
	bool la = false, nhs = false;
	for (size_t i = 0; i < ag->npartners; i++) {
		la |= ag->partners[i].kind == S75_PARTNER_LOCAL_AUTHORITY;
		nhs |= ag->partners[i].kind == S75_PARTNER_NHS_BODY;
	}
	if (ag->npartners == 1)
		yn_error(&l->y, yn_get(&l->y, root, "partners", false, ""),
			 "an agreement needs at least two partners");
	if (ag->npartners > 0 && !l->partner_kinds_unknown && ag->legal_basis == S75_BASIS_S75 &&
	    (!la || !nhs))
		s75_diags_add(l->y.diags, S75_DIAG_WARNING, l->y.file,
			      yn_key_pos(root, "partners"),
			      "a section 75 partnership needs at least one NHS body and one local authority");
	for (size_t i = 0; i < ag->nyears; i++) {
		const s75_year *y = &ag->years[i];
		char fy[8];
		if (y->fy < 0)
			continue;
		if (s75_fy_end(y->fy) < ag->start ||
		    (ag->has_end && s75_fy_start(y->fy) >
					    (ag->nextensions ? ag->extensions[ag->nextensions - 1].to
							     : ag->end)))
			s75_diags_add(l->y.diags, S75_DIAG_WARNING, l->y.file, y->pos,
				      "year %s is outside the agreement's term",
				      s75_fy_format(fy, y->fy));
	}
}

/* An agreement is a hand-edited file: anything bigger is not one. */
#define MAX_AGREEMENT_BYTES (16u << 20)

static int read_file(const char *path, char **out, size_t *len)
{
	/* non-blocking, so that a FIFO is refused below rather than waited on */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	FILE *fp = NULL;
	s75_buf b = S75_BUF_INIT;
	char tmp[65536];
	size_t n;
	struct stat st;
	if (fd < 0)
		return s75_error_set(S75_EIO, "cannot open '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > (off_t)MAX_AGREEMENT_BYTES ||
	    !(fp = fdopen(fd, "rb"))) {
		if (fp)
			fclose(fp);
		else
			close(fd);
		return s75_error_set(S75_EIO, "cannot read '%s': %s", path,
				     S_ISREG(st.st_mode) ? "larger than 16 MiB" : "not a regular file");
	}
	while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0)
		s75_buf_add(&b, tmp, n);
	int err = ferror(fp);
	fclose(fp);
	if (err) {
		s75_buf_release(&b);
		return s75_error_set(S75_EIO, "cannot read '%s'", path);
	}
	*len = b.len;
	*out = s75_buf_detach(&b);
	return 0;
}

/* Whether `text` is UTF-8; if not, where the first bad byte is. */
static bool utf8_text(const char *text, size_t len, s75_pos *bad)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, line = 1, col = 1;
	while (i < len) {
		unsigned char c = s[i];
		size_t k = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2
								: (c & 0xF8) == 0xF0 ? 3 : 9;
		if (k == 9 || i + k >= len + (k == 0) || !s75_text_valid_utf8(s + i, k + 1)) {
			bad->line = (int)line;
			bad->col = (int)col;
			return false;
		}
		if (c == '\n') {
			line++;
			col = 0;
		}
		col++;
		i += k + 1;
	}
	return true;
}

/*
 * Aliases let a few hundred bytes stand for billions of nodes ("billion laughs"): the
 * expanded size is counted, with each anchored node's size computed once, before the
 * document is resolved.
 */
#define MAX_NODES 1000000

typedef struct node_count {
	struct fy_node **node;
	uint64_t *size;
	size_t n, alloc;
} node_count;

static uint64_t expanded(struct fy_node *n, node_count *memo, int depth, s75_pos *at)
{
	uint64_t total = 1;
	if (!n || depth > 256)
		return depth > 256 ? MAX_NODES + 1 : 0;
	if (fy_node_is_alias(n)) {
		struct fy_node *t = fy_node_resolve_alias(n);
		for (size_t i = 0; i < memo->n; i++)
			if (memo->node[i] == t)
				return memo->size[i];
		uint64_t sz = expanded(t, memo, depth + 1, at);
		ALLOC_GROW(memo->node, memo->n + 1, memo->alloc);
		memo->size = xreallocarray(memo->size, memo->alloc, sizeof(uint64_t));
		memo->node[memo->n] = t;
		memo->size[memo->n++] = sz;
		if (sz > MAX_NODES && !at->line)
			*at = yn_pos(n);
		return sz;
	}
	void *it = NULL;
	if (fy_node_is_mapping(n)) {
		struct fy_node_pair *pr;
		while ((pr = fy_node_mapping_iterate(n, &it)) && total <= MAX_NODES) {
			total += expanded(fy_node_pair_key(pr), memo, depth + 1, at);
			total += expanded(fy_node_pair_value(pr), memo, depth + 1, at);
		}
	} else if (fy_node_is_sequence(n)) {
		struct fy_node *item;
		while ((item = fy_node_sequence_iterate(n, &it)) && total <= MAX_NODES)
			total += expanded(item, memo, depth + 1, at);
	}
	return total;
}

static bool aliases_bounded(struct fy_document *doc, s75_pos *at)
{
	node_count memo = {NULL, NULL, 0, 0};
	at->line = at->col = 0;
	uint64_t n = expanded(fy_document_root(doc), &memo, 0, at);
	free(memo.node);
	free(memo.size);
	if (n > MAX_NODES && !at->line) {
		at->line = 1;
		at->col = 1;
	}
	return n <= MAX_NODES;
}

/* tolerance: {percent: 5, amount: 250000, working_days: 10} (s75_tolerance). */
static void load_tolerance(loader *l, struct fy_node *m)
{
	static const char *const keys[] = {"percent", "amount", "working_days", NULL};
	s75_tolerance *t = &l->ag->tolerance;
	struct fy_node *v;
	yn_check_keys(&l->y, m, keys, "tolerance");
	t->present = true;
	t->pos = yn_pos(m);
	t->bp = t->amount = -1;
	t->working_days = 10;
	if ((v = yn_get(&l->y, m, "percent", false, ""))) {
		const char *s = yn_str(&l->y, v, "tolerance percent");
		int64_t bp;
		if (s && (s75_money_parse(&bp, s, strlen(s), S75_UNIT_POUNDS, 0) || bp <= 0 || bp > 10000))
			yn_error(&l->y, v, "tolerance percent '%s' must be a percentage above 0 and up to 100 with at most two decimals", s);
		else if (s)
			t->bp = bp;
	}
	if ((v = yn_get(&l->y, m, "amount", false, "")) && yn_money(&l->y, v, S75_UNIT_POUNDS, "tolerance amount", &t->amount) &&
	    t->amount <= 0) {
		yn_error(&l->y, v, "tolerance amount must be above zero");
		t->amount = -1;
	}
	int days = -1;
	yn_get_int(&l->y, m, "working_days", "tolerance", 1, 250, &days);
	if (days > 0)
		t->working_days = days;
	if (t->bp < 0 && t->amount < 0)
		yn_error(&l->y, m, "tolerance needs a percent (of an element's budget) or an amount");
}

int s75_agreement_load(s75_agreement **out, const char *path, s75_diags *diags)
{
	static const char *const keys[] = {"s75",   "agreement",    "partners",	"notice",
					   "arrangements", "years", "cost_centres", "import_profiles",
					   "kpis", "governance", "risks", "variations",
					   "tolerance", "instalments", "dimensions", NULL};
	s75_agreement *ag = NULL;
	struct fy_diag *fyd = NULL;
	struct fy_document *doc = NULL;
	char *text = NULL;
	size_t len = 0;
	size_t errors_before = diags->nerrors;
	int rc;
	loader l;

	*out = NULL;
	if ((rc = read_file(path, &text, &len)))
		return rc;

	ag = xcalloc(1, sizeof(*ag));
	ag->arena = s75_arena_new();
	ag->path = s75_arena_strdup(ag->arena, path);
	const char *slash = strrchr(path, '/');
	ag->dir = slash ? s75_arena_strndup(ag->arena, path, (size_t)(slash - path) + (slash == path))
			: ".";
	ag->host = ag->pool_manager_partner = -1;
	ag->notice.general_months = ag->notice.no_contribution_agreement_months =
		ag->notice.default_months = -1;
	s75_sha256_bytes(ag->sha256, text, len);

	memset(&l, 0, sizeof(l));
	l.ag = ag;
	l.y.file = ag->path;
	l.y.diags = diags;
	l.y.arena = ag->arena;
	l.y.text = text;
	l.y.text_len = len;

	struct fy_diag_cfg dcfg;
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	fyd = fy_diag_create(&dcfg);
	if (!fyd)
		abort();
	fy_diag_set_collect_errors(fyd, true);
	/* aliases are resolved (an unknown anchor is an error) */
	struct fy_parse_cfg cfg = {
		.flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2,
		.diag = fyd};
	/* the parser is given only UTF-8 text (some malformed directives make it loop) */
	s75_pos bad;
	if (!utf8_text(text, len, &bad)) {
		s75_diags_add(diags, S75_DIAG_ERROR, path, bad,
			      "not UTF-8 text (save the agreement as UTF-8)");
		goto done;
	}
	doc = len ? fy_document_build_from_string(&cfg, text, len) : NULL;
	if (doc && !aliases_bounded(doc, &bad)) {
		s75_diags_add(diags, S75_DIAG_ERROR, path, bad,
			      "aliases expand the document to more than %d nodes", MAX_NODES);
		goto done;
	}
	if (doc && fy_document_resolve(doc)) {
		fy_document_destroy(doc);
		doc = NULL; /* an alias to an anchor that does not exist: reported below */
	}
	if (!doc) {
		void *it = NULL;
		struct fy_diag_error *e;
		size_t n = 0;
		while ((e = fy_diag_errors_iterate(fyd, &it))) {
			s75_pos p = {e->line, e->column};
			s75_diags_add(diags, S75_DIAG_ERROR, path, p, "%s", e->msg);
			n++;
		}
		if (n == 0) {
			s75_pos p = {1, 1};
			s75_diags_add(diags, S75_DIAG_ERROR, path, p,
				      "empty file: no agreement (only comments or blank lines)");
		}
		goto done;
	}
	struct fy_node *root = fy_document_root(doc), *v;
	if (!root || !fy_node_is_mapping(root)) {
		s75_pos p = {1, 1};
		s75_diags_add(diags, S75_DIAG_ERROR, path, root ? yn_node_pos(&l.y, root) : p,
			      "the agreement file must be a mapping with 'agreement', 'partners' and 'arrangements'");
		goto done;
	}
	yn_check_keys(&l.y, root, keys, "the agreement file");
	if ((v = yn_get(&l.y, root, "s75", false, ""))) {
		const char *s = yn_str(&l.y, v, "s75");
		if (s && strcmp(s, "1"))
			yn_error(&l.y, v, "unsupported format version '%s' (this s75 reads version 1)", s);
	}
	/* partners first: everything else refers to them */
	if ((v = yn_get(&l.y, root, "partners", true, "the agreement file")) &&
	    yn_is_seq(&l.y, v, "partners"))
		load_partners(&l, v, yn_key_pos(root, "partners"));
	if ((v = yn_get(&l.y, root, "agreement", true, "the agreement file")) &&
	    yn_is_map(&l.y, v, "agreement"))
		load_agreement_section(&l, v);
	if ((v = yn_get(&l.y, root, "notice", false, "")) && yn_is_map(&l.y, v, "notice"))
		load_notice(&l, v);
	if ((v = yn_get(&l.y, root, "tolerance", false, "")) && yn_is_map(&l.y, v, "tolerance"))
		load_tolerance(&l, v);
	/* One tolerance for the RAG and the alerts: without a forecast_tolerance of its own, the
	 * RAG's amber band is the percent that must be reported to the partners. */
	if (!ag->has_forecast_tolerance && ag->tolerance.present && ag->tolerance.bp > 0) {
		ag->forecast_tolerance_bp = ag->tolerance.bp;
		ag->forecast_tolerance_from_alerts = true;
	}
	{
		static const char *const kinds[] = {"none", "quarterly-in-advance", "quarterly-in-arrears",
						    "monthly-in-advance", "monthly-in-arrears", NULL};
		int k = 0;
		yn_get_enum(&l.y, root, "instalments", false, "the agreement file", kinds, &k);
		ag->instalments = (s75_instalments)k;
	}
	if ((v = yn_get(&l.y, root, "arrangements", true, "the agreement file")) &&
	    yn_is_seq(&l.y, v, "arrangements"))
		load_arrangements(&l, v, yn_key_pos(root, "arrangements"));
	ag->cc_index = s75_strmap_new();
	load_dimensions(&l, root);
	if ((v = yn_get(&l.y, root, "cost_centres", false, ""))) {
		if (fy_node_is_scalar(v)) {
			const char *name = yn_str(&l.y, v, "cost_centres");
			if (name)
				load_cost_centres_csv(&l, v, name);
		} else if (yn_is_seq(&l.y, v, "cost_centres (a list, or the name of a CSV file)")) {
			load_cost_centres_inline(&l, v);
		}
	}
	if ((v = yn_get(&l.y, root, "import_profiles", false, "")) &&
	    yn_is_seq(&l.y, v, "import_profiles"))
		load_profiles(&l, v);
	if ((v = yn_get(&l.y, root, "years", false, "")) && yn_is_seq(&l.y, v, "years"))
		load_years(&l, v);
	load_governance_sections(&l, root);
	cross_checks(&l, root);
	check_contribution_sums(ag, diags);
done:
	fy_document_destroy(doc);
	fy_diag_destroy(fyd);
	free(text);
	s75_diags_sort(diags);
	if (diags->nerrors > errors_before) {
		s75_agreement_free(ag);
		return S75_EINVALID;
	}
	*out = ag;
	return 0;
}

void s75_agreement_free(s75_agreement *ag)
{
	if (!ag)
		return;
	for (size_t i = 0; i < ag->nprofiles; i++)
		s75_strmap_free(ag->profiles[i].cc_map_index);
	s75_arena_free(ag->arena);
	s75_strmap_free(ag->cc_index);
	free(ag);
}
