// RouterCounters: a snapshot of what a live router has done - per port
// frames and bytes in and out, send failures and receive-ring overflows,
// frames forwarded, frames the fast path looked up, drops by reason
// (DropReasonName's snake_case names), the neighbour cache's size and
// events, the routes in force and, with `--kernel-table N`, the kernel
// route mirror's own counters.
//
// The shape an exporter (`nexthop router show`, a Prometheus endpoint)
// reads: a plain value, copied out of the router on its loop thread
// (Router::Counters()). Cost: a few vectors and a map. Thread-safety: a
// value; copy freely.
//
// Example:
//   RouterCounters c;
//   c.ports.push_back({"veth-a", {.rx_frames = 10, .tx_frames = 9}});
//   c.drops["no_route"] = 1;
//   uint64_t rx = c.ports[0].io.rx_frames;  // 10
#ifndef NEXTHOP_ROUTER_COUNTERS_H_
#define NEXTHOP_ROUTER_COUNTERS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "arp/neighbor_cache.h"
#include "io/packet_port.h"
#include "netlink/mirror_stats.h"

namespace nexthop {

struct RouterCounters {
  struct Port {
    std::string name;
    PortCounters io;
  };
  std::vector<Port> ports;                // in the config's order
  uint64_t forwarded = 0;                 // frames the fast path forwarded
  std::map<std::string, uint64_t> drops;  // by drop reason
  uint64_t lookups = 0;                   // frames the fast path classified
  uint64_t neighbors = 0;                 // entries in the neighbour cache
  NeighborStats neighbor_events;          // requests, probes, evictions...
  uint64_t routes = 0;                    // routes in the route table
  struct Mirror {
    uint32_t table = 0;   // the kernel table mirrored
    uint64_t routes = 0;  // its routes the router holds
    MirrorStats stats;
  };
  std::optional<Mirror> mirror;  // with --kernel-table only
};

}  // namespace nexthop

#endif  // NEXTHOP_ROUTER_COUNTERS_H_
