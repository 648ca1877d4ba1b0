/* s75 — the reports, one call each: every report the clients show is built here as one
 * document (doc.h) carrying its tables, charts, headline lines, its JSON data and its CSV
 * table, so the terminal, a spreadsheet, a browser and a program reading JSON all render
 * the same value.
 *
 *     s75_report_options o = S75_REPORT_OPTIONS_INIT;
 *     o.now = "2018-04-30T09:00:00Z";
 *     s75_doc *d;
 *     if (s75_report_contributions(&d, ag, fy, s75_fy_end(fy), &o) == 0) {
 *         s75_doc_render_json(d, &buf);   // or _text, _csv, _html, _xlsx
 *         s75_doc_free(d);
 *     }
 */
#ifndef S75_REPORT_H
#define S75_REPORT_H

#include <stdbool.h>
#include "agreement.h"
#include "bcf.h"
#include "budgets.h"
#include "common.h"
#include "date.h"
#include "db.h"
#include "doc.h"
#include "exposure.h"
#include "governance.h"
#include "kpi.h"
#include "ledger.h"
#include "notice.h"
#include "recharges.h"
#include "settle.h"
#include "statement.h"
#include "users.h"

/** The rendering a client will make of a report. A document built for one form may leave
 * out what that form does not show (JSON: the tables and charts; CSV: the JSON, the tables
 * shown and the charts; the document forms: the JSON and CSV data) and the queries behind
 * them; the figures are the same in every form. */
typedef enum s75_report_form {
	S75_FORM_ALL,  /**< everything: any renderer may be used */
	S75_FORM_DOC,  /**< text, XLSX or HTML */
	S75_FORM_JSON, /**< JSON */
	S75_FORM_CSV   /**< CSV */
} s75_report_form;

/** Provenance for a report's cover, and the form it is for. */
typedef struct s75_report_options {
	const char *now;      /**< when it was produced (the cover's "Produced"); may be NULL */
	const char *producer; /**< what produced it, e.g. "s75 0.1.0"; may be NULL */
	s75_report_form form; /**< the one rendering the client will make, or S75_FORM_ALL */
	bool no_charts;       /**< no rendering will draw the charts (text, XLSX, JSON, CSV):
	                           their figures are not worked out (s75_doc_charts_drawn) */
	bool aggregates_only; /**< leave out every list of individual care packages (their
	                           pseudonymous ids): counts and totals only */
	const char *pool;     /**< a pool's id: the report covers that pool alone (for its own Joint
				   Management Group); NULL: every pool, each with its subtotal */
} s75_report_options;

#define S75_REPORT_OPTIONS_INIT {NULL, NULL, S75_FORM_ALL, false, false, NULL}

/** The pool `o->pool` names: its index, -1 for every pool (o or o->pool NULL), or
 * S75_EINVALID (message set) when the agreement has no such pool. */
S75_EXTERN(int) s75_report_pool_index(const s75_agreement *ag, const s75_report_options *o);

/**
 * A new document with its cover: the report's title, when and by what it was produced, the
 * agreement (title, file and sha256; `ag` may be NULL) and the parameters (`params` may be
 * NULL). Free it with s75_doc_free().
 */
S75_EXTERN(s75_doc *) s75_report_doc_new(const s75_agreement *ag, const char *title,
                                         const char *params, const s75_report_options *o);

/**
 * The contributions schedule of year `fy` in force on `as_of` (the year's end for the
 * schedule as agreed): per pool a table of elements by partner (gross, income, grants,
 * net) and each partner's share of the net, then the net by partner across the pools.
 * JSON: the schedule in pence; CSV: a row per element and partner.
 * @param[out] out  the document (s75_doc_free() it)
 * @return 0, or a negative code with the message set
 */
S75_EXTERN(int) s75_report_contributions(s75_doc **out, const s75_agreement *ag, int fy,
                                         s75_date as_of, const s75_report_options *o);

/**
 * The year-end settlement of year `fy` on actuals: per pool the risk share step by step, per
 * partner its contribution, share of the variance, final cost, spending and balance, a
 * waterfall chart each, and the balancing payments (per pool through its host, with `net`
 * the pools' balances netted, or with `direct` the fewest direct payments). JSON: all of it in pence; CSV: a row per pool and partner.
 * @param[out] out  the document (s75_doc_free() it)
 */
S75_EXTERN(int) s75_report_settle(s75_doc **out, s75_db *db, const s75_agreement *ag, int fy,
                                  bool direct, bool net, const s75_report_options *o);
/** The projected risk share of the forecast variance at `period`, laid out as the settlement. */
S75_EXTERN(int) s75_report_riskshare(s75_doc **out, s75_db *db, const s75_agreement *ag,
                                     s75_period period, const s75_report_options *o);

/**
 * The monthly monitoring report at `period` and `level`: budget, budget and actual to date,
 * variance, forecast outturn, forecast variance and movement, with totals; per pool the
 * charts of budget against forecast by element and of the cumulative actual. In the document
 * the rows show names (cost centres with their code), each pool closed by its subtotal
 * before the grand total; with `o->pool` one pool alone. JSON: the rows and totals in
 * pence; CSV: the rows without the total.
 */
S75_EXTERN(int) s75_report_monitoring(s75_doc **out, s75_db *db, const s75_agreement *ag,
                                      s75_period period, s75_level level,
                                      const s75_report_options *o);

/**
 * The commentary of the forecasts of `pool` (-1: every pool): a row per cost centre with
 * a forecast note or a flag (cost centre, element, forecast basis, the note, the flags).
 * @return the table (the caller frees it), or NULL when there is nothing to say
 */
S75_EXTERN(s75_table *) s75_monitoring_commentary(const s75_monitoring *m,
						  const s75_agreement *ag, int pool);

/**
 * The pool manager's quarterly report to the partners (SI 2000/617), quarter `q` (1..4) of
 * year `fy`, per pool: contributions due (four equal instalments) and received, income and
 * expenditure by element for the quarter and the year to date, the forecast outturn and
 * projected risk share, the variations agreed in the quarter, the KPIs and the charts.
 * JSON: the same figures in pence. No CSV form.
 */
S75_EXTERN(int) s75_report_quarterly(s75_doc **out, s75_db *db, const s75_agreement *ag, int fy,
                                     int q, const s75_report_options *o);
/**
 * The annual return of the pooled fund for year `fy`: per pool the memorandum account, the
 * allocation under the risk share and the reserve and its movements; the balancing payments
 * (per pool through its host, `net` across pools, or `direct`), the agreement's sha256 and the import batches it rests on. No CSV form.
 */
S75_EXTERN(int) s75_report_annual_return(s75_doc **out, s75_db *db, const s75_agreement *ag,
                                         int fy, bool direct, bool net,
                                         const s75_report_options *o);

/**
 * What each partner would carry if pool `pool` ended on `on`: every package active that day
 * for a full year by its own funding arrangement, beside the agreement's risk share and the
 * `nratios` alternative splits (`ratios_bp`: nratios rows of npartners basis points, named
 * `ratio_names`), and the packages not reviewed in the 12 months before. JSON: all of it in
 * pence; CSV: the partner table without the total.
 */
S75_EXTERN(int) s75_report_exit(s75_doc **out, s75_db *db, const s75_agreement *ag, int pool,
                                s75_date on, const int64_t *ratios_bp,
                                char *const *ratio_names, size_t nratios,
                                const s75_report_options *o);

/**
 * The care-package register on `on`, of pool `pool` (-1: every pool): the packages active,
 * costed for a full year at the terms in force, by funding, service and paying partner, and
 * the reviews overdue and due in the next 90 days (with `o->aggregates_only`, their counts
 * alone, in every form). JSON: all of it; CSV: the groups.
 */
S75_EXTERN(int) s75_report_packages(s75_doc **out, s75_db *db, const s75_agreement *ag, int pool,
                                    s75_date on, const s75_report_options *o);

/**
 * The KPI dashboard at `period`, of pool `pool` (-1: every pool): for each KPI the latest
 * value against its baseline and target (as in force then), RAG and trend. Text: the table
 * alone; CSV: ids and plain values; JSON: values as exact decimal strings.
 */
S75_EXTERN(int) s75_report_kpi(s75_doc **out, s75_db *db, const s75_agreement *ag,
                               const s75_rperiod *period, int pool, const s75_report_options *o);

/** The cost-centre budgets of year `fy`: text a table with the total; CSV the rows; JSON
 * each cost centre with its budget and monthly profile in pence. */
S75_EXTERN(int) s75_report_budgets(s75_doc **out, const s75_agreement *ag, int fy,
                                   const s75_report_options *o);

/** What s75_report_budget_versions() lists. */
typedef struct s75_budgets_options {
	int fy;
	s75_budget_version version;
	int period;      /**< 1..12: the budget in force at that period (and the forecast made
	                      by it); 0: the whole year's (every revision; for `latest`, the latest
	                      period with actuals, else P12) */
	const char *by;  /**< a dimension of the cost centres (agreement-format.md): budgets by
	                      its values across cost centres; NULL: by cost centre */
} s75_budgets_options;

#define S75_BUDGETS_OPTIONS_INIT {0, S75_BV_ORIGINAL, 0, NULL}

/**
 * The budgets of year `bo->fy` in version `bo->version` (budgets.h), by cost centre or by
 * the values of a dimension: `original` alone is s75_report_budgets(); `revised` adds each
 * cost centre's revisions and the list of revisions with their decisions; `latest` adds the
 * forecast outturn and which of the three is the latest. `db` may be NULL (no workspace:
 * no revisions, no forecasts). Text and the document: the tables with totals; CSV: the
 * first table's rows; JSON: every figure in pence.
 */
S75_EXTERN(int) s75_report_budget_versions(s75_doc **out, s75_db *db, const s75_agreement *ag,
					   const s75_budgets_options *bo,
					   const s75_report_options *o);

/**
 * The history of cost centre `code`'s budget in year `fy`: the original, then each revision
 * of it (decision, date, first period, the new annual budget and the change), in order.
 */
S75_EXTERN(int) s75_report_budget_history(s75_doc **out, s75_db *db, const s75_agreement *ag,
					  int fy, const char *code, const s75_report_options *o);

/** The imports (with `all`, the undone ones too): id, kind, file, sha256, rows, when, and
 * the control totals per partner and kind. Text: one table (the sha256 cut short); CSV:
 * the same rows, the full sha256; JSON: the batches. */
S75_EXTERN(int) s75_report_batches(s75_doc **out, s75_db *db, bool all,
                                   const s75_report_options *o);

/** Where the agreement and each arrangement stand on `day` (`db` may be NULL: no notices):
 * not started, active, under notice or ended, and any final settlement due. */
S75_EXTERN(int) s75_report_status(s75_doc **out, s75_db *db, const s75_agreement *ag, s75_date day,
                                  const s75_report_options *o);

/** The changes to the agreement in date order (of year `fy`, or all when -1): schedules,
 * variations with their decisions, notices (`db` may be NULL: no notices). */
S75_EXTERN(int) s75_report_history(s75_doc **out, s75_db *db, const s75_agreement *ag, int fy,
                                   const s75_report_options *o);

/**
 * Every breach of the agreement's governance (s75_governance_check) with its evidence; their
 * number in *nbreaches. Text: a heading line, then the table when there are breaches.
 */
S75_EXTERN(int) s75_report_governance_check(s75_doc **out, size_t *nbreaches, s75_db *db,
                                            const s75_agreement *ag,
                                            const s75_gov_check_options *opts,
                                            const s75_report_options *o);
/** The risk register on `day`, highest score first (ties in the file's order). */
S75_EXTERN(int) s75_report_risks(s75_doc **out, const s75_agreement *ag, s75_date day,
                                 const s75_report_options *o);
/** The meetings log (of `body`, or every body when NULL) with quorum and reports received. */
S75_EXTERN(int) s75_report_meetings(s75_doc **out, s75_db *db, const s75_agreement *ag,
                                    const char *body, const s75_report_options *o);
/** The decisions log: who took each decision (a body or a partner, by name on the page). */
S75_EXTERN(int) s75_report_decisions(s75_doc **out, s75_db *db, const s75_agreement *ag,
                                     const s75_report_options *o);

/** One option of a scenario: its name and the what-if applied to the settlement. */
typedef struct s75_scenario_option {
	const char *name;
	s75_what_if w;
} s75_scenario_option;

/**
 * Options side by side on year `fy` and pool `pool`: the settlement of each (on the year's
 * actuals, or the forecast at `forecast_at` when not NULL), with each partner's final cost
 * and its difference from the first option. `params` is the cover's parameters line.
 * On an option that cannot be settled, the message names it.
 */
S75_EXTERN(int) s75_report_scenario(s75_doc **out, s75_db *db, const s75_agreement *ag, int fy,
                                    int pool, const s75_scenario_option *opts, size_t nopts,
                                    const s75_period *forecast_at, const char *params,
                                    const s75_report_options *o);

/** A notice computed or recorded (`recorded`): who served it, the day it takes effect, what
 * it ends, and its id when recorded. Text: a few lines; JSON: the same. */
S75_EXTERN(int) s75_report_notice(s75_doc **out, const s75_agreement *ag, const s75_notice *n,
                                  bool recorded, const s75_report_options *o);

/** An import's control totals by partner and kind, with a total line of the rows imported
 * (a new table: s75_table_free() it). */
S75_EXTERN(s75_table *) s75_report_import_totals(const s75_import_result *r);
/** The rows that are not transactions or are outside the pool, by reason; NULL if none. */
S75_EXTERN(s75_table *) s75_report_import_skipped(const s75_import_result *r);
/** The unknown cost centres, largest amount first, a total line and "did you mean";
 * NULL if none. */
S75_EXTERN(s75_table *) s75_report_import_unknown(const s75_import_result *r);

/** A care-packages import's control totals: weekly costs and client contributions by partner. */
S75_EXTERN(s75_table *) s75_report_packages_import_totals(const s75_import_result *r);

/**
 * The statement of `partner`'s share of each pooled fund in year `fy`, for its own accounts
 * (docs/reports.md): a section per pool, every partner's share of each line beside the
 * memorandum account. JSON: the shares in pence. No CSV form.
 * @param[out] out  the document (s75_doc_free() it)
 */
S75_EXTERN(int) s75_report_partner_statement(s75_doc **out, s75_db *db, const s75_agreement *ag,
                                             int fy, int partner, const s75_report_options *o);

/* The risk exposure report (docs/exposure.md). */
/**
 * The risk exposure of pool `eo->pool` in year `fy` (docs/exposure.md): runs the simulation
 * (s75_exposure_run()) and lays out the source of the uncertainty, each element's range, the
 * pool's variance, each option's shares and a histogram per partner. `params` is the cover's
 * line of parameters. JSON: all of it in pence; CSV: a row per option and partner.
 * @param[out] out  the document (s75_doc_free() it)
 */
S75_EXTERN(int) s75_report_exposure(s75_doc **out, s75_db *db, const s75_agreement *ag, int fy,
                                    const s75_exposure_options *eo, const char *params,
                                    const s75_report_options *o);

/* The Better Care Fund reports (docs/bcf.md). */
/** Which Better Care Fund report s75_report_bcf() builds. */
typedef enum s75_bcf_kind { S75_BCF_PLAN, S75_BCF_CHECK, S75_BCF_RETURN } s75_bcf_kind;

/**
 * One Better Care Fund report of year `fy` as a document with its title and cover: the
 * plan, the check of the national conditions as on `as_of` (`*failed` gets the number not
 * met), or the return for `quarter` (0: the year-end return). `db` is not read for the plan.
 * @param[out] out  the document (s75_doc_free() it); NULL on failure
 */
S75_EXTERN(int) s75_report_bcf(s75_doc **out, size_t *failed, const s75_bcf *b, s75_db *db,
                               const s75_agreement *ag, s75_bcf_kind kind, int fy, int quarter,
                               s75_date as_of, const s75_report_options *o);

/**
 * Adds the plan of year `fy` to `d`: planned expenditure by scheme, by scheme type and by
 * funding stream, each stream's total against its income from the contributions.
 * @return 0, S75_ENOTFOUND (no plan for the year), S75_EOVERFLOW
 */
S75_EXTERN(int) s75_bcf_plan_report(s75_doc *d, const s75_bcf *b, const s75_agreement *ag,
				    int fy);

/**
 * Adds the check of the national conditions in year `fy` to `d`, as on `as_of`: each
 * financial condition proved from the figures (the ledger's transfers for pass-through),
 * each assurance with the decision that evidences it. `*failed` gets the number not met.
 * @return 0, S75_ENOTFOUND, S75_EOVERFLOW, S75_EIO
 */
S75_EXTERN(int) s75_bcf_check_report(s75_doc *d, size_t *failed, const s75_bcf *b, s75_db *db,
				     const s75_agreement *ag, int fy, s75_date as_of);

/**
 * Adds the national return for quarter `quarter` (1..4) of `fy`, or the year-end return
 * when `quarter` is 0, to `d`, in the template's sheets: income by stream, expenditure by
 * scheme type (planned, and actual to the quarter's end from the ledger, with the cost
 * centres each figure sums), expenditure by scheme, metrics against ambitions, national
 * conditions confirmed.
 * @return 0, S75_ENOTFOUND, S75_EOVERFLOW, S75_EIO
 */
S75_EXTERN(int) s75_bcf_return_report(s75_doc *d, const s75_bcf *b, s75_db *db,
				      const s75_agreement *ag, int fy, int quarter);

/** What `s75 migrate --to` copied and every check that proves it (s75_db_migrate_to()):
 * a line saying where to, and a table of the checks, each figure from the workspace and
 * from the copy. CSV: the table; JSON: from, to, mismatches and the checks. */
S75_EXTERN(int) s75_report_migration(s75_doc **out, const s75_copy_result *r,
				     const s75_report_options *o);

/** The audit log, oldest first: who, when, from where, what. Text: one table; CSV: the same
 * rows; JSON: the entries. */
S75_EXTERN(int) s75_report_audit(s75_doc **out, s75_db *db, const s75_report_options *o);
/** The dashboard's accounts (never their passwords). */
S75_EXTERN(int) s75_report_users(s75_doc **out, s75_db *db, const s75_report_options *o);

/** A pool's forecast as a RAG (kpi.h) with the default tolerance (s75_monitor_rag() with 1%): Green when on or under budget, Amber when over by at
 * most 1% of the budget, Red beyond. */
S75_EXTERN(s75_rag) s75_forecast_rag(int64_t forecast_variance, int64_t budget);

/**
 * The pools at a glance at `period` (the ledger's latest when NULL): per pooled fund shown
 * (`pools[i]` for arrangement i; every one when NULL) its budget, forecast, forecast
 * variance and RAG, and the last import of each partner taking part. An empty ledger gives
 * a warning line and no figures.
 */
S75_EXTERN(int) s75_report_glance(s75_doc **out, s75_db *db, const s75_agreement *ag,
                                  const s75_period *period, const bool *pools,
                                  const s75_report_options *o);
/** One pool's monitoring at `period` (latest when NULL) by element or cost centre, with its
 * total and the same charts as the monitoring report; overspends and growing forecasts in
 * the adverse colour as in the papers. Its warnings: those of the monitoring about this
 * pool, and — to a reader who sees every pool (`pools` NULL, or true for each pooled fund)
 * — those about the agreement or several pools too, as `report monitoring` shows them.
 * @return S75_ENOTFOUND on an empty ledger */
S75_EXTERN(int) s75_report_pool(s75_doc **out, s75_db *db, const s75_agreement *ag, int pool,
                                const s75_period *period, s75_level level, const bool *pools,
                                const s75_report_options *o);
/** A page of ledger rows (s75_txn_list) and how many match in all (*total). */
S75_EXTERN(int) s75_report_transactions(s75_doc **out, long *total, s75_db *db,
                                        const s75_agreement *ag, const s75_txn_query *q,
                                        const s75_report_options *o);
/** The result `r` of importing `file` (`rc` the import's return; `preview` a dry run): what
 * happened, the rejected rows and their reasons, unknown cost centres, control totals. */
S75_EXTERN(int) s75_report_import(s75_doc **out, const s75_import_result *r, const char *file,
                                  int rc, bool preview, const s75_report_options *o);

/**
 * The closed periods (include/s75/periods.h): every closing with its seal, rows and
 * expenditure, who closed and reopened it and why; and the prior-period items. Its CSV is
 * the closings.
 */
S75_EXTERN(int) s75_report_periods(s75_doc **out, s75_db *db, const s75_agreement *ag,
                                   const s75_report_options *o);

/**
 * The breaches of the agreement's tolerance (s75/alerts.h) in `period`'s year up to it: for
 * each, the element, its budget and tolerance, the variance, since when, the report's
 * deadline in working days and whether (and when, to whom) it was reported, as of `as_of`.
 */
S75_EXTERN(int) s75_report_alerts(s75_doc **out, s75_db *db, const s75_agreement *ag,
                                  s75_period period, s75_date as_of, const s75_report_options *o);

/** Savings delivery at period `per` (s75/savings.h): each saving's plan and delivery to
 * date, the forecast for the year, the shortfall and who bears it, its RAG and whether it is
 * at risk; and all the savings' plan and delivery by period. JSON: every figure in pence;
 * CSV: a row per saving. */
S75_EXTERN(int) s75_report_savings(s75_doc **out, s75_db *db, const s75_agreement *ag,
                                   s75_period per, const s75_report_options *o);

/** Each paying partner's instalments of year `fy` (s75/arrears.h): due, received,
 *  outstanding, days late as of `as_of`. */
S75_EXTERN(int) s75_report_contributions_due(s75_doc **out, s75_db *db, const s75_agreement *ag,
                                             int fy, s75_date as_of, const s75_report_options *o);
/** The demand to `partner` for its instalments overdue on `as_of` (its financial year). */
S75_EXTERN(int) s75_report_invoice(s75_doc **out, s75_db *db, const s75_agreement *ag,
                                   const char *partner, s75_date as_of, const s75_report_options *o);

/**
 * The recharge statements of `period` (s75/recharges.h): issued ones as issued, else the
 * draft. `partner` (NULL: all) keeps the statements it pays or receives. With
 * `o->aggregates_only` each statement's totals alone, no package lines.
 * @return 0; S75_EINVALID (no such partner; as s75_recharges_build())
 */
S75_EXTERN(int) s75_report_recharges(s75_doc **out, s75_db *db, const s75_agreement *ag,
                                     s75_period period, const char *partner,
                                     const s75_report_options *o);
/** The document of recharges already worked out or issued (`r` is not kept). */
S75_EXTERN(int) s75_report_recharges_doc(s75_doc **out, const s75_recharges *r,
                                         const s75_agreement *ag, const char *partner,
                                         const s75_report_options *o);

#endif
