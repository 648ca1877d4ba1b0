/* s75 — the Better Care Fund: a pooled fund run under a national policy framework.
 *
 * The framework is data (frameworks/bcf-YYYY-YY.yaml at the top of the repository): its
 * funding streams, scheme types, areas of spend, national conditions (each financial one
 * a rule: minimum-contribution, minimum-spend, pass-through, balance; the others
 * assurances met by a recorded decision) and national metrics. A pool names its framework
 * and the area's plan in the agreement (`bcf: {framework: ID, plan: FILE}`); the plan
 * holds each year's minimums, the income of each stream (from the agreement's
 * contributions, or an amount), the schemes with their cost centres and funding, the
 * decisions that evidence the assurances and the metrics' quarterly ambitions
 * (docs/bcf.md).
 *
 *     s75_diags dg = S75_DIAGS_INIT;
 *     s75_bcf *b;
 *     if (s75_bcf_load(&b, ag, -1, &dg) == 0) {
 *         size_t failed;
 *         s75_bcf_check_report(doc, &failed, b, db, ag, 2017, as_of); // s75/report.h
 *         s75_bcf_free(b);
 *     }
 */
#ifndef S75_BCF_H
#define S75_BCF_H

#include "agreement.h"
#include "date.h"
#include "diag.h"

typedef struct s75_bcf s75_bcf;

/**
 * Loads the framework and plan of the BCF pool `pool` (an arrangement index), or of the
 * agreement's only BCF pool when `pool` < 0. The framework `ID` is read from
 * `frameworks/ID.yaml` beside the agreement, else in $S75_FRAMEWORKS, else in the
 * installed folder. Every problem is added to `diags` with its file, line and column.
 * @param[out] out  free with s75_bcf_free()
 * @return 0, S75_ENOTFOUND (no BCF pool: message in s75_error_last()), S75_EINVALID, S75_EIO
 */
S75_EXTERN(int) s75_bcf_load(s75_bcf **out, const s75_agreement *ag, int pool, s75_diags *diags);
S75_EXTERN(void) s75_bcf_free(s75_bcf *b);
/** The pool's arrangement index. */
S75_EXTERN(int) s75_bcf_pool(const s75_bcf *b);
/** The framework's id and name (owned by `b`). */
S75_EXTERN(const char *) s75_bcf_framework_id(const s75_bcf *b);
S75_EXTERN(const char *) s75_bcf_framework_name(const s75_bcf *b);

#endif
