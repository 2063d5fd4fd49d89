#!/usr/bin/env bash
# Forwarding rate and latency of a router between two namespaces, side by
# side: (a) the Linux kernel forwarding in r (ip_forward=1), (b) nexthop
# router. h1 -- r -- h2 over veth pairs (10.78.0.0/16); trafgen (Debian
# netsniff-ng) in h1 sends 60-byte UDP frames (64 on the wire with the FCS)
# for SECONDS from one core; h2's interface counts what arrives (to
# 10.78.2.99, a static neighbour with h2's MAC: h2's kernel drops it
# silently, so no reply traffic flows back). Then ping RTT percentiles
# (200 pings, 10 ms apart) on the idle path. trafgen is pinned to CPU 0,
# the router to CPU 1 (veth runs the receive path in the sender's core:
# the kernel's forwarding happens on CPU 0 too).
#
# A benchmark, not a test: numbers on a shared machine are noisy.
# Usage (as root): scripts/live-router-bench.sh [BUILD_DIR] [SECONDS]
set -euo pipefail
build=${1:-build}
secs=${2:-5}
cli=$(realpath "$build/tools/nexthop")
for t in trafgen ping ip taskset; do
  command -v $t >/dev/null || { echo "needs $t (scripts/install-deps.sh)" >&2; exit 1; }
done
[[ $(id -u) -eq 0 ]] || { echo "needs root (network namespaces)" >&2; exit 1; }

tag=nhb$$
h1=$tag-h1 r=$tag-r h2=$tag-h2
work=$(mktemp -d)
router_pid=
cleanup() {
  [[ -n $router_pid ]] && kill "$router_pid" 2>/dev/null && wait "$router_pid" 2>/dev/null
  for ns in $h1 $r $h2; do ip netns del $ns 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

for ns in $h1 $r $h2; do
  ip netns add $ns
  ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
    net.ipv6.conf.default.disable_ipv6=1
done
ip -n $h1 link add eth0 type veth peer name veth-a netns $r
ip -n $h2 link add eth0 type veth peer name veth-b netns $r
for d in "$h1 eth0" "$r veth-a" "$r veth-b" "$h2 eth0"; do
  set -- $d
  ip netns exec $1 sysctl -qw net.ipv6.conf.$2.disable_ipv6=1
  ip netns exec $1 ethtool -K $2 tx off >/dev/null 2>&1 || true
  ip -n $1 link set $2 up
done
ip -n $h1 addr add 10.78.1.2/24 dev eth0
ip -n $h1 route add default via 10.78.1.1
ip -n $h2 addr add 10.78.2.2/24 dev eth0
ip -n $h2 route add default via 10.78.2.1
mac() { ip -n "$1" -o link show "$2" | sed 's/.*link\/ether \([0-9a-f:]*\).*/\1/'; }
h1_mac=$(mac $h1 eth0) ra_mac=$(mac $r veth-a) h2_mac=$(mac $h2 eth0)

cat > "$work/udp.cfg" <<CFG
{
  eth(da=$ra_mac, sa=$h1_mac),
  ipv4(saddr=10.78.1.2, daddr=10.78.2.99, ttl=64),
  udp(sp=4000, dp=9),
  fill(0, 18)
}
CFG

count() { ip netns exec "$1" cat /sys/class/net/"$2"/statistics/"$3"; }

# One run: SECONDS of trafgen, then the ping percentiles.
measure() {
  local name=$1
  # The first ping resolves r's and h2's neighbours.
  ip netns exec $h1 ping -c 1 -W 2 10.78.2.2 >/dev/null || {
    echo "$name: h1 cannot reach h2" >&2; return 1; }
  local tx0 rx0 tx1 rx1
  tx0=$(count $h1 eth0 tx_packets) rx0=$(count $h2 eth0 rx_packets)
  ip netns exec $h1 timeout "$secs" taskset -c 0 trafgen -o eth0 \
    -i "$work/udp.cfg" -P 1 --no-sock-mem --notouch-irq -C >/dev/null 2>&1 || true
  sleep 0.5
  tx1=$(count $h1 eth0 tx_packets) rx1=$(count $h2 eth0 rx_packets)
  local sent=$((tx1 - tx0)) got=$((rx1 - rx0))
  local rtts
  rtts=$(ip netns exec $h1 ping -c 200 -i 0.01 -W 1 10.78.2.2 |
    sed -n 's/.*time=\([0-9.]*\) ms/\1/p' | sort -n)
  local n
  n=$(wc -l <<<"$rtts")
  pct() { sed -n "$(( (n * $1 + 99) / 100 ))p" <<<"$rtts"; }
  printf "| %s | %d | %d | %d | %s | %s | %s |\n" "$name" \
    $((sent / secs)) $((got / secs)) $(((sent - got) / secs)) \
    "$(pct 50)" "$(pct 90)" "$(pct 99)"
}

echo "| router in r | sent pps | forwarded pps | dropped pps | ping p50 ms | p90 ms | p99 ms |"
echo "| --- | --- | --- | --- | --- | --- | --- |"

# (a) the kernel.
ip -n $r addr add 10.78.1.1/24 dev veth-a
ip -n $r addr add 10.78.2.1/24 dev veth-b
ip -n $r neigh replace 10.78.2.99 lladdr "$h2_mac" dev veth-b
ip netns exec $r sysctl -qw net.ipv4.ip_forward=1
measure "Linux kernel (ip_forward=1)"
ip netns exec $r sysctl -qw net.ipv4.ip_forward=0
ip -n $r addr flush dev veth-a
ip -n $r addr flush dev veth-b
ip -n $r neigh flush dev veth-b

# (b) nexthop router, on CPU 1.
cat > "$work/r.conf" <<CONF
ip addr add 10.78.1.1/24 dev veth-a
ip addr add 10.78.2.1/24 dev veth-b
arp -s 10.78.2.99 $h2_mac
CONF
ip netns exec $r taskset -c 1 "$cli" router --config "$work/r.conf" \
  2>"$work/router.log" &
router_pid=$!
for _ in $(seq 50); do grep -q "forwarding on" "$work/router.log" && break; sleep 0.1; done
measure "nexthop router"
kill "$router_pid"; wait "$router_pid" || true; router_pid=
sed 's/^/# /' "$work/router.log"
