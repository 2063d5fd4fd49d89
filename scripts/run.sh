#!/usr/bin/env bash
# The main job: build (with DPDK as the benchmarks' peer), answer the
# articles' exercise with the CLI, replay worked example 3 in the simulator,
# then benchmark on the bundled real Internet table.
#
#   bash scripts/run.sh [--full] [--dry-run] [NEXTHOP_BENCH_FLAG...]
#
# Default (2-3 minutes after the build): the headline comparison.
# nexthop-bench with the forwarding structures (Dir24_8, Poptrie; IPv6:
# Dxr6) and DPDK's rte_fib (IPv6: rte_fib6), next hops rr:255 and
# block:16, uniform and matched traffic, one thread, the scaling curves
# and the charts (build/plots; IPv6's are the *6.png), then fwd-bench (the
# router fast path).
# --full (~12 minutes more): nexthop-bench's whole matrix of both families
# instead (also PatriciaTrie/PatriciaTrie6, rte_lpm with its two-minute
# builds, rte_lpm6, zipf traffic, two threads), then churn-bench (BGP churn
# replayed beside lock-free readers; it waits for a quiet machine).
# --dry-run: print the commands, build and run nothing.
# Any other argument goes to nexthop-bench, after the defaults, so that
# it overrides them (--algos, --traffic, --pages 4k, ...).
#
# Huge pages: as root, scripts/setup-hugepages.sh first reserves 2 MiB
# pages and mounts hugetlbfs, so that DPDK's peers run on them as their
# users run them and nexthop's structures on transparent huge pages; where
# that cannot be done, every engine runs on 4 KiB pages and the benchmarks
# say so (README: "Pages").
set -euo pipefail
cd "$(dirname "$0")/.."
full=0
dry=0
bench_args=()
for arg in "$@"; do
  case "$arg" in
    --full) full=1 ;;
    --dry-run) dry=1 ;;
    *) bench_args+=("$arg") ;;
  esac
done
b=${BUILD_DIR:-build}
# Prints the command; runs it unless --dry-run.
run() {
  echo "+ $*"
  if [ "$dry" -eq 0 ]; then "$@"; fi
}
if [ "$full" -eq 1 ]; then
  # nexthop-bench's own defaults (the whole matrix), for both families
  bench_defaults=(--family 4,6)
else
  bench_defaults=(--algos dir24_8,poptrie,rte_fib,dxr6,rte_fib6
    --nexthops rr:255,block:16 --traffic uniform,matched --threads 1)
fi
run bash scripts/build.sh
run bash scripts/setup-hugepages.sh
echo "== nexthop lookup on examples/exercise.txt (Example 2 of the articles)"
run "$b"/tools/nexthop lookup --table examples/exercise.txt \
  128.75.43.16 192.12.17.10 192.12.17.5 128.75.43.200
echo
echo "== nexthop sim: Example 3, captured on B's eth0"
run "$b"/tools/nexthop sim examples/sim/example3-two-addresses.topo -t -i B:eth0
echo
echo "== nexthop-bench on bench/data/bgp-tier1-2024.txt.gz (charts in $b/plots)"
run "$b"/bench/nexthop-bench --plot "$b/plots" --json "$b/bench.json" \
  ${bench_defaults[@]+"${bench_defaults[@]}"} \
  ${bench_args[@]+"${bench_args[@]}"}
echo
echo "== fwd-bench: the router fast path on the same table"
run "$b"/bench/fwd-bench
if [ "$full" -eq 1 ]; then
  echo
  echo "== churn-bench: BGP update streams replayed into the RIB and FIB beside readers"
  run "$b"/bench/churn-bench bench/data/updates.et-header.2015.gz \
    tests/data/mrt/updates.20160811.1600.gz
else
  echo
  echo "(scripts/run.sh --full adds the whole benchmark matrix, rte_lpm and churn-bench)"
fi
