/* Savings delivery in the workspace (include/s75/savings.h): one record per saving and
 * period, recorded one at a time or imported from a CSV, audited; a second record for a
 * saving and period is refused, never merged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "govern_internal.h"
#include "s75/error.h"
#include "s75/money.h"
#include "s75/savings.h"
#include "xalloc.h"

/* The year's saving called `id`, or NULL with the message set. */
static const s75_saving *find_saving(const s75_agreement *ag, int fy, const char *id)
{
	char fyb[8];
	const s75_year *y = s75_agreement_find_year(ag, fy);
	if (!y) {
		s75_error_set(S75_EINVALID, "the agreement has no year %s", s75_fy_format(fyb, fy));
		return NULL;
	}
	for (size_t i = 0; i < y->nsavings; i++)
		if (!strcmp(y->savings[i].id, id))
			return &y->savings[i];
	s75_buf b = S75_BUF_INIT;
	for (size_t i = 0; i < y->nsavings && i < 10; i++)
		s75_buf_printf(&b, "%s%s", i ? ", " : "", y->savings[i].id);
	s75_error_set(S75_EINVALID, "no saving '%s' in %s (%s)", id, s75_fy_format(fyb, fy),
		      y->nsavings ? b.ptr : "the year states no savings");
	s75_buf_release(&b);
	return NULL;
}

/* Checks and inserts one record, inside the caller's transaction. */
static int insert(s75_db *db, const s75_agreement *ag, const s75_saving_delivery_input *in,
		  const char *now)
{
	sql_stmt *st = NULL;
	char per[16];
	int rc = 0;
	if (!find_saving(ag, in->period.fy, in->saving))
		return S75_EINVALID;
	if (in->has_forecast && in->forecast_rest < 0)
		return s75_error_set(S75_EINVALID, "the forecast for the rest of the year cannot be below zero");
	if (in->has_forecast && in->period.p == 12 && in->forecast_rest)
		return s75_error_set(S75_EINVALID, "P12 is the year's last period: nothing is left to forecast");
	if ((rc = db_prepare(db, &st, "SELECT id FROM saving_delivery WHERE fy = ? AND saving = ? AND period = ?")))
		return rc;
	sql_bind_int(st, 1, in->period.fy);
	sql_bind_text(st, 2, in->saving, -1);
	sql_bind_int(st, 3, in->period.p);
	rc = sql_step(st);
	sql_finalize(st);
	st = NULL;
	if (rc == SQL_ROW)
		return s75_error_set(S75_EINVALID, "the delivery of saving '%s' in %s is already recorded",
				     in->saving, s75_period_format(per, in->period));
	if (rc != SQL_DONE)
		return db_error(db, "cannot read the savings delivered");
	if ((rc = db_prepare(db, &st, "INSERT INTO saving_delivery(fy, saving, period, delivered, has_forecast,"
				      " forecast_rest, reference, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")))
		return rc;
	sql_bind_int(st, 1, in->period.fy);
	sql_bind_text(st, 2, in->saving, -1);
	sql_bind_int(st, 3, in->period.p);
	sql_bind_int64(st, 4, in->delivered);
	sql_bind_int(st, 5, in->has_forecast ? 1 : 0);
	sql_bind_int64(st, 6, in->has_forecast ? in->forecast_rest : 0);
	if (in->reference && *in->reference)
		sql_bind_text(st, 7, in->reference, -1);
	sql_bind_text(st, 8, now, -1);
	rc = sql_step(st) == SQL_DONE ? 0 : db_error(db, "cannot record the saving's delivery");
	sql_finalize(st);
	return rc;
}

int s75_saving_delivery_record(s75_db *db, const s75_agreement *ag,
			       const s75_saving_delivery_input *in, const char *now)
{
	char per[16], detail[256];
	int rc;
	if ((rc = db_begin_write(db)))
		return rc;
	if ((rc = insert(db, ag, in, now)))
		goto fail;
	snprintf(detail, sizeof(detail), "saving %.100s %s: %lld pence delivered", in->saving,
		 s75_period_format(per, in->period), (long long)in->delivered);
	if ((rc = db_audit(db, now, "saving delivery", 0, detail)))
		goto fail;
	return db_commit(db);
fail:
	db_exec(db, "ROLLBACK");
	return rc;
}

/* An amount in £ from column `k`: 0 and *out, or -1 after reporting the row. */
static int csv_amount(gov_csv *c, int k, const char *name, int64_t *out)
{
	const char *s = gov_csv_field(c, k);
	if (s75_money_parse(out, s, strlen(s), S75_UNIT_POUNDS, 0)) {
		gov_csv_error(c, "%s: %s", name, s75_error_last());
		return -1;
	}
	return 0;
}

int s75_saving_delivery_import(s75_db *db, const s75_agreement *ag, const char *path,
			       const char *now, s75_gov_import_result *res)
{
	static const char *const cols[] = {"saving", "period", "delivered", "forecast_rest",
					   "reference", NULL};
	gov_csv c;
	int rc;
	if (!(rc = gov_csv_open(&c, db, path, cols, 3, res)))
		while ((rc = gov_csv_next(&c)) > 0) {
			s75_saving_delivery_input in;
			memset(&in, 0, sizeof(in));
			in.saving = gov_csv_field(&c, 0);
			in.reference = gov_csv_field(&c, 4);
			if (s75_period_parse(&in.period, gov_csv_field(&c, 1))) {
				gov_csv_error(&c, "period: %s", s75_error_last());
				continue;
			}
			if (csv_amount(&c, 2, "delivered", &in.delivered))
				continue;
			if (*gov_csv_field(&c, 3)) {
				if (csv_amount(&c, 3, "forecast_rest", &in.forecast_rest))
					continue;
				in.has_forecast = true;
			}
			/* every row is checked (and inserted) so that every bad one is reported, a
			 * repeat of an earlier row included; the transaction is rolled back at the end */
			int r = insert(db, ag, &in, now);
			if (r == S75_EIO) {
				rc = r;
				break;
			}
			if (r)
				gov_csv_error(&c, "%s", s75_error_last());
			else
				res->rows_imported++;
		}
	return gov_csv_end(&c, rc, now, "import savings");
}

int s75_saving_deliveries_list(s75_saving_delivery **out, size_t *n, s75_db *db, int fy)
{
	sql_stmt *st;
	s75_saving_delivery *v = NULL;
	size_t nv = 0, alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = db_prepare(db, &st, "SELECT id, saving, period, delivered, has_forecast, forecast_rest, reference"
				      " FROM saving_delivery WHERE fy = ? ORDER BY saving, period")))
		return rc;
	sql_bind_int(st, 1, fy);
	while ((rc = sql_step(st)) == SQL_ROW) {
		ALLOC_GROW(v, nv + 1, alloc);
		s75_saving_delivery *x = &v[nv++];
		x->id = sql_column_int64(st, 0);
		x->fy = fy;
		x->saving = sql_column_dup(st, 1);
		x->period = sql_column_int(st, 2);
		x->delivered = sql_column_int64(st, 3);
		x->has_forecast = sql_column_int(st, 4) != 0;
		x->forecast_rest = sql_column_int64(st, 5);
		x->reference = sql_column_dup(st, 6);
	}
	sql_finalize(st);
	if (rc != SQL_DONE) {
		s75_saving_deliveries_free(v, nv);
		return db_error(db, "cannot read the savings delivered");
	}
	*out = v;
	*n = nv;
	return 0;
}

void s75_saving_deliveries_free(s75_saving_delivery *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].saving);
		free(v[i].reference);
	}
	free(v);
}
