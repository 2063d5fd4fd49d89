#!/usr/bin/env bash
# Builds nexthop with AddressSanitizer + UndefinedBehaviorSanitizer in
# build-asan/ and runs every test there; any sanitizer report fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
BUILD_DIR=build-asan BUILD_TYPE=RelWithDebInfo bash scripts/build.sh \
  -DNEXTHOP_SANITIZE=ON -DNEXTHOP_BUILD_BENCHMARKS=OFF
ctest --test-dir build-asan --output-on-failure -j "$(nproc)"
