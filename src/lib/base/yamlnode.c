#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "s75/buf.h"
#include "s75/error.h"
#include "yamlnode.h"

s75_pos yn_pos(struct fy_node *n)
{
	s75_pos p = {0, 0};
	while (n) {
		if (fy_node_is_scalar(n) || fy_node_is_alias(n)) {
			struct fy_token *t = fy_node_get_scalar_token(n);
			const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
			if (m) {
				p.line = m->line + 1;
				p.col = m->column + 1;
				/* the token of a quoted scalar starts after its quote */
				enum fy_node_style st = fy_node_get_style(n);
				if ((st == FYNS_SINGLE_QUOTED || st == FYNS_DOUBLE_QUOTED) && p.col > 1)
					p.col--;
			}
			return p;
		}
		if (fy_node_is_mapping(n)) {
			void *it = NULL;
			struct fy_node_pair *pr = fy_node_mapping_iterate(n, &it);
			n = pr ? fy_node_pair_key(pr) : NULL;
		} else if (fy_node_is_sequence(n)) {
			void *it = NULL;
			n = fy_node_sequence_iterate(n, &it);
		} else {
			break;
		}
	}
	return p;
}

bool yn_is_empty(struct fy_node *n)
{
	size_t len;
	if (!n)
		return true;
	if (!fy_node_is_scalar(n) || fy_node_get_style(n) != FYNS_PLAIN)
		return false;
	return !fy_node_get_scalar(n, &len) || len == 0;
}

/* The first token's mark under `n` (the node itself for a scalar). */
static const struct fy_mark *first_mark(struct fy_node *n)
{
	while (n) {
		if (fy_node_is_scalar(n) || fy_node_is_alias(n)) {
			struct fy_token *t = fy_node_get_scalar_token(n);
			return t ? fy_token_start_mark(t) : NULL;
		}
		void *it = NULL;
		if (fy_node_is_mapping(n)) {
			struct fy_node_pair *pr = fy_node_mapping_iterate(n, &it);
			n = pr ? fy_node_pair_key(pr) : NULL;
		} else if (fy_node_is_sequence(n)) {
			n = fy_node_sequence_iterate(n, &it);
		} else {
			return NULL;
		}
	}
	return NULL;
}

s75_pos yn_node_pos(ynctx *c, struct fy_node *n)
{
	if (n && n == c->last_value && (!fy_node_is_scalar(n) || yn_is_empty(n)))
		return c->last_key_pos;
	if (!n)
		return c->last_key_pos;
	if (fy_node_is_scalar(n) || fy_node_is_alias(n))
		return yn_pos(n);
	/* a container without a key: step back from its first token to the '[', '{' or '-'
	 * that opens it */
	const struct fy_mark *m = first_mark(n);
	s75_pos p = {0, 0};
	if (!m)
		return p;
	p.line = m->line + 1;
	p.col = m->column + 1;
	if (c->text && m->input_pos <= c->text_len) {
		size_t i = m->input_pos;
		int col = p.col;
		while (i > 0 && (c->text[i - 1] == ' ' || c->text[i - 1] == '\t' ||
				 c->text[i - 1] == '"' || c->text[i - 1] == '\'')) {
			i--;
			col--;
		}
		if (i > 0 && col > 1 && strchr("[{-", c->text[i - 1]))
			p.col = col - 1;
	}
	return p;
}

static void vdiag(ynctx *c, s75_diag_level lvl, s75_pos p, const char *fmt, va_list ap)
{
	s75_buf b = S75_BUF_INIT;
	s75_buf_vprintf(&b, fmt, ap);
	s75_diags_add(c->diags, lvl, c->file, p, "%s", b.ptr);
	s75_buf_release(&b);
}

void yn_error(ynctx *c, struct fy_node *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(c, S75_DIAG_ERROR, yn_node_pos(c, n), fmt, ap);
	va_end(ap);
}

void yn_warning(ynctx *c, struct fy_node *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(c, S75_DIAG_WARNING, yn_node_pos(c, n), fmt, ap);
	va_end(ap);
}

const char *yn_key_text(struct fy_node *key, size_t *len)
{
	const char *s = key && fy_node_is_scalar(key) ? fy_node_get_scalar(key, len) : NULL;
	if (!s) {
		*len = 0;
		return "";
	}
	return s;
}

static struct fy_node_pair *find_pair(struct fy_node *map, const char *key)
{
	void *it = NULL;
	struct fy_node_pair *pr;
	size_t klen = strlen(key), len;
	while ((pr = fy_node_mapping_iterate(map, &it))) {
		const char *k = yn_key_text(fy_node_pair_key(pr), &len);
		if (len == klen && !memcmp(k, key, len))
			return pr;
	}
	return NULL;
}

s75_pos yn_key_pos(struct fy_node *map, const char *key)
{
	struct fy_node_pair *pr = map ? find_pair(map, key) : NULL;
	return yn_pos(pr ? fy_node_pair_key(pr) : map);
}

bool yn_is_map(ynctx *c, struct fy_node *n, const char *what)
{
	if (n && fy_node_is_mapping(n))
		return true;
	yn_error(c, n, "%s must be a mapping (key: value)", what);
	return false;
}

bool yn_is_seq(ynctx *c, struct fy_node *n, const char *what)
{
	if (n && fy_node_is_sequence(n))
		return true;
	yn_error(c, n, "%s must be a sequence (a list of '- ' items)", what);
	return false;
}

void yn_check_keys(ynctx *c, struct fy_node *map, const char *const *allowed, const char *what)
{
	void *it = NULL;
	struct fy_node_pair *pr;
	size_t len;

	while ((pr = fy_node_mapping_iterate(map, &it))) {
		struct fy_node *k = fy_node_pair_key(pr);
		const char *key = yn_key_text(k, &len);
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strlen(*a) == len && !memcmp(*a, key, len);
		if (ok)
			continue;
		s75_buf exp = S75_BUF_INIT;
		for (const char *const *a = allowed; *a; a++)
			s75_buf_printf(&exp, "%s%s", a == allowed ? "" : ", ", *a);
		yn_error(c, k, "unknown key '%.*s' in %s (expected one of: %s)", (int)len, key, what,
			 exp.ptr);
		s75_buf_release(&exp);
	}
}

struct fy_node *yn_get(ynctx *c, struct fy_node *map, const char *key, bool required,
		       const char *what)
{
	struct fy_node_pair *pr = find_pair(map, key);
	struct fy_node *v = pr ? fy_node_pair_value(pr) : NULL;
	if (pr) {
		c->last_value = v;
		c->last_key_pos = yn_pos(fy_node_pair_key(pr));
	}
	if (pr && yn_is_empty(v)) {
		/* `key:` with nothing after it */
		if (required)
			yn_error(c, fy_node_pair_key(pr), "'%s' of %s has no value", key, what);
		return NULL;
	}
	if (!v && required)
		yn_error(c, map, "%s: missing required '%s'", what, key);
	return v;
}

const char *yn_str(ynctx *c, struct fy_node *n, const char *what)
{
	size_t len;
	const char *s;
	if (!n || !fy_node_is_scalar(n)) {
		yn_error(c, n, "%s must be a single value, not a list or mapping", what);
		return NULL;
	}
	s = fy_node_get_scalar(n, &len);
	if (s && memchr(s, '\0', len)) {
		yn_error(c, n, "%s contains a NUL byte", what);
		return NULL;
	}
	if (!s)
		return NULL;
	return s75_arena_strndup(c->arena, s, len);
}

const char *yn_get_str(ynctx *c, struct fy_node *map, const char *key, bool required,
		       const char *what)
{
	struct fy_node *v = yn_get(c, map, key, required, what);
	if (!v)
		return NULL;
	s75_buf w = S75_BUF_INIT;
	s75_buf_printf(&w, "%s '%s'", what, key);
	const char *s = yn_str(c, v, w.ptr);
	s75_buf_release(&w);
	if (s && required && !*s) {
		yn_error(c, v, "%s: '%s' is empty", what, key);
		return NULL;
	}
	return s;
}

const char *yn_get_id(ynctx *c, struct fy_node *map, const char *key, bool required,
		      const char *what)
{
	struct fy_node *v = yn_get(c, map, key, required, what);
	const char *s = v ? yn_str(c, v, what) : NULL;
	if (!s)
		return NULL;
	bool ok = *s && (islower((unsigned char)*s) || isdigit((unsigned char)*s));
	for (const char *p = s; ok && *p; p++)
		ok = islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_' ||
		     *p == '-' || *p == '.';
	if (!ok) {
		yn_error(c, v, "'%s' is not a valid id for %s (lower-case letters, digits, '_', '-', '.')",
			 s, what);
		return NULL;
	}
	return s;
}

bool yn_get_date(ynctx *c, struct fy_node *map, const char *key, bool required, const char *what,
		 s75_date *out)
{
	struct fy_node *v = yn_get(c, map, key, required, what);
	const char *s = v ? yn_str(c, v, what) : NULL;
	if (!s)
		return false;
	if (s75_date_parse(out, s)) {
		yn_error(c, v, "%s '%s': %s", what, key, s75_error_last());
		return false;
	}
	return true;
}

bool yn_get_int(ynctx *c, struct fy_node *map, const char *key, const char *what, int min, int max,
		int *out)
{
	struct fy_node *v = yn_get(c, map, key, false, what);
	const char *s = v ? yn_str(c, v, what) : NULL;
	*out = -1;
	if (!s)
		return false;
	long n = 0;
	bool ok = *s != '\0';
	for (const char *p = s; ok && *p; p++) {
		ok = isdigit((unsigned char)*p) && n < 100000;
		n = n * 10 + (*p - '0');
	}
	if (!ok || n < min || n > max) {
		yn_error(c, v, "%s '%s' must be a whole number from %d to %d, not '%s'", what, key,
			 min, max, s);
		return false;
	}
	*out = (int)n;
	return true;
}

bool yn_get_enum(ynctx *c, struct fy_node *map, const char *key, bool required, const char *what,
		 const char *const *names, int *out)
{
	struct fy_node *v = yn_get(c, map, key, required, what);
	const char *s = v ? yn_str(c, v, what) : NULL;
	if (!s)
		return false;
	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], s)) {
			*out = i;
			return true;
		}
	s75_buf exp = S75_BUF_INIT;
	for (int i = 0; names[i]; i++)
		s75_buf_printf(&exp, "%s%s", i ? ", " : "", names[i]);
	yn_error(c, v, "%s '%s' is '%s' (expected one of: %s)", what, key, s, exp.ptr);
	s75_buf_release(&exp);
	return false;
}

bool yn_money(ynctx *c, struct fy_node *n, s75_unit unit, const char *what, int64_t *out)
{
	size_t len;
	const char *s;
	if (!n || !fy_node_is_scalar(n)) {
		yn_error(c, n, "%s must be an amount", what);
		return false;
	}
	s = fy_node_get_scalar(n, &len);
	if (s75_money_parse(out, s ? s : "", s ? len : 0, unit, 0)) {
		yn_error(c, n, "%s: %s", what, s75_error_last());
		return false;
	}
	return true;
}

void yn_get_strlist(ynctx *c, struct fy_node *map, const char *key, const char *what,
		    s75_strlist *out)
{
	struct fy_node *v = yn_get(c, map, key, false, what);
	out->items = NULL;
	out->n = 0;
	if (!v)
		return;
	if (fy_node_is_scalar(v)) {
		const char *s = yn_str(c, v, what);
		if (!s || !*s)
			return;
		out->items = s75_arena_alloc(c->arena, 1, sizeof(char *));
		out->items[0] = s;
		out->n = 1;
		return;
	}
	if (!fy_node_is_sequence(v)) {
		yn_error(c, v, "%s must be a single text or a list of texts ('- ' items)", what);
		return;
	}
	int n = fy_node_sequence_item_count(v);
	out->items = s75_arena_alloc(c->arena, (size_t)(n > 0 ? n : 1), sizeof(char *));
	void *it = NULL;
	struct fy_node *item;
	while ((item = fy_node_sequence_iterate(v, &it))) {
		const char *s = yn_str(c, item, what);
		if (s && *s)
			out->items[out->n++] = s;
	}
}
