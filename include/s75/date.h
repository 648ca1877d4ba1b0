/* s75 — calendar dates and the UK public-sector financial year.
 *
 * A date is a day count (days since 1970-01-01). The financial year `2017/18` runs
 * 1 April 2017 to 31 March 2018 and is held as its starting year (2017). Its months
 * are periods P1 (April) to P12 (March).
 */
#ifndef S75_DATE_H
#define S75_DATE_H

#include <stdbool.h>
#include "common.h"

typedef int32_t s75_date;

/** A financial-year period: `fy` is the starting year, `p` 1..12 (1 = April). */
typedef struct s75_period {
	int fy;
	int p;
} s75_period;

S75_EXTERN(bool) s75_is_leap(int y);
S75_EXTERN(int) s75_days_in_month(int y, int m);

/** Builds a date; S75_EINVALID if the day does not exist (31 April, 29 Feb 2023). */
S75_EXTERN(int) s75_date_from_ymd(s75_date *out, int y, int m, int d);
S75_EXTERN(void) s75_date_to_ymd(s75_date d, int *y, int *m, int *day);

/** Parses an ISO date `YYYY-MM-DD`. */
S75_EXTERN(int) s75_date_parse(s75_date *out, const char *s);

/**
 * Parses a date written in `fmt`, a pattern of `yyyy`, `yy`, `mm`, `m` (1 or 2 digits),
 * `dd`, `d`, `mon` (Jan, JAN, January) and literal separators: `dd/mm/yyyy`,
 * `yyyy-mm-dd`, `d/m/yyyy`, `dd-mon-yyyy`, `yyyymmdd`. Two-digit years are 20yy.
 * A time after the date (` 00:00:00`, `T00:00`) is ignored.
 */
S75_EXTERN(int) s75_date_parse_fmt(s75_date *out, const char *s, size_t len, const char *fmt);
/** True if `fmt` is a pattern s75_date_parse_fmt() understands. */
S75_EXTERN(bool) s75_date_fmt_valid(const char *fmt);

/** Writes `YYYY-MM-DD` into `buf` (at least 11 bytes); returns `buf`. */
S75_EXTERN(char *) s75_date_format(char *buf, s75_date d);

/**
 * Adds `n` calendar months (n may be negative). Where the target month is shorter, the
 * result is its last day: 31 Jan + 1 month = 28 Feb (29 Feb in a leap year); otherwise
 * the corresponding day: 31 Aug 2023 + 12 months = 31 Aug 2024.
 */
S75_EXTERN(s75_date) s75_date_add_months(s75_date d, int n);

/** The last day of the month `d` falls in. */
S75_EXTERN(s75_date) s75_date_month_end(s75_date d);

/** The financial year (its starting year) a date falls in. */
S75_EXTERN(int) s75_fy_of_date(s75_date d);
/** 1 April of `fy`. */
S75_EXTERN(s75_date) s75_fy_start(int fy);
/** 31 March of `fy`+1. */
S75_EXTERN(s75_date) s75_fy_end(int fy);
/** Parses `2017/18` (also `2017/2018`, `2017-18`); the second year must follow the first. */
S75_EXTERN(int) s75_fy_parse(int *out, const char *s);
/** Writes `2017/18` into `buf` (at least 8 bytes); returns `buf`. */
S75_EXTERN(char *) s75_fy_format(char *buf, int fy);

/** Parses `2017/18 P6`, `2017/18-P6` or a calendar month `2017-09` (the same period). */
S75_EXTERN(int) s75_period_parse(s75_period *out, const char *s);
/** How the year of a period code counts (`period_year` in an import profile). */
typedef enum s75_period_year {
	S75_PERIOD_YEAR_FINANCIAL,     /**< 202205 = 2022/23 P5 */
	S75_PERIOD_YEAR_FINANCIAL_END, /**< 202305 = 2022/23 P5 (the year the financial year ends) */
	S75_PERIOD_YEAR_CALENDAR       /**< 202205 = May 2022 = 2022/23 P2 */
} s75_period_year;

/**
 * Parses a period code written in `fmt`: a pattern of `yyyy`, `yy`, `pp`/`p` (a period,
 * 1 = April), `mm`/`m`/`mon` (a calendar month) and literal text, matched
 * case-insensitively: `yyyypp` (202205), `Month p`, `Pp` (P05), `mon-yy` (May-22).
 * `year` says how a year with a period counts; a month is always in its calendar year.
 * A code with no year is in `default_fy` (-1: none, an error).
 */
S75_EXTERN(int) s75_period_parse_fmt(s75_period *out, const char *s, size_t len, const char *fmt,
				     s75_period_year year, int default_fy);
/** True if `fmt` is a pattern s75_period_parse_fmt() understands (one period or month). */
S75_EXTERN(bool) s75_period_fmt_valid(const char *fmt);
/** Writes `2017/18 P6` into `buf` (at least 12 bytes); returns `buf`. */
S75_EXTERN(char *) s75_period_format(char *buf, s75_period p);
S75_EXTERN(s75_period) s75_period_of_date(s75_date d);
S75_EXTERN(s75_date) s75_period_start(s75_period p);
S75_EXTERN(s75_date) s75_period_end(s75_period p);
/** The period `n` months later (or earlier for negative n), across years. */
S75_EXTERN(s75_period) s75_period_add(s75_period p, int n);
/** A total order on periods: negative, zero or positive. */
S75_EXTERN(int) s75_period_cmp(s75_period a, s75_period b);

/** A reporting period: a month, a quarter, a financial year, a calendar year or a day. */
typedef enum s75_rperiod_kind {
	S75_RP_MONTH,    /**< `2017/18 P6` or `2017-09` */
	S75_RP_QUARTER,  /**< `2017/18 Q2` (Q1 = April to June) */
	S75_RP_YEAR,     /**< a financial year `2017/18` */
	S75_RP_CALENDAR, /**< a calendar year `2014` (surveys) */
	S75_RP_DAY       /**< a snapshot on a day `2017-09-30` */
} s75_rperiod_kind;

typedef struct s75_rperiod {
	s75_rperiod_kind kind;
	s75_date start, end; /**< first and last day */
	char label[16];      /**< canonical text: `2017/18 P6`, `2017/18 Q2`, `2017/18`, `2014`,
	                        `2017-09-30` */
} s75_rperiod;

/** Parses any of the forms of s75_rperiod_kind; S75_EINVALID with a message otherwise. */
S75_EXTERN(int) s75_rperiod_parse(s75_rperiod *out, const char *s);
/** The quarter (1..4) of financial year `fy`. */
S75_EXTERN(s75_rperiod) s75_rperiod_quarter(int fy, int q);
/** The financial year `fy`. */
S75_EXTERN(s75_rperiod) s75_rperiod_year(int fy);

#endif
