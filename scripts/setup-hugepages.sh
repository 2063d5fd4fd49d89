#!/usr/bin/env bash
# Sets up 2 MiB huge pages for the benchmarks' DPDK peers, as a DPDK user
# does before starting an application: reserves pages in the kernel's pool
# (/proc/sys/vm/nr_hugepages) and mounts hugetlbfs at /dev/hugepages.
# Needs root; never lowers a larger reservation. Without root, or where the
# kernel refuses (a container with a read-only /proc/sys, too little free
# memory), it says why and exits 0: the benchmarks then run every engine,
# nexthop's included, on 4 KiB pages and print that they did.
#
#   bash scripts/setup-hugepages.sh [PAGES]   # default 1024 (2 GiB)
#
# The pool stays reserved until reboot or `echo 0 >
# /proc/sys/vm/nr_hugepages`.
set -uo pipefail
want=${1:-1024}
if ! [[ "$want" =~ ^[0-9]+$ ]]; then
  echo "setup-hugepages: PAGES must be a number, got '$want'" >&2
  exit 2
fi
say() { echo "setup-hugepages: $*"; }
if [ "$(id -u)" -ne 0 ]; then
  say "not root: no huge pages set up (every engine will run on 4 KiB pages)"
  exit 0
fi
nr=/proc/sys/vm/nr_hugepages
have=$(cat "$nr" 2>/dev/null || echo 0)
if [ "$have" -lt "$want" ]; then
  if ! echo "$want" >"$nr" 2>/dev/null; then
    say "cannot write $nr (read-only /proc/sys?): no huge pages added"
  fi
  have=$(cat "$nr" 2>/dev/null || echo 0)
fi
if [ "$have" -lt "$want" ]; then
  say "the kernel reserved $have of $want 2 MiB pages (not enough free memory?)"
fi
if ! awk '$3 == "hugetlbfs" { found = 1 } END { exit !found }' /proc/mounts; then
  mkdir -p /dev/hugepages &&
    mount -t hugetlbfs -o pagesize=2M nodev /dev/hugepages 2>/dev/null ||
    say "cannot mount hugetlbfs at /dev/hugepages"
fi
free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
say "$have 2 MiB pages reserved, $free free; hugetlbfs at" \
  "$(awk '$3 == "hugetlbfs" { print $2; exit }' /proc/mounts)"
