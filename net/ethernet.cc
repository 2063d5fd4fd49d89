#include "net/ethernet.h"

#include <algorithm>

#include "net/wire.h"

namespace nexthop {

bool ParseEthernet(std::span<const uint8_t> frame,
                   EthernetHeader* header) noexcept {
  if (frame.size() < kEthernetHeaderSize) return false;
  uint64_t dst = 0, src = 0;
  for (int i = 0; i < 6; ++i) {
    dst = dst << 8 | frame[i];
    src = src << 8 | frame[6 + i];
  }
  header->dst = MacAddress::FromUint64(dst);
  header->src = MacAddress::FromUint64(src);
  header->ether_type = wire::Load16(frame, 12);
  return true;
}

std::vector<uint8_t> BuildFrame(MacAddress dst, MacAddress src,
                                uint16_t ether_type,
                                std::span<const uint8_t> payload) {
  std::vector<uint8_t> f(
      std::max(kEthernetMinFrame, kEthernetHeaderSize + payload.size()), 0);
  SetMacs(f, dst, src);
  wire::Store16(f, 12, ether_type);
  std::copy(payload.begin(), payload.end(), f.begin() + kEthernetHeaderSize);
  return f;
}

}  // namespace nexthop
