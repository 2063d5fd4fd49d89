// CheckKernelStaysOut: refuses to run the live router where the Linux
// kernel of the same network namespace would also answer or forward the
// router's packets.
//
// With AF_PACKET the kernel's stack sees every frame the router sees. It
// stays out only if (1) no port carries a kernel IPv4 address (it would
// answer ARP and ping for it, and send its own ICMP errors), (2) IPv6 is
// disabled on every port (else it answers neighbour discovery and sends
// router solicitations) and (3) net.ipv4.ip_forward is 0 (else it forwards
// the frames addressed to the ports' MACs a second time). Each failure is
// a one-line FailedPrecondition naming the setting and the command that
// fixes it; a port that is down only earns a warning (it carries no
// traffic until it is set up).
//
// Cost: reads what QueryInterface and KernelIpv4Forwarding already read.
// Plain function; thread-safe.
//
// Example:
//   InterfaceInfo veth;
//   veth.name = "veth-a";
//   veth.up = true;
//   veth.ipv4_addresses = {"10.1.0.1/24"};
//   veth.ipv6_disabled = true;
//   std::vector<std::string> warnings;
//   absl::Status s = CheckKernelStaysOut({veth}, false, &warnings);
//   // FailedPrecondition: "veth-a has the kernel IPv4 address 10.1.0.1/24
//   // ... (ip addr flush dev veth-a)"
#ifndef NEXTHOP_ROUTER_KERNEL_CHECK_H_
#define NEXTHOP_ROUTER_KERNEL_CHECK_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "io/interface_info.h"

namespace nexthop {

absl::Status CheckKernelStaysOut(const std::vector<InterfaceInfo>& ports,
                                 bool kernel_forwarding,
                                 std::vector<std::string>* warnings);

}  // namespace nexthop

#endif  // NEXTHOP_ROUTER_KERNEL_CHECK_H_
