// ControlPlane: the IPv4 stack of one host or router - its interfaces and
// addresses, route table, neighbour cache and fast path - and everything
// the fast path cannot finish: ARP, ICMP errors, queueing while a
// neighbour resolves, local delivery.
//
// Frames come in through Receive(port, frame) and go out through the Io
// the owner provides (port, bytes); time comes from a Clock. Nothing here
// knows about the simulator's Network or Device, so the same control plane
// can run in the simulator (sim/node.h adapts it) or behind real ports (a
// live router reading AF_PACKET sockets calls Receive per frame, sends
// what Io::Transmit gets, and calls Tick() while it asks to be ticked). It
// lives in sim/ rather than fwd/ because it is the simulator's model of a
// Linux host (Linux commands' semantics, `arp_ignore`, the deliberate
// differences below), not a piece of the fast path; it depends only on
// fwd/, arp/, rib/ and lpm/, never on libpcap or the event loop.
//
// A router (ip_forward) runs every frame through the ForwardingPlane, a
// burst of one, and answers its slow-path verdicts: ARP, ICMP time
// exceeded, net unreachable, fragmentation needed, and packets for
// neighbours still resolving (queued in the NeighborCache with the port
// they were routed to, and sent out of that port when the reply comes).
// Its next hops carry each gateway's MAC while the gateway is REACHABLE or
// PERMANENT (AdjacencyTable, synced after every call into the cache), so
// that traffic to a resolved gateway skips the neighbour lookup, as a
// Linux route's cached header does; a STALE gateway's traffic goes through
// the lookup, which records its use. A host delivers what is addressed to
// it and drops the rest. Both answer
// echo requests and hand other ICMP to their IcmpListeners (ping,
// traceroute).
//
// Broadcast and multicast follow Linux's defaults: each connected subnet's
// broadcast address and 255.255.255.255 are delivered here, never forwarded
// (bc_forwarding=0) and never answered with an ICMP error (RFC 1122 3.2.2);
// an echo request to them is ignored while icmp_echo_ignore_broadcasts is
// 1, its default; a frame sent to an Ethernet group address is never
// forwarded; a multicast destination is taken only for 224.0.0.1 (all
// hosts, which every host joins) and never routed. Sending to a broadcast
// address needs EchoRequest::broadcast (ping -b) and goes to
// ff:ff:ff:ff:ff:ff on the route's interface; multicast goes to the group's
// MAC (01:00:5e:...), and is not looped back to the sender.
//
// Differences from Linux, on purpose: no prefix route is added for an
// address on a loopback interface (Linux adds a *local* route for the
// whole prefix, which would swallow replies to the rest of that prefix);
// IP fragmentation is not implemented (too big without DF is dropped); a
// STALE neighbour the fast path uses moves to DELAY within a second of the
// use (the cache's use_check_time), not on the packet itself; STALE entries
// nobody uses are collected after gc_stale_time even in a small table
// (Linux keeps them below gc_thresh1); the neighbour cache is keyed by
// address alone, not (device, address).
//
// Cost: a Fib, a NeighborCache (1024 entries), a few small vectors; a frame
// costs one ForwardingPlane burst of one plus, on the slow path, a parse
// and a route lookup. Configuration rebuilds the fast path's tables (linear
// in interfaces and next hops), and so does a gateway's MAC coming or going.
// Not thread-safe; callbacks (Io, IcmpListener) run on the calling thread,
// inside Receive, Tick and the sending calls, and may call back into the
// control plane.
//
// Example:
//   #include "arp/arp_packet.h"
//   #include "fwd/tcpdump.h"
//   struct Ports : ControlPlane::Io {  // real ports: AF_PACKET sockets, say
//     std::vector<std::function<void()>> later;  // its loop runs them next
//     void Transmit(int port, std::vector<uint8_t> frame) override {
//       std::cout << port << ": " << TcpdumpFrame(frame) << "\n";
//     }
//     void Defer(std::function<void()> fn) override { later.push_back(fn); }
//     void WakeTimers() override {}  // then Tick() while it returns true
//   } io;
//   RealClock clock;
//   ControlPlane cp(&clock, &io, {});  // a host; .router = true forwards
//   const Ipv4Address me = *Ipv4Address::Parse("10.0.0.1");
//   cp.AddAddress("eth0", me, 24).IgnoreError();
//   cp.Receive(1, EncodeArpFrame(ArpRequest(  // on eth0: port 1 (lo is 0)
//                     *MacAddress::Parse("02:00:00:00:00:02"),
//                     *Ipv4Address::Parse("10.0.0.2"), me)));
//   // 1: ARP, Reply 10.0.0.1 is-at 00:00:00:00:00:01, length 28
#ifndef NEXTHOP_SIM_CONTROL_PLANE_H_
#define NEXTHOP_SIM_CONTROL_PLANE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "arp/neighbor_cache.h"
#include "fwd/adjacency_table.h"
#include "fwd/forwarding_plane.h"
#include "fwd/ipv4_packet.h"
#include "lpm/any_lpm.h"
#include "net/clock.h"
#include "net/ethernet.h"
#include "rib/fib.h"

namespace nexthop {

// A program that waits for ICMP addressed to this node.
class IcmpListener {
 public:
  virtual ~IcmpListener() = default;
  // Any ICMP message delivered here other than an echo request (which the
  // control plane answers itself).
  virtual void OnIcmp(const Ipv4View& ip, const IcmpMessage& m) = 0;
  // One of this node's own packets was dropped because its next hop never
  // answered ARP (Linux reports it to the socket as host unreachable).
  virtual void OnHostUnreachable(const Ipv4View& ip) = 0;
};

class ControlPlane {
 public:
  // ip address's scope: arp_ignore=3 does not answer for kHost.
  enum class Scope { kGlobal, kLink, kHost };
  struct Address {
    Ipv4Address ip;
    int length = 32;
    std::string label;  // "lo:3" for an alias
    Scope scope = Scope::kGlobal;
  };
  struct Interface {
    std::string name;
    MacAddress mac;
    uint16_t mtu = 1500;
    bool loopback = false;
    int arp_ignore = 0;
    std::vector<Address> addresses;
  };

  // What the control plane needs from whoever runs it. Called from inside
  // the control plane's calls; implementations may call back into it.
  class Io {
   public:
    virtual ~Io() = default;
    // Sends `frame` out of `port` (an interface index).
    virtual void Transmit(int port, std::vector<uint8_t> frame) = 0;
    // Runs `fn` soon, after the current call has returned: a packet to one
    // of our own addresses is delivered that way, as through a loopback
    // device, never from inside the call that sent it.
    virtual void Defer(std::function<void()> fn) = 0;
    // A packet went out or an ARP packet came in, so a neighbour entry may
    // have a timer: call Tick() now
    // (unless ticking already) and every kTickPeriod while it returns true.
    virtual void WakeTimers() = 0;
  };

  // How often the owner should Tick() while timers are pending: the
  // resolution of the neighbour cache's timers.
  static constexpr absl::Duration kTickPeriod = absl::Milliseconds(100);

  struct Options {
    bool router = false;  // net.ipv4.ip_forward
    MacAddress base_mac;  // interface i gets base_mac + i
    uint64_t seed = 1;    // the neighbour cache's hash and timer seed
  };

  // `clock` and `io` must outlive the control plane. Starts with `lo`
  // (127.0.0.1/8) as port 0 and an empty patricia route table.
  ControlPlane(const Clock* clock, Io* io, Options options);
  ~ControlPlane();
  ControlPlane(const ControlPlane&) = delete;
  ControlPlane& operator=(const ControlPlane&) = delete;

  // --- configuration (control_plane.cc) ---------------------------------
  // The port of interface `name`, created (with the next MAC) if missing.
  int AddInterface(absl::string_view name);
  // -1 if there is no such interface.
  int PortIndex(absl::string_view name) const;
  std::string PortName(int port) const;  // "?" if out of range
  // `label` is the interface, or an alias of it ("lo:3"); adds the
  // connected route as the kernel does (not for lo, nor for a /32). The
  // scope defaults as iproute2's does: host for 127.0.0.0/8, else global.
  // If the route cannot be added, neither is the address.
  absl::Status AddAddress(absl::string_view label, Ipv4Address ip, int length,
                          std::optional<Scope> scope = std::nullopt);
  // Without `dev`, the device is the one whose network holds `gateway`.
  absl::Status AddRoute(Ipv4Prefix prefix, std::optional<Ipv4Address> gateway,
                        std::string dev, uint32_t metric);
  // `ip route del` of a route exactly as added (prefix, gateway, device,
  // metric); what Fib::Remove says if there is none.
  absl::Status DeleteRoute(const Route& route);
  // Moves every route into `lpm` and uses it from now on.
  absl::Status ReplaceLpm(AnyLpm lpm);
  // For a `port` from AddInterface or PortIndex.
  void SetMac(int port, MacAddress mac);
  void SetMtu(int port, uint16_t mtu);
  void SetArpIgnore(int port, int value);
  void set_arp_ignore_all(int value) { arp_ignore_all_ = value; }
  // net.ipv4.conf.default.arp_ignore: the value interfaces created from now
  // on start with.
  void set_arp_ignore_default(int value) { arp_ignore_default_ = value; }
  void set_ip_forward(bool on) { ip_forward_ = on; }
  // net.ipv4.icmp_echo_ignore_broadcasts (default true).
  void set_icmp_echo_ignore_broadcasts(bool on) { echo_ignore_bcast_ = on; }
  // `arp -s`: packets waiting for `ip` leave at once.
  absl::Status AddPermanentNeighbor(Ipv4Address ip, MacAddress mac);
  // `arp -d`.
  absl::Status DeleteNeighbor(Ipv4Address ip);

  // --- frames and packets (control_plane_receive.cc, _send.cc) ----------
  // A frame that arrived on `port` (an interface index).
  void Receive(int port, std::vector<uint8_t> frame);
  // An echo request as ping builds it.
  struct EchoRequest {
    Ipv4Address dst;
    uint16_t id = 0;
    uint16_t seq = 0;
    uint8_t ttl = 64;
    size_t data_bytes = 56;     // 0, 1, 2, ... as payload
    bool dont_fragment = true;  // ping's -M do (default); -M dont clears it
    bool broadcast = false;     // ping -b: a broadcast dst is allowed
  };
  // Sends it from the egress interface's address. Errors are what ping
  // prints after "ping: " ("connect: Network is unreachable", "local
  // error: message too long, mtu=1500"); answers reach the IcmpListeners.
  // A broadcast destination without `broadcast` is PermissionDenied, as
  // connect() refuses it with EACCES.
  absl::Status SendIcmpEcho(const EchoRequest& request);
  // Runs the neighbour cache's timers due now (retries, failures, aging,
  // acting on the fast path's use of STALE entries); true while the cache
  // has a timer pending (every entry but a PERMANENT one has one), i.e. the
  // owner should tick again in kTickPeriod. A node that forwards is therefore
  // ticked every 100 ms for as long as it has dynamic neighbours (ten
  // simulator events a second; the cache could report its next due time
  // instead).
  bool Tick();
  // Listeners are told in the order they were added; not owned.
  void AddIcmpListener(IcmpListener* listener);
  void RemoveIcmpListener(IcmpListener* listener);

  // --- state -------------------------------------------------------------
  bool ip_forward() const { return ip_forward_; }
  const std::vector<Interface>& interfaces() const { return ifaces_; }
  const Fib<AnyLpm>& fib() const { return *fib_; }
  const NeighborCache& neighbors() const { return neighbors_; }
  const std::map<DropReason, uint64_t>& drops() const { return drops_; }
  uint64_t forwarded() const { return forwarded_; }
  // The port a neighbour was last routed through or heard on, else the
  // interface whose network holds it; -1 if none.
  int PortForNeighbor(Ipv4Address ip) const;
  // 255.255.255.255 or the broadcast address of a connected subnet (of an
  // address shorter than /31), as the kernel's local table lists them.
  bool IsBroadcast(Ipv4Address ip) const;

 private:
  // Where the route to `dst` leads: egress port and neighbour (gateway, or
  // dst itself on-link).
  struct Hop {
    int port;
    Ipv4Address neighbor;
  };

  // net.ipv4.ip_default_ttl: of the packets this node builds.
  static constexpr uint8_t kDefaultTtl = 64;

  // control_plane.cc
  void RebuildPlane();
  bool IsLocal(Ipv4Address ip) const;
  std::optional<Ipv4Address> SourceFor(int port) const;
  void NotePort(Ipv4Address ip, int port);
  void Drop(DropReason r) { ++drops_[r]; }
  // Listeners are told from a copy, each only if still listening: one may
  // remove itself, or another, while being told.
  std::vector<IcmpListener*> ListenersNow() const { return listeners_; }
  bool IsListening(const IcmpListener* l) const;

  // control_plane_receive.cc
  void SlowPath(int port, std::vector<uint8_t> frame, const Verdict& v);
  void HandleArp(int port, std::span<const uint8_t> frame);
  // net.ipv4.conf.*.arp_ignore: whether to answer `sender` asking on
  // `port` for `target`.
  bool AnswersArp(int port, Ipv4Address target, Ipv4Address sender) const;
  // A host's frames (no fast path: it forwards nothing).
  void HostPath(int port, const EthernetHeader& eth,
                std::vector<uint8_t> frame);
  // `port` is where it arrived (-1: from this node itself); a broadcast,
  // multicast or link-group packet gets no ICMP error and no echo reply
  // while echo_ignore_bcast_.
  void Deliver(int port, std::span<const uint8_t> ip_packet,
               bool link_group = false);

  // control_plane_send.cc
  std::optional<Hop> RouteTo(Ipv4Address dst) const;
  // Sends a packet this node built (or one it forwards, already
  // TTL-decremented) towards `dst`: route, neighbour, frame.
  absl::Status SendIp(std::vector<uint8_t> packet, Ipv4Address dst);
  void Output(int port, Ipv4Address neighbor, std::vector<uint8_t> packet);
  void RunActions(std::vector<NeighborAction>& actions);
  void SendIcmpError(std::span<const uint8_t> offending, int in_port,
                     IcmpType type, uint8_t code, uint16_t mtu = 0);

  Io* io_;
  bool ip_forward_;
  MacAddress base_mac_;
  int arp_ignore_all_ = 0;
  int arp_ignore_default_ = 0;
  bool echo_ignore_bcast_ = true;
  std::vector<Interface> ifaces_;
  std::unique_ptr<Fib<AnyLpm>> fib_;
  NeighborCache neighbors_;
  std::vector<Ipv4Address> local_;      // our addresses
  std::vector<Ipv4Address> broadcast_;  // our subnets' broadcast addresses
  // The fast path, and its tables: published by RebuildPlane() after every
  // change of interfaces or routes, and by adjacencies_.Sync() after every
  // call into neighbors_ (gateways' MACs while they are REACHABLE or
  // PERMANENT, so that the fast path forwards to them without a lookup).
  ForwardingPlane<AnyLpm> plane_;
  AdjacencyTable<AnyLpm> adjacencies_;
  std::map<uint32_t, int> neighbor_port_;  // where each neighbour lives
  std::map<DropReason, uint64_t> drops_;
  uint64_t forwarded_ = 0;
  uint16_t next_ip_id_ = 1;
  std::vector<IcmpListener*> listeners_;
};

}  // namespace nexthop

#endif  // NEXTHOP_SIM_CONTROL_PLANE_H_
