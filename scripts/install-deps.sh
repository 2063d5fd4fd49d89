#!/usr/bin/env bash
# Installs what nexthop needs from Debian's package registry, and nothing else.
# Safe to run again: it only calls apt-get when a package is missing.
# libdpdk-dev (the benchmarks' DPDK peers and nexthop::rcu_dpdk, whose test
# then runs) is optional for the build but installed here: 217 packages,
# 26 MB, a few seconds of download and ~4 s of unpacking on a fresh machine.
set -euo pipefail
pkgs=(build-essential cmake pkg-config zlib1g-dev libgtest-dev libgmock-dev
      libbenchmark-dev libabsl-dev libxxhash-dev nlohmann-json3-dev libpcap-dev
      gnuplot-nox tcpdump liburcu-dev libbz2-dev bgpdump libdpdk-dev
      libmnl-dev libcivetweb-dev
      # The live router's tests drive it with the real tools, in namespaces.
      iproute2 iputils-ping traceroute iputils-tracepath arping iperf3 ethtool
      # trafgen, the live router benchmark's sender.
      netsniff-ng)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
fi
