#!/usr/bin/env bash
# Benchmark: an ERP-shaped import (a 500-code mapping file and a row filter) against
# sqlite3's own .import of the same file.
#
# usage: bench/run-erp.sh [N]        (default N = 1000000)
#
# Generates bench/data/N/ with gen.py (CSV only) if missing, then gen_erp.py's
# ledger-erp.csv, erp-codes.csv and erp-agreement.yaml (profile `erp`). Then, RUNS times
# (default 5), interleaved so that other load falls on both alike:
#   s75 import erp   s75 -C WS import actuals ledger-erp.csv --profile erp -q (fresh workspace)
#   sqlite3 import   sqlite3 DB '.mode csv' '.import ledger-erp.csv t'      (fresh db)
# and prints the medians and their ratio (target <= 1.5). It checks that s75's actual to
# date equals sqlite3's expenditure - income of the same file.
# Environment: RUNS (5), S75 (default build-bench/s75, built as by run.sh), KEEP=1.
set -u
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
data="$here/data"
RUNS=${RUNS:-5}
S75=${S75:-$root/build-bench/s75}
N=${1:-1000000}

note() { printf '# %s\n' "$*" >&2; }
command -v sqlite3 >/dev/null || { echo "run-erp.sh: sqlite3 is needed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "run-erp.sh: /usr/bin/time is needed (apt-get install time)" >&2; exit 1; }
. "$here/lib.sh"
build_s75

d="$data/$N"
mkdir -p "$d"
if [ ! -s "$d/ledger.csv" ] || [ "$here/gen.py" -nt "$d/ledger.csv" ]; then
	note "generating $N rows into $d"
	python3 "$here/gen.py" "$N" "$d" --csv-only || exit 1
fi
if [ ! -s "$d/ledger-erp.csv" ] || [ "$d/ledger.csv" -nt "$d/ledger-erp.csv" ] ||
	[ "$here/gen_erp.py" -nt "$d/ledger-erp.csv" ]; then
	note "writing the ERP variant"
	python3 "$here/gen_erp.py" "$d" || exit 1
fi

ws="$data/ws-erp-$N"
db="$data/floor-erp-$N.db"
fresh_ws() {
	rm -rf "$ws"
	mkdir -p "$ws"
	cp "$d/erp-agreement.yaml" "$ws/agreement.yaml"
	cp "$d/cost-centres.csv" "$d/budgets-2017-18.csv" "$d/erp-codes.csv" "$ws/"
	"$S75" -C "$ws" init >/dev/null
}
echo "== N = $N rows ($(du -m "$d/ledger-erp.csv" | cut -f1) MB CSV), profile erp: 500-code map file + include_when"
echo "machine: $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
S=""; Q=""; SC=""; QC=""; SW=""; QW=""
for ((i = 1; i <= RUNS; i++)); do
	fresh_ws
	measure "$data/.out-import" "$S75" -C "$ws" import actuals "$d/ledger-erp.csv" --profile erp -q || exit 1
	W=$(awk -v w="${W:-0}" 'BEGIN { printf "%.1f", w / 1048576 }') # MB
	grep -q "$N rows read, $N imported, 0 rejected" "$data/.out-import" ||
		{ note "s75 import did not import $N rows:"; cat "$data/.out-import" >&2; exit 1; }
	S="$S $T"; SC="$SC $C"; SW="$SW $W"
	printf '#   s75 import erp  %8.3f s  %6.1f MB  %6.2f s CPU  %7.1f MB written\n' "$T" "$(awk -v k="$M" 'BEGIN { print k / 1024 }')" "$C" "$W" >&2
	rm -f "$db"
	measure /dev/null sqlite3 "$db" -cmd ".mode csv" ".import $d/ledger-erp.csv t" || exit 1
	W=$(awk -v w="${W:-0}" 'BEGIN { printf "%.1f", w / 1048576 }') # MB
	Q="$Q $T"; QC="$QC $C"; QW="$QW $W"
	printf '#   sqlite3 import  %8.3f s            %6.2f s CPU  %7.1f MB written\n' "$T" "$C" "$W" >&2
done
s75_actual=$("$S75" -C "$ws" report monitoring --period 2017/18P12 --level pool --format csv |
	awk -F, 'NR == 2 { print $4 }')
sq_actual=$(sqlite3 "$db" "SELECT printf('%.2f', sum(CASE kind WHEN 'expenditure' THEN
	CAST(round(amount * 100) AS INTEGER) WHEN 'income' THEN -CAST(round(amount * 100) AS INTEGER)
	ELSE 0 END) / 100.0) FROM t")
if [ "$s75_actual" = "$sq_actual" ]; then
	echo "check: s75 actual to date $s75_actual = sqlite3's sum"
else
	echo "CHECK FAILED: s75 actual to date $s75_actual, sqlite3 says $sq_actual"
fi
[ "${KEEP:-0}" = 1 ] || rm -rf "$ws" "$db"
s=$(printf '%s' "$S" | median)
q=$(printf '%s' "$Q" | median)
sc=$(printf '%s' "$SC" | median)
qc=$(printf '%s' "$QC" | median)
sw=$(printf '%s' "$SW" | median)
qw=$(printf '%s' "$QW" | median)
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "s75 import (erp) runs:$S"
echo "sqlite3 import runs:  $Q"
awk -v s="$s" -v q="$q" -v sc="$sc" -v qc="$qc" -v n="$RUNS" -v sw="$sw" -v qw="$qw" 'BEGIN {
	printf "medians of %d runs: s75 import (erp) %.3f s (CPU %.2f s, %.1f MB written), sqlite3 import %.3f s (CPU %.2f s, %.1f MB written)\n", n, s, sc, sw, q, qc, qw
	printf "s75 import (erp) / sqlite3 import = %.2f   (target <= 1.5: %s; CPU time ratio %.2f)\n", s / q, (s / q <= 1.5) ? "met" : "MISSED", (qc > 0) ? sc / qc : 0 }'
rm -f "$data/.time" "$data/.written" "$data/.stderr" "$data"/.out-*
