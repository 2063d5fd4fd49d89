// RouterRouteSink: kernel route events onto the router's route hooks.
#include "router/router_route_sink.h"

namespace nexthop {

absl::Status RouterRouteSink::Apply(const RouteEvent<Ipv4>& event) {
  return ApplyRouteEvent(
      event, [&](const Route& r) { return router_->AddRoute(r); },
      [&](const Route& r) { return router_->DeleteRoute(r); });
}

}  // namespace nexthop
