#!/bin/sh
# Builds s75 with AddressSanitizer + UndefinedBehaviorSanitizer and runs the whole test suite.
set -eu
cd "$(dirname "$0")/.."
# the report tests read XLSX and HTML with python3 and print a page to PDF with Chromium
S75_EXTRA_PKGS="python3 chromium poppler-utils" sh scripts/install-deps.sh
cmake -S . -B build -DS75_SANITIZE=ON -DS75_TESTS=ON >/dev/null
cmake --build build -j "$(nproc)"
cd build && ctest --output-on-failure -j "$(nproc)"
