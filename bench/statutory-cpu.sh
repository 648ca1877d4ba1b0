#!/usr/bin/env bash
# Benchmark: the CPU time and instructions of each statutory report (issue 15 point 2) for
# s75 binaries (say, main's and a branch's), interleaved, on workspaces already made.
#
# usage: bench/statutory-cpu.sh WS BINARY...
#
# WS is a workspace holding the 2,000 x 3 pool (bench/gen.py N DIR --csv-only --partners=3,
# then `s75 init` and `s75 import actuals` as bench/run.sh does). For each of the 21
# reports (monitoring at each level, riskshare, settle, quarterly, annual return, in json,
# xlsx and html; the commands of bench/run.sh), RUNS times (default 5), each binary in turn
# runs the report LOOPS times (default 10) timed as one by /usr/bin/time (a report takes
# less than its 10 ms resolution): the median CPU (user + system) per report, in ms. With
# CALLGRIND=1, each binary's report also runs once under valgrind --tool=callgrind: its
# instruction count (millions; exact, whatever the load). Environment: RUNS, LOOPS,
# CALLGRIND, ONLY (a grep pattern on "report-format", e.g. ONLY=xlsx).
set -u
export LC_ALL=C
[ $# -ge 2 ] || { echo "usage: bench/statutory-cpu.sh WS BINARY..." >&2; exit 2; }
ws=$1; shift
RUNS=${RUNS:-5} LOOPS=${LOOPS:-10} CALLGRIND=${CALLGRIND:-0} ONLY=${ONLY:-.}
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0; for b in "$@"; do n=$((n + 1)); echo "# binary $n: $b"; done
printf '%-28s' report; n=0; for b in "$@"; do n=$((n + 1)); printf ' %14s' "binary $n"; done; echo
for fmt in json xlsx html; do
	for rep in "${STATUTORY_REPORTS[@]}"; do
		statutory_args "$rep"
		name="${rep// /-}-$fmt"
		echo "$name" | grep -qE "$ONLY" || continue
		declare -A cpu=()
		for ((r = 1; r <= RUNS; r++)); do
			for b in "$@"; do
				/usr/bin/time -f '%U %S' -o "$tmp/t" bash -c 'for ((i = 0; i < $1; i++)); do
					"$2" -C "$3" "${@:5}" -o "$4" || exit 1; done' bash "$LOOPS" "$b" "$ws" "$tmp/out" \
					"${args[@]}" --format "$fmt" 2>/dev/null ||
					{ echo "statutory-cpu.sh: $b failed on $name" >&2; continue; }
				cpu[$b]="${cpu[$b]:-} $(awk -v l="$LOOPS" 'NR == 1 { printf "%.1f", ($1 + $2) * 1000 / l }' "$tmp/t")"
			done
		done
		printf '%-28s' "$name"
		for b in "$@"; do
			m=$(printf '%s\n' ${cpu[$b]} | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
			if [ "$CALLGRIND" = 1 ]; then
				ir=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$b" -C "$ws" "${args[@]}" \
					--format "$fmt" -o "$tmp/out.$fmt" 2>&1 | awk '/Collected/ { printf "%.0f", $4 / 1e6 }')
				printf ' %6s ms %4sM' "$m" "$ir"
			else
				printf ' %11s ms' "$m"
			fi
		done
		echo
	done
done
