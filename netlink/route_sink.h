// RouteSink: where the kernel route mirror delivers its changes.
//
// An interface with one call per event (netlink/kernel_route.h): the
// mirror calls it from its owner's thread inside Open, Process and Resync,
// never concurrently. A sink that refuses an event (an error Status) keeps
// the mirror from recording the change, so the mirror's `Routes()` is what
// the sink accepted; the error is returned by the mirror's call. IPv4 only
// so far: an `Apply(const RouteEvent<Ipv6>&)` overload joins it when the
// rib takes IPv6 routes. `FibSink` (netlink/fib_sink.h) applies events to
// a `Fib`.
//
// Example:
//   struct Printer : RouteSink {
//     absl::Status Apply(const RouteEvent<Ipv4>& e) override {
//       std::cout << e.route.ToString() << "\n";
//       return absl::OkStatus();
//     }
//   };
//   Printer printer;
//   absl::Status s = printer.Apply({RouteEventKind::kAdd, {}, {}});
#ifndef NEXTHOP_NETLINK_ROUTE_SINK_H_
#define NEXTHOP_NETLINK_ROUTE_SINK_H_

#include "absl/status/status.h"
#include "netlink/kernel_route.h"

namespace nexthop {

class RouteSink {
 public:
  virtual ~RouteSink() = default;
  virtual absl::Status Apply(const RouteEvent<Ipv4>& event) = 0;
};

}  // namespace nexthop

#endif  // NEXTHOP_NETLINK_ROUTE_SINK_H_
