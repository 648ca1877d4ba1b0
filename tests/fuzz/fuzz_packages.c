/* Fuzzes the care-package import: the input is written to packages.csv in a workspace with
 * the packages test agreement (tests/fixtures/packages-ws) and imported into a fresh
 * in-memory database, twice (the second time is a duplicate or fails as the first did).
 *
 * Invariants, whatever happens: rows_read = rows_imported + rows_rejected; a failed import
 * has no batch id and adds no batch; a successful one adds one batch, rejects nothing, and
 * leaves a register whose every split reconciles to the penny: per package health + social
 * = net at every date, the exit figures sum to the register total, the report's groups to
 * its total, the commitment to the packages' cost. Undoing the batch empties the register. */
#include <string.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "s75/db.h"
#include "s75/error.h"
#include "s75/packages.h"

#define NOW "2023-09-01T00:00:00Z"

static s75_agreement *ag;
static char *csv_path;

static void setup(void)
{
	s75_diags d = S75_DIAGS_INIT;
	char *path = fuzz_path("agreement.yaml");
	FUZZ_CHECK(fuzz_copy_source("tests/fixtures/packages-ws/agreement.yaml", "agreement.yaml"),
		   "no tests/fixtures/packages-ws/agreement.yaml (set S75_FUZZ_SOURCE_DIR)");
	if (s75_agreement_load(&ag, path, &d)) {
		s75_buf b = S75_BUF_INIT;
		s75_diags_format(&d, &b);
		fprintf(stderr, "cannot load the fuzz agreement:\n%s", b.ptr);
		abort();
	}
	s75_diags_release(&d);
	free(path);
	csv_path = fuzz_path("packages.csv");
}

static size_t count_batches(s75_db *db)
{
	s75_batch *b = NULL;
	size_t n = 0;
	FUZZ_CHECK(s75_batches_list(&b, &n, db, false) == 0, "cannot list batches: %s",
		   s75_error_last());
	s75_batches_free(b, n);
	return n;
}

/* Every figure of the register reconciles at `on`. */
static void check_register(s75_db *db, s75_date on)
{
	static const int64_t ratios[] = {7000, 3000};
	s75_package_register *reg;
	s75_exit *x = NULL;
	s75_packages_report *r = NULL;
	FUZZ_CHECK(s75_packages_load(&reg, db, ag) == 0, "cannot load: %s", s75_error_last());
	for (size_t i = 0; i < reg->n; i++) {
		s75_package_cost c;
		const s75_package *p = &reg->packages[i];
		FUZZ_CHECK(p->nterms > 0, "package %s has no terms", p->id);
		if (s75_package_cost_range(&c, p, s75_fy_start(2023), s75_fy_end(2023)) == 0)
			FUZZ_CHECK(c.health + c.social == c.net && c.gross - c.client == c.net &&
					   c.net >= 0 && c.health >= 0 && c.social >= 0,
				   "package %s: %lld + %lld != %lld", p->id, (long long)c.health,
				   (long long)c.social, (long long)c.net);
	}
	s75_packages_free(reg);
	if (s75_exit_build(&x, db, ag, 0, on, ratios, 1) == 0) {
		int64_t a = 0, b = 0, c = 0;
		for (size_t p = 0; p < x->npartners; p++) {
			a += x->by_package[p];
			b += x->by_risk_share[p];
			c += x->by_ratio[p];
		}
		FUZZ_CHECK(a == x->register_total && b == a && c == a,
			   "exit: %lld / %lld / %lld against %lld", (long long)a, (long long)b,
			   (long long)c, (long long)x->register_total);
	} else {
		FUZZ_CHECK(s75_error_code() == S75_EOVERFLOW, "exit failed: %s", s75_error_last());
	}
	s75_exit_free(x);
	if (s75_packages_report_build(&r, db, ag, -1, on, true) == 0) {
		int64_t f = 0, s = 0;
		for (int i = 0; i < S75_FUND_COUNT; i++)
			f += r->by_funding[i].annual;
		for (int i = 0; i < S75_SVC_COUNT; i++)
			s += r->by_service[i].annual;
		FUZZ_CHECK(f == r->net && s == r->net, "report groups do not sum to the total");
	}
	s75_packages_report_free(r);
	int64_t commit[8] = {0};
	FUZZ_CHECK(ag->ncost_centres <= 8, "the fixture has more cost centres than expected");
	s75_period per = {2023, 6};
	int rc = s75_packages_commitment(commit, db, ag, per);
	FUZZ_CHECK(rc == 0 || rc == S75_EOVERFLOW, "commitment failed: %s", s75_error_last());
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	s75_db *db = NULL;

	if (size > 65536)
		return 0;
	if (!ag)
		setup();
	fuzz_write_file(csv_path, data, size);
	FUZZ_CHECK(s75_db_open(&db, ":memory:", S75_DB_CREATE) == 0, "cannot open: %s",
		   s75_error_last());
	for (int round = 0; round < 2; round++) {
		s75_import_options o = S75_IMPORT_OPTIONS_INIT;
		s75_import_result res;
		size_t before = count_batches(db), after;
		o.now = NOW;
		o.name = "packages.csv";
		int rc = s75_import_packages(db, ag, csv_path, &o, &res, NULL);
		after = count_batches(db);
		char ctx[1024];
		snprintf(ctx, sizeof(ctx), "round %d: rc %d, read %ld, imported %ld, rejected %ld, first: %s",
			 round, rc, res.rows_read, res.rows_imported, res.rows_rejected,
			 res.nerrors ? res.errors[0] : "(none)");
		FUZZ_CHECK(res.rows_read == res.rows_imported + res.rows_rejected, "%s", ctx);
		FUZZ_CHECK(res.nerrors <= (size_t)res.error_count, "%s", ctx);
		FUZZ_CHECK(rc == 0 || rc == S75_EINVALID || rc == S75_EEXISTS, "%s", ctx);
		if (rc) {
			FUZZ_CHECK(res.batch_id == 0 && after == before, "%s", ctx);
			FUZZ_CHECK(res.nerrors > 0 || rc == S75_EEXISTS, "failed without a reason; %s", ctx);
			FUZZ_CHECK(round == 0 || rc == S75_EEXISTS || before == 0, "%s", ctx);
		} else {
			FUZZ_CHECK(round == 0, "a duplicate was imported; %s", ctx);
			FUZZ_CHECK(res.batch_id > 0 && after == before + 1, "%s", ctx);
			FUZZ_CHECK(res.rows_rejected == 0 && res.error_count == 0, "%s", ctx);
			check_register(db, s75_fy_start(2023) + 152);
			check_register(db, s75_fy_end(2023));
		}
		s75_import_result_release(&res);
	}
	/* undo whatever was imported: the register is empty again */
	s75_batch *b = NULL;
	size_t n = 0;
	FUZZ_CHECK(s75_batches_list(&b, &n, db, false) == 0, "%s", s75_error_last());
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(s75_batch_undo(db, NULL, b[i].id, NOW) == 0, "cannot undo: %s", s75_error_last());
	s75_batches_free(b, n);
	s75_package_register *reg;
	FUZZ_CHECK(s75_packages_load(&reg, db, ag) == 0, "%s", s75_error_last());
	FUZZ_CHECK(reg->n == 0, "undo left %zu packages", reg->n);
	s75_packages_free(reg);
	s75_db_close(db);
	return 0;
}
