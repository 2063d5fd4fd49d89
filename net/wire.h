// Big-endian field access for the frame codecs (ARP, IPv4/ICMP, Ethernet).
// Callers check lengths first; these never check.
//
// Example:
//   std::vector<uint8_t> b(8);
//   wire::Store16(b, 0, 0x0800);
//   wire::StoreIp(b, 2, Ipv4Address::FromOctets(10, 0, 0, 1));
//   uint16_t type = wire::Load16(b, 0);        // 0x0800
//   Ipv4Address ip = wire::LoadIp(b, 2);       // 10.0.0.1
#ifndef NEXTHOP_NET_WIRE_H_
#define NEXTHOP_NET_WIRE_H_

#include <cstddef>
#include <cstdint>
#include <span>

#include "net/ipv4.h"

namespace nexthop::wire {

inline uint16_t Load16(std::span<const uint8_t> b, size_t at) {
  return static_cast<uint16_t>(b[at] << 8 | b[at + 1]);
}
inline Ipv4Address LoadIp(std::span<const uint8_t> b, size_t at) {
  return Ipv4Address(static_cast<uint32_t>(b[at]) << 24 | b[at + 1] << 16 |
                     b[at + 2] << 8 | b[at + 3]);
}
inline void Store16(std::span<uint8_t> b, size_t at, uint16_t v) {
  b[at] = static_cast<uint8_t>(v >> 8);
  b[at + 1] = static_cast<uint8_t>(v);
}
inline void StoreIp(std::span<uint8_t> b, size_t at, Ipv4Address a) {
  for (int i = 0; i < 4; ++i)
    b[at + i] = static_cast<uint8_t>(a.value() >> (24 - 8 * i));
}

}  // namespace nexthop::wire

#endif  // NEXTHOP_NET_WIRE_H_
