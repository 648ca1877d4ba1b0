/* s75 — the agreement: partners, arrangements (pools and their elements), notice
 * terms, financial years with contributions, and cost centres.
 *
 * The model is plain read-only data owned by the s75_agreement; partners, arrangements,
 * elements and cost centres refer to each other by index into their arrays (-1 = none).
 * Load it with s75_agreement_load() and free it with s75_agreement_free().
 *
 *     s75_diags d = S75_DIAGS_INIT;
 *     s75_agreement *ag;
 *     if (s75_agreement_load(&ag, "agreement.yaml", &d) < 0) { ...print d...; }
 *     ...
 *     s75_agreement_free(ag);
 *     s75_diags_release(&d);
 */
#ifndef S75_AGREEMENT_H
#define S75_AGREEMENT_H

#include <stdbool.h>
#include "common.h"
#include "date.h"
#include "diag.h"
#include "money.h"

typedef enum s75_partner_kind {
	S75_PARTNER_LOCAL_AUTHORITY,
	S75_PARTNER_NHS_BODY,
	S75_PARTNER_OTHER
} s75_partner_kind;

typedef enum s75_legal_basis {
	S75_BASIS_S75,  /**< NHS Act 2006 s75 */
	S75_BASIS_S31,  /**< Health Act 1999 s31 (the predecessor) */
	S75_BASIS_S76,  /**< NHS Act 2006 s76: payments from a council to the NHS */
	S75_BASIS_S256, /**< NHS Act 2006 s256: payments from the NHS to a council */
	S75_BASIS_S65Z5 /**< NHS Act 2006 ss65Z5/65Z6: NHS-to-NHS joint working */
} s75_legal_basis;

typedef enum s75_arrangement_kind {
	S75_ARR_POOLED_FUND,
	S75_ARR_LEAD_COMMISSIONING,
	S75_ARR_INTEGRATED_PROVISION
} s75_arrangement_kind;

typedef enum s75_year_status { S75_YEAR_INDICATIVE, S75_YEAR_AGREED } s75_year_status;

typedef struct s75_partner {
	const char *id, *name;
	s75_partner_kind kind;
	s75_pos pos;
} s75_partner;

/** How an element's forecast outturn is made where no forecast was imported. */
typedef enum s75_forecast_default {
	S75_FORECAST_BUDGET,  /**< on budget */
	S75_FORECAST_RUN_RATE, /**< actual to date scaled to twelve months */
	S75_FORECAST_PACKAGES  /**< actual to date + the care packages' commitment (packages.h) */
} s75_forecast_default;

typedef struct s75_element {
	const char *id, *name;
	int lead; /**< partner index, -1 if none */
	s75_forecast_default forecast_default;
	s75_pos pos;
} s75_element;

typedef struct s75_resource {
	int partner;
	const char *provides;
} s75_resource;

typedef struct s75_arrangement {
	const char *id, *name;
	s75_arrangement_kind kind;
	s75_legal_basis legal_basis;
	const char *care_group;
	s75_date start, end; /**< 0 when not set (then the agreement's apply) */
	bool has_start, has_end;
	s75_strlist aims, outcomes, nhs_functions, health_related_functions, services;
	const char *persons;
	s75_resource *resources;
	size_t nresources;
	const char *governance;
	int host;                /**< partner index; the agreement's host when not set */
	s75_element *elements;   /**< pooled funds only */
	size_t nelements;
	int lead;                /**< lead commissioning: partner that exercises functions */
	int *on_behalf_of;       /**< lead commissioning: partner indices */
	size_t non_behalf_of;
	int provider;            /**< integrated provision, -1 if none */
	const char *bcf_framework; /**< a Better Care Fund pool: its framework's id (bcf.h), or NULL */
	const char *bcf_plan;      /**< and the area's plan file, relative to the agreement */
	s75_pos bcf_pos;
	s75_pos pos;
} s75_arrangement;

typedef enum s75_basis_source { S75_SRC_UNSET, S75_SRC_BUDGET, S75_SRC_OUTTURN } s75_basis_source;
typedef enum s75_basis_income { S75_INC_UNSET, S75_INC_GROSS, S75_INC_NET } s75_basis_income;
typedef enum s75_basis_overheads {
	S75_OVH_UNSET,
	S75_OVH_INCLUDED,
	S75_OVH_EXCLUDED
} s75_basis_overheads;

/** What a contribution was computed from (seed 004 §4.2). */
typedef struct s75_basis {
	bool set;
	s75_basis_source source;
	s75_basis_income income;
	s75_basis_overheads overheads;
	const char *note;
} s75_basis;

/** One partner's contribution to one element of one pool in one year, in pence. */
typedef struct s75_contribution {
	int pool, element, partner; /**< indices: arrangement, its element, partner */
	int64_t gross, income, grants, net; /**< net = gross - income - grants */
	s75_basis basis;                    /**< the contribution's own, else the year's */
	const char *note;
	s75_pos pos;
} s75_contribution;

/** A cost centre's annual budget in a year and its monthly profile. */
typedef struct s75_budget {
	int cost_centre;    /**< index into the agreement's cost centres */
	int64_t amount;     /**< pence */
	int64_t weights[12];/**< P1..P12 profile weights; all equal by default */
	bool has_profile;
	const char *file;
	s75_pos pos;
} s75_budget;

/** How a band of a risk share splits its slice of the variance. */
typedef enum s75_rs_method {
	S75_RS_CONTRIBUTIONS, /**< in proportion to net contributions (of the pool or the element) */
	S75_RS_FIXED,         /**< fixed ratios, e.g. 70 : 30 */
	S75_RS_LEAD,          /**< each element's lead commissioner */
	S75_RS_PARTNER,       /**< one named partner */
	S75_RS_OWN,           /**< each cost centre's partner (aligned, not pooled, budgets) */
	S75_RS_CARRY_FORWARD  /**< an underspend stays in the pool as a reserve */
} s75_rs_method;

/** One band: the part of the over- or underspend above the previous band, up to `up_to`. */
typedef struct s75_rs_band {
	bool bounded;      /**< false for the last band: everything above */
	int64_t up_to;     /**< cumulative upper bound, pence */
	s75_rs_method method;
	bool by_element;   /**< contributions: of each element rather than of the pool */
	int64_t *ratio_bp; /**< fixed: per partner, basis points summing to 10000 */
	int partner;       /**< partner method */
	int64_t *cap;      /**< per partner: most it carries of the overspend (-1 = no cap) */
	s75_pos pos;
} s75_rs_band;

/** A source the overspend waterfall draws on before the risk share. */
typedef enum s75_rs_source {
	S75_RS_OTHER_ELEMENTS, /**< underspends on the pool's other elements */
	S75_RS_RESERVE,        /**< the risk reserve held in the fund */
	S75_RS_UNCOMMITTED,    /**< uncommitted funds */
	S75_RS_NSOURCES
} s75_rs_source;

/** The risk share of one pool in one year. */
typedef struct s75_rs_rule {
	int pool;
	s75_rs_band *over, *under;
	size_t nover, nunder;
	bool *ring_fenced;  /**< per element of the pool */
	bool has_pooled_from;
	s75_date pooled_from; /**< aligned (own) before this day, pooled from it */
	s75_pos pos;
	/* the overspend waterfall: sources that meet an overspend, in order, before the bands */
	s75_rs_source waterfall[S75_RS_NSOURCES];
	size_t nwaterfall;
	bool has_reserve, has_uncommitted;
	int64_t reserve;      /**< the risk reserve held in the fund at the year's start */
	int64_t uncommitted;  /**< uncommitted funds in the fund the waterfall may use */
	/* for `s75 exposure` where the workspace has no history: each element's stated range */
	bool *has_range;      /**< per element of the pool (NULL: none stated) */
	int64_t (*range)[3];  /**< per element: P10, P50, P90 of its year-end variance, pence */
} s75_rs_rule;

/** A saving a partner moved into the pool. */
typedef struct s75_saving {
	int pool, element, partner;
	int64_t amount;   /**< pence */
	int64_t delivery; /**< forecast (in year) or achieved (at year end) delivery, where the
	                       workspace records none (savings.h) */
	bool agreed;      /**< an agreed delivery strategy exists */
	const char *note;
	s75_pos pos;
	const char *id;       /**< `id`, or PARTNER-POOL-ELEMENT: what delivery is recorded against */
	int64_t planned[12];  /**< the amount phased over P1..P12 (`phasing`, default equal) */
} s75_saving;

/** An instalment a year states by date and amount (the year's `instalments`). */
typedef struct s75_instalment_due {
	int partner;    /**< the paying partner */
	s75_date due;
	int64_t amount; /**< pence */
	s75_pos pos;
} s75_instalment_due;

typedef struct s75_year {
	int fy; /**< starting year: 2017 for 2017/18 */
	s75_year_status status;
	s75_date agreed_on;
	bool has_agreed_on;
	s75_unit unit;
	s75_basis *partner_basis; /**< per partner index (npartners entries) */
	s75_contribution *contributions;
	size_t ncontributions;
	s75_budget *budgets;
	size_t nbudgets;
	int *budget_index; /**< per cost centre: its budget's index, -1 if none (NULL: no budgets) */
	s75_rs_rule *risk_share; /**< per pool; pools without one share by contributions */
	size_t nrisk_share;
	s75_saving *savings;
	size_t nsavings;
	s75_pos pos;
	s75_instalment_due *instalments; /**< stated by date and amount: by partner in the
					      agreement's order, then due date; these partners pay
					      them instead of the agreement's `instalments` */
	size_t ninstalments;
} s75_year;

typedef struct s75_cost_centre {
	const char *code, *name;
	int pool, element, partner;
	const char **dims; /**< per the agreement's `dimensions`: this cost centre's value of
	                        each (a scheme, a funding stream), NULL where it has none; NULL
	                        when the agreement declares no dimensions */
	const char *file; /**< where it was declared */
	s75_pos pos;
} s75_cost_centre;

/** What a ledger row is. */
typedef enum s75_txn_kind {
	S75_TXN_EXPENDITURE, /**< money spent (positive) or refunded (negative) */
	S75_TXN_INCOME,      /**< money received: service-user contributions, other income */
	S75_TXN_TRANSFER,    /**< a contribution paid (positive) or received (negative) between partners: not spend */
	S75_TXN_COMMITMENT   /**< money committed, not yet spent (a purchase order raised, positive, or
	                          released, negative): never actual spend, never read as the ledger */
} s75_txn_kind;

/** How many kinds of ledger row there are. */
#define S75_TXN_NKINDS 4

/** How a profile's amount column is signed. */
typedef enum s75_sign {
	S75_SIGN_AS_KIND,        /**< positive = spent or received as the row's kind says */
	S75_SIGN_DEBIT_POSITIVE, /**< ledger convention: debits positive, credits negative */
	S75_SIGN_CREDIT_POSITIVE /**< credits positive, debits negative */
} s75_sign;

typedef enum s75_encoding { S75_ENC_UTF8, S75_ENC_WINDOWS_1252 } s75_encoding;

/** The fields an import profile maps columns to. */
typedef enum s75_field {
	S75_F_DATE,
	S75_F_PERIOD,
	S75_F_PARTNER,
	S75_F_COST_CENTRE,
	S75_F_ACCOUNT,
	S75_F_KIND,
	S75_F_AMOUNT,
	S75_F_DEBIT,
	S75_F_CREDIT,
	S75_F_DESCRIPTION,
	S75_F_REFERENCE,
	S75_F_COUNT
} s75_field;

/**
 * A column: by header name, or by 1-based number when `name` is NULL and `index` > 0.
 * `names` holds every spelling the header may have (`name` is the first).
 */
typedef struct s75_column {
	const char *name;
	int index;
	bool used;
	const char **names;
	size_t nnames;
} s75_column;

/** How a row condition tests its column's text (trimmed; case-insensitive). */
typedef enum s75_cond_op {
	S75_COND_EQUALS,      /**< equals the value */
	S75_COND_STARTS_WITH, /**< starts with the value */
	S75_COND_MATCHES,     /**< matches a glob: `*` any text, `?` one character */
	S75_COND_IN,          /**< equals one of the values */
	S75_COND_EMPTY        /**< is empty (or the row has no such column) */
} s75_cond_op;

/** One test on one column of a row. */
typedef struct s75_cond {
	s75_column column;
	s75_cond_op op;
	const char **values;
	const char **folded; /**< the values trimmed, ASCII uppercase, single spaces */
	size_t nvalues;
} s75_cond;

/** A row rule (skip_when, include_when, exclude_when): true when all its conditions are. */
typedef struct s75_row_rule {
	s75_cond *conds;
	size_t nconds;
	const char *label; /**< how the rule reads, for the import summary */
	s75_pos pos;
} s75_row_rule;

/** A code the cost-centre map sends to a cost centre: exact (case-insensitive) or a glob. */
typedef struct s75_cc_map_entry {
	const char *pattern; /**< folded: trimmed, ASCII uppercase, single spaces */
	const char *written; /**< as written, for messages */
	int cost_centre;
	bool glob;
	const char *file; /**< where it was written: the agreement or the mapping file */
	s75_pos pos;
} s75_cc_map_entry;

/** What a profile does with fields past the header's last column. */
typedef enum s75_extra_fields { S75_EXTRA_ERROR, S75_EXTRA_IGNORE } s75_extra_fields;

typedef struct s75_kind_rule {
	const char *match;  /**< a kind column value, or an account prefix */
	s75_txn_kind kind;
} s75_kind_rule;

/** How one partner's general-ledger extract is read. */
typedef struct s75_import_profile {
	const char *id;
	int partner; /**< whose ledger; -1 when a 'partner' column says */
	char delimiter;
	s75_encoding encoding;
	int skip_rows; /**< lines before the header row */
	s75_column columns[S75_F_COUNT];
	const char *date_format;
	s75_sign sign;
	s75_unit unit;
	s75_kind_rule *kind_values; /**< values of the kind column */
	size_t nkind_values;
	s75_kind_rule *kind_accounts; /**< account prefixes, first match wins */
	size_t nkind_accounts;
	s75_txn_kind kind_default;
	s75_pos pos;
	int skip_footer;           /**< records at the end that are not rows (totals, trailers) */
	s75_row_rule *skip_when;   /**< rows that are not transactions: skipped and counted */
	size_t nskip_when;
	s75_row_rule *include_when;/**< when given, only rows matching one belong to the pool */
	size_t ninclude_when;
	s75_row_rule *exclude_when;/**< rows outside the pool: counted with their total */
	size_t nexclude_when;
	s75_extra_fields extra_fields;
	bool has_period;           /**< the whole file is in `period` (no date column) */
	bool late_to_open;         /**< rows dated in a closed period go to the first open one */
	s75_period period;
	const char *period_format; /**< the period column's pattern; NULL: 2017/18 P6 or 2017-09 */
	s75_period_year period_year;
	int year;                  /**< the financial year of period codes with no year; -1 */
	s75_cc_map_entry *cc_map;  /**< cost_centre_map and cost_centre_map_file, in order */
	size_t ncc_map;
	struct s75_strmap *cc_map_index; /**< folded exact code -> entry index */
	bool receipts;             /**< `reads: receipts`: the host's receipts of the partners'
				        contributions (s75 import payments), not a ledger */
} s75_import_profile;

typedef struct s75_extension {
	s75_date to;
	const char *approved;
} s75_extension;

typedef struct s75_notice_terms {
	int general_months;                   /**< -1 when not stated */
	int no_contribution_agreement_months; /**< -1 when not stated */
	int default_months;                   /**< -1 when not stated; 0 = immediate */
	bool pro_rata_days;                   /**< a part year's contributions are pro-rated
	                                           by days (else by months, the default) */
	const char *note;
	bool present;
} s75_notice_terms;

/** The forecast tolerance (basis points of the budget) when the agreement states none: 1%. */
#define S75_FORECAST_TOLERANCE_DEFAULT_BP 100

/** How the partners other than the host pay their contributions (top-level `instalments`). */
typedef enum s75_instalments {
	S75_INSTALMENTS_NONE,                /**< not stated */
	S75_INSTALMENTS_QUARTERLY_ADVANCE,   /**< four, due on each quarter's first day */
	S75_INSTALMENTS_QUARTERLY_ARREARS,   /**< four, due on each quarter's last day */
	S75_INSTALMENTS_MONTHLY_ADVANCE,     /**< twelve, due on each month's first day */
	S75_INSTALMENTS_MONTHLY_ARREARS      /**< twelve, due on each month's last day */
} s75_instalments;

/**
 * The agreement's tolerance of a forecast variance: an element whose forecast variance
 * (either way) is beyond `bp` of its budget or beyond `amount` is a breach of tolerance, to
 * be reported to the partners within `working_days` working days (England and Wales).
 */
typedef struct s75_tolerance {
	bool present;
	int64_t bp;       /**< basis points of the element's budget; -1 if not stated */
	int64_t amount;   /**< pence; -1 if not stated */
	int working_days; /**< to report a breach (10 if not stated) */
	s75_pos pos;
} s75_tolerance;

typedef struct s75_agreement {
	const char *path; /**< the file it was read from */
	const char *dir;  /**< its folder, for files it names */
	const char *id, *title;
	s75_legal_basis legal_basis;
	s75_date start, end, signed_on;
	bool has_end, has_signed;
	s75_extension *extensions;
	size_t nextensions;
	int host;                        /**< partner index */
	const char *pool_manager_role;
	int pool_manager_partner;
	const char *review, *variation, *contributions_varied_by;
	int forecast_stale_after;        /**< a forecast older than this many periods is stale (2) */
	s75_unit reporting_unit;         /**< the unit reports show amounts in unless told
	                                      otherwise (reporting_unit; £ when not stated) */
	bool has_reporting_unit;         /**< the agreement states its reporting_unit */
	int64_t forecast_tolerance_bp;   /**< the amber band of a forecast overspend, in basis
	                                      points of the budget (forecast_tolerance; 100, 1%,
	                                      when not stated) */
	bool has_forecast_tolerance;     /**< the agreement states its forecast_tolerance */
	bool forecast_tolerance_from_alerts; /**< none stated: the percent of `tolerance` is used */
	s75_partner *partners;
	size_t npartners;
	s75_notice_terms notice;
	s75_tolerance tolerance;
	s75_instalments instalments;
	s75_arrangement *arrangements;
	size_t narrangements;
	s75_year *years;
	size_t nyears;
	s75_cost_centre *cost_centres;
	size_t ncost_centres;
	s75_strlist dimensions; /**< the names cost centres may carry a value of (`dimensions`),
	                             e.g. scheme, funding_stream; budgets are totalled by them */
	s75_import_profile *profiles;
	size_t nprofiles;
	struct s75_arena *arena; /**< owns everything above */
	unsigned char sha256[32]; /**< of the file's bytes */
	struct s75_strmap *cc_index; /**< cost-centre code -> index */
	struct s75_gov_model *gov; /**< KPIs, governance bodies, risks, variations (governance.h) */
} s75_agreement;

/**
 * Reads and validates an agreement file. Every problem found is added to `diags`
 * (errors and warnings); loading goes on past errors so that all are reported.
 *
 * @param[out] out  the agreement on success (free with s75_agreement_free()); NULL on error
 * @return 0, or S75_EINVALID when `diags` holds errors, S75_EIO if the file cannot be read
 */
S75_EXTERN(int) s75_agreement_load(s75_agreement **out, const char *path, s75_diags *diags);

/**
 * Checks the statutory contents of each pooled fund (SI 2000/617): adds one warning per
 * item missing. Sets `*present` and `*expected` to the items found and looked for.
 */
S75_EXTERN(void) s75_agreement_check_statutory(const s75_agreement *ag, s75_diags *diags,
					       size_t *present, size_t *expected);

S75_EXTERN(void) s75_agreement_free(s75_agreement *ag);

S75_EXTERN(int) s75_agreement_find_partner(const s75_agreement *ag, const char *id);
/** The name of partner `id`; `id` itself if it has none, is not found or `ag` is NULL. */
S75_EXTERN(const char *) s75_agreement_partner_name(const s75_agreement *ag, const char *id);
S75_EXTERN(int) s75_agreement_find_arrangement(const s75_agreement *ag, const char *id);
S75_EXTERN(int) s75_arrangement_find_element(const s75_arrangement *a, const char *id);
/** The year entry for `fy`, or NULL. */
S75_EXTERN(const s75_year *) s75_agreement_find_year(const s75_agreement *ag, int fy);
/** Marks in `out` (npartners flags) the partners with a contribution to `pool` in year `fy`,
 * or in any year when `fy` is -1 (the partners a split of the pool is over). */
S75_EXTERN(void) s75_pool_partners(bool *out, const s75_agreement *ag, int pool, int fy);
/** Parses a split of a pool, "70:30": one percentage (at most two decimals) per partner marked
 * in `in_pool`, in agreement order, summing to 100, into basis points per partner in `bp`
 * (npartners of them, 0 for the others). S75_EINVALID with a message otherwise. */
S75_EXTERN(int) s75_split_parse(int64_t *bp, const s75_agreement *ag, const bool *in_pool,
                                const char *text);

/** Whether partner `partner` takes part in arrangement `pool`: its host or lead, an
 * element's lead, a contributor in some year, or the owner of one of its cost centres. */
S75_EXTERN(bool) s75_agreement_partner_in_pool(const s75_agreement *ag, int partner, int pool);

/** The cost centre with `code`, or -1. Constant time (a hash index built at load). */
S75_EXTERN(int) s75_agreement_find_cost_centre(const s75_agreement *ag, const char *code,
					       size_t len);
/** The import profile `id`: one of the agreement's, or the built-in `standard`; NULL if none. */
S75_EXTERN(const s75_import_profile *) s75_agreement_find_profile(const s75_agreement *ag,
								  const char *id);
/** The risk share of `pool` in `y`, or NULL (then it is shared by contributions). */
S75_EXTERN(const s75_rs_rule *) s75_year_find_risk_share(const s75_year *y, int pool);
S75_EXTERN(const char *) s75_rs_method_name(s75_rs_method m);

/** The budget of cost centre `cc` in `y`, or NULL. */
S75_EXTERN(const s75_budget *) s75_year_find_budget(const s75_year *y, int cc);

/**
 * Compares each element's cost-centre budgets with its net contribution in every year
 * that has budgets; adds one warning per element that is under- or over-allocated.
 */
S75_EXTERN(void) s75_agreement_check_budgets(const s75_agreement *ag, s75_diags *diags);

/**
 * Warns of gaps in each year's inputs: contributions but no cost-centre budgets, a
 * pooled_from outside its year, a saving delivering more than its amount or made by a
 * partner that does not fund its element, a `partner` or `ratios` rule naming a partner
 * that does not contribute to the pool.
 */
S75_EXTERN(void) s75_agreement_check_inputs(const s75_agreement *ag, s75_diags *diags);

/**
 * What a report on year `fy` must say before its figures: the schedule indicative, pools
 * with no stated risk share, and the warnings of s75_agreement_check_budgets() and
 * s75_agreement_check_inputs() about that year.
 * @param[out] out  `*n` strings; free with s75_strings_free()
 */
S75_EXTERN(void) s75_year_input_warnings(char ***out, size_t *n, const s75_agreement *ag, int fy);
S75_EXTERN(void) s75_strings_free(char **s, size_t n);

S75_EXTERN(const char *) s75_txn_kind_name(s75_txn_kind k);
S75_EXTERN(const char *) s75_field_name(s75_field f);
S75_EXTERN(const char *) s75_partner_kind_name(s75_partner_kind k);
S75_EXTERN(const char *) s75_arrangement_kind_name(s75_arrangement_kind k);
S75_EXTERN(const char *) s75_legal_basis_name(s75_legal_basis b);

#endif
