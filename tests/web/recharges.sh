#!/bin/sh
# /recharges with curl: the pool manager sees every statement, a partner's finance lead only
# those its partner pays or receives, the board none. usage: recharges.sh BASE_URL
#
# By hand (run.sh's packages.csv, 2017/18 P1, April, 30 days): W1 (ld, chc, £70.00 a week)
# is paid by la, the element's lead: icb owes la 7,000 x 30 / 7 = £300.00 (statement 1).
# W2 (mh, s117 50%, £140.00 a week) is paid by trust, the element's lead: net
# 14,000 x 30 / 7 = £600.00, half each: la owes trust £300.00 (statement 2) and icb owes
# trust £300.00 (statement 3). la is in statements 1 and 2, not 3.
set -eu
base=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "recharges: $*" >&2; exit 1; }
code() { head -1 "$1" | cut -d' ' -f2; }
login() {
	rm -f "$tmp/jar"
	curl -s -o /dev/null -c "$tmp/jar" -H "Origin: $base" \
		-d "email=$1&password=correct+horse+battery" "$base/login"
}
# the statements' (number, payable_by, payable_to) of the CSV download
statements() {
	curl -s -D "$tmp/h" -o "$tmp/b" -b "$tmp/jar" "$base/recharges?period=2017/18P1&format=csv"
	[ "$(code "$tmp/h")" = 200 ] || fail "/recharges as $1: $(code "$tmp/h")"
	tr -d '\r' <"$tmp/b" | sed 1d | cut -d, -f1-3,16 | tr '\n' ' '
}
login pm@example.org
got=$(statements pm)
[ "$got" = "1,icb,la,300.00 2,la,trust,300.00 3,icb,trust,300.00 " ] || fail "pool manager: $got"
login fin@la.example
got=$(statements la)
[ "$got" = "1,icb,la,300.00 2,la,trust,300.00 " ] || fail "la's finance lead: $got"
curl -s -o "$tmp/b" -b "$tmp/jar" "$base/recharges?period=2017/18P1"
grep -q "Statement 3" "$tmp/b" && fail "la's finance lead sees statement 3"
grep -q "Statement 1: Test ICB to Test Council" "$tmp/b" || fail "la's page has no statement 1"
login board@example.org
curl -s -D "$tmp/h" -o /dev/null -b "$tmp/jar" "$base/recharges"
[ "$(code "$tmp/h")" = 403 ] || fail "board: $(code "$tmp/h"), expected 403"
echo "recharges: ok"
