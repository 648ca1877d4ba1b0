# Shared by bench/run.sh and bench/run-erp.sh: the release build, measuring, medians.
# Needs root, data and S75 set, and note() defined, before it is sourced.

build_s75() {
	if [ "$S75" = "$root/build-bench/s75" ]; then
		newer=$(find "$root/src" "$root/include" "$root/CMakeLists.txt" -newer "$S75" -print -quit 2>/dev/null)
		if [ ! -x "$S75" ] || [ -n "$newer" ]; then
			note "building release s75 in build-bench"
			if (cd "$root" && cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DS75_SANITIZE=OFF \
				-DS75_TESTS=OFF >/dev/null && cmake --build build-bench -j2 >/dev/null); then
				cp "$S75" "$S75.last-good"
			elif [ -x "$S75.last-good" ]; then
				note "build failed (sources being edited?): using the last good build, $S75.last-good"
				S75=$S75.last-good
			else
				echo "run.sh: build failed" >&2; exit 1
			fi
		fi
	fi
	[ -x "$S75" ] || { echo "run.sh: no s75 binary at $S75" >&2; exit 1; }
}

# --- measuring -----------------------------------------------------------------
# measure OUT CMD...: runs CMD with stdout to OUT; sets T (wall seconds, 3 decimals), M (KB),
# C (CPU seconds, user + system, 10 ms resolution: less disturbed by other load) and W (bytes
# written to the disk: write_bytes of /proc/PID/io of a shell around CMD, which counts the
# reaped CMD's). Returns CMD's exit status.
measure() {
	local out=$1; shift
	local tf="$data/.time" t0 t1 rc
	sync # let the previous run's writes reach the disk first, outside the timing
	rm -f "$data/.io"
	t0=$(date +%s%N)
	/usr/bin/time -f '%e %M %U %S' -o "$tf" sh -c '"$@"; rc=$?
		grep "^write_bytes" /proc/$$/io >"$0"; exit $rc' "$data/.io" "$@" >"$out" 2>"$data/.stderr"
	rc=$?
	t1=$(date +%s%N)
	W=$(awk '{ print $2 }' "$data/.io" 2>/dev/null)
	W=${W:-0}
	T=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	M=$(awk 'END { print $2 }' "$tf")
	C=$(awk 'END { printf "%.2f", $3 + $4 }' "$tf")
	if [ $rc -ne 0 ]; then
		note "failed ($rc): $*"
		sed 's/^/#   /' "$data/.stderr" | head -5 >&2
	fi
	return $rc
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{ a[NR] = $1 } END {
	if (NR == 0) print ""; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }


# --- the statutory reports of issue 15 point 2 (run.sh, statutory-cpu.sh) -------------
STATUTORY_REPORTS=("monitoring pool" "monitoring element" "monitoring cost-centre" riskshare settle
	quarterly annual-return)
# statutory_args REPORT: sets args to the command of one of STATUTORY_REPORTS (2017/18 at P12)
statutory_args() {
	case $1 in
	monitoring*) args=(report monitoring --period 2017/18P12 --level "${1#monitoring }") ;;
	riskshare) args=(riskshare --period 2017/18P12) ;;
	settle) args=(settle --year 2017/18) ;;
	quarterly) args=(report quarterly --year 2017/18 --quarter 4) ;;
	annual-return) args=(report annual-return --year 2017/18) ;;
	esac
}
