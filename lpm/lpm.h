// The one interface every longest-prefix-match structure satisfies.
//
// A structure maps prefixes to `NextHopId`s. Control plane: `Insert` adds
// or replaces a prefix, `Erase` removes one; both return absl::Status and
// leave the structure unchanged on failure. Data plane: `Lookup`,
// `LookupMatch` and `LookupBatch` are noexcept and return kNoRoute (or
// nullopt) on a miss. Const lookups may run concurrently with each other;
// a writer needs exclusive access unless the structure says otherwise.
//
// Structures: LinearTable (small tables), PatriciaTrie (compact, ordered
// walks, exact match), Dir24_8 (fastest lookups, 64 MiB). See README.md for
// when to use which.
#ifndef NEXTHOP_LPM_LPM_H_
#define NEXTHOP_LPM_LPM_H_

#include <concepts>
#include <cstddef>
#include <optional>
#include <span>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "lpm/ipv4.h"
#include "lpm/next_hop.h"

namespace nexthop {

// What a lookup matched: the longest prefix covering the address, and its
// next hop. The prefix is what `--explain` and the simulator show.
struct LpmMatch {
  Prefix prefix;
  NextHopId next_hop = kNoRoute;
  friend bool operator==(const LpmMatch&, const LpmMatch&) = default;
};

template <typename T>
concept LpmStructure = requires(T& t, const T& ct, Prefix p, NextHopId nh,
                                Ipv4Address a, std::span<const Ipv4Address> in,
                                std::span<NextHopId> out) {
  { t.Insert(p, nh) } -> std::same_as<absl::Status>;
  { t.Erase(p) } -> std::same_as<absl::Status>;
  { ct.Lookup(a) }
  noexcept->std::same_as<NextHopId>;
  { ct.LookupMatch(a) }
  noexcept->std::same_as<std::optional<LpmMatch>>;
  // Fills out[i] for i < min(in.size(), out.size()).
  { ct.LookupBatch(in, out) }
  noexcept;
  { ct.size() }
  noexcept->std::convertible_to<size_t>;
  { ct.MemoryBytes() }
  noexcept->std::convertible_to<size_t>;
  { T::kName } -> std::convertible_to<absl::string_view>;
};

// Shared argument check for Insert: kNoRoute is the miss value, not a hop.
inline absl::Status CheckNextHop(NextHopId nh, NextHopId max) {
  if (nh == kNoRoute || nh > max) {
    return absl::OutOfRangeError("next hop id out of range for this structure");
  }
  return absl::OkStatus();
}

}  // namespace nexthop

#endif  // NEXTHOP_LPM_LPM_H_
