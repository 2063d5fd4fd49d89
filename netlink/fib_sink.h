// FibSink: a RouteSink that applies the kernel mirror's events to a Fib.
//
// An add is `Fib::Add`, a delete `Fib::Remove`, a replace both in one
// all-or-nothing `Remove` then `Add` (if the add is refused, the removed
// route is put back, so the Fib never holds half a replace). Costs what
// the Fib's calls cost. Same thread-safety as the Fib's writer calls: one
// writer at a time, lookups beside it once the Fib has a grace period.
//
// Example:
//   #include "lpm/dir24_8.h"
//   Fib<Dir24_8> fib;
//   FibSink<Dir24_8> sink(&fib);
//   KernelRoute<Ipv4> k;
//   k.prefix = *Ipv4Prefix::Parse("10.1.2.0/24");
//   k.dev = "veth0";
//   absl::Status s = sink.Apply({RouteEventKind::kAdd, k, {}});
//   fib.Lookup(Ipv4Address::FromOctets(10, 1, 2, 3));  // k, as a Route
#ifndef NEXTHOP_NETLINK_FIB_SINK_H_
#define NEXTHOP_NETLINK_FIB_SINK_H_

#include "absl/status/status.h"
#include "netlink/route_sink.h"
#include "rib/fib.h"

namespace nexthop {

template <typename Lpm>
class FibSink : public RouteSink {
 public:
  explicit FibSink(Fib<Lpm>* fib) : fib_(fib) {}

  absl::Status Apply(const RouteEvent<Ipv4>& event) override {
    return ApplyRouteEvent(
        event,
        [&](const Route& r) {
          return fib_->Add({&r, 1});
        },
        [&](const Route& r) {
          return fib_->Remove({&r, 1});
        });
  }

 private:
  Fib<Lpm>* fib_;
};

}  // namespace nexthop

#endif  // NEXTHOP_NETLINK_FIB_SINK_H_
