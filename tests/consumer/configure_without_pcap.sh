#!/usr/bin/env bash
# A source build of the libraries without the simulator needs no libpcap
# (nor liburcu, without nexthop::rcu; nor libmnl and civetweb, without
# nexthop::netlink and nexthop::metrics):
# configures nexthop with NEXTHOP_BUILD_SIM=OFF where pkg-config cannot see
# libpcap, and builds nexthop::lpm. (The simulator, tools, tests and
# benchmarks need it and are off.)
set -euo pipefail
source_dir=$1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/no-pkgconfig"
PKG_CONFIG_LIBDIR="$scratch/no-pkgconfig" PKG_CONFIG_PATH= \
  cmake -S "$source_dir" -B "$scratch/build" -DCMAKE_BUILD_TYPE=Release \
  -DNEXTHOP_BUILD_SIM=OFF -DNEXTHOP_BUILD_RCU=OFF \
  -DNEXTHOP_BUILD_NETLINK=OFF -DNEXTHOP_BUILD_METRICS=OFF -DNEXTHOP_BUILD_TOOLS=OFF -DNEXTHOP_BUILD_TESTS=OFF \
  -DNEXTHOP_BUILD_BENCHMARKS=OFF >"$scratch/configure.log" 2>&1 ||
  { cat "$scratch/configure.log" >&2; exit 1; }
if grep -q "^PCAP_" "$scratch/build/CMakeCache.txt"; then
  echo "libpcap was looked for" >&2
  exit 1
fi
cmake --build "$scratch/build" -j 2 --target nexthop_lpm >/dev/null
echo "nexthop::lpm built from source without libpcap"
