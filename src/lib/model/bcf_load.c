/* The Better Care Fund's national framework and the area's plan, read from YAML with
 * every problem reported at its file, line and column (bcf.h, docs/bcf.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bcf_internal.h"
#include "s75/buf.h"
#include "s75/error.h"
#include "xalloc.h"
#include "yamlnode.h"

#ifndef S75_FRAMEWORK_DIR
#define S75_FRAMEWORK_DIR "frameworks"
#endif

#define MAX_BCF_BYTES (4u << 20)

static const char *const partner_kinds[] = {"local-authority", "nhs-body", "other", NULL};
static const char *const rules[] = {"assurance", "minimum-contribution", "minimum-spend",
				    "pass-through", "balance", NULL};
static const char *const kpi_units[] = {"count", "percent", "rate-per-100k", "days", NULL};
static const char *const betters[] = {"higher", "lower", NULL};

/* Reads a whole small file; S75_EIO with a message if it cannot. */
static int slurp(const char *path, char **out, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	s75_buf b = S75_BUF_INIT;
	char tmp[8192];
	size_t n;
	if (!fp)
		return s75_error_set(S75_EIO, "cannot open '%s': %s", path, strerror(errno));
	while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0 && b.len <= MAX_BCF_BYTES)
		s75_buf_add(&b, tmp, n);
	int err = ferror(fp) || b.len > MAX_BCF_BYTES;
	fclose(fp);
	if (err) {
		s75_buf_release(&b);
		return s75_error_set(S75_EIO, "cannot read '%s' (or larger than 4 MiB)", path);
	}
	*len = b.len;
	*out = s75_buf_detach(&b);
	return 0;
}

/* Parses `path` into a document (NULL after reporting why); `text` is kept for positions. */
static struct fy_document *parse(ynctx *y, const char *path, char **text, const char *what)
{
	size_t len = 0;
	*text = NULL;
	if (slurp(path, text, &len)) {
		s75_pos p = {0, 0};
		s75_diags_add(y->diags, S75_DIAG_ERROR, path, p, "%s", s75_error_last());
		return NULL;
	}
	y->file = s75_arena_strdup(y->arena, path);
	y->text = *text;
	y->text_len = len;
	struct fy_diag_cfg dcfg;
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	struct fy_diag *fyd = fy_diag_create(&dcfg);
	if (!fyd)
		abort();
	fy_diag_set_collect_errors(fyd, true);
	struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2, .diag = fyd};
	struct fy_document *doc = len ? fy_document_build_from_string(&cfg, *text, len) : NULL;
	if (!doc) {
		void *it = NULL;
		struct fy_diag_error *e;
		size_t n = 0;
		while ((e = fy_diag_errors_iterate(fyd, &it))) {
			s75_pos p = {e->line, e->column};
			s75_diags_add(y->diags, S75_DIAG_ERROR, path, p, "%s", e->msg);
			n++;
		}
		if (!n) {
			s75_pos p = {1, 1};
			s75_diags_add(y->diags, S75_DIAG_ERROR, path, p, "empty file: no %s", what);
		}
	} else if (!fy_node_is_mapping(fy_document_root(doc))) {
		s75_pos p = {1, 1};
		s75_diags_add(y->diags, S75_DIAG_ERROR, path, p, "the %s must be a mapping", what);
		fy_document_destroy(doc);
		doc = NULL;
	}
	fy_diag_destroy(fyd);
	return doc;
}

/* A sequence's items, with room counted; NULL (reported) when `v` is not a sequence. */
static size_t seq_count(ynctx *y, struct fy_node *v, const char *what)
{
	if (!v || !yn_is_seq(y, v, what))
		return 0;
	int n = fy_node_sequence_item_count(v);
	return n > 0 ? (size_t)n : 0;
}

static int find_id(const char *id, const void *base, size_t n, size_t size)
{
	for (size_t i = 0; id && i < n; i++) {
		const char *const *p = (const char *const *)(const void *)((const char *)base + i * size);
		if (!strcmp(*p, id))
			return (int)i;
	}
	return -1;
}

/* The framework's stream named in `key` of `m`: its index, or -1 (reported). */
static int stream_ref(ynctx *y, const bcf_framework *fw, struct fy_node *m, const char *key,
		      bool required, const char *what)
{
	const char *id = yn_get_str(y, m, key, required, what);
	if (!id)
		return -1;
	int i = find_id(id, fw->streams, fw->nstreams, sizeof(bcf_stream));
	if (i < 0)
		yn_error(y, yn_get(y, m, key, false, ""),
			 "unknown funding stream '%s' (framework '%s' has none of that id)", id,
			 fw->id);
	return i;
}

static int area_ref_text(ynctx *y, const bcf_framework *fw, struct fy_node *n, const char *id)
{
	for (size_t i = 0; i < fw->areas.n; i++)
		if (!strcmp(fw->areas.items[i], id))
			return (int)i;
	yn_error(y, n, "unknown area of spend '%s' (framework '%s')", id, fw->id);
	return -1;
}

/* A list of areas of spend in `key` of `m`. */
static void area_list(ynctx *y, const bcf_framework *fw, struct fy_node *m, const char *key,
		      int **out, size_t *n)
{
	struct fy_node *v = yn_get(y, m, key, false, "");
	size_t cnt = seq_count(y, v, key);
	void *it = NULL;
	struct fy_node *item;
	*out = s75_arena_alloc(y->arena, cnt ? cnt : 1, sizeof(int));
	*n = 0;
	while (cnt && (item = fy_node_sequence_iterate(v, &it))) {
		const char *s = yn_str(y, item, key);
		int a = s ? area_ref_text(y, fw, item, s) : -1;
		if (a >= 0)
			(*out)[(*n)++] = a;
	}
}

static void load_condition(ynctx *y, bcf_framework *fw, struct fy_node *m, bcf_condition *c)
{
	static const char *const keys[] = {"id", "name", "kind", "stream", "where", "due",
					   "definition", NULL};
	static const char *const wkeys[] = {"commissioner", "areas", "not_areas", NULL};
	int rule = 0;
	yn_check_keys(y, m, keys, "a condition");
	c->id = yn_get_id(y, m, "id", true, "condition");
	c->name = yn_get_str(y, m, "name", true, "condition");
	c->definition = yn_get_str(y, m, "definition", true, "condition");
	yn_get_enum(y, m, "kind", true, "condition", rules, &rule);
	c->rule = (bcf_rule)rule;
	c->stream = -1;
	c->commissioner = -1;
	bool needs_stream = c->rule == BCF_MINIMUM_CONTRIBUTION || c->rule == BCF_MINIMUM_SPEND ||
			    c->rule == BCF_PASS_THROUGH;
	c->stream = stream_ref(y, fw, m, "stream", needs_stream, "a condition of this kind");
	struct fy_node *w = yn_get(y, m, "where", false, "");
	if (w && c->rule != BCF_MINIMUM_SPEND)
		yn_error(y, w, "'where' belongs to a minimum-spend condition");
	else if (w && yn_is_map(y, w, "where")) {
		yn_check_keys(y, w, wkeys, "'where'");
		if (yn_get(y, w, "commissioner", false, ""))
			yn_get_enum(y, w, "commissioner", false, "'where'", partner_kinds,
				    &c->commissioner);
		area_list(y, fw, w, "areas", &c->areas, &c->nareas);
		area_list(y, fw, w, "not_areas", &c->not_areas, &c->nnot_areas);
	}
	struct fy_node *d = yn_get(y, m, "due", c->rule == BCF_PASS_THROUGH, "a pass-through condition");
	if (d) {
		const char *s = yn_str(y, d, "due");
		int mo = 0, dy = 0;
		char extra;
		if (s && (sscanf(s, "%2d-%2d%c", &mo, &dy, &extra) != 2 || mo < 1 || mo > 12 ||
			  dy < 1 || dy > s75_days_in_month(2001, mo)))
			yn_error(y, d, "'due' must be a day of the year as MM-DD, e.g. 06-30");
		c->due_month = mo;
		c->due_day = dy;
	}
}

static void load_framework(ynctx *y, bcf_framework *fw, struct fy_node *root)
{
	static const char *const keys[] = {"s75_bcf_framework", "id", "name", "years", "streams",
					   "areas_of_spend", "scheme_types", "conditions", "metrics",
					   NULL};
	static const char *const skeys[] = {"id", "name", "from", "definition", NULL};
	static const char *const tkeys[] = {"id", "name", "sub_types", NULL};
	static const char *const mkeys[] = {"id", "name", "unit", "better", "definition", NULL};
	struct fy_node *v, *item;
	void *it;
	size_t n;

	yn_check_keys(y, root, keys, "the framework file");
	yn_get_str(y, root, "s75_bcf_framework", true, "the framework file");
	fw->id = yn_get_id(y, root, "id", true, "the framework");
	fw->name = yn_get_str(y, root, "name", true, "the framework");
	v = yn_get(y, root, "years", true, "the framework");
	n = seq_count(y, v, "years");
	fw->years = s75_arena_alloc(y->arena, n ? n : 1, sizeof(int));
	for (it = NULL; n && (item = fy_node_sequence_iterate(v, &it));) {
		const char *s = yn_str(y, item, "a year");
		if (s && s75_fy_parse(&fw->years[fw->nyears], s))
			yn_error(y, item, "%s", s75_error_last());
		else if (s)
			fw->nyears++;
	}
	v = yn_get(y, root, "streams", true, "the framework");
	n = seq_count(y, v, "streams");
	fw->streams = s75_arena_alloc(y->arena, n ? n : 1, sizeof(bcf_stream));
	for (it = NULL; n && (item = fy_node_sequence_iterate(v, &it));) {
		if (!yn_is_map(y, item, "a funding stream"))
			continue;
		yn_check_keys(y, item, skeys, "a funding stream");
		bcf_stream *s = &fw->streams[fw->nstreams];
		int kind = 0;
		s->id = yn_get_id(y, item, "id", true, "funding stream");
		s->name = yn_get_str(y, item, "name", true, "funding stream");
		s->definition = yn_get_str(y, item, "definition", false, "funding stream");
		yn_get_enum(y, item, "from", true, "funding stream", partner_kinds, &kind);
		s->from = (s75_partner_kind)kind;
		if (s->id && s->name)
			fw->nstreams++;
	}
	yn_get_strlist(y, root, "areas_of_spend", "areas_of_spend", &fw->areas);
	v = yn_get(y, root, "scheme_types", true, "the framework");
	n = seq_count(y, v, "scheme_types");
	fw->types = s75_arena_alloc(y->arena, n ? n : 1, sizeof(bcf_scheme_type));
	for (it = NULL; n && (item = fy_node_sequence_iterate(v, &it));) {
		if (!yn_is_map(y, item, "a scheme type"))
			continue;
		yn_check_keys(y, item, tkeys, "a scheme type");
		bcf_scheme_type *t = &fw->types[fw->ntypes];
		t->id = yn_get_id(y, item, "id", true, "scheme type");
		t->name = yn_get_str(y, item, "name", true, "scheme type");
		yn_get_strlist(y, item, "sub_types", "sub_types", &t->sub_types);
		if (t->id && t->name)
			fw->ntypes++;
	}
	v = yn_get(y, root, "conditions", true, "the framework");
	n = seq_count(y, v, "conditions");
	fw->conditions = s75_arena_alloc(y->arena, n ? n : 1, sizeof(bcf_condition));
	for (it = NULL; n && (item = fy_node_sequence_iterate(v, &it));) {
		if (!yn_is_map(y, item, "a condition"))
			continue;
		bcf_condition *c = &fw->conditions[fw->nconditions];
		load_condition(y, fw, item, c);
		if (c->id && c->name)
			fw->nconditions++;
	}
	v = yn_get(y, root, "metrics", false, "");
	n = seq_count(y, v, "metrics");
	fw->metrics = s75_arena_alloc(y->arena, n ? n : 1, sizeof(bcf_metric));
	for (it = NULL; n && (item = fy_node_sequence_iterate(v, &it));) {
		if (!yn_is_map(y, item, "a metric"))
			continue;
		yn_check_keys(y, item, mkeys, "a metric");
		bcf_metric *m = &fw->metrics[fw->nmetrics];
		int u = 0, b = 0;
		m->id = yn_get_id(y, item, "id", true, "metric");
		m->name = yn_get_str(y, item, "name", true, "metric");
		m->definition = yn_get_str(y, item, "definition", true, "metric");
		yn_get_enum(y, item, "unit", true, "metric", kpi_units, &u);
		yn_get_enum(y, item, "better", true, "metric", betters, &b);
		m->unit = (s75_kpi_unit)u;
		m->better = (s75_kpi_better)b;
		if (m->id && m->name)
			fw->nmetrics++;
	}
}

/* The cost centres listed in `key` of `m`, each of the BCF pool. */
static void cc_list(ynctx *y, const s75_agreement *ag, int pool, struct fy_node *m,
		    const char *key, int **out, size_t *n)
{
	struct fy_node *v = yn_get(y, m, key, false, "");
	size_t cnt = seq_count(y, v, key);
	void *it = NULL;
	struct fy_node *item;
	*out = s75_arena_alloc(y->arena, cnt ? cnt : 1, sizeof(int));
	*n = 0;
	while (cnt && (item = fy_node_sequence_iterate(v, &it))) {
		const char *s = yn_str(y, item, key);
		if (!s)
			continue;
		int cc = s75_agreement_find_cost_centre(ag, s, strlen(s));
		if (cc < 0)
			yn_error(y, item, "unknown cost centre '%s'", s);
		else if (ag->cost_centres[cc].pool != pool)
			yn_error(y, item, "cost centre '%s' is not in pool '%s'", s,
				 ag->arrangements[pool].id);
		else
			(*out)[(*n)++] = cc;
	}
}

static int partner_of(ynctx *y, const s75_agreement *ag, struct fy_node *m, const char *key,
		      bool required, const char *what)
{
	const char *id = yn_get_str(y, m, key, required, what);
	if (!id)
		return -1;
	int p = s75_agreement_find_partner(ag, id);
	if (p < 0)
		yn_error(y, yn_get(y, m, key, false, ""), "unknown partner '%s'", id);
	return p;
}

static void load_income(ynctx *y, const s75_bcf *b, const s75_agreement *ag, s75_unit unit,
			struct fy_node *m, bcf_income *in)
{
	static const char *const keys[] = {"stream", "elements", "partner", "amount", "pass_to",
					   NULL};
	static const char *const pkeys[] = {"cost_centres", "recipients", NULL};
	static const char *const rkeys[] = {"id", "name", "amount", NULL};
	const s75_arrangement *a = &ag->arrangements[b->pool];
	struct fy_node *v, *item;
	void *it = NULL;
	yn_check_keys(y, m, keys, "an income line");
	in->stream = stream_ref(y, &b->fw, m, "stream", true, "an income line");
	in->partner = yn_get(y, m, "partner", false, "") ? partner_of(y, ag, m, "partner", false, "")
							 : -1;
	v = yn_get(y, m, "elements", false, "");
	size_t n = seq_count(y, v, "elements");
	in->elements = s75_arena_alloc(y->arena, n ? n : 1, sizeof(int));
	while (n && (item = fy_node_sequence_iterate(v, &it))) {
		const char *s = yn_str(y, item, "an element");
		int e = s ? s75_arrangement_find_element(a, s) : -1;
		if (s && e < 0)
			yn_error(y, item, "pool '%s' has no element '%s'", a->id, s);
		else if (e >= 0)
			in->elements[in->nelements++] = e;
	}
	if ((v = yn_get(y, m, "amount", false, "")))
		in->has_amount = yn_money(y, v, unit, "amount", &in->amount);
	if (!in->has_amount && !in->nelements)
		yn_error(y, m, "an income line needs 'elements' (contributions) or an 'amount'");
	else if (in->has_amount && in->nelements)
		yn_error(y, m, "an income line has 'elements' or an 'amount', not both");
	if ((v = yn_get(y, m, "pass_to", false, "")) && yn_is_map(y, v, "pass_to")) {
		yn_check_keys(y, v, pkeys, "'pass_to'");
		cc_list(y, ag, b->pool, v, "cost_centres", &in->pass_cc, &in->npass_cc);
		if (!in->npass_cc)
			yn_error(y, v, "'pass_to' needs the 'cost_centres' whose ledger transfers pay the recipients");
		struct fy_node *r = yn_get(y, v, "recipients", true, "'pass_to'");
		size_t nr = seq_count(y, r, "recipients");
		in->recipients = s75_arena_alloc(y->arena, nr ? nr : 1, sizeof(bcf_recipient));
		for (it = NULL; nr && (item = fy_node_sequence_iterate(r, &it));) {
			if (!yn_is_map(y, item, "a recipient"))
				continue;
			yn_check_keys(y, item, rkeys, "a recipient");
			bcf_recipient *x = &in->recipients[in->nrecipients];
			x->id = yn_get_id(y, item, "id", true, "recipient");
			x->name = yn_get_str(y, item, "name", true, "recipient");
			struct fy_node *am = yn_get(y, item, "amount", true, "recipient");
			if (x->id && x->name && am && yn_money(y, am, unit, "amount", &x->amount))
				in->nrecipients++;
		}
	}
}

static void load_scheme(ynctx *y, const s75_bcf *b, const s75_agreement *ag, s75_unit unit,
			struct fy_node *m, bcf_scheme *s)
{
	static const char *const keys[] = {"id", "name", "type", "sub_type", "commissioner",
					   "provider", "area", "cost_centres", "funding", NULL};
	const bcf_framework *fw = &b->fw;
	yn_check_keys(y, m, keys, "a scheme");
	s->id = yn_get_str(y, m, "id", true, "scheme");
	s->name = yn_get_str(y, m, "name", true, "scheme");
	const char *t = yn_get_str(y, m, "type", true, "scheme");
	s->type = t ? find_id(t, fw->types, fw->ntypes, sizeof(bcf_scheme_type)) : -1;
	if (t && s->type < 0)
		yn_error(y, yn_get(y, m, "type", false, ""),
			 "unknown scheme type '%s' (framework '%s')", t, fw->id);
	s->sub_type = yn_get_str(y, m, "sub_type", false, "scheme");
	if (s->sub_type && s->type >= 0) {
		const s75_strlist *st = &fw->types[s->type].sub_types;
		size_t i = 0;
		while (i < st->n && strcmp(st->items[i], s->sub_type))
			i++;
		if (i == st->n)
			yn_error(y, yn_get(y, m, "sub_type", false, ""),
				 "scheme type '%s' has no sub-type '%s'", t, s->sub_type);
	}
	s->commissioner = partner_of(y, ag, m, "commissioner", true, "scheme");
	s->provider = yn_get_str(y, m, "provider", true, "scheme");
	const char *area = yn_get_str(y, m, "area", true, "scheme");
	s->area = area ? area_ref_text(y, fw, yn_get(y, m, "area", false, ""), area) : -1;
	cc_list(y, ag, b->pool, m, "cost_centres", &s->cost_centres, &s->ncost_centres);
	struct fy_node *f = yn_get(y, m, "funding", true, "scheme");
	if (f && yn_is_map(y, f, "funding")) {
		int n = fy_node_mapping_item_count(f);
		void *it = NULL;
		struct fy_node_pair *p;
		s->funding = s75_arena_alloc(y->arena, n > 0 ? (size_t)n : 1, sizeof(bcf_funding));
		while ((p = fy_node_mapping_iterate(f, &it))) {
			size_t len;
			const char *k = yn_key_text(fy_node_pair_key(p), &len);
			char *id = s75_arena_strndup(y->arena, k ? k : "", k ? len : 0);
			int st = find_id(id, fw->streams, fw->nstreams, sizeof(bcf_stream));
			if (st < 0) {
				yn_error(y, fy_node_pair_key(p),
					 "unknown funding stream '%s' (framework '%s')", id, fw->id);
				continue;
			}
			bcf_funding *x = &s->funding[s->nfunding];
			x->stream = st;
			if (yn_money(y, fy_node_pair_value(p), unit, "a scheme's funding", &x->amount))
				s->nfunding++;
		}
	}
}

static void load_plan_metric(ynctx *y, const s75_bcf *b, const s75_agreement *ag,
			     struct fy_node *m, bcf_plan_metric *pm)
{
	static const char *const keys[] = {"metric", "kpi", "ambitions", NULL};
	yn_check_keys(y, m, keys, "a metric");
	const char *id = yn_get_str(y, m, "metric", true, "metric");
	pm->metric = id ? find_id(id, b->fw.metrics, b->fw.nmetrics, sizeof(bcf_metric)) : -1;
	if (id && pm->metric < 0)
		yn_error(y, yn_get(y, m, "metric", false, ""), "unknown metric '%s' (framework '%s')",
			 id, b->fw.id);
	const char *kpi = yn_get_str(y, m, "kpi", false, "metric");
	pm->kpi = kpi ? s75_agreement_find_kpi(ag, kpi) : (id ? s75_agreement_find_kpi(ag, id) : -1);
	if (kpi && pm->kpi < 0)
		yn_error(y, yn_get(y, m, "kpi", false, ""), "the agreement has no KPI '%s'", kpi);
	struct fy_node *v = yn_get(y, m, "ambitions", true, "metric"), *item;
	size_t n = seq_count(y, v, "ambitions");
	if (n > 4)
		yn_error(y, v, "'ambitions' has %zu values; a year has 4 quarters", n);
	void *it = NULL;
	for (size_t q = 0; q < 4 && n && (item = fy_node_sequence_iterate(v, &it)); q++) {
		size_t len;
		const char *s = fy_node_is_scalar(item) ? fy_node_get_scalar(item, &len) : NULL;
		if (!s || yn_is_empty(item))
			continue; /* no ambition for the quarter */
		if (s75_kpi_value_parse(&pm->ambition[q], s, len))
			yn_error(y, item, "ambition for Q%zu: %s", q + 1, s75_error_last());
		else
			pm->has_ambition[q] = true;
	}
}

static void load_plan_year(ynctx *y, s75_bcf *b, const s75_agreement *ag, struct fy_node *m,
			   bcf_year *yr)
{
	static const char *const keys[] = {"year", "units", "minimums", "income", "schemes",
					   "evidence", "metrics", NULL};
	const bcf_framework *fw = &b->fw;
	struct fy_node *v, *item;
	void *it;
	size_t n;
	yn_check_keys(y, m, keys, "a plan year");
	const char *fys = yn_get_str(y, m, "year", true, "a plan year");
	if (fys && s75_fy_parse(&yr->fy, fys))
		yn_error(y, yn_get(y, m, "year", false, ""), "%s", s75_error_last());
	else if (fys) {
		size_t i = 0;
		while (i < fw->nyears && fw->years[i] != yr->fy)
			i++;
		if (i == fw->nyears)
			yn_error(y, yn_get(y, m, "year", false, ""),
				 "year %s is not a year of framework '%s'", fys, fw->id);
		if (!s75_agreement_find_year(ag, yr->fy))
			yn_error(y, yn_get(y, m, "year", false, ""),
				 "the agreement has no year %s", fys);
	}
	yr->unit = S75_UNIT_POUNDS;
	const char *u = yn_get_str(y, m, "units", false, "a plan year");
	if (u && s75_unit_parse(&yr->unit, u))
		yn_error(y, yn_get(y, m, "units", false, ""), "%s", s75_error_last());
	size_t nc = fw->nconditions ? fw->nconditions : 1;
	yr->has_minimum = s75_arena_alloc(y->arena, nc, sizeof(bool));
	yr->minimum = s75_arena_alloc(y->arena, nc, sizeof(int64_t));
	yr->evidence = s75_arena_alloc(y->arena, nc, sizeof(char *));
	for (int pass = 0; pass < 2; pass++) {
		const char *key = pass ? "evidence" : "minimums";
		struct fy_node_pair *p;
		if (!(v = yn_get(y, m, key, false, "")) || !yn_is_map(y, v, key))
			continue;
		for (it = NULL; (p = fy_node_mapping_iterate(v, &it));) {
			size_t len;
			const char *k = yn_key_text(fy_node_pair_key(p), &len);
			char *id = s75_arena_strndup(y->arena, k ? k : "", k ? len : 0);
			int c = find_id(id, fw->conditions, fw->nconditions, sizeof(bcf_condition));
			if (c < 0) {
				yn_error(y, fy_node_pair_key(p), "unknown condition '%s' (framework '%s')",
					 id, fw->id);
				continue;
			}
			bcf_rule r = fw->conditions[c].rule;
			if (pass == 0 && r != BCF_MINIMUM_CONTRIBUTION && r != BCF_MINIMUM_SPEND)
				yn_error(y, fy_node_pair_key(p), "condition '%s' is %s: it has no minimum",
					 id, rules[r]);
			else if (pass == 1 && r != BCF_ASSURANCE)
				yn_error(y, fy_node_pair_key(p),
					 "condition '%s' is proved from the figures: no decision evidences it", id);
			else if (pass == 0)
				yr->has_minimum[c] = yn_money(y, fy_node_pair_value(p), yr->unit,
							      "a minimum", &yr->minimum[c]);
			else
				yr->evidence[c] = yn_str(y, fy_node_pair_value(p), "a decision id");
		}
	}
	v = yn_get(y, m, "income", true, "a plan year");
	n = seq_count(y, v, "income");
	yr->income = s75_arena_alloc(y->arena, n ? n : 1, sizeof(bcf_income));
	for (it = NULL; n && (item = fy_node_sequence_iterate(v, &it));)
		if (yn_is_map(y, item, "an income line"))
			load_income(y, b, ag, yr->unit, item, &yr->income[yr->nincome++]);
	v = yn_get(y, m, "schemes", true, "a plan year");
	n = seq_count(y, v, "schemes");
	yr->schemes = s75_arena_alloc(y->arena, n ? n : 1, sizeof(bcf_scheme));
	for (it = NULL; n && (item = fy_node_sequence_iterate(v, &it));) {
		if (!yn_is_map(y, item, "a scheme"))
			continue;
		bcf_scheme *s = &yr->schemes[yr->nschemes];
		load_scheme(y, b, ag, yr->unit, item, s);
		if (s->id && find_id(s->id, yr->schemes, yr->nschemes, sizeof(bcf_scheme)) >= 0)
			yn_error(y, item, "duplicate scheme id '%s'", s->id);
		/* a cost centre's actuals roll up to one scheme only */
		for (size_t i = 0; i < s->ncost_centres; i++)
			for (size_t j = 0; j < yr->nschemes; j++)
				for (size_t k = 0; k < yr->schemes[j].ncost_centres; k++)
					if (yr->schemes[j].cost_centres[k] == s->cost_centres[i])
						yn_error(y, item,
							 "cost centre '%s' is already in scheme '%s'",
							 ag->cost_centres[s->cost_centres[i]].code,
							 yr->schemes[j].id);
		if (s->id && s->name && s->type >= 0 && s->commissioner >= 0)
			yr->nschemes++;
	}
	v = yn_get(y, m, "metrics", false, "");
	n = seq_count(y, v, "metrics");
	yr->metrics = s75_arena_alloc(y->arena, n ? n : 1, sizeof(bcf_plan_metric));
	for (it = NULL; n && (item = fy_node_sequence_iterate(v, &it));)
		if (yn_is_map(y, item, "a metric"))
			load_plan_metric(y, b, ag, item, &yr->metrics[yr->nmetrics++]);
}

static void load_plan(ynctx *y, s75_bcf *b, const s75_agreement *ag, struct fy_node *root)
{
	static const char *const keys[] = {"s75_bcf_plan", "years", NULL};
	yn_check_keys(y, root, keys, "the plan file");
	yn_get_str(y, root, "s75_bcf_plan", true, "the plan file");
	struct fy_node *v = yn_get(y, root, "years", true, "the plan file"), *item;
	size_t n = seq_count(y, v, "years");
	void *it = NULL;
	b->years = s75_arena_alloc(y->arena, n ? n : 1, sizeof(bcf_year));
	while (n && (item = fy_node_sequence_iterate(v, &it)))
		if (yn_is_map(y, item, "a plan year"))
			load_plan_year(y, b, ag, item, &b->years[b->nyears++]);
}

/* Where framework `id` is: beside the agreement, in $S75_FRAMEWORKS, or installed. */
static char *framework_path(const s75_agreement *ag, const char *id)
{
	const char *env = getenv("S75_FRAMEWORKS");
	const char *dirs[3];
	s75_buf b = S75_BUF_INIT;
	size_t nd = 0;
	if (strcmp(ag->dir, "."))
		s75_buf_printf(&b, "%s/frameworks", ag->dir);
	else
		s75_buf_puts(&b, "frameworks");
	dirs[nd++] = NULL; /* the agreement's folder, held in b */
	if (env && *env)
		dirs[nd++] = env;
	dirs[nd++] = S75_FRAMEWORK_DIR;
	for (size_t i = 0; i < nd; i++) {
		s75_buf p = S75_BUF_INIT;
		struct stat st;
		s75_buf_printf(&p, "%s/%s.yaml", dirs[i] ? dirs[i] : b.ptr, id);
		if (!stat(p.ptr, &st)) {
			s75_buf_release(&b);
			return s75_buf_detach(&p);
		}
		s75_buf_release(&p);
	}
	s75_buf_release(&b);
	return NULL;
}

const bcf_year *bcf_find_year(const s75_bcf *b, int fy)
{
	for (size_t i = 0; i < b->nyears; i++)
		if (b->years[i].fy == fy)
			return &b->years[i];
	return NULL;
}

int s75_bcf_load(s75_bcf **out, const s75_agreement *ag, int pool, s75_diags *diags)
{
	size_t errors_before = diags->nerrors;
	struct fy_document *doc = NULL;
	char *text = NULL, *path = NULL;
	s75_bcf *b = NULL;
	ynctx y;
	int rc = 0;

	*out = NULL;
	if (pool < 0) {
		for (size_t i = 0; i < ag->narrangements; i++)
			if (ag->arrangements[i].bcf_framework) {
				if (pool >= 0)
					return s75_error_set(S75_ENOTFOUND,
							     "the agreement has more than one Better Care Fund pool ('%s', '%s'): name one with --pool",
							     ag->arrangements[pool].id, ag->arrangements[i].id);
				pool = (int)i;
			}
		if (pool < 0)
			return s75_error_set(S75_ENOTFOUND,
					     "the agreement has no Better Care Fund pool (a pool with 'bcf: {framework: ID, plan: FILE}')");
	} else if (!ag->arrangements[pool].bcf_framework) {
		return s75_error_set(S75_ENOTFOUND, "pool '%s' is not a Better Care Fund pool",
				     ag->arrangements[pool].id);
	}
	const s75_arrangement *a = &ag->arrangements[pool];
	b = xcalloc(1, sizeof(*b));
	b->arena = s75_arena_new();
	b->pool = pool;
	memset(&y, 0, sizeof(y));
	y.diags = diags;
	y.arena = b->arena;
	if (!(path = framework_path(ag, a->bcf_framework))) {
		s75_diags_add(diags, S75_DIAG_ERROR, ag->path, a->bcf_pos,
			      "no framework '%s' (frameworks/%s.yaml beside the agreement, in $S75_FRAMEWORKS or among the installed frameworks)",
			      a->bcf_framework, a->bcf_framework);
		goto done;
	}
	b->fw.path = s75_arena_strdup(b->arena, path);
	if (!(doc = parse(&y, path, &text, "framework")))
		goto done;
	load_framework(&y, &b->fw, fy_document_root(doc));
	if (b->fw.id && strcmp(b->fw.id, a->bcf_framework))
		yn_error(&y, fy_document_root(doc), "the framework's id is '%s', not '%s' as its file name says",
			 b->fw.id, a->bcf_framework);
	fy_document_destroy(doc);
	doc = NULL;
	free(text);
	text = NULL;
	if (diags->nerrors > errors_before)
		goto done;
	free(path);
	{
		s75_buf p = S75_BUF_INIT;
		if (a->bcf_plan[0] == '/' || !strcmp(ag->dir, "."))
			s75_buf_puts(&p, a->bcf_plan);
		else
			s75_buf_printf(&p, "%s/%s", ag->dir, a->bcf_plan);
		path = s75_buf_detach(&p);
	}
	b->plan_path = s75_arena_strdup(b->arena, path);
	if (!(doc = parse(&y, path, &text, "plan")))
		goto done;
	load_plan(&y, b, ag, fy_document_root(doc));
done:
	fy_document_destroy(doc);
	free(text);
	free(path);
	s75_diags_sort(diags);
	if (diags->nerrors > errors_before) {
		s75_bcf_free(b);
		return S75_EINVALID;
	}
	*out = b;
	return rc;
}

void s75_bcf_free(s75_bcf *b)
{
	if (!b)
		return;
	s75_arena_free(b->arena);
	free(b);
}

int s75_bcf_pool(const s75_bcf *b)
{
	return b->pool;
}

const char *s75_bcf_framework_id(const s75_bcf *b)
{
	return b->fw.id;
}

const char *s75_bcf_framework_name(const s75_bcf *b)
{
	return b->fw.name;
}
