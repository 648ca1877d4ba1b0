/* KPI values: reporting periods, exact fixed-point values, RAG status and trend, the
 * import of values by period and the report of the latest value against target. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "govern_internal.h"
#include "s75/error.h"
#include "s75/kpi.h"
#include "s75/notice.h"
#include "s75/variation.h"
#include "xalloc.h"

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

static int num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

s75_rperiod s75_rperiod_quarter(int fy, int q)
{
	s75_rperiod r;
	char fys[8];
	r.kind = S75_RP_QUARTER;
	r.start = s75_period_start((s75_period){fy, 3 * q - 2});
	r.end = s75_period_end((s75_period){fy, 3 * q});
	snprintf(r.label, sizeof(r.label), "%s Q%d", s75_fy_format(fys, fy), q % 10);
	return r;
}

s75_rperiod s75_rperiod_year(int fy)
{
	s75_rperiod r;
	r.kind = S75_RP_YEAR;
	r.start = s75_fy_start(fy);
	r.end = s75_fy_end(fy);
	s75_fy_format(r.label, fy);
	return r;
}

int s75_rperiod_parse(s75_rperiod *out, const char *s)
{
	size_t n = strlen(s);
	int fy;
	s75_period p;
	memset(out, 0, sizeof(*out));
	if (n == 4 && all_digits(s, 4)) {
		int y = num(s, 4);
		if (y < 1900 || y > 9998)
			goto bad;
		out->kind = S75_RP_CALENDAR;
		s75_date_from_ymd(&out->start, y, 1, 1);
		s75_date_from_ymd(&out->end, y, 12, 31);
		snprintf(out->label, sizeof(out->label), "%04d", y);
		return 0;
	}
	if (n == 10 && s[4] == '-' && s[7] == '-') {
		if (s75_date_parse(&out->start, s))
			goto bad;
		out->kind = S75_RP_DAY;
		out->end = out->start;
		s75_date_format(out->label, out->start);
		return 0;
	}
	if (n == 7 && s[4] == '-') {
		if (s75_period_parse(&p, s))
			goto bad;
		goto month;
	}
	if ((n == 7 || n == 9) && !s75_fy_parse(&fy, s)) {
		*out = s75_rperiod_year(fy);
		return 0;
	}
	/* `2017/18 Q2`, `2017/18-Q2`, `2017/18Q2` and the month forms */
	if (n >= 9 && n <= 11) {
		char fys[8];
		size_t at = (s[7] == ' ' || s[7] == '-') ? 8 : 7;
		memcpy(fys, s, 7);
		fys[7] = '\0';
		if (at < n && (s[at] == 'Q' || s[at] == 'q') && n == at + 2 &&
		    !s75_fy_parse(&fy, fys) && s[at + 1] >= '1' && s[at + 1] <= '4') {
			*out = s75_rperiod_quarter(fy, s[at + 1] - '0');
			return 0;
		}
		if (!s75_period_parse(&p, s))
			goto month;
	}
bad:
	return s75_error_set(S75_EINVALID,
	                     "'%s' is not a reporting period (expected e.g. 2017/18 P6, 2017-09, "
	                     "2017/18 Q2, 2017/18, 2014 or 2017-09-30)",
	                     s);
month:
	out->kind = S75_RP_MONTH;
	out->start = s75_period_start(p);
	out->end = s75_period_end(p);
	s75_period_format(out->label, p);
	return 0;
}

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

const char *s75_rag_name(s75_rag r)
{
	static const char *const names[] = {"", "green", "amber", "red"};
	return names[r];
}

const char *s75_trend_name(s75_trend t)
{
	static const char *const names[] = {"", "improving", "same", "worsening"};
	return names[t];
}

s75_rag s75_kpi_rag(const s75_kpi *k, int64_t value)
{
	if (!k->has_target)
		return S75_RAG_NONE;
	int64_t miss = k->better == S75_KPI_HIGHER ? k->target - value : value - k->target;
	if (miss <= 0)
		return S75_RAG_GREEN;
	return miss <= k->tolerance ? S75_RAG_AMBER : S75_RAG_RED;
}

s75_trend s75_kpi_trend(const s75_kpi *k, int64_t previous, int64_t latest)
{
	if (latest == previous)
		return S75_TREND_SAME;
	bool up = latest > previous;
	return up == (k->better == S75_KPI_HIGHER) ? S75_TREND_IMPROVING : S75_TREND_WORSENING;
}

void s75_gov_import_result_release(s75_gov_import_result *res)
{
	for (size_t i = 0; i < res->nerrors; i++)
		free(res->errors[i]);
	free(res->errors);
	memset(res, 0, sizeof(*res));
}

static void read_value(sqlite3_stmt *st, int c, s75_kpi_value *v)
{
	const unsigned char *t;
	v->period = xstrdup((const char *)sqlite3_column_text(st, c));
	v->start = sqlite3_column_int(st, c + 1);
	v->end = sqlite3_column_int(st, c + 2);
	v->value = sqlite3_column_int64(st, c + 3);
	t = sqlite3_column_text(st, c + 4);
	v->note = t ? xstrdup((const char *)t) : NULL;
}

int s75_kpi_values_list(s75_kpi_value **out, size_t *n, s75_db *db, const char *id)
{
	sqlite3_stmt *st;
	s75_kpi_value *v = NULL;
	size_t nv = 0, alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = db_prepare(db, &st,
	                     "SELECT period, period_start, period_end, value, note FROM kpi_value"
	                     " WHERE kpi = ? ORDER BY period_end, period_start")))
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ALLOC_GROW(v, nv + 1, alloc);
		read_value(st, 0, &v[nv++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		s75_kpi_values_free(v, nv);
		return db_error(db, "cannot read the KPI values");
	}
	*out = v;
	*n = nv;
	return 0;
}

void s75_kpi_values_free(s75_kpi_value *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].period);
		free(v[i].note);
	}
	free(v);
}

static void value_release(s75_kpi_value *v)
{
	free(v->period);
	free(v->note);
}

int s75_kpi_report_build(s75_kpi_report **out, s75_db *db, const s75_agreement *ag,
                         const s75_rperiod *period, int pool)
{
	const s75_gov_model *g = s75_agreement_governance(ag);
	sqlite3_stmt *st = NULL;
	s75_kpi_report *r;
	int rc;
	*out = NULL;
	if ((rc = db_prepare(db, &st,
	                     "SELECT period, period_start, period_end, value, note FROM kpi_value"
	                     " WHERE kpi = ? AND period_end <= ? ORDER BY period_end DESC,"
	                     " period_start DESC LIMIT 2")))
		return rc;
	r = xcalloc(1, sizeof(*r));
	r->period = *period;
	r->lines = xcalloc(g->nkpis + 1, sizeof(s75_kpi_line));
	for (size_t i = 0; i < g->nkpis; i++) {
		if (pool >= 0 && g->kpis[i].pool != pool)
			continue;
		s75_kpi_line *x = &r->lines[r->nlines++];
		x->kpi = (int)i;
		x->def = s75_kpi_at(ag, (int)i, period->end);
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, g->kpis[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, period->end);
		for (int k = 0; k < 2 && (rc = sqlite3_step(st)) == SQLITE_ROW; k++) {
			read_value(st, 0, k ? &x->previous : &x->latest);
			*(k ? &x->has_previous : &x->has_latest) = true;
		}
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			rc = db_error(db, "cannot read the KPI values");
			sqlite3_finalize(st);
			s75_kpi_report_free(r);
			return rc;
		}
		x->rag = x->has_latest ? s75_kpi_rag(&x->def, x->latest.value) : S75_RAG_NONE;
		x->trend = x->has_previous
		               ? s75_kpi_trend(&x->def, x->previous.value, x->latest.value)
		               : S75_TREND_NONE;
	}
	sqlite3_finalize(st);
	*out = r;
	return 0;
}

void s75_kpi_report_free(s75_kpi_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nlines; i++) {
		if (r->lines[i].has_latest)
			value_release(&r->lines[i].latest);
		if (r->lines[i].has_previous)
			value_release(&r->lines[i].previous);
	}
	free(r->lines);
	free(r);
}

/* ---- import ---------------------------------------------------------------------- */

int s75_kpi_import(s75_db *db, const s75_agreement *ag, const char *path, const char *now,
                   s75_gov_import_result *res)
{
	static const char *const cols[] = {"kpi", "period", "value", "note", NULL};
	gov_csv c;
	sqlite3_stmt *old = NULL, *ins = NULL;
	s75_date *ends = NULL;
	char **seen = NULL;
	size_t nseen = 0, aseen = 0;
	int rc;

	if ((rc = gov_csv_open(&c, db, path, cols, 3, res)))
		goto done;
	if ((rc = s75_arrangement_ends(&ends, db, ag)))
		goto done;
	if ((rc = db_prepare(db, &old,
	                     "SELECT value FROM kpi_value WHERE kpi = ? AND period = ?")) ||
	    (rc = db_prepare(
	         db, &ins,
	         "INSERT OR REPLACE INTO kpi_value(kpi, period, period_start, period_end,"
	         " value, note, file, line, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")))
		goto done;
	while ((rc = gov_csv_next(&c)) > 0) {
		const char *id = gov_csv_field(&c, 0), *per = gov_csv_field(&c, 1);
		const char *val = gov_csv_field(&c, 2), *note = gov_csv_field(&c, 3);
		s75_rperiod p;
		int64_t v;
		int k = s75_agreement_find_kpi(ag, id);
		if (k < 0) {
			gov_csv_error(&c, "unknown KPI '%s'", id);
			continue;
		}
		if (s75_rperiod_parse(&p, per)) {
			gov_csv_error(&c, "period: %s", s75_error_last());
			continue;
		}
		if (s75_kpi_value_parse(&v, val, strlen(val))) {
			gov_csv_error(&c, "value: %s", s75_error_last());
			continue;
		}
		const s75_kpi *kd = &s75_agreement_governance(ag)->kpis[k];
		if (kd->pool >= 0 && ends[kd->pool] && p.start > ends[kd->pool]) {
			char d[11];
			gov_csv_error(&c,
			              "KPI '%s' belongs to pool '%s', which ended on %s: it takes "
			              "no periods after its end",
			              id, ag->arrangements[kd->pool].id,
			              s75_date_format(d, ends[kd->pool]));
			continue;
		}
		/* one value per KPI and period in a file */
		s75_buf key = S75_BUF_INIT;
		s75_buf_printf(&key, "%s\n%s", id, p.label);
		bool dup = false;
		for (size_t i = 0; i < nseen && !dup; i++)
			dup = !strcmp(seen[i], key.ptr);
		if (dup) {
			gov_csv_error(&c, "KPI '%s' has a second value for %s in this file", id,
			              p.label);
			s75_buf_release(&key);
			continue;
		}
		ALLOC_GROW(seen, nseen + 1, aseen);
		seen[nseen++] = s75_buf_detach(&key);
		if (res->error_count)
			continue; /* nothing will be imported: only look for more errors */
		sqlite3_reset(old);
		sqlite3_bind_text(old, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(old, 2, p.label, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(old) == SQLITE_ROW)
			res->rows_replaced++;
		sqlite3_reset(ins);
		sqlite3_bind_text(ins, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 2, p.label, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(ins, 3, p.start);
		sqlite3_bind_int(ins, 4, p.end);
		sqlite3_bind_int64(ins, 5, v);
		if (note && *note)
			sqlite3_bind_text(ins, 6, note, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(ins, 6);
		sqlite3_bind_text(ins, 7, c.name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 8, s75_csv_line(c.csv));
		sqlite3_bind_text(ins, 9, now, -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			rc = db_error(db, "cannot store a KPI value");
			goto done;
		}
		res->rows_imported++;
	}
done:
	sqlite3_finalize(old);
	sqlite3_finalize(ins);
	free(ends);
	for (size_t i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
	return gov_csv_end(&c, rc, now, "import kpi");
}

void s75_kpi_report_warnings(char ***out, size_t *n, const s75_kpi_report *r)
{
	*out = xcalloc(r->nlines + 1, sizeof(char *));
	*n = 0;
	for (size_t i = 0; i < r->nlines; i++) {
		const s75_kpi_line *l = &r->lines[i];
		s75_buf b = S75_BUF_INIT;
		if (!l->has_latest)
			s75_buf_printf(&b, "KPI '%s' has no value reported by the end of %s", l->def.id,
				       r->period.label);
		else if (l->latest.end < r->period.start)
			s75_buf_printf(&b, "KPI '%s': the latest value is for %s, older than %s",
				       l->def.id, l->latest.period, r->period.label);
		else
			continue;
		(*out)[(*n)++] = s75_buf_detach(&b);
	}
}
