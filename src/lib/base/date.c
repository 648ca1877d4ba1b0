#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "s75/date.h"
#include "s75/error.h"

bool s75_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int s75_days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && s75_is_leap(y) ? 29 : dm[m - 1];
}

/* Days from civil, after Howard Hinnant's public-domain algorithm. */
static s75_date days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int s75_date_from_ymd(s75_date *out, int y, int m, int d)
{
	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > s75_days_in_month(y, m))
		return s75_error_set(S75_EINVALID, "%04d-%02d-%02d is not a date", y, m, d);
	*out = days_from_civil(y, m, d);
	return 0;
}

void s75_date_to_ymd(s75_date z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

/* Reads exactly `n` digits. */
static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int s75_date_parse(s75_date *out, const char *s)
{
	int y, m, d;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) ||
	    digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
		return s75_error_set(S75_EINVALID, "'%s' is not a date (expected YYYY-MM-DD)", s);
	if (m < 1 || m > 12)
		return s75_error_set(S75_EINVALID, "'%s' is not a date (no month %d)", s, m);
	if (s75_date_from_ymd(out, y, m, d))
		return s75_error_set(S75_EINVALID, "'%s' is not a date (no such day)", s);
	return 0;
}

char *s75_date_format(char *buf, s75_date d)
{
	int y, m, day;
	s75_date_to_ymd(d, &y, &m, &day);
	/* as "%04u-%02u-%02u" of y % 10000, m, day, without printf: reports write tens of
	 * thousands of dates */
	unsigned uy = (unsigned)y % 10000u, um = (unsigned)m % 100u, ud = (unsigned)day % 100u;
	buf[0] = (char)('0' + uy / 1000);
	buf[1] = (char)('0' + uy / 100 % 10);
	buf[2] = (char)('0' + uy / 10 % 10);
	buf[3] = (char)('0' + uy % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + um / 10);
	buf[6] = (char)('0' + um % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + ud / 10);
	buf[9] = (char)('0' + ud % 10);
	buf[10] = '\0';
	return buf;
}

s75_date s75_date_add_months(s75_date d, int n)
{
	int y, m, day;
	s75_date_to_ymd(d, &y, &m, &day);
	int idx = y * 12 + (m - 1) + n;
	y = idx / 12;
	m = idx % 12 + 1;
	int dim = s75_days_in_month(y, m);
	return days_from_civil(y, m, day > dim ? dim : day);
}

s75_date s75_date_month_end(s75_date d)
{
	int y, m, day;
	s75_date_to_ymd(d, &y, &m, &day);
	return days_from_civil(y, m, s75_days_in_month(y, m));
}

int s75_fy_of_date(s75_date d)
{
	int y, m, day;
	s75_date_to_ymd(d, &y, &m, &day);
	return m >= 4 ? y : y - 1;
}

s75_date s75_fy_start(int fy)
{
	return days_from_civil(fy, 4, 1);
}

s75_date s75_fy_end(int fy)
{
	return days_from_civil(fy + 1, 3, 31);
}

int s75_fy_parse(int *out, const char *s)
{
	int a, b;
	size_t n = strlen(s);
	if (n >= 7 && (s[4] == '/' || s[4] == '-') && !digits(s, 4, &a)) {
		if (n == 7 && !digits(s + 5, 2, &b) && b == (a + 1) % 100)
			goto ok;
		if (n == 9 && !digits(s + 5, 4, &b) && b == a + 1)
			goto ok;
	}
	return s75_error_set(S75_EINVALID, "'%s' is not a financial year (expected e.g. 2017/18)",
			     s);
ok:
	if (a < 1900 || a > 9998)
		return s75_error_set(S75_EINVALID, "'%s' is out of range", s);
	*out = a;
	return 0;
}

char *s75_fy_format(char *buf, int fy)
{
	unsigned y = (unsigned)fy % 10000u, n = (unsigned)(fy + 1) % 100u;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '/';
	buf[5] = (char)('0' + n / 10);
	buf[6] = (char)('0' + n % 10);
	buf[7] = '\0';
	return buf;
}

int s75_period_parse(s75_period *out, const char *s)
{
	int y, m, fy, p;
	size_t n = strlen(s);
	if (n == 7 && s[4] == '-' && !digits(s, 4, &y) && !digits(s + 5, 2, &m)) {
		if (m < 1 || m > 12 || y < 1900 || y > 9998 || (y == 1900 && m < 4))
			goto bad; /* the first year s75 knows is 1900/01 */
		out->fy = m >= 4 ? y : y - 1;
		out->p = m >= 4 ? m - 3 : m + 9;
		return 0;
	}
	/* `2017/18 P6`, `2017/18-P6`, `2017/18P6`, `2017/18 P06` */
	size_t at = n >= 9 && (s[7] == 'P' || s[7] == 'p') ? 7 : 8;
	if (n >= at + 2 && (at == 7 || s[7] == ' ' || s[7] == '-') && (s[at] == 'P' || s[at] == 'p')) {
		char fys[8];
		memcpy(fys, s, 7);
		fys[7] = '\0';
		const char *q = s + at + 1;
		size_t qn = strlen(q);
		if (s75_fy_parse(&fy, fys) || qn < 1 || qn > 2 || digits(q, (int)qn, &p) || p < 1 ||
		    p > 12)
			goto bad;
		out->fy = fy;
		out->p = p;
		return 0;
	}
bad:
	return s75_error_set(S75_EINVALID,
			     "'%s' is not a period (expected e.g. 2017/18 P6 or 2017-09)", s);
}

char *s75_period_format(char *buf, s75_period p)
{
	char fy[8];
	snprintf(buf, 12, "%s P%u", s75_fy_format(fy, p.fy), (unsigned)p.p % 13u);
	return buf;
}

s75_period s75_period_of_date(s75_date d)
{
	int y, m, day;
	s75_date_to_ymd(d, &y, &m, &day);
	s75_period p = {m >= 4 ? y : y - 1, m >= 4 ? m - 3 : m + 9};
	return p;
}

s75_date s75_period_start(s75_period p)
{
	int m = p.p + 3, y = p.fy;
	if (m > 12) {
		m -= 12;
		y++;
	}
	return days_from_civil(y, m, 1);
}

s75_date s75_period_end(s75_period p)
{
	return s75_date_month_end(s75_period_start(p));
}

s75_period s75_period_add(s75_period p, int n)
{
	int idx = p.fy * 12 + (p.p - 1) + n;
	s75_period r = {idx / 12, idx % 12 + 1};
	return r;
}

int s75_period_cmp(s75_period a, s75_period b)
{
	if (a.fy != b.fy)
		return a.fy < b.fy ? -1 : 1;
	return a.p < b.p ? -1 : a.p > b.p;
}

static const char *const month_names[] = {"jan", "feb", "mar", "apr", "may", "jun",
					  "jul", "aug", "sep", "oct", "nov", "dec"};

/* Walks `fmt` against `s`; with s == NULL only checks the pattern. */
static int parse_fmt(const char *s, size_t len, const char *fmt, int *y, int *m, int *d)
{
	size_t i = 0;
	const char *f = fmt;
	int have_y = 0, have_m = 0, have_d = 0;
	while (*f) {
		int n, v = 0, k;
		if (!strncmp(f, "yyyy", 4) || !strncmp(f, "yy", 2)) {
			n = strncmp(f, "yyyy", 4) ? 2 : 4; /* "yyy" is yy then a stray y: an error */
			f += n;
			if (s) {
				if (i + (size_t)n > len || digits(s + i, n, &v))
					return -1;
				i += (size_t)n;
				*y = n == 2 ? 2000 + v : v;
			}
			have_y = 1;
			continue;
		}
		if (!strncmp(f, "mon", 3)) {
			f += 3;
			if (s) {
				for (k = 0; k < 12; k++)
					if (i + 3 <= len && !strncasecmp(s + i, month_names[k], 3))
						break;
				if (k == 12)
					return -1;
				i += 3;
				while (i < len && isalpha((unsigned char)s[i]))
					i++; /* full month name */
				*m = k + 1;
			}
			have_m = 1;
			continue;
		}
		if (*f == 'm' || *f == 'd') {
			char c = *f;
			int two = f[1] == c;
			f += two ? 2 : 1;
			if (s) {
				if (two) {
					if (i + 2 > len || digits(s + i, 2, &v))
						return -1;
					i += 2;
				} else {
					if (i >= len || !isdigit((unsigned char)s[i]))
						return -1;
					v = s[i++] - '0';
					if (i < len && isdigit((unsigned char)s[i]))
						v = v * 10 + (s[i++] - '0');
				}
				if (c == 'm')
					*m = v;
				else
					*d = v;
			}
			if (c == 'm')
				have_m = 1;
			else
				have_d = 1;
			continue;
		}
		if (isalpha((unsigned char)*f))
			return -1; /* unknown pattern letter */
		if (s && (i >= len || s[i] != *f))
			return -1;
		i++;
		f++;
	}
	if (!have_y || !have_m || !have_d)
		return -1;
	if (s && i < len && s[i] != ' ' && s[i] != 'T')
		return -1;
	return 0;
}

bool s75_date_fmt_valid(const char *fmt)
{
	return parse_fmt(NULL, 0, fmt, NULL, NULL, NULL) == 0;
}

int s75_date_parse_fmt(s75_date *out, const char *s, size_t len, const char *fmt)
{
	int y = 0, m = 0, d = 0;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	if (parse_fmt(s, len, fmt, &y, &m, &d))
		return s75_error_set(S75_EINVALID, "'%.*s' is not a date in the form %s",
				     (int)(len > 40 ? 40 : len), s, fmt);
	if (s75_date_from_ymd(out, y, m, d))
		return s75_error_set(S75_EINVALID, "'%.*s' is not a date (no such day)",
				     (int)(len > 40 ? 40 : len), s);
	return 0;
}

/*
 * Walks a period pattern against `s` (NULL: only checks the pattern). Tokens are
 * lowercase: yyyy, yy, pp, p, mm, m, mon; any other character is literal, matched
 * case-insensitively, and a space matches any number of spaces.
 */
static int parse_period_fmt(const char *s, size_t len, const char *fmt, int *y, int *m,
			    int *p)
{
	size_t i = 0;
	const char *f = fmt;
	int have_mp = 0;
	while (*f) {
		int n, v = 0, k;
		if (!strncmp(f, "yyyy", 4) || !strncmp(f, "yy", 2)) {
			n = strncmp(f, "yyyy", 4) ? 2 : 4;
			f += n;
			if (s) {
				if (i + (size_t)n > len || digits(s + i, n, &v))
					return -1;
				i += (size_t)n;
				*y = n == 2 ? 2000 + v : v;
			}
			continue;
		}
		if (!strncmp(f, "mon", 3)) {
			f += 3;
			if (s) {
				for (k = 0; k < 12; k++)
					if (i + 3 <= len && !strncasecmp(s + i, month_names[k], 3))
						break;
				if (k == 12)
					return -1;
				i += 3;
				while (i < len && isalpha((unsigned char)s[i]))
					i++;
				*m = k + 1;
			}
			have_mp++;
			continue;
		}
		if (*f == 'm' || *f == 'p') {
			char c = *f;
			int two = f[1] == c;
			f += two ? 2 : 1;
			if (s) {
				if (two) {
					if (i + 2 > len || digits(s + i, 2, &v))
						return -1;
					i += 2;
				} else {
					if (i >= len || !isdigit((unsigned char)s[i]))
						return -1;
					v = s[i++] - '0';
					if (i < len && isdigit((unsigned char)s[i]))
						v = v * 10 + (s[i++] - '0');
				}
				if (v < 1 || v > 12)
					return -1;
				*(c == 'm' ? m : p) = v;
			}
			have_mp++;
			continue;
		}
		if (*f == ' ') {
			while (s && i < len && s[i] == ' ')
				i++;
			f++;
			continue;
		}
		if (s && (i >= len || tolower((unsigned char)s[i]) != tolower((unsigned char)*f)))
			return -1;
		i++;
		f++;
	}
	if (have_mp != 1)
		return -1;
	return s && i != len ? -1 : 0;
}

bool s75_period_fmt_valid(const char *fmt)
{
	return parse_period_fmt(NULL, 0, fmt, NULL, NULL, NULL) == 0;
}

int s75_period_parse_fmt(s75_period *out, const char *s, size_t len, const char *fmt,
			 s75_period_year year, int default_fy)
{
	int y = -1, m = 0, p = 0;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	if (parse_period_fmt(s, len, fmt, &y, &m, &p))
		return s75_error_set(S75_EINVALID, "'%.*s' is not a period in the form %s",
				     (int)(len > 40 ? 40 : len), s, fmt);
	if (y < 0 && default_fy < 0)
		return s75_error_set(S75_EINVALID,
				     "'%.*s' names no year (give the profile a 'year' or import with --year)",
				     (int)(len > 40 ? 40 : len), s);
	if (m && y < 0) {
		/* a month without a year: in the financial year given */
		out->fy = default_fy;
		out->p = m >= 4 ? m - 3 : m + 9;
	} else if (m || (p && year == S75_PERIOD_YEAR_CALENDAR)) {
		int cm = m ? m : p;
		out->fy = cm >= 4 ? y : y - 1;
		out->p = cm >= 4 ? cm - 3 : cm + 9;
	} else {
		out->fy = y < 0 ? default_fy : year == S75_PERIOD_YEAR_FINANCIAL_END ? y - 1 : y;
		out->p = p;
	}
	if (out->fy < 1900 || out->fy > 9998)
		return s75_error_set(S75_EINVALID, "'%.*s' is out of range", (int)(len > 40 ? 40 : len), s);
	return 0;
}

/* Reporting periods (KPI values, statutory returns): a month, a quarter, a year, a day. */

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

static int num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

s75_rperiod s75_rperiod_quarter(int fy, int q)
{
	s75_rperiod r;
	char fys[8];
	r.kind = S75_RP_QUARTER;
	r.start = s75_period_start((s75_period){fy, 3 * q - 2});
	r.end = s75_period_end((s75_period){fy, 3 * q});
	snprintf(r.label, sizeof(r.label), "%s Q%d", s75_fy_format(fys, fy), q % 10);
	return r;
}

s75_rperiod s75_rperiod_year(int fy)
{
	s75_rperiod r;
	r.kind = S75_RP_YEAR;
	r.start = s75_fy_start(fy);
	r.end = s75_fy_end(fy);
	s75_fy_format(r.label, fy);
	return r;
}

int s75_rperiod_parse(s75_rperiod *out, const char *s)
{
	size_t n = strlen(s);
	int fy;
	s75_period p;
	memset(out, 0, sizeof(*out));
	if (n == 4 && all_digits(s, 4)) {
		int y = num(s, 4);
		if (y < 1900 || y > 9998)
			goto bad;
		out->kind = S75_RP_CALENDAR;
		s75_date_from_ymd(&out->start, y, 1, 1);
		s75_date_from_ymd(&out->end, y, 12, 31);
		snprintf(out->label, sizeof(out->label), "%04d", y);
		return 0;
	}
	if (n == 10 && s[4] == '-' && s[7] == '-') {
		if (s75_date_parse(&out->start, s))
			goto bad;
		out->kind = S75_RP_DAY;
		out->end = out->start;
		s75_date_format(out->label, out->start);
		return 0;
	}
	if (n == 7 && s[4] == '-') {
		if (s75_period_parse(&p, s))
			goto bad;
		goto month;
	}
	if ((n == 7 || n == 9) && !s75_fy_parse(&fy, s)) {
		*out = s75_rperiod_year(fy);
		return 0;
	}
	/* `2017/18 Q2`, `2017/18-Q2`, `2017/18Q2` and the month forms */
	if (n >= 9 && n <= 11) {
		char fys[8];
		size_t at = (s[7] == ' ' || s[7] == '-') ? 8 : 7;
		memcpy(fys, s, 7);
		fys[7] = '\0';
		if (at < n && (s[at] == 'Q' || s[at] == 'q') && n == at + 2 &&
		    !s75_fy_parse(&fy, fys) && s[at + 1] >= '1' && s[at + 1] <= '4') {
			*out = s75_rperiod_quarter(fy, s[at + 1] - '0');
			return 0;
		}
		if (!s75_period_parse(&p, s))
			goto month;
	}
bad:
	return s75_error_set(S75_EINVALID,
	                     "'%s' is not a reporting period (expected e.g. 2017/18 P6, 2017-09, "
	                     "2017/18 Q2, 2017/18, 2014 or 2017-09-30)",
	                     s);
month:
	out->kind = S75_RP_MONTH;
	out->start = s75_period_start(p);
	out->end = s75_period_end(p);
	s75_period_format(out->label, p);
	return 0;
}
