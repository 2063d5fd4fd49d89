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

DropReason DropFor(NeighborAction::Cause cause) {
  switch (cause) {
    case NeighborAction::Cause::kQueueFull:
      return DropReason::kNeighQueueFull;
    case NeighborAction::Cause::kTableFull:
      return DropReason::kNeighTableFull;
    case NeighborAction::Cause::kFailed:
    case NeighborAction::Cause::kNone:
      break;
  }
  return DropReason::kNeighFailed;
}

}  // namespace

std::optional<ControlPlane::Hop> ControlPlane::RouteTo(Ipv4Address dst) const {
  std::optional<Fib<AnyLpm>::Match> route = fib_->Lookup(dst);
  if (!route) return std::nullopt;
  const NextHop& hop = route->route.next_hop;
  const int port = PortIndex(hop.dev);
  if (port < 0) return std::nullopt;
  return Hop{port, hop.gateway ? *hop.gateway : dst};
}

absl::Status ControlPlane::SendIcmpEcho(const EchoRequest& r) {
  if (IsBroadcast(r.dst) && !r.broadcast) {
    return absl::PermissionDeniedError(
        "Do you want to ping broadcast? Then -b. If not, check your local "
        "firewall rules");
  }
  std::vector<uint8_t> data(r.data_bytes);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i);
  const std::vector<uint8_t> icmp = BuildIcmpEcho(false, r.id, r.seq, data);
  // The source is the egress interface's address (or dst, to ourselves).
  std::optional<Ipv4Address> src = r.dst;
  if (!IsLocal(r.dst)) {
    const std::optional<Hop> hop = RouteTo(r.dst);
    src = hop ? SourceFor(hop->port) : std::nullopt;
  }
  if (!src) return absl::UnavailableError(kUnreachable);
  return SendIp(BuildIpv4(*src, r.dst, kProtoIcmp, r.ttl, next_ip_id_++,
                          r.dont_fragment, icmp),
                r.dst);
}

absl::Status ControlPlane::SendIp(std::vector<uint8_t> packet,
                                  Ipv4Address dst) {
  if (IsLocal(dst)) {
    io_->Defer([this, p = std::move(packet)] { Deliver(-1, p); });
    return absl::OkStatus();
  }
  const std::optional<Hop> hop = RouteTo(dst);
  if (!hop) return absl::UnavailableError(kUnreachable);
  const uint16_t mtu = ifaces_[hop->port].mtu;
  if (packet.size() > mtu) {
    // With DF clear the kernel would fragment; this stack does not.
    Ipv4View ip;
    const bool df =
        ParseIpv4(packet, &ip) == DropReason::kNone && ip.dont_fragment;
    return absl::FailedPreconditionError(
        df ? absl::StrCat("local error: message too long, mtu=", mtu)
           : absl::StrCat("local error: fragmentation is not implemented "
                          "here, mtu=",
                          mtu));
  }
  // A group destination goes on the route's link to the group's MAC (the
  // kernel's RTN_BROADCAST / RTN_MULTICAST output): no gateway, no ARP.
  if (IsBroadcast(dst) || dst.IsMulticast()) {
    const MacAddress to =
        dst.IsMulticast() ? Ipv4MulticastMac(dst) : MacAddress::Broadcast();
    io_->Transmit(hop->port, BuildFrame(to, ifaces_[hop->port].mac,
                                        kEtherTypeIpv4, packet));
    return absl::OkStatus();
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
  adjacencies_.Sync();
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
        Drop(DropFor(a.cause));
        // Only a failed resolution is reported (the kernel's
        // arp_error_report); a full queue or table drops silently.
        if (a.cause != NeighborAction::Cause::kFailed) break;
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
  adjacencies_.Sync();
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
  // Never about a broadcast or multicast destination, nor to a source that
  // is not one host (RFC 1122 3.2.2).
  if (ip.dst.IsMulticast() || IsBroadcast(ip.dst) || ip.src.IsMulticast() ||
      IsBroadcast(ip.src) || ip.src == Ipv4Address())
    return;
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
