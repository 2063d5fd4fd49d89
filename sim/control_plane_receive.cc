// ControlPlane: what happens to a frame that arrives - the fast path, then
// what it hands to the slow path: ARP, ICMP errors, unresolved neighbours,
// local delivery.
#include <algorithm>

#include "net/ethernet.h"
#include "net/wire.h"
#include "sim/control_plane.h"

namespace nexthop {

void ControlPlane::Receive(int port, std::vector<uint8_t> frame) {
  EthernetHeader eth;
  if (!ParseEthernet(frame, &eth)) {
    Drop(DropReason::kTruncated);
    return;
  }
  // What the NIC filters: unicast to someone else (a switch flooding).
  if (!eth.dst.IsMulticast() && eth.dst != ifaces_[port].mac) return;
  if (!ip_forward_) {
    HostPath(port, eth, std::move(frame));
    return;
  }
  Verdict v;
  const std::span<uint8_t> f(frame);
  ++fast_path_frames_;
  plane_.ProcessBurst(std::span<const std::span<uint8_t>>(&f, 1),
                      std::span<Verdict>(&v, 1));
  switch (v.kind) {
    case Verdict::Kind::kForward:
      ++forwarded_;
      io_->Transmit(v.port, std::move(frame));
      return;
    case Verdict::Kind::kLocal:
      // Ours, a group destination, or any frame sent to a group MAC: the
      // fast path never forwards those (RFC 1812 5.3.4).
      Deliver(port,
              std::span<const uint8_t>(frame).subspan(kEthernetHeaderSize),
              eth.dst.IsMulticast());
      return;
    case Verdict::Kind::kDrop:
      Drop(v.reason);
      return;
    case Verdict::Kind::kSlowPath:
      SlowPath(port, std::move(frame), v);
      return;
  }
}

void ControlPlane::HostPath(int port, const EthernetHeader& eth,
                            std::vector<uint8_t> frame) {
  if (eth.ether_type == kEtherTypeArp) {
    HandleArp(port, frame);
    return;
  }
  if (eth.ether_type != kEtherTypeIpv4) {
    Drop(DropReason::kUnknownEtherType);
    return;
  }
  Deliver(port, std::span<const uint8_t>(frame).subspan(kEthernetHeaderSize),
          eth.dst.IsMulticast());
}

void ControlPlane::SlowPath(int port, std::vector<uint8_t> frame,
                            const Verdict& v) {
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

void ControlPlane::HandleArp(int port, std::span<const uint8_t> frame) {
  absl::StatusOr<ArpFrame> arp = DecodeArpFrame(frame);
  if (!arp.ok()) {
    Drop(DropReason::kTruncated);
    return;
  }
  const bool target_is_local =
      AnswersArp(port, arp->arp.target_ip, arp->arp.sender_ip);
  std::vector<NeighborAction> actions;
  neighbors_.OnArp(arp->arp, target_is_local, actions);
  adjacencies_.Sync();
  if (neighbors_.StateOf(arp->arp.sender_ip)) {
    NotePort(arp->arp.sender_ip, port);
  }
  if (arp->arp.op == ArpOp::kRequest && target_is_local &&
      !arp->arp.IsGratuitous()) {
    io_->Transmit(port, EncodeArpFrame(ArpReply(arp->arp, ifaces_[port].mac)));
  }
  RunActions(actions);
  io_->WakeTimers();  // an entry it created or changed has a timer
}

bool ControlPlane::AnswersArp(int port, Ipv4Address target,
                              Ipv4Address sender) const {
  // The kernel's arp_process never answers for these, whatever arp_ignore.
  if (target.IsLoopback() || target.IsMulticast()) return false;
  const std::vector<Address>& here = ifaces_[port].addresses;
  auto on_port = [&] {
    return std::any_of(here.begin(), here.end(),
                       [&](const Address& a) { return a.ip == target; });
  };
  // The larger of all and the interface, as ip-sysctl.rst documents.
  switch (std::max(arp_ignore_all_, ifaces_[port].arp_ignore)) {
    case 1:  // only for an address on the receiving interface
      return on_port();
    case 2:  // ... and only to a sender in that address's subnet
      return on_port() &&
             std::any_of(here.begin(), here.end(), [&](const Address& a) {
               const Ipv4Prefix net = Ipv4Prefix::Canonical(a.ip, a.length);
               return net.Contains(target) && net.Contains(sender);
             });
    case 3:  // any local address but one of scope host
      for (const Interface& i : ifaces_) {
        for (const Address& a : i.addresses) {
          if (a.ip == target) return a.scope != Scope::kHost;
        }
      }
      return false;
    case 8:  // never
      return false;
    default:  // 0, and the reserved 4-7, which the kernel treats as 0
      return IsLocal(target);
  }
}

void ControlPlane::Deliver(int port, std::span<const uint8_t> packet,
                           bool link_group) {
  Ipv4View ip;
  if (DropReason r = ParseIpv4(packet, &ip); r != DropReason::kNone) {
    Drop(r);
    return;
  }
  const bool group = ip.dst.IsMulticast() || IsBroadcast(ip.dst);
  if (!group && !IsLocal(ip.dst)) {
    // Not ours: a host does not forward, and nobody forwards what came to
    // a group MAC.
    Drop(link_group ? DropReason::kLinkGroupNotForwarded
                    : DropReason::kForwardingDisabled);
    return;
  }
  if (ip.dst.IsMulticast() && ip.dst != Ipv4Address::FromOctets(224, 0, 0, 1)) {
    Drop(DropReason::kMulticastNotRouted);  // a group nobody here joined
    return;
  }
  if (ip.protocol != kProtoIcmp) return;  // nothing listens
  IcmpMessage m;
  if (ParseIcmp(ip.payload, &m) != DropReason::kNone) {
    Drop(DropReason::kBadIcmp);
    return;
  }
  if (m.type == IcmpType::kEchoRequest) {
    if (group && echo_ignore_bcast_) {
      Drop(DropReason::kEchoBroadcastIgnored);
      return;
    }
    // To a group, the reply comes from our address on the arrival port.
    std::optional<Ipv4Address> src = ip.dst;
    if (group) src = port >= 0 ? SourceFor(port) : std::nullopt;
    if (!src) return;
    const std::vector<uint8_t> reply =
        BuildIcmpEcho(true, m.id, m.seq, ip.payload.subspan(8, m.length - 8));
    // A reply that cannot be routed is dropped, as the kernel drops it.
    (void)SendIp(BuildIpv4(*src, ip.src, kProtoIcmp, kDefaultTtl, next_ip_id_++,
                           true, reply),
                 ip.src);
    return;
  }
  for (IcmpListener* l : ListenersNow()) {
    if (IsListening(l)) l->OnIcmp(ip, m);
  }
}

}  // namespace nexthop
