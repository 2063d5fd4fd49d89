// What a node's show commands print, from its ControlPlane: `arp -a`,
// `ip neigh`, `drops` (route -n and ip route are rib/'s FormatRouteN and
// FormatIpRoute).
//
// Each returns the lines of the command's output, each ending in "\n";
// the device named for a neighbour is the port it was last routed through
// or heard on ("?" if none). Cost: linear in the table shown. Reads only;
// safe wherever reading the ControlPlane is.
//
//   std::cout << FormatArpA(cp);
//   // ? (10.0.0.2) at 02:42:ac:11:02:01 [ether] on eth0
#ifndef NEXTHOP_SIM_SHOW_COMMANDS_H_
#define NEXTHOP_SIM_SHOW_COMMANDS_H_

#include <string>

#include "sim/control_plane.h"

namespace nexthop {

// arp -a: "? (IP) at MAC [ether] [PERM ]on DEV", or "at <incomplete>".
std::string FormatArpA(const ControlPlane& cp);
// ip neigh: "IP dev DEV [lladdr MAC] STATE".
std::string FormatIpNeigh(const ControlPlane& cp);
// drops: "REASON: N" per reason that occurred, then "forwarded: N".
std::string FormatDrops(const ControlPlane& cp);

}  // namespace nexthop

#endif  // NEXTHOP_SIM_SHOW_COMMANDS_H_
