/* Private to the Better Care Fund module: the framework and the plan as loaded
 * (bcf_load.c), read by the reports (bcf.c). Everything lives in the s75_bcf's arena. */
#ifndef S75_BCF_INTERNAL_H
#define S75_BCF_INTERNAL_H

#include "arena.h"
#include "s75/bcf.h"
#include "s75/kpi.h"

typedef struct bcf_stream {
	const char *id, *name, *definition;
	s75_partner_kind from;
} bcf_stream;

typedef struct bcf_scheme_type {
	const char *id, *name;
	s75_strlist sub_types;
} bcf_scheme_type;

typedef enum bcf_rule {
	BCF_ASSURANCE,
	BCF_MINIMUM_CONTRIBUTION,
	BCF_MINIMUM_SPEND,
	BCF_PASS_THROUGH,
	BCF_BALANCE
} bcf_rule;

typedef struct bcf_condition {
	const char *id, *name, *definition;
	bcf_rule rule;
	int stream;      /**< -1 if none */
	int commissioner; /**< minimum-spend: a partner kind, -1 any */
	int *areas, *not_areas; /**< indices into areas_of_spend */
	size_t nareas, nnot_areas;
	int due_month, due_day; /**< pass-through: by this day of the year's first calendar year or the next */
} bcf_condition;

typedef struct bcf_metric {
	const char *id, *name, *definition;
	s75_kpi_unit unit;
	s75_kpi_better better;
} bcf_metric;

typedef struct bcf_framework {
	const char *id, *name, *path;
	int *years;
	size_t nyears;
	bcf_stream *streams;
	size_t nstreams;
	bcf_scheme_type *types;
	size_t ntypes;
	s75_strlist areas;
	bcf_condition *conditions;
	size_t nconditions;
	bcf_metric *metrics;
	size_t nmetrics;
} bcf_framework;

/** Where a stream's money comes from: contributions of elements (of one partner or all),
 * or an amount outside the contributions schedule. */
typedef struct bcf_income {
	int stream;
	int *elements; /**< element indices in the pool */
	size_t nelements;
	int partner; /**< -1: every partner */
	bool has_amount;
	int64_t amount;
	int *pass_cc; /**< pass-through: cost centres whose ledger transfers pay the recipients */
	size_t npass_cc;
	struct bcf_recipient *recipients;
	size_t nrecipients;
} bcf_income;

typedef struct bcf_recipient {
	const char *id, *name;
	int64_t amount;
} bcf_recipient;

typedef struct bcf_funding {
	int stream;
	int64_t amount;
} bcf_funding;

typedef struct bcf_scheme {
	const char *id, *name;
	int type;
	const char *sub_type;
	int commissioner; /**< partner index */
	const char *provider;
	int area;
	int *cost_centres;
	size_t ncost_centres;
	bcf_funding *funding;
	size_t nfunding;
} bcf_scheme;

typedef struct bcf_plan_metric {
	int metric;
	int kpi; /**< the agreement's KPI whose values are the actuals, -1 if none */
	bool has_ambition[4];
	int64_t ambition[4]; /**< per quarter, fixed point (S75_KPI_SCALE) */
} bcf_plan_metric;

typedef struct bcf_year {
	int fy;
	s75_unit unit;
	bool *has_minimum;  /**< per condition */
	int64_t *minimum;   /**< per condition, pence */
	const char **evidence; /**< per condition: a decision id, or NULL */
	bcf_income *income;
	size_t nincome;
	bcf_scheme *schemes;
	size_t nschemes;
	bcf_plan_metric *metrics;
	size_t nmetrics;
} bcf_year;

struct s75_bcf {
	s75_arena *arena;
	int pool;
	bcf_framework fw;
	const char *plan_path;
	bcf_year *years;
	size_t nyears;
};

/** The plan of year `fy`, or NULL. */
const bcf_year *bcf_find_year(const s75_bcf *b, int fy);

#endif
