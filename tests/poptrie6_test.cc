// Poptrie6 beyond the shared suite (tests/lpm6_conformance_test.cc): its
// placed trie equals a fresh build after every kind of incremental update,
// running out of room changes nothing, freed memory is reused, and the
// descent stays bounded on a corrupt trie.
#include "lpm/poptrie6.h"

#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "tests/golden_table.h"
#include "tests/ipv6_probes.h"
#include "tests/test_data.h"

namespace nexthop {
namespace {

// Nested prefixes in four /20 chunks, at every depth the updates treat
// differently: short (/16-/20), in a node's slots, a child's, deep (/65 to
// /128), so that each update rebuilds a node, reuses siblings, creates and
// removes children, and empties a chunk.
std::vector<Ipv6Prefix> NestedPool(std::mt19937_64& rng) {
  std::vector<Ipv6Prefix> pool;
  for (int i = 0; i < 300; ++i) {
    // Four /20 chunks (2001:0db8::, 2001:1db8::, 2001:2db8::, 2001:3db8::).
    const uint64_t top = (uint64_t{0x20010db8} << 32) ^ ((rng() % 4) << 44);
    const Ipv6Address a = Ipv6Address::FromHalves(
        top | (rng() & 0x0fff'ffff) >> (rng() % 28), rng());
    const int len = rng() % 8 == 0 ? 16 + static_cast<int>(rng() % 113)
                                   : 20 + static_cast<int>(rng() % 45);
    pool.push_back(Ipv6Prefix::Canonical(a, len));
  }
  return pool;
}

TEST(Poptrie6Test, UpdatesLeaveWhatAFreshBuildGives) {
  std::mt19937_64 rng(61);
  const std::vector<Ipv6Prefix> pool = NestedPool(rng);
  const std::vector<Ipv6Address> probes = testing::PrefixProbes(pool, 7);
  Poptrie6 t;
  testing::GoldenTable6 golden;
  for (int step = 0; step < 1200; ++step) {
    const Ipv6Prefix& p = pool[rng() % pool.size()];
    if (golden.Contains(p) && rng() % 2 == 0) {
      ASSERT_TRUE(t.Erase(p).ok()) << p.ToString();
      golden.Erase(p);
    } else {
      const NextHopId nh = static_cast<NextHopId>(rng() % 4);
      ASSERT_TRUE(t.Insert(p, nh).ok()) << p.ToString();
      golden.Insert(p, nh);
    }
    // CheckInvariants visits all 2^20 chunks (~0.4 s here; every step
    // took 8 minutes), so every hundredth update, mixed kinds between.
    if (step % 100 == 0) {
      ASSERT_TRUE(t.CheckInvariants().ok())
          << "step " << step << ": " << t.CheckInvariants();
      for (const Ipv6Address& a : probes) {
        ASSERT_EQ(t.Lookup(a), golden.Lookup(a)) << a.ToString();
      }
    }
  }
  // Everything erased: no node or leaf left, every chunk a leaf.
  for (const auto& [p, unused] : golden.routes()) ASSERT_TRUE(t.Erase(p).ok());
  EXPECT_EQ(t.size(), 0u);
  EXPECT_EQ(t.node_count(), 0u);
  EXPECT_EQ(t.leaf_count(), 0u);
  EXPECT_TRUE(t.CheckInvariants().ok()) << t.CheckInvariants();
}

TEST(Poptrie6Test, RunningOutOfRoomIsCleanAndChangesNothing) {
  Poptrie6::Limits limits;
  limits.max_nodes = 60;
  Poptrie6 t(limits);
  std::mt19937_64 rng(62);
  const std::vector<Ipv6Prefix> pool = NestedPool(rng);
  const std::vector<Ipv6Address> probes = testing::PrefixProbes(pool, 8);
  EXPECT_GT(testing::InsertExpectingCleanRefusals(t, pool, probes), 0);
  EXPECT_TRUE(t.CheckInvariants().ok()) << t.CheckInvariants();
}

TEST(Poptrie6Test, LimitsAreClamped) {
  // No room at all: a route that needs a node is refused, a short one
  // (direct entries only) still goes in.
  Poptrie6::Limits none;
  none.max_nodes = 0;
  none.max_leaves = 0;
  Poptrie6 t(none);
  EXPECT_EQ(t.Insert(*Ipv6Prefix::Parse("2001:db8::/32"), 1).code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(t.size(), 0u);
  ASSERT_TRUE(t.Insert(*Ipv6Prefix::Parse("2001::/16"), 2).ok());
  EXPECT_EQ(t.Lookup(*Ipv6Address::Parse("2001:db8::1")), 2u);
  // Past 2^31 node indices would read as the node bit: clamped.
  Poptrie6::Limits huge;
  huge.max_nodes = 0xFFFFFFFFu;
  Poptrie6 u(huge);
  ASSERT_TRUE(u.Insert(*Ipv6Prefix::Parse("2001:db8::/48"), 3).ok());
  EXPECT_EQ(u.Lookup(*Ipv6Address::Parse("2001:db8::1")), 3u);
}

TEST(Poptrie6Test, UpdatesReuseFreedMemory) {
  Poptrie6 t;
  std::mt19937_64 rng(63);
  const std::vector<Ipv6Prefix> pool = NestedPool(rng);
  for (const Ipv6Prefix& p : pool) ASSERT_TRUE(t.Insert(p, 1).ok());
  auto trie_bytes = [&] { return t.LookupBytes() - (size_t{4} << 20); };
  const size_t settled = trie_bytes();
  for (int round = 0; round < 50; ++round) {
    for (const Ipv6Prefix& p : pool) {
      ASSERT_TRUE(t.Insert(p, static_cast<NextHopId>(rng() % 3)).ok());
    }
  }
  EXPECT_TRUE(t.CheckInvariants().ok()) << t.CheckInvariants();
  EXPECT_LT(trie_bytes(), settled * 3 / 2);
}

TEST(Poptrie6Test, RealTableMemoryAndDepth) {
  const std::vector<Ipv6Prefix>& real = testing::RealTableIpv6Prefixes();
  Poptrie6 t;
  for (const Ipv6Prefix& p : real) ASSERT_TRUE(t.Insert(p, 1).ok());
  EXPECT_TRUE(t.CheckInvariants().ok()) << t.CheckInvariants();
  // What lookups read: the 4 MiB direct table, nodes and leaves.
  EXPECT_LT(t.LookupBytes(), size_t{8} << 20);
  std::cout << "poptrie6 on " << real.size() << " prefixes: " << t.node_count()
            << " nodes, " << t.leaf_count() << " leaves, lookup data "
            << t.LookupBytes() / 1024 << " KiB, everything "
            << t.MemoryBytes() / 1024 << " KiB\n";
}

TEST(Poptrie6NodeTest, SlotsAcrossTheHalves) {
  using internal::poptrie6::Slot6;
  const Ipv6Address a = *Ipv6Address::Parse("2001:db8:0:3:c000::");
  EXPECT_EQ(Slot6(a.hi(), a.lo(), 20), (0x1db8u >> 6) & 63);
  // Offset 62: the last two bits of hi (11) and the first four of lo (1100).
  EXPECT_EQ(Slot6(a.hi(), a.lo(), 62), 0b111100u);
  EXPECT_EQ(Slot6(a.hi(), a.lo(), 64), 0b110000u);
  EXPECT_EQ(Slot6(0, 1, 122), 1u);
}

TEST(Poptrie6NodeTest, CorruptTrieDescentIsBounded) {
  using namespace internal::poptrie6;
  // One node whose every slot continues into itself: the descent must stop
  // after the last level and answer a miss.
  Node self;
  self.vector = ~uint64_t{0};
  self.base1 = 0;
  const uint32_t direct[1] = {kNodeBit};
  const Leaf leaves[1] = {0};
  EXPECT_EQ(Resolve6(direct, &self, leaves, 0, 0), kLeafMiss);
}

}  // namespace
}  // namespace nexthop
