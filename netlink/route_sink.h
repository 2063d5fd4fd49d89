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

// What every sink over a route table does with an event, through its
// `add` and `remove` (absl::Status(const Route&)): a replace removes the
// old route, adds the new one and, if that is refused, puts the old one
// back, so it is all or nothing wherever re-adding what was just removed
// cannot fail (Fib's undo guarantee).
template <typename Add, typename Remove>
absl::Status ApplyRouteEvent(const RouteEvent<Ipv4>& event, Add add,
                             Remove remove) {
  const Route route = ToRibRoute(event.route);
  switch (event.kind) {
    case RouteEventKind::kAdd:
      return add(route);
    case RouteEventKind::kDelete:
      return remove(route);
    case RouteEventKind::kReplace: {
      const Route old = ToRibRoute(*event.old);
      if (absl::Status s = remove(old); !s.ok()) return s;
      absl::Status s = add(route);
      if (!s.ok()) (void)add(old);
      return s;
    }
  }
  return absl::InternalError("unknown route event kind");
}

}  // namespace nexthop

#endif  // NEXTHOP_NETLINK_ROUTE_SINK_H_
