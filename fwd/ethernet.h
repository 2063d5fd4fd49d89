// Ethernet II framing for the forwarding pipeline and its tcpdump lines.
//
//   std::vector<uint8_t> f = BuildFrame(dst, src, kEtherTypeIpv4, packet);
//   EthernetHeader h;
//   if (ParseEthernet(f, &h) == DropReason::kNone) ...
//   TcpdumpFrame(f);  // "IP 10.0.0.1 > 10.0.0.2: ICMP echo request, ..."
#ifndef NEXTHOP_FWD_ETHERNET_H_
#define NEXTHOP_FWD_ETHERNET_H_

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "arp/arp_packet.h"
#include "arp/mac_address.h"
#include "fwd/ipv4_packet.h"

namespace nexthop {

struct EthernetHeader {
  MacAddress dst, src;
  uint16_t ether_type = 0;
};

// kTruncated if shorter than the 14-byte header. Never reads past `frame`.
DropReason ParseEthernet(std::span<const uint8_t> frame,
                         EthernetHeader* header) noexcept;

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

// What tcpdump -n prints for the frame, without the timestamp: the ARP or
// IP line, or "ethertype 0x86dd, length 60" / "[|ether]" when it cannot say
// more.
std::string TcpdumpFrame(std::span<const uint8_t> frame);

}  // namespace nexthop

#endif  // NEXTHOP_FWD_ETHERNET_H_
