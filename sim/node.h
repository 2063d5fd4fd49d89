// Node: a host or a router in the simulated network, configured with the
// commands people type on Linux.
//
// A node has interfaces (eth0, ..., and lo with 127.0.0.1/8), addresses
// (several per interface, or aliases such as lo:3), a route table (a Fib
// over any LPM structure, chosen by name), a neighbour cache (arp/) and
// counters of what it dropped and why. A router (ip_forward=1) runs every
// frame through the ForwardingPlane fast path and answers what it cannot
// finish: ARP, ICMP time exceeded, net unreachable, fragmentation needed,
// and queueing while a neighbour resolves. A host delivers what is
// addressed to it and drops the rest. Both answer ping (echo) and run
// `ping` and `traceroute`.
//
// Differences from Linux, on purpose: no prefix route is added for an
// address on a loopback interface (Linux adds a *local* route for the
// whole prefix, which would swallow replies to the rest of that prefix);
// IP fragmentation is not implemented (too big without DF is dropped); the
// fast path does not move a STALE neighbour to DELAY.
#ifndef NEXTHOP_SIM_NODE_H_
#define NEXTHOP_SIM_NODE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "arp/neighbor_cache.h"
#include "fwd/forwarding_plane.h"
#include "fwd/ipv4_packet.h"
#include "sim/network.h"
#include "lpm/any_lpm.h"
#include "rib/fib.h"

namespace nexthop {

class Node final : public Device {
 public:
  struct Address {
    Ipv4Address ip;
    int length = 32;
    std::string label;  // "lo:3" for an alias
  };
  struct Interface {
    std::string name;
    MacAddress mac;
    uint16_t mtu = 1500;
    bool loopback = false;
    int arp_ignore = 0;
    std::vector<Address> addresses;
  };

  Node(Network* net, std::string name, bool router, MacAddress base_mac,
       uint64_t seed);
  ~Node() override;

  // One configuration command: ip addr/link/route, ifconfig, route, arp,
  // sysctl, lpm NAME. Errors say what is wrong with the command.
  absl::Status Configure(absl::string_view command);
  // A command run in the simulation: ping, traceroute, arp -a, route -n,
  // ip route, ip neigh, drops, or any configuration command. Output goes
  // to Network::Print; `done` runs when the command has finished.
  absl::Status Execute(absl::string_view command, std::function<void()> done);

  void Receive(int port, std::vector<uint8_t> frame) override;
  int PortIndex(absl::string_view name) const override;
  std::string PortName(int port) const override;
  int AddInterface(absl::string_view name);

  bool router() const { return ip_forward_; }
  const std::vector<Interface>& interfaces() const { return ifaces_; }
  const Fib<AnyLpm>& fib() const { return *fib_; }
  const NeighborCache& neighbors() const { return neighbors_; }
  const std::map<DropReason, uint64_t>& drops() const { return drops_; }
  uint64_t forwarded() const { return forwarded_; }

  // For ping and traceroute sessions (node_apps.cc).
  struct Session;
  void SendIcmpEcho(Ipv4Address dst, uint16_t id, uint16_t seq, uint8_t ttl,
                    size_t data_bytes, std::string* error);

 private:
  void Drop(DropReason r) { ++drops_[r]; }
  void HandleArp(int port, std::span<const uint8_t> frame);
  void Deliver(int port, std::span<const uint8_t> ip_packet);
  void SlowPath(int port, std::vector<uint8_t> frame, const Verdict& v);
  // Sends an IP packet this node built (or one it forwards, already
  // TTL-decremented) towards `dst`: route, neighbour, frame.
  void SendIp(std::vector<uint8_t> packet, Ipv4Address dst,
              std::string* error);
  void Output(int port, Ipv4Address neighbor, std::vector<uint8_t> packet);
  // Where the route to `dst` leads: egress port and neighbour (gateway, or
  // dst itself on-link); nullopt without a usable route.
  struct Hop {
    int port;
    Ipv4Address neighbor;
  };
  std::optional<Hop> RouteTo(Ipv4Address dst) const;
  void SendIcmpError(std::span<const uint8_t> offending, int in_port,
                     IcmpType type, uint8_t code, uint16_t mtu = 0);
  void RunActions(std::vector<NeighborAction>& actions);
  void Tick();
  void RebuildPlane();
  std::optional<Ipv4Address> SourceFor(int port) const;
  int PortForNeighbor(Ipv4Address ip) const;
  void NotePort(Ipv4Address ip, int port);
  bool IsLocal(Ipv4Address ip) const;
  // `label` is the interface, or an alias of it ("lo:3").
  absl::Status AddAddress(absl::string_view label, Ipv4Address ip, int length);
  absl::Status AddRoute(Ipv4Prefix prefix, std::optional<Ipv4Address> gateway,
                        std::string dev, uint32_t metric);
  absl::Status AddRouteWith(absl::string_view command, Ipv4Prefix prefix,
                            const std::map<std::string, std::string>& opts,
                            const std::string& gateway_key);
  std::string FormatArp() const;
  std::function<void()> Finisher(Session* s, std::function<void()> done);

  bool ip_forward_;
  std::vector<Interface> ifaces_;
  std::unique_ptr<Fib<AnyLpm>> fib_;
  NeighborCache neighbors_;
  std::vector<Adjacency> adjacency_;
  std::vector<Port> ports_;
  std::vector<Ipv4Address> local_;
  std::unique_ptr<ForwardingPlane<AnyLpm>> plane_;
  std::map<uint32_t, int> neighbor_port_;  // where each neighbour lives
  std::map<DropReason, uint64_t> drops_;
  uint64_t forwarded_ = 0;
  uint16_t next_ip_id_ = 1;
  MacAddress base_mac_;
  int arp_ignore_all_ = 0;
  std::vector<std::shared_ptr<Session>> sessions_;
  bool ticking_ = false;
};

}  // namespace nexthop

#endif  // NEXTHOP_SIM_NODE_H_
