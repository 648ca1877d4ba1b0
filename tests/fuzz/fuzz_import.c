/* Fuzzes the ledger import: the input is written to ledger.csv in a workspace with the
 * test agreement (tests/fixtures/ledger-ws) and imported into a fresh in-memory database
 * with each of its profiles (standard, la-erp in Windows-1252 with debit and credit,
 * icb-ledger, and erp-rules with footers, row rules and a cost-centre map), all or
 * nothing and then with a reject file. A batch that is imported is
 * undone, so the next profile sees the same database.
 *
 * Invariants, whatever happens: rows_read = rows_imported + rows_skipped + rows_outside
 * + rows_rejected; a failed
 * import has no batch id, adds no batch and leaves no reject file; a successful one adds
 * exactly one batch whose control totals count the rows imported, and all or nothing
 * succeeds only with no row rejected. */
#include <string.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "s75/db.h"
#include "s75/error.h"
#include "s75/ledger.h"

#define NOW "2018-01-01T00:00:00Z"

static s75_agreement *ag;
static char *csv_path, *rej_path;

static void setup(void)
{
	s75_diags d = S75_DIAGS_INIT;
	char *path = fuzz_path("agreement.yaml");
	FUZZ_CHECK(fuzz_copy_source("tests/fixtures/ledger-ws/agreement.yaml", "agreement.yaml"),
	           "no tests/fixtures/ledger-ws/agreement.yaml (set S75_FUZZ_SOURCE_DIR)");
	if (s75_agreement_load(&ag, path, &d)) {
		s75_buf b = S75_BUF_INIT;
		s75_diags_format(&d, &b);
		fprintf(stderr, "cannot load the fuzz agreement:\n%s", b.ptr);
		abort();
	}
	s75_diags_release(&d);
	free(path);
	csv_path = fuzz_path("ledger.csv");
	rej_path = fuzz_path("rejects.csv");
}

static size_t count_batches(s75_db *db)
{
	s75_batch *b = NULL;
	size_t n = 0;
	FUZZ_CHECK(s75_batches_list(&b, &n, db, true) == 0, "cannot list batches: %s",
	           s75_error_last());
	s75_batches_free(b, n);
	return n;
}

static void import_one(s75_db *db, const char *profile, bool rejects)
{
	s75_import_options o = S75_IMPORT_OPTIONS_INIT;
	s75_import_result res;
	size_t before = count_batches(db), after;
	int rc;

	o.profile = profile;
	o.now = NOW;
	o.name = "ledger.csv";
	o.reject_path = rejects ? rej_path : NULL;
	unlink(rej_path);
	rc = s75_import_actuals(db, ag, csv_path, &o, &res);
	after = count_batches(db);

	char ctx[1024], tmp[4096];
	snprintf(ctx, sizeof(ctx),
	         "profile %s%s: rc %d, read %ld, imported %ld, rejected %ld, %ld errors, first: %s",
	         profile, rejects ? " with rejects" : "", rc, res.rows_read, res.rows_imported,
	         res.rows_rejected, res.error_count, res.nerrors ? res.errors[0] : "(none)");
#define CTX "%s", ctx

	/* rows read = imported + rejected when rows are imported (with a reject file, or when
	 * all are good); an all-or-nothing import that fails imports none and counts the bad */
	if (rc == 0)
		FUZZ_CHECK(res.rows_read == res.rows_imported + res.rows_skipped + res.rows_outside +
						    res.rows_rejected,
			   CTX);
	else
		FUZZ_CHECK(res.rows_imported == 0 && res.rows_rejected <= res.rows_read, CTX);
	FUZZ_CHECK(res.rows_read >= 0 && res.rows_imported >= 0 && res.rows_rejected >= 0, CTX);
	FUZZ_CHECK(res.rows_skipped >= 0 && res.rows_outside >= 0, CTX);
	FUZZ_CHECK(res.nerrors <= (size_t)res.error_count, CTX);
	FUZZ_CHECK(rc == 0 || rc == S75_EINVALID || rc == S75_EEXISTS, CTX);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", rej_path, (long)getpid());
	FUZZ_CHECK(access(tmp, F_OK) != 0, "the reject file's temporary was left; %s", ctx);
	if (rc) {
		FUZZ_CHECK(res.batch_id == 0, CTX);
		FUZZ_CHECK(after == before, "a failed import added %zu batches; %s", after - before,
		           ctx);
		FUZZ_CHECK(res.nerrors > 0 || rc == S75_EEXISTS, "failed without a reason; %s",
		           ctx);
		FUZZ_CHECK(access(rej_path, F_OK) != 0, "a failed import left a reject file; %s",
		           ctx);
	} else {
		long rows = 0;
		FUZZ_CHECK(res.batch_id > 0, CTX);
		FUZZ_CHECK(after == before + 1, "a successful import added %zu batches; %s",
		           after - before, ctx);
		FUZZ_CHECK(res.rows_imported > 0, CTX);
		FUZZ_CHECK(rejects || (res.rows_rejected == 0 && res.error_count == 0), CTX);
		FUZZ_CHECK(!rejects || access(rej_path, F_OK) == 0, "no reject file; %s", ctx);
		for (size_t i = 0; i < res.ntotals; i++)
			rows += res.totals[i].rows;
		FUZZ_CHECK(rows == res.rows_imported, "control totals count %ld rows; %s", rows,
		           ctx);
		FUZZ_CHECK(s75_batch_undo(db, NULL, res.batch_id, NOW) == 0, "cannot undo: %s",
		           s75_error_last());
	}
#undef CTX
	s75_import_result_release(&res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const profiles[] = {"standard", "la-erp", "icb-ledger", "erp-rules"};
	s75_db *db = NULL;

	if (size > 65536)
		return 0;
	if (!ag)
		setup();
	fuzz_write_file(csv_path, data, size);
	FUZZ_CHECK(s75_db_open(&db, ":memory:", S75_DB_CREATE) == 0, "cannot open: %s",
	           s75_error_last());
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		import_one(db, profiles[i], false);
		import_one(db, profiles[i], true);
	}
	s75_db_close(db);
	return 0;
}
