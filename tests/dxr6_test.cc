// Dxr6 beyond the shared suite (tests/lpm6_conformance_test.cc): the
// interval sweep and splice, lookup data equal to a fresh build after every
// kind of update (short, slot-wide, spliced, deep), running out of room
// changes nothing, freed memory is reused, and the bundled table.
#include "lpm/dxr6.h"

#include <iostream>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "lpm/patricia_trie.h"
#include "tests/golden_table.h"
#include "tests/ipv6_probes.h"
#include "tests/test_data.h"

namespace nexthop {
namespace {

using internal::dxr6::Interval;
using internal::dxr6::Intervals;
using internal::dxr6::kKeySpan;
using internal::dxr6::kValueDeep;
using internal::dxr6::kValueMiss;
using internal::dxr6::Span;

TEST(Dxr6RangesTest, SweepNestsAndMerges) {
  // [0,100) holds [10,20) and, inside it, [12,14); [20,30) has the value
  // of its neighbour on the left and merges with it. A deep mark of the
  // same range as a route goes inside it.
  std::vector<Span> spans = {{12, 14, 3}, {0, 100, 1}, {10, 20, 2},
                             {20, 30, 2}, {50, 51, 4}, {50, 51, kValueDeep}};
  Intervals out;
  internal::dxr6::Sweep(spans, 0, kKeySpan, kValueMiss, &out);
  const Intervals want = {{0, 1},  {10, 2},          {12, 3},
                          {14, 2}, {30, 1},          {50, kValueDeep},
                          {51, 1}, {100, kValueMiss}};
  EXPECT_EQ(out, want);
}

TEST(Dxr6RangesTest, SpliceEqualsAFullSweep) {
  std::mt19937_64 rng(5);
  for (int round = 0; round < 200; ++round) {
    std::vector<Span> all;
    for (int i = 0; i < 30; ++i) {
      const int len = 1 + static_cast<int>(rng() % 12);
      const uint32_t start = static_cast<uint32_t>(rng() % 4096) >> len << len;
      all.push_back({start, uint64_t{start} + (uint64_t{1} << len),
                     static_cast<uint16_t>(rng() % 3)});
    }
    // Replace what lies in one aligned range [from, to).
    const int len = 4 + static_cast<int>(rng() % 8);
    const uint32_t from = static_cast<uint32_t>(rng() % 4096) >> len << len;
    const uint64_t to = from + (uint64_t{1} << len);
    std::vector<Span> copy = all, inside;
    Intervals before, full, middle, spliced;
    internal::dxr6::Sweep(copy, 0, 4096, kValueMiss, &before);
    before.push_back({4096, 9});   // past the swept range: a value of its own
    all.push_back({from, to, 7});  // the change: a route over the range
    copy = all;
    internal::dxr6::Sweep(copy, 0, 4096, kValueMiss, &full);
    full.push_back({4096, 9});
    for (const Span& s : all) {
      if (s.start >= from && s.end <= to) inside.push_back(s);
    }
    internal::dxr6::Sweep(inside, from, to, 7, &middle);
    internal::dxr6::Splice(before, from, to, middle, &spliced);
    ASSERT_EQ(spliced, full) << "round " << round;
  }
}

// Prefixes at every length the updates treat differently, crowded into two
// /16 chunks and a few /24 slots: /8-/16 (chunk leaves and every slot),
// /17-/24 (whole slots), /25-/55 (spliced), longer (deep /55s).
std::vector<Ipv6Prefix> Pool(std::mt19937_64& rng) {
  std::vector<Ipv6Prefix> pool;
  for (int i = 0; i < 400; ++i) {
    const uint64_t chunk = rng() % 2 == 0 ? 0x2001 : 0x2a03;
    const uint64_t slot = rng() % 4;
    const uint64_t hi =
        chunk << 48 | slot << 40 | (rng() & 0xff'ffff'ffff) >> (rng() % 40);
    const int pick = static_cast<int>(rng() % 16);
    const int len = pick == 0   ? 8 + static_cast<int>(rng() % 9)
                    : pick < 3  ? 17 + static_cast<int>(rng() % 8)
                    : pick < 13 ? 25 + static_cast<int>(rng() % 31)
                                : 56 + static_cast<int>(rng() % 73);
    pool.push_back(
        Ipv6Prefix::Canonical(Ipv6Address::FromHalves(hi, rng()), len));
  }
  return pool;
}

TEST(Dxr6Test, UpdatesLeaveWhatAFreshBuildGives) {
  std::mt19937_64 rng(71);
  const std::vector<Ipv6Prefix> pool = Pool(rng);
  const std::vector<Ipv6Address> probes = testing::PrefixProbes(pool, 9);
  Dxr6 t;
  testing::GoldenTable6 golden;
  std::vector<NextHopId> batch(probes.size());
  for (int step = 0; step < 2000; ++step) {
    const Ipv6Prefix& p = pool[rng() % pool.size()];
    if (golden.Contains(p) && rng() % 2 == 0) {
      ASSERT_TRUE(t.Erase(p).ok()) << p.ToString();
      golden.Erase(p);
    } else {
      const NextHopId nh = static_cast<NextHopId>(rng() % 4);
      ASSERT_TRUE(t.Insert(p, nh).ok()) << p.ToString();
      golden.Insert(p, nh);
    }
    if (step % 50 == 0) {
      ASSERT_TRUE(t.CheckInvariants().ok())
          << "step " << step << ": " << t.CheckInvariants();
      t.LookupBatch(probes, batch);
      for (size_t i = 0; i < probes.size(); ++i) {
        ASSERT_EQ(t.Lookup(probes[i]), golden.Lookup(probes[i]))
            << probes[i].ToString() << " at step " << step;
        ASSERT_EQ(batch[i], golden.Lookup(probes[i])) << probes[i].ToString();
      }
    }
  }
  // Everything erased: no tree or block left, every chunk a miss.
  for (const auto& [p, unused] : golden.routes()) ASSERT_TRUE(t.Erase(p).ok());
  EXPECT_EQ(t.size(), 0u);
  EXPECT_EQ(t.lines_in_use(), 0u);
  EXPECT_TRUE(t.CheckInvariants().ok()) << t.CheckInvariants();
}

TEST(Dxr6Test, RunningOutOfRoomIsCleanAndChangesNothing) {
  Dxr6::Limits limits;
  limits.max_lines = 12;
  Dxr6 t(limits);
  std::mt19937_64 rng(72);
  const std::vector<Ipv6Prefix> pool = Pool(rng);
  const std::vector<Ipv6Address> probes = testing::PrefixProbes(pool, 10);
  EXPECT_GT(testing::InsertExpectingCleanRefusals(t, pool, probes), 0);
  EXPECT_TRUE(t.CheckInvariants().ok()) << t.CheckInvariants();
}

TEST(Dxr6Test, UpdatesReuseFreedMemory) {
  Dxr6 t;
  std::mt19937_64 rng(73);
  const std::vector<Ipv6Prefix> pool = Pool(rng);
  for (const Ipv6Prefix& p : pool) ASSERT_TRUE(t.Insert(p, 1).ok());
  const size_t settled = t.LookupBytes();
  for (int round = 0; round < 50; ++round) {
    for (const Ipv6Prefix& p : pool) {
      ASSERT_TRUE(t.Insert(p, static_cast<NextHopId>(rng() % 3)).ok());
    }
  }
  EXPECT_TRUE(t.CheckInvariants().ok()) << t.CheckInvariants();
  EXPECT_LT(t.LookupBytes(), settled * 3 / 2);
}

TEST(Dxr6Test, RealTableAgreesWithPatriciaAndFitsInCache) {
  const std::vector<Ipv6Prefix>& real = testing::RealTableIpv6Prefixes();
  Dxr6 t, bulk;
  PatriciaTrie6 ref;
  std::mt19937_64 rng(74);
  std::vector<NextHopId> nhs;
  for (const Ipv6Prefix& p : real) {
    nhs.push_back(static_cast<NextHopId>(rng() % 255));
    ASSERT_TRUE(t.Insert(p, nhs.back()).ok()) << p.ToString();
    ASSERT_TRUE(ref.Insert(p, nhs.back()).ok());
  }
  EXPECT_TRUE(t.CheckInvariants().ok()) << t.CheckInvariants();
  ASSERT_TRUE(bulk.Assign(real, nhs).ok());
  EXPECT_TRUE(bulk.CheckInvariants().ok()) << bulk.CheckInvariants();
  std::vector<Ipv6Prefix> sample;
  for (size_t i = 0; i < real.size(); i += 7) sample.push_back(real[i]);
  const std::vector<Ipv6Address> probes = testing::PrefixProbes(sample, 11);
  std::vector<NextHopId> batch(probes.size());
  t.LookupBatch(probes, batch);
  for (size_t i = 0; i < probes.size(); ++i) {
    ASSERT_EQ(t.Lookup(probes[i]), ref.Lookup(probes[i]))
        << probes[i].ToString();
    ASSERT_EQ(batch[i], ref.Lookup(probes[i])) << probes[i].ToString();
  }
  // The point of the design: lookup data small enough for the caches.
  EXPECT_LT(t.LookupBytes(), size_t{6} << 20);
  EXPECT_EQ(testing::LookupDigest(bulk, probes),
            testing::LookupDigest(t, probes));
  EXPECT_LE(bulk.LookupBytes(), t.LookupBytes());
  std::cout << "dxr6 on " << real.size() << " prefixes: " << t.lines_in_use()
            << " lines (" << bulk.lines_in_use()
            << " built at once), lookup data " << t.LookupBytes() / 1024
            << " KiB, everything " << t.MemoryBytes() / 1024 << " KiB\n";
}

TEST(Dxr6Test, AssignBuildsWhatInsertsBuildAndIsAllOrNothing) {
  std::mt19937_64 rng(75);
  const std::vector<Ipv6Prefix> pool = Pool(rng);
  std::vector<NextHopId> nhs;
  Dxr6 by_insert;
  for (const Ipv6Prefix& p : pool) {
    nhs.push_back(static_cast<NextHopId>(rng() % 5));
    ASSERT_TRUE(by_insert.Insert(p, nhs.back()).ok());
  }
  Dxr6 t;
  ASSERT_TRUE(t.Insert(*Ipv6Prefix::Parse("2400::/12"), 9).ok());
  ASSERT_TRUE(t.Assign(pool, nhs).ok());
  EXPECT_TRUE(t.CheckInvariants().ok()) << t.CheckInvariants();
  EXPECT_EQ(t.size(), by_insert.size());
  const std::vector<Ipv6Address> probes = testing::PrefixProbes(pool, 12);
  EXPECT_EQ(testing::LookupDigest(t, probes),
            testing::LookupDigest(by_insert, probes));
  EXPECT_EQ(t.Lookup(*Ipv6Address::Parse("2400::1")), kNoRoute);
  // A next hop past the limit: refused, the table as it was.
  std::vector<NextHopId> bad = nhs;
  bad[bad.size() / 2] = Dxr6::kMaxNextHop + 1;
  EXPECT_EQ(t.Assign(pool, bad).code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(testing::LookupDigest(t, probes),
            testing::LookupDigest(by_insert, probes));
  EXPECT_TRUE(t.CheckInvariants().ok()) << t.CheckInvariants();
}

}  // namespace
}  // namespace nexthop
