#include "rib/route_loader.h"

#include <fstream>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_data.h"

namespace nexthop {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::SourcePath;

LoadResult MustParse(absl::string_view text,
                     RouteFormat format = RouteFormat::kAuto,
                     bool strict = false) {
  absl::StatusOr<LoadResult> r = ParseRoutes(
      text, "t.txt", LoadOptions{.format = format, .strict = strict});
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : LoadResult{};
}

std::string ErrorOf(absl::string_view text,
                    RouteFormat format = RouteFormat::kAuto,
                    bool strict = false) {
  absl::StatusOr<LoadResult> r = ParseRoutes(
      text, "t.txt", LoadOptions{.format = format, .strict = strict});
  EXPECT_FALSE(r.ok()) << "parsed: " << text;
  return r.ok() ? "" : std::string(r.status().message());
}

TEST(RouteNTest, Example1) {
  LoadResult r = MustParse(
      "Kernel IP routing table\n"
      "Destination     Gateway         Genmask         Flags Metric Ref    Use "
      "Iface\n"
      "0.0.0.0         192.168.1.1     0.0.0.0         UG    0      0        0 "
      "eth0\n"
      "192.168.1.0     0.0.0.0         255.255.255.0   U     0      0        0 "
      "eth0\n");
  EXPECT_EQ(r.format, RouteFormat::kRouteN);
  ASSERT_EQ(r.routes.size(), 2u);
  EXPECT_EQ(r.routes[0].prefix.ToString(), "0.0.0.0/0");
  EXPECT_EQ(r.routes[0].next_hop.GatewayString(), "192.168.1.1");
  EXPECT_EQ(r.routes[0].next_hop.dev, "eth0");
  EXPECT_EQ(r.routes[0].Flags(), "UG");
  EXPECT_TRUE(r.routes[1].next_hop.on_link());
  EXPECT_EQ(r.routes[1].Flags(), "U");
  EXPECT_THAT(r.lines, ElementsAre(3, 4));
}

TEST(RouteNTest, HeaderlessAndMetric) {
  LoadResult r = MustParse("10.0.0.0 10.1.1.1 255.0.0.0 UG 100 0 0 eth1\n");
  ASSERT_EQ(r.routes.size(), 1u);
  EXPECT_EQ(r.routes[0].metric, 100u);
}

TEST(RouteNTest, Example3NormalisesWithWarningOrRefusesStrictly) {
  const char* text =
      "Destination     Gateway         Genmask         Flags Metric Ref    Use "
      "Iface\n"
      "0.0.0.0         192.168.1.1     0.0.0.0         UG    0      0        0 "
      "eth0\n"
      "192.168.1.0     0.0.0.0         255.255.0.0     U     0      0        0 "
      "eth0\n"
      "192.168.1.55    192.168.1.2     255.255.255.255 UGH   0      0        0 "
      "eth0\n";
  LoadResult r = MustParse(text);
  ASSERT_EQ(r.routes.size(), 3u);  // nothing else lost
  EXPECT_EQ(r.routes[1].prefix.ToString(), "192.168.0.0/16");
  EXPECT_EQ(r.routes[2].Flags(), "UGH");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_THAT(r.warnings[0], HasSubstr("t.txt:3: warning"));
  EXPECT_THAT(r.warnings[0], HasSubstr("192.168.0.0/16"));
  std::string error = ErrorOf(text, RouteFormat::kAuto, /*strict=*/true);
  EXPECT_THAT(error, HasSubstr("t.txt:3:"));
  EXPECT_THAT(error, HasSubstr("outside the mask"));
}

// Issue 13, item 7: a UTF-8 byte order mark before the first line is not
// part of it.
TEST(RouteNTest, ByteOrderMarkIsSkipped) {
  for (const char* text : {"\xEF\xBB\xBF"
                           "10.0.0.0 192.168.1.1 255.0.0.0 UG 0 0 0 eth0\n",
                           "\xEF\xBB\xBF"
                           "10.0.0.0/8\n"}) {
    absl::StatusOr<LoadResult> r = ParseRoutes(text, "bom.txt", {});
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->routes.size(), 1u);
    EXPECT_EQ(r->routes[0].prefix.ToString(), "10.0.0.0/8");
  }
}

// IPv6 prefixes load (routes6) from every text format but the articles'
// table; a field with ':' that is not an IPv6 prefix is an error naming
// the line, in each format.
TEST(Ipv6FieldTest, Ipv6PrefixesLoadAndBadOnesAreErrors) {
  struct Case {
    const char* text;
    const char* error;  // nullptr: loads one IPv6 route beside 10.0.0.0/8
  };
  const Case cases[] = {
      {"10.0.0.0/8\n2001:db8::/32\n", nullptr},
      {"10.0.0.0/8\n::ffff:1.2.3.4/128\n", nullptr},
      {"10.0.0.0/8\nfoo:bar\n", "t.txt:2: invalid IPv6 address 'foo:bar'"},
      {"10.0.0.0/8\n2001:db8::/129\n", "t.txt:2: invalid IPv6 prefix length"},
      {"10.0.0.0/8\nzzzz::/32\n", "t.txt:2: invalid IPv6 address 'zzzz::'"},
      {"10.0.0.0/8\n2001:db8::/032\n", "t.txt:2: invalid IPv6 prefix length"},
      {"10.0.0.0/8\n2001:db8:::/48\n", "t.txt:2: invalid IPv6 address"},
      {"10.0.0.0/8\n2001::db8::/48\n", "t.txt:2: invalid IPv6 address"},
      {"10.0.0.0/8\n2001:db80a::/48\n", "t.txt:2: invalid IPv6 address"},
      {"10.0.0.0/8\n2001:db8::/32 10.0.0.1\n",
       "t.txt:2: IPv4 gateway 10.0.0.1 for the IPv6 destination 2001:db8::/32"},
      {"10.0.0.0/8\n11.0.0.0/8 fe80::1\n",
       "t.txt:2: IPv6 gateway fe80::1 for the IPv4 destination 11.0.0.0/8"},
      {"default via 10.0.0.1 dev eth0\nnot:an:address dev eth0\n",
       "t.txt:2: invalid IPv6 address 'not:an:address'"},
      {"default via 10.0.0.1 dev eth0\n2001:db8::/48 dev eth0\n", nullptr},
      {"default via 10.0.0.1 dev eth0\n2001:db8::/48 via 2001:db8:::1\n",
       "t.txt:2: invalid IPv6 address '2001:db8:::1'"},
      {"TABLE_DUMP2|1|B|1.2.3.4|1|nonsense:prefix|1 2|IGP|1.2.3.4|0|0||NAG||\n",
       "t.txt:1: invalid IPv6 address 'nonsense:prefix'"},
      {"TABLE_DUMP2|1|B|::1|1|2001:db8::/32|1 2|IGP|2001:db8::1|0|0||NAG||\n"
       "TABLE_DUMP2|1|B|1.2.3.4|1|10.0.0.0/8|1 2|IGP|1.2.3.4|0|0||NAG||\n",
       nullptr},
      {"TABLE_DUMP2|1|B|::1|1|2001:db8::/32|1 2|IGP|1.2.3.4|0|0||NAG||\n",
       "t.txt:1: IPv4 gateway 1.2.3.4 for the IPv6 destination"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<LoadResult> r = ParseRoutes(c.text, "t.txt", {});
    if (c.error == nullptr) {
      ASSERT_TRUE(r.ok()) << c.text << r.status();
      EXPECT_EQ(r->routes.size(), 1u) << c.text;
      EXPECT_EQ(r->routes6.size(), 1u) << c.text;
    } else {
      ASSERT_FALSE(r.ok()) << c.text;
      EXPECT_THAT(std::string(r.status().message()), HasSubstr(c.error))
          << c.text;
    }
  }
}

// Bits set past an IPv6 prefix's length get IPv4's treatment in every
// format: cleared with a FILE:LINE warning, or under --strict an error.
TEST(Ipv6FieldTest, HostBitsNormaliseOrRefuseUnderStrict) {
  const char* texts[] = {
      "2001:db8::1/32\n",
      "2001:db8::1/32 dev eth0\n",
      "Kernel IPv6 routing table\n"
      "Destination                    Next Hop                   Flag Met Ref  "
      "Use If\n"
      "2001:db8::1/32                 ::                         U    256 1    "
      "  "
      "0 eth0\n",
      "TABLE_DUMP2|1|B|::1|1|2001:db8::1/32|1|IGP|fe80::1|0|0||NAG||\n",
  };
  for (const char* text : texts) {
    LoadResult r = MustParse(text);
    ASSERT_EQ(r.routes6.size(), 1u) << text;
    EXPECT_EQ(r.routes6[0].prefix.ToString(), "2001:db8::/32");
    ASSERT_EQ(r.warnings.size(), 1u) << text;
    EXPECT_THAT(r.warnings[0],
                HasSubstr(": warning: destination 2001:db8::1/32 has bits set "
                          "outside its mask; using 2001:db8::/32"));
    EXPECT_THAT(ErrorOf(text, RouteFormat::kAuto, /*strict=*/true),
                HasSubstr("IPv6 prefix '2001:db8::1/32' has bits set past /32"))
        << text;
  }
  // Duplicates too: skipped with a warning, refused under --strict.
  LoadResult dup = MustParse("2001:db8::/32\n2001:db8::/32\n");
  EXPECT_EQ(dup.routes6.size(), 1u);
  EXPECT_THAT(
      ErrorOf("2001:db8::/32\n2001:db8::/32\n", RouteFormat::kAuto, true),
      HasSubstr("t.txt:2: duplicate route 2001:db8::/32"));
}

std::vector<std::string> Route6Strings(const LoadResult& r) {
  std::vector<std::string> out;
  for (const Route6& route : r.routes6) {
    std::string s = route.prefix.ToString();
    if (!route.next_hop.on_link())
      absl::StrAppend(&s, " via ", route.GatewayString());
    if (!route.next_hop.dev.empty())
      absl::StrAppend(&s, " dev ", route.next_hop.dev);
    absl::StrAppend(&s, " metric ", route.metric);
    out.push_back(s);
  }
  return out;
}

// The routes of the namespace tests/data/README.md describes, as the
// kernel lists them.
const std::vector<std::string> kNamespaceRoutes6 = {
    "2001:db8:1::/64 dev v0 metric 256",
    "2001:db8:100::/48 via 2001:db8:1::2 dev v0 metric 1024",
    "2001:db8:200::/40 via 2001:db8:1::3 dev v0 metric 10",
    "2001:db8:abcd::5/128 via 2001:db8:1::2 dev v0 metric 1024",
    "fe80::/64 dev v1 metric 256",
    "fe80::/64 dev v0 metric 256",
    "::/0 via 2001:db8:1::fe dev v0 metric 1024"};

// What `ip -6 route` printed in a network namespace (tests/data/README.md
// says how the samples were made).
TEST(Ipv6FilesTest, RealIp6Route) {
  absl::StatusOr<LoadResult> r =
      LoadRouteFile(SourcePath("tests/data/ip6_route.txt"), {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->format, RouteFormat::kIpRoute);
  EXPECT_TRUE(r->routes.empty());
  EXPECT_TRUE(r->warnings.empty());
  EXPECT_THAT(Route6Strings(*r),
              ::testing::ElementsAreArray(kNamespaceRoutes6));
  EXPECT_EQ(r->lines6, (std::vector<int>{1, 2, 3, 4, 5, 6, 7}));
}

// `ip route; ip -6 route` in one file: each family to its own list.
TEST(Ipv6FilesTest, RealIpRouteMixingBoth) {
  absl::StatusOr<LoadResult> r =
      LoadRouteFile(SourcePath("tests/data/ip_route_dual.txt"), {});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->routes.size(), 2u);
  EXPECT_EQ(r->routes[1].prefix.ToString(), "198.51.100.0/24");
  EXPECT_EQ(r->routes[1].GatewayString(), "192.0.2.254");
  EXPECT_EQ(r->routes6.size(), 7u);
  EXPECT_EQ(r->lines6.front(), 3);
  // `default` is IPv6 when ip printed `pref` or an IPv6 gateway.
  LoadResult d = MustParse(
      "default via 192.0.2.1 dev eth0\n"
      "default dev eth1 proto static metric 1024 pref medium\n"
      "default via inet6 fe80::1 dev eth2\n");
  ASSERT_EQ(d.routes.size(), 1u);
  EXPECT_THAT(Route6Strings(d),
              ElementsAre("::/0 dev eth1 metric 1024",
                          "::/0 via fe80::1 dev eth2 metric 0"));
}

// What `route -A inet6 -n` (the same as `route -6 -n`) printed for the
// table above: the kernel's reject route is skipped with a warning, the
// local (Un) routes load as on-link.
TEST(Ipv6FilesTest, RealRouteInet6N) {
  absl::StatusOr<LoadResult> r =
      LoadRouteFile(SourcePath("tests/data/route_inet6_n.txt"), {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->format, RouteFormat::kRouteN);
  // The same routes as ip -6 route printed, then the local table's.
  std::vector<std::string> want = kNamespaceRoutes6;
  want.insert(want.end(),
              {"::1/128 dev lo metric 0", "2001:db8:1::1/128 dev v0 metric 0",
               "fe80::848e:52ff:fedd:d6e0/128 dev v1 metric 0",
               "fe80::d86e:5ff:fe0f:d7ac/128 dev v0 metric 0",
               "ff00::/8 dev v1 metric 256", "ff00::/8 dev v0 metric 256"});
  EXPECT_EQ(Route6Strings(*r), want);
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_THAT(
      r->warnings[0],
      HasSubstr("route_inet6_n.txt:16: warning: reject route ::/0 skipped"));
  // Rows without the header are told from their shape; errors name lines.
  LoadResult bare = MustParse(
      "2001:db8::/32                  fe80::1                    UG   1024 1 "
      "     0 eth0\n");
  EXPECT_EQ(Route6Strings(bare)[0],
            "2001:db8::/32 via fe80::1 dev eth0 metric 1024");
  const std::string header =
      "Kernel IPv6 routing table\n"
      "Destination                    Next Hop                   Flag Met Ref  "
      "Use If\n";
  EXPECT_THAT(ErrorOf(header + "2001:db8::/32 fe80::1 UG 1024 1 0\n"),
              HasSubstr("t.txt:3: expected 7 columns"));
  EXPECT_THAT(ErrorOf(header + "2001:db8::/32 fe80::1 UGx 1 1 0 eth0\n"),
              HasSubstr("t.txt:3: invalid flags 'UGx'"));
  EXPECT_THAT(ErrorOf(header + "2001:db8::/32 10.0.0.1 UG 1 1 0 eth0\n"),
              HasSubstr("t.txt:3: IPv4 gateway 10.0.0.1"));
  EXPECT_THAT(ErrorOf(header + "2001:db8::/32 fe80::1 UG 1 1 0 eth0\n" +
                      "Destination Next Hop Flag Met Ref Use If\n"),
              HasSubstr("t.txt:4: a second IPv6 header line"));
  // `route -n; route -A inet6 -n` in one file.
  LoadResult both = MustParse(
      "Kernel IP routing table\n"
      "Destination     Gateway         Genmask         Flags Metric Ref    Use "
      "Iface\n"
      "0.0.0.0         192.168.1.1     0.0.0.0         UG    0      0        0 "
      "eth0\n" +
      header + "::/0 fe80::1 UG 1024 1 0 eth0\n");
  EXPECT_EQ(both.routes.size(), 1u);
  EXPECT_EQ(both.routes6.size(), 1u);
}

TEST(EmptyTableTest, NoRoutesIsAnErrorInEveryFormat) {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"", "e.txt: no routes"},
      {"# only a comment\n", "e.txt: no routes"},
      {"Kernel IP routing table\nDestination Gateway Genmask Flags Metric "
       "Ref Use Iface\n",
       "e.txt: no routes (only headers"},
      {"Destination Gateway Genmask\n", "e.txt: no routes (only headers"},
      {"Kernel IPv6 routing table\nDestination Next Hop Flag Met Ref Use "
       "If\n",
       "e.txt: no routes (only headers"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<LoadResult> r = ParseRoutes(c.text, "e.txt", {});
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_THAT(std::string(r.status().message()), HasSubstr(c.error))
        << c.text;
  }
}

// Issue 13, item 12: a prefix length with a leading zero is refused, as
// octets with leading zeros are.
TEST(CidrTest, LeadingZeroLengthIsRefused) {
  absl::StatusOr<LoadResult> r = ParseRoutes("10.0.0.0/08\n", "z.txt", {});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("z.txt:1: invalid prefix length '08'"));
  EXPECT_TRUE(ParseRoutes("10.0.0.0/8\n0.0.0.0/0\n", "z.txt", {}).ok());
}

// Issue 13, item 6: an error quotes a bad token cut short and escaped: a
// 1 MB one-token line gives a short message, binary junk no raw bytes.
TEST(ErrorTextTest, LongAndBinaryTokensAreCutAndEscaped) {
  const std::string long_line =
      "10.0.0.0/8\n" + std::string(1 << 20, '7') + "\n";
  absl::StatusOr<LoadResult> r = ParseRoutes(long_line, "long.txt", {});
  ASSERT_FALSE(r.ok());
  EXPECT_LT(r.status().message().size(), 200u) << r.status().message();
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("long.txt:2: invalid "));
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("777..."));
  r = ParseRoutes("10.0.0.0/8\n10.\x01\x1b[2J.0.0/8\n", "junk.txt", {});
  ASSERT_FALSE(r.ok());
  const std::string m(r.status().message());
  EXPECT_THAT(m, HasSubstr("\\x01\\x1b[2J"));
  EXPECT_EQ(m.find('\x1b'), std::string::npos) << m;
}

TEST(ExerciseTest, SymbolicGatewaysAndDefault) {
  LoadResult r = MustParse(
      "Destination    Gateway    Genmask\n"
      "128.75.43.0    A          255.255.255.0\n"
      "128.75.43.0    B          255.255.255.128\n"
      "192.12.17.5    C          255.255.255.255\n"
      "default        D          0.0.0.0\n");
  ASSERT_EQ(r.routes.size(), 4u);
  EXPECT_EQ(r.routes[1].next_hop.gateway_name, "B");
  EXPECT_EQ(r.routes[1].prefix.ToString(), "128.75.43.0/25");
  EXPECT_EQ(r.routes[3].prefix.ToString(), "0.0.0.0/0");
  EXPECT_EQ(r.routes[3].next_hop.GatewayString(), "D");
  // The same file through the explicit format.
  EXPECT_EQ(MustParse("128.75.43.0 A 255.255.255.0\n", RouteFormat::kExercise)
                .routes.size(),
            1u);
}

TEST(ColumnsTest, Errors) {
  EXPECT_THAT(ErrorOf("Destination Gateway Genmask\n10.0.0.0 A 255.0.255.0\n"),
              HasSubstr("t.txt:2: invalid netmask"));
  EXPECT_THAT(ErrorOf("Destination Gateway Genmask\n10.0.0.0 A\n"),
              HasSubstr("t.txt:2: expected 3 columns, found 2"));
  EXPECT_THAT(ErrorOf("Destination Gateway Genmask\n10.0.0.256 A 255.0.0.0\n"),
              HasSubstr("t.txt:2: invalid IPv4 address"));
  EXPECT_THAT(
      ErrorOf(
          "Destination Gateway Genmask\n10.0.0.0 192.168.1.300 255.0.0.0\n"),
      HasSubstr("t.txt:2: invalid IPv4 address '192.168.1.300'"));
  EXPECT_THAT(ErrorOf("Destination Gateway Genmask\n10.0.0.0 A! 255.0.0.0\n"),
              HasSubstr("t.txt:2: invalid gateway"));
  EXPECT_THAT(ErrorOf("Destination Gatewy Genmask\n"),
              HasSubstr("t.txt:1: unknown column"));
  EXPECT_THAT(ErrorOf("Destination Gateway\n", RouteFormat::kRouteN),
              HasSubstr("lacks the 'Genmask'"));
  EXPECT_THAT(ErrorOf("# c\n\n10.0.0.0 1.1.1.1 255.0.0.0 UG x 0 0 eth0\n"),
              HasSubstr("t.txt:3: invalid metric"));
  EXPECT_THAT(ErrorOf("10.0.0.0 1.1.1.1 255.0.0.0 !U 0 0 0 eth0\n"),
              HasSubstr("reject routes"));
  EXPECT_THAT(
      ErrorOf("Destination Gateway Genmask\nDestination Gateway Genmask\n"),
      HasSubstr("t.txt:2: a second header"));
}

// Issue 13, item 12: a CIDR file read as the exercise format said only
// "expected 8 columns, found 2". The message now gives the columns the
// format wants and, when the line looks like another format, names it.
TEST(ColumnsTest, WrongFormatNamesWhatTheLineLooksLike) {
  const std::string cidr =
      ErrorOf("1.0.0.0/24\t8419\n1.0.4.0/22\t8419\n", RouteFormat::kExercise);
  EXPECT_THAT(cidr, HasSubstr("t.txt:1: expected 3 columns (Destination "
                              "Gateway Genmask) or 8 (Destination Gateway "
                              "Genmask Flags Metric Ref Use Iface), found 2"));
  EXPECT_THAT(cidr, HasSubstr("line 1 looks like the cidr format, not "
                              "exercise: pass --format cidr"));
  // Any forced format, any error on the line.
  EXPECT_THAT(ErrorOf("128.75.43.0 A 255.255.255.0\n", RouteFormat::kCidr),
              HasSubstr("looks like the exercise format, not cidr"));
  EXPECT_THAT(ErrorOf("default via 10.0.0.1 dev eth0\n", RouteFormat::kRouteN),
              HasSubstr("t.txt:1: expected 3 columns"));
  EXPECT_THAT(ErrorOf("default via 10.0.0.1 dev eth0\n", RouteFormat::kRouteN),
              HasSubstr("looks like the ip format, not route-n"));
  // Detected from line 1, a different line 2 says so.
  EXPECT_THAT(ErrorOf("1.0.0.0/24\n10.0.0.0 1.1.1.1 255.0.0.0\n"),
              HasSubstr("line 2 looks like the exercise format, not cidr "
                        "(detected from line 1)"));
  // A line of the format in use gets no hint, nor do route-n and exercise
  // (one parser) about each other.
  EXPECT_THAT(ErrorOf("1.0.0.0/99\n", RouteFormat::kCidr),
              Not(HasSubstr("looks like")));
  EXPECT_THAT(
      ErrorOf("10.0.0.0 1.1.1.1 255.0.0.0 UG 1 0 0\n", RouteFormat::kExercise),
      Not(HasSubstr("looks like")));
  // Rows after a header or a first row are held to its columns.
  EXPECT_THAT(ErrorOf("10.0.0.0 A 255.0.0.0\n11.0.0.0 A 255.0.0.0 U 0 0 0 e\n"),
              HasSubstr("t.txt:2: expected 3 columns, found 8 (as on line 1: "
                        "Destination Gateway Genmask)"));
}

// Issue 13, item 12: a 5M-line file of duplicates printed 676,749
// warnings. Ten of a kind are kept, then one line counts the rest.
TEST(WarningsTest, TenOfAKindThenOneSummary) {
  std::string text = "1.0.0.0/24\n";
  for (int i = 0; i < 50; ++i) text += "1.0.0.0/24\n";
  LoadResult r = MustParse(text);
  EXPECT_EQ(r.routes.size(), 1u);
  ASSERT_EQ(r.warnings.size(), 11u);
  for (int i = 0; i < 10; ++i) {
    EXPECT_THAT(r.warnings[i],
                HasSubstr("t.txt:" + std::to_string(i + 2) +
                          ": warning: duplicate route 1.0.0.0/24"));
  }
  EXPECT_EQ(r.warnings[10],
            "t.txt: warning: ... and 40 more 'duplicate route' warnings");

  // Kinds are counted apart; exactly ten of a kind needs no summary.
  std::string mixed;
  for (int i = 0; i < 12; ++i) {
    mixed += "10." + std::to_string(i) + ".0.1/16\n";  // host bits set
  }
  for (int i = 0; i < 11; ++i) mixed += "10.200.0.0/16\n";  // 10 duplicates
  r = MustParse(mixed);
  ASSERT_EQ(r.warnings.size(), 21u);
  EXPECT_THAT(r.warnings[0], HasSubstr("t.txt:1: warning: destination"));
  EXPECT_THAT(r.warnings[10], HasSubstr("t.txt:14: warning: duplicate"));
  EXPECT_THAT(r.warnings[19], HasSubstr("t.txt:23: warning: duplicate"));
  EXPECT_EQ(r.warnings[20],
            "t.txt: warning: ... and 2 more 'bits outside the mask' "
            "warnings");
}

TEST(IpRouteTest, CommonShapes) {
  LoadResult r = MustParse(
      "default via 10.10.64.1 dev eth0 proto dhcp src 10.10.64.55 metric 100\n"
      "10.10.64.0/21 dev eth0 proto kernel scope link src 10.10.64.55 metric "
      "100\n"
      "172.16.0.0/12 via 10.10.64.254\n"
      "192.0.2.7 via 10.10.64.9 dev eth0 onlink\n"
      "unicast 198.51.100.0/24 dev eth1 linkdown\n"
      "2001:db8::/32 dev eth0\n");
  EXPECT_EQ(r.format, RouteFormat::kIpRoute);
  ASSERT_EQ(r.routes.size(), 5u);
  ASSERT_EQ(r.routes6.size(), 1u);
  EXPECT_EQ(r.routes6[0].next_hop.dev, "eth0");
  EXPECT_EQ(r.routes[0].prefix.length(), 0);
  EXPECT_EQ(r.routes[0].metric, 100u);
  EXPECT_EQ(r.routes[0].next_hop.GatewayString(), "10.10.64.1");
  EXPECT_TRUE(r.routes[1].next_hop.on_link());
  EXPECT_EQ(r.routes[1].next_hop.dev, "eth0");
  EXPECT_EQ(r.routes[2].next_hop.dev, "");
  EXPECT_EQ(r.routes[3].prefix.length(), 32);
  EXPECT_EQ(r.routes[4].next_hop.dev, "eth1");
}

TEST(IpRouteTest, Errors) {
  EXPECT_THAT(ErrorOf("default via 10.0.0.1 dev eth0\n10.0.0.0/8 via\n"),
              HasSubstr("t.txt:2: 'via' needs a value"));
  EXPECT_THAT(
      ErrorOf("10.0.0.0/8 via 10.0.0.1 frobnicate 3\n", RouteFormat::kIpRoute),
      HasSubstr("t.txt:1: unknown keyword 'frobnicate'"));
  EXPECT_THAT(ErrorOf("blackhole 10.0.0.0/8\n"),
              HasSubstr("t.txt:1: route type 'blackhole' is not supported"));
  EXPECT_THAT(ErrorOf("10.0.0.0/8 proto static\n", RouteFormat::kIpRoute),
              HasSubstr("needs 'via GATEWAY' or 'dev IFACE'"));
  EXPECT_THAT(ErrorOf("10.0.0.0/40 dev eth0\n"),
              HasSubstr("t.txt:1: invalid prefix length"));
  EXPECT_THAT(ErrorOf("10.0.0.0/8 via 1.1.1.1 via 2.2.2.2\n"),
              HasSubstr("twice"));
  EXPECT_THAT(ErrorOf("10.0.0.0/8 dev eth0 metric -1\n"),
              HasSubstr("invalid metric"));
}

TEST(CidrTest, BundledStyleWithNextHopColumn) {
  LoadResult r =
      MustParse("1.0.0.0/24\t8419\n1.0.4.0/22 192.0.2.1\n# c\n1.0.5.0/24\n");
  EXPECT_EQ(r.format, RouteFormat::kCidr);
  ASSERT_EQ(r.routes.size(), 3u);
  EXPECT_EQ(r.routes[0].next_hop.gateway_name, "8419");
  EXPECT_EQ(r.routes[1].next_hop.GatewayString(), "192.0.2.1");
  EXPECT_TRUE(r.routes[2].next_hop.on_link());
  EXPECT_THAT(r.lines, ElementsAre(1, 2, 4));
}

TEST(CidrTest, Errors) {
  EXPECT_THAT(
      ErrorOf("1.0.0.0/24\n1.0.0.0/24 a b\n"),
      HasSubstr("t.txt:2: expected 'PREFIX [NEXTHOP]', found 3 fields"));
  EXPECT_THAT(ErrorOf("1.0.0.0/24\n1.0.0.0/99\n"),
              HasSubstr("t.txt:2: invalid prefix length"));
  EXPECT_THAT(ErrorOf("1.0.0.0/24\n1.0.0.1/24\n", RouteFormat::kCidr, true),
              HasSubstr("t.txt:2: invalid prefix 1.0.0.1/24"));
  EXPECT_THAT(
      ErrorOf("1.0.0.0/24\n1.0.0.0/24\n", RouteFormat::kCidr, true),
      HasSubstr("t.txt:2: duplicate route 1.0.0.0/24 (same as line 1)"));
}

TEST(CidrTest, LenientDuplicateIsSkippedWithWarning) {
  LoadResult r = MustParse("1.0.0.0/24\n1.0.0.0/24\n");
  EXPECT_EQ(r.routes.size(), 1u);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_THAT(r.warnings[0], HasSubstr("t.txt:2: warning: duplicate"));
}

TEST(BgpdumpTest, Fields6And9) {
  LoadResult r = MustParse(
      "TABLE_DUMP2|1711929600|B|203.0.113.1|64500|1.0.0.0/24|64500 "
      "13335|IGP|203.0.113.1|0|0||NAG||\n"
      "TABLE_DUMP2|1711929600|B|203.0.113.2|64501|1.0.0.0/24|64501 "
      "13335|IGP|203.0.113.2|0|0||NAG||\n"
      "TABLE_DUMP2|1711929600|B|2001:db8::1|64500|2001:db8::/"
      "32|64500|IGP|2001:db8::1|0|0||NAG||\n"
      "BGP4MP|1711929600|W|203.0.113.1|64500|1.0.4.0/22\n");
  EXPECT_EQ(r.format, RouteFormat::kBgpdump);
  ASSERT_EQ(r.routes.size(), 2u);
  EXPECT_EQ(r.routes[1].next_hop.GatewayString(), "203.0.113.2");
  ASSERT_EQ(r.routes6.size(), 1u);
  EXPECT_EQ(r.routes6[0].prefix.ToString(), "2001:db8::/32");
  EXPECT_EQ(r.routes6[0].GatewayString(), "2001:db8::1");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_THAT(r.warnings[0], HasSubstr("1 withdrawal"));
}

TEST(BgpdumpTest, Errors) {
  EXPECT_THAT(ErrorOf("TABLE_DUMP2|1|B|1.1.1.1|1|1.0.0.0/24|1|IGP\n"),
              HasSubstr("t.txt:1: expected at least 9"));
  EXPECT_THAT(ErrorOf("TABLE_DUMP2|1|X|1.1.1.1|1|1.0.0.0/24|1|IGP|1.1.1.1\n"),
              HasSubstr("unknown entry type 'X'"));
  EXPECT_THAT(ErrorOf("TABLE_DUMP2|1|B|1.1.1.1|1|1.0.0.0/24|1|IGP|2001::1\n"),
              HasSubstr("IPv6 gateway 2001::1 for the IPv4 destination"));
  EXPECT_THAT(ErrorOf("TABLE_DUMP2|1|B|1.1.1.1|1|1.0.0.0/33|1|IGP|1.1.1.1\n"),
              HasSubstr("t.txt:1: invalid prefix length"));
  // Found by fuzz_route_loader: an empty next-hop field read past a string.
  EXPECT_THAT(
      ErrorOf("TABLE_DUMP2|1|B|1.1.1.1|1|1.0.0.0/24|1|IGP||0|0||NAG||\n"),
      HasSubstr("t.txt:1: empty gateway"));
}

TEST(DetectTest, UnknownAndEmpty) {
  EXPECT_THAT(ErrorOf("# only a comment\n\n"), HasSubstr("no routes"));
  EXPECT_THAT(ErrorOf("# c\nhello world\n"),
              HasSubstr("t.txt:2: cannot tell the table format"));
}

TEST(FormatNameTest, RoundTrip) {
  for (const char* name :
       {"auto", "route-n", "exercise", "ip", "cidr", "bgpdump"}) {
    EXPECT_EQ(FormatName(*ParseFormatName(name)), name);
  }
  EXPECT_FALSE(ParseFormatName("csv").ok());
}

TEST(LoadFileTest, ExampleFilesAndErrors) {
  for (const char* f :
       {"examples/exercise.txt", "examples/host-route-n.txt",
        "examples/two-addresses-route-n.txt", "examples/office-ip-route.txt"}) {
    absl::StatusOr<LoadResult> r = LoadRouteFile(SourcePath(f), {});
    EXPECT_TRUE(r.ok()) << f << ": " << r.status();
  }
  absl::StatusOr<LoadResult> missing = LoadRouteFile("/nonexistent/x", {});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.status().message()),
              HasSubstr("/nonexistent/x"));
}

TEST(LoadFileTest, BinaryDataNamesTheLine) {
  const std::string path = ::testing::TempDir() + "/nul.txt";
  std::ofstream(path) << "1.0.0.0/24\n"
                      << std::string("2.0.0.0/8\0", 10) << "\n";
  absl::StatusOr<LoadResult> r = LoadRouteFile(path, {});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("nul.txt:2: binary"));
}

// Issue 13, item 1: a gzip file cut in the middle (here the bundled table
// cut at 1,451,264 bytes, as in the issue) is an error naming the file, not
// half a table; the whole file still loads.
TEST(LoadFileTest, TruncatedGzipIsAnError) {
  std::ifstream in(SourcePath("bench/data/bgp-tier1-2024.txt.gz"),
                   std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 1451264u);
  for (size_t cut : {size_t{1451264}, bytes.size() - 4, size_t{100}}) {
    const std::string path = ::testing::TempDir() + "/cut.txt.gz";
    std::ofstream(path, std::ios::binary) << bytes.substr(0, cut);
    absl::StatusOr<LoadResult> r = LoadRouteFile(path, {});
    ASSERT_FALSE(r.ok()) << "cut at " << cut << " loaded " << r->routes.size()
                         << " routes";
    EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(std::string(r.status().message()),
                HasSubstr("cut.txt.gz: truncated or corrupt gzip"));
  }
  // A flipped byte inside the stream: corrupt, also refused.
  std::string corrupt = bytes;
  corrupt[corrupt.size() / 2] ^= 0x5A;
  const std::string path = ::testing::TempDir() + "/corrupt.txt.gz";
  std::ofstream(path, std::ios::binary) << corrupt;
  absl::StatusOr<LoadResult> r = LoadRouteFile(path, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("corrupt.txt.gz: "));
}

TEST(LoadFileTest, BundledRealTable) {
  absl::StatusOr<LoadResult> r =
      LoadRouteFile(SourcePath("bench/data/bgp-tier1-2024.txt.gz"), {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->format, RouteFormat::kCidr);
  EXPECT_EQ(r->routes.size(), 901899u);
  // Every IPv6 prefix of the file, as `zcat FILE | grep -c :` counts them.
  EXPECT_EQ(r->routes6.size(), 160147u);
  EXPECT_TRUE(r->warnings.empty());
}

}  // namespace
}  // namespace nexthop
