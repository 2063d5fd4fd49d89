#!/usr/bin/env bash
# Builds nexthop and runs every test (unit, conformance, CLI, embedding).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j "$(nproc)"
