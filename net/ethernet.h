// Ethernet II framing: the header, building a frame, and the fast path's
// in-place MAC rewrite.
//
//   std::vector<uint8_t> f = BuildFrame(dst, src, kEtherTypeIpv4, packet);
//   EthernetHeader h;
//   if (ParseEthernet(f, &h)) { /* h.ether_type == kEtherTypeIpv4 */ }
//
// Plain functions on caller-owned bytes; thread-compatible.
//
// Example:
//   const MacAddress dst = *MacAddress::Parse("02:00:00:00:00:02");
//   const MacAddress src = *MacAddress::Parse("02:00:00:00:00:01");
//   const std::vector<uint8_t> packet(20, 0);  // an IPv4 header, say
//   std::vector<uint8_t> f = BuildFrame(dst, src, kEtherTypeIpv4, packet);
//   EthernetHeader h;
//   if (ParseEthernet(f, &h)) { /* h.ether_type == kEtherTypeIpv4 */ }
#ifndef NEXTHOP_NET_ETHERNET_H_
#define NEXTHOP_NET_ETHERNET_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "net/ipv4.h"
#include "net/mac_address.h"

namespace nexthop {

inline constexpr uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr uint16_t kEtherTypeArp = 0x0806;
inline constexpr size_t kEthernetHeaderSize = 14;
inline constexpr size_t kEthernetMinFrame = 60;  // without the FCS

struct EthernetHeader {
  MacAddress dst, src;
  uint16_t ether_type = 0;
};

// False if `frame` is shorter than the 14-byte header. Never reads past it.
bool ParseEthernet(std::span<const uint8_t> frame,
                   EthernetHeader* header) noexcept;

// The group MAC an IPv4 multicast address is sent to (RFC 1112 6.4):
// 01:00:5e with the address's low 23 bits.
constexpr MacAddress Ipv4MulticastMac(Ipv4Address group) {
  return MacAddress::FromUint64(0x01005E000000 | (group.value() & 0x7FFFFF));
}

// Header + payload, zero-padded to the 60-byte minimum as a NIC sends it.
std::vector<uint8_t> BuildFrame(MacAddress dst, MacAddress src,
                                uint16_t ether_type,
                                std::span<const uint8_t> payload);

// Rewrites the two addresses of a frame of at least 14 bytes (a whole
// Ethernet header) in place: two 8-byte stores, the second overlapping the
// first's spare bytes, then the ethertype they covered put back. The fast
// path does this for every frame.
inline void SetMacs(std::span<uint8_t> frame, MacAddress dst,
                    MacAddress src) noexcept {
  uint8_t* f = frame.data();
  const uint64_t d = __builtin_bswap64(dst.ToUint64() << 16);  // wire order
  const uint64_t s = __builtin_bswap64(src.ToUint64() << 16);
  const uint8_t type[2] = {f[12], f[13]};
  std::memcpy(f, &d, 8);
  std::memcpy(f + 6, &s, 8);
  f[12] = type[0];
  f[13] = type[1];
}

}  // namespace nexthop

#endif  // NEXTHOP_NET_ETHERNET_H_
