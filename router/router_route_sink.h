// RouterRouteSink: a RouteSink (netlink/route_sink.h) that applies a kernel
// route mirror's events to a live Router through its route hooks, so that
// `nexthop router --kernel-table N` follows kernel table N.
//
// Precedence: mirrored routes join the routes of the config and the route
// file in the router's one route table, where the best route of a prefix
// wins by the table's rule (lowest metric, then its fixed tie-breaks,
// never arrival order; rib/route_table.h). A kernel route identical to a
// configured one (prefix, gateway, device, metric) is refused
// (AlreadyExists, counted as a mirror sink error), so deleting it from the
// kernel never removes the configured route. A route through a device the
// router does not own is refused too (NotFound). A replace is all or
// nothing: if the new route is refused, the old one is put back.
// Cost: one Router::AddRoute/DeleteRoute per event. Not thread-safe: the
// mirror calls it on the router's loop thread.
//
// Example:
//   Router* router = nullptr;  // from Router::Create
//   if (router != nullptr) {
//     RouterRouteSink sink(router);  // must outlive the mirror
//     KernelRouteMirror::Options options;
//     options.table = 100;
//     auto mirror = KernelRouteMirror::Open(options, &sink);
//   }
#ifndef NEXTHOP_ROUTER_ROUTER_ROUTE_SINK_H_
#define NEXTHOP_ROUTER_ROUTER_ROUTE_SINK_H_

#include "absl/status/status.h"
#include "netlink/kernel_route_mirror.h"
#include "netlink/route_sink.h"
#include "router/router.h"

namespace nexthop {

class RouterRouteSink final : public RouteSink {
 public:
  explicit RouterRouteSink(Router* router) : router_(router) {}
  absl::Status Apply(const RouteEvent<Ipv4>& event) override;

 private:
  Router* router_;
};

}  // namespace nexthop

#endif  // NEXTHOP_ROUTER_ROUTER_ROUTE_SINK_H_
