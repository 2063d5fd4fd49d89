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

}  // namespace
}  // namespace nexthop
