// ControlPlane: what this node sends - its own packets, forwarded packets
// whose neighbour is resolving, ICMP errors - and the neighbour cache's
// actions and timers.
#include "absl/strings/str_cat.h"
#include "net/ethernet.h"
#include "sim/control_plane.h"

namespace nexthop {
namespace {

// What a Linux program reports when no route (or no usable interface) leads
// to the destination.
constexpr char kUnreachable[] = "connect: Network is unreachable";

}  // namespace

std::optional<ControlPlane::Hop> ControlPlane::RouteTo(Ipv4Address dst) const {
  std::optional<Fib<AnyLpm>::Match> route = fib_->Lookup(dst);
  if (!route) return std::nullopt;
  const NextHop& hop = route->route->next_hop;
  const int port = PortIndex(hop.dev);
  if (port < 0) return std::nullopt;
  return Hop{port, hop.gateway ? *hop.gateway : dst};
}

absl::Status ControlPlane::SendIcmpEcho(Ipv4Address dst, uint16_t id,
                                        uint16_t seq, uint8_t ttl,
                                        size_t data_bytes) {
  std::vector<uint8_t> data(data_bytes);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i);
  const std::vector<uint8_t> icmp = BuildIcmpEcho(false, id, seq, data);
  // The source is the egress interface's address (or dst, to ourselves).
  std::optional<Ipv4Address> src = dst;
  if (!IsLocal(dst)) {
    const std::optional<Hop> hop = RouteTo(dst);
    src = hop ? SourceFor(hop->port) : std::nullopt;
  }
  if (!src) return absl::UnavailableError(kUnreachable);
  return SendIp(
      BuildIpv4(*src, dst, kProtoIcmp, ttl, next_ip_id_++, true, icmp), dst);
}

absl::Status ControlPlane::SendIp(std::vector<uint8_t> packet,
                                  Ipv4Address dst) {
  if (IsLocal(dst)) {
    io_->Defer([this, p = std::move(packet)] { Deliver(p); });
    return absl::OkStatus();
  }
  const std::optional<Hop> hop = RouteTo(dst);
  if (!hop) return absl::UnavailableError(kUnreachable);
  if (packet.size() > ifaces_[hop->port].mtu) {
    return absl::FailedPreconditionError(absl::StrCat(
        "local error: message too long, mtu=", ifaces_[hop->port].mtu));
  }
  NotePort(hop->neighbor, hop->port);
  Output(hop->port, hop->neighbor, std::move(packet));
  return absl::OkStatus();
}

// A packet for an unresolved neighbour waits in the cache with its egress
// port as the cache's per-packet context, and leaves through that port
// when released (RunActions).
void ControlPlane::Output(int port, Ipv4Address neighbor,
                          std::vector<uint8_t> packet) {
  std::vector<NeighborAction> actions;
  std::optional<MacAddress> mac = neighbors_.Resolve(
      neighbor, packet, actions, static_cast<uint32_t>(port));
  if (mac) {
    io_->Transmit(port,
                  BuildFrame(*mac, ifaces_[port].mac, kEtherTypeIpv4, packet));
  }
  RunActions(actions);
  io_->WakeTimers();
}

void ControlPlane::RunActions(std::vector<NeighborAction>& actions) {
  for (NeighborAction& a : actions) {
    switch (a.kind) {
      case NeighborAction::Kind::kBroadcastRequest:
      case NeighborAction::Kind::kUnicastProbe: {
        const int port = PortForNeighbor(a.ip);
        if (port < 0) break;
        const std::optional<Ipv4Address> src = SourceFor(port);
        ArpFrame f =
            ArpRequest(ifaces_[port].mac, src.value_or(Ipv4Address()), a.ip);
        if (a.kind == NeighborAction::Kind::kUnicastProbe) f.eth_dst = a.mac;
        io_->Transmit(port, EncodeArpFrame(f));
        break;
      }
      case NeighborAction::Kind::kTransmit: {
        const uint32_t port = a.context;  // where it was routed (Output)
        if (port >= ifaces_.size()) break;
        io_->Transmit(
            static_cast<int>(port),
            BuildFrame(a.mac, ifaces_[port].mac, kEtherTypeIpv4, a.packet));
        break;
      }
      case NeighborAction::Kind::kDrop: {
        ++drops_[DropReason::kNoRoute];
        Ipv4View ip;
        if (ParseIpv4(a.packet, &ip) != DropReason::kNone) break;
        if (IsLocal(ip.src)) {
          for (IcmpListener* l : ListenersNow()) {
            if (IsListening(l)) l->OnHostUnreachable(ip);
          }
        } else {
          SendIcmpError(a.packet, PortForNeighbor(ip.src),
                        IcmpType::kDestUnreachable, kCodeHostUnreachable);
        }
        break;
      }
    }
  }
  actions.clear();
}

bool ControlPlane::Tick() {
  std::vector<NeighborAction> actions;
  neighbors_.Advance(actions);
  RunActions(actions);
  // The cache's timers (retries, failure, aging, and acting on the fast
  // path's use of STALE entries) run while it has any.
  return neighbors_.HasTimers();
}

void ControlPlane::SendIcmpError(std::span<const uint8_t> offending,
                                 int in_port, IcmpType type, uint8_t code,
                                 uint16_t mtu) {
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
  // An error that cannot be routed is dropped (the kernel's, too).
  (void)SendIp(BuildIpv4(*src, ip.src, kProtoIcmp, kDefaultTtl, next_ip_id_++,
                         false, icmp),
               ip.src);
}

}  // namespace nexthop
