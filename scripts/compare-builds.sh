#!/bin/sh
# Builds two revisions and checks that every report of the three examples comes out the same.
#
#   sh scripts/compare-builds.sh REV_A REV_B        e.g. 82a9fb6 HEAD
#
# Each revision is exported with `git archive` into a temporary folder and built (release,
# no tests). Then, for each build in turn, in the same temporary workspace path (so paths in
# messages agree): each example is copied, loaded (oxfordshire-2017: its load.sh, a year of
# ledger extracts, forecasts, KPI values, meetings and decisions; cambridgeshire-ldp: its care
# packages) and every report is run in every format (table, csv, json, xlsx, html, and once
# without --format), keeping stdout, stderr and the exit code; an option a command refuses is
# compared as its usage error. XLSX files are unzipped; in XLSX parts, HTML and text, ISO
# date-times (the import and creation timestamps) are replaced by TIMESTAMP. Prints the
# differences and exits 1 if there are any, else says how many outputs were identical.
#
# S75_COMPARE_KEEP=1 keeps the temporary folder. Needs git, cmake, a C compiler and unzip.
set -eu
[ $# -eq 2 ] || { echo "usage: sh scripts/compare-builds.sh REV_A REV_B" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d /tmp/s75-compare.XXXXXX)
[ "${S75_COMPARE_KEEP:-}" = 1 ] || trap 'rm -rf "$tmp"' EXIT
jobs=${S75_COMPARE_JOBS:-2}

build() { # REV NAME
	mkdir -p "$tmp/src-$2"
	git -C "$top" archive "$1" | tar -x -C "$tmp/src-$2"
	cmake -S "$tmp/src-$2" -B "$tmp/build-$2" -DCMAKE_BUILD_TYPE=Release -DS75_TESTS=OFF \
		>/dev/null
	cmake --build "$tmp/build-$2" -j "$jobs" >/dev/null
}

# run OUT NAME ARGS...: one command in each format, into OUT/NAME.{fmt}.{out,err,rc}
run() {
	out=$1 name=$2
	shift 2
	for fmt in none table csv json xlsx html; do
		f="$out/$name.$fmt"
		rc=0
		case $fmt in
		none) "$s75" "$@" >"$f.out" 2>"$f.err" || rc=$? ;;
		xlsx) "$s75" "$@" -f xlsx -o "$f.xlsx" >"$f.out" 2>"$f.err" || rc=$?
			if [ -s "$f.xlsx" ]; then
				mkdir -p "$f.unzipped"
				(cd "$f.unzipped" && unzip -q -o "$f.xlsx") || echo "bad zip" >>"$f.err"
				rm -f "$f.xlsx"
			fi ;;
		*) "$s75" "$@" -f "$fmt" >"$f.out" 2>"$f.err" || rc=$? ;;
		esac
		echo "$rc" >"$f.rc"
	done
}

reports() { # NAME: runs every report into $tmp/out-NAME
	s75=$tmp/build-$1/s75
	out=$tmp/out-$1
	work=$tmp/work
	rm -rf "$work" "$out"
	mkdir -p "$out" "$work"
	cp -R "$top/examples/oxfordshire-2017" "$top/examples/cambridgeshire-ldp" \
		"$top/examples/birmingham-2009" "$work/"
	rm -f "$work"/*/s75.db*

	o=$work/oxfordshire-2017
	sh "$o/load.sh" "$s75" >"$out/ox.load.out" 2>&1 || echo "rc $?" >>"$out/ox.load.out"
	set -- -C "$o"
	run "$out" ox.check "$@" check
	run "$out" ox.contributions "$@" contributions --year 2017/18
	run "$out" ox.contributions-asof "$@" contributions --year 2017/18 --as-of 2017-12-31
	run "$out" ox.budgets "$@" budgets --year 2017/18
	run "$out" ox.batches "$@" batches
	for level in pool element cost-centre; do
		run "$out" ox.monitoring-p6-$level "$@" report monitoring --period 2017/18P6 --level $level
	done
	run "$out" ox.monitoring-p12 "$@" report monitoring --period 2017/18P12 --units "£'000"
	run "$out" ox.riskshare-p6 "$@" riskshare --period 2017/18P6
	run "$out" ox.riskshare-p9 "$@" riskshare --period 2017/18P9 --units "£'000"
	run "$out" ox.settle "$@" settle --year 2017/18
	run "$out" ox.settle-direct "$@" settle --year 2017/18 --direct
	run "$out" ox.scenario "$@" scenario --year 2017/18 --ratios 70:30,60:40 --rebase 70:30
	run "$out" ox.scenario-variance "$@" scenario --year 2017/18 --variance 9.8m \
		--saving-not-delivered occ:1m
	run "$out" ox.scenario-p6 "$@" scenario --year 2017/18 --period 2017/18P6
	for q in 1 2 3 4; do
		run "$out" ox.quarterly-q$q "$@" report quarterly --year 2017/18 --quarter $q
	done
	run "$out" ox.annual-return "$@" report annual-return --year 2017/18
	run "$out" ox.annual-return-direct "$@" report annual-return --year 2017/18 --direct
	run "$out" ox.kpi-q3 "$@" report kpi --period "2017/18 Q3"
	run "$out" ox.kpi-year "$@" report kpi --period 2017/18 --pool adults
	run "$out" ox.governance-check "$@" governance check --as-of 2018-03-31
	run "$out" ox.governance-check-q2 "$@" governance check --as-of 2017-09-30
	run "$out" ox.governance-risks "$@" governance risks --as-of 2018-03-31
	run "$out" ox.governance-meetings "$@" governance meetings
	run "$out" ox.governance-decisions "$@" governance decisions
	run "$out" ox.status "$@" status --as-of 2018-03-31
	run "$out" ox.history "$@" history
	run "$out" ox.history-year "$@" history --year 2017/18
	run "$out" ox.notice-dry "$@" notice --by occ --date 2018-01-15 --scope pool:adults \
		--grounds general --dry-run

	c=$work/cambridgeshire-ldp
	set -- -C "$c"
	{ "$s75" "$@" init && "$s75" "$@" import packages packages.csv; } >"$out/cam.load.out" 2>&1 ||
		echo "rc $?" >>"$out/cam.load.out"
	run "$out" cam.check "$@" check
	run "$out" cam.contributions "$@" contributions
	run "$out" cam.budgets "$@" budgets
	run "$out" cam.packages "$@" report packages --date 2022-10-01
	run "$out" cam.packages-pool "$@" report packages --date 2023-03-31 --pool ldp --units "£'000"
	run "$out" cam.exit "$@" exit --pool ldp --date 2023-03-31
	run "$out" cam.exit-ratios "$@" exit --pool ldp --date 2022-12-31 --ratios 70:30,60:40
	run "$out" cam.scenario "$@" scenario --variance 2m --ratios 50:50
	run "$out" cam.monitoring "$@" report monitoring --period 2022/23P6
	run "$out" cam.governance-check "$@" governance check --as-of 2023-03-31
	run "$out" cam.status "$@" status --as-of 2022-10-01
	run "$out" cam.history "$@" history

	b=$work/birmingham-2009
	set -- -C "$b"
	"$s75" "$@" init >"$out/bir.load.out" 2>&1 || echo "rc $?" >>"$out/bir.load.out"
	run "$out" bir.check "$@" check
	run "$out" bir.contributions "$@" contributions
	run "$out" bir.budgets "$@" budgets
	run "$out" bir.scenario "$@" scenario --variance 1.5m --ratios 60:20:20
	run "$out" bir.scenario-mh "$@" scenario --pool mh --variance -500k
	run "$out" bir.governance-check "$@" governance check --as-of 2010-03-31
	run "$out" bir.status "$@" status --as-of 2009-06-30
	run "$out" bir.history "$@" history

	# timestamps out (import and creation times), everywhere
	find "$out" -type f | while read -r f; do
		sed -E -i 's/[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?/TIMESTAMP/g' "$f"
	done
}

echo "building $1 and $2 in $tmp" >&2
build "$1" a
build "$2" b
reports a
reports b
n=$(find "$tmp/out-a" -type f | wc -l)
if diff -r "$tmp/out-a" "$tmp/out-b" >"$tmp/diff"; then
	echo "identical: $n outputs of $1 and $2 (text, CSV, JSON, XLSX unzipped, HTML; exit codes and errors too)"
else
	cat "$tmp/diff"
	echo "DIFFERENT: $(grep -c '^diff\|^Only' "$tmp/diff") files differ between $1 and $2" >&2
	exit 1
fi
