/* Conflicts of interest: the register of interests of the people who sit on the pool's
 * bodies, who took part in each decision and the interests they declared at it, and the
 * breach when someone with a registered interest in a decision's subject took part
 * without the declaration being recorded (docs/governance.md). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "govern_internal.h"
#include "s75/error.h"
#include "xalloc.h"

/* The next item of a `;`-separated list at *p (trimmed): its start, and its length in
 * *len; NULL at the end. Advances *p. */
static const char *next_item(const char **p, size_t *len)
{
	const char *s = *p;
	while (*s == ';' || isspace((unsigned char)*s))
		s++;
	if (!*s)
		return NULL;
	const char *e = s;
	while (*e && *e != ';')
		e++;
	*p = e;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	*len = (size_t)(e - s);
	return s;
}

/* Whether the `;`-separated `list` holds `item` (trimmed, case-insensitive). */
static bool list_has(const char *list, const char *item)
{
	size_t n = strlen(item), len;
	const char *p = list ? list : "", *s;
	while ((s = next_item(&p, &len)))
		if (len == n && !strncasecmp(s, item, n))
			return true;
	return false;
}

int s75_interests_import(s75_db *db, const s75_agreement *ag, const char *path, const char *now,
			 s75_gov_import_result *res)
{
	static const char *const cols[] = {"person", "body",	 "subject", "nature",
					   "from",   "name", "to",	    NULL};
	gov_csv c;
	sql_stmt *st = NULL;
	int rc;
	if ((rc = gov_csv_open(&c, db, path, cols, 5, res)))
		return gov_csv_end(&c, rc, now, "import interests");
	if ((rc = db_prepare(db, &st,
			     "INSERT INTO interest(person, name, body, subject, nature, date_from,"
			     " date_to, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")))
		return gov_csv_end(&c, rc, now, "import interests");
	while ((rc = gov_csv_next(&c)) > 0) {
		const char *person = gov_csv_field(&c, 0), *body = gov_csv_field(&c, 1);
		const char *subject = gov_csv_field(&c, 2), *nature = gov_csv_field(&c, 3);
		const char *to = gov_csv_field(&c, 6);
		s75_date from, until = 0;
		if (!*person || !*subject || !*nature) {
			gov_csv_error(&c, "an interest needs a person, a subject and its nature");
			continue;
		}
		if (s75_agreement_find_body(ag, body) < 0) {
			gov_csv_error(&c, "body: no governance body '%s' in the agreement", body);
			continue;
		}
		if (s75_date_parse(&from, gov_csv_field(&c, 4))) {
			gov_csv_error(&c, "from: %s", s75_error_last());
			continue;
		}
		if (*to && s75_date_parse(&until, to)) {
			gov_csv_error(&c, "to: %s", s75_error_last());
			continue;
		}
		if (*to && until < from) {
			gov_csv_error(&c, "to: %s is before the interest's start", to);
			continue;
		}
		sql_reset(st);
		sql_bind_text_copy(st, 1, person, -1);
		sql_bind_text_copy(st, 2, gov_csv_field(&c, 5), -1);
		sql_bind_text_copy(st, 3, body, -1);
		sql_bind_text_copy(st, 4, subject, -1);
		sql_bind_text_copy(st, 5, nature, -1);
		sql_bind_int(st, 6, from);
		if (*to)
			sql_bind_int(st, 7, until);
		else
			sql_bind_null(st, 7);
		sql_bind_text_copy(st, 8, now, -1);
		if (sql_step(st) != SQL_DONE) {
			rc = db_error(db, "cannot record an interest");
			break;
		}
		res->rows_imported++;
	}
	sql_finalize(st);
	return gov_csv_end(&c, rc, now, "import interests");
}

int s75_participation_import(s75_db *db, const s75_agreement *ag, const char *path,
			     const char *now, s75_gov_import_result *res)
{
	static const char *const cols[] = {"decision", "person", "subjects", "declared", NULL};
	gov_csv c;
	sql_stmt *st = NULL, *dec = NULL;
	int rc;
	(void)ag;
	if ((rc = gov_csv_open(&c, db, path, cols, 3, res)))
		return gov_csv_end(&c, rc, now, "import participation");
	if ((rc = db_prepare(db, &st,
			     "INSERT INTO participation(decision, person, subjects,"
			     " declared, recorded_at) VALUES (?, ?, ?, ?, ?)"
			     " ON CONFLICT (decision, person) DO UPDATE SET subjects = excluded.subjects,"
			     " declared = excluded.declared, recorded_at = excluded.recorded_at")) ||
	    (rc = db_prepare(db, &dec, "SELECT 1 FROM decision WHERE id = ?"))) {
		sql_finalize(st);
		return gov_csv_end(&c, rc, now, "import participation");
	}
	while ((rc = gov_csv_next(&c)) > 0) {
		const char *d = gov_csv_field(&c, 0), *person = gov_csv_field(&c, 1);
		const char *subjects = gov_csv_field(&c, 2), *declared = gov_csv_field(&c, 3);
		if (!*d || !*person || !*subjects) {
			gov_csv_error(&c, "a row needs the decision, the person and the decision's subjects");
			continue;
		}
		sql_reset(dec);
		sql_bind_text_copy(dec, 1, d, -1);
		if (sql_step(dec) != SQL_ROW) {
			gov_csv_error(&c, "decision: no decision '%s' in the log (import decisions first)", d);
			continue;
		}
		/* each interest declared is one of the decision's subjects */
		bool ok = true;
		const char *p = declared, *s;
		size_t len;
		while (ok && (s = next_item(&p, &len))) {
			char *one = xstrndup(s, len);
			if (!list_has(subjects, one)) {
				gov_csv_error(&c, "declared: '%s' is not among the decision's subjects", one);
				ok = false;
			}
			free(one);
		}
		if (!ok)
			continue;
		sql_reset(st);
		sql_bind_text_copy(st, 1, d, -1);
		sql_bind_text_copy(st, 2, person, -1);
		sql_bind_text_copy(st, 3, subjects, -1);
		sql_bind_text_copy(st, 4, declared, -1);
		sql_bind_text_copy(st, 5, now, -1);
		if (sql_step(st) != SQL_DONE) {
			rc = db_error(db, "cannot record who took part in a decision");
			break;
		}
		res->rows_imported++;
	}
	sql_finalize(st);
	sql_finalize(dec);
	return gov_csv_end(&c, rc, now, "import participation");
}

/* Whether any participant of decision `d` listed `subject` among its subjects (`subj`:
 * the subjects of a decision's participants). -1 when it cannot be read. */
static int decision_has_subject(sql_stmt *subj, const char *d, const char *subject)
{
	int r, found = 0;
	sql_reset(subj);
	sql_bind_text(subj, 1, d, -1);
	while (!found && (r = sql_step(subj)) == SQL_ROW)
		found = list_has(sql_column_text(subj, 0), subject);
	return found ? 1 : r == SQL_DONE ? 0 : -1;
}

int gov_interest_breaches(gov_interest_breach **out, size_t *n, s75_db *db, s75_date from,
			  s75_date to)
{
	sql_stmt *st, *subj = NULL;
	gov_interest_breach *v = NULL;
	size_t alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = db_prepare(db, &st,
			     "SELECT p.decision, d.date, p.person, COALESCE(i.name, ''), i.body,"
			     " i.subject, i.nature, p.declared"
			     " FROM participation p JOIN decision d ON d.id = p.decision"
			     " JOIN interest i ON i.person = p.person AND i.date_from <= d.date"
			     "   AND (i.date_to IS NULL OR i.date_to >= d.date)"
			     " WHERE d.date BETWEEN ? AND ? ORDER BY d.date, p.decision, p.person, i.subject")))
		return rc;
	if ((rc = db_prepare(db, &subj, "SELECT subjects FROM participation WHERE decision = ?"
				       " ORDER BY person"))) {
		sql_finalize(st);
		return rc;
	}
	sql_bind_int(st, 1, from);
	sql_bind_int(st, 2, to);
	while ((rc = sql_step(st)) == SQL_ROW) {
		const char *subject = sql_column_text(st, 5);
		const char *declared = sql_column_text(st, 7);
		if (list_has(declared, subject))
			continue;
		int has = decision_has_subject(subj, sql_column_text(st, 0), subject);
		if (has < 0) {
			rc = SQL_ERROR;
			break;
		}
		if (!has)
			continue;
		ALLOC_GROW(v, *n + 1, alloc);
		gov_interest_breach *b = &v[(*n)++];
		b->decision = xstrdup(sql_column_text(st, 0));
		b->date = sql_column_int(st, 1);
		const char *name = sql_column_text(st, 3);
		s75_buf e = S75_BUF_INIT;
		s75_buf_printf(&e,
			       "%s%s%s%s, a member of %s, has a registered interest in '%s' (%s) and took part in decision %s on '%s' without declaring it",
			       sql_column_text(st, 2), *name ? " (" : "", name,
			       *name ? ")" : "", sql_column_text(st, 4), subject,
			       sql_column_text(st, 6), b->decision, subject);
		b->evidence = s75_buf_detach(&e);
	}
	rc = rc == SQL_DONE ? 0 : db_error(db, "cannot read the register of interests");
	sql_finalize(st);
	sql_finalize(subj);
	if (rc) {
		gov_interest_breaches_free(v, *n);
		*n = 0;
		return rc;
	}
	*out = v;
	return 0;
}

void gov_interest_breaches_free(gov_interest_breach *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].decision);
		free(v[i].evidence);
	}
	free(v);
}
