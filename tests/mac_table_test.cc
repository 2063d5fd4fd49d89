#include "arp/mac_table.h"

#include "gtest/gtest.h"

namespace nexthop {
namespace {

using K = Forwarding::Kind;
MacAddress Mac(uint64_t v) {
  return MacAddress::FromUint64(0x020000000000 | v);
}

// A ManualClock that counts how often it is read: the table's work per
// frame shows in its clock reads (a scan of the table for expired entries
// reads the time once per entry), with no timing in the test.
class CountingClock final : public Clock {
 public:
  absl::Time Now() const override {
    ++reads_;
    return clock_.Now();
  }
  void Advance(absl::Duration d) { clock_.Advance(d); }
  uint64_t reads() const { return reads_; }

 private:
  ManualClock clock_;
  mutable uint64_t reads_ = 0;
};

TEST(MacTableTest, Example7FloodThenLearn) {
  ManualClock clock;
  MacTable fdb(&clock, {});
  // A (port 1) sends to B: unknown, flooded; the switch learns A.
  fdb.Learn(Mac(0xA), 1);
  EXPECT_EQ(fdb.Forward(Mac(0xB), 1).kind, K::kFlood);
  // B answers from port 2: A is known now, so it goes to port 1 only.
  fdb.Learn(Mac(0xB), 2);
  Forwarding f = fdb.Forward(Mac(0xA), 2);
  EXPECT_EQ(f.kind, K::kUnicast);
  EXPECT_EQ(f.port, 1);
  EXPECT_EQ(fdb.Forward(Mac(0xB), 1).port, 2);
  // Broadcasts always flood; a destination on the ingress port is filtered.
  EXPECT_EQ(fdb.Forward(MacAddress::Broadcast(), 1).kind, K::kFlood);
  EXPECT_EQ(fdb.Forward(Mac(0xA), 1).kind, K::kFilter);
  fdb.Learn(MacAddress::Broadcast(), 3);  // never learned
  EXPECT_EQ(fdb.size(), 2u);
}

TEST(MacTableTest, StationMovesAndAges) {
  ManualClock clock;
  MacTable fdb(&clock, {.aging_time = absl::Seconds(300)});
  fdb.Learn(Mac(1), 1);
  fdb.Learn(Mac(1), 4);
  EXPECT_EQ(fdb.Forward(Mac(1), 2).port, 4);
  EXPECT_EQ(fdb.moves(), 1u);
  clock.Advance(absl::Seconds(299));
  EXPECT_EQ(fdb.Forward(Mac(1), 2).kind, K::kUnicast);
  clock.Advance(absl::Seconds(1));
  EXPECT_EQ(fdb.Forward(Mac(1), 2).kind, K::kFlood);
  fdb.Age();
  EXPECT_EQ(fdb.size(), 0u);
}

TEST(MacTableTest, StaticEntriesStayAndCannotBeRelearned) {
  ManualClock clock;
  MacTable fdb(&clock, {});
  ASSERT_TRUE(fdb.AddStatic(Mac(9), 3).ok());
  fdb.Learn(Mac(9), 1);  // a spoofer on port 1
  clock.Advance(absl::Hours(1));
  fdb.Age();
  EXPECT_EQ(fdb.Forward(Mac(9), 1).port, 3);
  EXPECT_FALSE(fdb.AddStatic(MacAddress::Broadcast(), 1).ok());
  EXPECT_TRUE(fdb.Remove(Mac(9)).ok());
  EXPECT_EQ(fdb.Remove(Mac(9)).code(), absl::StatusCode::kNotFound);
}

TEST(MacTableTest, FullTableRefusesNewAddressesKeepsKnownOnes) {
  ManualClock clock;
  MacTable fdb(&clock, {.capacity = 4});
  for (uint64_t i = 1; i <= 4; ++i) fdb.Learn(Mac(i), static_cast<int>(i));
  for (uint64_t i = 100; i < 10000; ++i) fdb.Learn(Mac(i), 7);  // a MAC flood
  EXPECT_EQ(fdb.size(), 4u);
  EXPECT_EQ(fdb.refused(), 9900u);
  for (uint64_t i = 1; i <= 4; ++i)
    EXPECT_EQ(fdb.Forward(Mac(i), 9).port, static_cast<int>(i));
  EXPECT_EQ(fdb.AddStatic(Mac(5000), 1).code(),
            absl::StatusCode::kResourceExhausted);
  // Once entries age out there is room again.
  clock.Advance(absl::Seconds(301));
  fdb.Learn(Mac(5000), 2);
  EXPECT_EQ(fdb.Forward(Mac(5000), 1).port, 2);
  EXPECT_EQ(fdb.size(), 1u);
}

TEST(MacTableTest, FloodAtCapacityCostsConstantWorkPerFrame) {
  CountingClock clock;
  constexpr uint64_t kCapacity = 1024;
  MacTable fdb(&clock, {.capacity = kCapacity});
  for (uint64_t i = 0; i < kCapacity; ++i) {
    fdb.Learn(Mac(i), static_cast<int>(i % 8));
  }
  // A flood of new sources while the stations keep talking and time moves
  // on (but no station expires): each frame must cost O(1), not a scan.
  constexpr uint64_t kFrames = 100000;
  const uint64_t reads_before = clock.reads();
  for (uint64_t k = 0; k < kFrames; ++k) {
    fdb.Learn(Mac(0x100000 + k), 7);
    if (k % 1000 == 999) {
      clock.Advance(absl::Seconds(1));
      for (uint64_t i = 0; i < kCapacity; i += 3) {
        fdb.Learn(Mac(i), static_cast<int>(i % 8));
      }
    }
  }
  const uint64_t refreshes = (kFrames / 1000) * ((kCapacity + 2) / 3);
  EXPECT_LE(clock.reads() - reads_before, 2 * (kFrames + refreshes))
      << "clock reads per flood frame: "
      << static_cast<double>(clock.reads() - reads_before) / kFrames;
  EXPECT_EQ(fdb.refused(), kFrames);
  EXPECT_EQ(fdb.size(), kCapacity);
  for (uint64_t i = 0; i < kCapacity; ++i) {
    ASSERT_EQ(fdb.Forward(Mac(i), 9).port, static_cast<int>(i % 8)) << i;
  }
}

TEST(MacTableTest, AtCapacityOnlyExpiredEntriesMakeRoom) {
  ManualClock clock;
  MacTable fdb(&clock, {.capacity = 4, .aging_time = absl::Seconds(300)});
  for (uint64_t i = 1; i <= 4; ++i) fdb.Learn(Mac(i), static_cast<int>(i));
  clock.Advance(absl::Seconds(200));
  fdb.Learn(Mac(1), 1);               // 1 and 2 are seen again, 3 and 4 are not
  fdb.Learn(Mac(2), 5);               // (and 2 moved)
  clock.Advance(absl::Seconds(100));  // 3 and 4 expire now
  fdb.Learn(Mac(10), 6);
  fdb.Learn(Mac(11), 6);
  fdb.Learn(Mac(12), 6);  // no room: 1, 2, 10 and 11 are live
  EXPECT_EQ(fdb.size(), 4u);
  EXPECT_EQ(fdb.refused(), 1u);
  EXPECT_EQ(fdb.Forward(Mac(1), 9).port, 1);
  EXPECT_EQ(fdb.Forward(Mac(2), 9).port, 5);
  EXPECT_EQ(fdb.Forward(Mac(3), 9).kind, K::kFlood);
  EXPECT_EQ(fdb.Forward(Mac(11), 9).port, 6);
  EXPECT_EQ(fdb.Forward(Mac(12), 9).kind, K::kFlood);
  // 1 and 2 expire at 500 s, 10 and 11 at 600 s.
  clock.Advance(absl::Seconds(199));
  fdb.Learn(Mac(13), 6);
  EXPECT_EQ(fdb.refused(), 2u);
  clock.Advance(absl::Seconds(1));
  fdb.Learn(Mac(13), 6);
  fdb.Learn(Mac(14), 6);
  fdb.Learn(Mac(15), 6);
  EXPECT_EQ(fdb.refused(), 3u);
  EXPECT_EQ(fdb.Forward(Mac(1), 9).kind, K::kFlood);
  EXPECT_EQ(fdb.Forward(Mac(14), 9).port, 6);
  // Removed and static entries leave stale heap records behind; churning
  // through them must neither lose track of expiry nor grow without bound.
  size_t warm_bytes = 0;
  for (int round = 0; round < 10000; ++round) {
    if (round == 1000) warm_bytes = fdb.MemoryBytes();
    ASSERT_TRUE(fdb.Remove(Mac(14)).ok());
    if (round % 2 == 0) {
      ASSERT_TRUE(fdb.AddStatic(Mac(14), 2).ok());
      ASSERT_TRUE(fdb.Remove(Mac(14)).ok());
    }
    fdb.Learn(Mac(14), 6);
  }
  EXPECT_LE(fdb.MemoryBytes(), warm_bytes);
  fdb.Age();
  EXPECT_EQ(fdb.size(), 4u);
  clock.Advance(absl::Seconds(100));  // 10 and 11 expire; 13 and 14 stay
  fdb.Age();
  EXPECT_EQ(fdb.size(), 2u);
  EXPECT_EQ(fdb.Forward(Mac(10), 9).kind, K::kFlood);
  EXPECT_EQ(fdb.Forward(Mac(13), 9).port, 6);
}

}  // namespace
}  // namespace nexthop
