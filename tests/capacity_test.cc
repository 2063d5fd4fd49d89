// Capacity and failure: each limit ends in a clear error and the structure
// exactly as it was before the failed operation, compared by a digest of
// the whole table.
#include <string>

#include "absl/strings/str_cat.h"
#include "arp/mac_table.h"
#include "arp/neighbor_cache.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lpm/dir24_8.h"
#include "rib/fib.h"
#include "rib/route_loader.h"

namespace nexthop {
namespace {

using ::testing::HasSubstr;

Ipv4Prefix Slash25(uint32_t n) {  // the low half of /24 number n inside 10/8
  return Ipv4Prefix::Canonical(Ipv4Address(0x0A000000u + (n << 8)), 25);
}

TEST(CapacityTest, Dir24_8RunsOutOfGroupsAndChangesNothing) {
  Dir24_8 t(/*max_groups=*/64);
  ASSERT_TRUE(t.Insert(*Ipv4Prefix::Parse("10.0.0.0/8"), 1).ok());
  // Each /25 in a new /24 takes one group: 64 fit.
  for (uint32_t n = 0; n < 64; ++n)
    ASSERT_TRUE(t.Insert(Slash25(n), n % 100).ok()) << n;
  const uint64_t before = t.ContentDigest();
  const absl::Status s = t.Insert(Slash25(64), 7);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(s.message()), HasSubstr("all 64 tbl8 groups"));
  EXPECT_EQ(t.ContentDigest(), before);
  EXPECT_EQ(t.size(), 65u);
  // The digest does see real changes.
  ASSERT_TRUE(t.Erase(Slash25(0)).ok());
  EXPECT_NE(t.ContentDigest(), before);
}

// A Fib's whole state: every route and the structure's content.
uint64_t FibDigest(const Fib<Dir24_8>& fib) {
  std::string routes;
  fib.routes().ForEach([&](const Route& r) {
    absl::StrAppend(&routes, r.prefix.ToString(), r.next_hop.GatewayString(),
                    r.metric, ";");
  });
  return std::hash<std::string>()(routes) ^ fib.lpm().ContentDigest() ^
         fib.next_hops().size();
}

TEST(CapacityTest, MillionRouteBatchFailingInTheMiddleChangesNothing) {
  Fib<Dir24_8> fib(Dir24_8(/*max_groups=*/100));
  std::vector<Route> first = {{*Ipv4Prefix::Parse("0.0.0.0/0"), {}, 0}};
  first[0].next_hop.gateway_name = "upstream";
  ASSERT_TRUE(fib.Add(first).ok());
  const uint64_t before = FibDigest(fib);
  // 1M /24s, and past the middle more /25s than there are tbl8 groups.
  std::vector<Route> batch;
  for (uint32_t i = 0; i < 1000000; ++i) {
    Route r{
        Ipv4Prefix::Canonical(Ipv4Address(0x01000000u + (i << 8)), 24), {}, 0};
    r.next_hop.gateway = Ipv4Address(0xC0000200u + i % 200);
    batch.push_back(r);
    if (i >= 500000 && i < 500200) {
      Route longer = r;
      longer.prefix = Ipv4Prefix::Canonical(r.prefix.network(), 25);
      batch.push_back(longer);
    }
  }
  size_t failed = 0;
  absl::Status s = fib.Add(batch, &failed);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_GT(failed, 500000u);
  EXPECT_EQ(FibDigest(fib), before);
  EXPECT_EQ(fib.routes().size(), 1u);
}

TEST(CapacityTest, MillionLineFileWithOneBadLineLoadsNothing) {
  std::string text;
  text.reserve(20 * 1000001);
  for (uint32_t i = 0; i < 1000000; ++i) {
    if (i == 500000) text += "10.0.0.0/33\n";  // line 500001
    absl::StrAppend(&text, Ipv4Address(0x01000000u + (i << 8)).ToString(),
                    "/24\n");
  }
  absl::StatusOr<LoadResult> r = ParseRoutes(text, "big.txt", {});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("big.txt:500001: invalid prefix length"));
}

TEST(CapacityTest, NeighbourCacheAndMacTablePastTheirCapsChangeNothing) {
  ManualClock clock;
  NeighborCache cache(&clock, {.capacity = 8, .seed = 3});
  std::vector<NeighborAction> actions;
  for (uint32_t i = 1; i <= 8; ++i)
    cache.Resolve(Ipv4Address(0x0A000000u + i), {1}, actions);
  const std::string before = cache.FormatIpNeigh("eth0");
  const size_t bytes = cache.MemoryBytes();
  actions.clear();
  EXPECT_FALSE(cache.Resolve(*Ipv4Address::Parse("10.9.9.9"), {2}, actions));
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_THAT(actions[0].reason, HasSubstr("neighbour table full"));
  EXPECT_EQ(cache
                .AddPermanent(*Ipv4Address::Parse("10.9.9.9"),
                              MacAddress::FromUint64(0x020000000009))
                .code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(cache.FormatIpNeigh("eth0"), before);
  EXPECT_EQ(cache.MemoryBytes(), bytes);

  MacTable fdb(&clock, {.capacity = 4});
  for (uint64_t i = 1; i <= 4; ++i)
    fdb.Learn(MacAddress::FromUint64(0x020000000000 + i), 1);
  const std::string table = fdb.Format();
  fdb.Learn(MacAddress::FromUint64(0x0200000000FF), 2);
  EXPECT_EQ(fdb.AddStatic(MacAddress::FromUint64(0x0200000000FE), 3).code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(fdb.Format(), table);
}

}  // namespace
}  // namespace nexthop
