#!/usr/bin/env bash
# The main job: build, answer the worked example with the CLI, then benchmark
# every structure on the bundled real Internet table. Extra arguments go to
# the benchmark (Google Benchmark flags, e.g. --benchmark_filter=dir24_8).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
b=${BUILD_DIR:-build}
echo "== nexthop lookup on examples/exercise.txt (Example 2 of the articles)"
"$b"/tools/nexthop lookup --table examples/exercise.txt \
  128.75.43.16 192.12.17.10 192.12.17.5 128.75.43.200
echo
echo "== benchmark on bench/data/bgp-tier1-2024.txt.gz (medians of 5 interleaved runs)"
"$b"/bench/lpm_bench --benchmark_min_time=0.2 --benchmark_repetitions=5 \
  --benchmark_enable_random_interleaving=true \
  --benchmark_report_aggregates_only=true "$@"
