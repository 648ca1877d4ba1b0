/* Fuzzes s75_money_parse() in every unit, with and without S75_MONEY_SUFFIX.
 *
 * Invariants: an amount parsed formats back (in pounds, every flag combination) and
 * re-parses to the same pence; the same text in £'000 and £m is 1,000 and 1,000,000
 * times the pounds value; the suffix flag changes nothing for text without a suffix;
 * every failure leaves a message. */
#include <string.h>

#include "fuzz_util.h"
#include "s75/buf.h"
#include "s75/error.h"
#include "s75/money.h"

static const s75_unit units[] = {S75_UNIT_POUNDS, S75_UNIT_THOUSANDS, S75_UNIT_MILLIONS};

/* Formats `pence` with `flags` in pounds and parses it back: must be the same pence. */
static void round_trip(int64_t pence, unsigned flags)
{
	s75_buf b = S75_BUF_INIT;
	int64_t back = 0;
	s75_money_format(&b, pence, S75_UNIT_POUNDS, flags);
	int rc = s75_money_parse(&back, b.ptr, b.len, S75_UNIT_POUNDS, 0);
	FUZZ_CHECK(rc == 0, "%lld pence formatted (flags %u) as '%s' does not parse back: %s",
	           (long long)pence, flags, b.ptr, s75_error_last());
	FUZZ_CHECK(back == pence, "%lld pence formatted (flags %u) as '%s' parses back as %lld",
	           (long long)pence, flags, b.ptr, (long long)back);
	s75_buf_release(&b);
}

/* In £'000 and £m two decimals are shown: the value read back is within half of one. */
static void round_trip_scaled(int64_t pence, s75_unit unit)
{
	s75_buf b = S75_BUF_INIT;
	int64_t back = 0, half = unit == S75_UNIT_THOUSANDS ? 500 : 500000;
	s75_money_format(&b, pence, unit, S75_FMT_SEP);
	int rc = s75_money_parse(&back, b.ptr, b.len, unit, 0);
	if (rc == S75_EOVERFLOW && (pence > INT64_MAX - half || pence < INT64_MIN + half)) {
		/* rounded up past the largest amount */
	} else {
		FUZZ_CHECK(rc == 0, "%lld pence formatted in %s as '%s' does not parse back: %s",
		           (long long)pence, s75_unit_name(unit), b.ptr, s75_error_last());
		uint64_t diff = back > pence ? (uint64_t)back - (uint64_t)pence
		                             : (uint64_t)pence - (uint64_t)back;
		FUZZ_CHECK(diff <= (uint64_t)half,
		           "%lld pence formatted in %s as '%s' parses back as %lld",
		           (long long)pence, s75_unit_name(unit), b.ptr, (long long)back);
	}
	s75_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	int64_t v[3][2];
	int rc[3][2];

	if (size > 4096)
		return 0;
	for (int u = 0; u < 3; u++)
		for (int fl = 0; fl < 2; fl++) {
			v[u][fl] = 0;
			s75_error_clear();
			rc[u][fl] = s75_money_parse(&v[u][fl], s, size, units[u],
			                            fl ? S75_MONEY_SUFFIX : 0);
			FUZZ_CHECK(rc[u][fl] == 0 || rc[u][fl] == S75_EINVALID ||
			               rc[u][fl] == S75_EOVERFLOW,
			           "unexpected return %d", rc[u][fl]);
			if (rc[u][fl]) {
				FUZZ_CHECK(*s75_error_last(), "failure %d without a message",
				           rc[u][fl]);
				FUZZ_CHECK(s75_error_code() == rc[u][fl],
				           "error code %d but returned %d", s75_error_code(),
				           rc[u][fl]);
				continue;
			}
			for (unsigned flags = 0; flags < 8; flags++)
				round_trip(v[u][fl], flags);
			round_trip_scaled(v[u][fl], S75_UNIT_THOUSANDS);
			round_trip_scaled(v[u][fl], S75_UNIT_MILLIONS);
			/* rounding to whole pounds moves it by at most 50p */
			s75_buf b = S75_BUF_INIT;
			int64_t whole;
			s75_money_format(&b, v[u][fl], S75_UNIT_POUNDS,
			                 S75_FMT_WHOLE | S75_FMT_SEP);
			if (!s75_money_parse(&whole, b.ptr, b.len, S75_UNIT_POUNDS, 0)) {
				int64_t d = whole - v[u][fl];
				FUZZ_CHECK(d >= -50 && d <= 50 && whole % 100 == 0,
				           "%lld pence rounded to whole pounds is '%s'",
				           (long long)v[u][fl], b.ptr);
			} else {
				FUZZ_CHECK(v[u][fl] > INT64_MAX - 50 || v[u][fl] < INT64_MIN + 50,
				           "%lld pence as whole pounds '%s' does not parse: %s",
				           (long long)v[u][fl], b.ptr, s75_error_last());
			}
			s75_buf_release(&b);
		}
	/* the suffix flag only matters for text ending in k or m */
	for (int u = 0; u < 3; u++)
		if (rc[u][0] == 0)
			FUZZ_CHECK(
			    rc[u][1] == 0 && v[u][1] == v[u][0],
			    "'%.*s' in %s is %lld without the suffix flag, %lld (rc %d) with it",
			    (int)size, s, s75_unit_name(units[u]), (long long)v[u][0],
			    (long long)v[u][1], rc[u][1]);
	/* pounds text read as £'000 or £m is the same number of larger units */
	if (rc[0][0] == 0) {
		int64_t want;
		if (!__builtin_mul_overflow(v[0][0], 1000, &want))
			FUZZ_CHECK(rc[1][0] == 0 && v[1][0] == want,
			           "'%.*s' is %lld pence but %lld (rc %d) in £'000", (int)size, s,
			           (long long)v[0][0], (long long)v[1][0], rc[1][0]);
		else
			FUZZ_CHECK(rc[1][0] == S75_EOVERFLOW, "'%.*s' in £'000 should overflow",
			           (int)size, s);
		if (!__builtin_mul_overflow(v[0][0], 1000000, &want))
			FUZZ_CHECK(rc[2][0] == 0 && v[2][0] == want,
			           "'%.*s' is %lld pence but %lld (rc %d) in £m", (int)size, s,
			           (long long)v[0][0], (long long)v[2][0], rc[2][0]);
		else
			FUZZ_CHECK(rc[2][0] == S75_EOVERFLOW, "'%.*s' in £m should overflow",
			           (int)size, s);
	}
	return 0;
}
