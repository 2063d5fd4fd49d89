#!/usr/bin/env bash
# The main job: build (with DPDK as the benchmarks' peer), answer the
# articles' exercise with the CLI, replay worked example 3 in the simulator,
# then run nexthop-bench on the bundled real Internet table, fwd-bench
# (the router fast path) and churn-bench (real BGP churn replayed beside
# lock-free readers). Extra arguments go to nexthop-bench (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
b=${BUILD_DIR:-build}
echo "== nexthop lookup on examples/exercise.txt (Example 2 of the articles)"
"$b"/tools/nexthop lookup --table examples/exercise.txt \
  128.75.43.16 192.12.17.10 192.12.17.5 128.75.43.200
echo
echo "== nexthop sim: Example 3, captured on B's eth0"
"$b"/tools/nexthop sim examples/sim/example3-two-addresses.topo -t -i B:eth0
echo
echo "== nexthop-bench on bench/data/bgp-tier1-2024.txt.gz (charts in $b/plots)"
"$b"/bench/nexthop-bench --plot "$b/plots" --json "$b/bench.json" "$@"
echo
echo "== fwd-bench: the router fast path on the same table"
"$b"/bench/fwd-bench
echo
echo "== churn-bench: BGP update streams replayed into the RIB and FIB beside readers"
"$b"/bench/churn-bench bench/data/updates.et-header.2015.gz \
  tests/data/mrt/updates.20160811.1600.gz
