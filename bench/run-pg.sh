#!/usr/bin/env bash
# Benchmark s75 on PostgreSQL (issue 17, point 6) in ONE run and ONE table (bench/README.md):
#   pg s75 import     s75 -C WS import actuals ledger.csv -q, WS a fresh workspace whose tables
#                     are a fresh schema of the cluster (s75 init --database URI&schema=NAME)
#   psql \copy        psql -c "\copy t FROM 'ledger.csv' CSV HEADER", t a fresh unindexed
#                     table of text columns (the floor: what PostgreSQL's COPY alone costs)
#   pg monitoring L   s75 -C WS report monitoring --period 2017/18P12 --level L --format csv,
#                     L = pool, element, cost-centre, on the last workspace imported
#   web (PostgreSQL)  bench/web.sh with the server's workspace in the same cluster (its own table)
# The two imports are interleaved, so load from anything else falls on both alike. The
# cluster is a throw-away one (scripts/pg-cluster.sh: Unix socket, fsync off), started here
# and stopped at the end.
#
# usage: bench/run-pg.sh [N...]      (default N = 1000000; 10000000 for the 10M-row report)
# Environment: RUNS (5), REPORT_RUNS (11), WEB (1; 0 skips bench/web.sh, which runs at the
# first N), DURATION (web.sh's, 30s), S75 (the binary; default build-bench/s75, built if
# missing or older than the sources).
set -u
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
data="$here/data"
RUNS=${RUNS:-5}
REPORT_RUNS=${REPORT_RUNS:-11}
WEB=${WEB:-1}
S75=${S75:-$root/build-bench/s75}
[ $# -gt 0 ] || set -- 1000000
note() { printf '# %s\n' "$*" >&2; }

command -v psql >/dev/null || { note "installing postgresql"; flock /tmp/apt.lock apt-get install -y -qq postgresql >&2; }
[ -x /usr/bin/time ] || { echo "run-pg.sh: /usr/bin/time is needed (apt-get install time)" >&2; exit 1; }
mkdir -p "$data"
. "$here/lib.sh"
build_s75

cluster=$(mktemp -d /tmp/s75-bench-pg.XXXXXX)
rmdir "$cluster"
cleanup() { sh "$root/scripts/pg-cluster.sh" stop "$cluster"; }
trap cleanup EXIT
url=$(sh "$root/scripts/pg-cluster.sh" start "$cluster") || { echo "run-pg.sh: no cluster" >&2; exit 1; }
pg() { PGOPTIONS="-c client_min_messages=warning" psql "$url" -X -q -v ON_ERROR_STOP=1 "$@"; }

declare -A TIMES MEM RUNSOF CPU
ROWS=()
record() { # tool seconds kb (C: the CPU seconds)
	local k="$N|$1"
	[ -n "${RUNSOF[$k]:-}" ] || ROWS+=("$k")
	TIMES[$k]="${TIMES[$k]:-} $2"
	CPU[$k]="${CPU[$k]:-} $C"
	RUNSOF[$k]=$((${RUNSOF[$k]:-0} + 1))
	local m=${MEM[$k]:-0}
	[ "$3" -gt "$m" ] && MEM[$k]=$3
	printf '#   %-28s %8.3f s %8.1f MB %8.2f s CPU\n' "$1" "$2" "$(awk -v k="$3" 'BEGIN { print k / 1024 }')" "$C" >&2
}
med() { printf '%s' "${TIMES[$1]:-}" | median; }

printf 'machine: %s cores, %s MB RAM; load average at the start: %s\n' "$(nproc)" \
	"$(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%s (%s); %s\n' "$("$S75" version 2>/dev/null | head -1)" "${S75#$root/}" "$(pg -At -c 'SELECT version()' | cut -d' ' -f1-2)"

web_out=""
first=1
for N in "$@"; do
	d="$data/$N"
	if [ ! -s "$d/ledger.csv" ] || [ "$here/gen.py" -nt "$d/ledger.csv" ]; then
		note "generating $N rows into $d"
		python3 "$here/gen.py" "$N" "$d" --csv-only || { echo "run-pg.sh: gen.py failed" >&2; exit 1; }
	fi
	echo
	echo "== N = $N rows ($(du -m "$d/ledger.csv" | cut -f1) MB CSV); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	ws="$data/pg-ws-$N"
	for ((i = 1; i <= RUNS; i++)); do
		schema="bench_${N}_$i"
		pg -c "DROP SCHEMA IF EXISTS bench_${N}_$((i - 1)) CASCADE" -c "DROP SCHEMA IF EXISTS $schema CASCADE"
		rm -rf "$ws"; mkdir -p "$ws"
		cp "$d/agreement.yaml" "$d/cost-centres.csv" "$d/budgets-2017-18.csv" "$ws/"
		"$S75" -C "$ws" init --database "$url&schema=$schema" >/dev/null || exit 1
		measure "$data/.out-import" "$S75" -C "$ws" import actuals "$d/ledger.csv" -q || exit 1
		grep -q "$N rows read, $N imported, 0 rejected" "$data/.out-import" ||
			{ note "s75 import did not import $N rows:"; cat "$data/.out-import" >&2; exit 1; }
		record "pg s75 import" "$T" "$M"
		pg -c "DROP TABLE IF EXISTS t" -c "CREATE TABLE t (date text, partner text, cost_centre text,
			account text, kind text, amount text, description text, reference text)"
		measure /dev/null psql "$url" -X -q -v ON_ERROR_STOP=1 -c "\\copy t FROM '$d/ledger.csv' CSV HEADER" || exit 1
		record "psql \\copy" "$T" "$M"
	done
	[ "$(pg -At -c 'SELECT count(*) FROM t')" = "$N" ] || { note "psql \\copy did not copy $N rows"; exit 1; }
	for level in pool element cost-centre; do
		for ((i = 1; i <= REPORT_RUNS; i++)); do
			measure /dev/null "$S75" -C "$ws" report monitoring --period 2017/18P12 --level "$level" --format csv || exit 1
			record "pg monitoring $level" "$T" "$M"
		done
	done
	# the answers agree: s75's actual to date = the floor table's expenditure - income, in pence
	s75_actual=$("$S75" -C "$ws" report monitoring --period 2017/18P12 --level pool --format csv |
		awk -F, 'NR == 2 { print $4 }')
	pg_actual=$(pg -At -c "SELECT to_char(sum(CASE kind WHEN 'expenditure' THEN amount::numeric
		WHEN 'income' THEN -amount::numeric ELSE 0 END), 'FM999999999999990.00') FROM t
		WHERE date BETWEEN '2017-04-01' AND '2018-03-31'")
	if [ "$s75_actual" = "$pg_actual" ]; then
		echo "check: s75 actual to date $s75_actual = PostgreSQL's sum of the copied file"
	else
		echo "CHECK FAILED: s75 actual to date $s75_actual, PostgreSQL says $pg_actual"
	fi
	echo "PostgreSQL schema after the import: $(pg -At -c "SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid)))
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '$schema'"),"\
		"$(pg -At -c "SELECT count(*) FROM $schema.ledger_agg") aggregate rows (what the report reads)"
	pg -c "DROP SCHEMA $schema CASCADE" -c "DROP TABLE t"
	rm -rf "$ws"
	if [ "$first" = 1 ] && [ "$WEB" = 1 ]; then
		note "bench/web.sh $N with the server on PostgreSQL"
		web_out=$(DATABASE="$url&schema=bench_web" S75="$S75" bash "$here/web.sh" "$N") ||
			{ echo "run-pg.sh: bench/web.sh failed" >&2; exit 1; }
		pg -c "DROP SCHEMA bench_web CASCADE"
	fi
	first=0
done

# --- the one table ---------------------------------------------------------------------------
# ratio: the import to psql's \copy of the same file (target <= 2.0); a report to 50 ms
echo
echo "machine: $(nproc) cores; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-10s %-26s %4s %9s %8s %8s %8s %s\n' N tool runs "median s" "CPU s" "peak MB" ratio target
printf '%s\n' "------------------------------------------------------------------------------------------------"
for k in "${ROWS[@]}"; do
	n=${k%%|*}; tool=${k#*|}
	m=$(med "$k")
	c=$(printf '%s' "${CPU[$k]:-}" | median)
	ratio=""; target=""
	case $tool in
	"pg s75 import")
		ratio=$(awk -v a="$m" -v b="$(med "$n|psql \\copy")" 'BEGIN { if (b > 0) printf "%.2f", a / b }')
		target="<= 2.0 x psql \\copy: $(awk -v r="$ratio" 'BEGIN { print (r <= 2.0) ? "met" : "MISSED" }')" ;;
	"pg monitoring "*)
		ratio=$(awk -v a="$m" 'BEGIN { printf "%.2f", a / 0.050 }')
		met=$(awk -v r="$ratio" -v kb="${MEM[$k]}" 'BEGIN { print (r <= 1.0 && kb < 100 * 1024) ? "met" : "MISSED" }')
		[ "$met" = MISSED ] && awk -v c="$c" 'BEGIN { exit !(c <= 0.050) }' && met="MISSED (CPU time met)"
		target="<= 50 ms: $met" ;;
	esac
	awk -v n="$n" -v t="$tool" -v r="${RUNSOF[$k]}" -v m="$m" -v c="$c" -v kb="${MEM[$k]}" \
		-v ra="$ratio" -v tg="$target" 'BEGIN {
		printf "%-10s %-26s %4d %9.3f %8.2f %8.1f %8s %s\n", n, t, r, m, c, kb / 1024, ra, tg }'
done
if [ -n "$web_out" ]; then
	echo
	echo "web dashboard on PostgreSQL (bench/web.sh $1):"
	printf '%s\n' "$web_out"
fi
rm -f "$data/.time" "$data/.stderr" "$data/.io" "$data"/.out-*
