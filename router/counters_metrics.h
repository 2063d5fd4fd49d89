// RouterMetrics: a router's counters (router/counters.h) as Prometheus
// samples (metrics/metric.h), what `nexthop router --metrics-port P`
// serves at /metrics.
//
// Names are nexthop_<what>[_total]; per-port samples carry a `port` label
// (the interface), drops a `reason` label (DropReasonName's snake_case
// names), neighbour events an `event` label; the mirror's samples
// (nexthop_mirror_*) appear only when a kernel table is mirrored, with a
// `table` label. Cost: O(ports + reasons). A pure function; thread-safe.
//
// Example:
//   RouterCounters c;
//   c.ports.push_back({"veth-a", {.rx_frames = 10}});
//   std::vector<Metric> ms = RouterMetrics(c);
//   // nexthop_rx_frames_total{port="veth-a"} 10, among others
#ifndef NEXTHOP_ROUTER_COUNTERS_METRICS_H_
#define NEXTHOP_ROUTER_COUNTERS_METRICS_H_

#include <vector>

#include "metrics/metric.h"
#include "router/counters.h"

namespace nexthop {

std::vector<Metric> RouterMetrics(const RouterCounters& counters);

}  // namespace nexthop

#endif  // NEXTHOP_ROUTER_COUNTERS_METRICS_H_
