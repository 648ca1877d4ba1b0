#!/bin/sh
# Runs one end-to-end case: tests/e2e/cases/NAME/ holds
#   cmd   a shell script run in a scratch copy of the case folder, with $S75 the binary,
#         $EXAMPLES the examples folder, $TESTS the tests folder and $SQL the way to read
#         or change a workspace's store on either back end (`$SQL [-C DIR] "SQL"`,
#         tests/e2e/lib/ws-sql: never the sqlite3 shell on s75.db directly)
#   out   the exact expected stdout (optional: absent means "not compared")
#   err   the exact expected stderr (optional: absent means "must be empty")
#   rc    the expected exit code (optional: absent means 0); cmd exits 77 to be skipped
# Any other files are inputs. Prints a unified diff and exits 1 on a mismatch.
#
# With --pg first, the case runs against PostgreSQL: every workspace it makes with `s75 init`
# keeps its tables in a fresh schema of the database $S75_TEST_PG names (set by
# scripts/test.sh, which starts a throw-away cluster), through tests/e2e/lib/s75-pg, and the
# outputs must be the same bytes. Without S75_TEST_PG the case is skipped.
set -u
pg=""
if [ "${1:-}" = "--pg" ]; then
	shift
	if [ -z "${S75_TEST_PG:-}" ]; then
		echo "S75_TEST_PG is not set (scripts/test.sh starts a PostgreSQL cluster and sets it)"
		exit 77
	fi
	# the sqlite3 shell reads s75.db only: a case run on both back ends uses $SQL
	if grep -q '\(^\|[^a-z_]\)sqlite3 ' "$2/cmd"; then
		echo "$2/cmd runs the sqlite3 shell, which sees no PostgreSQL workspace: use \$SQL" \
			"(tests/e2e/lib/ws-sql), or give the case a file sqlite-only saying why"
		exit 1
	fi
	# one schema per case and run: a name PostgreSQL takes unquoted
	pg="e2e_$(printf '%s' "$(basename "$2")" | tr -c 'a-zA-Z0-9' '_')_$$"
fi
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
case_dir=$(cd "$2" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp -R "$case_dir"/. "$scratch"/
cd "$scratch" || exit 1
if [ -n "$pg" ]; then
	# the wrapper's count of workspaces lives outside the case's folder
	S75_PG_BIN=$bin S75_PG_PREFIX=$pg S75_PG_COUNTER=$(mktemp)
	export S75_PG_BIN S75_PG_PREFIX S75_PG_COUNTER
	trap 'rm -rf "$scratch" "$S75_PG_COUNTER"' EXIT
	bin=$root/tests/e2e/lib/s75-pg
fi
S75=$bin EXAMPLES=$root/examples TESTS=$root/tests SQL=$root/tests/e2e/lib/ws-sql sh ./cmd >"$scratch/.out" 2>"$scratch/.err"
got_rc=$?
# a case that cannot run here (no tmpfs to mount, ...) exits 77 after saying why
if [ "$got_rc" = 77 ]; then
	cat "$scratch/.out" "$scratch/.err"
	exit 77
fi
want_rc=0
[ -f "$case_dir/rc" ] && want_rc=$(cat "$case_dir/rc")
fail=0
if [ -f "$case_dir/out" ]; then
	diff -u "$case_dir/out" "$scratch/.out" >"$scratch/.diff" || { echo "stdout differs:"; cat "$scratch/.diff"; fail=1; }
fi
if [ -f "$case_dir/err" ]; then
	diff -u "$case_dir/err" "$scratch/.err" >"$scratch/.diff" || { echo "stderr differs:"; cat "$scratch/.diff"; fail=1; }
elif [ -s "$scratch/.err" ]; then
	echo "unexpected stderr:"; cat "$scratch/.err"; fail=1
fi
if [ "$got_rc" != "$want_rc" ]; then
	echo "exit code $got_rc, expected $want_rc"; fail=1
fi
exit $fail
