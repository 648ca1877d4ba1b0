#!/bin/sh
# The browser tests of `s75 serve`: makes a workspace from tests/web/agreement.yaml with an
# account per role, starts the server on a free loopback port, checks the response headers
# with curl (headers.sh), runs the Playwright script (browser.mjs) in Debian's Chromium, and
# stops the server. usage: run.sh [--pg] S75
#
# With --pg (tests/CMakeLists.txt's web-pg/browser) the same tests run with the workspace's
# tables in a fresh schema of the PostgreSQL database $S75_TEST_PG names (scripts/test.sh
# starts a throw-away cluster; without it the test is skipped, exit 77): the server, the
# command line's imports alongside it (consistency.sh) and the uploads all use PostgreSQL.
#
# Hand-worked figures (first.csv, good.csv below): the pool 'ld' starts with one payment of
# £100.00 (actual to date 100.00 at 2017/18 P1); good.csv adds £250.50 + £99.50 spent and
# £50.00 received, control totals expenditure 350.00 and income 50.00, so the actual to
# date becomes 100.00 + 350.00 - 50.00 = 400.00. bad.csv has one bad row (line 3: an
# amount of 12.3.4) and changes nothing.
set -eu
pg=""
if [ "${1:-}" = --pg ]; then
	shift
	if [ -z "${S75_TEST_PG:-}" ]; then
		echo "S75_TEST_PG is not set (scripts/test.sh starts a PostgreSQL cluster and sets it)"
		exit 77
	fi
	pg="$S75_TEST_PG&schema=web_$$"
fi
s75=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -d "$here/node_modules/playwright-core" ]; then
	echo "tests/web/node_modules is missing: run 'npm ci' in tests/web (scripts/test.sh does)" >&2
	exit 1
fi
ws=$(mktemp -d)
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$ws"
}
trap cleanup EXIT INT TERM
cd "$ws"
cp "$here/agreement.yaml" .
export USER=web-test
if [ -n "$pg" ]; then
	"$s75" init --database "$pg" >/dev/null
	# the tables are in PostgreSQL: no s75.db is made
	[ ! -e s75.db ] || { echo "--pg: s75 init made s75.db" >&2; exit 1; }
else
	"$s75" init >/dev/null
fi
printf 'date,cost_centre,kind,amount,description,reference\n2017-04-10,LA-CARE,expenditure,100.00,Opening care,I1\n' >first.csv
"$s75" import actuals first.csv --profile la-csv >/dev/null
# a notice, for the status and history pages the board and the auditor read
"$s75" notice --by trust --date 2017-09-30 --scope pool:mh --note "letter TR-1" >/dev/null
"$s75" user add pm@example.org --role pool-manager >/dev/null
"$s75" user add fin@la.example --role partner --partner la >/dev/null
"$s75" user add board@example.org --role board >/dev/null
"$s75" user add auditor@example.org --role auditor >/dev/null
# the trust's finance lead: it records its own partner's payments, not another's
"$s75" user add fin@trust.example --role partner --partner trust >/dev/null
for u in pm@example.org fin@la.example fin@trust.example board@example.org auditor@example.org; do
	printf 'correct horse battery\n' | "$s75" user password "$u" >/dev/null
done
# serve NAME ARGS...: starts the server (NAME.out, NAME.err) and waits for its address
serve() {
	name=$1
	shift
	"$s75" serve --listen 127.0.0.1:0 "$@" >"$name.out" 2>"$name.err" &
	pid=$!
	i=0
	while ! grep -q listening "$name.out" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
			echo "the server did not start:" >&2
			cat "$name.err" >&2
			exit 1
		fi
		sleep 0.1
	done
}
# stop NAME: stops it by SIGTERM; it exits cleanly, silent (under ASan a leak would be
# reported on stderr)
stop() {
	kill "$pid"
	wait "$pid" || { echo "the server exited with $?" >&2; cat "$1.err" >&2; exit 1; }
	pid=""
	[ -s "$1.err" ] && { echo "the server wrote to stderr:" >&2; cat "$1.err" >&2; exit 1; }
	return 0
}
serve serve --idle-timeout 6
base=$(sed -n 's/.*listening on \(http:[^ ]*[0-9]\)\/$/\1/p' serve.out)
echo "server at $base"
sh "$here/headers.sh" "$base"
BASE_URL=$base node "$here/browser.mjs"
# the audit log has the browser's logins, failures and imports, with who and from where
"$s75" audit --format csv | tr -d '\r' >audit.csv
for want in ',pm@example.org,127.0.0.1,login,' ',pm@example.org,127.0.0.1,login-failed,' \
	',pm@example.org,127.0.0.1,import,2,' ',pm@example.org,127.0.0.1,logout,' \
	',fin@la.example,127.0.0.1,import,3,' ',fin@la.example,127.0.0.1,record receipt,' \
	',pm@example.org,127.0.0.1,record receipt,' ',fin@la.example,127.0.0.1,saving delivery,' \
	',pm@example.org,127.0.0.1,saving delivery,' ',fin@trust.example,127.0.0.1,payment,' \
	',fin@la.example,127.0.0.1,payment,'; do
	grep -q -- "$want" audit.csv || { echo "audit log lacks $want" >&2; cat audit.csv >&2; exit 1; }
done
# a page is never older than the commit its request can see
sh "$here/consistency.sh" "$s75" "$base"
# care packages and their recharges for April, issued while the server runs (after the
# browser's imports, whose batch numbers the audit check above names); recharges.sh has the
# working
printf 'package,person,pool,element,service,start,weekly_cost,funding,health_share,health_partner,social_partner\nW1,WP1,ld,care,residential,2017-04-01,70.00,chc,,icb,\nW2,WP2,mh,community,supported living,2017-04-01,140.00,s117,50,icb,la\n' >packages.csv
"$s75" import packages packages.csv >/dev/null
S75_NOW=2017-05-05T09:00:00Z "$s75" recharges --period 2017/18P1 --issue >/dev/null
sh "$here/recharges.sh" "$base"
stop serve
# uploads are streamed to disk: a server with the default session time-outs (a large
# upload may take longer than the 6 s above on a busy machine)
serve up
sh "$here/uploads.sh" "$(sed -n 's/.*listening on \(http:[^ ]*[0-9]\)\/$/\1/p' up.out)" "$pid"
stop up
# its own TLS (GnuTLS): a self-signed certificate; the cookie is Secure, HSTS is sent
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 \
	-subj /CN=127.0.0.1 2>/dev/null
serve tls --tls-cert cert.pem --tls-key key.pem
tls=$(sed -n 's/.*listening on \(https:[^ ]*[0-9]\)\/$/\1/p' tls.out)
curl -sk -D tls.h -o /dev/null -H "Origin: $tls" \
	-d 'email=pm@example.org&password=correct+horse+battery' "$tls/login"
grep -qi '^Set-Cookie: s75_session=[0-9a-f]*; Path=/; HttpOnly; SameSite=Strict; Secure' tls.h ||
	{ echo "no Secure cookie under TLS:" >&2; cat tls.h >&2; exit 1; }
grep -qi '^Strict-Transport-Security: ' tls.h || { echo "no HSTS under TLS" >&2; exit 1; }
stop tls
echo "tls: ok"
echo "web tests passed"
