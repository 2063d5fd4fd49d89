// InterfaceInfo: what the live router needs to know about a Linux network
// interface before it takes it over - its index, MAC address, MTU, whether
// it is up - and the kernel settings that decide whether the kernel would
// also answer or forward on it.
//
// QueryInterface asks the kernel (ioctl on a datagram socket, getifaddrs,
// /proc/sys); it needs no privilege. A missing interface is NotFound with
// iproute2's words: `Cannot find device "veth9"`. Cost: a few system calls.
// Thread-safe.
//
// Example:
//   absl::StatusOr<InterfaceInfo> lo = QueryInterface("lo");
//   // lo->index == 1, lo->mtu == 65536, lo->ipv4_addresses: {"127.0.0.1/8"}
//   absl::StatusOr<InterfaceInfo> x = QueryInterface("no-such-if0");
//   // NotFound: Cannot find device "no-such-if0"
#ifndef NEXTHOP_IO_INTERFACE_INFO_H_
#define NEXTHOP_IO_INTERFACE_INFO_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "net/mac_address.h"

namespace nexthop {

struct InterfaceInfo {
  std::string name;
  int index = 0;  // the kernel's ifindex
  MacAddress mac;
  int mtu = 0;
  bool up = false;
  // "10.0.0.1/24": the kernel's own IPv4 addresses on it.
  std::vector<std::string> ipv4_addresses;
  // net.ipv6.conf.NAME.disable_ipv6; nullopt if the kernel has no IPv6.
  std::optional<bool> ipv6_disabled;
};

absl::StatusOr<InterfaceInfo> QueryInterface(absl::string_view name);

// net.ipv4.ip_forward of the calling thread's network namespace.
absl::StatusOr<bool> KernelIpv4Forwarding();

}  // namespace nexthop

#endif  // NEXTHOP_IO_INTERFACE_INFO_H_
