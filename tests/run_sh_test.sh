#!/usr/bin/env bash
# scripts/run.sh's plan, read from --dry-run (which builds and runs
# nothing): the default runs the headline comparison and fwd-bench, --full
# the whole nexthop-bench matrix and churn-bench, other arguments go to
# nexthop-bench after the defaults (so they override them).
#
#   bash tests/run_sh_test.sh SOURCE_DIR
set -uo pipefail
run=${1:?usage: run_sh_test.sh SOURCE_DIR}/scripts/run.sh
passed=0
failed=0
check() {  # check NAME CONDITION...
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $name"
  fi
}
has() { grep -qF -- "$2" <<<"$1"; }
lacks() { ! grep -qF -- "$2" <<<"$1"; }
bench_line() { grep -F -- '/bench/nexthop-bench' <<<"$1"; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
default=$(BUILD_DIR=$scratch/build bash "$run" --dry-run) ||
  { echo "FAIL: run.sh --dry-run exited $?"; exit 1; }
full=$(bash "$run" --dry-run --full --seed 7) || { echo "FAIL: run.sh --dry-run --full exited $?"; exit 1; }

d=$(bench_line "$default")
check "default: the forwarding structures and rte_fib" \
  has "$d" "--algos dir24_8,poptrie,rte_fib"
check "default: the IPv6 peers beside them" has "$d" "dxr6,rte_fib6"
check "default: both next-hop models" has "$d" "--nexthops rr:255,block:16"
check "default: uniform and matched traffic" \
  has "$d" "--traffic uniform,matched"
check "default: one thread" has "$d" "--threads 1"
check "default: the charts" has "$d" "--plot"
check "default: no rte_lpm" lacks "$d" "rte_lpm"
check "default: fwd-bench" has "$default" "/bench/fwd-bench"
check "default: no churn-bench" lacks "$default" "churn-bench "
check "default: sets up huge pages" has "$default" "setup-hugepages.sh"
check "default: builds nothing in a dry run" test ! -e "$scratch/build"
check "default: BUILD_DIR respected" has "$d" "$scratch/build/plots"

f=$(bench_line "$full")
check "--full: nexthop-bench's own defaults (the whole matrix)" \
  lacks "$f" "--algos"
check "--full: both families" has "$f" "--family 4,6"
check "--full: extra arguments go to nexthop-bench" has "$f" "--seed 7"
check "--full: --full is not passed on" lacks "$f" "--full"
check "--full: churn-bench" has "$full" "/bench/churn-bench "

echo "run_sh_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
