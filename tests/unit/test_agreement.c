#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "s75/s75.h"

static char *fixture(const char *name)
{
	static char buf[4096];
	const char *dir = getenv("S75_TESTS");
	snprintf(buf, sizeof(buf), "%s/fixtures/%s", dir ? dir : "tests", name);
	return buf;
}

/* The example in docs/agreement-format.md, as a test of the documentation. */
static void test_docs_example(void **st)
{
	(void)st;
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag;
	size_t present, expected;
	assert_int_equal(s75_agreement_load(&ag, fixture("agreement-docs-example.yaml"), &d), 0);
	assert_int_equal(d.nerrors, 0);
	assert_string_equal(ag->id, "example");
	assert_int_equal(ag->npartners, 2);
	assert_int_equal(ag->partners[1].kind, S75_PARTNER_NHS_BODY);
	assert_int_equal(ag->host, 0);
	assert_int_equal(ag->notice.general_months, 6);
	assert_int_equal(ag->notice.no_contribution_agreement_months, 3);
	assert_int_equal(ag->notice.default_months, 0);
	assert_int_equal(ag->narrangements, 1);
	const s75_arrangement *a = &ag->arrangements[0];
	assert_int_equal(a->kind, S75_ARR_POOLED_FUND);
	assert_int_equal(a->nelements, 1);
	assert_int_equal(a->elements[0].lead, 0);
	assert_int_equal(ag->nyears, 1);
	const s75_year *y = s75_agreement_find_year(ag, 2017);
	assert_non_null(y);
	assert_int_equal(y->unit, S75_UNIT_THOUSANDS);
	assert_int_equal(y->ncontributions, 2);
	/* council: gross "1,000" less income 100, in £'000 */
	assert_int_equal(y->contributions[0].gross, 100000000);
	assert_int_equal(y->contributions[0].income, 10000000);
	assert_int_equal(y->contributions[0].net, 90000000);
	assert_int_equal(y->contributions[0].basis.source, S75_SRC_BUDGET);
	/* icb: a bare amount is the gross; its basis comes from the year */
	assert_int_equal(y->contributions[1].gross, 50000000);
	assert_int_equal(y->contributions[1].net, 50000000);
	assert_int_equal(y->contributions[1].basis.source, S75_SRC_OUTTURN);
	assert_int_equal(ag->ncost_centres, 1);
	assert_int_equal(ag->cost_centres[0].partner, 0);
	s75_agreement_check_statutory(ag, &d, &present, &expected);
	assert_int_equal(expected, 7);
	assert_int_equal(present, 7);
	assert_int_equal(d.nwarnings, 0);

	s75_contrib_schedule *s;
	assert_int_equal(s75_contrib_schedule_build(&s, ag, 2017), 0);
	assert_int_equal(s->pools[0].total.net, 140000000);
	/* 900 / 1,400 = 64.2857% -> 64.29; 500 / 1,400 = 35.714% -> 35.71 */
	assert_int_equal(s->pools[0].share_bp[0], 6429);
	assert_int_equal(s->pools[0].share_bp[1], 3571);
	s75_contrib_schedule_free(s);
	assert_int_equal(s75_contrib_schedule_build(&s, ag, 2018), S75_ENOTFOUND);
	s75_agreement_free(ag);
	s75_diags_release(&d);
}

static void test_missing_file(void **st)
{
	(void)st;
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag = (s75_agreement *)1;
	assert_int_equal(s75_agreement_load(&ag, "/nonexistent/agreement.yaml", &d), S75_EIO);
	assert_null(ag);
	assert_non_null(strstr(s75_error_last(), "cannot open '/nonexistent/agreement.yaml'"));
	s75_diags_release(&d);
}

static void test_errors_collected(void **st)
{
	(void)st;
	const char *text = "agreement:\n"
			   "  id: x\n"
			   "  title: X\n"
			   "  start: 2017-02-30\n"
			   "  host_partner: nobody\n"
			   "  pool_manager: {role: M, partner: la}\n"
			   "partners:\n"
			   "  - {id: la, name: LA, kind: local-authority}\n"
			   "  - {id: la, name: NHS, kind: nhs}\n"
			   "arrangements: []\n";
	char path[] = "/tmp/s75-test-agreement-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag;
	assert_int_equal(s75_agreement_load(&ag, path, &d), S75_EINVALID);
	assert_null(ag);
	s75_buf b = S75_BUF_INIT;
	s75_diags_format(&d, &b);
	/* every problem, in file order, with its line and column */
	const char *want[] = {
		":4:10: error: agreement 'start': '2017-02-30' is not a date (no such day)",
		":5:17: error: unknown partner 'nobody' (known: la)",
		":9:10: error: duplicate partner id 'la'",
		":9:31: error: partner 'kind' is 'nhs' (expected one of: local-authority, nhs-body, other)",
		":10:1: error: an agreement needs at least one arrangement",
	};
	const char *p = b.ptr;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const char *hit = strstr(p, want[i]);
		if (!hit)
			fail_msg("missing '%s' in:\n%s", want[i], b.ptr);
		p = hit + strlen(want[i]);
	}
	s75_buf_release(&b);
	s75_diags_release(&d);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docs_example),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_errors_collected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
