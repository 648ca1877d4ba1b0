/* The notices in the workspace: reading them, and the day each arrangement ends under the
 * agreement and the notices served (moved here from compute/notice.c so that the imports,
 * which refuse rows after an arrangement's end, need nothing above the store). Recording a
 * notice, where each arrangement stands and the history stay in compute/notice.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "notice_internal.h"
#include "s75/error.h"
#include "xalloc.h"

static const char *const grounds_names[] = {"general", "no-contribution-agreement", "default",
                                            "by-agreement", NULL};

const char *s75_grounds_name(s75_grounds g)
{
	return grounds_names[g];
}

int s75_grounds_parse(const char *s)
{
	for (int i = 0; grounds_names[i]; i++)
		if (!strcmp(grounds_names[i], s))
			return i;
	return -1;
}

bool s75_agreement_end(const s75_agreement *ag, s75_date *end)
{
	if (!ag->has_end)
		return false;
	*end = ag->nextensions ? ag->extensions[ag->nextensions - 1].to : ag->end;
	return true;
}

/* The arrangement `scope` names: -1 for the agreement; -2 (error set) if it is bad. */
int notice_scope_ref(const s75_agreement *ag, const char *scope)
{
	if (!strcmp(scope, "agreement"))
		return -1;
	bool pool = !strncmp(scope, "pool:", 5), fn = !strncmp(scope, "function:", 9),
	     any = !strncmp(scope, "arrangement:", 12);
	if (!pool && !fn && !any) {
		s75_error_set(S75_EINVALID,
		              "scope '%s' is not 'agreement', 'pool:ID', 'function:ID' or 'arrangement:ID'",
		              scope);
		return -2;
	}
	const char *id = scope + (pool ? 5 : fn ? 9 : 12);
	int i = s75_agreement_find_arrangement(ag, id);
	if (i < 0) {
		s75_error_set(S75_EINVALID, "no arrangement '%s' in the agreement", id);
		return -2;
	}
	s75_arrangement_kind k = ag->arrangements[i].kind;
	if ((pool && k != S75_ARR_POOLED_FUND) || (fn && k == S75_ARR_POOLED_FUND)) {
		s75_error_set(S75_EINVALID, "'%s' is %s, not %s", id, s75_arrangement_kind_name(k),
		              pool ? "a pooled fund" : "a function (lead commissioning or integrated provision)");
		return -2;
	}
	return i;
}

/* The end an arrangement has without notice: its own, else the agreement's. */
bool notice_scheduled_end(const s75_agreement *ag, int a, s75_date *end)
{
	s75_date e = 0;
	bool has = s75_agreement_end(ag, &e);
	if (a >= 0 && ag->arrangements[a].has_end && (!has || ag->arrangements[a].end < e)) {
		e = ag->arrangements[a].end;
		has = true;
	}
	*end = e;
	return has;
}

int s75_notices_list(s75_notice **out, size_t *n, s75_db *db, const s75_agreement *ag)
{
	sql_stmt *st;
	s75_notice *v = NULL;
	size_t nv = 0, alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = db_prepare(db, &st,
	                     "SELECT id, served_by, date, scope, grounds, months, effective, note"
	                     " FROM notice ORDER BY date, id")))
		return rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		ALLOC_GROW(v, nv + 1, alloc);
		s75_notice *x = &v[nv++];
		const char *t;
		memset(x, 0, sizeof(*x));
		x->id = sql_column_int64(st, 0);
		x->by = s75_agreement_find_partner(ag, sql_column_text(st, 1));
		x->date = sql_column_int(st, 2);
		snprintf(x->scope, sizeof(x->scope), "%s",
		         sql_column_text(st, 3));
		int g = s75_grounds_parse(sql_column_text(st, 4));
		x->grounds = g < 0 ? S75_GROUNDS_GENERAL : (s75_grounds)g;
		x->months = sql_column_int(st, 5);
		x->effective = sql_column_int(st, 6);
		if ((t = sql_column_text(st, 7)))
			snprintf(x->note, sizeof(x->note), "%s", t);
		x->arrangement = notice_scope_ref(ag, x->scope);
		if (x->arrangement == -2 || x->by < 0) {
			rc = s75_error_set(
			    S75_EINVALID,
			    "notice %lld names '%s', which the agreement no longer has",
			    (long long)x->id, x->by < 0 ? "its partner" : x->scope);
			sql_finalize(st);
			free(v);
			return rc;
		}
		x->has_scheduled_end = notice_scheduled_end(ag, x->arrangement, &x->scheduled_end);
	}
	sql_finalize(st);
	if (rc != SQL_DONE) {
		free(v);
		return db_error(db, "cannot read the notices");
	}
	*out = v;
	*n = nv;
	return 0;
}

/* Ends per arrangement (and the agreement's in *agreement_end), with the notice that sets
 * each (index into `v`, -1 for none). */
void notice_ends_from(const s75_agreement *ag, const s75_notice *v, size_t nv, s75_date as_of,
                      s75_date *ends, int *by_notice, s75_date *agreement_end,
                      int *agreement_notice)
{
	s75_date e;
	*agreement_end = s75_agreement_end(ag, &e) ? e : 0;
	*agreement_notice = -1;
	for (size_t i = 0; i < nv; i++)
		if (v[i].arrangement == -1 && (!as_of || v[i].date <= as_of) &&
		    (!*agreement_end || v[i].effective <= *agreement_end)) {
			*agreement_end = v[i].effective;
			*agreement_notice = (int)i;
		}
	for (size_t a = 0; a < ag->narrangements; a++) {
		ends[a] = *agreement_end;
		by_notice[a] = *agreement_notice;
		if (ag->arrangements[a].has_end &&
		    (!ends[a] || ag->arrangements[a].end < ends[a])) {
			ends[a] = ag->arrangements[a].end;
			by_notice[a] = -1;
		}
		for (size_t i = 0; i < nv; i++)
			if (v[i].arrangement == (int)a && (!as_of || v[i].date <= as_of) &&
			    (!ends[a] || v[i].effective <= ends[a])) {
				ends[a] = v[i].effective;
				by_notice[a] = (int)i;
			}
	}
}

int s75_arrangement_ends(s75_date **out, s75_db *db, const s75_agreement *ag)
{
	s75_notice *v = NULL;
	size_t nv = 0;
	int rc, an;
	s75_date ae;
	*out = NULL;
	if (db && (rc = s75_notices_list(&v, &nv, db, ag)))
		return rc;
	s75_date *ends = xcalloc(ag->narrangements + 1, sizeof(s75_date));
	int *by = xcalloc(ag->narrangements + 1, sizeof(int));
	notice_ends_from(ag, v, nv, 0, ends, by, &ae, &an);
	free(by);
	free(v);
	*out = ends;
	return 0;
}
