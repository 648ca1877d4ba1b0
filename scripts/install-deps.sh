#!/bin/sh
# Installs the Debian packages s75 needs to build and test, only those missing.
# Run as root on Debian 12 (or with sudo available).
set -eu
pkgs="build-essential cmake pkg-config git libfyaml-dev libjansson-dev libsqlite3-dev sqlite3 libxlsxwriter-dev libssl-dev libcmocka-dev jq libmicrohttpd-dev libsodium-dev libpq-dev"
[ "${S75_EXTRA_PKGS:-}" ] && pkgs="$pkgs $S75_EXTRA_PKGS"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >&2
