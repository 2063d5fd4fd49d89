// Parsers for the rtnetlink messages the kernel route mirror reads:
// RTM_NEWROUTE/RTM_DELROUTE (struct rtmsg + attributes) and
// RTM_NEWLINK/RTM_DELLINK (struct ifinfomsg + attributes).
//
// Each takes one whole message (header included) and its byte count as
// received, checks every length (the header's, the fixed part's, each
// attribute's against its kind) and answers a plain value, or an
// InvalidArgument naming the message type and the attribute at fault:
// a parse error never yields a half-filled value. O(message size).
#ifndef NEXTHOP_NETLINK_INTERNAL_ROUTE_MESSAGE_H_
#define NEXTHOP_NETLINK_INTERNAL_ROUTE_MESSAGE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "absl/status/statusor.h"
#include "netlink/kernel_route.h"

namespace nexthop::netlink_internal {

struct ParsedRoute {
  bool is_delete = false;  // RTM_DELROUTE
  uint32_t table = 0;      // RTA_TABLE, else rtm_table
  uint8_t route_type = 0;  // RTN_UNICAST, RTN_BLACKHOLE, ...
  uint32_t rtm_flags = 0;  // RTM_F_CLONED and the like
  bool multipath = false;  // carries RTA_MULTIPATH (ECMP next hops)
  // An attribute that changes what the route means and the rib cannot
  // hold ("RTA_VIA", "RTA_ENCAP", "RTA_NH_ID"); empty if none.
  std::string unsupported;
  std::variant<KernelRoute<Ipv4>, KernelRoute<Ipv6>> route;  // dev empty
};

struct ParsedLink {
  bool is_delete = false;  // RTM_DELLINK
  uint32_t ifindex = 0;
  std::string name;  // IFLA_IFNAME
  bool up = false;   // IFF_UP in ifi_flags
};

// "RTM_NEWROUTE", "NLMSG_ERROR", "message type 99".
std::string MessageTypeName(uint16_t type);

absl::StatusOr<ParsedRoute> ParseRouteMessage(const void* data, size_t size);
absl::StatusOr<ParsedLink> ParseLinkMessage(const void* data, size_t size);

}  // namespace nexthop::netlink_internal

#endif  // NEXTHOP_NETLINK_INTERNAL_ROUTE_MESSAGE_H_
