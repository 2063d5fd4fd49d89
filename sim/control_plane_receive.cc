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
  if (ip_forward_) {
    Verdict v;
    const std::span<uint8_t> f(frame);
    plane_->ProcessBurst(std::span<const std::span<uint8_t>>(&f, 1),
                         std::span<Verdict>(&v, 1));
    switch (v.kind) {
      case Verdict::Kind::kForward:
        ++forwarded_;
        io_->Transmit(v.port, std::move(frame));
        return;
      case Verdict::Kind::kLocal:
        Deliver(std::span<const uint8_t>(frame).subspan(kEthernetHeaderSize));
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
  Deliver(packet);
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
    io_->Transmit(port, EncodeArpFrame(ArpReply(arp->arp, ifaces_[port].mac)));
  }
  RunActions(actions);
  io_->WakeTimers();  // an entry it created or changed has a timer
}

void ControlPlane::Deliver(std::span<const uint8_t> packet) {
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
    const std::vector<uint8_t> reply =
        BuildIcmpEcho(true, m.id, m.seq, ip.payload.subspan(8, m.length - 8));
    // A reply that cannot be routed is dropped, as the kernel drops it.
    (void)SendIp(BuildIpv4(ip.dst, ip.src, kProtoIcmp, kDefaultTtl,
                           next_ip_id_++, true, reply),
                 ip.src);
    return;
  }
  for (IcmpListener* l : ListenersNow()) {
    if (IsListening(l)) l->OnIcmp(ip, m);
  }
}

}  // namespace nexthop
