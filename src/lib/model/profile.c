/* Import profiles: how each partner's general-ledger extract is laid out
 * (docs/ledger.md), and the built-in `standard` profile. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "loader.h"
#include "s75/error.h"
#include "s75/variation.h"

static const char *const field_names[] = {"date",    "period",	    "partner", "cost_centre",
					  "account", "kind",	    "amount",  "debit",
					  "credit",  "description", "reference", NULL};
static const char *const kind_names[] = {"expenditure", "income", "transfer", NULL};

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

const s75_import_profile *s75_agreement_find_profile(const s75_agreement *ag, const char *id)
{
	for (size_t i = 0; i < ag->nprofiles; i++)
		if (ag->profiles[i].id && !strcmp(ag->profiles[i].id, id))
			return &ag->profiles[i];
	return strcmp(id, "standard") ? NULL : &standard;
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
	    yn_is_map(&l->y, v, "column_values (VALUE: expenditure|income|transfer)")) {
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
					 "kind of '%.*s' must be expenditure, income or transfer",
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
			const char *name = v ? yn_str(&l->y, v, "a column") : NULL;
			if (!name || !*name) {
				yn_error(&l->y, v ? v : fy_node_pair_key(pr),
					 "column of '%s' must be a header name or a column number",
					 field_names[f]);
				break;
			}
			s75_column *c = &p->columns[f];
			c->used = true;
			/* a plain number is a 1-based column position */
			int num = 0;
			const char *q = name;
			while (*q >= '0' && *q <= '9' && num < 100000)
				num = num * 10 + (*q++ - '0');
			if (!*q && fy_node_get_style(v) == FYNS_PLAIN && num > 0)
				c->index = num;
			else
				c->name = name;
		}
	}
}

static void load_profile(loader *l, struct fy_node *m, s75_import_profile *p)
{
	static const char *const keys[] = {"id",	  "partner", "delimiter", "encoding",
					   "skip_rows",	  "columns", "date_format", "sign",
					   "units",	  "kind",    NULL};
	static const char *const encodings[] = {"utf-8", "windows-1252", NULL};
	static const char *const signs[] = {"as-kind", "debit-positive", "credit-positive", NULL};
	struct fy_node *v;
	int e = S75_ENC_UTF8, sg = S75_SIGN_AS_KIND, skip;

	yn_check_keys(&l->y, m, keys, "an import profile");
	p->pos = yn_pos(m);
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
	if ((v = yn_get(&l->y, m, "kind", false, "")) && yn_is_map(&l->y, v, "kind"))
		load_kind(l, p, v);
	if ((v = yn_get(&l->y, m, "columns", true, "an import profile")) &&
	    yn_is_map(&l->y, v, "columns (FIELD: header name or number)")) {
		load_columns(l, p, v);
		const char *id = p->id ? p->id : "?";
		if (!p->columns[S75_F_COST_CENTRE].used)
			yn_error(&l->y, v, "profile '%s' has no cost_centre column", id);
		if (!p->columns[S75_F_DATE].used && !p->columns[S75_F_PERIOD].used)
			yn_error(&l->y, v, "profile '%s' needs a date or a period column", id);
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
