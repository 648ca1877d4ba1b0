/* Fuzzes the Better Care Fund plan loader: the input is written as bcf-plan.yaml beside
 * the BCF test agreement (tests/fixtures/bcf-ws) and loaded with the repository's
 * frameworks/bcf-2017-19.yaml.
 *
 * Invariants: a load succeeds with no errors, or fails with S75_EINVALID and at least one
 * error, each with its file; on success the plan and the check of 2017/18 build (or report
 * no such year, or an overflow) on an empty workspace. */
#include <string.h>

#include "fuzz_util.h"
#include "s75/s75.h"

static s75_agreement *ag;
static char *plan_path;
static s75_db *db;

static void setup(void)
{
	s75_diags d = S75_DIAGS_INIT;
	char *path = fuzz_path("agreement.yaml"), *dbp = fuzz_path("s75.db");
	FUZZ_CHECK(fuzz_copy_source("tests/fixtures/bcf-ws/agreement.yaml", "agreement.yaml"),
		   "no tests/fixtures/bcf-ws/agreement.yaml (set S75_FUZZ_SOURCE_DIR)");
	if (s75_agreement_load(&ag, path, &d)) {
		fprintf(stderr, "cannot load the fuzz agreement\n");
		abort();
	}
	FUZZ_CHECK(s75_db_open(&db, dbp, S75_DB_CREATE) == 0, "cannot open the workspace: %s",
		   s75_error_last());
	s75_diags_release(&d);
	free(path);
	free(dbp);
	plan_path = fuzz_path("bcf-plan.yaml");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	s75_diags d = S75_DIAGS_INIT;
	s75_bcf *b = NULL;
	if (!ready) {
		setup();
		ready = 1;
	}
	fuzz_write_file(plan_path, data, size);
	int rc = s75_bcf_load(&b, ag, -1, &d);
	FUZZ_CHECK(rc == 0 || rc == S75_EINVALID, "unexpected return %d", rc);
	FUZZ_CHECK((rc == 0) == (d.nerrors == 0), "rc %d with %zu errors", rc, d.nerrors);
	for (size_t i = 0; i < d.n; i++)
		FUZZ_CHECK(d.items[i].file && *d.items[i].file, "an error without its file");
	if (rc == 0) {
		s75_doc *doc = s75_doc_new("fuzz");
		size_t failed;
		s75_date as_of;
		s75_date_parse(&as_of, "2018-03-31");
		rc = s75_bcf_plan_report(doc, b, ag, 2017);
		FUZZ_CHECK(rc == 0 || rc == S75_ENOTFOUND || rc == S75_EOVERFLOW, "plan: %d", rc);
		rc = s75_bcf_check_report(doc, &failed, b, db, ag, 2017, as_of);
		FUZZ_CHECK(rc == 0 || rc == S75_ENOTFOUND || rc == S75_EOVERFLOW, "check: %d", rc);
		s75_buf out = S75_BUF_INIT;
		s75_doc_render_text(doc, &out, S75_UNIT_POUNDS);
		s75_buf_release(&out);
		s75_doc_free(doc);
	}
	s75_bcf_free(b);
	s75_diags_release(&d);
	return 0;
}
