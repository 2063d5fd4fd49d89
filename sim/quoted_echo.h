// QuotedEcho: which of our echo requests an ICMP error is about.
//
// An ICMP error quotes the IP header and first 8 bytes of the packet that
// caused it (RFC 792); for an echo request those 8 bytes hold its id and
// sequence number, which is how ping and traceroute match errors to the
// probes they sent. Cost: a few loads; no state.
//
//   uint16_t id, seq;
//   if (QuotedEcho(message, &id, &seq) && id == my_id) ...
#ifndef NEXTHOP_SIM_QUOTED_ECHO_H_
#define NEXTHOP_SIM_QUOTED_ECHO_H_

#include <cstdint>

#include "fwd/ipv4_packet.h"

namespace nexthop {

// False unless `m` quotes an ICMP echo request.
bool QuotedEcho(const IcmpMessage& m, uint16_t* id, uint16_t* seq);

}  // namespace nexthop

#endif  // NEXTHOP_SIM_QUOTED_ECHO_H_
