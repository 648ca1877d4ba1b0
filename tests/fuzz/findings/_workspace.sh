# Sourced by the cli-*.sh reproducers: S75 (the binary, $1 or `s75` on PATH) and a fresh
# workspace in a temporary folder with the ledger test agreement, as the current folder.
S75=${1:-s75}
case $S75 in /*) ;; */*) S75=$(pwd)/$S75 ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
WS=$(mktemp -d "${TMPDIR:-/tmp}/s75-finding-XXXXXX")
trap 'rm -rf "$WS"' EXIT
cp "$HERE/../../fixtures/ledger-ws/agreement.yaml" "$WS/"
cd "$WS" || exit 1
export S75_NOW=2018-01-01T00:00:00Z
"$S75" init >/dev/null
