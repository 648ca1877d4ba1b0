#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "s75/error.h"
#include "s75/money.h"

/* Digits after the point that resolve to one penny in each unit. */
static const int unit_scale[] = {2, 5, 8};

int s75_money_add(int64_t *out, int64_t a, int64_t b)
{
	if (__builtin_add_overflow(a, b, out))
		return s75_error_set(S75_EOVERFLOW, "amount out of range");
	return 0;
}

int s75_money_sub(int64_t *out, int64_t a, int64_t b)
{
	if (__builtin_sub_overflow(a, b, out))
		return s75_error_set(S75_EOVERFLOW, "amount out of range");
	return 0;
}

int s75_money_mul(int64_t *out, int64_t a, int64_t b)
{
	if (__builtin_mul_overflow(a, b, out))
		return s75_error_set(S75_EOVERFLOW, "amount out of range");
	return 0;
}

static int bad(const char *s, size_t len, const char *why)
{
	return s75_error_set(S75_EINVALID, "'%.*s' is not an amount: %s", (int)(len > 60 ? 60 : len),
			     s, why);
}

int s75_money_parse(int64_t *out, const char *s, size_t len, s75_unit unit, unsigned flags)
{
	const char *p = s, *end = s + len;
	int neg = 0, brackets = 0, scale = unit_scale[unit], ndigits = 0, nfrac = 0;
	int64_t v = 0;
	size_t group = 0; /* digits since the last separator */
	int seen_sep = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (p == end)
		return bad(s, len, "empty");
	if (*p == '(') {
		if (end[-1] != ')')
			return bad(s, len, "unbalanced bracket");
		brackets = neg = 1;
		p++;
		end--;
	}
	if (p < end && (*p == '-' || *p == '+')) {
		if (brackets)
			return bad(s, len, "a sign inside brackets");
		neg = *p == '-';
		p++;
	}
	if (end - p >= 2 && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA3)
		p += 2; /* £ in UTF-8 */
	if ((flags & S75_MONEY_SUFFIX) && unit == S75_UNIT_POUNDS && end > p) {
		char c = (char)tolower((unsigned char)end[-1]);
		if (c == 'k' || c == 'm') {
			unit = c == 'k' ? S75_UNIT_THOUSANDS : S75_UNIT_MILLIONS;
			scale = unit_scale[unit];
			end--;
		}
	}
	if (p == end)
		return bad(s, len, "no digits");
	if (!isdigit((unsigned char)*p))
		return bad(s, len, "expected a digit");
	for (; p < end && *p != '.'; p++) {
		if (*p == ',') {
			if (ndigits == 0 || (seen_sep ? group != 3 : group > 3))
				return bad(s, len, "misplaced thousands separator");
			seen_sep = 1;
			group = 0;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			return bad(s, len, "unexpected character");
		if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, *p - '0', &v))
			goto overflow;
		ndigits++;
		group++;
	}
	if (seen_sep && group != 3)
		return bad(s, len, "misplaced thousands separator");
	if (p < end) { /* '.' */
		p++;
		if (p == end)
			return bad(s, len, "no digits after the decimal point");
		for (; p < end; p++) {
			if (!isdigit((unsigned char)*p))
				return bad(s, len, *p == '.' ? "more than one decimal point"
							     : "unexpected character");
			if (++nfrac > scale)
				return bad(s, len, unit == S75_UNIT_POUNDS
							   ? "more than two decimal places (fractions of a penny)"
							   : "more decimal places than resolve to a penny");
			if (__builtin_mul_overflow(v, 10, &v) ||
			    __builtin_add_overflow(v, *p - '0', &v))
				goto overflow;
		}
	}
	for (; nfrac < scale; nfrac++)
		if (__builtin_mul_overflow(v, 10, &v))
			goto overflow;
	*out = neg ? -v : v;
	return 0;
overflow:
	return s75_error_set(S75_EOVERFLOW, "'%.*s' is too large an amount",
			     (int)(len > 60 ? 60 : len), s);
}

int s75_unit_parse(s75_unit *out, const char *s)
{
	static const struct {
		const char *name;
		s75_unit unit;
	} names[] = {{"£", S75_UNIT_POUNDS},     {"pounds", S75_UNIT_POUNDS},
		     {"£'000", S75_UNIT_THOUSANDS}, {"£000", S75_UNIT_THOUSANDS},
		     {"£k", S75_UNIT_THOUSANDS},    {"thousands", S75_UNIT_THOUSANDS},
		     {"£m", S75_UNIT_MILLIONS},     {"millions", S75_UNIT_MILLIONS}};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(s, names[i].name)) {
			*out = names[i].unit;
			return 0;
		}
	return s75_error_set(S75_EINVALID, "unknown unit '%s' (expected £, £'000 or £m)", s);
}

const char *s75_unit_name(s75_unit u)
{
	return u == S75_UNIT_MILLIONS ? "£m" : u == S75_UNIT_THOUSANDS ? "£'000" : "£";
}

void s75_money_format(s75_buf *out, int64_t pence, s75_unit unit, unsigned flags)
{
	/* |INT64_MIN| does not fit in int64: work in unsigned. */
	int neg = pence < 0;
	uint64_t a = neg ? (uint64_t)0 - (uint64_t)pence : (uint64_t)pence;
	int scale = unit_scale[unit];
	uint64_t div = 1;
	char digits[32];
	int n = 0;

	for (int i = 0; i < scale; i++)
		div *= 10;
	uint64_t whole = a / div, frac = a % div;
	int fdig = 2; /* decimals shown */
	if (flags & S75_FMT_WHOLE) {
		if (frac * 2 >= div)
			whole++;
		frac = 0;
		fdig = 0;
	} else {
		/* show two decimals of the unit, rounded half away from zero */
		uint64_t d = div / 100;
		uint64_t f2 = frac / d, rem = frac % d;
		if (d > 1 && rem * 2 >= d)
			f2++;
		if (f2 == 100) {
			whole++;
			f2 = 0;
		}
		frac = f2;
	}
	if (whole == 0 && frac == 0)
		neg = 0;
	/* built here and added in one piece (a report formats tens of thousands) */
	char text[64];
	size_t k = 0;
	if (neg)
		text[k++] = (flags & S75_FMT_BRACKETS) ? '(' : '-';
	if (flags & S75_FMT_POUND) {
		memcpy(text + k, "£", 2);
		k += 2;
	}
	do {
		digits[n++] = (char)('0' + whole % 10);
		whole /= 10;
	} while (whole);
	for (int i = n - 1; i >= 0; i--) {
		text[k++] = digits[i];
		if ((flags & S75_FMT_SEP) && i > 0 && i % 3 == 0)
			text[k++] = ',';
	}
	if (fdig) {
		text[k++] = '.';
		text[k++] = (char)('0' + frac / 10 % 10);
		text[k++] = (char)('0' + frac % 10);
	}
	if (neg && (flags & S75_FMT_BRACKETS))
		text[k++] = ')';
	s75_buf_add(out, text, k);
}

void s75_bp_format(s75_buf *out, int64_t bp)
{
	uint64_t a = bp < 0 ? (uint64_t)0 - (uint64_t)bp : (uint64_t)bp;
	s75_buf_printf(out, "%s%llu.%02llu", bp < 0 ? "-" : "", (unsigned long long)(a / 100),
		       (unsigned long long)(a % 100));
}
