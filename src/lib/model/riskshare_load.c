/* Reading a year's risk share and savings plans (docs/risk-share.md), and the checks
 * that a rule covers every case: bands without gaps, ratios of 100, caps that leave
 * someone to carry the rest, a lead for every element the lead method needs. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "loader.h"
#include "s75/alloc.h"
#include "s75/buf.h"
#include "s75/error.h"

static const char *const methods[] = {"contributions", "fixed", "lead", "partner", "own",
				      "carry_forward", NULL};

const char *s75_rs_method_name(s75_rs_method m)
{
	return methods[m];
}

const s75_rs_rule *s75_year_find_risk_share(const s75_year *y, int pool)
{
	for (size_t i = 0; y && i < y->nrisk_share; i++)
		if (y->risk_share[i].pool == pool)
			return &y->risk_share[i];
	return NULL;
}

/* A percentage with at most two decimals, as basis points. */
static bool parse_pct(const char *s, size_t len, int64_t *bp)
{
	int64_t pence;
	/* the money parser reads "76.78" exactly as 7678 hundredths */
	if (s75_money_parse(&pence, s, len, S75_UNIT_POUNDS, 0) || pence < 0 || pence > 10000)
		return false;
	*bp = pence;
	return true;
}

static void load_band(loader *l, s75_year *y, s75_rs_rule *r, struct fy_node *m, s75_rs_band *b,
		      bool over)
{
	static const char *const keys[] = {"up_to", "method", "scope",   "ratios",
					   "partner", "caps",  "note",    NULL};
	static const char *const scopes[] = {"pool", "element", NULL};
	const s75_agreement *ag = l->ag;
	const s75_arrangement *pool = &ag->arrangements[r->pool];
	struct fy_node *v;
	int method = S75_RS_CONTRIBUTIONS, scope = 0;

	yn_check_keys(&l->y, m, keys, "a risk-share band");
	b->pos = yn_pos(m);
	b->partner = -1;
	if ((v = yn_get(&l->y, m, "up_to", false, ""))) {
		b->bounded = yn_money(&l->y, v, y->unit, "up_to", &b->up_to);
		if (b->bounded && b->up_to <= 0) {
			yn_error(&l->y, v, "up_to must be more than zero");
			b->bounded = false;
		}
	}
	yn_get_enum(&l->y, m, "method", true, "a risk-share band", methods, &method);
	b->method = (s75_rs_method)method;
	if (b->method == S75_RS_CARRY_FORWARD && over)
		yn_error(&l->y, yn_get(&l->y, m, "method", false, ""),
			 "carry_forward applies to underspends only");
	if (yn_get_enum(&l->y, m, "scope", false, "a risk-share band", scopes, &scope))
		b->by_element = scope == 1;
	if (b->by_element && b->method != S75_RS_CONTRIBUTIONS)
		yn_error(&l->y, yn_get(&l->y, m, "scope", false, ""),
			 "scope applies to the contributions method only");
	v = yn_get(&l->y, m, "ratios", b->method == S75_RS_FIXED, "a fixed-ratio band");
	if (v && b->method != S75_RS_FIXED) {
		yn_error(&l->y, v, "ratios belong to the fixed method");
	} else if (v && yn_is_map(&l->y, v, "ratios (PARTNER: percent)")) {
		void *it = NULL;
		struct fy_node_pair *pr;
		int64_t sum = 0;
		b->ratio_bp = s75_arena_alloc(l->y.arena, ag->npartners + 1, sizeof(int64_t));
		while ((pr = fy_node_mapping_iterate(v, &it))) {
			struct fy_node *k = fy_node_pair_key(pr), *x = fy_node_pair_value(pr);
			size_t len, klen;
			const char *key = yn_key_text(k, &klen);
			char id[128];
			snprintf(id, sizeof(id), "%.*s", (int)(klen < 127 ? klen : 127), key);
			int p = partner_ref_text(l, k, id);
			const char *s = x && fy_node_is_scalar(x) ? fy_node_get_scalar(x, &len) : NULL;
			int64_t bp;
			if (p < 0)
				continue;
			if (!s || !parse_pct(s, len, &bp)) {
				yn_error(&l->y, x ? x : k, "ratio of '%s' must be a percentage from 0 to 100 with at most two decimals", id);
				sum = -1;
				continue;
			}
			b->ratio_bp[p] = bp;
			if (sum >= 0)
				sum += bp;
		}
		if (sum >= 0 && sum != 10000) {
			s75_buf t = S75_BUF_INIT;
			s75_bp_format(&t, sum);
			yn_error(&l->y, v, "ratios add up to %s, not 100", t.ptr);
			s75_buf_release(&t);
		}
	}
	if (b->method == S75_RS_PARTNER)
		b->partner = partner_ref(l, m, "partner", true, "a partner band");
	else if ((v = yn_get(&l->y, m, "partner", false, "")))
		yn_error(&l->y, v, "partner belongs to the partner method");
	b->cap = s75_arena_alloc(l->y.arena, ag->npartners + 1, sizeof(int64_t));
	for (size_t p = 0; p < ag->npartners; p++)
		b->cap[p] = -1;
	if ((v = yn_get(&l->y, m, "caps", false, "")) && yn_is_map(&l->y, v, "caps (PARTNER: amount)")) {
		void *it = NULL;
		struct fy_node_pair *pr;
		if (!over)
			yn_error(&l->y, v, "caps limit a partner's share of an overspend; they do not apply to underspends");
		while ((pr = fy_node_mapping_iterate(v, &it))) {
			struct fy_node *k = fy_node_pair_key(pr), *x = fy_node_pair_value(pr);
			size_t klen;
			const char *key = yn_key_text(k, &klen);
			char id[128];
			snprintf(id, sizeof(id), "%.*s", (int)(klen < 127 ? klen : 127), key);
			int p = partner_ref_text(l, k, id);
			int64_t cap;
			if (p >= 0 && x && yn_money(&l->y, x, y->unit, "a cap", &cap)) {
				if (cap < 0)
					yn_error(&l->y, x, "a cap cannot be negative");
				else
					b->cap[p] = cap;
			}
		}
	}
	/* the lead method needs a lead on every element it may reach */
	if (b->method == S75_RS_LEAD)
		for (size_t e = 0; e < pool->nelements; e++)
			if (pool->elements[e].lead < 0 && !(r->ring_fenced && r->ring_fenced[e]))
				yn_error(&l->y, yn_get(&l->y, m, "method", false, ""),
					 "the lead method needs a lead for element '%s' of pool '%s'",
					 pool->elements[e].id, pool->id);
}

/* Which partners a band's method can give a share to. */
static void band_reach(const s75_agreement *ag, const s75_rs_rule *r, const s75_rs_band *b,
		       const s75_year *y, bool *can)
{
	const s75_arrangement *pool = &ag->arrangements[r->pool];
	memset(can, 0, ag->npartners * sizeof(bool));
	switch (b->method) {
	case S75_RS_FIXED:
		for (size_t p = 0; p < ag->npartners; p++)
			can[p] = b->ratio_bp && b->ratio_bp[p] > 0;
		break;
	case S75_RS_PARTNER:
		if (b->partner >= 0)
			can[b->partner] = true;
		break;
	case S75_RS_LEAD:
		for (size_t e = 0; e < pool->nelements; e++)
			if (pool->elements[e].lead >= 0)
				can[pool->elements[e].lead] = true;
		break;
	case S75_RS_OWN:
		for (size_t c = 0; c < ag->ncost_centres; c++)
			if (ag->cost_centres[c].pool == r->pool && ag->cost_centres[c].partner >= 0)
				can[ag->cost_centres[c].partner] = true;
		break;
	default:
		for (size_t k = 0; k < y->ncontributions; k++)
			if (y->contributions[k].pool == r->pool && y->contributions[k].net > 0)
				can[y->contributions[k].partner] = true;
		break;
	}
}

static void load_bands(loader *l, s75_year *y, s75_rs_rule *r, struct fy_node *v, bool over,
		       s75_rs_band **out, size_t *n)
{
	const s75_agreement *ag = l->ag;
	const char *what = over ? "overspend" : "underspend";
	*n = 0;
	if (fy_node_is_mapping(v)) {
		/* a single band: everything */
		*out = s75_arena_alloc(l->y.arena, 1, sizeof(s75_rs_band));
		load_band(l, y, r, v, *out, over);
		*n = 1;
	} else if (yn_is_seq(&l->y, v, "bands (a list of {up_to, method, ...}, or one {method, ...})")) {
		int cnt = fy_node_sequence_item_count(v);
		void *it = NULL;
		struct fy_node *item;
		*out = s75_arena_alloc(l->y.arena, (size_t)(cnt > 0 ? cnt : 1), sizeof(s75_rs_band));
		while ((item = fy_node_sequence_iterate(v, &it)))
			if (yn_is_map(&l->y, item, "a risk-share band"))
				load_band(l, y, r, item, &(*out)[(*n)++], over);
	}
	if (*n == 0) {
		yn_error(&l->y, v, "the %s rule of pool '%s' has no band", what,
			 ag->arrangements[r->pool].id);
		return;
	}
	/* bands rise, and the last one covers everything above */
	for (size_t i = 0; i < *n; i++) {
		s75_rs_band *b = &(*out)[i];
		if (i + 1 < *n && !b->bounded)
			s75_diags_add(l->y.diags, S75_DIAG_ERROR, l->y.file, b->pos,
				      "only the last %s band may be open-ended (give this one up_to)", what);
		if (i > 0 && b->bounded && (*out)[i - 1].bounded && b->up_to <= (*out)[i - 1].up_to)
			s75_diags_add(l->y.diags, S75_DIAG_ERROR, l->y.file, b->pos,
				      "up_to must rise from band to band");
	}
	s75_rs_band *last = &(*out)[*n - 1];
	if (last->bounded) {
		s75_buf t = S75_BUF_INIT;
		s75_money_format(&t, last->up_to, S75_UNIT_POUNDS, S75_FMT_SEP | S75_FMT_POUND);
		s75_diags_add(l->y.diags, S75_DIAG_ERROR, l->y.file, last->pos,
			      "%s bands leave any amount above %s uncovered (leave up_to off the last band)",
			      what, t.ptr);
		s75_buf_release(&t);
	}
	/*
	 * Caps must leave someone to carry each band, as the risk share applies them: a capped
	 * partner's excess goes to the band's other partners, else to the uncapped contributors;
	 * a cap limits the partner's total over the bands so far. So up to a band's upper bound
	 * the partners who can ever carry (reached by this band or one before, or contributing)
	 * must include one uncapped, or caps that add up to that bound.
	 */
	bool *can = s75_arena_alloc(l->y.arena, ag->npartners + 1, sizeof(bool));
	bool *ever = s75_arena_alloc(l->y.arena, ag->npartners + 1, sizeof(bool));
	int64_t *cap = s75_arena_alloc(l->y.arena, ag->npartners + 1, sizeof(int64_t));
	for (size_t p = 0; p < ag->npartners; p++)
		cap[p] = -1;
	for (size_t k = 0; k < y->ncontributions; k++)
		if (y->contributions[k].pool == r->pool && y->contributions[k].net > 0)
			ever[y->contributions[k].partner] = true;
	for (size_t i = 0; over && i < *n; i++) {
		s75_rs_band *b = &(*out)[i];
		band_reach(ag, r, b, y, can);
		bool uncapped = false;
		int64_t room = 0;
		for (size_t p = 0; p < ag->npartners; p++) {
			if (b->cap[p] >= 0)
				cap[p] = b->cap[p]; /* a cap holds from its band on */
			ever[p] |= can[p];
			if (!ever[p])
				continue;
			if (cap[p] < 0)
				uncapped = true;
			else if (__builtin_add_overflow(room, cap[p], &room))
				uncapped = true;
		}
		if (!uncapped && (!b->bounded || room < b->up_to)) {
			s75_buf t = S75_BUF_INIT;
			s75_money_format(&t, room, S75_UNIT_POUNDS, S75_FMT_SEP | S75_FMT_POUND);
			s75_diags_add(l->y.diags, S75_DIAG_ERROR, l->y.file, b->pos,
				      "the caps leave part of this band no partner can carry (every partner who can carry an overspend is capped, at %s in all)",
				      t.ptr);
			s75_buf_release(&t);
		}
	}
}

/* The overspend waterfall: `waterfall: [other_elements, reserve, uncommitted]` (in the
 * order the agreement states), with the `reserve:` and `uncommitted:` amounts it draws on. */
static void load_waterfall(loader *l, s75_year *y, s75_rs_rule *r, struct fy_node *m)
{
	static const char *const sources[] = {"other_elements", "reserve", "uncommitted", NULL};
	struct fy_node *v;
	if ((v = yn_get(&l->y, m, "reserve", false, ""))) {
		r->has_reserve = yn_money(&l->y, v, y->unit, "reserve", &r->reserve);
		if (r->has_reserve && r->reserve < 0)
			yn_error(&l->y, v, "reserve: the risk reserve cannot be negative");
	}
	if ((v = yn_get(&l->y, m, "uncommitted", false, ""))) {
		r->has_uncommitted = yn_money(&l->y, v, y->unit, "uncommitted", &r->uncommitted);
		if (r->has_uncommitted && r->uncommitted < 0)
			yn_error(&l->y, v, "uncommitted: uncommitted funds cannot be negative");
	}
	if (!(v = yn_get(&l->y, m, "waterfall", false, "")) ||
	    !yn_is_seq(&l->y, v, "waterfall (a list of other_elements, reserve, uncommitted)"))
		return;
	void *it = NULL;
	struct fy_node *item;
	while ((item = fy_node_sequence_iterate(v, &it))) {
		const char *name = yn_str(&l->y, item, "a waterfall source");
		int src = -1;
		for (int i = 0; name && sources[i]; i++)
			if (!strcmp(name, sources[i]))
				src = i;
		if (!name)
			continue;
		if (src < 0) {
			yn_error(&l->y, item, "waterfall: '%s' is not a source (expected other_elements, reserve or uncommitted)", name);
			continue;
		}
		if (src == S75_RS_RESERVE && !r->has_reserve) {
			yn_error(&l->y, item, "waterfall: names the reserve, but this pool's risk share states no 'reserve'");
			continue;
		}
		if (src == S75_RS_UNCOMMITTED && !r->has_uncommitted) {
			yn_error(&l->y, item, "waterfall: names uncommitted funds, but this pool's risk share states no 'uncommitted'");
			continue;
		}
		bool twice = false;
		for (size_t i = 0; i < r->nwaterfall; i++)
			twice |= (int)r->waterfall[i] == src;
		if (twice) {
			yn_error(&l->y, item, "waterfall: '%s' is named twice", name);
			continue;
		}
		r->waterfall[r->nwaterfall++] = (s75_rs_source)src;
	}
}

/* `ranges: {ELEMENT: {p10, p50, p90}}`: each element's year-end variance, for s75 exposure. */
static void load_ranges(loader *l, s75_year *y, int pool, s75_rs_rule *r, struct fy_node *m)
{
	static const char *const keys[] = {"p10", "p50", "p90", NULL};
	const s75_arrangement *a = &l->ag->arrangements[pool];
	struct fy_node *v = yn_get(&l->y, m, "ranges", false, "");
	struct fy_node_pair *pr;
	void *it = NULL;
	if (!v || !yn_is_map(&l->y, v, "ranges (ELEMENT: {p10, p50, p90})"))
		return;
	r->has_range = s75_arena_alloc(l->y.arena, a->nelements + 1, sizeof(bool));
	r->range = s75_arena_alloc(l->y.arena, a->nelements + 1, sizeof(*r->range));
	while ((pr = fy_node_mapping_iterate(v, &it))) {
		struct fy_node *k = fy_node_pair_key(pr), *x = fy_node_pair_value(pr);
		size_t len;
		const char *key = yn_key_text(k, &len);
		char id[128];
		bool ok = true;
		snprintf(id, sizeof(id), "%.*s", (int)(len < 127 ? len : 127), key);
		int e = element_ref_text(l, k, pool, id);
		if (e < 0 || !yn_is_map(&l->y, x, "an element's range ({p10, p50, p90})"))
			continue;
		yn_check_keys(&l->y, x, keys, "an element's range");
		for (int i = 0; i < 3; i++) {
			struct fy_node *q = yn_get(&l->y, x, keys[i], true, "an element's range");
			ok &= q && yn_money(&l->y, q, y->unit, keys[i], &r->range[e][i]);
		}
		if (ok && (r->range[e][0] > r->range[e][1] || r->range[e][1] > r->range[e][2])) {
			yn_error(&l->y, x, "ranges: '%s' needs p10 <= p50 <= p90", id);
			ok = false;
		}
		r->has_range[e] = ok;
	}
}

static void load_rule(loader *l, s75_year *y, int pool, struct fy_node *k, struct fy_node *m,
		      s75_rs_rule *r)
{
	static const char *const keys[] = {"overspend", "underspend", "ring_fenced", "pooled_from",
					   "note", "waterfall", "reserve", "uncommitted", "ranges", NULL};
	const s75_arrangement *a = &l->ag->arrangements[pool];
	struct fy_node *v;

	yn_check_keys(&l->y, m, keys, "a pool's risk share");
	r->pool = pool;
	r->pos = yn_pos(k);
	r->ring_fenced = s75_arena_alloc(l->y.arena, a->nelements + 1, sizeof(bool));
	if ((v = yn_get(&l->y, m, "ring_fenced", false, "")) &&
	    yn_is_seq(&l->y, v, "ring_fenced (a list of elements)")) {
		void *it = NULL;
		struct fy_node *item;
		while ((item = fy_node_sequence_iterate(v, &it))) {
			const char *id = yn_str(&l->y, item, "a ring-fenced element");
			int e = id ? element_ref_text(l, item, pool, id) : -1;
			if (e >= 0)
				r->ring_fenced[e] = true;
		}
	}
	r->has_pooled_from = yn_get_date(&l->y, m, "pooled_from", false, "risk share",
					 &r->pooled_from);
	load_waterfall(l, y, r, m);
	load_ranges(l, y, pool, r, m);
	if ((v = yn_get(&l->y, m, "overspend", true, "a pool's risk share")))
		load_bands(l, y, r, v, true, &r->over, &r->nover);
	if ((v = yn_get(&l->y, m, "underspend", true, "a pool's risk share")))
		load_bands(l, y, r, v, false, &r->under, &r->nunder);
}

void load_risk_share(loader *l, s75_year *y, struct fy_node *m)
{
	int n = fy_node_mapping_item_count(m);
	void *it = NULL;
	struct fy_node_pair *pr;
	y->risk_share = s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1), sizeof(s75_rs_rule));
	while ((pr = fy_node_mapping_iterate(m, &it))) {
		struct fy_node *k = fy_node_pair_key(pr), *v = fy_node_pair_value(pr);
		size_t len;
		const char *key = yn_key_text(k, &len);
		char id[128];
		snprintf(id, sizeof(id), "%.*s", (int)(len < 127 ? len : 127), key);
		int pool = pool_ref_text(l, k, id);
		l->y.last_value = v;
		l->y.last_key_pos = yn_pos(k);
		if (pool < 0 || yn_is_empty(v) ||
		    !yn_is_map(&l->y, v, "a pool's risk share ({overspend, underspend, ...})"))
			continue;
		load_rule(l, y, pool, k, v, &y->risk_share[y->nrisk_share++]);
	}
}

/* A saving's `phasing`: twelve whole-number weights, P1 to P12 (default equal), by which
 * its amount is planned month by month; the plan always sums back to the amount. */
static bool saving_phasing(loader *l, struct fy_node *item, s75_saving *s)
{
	int64_t w[12];
	struct fy_node *v = yn_get(&l->y, item, "phasing", false, ""), *x;
	for (int k = 0; k < 12; k++)
		w[k] = 1;
	if (v) {
		void *it = NULL;
		int k = 0;
		int64_t sum = 0;
		if (!yn_is_seq(&l->y, v, "phasing (a list of 12 weights, P1 to P12)"))
			return false;
		if (fy_node_sequence_item_count(v) != 12) {
			yn_error(&l->y, v, "phasing has %d weights: expected 12, P1 to P12",
				 fy_node_sequence_item_count(v));
			return false;
		}
		while ((x = fy_node_sequence_iterate(v, &it))) {
			const char *t = yn_str(&l->y, x, "a phasing weight");
			char *end = NULL;
			long long n = t ? strtoll(t, &end, 10) : -1;
			if (!t || !*t || *end || n < 0 || n > 1000000) {
				yn_error(&l->y, x, "a phasing weight is a whole number from 0 to 1000000");
				return false;
			}
			w[k++] = n;
			sum += n;
		}
		if (!sum) {
			yn_error(&l->y, v, "phasing weights are all zero");
			return false;
		}
	}
	return !s75_alloc_split(s->planned, s->amount, w, 12);
}

/* A saving's `id`, or PARTNER-POOL-ELEMENT; unique in its year. */
static const char *saving_id(loader *l, s75_year *y, struct fy_node *item, const s75_saving *s)
{
	const char *id = yn_get_id(&l->y, item, "id", false, "a saving");
	if (!id) {
		if (yn_get(&l->y, item, "id", false, ""))
			return NULL;
		s75_buf b = S75_BUF_INIT;
		s75_buf_printf(&b, "%s-%s-%s", l->ag->partners[s->partner].id,
			       l->ag->arrangements[s->pool].id,
			       l->ag->arrangements[s->pool].elements[s->element].id);
		id = s75_arena_strdup(l->y.arena, b.ptr);
		s75_buf_release(&b);
	}
	for (size_t k = 0; k < y->nsavings; k++)
		if (!strcmp(y->savings[k].id, id)) {
			yn_error(&l->y, item,
				 "two savings of the year are '%s': give each an id of its own", id);
			return NULL;
		}
	return id;
}

void load_savings(loader *l, s75_year *y, struct fy_node *seq)
{
	static const char *const keys[] = {"pool",	    "element",  "partner", "amount",
					   "agreed_strategy", "delivery", "note",    "id",
					   "phasing",	    NULL};
	static const char *const yesno[] = {"false", "true", "no", "yes", NULL};
	int n = fy_node_sequence_item_count(seq);
	void *it = NULL;
	struct fy_node *item, *v;
	y->savings = s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1), sizeof(s75_saving));
	while ((item = fy_node_sequence_iterate(seq, &it))) {
		s75_saving *s = &y->savings[y->nsavings];
		int agreed = -1;
		if (!yn_is_map(&l->y, item, "a saving"))
			continue;
		yn_check_keys(&l->y, item, keys, "a saving");
		s->pos = yn_pos(item);
		const char *pool = yn_get_str(&l->y, item, "pool", true, "a saving");
		const char *el = yn_get_str(&l->y, item, "element", true, "a saving");
		s->pool = pool ? pool_ref_text(l, yn_get(&l->y, item, "pool", false, ""), pool) : -1;
		s->element = s->pool >= 0 && el ? element_ref_text(l, yn_get(&l->y, item, "element", false, ""), s->pool, el) : -1;
		s->partner = partner_ref(l, item, "partner", true, "a saving");
		bool ok = s->pool >= 0 && s->element >= 0 && s->partner >= 0;
		v = yn_get(&l->y, item, "amount", true, "a saving");
		ok = v && yn_money(&l->y, v, y->unit, "amount", &s->amount) && ok;
		if (v && s->amount < 0) {
			yn_error(&l->y, v, "a saving is a positive amount");
			ok = false;
		}
		s->delivery = s->amount;
		if ((v = yn_get(&l->y, item, "delivery", false, "")))
			ok = yn_money(&l->y, v, y->unit, "delivery", &s->delivery) && ok;
		if (yn_get_enum(&l->y, item, "agreed_strategy", true, "a saving", yesno, &agreed))
			s->agreed = agreed % 2 == 1;
		else
			ok = false;
		s->note = yn_get_str(&l->y, item, "note", false, "a saving");
		if (ok && !(s->id = saving_id(l, y, item, s)))
			ok = false;
		ok = saving_phasing(l, item, s) && ok;
		if (ok)
			y->nsavings++;
	}
}
