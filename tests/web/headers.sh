#!/bin/sh
# Checks the server's answers with curl: every response carries the security headers; a
# page with figures is not cached; the session cookie is HttpOnly and SameSite=Strict; a
# POST from another origin, without a CSRF token or without a session is refused; a path
# outside the site is not found. usage: headers.sh BASE_URL
set -eu
base=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "headers: $*" >&2; exit 1; }
has() { grep -qi "^$2" "$1" || fail "no '$2' in $(head -1 "$1")"; }
code() { head -1 "$1" | cut -d' ' -f2; }

curl -s -D "$tmp/h" -o /dev/null "$base/"
[ "$(code "$tmp/h")" = 303 ] || fail "/ without a session: $(code "$tmp/h"), expected 303"
has "$tmp/h" "Location: /login"
for h in "Content-Security-Policy: default-src 'self'; frame-ancestors 'none'" \
	"X-Content-Type-Options: nosniff" "Referrer-Policy: no-referrer" "Cache-Control: no-store"; do
	has "$tmp/h" "$h"
done
curl -s -D "$tmp/h" -o "$tmp/b" "$base/login"
[ "$(code "$tmp/h")" = 200 ] || fail "/login: $(code "$tmp/h")"
has "$tmp/h" "Content-Security-Policy: default-src 'self'"
grep -q "<script" "$tmp/b" && fail "the login page has a script"
# a login from another site, or with no Origin, is refused
curl -s -D "$tmp/h" -o /dev/null -H "Origin: http://evil.example" \
	-d 'email=pm@example.org&password=correct+horse+battery' "$base/login"
[ "$(code "$tmp/h")" = 403 ] || fail "login from another origin: $(code "$tmp/h")"
curl -s -D "$tmp/h" -o /dev/null -d 'email=pm@example.org&password=correct+horse+battery' "$base/login"
[ "$(code "$tmp/h")" = 403 ] || fail "login without Origin: $(code "$tmp/h")"
# "Origin: null" (a form under no-referrer) only with the browser's Sec-Fetch-Site
curl -s -D "$tmp/h" -o /dev/null -H "Origin: null" -H "Sec-Fetch-Site: cross-site" \
	-d 'email=pm@example.org&password=correct+horse+battery' "$base/login"
[ "$(code "$tmp/h")" = 403 ] || fail "login from a null origin, cross-site: $(code "$tmp/h")"
# a good login: the cookie's flags
curl -s -D "$tmp/h" -o /dev/null -c "$tmp/jar" -H "Origin: $base" \
	-d 'email=pm@example.org&password=correct+horse+battery' "$base/login"
[ "$(code "$tmp/h")" = 303 ] || fail "login: $(code "$tmp/h")"
grep -i '^Set-Cookie: s75_session=[0-9a-f]\{64\}; Path=/; HttpOnly; SameSite=Strict' "$tmp/h" >/dev/null ||
	fail "cookie flags: $(grep -i set-cookie "$tmp/h")"
# a page with figures
curl -s -D "$tmp/h" -o "$tmp/b" -b "$tmp/jar" "$base/pool/ld"
[ "$(code "$tmp/h")" = 200 ] || fail "/pool/ld: $(code "$tmp/h")"
has "$tmp/h" "Cache-Control: no-store"
has "$tmp/h" "Content-Security-Policy: default-src 'self'; frame-ancestors 'none'"
grep -q "<script" "$tmp/b" && fail "a page has a script"
grep -q " style=" "$tmp/b" && fail "a page has an inline style"
# the CSV download of the same page
curl -s -D "$tmp/h" -o "$tmp/b" -b "$tmp/jar" "$base/pool/ld?format=csv"
has "$tmp/h" "Content-Type: text/csv"
has "$tmp/h" "Content-Disposition: attachment"
# budget LA-CARE 1,200 + ICB-CARE 600 = 1,800; P1 of a flat profile 1,800 / 12 = 150; actual 100
grep -q '^care,1800.00,150.00,100.00,' "$tmp/b" || fail "CSV of the pool: $(cat "$tmp/b")"
# a POST without the CSRF token, or from another origin
curl -s -D "$tmp/h" -o /dev/null -b "$tmp/jar" -H "Origin: $base" -d 'x=1' "$base/logout"
[ "$(code "$tmp/h")" = 403 ] || fail "logout without CSRF: $(code "$tmp/h")"
csrf=$(curl -s -b "$tmp/jar" "$base/" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p')
[ -n "$csrf" ] || fail "no CSRF token on the page"
curl -s -D "$tmp/h" -o /dev/null -b "$tmp/jar" -H "Origin: http://evil.example" \
	-d "csrf=$csrf" "$base/logout"
[ "$(code "$tmp/h")" = 403 ] || fail "logout from another origin: $(code "$tmp/h")"
# outside the site, and an unknown page
for p in "/pool/../audit" "/%2e%2e/etc/passwd" "/nowhere"; do
	curl -s --path-as-is -D "$tmp/h" -o /dev/null -b "$tmp/jar" "$base$p"
	[ "$(code "$tmp/h")" = 404 ] || fail "$p: $(code "$tmp/h")"
done
# the style sheet may be cached; it is the only file not built per request
curl -s -D "$tmp/h" -o /dev/null "$base/s75.css"
has "$tmp/h" "Content-Type: text/css"
# logout ends the session on the server: the old cookie no longer works
curl -s -D "$tmp/h" -o /dev/null -b "$tmp/jar" -H "Origin: $base" -d "csrf=$csrf" "$base/logout"
[ "$(code "$tmp/h")" = 303 ] || fail "logout: $(code "$tmp/h")"
curl -s -D "$tmp/h" -o /dev/null -b "$tmp/jar" "$base/pool/ld"
[ "$(code "$tmp/h")" = 303 ] || fail "the old cookie after logout: $(code "$tmp/h")"
echo "headers: ok"
