// Every LPM structure, through the same suite, against the golden table.
#include <algorithm>
#include <random>
#include <span>
#include <vector>

#include "gtest/gtest.h"
#include "lpm/structures.h"
#include "tests/golden_table.h"
#include "tests/structure_types.h"
#include "tests/test_data.h"

namespace nexthop {
namespace {

using testing::GoldenTable;

Ipv4Prefix P(const char* text) { return *Ipv4Prefix::Parse(text); }
Ipv4Address A(const char* text) { return *Ipv4Address::Parse(text); }

template <typename T>
class LpmConformanceTest : public ::testing::Test {
 protected:
  // Compares one address through every lookup entry point.
  void Check(Ipv4Address a) {
    const std::optional<LpmMatch<Ipv4>> want = golden_.LookupMatch(a);
    ASSERT_EQ(lpm_.LookupMatch(a), want) << a.ToString();
    ASSERT_EQ(lpm_.Lookup(a), want ? want->next_hop : kNoRoute) << a.ToString();
  }
  void CheckBatch(std::span<const Ipv4Address> in) {
    std::vector<NextHopId> out(in.size() + 1, 12345);
    lpm_.LookupBatch(in, std::span<NextHopId>(out).first(in.size()));
    for (size_t i = 0; i < in.size(); ++i) {
      ASSERT_EQ(out[i], golden_.Lookup(in[i])) << in[i].ToString();
    }
    ASSERT_EQ(out.back(), 12345u) << "batch wrote past its output";
  }
  void Insert(Ipv4Prefix p, NextHopId nh) {
    ASSERT_TRUE(lpm_.Insert(p, nh).ok()) << p.ToString();
    golden_.Insert(p, nh);
  }

  T lpm_;
  GoldenTable golden_;
};

TYPED_TEST_SUITE(LpmConformanceTest, testing::AllIpv4Structures);

TYPED_TEST(LpmConformanceTest, EmptyMissesEverywhere) {
  for (const char* a : {"0.0.0.0", "255.255.255.255", "10.1.2.3"}) {
    EXPECT_EQ(this->lpm_.Lookup(A(a)), kNoRoute);
    EXPECT_EQ(this->lpm_.LookupMatch(A(a)), std::nullopt);
  }
  EXPECT_EQ(this->lpm_.size(), 0u);
}

TYPED_TEST(LpmConformanceTest, ArticleExercise) {
  // Example 2 of the worked examples: A=1, B=2, C=3, D=4.
  this->Insert(P("128.75.43.0/24"), 1);
  this->Insert(P("128.75.43.0/25"), 2);
  this->Insert(P("192.12.17.5/32"), 3);
  this->Insert(P("0.0.0.0/0"), 4);
  // E1: the article prints "A and D"; its own longest-mask rule gives B.
  EXPECT_EQ(this->lpm_.Lookup(A("128.75.43.16")), 2u);
  EXPECT_EQ(this->lpm_.Lookup(A("192.12.17.10")), 4u);
  EXPECT_EQ(this->lpm_.Lookup(A("192.12.17.5")), 3u);
  EXPECT_EQ(this->lpm_.Lookup(A("128.75.43.200")), 1u);
  EXPECT_EQ(this->lpm_.LookupMatch(A("128.75.43.16"))->prefix,
            P("128.75.43.0/25"));
  EXPECT_EQ(this->lpm_.size(), 4u);
}

TYPED_TEST(LpmConformanceTest, ReplaceAndEraseFallsBackToCovering) {
  this->Insert(P("10.0.0.0/8"), 1);
  this->Insert(P("10.1.0.0/16"), 2);
  this->Insert(P("10.1.2.0/24"), 3);
  this->Insert(P("10.1.2.128/25"), 4);
  this->Insert(P("10.1.2.129/32"), 5);
  this->Insert(P("10.1.0.0/16"), 6);  // replaces the next hop
  EXPECT_EQ(this->lpm_.size(), 5u);
  EXPECT_EQ(this->lpm_.Lookup(A("10.1.9.9")), 6u);
  ASSERT_TRUE(this->lpm_.Erase(P("10.1.2.128/25")).ok());
  this->golden_.Erase(P("10.1.2.128/25"));
  ASSERT_TRUE(this->lpm_.Erase(P("10.1.0.0/16")).ok());
  this->golden_.Erase(P("10.1.0.0/16"));
  for (const char* a : {"10.1.2.129", "10.1.2.130", "10.1.2.1", "10.1.3.1",
                        "10.200.0.0", "11.0.0.0"}) {
    this->Check(A(a));
  }
  EXPECT_EQ(this->lpm_.Erase(P("10.1.0.0/16")).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(this->lpm_.Erase(P("10.1.2.0/23")).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(this->lpm_.size(), 3u);
}

TYPED_TEST(LpmConformanceTest, ExtremeLengths) {
  this->Insert(P("0.0.0.0/0"), 7);
  this->Insert(P("255.255.255.255/32"), 8);
  this->Insert(P("0.0.0.0/32"), 9);
  this->Insert(P("128.0.0.0/1"), 10);
  for (const char* a : {"0.0.0.0", "0.0.0.1", "127.255.255.255", "128.0.0.0",
                        "255.255.255.254", "255.255.255.255"}) {
    this->Check(A(a));
  }
  ASSERT_TRUE(this->lpm_.Erase(P("0.0.0.0/0")).ok());
  this->golden_.Erase(P("0.0.0.0/0"));
  this->Check(A("1.2.3.4"));
  this->Check(A("0.0.0.0"));
}

TYPED_TEST(LpmConformanceTest, RejectsMissValueAsNextHop) {
  EXPECT_EQ(this->lpm_.Insert(P("10.0.0.0/8"), kNoRoute).code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(this->lpm_.size(), 0u);
}

// Interleaved inserts, replacements, erases and re-inserts over a pool of
// nested prefixes of every length, checked against the golden table.
TYPED_TEST(LpmConformanceTest, RandomInterleavedOperations) {
  std::mt19937_64 rng(20261123);
  // Most prefixes fall in a few /8s so that they nest and overlap.
  const uint32_t hot[] = {0x0A000000, 0xC0A80000, 0x80000000, 0xFF000000};
  auto random_address = [&]() -> uint32_t {
    const uint32_t r = static_cast<uint32_t>(rng());
    if (rng() % 10 < 8) return (hot[rng() % 4] & 0xFF000000) | (r & 0x00FFFFFF);
    return r;
  };
  std::vector<Ipv4Prefix> pool;
  for (int len = 0; len <= 7; ++len) {  // few: each touches millions of slots
    pool.push_back(Ipv4Prefix::Canonical(Ipv4Address(random_address()), len));
  }
  while (pool.size() < 6000) {
    const int len = 8 + static_cast<int>(rng() % 25);
    pool.push_back(Ipv4Prefix::Canonical(Ipv4Address(random_address()), len));
  }
  std::vector<Ipv4Address> probes;
  constexpr int kOps = 300000;
  for (int op = 0; op < kOps; ++op) {
    const Ipv4Prefix p = pool[rng() % pool.size()];
    if (this->golden_.Contains(p) && rng() % 3 != 0) {
      ASSERT_TRUE(this->lpm_.Erase(p).ok()) << p.ToString();
      this->golden_.Erase(p);
    } else {
      this->Insert(p, static_cast<NextHopId>(rng() % 1000));
    }
    if (op % 2000 == 1999) {
      ASSERT_EQ(this->lpm_.size(), this->golden_.size());
      probes.clear();
      for (int i = 0; i < 500; ++i) {
        const Ipv4Prefix q = pool[rng() % pool.size()];
        const uint32_t first = q.network().value();
        const uint32_t last = first + static_cast<uint32_t>(q.size() - 1);
        for (uint32_t a :
             {first, last, first - 1, last + 1, random_address()}) {
          probes.push_back(Ipv4Address(a));
        }
      }
      for (Ipv4Address a : probes) this->Check(a);
      this->CheckBatch(probes);
      if constexpr (requires { this->lpm_.CheckInvariants(); }) {
        if (op % 20000 == 19999) {
          ASSERT_TRUE(this->lpm_.CheckInvariants().ok())
              << this->lpm_.CheckInvariants();
        }
      }
      if (this->HasFatalFailure()) return;
    }
  }
}

TYPED_TEST(LpmConformanceTest, RealTable) {
  std::vector<Ipv4Prefix> prefixes = testing::RealTablePrefixes();
  const bool linear = std::is_same_v<TypeParam, LinearTable>;
  if (linear) {
    // O(n) inserts: feed it in its own order (longest first) so that each
    // lands at the end.
    std::sort(prefixes.begin(), prefixes.end(), [](Ipv4Prefix a, Ipv4Prefix b) {
      return std::pair(-a.length(), a.network()) <
             std::pair(-b.length(), b.network());
    });
  }
  for (size_t i = 0; i < prefixes.size(); ++i) {
    this->Insert(prefixes[i], static_cast<NextHopId>(i % 255));
    if (this->HasFatalFailure()) return;
  }
  ASSERT_EQ(this->lpm_.size(), this->golden_.size());
  std::mt19937 rng(7);
  // The linear scan costs O(n) a lookup; it gets fewer addresses.
  const size_t count = linear ? 3000 : 1000000;
  std::vector<Ipv4Address> addrs(count);
  for (auto& a : addrs) a = Ipv4Address(static_cast<uint32_t>(rng()));
  for (Ipv4Address a : addrs) this->Check(a);
  this->CheckBatch(addrs);
  // Matched traffic: an address inside a random route, mostly /24s and
  // longer, so that batch lanes go past the direct table and the first
  // node level (uniform traffic mostly stops at the direct table); and
  // batches of every length up to 130, across the batch code's blocks.
  std::vector<Ipv4Address> matched(count);
  for (auto& a : matched) {
    const Ipv4Prefix p = prefixes[rng() % prefixes.size()];
    a = Ipv4Address(p.network().value() |
                    (static_cast<uint32_t>(rng()) & ~MaskBits(p.length())));
  }
  for (size_t i = 0; i < std::min<size_t>(count, 200000); ++i)
    this->Check(matched[i]);
  this->CheckBatch(matched);
  const std::span<const Ipv4Address> all(matched);
  for (size_t len = 1, at = 0; len <= 130 && at + len <= all.size(); ++len) {
    this->CheckBatch(all.subspan(at, len));
    at += len;
  }
  if (linear) return;
  // Erase every other route and compare again: erase on real nesting.
  for (size_t i = 0; i < prefixes.size(); i += 2) {
    ASSERT_TRUE(this->lpm_.Erase(prefixes[i]).ok());
    this->golden_.Erase(prefixes[i]);
  }
  ASSERT_EQ(this->lpm_.size(), this->golden_.size());
  for (size_t i = 0; i < 200000; ++i)
    this->Check(Ipv4Address(static_cast<uint32_t>(rng())));
}

}  // namespace
}  // namespace nexthop
