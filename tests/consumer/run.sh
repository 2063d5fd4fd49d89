#!/usr/bin/env bash
# Installs the nexthop build in BUILD_DIR to a scratch prefix, then builds and
# runs two embedders against it:
#  - lpm_only/: nexthop::lpm alone, configured with pkg-config pointed at an
#    empty directory, so libpcap cannot be found (a machine without
#    libpcap-dev);
#  - the full consumer (every module, the simulator too), netlink_metrics
#    where nexthop::netlink and nexthop::metrics were built, and where nexthop
#    was built with DPDK, dpdk_consumer (nexthop::rcu_dpdk).
# Any failure (configure, build, or a consumer's exit code) fails the test.
# With a third argument "broken" both consumers are asked to give a wrong
# answer: the script must then stop at the first one with its message
# (the embed_consumer_can_fail test checks exactly that).
set -euo pipefail
build_dir=$1
source_dir=$2
mode=${3:-}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cmake --install "$build_dir" --prefix "$scratch/prefix" >/dev/null
mkdir "$scratch/no-pkgconfig"
PKG_CONFIG_LIBDIR="$scratch/no-pkgconfig" PKG_CONFIG_PATH= \
  cmake -S "$source_dir/tests/consumer/lpm_only" -B "$scratch/build-lpm" \
  -DCMAKE_PREFIX_PATH="$scratch/prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$scratch/build-lpm" -j 2 >/dev/null
"$scratch/build-lpm/lpm_consumer" $mode
if [[ -z $mode ]]; then
  # The same package must refuse COMPONENTS sim there, with a reason.
  mkdir "$scratch/sim-without-pcap"
  printf 'cmake_minimum_required(VERSION 3.25)\nproject(p LANGUAGES CXX)\nfind_package(nexthop REQUIRED COMPONENTS sim)\n' \
    >"$scratch/sim-without-pcap/CMakeLists.txt"
  if PKG_CONFIG_LIBDIR="$scratch/no-pkgconfig" PKG_CONFIG_PATH= \
     cmake -S "$scratch/sim-without-pcap" -B "$scratch/build-sim-np" \
     -DCMAKE_PREFIX_PATH="$scratch/prefix" >"$scratch/sim-np.log" 2>&1; then
    echo "find_package(nexthop COMPONENTS sim) succeeded without libpcap" >&2
    exit 1
  fi
  grep -q 'needs libpcap' "$scratch/sim-np.log"
  if [[ -d "$scratch/prefix/include/nexthop/rcu_dpdk" ]]; then
    # Likewise COMPONENTS rcu_dpdk without DPDK; OPTIONAL_COMPONENTS is fine.
    for kind in COMPONENTS OPTIONAL_COMPONENTS; do
      mkdir "$scratch/dpdk-$kind"
      printf 'cmake_minimum_required(VERSION 3.25)\nproject(p LANGUAGES CXX)\nfind_package(nexthop REQUIRED %s rcu_dpdk)\n' \
        "$kind" >"$scratch/dpdk-$kind/CMakeLists.txt"
      if PKG_CONFIG_LIBDIR="$scratch/no-pkgconfig" PKG_CONFIG_PATH= \
         cmake -S "$scratch/dpdk-$kind" -B "$scratch/build-dpdk-$kind" \
         -DCMAKE_PREFIX_PATH="$scratch/prefix" >"$scratch/dpdk-$kind.log" 2>&1; then
        [[ $kind == OPTIONAL_COMPONENTS ]] || {
          echo "find_package(nexthop COMPONENTS rcu_dpdk) succeeded without DPDK" >&2
          exit 1
        }
      elif [[ $kind == OPTIONAL_COMPONENTS ]]; then
        echo "find_package(nexthop OPTIONAL_COMPONENTS rcu_dpdk) failed without DPDK" >&2
        cat "$scratch/dpdk-$kind.log" >&2
        exit 1
      else
        grep -q 'needs DPDK' "$scratch/dpdk-$kind.log"
      fi
    done
  fi
fi
echo "lpm-only consumer passed; now the full consumer"
cmake -S "$source_dir/tests/consumer" -B "$scratch/build" \
  -DCMAKE_PREFIX_PATH="$scratch/prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$scratch/build" -j 2 >/dev/null
"$scratch/build/consumer"
if [[ -d "$scratch/prefix/include/nexthop/rcu_dpdk" ]]; then
  # Installed, so the component must be found and its consumer built.
  "$scratch/build/dpdk_consumer"
fi
if [[ -d "$scratch/prefix/include/nexthop/netlink" ]]; then
  # Installed, so both components must be found and their consumer built.
  "$scratch/build/netlink_metrics_consumer"
fi
