#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "s75/s75.h"

static void test_text_and_csv(void **st)
{
	(void)st;
	s75_table *t = s75_table_new("T");
	s75_buf b = S75_BUF_INIT;
	s75_table_column(t, "Name", S75_CELL_TEXT);
	s75_table_column(t, "£", S75_CELL_MONEY);
	s75_table_column(t, "%", S75_CELL_BP);
	s75_table_row(t, 0);
	s75_table_text(t, "a,b");
	s75_table_money(t, 123456);
	s75_table_bp(t, 7678);
	s75_table_row(t, S75_ROW_TOTAL);
	s75_table_text(t, "=SUM(A1)");
	s75_table_money(t, -5);
	s75_table_empty(t);
	s75_table_render_text(t, &b, S75_UNIT_POUNDS);
	assert_string_equal(b.ptr, "T\n"
				   "Name             £       %\n"
				   "==========================\n"
				   "a,b       1,234.56  76.78%\n"
				   "--------------------------\n"
				   "=SUM(A1)    (0.05)\n");
	s75_buf_reset(&b);
	s75_table_render_csv(t, &b, 1);
	/* formula text neutralised; money plain; quotes where needed */
	assert_string_equal(b.ptr, "Name,£,%\r\n\"a,b\",1234.56,76.78\r\n'=SUM(A1),-0.05,\r\n");
	s75_buf_release(&b);
	s75_table_free(t);
}

static void test_csv_field(void **st)
{
	(void)st;
	s75_buf b = S75_BUF_INIT;
	const char *in[] = {"plain", "+44", "-1", "@x", "\tx", "say \"x\"", ""};
	const char *out[] = {"plain", "'+44", "'-1", "'@x", "'\tx", "\"say \"\"x\"\"\"", ""};
	for (int i = 0; i < 7; i++) {
		s75_buf_reset(&b);
		s75_csv_put_field(&b, in[i]);
		assert_string_equal(b.ptr, out[i]);
	}
	s75_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_and_csv),
		cmocka_unit_test(test_csv_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
