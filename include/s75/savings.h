/* s75 — savings delivery (docs/risk-share.md#savings-delivery): each saving of a year's
 * `savings` is planned month by month (its `phasing`); what was delivered in each period,
 * and the forecast for the rest of the year, are recorded or imported into the workspace;
 * the progress at a period (planned and delivered to date, the forecast for the year, the
 * shortfall, a RAG and whether the plan is at risk) feeds the monitoring and quarterly
 * reports and the risk share, which uses delivery to date plus the forecast for the rest. */
#ifndef S75_SAVINGS_H
#define S75_SAVINGS_H

#include <stdbool.h>
#include <stdint.h>
#include "agreement.h"
#include "common.h"
#include "date.h"
#include "db.h"
#include "kpi.h"

/** One period's delivery of a saving, as recorded. */
typedef struct s75_saving_delivery {
	int64_t id;
	int fy;
	char *saving;          /**< the saving's id */
	int period;            /**< 1 (April) to 12 (March) */
	int64_t delivered;     /**< pence delivered in the period (negative: a reversal) */
	bool has_forecast;
	int64_t forecast_rest; /**< pence forecast to be delivered in the periods after it */
	char *reference;       /**< may be NULL */
} s75_saving_delivery;

/** What `record saving` records. */
typedef struct s75_saving_delivery_input {
	const char *saving;    /**< the saving's id in the year of `period` */
	s75_period period;
	int64_t delivered;
	bool has_forecast;
	int64_t forecast_rest; /**< at least 0 */
	const char *reference; /**< may be NULL */
} s75_saving_delivery_input;

/** Records one period's delivery of a saving (audited). A second record for the same
 * saving and period is refused: an import or record never replaces one silently. */
S75_EXTERN(int) s75_saving_delivery_record(s75_db *db, const s75_agreement *ag,
					   const s75_saving_delivery_input *in, const char *now);

/**
 * Imports deliveries from a CSV with the header `saving,period,delivered` and optional
 * `forecast_rest` and `reference` columns (amounts in £), in one transaction: any bad row,
 * or a saving and period already recorded (in the workspace or earlier in the file), means
 * nothing is imported, and every bad row is reported as `FILE:LINE: reason`.
 */
S75_EXTERN(int) s75_saving_delivery_import(s75_db *db, const s75_agreement *ag, const char *path,
					   const char *now, s75_gov_import_result *res);

/** The deliveries recorded for year `fy`, by saving and period. Free with
 * s75_saving_deliveries_free(). */
S75_EXTERN(int) s75_saving_deliveries_list(s75_saving_delivery **out, size_t *n, s75_db *db,
					   int fy);
S75_EXTERN(void) s75_saving_deliveries_free(s75_saving_delivery *v, size_t n);

/** One saving's progress at a period. */
typedef struct s75_saving_progress {
	const s75_saving *saving;   /**< in the agreement */
	int64_t planned[12];        /**< the plan by period */
	int64_t delivered[12];      /**< recorded delivery by period (0 after the period) */
	bool recorded;              /**< some delivery is recorded at or before the period */
	int64_t planned_to_date, delivered_to_date;
	int64_t forecast_rest;      /**< the forecast for the periods after this one */
	int forecast_from;          /**< the period whose record stated it; 0: the plan; -1:
					 nothing recorded, the agreement's `delivery` */
	int64_t forecast_year;      /**< delivered to date + forecast_rest */
	int64_t shortfall;          /**< amount − forecast_year, at least 0 */
	s75_rag rag;                /**< green, amber or red */
	bool at_risk;               /**< amber or red */
} s75_saving_progress;

typedef struct s75_savings_progress {
	int fy, period;
	s75_saving_progress *items; /**< one per saving of the year, in the agreement's order */
	size_t n;
	char **warnings;            /**< savings with nothing recorded, and the like */
	size_t nwarnings;
} s75_savings_progress;

/**
 * Each saving of year `fy` at period `period` (1-12). The forecast for the rest of the year
 * is the one stated with the latest record at or before the period, less what was delivered
 * after it; where no record states one, the plan for the periods left. A saving with nothing
 * recorded keeps the agreement's `delivery` as its forecast for the year (with a warning).
 * RAG: green with no shortfall and delivery to date at least the plan to date (with nothing
 * recorded, the agreement's forecast alone is judged); amber with
 * a shortfall of at most the agreement's forecast tolerance of the saving, or behind the plan
 * to date with no shortfall; red beyond.
 * @param[out] out  free with s75_savings_progress_free()
 */
S75_EXTERN(int) s75_savings_progress_build(s75_savings_progress **out, s75_db *db,
					   const s75_agreement *ag, int fy, int period);
S75_EXTERN(void) s75_savings_progress_free(s75_savings_progress *p);

#endif
