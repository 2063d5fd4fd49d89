#include "net/ipv6.h"

#include "gtest/gtest.h"

namespace nexthop {
namespace {

TEST(Ipv6Test, EveryRfc4291FormParsesAndPrintsAsRfc5952) {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},
      {"2001:DB8::1", "2001:db8::1"},
      {"::", "::"},
      {"::1", "::1"},
      {"::ffff:1.2.3.4", "::ffff:1.2.3.4"},
      {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
      // RFC 5952 4.2.2: one zero group is not shortened.
      {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
      // 4.2.3: the first of two equal runs.
      {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},
      {"1:0:0:2:0:0:3:4", "1::2:0:0:3:4"},
      // Section 5: mixed notation for IPv4-mapped addresses only.
      {"::1.2.3.4", "::102:304"},
      {"::ffff:0:1.2.3.4", "::ffff:0:102:304"},
      {"64:ff9b::1.2.3.4", "64:ff9b::102:304"},
      {"::2", "::2"},
      {"::1:0", "::1:0"},
      {"FE80::ABCD:0012", "fe80::abcd:12"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<Ipv6Address> a = Ipv6Address::Parse(c.in);
    ASSERT_TRUE(a.ok()) << c.in;
    EXPECT_EQ(a->ToString(), c.out);
  }
}

TEST(Ipv6Test, BadTextIsRefused) {
  for (const char* bad : {":::", "1::2::3", "12345::", "2001:db8::g", "",
                          "1.2.3.4", "2001:db8::1 ", "::ffff:1.2.3.256"}) {
    EXPECT_FALSE(Ipv6Address::Parse(bad).ok()) << bad;
  }
  for (const char* bad : {"2001:db8::/129", "2001:db8::/", "2001:db8::/032",
                          "2001:db8::/-1", "2001:db8::/3x", "foo:bar/32"}) {
    EXPECT_FALSE(Ipv6Prefix::Parse(bad, true).ok()) << bad;
  }
}

TEST(Ipv6Test, HostBitsRefusedOrCleared) {
  EXPECT_FALSE(Ipv6Prefix::Parse("2001:db8::1/32").ok());
  absl::StatusOr<Ipv6Prefix> p = Ipv6Prefix::Parse("2001:db8::1/32", true);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->ToString(), "2001:db8::/32");
  EXPECT_EQ(Ipv6Prefix::Parse("2001:db8:ff00::/39", true)->ToString(),
            "2001:db8:fe00::/39");
  EXPECT_EQ(Ipv6Prefix::Parse("2001:db8::1")->length(), 128);
  EXPECT_EQ(Ipv6Prefix::Parse("::/0")->ToString(), "::/0");
}

TEST(Ipv6Test, HalvesAndBytesAgree) {
  const Ipv6Address a = *Ipv6Address::Parse("2001:db8:1:2:3:4:5:6");
  EXPECT_EQ(a.hi(), 0x20010db800010002u);
  EXPECT_EQ(a.lo(), 0x0003000400050006u);
  EXPECT_EQ(Ipv6Address(a.bytes()), a);
  EXPECT_EQ(a.bytes()[0], 0x20);
  EXPECT_EQ(a.bytes()[15], 0x06);
  EXPECT_EQ(Ipv6Address::FromHalves(a.hi(), a.lo()), a);
  EXPECT_EQ(a.Bit(2), 1);  // 0x2 = 0010
  EXPECT_EQ(a.Bit(0), 0);
  EXPECT_EQ(a.Bit(127), 0);
  EXPECT_EQ(a.Bit(126), 1);
  EXPECT_LT(*Ipv6Address::Parse("2001:db8::"), a);
}

TEST(Ipv6Test, Classes) {
  EXPECT_TRUE(Ipv6Address::Parse("ff02::1")->IsMulticast());
  EXPECT_FALSE(Ipv6Address::Parse("fe80::1")->IsMulticast());
  EXPECT_TRUE(Ipv6Address::Parse("fe80::1")->IsLinkLocal());
  EXPECT_TRUE(Ipv6Address::Parse("febf::1")->IsLinkLocal());
  EXPECT_FALSE(Ipv6Address::Parse("fec0::1")->IsLinkLocal());
  EXPECT_TRUE(Ipv6Address::Parse("::1")->IsLoopback());
  EXPECT_FALSE(Ipv6Address::Parse("::")->IsLoopback());
  EXPECT_TRUE(Ipv6Address::Parse("::ffff:10.0.0.1")->IsV4Mapped());
  EXPECT_FALSE(Ipv6Address::Parse("::10.0.0.1")->IsV4Mapped());
}

TEST(Ipv6Test, ContainsAndCanonicalAtEveryLength) {
  const Ipv6Address a =
      *Ipv6Address::Parse("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
  for (int len = 0; len <= 128; ++len) {
    const Ipv6Prefix p = Ipv6Prefix::Canonical(a, len);
    EXPECT_EQ(p.length(), len);
    EXPECT_TRUE(p.Contains(a)) << len;
    // The address with bit len-1 flipped is outside (for len > 0).
    if (len > 0) {
      const int i = len - 1;
      const Ipv6Address flipped =
          i < 64 ? Ipv6Address::FromHalves(a.hi() ^ (uint64_t{1} << (63 - i)),
                                           a.lo())
                 : Ipv6Address::FromHalves(a.hi(),
                                           a.lo() ^ (uint64_t{1} << (127 - i)));
      EXPECT_FALSE(p.Contains(flipped)) << len;
    }
    // Bits past the length are clear.
    for (int b = len; b < 128; ++b) EXPECT_EQ(p.network().Bit(b), 0) << len;
    EXPECT_TRUE(Ipv6Prefix::Create(p.network(), len).ok());
  }
  EXPECT_FALSE(Ipv6Prefix::Create(a, 64).ok());
  EXPECT_FALSE(Ipv6Prefix::Create(Ipv6Address(), 129).ok());
  EXPECT_FALSE(Ipv6Prefix::Create(Ipv6Address(), -1).ok());
  EXPECT_EQ(Ipv6Prefix::Canonical(a, 200).length(), 128);
}

}  // namespace
}  // namespace nexthop
