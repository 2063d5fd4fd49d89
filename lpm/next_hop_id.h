// NextHopId: what an LPM structure stores for a prefix and returns from a
// lookup. A small integer keeps lookups on 4-byte values; the control plane
// (rib/next_hop.h's NextHopTable) maps ids to real next hops.
//
// Example:
//   NextHopId id = 7;
//   bool miss = id == kNoRoute;                // false
#ifndef NEXTHOP_LPM_NEXT_HOP_ID_H_
#define NEXTHOP_LPM_NEXT_HOP_ID_H_

#include <cstdint>

namespace nexthop {

// Index of a next hop. Lookups return kNoRoute on a miss.
using NextHopId = uint32_t;
inline constexpr NextHopId kNoRoute = 0xFFFFFFFFu;

}  // namespace nexthop

#endif  // NEXTHOP_LPM_NEXT_HOP_ID_H_
