// RouterRouteSink: kernel route events onto the router's route hooks.
#include "router/router_route_sink.h"

namespace nexthop {

absl::Status RouterRouteSink::Apply(const RouteEvent<Ipv4>& event) {
  const Route route = ToRibRoute(event.route);
  switch (event.kind) {
    case RouteEventKind::kAdd:
      return router_->AddRoute(route);
    case RouteEventKind::kDelete:
      return router_->DeleteRoute(route);
    case RouteEventKind::kReplace: {
      const Route old = ToRibRoute(*event.old);
      if (absl::Status s = router_->DeleteRoute(old); !s.ok()) return s;
      absl::Status s = router_->AddRoute(route);
      // Putting back what was just removed cannot be refused (Fib's undo
      // guarantee): the replace is all or nothing.
      if (!s.ok()) (void)router_->AddRoute(old);
      return s;
    }
  }
  return absl::InternalError("RouterRouteSink: unknown event kind");
}

}  // namespace nexthop
