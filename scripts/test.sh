#!/bin/sh
# Builds s75 with AddressSanitizer + UndefinedBehaviorSanitizer and runs the whole test suite.
set -eu
cd "$(dirname "$0")/.."
# the report tests read XLSX and HTML with python3 and print a page to PDF with Chromium;
# the web tests drive Chromium with Playwright (node, npm, playwright-core from npm)
S75_EXTRA_PKGS="python3 chromium poppler-utils nodejs curl openssl" sh scripts/install-deps.sh
command -v npm >/dev/null || S75_EXTRA_PKGS="npm" sh scripts/install-deps.sh
[ -d tests/web/node_modules/playwright-core ] ||
	(cd tests/web && npm ci --no-audit --no-fund --loglevel=error)
cmake -S . -B build -DS75_SANITIZE=ON -DS75_TESTS=ON >/dev/null
cmake --build build -j "$(nproc)"
cd build && ctest --output-on-failure -j "$(nproc)"
