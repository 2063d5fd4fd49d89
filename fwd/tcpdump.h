// What `tcpdump -n` prints for an Ethernet frame, without the timestamp:
// the ARP or IP line ("IP 10.0.0.1 > 10.0.0.2: ICMP echo request, ..."),
// or "ethertype 0x86dd, length 60" / "[|ether]" when it cannot say more.
// The simulator's captures print these; tests compare them with tcpdump.
//
// Example:
//   #include "arp/arp_packet.h"
//   const std::vector<uint8_t> frame = EncodeArpFrame(
//       ArpRequest(*MacAddress::Parse("02:00:00:00:00:01"),
//                  Ipv4Address::FromOctets(10, 0, 0, 1),
//                  Ipv4Address::FromOctets(10, 0, 0, 2)));
//   std::string line = TcpdumpFrame(frame);  // "ARP, Request who-has ..."
#ifndef NEXTHOP_FWD_TCPDUMP_H_
#define NEXTHOP_FWD_TCPDUMP_H_

#include <cstdint>
#include <span>
#include <string>

namespace nexthop {

std::string TcpdumpFrame(std::span<const uint8_t> frame);

}  // namespace nexthop

#endif  // NEXTHOP_FWD_TCPDUMP_H_
