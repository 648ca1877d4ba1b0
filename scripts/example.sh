#!/bin/sh
# Builds s75 (build/s75) and runs the main job on the bundled Oxfordshire example.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
cmake -S . -B build -DS75_SANITIZE=OFF >/dev/null
cmake --build build -j "$(nproc)"
ex=examples/oxfordshire-2017
./build/s75 -C "$ex" check
./build/s75 -C "$ex" contributions --year 2017/18
# a year of illustrative ledger data: import P1-P12, then the month-6 monitoring report
sh "$ex/load.sh" ./build/s75
# the projected risk share at month 6, and the year-end settlement on the year's actuals
./build/s75 -C "$ex" riskshare --period 2017/18P6 --units "£'000"
./build/s75 -C "$ex" settle --year 2017/18 --units "£'000"
# the KPI dashboard at Q3, the changes in the year, and the governance check at the year's
# end: it exits 1, for the 2017/18 schedule was still indicative (seed 002 §33, §47)
./build/s75 -C "$ex" report kpi --period "2017/18 Q3"
./build/s75 -C "$ex" history
./build/s75 -C "$ex" governance check --as-of 2018-03-31 || true
# the Better Care Fund pool: the plan by scheme and stream, the national conditions at the
# year's end (the DFG passed to the five districts by 30 June) and the Q2 national return
./build/s75 -C "$ex" bcf plan --year 2017/18 --units "£'000"
./build/s75 -C "$ex" bcf check --year 2017/18 --as-of 2018-03-31 --units "£'000"
./build/s75 -C "$ex" bcf return --year 2017/18 --quarter 2 -f xlsx -o bcf-q2.xlsx
