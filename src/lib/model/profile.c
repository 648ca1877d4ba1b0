/* Import profiles: how each partner's general-ledger extract is laid out
 * (docs/ledger.md), and the built-in `standard` profile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "s75/text.h"
#include "loader.h"
#include "s75/csv.h"
#include "strmap.h"
#include "textmatch.h"
#include "xalloc.h"
#include "s75/error.h"
#include "s75/variation.h"
#include "xalloc.h"

static const char *const field_names[] = {"date",    "period",	    "partner", "cost_centre",
					  "account", "kind",	    "amount",  "debit",
					  "credit",  "description", "reference", NULL};
static const char *const kind_names[] = {"expenditure", "income", "transfer", "commitment", NULL};

const char *s75_field_name(s75_field f)
{
	return field_names[f];
}

const char *s75_txn_kind_name(s75_txn_kind k)
{
	return kind_names[k];
}

static const s75_kind_rule standard_kinds[] = {
	{"expenditure", S75_TXN_EXPENDITURE},
	{"income", S75_TXN_INCOME},
	{"transfer", S75_TXN_TRANSFER},
};

/* `standard`: date,partner,cost_centre,account,kind,amount,description,reference */
static const s75_import_profile standard = {
	.id = "standard",
	.partner = -1,
	.delimiter = ',',
	.encoding = S75_ENC_UTF8,
	.columns =
		{
			[S75_F_DATE] = {"date", 0, true},
			[S75_F_PARTNER] = {"partner", 0, true},
			[S75_F_COST_CENTRE] = {"cost_centre", 0, true},
			[S75_F_ACCOUNT] = {"account", 0, true},
			[S75_F_KIND] = {"kind", 0, true},
			[S75_F_AMOUNT] = {"amount", 0, true},
			[S75_F_DESCRIPTION] = {"description", 0, true},
			[S75_F_REFERENCE] = {"reference", 0, true},
		},
	.date_format = "yyyy-mm-dd",
	.sign = S75_SIGN_AS_KIND,
	.unit = S75_UNIT_POUNDS,
	.kind_values = (s75_kind_rule *)standard_kinds,
	.nkind_values = 3,
	.kind_default = S75_TXN_EXPENDITURE,
};

/* `receipts`: date,partner,amount,reference — the host's receipts of contributions */
static const s75_import_profile receipts = {
	.id = "receipts",
	.partner = -1,
	.delimiter = ',',
	.encoding = S75_ENC_UTF8,
	.columns =
		{
			[S75_F_DATE] = {"date", 0, true},
			[S75_F_PARTNER] = {"partner", 0, true},
			[S75_F_AMOUNT] = {"amount", 0, true},
			[S75_F_REFERENCE] = {"reference", 0, true},
		},
	.date_format = "yyyy-mm-dd",
	.sign = S75_SIGN_AS_KIND,
	.unit = S75_UNIT_POUNDS,
	.kind_default = S75_TXN_TRANSFER,
	.receipts = true,
};

const s75_import_profile *s75_agreement_find_profile(const s75_agreement *ag, const char *id)
{
	for (size_t i = 0; i < ag->nprofiles; i++)
		if (ag->profiles[i].id && !strcmp(ag->profiles[i].id, id))
			return &ag->profiles[i];
	return !strcmp(id, "standard") ? &standard : !strcmp(id, "receipts") ? &receipts : NULL;
}

static void load_kind(loader *l, s75_import_profile *p, struct fy_node *m)
{
	static const char *const keys[] = {"column_values", "accounts", "default", NULL};
	struct fy_node *v;
	int d = S75_TXN_EXPENDITURE;

	yn_check_keys(&l->y, m, keys, "a profile's kind");
	yn_get_enum(&l->y, m, "default", false, "kind", kind_names, &d);
	p->kind_default = (s75_txn_kind)d;
	if ((v = yn_get(&l->y, m, "column_values", false, "")) &&
	    yn_is_map(&l->y, v, "column_values (VALUE: expenditure|income|transfer|commitment)")) {
		int n = fy_node_mapping_item_count(v);
		void *it = NULL;
		struct fy_node_pair *pr;
		p->kind_values = s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1),
						 sizeof(s75_kind_rule));
		while ((pr = fy_node_mapping_iterate(v, &it))) {
			size_t len;
			const char *k = yn_key_text(fy_node_pair_key(pr), &len);
			const char *val = fy_node_pair_value(pr)
						  ? yn_str(&l->y, fy_node_pair_value(pr), "a kind")
						  : NULL;
			int kind = -1;
			for (int i = 0; val && kind_names[i]; i++)
				if (!strcmp(val, kind_names[i]))
					kind = i;
			if (kind < 0) {
				yn_error(&l->y, fy_node_pair_value(pr) ? fy_node_pair_value(pr) : fy_node_pair_key(pr),
					 "kind of '%.*s' must be expenditure, income, transfer or commitment",
					 (int)len, k);
				continue;
			}
			s75_kind_rule *r = &p->kind_values[p->nkind_values++];
			r->match = s75_arena_strndup(l->y.arena, k, len);
			r->kind = (s75_txn_kind)kind;
		}
	}
	if ((v = yn_get(&l->y, m, "accounts", false, "")) &&
	    yn_is_seq(&l->y, v, "accounts (a list of {prefix, kind})")) {
		static const char *const akeys[] = {"prefix", "kind", NULL};
		int n = fy_node_sequence_item_count(v);
		void *it = NULL;
		struct fy_node *item;
		p->kind_accounts = s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1),
						   sizeof(s75_kind_rule));
		while ((item = fy_node_sequence_iterate(v, &it))) {
			int kind;
			if (!yn_is_map(&l->y, item, "an account rule"))
				continue;
			yn_check_keys(&l->y, item, akeys, "an account rule");
			const char *prefix = yn_get_str(&l->y, item, "prefix", true, "account rule");
			if (!yn_get_enum(&l->y, item, "kind", true, "account rule", kind_names, &kind) ||
			    !prefix)
				continue;
			s75_kind_rule *r = &p->kind_accounts[p->nkind_accounts++];
			r->match = prefix;
			r->kind = (s75_txn_kind)kind;
		}
	}
}

/* A column at `v`: a header name, a list of header spellings, or a 1-based number. */
static bool load_column(loader *l, struct fy_node *v, s75_column *c, const char *what)
{
	if (v && fy_node_is_sequence(v)) {
		int n = fy_node_sequence_item_count(v);
		void *it = NULL;
		struct fy_node *item;
		c->names = s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1), sizeof(char *));
		while ((item = fy_node_sequence_iterate(v, &it))) {
			const char *name = yn_str(&l->y, item, "a header name");
			if (name && *name)
				c->names[c->nnames++] = name;
			else if (name)
				yn_error(&l->y, item, "a header name of %s must not be empty", what);
		}
		if (!c->nnames) {
			yn_error(&l->y, v, "%s must name at least one header", what);
			return false;
		}
		c->name = c->names[0];
		c->used = true;
		return true;
	}
	const char *name = v ? yn_str(&l->y, v, "a column") : NULL;
	if (!name || !*name) {
		if (v && name)
			yn_error(&l->y, v, "%s must be a header name, a list of them, or a column number", what);
		return false;
	}
	c->used = true;
	/* a plain number is a 1-based column position */
	int num = 0;
	const char *q = name;
	while (*q >= '0' && *q <= '9' && num < 100000)
		num = num * 10 + (*q++ - '0');
	if (!*q && fy_node_get_style(v) == FYNS_PLAIN && num > 0) {
		c->index = num;
	} else {
		c->name = name;
		c->names = s75_arena_alloc(l->y.arena, 1, sizeof(char *));
		c->names[0] = name;
		c->nnames = 1;
	}
	return true;
}

static void load_columns(loader *l, s75_import_profile *p, struct fy_node *m)
{
	void *it = NULL;
	struct fy_node_pair *pr;
	yn_check_keys(&l->y, m, field_names, "a profile's columns");
	while ((pr = fy_node_mapping_iterate(m, &it))) {
		size_t len;
		const char *k = yn_key_text(fy_node_pair_key(pr), &len);
		struct fy_node *v = fy_node_pair_value(pr);
		for (int f = 0; f < S75_F_COUNT; f++) {
			if (strlen(field_names[f]) != len || memcmp(field_names[f], k, len))
				continue;
			char what[64];
			snprintf(what, sizeof(what), "the column of '%s'", field_names[f]);
			if (!v || yn_is_empty(v) ||
			    (fy_node_is_sequence(v) && fy_node_sequence_item_count(v) == 0))
				yn_error(&l->y, v && !fy_node_is_sequence(v) ? v : fy_node_pair_key(pr),
					 "column of '%s' must be a header name, a list of them, or a column number",
					 field_names[f]);
			else
				load_column(l, v, &p->columns[f], what);
		}
	}
}

static const char *const cond_ops[] = {"equals", "starts_with", "matches", "in", "empty", NULL};

/* One condition: {column: C, equals|starts_with|matches|in|empty: V}. */
static bool load_cond(loader *l, struct fy_node *m, s75_cond *c, s75_buf *label)
{
	static const char *const keys[] = {"column", "equals", "starts_with", "matches", "in", "empty", NULL};
	struct fy_node *v;
	int nops = 0;
	if (!yn_is_map(&l->y, m, "a row condition ({column, equals|starts_with|matches|in|empty})"))
		return false;
	yn_check_keys(&l->y, m, keys, "a row condition");
	if (!(v = yn_get(&l->y, m, "column", true, "a row condition")) ||
	    !load_column(l, v, &c->column, "a condition's column"))
		return false;
	for (int op = 0; cond_ops[op]; op++) {
		if (!(v = yn_get(&l->y, m, cond_ops[op], false, "")))
			continue;
		nops++;
		c->op = (s75_cond_op)op;
		if (op == S75_COND_EMPTY) {
			const char *b = yn_str(&l->y, v, "empty");
			if (b && strcmp(b, "true"))
				yn_error(&l->y, v, "empty must be true");
			continue;
		}
		if (op == S75_COND_IN) {
			s75_strlist sl = {0};
			yn_get_strlist(&l->y, m, "in", "a row condition", &sl);
			c->values = sl.items;
			c->nvalues = sl.n;
			continue;
		}
		const char *val = yn_str(&l->y, v, cond_ops[op]);
		if (!val)
			continue;
		c->values = s75_arena_alloc(l->y.arena, 1, sizeof(char *));
		c->values[0] = val;
		c->nvalues = 1;
	}
	if (nops != 1) {
		yn_error(&l->y, m, "a row condition needs exactly one of equals, starts_with, matches, in or empty");
		return false;
	}
	/* folded once here, not for every row */
	c->folded = s75_arena_alloc(l->y.arena, c->nvalues + 1, sizeof(char *));
	for (size_t i = 0; i < c->nvalues; i++) {
		size_t n = strlen(c->values[i]);
		char *f = s75_arena_alloc(l->y.arena, n + 1, 1);
		text_fold(f, n + 1, c->values[i], n);
		c->folded[i] = f;
	}
	if (label->len)
		s75_buf_puts(label, " and ");
	if (c->column.name)
		s75_buf_printf(label, "%s", c->column.name);
	else
		s75_buf_printf(label, "column %d", c->column.index);
	if (c->op == S75_COND_EMPTY) {
		s75_buf_puts(label, " is empty");
	} else {
		s75_buf_printf(label, " %s ", c->op == S75_COND_EQUALS ? "equals"
					      : c->op == S75_COND_STARTS_WITH ? "starts with"
					      : c->op == S75_COND_MATCHES ? "matches"
									  : "is one of");
		for (size_t i = 0; i < c->nvalues; i++)
			s75_buf_printf(label, "%s'%s'", i ? ", " : "", c->values[i]);
	}
	return true;
}

/* A list of row rules: each a condition, or {all: [conditions]}. */
static void load_rules(loader *l, struct fy_node *seq, const char *what, s75_row_rule **out,
		       size_t *n)
{
	if (!yn_is_seq(&l->y, seq, what))
		return;
	int cnt = fy_node_sequence_item_count(seq);
	void *it = NULL;
	struct fy_node *item;
	*out = s75_arena_alloc(l->y.arena, (size_t)(cnt > 0 ? cnt : 1), sizeof(s75_row_rule));
	while ((item = fy_node_sequence_iterate(seq, &it))) {
		s75_row_rule *r = &(*out)[*n];
		s75_buf label = S75_BUF_INIT;
		struct fy_node *all;
		bool ok = true;
		memset(r, 0, sizeof(*r));
		r->pos = yn_pos(item);
		if (fy_node_is_mapping(item) && (all = yn_get(&l->y, item, "all", false, ""))) {
			static const char *const keys[] = {"all", NULL};
			yn_check_keys(&l->y, item, keys, "a rule with 'all'");
			if (!yn_is_seq(&l->y, all, "all (a list of conditions)")) {
				s75_buf_release(&label);
				continue;
			}
			int k = fy_node_sequence_item_count(all);
			void *it2 = NULL;
			struct fy_node *c;
			r->conds = s75_arena_alloc(l->y.arena, (size_t)(k > 0 ? k : 1), sizeof(s75_cond));
			while ((c = fy_node_sequence_iterate(all, &it2)))
				if (load_cond(l, c, &r->conds[r->nconds], &label))
					r->nconds++;
				else
					ok = false;
		} else {
			r->conds = s75_arena_alloc(l->y.arena, 1, sizeof(s75_cond));
			ok = load_cond(l, item, &r->conds[0], &label);
			r->nconds = ok;
		}
		if (ok && r->nconds) {
			r->label = s75_arena_strdup(l->y.arena, label.ptr);
			(*n)++;
		}
		s75_buf_release(&label);
	}
}

/* Adds an entry to the profile's cost-centre map, checking it against those before it. */
static void map_add(loader *l, s75_import_profile *p, const char *file, s75_pos pos,
		    const char *code, const char *target, size_t *alloc)
{
	s75_agreement *ag = l->ag;
	int cc = s75_agreement_find_cost_centre(ag, target, strlen(target));
	if (cc < 0) {
		s75_diags_add(l->y.diags, S75_DIAG_ERROR, file, pos,
			      "'%s' maps to unknown cost centre '%s'", code, target);
		return;
	}
	char fold[256];
	size_t n = text_fold(fold, sizeof(fold), code, strlen(code));
	if (n == 0 || n >= sizeof(fold)) {
		s75_diags_add(l->y.diags, S75_DIAG_ERROR, file, pos,
			      "a code in the cost-centre map must be 1 to 255 characters");
		return;
	}
	ALLOC_GROW(p->cc_map, p->ncc_map + 1, *alloc);
	s75_cc_map_entry *e = &p->cc_map[p->ncc_map];
	e->pattern = s75_arena_strdup(l->y.arena, fold);
	e->written = code;
	e->cost_centre = cc;
	e->glob = text_is_glob(fold);
	e->file = file;
	e->pos = pos;
	p->ncc_map++;
}

/* The two-column mapping file: a header row, then ERP code, cost centre. */
static void load_map_file(loader *l, s75_import_profile *p, struct fy_node *v, size_t *alloc)
{
	const char *name = yn_str(&l->y, v, "cost_centre_map_file");
	s75_buf path = S75_BUF_INIT;
	s75_csv *csv = NULL;
	const s75_csv_field *f;
	size_t nf;
	int r;
	if (!name || !named_file(l, v, l->ag, name, &path))
		goto done;
	const char *file = s75_arena_strdup(l->y.arena, path.ptr);
	if (s75_csv_open(&csv, path.ptr, file, ',')) {
		yn_error(&l->y, v, "%s", s75_error_last());
		goto done;
	}
	if ((r = s75_csv_next(csv, &f, &nf)) <= 0) {
		s75_pos pos = {1, 1};
		s75_diags_add(l->y.diags, S75_DIAG_ERROR, file, pos, "%s",
			      r < 0 ? s75_csv_error(csv, &pos)
				    : "empty file (expected a header row, then code,cost_centre rows)");
		goto done;
	}
	while ((r = s75_csv_next(csv, &f, &nf)) > 0) {
		s75_pos pos = {(int)s75_csv_line(csv), 1};
		if (nf == 1 && f[0].len == 0)
			continue;
		if (nf != 2) {
			s75_diags_add(l->y.diags, S75_DIAG_ERROR, file, pos,
				      "expected 2 fields (code,cost_centre), found %zu", nf);
			continue;
		}
		const char *code = f[0].ptr, *cc = f[1].ptr;
		size_t clen = f[0].len, tlen = f[1].len;
		s75_text_trim(&code, &clen);
		s75_text_trim(&cc, &tlen);
		char *ccs = s75_arena_strndup(l->y.arena, cc, tlen);
		char *codes = s75_arena_strndup(l->y.arena, code, clen);
		/* the cost centre's column: after the code, its quotes and the comma */
		pos.col = (int)(f[0].len > 10000 ? 10000 : f[0].len) + (f[0].quoted ? 2 : 0) + 2;
		if (s75_agreement_find_cost_centre(l->ag, ccs, tlen) < 0) {
			s75_diags_add(l->y.diags, S75_DIAG_ERROR, file, pos,
				      "'%s' maps to unknown cost centre '%s'", codes, ccs);
			continue;
		}
		pos.col = 1;
		map_add(l, p, file, pos, codes, ccs, alloc);
	}
	if (r < 0) {
		s75_pos pos;
		const char *why = s75_csv_error(csv, &pos);
		s75_diags_add(l->y.diags, S75_DIAG_ERROR, file, pos, "%s", why);
	}
done:
	s75_csv_free(csv);
	s75_buf_release(&path);
}

/* Every mapped code must reach one cost centre: rules that overlap with different
 * targets are errors. Exact codes are indexed for the import. */
static void check_map(loader *l, s75_import_profile *p)
{
	const s75_agreement *ag = l->ag;
	const char *id = p->id ? p->id : "?";
	/* the agreement's own codes, folded, to find a map entry that is one of them */
	s75_strmap *own_codes = s75_strmap_new();
	char **folded_codes = xcalloc(ag->ncost_centres + 1, sizeof(char *));
	for (size_t c = 0; c < ag->ncost_centres; c++) {
		size_t n = strlen(ag->cost_centres[c].code);
		folded_codes[c] = xmalloc(n + 1);
		text_fold(folded_codes[c], n + 1, ag->cost_centres[c].code, n);
		s75_strmap_put(own_codes, folded_codes[c], strlen(folded_codes[c]), (int)c);
	}
	p->cc_map_index = s75_strmap_new();
	for (size_t i = 0; i < p->ncc_map; i++) {
		s75_cc_map_entry *e = &p->cc_map[i];
		const char *tgt = ag->cost_centres[e->cost_centre].code;
		if (!e->glob) {
			int k = s75_strmap_get(p->cc_map_index, e->pattern, strlen(e->pattern));
			if (k >= 0 && p->cc_map[k].cost_centre != e->cost_centre)
				s75_diags_add(l->y.diags, S75_DIAG_ERROR, e->file, e->pos,
					      "profile '%s': '%s' maps to both %s and %s (%s:%d)", id,
					      e->written, ag->cost_centres[p->cc_map[k].cost_centre].code,
					      tgt, p->cc_map[k].file, p->cc_map[k].pos.line);
			else if (k < 0)
				s75_strmap_put(p->cc_map_index, e->pattern, strlen(e->pattern), (int)i);
			int own = s75_strmap_get(own_codes, e->pattern, strlen(e->pattern));
			if (own >= 0 && own != e->cost_centre)
				s75_diags_add(l->y.diags, S75_DIAG_ERROR, e->file, e->pos,
					      "profile '%s': '%s' is cost centre %s itself, but is mapped to %s",
					      id, e->written, ag->cost_centres[own].code, tgt);
			continue;
		}
		for (size_t j = 0; j < p->ncc_map; j++) {
			const s75_cc_map_entry *o = &p->cc_map[j];
			if (j == i || o->cost_centre == e->cost_centre || (o->glob && j < i))
				continue;
			if (o->glob ? text_globs_overlap(e->pattern, o->pattern)
				    : text_glob(e->pattern, o->pattern, strlen(o->pattern)))
				s75_diags_add(l->y.diags, S75_DIAG_ERROR, e->file, e->pos,
					      "profile '%s': '%s' (to %s) overlaps '%s' (to %s, %s:%d): a code must map to one cost centre",
					      id, e->written, tgt, o->written,
					      ag->cost_centres[o->cost_centre].code, o->file, o->pos.line);
		}
		for (size_t c = 0; c < ag->ncost_centres; c++)
			if ((int)c != e->cost_centre &&
			    text_glob(e->pattern, ag->cost_centres[c].code, strlen(ag->cost_centres[c].code)))
				s75_diags_add(l->y.diags, S75_DIAG_ERROR, e->file, e->pos,
					      "profile '%s': '%s' (to %s) also matches cost centre %s itself",
					      id, e->written, tgt, ag->cost_centres[c].code);
	}
	for (size_t c = 0; c < ag->ncost_centres; c++)
		free(folded_codes[c]);
	free(folded_codes);
	s75_strmap_free(own_codes);
}

static void load_map(loader *l, s75_import_profile *p, struct fy_node *m)
{
	struct fy_node *v;
	size_t alloc = 0;
	if ((v = yn_get(&l->y, m, "cost_centre_map", false, "")) &&
	    yn_is_map(&l->y, v, "cost_centre_map (CODE or GLOB: cost centre)")) {
		void *it = NULL;
		struct fy_node_pair *pr;
		while ((pr = fy_node_mapping_iterate(v, &it))) {
			size_t len;
			const char *k = yn_key_text(fy_node_pair_key(pr), &len);
			struct fy_node *tv = fy_node_pair_value(pr);
			const char *tgt = tv ? yn_str(&l->y, tv, "a cost centre") : NULL;
			if (!tgt) {
				yn_error(&l->y, fy_node_pair_key(pr), "'%.*s' maps to no cost centre", (int)len, k);
				continue;
			}
			map_add(l, p, l->y.file, yn_pos(fy_node_pair_key(pr)),
				s75_arena_strndup(l->y.arena, k, len), tgt, &alloc);
		}
	}
	if ((v = yn_get(&l->y, m, "cost_centre_map_file", false, "")))
		load_map_file(l, p, v, &alloc);
	if (p->ncc_map) {
		/* into the arena, so the agreement owns it */
		s75_cc_map_entry *e = s75_arena_alloc(l->y.arena, p->ncc_map, sizeof(*e));
		memcpy(e, p->cc_map, p->ncc_map * sizeof(*e));
		free(p->cc_map);
		p->cc_map = e;
		check_map(l, p);
	} else {
		free(p->cc_map);
		p->cc_map = NULL;
	}
}

static void load_profile(loader *l, struct fy_node *m, s75_import_profile *p)
{
	static const char *const keys[] = {"id",	   "partner",	   "delimiter",
					   "encoding",	   "skip_rows",	   "columns",
					   "date_format",  "sign",	   "units",
					   "kind",	   "skip_footer",  "skip_when",
					   "include_when", "exclude_when", "extra_fields",
					   "period",	   "period_format", "period_year",
					   "year",	   "cost_centre_map", "cost_centre_map_file",
					   "late_to_open", "reads",	   NULL};
	static const char *const extras[] = {"error", "ignore", NULL};
	static const char *const reads[] = {"ledger", "receipts", NULL};
	static const char *const pyears[] = {"financial", "financial-end", "calendar", NULL};
	static const char *const encodings[] = {"utf-8", "windows-1252", NULL};
	static const char *const signs[] = {"as-kind", "debit-positive", "credit-positive", NULL};
	struct fy_node *v;
	int e = S75_ENC_UTF8, sg = S75_SIGN_AS_KIND, skip;

	yn_check_keys(&l->y, m, keys, "an import profile");
	p->pos = yn_pos(m);
	{
		int r = 0;
		yn_get_enum(&l->y, m, "reads", false, "an import profile", reads, &r);
		p->receipts = r == 1;
	}
	p->id = yn_get_id(&l->y, m, "id", true, "import profile");
	p->partner = yn_get(&l->y, m, "partner", false, "") ? partner_ref(l, m, "partner", false, "import profile") : -1;
	p->delimiter = ',';
	if ((v = yn_get(&l->y, m, "delimiter", false, ""))) {
		const char *d = yn_str(&l->y, v, "delimiter");
		if (d && (!strcmp(d, "\\t") || !strcmp(d, "tab")))
			p->delimiter = '\t';
		else if (d && strlen(d) == 1 && d[0] != '"' && d[0] != '\n' && d[0] != '\r')
			p->delimiter = d[0];
		else if (d)
			yn_error(&l->y, v, "delimiter must be one character (or 'tab')");
	}
	yn_get_enum(&l->y, m, "encoding", false, "import profile", encodings, &e);
	p->encoding = (s75_encoding)e;
	if (yn_get_int(&l->y, m, "skip_rows", "import profile", 0, 1000, &skip))
		p->skip_rows = skip;
	p->date_format = "yyyy-mm-dd";
	if ((v = yn_get(&l->y, m, "date_format", false, ""))) {
		const char *f = yn_str(&l->y, v, "date_format");
		if (f && !s75_date_fmt_valid(f))
			yn_error(&l->y, v, "date_format '%s' is not a pattern of yyyy, yy, mm, m, dd, d, mon and separators", f);
		else if (f)
			p->date_format = f;
	}
	yn_get_enum(&l->y, m, "sign", false, "import profile", signs, &sg);
	p->sign = (s75_sign)sg;
	if ((v = yn_get(&l->y, m, "units", false, ""))) {
		const char *u = yn_str(&l->y, v, "units");
		if (u && s75_unit_parse(&p->unit, u))
			yn_error(&l->y, v, "%s", s75_error_last());
	}
	p->kind_default = S75_TXN_EXPENDITURE;
	if ((v = yn_get(&l->y, m, "kind", false, "")) && fy_node_is_scalar(v)) {
		int d = S75_TXN_EXPENDITURE; /* `kind: commitment`: every row is of that kind */
		yn_get_enum(&l->y, m, "kind", false, "kind", kind_names, &d);
		p->kind_default = (s75_txn_kind)d;
	} else if (v && yn_is_map(&l->y, v, "kind"))
		load_kind(l, p, v);
	if (yn_get_int(&l->y, m, "skip_footer", "import profile", 0, 1000, &skip))
		p->skip_footer = skip;
	if ((v = yn_get(&l->y, m, "skip_when", false, "")))
		load_rules(l, v, "skip_when (a list of row conditions)", &p->skip_when, &p->nskip_when);
	if ((v = yn_get(&l->y, m, "include_when", false, "")))
		load_rules(l, v, "include_when (a list of row conditions)", &p->include_when,
			   &p->ninclude_when);
	if ((v = yn_get(&l->y, m, "exclude_when", false, "")))
		load_rules(l, v, "exclude_when (a list of row conditions)", &p->exclude_when,
			   &p->nexclude_when);
	int ex = S75_EXTRA_ERROR, py = S75_PERIOD_YEAR_FINANCIAL;
	yn_get_enum(&l->y, m, "extra_fields", false, "import profile", extras, &ex);
	p->extra_fields = (s75_extra_fields)ex;
	yn_get_enum(&l->y, m, "period_year", false, "import profile", pyears, &py);
	p->period_year = (s75_period_year)py;
	static const char *const yesno[] = {"false", "true", "no", "yes", NULL};
	int late = 0;
	yn_get_enum(&l->y, m, "late_to_open", false, "import profile", yesno, &late);
	p->late_to_open = late == 1 || late == 3;
	p->year = -1;
	if ((v = yn_get(&l->y, m, "year", false, ""))) {
		const char *ys = yn_str(&l->y, v, "year");
		if (ys && s75_fy_parse(&p->year, ys)) {
			yn_error(&l->y, v, "year '%s' is not a financial year (expected e.g. 2022/23)", ys);
			p->year = -1;
		}
	}
	if ((v = yn_get(&l->y, m, "period", false, ""))) {
		const char *ps = yn_str(&l->y, v, "period");
		if (ps && s75_period_parse(&p->period, ps))
			yn_error(&l->y, v, "%s", s75_error_last());
		else if (ps)
			p->has_period = true;
	}
	if ((v = yn_get(&l->y, m, "period_format", false, ""))) {
		const char *f = yn_str(&l->y, v, "period_format");
		if (f && !s75_period_fmt_valid(f))
			yn_error(&l->y, v, "period_format '%s' is not a pattern of yyyy or yy, one of pp, p, mm, m or mon, and literal text", f);
		else
			p->period_format = f;
	}
	load_map(l, p, m);
	if ((v = yn_get(&l->y, m, "columns", true, "an import profile")) &&
	    yn_is_map(&l->y, v, "columns (FIELD: header name or number)")) {
		load_columns(l, p, v);
		const char *id = p->id ? p->id : "?";
		if (p->receipts && (!p->columns[S75_F_DATE].used || !p->columns[S75_F_PARTNER].used))
			yn_error(&l->y, v, "profile '%s' reads receipts: it needs a date and a partner (the payer) column", id);
		if (!p->columns[S75_F_COST_CENTRE].used && !p->receipts)
			yn_error(&l->y, v, "profile '%s' has no cost_centre column", id);
		if (p->has_period && (p->columns[S75_F_DATE].used || p->columns[S75_F_PERIOD].used))
			yn_error(&l->y, yn_get(&l->y, m, "period", false, ""),
				 "profile '%s' has a date or period column and a fixed period: give one", id);
		if (p->columns[S75_F_DATE].used && p->columns[S75_F_PERIOD].used)
			yn_error(&l->y, v, "profile '%s' has both a date and a period column: give one", id);
		if (p->period_format && !p->columns[S75_F_PERIOD].used)
			yn_error(&l->y, yn_get(&l->y, m, "period_format", false, ""),
				 "profile '%s' has a period_format but no period column", id);
		if (!p->columns[S75_F_AMOUNT].used && !p->columns[S75_F_DEBIT].used &&
		    !p->columns[S75_F_CREDIT].used)
			yn_error(&l->y, v, "profile '%s' needs an amount column, or debit and credit columns", id);
		if (p->columns[S75_F_AMOUNT].used &&
		    (p->columns[S75_F_DEBIT].used || p->columns[S75_F_CREDIT].used))
			yn_error(&l->y, v, "profile '%s' has both an amount and debit/credit columns", id);
		if (!p->columns[S75_F_AMOUNT].used && p->sign == S75_SIGN_AS_KIND)
			p->sign = S75_SIGN_DEBIT_POSITIVE; /* debit and credit are ledger-signed */
		if (!p->columns[S75_F_PARTNER].used && p->partner < 0 &&
		    !yn_get(&l->y, m, "partner", false, ""))
			yn_error(&l->y, m, "profile '%s' needs a 'partner' (whose ledger it reads) or a partner column", id);
		if (p->columns[S75_F_KIND].used && p->nkind_values == 0)
			yn_error(&l->y, v, "profile '%s' has a kind column but no kind.column_values", id);
		if (p->nkind_accounts && !p->columns[S75_F_ACCOUNT].used)
			yn_error(&l->y, v, "profile '%s' has kind.accounts rules but no account column", id);
	}
}

void load_profiles(loader *l, struct fy_node *seq)
{
	s75_agreement *ag = l->ag;
	int n = fy_node_sequence_item_count(seq);
	void *it = NULL;
	struct fy_node *item;

	ag->profiles = s75_arena_alloc(l->y.arena, (size_t)(n > 0 ? n : 1),
				       sizeof(s75_import_profile));
	while ((item = fy_node_sequence_iterate(seq, &it))) {
		if (!yn_is_map(&l->y, item, "an import profile"))
			continue;
		s75_import_profile *p = &ag->profiles[ag->nprofiles];
		load_profile(l, item, p);
		if (p->id && (!strcmp(p->id, "standard") ||
			      s75_agreement_find_profile(ag, p->id))) {
			yn_error(&l->y, yn_get(&l->y, item, "id", false, ""),
				 "duplicate import profile id '%s'%s", p->id,
				 strcmp(p->id, "standard") ? "" : " ('standard' is built in)");
			p->id = NULL;
		}
		ag->nprofiles++;
	}
}

/* Contributions that cannot be added up (per pool, per partner, per pool and partner,
 * and the year's whole) are an error: every later figure is built on these sums. */
void check_contribution_sums(const s75_agreement *ag, s75_diags *diags)
{
	size_t np = ag->npartners, na = ag->narrangements;
	int64_t *pool = xcalloc(4 * (na + 1), sizeof(int64_t));
	int64_t *partner = xcalloc(4 * (np + 1), sizeof(int64_t));
	int64_t *cell = xcalloc(4 * (na * np + 1), sizeof(int64_t));
	for (size_t yi = 0; yi < ag->nyears; yi++) {
		const s75_year *y = &ag->years[yi];
		int64_t whole[4] = {0};
		bool bad = false;
		if (y->fy < 0)
			continue;
		memset(pool, 0, 4 * (na + 1) * sizeof(int64_t));
		memset(partner, 0, 4 * (np + 1) * sizeof(int64_t));
		memset(cell, 0, 4 * (na * np + 1) * sizeof(int64_t));
		for (size_t k = 0; k < y->ncontributions && !bad; k++) {
			const s75_contribution *c = &y->contributions[k];
			const int64_t v[4] = {c->gross, c->income, c->grants, c->net};
			if (c->pool < 0 || c->partner < 0)
				continue;
			for (int i = 0; i < 4 && !bad; i++) {
				int64_t *a = &pool[4 * (size_t)c->pool + (size_t)i];
				int64_t *b = &partner[4 * (size_t)c->partner + (size_t)i];
				int64_t *d = &cell[4 * ((size_t)c->pool * np + (size_t)c->partner) + (size_t)i];
				bad = __builtin_add_overflow(*a, v[i], a) || __builtin_add_overflow(*b, v[i], b) ||
				      __builtin_add_overflow(*d, v[i], d) ||
				      __builtin_add_overflow(whole[i], v[i], &whole[i]);
			}
			if (bad) {
				char fy[8];
				s75_diags_add(diags, S75_DIAG_ERROR, ag->path, c->pos,
					      "%s: the contributions add up to more than the largest amount s75 can hold (about £92,233 trillion), here at pool '%s', partner '%s'",
					      s75_fy_format(fy, y->fy), ag->arrangements[c->pool].id,
					      ag->partners[c->partner].id);
			}
		}
	}
	free(pool);
	free(partner);
	free(cell);
}

void s75_agreement_check_budgets(const s75_agreement *ag, s75_diags *diags)
{
	/* a year with contributions but no risk share for a pool: say what s75 will assume */
	for (size_t yi = 0; yi < ag->nyears; yi++) {
		const s75_year *y = &ag->years[yi];
		for (size_t a = 0; a < ag->narrangements && y->fy >= 0; a++) {
			bool has = false;
			for (size_t k = 0; k < y->ncontributions && !has; k++)
				has = y->contributions[k].pool == (int)a;
			if (!has || s75_year_find_risk_share(y, (int)a))
				continue;
			char fy[8];
			s75_diags_add(diags, S75_DIAG_WARNING, ag->path, y->pos,
				      "%s states no risk share for pool '%s': over- and underspends will be shared by contributions",
				      s75_fy_format(fy, y->fy), ag->arrangements[a].id);
		}
	}
	for (size_t yi = 0; yi < ag->nyears; yi++) {
		const s75_year *y = &ag->years[yi];
		char fy[8];
		if (y->nbudgets == 0 || y->fy < 0)
			continue;
		s75_fy_format(fy, y->fy);
		/* budgets are set against the contributions in force at the year's end */
		s75_contribution *yc = NULL;
		size_t nyc = 0;
		if (s75_year_contributions_at(&yc, &nyc, ag, y, s75_fy_end(y->fy)))
			nyc = 0;
		for (size_t a = 0; a < ag->narrangements; a++) {
			const s75_arrangement *arr = &ag->arrangements[a];
			for (size_t e = 0; e < arr->nelements; e++) {
				int64_t net = 0, budget = 0;
				bool overflow = false;
				for (size_t k = 0; k < nyc; k++)
					if (yc[k].pool == (int)a && yc[k].element == (int)e)
						overflow |= __builtin_add_overflow(net, yc[k].net, &net);
				for (size_t k = 0; k < y->nbudgets; k++) {
					const s75_cost_centre *cc =
						&ag->cost_centres[y->budgets[k].cost_centre];
					if (cc->pool == (int)a && cc->element == (int)e)
						overflow |= __builtin_add_overflow(
							budget, y->budgets[k].amount, &budget);
				}
				int64_t diff;
				if (overflow || __builtin_sub_overflow(net, budget, &diff) ||
				    __builtin_sub_overflow(budget, net, &diff)) {
					s75_diags_add(diags, S75_DIAG_WARNING, ag->path, y->pos,
						      "%s element '%s' of pool '%s': its budgets or contributions add up to more than s75 can hold",
						      fy, arr->elements[e].id, arr->id);
					continue;
				}
				if (budget == net)
					continue;
				s75_buf msg = S75_BUF_INIT;
				s75_buf_printf(&msg, "%s element '%s' of pool '%s': cost-centre budgets £",
					       fy, arr->elements[e].id, arr->id);
				s75_money_format(&msg, budget, S75_UNIT_POUNDS, S75_FMT_SEP);
				s75_buf_puts(&msg, " against a net contribution of £");
				s75_money_format(&msg, net, S75_UNIT_POUNDS, S75_FMT_SEP);
				s75_buf_puts(&msg, budget < net ? ": £" : ": over-allocated by £");
				s75_money_format(&msg, budget < net ? net - budget : budget - net,
						 S75_UNIT_POUNDS, S75_FMT_SEP);
				if (budget < net)
					s75_buf_puts(&msg, " unallocated");
				s75_diags_add(diags, S75_DIAG_WARNING, ag->path, y->pos, "%s", msg.ptr);
				s75_buf_release(&msg);
			}
		}
		free(yc);
	}
	s75_diags_sort(diags);
}
