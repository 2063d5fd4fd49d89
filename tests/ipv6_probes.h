// Shared by the IPv6 structures' own tests (poptrie6_test, dxr6_test):
// addresses that probe every prefix of a pool at its edges and inside, a
// digest of a structure's answers on them, and the check that an update
// refused for room changes nothing.
#ifndef NEXTHOP_TESTS_IPV6_PROBES_H_
#define NEXTHOP_TESTS_IPV6_PROBES_H_

#include <cstdint>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "net/ipv6.h"

namespace nexthop::testing {

// Per prefix: its first address, a random one inside, its last.
inline std::vector<Ipv6Address> PrefixProbes(
    const std::vector<Ipv6Prefix>& prefixes, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Ipv6Address> out;
  for (const Ipv6Prefix& p : prefixes) {
    const auto [mhi, mlo] = Ipv6MaskBits(p.length());
    out.push_back(p.network());
    out.push_back(Ipv6Address::FromHalves(p.network().hi() | (rng() & ~mhi),
                                          p.network().lo() | (rng() & ~mlo)));
    out.push_back(Ipv6Address::FromHalves(p.network().hi() | ~mhi,
                                          p.network().lo() | ~mlo));
  }
  return out;
}

template <typename T>
uint64_t LookupDigest(const T& t, const std::vector<Ipv6Address>& probes) {
  uint64_t h = 0;
  for (const Ipv6Address& a : probes) h = h * 1000003 + t.Lookup(a);
  return h;
}

// Inserts every prefix of `pool` into `t` (whose limits are small): each
// refusal must be ResourceExhausted and leave the answers, the size and
// the control data as they were. Returns how many were refused.
template <typename T>
int InsertExpectingCleanRefusals(T& t, const std::vector<Ipv6Prefix>& pool,
                                 const std::vector<Ipv6Address>& probes) {
  int refused = 0;
  for (const Ipv6Prefix& p : pool) {
    const uint64_t before = LookupDigest(t, probes);
    const size_t size = t.size();
    const absl::Status s = t.Insert(p, 3);
    if (s.ok()) continue;
    EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted) << s;
    EXPECT_EQ(LookupDigest(t, probes), before) << p.ToString();
    EXPECT_EQ(t.size(), size);
    EXPECT_FALSE(t.LookupMatch(p.network()).has_value() &&
                 t.LookupMatch(p.network())->prefix == p)
        << "the control data kept a refused route";
    ++refused;
  }
  return refused;
}

}  // namespace nexthop::testing

#endif  // NEXTHOP_TESTS_IPV6_PROBES_H_
