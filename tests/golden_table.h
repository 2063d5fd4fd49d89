// GoldenTable: the slow, obviously correct answer every structure is
// checked against. A lookup tries every length from 32 down to 0.
#ifndef NEXTHOP_TESTS_GOLDEN_TABLE_H_
#define NEXTHOP_TESTS_GOLDEN_TABLE_H_

#include <optional>

#include "absl/container/flat_hash_map.h"
#include "lpm/lpm.h"

namespace nexthop::testing {

class GoldenTable {
 public:
  void Insert(Ipv4Prefix p, NextHopId nh) { routes_[p] = nh; }
  bool Erase(Ipv4Prefix p) { return routes_.erase(p) > 0; }
  bool Contains(Ipv4Prefix p) const { return routes_.contains(p); }
  std::optional<LpmMatch<Ipv4>> LookupMatch(Ipv4Address a) const {
    for (int len = 32; len >= 0; --len) {
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
};

}  // namespace nexthop::testing

#endif  // NEXTHOP_TESTS_GOLDEN_TABLE_H_
