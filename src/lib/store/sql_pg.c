/* The PostgreSQL back end of the statement layer (sql.h), on libpq.
 *
 * A statement's SQL is SQLite's dialect as sql.h allows it; its placeholders are rewritten
 * to $N once, at prepare. Parameters go as text (blobs as binary), types left for the
 * server to infer from where they stand; results come back as text and are parsed here,
 * integers with range checks. A statement streams its rows (libpq's single-row mode);
 * when another statement of the connection runs before it has read them all, the rest
 * are fetched into memory first, so statements can be nested as on SQLite.
 *
 * One connection per s75_db, its search_path (and lock_timeout) set in the start-up
 * message, so that they cost no round trip: many agreements can share one database, a
 * schema each. The open reads the schema's version in its one query. db_data_version()
 * compares pg_current_snapshot() with the last one seen, and counts this connection's
 * own writes. Writers serialise on an advisory lock keyed by the schema's name
 * (db_begin_write, and every insert that numbers a row); readers take a REPEATABLE READ
 * READ ONLY snapshot (db_begin_read).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpq-fe.h>

#include "db_internal.h"
#include "s75/error.h"
#include "sql_pg.h"
#include "stage.h"
#include "xalloc.h"

/* libpq's type oids (catalog/pg_type_d.h is not in libpq-dev) */
enum {
	OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_TEXT = 25,
	OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_NUMERIC = 1700
};

typedef struct pg_stmt pg_stmt;

typedef struct pg_conn {
	PGconn *h;
	char *schema;
	pg_stmt *streaming; /* the statement whose rows are still arriving, if any */
	char cause[512];    /* the last failure, in words */
	char state[6];      /* its SQLSTATE, or "" */
	/* db_data_version(): the last snapshot seen (pg_current_snapshot() as text), its
	 * number, this connection's writes, and their count when its transaction began */
	char *snapshot;
	int64_t data_version;
	int64_t own_writes, own_at_begin;
	int version_known; /* the schema version read at open, until another command runs */
	int version;
	int analyze;       /* txn was bulk loaded: ANALYZE after the commit */
} pg_conn;

struct pg_stmt {
	sql_stmt base;
	char *sql; /* with $N placeholders */
	int nparams; /* the statement's own; then pp.nhidden hidden ones */
	pg_params pp;
	Oid *types;  /* NULL, or text for the parameters the SQL only tests for NULL */
	const char **val;
	int *len, *fmt;
	char **own;      /* copies this statement owns, by parameter */
	PGresult *res;   /* the current result */
	int row, nrows;
	PGresult **queue; /* results fetched ahead (another statement needed the connection) */
	size_t qhead, qn, qalloc;
	int running;     /* its results are still arriving on the connection */
	int started;     /* sql_step() has run it since the last reset */
	int failed;      /* the error code of a failed run, returned until reset */
	int64_t changes;
	unsigned char *blob; /* the last column_blob() decoded */
	size_t blob_len;
	char boolbuf[2];
};

#define PG(db) ((pg_conn *)(db)->conn)

/* ---- the SQL: placeholders, DDL ---- */

/* The end of a quoted literal or identifier starting at s (its quote), or of a comment. */
static const char *skip_quoted(const char *s)
{
	char q = *s;
	if (q == '-') {
		while (*s && *s != '\n')
			s++;
		return s;
	}
	if (q == '/') {
		const char *e = strstr(s + 2, "*/");
		return e ? e + 2 : s + strlen(s);
	}
	for (s++; *s; s++)
		if (*s == q) {
			if (s[1] == q)
				s++; /* a doubled quote is one quote */
			else
				return s + 1;
		}
	return s;
}

static int starts_quoted(const char *s)
{
	return *s == '\'' || *s == '"' || (s[0] == '-' && s[1] == '-') || (s[0] == '/' && s[1] == '*');
}

/* The end of " IS NULL" or " IS NOT NULL" at s, or NULL. */
static const char *is_null_test(const char *s)
{
	static const char *const forms[] = {"IS NULL", "IS NOT NULL"};
	while (isspace((unsigned char)*s))
		s++;
	for (int f = 1; f >= 0; f--) {
		const char *p = s, *w = forms[f];
		while (*w) {
			if (*w == ' ') {
				if (!isspace((unsigned char)*p))
					break;
				while (isspace((unsigned char)*p))
					p++;
				w++;
			} else if (toupper((unsigned char)*p) == *w) {
				p++;
				w++;
			} else {
				break;
			}
		}
		if (!*w && !isalnum((unsigned char)*p) && *p != '_')
			return p;
	}
	return NULL;
}

/* One pass over sql: with out NULL it only finds the largest number. */
static int rewrite_pass(s75_buf *out, int *max_out, pg_params *pp, const char *sql)
{
	int max = 0;
	const char *s = sql;
	while (*s) {
		if (starts_quoted(s)) {
			const char *e = skip_quoted(s);
			if (out)
				s75_buf_add(out, s, (size_t)(e - s));
			s = e;
		} else if (*s == '?') {
			long n;
			s++;
			if (isdigit((unsigned char)*s)) {
				char *end;
				n = strtol(s, &end, 10);
				if (n < 1 || n > 32767)
					return s75_error_set(S75_EINVALID, "placeholder ?%ld out of range (1 to 32767) in '%s'", n, sql);
				s = end;
			} else {
				n = max + 1;
				if (n > 32767)
					return s75_error_set(S75_EINVALID, "too many placeholders in '%s'", sql);
			}
			if (n > max)
				max = (int)n;
			if (!out)
				continue;
			if (is_null_test(s)) {
				/* PostgreSQL cannot type a parameter that is only tested for NULL: the
				 * test reads a hidden text parameter that is NULL when this one is */
				ALLOC_GROW(pp->mirror, (size_t)pp->nhidden + 1, pp->alloc);
				pp->mirror[pp->nhidden++] = (int)n;
				s75_buf_printf(out, "$%d::text", pp->n + pp->nhidden);
			} else {
				if (n <= pp->n)
					pp->used[n - 1] = 1;
				s75_buf_printf(out, "$%ld", n);
			}
		} else {
			if (out)
				s75_buf_putc(out, *s);
			s++;
		}
	}
	*max_out = max;
	return 0;
}

int pg_rewrite_placeholders(s75_buf *out, pg_params *pp, const char *sql)
{
	int rc, max = 0;
	memset(pp, 0, sizeof(*pp));
	if ((rc = rewrite_pass(NULL, &max, pp, sql)))
		return rc;
	pp->n = max;
	pp->used = xcalloc((size_t)max + 1, 1);
	return rewrite_pass(out, &max, pp, sql);
}

void pg_params_release(pg_params *pp)
{
	free(pp->mirror);
	free(pp->used);
	memset(pp, 0, sizeof(*pp));
}

/* The length of the word at s (letters, digits, _), 0 if none. */
static size_t word_len(const char *s)
{
	size_t n = 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '_')
		n++;
	return n;
}

static int word_is(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && !strncasecmp(s, w, n);
}

/* The next word after s (skipping spaces): its start and length in *w, *n. */
static const char *next_word(const char *s, const char **w, size_t *n)
{
	while (isspace((unsigned char)*s))
		s++;
	*w = s;
	*n = word_len(s);
	return s + *n;
}

/* The type and clause words of one statement that is not a trigger. */
static void translate_plain(s75_buf *out, const char *s, const char *end)
{
	while (s < end) {
		if (starts_quoted(s)) {
			const char *e = skip_quoted(s);
			if (e > end)
				e = end;
			s75_buf_add(out, s, (size_t)(e - s));
			s = e;
			continue;
		}
		size_t n = word_len(s);
		if (!n) {
			s75_buf_putc(out, *s++);
			continue;
		}
		const char *w2, *w3;
		size_t n2, n3;
		const char *after2 = next_word(s + n, &w2, &n2);
		const char *after3 = next_word(after2, &w3, &n3);
		if (word_is(s, n, "INTEGER") && word_is(w2, n2, "PRIMARY") && word_is(w3, n3, "KEY")) {
			/* numbered as SQLite numbers a rowid (rowid_default()), not by a sequence */
			s75_buf_puts(out, "BIGINT PRIMARY KEY");
			s = after3;
		} else if (word_is(s, n, "INTEGER")) {
			s75_buf_puts(out, "BIGINT");
			s += n;
		} else if (word_is(s, n, "BLOB")) {
			s75_buf_puts(out, "BYTEA");
			s += n;
		} else if (word_is(s, n, "WITHOUT") && word_is(w2, n2, "ROWID")) {
			s = after2;
		} else if (word_is(s, n, "STRICT")) {
			s += n;
		} else if (word_is(s, n, "COLLATE") && word_is(w2, n2, "NOCASE")) {
			s75_buf_puts(out, "COLLATE s75_nocase");
			s = after2;
		} else {
			s75_buf_add(out, s, n);
			s += n;
		}
	}
}

/*
 * CREATE TRIGGER name {BEFORE|AFTER} event [OF col] ON table [WHEN cond] BEGIN body END
 * as a PL/pgSQL function name_fn() and a row trigger calling it.
 */
static void translate_trigger(s75_buf *out, const char *s, const char *end)
{
	const char *w, *p = s, *name, *table, *when = NULL, *when_end = NULL, *body;
	size_t n, nname, ntable;
	int before = 0;
	s75_buf head = S75_BUF_INIT;
	p = next_word(p, &w, &n); /* CREATE */
	p = next_word(p, &w, &n); /* TRIGGER */
	p = next_word(p, &name, &nname);
	p = next_word(p, &w, &n);
	before = word_is(w, n, "BEFORE");
	s75_buf_add(&head, w, n); /* BEFORE / AFTER */
	/* the event up to ON */
	for (;;) {
		p = next_word(p, &w, &n);
		if (!n || word_is(w, n, "ON"))
			break;
		s75_buf_putc(&head, ' ');
		s75_buf_add(&head, w, n);
	}
	p = next_word(p, &table, &ntable);
	p = next_word(p, &w, &n);
	if (word_is(w, n, "WHEN")) {
		when = p;
		/* the condition runs up to the BEGIN of the body */
		for (const char *q = p; q < end; q++) {
			if (starts_quoted(q)) {
				q = skip_quoted(q) - 1;
				continue;
			}
			size_t k = word_len(q);
			if (word_is(q, k, "BEGIN") && (q == s || !isalnum((unsigned char)q[-1]))) {
				when_end = q;
				break;
			}
			if (k)
				q += k - 1;
		}
		p = when_end ? when_end + 5 : end;
	}
	body = p;
	/* the body ends at its last END */
	const char *body_end = end;
	for (const char *q = end; q > body; q--)
		if (q - body >= 3 && !strncasecmp(q - 3, "END", 3)) {
			body_end = q - 3;
			break;
		}
	s75_buf_printf(out, "CREATE OR REPLACE FUNCTION %.*s_fn() RETURNS trigger LANGUAGE plpgsql AS $s75$BEGIN ",
		       (int)nname, name);
	/* the body's statements: RAISE(ABORT, 'm') becomes RAISE EXCEPTION 'm' */
	for (const char *q = body; q < body_end;) {
		while (q < body_end && isspace((unsigned char)*q))
			q++;
		if (q >= body_end)
			break;
		const char *e = q;
		while (e < body_end && *e != ';') {
			if (starts_quoted(e))
				e = skip_quoted(e);
			else
				e++;
		}
		const char *r = strstr(q, "RAISE(ABORT,");
		if (r && r < e) {
			const char *m = r + strlen("RAISE(ABORT,");
			while (isspace((unsigned char)*m))
				m++;
			const char *mend = e;
			while (mend > m && mend[-1] != ')')
				mend--;
			s75_buf_printf(out, "RAISE EXCEPTION %.*s; ", (int)(mend - 1 - m), m);
		} else {
			translate_plain(out, q, e);
			s75_buf_puts(out, "; ");
		}
		q = e < body_end ? e + 1 : e;
	}
	if (before)
		s75_buf_puts(out, "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; ");
	else
		s75_buf_puts(out, "RETURN NULL; ");
	s75_buf_printf(out, "END$s75$;\nCREATE TRIGGER %.*s %s ON %.*s FOR EACH ROW ", (int)nname, name,
		       head.ptr, (int)ntable, table);
	if (when) {
		s75_buf_puts(out, "WHEN (");
		s75_buf_add(out, when, (size_t)(when_end - when));
		s75_buf_puts(out, ") ");
	}
	s75_buf_printf(out, "EXECUTE FUNCTION %.*s_fn()", (int)nname, name);
	s75_buf_release(&head);
}

/*
 * SQLite gives a row without an INTEGER PRIMARY KEY one more than the largest, so a
 * rolled-back insert leaves no gap; a sequence would (batch numbers would differ). The
 * column's default does the same (PG_ROWID_FUNCTION), under the schema's write lock so that
 * two never take one id. A default, not a BEFORE ROW trigger: a row trigger turns off
 * COPY's batched inserts into the table (txn, pg_bulk_load_txn), and a default is not
 * even evaluated when the COPY gives the column.
 */
static void rowid_default(s75_buf *out, const char *table, size_t ntable, const char *stmt,
			  const char *end)
{
	const char *prev = NULL;
	size_t nprev = 0;
	for (const char *q = stmt; q < end;) {
		if (starts_quoted(q)) {
			q = skip_quoted(q);
			continue;
		}
		size_t k = word_len(q);
		if (!k) {
			q++;
			continue;
		}
		const char *w2, *w3;
		size_t n2, n3;
		const char *a2 = next_word(q + k, &w2, &n2);
		next_word(a2, &w3, &n3);
		if (prev && word_is(q, k, "INTEGER") && word_is(w2, n2, "PRIMARY") && word_is(w3, n3, "KEY")) {
			s75_buf_printf(out, ";\n%s;\nALTER TABLE %.*s ALTER COLUMN %.*s SET DEFAULT s75_rowid_next('%.*s', '%.*s')",
				       PG_ROWID_FUNCTION, (int)ntable, table, (int)nprev, prev, (int)ntable, table,
				       (int)nprev, prev);
			return;
		}
		prev = q;
		nprev = k;
		q += k;
	}
}

void pg_translate_ddl(s75_buf *out, const char *sql)
{
	const char *s = sql;
	while (*s) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		const char *w1, *w2, *w3;
		size_t n1, n2, n3;
		const char *a2 = next_word(s, &w1, &n1);
		const char *a3 = next_word(a2, &w2, &n2);
		next_word(a3, &w3, &n3);
		if (!strncmp(s, PG_ONLY_OPEN, strlen(PG_ONLY_OPEN))) {
			/* SQL for PostgreSQL alone, in a comment SQLite skips: as it is */
			const char *p = s + strlen(PG_ONLY_OPEN), *c = strstr(p, "*/");
			size_t n = c ? (size_t)(c - p) : strlen(p);
			s75_buf_add(out, p, n);
			s75_buf_puts(out, ";\n");
			s = p + n + (c ? 2 : 0);
			continue;
		}
		int trigger = word_is(w1, n1, "CREATE") && word_is(w2, n2, "TRIGGER");
		/* the statement's end: its ';' (a trigger's: the one after END) */
		const char *e = s;
		while (*e) {
			if (starts_quoted(e)) {
				e = skip_quoted(e);
				continue;
			}
			if (*e == ';' && !trigger)
				break;
			size_t k = word_len(e);
			if (trigger && word_is(e, k, "END") && !isalnum((unsigned char)e[-1])) {
				e += k;
				while (isspace((unsigned char)*e))
					e++;
				break;
			}
			e += k ? k : 1;
		}
		if (trigger) {
			translate_trigger(out, s, e);
		} else if (word_is(w1, n1, "DROP") && word_is(w2, n2, "TRIGGER")) {
			/* PostgreSQL names the trigger's table: find it */
			s75_buf_printf(out,
				       "DO $s75$DECLARE t text; BEGIN SELECT event_object_table INTO t"
				       " FROM information_schema.triggers WHERE trigger_schema = current_schema()"
				       " AND trigger_name = '%.*s' LIMIT 1;"
				       " EXECUTE format('DROP TRIGGER %.*s ON %%I', t);"
				       " DROP FUNCTION %.*s_fn(); END$s75$",
				       (int)n3, w3, (int)n3, w3, (int)n3, w3);
		} else {
			translate_plain(out, s, e);
			if (word_is(w1, n1, "CREATE") && word_is(w2, n2, "TABLE"))
				rowid_default(out, w3, n3, s, e);
		}
		s75_buf_puts(out, ";\n");
		s = *e == ';' ? e + 1 : e;
	}
}

int pg_target_parse(char **conninfo, char **schema, const char *target)
{
	s75_buf ci = S75_BUF_INIT;
	char *sch = NULL, *err = NULL;
	const char *q = strchr(target, '?');
	int rc = 0;
	*conninfo = *schema = NULL;
	if (strncmp(target, "postgresql://", 13) && strncmp(target, "postgres://", 11))
		return s75_error_set(S75_EINVALID, "'%s' is not a postgresql:// URI", target);
	s75_buf_add(&ci, target, q ? (size_t)(q - target) : strlen(target));
	if (q) {
		const char *p = q + 1;
		int first = 1;
		while (*p) {
			size_t n = strcspn(p, "&");
			if (n > 7 && !strncmp(p, "schema=", 7)) {
				free(sch);
				sch = xstrndup(p + 7, n - 7);
			} else if (n) {
				s75_buf_putc(&ci, first ? '?' : '&');
				s75_buf_add(&ci, p, n);
				first = 0;
			}
			p += n;
			if (*p == '&')
				p++;
		}
	}
	if (!sch)
		sch = xstrdup(PG_DEFAULT_SCHEMA);
	/* a schema name PostgreSQL takes unquoted, so that it is written one way */
	int ok = (islower((unsigned char)sch[0]) || sch[0] == '_') && strlen(sch) <= 63;
	for (const char *c = sch; ok && *c; c++)
		ok = islower((unsigned char)*c) || isdigit((unsigned char)*c) || *c == '_';
	if (!ok) {
		rc = s75_error_set(S75_EINVALID,
				   "schema '%s' in '%s': expected a name of lower-case letters, digits and _ (at most 63, not starting with a digit)",
				   sch, target);
		goto done;
	}
	PQconninfoOption *opts = PQconninfoParse(ci.ptr, &err);
	if (!opts) {
		size_t n = err ? strlen(err) : 0;
		while (n && err[n - 1] == '\n')
			n--;
		rc = s75_error_set(S75_EINVALID, "'%s' is not a valid PostgreSQL connection URI: %.*s", target,
				   (int)n, err ? err : "?");
		PQfreemem(err);
		goto done;
	}
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (!strcmp(o->keyword, "password") && o->val && *o->val) {
			rc = s75_error_set(S75_EINVALID,
					   "the connection has a password in it: keep it out of the workspace, in PGPASSFILE or ~/.pgpass (libpq reads it there)");
			break;
		}
	PQconninfoFree(opts);
done:
	if (rc) {
		s75_buf_release(&ci);
		free(sch);
		return rc;
	}
	*conninfo = s75_buf_detach(&ci);
	*schema = sch;
	return 0;
}

/* ---- errors ---- */

/* Keeps the failure of `r` (or of the connection, r NULL) in words; returns its code. */
static int fail(pg_conn *c, const PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!msg)
		msg = PQerrorMessage(c->h);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	snprintf(c->state, sizeof(c->state), "%s", state ? state : "");
	if (state && !strcmp(state, "55P03"))
		snprintf(c->cause, sizeof(c->cause),
			 "the workspace is locked by another s75 command that is still running (waited " DB_BUSY_WAIT_TEXT ")");
	else if (state)
		snprintf(c->cause, sizeof(c->cause), "%.*s (SQLSTATE %s)", (int)n, msg, state);
	else {
		/* libpq's connection messages run over several lines: one line, "; " between */
		size_t o = 0;
		for (size_t i = 0; i < n && o + 3 < sizeof(c->cause); i++) {
			if (msg[i] == '\n') {
				while (i + 1 < n && isspace((unsigned char)msg[i + 1]))
					i++;
				c->cause[o++] = ';';
				c->cause[o++] = ' ';
			} else {
				c->cause[o++] = msg[i];
			}
		}
		c->cause[o] = '\0';
	}
	if (!state)
		return SQL_ERROR;
	if (!strncmp(state, "23", 2))
		return SQL_CONSTRAINT;
	if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03"))
		return SQL_BUSY;
	return SQL_ERROR;
}

static const char *pg_cause(s75_db *db)
{
	return PG(db)->cause[0] ? PG(db)->cause : "unknown error";
}

/* ---- statements ---- */

static void clear_results(pg_stmt *st)
{
	PQclear(st->res);
	st->res = NULL;
	st->row = st->nrows = 0;
	while (st->qhead < st->qn)
		PQclear(st->queue[st->qhead++]);
	st->qhead = st->qn = 0;
}

/* Fetches the rest of `st`'s results into its queue: the connection is needed. */
static void fetch_rest(pg_stmt *st)
{
	pg_conn *c = PG(st->base.db);
	PGresult *r;
	while ((r = PQgetResult(c->h))) {
		ALLOC_GROW(st->queue, st->qn + 1, st->qalloc);
		st->queue[st->qn++] = r;
	}
	st->running = 0;
	c->streaming = NULL;
}

/* Makes the connection free for a new command. */
static void quiesce(pg_conn *c)
{
	c->version_known = 0;
	if (c->streaming)
		fetch_rest(c->streaming);
}

/*
 * Counts this connection's writes for db_data_version() from a finished command's status
 * (PQcmdStatus): anything but a read or transaction control is a write; a rollback of a
 * transaction that wrote is one more (what was read inside it is no longer there).
 */
static void note_command(pg_conn *c, const char *status)
{
	static const char *const reads[] = {"SELECT", "COMMIT", "SET", "SHOW", "SAVEPOINT", "RELEASE", "FETCH",
					    "DECLARE", "CLOSE", "LOCK"};
	size_t n = word_len(status);
	if (word_is(status, n, "BEGIN") || word_is(status, n, "START")) {
		c->own_at_begin = c->own_writes;
		c->analyze = 0;
		return;
	}
	/* ROLLBACK or ROLLBACK TO a savepoint (the same status): a later full rollback
	 * counts again, since it undoes what came before the savepoint too */
	if (word_is(status, n, "ROLLBACK")) {
		if (c->own_writes != c->own_at_begin)
			c->own_writes++;
		return;
	}
	for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++)
		if (word_is(status, n, reads[i]))
			return;
	c->own_writes++;
}

/* Reads and drops what is left of `st`'s results (finalize, reset). */
static void discard(pg_stmt *st)
{
	pg_conn *c = PG(st->base.db);
	if (st->running) {
		PGresult *r;
		while ((r = PQgetResult(c->h)))
			PQclear(r);
		st->running = 0;
		c->streaming = NULL;
	}
	clear_results(st);
}

static int pg_prepare(s75_db *db, sql_stmt **out, const char *sql, bool kept)
{
	s75_buf b = S75_BUF_INIT;
	pg_params pp;
	(void)kept;
	*out = NULL;
	if (pg_rewrite_placeholders(&b, &pp, sql)) {
		snprintf(PG(db)->cause, sizeof(PG(db)->cause), "%s", s75_error_last());
		s75_buf_release(&b);
		pg_params_release(&pp);
		return SQL_ERROR;
	}
	pg_stmt *st = xcalloc(1, sizeof(*st));
	st->base.be = &sql_pg_backend;
	st->base.db = db;
	st->sql = s75_buf_detach(&b);
	st->nparams = pp.n;
	st->pp = pp;
	size_t all = (size_t)pp.n + (size_t)pp.nhidden;
	if (all) {
		st->val = xcalloc(all, sizeof(*st->val));
		st->len = xcalloc(all, sizeof(*st->len));
		st->fmt = xcalloc(all, sizeof(*st->fmt));
		st->own = xcalloc(all, sizeof(*st->own));
	}
	/* a parameter the SQL never uses but in a NULL test still needs a type */
	for (int i = 0; i < pp.n; i++)
		if (!pp.used[i]) {
			if (!st->types)
				st->types = xcalloc(all, sizeof(Oid));
			st->types[i] = OID_TEXT;
		}
	*out = &st->base;
	return SQL_OK;
}

static int set_param(pg_stmt *st, int i, char *owned, const char *v, int len, int fmt)
{
	if (i < 1 || i > st->nparams) {
		free(owned);
		snprintf(PG(st->base.db)->cause, sizeof(PG(st->base.db)->cause),
			 "parameter %d out of range (1 to %d)", i, st->nparams);
		return SQL_ERROR;
	}
	free(st->own[i - 1]);
	st->own[i - 1] = owned;
	st->val[i - 1] = owned ? owned : v;
	st->len[i - 1] = len;
	st->fmt[i - 1] = fmt;
	return SQL_OK;
}

static int pg_bind_int64(sql_stmt *s, int i, int64_t v)
{
	char *t = xmalloc(24);
	snprintf(t, 24, "%" PRId64, v);
	return set_param((pg_stmt *)s, i, t, NULL, 0, 0);
}

static int pg_bind_text(sql_stmt *s, int i, const char *v, int n, bool copy)
{
	if (!v)
		return set_param((pg_stmt *)s, i, NULL, NULL, 0, 0);
	size_t len = n < 0 ? strlen(v) : (size_t)n;
	/* a text parameter is NUL-terminated for libpq: copy one that is not */
	if (copy || (n >= 0 && v[len] != '\0'))
		return set_param((pg_stmt *)s, i, xstrndup(v, len), NULL, 0, 0);
	return set_param((pg_stmt *)s, i, NULL, v, 0, 0);
}

static int pg_bind_blob(sql_stmt *s, int i, const void *p, int n)
{
	if (!p)
		return set_param((pg_stmt *)s, i, NULL, NULL, 0, 0);
	/* binary format: the bytes as they are (bytea); never NULL, even when empty */
	return set_param((pg_stmt *)s, i, NULL, n ? p : "", n, 1);
}

static int pg_bind_null(sql_stmt *s, int i)
{
	return set_param((pg_stmt *)s, i, NULL, NULL, 0, 0);
}

static int pg_bind_parameter_count(sql_stmt *s)
{
	return ((pg_stmt *)s)->nparams;
}

static int pg_clear_bindings(sql_stmt *s)
{
	pg_stmt *st = (pg_stmt *)s;
	for (int i = 0; i < st->nparams; i++) {
		free(st->own[i]);
		st->own[i] = NULL;
		st->val[i] = NULL;
		st->len[i] = st->fmt[i] = 0;
	}
	return SQL_OK;
}

/* The next result of `st`: from its queue, else from the connection; NULL at the end. */
static PGresult *next_result(pg_stmt *st)
{
	if (st->qhead < st->qn)
		return st->queue[st->qhead++];
	if (!st->running)
		return NULL;
	PGresult *r = PQgetResult(PG(st->base.db)->h);
	if (!r) {
		st->running = 0;
		PG(st->base.db)->streaming = NULL;
	}
	return r;
}

static int pg_step(sql_stmt *s)
{
	pg_stmt *st = (pg_stmt *)s;
	pg_conn *c = PG(s->db);
	if (st->failed)
		return st->failed;
	if (!st->started) {
		quiesce(c);
		st->started = 1;
		st->changes = 0;
		/* the hidden parameters: NULL when the one they stand for is */
		for (int k = 0; k < st->pp.nhidden; k++)
			st->val[st->nparams + k] = st->val[st->pp.mirror[k] - 1] ? "" : NULL;
		if (!PQsendQueryParams(c->h, st->sql, st->nparams + st->pp.nhidden, st->types, st->val,
				       st->len, st->fmt, 0))
			return st->failed = fail(c, NULL);
		PQsetSingleRowMode(c->h);
		st->running = 1;
		c->streaming = st;
	}
	if (st->res && st->row + 1 < st->nrows) {
		st->row++;
		return SQL_ROW;
	}
	for (;;) {
		PQclear(st->res);
		st->res = next_result(st);
		st->row = 0;
		st->nrows = 0;
		if (!st->res)
			return SQL_DONE;
		switch (PQresultStatus(st->res)) {
		case PGRES_SINGLE_TUPLE:
		case PGRES_TUPLES_OK:
			st->nrows = PQntuples(st->res);
			/* a row of single-row mode has no command status (PQcmdTuples() would
			 * compare it with every verb it knows, for each row): the closing result has */
			if (PQresultStatus(st->res) == PGRES_TUPLES_OK) {
				note_command(c, PQcmdStatus(st->res));
				if (*PQcmdTuples(st->res))
					st->changes = strtoll(PQcmdTuples(st->res), NULL, 10);
			}
			if (st->nrows)
				return SQL_ROW;
			break;
		case PGRES_COMMAND_OK:
			note_command(c, PQcmdStatus(st->res));
			if (*PQcmdTuples(st->res))
				st->changes = strtoll(PQcmdTuples(st->res), NULL, 10);
			break;
		default: {
			int code = fail(c, st->res);
			/* the rest of the run is of no use */
			PQclear(st->res);
			st->res = NULL;
			if (st->running || st->qhead < st->qn) {
				PGresult *r;
				while ((r = next_result(st)))
					PQclear(r);
			}
			return st->failed = code;
		}
		}
	}
}

static int64_t pg_column_int64(sql_stmt *s, int i)
{
	pg_stmt *st = (pg_stmt *)s;
	if (!st->res || PQgetisnull(st->res, st->row, i))
		return 0;
	const char *t = PQgetvalue(st->res, st->row, i);
	if (PQftype(st->res, i) == OID_BOOL)
		return *t == 't';
	/* the common case, an integer column's text: [-]digits, at most 18 of them (no
	 * overflow possible), read here: strtoll() was a tenth of the monitoring report's CPU
	 * (60,703 rows of the year); anything else (19 digits, a numeric's 12.00, junk) goes
	 * the long way, and its checks */
	{
		const char *d = t + (*t == '-');
		int64_t v = 0;
		int n = 0;
		while (n < 18 && d[n] >= '0' && d[n] <= '9') {
			v = v * 10 + (d[n] - '0');
			n++;
		}
		if (n > 0 && d[n] == '\0')
			return *t == '-' ? -v : v;
	}
	char *end;
	errno = 0;
	long long v = strtoll(t, &end, 10);
	/* numeric's whole numbers (sum() of bigint) may be written 12.00 */
	if (*end == '.') {
		const char *z = end + 1;
		while (*z == '0')
			z++;
		if (!*z)
			end = (char *)z;
	}
	if (errno == ERANGE || *end || end == t) {
		/* never a wrong figure: the statement fails at its next step */
		pg_conn *c = PG(s->db);
		snprintf(c->cause, sizeof(c->cause), "column %d's value '%.40s' is not a whole number within 64 bits", i + 1, t);
		st->failed = SQL_ERROR;
		return errno == ERANGE ? (v < 0 ? INT64_MIN : INT64_MAX) : 0;
	}
	return (int64_t)v;
}

static const char *pg_column_text(sql_stmt *s, int i)
{
	pg_stmt *st = (pg_stmt *)s;
	if (!st->res || PQgetisnull(st->res, st->row, i))
		return NULL;
	const char *t = PQgetvalue(st->res, st->row, i);
	if (PQftype(st->res, i) == OID_BOOL) {
		/* as SQLite would have it: 1 or 0 */
		st->boolbuf[0] = *t == 't' ? '1' : '0';
		st->boolbuf[1] = '\0';
		return st->boolbuf;
	}
	return t;
}

static const void *pg_column_blob(sql_stmt *s, int i)
{
	pg_stmt *st = (pg_stmt *)s;
	if (!st->res || PQgetisnull(st->res, st->row, i))
		return NULL;
	if (PQftype(st->res, i) != OID_BYTEA)
		return PQgetvalue(st->res, st->row, i);
	PQfreemem(st->blob);
	st->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(st->res, st->row, i), &st->blob_len);
	return st->blob;
}

static int pg_column_bytes(sql_stmt *s, int i)
{
	pg_stmt *st = (pg_stmt *)s;
	if (!st->res || PQgetisnull(st->res, st->row, i))
		return 0;
	if (PQftype(st->res, i) == OID_BYTEA) {
		if (!st->blob)
			pg_column_blob(s, i);
		return (int)st->blob_len;
	}
	if (PQftype(st->res, i) == OID_BOOL)
		return 1;
	return PQgetlength(st->res, st->row, i);
}

static int pg_column_type(sql_stmt *s, int i)
{
	pg_stmt *st = (pg_stmt *)s;
	if (!st->res || PQgetisnull(st->res, st->row, i))
		return SQL_NULL;
	switch (PQftype(st->res, i)) {
	case OID_BOOL:
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
		return SQL_INTEGER;
	case OID_NUMERIC:
		return strchr(PQgetvalue(st->res, st->row, i), '.') ? SQL_FLOAT : SQL_INTEGER;
	case OID_FLOAT4:
	case OID_FLOAT8:
		return SQL_FLOAT;
	case OID_BYTEA:
		return SQL_BLOB;
	default:
		return SQL_TEXT;
	}
}

static int pg_reset(sql_stmt *s)
{
	pg_stmt *st = (pg_stmt *)s;
	discard(st);
	PQfreemem(st->blob);
	st->blob = NULL;
	st->started = st->failed = 0;
	return SQL_OK;
}

static void pg_finalize(sql_stmt *s)
{
	pg_stmt *st = (pg_stmt *)s;
	if (!st)
		return;
	pg_reset(s);
	pg_clear_bindings(s);
	free(st->queue);
	pg_params_release(&st->pp);
	free(st->types);
	free(st->own);
	free(st->val);
	free(st->len);
	free(st->fmt);
	free(st->sql);
	free(st);
}

static int64_t pg_changes(sql_stmt *s)
{
	return ((pg_stmt *)s)->changes;
}

/* ---- the connection ---- */

/* Runs SQL without parameters or results; a failure is kept in words. */
static int run(pg_conn *c, const char *sql)
{
	quiesce(c);
	PGresult *r = PQexec(c->h, sql);
	ExecStatusType t = PQresultStatus(r);
	int rc = t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK ? SQL_OK : fail(c, r);
	if (!rc) {
		/* only the last statement's status comes back: several may all have written */
		if (strchr(sql, ';'))
			c->own_writes++;
		note_command(c, PQcmdStatus(r));
	}
	PQclear(r);
	return rc;
}

static int pg_exec(s75_db *db, const char *sql)
{
	s75_buf b = S75_BUF_INIT;
	int rc;
	/* transaction control passes as it is; anything else may be a migration's DDL */
	if (!strcmp(sql, "COMMIT")) {
		pg_conn *c = PG(db);
		int analyze = c->analyze;
		c->analyze = 0;
		if ((rc = run(c, sql)) || !analyze)
			return rc;
		/* a bulk load changes the aggregates' statistics enough for the planner to choose
		 * badly (a sort on disk rather than the key's order) until autovacuum comes round:
		 * refresh them now (the reports read ledger_agg; txn's, 1-2 s at 1M rows, is left
		 * to autovacuum). Best effort: a role that does not own the table is skipped. */
		run(c, "ANALYZE ledger_agg");
		return SQL_OK;
	}
	if (!strcmp(sql, "ROLLBACK") || !strncmp(sql, "SAVEPOINT", 9) || !strncmp(sql, "RELEASE", 7) ||
	    !strncmp(sql, "ROLLBACK TO", 11))
		return run(PG(db), sql);
	pg_translate_ddl(&b, sql);
	rc = run(PG(db), b.ptr);
	s75_buf_release(&b);
	return rc;
}

static int pg_in_transaction(s75_db *db)
{
	PGTransactionStatusType t = PQtransactionStatus(PG(db)->h);
	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

static int pg_begin_write(s75_db *db)
{
	int rc;
	if ((rc = run(PG(db), "BEGIN")))
		return rc;
	/* writers of the schema take turns (the wait is the connection's lock_timeout); the
	 * rowid defaults take the same lock (pg_translate_ddl) */
	if ((rc = run(PG(db), "SELECT pg_advisory_xact_lock(hashtextextended('s75:' || current_schema(), 0))")))
		run(PG(db), "ROLLBACK");
	return rc;
}

/* A serialisation failure or a deadlock: PostgreSQL chose this transaction to fail so
 * another could go on; run again, it may pass (issue 17). */
static bool pg_retryable(s75_db *db)
{
	return !strcmp(PG(db)->state, "40001") || !strcmp(PG(db)->state, "40P01");
}

static int pg_begin_read(s75_db *db)
{
	return run(PG(db), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

/* Runs a query of one integer; -1 with the cause kept on failure, -2 for no row. */
static int64_t query_int(pg_conn *c, const char *sql)
{
	quiesce(c);
	PGresult *r = PQexec(c->h, sql);
	int64_t v = -1;
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		fail(c, r);
	else if (PQntuples(r) < 1)
		v = -2;
	else
		v = PQgetisnull(r, 0, 0) ? 0 : strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

static int pg_schema_version_get(s75_db *db)
{
	/* read by the open, and nothing has run since */
	if (PG(db)->version_known)
		return PG(db)->version;
	/* a schema with no version table is new: version 0 */
	int64_t t = query_int(PG(db), "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
				      " AND tablename = 's75_schema_version'");
	if (t < 0)
		return -1;
	if (!t)
		return 0;
	int64_t v = query_int(PG(db), "SELECT version FROM s75_schema_version");
	if (v == -2)
		return 0;
	return v < 0 || v > INT_MAX ? -1 : (int)v;
}

static int pg_schema_version_set(s75_db *db, int v)
{
	char sql[160];
	int rc;
	if ((rc = run(PG(db), "CREATE TABLE IF NOT EXISTS s75_schema_version(version BIGINT NOT NULL);"
			      "DELETE FROM s75_schema_version")))
		return rc;
	snprintf(sql, sizeof(sql), "INSERT INTO s75_schema_version(version) VALUES (%d)", v);
	return run(PG(db), sql);
}

static int pg_check_schema(s75_db *db, const char *const *migrations, int version)
{
	/* the version table is the schema's own record; the migrations ran in one transaction */
	(void)db;
	(void)migrations;
	(void)version;
	return 0;
}

/*
 * Another connection's commit changes the snapshot: two snapshots with the same xmin,
 * xmax and list of transactions in progress see the same committed data, so while
 * pg_current_snapshot() reads the same nothing was committed since (by anyone: a
 * commit in another schema of the database changes it too, and only costs a re-read).
 * Inside a REPEATABLE READ transaction it is the transaction's own snapshot, the one
 * its reads see. This connection's own writes are not in its snapshot: counted apart.
 */
static int pg_data_version(s75_db *db, int64_t *version, int64_t *own_changes)
{
	pg_conn *c = PG(db);
	quiesce(c);
	PGresult *r = PQexec(c->h, "SELECT pg_current_snapshot()");
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		int rc = fail(c, r);
		PQclear(r);
		return rc ? rc : SQL_ERROR;
	}
	const char *s = PQgetvalue(r, 0, 0);
	if (!c->snapshot || strcmp(c->snapshot, s)) {
		free(c->snapshot);
		c->snapshot = xstrdup(s);
		c->data_version++;
	}
	PQclear(r);
	*version = c->data_version;
	*own_changes = c->own_writes;
	return SQL_OK;
}

static void pg_set_wait(s75_db *db, int ms)
{
	char sql[64];
	/* lock_timeout 0 would wait for ever: not waiting is 1 ms */
	snprintf(sql, sizeof(sql), "SET lock_timeout = %d", ms > 0 ? ms : 1);
	run(PG(db), sql);
}

/* Appends `s` (n bytes) to a COPY text row, escaped. */
static void copy_text(s75_buf *b, const char *s, size_t n)
{
	if (!s) {
		s75_buf_puts(b, "\\N");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		switch (ch) {
		case '\\': s75_buf_puts(b, "\\\\"); break;
		case '\t': s75_buf_puts(b, "\\t"); break;
		case '\n': s75_buf_puts(b, "\\n"); break;
		case '\r': s75_buf_puts(b, "\\r"); break;
		default: s75_buf_putc(b, ch);
		}
	}
}

/* Sent to the server in blocks this large: few calls, and the server parses one block
 * while the next is made. */
#define PG_COPY_BLOCK (256 << 10)

/* A COPY ... FROM STDIN under way (db_copy_*(), and under db_txn_stream_*()): text rows
 * gathered in b and sent a block at a time. */
typedef struct pg_copy {
	db_copy base;
	s75_db *db;
	const char *what; /* the failure's words: "cannot store the transactions" */
	s75_buf b;        /* rows not sent yet */
	int failed;       /* a block could not be sent: the COPY is refused at its end */
	bool field;       /* a field is on the current row already: the next follows a tab */
} pg_copy;

/* Starts `sql` (a COPY ... FROM STDIN) into cp. */
static int copy_open(pg_copy *cp, s75_db *db, const char *sql, const char *what)
{
	pg_conn *c = PG(db);
	memset(cp, 0, sizeof(*cp));
	quiesce(c);
	c->own_writes++;
	PGresult *res = PQexec(c->h, sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		fail(c, res);
		PQclear(res);
		return s75_error_set(S75_EIO, "%s: %s ('%s')", what, c->cause, db->path);
	}
	PQclear(res);
	cp->base.be = &sql_pg_backend;
	cp->db = db;
	cp->what = what;
	s75_buf_init(&cp->b);
	s75_buf_grow(&cp->b, PG_COPY_BLOCK + 4096);
	return 0;
}

/* Ends a row; sends the rows gathered once they make a block. */
static int copy_row_end(pg_copy *cp)
{
	s75_buf *b = &cp->b;
	s75_buf_putc(b, '\n');
	cp->field = false;
	if (b->len >= PG_COPY_BLOCK && !cp->failed) {
		if (PQputCopyData(PG(cp->db)->h, b->ptr, (int)b->len) != 1) {
			fail(PG(cp->db), NULL);
			cp->failed = s75_error_set(S75_EIO, "%s: %s ('%s')", cp->what, PG(cp->db)->cause,
						   cp->db->path);
		}
		s75_buf_reset(b);
	}
	if (cp->failed)
		s75_buf_reset(b);
	return cp->failed;
}

/* Sends the last rows and ends the COPY: kept, or refused (keep false). */
static int copy_close(pg_copy *cp, bool keep)
{
	pg_conn *c = PG(cp->db);
	int rc = cp->failed;
	PGresult *res;
	if (keep && !rc && cp->b.len && PQputCopyData(c->h, cp->b.ptr, (int)cp->b.len) != 1) {
		fail(c, NULL);
		rc = s75_error_set(S75_EIO, "%s: %s ('%s')", cp->what, c->cause, cp->db->path);
	}
	PQputCopyEnd(c->h, keep && !rc ? NULL : "the import stopped before its last row");
	while ((res = PQgetResult(c->h))) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && keep && !rc) {
			fail(c, res);
			rc = s75_error_set(S75_EIO, "%s: %s ('%s')", cp->what, c->cause, cp->db->path);
		}
		PQclear(res);
	}
	s75_buf_release(&cp->b);
	return rc;
}

static int pg_copy_begin(s75_db *db, db_copy **out, const char *table)
{
	s75_buf sql = S75_BUF_INIT;
	pg_copy *cp = xmalloc(sizeof(*cp));
	*out = NULL;
	s75_buf_printf(&sql, "COPY %s FROM STDIN", table);
	int rc = copy_open(cp, db, sql.ptr, "cannot copy the rows");
	s75_buf_release(&sql);
	if (rc)
		free(cp);
	else
		*out = &cp->base;
	return rc;
}

static void pg_copy_int64(db_copy *base, int64_t v)
{
	pg_copy *cp = (pg_copy *)base;
	s75_buf_printf(&cp->b, cp->field ? "\t%" PRId64 : "%" PRId64, v);
	cp->field = true;
}

static void pg_copy_text(db_copy *base, const char *s, size_t n)
{
	pg_copy *cp = (pg_copy *)base;
	if (cp->field)
		s75_buf_putc(&cp->b, '\t');
	copy_text(&cp->b, s, n);
	cp->field = true;
}

static int pg_copy_row_end(db_copy *base)
{
	return copy_row_end((pg_copy *)base);
}

static int pg_copy_end(db_copy *base, bool keep)
{
	pg_copy *cp = (pg_copy *)base;
	int rc = copy_close(cp, keep);
	free(cp);
	return rc;
}

/* A COPY into txn under way (db_txn_stream_*()). */
typedef struct pg_txn_stream {
	db_txn_stream base;
	pg_copy cp;
	const s75_agreement *ag;
	int64_t id_base;
} pg_txn_stream;

static int pg_txn_stream_begin(s75_db *db, db_txn_stream **out, const s75_agreement *ag, int64_t id_base)
{
	pg_txn_stream *st = xcalloc(1, sizeof(*st));
	int rc;
	*out = NULL;
	if ((rc = copy_open(&st->cp, db, "COPY txn(id, date, fy, period, partner, cost_centre, account, kind,"
					 " amount, description, reference) FROM STDIN",
			    "cannot store the transactions"))) {
		free(st);
		return rc;
	}
	PG(db)->analyze = 1;
	st->base.be = &sql_pg_backend;
	st->ag = ag;
	st->id_base = id_base;
	*out = &st->base;
	return 0;
}

static int pg_txn_stream_put(db_txn_stream *base, const stage_row *r)
{
	pg_txn_stream *st = (pg_txn_stream *)base;
	const s75_agreement *ag = st->ag;
	s75_buf *b = &st->cp.b;
	if (st->cp.failed)
		return st->cp.failed;
	s75_buf_printf(b, "%" PRId64 "\t%d\t%d\t%d\t", st->id_base + r->line, r->date, r->fy, r->period);
	copy_text(b, ag->partners[r->partner].id, strlen(ag->partners[r->partner].id));
	s75_buf_putc(b, '\t');
	copy_text(b, ag->cost_centres[r->cost_centre].code, strlen(ag->cost_centres[r->cost_centre].code));
	s75_buf_putc(b, '\t');
	copy_text(b, r->text[STAGE_ACCOUNT], r->len[STAGE_ACCOUNT]);
	s75_buf_printf(b, "\t%d\t%" PRId64 "\t", r->kind, r->amount);
	copy_text(b, r->text[STAGE_DESCRIPTION], r->len[STAGE_DESCRIPTION]);
	s75_buf_putc(b, '\t');
	copy_text(b, r->text[STAGE_REFERENCE], r->len[STAGE_REFERENCE]);
	return copy_row_end(&st->cp);
}

static int pg_txn_stream_end(db_txn_stream *base, bool keep)
{
	pg_txn_stream *st = (pg_txn_stream *)base;
	int rc = copy_close(&st->cp, keep);
	free(st);
	return rc;
}

static int pg_bulk_load_txn(s75_db *db, struct stage *s, const s75_agreement *ag, int64_t id_base,
			    const char *insert)
{
	db_txn_stream *st;
	stage_row r;
	int rc, got = 0;
	(void)insert; /* SQLite's statement: the same rows go by COPY here */
	if ((rc = pg_txn_stream_begin(db, &st, ag, id_base)))
		return rc;
	if (!(rc = stage_rewind(s)))
		while ((got = stage_get(s, &r)) == 1 && !(rc = pg_txn_stream_put(st, &r)))
			;
	if (!rc && got < 0)
		rc = got;
	int rc2 = pg_txn_stream_end(st, !rc);
	return rc ? rc : rc2;
}

/* Notices (a table that exists already, ...) are not errors: the library never prints. */
static void no_notices(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/*
 * Connects with the session's settings in the start-up message (libpq's `options`, after
 * any the URI or PGOPTIONS give), so that they cost no round trip of their own.
 */
static PGconn *connect_to(const char *conninfo, const char *schema)
{
	s75_buf opts = S75_BUF_INIT;
	const char *given = getenv("PGOPTIONS");
	PQconninfoOption *parsed = PQconninfoParse(conninfo, NULL);
	for (PQconninfoOption *o = parsed; o && o->keyword; o++)
		if (!strcmp(o->keyword, "options") && o->val && *o->val)
			given = o->val;
	if (given && *given)
		s75_buf_printf(&opts, "%s ", given);
	s75_buf_printf(&opts, "-c client_min_messages=warning -c lock_timeout=%d -c search_path=%s", DB_BUSY_WAIT_MS,
		       schema);
	const char *const keys[] = {"dbname", "client_encoding", "options", NULL};
	const char *const vals[] = {conninfo, "UTF8", opts.ptr, NULL};
	PGconn *h = PQconnectdbParams(keys, vals, 1);
	PQconninfoFree(parsed);
	s75_buf_release(&opts);
	return h;
}

static int pg_open(s75_db *db, const char *target, unsigned flags)
{
	char *conninfo = NULL, *schema = NULL;
	pg_conn *c = NULL;
	int rc;
	char sql[256];
	if ((rc = pg_target_parse(&conninfo, &schema, target)))
		return rc;
	c = xcalloc(1, sizeof(*c));
	c->schema = schema;
	db->conn = c;
	c->h = connect_to(conninfo, schema);
	if (PQstatus(c->h) != CONNECTION_OK) {
		fail(c, NULL);
		rc = s75_error_set(S75_EIO, "cannot connect to the database: %s ('%s')", c->cause, db->path);
		goto done;
	}
	PQsetNoticeProcessor(c->h, no_notices, NULL);
	/* a workspace's schema and version in one round trip; the rest only when it is new */
	PGresult *r = PQexec(c->h, "SELECT version FROM s75_schema_version");
	if (PQresultStatus(r) == PGRES_TUPLES_OK) {
		/* anything odd (two rows, a NULL) is left for pg_schema_version_get() to read */
		const char *v = PQntuples(r) == 0 ? "0" : "x";
		if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
			v = PQgetvalue(r, 0, 0);
		char *end;
		long n = strtol(v, &end, 10);
		if (*v && !*end && n >= 0 && n <= INT_MAX) {
			c->version = (int)n;
			c->version_known = 1;
		}
		PQclear(r);
		db->readonly = 0;
		goto done;
	}
	fail(c, r);
	PQclear(r);
	if (strcmp(c->state, "42P01")) {
		rc = s75_error_set(S75_EIO, "cannot read the database: %s ('%s')", c->cause, db->path);
		goto done;
	}
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM pg_namespace WHERE nspname = '%s'", schema);
	int64_t exists = query_int(c, sql);
	if (exists < 0) {
		rc = s75_error_set(S75_EIO, "cannot read the database: %s ('%s')", c->cause, db->path);
		goto done;
	}
	if (!exists && !(flags & S75_DB_CREATE)) {
		rc = s75_error_set(S75_ENOTFOUND, "no s75 workspace in schema '%s' of '%s' (run 's75 init')", schema,
				   db->path);
		goto done;
	}
	if (!exists) {
		/* the schema and the case-insensitive collation the accounts' e-mails use */
		s75_buf ddl = S75_BUF_INIT;
		s75_buf_printf(&ddl,
			       "CREATE SCHEMA IF NOT EXISTS %s;"
			       " CREATE COLLATION IF NOT EXISTS %s.s75_nocase (provider = icu,"
			       " locale = 'und-u-ks-level2', deterministic = false)",
			       schema, schema);
		rc = run(c, ddl.ptr);
		s75_buf_release(&ddl);
		if (rc) {
			rc = s75_error_set(S75_EIO, "cannot create schema '%s': %s ('%s')", schema, c->cause, db->path);
			goto done;
		}
	}
	db->readonly = 0;
done:
	free(conninfo);
	return rc;
}

static void pg_close(s75_db *db)
{
	pg_conn *c = PG(db);
	if (!c)
		return;
	PQfinish(c->h);
	free(c->snapshot);
	free(c->schema);
	free(c);
	db->conn = NULL;
}

const sql_backend sql_pg_backend = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.cause = pg_cause,
	.in_transaction = pg_in_transaction,
	.begin_write = pg_begin_write,
	.begin_read = pg_begin_read,
	.schema_version_get = pg_schema_version_get,
	.schema_version_set = pg_schema_version_set,
	.check_schema = pg_check_schema,
	.data_version = pg_data_version,
	.set_wait = pg_set_wait,
	.retryable = pg_retryable,
	.bulk_load_txn = pg_bulk_load_txn,
	.txn_stream_begin = pg_txn_stream_begin,
	.txn_stream_put = pg_txn_stream_put,
	.txn_stream_end = pg_txn_stream_end,
	.copy_begin = pg_copy_begin,
	.copy_int64 = pg_copy_int64,
	.copy_text = pg_copy_text,
	.copy_row_end = pg_copy_row_end,
	.copy_end = pg_copy_end,
	.bind_int64 = pg_bind_int64,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.bind_parameter_count = pg_bind_parameter_count,
	.clear_bindings = pg_clear_bindings,
	.step = pg_step,
	.column_int64 = pg_column_int64,
	.column_text = pg_column_text,
	.column_blob = pg_column_blob,
	.column_bytes = pg_column_bytes,
	.column_type = pg_column_type,
	.reset = pg_reset,
	.finalize = pg_finalize,
	.changes = pg_changes,
};
