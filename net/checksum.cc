#include "net/checksum.h"

namespace nexthop {

uint16_t InternetChecksum(std::span<const uint8_t> data) noexcept {
  uint64_t sum = 0;
  size_t i = 0;
  for (; i + 1 < data.size(); i += 2)
    sum += uint32_t{data[i]} << 8 | data[i + 1];
  if (i < data.size()) sum += uint32_t{data[i]} << 8;
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

}  // namespace nexthop
