/* Working days in England and Wales. The bank holidays are data/bank-holidays-england-wales.csv,
 * compiled in by src/lib/CMakeLists.txt as one string (bank_holidays.h), read once. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* generated in the build folder from data/ (src/lib/CMakeLists.txt), hence <> */
#include <bank_holidays.h>
#include "s75/error.h"
#include "s75/workdays.h"
#include "xalloc.h"

typedef struct holiday {
	s75_date date;
	char *name;
} holiday;

static holiday *g_hol;
static size_t g_nhol;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static int cmp_holiday(const void *a, const void *b)
{
	const holiday *x = a, *y = b;
	return (x->date > y->date) - (x->date < y->date);
}

/* Reads the compiled-in CSV: a header, then `YYYY-MM-DD,name` lines (checked by test_workdays). */
static void load(void)
{
	const char *s = bank_holidays_csv;
	size_t alloc = 0;
	s = strchr(s, '\n'); /* the header */
	while (s && *++s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		char day[11];
		s75_date d;
		if (len > 11 && s[10] == ',') {
			memcpy(day, s, 10);
			day[10] = 0;
			if (!s75_date_parse(&d, day)) {
				ALLOC_GROW(g_hol, g_nhol + 1, alloc);
				g_hol[g_nhol].date = d;
				g_hol[g_nhol].name = xstrndup(s + 11, len - 11);
				g_nhol++;
			}
		}
		s = nl;
	}
	qsort(g_hol, g_nhol, sizeof(*g_hol), cmp_holiday);
}

bool s75_bank_holiday(s75_date d, const char **name)
{
	pthread_once(&g_once, load);
	holiday key = {d, NULL};
	const holiday *h = bsearch(&key, g_hol, g_nhol, sizeof(*g_hol), cmp_holiday);
	if (h && name)
		*name = h->name;
	return h != NULL;
}

void s75_bank_holiday_years(int *first, int *last)
{
	int m, d;
	pthread_once(&g_once, load);
	*first = *last = 0;
	if (g_nhol) {
		s75_date_to_ymd(g_hol[0].date, first, &m, &d);
		s75_date_to_ymd(g_hol[g_nhol - 1].date, last, &m, &d);
	}
}

bool s75_working_day(s75_date d)
{
	int wd = ((d + 3) % 7 + 7) % 7; /* 1970-01-01 was a Thursday; Monday is 0 */
	return wd < 5 && !s75_bank_holiday(d, NULL);
}

int s75_working_day_add(s75_date *out, s75_date d, int n)
{
	int first, last, y, m, day;
	s75_bank_holiday_years(&first, &last);
	while (n > 0) {
		d++;
		n -= s75_working_day(d);
	}
	s75_date_to_ymd(d, &y, &m, &day);
	if (y < first || y > last)
		return s75_error_set(S75_EINVALID, "working days are known only from %d to %d (the bank holidays in data/bank-holidays-england-wales.csv)",
				     first, last);
	*out = d;
	return 0;
}

int s75_working_days_between(s75_date from, s75_date to)
{
	int n = 0;
	for (s75_date d = from + 1; d <= to; d++)
		n += s75_working_day(d);
	return n;
}
