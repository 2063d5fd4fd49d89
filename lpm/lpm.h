// The one interface every longest-prefix-match structure satisfies.
//
// A structure maps prefixes of one address family (`T::Family`, e.g. Ipv4
// from net/ipv4.h) to `NextHopId`s. Control plane: `Insert` adds or
// replaces a prefix, `Erase` removes one; both return absl::Status and
// leave the structure exactly as it was on failure. Data plane: `Lookup`,
// `LookupMatch` and `LookupBatch` are noexcept and return kNoRoute (or
// nullopt) on a miss. Const lookups may run concurrently with each other;
// with a GracePeriod attached (ConcurrentLpmStructure, below) also with
// one writer; without one a writer needs exclusive access.
//
// Structures (the list is lpm/structures.h): LinearTable (a host's few
// routes), PatriciaTrie (compact, ordered walks, exact match), Dir24_8
// (one or two reads; best on concentrated traffic; 64 MiB), Poptrie
// (compressed, ~5 MB of lookup data; best on spread traffic). README's
// "Which structure" table says when to use which, with measurements.
//
// Example:
//   #include "lpm/poptrie.h"
//   static_assert(LpmStructure<Poptrie>);
//   Poptrie t;
//   t.Insert(*Ipv4Prefix::Parse("10.0.0.0/8"), 1).IgnoreError();
//   NextHopId nh = t.Lookup(Ipv4Address::FromOctets(10, 1, 2, 3));  // 1
#ifndef NEXTHOP_LPM_LPM_H_
#define NEXTHOP_LPM_LPM_H_

#include <concepts>
#include <cstddef>
#include <optional>
#include <span>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "lpm/grace_period.h"
#include "lpm/next_hop_id.h"
#include "net/ipv4.h"
#include "net/ipv6.h"

namespace nexthop {

// An address family as the structures see it: address and prefix types and
// the address width. `Ipv4` (net/ipv4.h) is one.
template <typename F>
concept AddressFamily = std::regular<typename F::Address> &&
    std::regular<typename F::Prefix> &&
    requires(typename F::Prefix p, typename F::Address a) {
  { F::kBits } -> std::convertible_to<int>;
  { p.network() } -> std::same_as<typename F::Address>;
  { p.length() } -> std::convertible_to<int>;
  { p.Contains(a) } -> std::same_as<bool>;
};

static_assert(AddressFamily<Ipv4> && AddressFamily<Ipv6>);

// What a lookup matched: the longest prefix covering the address, and its
// next hop. The prefix is what `--explain` and the simulator show.
template <AddressFamily Family>
struct LpmMatch {
  typename Family::Prefix prefix;
  NextHopId next_hop = kNoRoute;
  friend bool operator==(const LpmMatch&, const LpmMatch&) = default;
};

template <typename T>
concept LpmStructure = AddressFamily<typename T::Family> &&
    requires(T& t, const T& ct, typename T::Family::Prefix p, NextHopId nh,
             typename T::Family::Address a,
             std::span<const typename T::Family::Address> in,
             std::span<NextHopId> out) {
  { t.Insert(p, nh) } -> std::same_as<absl::Status>;
  { t.Erase(p) } -> std::same_as<absl::Status>;
  { ct.Lookup(a) }
  noexcept->std::same_as<NextHopId>;
  { ct.LookupMatch(a) }
  noexcept->std::same_as<std::optional<LpmMatch<typename T::Family>>>;
  // Fills out[i] for i < min(in.size(), out.size()).
  { ct.LookupBatch(in, out) }
  noexcept;
  { ct.size() }
  noexcept->std::convertible_to<size_t>;
  { ct.MemoryBytes() }
  noexcept->std::convertible_to<size_t>;
  { T::kName } -> std::convertible_to<absl::string_view>;
};

// A structure that takes one writer beside lock-free readers once a grace
// period is attached (lpm/grace_period.h): every structure in
// lpm/structures.h. Each header says how its updates stay safe for readers.
template <typename T>
concept ConcurrentLpmStructure = LpmStructure<T> &&
    requires(T& t, const T& ct, GracePeriod* gp, size_t bytes) {
  t.SetGracePeriod(gp, bytes);
  t.Reclaim();
  { ct.reclaim_stats() } -> std::convertible_to<const ReclaimStats&>;
};

// A structure for one family: `LpmStructureFor<T, Ipv4>`.
template <typename T, typename Family>
concept LpmStructureFor =
    LpmStructure<T> && std::same_as<typename T::Family, Family>;

// Shared argument check for Insert: kNoRoute is the miss value, not a hop.
inline absl::Status CheckNextHop(NextHopId nh, NextHopId max) {
  if (nh == kNoRoute || nh > max) {
    return absl::OutOfRangeError("next hop id out of range for this structure");
  }
  return absl::OkStatus();
}

}  // namespace nexthop

#endif  // NEXTHOP_LPM_LPM_H_
