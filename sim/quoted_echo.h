// QuotedEcho: which of our echo requests an ICMP error is about.
//
// An ICMP error quotes the IP header and first 8 bytes of the packet that
// caused it (RFC 792); for an echo request those 8 bytes hold its id and
// sequence number, which is how ping and traceroute match errors to the
// probes they sent. Cost: a few loads; no state.
//
// Example:
//   const std::vector<uint8_t> probe = BuildIpv4(
//       *Ipv4Address::Parse("10.0.0.1"), *Ipv4Address::Parse("8.8.8.8"),
//       kProtoIcmp, /*ttl=*/1, /*id=*/1, /*dont_fragment=*/true,
//       BuildIcmpEcho(/*reply=*/false, /*id=*/17, /*seq=*/3, {}));
//   // The first router answers: time exceeded, quoting the probe.
//   const std::vector<uint8_t> error =
//       BuildIcmpError(IcmpType::kTimeExceeded, /*code=*/0, probe);
//   IcmpMessage m;
//   ParseIcmp(error, &m);
//   uint16_t id, seq;
//   if (QuotedEcho(m, &id, &seq)) { /* id 17, seq 3: our third probe */ }
#ifndef NEXTHOP_SIM_QUOTED_ECHO_H_
#define NEXTHOP_SIM_QUOTED_ECHO_H_

#include <cstdint>

#include "fwd/ipv4_packet.h"

namespace nexthop {

// False unless `m` quotes an ICMP echo request.
bool QuotedEcho(const IcmpMessage& m, uint16_t* id, uint16_t* seq);

}  // namespace nexthop

#endif  // NEXTHOP_SIM_QUOTED_ECHO_H_
