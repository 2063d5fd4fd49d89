#!/usr/bin/env bash
# Runs a simulator topology file (examples/sim/*.topo) on real network
# namespaces: one namespace per host and router, one veth pair per link,
# Linux hosts configured with the file's own commands and every router a
# `nexthop router` with the file's commands as its config. Then the file's
# `run` lines for hosts run with the real tools, and -i NODE:IFACE prints
# what `tcpdump -n -t` saw there (as `nexthop sim -t -i` does).
#
# Not reproduced: link delays (this kernel has no netem), switches (not
# supported here: the script says so and stops) and `run` lines on a
# router (nexthop router has no shell yet: skipped, with a note). Host
# commands run as written, with `ip netns exec`; `traceroute` gets -n (no
# resolver in the namespaces) and, as the simulator's does, probes with
# ICMP echo one at a time (-I -N 1). Capture on a host's interface: on a
# router's own interface tcpdump misses what the router sends (it sends
# with PACKET_QDISC_BYPASS, past the kernel's taps).
#
# Usage (as root): scripts/live-topology.sh FILE [-i NODE:IFACE]...
#                    [--build DIR | --nexthop PATH] [--keep]
#   --keep leaves the namespaces and routers running (names nhx<PID>-NODE;
#   the script prints how to remove them).
set -euo pipefail
file= build=build keep=0 cli=
captures=()
while (($#)); do
  case $1 in
    -i) captures+=("$2"); shift 2 ;;
    --build) build=$2; shift 2 ;;
    --nexthop) cli=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "live-topology: unknown option $1" >&2; exit 2 ;;
    *) file=$1; shift ;;
  esac
done
[[ -n $file ]] || { echo "usage: $0 FILE [-i NODE:IFACE]... [--build DIR] [--keep]" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "live-topology: needs root (network namespaces)" >&2; exit 1; }
cli=$(realpath "${cli:-$build/tools/nexthop}")
tag=nhx$$
work=$(mktemp -d)
declare -A kind lpm conf
nodes=() links=() runs=()
pids=()

cleanup() {
  ((keep)) && { echo "# kept: ip netns list | grep $tag; kill ${pids[*]:-}"; return; }
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for n in "${nodes[@]}"; do ip netns del "$tag-$n" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# --- the file ----------------------------------------------------------------
current=
lineno=0
while IFS= read -r raw || [[ -n $raw ]]; do
  lineno=$((lineno + 1))
  line=${raw%%#*}
  [[ -z ${line//[[:space:]]/} ]] && continue
  read -r -a w <<<"$line"
  if [[ $line =~ ^[[:space:]] ]]; then
    [[ -n $current ]] || { echo "$file:$lineno: a command outside a node" >&2; exit 1; }
    conf[$current]+="${line#"${line%%[![:space:]]*}"}"$'\n'
    continue
  fi
  case ${w[0]} in
    host|router)
      current=${w[1]}
      nodes+=("$current")
      kind[$current]=${w[0]}
      conf[$current]=
      [[ ${w[2]:-} == lpm ]] && conf[$current]+="lpm ${w[3]}"$'\n'
      ;;
    link) links+=("${w[1]} ${w[2]}") ;;
    run) runs+=("${line#run }") ;;
    *) echo "$file:$lineno: '${w[0]}' is not supported on real namespaces" >&2
       exit 1 ;;
  esac
done <"$file"

# --- namespaces and links ---------------------------------------------------
for n in "${nodes[@]}"; do
  ip netns add "$tag-$n"
  ip netns exec "$tag-$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
    net.ipv6.conf.default.disable_ipv6=1
  ip -n "$tag-$n" link set lo up
done
for l in "${links[@]}"; do
  read -r a b <<<"$l"
  ip -n "$tag-${a%%:*}" link add "${a#*:}" type veth peer name "${b#*:}" \
    netns "$tag-${b%%:*}"
  for end in "$a" "$b"; do
    ns=$tag-${end%%:*} dev=${end#*:}
    ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1"
    ip netns exec "$ns" ethtool -K "$dev" tx off >/dev/null
    ip -n "$ns" link set "$dev" up
  done
done

# --- hosts: their commands; routers: nexthop router --------------------------
for n in "${nodes[@]}"; do
  if [[ ${kind[$n]} == host ]]; then
    while IFS= read -r c; do
      [[ -z $c ]] && continue
      ip netns exec "$tag-$n" $c
    done <<<"${conf[$n]}"
  else
    printf '%s' "${conf[$n]}" >"$work/$n.conf"
    ip netns exec "$tag-$n" "$cli" router --config "$work/$n.conf" \
      2>"$work/$n.log" &
    pids+=($!)
  fi
done
for n in "${nodes[@]}"; do
  [[ ${kind[$n]} == router ]] || continue
  for _ in $(seq 50); do grep -q "forwarding on" "$work/$n.log" && break; sleep 0.1; done
  grep -q "forwarding on" "$work/$n.log" || { cat "$work/$n.log" >&2; exit 1; }
done

# --- captures, then the run lines --------------------------------------------
for c in "${captures[@]}"; do
  ip netns exec "$tag-${c%%:*}" timeout 120 tcpdump -n -t -l -i "${c#*:}" \
    'ip or arp' >"$work/cap-${c/:/-}" 2>/dev/null &
  pids+=($!)
done
((${#captures[@]})) && sleep 1
for r in "${runs[@]}"; do
  node=${r%%:*} cmd=${r#*: }
  if [[ ${kind[$node]:-} != host ]]; then
    echo "# skipped '$r': $node is a nexthop router (no shell yet)"
    continue
  fi
  # The simulator's traceroute probes with ICMP echo, one probe at a time.
  [[ $cmd == traceroute* ]] && cmd="traceroute -I -N 1 -n ${cmd#traceroute }"
  ip netns exec "$tag-$node" timeout 60 $cmd || true
done
if ((${#captures[@]})); then
  sleep 1
  for i in "${!captures[@]}"; do kill "${pids[-1 - i]}" 2>/dev/null || true; done
  sleep 0.2
  for c in "${captures[@]}"; do
    ((${#captures[@]} > 1)) && echo "== $c"
    cat "$work/cap-${c/:/-}"
  done
fi
