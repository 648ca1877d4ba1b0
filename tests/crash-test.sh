#!/bin/sh
# Kills s75 with SIGKILL at random moments of imports, undos and inits, then checks that
# the workspace is whole: PRAGMA integrity_check, no partial batch, and the aggregates and
# control totals agreeing with the ledger rows.
#
#   sh tests/crash-test.sh S75_BINARY [KILLS] [ROWS]
#
# ctest runs a short version (6 kills of a 60,000-row import); run it by hand with, say,
# 200 kills and 1,000,000 rows for the long one. Exits 1 at the first inconsistency.
set -u
s75=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
kills=${2:-6}
rows=${3:-60000}
tests=$(cd "$(dirname "$0")" && pwd)
ws=$(mktemp -d)
trap 'rm -rf "$ws"' EXIT
cd "$ws" || exit 1
export S75_NOW=2017-05-02T09:00:00Z
cp "$tests"/fixtures/ledger-ws/agreement.yaml .
"$s75" init >/dev/null || exit 1
awk -v n="$rows" 'BEGIN { print "date,partner,cost_centre,account,kind,amount,description,reference";
	for (i = 0; i < n; i++) printf "2017-%02d-%02d,la,LA-CARE,5100,expenditure,%d.%02d,Row %d,R%d\n", 4 + i % 9, 1 + i % 28, i % 1000, i % 100, i, i }' > big.csv

# a small batch first, and another every few kills, so there is a ledger to keep whole
awk 'BEGIN { print "date,partner,cost_centre,account,kind,amount,description,reference";
	for (i = 0; i < 50; i++) printf "2017-04-%02d,la,LA-DAY,5100,expenditure,%d.00,Small %d,S%d\n", 1 + i % 28, i, i, i }' > small.csv
"$s75" import actuals small.csv >/dev/null || exit 1

# the checks: each prints nothing when all is well
check() {
	ok=$(sqlite3 s75.db "PRAGMA integrity_check")
	[ "$ok" = ok ] || { echo "after kill $1: integrity_check: $ok"; exit 1; }
	bad=$(sqlite3 s75.db "
	SELECT 'batch ' || id || ' imported ' || rows_imported || ' rows but the ledger has ' ||
	       (SELECT count(*) FROM txn WHERE txn.id >> 32 = batch.id)
	  FROM batch WHERE kind = 'actuals' AND undone_at IS NULL
	   AND rows_imported != (SELECT count(*) FROM txn WHERE txn.id >> 32 = batch.id);
	SELECT 'undone batch ' || id || ' still has rows' FROM batch
	 WHERE undone_at IS NOT NULL AND EXISTS (SELECT 1 FROM txn WHERE txn.id >> 32 = batch.id);
	SELECT 'aggregate differs: ' || fy || ' ' || period || ' ' || cost_centre FROM (
	  SELECT fy, period, cost_centre, partner, kind, count(*), sum(amount) FROM txn GROUP BY 1, 2, 3, 4, 5
	  EXCEPT SELECT fy, period, cost_centre, partner, kind, rows, amount FROM ledger_agg WHERE rows != 0);
	SELECT 'aggregate without rows: ' || fy || ' ' || period || ' ' || cost_centre FROM (
	  SELECT fy, period, cost_centre, partner, kind, rows, amount FROM ledger_agg WHERE rows != 0
	  EXCEPT SELECT fy, period, cost_centre, partner, kind, count(*), sum(amount) FROM txn GROUP BY 1, 2, 3, 4, 5);
	SELECT 'control total differs: batch ' || batch_id FROM (
	  SELECT batch_id, t.partner, t.kind, t.rows, t.amount FROM batch_total t JOIN batch b ON b.id = t.batch_id
	   WHERE b.kind = 'actuals' AND b.undone_at IS NULL
	  EXCEPT SELECT id >> 32, partner, kind, count(*), sum(amount) FROM txn GROUP BY 1, 2, 3);")
	[ -z "$bad" ] || { echo "after kill $1:"; echo "$bad"; exit 1; }
}

# a random delay of 0 to $1 seconds, from awk (sh has no $RANDOM)
seed=$$
delay() { seed=$((seed + 1)); awk -v s="$seed" -v m="$1" 'BEGIN { srand(s); printf "%.3f", rand() * m }'; }

i=0
while [ "$i" -lt "$kills" ]; do
	i=$((i + 1))
	case $((i % 3)) in
	0) # an undo of the latest live batch, if any
		last=$(sqlite3 s75.db "SELECT max(id) FROM batch WHERE undone_at IS NULL")
		if [ -n "$last" ]; then
			"$s75" import undo "$last" >/dev/null 2>&1 &
		else
			"$s75" import actuals big.csv -q >/dev/null 2>&1 &
		fi ;;
	1) "$s75" import actuals big.csv -q >/dev/null 2>&1 & ;;
	2) # init on the workspace, or an import that may finish before the kill
		if [ $((i % 2)) = 0 ]; then "$s75" init >/dev/null 2>&1 &
		else "$s75" import actuals small.csv -q >/dev/null 2>&1 & fi ;;
	esac
	pid=$!
	sleep "$(delay 1.2)"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	check "$i"
done
live=$(sqlite3 s75.db "SELECT count(*) FROM batch WHERE undone_at IS NULL")
echo "$kills kills: integrity ok, no partial batch, aggregates and control totals agree ($live live batches)"
