// Dump: one rtnetlink dump request (RTM_GETLINK or RTM_GETROUTE, all of
// one family) on a blocking socket, its replies read until NLMSG_DONE and
// parsed. A message that fails to parse is counted and skipped (the dump
// goes on); a netlink error reply is the error. O(table size).
#ifndef NEXTHOP_NETLINK_INTERNAL_DUMP_H_
#define NEXTHOP_NETLINK_INTERNAL_DUMP_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "netlink/internal/route_message.h"

struct mnl_socket;

namespace nexthop::netlink_internal {

absl::Status DumpLinks(mnl_socket* socket, uint32_t seq,
                       std::vector<ParsedLink>* out, uint64_t* malformed);
absl::Status DumpRoutes(mnl_socket* socket, uint32_t seq, int family,
                        std::vector<ParsedRoute>* out, uint64_t* malformed);

}  // namespace nexthop::netlink_internal

#endif  // NEXTHOP_NETLINK_INTERNAL_DUMP_H_
