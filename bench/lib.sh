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
# C (CPU seconds, user + system, 10 ms resolution: less disturbed by other load) and W (MB
# written: the write_bytes of /proc/PID/io, which counts what the command sent towards the
# disk, temporary files included, and which a shell gathers from the children it waited
# for). Returns CMD's exit status.
measure() {
	local out=$1; shift
	local tf="$data/.time" wf="$data/.written" t0 t1 rc
	sync # let the previous run's writes reach the disk first, outside the timing
	t0=$(date +%s%N)
	/usr/bin/time -f '%e %M %U %S' -o "$tf" sh -c '"$@"; rc=$?
		awk "/^write_bytes/ { print \$2 }" /proc/$$/io >"$0"; exit $rc' "$wf" "$@" >"$out" 2>"$data/.stderr"
	rc=$?
	t1=$(date +%s%N)
	T=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	M=$(awk 'END { print $2 }' "$tf")
	C=$(awk 'END { printf "%.2f", $3 + $4 }' "$tf")
	W=$(awk '{ printf "%.1f", $1 / 1048576 } END { if (!NR) print "0" }' "$wf" 2>/dev/null)
	if [ $rc -ne 0 ]; then
		note "failed ($rc): $*"
		sed 's/^/#   /' "$data/.stderr" | head -5 >&2
	fi
	return $rc
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{ a[NR] = $1 } END {
	if (NR == 0) print ""; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

