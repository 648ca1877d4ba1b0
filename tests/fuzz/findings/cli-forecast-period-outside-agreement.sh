#!/bin/sh
# Forecasts are taken for any period, even one no year of the agreement covers: 1900-01 is
# recorded as "1899/00 P10" (a period s75_period_parse() itself rejects), 2099/00 P1 too.
# Expected: the same check as for actuals (a year of the agreement, within its term).
. "$(dirname "$0")/_workspace.sh"
printf 'cost_centre,forecast,note\nLA-CARE,100,x\n' > f1.csv
printf 'cost_centre,forecast,note\nLA-CARE,200,y\n' > f2.csv
"$S75" import forecasts f1.csv --period 1900-01; echo "exit $?"
"$S75" import forecasts f2.csv --period "2099/00 P1"; echo "exit $?"
"$S75" batches
