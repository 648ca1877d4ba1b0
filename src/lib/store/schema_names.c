/* The names a workspace's schema should hold, read from the migrations' SQL text rather
 * than by running them: see db_schema_names_parsed() in db_internal.h. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db_internal.h"
#include "s75/buf.h"
#include "xalloc.h"

typedef enum { T_END, T_WORD, T_STRING, T_PUNCT } tok_type;

typedef struct tok {
	tok_type type;
	const char *p; /* a word: its text (without quotes); punctuation: the character */
	size_t len;
} tok;

/* The next token of SQL text at *s: words (plain or quoted identifiers), string literals,
 * single punctuation characters; comments and white space skipped. */
static tok next_tok(const char **s)
{
	const char *p = *s;
	for (;;) {
		while (*p && isspace((unsigned char)*p))
			p++;
		if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
			continue;
		}
		if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			p = e ? e + 2 : p + strlen(p);
			continue;
		}
		break;
	}
	tok t = {T_END, p, 0};
	if (!*p) {
		*s = p;
		return t;
	}
	if (*p == '\'' || *p == '"' || *p == '`' || *p == '[') {
		char close = *p == '[' ? ']' : *p;
		const char *q = p + 1;
		while (*q && !(*q == close && q[1] != close))
			q += *q == close ? 2 : 1; /* a doubled quote stands for itself */
		t.type = *p == '\'' ? T_STRING : T_WORD;
		t.p = p + 1;
		t.len = (size_t)(q - p - 1);
		*s = *q ? q + 1 : q;
		return t;
	}
	if (isalnum((unsigned char)*p) || *p == '_' || *p == '$' || (unsigned char)*p >= 0x80) {
		const char *q = p;
		while (isalnum((unsigned char)*q) || *q == '_' || *q == '$' || (unsigned char)*q >= 0x80)
			q++;
		t.type = T_WORD;
		t.len = (size_t)(q - p);
		*s = q;
		return t;
	}
	t.type = T_PUNCT;
	t.len = 1;
	*s = p + 1;
	return t;
}

static bool is_kw(const tok *t, const char *kw)
{
	return t->type == T_WORD && strlen(kw) == t->len && !strncasecmp(t->p, kw, t->len);
}

typedef struct entry {
	char type[8]; /* table, index, trigger */
	char *name, *tbl;
} entry;

typedef struct schema {
	entry *e;
	size_t n, alloc;
} schema;

static char *tok_dup(const tok *t)
{
	/* quoted names with doubled quotes are not ours: kept as written, never matched */
	return xstrndup(t->p, t->len);
}

static entry *find(schema *s, const char *type, const tok *name)
{
	for (size_t i = 0; i < s->n; i++)
		if ((!type || !strcmp(s->e[i].type, type)) && strlen(s->e[i].name) == name->len &&
		    !strncasecmp(s->e[i].name, name->p, name->len))
			return &s->e[i];
	return NULL;
}

static void drop(schema *s, size_t i)
{
	free(s->e[i].name);
	free(s->e[i].tbl);
	s->e[i] = s->e[--s->n];
}

/* [IF NOT EXISTS] / [IF EXISTS]: skipped; true if it was there. */
static bool if_exists(const char **sql, tok *t, bool not)
{
	if (!is_kw(t, "IF"))
		return false;
	*t = next_tok(sql);
	if (not) {
		if (!is_kw(t, "NOT"))
			return false;
		*t = next_tok(sql);
	}
	if (!is_kw(t, "EXISTS"))
		return false;
	*t = next_tok(sql);
	return true;
}

/* A name: a word not followed by '.' (a schema-qualified name is not understood). */
static bool plain_name(const char **sql, const tok *t)
{
	if (t->type != T_WORD)
		return false;
	const char *save = *sql;
	tok u = next_tok(sql);
	*sql = save;
	return !(u.type == T_PUNCT && *u.p == '.');
}

/* One statement from its first token `t`; 0, or -1 when it is not understood. */
static int statement(schema *s, const char **sql, tok t)
{
	if (is_kw(&t, "CREATE")) {
		t = next_tok(sql);
		bool unique = is_kw(&t, "UNIQUE");
		if (unique)
			t = next_tok(sql);
		const char *type = is_kw(&t, "TABLE") ? "table" : is_kw(&t, "INDEX") ? "index"
				   : is_kw(&t, "TRIGGER") && !unique ? "trigger" : NULL;
		if (!type)
			return -1; /* TEMP, VIEW, VIRTUAL TABLE ... */
		t = next_tok(sql);
		bool cond = if_exists(sql, &t, true);
		if (!plain_name(sql, &t))
			return -1;
		tok name = t;
		tok on = {T_END, NULL, 0};
		if (strcmp(type, "table")) {
			/* an index or a trigger belongs to the table after its first ON */
			while ((t = next_tok(sql)).type != T_END && !is_kw(&t, "ON"))
				;
			on = next_tok(sql);
			if (!plain_name(sql, &on))
				return -1;
		}
		if (find(s, NULL, &name))
			return cond ? 0 : -1; /* SQLite would have failed: not ours to judge */
		ALLOC_GROW(s->e, s->n + 1, s->alloc);
		entry *e = &s->e[s->n++];
		strcpy(e->type, type);
		e->name = tok_dup(&name);
		e->tbl = on.type == T_WORD ? tok_dup(&on) : tok_dup(&name);
		return 0;
	}
	if (is_kw(&t, "DROP")) {
		t = next_tok(sql);
		const char *type = is_kw(&t, "TABLE") ? "table" : is_kw(&t, "INDEX") ? "index"
				   : is_kw(&t, "TRIGGER") ? "trigger" : NULL;
		if (!type)
			return -1;
		t = next_tok(sql);
		bool cond = if_exists(sql, &t, false);
		if (!plain_name(sql, &t))
			return -1;
		entry *e = find(s, type, &t);
		if (!e)
			return cond ? 0 : -1;
		if (!strcmp(type, "table")) {
			/* its indexes and triggers go with it */
			for (size_t i = s->n; i-- > 0;)
				if (strcmp(s->e[i].type, "table") && strlen(s->e[i].tbl) == t.len &&
				    !strncasecmp(s->e[i].tbl, t.p, t.len))
					drop(s, i);
			e = find(s, type, &t);
		}
		drop(s, (size_t)(e - s->e));
		return 0;
	}
	if (is_kw(&t, "ALTER")) {
		t = next_tok(sql);
		if (!is_kw(&t, "TABLE"))
			return -1;
		tok from = next_tok(sql);
		if (!plain_name(sql, &from) || !find(s, "table", &from))
			return -1;
		t = next_tok(sql);
		if (is_kw(&t, "ADD") || is_kw(&t, "DROP"))
			return 0; /* a column: no name changes */
		if (!is_kw(&t, "RENAME"))
			return -1;
		t = next_tok(sql);
		if (!is_kw(&t, "TO"))
			return 0; /* RENAME [COLUMN] a TO b */
		tok to = next_tok(sql);
		if (!plain_name(sql, &to) || find(s, NULL, &to))
			return -1;
		for (size_t i = 0; i < s->n; i++)
			if (strlen(s->e[i].tbl) == from.len && !strncasecmp(s->e[i].tbl, from.p, from.len)) {
				free(s->e[i].tbl);
				s->e[i].tbl = tok_dup(&to);
			}
		entry *e = find(s, "table", &from);
		free(e->name);
		e->name = tok_dup(&to);
		return 0;
	}
	/* other statements (INSERT, UPDATE ...) create nothing; a PRAGMA or anything that
	 * could is not understood */
	return is_kw(&t, "INSERT") || is_kw(&t, "UPDATE") || is_kw(&t, "DELETE") ? 0 : -1;
}

/* Skips to the end of the statement begun: past its ';' (and, for a trigger, past the
 * ';' after END). */
static void skip_statement(const char **sql, bool trigger)
{
	tok t;
	bool body = false;
	while ((t = next_tok(sql)).type != T_END) {
		if (trigger && is_kw(&t, "BEGIN"))
			body = true;
		if (body && is_kw(&t, "END"))
			body = false;
		if (!body && t.type == T_PUNCT && *t.p == ';')
			return;
	}
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int db_schema_names_parsed(s75_buf *out, const char *const *migrations, int version)
{
	schema s = {0};
	int rc = 0;
	for (int v = 0; v < version && !rc; v++) {
		const char *sql = migrations[v];
		tok t;
		while (!rc && (t = next_tok(&sql)).type != T_END) {
			if (t.type == T_PUNCT && *t.p == ';')
				continue;
			const char *start = sql;
			bool trigger = false;
			if (is_kw(&t, "CREATE")) {
				/* is it a trigger? (its body holds ';') */
				const char *look = sql;
				tok u = next_tok(&look);
				trigger = is_kw(&u, "TRIGGER");
			}
			rc = statement(&s, &sql, t);
			sql = start;
			skip_statement(&sql, trigger);
		}
	}
	if (!rc) {
		/* as SELECT type || ' ' || name ... WHERE name NOT LIKE 'sqlite_%' ORDER BY 1 */
		char **lines = xcalloc(s.n + 1, sizeof(char *));
		size_t n = 0;
		for (size_t i = 0; i < s.n; i++) {
			if (strlen(s.e[i].name) >= 7 && !strncasecmp(s.e[i].name, "sqlite", 6))
				continue;
			size_t len = strlen(s.e[i].type) + strlen(s.e[i].name) + 2;
			lines[n] = xmalloc(len);
			snprintf(lines[n++], len, "%s %s", s.e[i].type, s.e[i].name);
		}
		qsort(lines, n, sizeof(char *), cmp_line);
		for (size_t i = 0; i < n; i++) {
			s75_buf_puts(out, lines[i]);
			s75_buf_putc(out, '\n');
			free(lines[i]);
		}
		free(lines);
	}
	for (size_t i = 0; i < s.n; i++) {
		free(s.e[i].name);
		free(s.e[i].tbl);
	}
	free(s.e);
	return rc;
}
