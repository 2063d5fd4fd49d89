// Fib's all-or-nothing promise, for every structure (typed): a batch that
// fails part way leaves routes, next-hop ids and the structure's answers
// exactly as they were, and no lookup ever returns a match without a route.
// Each structure runs with small limits (tests/small_structures.h) so that
// the structure itself refuses part of a batch, not only the route table.
#include <algorithm>
#include <random>
#include <vector>

#include "gtest/gtest.h"
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
std::vector<std::string> Answers(const Fib<T>& fib,
                                 const std::vector<Ipv4Address>& addrs) {
  std::vector<std::string> out;
  for (Ipv4Address a : addrs) {
    std::string line;
    if (auto m = fib.Lookup(a)) {
      line = m->prefix.ToString() + " " + m->route.next_hop.GatewayString();
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

// Random batches of nested routes against a small structure, adding and
// removing: whatever fails, the answers on every route's addresses (the
// Fib's and the structure's own), the route count, the next-hop ids and the
// structure's size are those of the last batch that succeeded.
TYPED_TEST(FibFailureTest, RandomBatchesAreAllOrNothing) {
  // Room for a few dozen changes: enough for batches to succeed, few
  // enough that many fail part way.
  Fib<TypeParam> fib(testing::MakeSmall<TypeParam>(/*room=*/24));
  std::mt19937 rng(12);
  std::vector<Ipv4Address> probes;
  std::vector<Route> added;
  int failures = 0, remove_failures = 0, removes = 0;
  for (int round = 0; round < 120; ++round) {
    std::vector<Route> batch;
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
        // Inside 10.0.0.0/14: a few /18 chunks and /24s, lengths 8-32.
        const uint32_t addr = 0x0A000000u | (rng() & 0x3FFFFu);
        const int len = 8 + static_cast<int>(rng() % 25);
        Route r;
        r.prefix = Ipv4Prefix::Canonical(Ipv4Address(addr), len);
        r.next_hop.gateway = Ipv4Address(0xC0000200u | (rng() % 8));
        r.metric = rng() % 3;
        batch.push_back(r);
        probes.push_back(Ipv4Address(addr));
        probes.push_back(Ipv4Address(addr ^ 0x80u));
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
        for (const Route& r : batch) {
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

}  // namespace
}  // namespace nexthop
