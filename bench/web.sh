#!/usr/bin/env bash
# Load on the web dashboard: `s75 serve` over a workspace of 1,000,000 ledger rows, `wrk`
# over loopback for 30 s with 64 connections against the pools page (/) and then a pool's
# monitoring page (/pool/ID), each while an import of another 1,000,000 rows runs alongside
# (from the command line, on the same s75.db). Reports requests/s, p50 and p99 latency,
# errors (socket errors and non-2xx answers) and the server's peak RSS, and from the
# server's own access log (serve --access-log) its time per request (p50, p99: from the
# handler's start to the response queued, without the waits in the kernel and in wrk) and
# how many times the page was built; the load average before and after.
#
# usage: bench/web.sh [N]   (default N = 1000000)
# Environment: DURATION (30s), CONNECTIONS (64), THREADS (wrk threads, 2), S75 (the
# binary; default build-bench/s75, built in Release if missing or older than the sources),
# KEEP=1 keeps the workspace, DATABASE (a PostgreSQL URI, schema=NAME included: the
# workspace's tables go there, `s75 init --database`, instead of s75.db; bench/run-pg.sh).
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
N=${1:-1000000}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
S75=${S75:-$root/build-bench/s75}
note() { printf '# %s\n' "$*" >&2; }

command -v wrk >/dev/null || { note "installing wrk"; flock /tmp/apt.lock apt-get install -y -qq wrk >&2; }
if [ ! -x "$S75" ] || [ -n "$(find "$root/src" "$root/include" -newer "$S75" -name '*.[ch]' | head -1)" ]; then
	note "building $S75 (Release)"
	cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release -DS75_TESTS=OFF >/dev/null
	cmake --build "$root/build-bench" -j2 --target s75 >/dev/null
fi
data="$here/data/$N"
[ -f "$data/ledger.csv" ] || { note "generating $data"; python3 "$here/gen.py" "$N" "$data" >&2; }

ws=$(mktemp -d)
pid=""
import_pid=""
cleanup() {
	[ -n "$import_pid" ] && kill "$import_pid" 2>/dev/null && wait "$import_pid" 2>/dev/null
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	[ "${KEEP:-}" = 1 ] && note "kept $ws" || rm -rf "$ws"
}
trap cleanup EXIT
cp "$data"/agreement.yaml "$data"/*.csv "$ws"/ 2>/dev/null
rm -f "$ws/ledger.csv"
cd "$ws"
export USER=bench
if [ -n "${DATABASE:-}" ]; then
	"$S75" init --database "$DATABASE" >/dev/null
else
	"$S75" init >/dev/null
fi
note "importing $N rows"
/usr/bin/time -f '# first import: %e s, %M KB' "$S75" import actuals "$data/ledger.csv" -q >/dev/null
# two more files of the same rows, each with other bytes (a suffix on the last column), to
# import alongside the two runs: the same rows again are a new batch, not a duplicate
for k in 2 3; do
	awk -v s="$k" 'NR == 1 { print; next } { print $0 s }' "$data/ledger.csv" >"ledger-$k.csv"
done
"$S75" user add bench@example.org --role pool-manager >/dev/null
printf 'correct horse battery\n' | "$S75" user password bench@example.org >/dev/null
"$S75" serve --listen 127.0.0.1:0 --access-log serve.log >serve.out 2>serve.err &
pid=$!
for _ in $(seq 100); do grep -q listening serve.out 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/.*listening on \(http:[^ ]*[0-9]\)\/$/\1/p' serve.out)
cookie=$(curl -s -D - -o /dev/null -H "Origin: $base" \
	-d 'email=bench@example.org&password=correct+horse+battery' "$base/login" |
	sed -n 's/^Set-Cookie: \(s75_session=[0-9a-f]*\);.*/\1/p')
[ -n "$cookie" ] || { note "cannot log in"; exit 1; }
pool=$(awk '/^arrangements:/ { f = 1 } f && /^  - id:/ { print $3; exit }' agreement.yaml)
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base/pool/$pool")" = 200 ] ||
	{ note "/pool/$pool does not answer 200"; exit 1; }

results=()
run() { # NAME PATH FILE
	note "wrk $DURATION x $CONNECTIONS connections on $2, importing $3 alongside"
	local from rps p50 p99 sock non2xx builds sp50 sp99
	from=$(($(wc -l <serve.log) + 1))
	/usr/bin/time -f '%e' -o "import-$1.time" "$S75" import actuals "$3" -q >/dev/null 2>"import-$1.err" &
	import_pid=$!
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: $cookie" "$base$2" >"wrk-$1.txt"
	wait "$import_pid" || { note "the import alongside failed:"; cat "import-$1.err" >&2; }
	import_pid=""
	rps=$(awk '/^Requests\/sec/ { print $2 }' "wrk-$1.txt")
	p50=$(awk '$1 == "50%" { print $2 }' "wrk-$1.txt")
	p99=$(awk '$1 == "99%" { print $2 }' "wrk-$1.txt")
	sock=$(awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "wrk-$1.txt")
	non2xx=$(awk '/Non-2xx/ { print $5 }' "wrk-$1.txt")
	# the server's own time for this page (microseconds), from its access log
	tail -n +"$from" serve.log | awk -v p="$2" '$5 == p { print $8 }' | sort -n >"server-$1.us"
	sp50=$(awk '{ a[NR] = $1 } END { printf "%.2fms", a[int(NR * 0.50) + 1] / 1000 }' "server-$1.us")
	sp99=$(awk '{ a[NR] = $1 } END { printf "%.2fms", a[int(NR * 0.99) + 1] / 1000 }' "server-$1.us")
	builds=$(tail -n +"$from" serve.log | awk -v p="$2" '$5 == p && $9 == "build"' | wc -l)
	results+=("$(printf '| %-22s | %10s | %8s | %8s | %6s | %6s | %8s | %8s | %8s | %6s |' "$2" "$rps" \
		"$p50" "$p99" "${sock:-0}" "${non2xx:-0}" "$(cat "import-$1.time")" "$sp50" "$sp99" "$builds")")
	cat "wrk-$1.txt" >&2
}
load0=$(cut -d' ' -f1-3 /proc/loadavg)
run pools / ledger-2.csv
run monitoring "/pool/$pool" ledger-3.csv
rss=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")
threads=$(awk '/^Threads/ { print $2 }' "/proc/$pid/status")
echo "s75 serve over $N ledger rows on $([ -n "${DATABASE:-}" ] && echo PostgreSQL || echo SQLite) (then 2N, 3N as the imports alongside land); $(nproc) cores;" \
	"wrk -t$THREADS -c$CONNECTIONS -d$DURATION; server threads $threads"
echo "| page                   |  req/s     |   p50    |   p99    | sock.e | non2xx | import s | srv p50  | srv p99  | builds |"
echo "|------------------------|------------|----------|----------|--------|--------|----------|----------|----------|--------|"
printf '%s\n' "${results[@]}"
echo "server peak RSS: $((rss / 1024)) MB; load average before $load0, after $(cut -d' ' -f1-3 /proc/loadavg)"
[ -s serve.err ] && { note "the server wrote to stderr:"; cat serve.err >&2; }
exit 0
