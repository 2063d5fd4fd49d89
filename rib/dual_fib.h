// DualFib: one dual-stack table, IPv4 and IPv6 routes together, each family
// in its own Fib (rib/fib.h) and so its own LPM structure.
//
// A lookup goes to the family of its address: one structure lookup, as in
// a single-family Fib. `Add` and `Remove` take both families' routes in one
// batch and are all-or-nothing across them: when a route of either family
// is refused, both tables, both structures and their next-hop ids are
// restored exactly as they were (the IPv4 part is undone the way a failed
// Fib batch undoes itself). `DualFib<AnyLpm, AnyLpm6>` chooses both
// structures by name at run time (lpm/any_lpm.h).
//
// Thread-safety: as Fib's, for each family (SetGracePeriod attaches the
// grace period to both).
//
// Example:
//   #include "lpm/poptrie.h"
//   #include "lpm/poptrie6.h"
//   DualFib<Poptrie, Poptrie6> fib;
//   Route v4{*Ipv4Prefix::Parse("10.0.0.0/8"), {}, 0};
//   v4.next_hop.dev = "eth0";
//   Route6 v6{*Ipv6Prefix::Parse("2001:db8::/32"), {}, 0};
//   v6.next_hop.gateway6 = *Ipv6Address::Parse("fe80::1");
//   absl::Status s = fib.Add({&v4, 1}, {&v6, 1});  // all or nothing
//   auto m = fib.Lookup(*Ipv6Address::Parse("2001:db8::5"));
//   std::string gw = m->route.GatewayString();  // "fe80::1"
#ifndef NEXTHOP_RIB_DUAL_FIB_H_
#define NEXTHOP_RIB_DUAL_FIB_H_

#include <span>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rib/fib.h"

namespace nexthop {

template <typename Lpm4, typename Lpm6>
class DualFib {
 public:
  using Fib4 = Fib<Lpm4>;
  using Fib6 = Fib<Lpm6>;
  static_assert(std::is_same_v<typename Fib4::Family, Ipv4> &&
                std::is_same_v<typename Fib6::Family, Ipv6>);

  DualFib() = default;
  DualFib(Lpm4 lpm4, Lpm6 lpm6) : v4_(std::move(lpm4)), v6_(std::move(lpm6)) {}

  // On failure `*failed` (if given) is the index of the refused route,
  // counting the IPv4 routes first and then the IPv6 ones.
  absl::Status Add(std::span<const Route> v4, std::span<const Route6> v6,
                   size_t* failed = nullptr) {
    return Apply(v4, v6, true, failed);
  }
  absl::Status Remove(std::span<const Route> v4, std::span<const Route6> v6,
                      size_t* failed = nullptr) {
    return Apply(v4, v6, false, failed);
  }

  std::optional<typename Fib4::Match> Lookup(Ipv4Address a) const {
    return v4_.Lookup(a);
  }
  std::optional<typename Fib6::Match> Lookup(const Ipv6Address& a) const {
    return v6_.Lookup(a);
  }

  void SetGracePeriod(GracePeriod* gp,
                      size_t max_pending_bytes = kDefaultMaxPendingBytes) {
    v4_.SetGracePeriod(gp, max_pending_bytes);
    v6_.SetGracePeriod(gp, max_pending_bytes);
  }
  void Reclaim() {
    v4_.Reclaim();
    v6_.Reclaim();
  }

  const Fib4& v4() const { return v4_; }
  const Fib6& v6() const { return v6_; }

 private:
  absl::Status Apply(std::span<const Route> v4, std::span<const Route6> v6,
                     bool add, size_t* failed) {
    typename Fib4::Log log4;
    if (absl::Status e = v4_.Do(v4, add, log4); !e.ok()) {
      absl::Status undo = v4_.Rollback(v4, add, log4);
      if (failed != nullptr) *failed = log4.done;
      return Fib4::BatchError(v4, log4.done, e, undo);
    }
    typename Fib6::Log log6;
    if (absl::Status e = v6_.Do(v6, add, log6); !e.ok()) {
      absl::Status undo = v6_.Rollback(v6, add, log6);
      // The IPv4 part went in whole: undo all of it.
      absl::Status undo4 = v4_.Rollback(v4, add, log4);
      if (undo.ok()) undo = undo4;
      if (failed != nullptr) *failed = v4.size() + log6.done;
      absl::Status error = Fib6::BatchError(v6, log6.done, e, undo);
      return absl::Status(error.code(), absl::StrCat("IPv6 ", error.message()));
    }
    return absl::OkStatus();
  }

  Fib4 v4_;
  Fib6 v6_;
};

}  // namespace nexthop

#endif  // NEXTHOP_RIB_DUAL_FIB_H_
