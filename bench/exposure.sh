#!/bin/sh
# Benchmark `s75 exposure`: draws per second through a rule with three bands and a cap
# (bench/exposure/agreement.yaml), on 1 and 2 threads, and 10^6 draws for three options
# (as agreed, 70:30, 60:40); then the generator alone (bench/exposure/rng.c).
# usage: bench/exposure.sh [DRAWS]   (default 1000000). Environment: RUNS (default 3).
# Builds the release binary in build-bench/ as bench/run.sh does. Reports the median wall
# time of RUNS runs around the whole command (load, draws, sorting, output) and its CPU
# time (user + system, /usr/bin/time): on a shared machine the wall time on 2 threads
# depends on what else runs, the CPU time much less.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
N=${1:-1000000}
RUNS=${RUNS:-3}
(cd "$root" && cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DS75_SANITIZE=OFF \
	-DS75_TESTS=OFF >/dev/null && cmake --build build-bench -j2 >/dev/null)
S75=$root/build-bench/s75
ag=$here/exposure/agreement.yaml
ranges=$here/exposure/ranges.csv
ms() { date +%s%N | cut -c1-13; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| what | threads | draws | median wall (s) | draws a second (wall) | CPU (s) | draws a CPU-second |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for case in "1 agreed" "2 agreed" "1 three" "2 three"; do
	set -- $case
	t=$1
	extra=""
	[ "$2" = three ] && extra="--ratios 70:30,60:40"
	times=""
	cpus=""
	for r in $(seq "$RUNS"); do
		s=$(ms)
		# shellcheck disable=SC2086
		/usr/bin/time -f '%U %S' -o /tmp/s75-exposure-bench.time "$S75" --agreement "$ag" exposure \
			--ranges "$ranges" --draws "$N" --threads "$t" $extra -f csv >/tmp/s75-exposure-bench.csv
		e=$(ms)
		times="$times $((e - s))"
		cpus="$cpus $(awk '{printf "%d", ($1 + $2) * 1000}' /tmp/s75-exposure-bench.time)"
	done
	m=$(for x in $times; do echo "$x"; done | median)
	c=$(for x in $cpus; do echo "$x"; done | median)
	what="as agreed (3 bands + cap)"
	[ "$2" = three ] && what="3 options"
	awk -v w="$what" -v t="$t" -v n="$N" -v m="$m" -v c="$c" 'BEGIN { printf "| %s | %d | %d | %.2f | %.0f | %.2f | %.0f |\n", w, t, n, m / 1000, n / (m / 1000), c / 1000, n / (c / 1000) }'
done
# the same result on 1 and 2 threads
"$S75" --agreement "$ag" exposure --ranges "$ranges" --draws 100000 --threads 1 -f json > /tmp/s75-exposure-1.json
"$S75" --agreement "$ag" exposure --ranges "$ranges" --draws 100000 --threads 2 -f json > /tmp/s75-exposure-2.json
cmp /tmp/s75-exposure-1.json /tmp/s75-exposure-2.json && echo "1 and 2 threads: identical JSON"
cc -O2 -std=c11 -I"$root/include" -o /tmp/s75-rng-bench "$here/exposure/rng.c" \
	"$root/build-bench/src/lib/libs75_compute.a" "$root/build-bench/src/lib/libs75_store.a" \
	"$root/build-bench/src/lib/libs75_model.a" "$root/build-bench/src/lib/libs75_base.a" $(pkg-config --libs libfyaml jansson sqlite3 xlsxwriter libcrypto) -lm -lpthread
/tmp/s75-rng-bench
