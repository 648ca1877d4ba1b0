#!/bin/sh
# An upload is streamed to a file, never held in memory (docs/web.md, "Uploads"): a
# 200 MB file posted to /upload (with a profile the agreement lacks, so that the page
# refuses it at once, after the whole body has been read) raises the server's peak
# resident memory (VmHWM) by less than 50 MB, and leaves no file in .s75-uploads/.
# Held in memory it would cost at least the 200 MB. Without a session, an upload is
# refused (403) and nothing of it is written (the server's write(2) byte count, wchar in
# /proc/PID/io, grows by less than 10 MB, not by the 200 MB).
# usage: uploads.sh BASE_URL SERVER_PID   (in the workspace's folder)
set -eu
base=$1
pid=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "uploads: $*" >&2; exit 1; }
hwm() { awk '/^VmHWM/ { print $2 }' "/proc/$pid/status"; }
curl -s -o /dev/null -c "$tmp/jar" -H "Origin: $base" \
	-d 'email=pm@example.org&password=correct+horse+battery' "$base/login"
csrf=$(curl -s -b "$tmp/jar" "$base/upload" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
[ -n "$csrf" ] || fail "no CSRF token on /upload"
head -c 200000000 /dev/zero | tr '\0' 'x' >"$tmp/big.csv"
wchar() { awk '/^wchar/ { print $2 }' "/proc/$pid/io"; }
w0=$(wchar)
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Origin: $base" -F csrf=x -F kind=actuals \
	-F profile=la-csv -F "file=@$tmp/big.csv" "$base/upload")
[ "$code" = 403 ] || fail "an upload without a session answered $code, expected 403"
[ -z "$(ls -A .s75-uploads)" ] || fail "an upload without a session left $(ls -A .s75-uploads)"
[ $(($(wchar) - w0)) -lt 10000000 ] || fail "an upload without a session was written: $(($(wchar) - w0)) bytes"
before=$(hwm)
code=$(curl -s -o "$tmp/page" -w '%{http_code}' -b "$tmp/jar" -H "Origin: $base" \
	-F "csrf=$csrf" -F kind=actuals -F profile=no-such-profile -F "file=@$tmp/big.csv" "$base/upload")
after=$(hwm)
[ "$code" = 400 ] || fail "the upload answered $code, expected 400"
grep -q 'choose an import profile' "$tmp/page" || fail "the page: $(cat "$tmp/page")"
[ $((after - before)) -lt 51200 ] || fail "the server's peak memory grew by $(((after - before) / 1024)) MB with a 200 MB upload"
[ -z "$(ls -A .s75-uploads)" ] || fail "files left in .s75-uploads: $(ls -A .s75-uploads)"
echo "uploads: ok (peak memory $((before / 1024)) MB before, $((after / 1024)) MB after a 200 MB upload)"
