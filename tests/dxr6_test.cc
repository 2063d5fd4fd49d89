// Dxr6 beyond the shared suite (tests/lpm6_conformance_test.cc): the
// interval sweep and splice, lookup data equal to a fresh build after every
// kind of update (short, slot-wide, spliced, deep), running out of room
// changes nothing, freed memory is reused, and the bundled table.
#include "lpm/dxr6.h"

#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
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
  // One next hop short: refused, the table as it was.
  bad = nhs;
  bad.pop_back();
  const absl::Status short_list = t.Assign(pool, bad);
  EXPECT_EQ(short_list.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(short_list.message()),
              ::testing::HasSubstr("next hops"));
  EXPECT_EQ(testing::LookupDigest(t, probes),
            testing::LookupDigest(by_insert, probes));
  // Too little room for the build: refused, the table as it was.
  Dxr6::Limits tiny;
  tiny.max_lines = 4;
  Dxr6 small(tiny);
  ASSERT_TRUE(small.Insert(*Ipv6Prefix::Parse("2001:db8::/32"), 7).ok());
  EXPECT_EQ(small.Assign(pool, nhs).code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(small.size(), 1u);
  EXPECT_EQ(small.Lookup(*Ipv6Address::Parse("2001:db8::1")), 7u);
  EXPECT_TRUE(small.CheckInvariants().ok()) << small.CheckInvariants();
  EXPECT_TRUE(t.CheckInvariants().ok()) << t.CheckInvariants();
}

// Edge cases (from a review): routes of every length the code treats
// apart (0, 15-17, 23-25, 31, 54-56, 63-65, 127, 128) in the first and
// last chunks and slots, all-ones addresses, the largest next hop, with
// and without a grace period; a dense /24 spliced 20,000 times; and every
// accepted update undone as Fib undoes a batch, at tiny limits.
struct CountingGp : GracePeriod {
  int n = 0;
  void Synchronize() override { ++n; }
};

void CheckAll(const Dxr6& t, const testing::GoldenTable6& g,
              const std::vector<Ipv6Address>& probes, const std::string& what) {
  ASSERT_TRUE(t.CheckInvariants().ok()) << what << ": " << t.CheckInvariants();
  std::vector<NextHopId> batch(probes.size());
  t.LookupBatch(probes, batch);
  for (size_t i = 0; i < probes.size(); ++i) {
    ASSERT_EQ(t.Lookup(probes[i]), g.Lookup(probes[i]))
        << what << " " << probes[i].ToString();
    ASSERT_EQ(batch[i], g.Lookup(probes[i]))
        << what << " batch " << probes[i].ToString();
  }
}

std::vector<Ipv6Prefix> EdgePool(std::mt19937_64& rng) {
  std::vector<Ipv6Prefix> pool;
  const int lens[] = {0,  1,  15, 16, 17, 23, 24,  25, 31,
                      54, 55, 56, 63, 64, 65, 127, 128};
  for (int i = 0; i < 300; ++i) {
    const uint64_t chunk =
        (rng() % 3 == 0) ? 0xFFFF : (rng() % 2 ? 0x0000 : 0xFFFE);
    const uint64_t slot = rng() % 3 == 0 ? 255 : rng() % 2 ? 0 : 254;
    uint64_t low = rng() % 4 == 0   ? 0xFF'FFFF'FFFFull
                   : rng() % 3 == 0 ? 0
                                    : (rng() & 0xFF'FFFF'FFFFull);
    const uint64_t hi = chunk << 48 | slot << 40 | low;
    const uint64_t lo = rng() % 2 ? ~uint64_t{0} : rng();
    const int len = lens[rng() % (sizeof(lens) / sizeof(lens[0]))];
    pool.push_back(Ipv6Prefix::Canonical(Ipv6Address::FromHalves(hi, lo), len));
  }
  return pool;
}

std::vector<Ipv6Address> EdgeProbes(const std::vector<Ipv6Prefix>& pool) {
  std::vector<Ipv6Address> probes = testing::PrefixProbes(pool, 3);
  probes.push_back(Ipv6Address::FromHalves(~uint64_t{0}, ~uint64_t{0}));
  probes.push_back(Ipv6Address::FromHalves(0, 0));
  for (const auto& p : pool) {
    const uint64_t hi = p.network().hi();
    probes.push_back(Ipv6Address::FromHalves(hi, 0));
    probes.push_back(
        Ipv6Address::FromHalves(hi | ((uint64_t{1} << 9) - 1), ~uint64_t{0}));
    probes.push_back(Ipv6Address::FromHalves(hi - 1, ~uint64_t{0}));
  }
  return probes;
}

void RunEdge(Dxr6& t, uint64_t seed, int steps, bool max_nh) {
  std::mt19937_64 rng(seed);
  const std::vector<Ipv6Prefix> pool = EdgePool(rng);
  const std::vector<Ipv6Address> probes = EdgeProbes(pool);
  testing::GoldenTable6 golden;
  for (int step = 0; step < steps; ++step) {
    const Ipv6Prefix& p = pool[rng() % pool.size()];
    if (golden.Contains(p) && rng() % 2 == 0) {
      ASSERT_TRUE(t.Erase(p).ok()) << p.ToString();
      golden.Erase(p);
    } else {
      NextHopId nh = static_cast<NextHopId>(rng() % 4);
      if (max_nh && rng() % 2) nh = Dxr6::kMaxNextHop - nh;
      absl::Status s = t.Insert(p, nh);
      ASSERT_TRUE(s.ok()) << p.ToString() << " " << s;
      golden.Insert(p, nh);
    }
    if (step % 25 == 0)
      CheckAll(t, golden, probes,
               "step " + std::to_string(step) + " after " + p.ToString());
  }
  CheckAll(t, golden, probes, "end");
  std::vector<Ipv6Prefix> left;
  for (const auto& [p, unused] : golden.routes()) left.push_back(p);
  for (const auto& p : left) {
    ASSERT_TRUE(t.Erase(p).ok());
    golden.Erase(p);
    if (rng() % 8 == 0) CheckAll(t, golden, probes, "erase " + p.ToString());
  }
  EXPECT_EQ(t.lines_in_use(), 0u);
  CheckAll(t, golden, probes, "empty");
}

TEST(Dxr6EdgeTest, EdgesNoGp) {
  Dxr6 t;
  RunEdge(t, 1, 1500, true);
}
TEST(Dxr6EdgeTest, EdgesGp) {
  Dxr6 t;
  CountingGp gp;
  t.SetGracePeriod(&gp, 4096);
  RunEdge(t, 2, 1500, true);
}
TEST(Dxr6EdgeTest, ReservedNextHops) {
  Dxr6 t;
  EXPECT_FALSE(t.Insert(*Ipv6Prefix::Parse("2001:db8::/32"), 0xFFFE).ok());
  EXPECT_FALSE(t.Insert(*Ipv6Prefix::Parse("2001:db8::/32"), 0xFFFF).ok());
  EXPECT_TRUE(t.Insert(*Ipv6Prefix::Parse("2001:db8::/32"), 0xFFFD).ok());
  EXPECT_EQ(t.Lookup(*Ipv6Address::Parse("2001:db8::1")), 0xFFFDu);
}

// Big slot: deep trees and many splices.
TEST(Dxr6EdgeTest, DenseSlotSplices) {
  for (int gpmode = 0; gpmode < 2; ++gpmode) {
    Dxr6 t;
    CountingGp gp;
    if (gpmode) t.SetGracePeriod(&gp, 1 << 16);
    std::mt19937_64 rng(9 + gpmode);
    std::vector<Ipv6Prefix> pool;
    for (int i = 0; i < 6000; ++i) {
      const uint64_t hi = uint64_t{0x2001} << 48 | uint64_t{0xdb} << 40 |
                          (rng() & 0xFF'FFFF'FFFFull);
      const int len = 25 + static_cast<int>(rng() % 40);
      pool.push_back(
          Ipv6Prefix::Canonical(Ipv6Address::FromHalves(hi, rng()), len));
    }
    std::vector<Ipv6Address> probes = testing::PrefixProbes(pool, 4);
    testing::GoldenTable6 golden;
    for (int step = 0; step < 20000; ++step) {
      const Ipv6Prefix& p = pool[rng() % pool.size()];
      if (golden.Contains(p) && rng() % 3 == 0) {
        ASSERT_TRUE(t.Erase(p).ok());
        golden.Erase(p);
      } else {
        const NextHopId nh = rng() % 3;
        ASSERT_TRUE(t.Insert(p, nh).ok());
        golden.Insert(p, nh);
      }
      if (step % 2000 == 0)
        CheckAll(t, golden, probes, "dense step " + std::to_string(step));
    }
    CheckAll(t, golden, probes, "dense end");
  }
}

// Tight lines with undo: an update and its inverse.
TEST(Dxr6EdgeTest, UndoAlwaysFitsTight) {
  for (uint32_t cap : {2u, 3u, 5u, 8u, 17u, 40u, 100u}) {
    for (int gpmode = 0; gpmode < 2; ++gpmode) {
      Dxr6::Limits lim;
      lim.max_lines = cap;
      lim.max_blocks = 2;
      Dxr6 t(lim);
      CountingGp gp;
      if (gpmode) t.SetGracePeriod(&gp, 1 << 20);
      std::mt19937_64 rng(cap * 7 + gpmode);
      std::vector<Ipv6Prefix> pool = Pool(rng);
      std::vector<Ipv6Address> probes = testing::PrefixProbes(pool, 4);
      testing::GoldenTable6 golden;
      int refused = 0, undo_fail = 0;
      for (int step = 0; step < 1500; ++step) {
        const Ipv6Prefix& p = pool[rng() % pool.size()];
        std::optional<NextHopId> before;
        if (golden.Contains(p)) before = golden.routes().at(p);
        absl::Status s;
        std::optional<NextHopId> after;
        if (before && rng() % 2 == 0) {
          s = t.Erase(p);
        } else {
          after = rng() % 4;
          s = t.Insert(p, *after);
        }
        if (!s.ok()) {
          ++refused;
          ASSERT_EQ(s.code(), absl::StatusCode::kResourceExhausted) << s;
          continue;
        }
        // Undo it, as Fib does.
        absl::Status u = before ? t.Insert(p, *before) : t.Erase(p);
        if (!u.ok()) {
          ++undo_fail;
          ADD_FAILURE() << "undo failed cap=" << cap << " gp=" << gpmode << " "
                        << p.ToString() << " " << u;
          if (after)
            golden.Insert(p, *after);
          else
            golden.Erase(p);
        }
        // Then redo it for real sometimes.
        if (u.ok() && rng() % 2) {
          absl::Status r = after ? t.Insert(p, *after) : t.Erase(p);
          if (r.ok()) {
            if (after)
              golden.Insert(p, *after);
            else
              golden.Erase(p);
          }
        }
        if (step % 100 == 0) CheckAll(t, golden, probes, "tight");
        if (undo_fail > 3) return;
      }
      CheckAll(t, golden, probes, "tight end");
      std::cout << "max_lines " << cap << (gpmode ? " with" : " without")
                << " a grace period: " << refused << " refused\n";
    }
  }
}

}  // namespace
}  // namespace nexthop
