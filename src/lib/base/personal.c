/* Ids shaped like personal data: NHS numbers (modulus 11), dates, postcodes, National
 * Insurance numbers and UK phone numbers, whole or as a part between separators. */
#include <ctype.h>
#include <string.h>

#include "s75/date.h"
#include "s75/personal.h"

bool s75_nhs_number_valid(const char d[10])
{
	int sum = 0, check;
	for (int i = 0; i < 9; i++)
		sum += (d[i] - '0') * (10 - i);
	check = 11 - sum % 11;
	if (check == 11)
		check = 0;
	return check != 10 && check == d[9] - '0';
}

static bool is_sep(char c)
{
	return c == ' ' || c == '-' || c == '.' || c == '/' || c == '_' || c == ':';
}

/* Ten digits with any or no single separators between them, anywhere in `s`. */
static bool has_nhs_number(const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++) {
		char d[10];
		int k = 0;
		size_t j = i;
		if (!isdigit((unsigned char)s[i]) || (i > 0 && isdigit((unsigned char)s[i - 1])))
			continue;
		while (j < n && k < 11) {
			if (isdigit((unsigned char)s[j])) {
				if (k < 10)
					d[k] = s[j];
				k++;
				j++;
			} else if (is_sep(s[j]) && j + 1 < n && isdigit((unsigned char)s[j + 1]) && k > 0) {
				j++;
			} else {
				break;
			}
		}
		if (k == 10 && s75_nhs_number_valid(d))
			return true;
	}
	return false;
}

/* A calendar date from 1900 to 2099. */
static bool real_date(int y, int m, int d)
{
	s75_date x;
	return y >= 1900 && y <= 2099 && !s75_date_from_ymd(&x, y, m, d);
}

/* Reads `n` digits at s; -1 if they are not all digits. */
static int num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + s[i] - '0';
	}
	return v;
}

/* A part shaped like a date: YYYY-MM-DD, DD/MM/YYYY (any of - / . as separator), or eight
 * digits that are a real date as YYYYMMDD or DDMMYYYY. */
static bool part_is_date(const char *s, size_t n)
{
	if (n == 8 && num(s, 8) >= 0)
		return real_date(num(s, 4), num(s + 4, 2), num(s + 6, 2)) ||
		       real_date(num(s + 4, 4), num(s + 2, 2), num(s, 2));
	if (n == 10 && strchr("-/.", s[4]) && s[4] == s[7])
		return real_date(num(s, 4), num(s + 5, 2), num(s + 8, 2));
	if (n >= 8 && n <= 10) {
		/* D/M/YYYY with one- or two-digit day and month */
		const char *a = s, *b = memchr(s, s[1] == '/' || s[1] == '-' || s[1] == '.' ? s[1] : s[2], n);
		if (!b || !strchr("-/.", *b))
			return false;
		const char *c = memchr(b + 1, *b, n - (size_t)(b + 1 - s));
		if (!c || s + n - (c + 1) != 4)
			return false;
		int dl = (int)(b - a), ml = (int)(c - b - 1);
		if (dl < 1 || dl > 2 || ml < 1 || ml > 2)
			return false;
		return real_date(num(c + 1, 4), num(b + 1, ml), num(a, dl));
	}
	return false;
}

/* A UK postcode: A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA, AA9A 9AA (a space, '_' or
 * '-' or nothing between the halves). */
static bool is_postcode(const char *s, size_t n)
{
	char c[8];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '_' || s[i] == '-')
			continue;
		if (k == 7 || !isalnum((unsigned char)s[i]))
			return false;
		c[k++] = (char)toupper((unsigned char)s[i]);
	}
	if (k < 5)
		return false;
	/* the inward code: a digit and two letters */
	if (!isdigit((unsigned char)c[k - 3]) || !isalpha((unsigned char)c[k - 2]) ||
	    !isalpha((unsigned char)c[k - 1]))
		return false;
	size_t o = k - 3; /* the outward code: 2 to 4 characters */
	if (!isalpha((unsigned char)c[0]))
		return false;
	size_t i = isalpha((unsigned char)c[1]) ? 2 : 1;
	if (i >= o || !isdigit((unsigned char)c[i]))
		return false;
	i++;
	if (i < o && isalnum((unsigned char)c[i]))
		i++;
	return i == o;
}

/* A National Insurance number: two letters, six digits, A-D (spaces optional). */
static bool is_ni_number(const char *s, size_t n)
{
	char c[9];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ')
			continue;
		if (k == 9)
			return false;
		c[k++] = (char)toupper((unsigned char)s[i]);
	}
	if (k != 9 || !strchr("ABCEGHJKLMNOPRSTWXYZ", c[0]) || !c[0] ||
	    !strchr("ABCEGHJKLMNPRSTWXYZ", c[1]) || !c[1] || num(c + 2, 6) < 0 ||
	    !strchr("ABCD", c[8]) || !c[8])
		return false;
	return true;
}

/* A UK phone number: 0 or +44 or 0044, then 9 or 10 digits, with spaces, dashes, dots or
 * brackets between. */
static bool is_phone(const char *s, size_t n)
{
	char d[20];
	size_t k = 0, i = 0;
	if (n && s[0] == '+')
		i = 1;
	for (; i < n; i++) {
		if (isdigit((unsigned char)s[i])) {
			if (k == sizeof(d) - 1)
				return false;
			d[k++] = s[i];
		} else if (!strchr(" -.()", s[i])) {
			return false;
		}
	}
	d[k] = '\0';
	if (s[0] == '+' && !strncmp(d, "44", 2))
		return k - 2 >= 9 && k - 2 <= 10 && d[2] != '0';
	if (!strncmp(d, "0044", 4))
		return k - 4 >= 9 && k - 4 <= 10;
	return d[0] == '0' && d[1] != '0' && (k == 10 || k == 11);
}

const char *s75_personal_data_kind(const char *id)
{
	size_t n = strlen(id);
	if (has_nhs_number(id))
		return "an NHS number";
	/* whole, then each part between the separators ids use */
	if (part_is_date(id, n))
		return "a date of birth";
	if (is_postcode(id, n))
		return "a postcode";
	if (is_ni_number(id, n))
		return "a National Insurance number";
	if (is_phone(id, n))
		return "a phone number";
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && id[j] != '_' && id[j] != ':' && id[j] != '|')
			j++;
		if (j - i < n) {
			if (part_is_date(id + i, j - i))
				return "a date of birth";
			if (is_postcode(id + i, j - i))
				return "a postcode";
			if (is_ni_number(id + i, j - i))
				return "a National Insurance number";
			if (is_phone(id + i, j - i))
				return "a phone number";
		}
		i = j + 1;
	}
	return NULL;
}
