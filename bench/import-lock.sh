#!/usr/bin/env bash
# Benchmark: how long an import takes, and how long it holds the database's write lock,
# for s75 binaries (say, before and after a change), interleaved on the same data.
#
# usage: bench/import-lock.sh [-n N] BINARY...        (default N = 1000000)
#
# Generates bench/data/N/ with gen.py if missing. Then, RUNS times (default 5), for each
# binary in turn (A, B, C ...): a fresh workspace (`s75 -C WS init`), then the timed `s75 -C WS import actuals
# ledger.csv -q`, while a probe (python3's sqlite3, one connection) tries `BEGIN
# IMMEDIATE` with no wait every 5 ms: the lock is "held" from the first try it refuses to
# the last. Prints the medians of wall time, CPU (user + system), the lock held and when it
# was first taken after the start, and the peak RSS (largest over the runs).
# Environment: RUNS (5).
set -u
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
data="$here/data"
RUNS=${RUNS:-5}
N=1000000
[ "${1:-}" = -n ] && { N=$2; shift 2; }
[ $# -ge 1 ] || { echo "usage: bench/import-lock.sh [-n N] BINARY..." >&2; exit 2; }
bins=("$@")
names=(A B C D E F G H)

note() { printf '# %s\n' "$*" >&2; }
command -v python3 >/dev/null || { echo "import-lock.sh: python3 is needed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "import-lock.sh: /usr/bin/time is needed (apt-get install time)" >&2; exit 1; }
. "$here/lib.sh"
d=$data/$N
[ -f "$d/ledger.csv" ] || { note "generating $d"; python3 "$here/gen.py" "$N" "$d" >/dev/null || exit 1; }

probe() { # DB STOPFILE OUT: the lock's first and last refusal, seconds since the epoch
	python3 - "$@" <<'EOF'
import os, sqlite3, sys, time
db, stop, out = sys.argv[1:4]
c = sqlite3.connect(db, timeout=0, isolation_level=None)
first = last = 0.0
while not os.path.exists(stop):
    try:
        c.execute("BEGIN IMMEDIATE")
        c.execute("ROLLBACK")
    except sqlite3.OperationalError:
        now = time.time()
        first = first or now
        last = now
    time.sleep(0.005)
open(out, "w").write("%.3f %.3f\n" % (first, last))
EOF
}

declare -A WALL CPU HELD FIRST MEM
for run in $(seq 1 "$RUNS"); do
	for i in "${!bins[@]}"; do
		which=${names[$i]} bin=${bins[$i]}
		ws=$(mktemp -d "$data/.ws-lock-XXXXXX")
		cp "$d/agreement.yaml" "$d/cost-centres.csv" "$d/budgets-2017-18.csv" "$ws/"
		"$bin" -C "$ws" init >/dev/null || exit 1
		probe "$ws/s75.db" "$ws/.stop" "$ws/.probe" &
		pid=$!
		sleep 0.3
		start=$(date +%s%N)
		measure "$data/.out-lock" "$bin" -C "$ws" import actuals "$d/ledger.csv" -q || exit 1
		touch "$ws/.stop"
		wait $pid
		read -r f l <"$ws/.probe"
		held=$(awk -v f="$f" -v l="$l" 'BEGIN { printf "%.3f", f ? l - f : 0 }')
		after=$(awk -v f="$f" -v s="$start" 'BEGIN { printf "%.3f", f ? f - s / 1e9 : 0 }')
		WALL[$which]="${WALL[$which]:-} $T"
		CPU[$which]="${CPU[$which]:-} $C"
		HELD[$which]="${HELD[$which]:-} $held"
		FIRST[$which]="${FIRST[$which]:-} $after"
		[ "$M" -gt "${MEM[$which]:-0}" ] && MEM[$which]=$M
		printf '#   %s run %d: %8.3f s wall %6.2f s CPU, lock held %7.3f s from %6.3f s, %6.1f MB\n' \
			"$which" "$run" "$T" "$C" "$held" "$after" "$(awk -v k="$M" 'BEGIN { print k / 1024 }')" >&2
		rm -rf "$ws"
	done
done

printf '\nimport of %s rows, medians of %s runs (interleaved)\n' "$N" "$RUNS"
printf '%-4s %10s %10s %12s %14s %10s\n' "" "wall s" "CPU s" "lock held s" "lock from s" "peak MB"
for i in "${!bins[@]}"; do
	which=${names[$i]}
	printf '%-4s %10s %10s %12s %14s %10.1f\n' "$which" \
		"$(echo "${WALL[$which]}" | median)" "$(echo "${CPU[$which]}" | median)" \
		"$(echo "${HELD[$which]}" | median)" "$(echo "${FIRST[$which]}" | median)" \
		"$(awk -v k="${MEM[$which]}" 'BEGIN { print k / 1024 }')"
done
for i in "${!bins[@]}"; do printf '%s = %s\n' "${names[$i]}" "${bins[$i]}"; done
