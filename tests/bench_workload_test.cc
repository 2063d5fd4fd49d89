#include <fstream>

#include "absl/container/flat_hash_map.h"
#include "bench/harness/workload.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lpm/patricia_trie.h"
#include "tests/test_data.h"

namespace nexthop::bench {
namespace {

using ::testing::HasSubstr;

RouteSet Small() {
  RouteSet s;
  s.name = "small";
  for (const char* p : {"10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24",
                        "192.168.0.0/16", "192.168.1.0/24", "172.16.0.0/12"}) {
    s.prefixes.push_back(*Ipv4Prefix::Parse(p));
  }
  return s;
}

TEST(NextHopModelTest, RoundRobinAndBlock) {
  RouteSet s = Small();
  EXPECT_THAT(*AssignNextHops(s, "rr:4"),
              ::testing::ElementsAre(0, 1, 2, 3, 0, 1));
  std::vector<NextHopId> block = *AssignNextHops(s, "block:1000");
  EXPECT_EQ(block[1], block[2]);  // 10.1.0.0/16 and 10.1.2.0/24 share a /16
  EXPECT_EQ(block[3], block[4]);
  for (NextHopId nh : block) EXPECT_LT(nh, 1000u);
  EXPECT_THAT(std::string(AssignNextHops(s, "rr:0").status().message()),
              HasSubstr("rr:"));
  EXPECT_FALSE(AssignNextHops(s, "hash:3").ok());
  EXPECT_FALSE(AssignNextHops(s, "file").ok());  // no next-hop column
}

TEST(TrafficTest, ModelsAndErrors) {
  RouteSet s = Small();
  PatriciaTrie t;
  for (const Ipv4Prefix& p : s.prefixes) ASSERT_TRUE(t.Insert(p, 1).ok());
  auto matched = *MakeTraffic(s, "matched", 10000, 1);
  ASSERT_EQ(matched.size(), 10000u);
  for (Ipv4Address a : matched)
    ASSERT_NE(t.Lookup(a), kNoRoute) << a.ToString();
  auto zipf = *MakeTraffic(s, "zipf:1.2", 100000, 1);
  absl::flat_hash_map<uint32_t, int> counts;
  for (Ipv4Address a : zipf) ++counts[a.value()];
  int top = 0;
  for (const auto& [a, c] : counts) top = std::max(top, c);
  EXPECT_GT(top, 100000 / 20);  // the hottest flow is far above uniform
  for (Ipv4Address a : zipf) ASSERT_NE(t.Lookup(a), kNoRoute);
  EXPECT_EQ(MakeTraffic(s, "uniform", 123, 1)->size(), 123u);
  EXPECT_FALSE(MakeTraffic(s, "zipf:0", 10, 1).ok());
  EXPECT_FALSE(MakeTraffic(s, "gaussian", 10, 1).ok());
  const std::string path = ::testing::TempDir() + "/addrs.txt";
  std::ofstream(path) << "10.0.0.1\n# c\n10.0.0.300\n";
  absl::StatusOr<std::vector<Ipv4Address>> bad =
      MakeTraffic(s, "file:" + path, 10, 1);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("addrs.txt:3:"));
  std::ofstream(path) << "10.0.0.1\n10.0.0.2\n";
  EXPECT_EQ(MakeTraffic(s, "file:" + path, 5, 1)->at(4).ToString(), "10.0.0.1");
}

TEST(SyntheticTest, FollowsTheRealTableShape) {
  absl::StatusOr<RouteSet> real =
      LoadRouteSet(testing::SourcePath("bench/data/bgp-tier1-2024.txt.gz"),
                   RouteFormat::kAuto);
  ASSERT_TRUE(real.ok());
  RouteSet syn = SyntheticRouteSet(*real, 50000, 7);
  ASSERT_GE(syn.prefixes.size(), 49000u);
  absl::flat_hash_map<Ipv4Prefix, bool> distinct;
  size_t len24 = 0, nested = 0;
  PatriciaTrie t;
  for (const Ipv4Prefix& p : syn.prefixes) {
    ASSERT_TRUE(distinct.emplace(p, true).second) << p.ToString();
    len24 += p.length() == 24;
    ASSERT_TRUE(t.Insert(p, 0).ok());
  }
  for (const Ipv4Prefix& p : syn.prefixes) {
    nested += p.length() > 0 &&
              t.MatchNoLongerThan(p.network(), p.length() - 1).has_value();
  }
  // The real table: 537,698 of 901,899 are /24s (59.6%); many nest.
  EXPECT_NEAR(static_cast<double>(len24) / syn.prefixes.size(), 0.596, 0.03);
  EXPECT_GT(nested, syn.prefixes.size() / 5);
  // Reproducible from the seed.
  EXPECT_EQ(SyntheticRouteSet(*real, 1000, 7).prefixes,
            SyntheticRouteSet(*real, 1000, 7).prefixes);
  EXPECT_EQ(Sample(*real, 100, 1).prefixes.size(), 100u);
}

RouteSet6 Small6() {
  RouteSet6 s;
  s.name = "small6";
  for (const char* p : {"2001:db8::/32", "2001:db8:1::/48", "2001:db8:2::/48",
                        "2a00:1450::/29", "2a00:1450:4000::/37", "2c0f::/16"}) {
    s.prefixes.push_back(*Ipv6Prefix::Parse(p));
  }
  return s;
}

TEST(NextHopModelTest, Ipv6BlocksAreTheSlash32) {
  RouteSet6 s = Small6();
  EXPECT_THAT(*AssignNextHops(s, "rr:4"),
              ::testing::ElementsAre(0, 1, 2, 3, 0, 1));
  std::vector<NextHopId> block = *AssignNextHops(s, "block:100000");
  // Inside 2001:db8::/32 one next hop; 2a00:1450::/29 and its /37 sit in
  // one /32 too; a different /32 almost surely hashes elsewhere.
  EXPECT_EQ(block[0], block[1]);
  EXPECT_EQ(block[1], block[2]);
  EXPECT_EQ(block[3], block[4]);
  EXPECT_NE(block[0], block[3]);
  for (NextHopId nh : block) EXPECT_LT(nh, 100000u);
  EXPECT_FALSE(AssignNextHops(s, "block:0").ok());
  EXPECT_FALSE(AssignNextHops(s, "file").ok());
}

TEST(TrafficTest, Ipv6Models) {
  RouteSet6 s = Small6();
  PatriciaTrie6 t;
  for (const Ipv6Prefix& p : s.prefixes) ASSERT_TRUE(t.Insert(p, 1).ok());
  // Uniform: all over 2000::/3, the announced space (both halves random).
  const Ipv6Prefix global = *Ipv6Prefix::Parse("2000::/3");
  auto uniform = *MakeTraffic(s, "uniform", 100000, 1);
  ASSERT_EQ(uniform.size(), 100000u);
  absl::flat_hash_map<uint64_t, int> top_bits;
  size_t odd_lo = 0;
  for (const Ipv6Address& a : uniform) {
    ASSERT_TRUE(global.Contains(a)) << a.ToString();
    ++top_bits[a.hi() >> 56];
    odd_lo += a.lo() & 1;
  }
  EXPECT_EQ(top_bits.size(), 32u);  // 0x20-0x3f, every one
  EXPECT_NEAR(odd_lo / 100000.0, 0.5, 0.02);
  // Matched: every address inside some prefix of the set.
  // (Held in a variable: a range-for over *StatusOr-temporary dangles.)
  const std::vector<Ipv6Address> matched = *MakeTraffic(s, "matched", 10000, 1);
  for (const Ipv6Address& a : matched)
    ASSERT_NE(t.Lookup(a), kNoRoute) << a.ToString();
  auto zipf = *MakeTraffic(s, "zipf:1.2", 100000, 1);
  absl::flat_hash_map<Ipv6Address, int> counts;
  for (const Ipv6Address& a : zipf) {
    ASSERT_NE(t.Lookup(a), kNoRoute);
    ++counts[a];
  }
  int top = 0;
  for (const auto& [a, c] : counts) top = std::max(top, c);
  EXPECT_GT(top, 100000 / 20);
  EXPECT_EQ(*MakeTraffic(s, "matched", 100, 3),
            *MakeTraffic(s, "matched", 100, 3));
  EXPECT_FALSE(MakeTraffic(RouteSet6{}, "matched", 10, 1).ok());
  const std::string path = ::testing::TempDir() + "/addrs6.txt";
  std::ofstream(path) << "2001:db8::1\n# c\n2001:db8:::1\n";
  absl::StatusOr<std::vector<Ipv6Address>> bad =
      MakeTraffic(s, "file:" + path, 10, 1);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("addrs6.txt:3:"));
}

// Through the route loader, which reads IPv6 from every format but the
// articles' table.
TEST(RouteSet6Test, TheBundledTablesIpv6PrefixesAndBadFiles) {
  absl::StatusOr<RouteSet6> real =
      LoadRouteSet6(testing::SourcePath("bench/data/bgp-tier1-2024.txt.gz"),
                    RouteFormat::kAuto);
  ASSERT_TRUE(real.ok()) << real.status();
  EXPECT_EQ(real->prefixes.size(), 160147u);
  EXPECT_EQ(real->name, "bgp-tier1-2024.txt.gz");
  EXPECT_EQ(Sample(*real, 100, 1).prefixes.size(), 100u);
  const std::string path = ::testing::TempDir() + "/routes6.txt";
  // Duplicates are dropped, IPv4 lines and comments skipped.
  std::ofstream(path) << "# c\n10.0.0.0/8\n2001:db8::/32\n2001:db8::/32\n";
  absl::StatusOr<RouteSet6> dup = LoadRouteSet6(path, RouteFormat::kCidr);
  ASSERT_TRUE(dup.ok()) << dup.status();
  EXPECT_EQ(dup->prefixes.size(), 1u);
  std::ofstream(path) << "2001:db8::/32\n2001:db8:::/32\n";
  absl::StatusOr<RouteSet6> bad = LoadRouteSet6(path, RouteFormat::kCidr);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("routes6.txt:2:"));
  std::ofstream(path) << "10.0.0.0/8\n";
  absl::StatusOr<RouteSet6> none = LoadRouteSet6(path, RouteFormat::kCidr);
  ASSERT_FALSE(none.ok());
  EXPECT_THAT(std::string(none.status().message()),
              HasSubstr("no IPv6 routes"));
  EXPECT_FALSE(LoadRouteSet6("/no/such/file", RouteFormat::kAuto).ok());
}

}  // namespace
}  // namespace nexthop::bench
