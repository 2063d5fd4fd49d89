#include "fwd/ethernet.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "arp/internal/wire.h"

namespace nexthop {

DropReason ParseEthernet(std::span<const uint8_t> frame,
                         EthernetHeader* header) noexcept {
  if (frame.size() < kEthernetHeaderSize) return DropReason::kTruncated;
  uint64_t dst = 0, src = 0;
  for (int i = 0; i < 6; ++i) {
    dst = dst << 8 | frame[i];
    src = src << 8 | frame[6 + i];
  }
  header->dst = MacAddress::FromUint64(dst);
  header->src = MacAddress::FromUint64(src);
  header->ether_type = internal::Load16(frame, 12);
  return DropReason::kNone;
}

std::vector<uint8_t> BuildFrame(MacAddress dst, MacAddress src,
                                uint16_t ether_type,
                                std::span<const uint8_t> payload) {
  std::vector<uint8_t> f(
      std::max(kEthernetMinFrame, kEthernetHeaderSize + payload.size()), 0);
  SetMacs(f, dst, src);
  internal::Store16(f, 12, ether_type);
  std::copy(payload.begin(), payload.end(), f.begin() + kEthernetHeaderSize);
  return f;
}

std::string TcpdumpFrame(std::span<const uint8_t> frame) {
  EthernetHeader h;
  if (ParseEthernet(frame, &h) != DropReason::kNone) return "[|ether]";
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
