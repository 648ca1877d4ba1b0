#!/usr/bin/env bash
# Benchmark s75 against the sqlite3 floor and ledger, hledger and beancount.
#
# usage: bench/run.sh [N...]        (default N = 1000000)
#
# For each N: generates bench/data/N/ with bench/gen.py, then times, on the same data:
#   s75 import      s75 -C WS import actuals ledger.csv -q   (fresh workspace each run)
#   s75 report      s75 -C WS report monitoring --period 2017/18P12 --level cost-centre --format csv
#   sqlite3 import  sqlite3 DB '.mode csv' '.import ledger.csv t'   (fresh db each run)
#   sqlite3 query   SELECT cost_centre, kind, sum(amount) FROM t GROUP BY 1,2
#   sqlite3 floor   the import and the query in one sqlite3 process
#   ledger          ledger -f ledger.journal balance
#   hledger         hledger -f ledger.journal balance
#   beancount       bean-report ledger.beancount balances (or bean-query)
# Wall time is a nanosecond clock around `/usr/bin/time -f '%e %M'` (the %e of
# /usr/bin/time has only 10 ms resolution), peak memory its %M (max RSS, KB), bytes
# written the command's write_bytes in /proc/PID/io (temporary files included). Each
# measurement starts after a `sync`, so writeback of the previous run's output (a 700 MB
# database at 10M rows) does not land in the next run's time.
#
# SHAPE picks the pool: 2000x2 (default: 2,000 cost centres, 2 partners), 2000x3 (a third
# partner) or 21x2 (21 cost centres, the size of examples/oxfordshire-2017); its data goes
# in bench/data/N-SHAPE (bench/data/N for the default).
#
# Environment: IMPORT_ONLY=1 (only the two imports, s75's and sqlite3's: for the 10M
# linearity run), RUNS (default 5), REPORT_RUNS (default 11), SLOW (seconds, default 60:
# a journal tool slower than that on its first run is not repeated), JOURNAL_MAX_N
# (default 1000000: above it ledger, hledger and beancount are skipped), S75 (the binary;
# default build-bench/s75, built if missing or older than the sources), KEEP=1 keeps
# the workspaces and databases.
set -u
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
data="$here/data"
RUNS=${RUNS:-5}
REPORT_RUNS=${REPORT_RUNS:-11}
SLOW=${SLOW:-60}
JOURNAL_MAX_N=${JOURNAL_MAX_N:-1000000}
S75=${S75:-$root/build-bench/s75}
SHAPE=${SHAPE:-2000x2}
case $SHAPE in
2000x2) gen_args=(); suffix="" ;;
2000x3) gen_args=(--partners=3); suffix="-$SHAPE" ;;
21x2) gen_args=(--cost-centres=21); suffix="-$SHAPE" ;;
*) echo "run.sh: SHAPE is 2000x2, 2000x3 or 21x2" >&2; exit 2 ;;
esac
[ $# -gt 0 ] || set -- 1000000

note() { printf '# %s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------
need_pkgs=()
command -v sqlite3 >/dev/null || need_pkgs+=(sqlite3)
[ -x /usr/bin/time ] || need_pkgs+=(time)
command -v ledger >/dev/null || need_pkgs+=(ledger)
command -v hledger >/dev/null || need_pkgs+=(hledger)
command -v bean-report >/dev/null || command -v bean-query >/dev/null || need_pkgs+=(beancount)
if [ ${#need_pkgs[@]} -gt 0 ]; then
	note "installing: ${need_pkgs[*]}"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	for p in "${need_pkgs[@]}"; do
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "$p" >/dev/null 2>&1 ||
			{ $sudo apt-get update >/dev/null 2>&1 &&
				DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "$p" >/dev/null 2>&1; } ||
			note "could not install $p: skipped"
	done
fi
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time is needed (apt-get install time)" >&2; exit 1; }
have_sqlite=1; command -v sqlite3 >/dev/null || { have_sqlite=0; note "no sqlite3: floor skipped"; }
have_ledger=1; command -v ledger >/dev/null || { have_ledger=0; note "no ledger: skipped"; }
have_hledger=1; command -v hledger >/dev/null || { have_hledger=0; note "no hledger: skipped"; }
bean=""
if command -v bean-report >/dev/null; then bean="bean-report"
elif command -v bean-query >/dev/null; then bean="bean-query"
else note "no beancount: skipped"; fi

# --- s75 release build and measuring (bench/lib.sh) ------------------------------
. "$here/lib.sh"
build_s75

declare -A TIMES MEM RUNSOF CPU WRITTEN
declare -A PERROW PERROWC # N -> s75 import's median microseconds per row (wall, CPU)
record() { # tool seconds kb (and C, the CPU seconds, and W, the MB written)
	TIMES[$1]="${TIMES[$1]:-} $2"
	CPU[$1]="${CPU[$1]:-} $C"
	WRITTEN[$1]="${WRITTEN[$1]:-} $W"
	RUNSOF[$1]=$((${RUNSOF[$1]:-0} + 1))
	local m=${MEM[$1]:-0}
	[ "$3" -gt "$m" ] && MEM[$1]=$3
	printf '#   %-15s %8.3f s %8.1f MB %8.2f s CPU %8.1f MB written\n' "$1" "$2" "$(awk -v k="$3" 'BEGIN { print k / 1024 }')" "$C" "$W" >&2
}

fresh_ws() { # dir
	rm -rf "$1"
	mkdir -p "$1"
	cp "$d/agreement.yaml" "$d/cost-centres.csv" "$d/budgets-2017-18.csv" "$1/"
	"$S75" -C "$1" init >/dev/null
}

# journal tool: name, runs up to RUNS times, stops after the first if slower than SLOW
run_journal_tool() {
	local name=$1; shift
	local i
	for ((i = 1; i <= RUNS; i++)); do
		measure "$data/.out-$name" "$@" || return
		record "$name" "$T" "$M"
		if awk -v t="$T" -v s="$SLOW" 'BEGIN { exit !(t > s) }'; then
			[ "$i" -lt "$RUNS" ] && note "$name took > ${SLOW} s: not repeated"
			break
		fi
	done
}

# --- the benchmark ---------------------------------------------------------------
printf 'machine: %s cores, %s, %s MB RAM\n' "$(nproc)" \
	"$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)" \
	"$(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo)"
printf '%s (%s, built %s); %s; %s; %s; %s\n' "$("$S75" version 2>/dev/null | head -1)" "${S75#$root/}" \
	"$(date -r "$S75" '+%Y-%m-%d %H:%M')" \
	"sqlite3 $(sqlite3 --version 2>/dev/null | cut -d' ' -f1)" \
	"$( ((have_ledger)) && ledger --version | head -1 | sed 's/,.*//')" \
	"$( ((have_hledger)) && hledger --version | head -1 | sed 's/,.*//')" \
	"$([ -n "$bean" ] && echo "beancount $(dpkg-query -W -f='${Version}' beancount 2>/dev/null)")"

for N in "$@"; do
	TIMES=(); MEM=(); RUNSOF=(); CPU=(); WRITTEN=()
	d="$data/$N$suffix"
	journals=1
	[ "$N" -le "$JOURNAL_MAX_N" ] || journals=0
	if [ ! -s "$d/ledger.csv" ] || { ((journals)) && [ ! -s "$d/ledger.beancount" ]; } ||
		[ "$here/gen.py" -nt "$d/ledger.csv" ]; then
		note "generating $N rows into $d"
		if ((journals)); then python3 "$here/gen.py" "$N" "$d" "${gen_args[@]}"
		else python3 "$here/gen.py" "$N" "$d" --csv-only "${gen_args[@]}"; fi || { echo "run.sh: gen.py failed" >&2; exit 1; }
	fi
	"$S75" -C "$d" check >/dev/null 2>"$data/.stderr" || { cat "$data/.stderr" >&2; exit 1; }
	echo
	echo "== N = $N rows ($(du -m "$d/ledger.csv" | cut -f1) MB CSV), pool $SHAPE (cost centres x partners); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

	# s75 import (fresh workspace each run) and the sqlite3 floor (fresh db each run),
	# interleaved so that anything else on the machine weighs on both alike
	ws="$data/ws-$N$suffix"
	db="$data/floor-$N$suffix.db"
	q="SELECT cost_centre, kind, sum(amount) FROM t GROUP BY 1,2;"
	for ((i = 1; i <= RUNS; i++)); do
		fresh_ws "$ws"
		measure "$data/.out-import" "$S75" -C "$ws" import actuals "$d/ledger.csv" -q || exit 1
		grep -q "$N rows read, $N imported, 0 rejected" "$data/.out-import" ||
			{ note "s75 import did not import $N rows:"; cat "$data/.out-import" >&2; exit 1; }
		record "s75 import" "$T" "$M"
		((have_sqlite)) || continue
		rm -f "$db"
		measure /dev/null sqlite3 "$db" -cmd ".mode csv" ".import $d/ledger.csv t" || exit 1
		record "sqlite3 import" "$T" "$M"
		[ "${IMPORT_ONLY:-0}" = 1 ] && continue
		measure /dev/null sqlite3 "$db" "$q" || exit 1
		record "sqlite3 query" "$T" "$M"
		rm -f "$db"
		measure /dev/null sqlite3 "$db" -cmd ".mode csv" ".import $d/ledger.csv t" "$q" || exit 1
		record "sqlite3 floor" "$T" "$M"
	done
	# s75 report on the last workspace
	[ "${IMPORT_ONLY:-0}" = 1 ] && REPORT_RUNS=0
	for ((i = 1; i <= REPORT_RUNS; i++)); do
		measure /dev/null "$S75" -C "$ws" report monitoring --period 2017/18P12 \
			--level cost-centre --format csv || exit 1
		record "s75 report" "$T" "$M"
	done
	echo "s75 database: $(du -m "$ws/s75.db" | cut -f1) MB; $(sqlite3 "$ws/s75.db" \
		'SELECT count(*) FROM ledger_agg' 2>/dev/null) aggregate rows (what the report reads)"

	# the answers agree: s75's actual to date = the floor's expenditure - income
	if ((have_sqlite)); then
		s75_actual=$("$S75" -C "$ws" report monitoring --period 2017/18P12 --level pool --format csv |
			awk -F, 'NR == 2 { print $4 }')
		sq_actual=$(sqlite3 "$db" "SELECT printf('%.2f', sum(CASE kind WHEN 'expenditure' THEN
			CAST(round(amount * 100) AS INTEGER) WHEN 'income' THEN -CAST(round(amount * 100) AS INTEGER)
			ELSE 0 END) / 100.0) FROM t WHERE date >= '2017-04-01' AND date <= '2018-03-31'")
		if [ "$s75_actual" = "$sq_actual" ]; then
			echo "check: s75 actual to date $s75_actual = sqlite3's sum"
		else
			echo "CHECK FAILED: s75 actual to date $s75_actual, sqlite3 says $sq_actual"
		fi
		[ "${KEEP:-0}" = 1 ] || rm -f "$db"
	fi

	# the ledger tools
	[ "${IMPORT_ONLY:-0}" = 1 ] && journals=0
	if ((journals)); then
		((have_ledger)) && run_journal_tool ledger ledger -f "$d/ledger.journal" balance
		((have_hledger)) && run_journal_tool hledger hledger -f "$d/ledger.journal" balance
		# beancount caches its parse in .ledger.beancount.picklecache: measure the parse
		export BEANCOUNT_DISABLE_LOAD_CACHE=1
		rm -f "$d/.ledger.beancount.picklecache"
		if [ "$bean" = bean-report ]; then
			run_journal_tool beancount bean-report "$d/ledger.beancount" balances
		elif [ -n "$bean" ]; then
			run_journal_tool beancount bean-query "$d/ledger.beancount" \
				"SELECT account, sum(position) GROUP BY account"
		fi
	else
		note "N > $JOURNAL_MAX_N: ledger, hledger and beancount skipped"
	fi
	[ "${KEEP:-0}" = 1 ] || rm -rf "$ws"

	# table
	med() { printf '%s' "${TIMES[$1]:-}" | median; }
	floor=$(med "sqlite3 import")
	s75i=$(med "s75 import")
	s75r=$(med "s75 report")
	s75ir=$(awk -v a="$s75i" -v b="$s75r" 'BEGIN { printf "%.3f", a + b }')
	printf '\n%-15s %4s %10s %9s %12s %14s %10s %10s %10s\n' tool runs "median s" "peak MB" "÷ sqlite3" "÷ s75 imp+rep" "median CPU" "CPU ÷ sq3" "MB written"
	printf '%s\n' "------------------------------------------------------------------------------------------------------------"
	for tool in "s75 import" "s75 report" "sqlite3 import" "sqlite3 query" "sqlite3 floor" \
		ledger hledger beancount; do
		[ -n "${TIMES[$tool]:-}" ] || continue
		m=$(med "$tool")
		c=$(printf '%s' "${CPU[$tool]:-}" | median)
		w=$(printf '%s' "${WRITTEN[$tool]:-}" | median)
		cf=$(printf '%s' "${CPU["sqlite3 import"]:-}" | median)
		awk -v t="$tool" -v n="${RUNSOF[$tool]}" -v m="$m" -v kb="${MEM[$tool]}" -v f="$floor" -v c="$c" \
			-v s="$s75ir" -v cf="${cf:-0}" -v w="$w" 'BEGIN {
			r1 = (f > 0) ? sprintf("%.2f", m / f) : "-"
			r2 = (t !~ /^s75/ && s > 0) ? sprintf("%.1f", m / s) : "-"
			r3 = (cf > 0) ? sprintf("%.2f", c / cf) : "-"
			printf "%-15s %4d %10.3f %9.1f %12s %14s %10.2f %10s %10.1f\n", t, n, m, kb / 1024, r1, r2, c, r3, w }'
	done
	echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
	PERROW[$N]=$(awk -v i="$s75i" -v n="$N" 'BEGIN { printf "%.3f", i / n * 1e6 }')
	echo "s75 import: ${PERROW[$N]} µs per row"
	ci=$(printf '%s' "${CPU["s75 import"]:-}" | median)
	cf=$(printf '%s' "${CPU["sqlite3 import"]:-}" | median)
	PERROWC[$N]=$(awk -v c="$ci" -v n="$N" 'BEGIN { printf "%.3f", c / n * 1e6 }')
	awk -v i="$s75i" -v r="$s75r" -v f="$floor" -v kb="${MEM["s75 import"]}" \
		-v kr="${MEM["s75 report"]:-0}" -v ci="$ci" -v cf="$cf" 'BEGIN {
		if (f > 0) printf "s75 import / sqlite3 import = %.2f   (target <= 1.0: %s; CPU time ratio %.2f)\n", i / f, (i / f <= 1.0) ? "met" : "MISSED", (cf > 0) ? ci / cf : 0
		if (r != "") printf "s75 report = %.1f ms   (target < 50 ms: %s)\n", r * 1000, (r < 0.050) ? "met" : "MISSED"
		m = (kb > kr) ? kb : kr
		printf "s75 peak memory = %.1f MB   (target < 100 MB: %s)\n", m / 1024, (m < 100 * 1024) ? "met" : "MISSED" }'
done
rm -f "$data/.time" "$data/.written" "$data/.stderr" "$data"/.out-*
# linear: the import's time per row at each N against the smallest N (target within 10%)
if [ $# -gt 1 ]; then
	echo
	first=$1
	for N in "$@"; do
		awk -v n="$N" -v a="${PERROW[$N]}" -v f="$first" -v b="${PERROW[$first]}" \
			-v ac="${PERROWC[$N]}" -v bc="${PERROWC[$first]}" 'BEGIN {
			printf "s75 import per row at N = %s: %.3f µs = %.2f × N = %s (CPU %.3f µs = %.2f ×)", n, a, a / b, f, ac, ac / bc
			if (n != f) printf "   (target within 10%%: %s)", (a / b <= 1.10) ? "met" : "MISSED"
			printf "\n" }'
	done
fi
