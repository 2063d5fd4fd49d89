#include "sim/node.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "net/wire.h"
#include "net/ethernet.h"
#include "sim/node_apps.h"

namespace nexthop {
namespace {

constexpr uint8_t kDefaultTtl = 64;
// What a Linux program reports when no route (or no usable interface) leads
// to the destination.
constexpr char kUnreachable[] = "connect: Network is unreachable";

NeighborConfig NeighborConfigFor(uint64_t seed) {
  NeighborConfig c;
  c.seed = seed | 1;  // never 0: that would pick a random seed
  return c;
}

// A packet waiting in the neighbour cache carries its egress port in two
// leading bytes: the cache stores opaque packets, and the port is only
// known here, where the packet was routed.
std::vector<uint8_t> Tagged(int port, std::span<const uint8_t> packet) {
  std::vector<uint8_t> p(2 + packet.size());
  p[0] = static_cast<uint8_t>(port >> 8);
  p[1] = static_cast<uint8_t>(port);
  std::copy(packet.begin(), packet.end(), p.begin() + 2);
  return p;
}

}  // namespace

Node::Node(Network* net, std::string name, bool router, MacAddress base_mac,
           uint64_t seed)
    : Device(net, std::move(name)),
      ip_forward_(router),
      fib_(std::make_unique<Fib<AnyLpm>>(*AnyLpm::Create("patricia"))),
      neighbors_(net->clock(), NeighborConfigFor(seed)),
      base_mac_(base_mac) {
  const int lo = AddInterface("lo");
  ifaces_[lo].loopback = true;
  ifaces_[lo].mac = MacAddress();
  ifaces_[lo].mtu = 65535;
  ifaces_[lo].addresses.push_back({Ipv4Address::FromOctets(127, 0, 0, 1), 8, "lo"});
  RebuildPlane();
}

Node::~Node() = default;

int Node::PortIndex(absl::string_view name) const {
  for (size_t i = 0; i < ifaces_.size(); ++i) {
    if (ifaces_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::string Node::PortName(int port) const {
  return port >= 0 && static_cast<size_t>(port) < ifaces_.size()
             ? ifaces_[port].name
             : "?";
}

int Node::AddInterface(absl::string_view name) {
  if (int i = PortIndex(name); i >= 0) return i;
  Interface iface;
  iface.name = std::string(name);
  // Deterministic: the node's base MAC with the interface number.
  iface.mac = MacAddress::FromUint64(base_mac_.ToUint64() + ifaces_.size());
  ifaces_.push_back(std::move(iface));
  RebuildPlane();
  return static_cast<int>(ifaces_.size() - 1);
}

// Bounded like the cache it annotates: past twice its capacity, entries
// the cache no longer has are dropped.
void Node::NotePort(Ipv4Address ip, int port) {
  neighbor_port_[ip.value()] = port;
  if (neighbor_port_.size() <= 2 * neighbors_.capacity()) return;
  std::erase_if(neighbor_port_, [this](const auto& e) {
    return !neighbors_.StateOf(Ipv4Address(e.first)).has_value();
  });
}

bool Node::IsLocal(Ipv4Address ip) const {
  return std::find(local_.begin(), local_.end(), ip) != local_.end();
}

void Node::RebuildPlane() {
  ports_.clear();
  local_.clear();
  for (const Interface& i : ifaces_) {
    ports_.push_back({i.mac, i.mtu});
    for (const Address& a : i.addresses) local_.push_back(a.ip);
  }
  const NextHopTable& hops = fib_->next_hops();
  adjacency_.assign(hops.size(), Adjacency{});
  for (size_t id = 0; id < hops.size(); ++id) {
    const NextHop& h = hops.Get(static_cast<NextHopId>(id));
    Adjacency& a = adjacency_[id];
    a.port = static_cast<uint16_t>(std::max(0, PortIndex(h.dev)));
    a.on_link = !h.gateway.has_value();
    if (h.gateway) a.gateway = *h.gateway;
  }
  plane_ = std::make_unique<ForwardingPlane<AnyLpm>>(
      ForwardingPlane<AnyLpm>::Tables{&fib_->lpm(), adjacency_, ports_,
                                      &neighbors_, local_});
}

std::optional<Ipv4Address> Node::SourceFor(int port) const {
  for (const Address& a : ifaces_[port].addresses) return a.ip;
  for (const Interface& i : ifaces_) {
    if (!i.loopback && !i.addresses.empty()) return i.addresses[0].ip;
  }
  return std::nullopt;
}

int Node::PortForNeighbor(Ipv4Address ip) const {
  auto it = neighbor_port_.find(ip.value());
  if (it != neighbor_port_.end()) return it->second;
  for (size_t p = 0; p < ifaces_.size(); ++p) {
    for (const Address& a : ifaces_[p].addresses) {
      if (!ifaces_[p].loopback && Ipv4Prefix::Canonical(a.ip, a.length).Contains(ip))
        return static_cast<int>(p);
    }
  }
  return -1;
}

// --- receive --------------------------------------------------------------

void Node::Receive(int port, std::vector<uint8_t> frame) {
  EthernetHeader eth;
  if (!ParseEthernet(frame, &eth)) {
    Drop(DropReason::kTruncated);
    return;
  }
  // What the NIC filters: unicast to someone else (a switch flooding).
  if (!eth.dst.IsMulticast() && eth.dst != ifaces_[port].mac) return;
  if (ip_forward_) {
    Verdict v;
    const std::span<uint8_t> f(frame);
    plane_->ProcessBurst(std::span<const std::span<uint8_t>>(&f, 1),
                         std::span<Verdict>(&v, 1));
    switch (v.kind) {
      case Verdict::Kind::kForward:
        ++forwarded_;
        net_->Transmit(this, v.port, std::move(frame));
        return;
      case Verdict::Kind::kLocal:
        Deliver(port, std::span<const uint8_t>(frame).subspan(kEthernetHeaderSize));
        return;
      case Verdict::Kind::kDrop:
        Drop(v.reason);
        return;
      case Verdict::Kind::kSlowPath:
        SlowPath(port, std::move(frame), v);
        return;
    }
    return;
  }
  if (eth.ether_type == kEtherTypeArp) {
    HandleArp(port, frame);
    return;
  }
  if (eth.ether_type != kEtherTypeIpv4) {
    Drop(DropReason::kUnknownEtherType);
    return;
  }
  const std::span<const uint8_t> packet =
      std::span<const uint8_t>(frame).subspan(kEthernetHeaderSize);
  Ipv4View ip;
  if (DropReason r = ParseIpv4(packet, &ip); r != DropReason::kNone) {
    Drop(r);
    return;
  }
  if (!IsLocal(ip.dst)) {
    Drop(DropReason::kNoRoute);  // a host does not forward
    return;
  }
  Deliver(port, packet);
}

void Node::SlowPath(int port, std::vector<uint8_t> frame, const Verdict& v) {
  const std::span<const uint8_t> packet =
      std::span<const uint8_t>(frame).subspan(kEthernetHeaderSize);
  switch (v.reason) {
    case DropReason::kNone:
      if (wire::Load16(frame, 12) == kEtherTypeArp) {
        HandleArp(port, frame);
        return;
      }
      {
        // Unresolved neighbour: forward through the cache, which queues.
        std::vector<uint8_t> p(packet.begin(), packet.end());
        Ipv4View ip;
        ParseIpv4(p, &ip);
        DecrementTtl(std::span<uint8_t>(p).first(ip.ihl_bytes));
        ++forwarded_;
        NotePort(v.neighbor, v.port);
        Output(v.port, v.neighbor, std::move(p));
      }
      return;
    case DropReason::kTtlExpired:
      Drop(v.reason);
      SendIcmpError(packet, port, IcmpType::kTimeExceeded, 0);
      return;
    case DropReason::kNoRoute:
      Drop(v.reason);
      SendIcmpError(packet, port, IcmpType::kDestUnreachable,
                    kCodeNetUnreachable);
      return;
    case DropReason::kFragmentationNeeded:
      Drop(v.reason);
      SendIcmpError(packet, port, IcmpType::kDestUnreachable,
                    kCodeFragmentationNeeded, ifaces_[v.port].mtu);
      return;
    default:
      Drop(v.reason);
  }
}

void Node::HandleArp(int port, std::span<const uint8_t> frame) {
  absl::StatusOr<ArpFrame> arp = DecodeArpFrame(frame);
  if (!arp.ok()) {
    Drop(DropReason::kTruncated);
    return;
  }
  const Ipv4Address target = arp->arp.target_ip;
  // arp_ignore (the larger of all and the interface): 0 answers for any
  // local address, 1 only for addresses on the receiving interface.
  const int ignore = std::max(arp_ignore_all_, ifaces_[port].arp_ignore);
  bool target_is_local = false;
  if (ignore == 0) {
    target_is_local = IsLocal(target);
  } else if (ignore == 1) {
    for (const Address& a : ifaces_[port].addresses)
      target_is_local |= a.ip == target;
  }
  std::vector<NeighborAction> actions;
  neighbors_.OnArp(arp->arp, target_is_local, actions);
  if (neighbors_.StateOf(arp->arp.sender_ip)) {
    NotePort(arp->arp.sender_ip, port);
  }
  if (arp->arp.op == ArpOp::kRequest && target_is_local &&
      !arp->arp.IsGratuitous()) {
    net_->Transmit(this, port,
                   EncodeArpFrame(ArpReply(arp->arp, ifaces_[port].mac)));
  }
  RunActions(actions);
  if (!ticking_) Tick();  // an entry it created or changed has a timer
}

void Node::Deliver(int port, std::span<const uint8_t> packet) {
  Ipv4View ip;
  if (DropReason r = ParseIpv4(packet, &ip); r != DropReason::kNone) {
    Drop(r);
    return;
  }
  if (ip.protocol != kProtoIcmp) return;  // nothing listens
  IcmpMessage m;
  if (ParseIcmp(ip.payload, &m) != DropReason::kNone) {
    Drop(DropReason::kBadIcmp);
    return;
  }
  if (m.type == IcmpType::kEchoRequest) {
    const std::vector<uint8_t> reply = BuildIcmpEcho(
        true, m.id, m.seq, ip.payload.subspan(8, m.length - 8));
    std::string error;
    SendIp(BuildIpv4(ip.dst, ip.src, kProtoIcmp, kDefaultTtl, next_ip_id_++,
                     true, reply),
           ip.src, &error);
    return;
  }
  (void)port;
  for (const auto& s : std::vector<std::shared_ptr<Session>>(sessions_)) {
    s->OnIcmp(ip, m);
  }
}

// --- send -----------------------------------------------------------------

std::optional<Node::Hop> Node::RouteTo(Ipv4Address dst) const {
  std::optional<Fib<AnyLpm>::Match> route = fib_->Lookup(dst);
  if (!route) return std::nullopt;
  const NextHop& hop = route->route->next_hop;
  const int port = PortIndex(hop.dev);
  if (port < 0) return std::nullopt;
  return Hop{port, hop.gateway ? *hop.gateway : dst};
}

void Node::SendIcmpEcho(Ipv4Address dst, uint16_t id, uint16_t seq,
                        uint8_t ttl, size_t data_bytes, std::string* error) {
  std::vector<uint8_t> data(data_bytes);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i);
  const std::vector<uint8_t> icmp = BuildIcmpEcho(false, id, seq, data);
  // The source is the egress interface's address (or dst, to ourselves).
  std::optional<Ipv4Address> src = dst;
  if (!IsLocal(dst)) {
    const std::optional<Hop> hop = RouteTo(dst);
    src = hop ? SourceFor(hop->port) : std::nullopt;
  }
  if (!src) {
    *error = kUnreachable;
    return;
  }
  SendIp(BuildIpv4(*src, dst, kProtoIcmp, ttl, next_ip_id_++, true, icmp), dst,
         error);
}

void Node::SendIp(std::vector<uint8_t> packet, Ipv4Address dst,
                  std::string* error) {
  if (IsLocal(dst)) {
    // Through the loopback: delivered at once (after this event).
    net_->Schedule(absl::ZeroDuration(),
                   [this, p = std::move(packet)] { Deliver(0, p); });
    return;
  }
  const std::optional<Hop> hop = RouteTo(dst);
  if (!hop) {
    *error = kUnreachable;
    return;
  }
  if (packet.size() > ifaces_[hop->port].mtu) {
    *error = absl::StrCat("local error: message too long, mtu=",
                          ifaces_[hop->port].mtu);
    return;
  }
  NotePort(hop->neighbor, hop->port);
  Output(hop->port, hop->neighbor, std::move(packet));
}

void Node::Output(int port, Ipv4Address neighbor, std::vector<uint8_t> packet) {
  std::vector<NeighborAction> actions;
  std::optional<MacAddress> mac =
      neighbors_.Resolve(neighbor, Tagged(port, packet), actions);
  if (mac) {
    net_->Transmit(this, port,
                   BuildFrame(*mac, ifaces_[port].mac, kEtherTypeIpv4, packet));
  }
  RunActions(actions);
  if (!ticking_) Tick();
}

void Node::RunActions(std::vector<NeighborAction>& actions) {
  for (NeighborAction& a : actions) {
    switch (a.kind) {
      case NeighborAction::Kind::kBroadcastRequest:
      case NeighborAction::Kind::kUnicastProbe: {
        const int port = PortForNeighbor(a.ip);
        if (port < 0) break;
        const std::optional<Ipv4Address> src = SourceFor(port);
        ArpFrame f = ArpRequest(ifaces_[port].mac, src.value_or(Ipv4Address()), a.ip);
        if (a.kind == NeighborAction::Kind::kUnicastProbe) f.eth_dst = a.mac;
        net_->Transmit(this, port, EncodeArpFrame(f));
        break;
      }
      case NeighborAction::Kind::kTransmit: {
        if (a.packet.size() < 2) break;
        const int port = a.packet[0] << 8 | a.packet[1];
        const std::span<const uint8_t> packet =
            std::span<const uint8_t>(a.packet).subspan(2);
        net_->Transmit(this, port, BuildFrame(a.mac, ifaces_[port].mac,
                                              kEtherTypeIpv4, packet));
        break;
      }
      case NeighborAction::Kind::kDrop: {
        if (a.packet.size() < 2) break;
        const std::span<const uint8_t> packet =
            std::span<const uint8_t>(a.packet).subspan(2);
        ++drops_[DropReason::kNoRoute];
        Ipv4View ip;
        if (ParseIpv4(packet, &ip) != DropReason::kNone) break;
        if (IsLocal(ip.src)) {
          for (const auto& s : std::vector<std::shared_ptr<Session>>(sessions_))
            s->OnHostUnreachable(ip);
        } else {
          SendIcmpError(packet, PortForNeighbor(ip.src),
                        IcmpType::kDestUnreachable, kCodeHostUnreachable);
        }
        break;
      }
    }
  }
  actions.clear();
}

// The neighbour cache's timers (retries, failure, aging, and acting on
// the fast path's use of STALE entries) run while any entry has one, i.e.
// is not PERMANENT; each tick re-arms itself until then.
void Node::Tick() {
  ticking_ = true;
  std::vector<NeighborAction> actions;
  neighbors_.Advance(actions);
  RunActions(actions);
  bool pending = false;
  for (const NeighborEntry& e : neighbors_.Entries()) {
    pending |= e.state != NeighborState::kPermanent;
  }
  if (!pending) {
    ticking_ = false;
    return;
  }
  net_->Schedule(absl::Milliseconds(100), [this] { Tick(); });
}

void Node::SendIcmpError(std::span<const uint8_t> offending, int in_port,
                         IcmpType type, uint8_t code, uint16_t mtu) {
  Ipv4View ip;
  if (ParseIpv4(offending, &ip) != DropReason::kNone) return;
  // Never about an ICMP error (RFC 1122 3.2.2).
  if (ip.protocol == kProtoIcmp && ip.payload.size() >= 1 &&
      ip.payload[0] != static_cast<uint8_t>(IcmpType::kEchoRequest) &&
      ip.payload[0] != static_cast<uint8_t>(IcmpType::kEchoReply)) {
    return;
  }
  std::optional<Ipv4Address> src =
      in_port >= 0 ? SourceFor(in_port) : std::nullopt;
  if (!src) return;
  const std::vector<uint8_t> icmp = BuildIcmpError(type, code, offending, mtu);
  std::string error;
  SendIp(BuildIpv4(*src, ip.src, kProtoIcmp, kDefaultTtl, next_ip_id_++, false,
                   icmp),
         ip.src, &error);
}

}  // namespace nexthop
