// GoldenTable: the slow, obviously correct answer every structure is
// checked against. A lookup tries every length from 32 down to 0 that
// some route has (the differential fuzzer makes millions of lookups).
#ifndef NEXTHOP_TESTS_GOLDEN_TABLE_H_
#define NEXTHOP_TESTS_GOLDEN_TABLE_H_

#include <array>
#include <cstdint>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "lpm/lpm.h"

namespace nexthop::testing {

class GoldenTable {
 public:
  void Insert(Ipv4Prefix p, NextHopId nh) {
    if (routes_.insert_or_assign(p, nh).second) ++per_length_[p.length()];
  }
  bool Erase(Ipv4Prefix p) {
    if (routes_.erase(p) == 0) return false;
    --per_length_[p.length()];
    return true;
  }
  bool Contains(Ipv4Prefix p) const { return routes_.contains(p); }
  std::optional<LpmMatch<Ipv4>> LookupMatch(Ipv4Address a) const {
    for (int len = 32; len >= 0; --len) {
      if (per_length_[len] == 0) continue;
      const Ipv4Prefix p = Ipv4Prefix::Canonical(a, len);
      if (auto it = routes_.find(p); it != routes_.end()) {
        return LpmMatch<Ipv4>{p, it->second};
      }
    }
    return std::nullopt;
  }
  NextHopId Lookup(Ipv4Address a) const {
    auto m = LookupMatch(a);
    return m ? m->next_hop : kNoRoute;
  }
  size_t size() const { return routes_.size(); }
  const absl::flat_hash_map<Ipv4Prefix, NextHopId>& routes() const {
    return routes_;
  }

 private:
  absl::flat_hash_map<Ipv4Prefix, NextHopId> routes_;
  std::array<uint32_t, 33> per_length_{};  // routes of each length
};

}  // namespace nexthop::testing

#endif  // NEXTHOP_TESTS_GOLDEN_TABLE_H_
