#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-fuzz/ and
# runs each for SECONDS (default 60) from its seed corpus. A crash fails the
# run and leaves its input in build-fuzz/crashes/TARGET/: copy it into
# tests/fuzz/regressions/TARGET/ so every later build replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
bash scripts/install-deps.sh
if ! command -v clang++-14 >/dev/null || ! dpkg-query -W libclang-rt-14-dev >/dev/null 2>&1; then
  sudo_cmd=(); [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq clang-14 libclang-rt-14-dev >/dev/null
fi
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
  -DNEXTHOP_FUZZ=ON -DNEXTHOP_BUILD_TESTS=OFF -DNEXTHOP_BUILD_BENCHMARKS=OFF \
  -DNEXTHOP_BUILD_TOOLS=OFF >/dev/null
cmake --build build-fuzz -j "$(nproc)"
failed=0
for target in fuzz_route_loader fuzz_address_parse fuzz_arp_decode fuzz_lpm_diff fuzz_lpm6_diff fuzz_ipv4_decode fuzz_topology fuzz_mrt; do
  work=build-fuzz/corpus/$target
  crashes=build-fuzz/crashes/$target
  mkdir -p "$work" "$crashes"
  echo "== $target for ${seconds}s"
  extra=()
  # LeakSanitizer would scan Dir24_8's 64 MiB table between inputs (~1 s).
  [[ $target == fuzz_lpm_diff || $target == fuzz_lpm6_diff ]] && extra=(-detect_leaks=0)
  if ! build-fuzz/tests/fuzz/$target "${extra[@]}" "$work" tests/fuzz/corpus/$target \
       tests/fuzz/regressions/$target -max_total_time="$seconds" -timeout=20 \
       -rss_limit_mb=4096 -artifact_prefix="$crashes/" -print_final_stats=1 \
       2>build-fuzz/$target.log; then
    echo "!! $target failed: see build-fuzz/$target.log and $crashes/" >&2
    tail -30 build-fuzz/$target.log >&2
    failed=1
  else
    grep -E "stat::number_of_executed_units|Done" build-fuzz/$target.log | tail -2
  fi
done
exit $failed
