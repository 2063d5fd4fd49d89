#include "fwd/tcpdump.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "arp/arp_packet.h"
#include "fwd/ipv4_packet.h"
#include "net/ethernet.h"

namespace nexthop {

std::string TcpdumpFrame(std::span<const uint8_t> frame) {
  EthernetHeader h;
  if (!ParseEthernet(frame, &h)) return "[|ether]";
  if (h.ether_type == kEtherTypeArp) {
    absl::StatusOr<ArpFrame> arp = DecodeArpFrame(frame);
    if (!arp.ok()) return "ARP, [|arp]";
    return TcpdumpLine(arp->arp);
  }
  if (h.ether_type == kEtherTypeIpv4) {
    Ipv4View ip;
    const DropReason r = ParseIpv4(frame.subspan(kEthernetHeaderSize), &ip);
    if (r != DropReason::kNone) {
      return absl::StrCat("IP [", DropReasonName(r), "]");
    }
    return TcpdumpLine(ip);
  }
  return absl::StrFormat("ethertype 0x%04x, length %d", h.ether_type,
                         frame.size());
}

}  // namespace nexthop
