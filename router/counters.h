// RouterCounters: a snapshot of what a live router has done - per port
// frames and bytes in and out, send failures and receive-ring overflows,
// frames forwarded, drops by reason (DropReasonName's snake_case names)
// and the neighbour cache's size.
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
#include <string>
#include <vector>

#include "io/packet_port.h"

namespace nexthop {

struct RouterCounters {
  struct Port {
    std::string name;
    PortCounters io;
  };
  std::vector<Port> ports;                // in the config's order
  uint64_t forwarded = 0;                 // frames the fast path forwarded
  std::map<std::string, uint64_t> drops;  // by drop reason
  uint64_t neighbors = 0;                 // entries in the neighbour cache
};

}  // namespace nexthop

#endif  // NEXTHOP_ROUTER_COUNTERS_H_
