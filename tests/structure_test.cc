// What is particular to each structure, beyond the shared conformance suite.
#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lpm/any_lpm.h"
#include "lpm/dir24_8.h"
#include "lpm/linear_table.h"
#include "lpm/patricia_trie.h"

namespace nexthop {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Ipv4Prefix P(const char* text) { return *Ipv4Prefix::Parse(text); }
Ipv4Address A(const char* text) { return *Ipv4Address::Parse(text); }

// A digest of everything a lookup can observe in [first, last].
uint64_t Digest(const Dir24_8& t, uint32_t first, uint32_t last) {
  uint64_t h = t.size() * 0x9E3779B97F4A7C15ull + t.groups_in_use();
  for (uint64_t a = first; a <= last; ++a) {
    auto m = t.LookupMatch(Ipv4Address(static_cast<uint32_t>(a)));
    h = h * 1099511628211ull +
        (m ? (uint64_t{m->next_hop} << 8 | m->prefix.length()) : 0xFFFF);
  }
  return h;
}

TEST(Dir24_8Test, RunningOutOfGroupsIsCleanAndChangesNothing) {
  Dir24_8 t(/*max_groups=*/2);
  ASSERT_TRUE(t.Insert(P("10.0.0.0/8"), 1).ok());
  ASSERT_TRUE(t.Insert(P("10.0.1.0/25"), 2).ok());
  ASSERT_TRUE(t.Insert(P("10.0.2.128/25"), 3).ok());
  ASSERT_TRUE(t.Insert(P("10.0.2.0/26"), 4).ok());  // same /24: no new group
  EXPECT_EQ(t.groups_in_use(), 2u);
  const uint64_t before = Digest(t, 0x0A000000, 0x0A0003FF);
  absl::Status s = t.Insert(P("10.0.3.7/32"), 5);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(s.message()), HasSubstr("all 2 tbl8 groups"));
  EXPECT_EQ(Digest(t, 0x0A000000, 0x0A0003FF), before);
  EXPECT_FALSE(t.rib().ExactMatch(P("10.0.3.7/32")));
  EXPECT_TRUE(t.CheckInvariants().ok());
  // Freeing a group makes room again.
  ASSERT_TRUE(t.Erase(P("10.0.1.0/25")).ok());
  EXPECT_EQ(t.groups_in_use(), 1u);
  EXPECT_TRUE(t.Insert(P("10.0.3.7/32"), 5).ok());
  EXPECT_EQ(t.Lookup(A("10.0.3.7")), 5u);
  EXPECT_EQ(t.Lookup(A("10.0.3.8")), 1u);
}

TEST(Dir24_8Test, GroupsAreReturnedWhenUniform) {
  Dir24_8 t;
  ASSERT_TRUE(t.Insert(P("192.168.1.0/24"), 1).ok());
  ASSERT_TRUE(t.Insert(P("192.168.1.0/25"), 2).ok());
  ASSERT_TRUE(t.Insert(P("192.168.1.128/25"), 2).ok());
  // Both halves share a next hop but are /25s: the group must stay, or an
  // erase of one half would need a new group.
  EXPECT_EQ(t.groups_in_use(), 1u);
  ASSERT_TRUE(t.Erase(P("192.168.1.0/25")).ok());
  EXPECT_EQ(t.groups_in_use(), 1u);
  ASSERT_TRUE(t.Erase(P("192.168.1.128/25")).ok());
  EXPECT_EQ(t.groups_in_use(), 0u);
  EXPECT_EQ(t.Lookup(A("192.168.1.200")), 1u);
  // A covering insert over a group whose entries are all shorter folds it.
  ASSERT_TRUE(t.Insert(P("192.168.2.0/25"), 3).ok());
  ASSERT_TRUE(t.Erase(P("192.168.2.0/25")).ok());
  EXPECT_EQ(t.groups_in_use(), 0u);
  EXPECT_TRUE(t.CheckInvariants().ok());
}

TEST(Dir24_8Test, RejectsNextHopsPast24Bits) {
  Dir24_8 t;
  EXPECT_EQ(t.Insert(P("10.0.0.0/8"), Dir24_8::kMaxNextHop + 1).code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_TRUE(t.Insert(P("10.0.0.0/8"), Dir24_8::kMaxNextHop).ok());
  EXPECT_EQ(t.Lookup(A("10.1.1.1")), Dir24_8::kMaxNextHop);
}

TEST(Dir24_8Test, EveryBatchKernelAgreesWithSingleLookups) {
  Dir24_8 t;
  std::mt19937 rng(5);
  for (int i = 0; i < 3000; ++i) {
    const int len = i % 3 == 0 ? 25 + rng() % 8 : 8 + rng() % 17;
    // Concentrated in 10/8 so that many lookups land in tbl8 groups.
    ASSERT_TRUE(
        t.Insert(Ipv4Prefix::Canonical(
                     Ipv4Address(0x0A000000u | (rng() & 0xFFFFFF)), len),
                 rng() % 100)
            .ok());
  }
  std::vector<Ipv4Address> in(4096);
  for (auto& a : in) a = Ipv4Address(0x0A000000u | (rng() & 0x00FFFFFF));
  in[7] = Ipv4Address(0x0B000000);  // a miss
  for (const auto& kernel : internal::dir24_8::AvailableKernels()) {
    for (size_t n : {size_t{0}, size_t{1}, size_t{7}, size_t{8}, size_t{9},
                     size_t{63}, size_t{4096}}) {
      std::vector<NextHopId> out(n + 1, 777);
      kernel.fn(t.tbl24_for_test(), t.tbl8_for_test(), in.data(), out.data(),
                n);
      for (size_t i = 0; i < n; ++i) {
        ASSERT_EQ(out[i], t.Lookup(in[i]))
            << kernel.name << " n=" << n << " i=" << i;
      }
      EXPECT_EQ(out[n], 777u) << kernel.name << " wrote past n=" << n;
    }
  }
  // And through the public API, with an output shorter than the input.
  std::vector<NextHopId> out(5, 777);
  t.LookupBatch(in, std::span<NextHopId>(out).first(4));
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(out[i], t.Lookup(in[i]));
  EXPECT_EQ(out[4], 777u);
}

TEST(PatriciaTrieTest, ExactMatchAndOrderedWalk) {
  PatriciaTrie t;
  for (const char* p : {"10.1.0.0/16", "0.0.0.0/0", "10.0.0.0/8", "10.1.2.0/24",
                        "192.168.0.0/16", "10.1.0.0/17"}) {
    ASSERT_TRUE(t.Insert(P(p), 1).ok());
  }
  EXPECT_TRUE(t.ExactMatch(P("10.1.0.0/16")));
  EXPECT_FALSE(t.ExactMatch(P("10.0.0.0/15")));
  EXPECT_FALSE(t.ExactMatch(P("10.1.2.0/25")));
  std::vector<std::string> order;
  t.ForEach(
      [&](const LpmMatch<Ipv4>& m) { order.push_back(m.prefix.ToString()); });
  EXPECT_THAT(order,
              ElementsAre("0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16",
                          "10.1.0.0/17", "10.1.2.0/24", "192.168.0.0/16"));
  EXPECT_EQ(t.MatchNoLongerThan(A("10.1.2.3"), 16)->prefix, P("10.1.0.0/16"));
  EXPECT_EQ(t.MatchNoLongerThan(A("10.1.2.3"), 7)->prefix, P("0.0.0.0/0"));
  EXPECT_TRUE(t.CheckInvariants().ok());
}

TEST(PatriciaTrieTest, EraseReportsTheCoveringRoute) {
  PatriciaTrie t;
  for (const char* p :
       {"0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24"}) {
    ASSERT_TRUE(t.Insert(P(p), 1).ok());
  }
  std::optional<LpmMatch<Ipv4>> cover;
  ASSERT_TRUE(t.Erase(P("10.1.2.0/24"), &cover).ok());
  EXPECT_EQ(cover->prefix, P("10.1.0.0/16"));
  ASSERT_TRUE(t.Erase(P("10.0.0.0/8"), &cover).ok());
  EXPECT_EQ(cover->prefix, P("0.0.0.0/0"));
  ASSERT_TRUE(t.Erase(P("0.0.0.0/0"), &cover).ok());
  EXPECT_FALSE(cover);
  EXPECT_EQ(t.Erase(P("10.9.0.0/16"), &cover).code(),
            absl::StatusCode::kNotFound);
}

TEST(PatriciaTrieTest, NodesAreReclaimed) {
  PatriciaTrie t;
  std::mt19937 rng(1);
  std::vector<Ipv4Prefix> ps;
  for (int i = 0; i < 5000; ++i) {
    ps.push_back(Ipv4Prefix::Canonical(Ipv4Address(rng()), 8 + rng() % 25));
    ASSERT_TRUE(t.Insert(ps.back(), 1).ok());
  }
  EXPECT_LE(t.node_count(), 2 * t.size());
  for (const Ipv4Prefix& p : ps) t.Erase(p).IgnoreError();
  EXPECT_EQ(t.size(), 0u);
  EXPECT_EQ(t.node_count(), 0u);
  EXPECT_TRUE(t.CheckInvariants().ok());
}

// An insert takes only the nodes it needs: changing a route takes none, so
// a full trie can still change next hops, and the undo of a failed insert
// (Fib's promise) always fits. A moved-from trie is empty and usable.
TEST(PatriciaTrieTest, InsertsNeedOnlyTheirNodesAndMovedFromTriesWork) {
  PatriciaTrie t(/*max_nodes=*/4);
  const Ipv4Prefix a = *Ipv4Prefix::Parse("10.0.0.0/8");
  const Ipv4Prefix b = *Ipv4Prefix::Parse("10.1.0.0/16");
  const Ipv4Prefix c = *Ipv4Prefix::Parse("11.0.0.0/8");
  ASSERT_TRUE(t.Insert(a, 1).ok());
  ASSERT_TRUE(t.Insert(b, 2).ok());
  ASSERT_TRUE(t.Insert(c, 3).ok());  // a split (10.0.0.0/7) and a leaf
  EXPECT_EQ(t.node_count(), 4u);
  EXPECT_TRUE(
      absl::IsResourceExhausted(t.Insert(*Ipv4Prefix::Parse("12.0.0.0/8"), 4)));
  EXPECT_TRUE(t.Insert(b, 5).ok());  // full, but a change needs no node
  EXPECT_EQ(t.Lookup(*Ipv4Address::Parse("10.1.2.3")), 5u);
  ASSERT_TRUE(t.Erase(b).ok());
  EXPECT_TRUE(t.Insert(b, 2).ok());  // the undo: the node it freed
  EXPECT_TRUE(t.CheckInvariants().ok());

  PatriciaTrie moved = std::move(t);
  EXPECT_EQ(moved.Lookup(*Ipv4Address::Parse("11.2.3.4")), 3u);
  EXPECT_EQ(t.size(), 0u);  // NOLINT(bugprone-use-after-move): on purpose
  EXPECT_EQ(t.Lookup(*Ipv4Address::Parse("11.2.3.4")), kNoRoute);
  ASSERT_TRUE(t.Insert(a, 9).ok());
  EXPECT_EQ(t.Lookup(*Ipv4Address::Parse("10.9.9.9")), 9u);
  EXPECT_TRUE(t.CheckInvariants().ok());
}

TEST(LinearTableTest, LongestMaskFirstWhateverTheInsertOrder) {
  LinearTable t;
  ASSERT_TRUE(t.Insert(P("0.0.0.0/0"), 4).ok());
  ASSERT_TRUE(t.Insert(P("128.75.43.0/24"), 1).ok());
  ASSERT_TRUE(t.Insert(P("128.75.43.0/25"), 2).ok());
  EXPECT_EQ(t.Lookup(A("128.75.43.16")), 2u);
  // Past one SIMD block of eight entries.
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(
        t.Insert(Ipv4Prefix::Canonical(Ipv4Address(0x0B000000u + (i << 8)), 24),
                 10 + i)
            .ok());
  }
  EXPECT_EQ(t.Lookup(A("11.0.19.1")), 29u);
  EXPECT_EQ(t.Lookup(A("11.0.20.1")), 4u);
}

TEST(AnyLpmTest, EveryNameWorksAndUnknownNamesFail) {
  for (const std::string& name : AnyLpm::AlgorithmNames()) {
    absl::StatusOr<AnyLpm> lpm = AnyLpm::Create(name);
    ASSERT_TRUE(lpm.ok());
    EXPECT_EQ(lpm->name(), name);
    ASSERT_TRUE(lpm->Insert(P("10.0.0.0/8"), 3).ok());
    EXPECT_EQ(lpm->Lookup(A("10.9.9.9")), 3u);
    EXPECT_GT(lpm->MemoryBytes(), 0u);
  }
  absl::StatusOr<AnyLpm> bad = AnyLpm::Create("btree");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("dir24_8"));
}

TEST(AnyLpmTest, Ipv6NamesPickTheIpv6Structures) {
  EXPECT_EQ(AnyLpm6::AlgorithmNames(),
            (std::vector<std::string>{"patricia6", "poptrie6", "dxr6"}));
  for (const std::string& name : AnyLpm6::AlgorithmNames()) {
    absl::StatusOr<AnyLpm6> lpm = AnyLpm6::Create(name);
    ASSERT_TRUE(lpm.ok());
    EXPECT_EQ(lpm->name(), name);
    ASSERT_TRUE(lpm->Insert(*Ipv6Prefix::Parse("2001:db8::/32"), 3).ok());
    EXPECT_EQ(lpm->Lookup(*Ipv6Address::Parse("2001:db8:9::9")), 3u);
    EXPECT_EQ(lpm->Lookup(*Ipv6Address::Parse("2001:db9::9")), kNoRoute);
  }
  // An IPv4 name is not an IPv6 structure; the error lists the IPv6 ones.
  absl::StatusOr<AnyLpm6> bad = AnyLpm6::Create("poptrie");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("poptrie6"));
}

}  // namespace
}  // namespace nexthop
