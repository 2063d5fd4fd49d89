#include "rib/fib.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lpm/dir24_8.h"
#include "lpm/patricia_trie.h"
#include "rib/route_loader.h"

namespace nexthop {
namespace {

using ::testing::HasSubstr;

Route R(const char* prefix, const char* gw, uint32_t metric = 0) {
  Route r{*Ipv4Prefix::Parse(prefix), {}, metric};
  r.next_hop.gateway = *Ipv4Address::Parse(gw);
  return r;
}
Ipv4Address A(const char* text) { return *Ipv4Address::Parse(text); }

std::string Via(const Fib<PatriciaTrie>& fib, const char* a) {
  auto m = fib.Lookup(A(a));
  return m ? m->route.next_hop.GatewayString() : "miss";
}

TEST(FibTest, LowestMetricIsForwardedAndFallsBack) {
  Fib<PatriciaTrie> fib;
  std::vector<Route> routes = {R("10.0.0.0/8", "1.1.1.1", 100),
                               R("10.0.0.0/8", "2.2.2.2", 50),
                               R("0.0.0.0/0", "9.9.9.9")};
  ASSERT_TRUE(fib.Add(routes).ok());
  EXPECT_EQ(Via(fib, "10.1.1.1"), "2.2.2.2");
  ASSERT_TRUE(
      fib.Remove(std::vector<Route>{R("10.0.0.0/8", "2.2.2.2", 50)}).ok());
  EXPECT_EQ(Via(fib, "10.1.1.1"), "1.1.1.1");
  ASSERT_TRUE(
      fib.Remove(std::vector<Route>{R("10.0.0.0/8", "1.1.1.1", 100)}).ok());
  EXPECT_EQ(Via(fib, "10.1.1.1"), "9.9.9.9");
  EXPECT_EQ(fib.lpm().size(), 1u);
}

TEST(FibTest, TiesDoNotDependOnArrivalOrder) {
  Fib<PatriciaTrie> a, b;
  ASSERT_TRUE(a.Add(std::vector<Route>{R("1.0.0.0/24", "203.0.113.9"),
                                       R("1.0.0.0/24", "203.0.113.2")})
                  .ok());
  ASSERT_TRUE(b.Add(std::vector<Route>{R("1.0.0.0/24", "203.0.113.2"),
                                       R("1.0.0.0/24", "203.0.113.9")})
                  .ok());
  EXPECT_EQ(Via(a, "1.0.0.1"), "203.0.113.2");
  EXPECT_EQ(Via(b, "1.0.0.1"), "203.0.113.2");
}

std::vector<std::string> Dump(const RouteTable& t) {
  std::vector<std::string> out;
  t.ForEach([&](const Route& r) {
    out.push_back(r.prefix.ToString() + " " + r.next_hop.GatewayString() + " " +
                  std::to_string(r.metric));
  });
  return out;
}

// The table stores each next hop once, shared by its routes, and forgets
// it with its last route; a route that differs only in next hop or metric
// is another route.
TEST(FibTest, RouteTableSharesNextHops) {
  RouteTable t;
  ASSERT_TRUE(t.Add(R("10.0.0.0/8", "1.1.1.1", 5)).ok());
  ASSERT_TRUE(t.Add(R("11.0.0.0/8", "1.1.1.1", 5)).ok());
  ASSERT_TRUE(t.Add(R("10.0.0.0/8", "1.1.1.1", 6)).ok());
  ASSERT_TRUE(t.Add(R("10.0.0.0/8", "2.2.2.2", 1)).ok());
  EXPECT_EQ(t.Add(R("11.0.0.0/8", "1.1.1.1", 5)).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(t.size(), 4u);
  EXPECT_EQ(t.next_hop_count(), 2u);
  EXPECT_EQ(Dump(t), (std::vector<std::string>{
                         "10.0.0.0/8 2.2.2.2 1", "10.0.0.0/8 1.1.1.1 5",
                         "10.0.0.0/8 1.1.1.1 6", "11.0.0.0/8 1.1.1.1 5"}));
  EXPECT_EQ(t.Remove(R("10.0.0.0/8", "3.3.3.3", 1)).code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(t.Remove(R("10.0.0.0/8", "2.2.2.2", 1)).ok());
  EXPECT_EQ(t.next_hop_count(), 1u);
  EXPECT_EQ(t.Best(*Ipv4Prefix::Parse("10.0.0.0/8")),
            R("10.0.0.0/8", "1.1.1.1", 5));
  ASSERT_TRUE(t.Add(R("12.0.0.0/8", "3.3.3.3", 0)).ok());  // reuses a slot
  EXPECT_EQ(t.next_hop_count(), 2u);
  EXPECT_EQ(t.Best(*Ipv4Prefix::Parse("12.0.0.0/8")),
            R("12.0.0.0/8", "3.3.3.3", 0));
  EXPECT_EQ(t.Best(*Ipv4Prefix::Parse("13.0.0.0/8")), std::nullopt);
}

TEST(FibTest, FailedBatchChangesNothing) {
  Fib<Dir24_8> fib(Dir24_8(/*max_groups=*/1));
  ASSERT_TRUE(fib.Add(std::vector<Route>{R("10.0.0.0/8", "1.1.1.1"),
                                         R("10.0.0.0/8", "1.1.1.2", 10),
                                         R("10.0.1.0/25", "2.2.2.2")})
                  .ok());
  const auto routes_before = Dump(fib.routes());
  const size_t hops_before = fib.next_hops().size();
  // The third route needs a second tbl8 group, which does not exist.
  std::vector<Route> batch = {
      R("10.0.0.0/8", "3.3.3.3", 0),  // new best? no: ties
      R("10.0.1.128/25", "4.4.4.4"), R("10.0.2.0/25", "5.5.5.5")};
  size_t failed = 99;
  absl::Status s = fib.Add(batch, &failed);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(failed, 2u);
  EXPECT_THAT(std::string(s.message()), HasSubstr("route 2 (10.0.2.0/25)"));
  EXPECT_EQ(Dump(fib.routes()), routes_before);
  EXPECT_EQ(fib.next_hops().size(), hops_before);
  EXPECT_EQ(fib.Lookup(A("10.0.1.200"))->route.next_hop.GatewayString(),
            "1.1.1.1");
  EXPECT_EQ(fib.Lookup(A("10.0.1.1"))->prefix.ToString(), "10.0.1.0/25");
  EXPECT_EQ(fib.lpm().size(), 2u);
  EXPECT_TRUE(fib.lpm().CheckInvariants().ok());
}

TEST(FibTest, FailedRemoveChangesNothing) {
  Fib<PatriciaTrie> fib;
  ASSERT_TRUE(fib.Add(std::vector<Route>{R("10.0.0.0/8", "1.1.1.1"),
                                         R("10.0.0.0/8", "1.1.1.2")})
                  .ok());
  const auto before = Dump(fib.routes());
  absl::Status s = fib.Remove(std::vector<Route>{R("10.0.0.0/8", "1.1.1.1"),
                                                 R("11.0.0.0/8", "1.1.1.1")});
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Dump(fib.routes()), before);
  EXPECT_EQ(Via(fib, "10.2.3.4"), "1.1.1.1");
}

TEST(FibTest, DuplicateRouteIsRefused) {
  Fib<PatriciaTrie> fib;
  ASSERT_TRUE(fib.Add(std::vector<Route>{R("10.0.0.0/8", "1.1.1.1")}).ok());
  EXPECT_EQ(fib.Add(std::vector<Route>{R("10.0.0.0/8", "1.1.1.1")}).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(fib.routes().size(), 1u);
}

TEST(FibTest, Example1FromItsFile) {
  absl::StatusOr<LoadResult> r = ParseRoutes(
      "0.0.0.0 192.168.1.1 0.0.0.0 UG 0 0 0 eth0\n"
      "192.168.1.0 0.0.0.0 255.255.255.0 U 0 0 0 eth0\n",
      "ex1", {});
  ASSERT_TRUE(r.ok());
  Fib<PatriciaTrie> fib;
  ASSERT_TRUE(fib.Add(r->routes).ok());
  EXPECT_EQ(Via(fib, "110.242.68.3"), "192.168.1.1");
  auto lan = fib.Lookup(A("192.168.1.102"));
  ASSERT_TRUE(lan);
  EXPECT_TRUE(lan->route.next_hop.on_link());
  EXPECT_EQ(lan->prefix.ToString(), "192.168.1.0/24");
}

}  // namespace
}  // namespace nexthop
