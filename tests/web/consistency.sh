#!/bin/sh
# The cache's consistency rule (docs/web.md, "Cache"): a page is never older than the last
# commit its request can see. After the browser test the pool 'ld' has an actual to date
# of 400.00 (run.sh: 100.00 + 350.00 - 50.00). The pool page is fetched (and so cached),
# then the command line imports one more row of 25.00 spent (c.csv below) on the same
# s75.db while the server runs: every request made after the import has returned — sixteen
# at once, so that they race for the rebuild — shows 425.00 (400.00 + 25.00), none 400.00.
# usage: consistency.sh S75 BASE_URL   (in the workspace's folder)
set -eu
s75=$1
base=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "consistency: $*" >&2; exit 1; }
curl -s -o /dev/null -c "$tmp/jar" -H "Origin: $base" \
	-d 'email=pm@example.org&password=correct+horse+battery' "$base/login"
# the actual to date on the page's Total row
total_actual() {
	tr -d '\n' <"$1" | sed -n 's/.*<td>Total<\/td>\(<td[^>]*>[^<]*<\/td>\)\{2\}<td[^>]*>\([^<]*\)<\/td>.*/\2/p'
}
curl -s -o "$tmp/before" -b "$tmp/jar" "$base/pool/ld"
[ "$(total_actual "$tmp/before")" = 400.00 ] || fail "before the import: '$(total_actual "$tmp/before")', expected 400.00"
printf 'date,cost_centre,kind,amount,description,reference\n2017-04-25,LA-CARE,expenditure,25.00,Consistency,C1\n' >c.csv
"$s75" import actuals c.csv --profile la-csv -q >/dev/null
i=0
while [ $i -lt 16 ]; do
	curl -s -o "$tmp/after.$i" -b "$tmp/jar" "$base/pool/ld" &
	i=$((i + 1))
done
wait
i=0
while [ $i -lt 16 ]; do
	got=$(total_actual "$tmp/after.$i")
	[ "$got" = 425.00 ] || fail "request $i after the import: '$got', expected 425.00"
	i=$((i + 1))
done
echo "consistency: ok"
