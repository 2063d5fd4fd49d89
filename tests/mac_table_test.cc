#include "arp/mac_table.h"

#include "gtest/gtest.h"

namespace nexthop {
namespace {

using K = Forwarding::Kind;
MacAddress Mac(uint64_t v) {
  return MacAddress::FromUint64(0x020000000000 | v);
}

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

}  // namespace
}  // namespace nexthop
