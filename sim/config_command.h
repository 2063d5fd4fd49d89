// ApplyConfigCommand: the Linux commands that configure a host or router,
// parsed and applied to a ControlPlane.
//
// One command line, as typed in a shell or a topology file: `ip addr add`,
// `ip link set`, `ip route add`, `ifconfig`, `route add`, `arp -s`/`-d`,
// `sysctl [-w]` (net.ipv4.ip_forward, net.ipv4.icmp_echo_ignore_broadcasts,
// net.ipv4.conf.{all,default,IFACE}.arp_ignore)
// and `lpm NAME` (which LPM structure the route table uses). A malformed
// command is InvalidArgument saying what is wrong "in 'COMMAND'"; what the
// control plane refuses (an address that exists, a gateway on no connected
// network) comes back as it says it. Every command checks all its words
// before it changes anything, so a refused command changes nothing.
// Empty input is OK and does nothing.
//
// Every interface a command names is checked the same way (sim/names.h),
// whatever the command: while a topology file is read (kSetup), naming an
// interface declares it (the file must then link it, sim/topology.h); at
// run time (kRunning: a `run` line, the shell, a live router) it must
// exist ("Cannot find device", NotFound). MACs given to an interface or
// to `arp -s` must be unicast and non-zero, as the kernel requires.
//
// Cost: linear in the command, plus the control plane's rebuild of its
// fast-path tables per change. Thread-safety: that of the ControlPlane.
//
// Example:
//   #include "sim/node.h"
//   Network net;  // a Node owns the ControlPlane
//   ControlPlane& cp = (*net.AddNode("R", /*router=*/true))->control_plane();
//   absl::Status s = ApplyConfigCommand("ip addr add 10.0.0.1/24 dev eth0",
//                                       cp, ConfigPhase::kSetup);  // OK
//   s = ApplyConfigCommand("ip link set eth9 mtu 1400", cp);
//   // NotFound: "Cannot find device "eth9" in 'ip link set eth9 mtu 1400'"
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

// When a command runs: see above.
enum class ConfigPhase { kSetup, kRunning };

absl::Status ApplyConfigCommand(absl::string_view command, ControlPlane& cp,
                                ConfigPhase phase = ConfigPhase::kRunning);

}  // namespace nexthop

#endif  // NEXTHOP_SIM_CONFIG_COMMAND_H_
