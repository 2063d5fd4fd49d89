#include "net/ipv4.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace nexthop {
namespace {

using ::testing::HasSubstr;

TEST(Ipv4AddressTest, ParsesAndPrints) {
  absl::StatusOr<Ipv4Address> a = Ipv4Address::Parse("10.10.64.55");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->value(), 0x0A0A4037u);
  EXPECT_EQ(a->ToString(), "10.10.64.55");
  // Example 4's binary row.
  EXPECT_EQ(a->ToBinaryString(), "00001010.00001010.01000000.00110111");
  EXPECT_EQ(Ipv4Address::Parse("255.255.255.255")->value(), 0xFFFFFFFFu);
  EXPECT_EQ(Ipv4Address::Parse("0.0.0.0")->value(), 0u);
}

TEST(Ipv4AddressTest, RejectsBadOctets) {
  for (const char* bad :
       {"", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.-1", "1..2.3", "01.2.3.4",
        "1.2.3.4 ", "a.b.c.d", "1.2.3.1000", "+1.2.3.4", "1.2.3.4/"}) {
    EXPECT_FALSE(Ipv4Address::Parse(bad).ok()) << bad;
  }
  EXPECT_THAT(
      std::string(Ipv4Address::Parse("192.168.1.300").status().message()),
      HasSubstr("192.168.1.300"));
}

TEST(MaskTest, ContiguousMasksOnly) {
  EXPECT_EQ(*MaskLength(*Ipv4Address::Parse("255.255.248.0")), 21);
  EXPECT_EQ(*MaskLength(*Ipv4Address::Parse("0.0.0.0")), 0);
  EXPECT_EQ(*MaskLength(*Ipv4Address::Parse("255.255.255.255")), 32);
  EXPECT_FALSE(MaskLength(*Ipv4Address::Parse("255.0.255.0")).ok());
  EXPECT_FALSE(MaskLength(*Ipv4Address::Parse("0.255.255.255")).ok());
  EXPECT_EQ(MaskBits(0), 0u);
  EXPECT_EQ(MaskBits(32), 0xFFFFFFFFu);
}

TEST(PrefixTest, ParsesForms) {
  EXPECT_EQ(Ipv4Prefix::Parse("10.10.64.0/21")->ToString(), "10.10.64.0/21");
  EXPECT_EQ(Ipv4Prefix::Parse("192.12.17.5")->length(), 32);
  EXPECT_EQ(Ipv4Prefix::Parse("default")->ToString(), "0.0.0.0/0");
  EXPECT_FALSE(Ipv4Prefix::Parse("10.0.0.0/33").ok());
  EXPECT_FALSE(Ipv4Prefix::Parse("10.0.0.0/-1").ok());
  EXPECT_FALSE(Ipv4Prefix::Parse("10.0.0.0/").ok());
  EXPECT_FALSE(Ipv4Prefix::Parse("10.0.0.0/8/8").ok());
  EXPECT_FALSE(Ipv4Prefix::Parse("10.0.0.1/8").ok());  // host bits
}

TEST(PrefixTest, Example4Arithmetic) {
  const Ipv4Prefix p =
      Ipv4Prefix::Canonical(*Ipv4Address::Parse("10.10.64.55"), 21);
  EXPECT_EQ(p.ToString(), "10.10.64.0/21");
  EXPECT_EQ(p.size(), 2048u);
  EXPECT_TRUE(p.Contains(*Ipv4Address::Parse("10.10.71.255")));
  EXPECT_TRUE(p.Contains(*Ipv4Address::Parse("10.10.64.56")));
  EXPECT_FALSE(p.Contains(*Ipv4Address::Parse("10.10.72.0")));
  EXPECT_FALSE(p.Contains(*Ipv4Address::Parse("223.5.5.5")));
}

TEST(PrefixTest, Example5PrivateBlockSizes) {
  EXPECT_EQ(Ipv4Prefix::Parse("10.0.0.0/8")->size(), 16777216u);
  EXPECT_EQ(Ipv4Prefix::Parse("172.16.0.0/12")->size(), 1048576u);
  EXPECT_EQ(Ipv4Prefix::Parse("192.168.0.0/16")->size(), 65536u);
  EXPECT_TRUE(Ipv4Prefix::Parse("172.16.0.0/12")
                  ->Contains(*Ipv4Address::Parse("172.31.255.255")));
  EXPECT_FALSE(Ipv4Prefix::Parse("172.16.0.0/12")
                   ->Contains(*Ipv4Address::Parse("172.32.0.0")));
}

TEST(DestinationAndMaskTest, Example3HostBits) {
  // 192.168.1.0 with 255.255.0.0: normalised leniently, refused strictly.
  auto lenient = ParseDestinationAndMask("192.168.1.0", "255.255.0.0",
                                         HostBitsPolicy::kNormalise);
  ASSERT_TRUE(lenient.ok());
  EXPECT_TRUE(lenient->normalised);
  EXPECT_EQ(lenient->prefix.ToString(), "192.168.0.0/16");
  auto strict = ParseDestinationAndMask("192.168.1.0", "255.255.0.0",
                                        HostBitsPolicy::kRefuse);
  ASSERT_FALSE(strict.ok());
  EXPECT_THAT(std::string(strict.status().message()),
              HasSubstr("192.168.0.0/16"));
}

TEST(DestinationAndMaskTest, Errors) {
  EXPECT_FALSE(ParseDestinationAndMask("10.0.0.0", "255.0.255.0",
                                       HostBitsPolicy::kNormalise)
                   .ok());
  EXPECT_FALSE(ParseDestinationAndMask("default", "255.0.0.0",
                                       HostBitsPolicy::kNormalise)
                   .ok());
  EXPECT_FALSE(
      ParseDestinationAndMask("10.0.0.0", "33", HostBitsPolicy::kNormalise)
          .ok());
  EXPECT_EQ(
      ParseDestinationAndMask("default", "0.0.0.0", HostBitsPolicy::kRefuse)
          ->prefix.length(),
      0);
}

}  // namespace
}  // namespace nexthop
