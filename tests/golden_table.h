// GoldenTable (IPv4) and GoldenTable6: the slow, obviously correct answer
// every structure is checked against. A lookup tries every length from the
// longest down to 0 that some route has (the differential fuzzer makes
// millions of lookups).
#ifndef NEXTHOP_TESTS_GOLDEN_TABLE_H_
#define NEXTHOP_TESTS_GOLDEN_TABLE_H_

#include <array>
#include <cstdint>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "lpm/lpm.h"

namespace nexthop::testing {

template <AddressFamily F>
class BasicGoldenTable {
 public:
  using Address = typename F::Address;
  using Prefix = typename F::Prefix;

  void Insert(Prefix p, NextHopId nh) {
    if (routes_.insert_or_assign(p, nh).second) ++per_length_[p.length()];
  }
  bool Erase(Prefix p) {
    if (routes_.erase(p) == 0) return false;
    --per_length_[p.length()];
    return true;
  }
  bool Contains(Prefix p) const { return routes_.contains(p); }
  std::optional<LpmMatch<F>> LookupMatch(Address a) const {
    for (int len = F::kBits; len >= 0; --len) {
      if (per_length_[len] == 0) continue;
      const Prefix p = Prefix::Canonical(a, len);
      if (auto it = routes_.find(p); it != routes_.end()) {
        return LpmMatch<F>{p, it->second};
      }
    }
    return std::nullopt;
  }
  NextHopId Lookup(Address a) const {
    auto m = LookupMatch(a);
    return m ? m->next_hop : kNoRoute;
  }
  size_t size() const { return routes_.size(); }
  const absl::flat_hash_map<Prefix, NextHopId>& routes() const {
    return routes_;
  }

 private:
  absl::flat_hash_map<Prefix, NextHopId> routes_;
  std::array<uint32_t, F::kBits + 1> per_length_{};  // routes of each length
};

using GoldenTable = BasicGoldenTable<Ipv4>;
using GoldenTable6 = BasicGoldenTable<Ipv6>;

}  // namespace nexthop::testing

#endif  // NEXTHOP_TESTS_GOLDEN_TABLE_H_
