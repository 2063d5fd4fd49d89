// What a node's show commands print, from its ControlPlane: `arp -a`,
// `ip neigh`, `drops` (route -n and ip route are rib/'s FormatRouteN and
// FormatIpRoute).
//
// Each returns the lines of the command's output, each ending in "\n";
// the device named for a neighbour is the port it was last routed through
// or heard on ("?" if none). Cost: linear in the table shown. Reads only;
// safe wherever reading the ControlPlane is.
//
// Example:
//   #include "sim/node.h"
//   Network net;
//   Node* a = *net.AddNode("A", /*router=*/false);
//   a->Configure("ip addr add 10.0.0.1/24 dev eth0").IgnoreError();
//   a->Configure("arp -s 10.0.0.2 02:00:00:00:00:02").IgnoreError();
//   std::cout << FormatArpA(a->control_plane());
//   // ? (10.0.0.2) at 02:00:00:00:00:02 [ether] PERM on eth0
//   std::cout << FormatIpNeigh(a->control_plane());
//   // 10.0.0.2 dev eth0 lladdr 02:00:00:00:00:02 PERMANENT
//   std::cout << FormatDrops(a->control_plane());  // "forwarded: 0"
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
