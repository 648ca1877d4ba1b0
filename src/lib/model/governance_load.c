/* Reading the agreement's kpis, governance, risks and variations sections
 * (docs/agreement-format.md): every problem is a diagnostic at its node, references to
 * partners, pools, elements and KPIs are checked, and unknown keys are errors. */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "loader.h"
#include "s75/error.h"
#include "s75/governance.h"

static const char *const kpi_units[] = {"count", "percent", "rate-per-100k", "days", NULL};
static const char *const kpi_better[] = {"higher", "lower", NULL};
static const char *const items[] = {"quarterly-report", "annual-return", "schedules",
                                    "risk-assessment", "tolerance-report", NULL};
/* what a body's duty can be: a tolerance report is due by the agreement's tolerance */
static const char *const duty_items[] = {"quarterly-report", "annual-return", "schedules",
                                         "risk-assessment", NULL};
static const char *const risk_kinds[] = {"reputation", "workforce",   "claims", "financial",
                                         "risk-share", "performance", "other",  NULL};
static const char *const frequencies[] = {"monthly",     "bi-monthly", "quarterly",
                                          "six-monthly", "annually",   NULL};
static const int frequency_months[] = {1, 2, 3, 6, 12};

const char *s75_kpi_unit_name(s75_kpi_unit u)
{
	return kpi_units[u];
}

const char *s75_gov_item_name(s75_gov_item i)
{
	return items[i];
}

int s75_gov_item_parse(const char *s)
{
	for (int i = 0; items[i]; i++)
		if (!strcmp(items[i], s))
			return i;
	return -1;
}

const char *s75_risk_kind_name(s75_risk_kind k)
{
	return risk_kinds[k];
}

const char *s75_frequency_name(int every_months)
{
	for (int i = 0; frequencies[i]; i++)
		if (frequency_months[i] == every_months)
			return frequencies[i];
	return "";
}

const s75_gov_model *s75_agreement_governance(const s75_agreement *ag)
{
	static const s75_gov_model none = {NULL, 0, NULL, 0, 6, NULL, 0, NULL, 0};
	return ag && ag->gov ? ag->gov : &none;
}

int s75_agreement_find_kpi(const s75_agreement *ag, const char *id)
{
	const s75_gov_model *g = s75_agreement_governance(ag);
	for (size_t i = 0; i < g->nkpis; i++)
		if (g->kpis[i].id && !strcmp(g->kpis[i].id, id))
			return (int)i;
	return -1;
}

int s75_agreement_find_body(const s75_agreement *ag, const char *id)
{
	const s75_gov_model *g = s75_agreement_governance(ag);
	for (size_t i = 0; i < g->nbodies; i++)
		if (g->bodies[i].id && !strcmp(g->bodies[i].id, id))
			return (int)i;
	return -1;
}

const s75_variation *s75_agreement_variations(const s75_agreement *ag, size_t *n)
{
	const s75_gov_model *g = s75_agreement_governance(ag);
	*n = g->nvariations;
	return g->variations;
}

/* A KPI value at node `n`; reported if bad. */
static bool kpi_value(loader *l, struct fy_node *n, const char *what, int64_t *out)
{
	size_t len;
	const char *s = n && fy_node_is_scalar(n) ? fy_node_get_scalar(n, &len) : NULL;
	if (!s) {
		yn_error(&l->y, n, "%s must be a number", what);
		return false;
	}
	if (s75_kpi_value_parse(out, s, len)) {
		yn_error(&l->y, n, "%s: %s", what, s75_error_last());
		return false;
	}
	return true;
}

/* `{value, period}`: a baseline. */
static bool load_baseline(loader *l, struct fy_node *m, int64_t *value, const char **period)
{
	static const char *const keys[] = {"value", "period", NULL};
	struct fy_node *v;
	bool ok = true;
	if (!yn_is_map(&l->y, m, "a baseline ({value, period})"))
		return false;
	yn_check_keys(&l->y, m, keys, "a baseline");
	v = yn_get(&l->y, m, "value", true, "a baseline");
	ok = v && kpi_value(l, v, "baseline value", value);
	*period = NULL;
	if ((v = yn_get(&l->y, m, "period", true, "a baseline"))) {
		const char *s = yn_str(&l->y, v, "baseline period");
		s75_rperiod p;
		if (s && s75_rperiod_parse(&p, s)) {
			yn_error(&l->y, v, "%s", s75_error_last());
			ok = false;
		} else if (s) {
			*period = s75_arena_strdup(l->y.arena, p.label);
		}
	}
	return ok && *period;
}

/* `{value, by}`: a target. */
static bool load_target(loader *l, struct fy_node *m, int64_t *value, bool *has_date,
                        s75_date *date)
{
	static const char *const keys[] = {"value", "by", NULL};
	struct fy_node *v;
	if (fy_node_is_scalar(m)) {
		*has_date = false;
		return kpi_value(l, m, "target", value);
	}
	if (!yn_is_map(&l->y, m, "a target ({value, by} or a number)"))
		return false;
	yn_check_keys(&l->y, m, keys, "a target");
	v = yn_get(&l->y, m, "value", true, "a target");
	bool ok = v && kpi_value(l, v, "target value", value);
	*has_date = yn_get_date(&l->y, m, "by", false, "a target", date);
	return ok;
}

static void load_kpi(loader *l, struct fy_node *m, s75_kpi *k)
{
	static const char *const keys[] = {"id",       "name",   "pool",      "unit",   "better",
	                                   "baseline", "target", "tolerance", "source", NULL};
	struct fy_node *v;
	int unit = S75_KPI_COUNT, better = S75_KPI_HIGHER;

	yn_check_keys(&l->y, m, keys, "a KPI");
	k->pos = yn_pos(m);
	k->id = yn_get_id(&l->y, m, "id", true, "KPI");
	k->name = yn_get_str(&l->y, m, "name", true, "KPI");
	k->pool = -1;
	if ((v = yn_get(&l->y, m, "pool", true, "a KPI"))) {
		const char *id = yn_str(&l->y, v, "pool");
		k->pool = id ? pool_ref_text(l, v, id) : -1;
	}
	yn_get_enum(&l->y, m, "unit", true, "KPI", kpi_units, &unit);
	k->unit = (s75_kpi_unit)unit;
	yn_get_enum(&l->y, m, "better", true, "KPI", kpi_better, &better);
	k->better = (s75_kpi_better)better;
	if ((v = yn_get(&l->y, m, "baseline", false, "")))
		k->has_baseline = load_baseline(l, v, &k->baseline, &k->baseline_period);
	if ((v = yn_get(&l->y, m, "target", false, "")))
		k->has_target = load_target(l, v, &k->target, &k->has_target_date, &k->target_date);
	if ((v = yn_get(&l->y, m, "tolerance", false, ""))) {
		if (kpi_value(l, v, "tolerance", &k->tolerance) && k->tolerance < 0) {
			yn_error(&l->y, v, "a tolerance cannot be negative");
			k->tolerance = 0;
		}
		if (!yn_get(&l->y, m, "target", false, ""))
			yn_error(&l->y, v, "a tolerance needs a target");
	}
	if (k->unit == S75_KPI_PERCENT && k->has_target &&
	    (k->target < 0 || k->target > 100 * (int64_t)S75_KPI_SCALE))
		yn_error(&l->y, yn_get(&l->y, m, "target", false, ""),
		         "a percentage target must be from 0 to 100");
	k->source = yn_get_str(&l->y, m, "source", false, "KPI");
}

static void load_kpis(loader *l, s75_gov_model *g, struct fy_node *seq)
{
	int n = fy_node_sequence_item_count(seq);
	void *it = NULL;
	struct fy_node *item;
	g->kpis = s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1), sizeof(s75_kpi));
	while ((item = fy_node_sequence_iterate(seq, &it))) {
		if (!yn_is_map(&l->y, item, "a KPI"))
			continue;
		s75_kpi *k = &g->kpis[g->nkpis];
		load_kpi(l, item, k);
		if (k->id && s75_agreement_find_kpi(l->ag, k->id) >= 0) {
			yn_error(&l->y, yn_get(&l->y, item, "id", false, ""),
			         "duplicate KPI id '%s'", k->id);
			k->id = NULL;
		}
		g->nkpis++;
	}
}

/* A day of the year written `MM-DD`. */
static bool month_day(loader *l, struct fy_node *v, int *month, int *day)
{
	const char *s = yn_str(&l->y, v, "by");
	s75_date d;
	if (!s)
		return false;
	bool digits = strlen(s) == 5 && s[2] == '-';
	for (int i = 0; digits && i < 5; i++)
		digits = i == 2 || (s[i] >= '0' && s[i] <= '9');
	/* a day that every year has: 02-29 is not one */
	if (!digits || s75_date_from_ymd(&d, 2001, (s[0] - '0') * 10 + (s[1] - '0'),
	                                 (s[3] - '0') * 10 + (s[4] - '0'))) {
		yn_error(&l->y, v, "'by' is a day of the year written MM-DD (e.g. 12-31), not '%s'",
		         s);
		return false;
	}
	*month = (s[0] - '0') * 10 + (s[1] - '0');
	*day = (s[3] - '0') * 10 + (s[4] - '0');
	return true;
}

/* One item a body receives; false if its item is not known. */
static bool load_duty(loader *l, struct fy_node *m, s75_gov_duty *d)
{
	static const char *const keys[] = {"item", "within_days", "by", NULL};
	int item = 0;
	struct fy_node *v;
	yn_check_keys(&l->y, m, keys, "what a body receives");
	d->pos = yn_pos(m);
	if (!yn_get_enum(&l->y, m, "item", true, "what a body receives", duty_items, &item))
		return false;
	d->item = (s75_gov_item)item;
	yn_get_int(&l->y, m, "within_days", "what a body receives", 0, 366, &d->within_days);
	if ((v = yn_get(&l->y, m, "by", false, "")))
		month_day(l, v, &d->by_month, &d->by_day);
	bool has_within = yn_get(&l->y, m, "within_days", false, "") != NULL;
	bool has_by = v != NULL;
	if (has_within && has_by)
		yn_error(&l->y, m, "give 'within_days' or 'by', not both");
	else if (!has_within && !has_by)
		yn_error(&l->y, m, "%s: say when it is due ('within_days' or 'by')", items[item]);
	else if (d->item == S75_ITEM_QUARTERLY_REPORT && has_by)
		yn_error(&l->y, v, "a quarterly report is due 'within_days' of each quarter's end");
	return true;
}

/* A quorum: a number of members, or {members, each_partner}. */
static void load_quorum(loader *l, struct fy_node *v, s75_gov_body *b)
{
	static const char *const keys[] = {"members", "each_partner", NULL};
	if (fy_node_is_scalar(v)) {
		const char *s = yn_str(&l->y, v, "quorum");
		int n = 0;
		bool ok = s && *s;
		for (const char *p = s; ok && *p; p++) {
			ok = *p >= '0' && *p <= '9' && n < 1000;
			n = n * 10 + (*p - '0');
		}
		if (!ok || n < 1)
			yn_error(&l->y, v,
			         "a quorum is a number of members present (1 or more), or "
			         "{members, each_partner}");
		else
			b->quorum_members = n;
		return;
	}
	if (!yn_is_map(&l->y, v, "a quorum"))
		return;
	yn_check_keys(&l->y, v, keys, "a quorum");
	int n;
	if (yn_get_int(&l->y, v, "members", "quorum", 1, 1000, &n))
		b->quorum_members = n;
	if (yn_get_int(&l->y, v, "each_partner", "quorum", 1, 1000, &n))
		b->quorum_each_partner = n;
	if (!b->quorum_members && !b->quorum_each_partner)
		yn_error(&l->y, v, "a quorum needs 'members' or 'each_partner'");
}

static void load_body(loader *l, struct fy_node *m, s75_gov_body *b)
{
	static const char *const keys[] = {
	    "id",     "name",     "pools", "chair", "members", "quorum", "meets", "public_meetings",
	    "duties", "receives", "from",  "to",    NULL};
	static const char *const mkeys[] = {"partner", "role", "count", NULL};
	static const char *const ckeys[] = {"partner", "role", NULL};
	const s75_agreement *ag = l->ag;
	struct fy_node *v;
	int freq;

	yn_check_keys(&l->y, m, keys, "a governance body");
	b->pos = yn_pos(m);
	b->id = yn_get_id(&l->y, m, "id", true, "governance body");
	b->name = yn_get_str(&l->y, m, "name", true, "governance body");
	b->chair_partner = -1;
	if ((v = yn_get(&l->y, m, "pools", false, "")) && yn_is_seq(&l->y, v, "pools")) {
		int n = fy_node_sequence_item_count(v);
		void *it = NULL;
		struct fy_node *item;
		b->pools = s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1), sizeof(int));
		while ((item = fy_node_sequence_iterate(v, &it))) {
			const char *id = yn_str(&l->y, item, "a pool");
			int a = id ? s75_agreement_find_arrangement(ag, id) : -1;
			if (id && a < 0)
				pool_ref_text(l, item, id); /* reports it, listing the pools */
			else if (a >= 0)
				b->pools[b->npools++] = a;
		}
	}
	if ((v = yn_get(&l->y, m, "chair", false, "")) &&
	    yn_is_map(&l->y, v, "chair ({partner, role})")) {
		yn_check_keys(&l->y, v, ckeys, "chair");
		b->chair_partner = partner_ref(l, v, "partner", true, "chair");
		b->chair_role = yn_get_str(&l->y, v, "role", false, "chair");
	}
	if ((v = yn_get(&l->y, m, "members", true, "a governance body")) &&
	    yn_is_seq(&l->y, v, "members")) {
		int n = fy_node_sequence_item_count(v);
		void *it = NULL;
		struct fy_node *item;
		b->members =
		    s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1), sizeof(s75_gov_member));
		while ((item = fy_node_sequence_iterate(v, &it))) {
			if (!yn_is_map(&l->y, item, "a member ({partner, role, count})"))
				continue;
			yn_check_keys(&l->y, item, mkeys, "a member");
			s75_gov_member *x = &b->members[b->nmembers];
			x->partner = partner_ref(l, item, "partner", true, "member");
			x->role = yn_get_str(&l->y, item, "role", true, "member");
			if (!yn_get_int(&l->y, item, "count", "member", 1, 100, &x->count))
				x->count = 1;
			if (x->partner >= 0)
				b->nmembers++;
		}
		if (n == 0)
			yn_error(&l->y, v, "body '%s' has no members", b->id ? b->id : "?");
	}
	if (b->chair_partner >= 0 && b->nmembers) {
		bool found = false;
		for (size_t i = 0; i < b->nmembers; i++)
			found |= b->members[i].partner == b->chair_partner;
		if (!found)
			yn_warning(&l->y, yn_get(&l->y, m, "chair", false, ""),
			           "the chair's partner '%s' has no members on '%s'",
			           ag->partners[b->chair_partner].id, b->id ? b->id : "?");
	}
	if ((v = yn_get(&l->y, m, "quorum", false, "")))
		load_quorum(l, v, b);
	int total = 0;
	int *by_partner = s75_arena_alloc(l->y.arena, ag->npartners + 1, sizeof(int));
	for (size_t i = 0; i < b->nmembers; i++) {
		total += b->members[i].count;
		by_partner[b->members[i].partner] += b->members[i].count;
	}
	if (b->nmembers && b->quorum_members > total)
		yn_error(&l->y, v, "a quorum of %d members is more than the %d members of '%s'",
		         b->quorum_members, total, b->id ? b->id : "?");
	for (size_t p = 0; b->quorum_each_partner && p < ag->npartners; p++)
		if (by_partner[p] && by_partner[p] < b->quorum_each_partner)
			yn_error(&l->y, v,
			         "the quorum needs %d members of '%s', which has %d on '%s'",
			         b->quorum_each_partner, ag->partners[p].id, by_partner[p],
			         b->id ? b->id : "?");
	if (yn_get_enum(&l->y, m, "meets", false, "governance body", frequencies, &freq))
		b->every_months = frequency_months[freq];
	if (!yn_get_int(&l->y, m, "public_meetings", "governance body", 0, 12, &b->public_meetings))
		b->public_meetings = 0;
	yn_get_strlist(&l->y, m, "duties", "duties", &b->duties);
	if ((v = yn_get(&l->y, m, "receives", false, "")) && yn_is_seq(&l->y, v, "receives")) {
		int n = fy_node_sequence_item_count(v);
		void *it = NULL;
		struct fy_node *item;
		b->receives =
		    s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1), sizeof(s75_gov_duty));
		while ((item = fy_node_sequence_iterate(v, &it))) {
			if (!yn_is_map(&l->y, item,
			               "what a body receives ({item, within_days | by})"))
				continue;
			s75_gov_duty *d = &b->receives[b->nreceives];
			if (!load_duty(l, item, d))
				continue;
			for (size_t k = 0; k < b->nreceives; k++)
				if (b->receives[k].item == d->item)
					yn_error(&l->y, item, "'%s' is received twice by '%s'",
					         items[d->item], b->id ? b->id : "?");
			b->nreceives++;
		}
	}
	b->has_from = yn_get_date(&l->y, m, "from", false, "governance body", &b->from);
	b->has_to = yn_get_date(&l->y, m, "to", false, "governance body", &b->to);
	if (b->has_from && b->has_to && b->to < b->from)
		yn_error(&l->y, yn_get(&l->y, m, "to", false, ""), "'to' is before 'from'");
}

static void load_governance(loader *l, s75_gov_model *g, struct fy_node *m)
{
	static const char *const keys[] = {"bodies", "end_warning_months", NULL};
	struct fy_node *v;
	int months;
	yn_check_keys(&l->y, m, keys, "governance");
	if (yn_get_int(&l->y, m, "end_warning_months", "governance", 1, 60, &months))
		g->end_warning_months = months;
	if (!(v = yn_get(&l->y, m, "bodies", true, "governance")) || !yn_is_seq(&l->y, v, "bodies"))
		return;
	int n = fy_node_sequence_item_count(v);
	void *it = NULL;
	struct fy_node *item;
	g->bodies = s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1), sizeof(s75_gov_body));
	while ((item = fy_node_sequence_iterate(v, &it))) {
		if (!yn_is_map(&l->y, item, "a governance body"))
			continue;
		s75_gov_body *b = &g->bodies[g->nbodies];
		load_body(l, item, b);
		if (b->id && s75_agreement_find_body(l->ag, b->id) >= 0) {
			yn_error(&l->y, yn_get(&l->y, item, "id", false, ""),
			         "duplicate governance body id '%s'", b->id);
			b->id = NULL;
		}
		g->nbodies++;
	}
}

static void load_risk(loader *l, struct fy_node *m, s75_risk *r)
{
	static const char *const keys[] = {"id",     "title",      "kind",   "pool",
	                                   "owner",  "likelihood", "impact", "mitigations",
	                                   "review", "reviewed",   NULL};
	static const char *const okeys[] = {"partner", "role", NULL};
	struct fy_node *v;
	int kind = S75_RISK_OTHER;

	yn_check_keys(&l->y, m, keys, "a risk");
	r->pos = yn_pos(m);
	r->id = yn_get_id(&l->y, m, "id", true, "risk");
	r->title = yn_get_str(&l->y, m, "title", true, "risk");
	yn_get_enum(&l->y, m, "kind", true, "risk", risk_kinds, &kind);
	r->kind = (s75_risk_kind)kind;
	r->pool = r->owner = -1;
	if ((v = yn_get(&l->y, m, "pool", false, ""))) {
		const char *id = yn_str(&l->y, v, "pool");
		r->pool = id ? pool_ref_text(l, v, id) : -1;
	}
	if ((v = yn_get(&l->y, m, "owner", true, "a risk")) &&
	    yn_is_map(&l->y, v, "owner ({partner, role})")) {
		yn_check_keys(&l->y, v, okeys, "owner");
		r->owner = partner_ref(l, v, "partner", true, "owner");
		r->owner_role = yn_get_str(&l->y, v, "role", true, "owner");
	}
	if (!yn_get(&l->y, m, "likelihood", true, "a risk") ||
	    !yn_get_int(&l->y, m, "likelihood", "risk", 1, 5, &r->likelihood))
		r->likelihood = 0;
	if (!yn_get(&l->y, m, "impact", true, "a risk") ||
	    !yn_get_int(&l->y, m, "impact", "risk", 1, 5, &r->impact))
		r->impact = 0;
	yn_get_strlist(&l->y, m, "mitigations", "mitigations", &r->mitigations);
	if (!yn_get(&l->y, m, "mitigations", false, ""))
		yn_warning(&l->y, m, "risk '%s' has no mitigating actions", r->id ? r->id : "?");
	yn_get_date(&l->y, m, "review", true, "risk", &r->review);
	r->has_reviewed = yn_get_date(&l->y, m, "reviewed", false, "risk", &r->reviewed);
	if (r->has_reviewed && r->review && r->review < r->reviewed)
		yn_error(&l->y, yn_get(&l->y, m, "review", false, ""),
		         "the next review is before the last one ('reviewed')");
}

static void load_risks(loader *l, s75_gov_model *g, struct fy_node *seq)
{
	int n = fy_node_sequence_item_count(seq);
	void *it = NULL;
	struct fy_node *item;
	g->risks = s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1), sizeof(s75_risk));
	while ((item = fy_node_sequence_iterate(seq, &it))) {
		if (!yn_is_map(&l->y, item, "a risk"))
			continue;
		s75_risk *r = &g->risks[g->nrisks];
		load_risk(l, item, r);
		for (size_t k = 0; r->id && k < g->nrisks; k++)
			if (g->risks[k].id && !strcmp(g->risks[k].id, r->id)) {
				yn_error(&l->y, yn_get(&l->y, item, "id", false, ""),
				         "duplicate risk id '%s'", r->id);
				r->id = NULL;
				break;
			}
		g->nrisks++;
	}
}

/* A partner's contribution changed by a variation. */
static void load_var_contribution(loader *l, s75_variation *x, struct fy_node *m)
{
	static const char *const keys[] = {"pool",   "element", "partner", "gross",
	                                   "income", "grants",  NULL};
	s75_var_contribution *c = &x->contributions[x->ncontributions];
	struct fy_node *v;
	bool ok = true, any = false;
	yn_check_keys(&l->y, m, keys, "a contribution change");
	c->pos = yn_pos(m);
	const char *pool = yn_get_str(&l->y, m, "pool", true, "a contribution change");
	const char *el = yn_get_str(&l->y, m, "element", true, "a contribution change");
	c->pool = pool ? pool_ref_text(l, yn_get(&l->y, m, "pool", false, ""), pool) : -1;
	c->element = c->pool >= 0 && el
	                 ? element_ref_text(l, yn_get(&l->y, m, "element", false, ""), c->pool, el)
	                 : -1;
	c->partner = partner_ref(l, m, "partner", true, "a contribution change");
	ok = c->pool >= 0 && c->element >= 0 && c->partner >= 0;
	const char *names[] = {"gross", "income", "grants"};
	int64_t *vals[] = {&c->gross, &c->income, &c->grants};
	for (int i = 0; i < 3; i++)
		if ((v = yn_get(&l->y, m, names[i], false, ""))) {
			ok = yn_money(&l->y, v, x->unit, names[i], vals[i]) && ok;
			any = true;
		}
	if (!any) {
		yn_error(&l->y, m,
		         "a contribution change needs 'gross', 'income' or 'grants' (the amount "
		         "added, or taken if negative)");
		ok = false;
	}
	if (ok && (__builtin_sub_overflow(c->gross, c->income, &c->net) ||
	           __builtin_sub_overflow(c->net, c->grants, &c->net))) {
		yn_error(&l->y, m, "net change out of range");
		ok = false;
	}
	if (ok)
		x->ncontributions++;
}

static void load_var_kpi(loader *l, s75_variation *x, struct fy_node *m)
{
	static const char *const keys[] = {"kpi", "target", "tolerance", "baseline", NULL};
	s75_var_kpi *k = &x->kpis[x->nkpis];
	struct fy_node *v;
	yn_check_keys(&l->y, m, keys, "a KPI change");
	k->pos = yn_pos(m);
	k->kpi = -1;
	if ((v = yn_get(&l->y, m, "kpi", true, "a KPI change"))) {
		const char *id = yn_str(&l->y, v, "kpi");
		if (id && (k->kpi = s75_agreement_find_kpi(l->ag, id)) < 0)
			yn_error(&l->y, v, "unknown KPI '%s'", id);
	}
	if ((v = yn_get(&l->y, m, "target", false, "")))
		k->set_target = load_target(l, v, &k->target, &k->set_target_date, &k->target_date);
	if ((v = yn_get(&l->y, m, "tolerance", false, ""))) {
		k->set_tolerance = kpi_value(l, v, "tolerance", &k->tolerance);
		if (k->set_tolerance && k->tolerance < 0) {
			yn_error(&l->y, v, "a tolerance cannot be negative");
			k->set_tolerance = false;
		}
	}
	if ((v = yn_get(&l->y, m, "baseline", false, "")))
		k->set_baseline = load_baseline(l, v, &k->baseline, &k->baseline_period);
	if (!k->set_target && !k->set_tolerance && !k->set_baseline) {
		if (!yn_get(&l->y, m, "target", false, "") &&
		    !yn_get(&l->y, m, "tolerance", false, "") &&
		    !yn_get(&l->y, m, "baseline", false, ""))
			yn_error(&l->y, m,
			         "a KPI change needs 'target', 'tolerance' or 'baseline'");
		return;
	}
	if (k->kpi >= 0)
		x->nkpis++;
}

static void load_variation(loader *l, struct fy_node *m, s75_variation *x)
{
	static const char *const keys[] = {"id",          "effective", "decision",
	                                   "description", "units",     "contributions",
	                                   "risk_share",  "kpis",      NULL};
	s75_agreement *ag = l->ag;
	struct fy_node *v;
	const s75_year *y = NULL;

	yn_check_keys(&l->y, m, keys, "a variation");
	x->pos = yn_pos(m);
	x->fy = -1;
	x->id = yn_get_id(&l->y, m, "id", true, "variation");
	x->decision = yn_get_id(&l->y, m, "decision", true, "variation");
	x->description = yn_get_str(&l->y, m, "description", false, "variation");
	bool dated = yn_get_date(&l->y, m, "effective", true, "variation", &x->effective);
	if (dated) {
		x->fy = s75_fy_of_date(x->effective);
		y = s75_agreement_find_year(ag, x->fy);
		if (x->effective < ag->start)
			yn_error(&l->y, yn_get(&l->y, m, "effective", false, ""),
			         "variation '%s' takes effect before the agreement starts",
			         x->id ? x->id : "?");
	}
	x->unit = y ? y->unit : S75_UNIT_POUNDS;
	if ((v = yn_get(&l->y, m, "units", false, ""))) {
		const char *s = yn_str(&l->y, v, "units");
		if (s && s75_unit_parse(&x->unit, s))
			yn_error(&l->y, v, "%s", s75_error_last());
	}
	struct fy_node *cv = yn_get(&l->y, m, "contributions", false, "");
	struct fy_node *rv = yn_get(&l->y, m, "risk_share", false, "");
	struct fy_node *kv = yn_get(&l->y, m, "kpis", false, "");
	if (!cv && !rv && !kv)
		yn_error(&l->y, m,
		         "variation '%s' changes nothing (give contributions, risk_share or kpis)",
		         x->id ? x->id : "?");
	if ((cv || rv) && dated && !y) {
		char fy[8];
		yn_error(&l->y, cv ? cv : rv,
		         "variation '%s' takes effect in %s, for which the agreement has no "
		         "schedule (years)",
		         x->id ? x->id : "?", s75_fy_format(fy, x->fy));
	}
	if (cv &&
	    yn_is_seq(
	        &l->y, cv,
	        "contributions (a list of {pool, element, partner, gross, income, grants})")) {
		int n = fy_node_sequence_item_count(cv);
		void *it = NULL;
		struct fy_node *item;
		x->contributions = s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1),
		                                   sizeof(s75_var_contribution));
		while ((item = fy_node_sequence_iterate(cv, &it)))
			if (yn_is_map(&l->y, item, "a contribution change"))
				load_var_contribution(l, x, item);
	}
	if (rv && y && yn_is_map(&l->y, rv, "risk_share (POOL: {overspend, underspend, ...})")) {
		/* the year's loader, on a copy of the year in the variation's units */
		s75_year tmp = *y;
		tmp.unit = x->unit;
		tmp.risk_share = NULL;
		tmp.nrisk_share = 0;
		load_risk_share(l, &tmp, rv);
		x->risk_share = tmp.risk_share;
		x->nrisk_share = tmp.nrisk_share;
	}
	if (kv && yn_is_seq(&l->y, kv, "kpis (a list of {kpi, target, tolerance, baseline})")) {
		int n = fy_node_sequence_item_count(kv);
		void *it = NULL;
		struct fy_node *item;
		x->kpis = s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1), sizeof(s75_var_kpi));
		while ((item = fy_node_sequence_iterate(kv, &it)))
			if (yn_is_map(&l->y, item, "a KPI change"))
				load_var_kpi(l, x, item);
	}
}

static void load_variations(loader *l, s75_gov_model *g, struct fy_node *seq)
{
	int n = fy_node_sequence_item_count(seq);
	void *it = NULL;
	struct fy_node *item;
	g->variations = s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1), sizeof(s75_variation));
	while ((item = fy_node_sequence_iterate(seq, &it))) {
		if (!yn_is_map(&l->y, item, "a variation"))
			continue;
		s75_variation *x = &g->variations[g->nvariations];
		load_variation(l, item, x);
		for (size_t k = 0; x->id && k < g->nvariations; k++)
			if (g->variations[k].id && !strcmp(g->variations[k].id, x->id)) {
				yn_error(&l->y, yn_get(&l->y, item, "id", false, ""),
				         "duplicate variation id '%s'", x->id);
				x->id = NULL;
				break;
			}
		g->nvariations++;
	}
}

void load_governance_sections(loader *l, struct fy_node *root)
{
	struct fy_node *v;
	s75_gov_model *g = s75_arena_alloc(l->y.arena, 1, sizeof(*g));
	g->end_warning_months = 6;
	l->ag->gov = g;
	if ((v = yn_get(&l->y, root, "kpis", false, "")) && yn_is_seq(&l->y, v, "kpis"))
		load_kpis(l, g, v);
	if ((v = yn_get(&l->y, root, "governance", false, "")) &&
	    yn_is_map(&l->y, v, "governance ({bodies, end_warning_months})"))
		load_governance(l, g, v);
	if ((v = yn_get(&l->y, root, "risks", false, "")) && yn_is_seq(&l->y, v, "risks"))
		load_risks(l, g, v);
	if ((v = yn_get(&l->y, root, "variations", false, "")) && yn_is_seq(&l->y, v, "variations"))
		load_variations(l, g, v);
}

/* KPI values: exact fixed-point, S75_KPI_SCALE units per 1. */

/* Values are bounded well inside int64 so sums and differences never overflow. */
#define KPI_MAX ((int64_t)1000000000000 * S75_KPI_SCALE)

int s75_kpi_value_parse(int64_t *out, const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	int64_t v = 0;
	int frac = -1, group = -1;
	bool neg = false, digits = false;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end > p && end[-1] == '%')
		end--;
	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	for (; p < end; p++) {
		if (*p == ',' && frac < 0 && digits && (group < 0 || group == 3)) {
			group = 0;
			continue;
		}
		if (*p == '.' && frac < 0 && digits && (group < 0 || group == 3)) {
			frac = 0;
			group = -1;
			continue;
		}
		if (*p < '0' || *p > '9')
			goto bad;
		if (frac >= 0 && ++frac > 4)
			return s75_error_set(S75_EINVALID, "'%.*s' has more than four decimals",
			                     (int)(len > 40 ? 40 : len), s);
		if (group >= 0 && ++group > 3)
			goto bad;
		v = v * 10 + (*p - '0');
		digits = true;
		if (v > KPI_MAX)
			return s75_error_set(S75_EINVALID, "'%.*s' is out of range",
			                     (int)(len > 40 ? 40 : len), s);
	}
	if (!digits || (group >= 0 && group != 3) || frac == 0)
		goto bad;
	for (int i = frac < 0 ? 0 : frac; i < 4; i++)
		v *= 10;
	if (v > KPI_MAX)
		return s75_error_set(S75_EINVALID, "'%.*s' is out of range",
		                     (int)(len > 40 ? 40 : len), s);
	*out = neg ? -v : v;
	return 0;
bad:
	return s75_error_set(S75_EINVALID, "'%.*s' is not a number", (int)(len > 40 ? 40 : len), s);
}

void s75_kpi_value_format(s75_buf *out, int64_t v, bool sep)
{
	char digits[32];
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t whole = a / S75_KPI_SCALE, frac = a % S75_KPI_SCALE;
	int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)whole);
	if (v < 0)
		s75_buf_putc(out, '-');
	for (int i = 0; i < n; i++) {
		if (sep && i > 0 && (n - i) % 3 == 0)
			s75_buf_putc(out, ',');
		s75_buf_putc(out, digits[i]);
	}
	if (frac) {
		char f[8];
		snprintf(f, sizeof(f), "%04llu", (unsigned long long)frac);
		for (int i = 3; i > 0 && f[i] == '0'; i--)
			f[i] = '\0';
		s75_buf_printf(out, ".%s", f);
	}
}
