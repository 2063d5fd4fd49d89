// ApplyConfigCommand: the Linux commands that configure a host or router,
// parsed and applied to a ControlPlane.
//
// One command line, as typed in a shell or a topology file: `ip addr add`,
// `ip link set`, `ip route add`, `ifconfig`, `route add`, `arp -s`/`-d`,
// `sysctl [-w]` (net.ipv4.ip_forward, net.ipv4.conf.{all,IFACE}.arp_ignore)
// and `lpm NAME` (which LPM structure the route table uses). A malformed
// command is InvalidArgument saying what is wrong "in 'COMMAND'"; what the
// control plane refuses (an address that exists, an unknown device, a
// gateway on no connected network) comes back as it says it. A command
// that fails part-way keeps what it did before the error: `ip link set
// dev eth1 address 02:00:00:00:00:01 mtu 9` creates eth1 and sets its MAC,
// then refuses the MTU. Empty input is OK and does nothing.
//
// Cost: linear in the command, plus the control plane's rebuild of its
// fast-path tables per change. Thread-safety: that of the ControlPlane.
//
// Example:
//   #include "sim/node.h"
//   Network net;  // a Node owns the ControlPlane
//   ControlPlane& cp = (*net.AddNode("R", /*router=*/true))->control_plane();
//   absl::Status s =
//       ApplyConfigCommand("ip addr add 10.0.0.1/24 dev eth0", cp);  // OK
//   s = ApplyConfigCommand("route add default gw 10.0.0.254", cp);   // OK
//   s = ApplyConfigCommand("ip route add 10.9.0.0/16 via 10.1.0.1", cp);
//   // "Network is unreachable: no interface has 10.1.0.1 on its network"
//   s = ApplyConfigCommand("ip route add 10.9.0.0/16 via", cp);
//   // "'via' needs a value in 'ip route add 10.9.0.0/16 via'"
//   s = ApplyConfigCommand("sysctl -w net.ipv4.ip_forward=0", cp);
//   bool forwarding = cp.ip_forward();  // false
#ifndef NEXTHOP_SIM_CONFIG_COMMAND_H_
#define NEXTHOP_SIM_CONFIG_COMMAND_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "sim/control_plane.h"

namespace nexthop {

absl::Status ApplyConfigCommand(absl::string_view command, ControlPlane& cp);

}  // namespace nexthop

#endif  // NEXTHOP_SIM_CONFIG_COMMAND_H_
