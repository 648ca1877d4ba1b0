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

/* £'000 with two pools' subtotals and a grand total, worked by hand: pool A £1,400 + £1,400
 * = £2,800, pool B £600, total £3,400. The total shows 3; the subtotals 2.8 and 0.6 floor to
 * 2 + 0 = 2, the unit to the larger remainder (.8): 3 and 0. Pool A's rows 1.4 + 1.4 floor to
 * 2, the unit to the first: 2 and 1; pool B's 0.6 floors to 0 = its subtotal. */
static void test_display_rounding(void **st)
{
	(void)st;
	s75_table *t = s75_table_new("");
	s75_table_column(t, "Row", S75_CELL_TEXT);
	s75_table_column(t, "Amount", S75_CELL_MONEY);
	const int64_t v[] = {140000, 140000, 280000, 60000, 60000, 340000};
	const unsigned f[] = {0, 0, S75_ROW_TOTAL | S75_ROW_SUBTOTAL, 0, S75_ROW_TOTAL | S75_ROW_SUBTOTAL,
			      S75_ROW_TOTAL | S75_ROW_STRONG};
	for (int i = 0; i < 6; i++) {
		s75_table_row(t, f[i]);
		s75_table_text(t, "x");
		s75_table_money(t, v[i]);
	}
	int64_t out[12];
	s75_table_display(out, t, S75_UNIT_THOUSANDS);
	const int64_t want[] = {2, 1, 3, 0, 0, 3};
	for (int i = 0; i < 6; i++)
		assert_int_equal(out[i * 2 + 1], want[i]);
	s75_table_free(t);

	s75_buf b = S75_BUF_INIT;
	s75_unit_amount(&b, 227790306, S75_UNIT_THOUSANDS); /* £2,277,903.06 */
	assert_string_equal(b.ptr, "£2,278k");
	s75_buf_reset(&b);
	s75_unit_amount(&b, 227790306, S75_UNIT_MILLIONS);
	assert_string_equal(b.ptr, "£2.3m");
	s75_buf_reset(&b);
	s75_unit_amount(&b, -15000000, S75_UNIT_MILLIONS); /* -£150,000: 0.15 rounds away from 0 */
	assert_string_equal(b.ptr, "-£0.2m");
	s75_buf_reset(&b);
	s75_unit_amount(&b, 227790306, S75_UNIT_POUNDS);
	assert_string_equal(b.ptr, "£2,277,903.06");
	s75_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_and_csv),
		cmocka_unit_test(test_csv_field),
		cmocka_unit_test(test_display_rounding),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
