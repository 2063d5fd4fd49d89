// What `tcpdump -n` prints for an Ethernet frame, without the timestamp:
// the ARP or IP line ("IP 10.0.0.1 > 10.0.0.2: ICMP echo request, ..."),
// or "ethertype 0x86dd, length 60" / "[|ether]" when it cannot say more.
// The simulator's captures print these; tests compare them with tcpdump.
//
//   std::string line = TcpdumpFrame(frame);
#ifndef NEXTHOP_FWD_TCPDUMP_H_
#define NEXTHOP_FWD_TCPDUMP_H_

#include <cstdint>
#include <span>
#include <string>

namespace nexthop {

std::string TcpdumpFrame(std::span<const uint8_t> frame);

}  // namespace nexthop

#endif  // NEXTHOP_FWD_TCPDUMP_H_
