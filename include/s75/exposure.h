/* s75 — risk exposure: what each partner could carry of a pool's year-end variance, as a
 * distribution. A Monte Carlo of the variance by element, each draw put through the
 * agreement's own risk share (s75_riskshare_apply(), the function settle uses) and through
 * alternative fixed ratios. docs/exposure.md gives the method, its formulas and a small
 * example worked by hand.
 *
 *     s75_exposure_options o = S75_EXPOSURE_OPTIONS_INIT;
 *     o.pool = 0; o.draws = 100000; o.seed = 1;
 *     s75_exposure *x;
 *     if (!s75_exposure_run(&x, db, ag, fy, &o)) {
 *             (the report: s75_report_exposure() in s75/report.h)
 *             ...
 *             s75_exposure_free(x);
 *     }
 */
#ifndef S75_EXPOSURE_H
#define S75_EXPOSURE_H

#include "ledger.h"

/** A stated range of one element's year-end variance (pence, positive = overspend). */
typedef struct s75_expo_range {
	int element;            /**< index in the pool */
	int64_t p10, p50, p90;  /**< p10 <= p50 <= p90 */
} s75_expo_range;

/** Where the uncertainty came from. */
typedef enum s75_expo_source {
	S75_EXPO_HISTORY, /**< past forecasts against outturn at the same months remaining */
	S75_EXPO_RANGES,  /**< P10/P50/P90 per element, stated in a file */
	S75_EXPO_AGREEMENT /**< P10/P50/P90 per element, stated in the agreement (`ranges:` in the
	                        pool's risk share), used where the workspace has no history */
} s75_expo_source;

/** The most draws a run takes: each draw's share of each partner and option is kept in memory
 * (8 bytes each) for the quantiles. */
#define S75_EXPOSURE_MAX_DRAWS 100000000u

typedef struct s75_exposure_options {
	int pool;                   /**< the pooled fund (arrangement index) */
	uint64_t draws;             /**< number of draws, 1..S75_EXPOSURE_MAX_DRAWS */
	uint64_t seed;
	int threads;                /**< 1 or more; the result does not depend on it */
	const int64_t *const *ratio_bp; /**< alternative options: per partner basis points */
	const char *const *ratio_name;  /**< their names, e.g. "70:30" */
	size_t nratios;
	const s75_expo_range *ranges; /**< NULL: from the workspace's history */
	size_t nranges;
	const char *ranges_name;    /**< the file the ranges came from, for the report */
	int64_t common_bp;          /**< weight of the common factor, 0..10000 basis points */
	bool has_period;
	s75_period period;          /**< history: the forecast position (default: the latest) */
	int bins;                   /**< histogram bins (default 20) */
} s75_exposure_options;

#define S75_EXPOSURE_OPTIONS_INIT \
	{0, 100000, 1, 1, NULL, NULL, 0, NULL, 0, NULL, 5000, false, {0, 0}, 20}

/** One element's distribution. */
typedef struct s75_expo_element {
	int64_t centre;           /**< median of the variance (P50) */
	int64_t sd_low, sd_high;  /**< spread below and above the median (one standard deviation) */
	int64_t p10, p90;         /**< the implied P10 and P90 */
	int history_years;        /**< HISTORY: past years that gave an error */
} s75_expo_element;

/** Summary of one quantity (a partner's share, or the pool's variance) over the draws. */
typedef struct s75_expo_stats {
	int64_t mean, p50, p90, p95, p99, min, max;
} s75_expo_stats;

/** One option (the agreement as it stands, or fixed ratios). */
typedef struct s75_expo_option {
	char *name;
	s75_expo_stats *share;  /**< per partner */
	uint64_t *cap_binds;    /**< per partner: draws in which its cap held it below its uncapped share */
	bool *has_cap;          /**< per partner */
	int64_t *shares;        /**< draws x npartners, each draw's share (sorted per partner after the run) */
} s75_expo_option;

typedef struct s75_exposure {
	int fy, pool;
	uint64_t draws, seed;
	int64_t common_bp;
	s75_expo_source source;
	char *source_name;        /**< ranges file; AGREEMENT: why the history could not be used */
	s75_period period;        /**< HISTORY: the forecast position */
	size_t nelements, npartners;
	s75_expo_element *elements;
	bool *in_pool;            /**< per partner */
	s75_expo_stats variance;  /**< the pool's variance */
	uint64_t overspends;      /**< draws with an overspend */
	s75_expo_option *options; /**< [0] the agreement as it stands */
	size_t noptions;
	int bins;
} s75_exposure;

/**
 * Runs the Monte Carlo. Each draw's element variances are whole pence; each option's
 * shares of a draw sum, less any underspend kept in the pool, to that draw's variance to
 * the penny. The same seed gives the same result on any number of threads.
 * @param[out] out  free with s75_exposure_free()
 * @return 0, S75_EINVALID (no history and no ranges; a rule that cannot share a draw),
 *         S75_ENOTFOUND, S75_EOVERFLOW
 */
S75_EXTERN(int) s75_exposure_run(s75_exposure **out, s75_db *db, const s75_agreement *ag,
				 int fy, const s75_exposure_options *o);
S75_EXTERN(void) s75_exposure_free(s75_exposure *x);

/**
 * Reads ranges from a CSV with the header `element,p10,p50,p90` (amounts in £, positive =
 * overspend) for the elements of `pool`. Errors name the file, line and column.
 * @param[out] out  free() it
 */
S75_EXTERN(int) s75_exposure_read_ranges(s75_expo_range **out, size_t *n, const s75_agreement *ag,
					 int pool, const char *path);

/* The building blocks, public for tests and the benchmark. */
/** A uniform 64-bit value for (seed, draw, stream): a counter-based generator. */
S75_EXTERN(uint64_t) s75_rng_u64(uint64_t seed, uint64_t draw, uint64_t stream);
/** The standard normal quantile at p in (0, 1) (Wichura's AS241, about 1e-16). */
S75_EXTERN(double) s75_normal_quantile(double p);
/** The nearest-rank quantile of `n` sorted values: v[ceil(q_bp * n / 10000) - 1]. */
S75_EXTERN(int64_t) s75_quantile_sorted(const int64_t *v, size_t n, int64_t q_bp);

#endif
