#!/bin/sh
# Builds s75 with AddressSanitizer + UndefinedBehaviorSanitizer and runs the whole test suite.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
cmake -S . -B build -DS75_SANITIZE=ON -DS75_TESTS=ON >/dev/null
cmake --build build -j "$(nproc)"
cd build && ctest --output-on-failure -j "$(nproc)"
