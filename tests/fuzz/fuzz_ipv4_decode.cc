// IPv4 and ICMP decoding: no crash, no read past the buffer, and a packet
// that parses still parses after a router's TTL decrement (the incremental
// checksum stays right).
#include <cstdlib>
#include <vector>

#include "fwd/ipv4_packet.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nexthop::Ipv4View v;
  if (nexthop::ParseIpv4(std::span(data, size), &v) !=
      nexthop::DropReason::kNone)
    return 0;
  (void)nexthop::TcpdumpLine(v);
  if (v.ttl > 1) {
    std::vector<uint8_t> copy(data, data + size);
    nexthop::DecrementTtl(copy);
    nexthop::Ipv4View after;
    if (nexthop::ParseIpv4(copy, &after) != nexthop::DropReason::kNone ||
        after.ttl != v.ttl - 1) {
      std::abort();
    }
  }
  return 0;
}
