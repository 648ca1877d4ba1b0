/* s75 — Section 75 pooled budgets: the whole public API. */
#ifndef S75_H
#define S75_H

#include "common.h"
#include "error.h"
#include "buf.h"
#include "diag.h"
#include "money.h"
#include "date.h"
#include "alloc.h"
#include "csv.h"
#include "outfile.h"
#include "text.h"
#include "personal.h"
#include "agreement.h"
#include "contrib.h"
#include "db.h"
#include "ledger.h"
#include "riskshare.h"
#include "settle.h"
#include "packages.h"
#include "kpi.h"
#include "variation.h"
#include "governance.h"
#include "bcf.h"
#include "notice.h"
#include "exposure.h"
#include "statement.h"
#include "doc.h"
#include "table.h"
#include "report.h"
#include "users.h"
#include "periods.h"
#include "workdays.h"
#include "alerts.h"
#include "arrears.h"
#include "recharges.h"
#include "savings.h"
#include "budgets.h"

/** The library's version, e.g. "0.1.0". */
S75_EXTERN(const char *) s75_version(void);

#endif
