#!/bin/sh
# Loads the example's illustrative ledger into a fresh workspace (s75.db beside the
# agreement) and prints the month-6 monitoring report.
#
#   sh examples/oxfordshire-2017/load.sh [S75]
#
# S75 is the s75 binary (default: build/s75 at the top of the repository). The ledger,
# budgets and forecasts are written by generate.py; kpi-values.csv, meetings.csv and
# decisions.csv by hand.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
s75=${1:-$here/../../build/s75}
case $s75 in
/*) ;;
*/*) s75=$(cd "$(dirname "$s75")" && pwd)/$(basename "$s75") ;; # relative to the caller
esac
cd "$here"

rm -f s75.db s75.db-wal s75.db-shm
"$s75" init

# Actuals, month by month (April 2017 = P1), the council's extract then the CCG's.
for month in 2017-04 2017-05 2017-06 2017-07 2017-08 2017-09 2017-10 2017-11 2017-12 \
	2018-01 2018-02 2018-03; do
	[ -f "ledger/occ-$month.csv" ] && "$s75" import actuals "ledger/occ-$month.csv" --profile occ-erp
	[ -f "ledger/occg-$month.csv" ] && "$s75" import actuals "ledger/occg-$month.csv" --profile occg-ledger
done

# The Disabled Facilities Grant received and passed to the district councils (illustrative)
# in the built-in standard format, each payment with the district's id as its reference.
"$s75" import actuals ledger/dfg-transfers-2017-18.csv --profile standard

# Forecasts: forecasts-YYYY-MM.csv is the forecast made at the period of that month.
for f in forecasts/forecasts-*.csv; do
	[ -f "$f" ] || continue
	month=${f#forecasts/forecasts-}
	"$s75" import forecasts "$f" --period "${month%.csv}"
done

# KPI values and the governance logs (illustrative, written by hand): meetings of the Joint
# Management Groups and the Pooled Budget Officers Group in 2017/18, and the decisions,
# including Cabinet's on the precept variation (docs/governance.md).
"$s75" import kpi kpi-values.csv
"$s75" import meetings meetings.csv
"$s75" import decisions decisions.csv
# The Better Care Fund plan's evidence: the Health and Wellbeing Board's sign-off and the
# Joint Management Group's decision on transfers of care (illustrative).
"$s75" import decisions bcf-decisions.csv
# Conflicts of interest (illustrative): the register of interests of two members of the BCF
# Joint Management Group, and who took part in its decision on transfers of care, with the
# interest the CCG's Director of Commissioning declared (docs/governance.md).
"$s75" import interests interests.csv
"$s75" import participation participation.csv

"$s75" report monitoring --period 2017/18P6 --units "£'000"
