// Node: a host or a router in the simulated network, configured with the
// commands people type on Linux.
//
// A thin Device adapter: the node's IPv4 stack is a ControlPlane
// (interfaces, addresses, routes, neighbours, fast path, ARP and ICMP; see
// sim/control_plane.h for what it does and how it differs from Linux),
// its commands a Shell (ping, traceroute, show commands) and
// ApplyConfigCommand (ip, ifconfig, route, arp, sysctl, lpm). The node
// wires them to the Network: frames to and from links, the event queue
// for timers and loopback delivery, the run's output for printing. Cost:
// that of its ControlPlane. Not thread-safe (nor is the Network).
//
// Example:
//   Network net;
//   Node* r = *net.AddNode("R", /*router=*/true);
//   r->Configure("ip addr add 10.0.0.1/24 dev eth0").IgnoreError();
//   r->Configure("ip route add default via 10.0.0.254").IgnoreError();
//   absl::Status s = r->Configure("ip route add 10.9.0.0/16 via 10.1.0.1");
//   // FailedPrecondition: "Network is unreachable: no interface has ..."
//   r->interfaces().size();     // 2: lo and eth0
//   r->fib().routes().size();   // 2: 10.0.0.0/24 and the default
//   net.Run("R", "ip route", std::cout).IgnoreError();  // Execute, printed:
//   // default via 10.0.0.254 dev eth0
//   // 10.0.0.0/24 dev eth0 scope link
#ifndef NEXTHOP_SIM_NODE_H_
#define NEXTHOP_SIM_NODE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "sim/app_runtime.h"
#include "sim/control_plane.h"
#include "sim/network.h"
#include "sim/shell.h"

namespace nexthop {

class Node final : public Device, public ControlPlane::Io, public AppRuntime {
 public:
  using Address = ControlPlane::Address;
  using Interface = ControlPlane::Interface;

  Node(Network* net, std::string name, bool router, MacAddress base_mac,
       uint64_t seed);
  ~Node() override;

  // One configuration command while the network is built
  // (ApplyConfigCommand's kSetup: an interface it names is created). Errors
  // say what is wrong with the command.
  absl::Status Configure(absl::string_view command);
  // A command run in the simulation: ping, traceroute, arp -a, route -n,
  // ip route, ip neigh, drops, sleep, or any configuration command. Output
  // goes to Network::Print; `done` runs when the command has finished.
  absl::Status Execute(absl::string_view command, std::function<void()> done);

  // Device.
  void Receive(int port, std::vector<uint8_t> frame) override;
  int PortIndex(absl::string_view name) const override;
  std::string PortName(int port) const override;
  int AddInterface(absl::string_view name);

  ControlPlane& control_plane() { return cp_; }
  const ControlPlane& control_plane() const { return cp_; }
  bool router() const { return cp_.ip_forward(); }
  const std::vector<Interface>& interfaces() const { return cp_.interfaces(); }
  const Fib<AnyLpm>& fib() const { return cp_.fib(); }
  const NeighborCache& neighbors() const { return cp_.neighbors(); }
  const std::map<DropReason, uint64_t>& drops() const { return cp_.drops(); }
  uint64_t forwarded() const { return cp_.forwarded(); }

 private:
  // ControlPlane::Io: the links, the event queue.
  void Transmit(int port, std::vector<uint8_t> frame) override;
  void Defer(std::function<void()> fn) override;
  void WakeTimers() override;
  // AppRuntime: simulated time, the event queue, the run's output.
  absl::Time Now() const override;
  void Schedule(absl::Duration after, std::function<void()> fn) override;
  void Print(const std::string& line) override;

  // Ticks the control plane, then again every kTickPeriod while it asks.
  void Tick();

  ControlPlane cp_;
  Shell shell_;  // after cp_: its programs stop listening to it first
  bool ticking_ = false;
};

}  // namespace nexthop

#endif  // NEXTHOP_SIM_NODE_H_
