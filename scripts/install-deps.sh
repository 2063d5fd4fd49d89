#!/usr/bin/env bash
# Installs what nexthop needs from Debian's package registry, and nothing else.
# Safe to run again: it only calls apt-get when a package is missing.
#   --with-dpdk   also libdpdk-dev, the optional benchmark peer (rte_fib, rte_lpm)
set -euo pipefail
pkgs=(build-essential cmake pkg-config zlib1g-dev libgtest-dev libgmock-dev
      libbenchmark-dev libabsl-dev libxxhash-dev nlohmann-json3-dev libpcap-dev
      gnuplot-nox tcpdump liburcu-dev libbz2-dev bgpdump)
if [[ ${1:-} == --with-dpdk ]]; then pkgs+=(libdpdk-dev); fi
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
