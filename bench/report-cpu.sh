#!/usr/bin/env bash
# Benchmark: the CPU time of one report, for s75 binaries (say, before and after a change),
# interleaved on the same data.
#
# usage: bench/report-cpu.sh [-n N] BINARY...        (default N = 1000000)
#
# Generates bench/data/N/ with gen.py if missing; each binary imports the ledger into a
# workspace of its own (`s75 -C WS init`, `import actuals ledger.csv`). Then, RUNS times
# (default 5), for each binary in turn: LOOPS (default 20) runs of `s75 -C WS report
# monitoring --period 2017/18P12 --level cost-centre --format csv` timed as one (a report
# takes less than /usr/bin/time's 10 ms resolution). Prints the medians per report of wall
# and CPU (user + system) time, and checks that every binary printed the same report.
# Environment: RUNS (5), LOOPS (20).
set -u
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
data="$here/data"
RUNS=${RUNS:-5}
LOOPS=${LOOPS:-20}
N=1000000
[ "${1:-}" = -n ] && { N=$2; shift 2; }
[ $# -ge 1 ] || { echo "usage: bench/report-cpu.sh [-n N] BINARY..." >&2; exit 2; }
bins=("$@")
names=(A B C D E F G H)

note() { printf '# %s\n' "$*" >&2; }
[ -x /usr/bin/time ] || { echo "report-cpu.sh: /usr/bin/time is needed (apt-get install time)" >&2; exit 1; }
. "$here/lib.sh"
d=$data/$N
[ -f "$d/ledger.csv" ] || { note "generating $d"; python3 "$here/gen.py" "$N" "$d" >/dev/null || exit 1; }

declare -A WS WALL CPU
trap 'for w in "${WS[@]}"; do rm -rf "$w"; done' EXIT
for i in "${!bins[@]}"; do
	which=${names[$i]} bin=${bins[$i]}
	WS[$which]=$(mktemp -d "$data/.ws-report-XXXXXX")
	cp "$d/agreement.yaml" "$d/cost-centres.csv" "$d/budgets-2017-18.csv" "${WS[$which]}/"
	"$bin" -C "${WS[$which]}" init >/dev/null || exit 1
	"$bin" -C "${WS[$which]}" import actuals "$d/ledger.csv" -q >/dev/null || exit 1
	"$bin" -C "${WS[$which]}" report monitoring --period 2017/18P12 --level cost-centre \
		--format csv >"$data/.report-$which" || exit 1
	cmp -s "$data/.report-A" "$data/.report-$which" ||
		{ echo "report-cpu.sh: $which printed another report than A" >&2; exit 1; }
done
for run in $(seq 1 "$RUNS"); do
	for i in "${!bins[@]}"; do
		which=${names[$i]} bin=${bins[$i]}
		measure "$data/.out-report" sh -c 'i=0; while [ $i -lt "$1" ]; do
			"$2" -C "$3" report monitoring --period 2017/18P12 --level cost-centre \
				--format csv >/dev/null || exit 1; i=$((i + 1)); done' sh "$LOOPS" "$bin" \
			"${WS[$which]}" || exit 1
		t=$(awk -v t="$T" -v n="$LOOPS" 'BEGIN { printf "%.2f", t * 1000 / n }')
		c=$(awk -v c="$C" -v n="$LOOPS" 'BEGIN { printf "%.2f", c * 1000 / n }')
		WALL[$which]="${WALL[$which]:-} $t"
		CPU[$which]="${CPU[$which]:-} $c"
		printf '#   %s run %d: %7.2f ms wall %7.2f ms CPU per report\n' "$which" "$run" "$t" "$c" >&2
	done
done

printf '\nreport monitoring --level cost-centre at %s rows, per report, medians of %s runs of %s (interleaved)\n' \
	"$N" "$RUNS" "$LOOPS"
printf '%-4s %10s %10s\n' "" "wall ms" "CPU ms"
for i in "${!bins[@]}"; do
	which=${names[$i]}
	printf '%-4s %10s %10s\n' "$which" "$(echo "${WALL[$which]}" | median)" "$(echo "${CPU[$which]}" | median)"
done
for i in "${!bins[@]}"; do printf '%s = %s\n' "${names[$i]}" "${bins[$i]}"; done
