// Every IPv6 LPM structure (lpm/structures.h's Ipv6Structures), through
// the same suite, against the golden table (issue 16).
#include <algorithm>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "lpm/structures.h"
#include "tests/golden_table.h"
#include "tests/structure_types.h"
#include "tests/test_data.h"

namespace nexthop {
namespace {

using testing::GoldenTable6;

Ipv6Prefix P(const char* text) { return *Ipv6Prefix::Parse(text); }
Ipv6Address A(const char* text) { return *Ipv6Address::Parse(text); }

// Random addresses inside `p`: its network with random bits past its length.
Ipv6Address Inside(const Ipv6Prefix& p, std::mt19937_64& rng) {
  const auto [mhi, mlo] = Ipv6MaskBits(p.length());
  return Ipv6Address::FromHalves(p.network().hi() | (rng() & ~mhi),
                                 p.network().lo() | (rng() & ~mlo));
}

// Uniform over 2000::/3, the announced space.
Ipv6Address Announced(std::mt19937_64& rng) {
  return Ipv6Address::FromHalves((rng() >> 3) | (uint64_t{1} << 61), rng());
}

template <typename T>
class Lpm6ConformanceTest : public ::testing::Test {
 protected:
  // Compares one address through every lookup entry point.
  void Check(const Ipv6Address& a) {
    const std::optional<LpmMatch<Ipv6>> want = golden_.LookupMatch(a);
    ASSERT_EQ(lpm_.LookupMatch(a), want) << a.ToString();
    ASSERT_EQ(lpm_.Lookup(a), want ? want->next_hop : kNoRoute) << a.ToString();
  }
  void CheckBatch(const std::vector<Ipv6Address>& in) {
    std::vector<NextHopId> out(in.size() + 1, 12345);
    lpm_.LookupBatch(in, std::span<NextHopId>(out).first(in.size()));
    for (size_t i = 0; i < in.size(); ++i) {
      ASSERT_EQ(out[i], golden_.Lookup(in[i])) << in[i].ToString();
    }
    ASSERT_EQ(out.back(), 12345u) << "batch wrote past its output";
  }
  void Insert(const Ipv6Prefix& p, NextHopId nh) {
    ASSERT_TRUE(lpm_.Insert(p, nh).ok()) << p.ToString();
    golden_.Insert(p, nh);
  }

  T lpm_;
  GoldenTable6 golden_;
};

TYPED_TEST_SUITE(Lpm6ConformanceTest, testing::AllIpv6Structures);

TYPED_TEST(Lpm6ConformanceTest, EmptyMissesEverywhere) {
  for (const char* a :
       {"::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db8::1"}) {
    EXPECT_EQ(this->lpm_.Lookup(A(a)), kNoRoute);
    EXPECT_EQ(this->lpm_.LookupMatch(A(a)), std::nullopt);
  }
  EXPECT_EQ(this->lpm_.size(), 0u);
}

TYPED_TEST(Lpm6ConformanceTest, NestedPrefixesAndFallBack) {
  this->Insert(P("2001:db8::/32"), 1);
  this->Insert(P("2001:db8:1::/48"), 2);
  this->Insert(P("2001:db8:1:2::/64"), 3);
  this->Insert(P("2001:db8:1:2::1/128"), 4);
  EXPECT_EQ(this->lpm_.Lookup(A("2001:db8:1:2::1")), 4u);
  EXPECT_EQ(this->lpm_.Lookup(A("2001:db8:1:2::2")), 3u);
  EXPECT_EQ(this->lpm_.Lookup(A("2001:db8:1:3::1")), 2u);
  EXPECT_EQ(this->lpm_.Lookup(A("2001:db8:2::1")), 1u);
  EXPECT_EQ(this->lpm_.Lookup(A("2001:db9::1")), kNoRoute);
  EXPECT_EQ(this->lpm_.LookupMatch(A("2001:db8:1:3::1"))->prefix,
            P("2001:db8:1::/48"));
  // Replace, then erase: the covering route answers again.
  this->Insert(P("2001:db8:1::/48"), 7);
  EXPECT_EQ(this->lpm_.Lookup(A("2001:db8:1:3::1")), 7u);
  ASSERT_TRUE(this->lpm_.Erase(P("2001:db8:1:2::/64")).ok());
  this->golden_.Erase(P("2001:db8:1:2::/64"));
  EXPECT_EQ(this->lpm_.Lookup(A("2001:db8:1:2::2")), 7u);
  EXPECT_EQ(this->lpm_.Erase(P("2001:db8:1:2::/64")).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(this->lpm_.size(), 3u);
  for (const char* a : {"2001:db8:1:2::1", "2001:db8:1:2::2", "::"}) {
    this->Check(A(a));
  }
}

TYPED_TEST(Lpm6ConformanceTest, ExtremeLengths) {
  this->Insert(P("::/0"), 1);
  this->Insert(P("8000::/1"), 2);
  this->Insert(P("::1/128"), 3);
  this->Insert(P("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"), 4);
  this->Insert(P("2001:db8:0:0:8000::/65"), 5);  // the first bit past /64
  this->Insert(P("2001:db8::/64"), 6);
  for (const char* a :
       {"::", "::1", "::2", "7fff::", "8000::",
        "ffff:ffff:ffff:ffff:ffff:"
        "ffff:ffff:fffe",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db8::8000:0:0:0",
        "2001:db8::7fff:ffff:ffff:ffff", "2001:db8::ffff:ffff:ffff:ffff"}) {
    this->Check(A(a));
  }
}

TYPED_TEST(Lpm6ConformanceTest, RejectsMissValueAsNextHop) {
  EXPECT_FALSE(this->lpm_.Insert(P("2001:db8::/32"), kNoRoute).ok());
  EXPECT_EQ(this->lpm_.size(), 0u);
}

TYPED_TEST(Lpm6ConformanceTest, RandomInterleavedOperations) {
  // Lengths as real tables have them (/16-/64, most /32-/48) and any length
  // 0-128 besides, in a few /16s so that routes nest and split.
  std::mt19937_64 rng(16);
  std::vector<Ipv6Prefix> live;
  for (int step = 0; step < 20000; ++step) {
    const int kind = static_cast<int>(rng() % 10);
    if (kind < 6 || live.empty()) {
      const uint64_t top = uint64_t{0x2001} << 48 | (rng() % 4) << 32;
      const Ipv6Address a = Ipv6Address::FromHalves(
          top | (rng() & 0xffff'ffff) >> (rng() % 32), rng());
      const int len = rng() % 4 == 0 ? static_cast<int>(rng() % 129)
                                     : 16 + static_cast<int>(rng() % 49);
      const Ipv6Prefix p = Ipv6Prefix::Canonical(a, len);
      const NextHopId nh = static_cast<NextHopId>(rng() % 1000);
      this->Insert(p, nh);
      live.push_back(p);
    } else if (kind < 8) {
      const size_t i = rng() % live.size();
      const Ipv6Prefix p = live[i];
      const bool had = this->golden_.Erase(p);
      EXPECT_EQ(this->lpm_.Erase(p).ok(), had) << p.ToString();
      live[i] = live.back();
      live.pop_back();
    } else {
      const Ipv6Prefix& p = live[rng() % live.size()];
      this->Check(Inside(p, rng));
      this->Check(p.network());
    }
    ASSERT_EQ(this->lpm_.size(), this->golden_.size());
  }
  std::vector<Ipv6Address> batch;
  for (int i = 0; i < 2000; ++i) {
    batch.push_back(live.empty() ? Announced(rng)
                                 : Inside(live[rng() % live.size()], rng));
  }
  this->CheckBatch(batch);
  if constexpr (requires { this->lpm_.CheckInvariants(); }) {
    EXPECT_TRUE(this->lpm_.CheckInvariants().ok());
  }
}

TYPED_TEST(Lpm6ConformanceTest, RealTable) {
  const std::vector<Ipv6Prefix>& real = testing::RealTableIpv6Prefixes();
  ASSERT_EQ(real.size(), 160147u);
  std::mt19937_64 rng(6);
  for (size_t i = 0; i < real.size(); ++i) {
    this->Insert(real[i], static_cast<NextHopId>(rng() % 255));
  }
  std::vector<Ipv6Address> matched, uniform;
  for (int i = 0; i < 100000; ++i) {
    matched.push_back(Inside(real[rng() % real.size()], rng));
    uniform.push_back(Announced(rng));
  }
  for (const auto& a : matched) this->Check(a);
  for (const auto& a : uniform) this->Check(a);
  this->CheckBatch(matched);
  this->CheckBatch(uniform);
  // Erase every other route: the rest and their covering routes answer.
  for (size_t i = 0; i < real.size(); i += 2) {
    ASSERT_TRUE(this->lpm_.Erase(real[i]).ok()) << real[i].ToString();
    this->golden_.Erase(real[i]);
  }
  for (int i = 0; i < 20000; ++i) this->Check(matched[i]);
  EXPECT_EQ(this->lpm_.size(), this->golden_.size());
}

}  // namespace
}  // namespace nexthop
