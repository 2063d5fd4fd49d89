// Fib: a route table (control plane) kept in step with an LPM structure
// (data plane), of the structure's address family: Fib<Poptrie> holds
// IPv4 routes (`Route`), Fib<Poptrie6> IPv6 ones (`Route6`). DualFib
// (rib/dual_fib.h) holds both, each family in its own structure.
//
// `Add` and `Remove` take a batch of routes and are all-or-nothing: if any
// route is refused (a duplicate, a missing route, a structure out of
// room), the routes, next-hop ids and structure are restored exactly as
// they were and the error names the route's index in the batch. The undo
// re-applies the inverse changes in reverse order; every structure
// guarantees that restoring a state it was just in needs no resource it
// has not got (tests/fib_failure_test.cc runs this for each structure). Only
// the best route of a prefix (lowest metric) reaches the structure, as
// the id of its (next hop, metric) pair, so `Lookup` gives the whole route
// record from the structure's answer alone: one structure lookup and one
// read of the NextHopTable.
//
// Thread-safety: const lookups (Lookup, lpm()'s lookups) may run
// concurrently with each other and, once SetGracePeriod has been called,
// with one writer (Add, Remove, Reclaim): the structure publishes each
// change atomically and defers its frees (ConcurrentLpmStructure), and
// next-hop entries never move or change once interned (a failed batch's
// ids are then kept, not reused). A reader sees, for each address, the
// route before or after each change. Writers must be serialised by the
// caller. routes() and next_hops() are the writer's (not for readers).
//
// Example:
//   #include "lpm/dir24_8.h"
//   #include "rib/route_loader.h"
//   absl::StatusOr<LoadResult> loaded =
//       LoadRouteFile("examples/exercise.txt", {});
//   Fib<Dir24_8> fib;
//   absl::Status s = fib.Add(loaded->routes);  // all or nothing
//   if (auto m = fib.Lookup(*Ipv4Address::Parse("128.75.43.16"))) {
//     std::cout << m->route.next_hop.GatewayString();  // "B"
//   }
#ifndef NEXTHOP_RIB_FIB_H_
#define NEXTHOP_RIB_FIB_H_

#include <cassert>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lpm/lpm.h"
#include "rib/route_table.h"

namespace nexthop {

template <ConcurrentLpmStructure Lpm>
class Fib {
 public:
  using Family = typename Lpm::Family;
  using Prefix = typename Family::Prefix;
  using Address = typename Family::Address;
  using RouteType = BasicRoute<Family>;

  Fib() = default;
  explicit Fib(Lpm lpm) : lpm_(std::move(lpm)) {}

  // On failure `*failed` (if given) is the index of the refused route.
  absl::Status Add(std::span<const RouteType> routes,
                   size_t* failed = nullptr) {
    return Apply(routes, true, failed);
  }
  absl::Status Remove(std::span<const RouteType> routes,
                      size_t* failed = nullptr) {
    return Apply(routes, false, failed);
  }

  struct Match {
    Prefix prefix;    // the longest matching prefix
    RouteType route;  // its best route (prefix, next hop, metric)
  };
  std::optional<Match> Lookup(Address address) const {
    std::optional<LpmMatch<Family>> m = lpm_.LookupMatch(address);
    if (!m) return std::nullopt;
    // The id names the route's (next hop, metric): the structure mirrors
    // the table (every batch is all or nothing, for every structure:
    // tests/fib_failure_test.cc).
    return Match{m->prefix, RouteType{m->prefix, next_hops_.Get(m->next_hop),
                                      next_hops_.Metric(m->next_hop)}};
  }

  // Lets lookups run beside one writer (see above); `gp` must outlive the
  // Fib. Call before readers start.
  void SetGracePeriod(GracePeriod* gp,
                      size_t max_pending_bytes = kDefaultMaxPendingBytes) {
    lpm_.SetGracePeriod(gp, max_pending_bytes);
    next_hops_.set_keep_truncated(gp != nullptr);
  }
  // Waits for a grace period and frees what the structure holds for one.
  void Reclaim() { lpm_.Reclaim(); }

  const BasicRouteTable<Family>& routes() const { return routes_; }
  const NextHopTable& next_hops() const { return next_hops_; }
  const Lpm& lpm() const { return lpm_; }

 private:
  template <typename, typename>
  friend class DualFib;

  // What the structure held for a prefix before a change, to undo it.
  struct Undo {
    Prefix prefix;
    std::optional<NextHopId> before;
  };
  // What a batch changed: `done` routes of it, `lpm` the structure's
  // changes in order, and the next-hop ids there were before it.
  struct Log {
    size_t done = 0;
    size_t next_hop_mark = 0;
    std::vector<Undo> lpm;
  };

  absl::Status Apply(std::span<const RouteType> routes, bool add,
                     size_t* failed) {
    Log log;
    absl::Status error = Do(routes, add, log);
    if (error.ok()) return error;
    absl::Status undo = Rollback(routes, add, log);
    if (failed != nullptr) *failed = log.done;
    return BatchError(routes, log.done, error, undo);
  }

  // Applies the batch until a route is refused (the error; `log.done` is
  // its index). Leaves everything it did in `log` for Rollback.
  absl::Status Do(std::span<const RouteType> routes, bool add, Log& log) {
    log.next_hop_mark = next_hops_.size();
    absl::Status error;
    for (; log.done < routes.size(); ++log.done) {
      const RouteType& r = routes[log.done];
      const std::optional<RouteType> old_best = routes_.Best(r.prefix);
      std::optional<NextHopId> before;
      if (old_best)
        before = next_hops_.Intern(old_best->next_hop, old_best->metric);
      error = add ? routes_.Add(r) : routes_.Remove(r);
      if (!error.ok()) break;
      const std::optional<RouteType> new_best = routes_.Best(r.prefix);
      std::optional<NextHopId> after;
      if (new_best)
        after = next_hops_.Intern(new_best->next_hop, new_best->metric);
      if (before == after) continue;
      error = after ? lpm_.Insert(r.prefix, *after) : lpm_.Erase(r.prefix);
      if (!error.ok()) {
        // The route table changed but the structure did not: undo the
        // former here, the rest in Rollback.
        (add ? routes_.Remove(r) : routes_.Add(r)).IgnoreError();
        break;
      }
      log.lpm.push_back({r.prefix, before});
    }
    return error;
  }

  // Undoes the first `log.done` routes of a batch Do applied (all of it,
  // when it succeeded). Each step restores a state the structure was in, so
  // it needs no resource that was not there then and cannot fail: every
  // structure promises that (tests/fib_failure_test.cc). Should one ever
  // break the promise, the result says so (Internal) rather than leave the
  // route table and the structure silently apart.
  absl::Status Rollback(std::span<const RouteType> routes, bool add,
                        const Log& log) {
    absl::Status undo_error;
    for (auto it = log.lpm.rbegin(); it != log.lpm.rend(); ++it) {
      absl::Status s = it->before ? lpm_.Insert(it->prefix, *it->before)
                                  : lpm_.Erase(it->prefix);
      if (!s.ok() && undo_error.ok()) {
        undo_error = absl::InternalError(absl::StrCat(
            "undoing ", it->prefix.ToString(), " failed (", s.message(),
            "): the structure no longer matches the route table"));
      }
    }
    for (size_t i = log.done; i-- > 0;) {
      (add ? routes_.Remove(routes[i]) : routes_.Add(routes[i])).IgnoreError();
    }
    next_hops_.Truncate(log.next_hop_mark);
    assert(undo_error.ok());
    return undo_error;
  }

  // "route 3 (10.0.0.0/8): <error>", and the undo's failure if any.
  static absl::Status BatchError(std::span<const RouteType> routes,
                                 size_t index, const absl::Status& error,
                                 const absl::Status& undo_error) {
    const std::string what =
        absl::StrCat("route ", index, " (", routes[index].prefix.ToString(),
                     "): ", error.message());
    if (!undo_error.ok()) {
      return absl::InternalError(
          absl::StrCat(what, "; ", undo_error.message()));
    }
    return absl::Status(error.code(), what);
  }

  BasicRouteTable<Family> routes_;
  NextHopTable next_hops_;
  Lpm lpm_;
};

}  // namespace nexthop

#endif  // NEXTHOP_RIB_FIB_H_
