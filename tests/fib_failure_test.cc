// Fib's all-or-nothing promise, for every structure of both families
// (typed), and DualFib's across the two families: a batch that fails part
// way leaves routes, next-hop ids and the structure's answers exactly as
// they were, and no lookup ever returns a match without a route.
// Each structure runs with small limits (tests/small_structures.h) so that
// the structure itself refuses part of a batch, not only the route table.
#include <algorithm>
#include <random>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "rib/dual_fib.h"
#include "rib/fib.h"
#include "tests/golden_table.h"
#include "tests/structure_types.h"

namespace nexthop {
namespace {

Route R(const char* prefix, const char* gw, uint32_t metric = 0) {
  Route r{*Ipv4Prefix::Parse(prefix), {}, metric};
  r.next_hop.gateway = *Ipv4Address::Parse(gw);
  return r;
}
Ipv4Address A(const char* text) { return *Ipv4Address::Parse(text); }

// What the Fib answers for `addrs` (matched prefix and gateway, or
// "miss"), and what its structure answers on its own (prefix and next-hop
// id): Fib::Lookup turns a structure match without a route into a miss, so
// the structure's own answers are what shows a rolled-back change that
// stayed in it.
template <typename T>
std::vector<std::string> Answers(
    const Fib<T>& fib, const std::vector<typename T::Family::Address>& addrs) {
  std::vector<std::string> out;
  for (const auto& a : addrs) {
    std::string line;
    if (auto m = fib.Lookup(a)) {
      line = m->prefix.ToString() + " " + m->route.GatewayString();
    } else {
      line = "miss";
    }
    if (auto s = fib.lpm().LookupMatch(a)) {
      line += " | " + s->prefix.ToString() + " " + std::to_string(s->next_hop);
    } else {
      line += " | miss";
    }
    out.push_back(line);
  }
  return out;
}

template <typename T>
class FibFailureTest : public ::testing::Test {};
TYPED_TEST_SUITE(FibFailureTest, testing::AllIpv4Structures);

// Issue 12's reproduction: X, then [Y in X's /18 chunk, Z elsewhere] where
// Z runs out of room (Poptrie with two nodes: Y's rebuild of X's chunk
// used the last fresh one, and undoing Y needs the region Y freed; Dir24_8
// with one group: the second /25 needs another).
TYPED_TEST(FibFailureTest, RolledBackRouteIsGone) {
  Fib<TypeParam> fib(testing::MakeSmall<TypeParam>());
  ASSERT_TRUE(fib.Add(std::vector<Route>{R("10.0.0.0/24", "1.1.1.1")}).ok());
  const std::vector<Ipv4Address> probes = {A("10.0.0.1"), A("10.0.0.200"),
                                           A("10.0.1.1"), A("10.9.0.1"),
                                           A("11.0.0.1")};
  const auto before = Answers(fib, probes);
  // The batch ends with a duplicate, so structures without limits fail
  // too (in the route table, after the structure took the rest).
  std::vector<Route> batch = {
      R("10.0.1.0/24", "2.2.2.2"), R("10.9.0.0/25", "3.3.3.3"),
      R("10.10.0.0/25", "3.3.3.4"), R("10.0.0.0/24", "1.1.1.1")};
  size_t failed = 99;
  const absl::Status s = fib.Add(batch, &failed);
  ASSERT_FALSE(s.ok());
  EXPECT_GE(failed, 1u);
  EXPECT_EQ(Answers(fib, probes), before);
  EXPECT_EQ(fib.routes().size(), 1u);
  EXPECT_EQ(fib.next_hops().size(), 1u);
  EXPECT_EQ(fib.lpm().size(), 1u);
  // And the structure still works: the batch without the duplicate fits
  // or fails again, changing nothing.
  batch.pop_back();
  if (fib.Add(batch).ok()) {
    EXPECT_EQ(Answers(fib, {A("10.0.1.1")})[0],
              "10.0.1.0/24 2.2.2.2 | 10.0.1.0/24 1");
  } else {
    EXPECT_EQ(Answers(fib, probes), before);
  }
  if constexpr (requires { fib.lpm().CheckInvariants(); }) {
    EXPECT_TRUE(fib.lpm().CheckInvariants().ok());
  }
}

// A random route of the family, nested in one small region (IPv4: inside
// 10.0.0.0/14, lengths 8-32; IPv6: inside 2001:db8::/46, lengths 16-128,
// so that Poptrie6's first /16 and later chunks both change), and two
// addresses near it to probe.
struct RandomRoute4 {
  Route route;
  Ipv4Address probes[2];
};
RandomRoute4 MakeRandomRoute(std::mt19937& rng, Ipv4) {
  const uint32_t addr = 0x0A000000u | (rng() & 0x3FFFFu);
  RandomRoute4 out;
  out.route.prefix = Ipv4Prefix::Canonical(Ipv4Address(addr),
                                           8 + static_cast<int>(rng() % 25));
  out.route.next_hop.gateway = Ipv4Address(0xC0000200u | (rng() % 8));
  out.route.metric = rng() % 3;
  out.probes[0] = Ipv4Address(addr);
  out.probes[1] = Ipv4Address(addr ^ 0x80u);
  return out;
}
struct RandomRoute6 {
  Route6 route;
  Ipv6Address probes[2];
};
RandomRoute6 MakeRandomRoute(std::mt19937& rng, Ipv6) {
  const uint64_t hi =
      0x20010db800000000ull | (uint64_t{rng() & 0x3FFFFu} << 12);
  const uint64_t lo = uint64_t{rng()} << 32 | rng();
  const Ipv6Address addr = Ipv6Address::FromHalves(hi, lo);
  RandomRoute6 out;
  out.route.prefix =
      Ipv6Prefix::Canonical(addr, 16 + static_cast<int>(rng() % 113));
  out.route.next_hop.gateway6 =
      Ipv6Address::FromHalves(0xfe80000000000000ull, 1 + rng() % 8);
  out.route.metric = rng() % 3;
  out.probes[0] = addr;
  out.probes[1] = Ipv6Address::FromHalves(hi ^ 0x80u, lo);
  return out;
}

template <typename T>
class FibFailureAnyFamilyTest : public ::testing::Test {};
TYPED_TEST_SUITE(FibFailureAnyFamilyTest, testing::AllStructures);

// Random batches of nested routes against a small structure, adding and
// removing: whatever fails, the answers on every route's addresses (the
// Fib's and the structure's own), the route count, the next-hop ids and the
// structure's size are those of the last batch that succeeded.
TYPED_TEST(FibFailureAnyFamilyTest, RandomBatchesAreAllOrNothing) {
  using Family = typename TypeParam::Family;
  using RouteT = BasicRoute<Family>;
  // Room for a few dozen changes: enough for batches to succeed, few
  // enough that many fail part way.
  Fib<TypeParam> fib(testing::MakeSmall<TypeParam>(/*room=*/24));
  std::mt19937 rng(12);
  std::vector<typename Family::Address> probes;
  std::vector<RouteT> added;
  int failures = 0, remove_failures = 0, removes = 0;
  for (int round = 0; round < 120; ++round) {
    std::vector<RouteT> batch;
    const bool remove = !added.empty() && rng() % 3 == 0;
    if (remove) {
      // Some routes that are there, now and then one that is not (a
      // failure after structure changes).
      const int n = 1 + static_cast<int>(rng() % 4);
      for (int i = 0; i < n; ++i) batch.push_back(added[rng() % added.size()]);
      if (rng() % 2 == 0) batch.push_back(batch.front());  // removed twice
    } else {
      const int n = 1 + static_cast<int>(rng() % 6);
      for (int i = 0; i < n; ++i) {
        auto r = MakeRandomRoute(rng, Family());
        batch.push_back(r.route);
        probes.push_back(r.probes[0]);
        probes.push_back(r.probes[1]);
      }
      // Now and then a duplicate of something already added.
      if (!added.empty() && rng() % 4 == 0) {
        batch.push_back(added[rng() % added.size()]);
      }
    }
    const auto before = Answers(fib, probes);
    const size_t routes_before = fib.routes().size();
    const size_t hops_before = fib.next_hops().size();
    const size_t lpm_before = fib.lpm().size();
    removes += remove;
    const absl::Status s = remove ? fib.Remove(batch) : fib.Add(batch);
    ASSERT_NE(s.code(), absl::StatusCode::kInternal) << s;
    if (s.ok()) {
      if (remove) {
        for (const RouteT& r : batch) {
          added.erase(std::find(added.begin(), added.end(), r));
        }
      } else {
        added.insert(added.end(), batch.begin(), batch.end());
      }
      continue;
    }
    ++failures;
    remove_failures += remove;
    ASSERT_EQ(Answers(fib, probes), before) << "round " << round;
    ASSERT_EQ(fib.routes().size(), routes_before);
    ASSERT_EQ(fib.next_hops().size(), hops_before);
    ASSERT_EQ(fib.lpm().size(), lpm_before);
    if constexpr (requires { fib.lpm().CheckInvariants(); }) {
      ASSERT_TRUE(fib.lpm().CheckInvariants().ok()) << "round " << round;
    }
  }
  EXPECT_GT(failures, 0);
  EXPECT_GT(remove_failures, 0);
  EXPECT_GT(removes, remove_failures);
}

// DualFib: a batch whose IPv4 routes all go in and whose IPv6 part fails
// (in the small IPv6 structure, or on a duplicate) leaves both families as
// they were: routes, next-hop ids and both structures' answers.
TEST(DualFibFailureTest, FailedIpv6PartUndoesTheIpv4Part) {
  DualFib<Poptrie, Poptrie6> fib(testing::MakeSmall<Poptrie>(64),
                                 testing::MakeSmall<Poptrie6>(64));
  std::mt19937 rng(7);
  std::vector<Route> v4;
  std::vector<Route6> v6;
  std::vector<Ipv4Address> probes4;
  std::vector<Ipv6Address> probes6;
  for (int i = 0; i < 3; ++i) {
    auto r4 = MakeRandomRoute(rng, Ipv4());
    v4.push_back(r4.route);
    probes4.insert(probes4.end(), {r4.probes[0], r4.probes[1]});
    auto r6 = MakeRandomRoute(rng, Ipv6());
    v6.push_back(r6.route);
    probes6.insert(probes6.end(), {r6.probes[0], r6.probes[1]});
  }
  ASSERT_TRUE(fib.Add({v4.data(), 1}, {v6.data(), 1}).ok());
  const auto before4 = Answers(fib.v4(), probes4);
  const auto before6 = Answers(fib.v6(), probes6);
  const size_t hops4 = fib.v4().next_hops().size();
  const size_t hops6 = fib.v6().next_hops().size();

  // New IPv4 routes that fit, then IPv6 routes ending in a duplicate of the
  // one already in: the IPv6 part fails after changing its structure.
  std::vector<Route> more4(v4.begin() + 1, v4.end());
  std::vector<Route6> more6(v6.begin() + 1, v6.end());
  more6.push_back(v6[0]);
  size_t failed = 0;
  const absl::Status s = fib.Add(more4, more6, &failed);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.code(), absl::StatusCode::kInternal) << s;
  EXPECT_EQ(failed, more4.size() + more6.size() - 1) << s;
  EXPECT_TRUE(absl::StartsWith(s.message(), "IPv6 route 2 (")) << s;
  EXPECT_EQ(Answers(fib.v4(), probes4), before4);
  EXPECT_EQ(Answers(fib.v6(), probes6), before6);
  EXPECT_EQ(fib.v4().routes().size(), 1u);
  EXPECT_EQ(fib.v6().routes().size(), 1u);
  EXPECT_EQ(fib.v4().next_hops().size(), hops4);
  EXPECT_EQ(fib.v6().next_hops().size(), hops6);
  EXPECT_EQ(fib.v4().lpm().size(), 1u);
  EXPECT_EQ(fib.v6().lpm().size(), 1u);

  // Without the duplicate the same batch goes in, in both families.
  more6.pop_back();
  ASSERT_TRUE(fib.Add(more4, more6).ok());
  EXPECT_EQ(fib.v4().routes().size(), 3u);
  EXPECT_EQ(fib.v6().routes().size(), 3u);
  auto m = fib.Lookup(v6[2].prefix.network());
  ASSERT_TRUE(m);
  EXPECT_GE(m->prefix.length(), v6[2].prefix.length());
}

// An IPv4 route refused: nothing of the IPv6 part is tried, both families
// unchanged, and the index counts IPv4 routes.
TEST(DualFibFailureTest, FailedIpv4PartTouchesNoIpv6Route) {
  DualFib<PatriciaTrie, PatriciaTrie6> fib;
  Route r4 = R("10.0.0.0/8", "192.0.2.1");
  Route6 r6{*Ipv6Prefix::Parse("2001:db8::/32"), {}, 0};
  r6.next_hop.gateway6 = *Ipv6Address::Parse("fe80::1");
  ASSERT_TRUE(fib.Add({&r4, 1}, {}).ok());
  std::vector<Route> again = {R("11.0.0.0/8", "192.0.2.1"), r4};
  size_t failed = 0;
  const absl::Status s = fib.Add(again, {&r6, 1}, &failed);
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
  EXPECT_EQ(failed, 1u);
  EXPECT_EQ(fib.v4().routes().size(), 1u);
  EXPECT_EQ(fib.v6().routes().size(), 0u);
  EXPECT_FALSE(fib.Lookup(*Ipv6Address::Parse("2001:db8::1")));
  EXPECT_FALSE(fib.Lookup(A("11.0.0.1")));
  EXPECT_TRUE(fib.Lookup(A("10.0.0.1")));
}

}  // namespace
}  // namespace nexthop
