#!/bin/sh
# Builds s75 with AddressSanitizer + UndefinedBehaviorSanitizer and runs the whole test suite.
set -eu
cd "$(dirname "$0")/.."
# the report tests read XLSX and HTML with python3 and print a page to PDF with Chromium;
# the web tests drive Chromium with Playwright (node, npm, playwright-core from npm)
# and the PostgreSQL runs a server (postgresql) for a throw-away cluster
S75_EXTRA_PKGS="python3 chromium poppler-utils nodejs curl openssl postgresql" sh scripts/install-deps.sh
command -v npm >/dev/null || S75_EXTRA_PKGS="npm" sh scripts/install-deps.sh
[ -d tests/web/node_modules/playwright-core ] ||
	(cd tests/web && npm ci --no-audit --no-fund --loglevel=error)
cmake -S . -B build -DS75_SANITIZE=ON -DS75_TESTS=ON >/dev/null
cmake --build build -j "$(nproc)"
# a throw-away PostgreSQL cluster on a Unix socket in a temporary folder: every e2e case
# runs a second time against it (tests/e2e/run-case.sh --pg), and it is stopped on exit
pgdir=$(mktemp -d "${TMPDIR:-/tmp}/s75-pg.XXXXXX")
trap 'sh scripts/pg-cluster.sh stop "$pgdir"' EXIT
trap 'exit 130' INT TERM
S75_TEST_PG=$(sh scripts/pg-cluster.sh start "$pgdir")
export S75_TEST_PG
(cd build && ctest --output-on-failure -j "$(nproc)")
