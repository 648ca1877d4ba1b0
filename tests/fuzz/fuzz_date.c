/* Fuzzes the date parsers: s75_date_parse_fmt() with the formats import profiles use,
 * s75_date_parse(), s75_period_parse() and s75_fy_parse(); and s75_date_fmt_valid()
 * on the pattern itself.
 *
 * Input: the text, or `%PATTERN|TEXT` to fuzz the pattern too.
 *
 * Invariants: whatever parses formats back to a real day (or period, or year) that
 * parses again to the same value; every failure leaves a message. */
#include <string.h>

#include "fuzz_util.h"
#include "s75/date.h"
#include "s75/error.h"

static const char *const formats[] = {"dd/mm/yyyy", "yyyy-mm-dd", "d/m/yyyy", "dd-mon-yyyy",
                                      "yyyymmdd",   "d mon yy",   "mm/dd/yy", "d.m.yy"};

/* A date that parsed must be a real day in the supported range and round-trip. */
static void check_date(s75_date d, const char *how)
{
	char buf[11], again[11];
	int y, m, day;
	s75_date back = 0;
	s75_date_to_ymd(d, &y, &m, &day);
	FUZZ_CHECK(y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && day >= 1 &&
	               day <= s75_days_in_month(y, m),
	           "%s gave day %d = %d-%d-%d", how, (int)d, y, m, day);
	s75_date_format(buf, d);
	FUZZ_CHECK(strlen(buf) == 10, "%s gave day %d, formatted as '%s'", how, (int)d, buf);
	FUZZ_CHECK(s75_date_parse(&back, buf) == 0 && back == d,
	           "%s gave day %d, formatted as '%s', which parses as %d (%s)", how, (int)d, buf,
	           (int)back, s75_error_last());
	FUZZ_CHECK(s75_date_parse_fmt(&back, buf, strlen(buf), "yyyy-mm-dd") == 0 && back == d,
	           "%s: '%s' does not parse with yyyy-mm-dd", how, buf);
	s75_date_format(again, s75_date_month_end(d));
	FUZZ_CHECK(s75_fy_of_date(d) == (m >= 4 ? y : y - 1), "%s: fy of %s", how, buf);
	s75_period p = s75_period_of_date(d);
	FUZZ_CHECK(p.p >= 1 && p.p <= 12 && s75_period_start(p) <= d && d <= s75_period_end(p),
	           "%s: period of %s is %d P%d", how, buf, p.fy, p.p);
}

static void failed(int rc, const char *what)
{
	FUZZ_CHECK(rc == S75_EINVALID, "%s returned %d", what, rc);
	FUZZ_CHECK(*s75_error_last(), "%s failed without a message", what);
}

static void fuzz_text(const char *s, size_t len, const char *fmt)
{
	s75_date d = 0;
	int rc;
	char *z;

	if (fmt) {
		bool valid = s75_date_fmt_valid(fmt);
		s75_error_clear();
		rc = s75_date_parse_fmt(&d, s, len, fmt);
		if (rc == 0) {
			FUZZ_CHECK(valid, "'%s' is not a valid pattern but '%.*s' parsed with it",
			           fmt, (int)len, s);
			check_date(d, "s75_date_parse_fmt(pattern)");
		} else {
			failed(rc, "s75_date_parse_fmt(pattern)");
		}
	}
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		FUZZ_CHECK(s75_date_fmt_valid(formats[i]), "'%s' should be valid", formats[i]);
		s75_error_clear();
		rc = s75_date_parse_fmt(&d, s, len, formats[i]);
		if (rc == 0)
			check_date(d, formats[i]);
		else
			failed(rc, formats[i]);
	}

	/* the C-string parsers see the text up to its first NUL */
	if (!(z = malloc(len + 1)))
		abort();
	memcpy(z, s, len);
	z[len] = '\0';

	s75_error_clear();
	if ((rc = s75_date_parse(&d, z)) == 0)
		check_date(d, "s75_date_parse");
	else
		failed(rc, "s75_date_parse");

	int fy = 0;
	s75_error_clear();
	if ((rc = s75_fy_parse(&fy, z)) == 0) {
		char buf[8];
		int back = 0;
		FUZZ_CHECK(fy >= 1900 && fy <= 9998, "'%s' is year %d", z, fy);
		s75_fy_format(buf, fy);
		FUZZ_CHECK(s75_fy_parse(&back, buf) == 0 && back == fy,
		           "'%s' is year %d, formatted '%s', parsed back as %d", z, fy, buf, back);
		FUZZ_CHECK(s75_fy_start(fy) < s75_fy_end(fy), "year %d", fy);
		FUZZ_CHECK(s75_fy_of_date(s75_fy_start(fy)) == fy &&
		               s75_fy_of_date(s75_fy_end(fy)) == fy,
		           "year %d: start and end fall in another year", fy);
	} else {
		failed(rc, "s75_fy_parse");
	}

	s75_period p = {0, 0};
	s75_error_clear();
	if ((rc = s75_period_parse(&p, z)) == 0) {
		char buf[12];
		s75_period back = {0, 0};
		FUZZ_CHECK(p.p >= 1 && p.p <= 12 && p.fy >= 1899 && p.fy <= 9998,
		           "'%s' is period %d P%d", z, p.fy, p.p);
		s75_period_format(buf, p);
		FUZZ_CHECK(s75_period_parse(&back, buf) == 0 && s75_period_cmp(back, p) == 0,
		           "'%s' is period %d P%d, formatted '%s', parsed back as %d P%d (%s)", z,
		           p.fy, p.p, buf, back.fy, back.p, s75_error_last());
		FUZZ_CHECK(s75_period_start(p) <= s75_period_end(p), "period %s", buf);
		s75_period q = s75_period_of_date(s75_period_start(p));
		FUZZ_CHECK(s75_period_cmp(q, p) == 0, "the first day of %s is in %d P%d", buf, q.fy,
		           q.p);
	} else {
		failed(rc, "s75_period_parse");
	}
	free(z);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	if (size > 4096)
		return 0;
	if (size && s[0] == '%') {
		const char *bar = memchr(s, '|', size);
		if (bar) {
			/* an exact-size copy of the pattern, so ASan sees a read past its NUL */
			size_t flen = (size_t)(bar - s - 1);
			char *fmt = malloc(flen + 1);
			if (!fmt)
				abort();
			memcpy(fmt, s + 1, flen);
			fmt[flen] = '\0';
			fuzz_text(bar + 1, size - flen - 2, fmt);
			free(fmt);
			return 0;
		}
	}
	fuzz_text(s, size, NULL);
	return 0;
}
