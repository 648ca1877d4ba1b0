/* Fuzzes the agreement loader: the input is written to agreement.yaml in a folder of
 * its own (with the CSV files the examples name) and loaded; an agreement that loads is checked
 * (statutory contents, budgets) and each year's contributions schedule is built.
 *
 * Invariants: a load fails if and only if it reports an error; a failed load returns
 * no agreement; each pooled fund's shares sum to 100.00% where they are valid. */
#include <string.h>

#include "fuzz_util.h"
#include "s75/agreement.h"
#include "s75/contrib.h"
#include "s75/error.h"

static void check_schedule(const s75_agreement *ag, int fy)
{
	s75_contrib_schedule *s = NULL;
	int rc = s75_contrib_schedule_build(&s, ag, fy);
	FUZZ_CHECK(rc == 0 || rc == S75_EOVERFLOW, "schedule of %d: %d %s", fy, rc,
	           s75_error_last());
	if (rc) {
		FUZZ_CHECK(s == NULL, "a failed schedule returned one");
		return;
	}
	FUZZ_CHECK(s && s->fy == fy && s->npartners == ag->npartners, "schedule of %d", fy);
	for (size_t i = 0; i < s->npools; i++) {
		const s75_contrib_pool *p = &s->pools[i];
		int64_t sum = 0;
		if (!p->shares_valid)
			continue;
		for (size_t k = 0; k < s->npartners; k++)
			sum += p->share_bp[k];
		FUZZ_CHECK(sum == 10000, "pool %zu of %d: shares sum to %lld bp", i, fy,
		           (long long)sum);
	}
	if (s->shares_valid) {
		int64_t sum = 0;
		for (size_t k = 0; k < s->npartners; k++)
			sum += s->share_bp[k];
		FUZZ_CHECK(sum == 10000, "%d: shares sum to %lld bp", fy, (long long)sum);
	}
	s75_contrib_schedule_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *path;
	s75_agreement *ag = (s75_agreement *)1;
	s75_diags d = S75_DIAGS_INIT;
	s75_buf text = S75_BUF_INIT;
	int rc;

	if (size > 65536)
		return 0;
	if (!path) {
		path = fuzz_path("agreement.yaml");
		/* the files the examples name, so that inputs derived from them get further */
		fuzz_copy_source("examples/cambridgeshire-ldp/cost-centres.csv",
		                 "cost-centres.csv");
		fuzz_copy_source("examples/oxfordshire-2017/budgets-2017-18.csv",
		                 "budgets-2017-18.csv");
	}
	fuzz_write_file(path, data, size);
	rc = s75_agreement_load(&ag, path, &d);
	s75_diags_format(&d, &text);
	if (rc) {
		FUZZ_CHECK(rc == S75_EINVALID, "load returned %d: %s", rc, s75_error_last());
		FUZZ_CHECK(ag == NULL, "a failed load returned an agreement");
		FUZZ_CHECK(d.nerrors > 0, "a failed load reported no error");
	} else {
		size_t present = 0, expected = 0;
		FUZZ_CHECK(ag != NULL, "a load returned no agreement");
		FUZZ_CHECK(d.nerrors == 0, "a load that worked reported errors:\n%s", text.ptr);
		s75_agreement_check_statutory(ag, &d, &present, &expected);
		FUZZ_CHECK(present <= expected, "statutory: %zu of %zu", present, expected);
		s75_agreement_check_budgets(ag, &d);
		for (size_t i = 0; i < ag->nyears; i++)
			check_schedule(ag, ag->years[i].fy);
		FUZZ_CHECK(d.nerrors == 0, "checks added errors");
		s75_buf_reset(&text);
		s75_diags_format(&d, &text);
		s75_agreement_free(ag);
	}
	s75_buf_release(&text);
	s75_diags_release(&d);
	return 0;
}
