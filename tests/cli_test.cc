// The `nexthop` binary on the worked examples, run as a user would.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_data.h"

namespace nexthop {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::SourcePath;

struct CliRun {
  int exit_code;
  std::string out;
  std::string err;
};

std::string Slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// A scratch path of this test's own: ctest runs tests in parallel.
std::string Scratch(const std::string& name) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return ::testing::TempDir() + "/" + info->test_suite_name() + "." +
         info->name() + "." + std::to_string(getpid()) + "." + name;
}

CliRun Cli(const std::string& args, const std::string& input = "") {
  const std::string in = Scratch("in"), out = Scratch("out"),
                    err = Scratch("err");
  std::ofstream(in) << input;
  const std::string cmd = std::string("cd ") + NEXTHOP_SOURCE_DIR + " && " +
                          NEXTHOP_CLI + " " + args + " <" + in + " >" + out +
                          " 2>" + err;
  const int status = std::system(cmd.c_str());
  return CliRun{WIFEXITED(status) ? WEXITSTATUS(status) : -1, Slurp(out),
                Slurp(err)};
}

TEST(CliTest, Example2ExerciseAnswersB) {
  for (const char* algo : {"linear", "patricia", "dir24_8"}) {
    CliRun r = Cli(std::string("lookup --algo ") + algo +
                   " --table examples/exercise.txt 128.75.43.16 192.12.17.10 "
                   "192.12.17.5 128.75.43.200");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out,
              "128.75.43.16 via B matched 128.75.43.0/25\n"
              "192.12.17.10 via D matched 0.0.0.0/0\n"
              "192.12.17.5 via C matched 192.12.17.5/32\n"
              "128.75.43.200 via A matched 128.75.43.0/24\n")
        << algo;
  }
}

TEST(CliTest, Example2Explained) {
  CliRun r = Cli("lookup --explain --table examples/exercise.txt 128.75.43.16");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("128.75.43.0     255.255.255.128 B               "
                        "128.75.43.0       match, /25"));
  EXPECT_THAT(r.out,
              HasSubstr("192.12.17.5     255.255.255.255 C               "
                        "128.75.43.16      no match"));
  EXPECT_THAT(r.out, HasSubstr("3 entries match; the longest mask wins: "
                               "255.255.255.128 (/25), gateway B"));
  CliRun one =
      Cli("lookup --explain --table examples/exercise.txt 192.12.17.10");
  EXPECT_THAT(one.out, HasSubstr("one entry matches: use it, gateway D"));
}

TEST(CliTest, Example1GatewayOrOnLink) {
  CliRun r = Cli(
      "lookup --table examples/host-route-n.txt 110.242.68.3 192.168.1.102");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "110.242.68.3 via 192.168.1.1 dev eth0 matched 0.0.0.0/0 "
            "(ARP for 192.168.1.1)\n"
            "192.168.1.102 on-link dev eth0 matched 192.168.1.0/24 "
            "(ARP for 192.168.1.102)\n");
}

TEST(CliTest, Example3LenientWarnsStrictRefuses) {
  CliRun lenient =
      Cli("lookup --json --table examples/two-addresses-route-n.txt "
          "192.168.1.55 192.168.7.7");
  ASSERT_EQ(lenient.exit_code, 0) << lenient.err;
  EXPECT_THAT(lenient.err, HasSubstr("two-addresses-route-n.txt:4: warning: "
                                     "destination 192.168.1.0 255.255.0.0 has "
                                     "bits set outside its mask; using "
                                     "192.168.0.0/16"));
  EXPECT_THAT(lenient.out, HasSubstr(R"("dst":"192.168.1.55")"));
  EXPECT_THAT(lenient.out, HasSubstr(R"("gateway":"192.168.1.2")"));
  EXPECT_THAT(lenient.out, HasSubstr(R"("prefix":"192.168.1.55/32")"));
  EXPECT_THAT(lenient.out, HasSubstr(R"("flags":"UGH")"));
  // E2: without the host route, 192.168.x.x is on-link via the /16.
  EXPECT_THAT(lenient.out, HasSubstr(R"("arp_for":"192.168.7.7")"));
  EXPECT_THAT(lenient.out, HasSubstr(R"("prefix":"192.168.0.0/16")"));

  CliRun strict =
      Cli("lookup --strict --table examples/two-addresses-route-n.txt 1.1.1.1");
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_EQ(strict.out, "");
  EXPECT_THAT(strict.err,
              HasSubstr("two-addresses-route-n.txt:4: invalid prefix "
                        "192.168.1.0/16: bits set outside the mask"));
}

TEST(CliTest, JsonMissHasNullPrefix) {
  CliRun r =
      Cli("lookup --json --table examples/office-ip-route.txt 10.10.64.56", "");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr(R"("gateway":null)"));
  EXPECT_THAT(r.out, HasSubstr(R"("dev":"eth0")"));
  std::ofstream(Scratch("only24.txt")) << "10.0.0.0/24 dev eth0\n";
  CliRun miss =
      Cli("lookup --json --table " + Scratch("only24.txt") + " 8.8.8.8");
  EXPECT_EQ(miss.out,
            R"({"dev":null,"dst":"8.8.8.8","family":"inet","gateway":null,)"
            R"("prefix":null})"
            "\n");
}

TEST(CliTest, Example4OfficeNetwork) {
  CliRun r =
      Cli("lookup --table examples/office-ip-route.txt 223.5.5.5 10.10.64.56");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "223.5.5.5 via 10.10.64.1 dev eth0 matched 0.0.0.0/0 metric 100 "
            "(ARP for 10.10.64.1)\n"
            "10.10.64.56 on-link dev eth0 matched 10.10.64.0/21 metric 100 "
            "(ARP for 10.10.64.56)\n");
  CliRun calc = Cli("calc 10.10.64.55 255.255.248.0");
  ASSERT_EQ(calc.exit_code, 0) << calc.err;
  EXPECT_THAT(calc.out, HasSubstr("00001010.00001010.01000000.00110111"));
  EXPECT_THAT(calc.out, HasSubstr("11111111.11111111.11111000.00000000"));
  EXPECT_THAT(calc.out, HasSubstr("network:    10.10.64.0/21"));
  EXPECT_THAT(calc.out, HasSubstr("broadcast:  10.10.71.255"));
  EXPECT_THAT(calc.out, HasSubstr("10.10.64.1 - 10.10.71.254 (2046 usable)"));
  EXPECT_THAT(calc.out, HasSubstr("addresses:  2048"));
  EXPECT_THAT(calc.out, HasSubstr("21 network bits, 11 host bits"));
  EXPECT_EQ(Cli("calc 10.10.64.55/21").out, calc.out);
}

TEST(CliTest, CalcIpv6) {
  CliRun calc = Cli("calc 2001:db8:1:2::1/32");
  ASSERT_EQ(calc.exit_code, 0) << calc.err;
  EXPECT_THAT(calc.out, HasSubstr("address:    2001:db8:1:2::1\n"));
  EXPECT_THAT(calc.out, HasSubstr("prefix:     2001:db8::/32"));
  EXPECT_THAT(calc.out, HasSubstr("(32 network bits, 96 host bits)"));
  EXPECT_THAT(calc.out, HasSubstr("first:      2001:db8::\n"));
  EXPECT_THAT(calc.out,
              HasSubstr("last:       2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"));
  EXPECT_THAT(calc.out,
              HasSubstr("addresses:  79228162514264337593543950336 (2^96)"));
  EXPECT_THAT(calc.out,
              HasSubstr("documentation (RFC 3849), in 2001:db8::/32"));
  EXPECT_THAT(Cli("calc ::/0").out,
              HasSubstr("340282366920938463463374607431768211456 (2^128)"));
  EXPECT_THAT(Cli("calc fe80::1").out, HasSubstr("addresses:  1 "));
  EXPECT_THAT(Cli("calc fd12::1/48").out, HasSubstr("unique local"));
  // The kind is the prefix's, not the typed address's.
  EXPECT_THAT(Cli("calc 2001:db8::1/3").out,
              HasSubstr("global unicast (RFC 4291), in 2000::/3"));
  EXPECT_THAT(Cli("calc ::/0").out, HasSubstr("type:       several kinds"));
  for (const char* bad : {"calc 2001:db8::/129", "calc 2001:db8:::1/32"}) {
    const CliRun r = Cli(bad);
    EXPECT_EQ(r.exit_code, 1) << bad;
    EXPECT_FALSE(r.err.empty()) << bad;
  }
  const CliRun usage = Cli("calc 2001:db8::/32 ffff::");
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_FALSE(usage.err.empty());
}

TEST(CliTest, Example5PrivateBlocks) {
  EXPECT_THAT(
      Cli("calc 10.1.2.3/8").out,
      HasSubstr("yes, in 10.0.0.0/8 (RFC 1918: 10.0.0.0-10.255.255.255, "
                "16777216 addresses)"));
  EXPECT_THAT(
      Cli("calc 172.31.255.255/12").out,
      HasSubstr("yes, in 172.16.0.0/12 (RFC 1918: 172.16.0.0-172.31.255.255, "
                "1048576 addresses)"));
  EXPECT_THAT(
      Cli("calc 192.168.1.102/24").out,
      HasSubstr(
          "yes, in 192.168.0.0/16 (RFC 1918: 192.168.0.0-192.168.255.255, "
          "65536 addresses)"));
  EXPECT_THAT(Cli("calc 172.32.0.1/16").out, HasSubstr("private:    no"));
  EXPECT_THAT(Cli("calc 8.8.8.8/32").out, HasSubstr("(a single host route)"));
}

TEST(CliTest, CalcErrors) {
  EXPECT_EQ(Cli("calc 10.0.0.1 255.0.255.0").exit_code, 1);
  EXPECT_THAT(Cli("calc 10.0.0.1 255.0.255.0").err,
              HasSubstr("not contiguous"));
  EXPECT_EQ(Cli("calc 10.0.0.1/33").exit_code, 1);
  EXPECT_EQ(Cli("calc 10.0.0.256/8").exit_code, 1);
  EXPECT_EQ(Cli("calc").exit_code, 2);
}

TEST(CliTest, StdinBulkAndBadLine) {
  CliRun r = Cli("lookup --algo dir24_8 --table examples/exercise.txt",
                 "128.75.43.16\n\n192.12.17.10\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "128.75.43.16 via B matched 128.75.43.0/25\n"
            "192.12.17.10 via D matched 0.0.0.0/0\n");
  CliRun bad =
      Cli("lookup --table examples/exercise.txt", "1.2.3.4\n1.2.3.400\n");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err,
              HasSubstr("<stdin>:2: invalid IPv4 address '1.2.3.400'"));
}

TEST(CliTest, BadTableFilesNameTheLine) {
  const std::string path = Scratch("bad.txt");
  std::ofstream(path) << "default via 10.0.0.1 dev eth0\n"
                         "10.0.0.0/8 dev eth0\n"
                         "10.1.0.0/16 via 10.0.0.300\n";
  CliRun r = Cli("lookup --table " + path + " 1.1.1.1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err,
              HasSubstr(".bad.txt:3: invalid IPv4 address '10.0.0.300'"));
  CliRun missing = Cli("lookup --table /no/such/file 1.1.1.1");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("/no/such/file: cannot open"));
  EXPECT_THAT(Cli("lookup 1.1.1.1").err,
              HasSubstr("lookup needs --table FILE"));
  EXPECT_THAT(
      Cli("lookup --table examples/exercise.txt --algo btree 1.1.1.1").err,
      HasSubstr("unknown algorithm 'btree'"));
  EXPECT_THAT(
      Cli("lookup --table examples/exercise.txt --format xml 1.1.1.1").err,
      HasSubstr("unknown format 'xml'"));
}

TEST(CliTest, UsageErrorsAndHelp) {
  EXPECT_EQ(Cli("frobnicate").exit_code, 2);
  EXPECT_EQ(Cli("").exit_code, 2);
  CliRun help = Cli("--help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("lookup"));
  for (const char* cmd : {"lookup", "show", "calc"}) {
    CliRun r = Cli(std::string(cmd) + " --help");
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_THAT(r.out, HasSubstr(std::string("usage: nexthop ") + cmd));
  }
  CliRun wrong = Cli("calc --algo dir24_8 10.0.0.0/8");
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_THAT(wrong.err, HasSubstr("unknown flag '--algo'"));
  EXPECT_EQ(Cli("show --table examples/exercise.txt --format json").exit_code,
            2);
}

TEST(CliTest, ShowRouteNAndIpRoundTrip) {
  CliRun shown = Cli("show --table examples/host-route-n.txt");
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  // Byte for byte what route -n printed in Example 1.
  EXPECT_EQ(shown.out, Slurp(SourcePath("examples/host-route-n.txt")));
  CliRun ip =
      Cli("show --format ip --table examples/two-addresses-route-n.txt");
  ASSERT_EQ(ip.exit_code, 0) << ip.err;
  EXPECT_EQ(ip.out,
            "default via 192.168.1.1 dev eth0\n"
            "192.168.0.0/16 dev eth0 scope link\n"
            "192.168.1.55 via 192.168.1.2 dev eth0\n");
  // What show prints, the loaders read back to the same answers.
  for (const char* style : {"route", "ip"}) {
    const std::string path = Scratch("shown.txt");
    std::ofstream(path) << Cli(std::string("show --format ") + style +
                               " --table examples/exercise.txt")
                               .out;
    CliRun again = Cli("lookup --table " + path +
                       " 128.75.43.16 192.12.17.10 192.12.17.5 128.75.43.200");
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(again.out,
              Cli("lookup --table examples/exercise.txt 128.75.43.16 "
                  "192.12.17.10 192.12.17.5 128.75.43.200")
                  .out)
        << style;
  }
}

TEST(CliTest, BundledTableLoadsBothFamilies) {
  CliRun r =
      Cli("lookup --algo dir24_8 --algo6 poptrie6 --table "
          "bench/data/bgp-tier1-2024.txt.gz 1.0.0.1 2001:200:900::1 "
          "2c0f:ffff::1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "1.0.0.1 on-link matched 1.0.0.0/24 (ARP for 1.0.0.1)\n"
            "2001:200:900::1 on-link matched 2001:200:900::/40 (NDP for "
            "2001:200:900::1)\n"
            "2c0f:ffff::1 unreachable: no route matches\n");
  EXPECT_EQ(r.err, "");
}

// One table holding both families (what `ip route; ip -6 route` printed
// in a namespace): each address is looked up among its family's routes,
// by either IPv6 structure.
TEST(CliTest, LookupIpv4AndIpv6AgainstOneTable) {
  for (const char* algo6 : {"patricia6", "poptrie6", "dxr6"}) {
    CliRun r = Cli(std::string("lookup --algo6 ") + algo6 +
                   " --table tests/data/ip_route_dual.txt 2001:db8:100::7 "
                   "198.51.100.9 2001:db8:200:ff::1 2001:db8:abcd::5 "
                   "2001:db8:abcd::6 fe80::1 10.0.0.1");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out,
              "2001:db8:100::7 via 2001:db8:1::2 dev v0 matched "
              "2001:db8:100::/48 metric 1024 (NDP for 2001:db8:1::2)\n"
              "198.51.100.9 via 192.0.2.254 dev v0 matched 198.51.100.0/24 "
              "(ARP for 192.0.2.254)\n"
              "2001:db8:200:ff::1 via 2001:db8:1::3 dev v0 matched "
              "2001:db8:200::/40 metric 10 (NDP for 2001:db8:1::3)\n"
              "2001:db8:abcd::5 via 2001:db8:1::2 dev v0 matched "
              "2001:db8:abcd::5/128 metric 1024 (NDP for 2001:db8:1::2)\n"
              "2001:db8:abcd::6 via 2001:db8:1::fe dev v0 matched ::/0 metric "
              "1024 (NDP for 2001:db8:1::fe)\n"
              "fe80::1 on-link dev v0 matched fe80::/64 metric 256 (NDP for "
              "fe80::1)\n"
              "10.0.0.1 unreachable: no route matches\n")
        << algo6;
  }
  // --json: the family, and NDP instead of ARP.
  CliRun j =
      Cli("lookup --json --table tests/data/ip_route_dual.txt 2001:db8:100::7 "
          "2001:db9::1");
  ASSERT_EQ(j.exit_code, 0) << j.err;
  EXPECT_EQ(j.out,
            R"({"dev":"v0","dst":"2001:db8:100::7","family":"inet6",)"
            R"("flags":"UG","gateway":"2001:db8:1::2","metric":1024,)"
            R"("ndp_for":"2001:db8:1::2","on_link":false,)"
            R"("prefix":"2001:db8:100::/48"})"
            "\n"
            R"({"dev":"v0","dst":"2001:db9::1","family":"inet6","flags":"UG",)"
            R"("gateway":"2001:db8:1::fe","metric":1024,)"
            R"("ndp_for":"2001:db8:1::fe","on_link":false,"prefix":"::/0"})"
            "\n");
  // stdin: both families line by line; a bad IPv6 line names its line.
  CliRun in = Cli("lookup --table tests/data/ip_route_dual.txt",
                  "198.51.100.1\n\n2001:db8:1::5\n2001:db8:::1\n");
  EXPECT_EQ(in.exit_code, 1);
  EXPECT_EQ(in.out,
            "198.51.100.1 via 192.0.2.254 dev v0 matched 198.51.100.0/24 (ARP "
            "for 192.0.2.254)\n"
            "2001:db8:1::5 on-link dev v0 matched 2001:db8:1::/64 metric 256 "
            "(NDP for 2001:db8:1::5)\n");
  EXPECT_THAT(in.err, HasSubstr("<stdin>:4: invalid IPv6 address"));
  CliRun bad = Cli(
      "lookup --algo6 poptrie --table tests/data/ip6_route.txt 2001:db8::1");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("unknown algorithm 'poptrie' (choose one of "
                                 "patricia6, poptrie6, dxr6)"));
}

TEST(CliTest, ExplainIpv6) {
  CliRun r = Cli(
      "lookup --explain --table tests/data/ip6_route.txt 2001:db8:200:1::1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("route decision for 2001:db8:200:1::1 (7 IPv6 "
                               "entries):"));
  EXPECT_THAT(r.out,
              HasSubstr("  2001:db8:200::/40              2001:db8:1::3       "
                        "       2001:db8:200::             match, /40\n"));
  EXPECT_THAT(r.out,
              HasSubstr("  2001:db8:100::/48              2001:db8:1::2       "
                        "       2001:db8:200::             no match\n"));
  EXPECT_THAT(r.out, HasSubstr("2 entries match; the longest prefix wins: "
                               "/40, gateway 2001:db8:1::3"));
  // Ties are explained as for IPv4: fe80::/64 on two devices.
  CliRun tie = Cli("lookup --explain --table tests/data/ip6_route.txt fe80::1");
  EXPECT_THAT(tie.out,
              HasSubstr("ties on metric 256 and gateway ::; loses to dev v0 "
                        "(the device name first in byte order)"));
}

// show prints IPv6 routes as `route -A inet6 -n` and `ip -6 route` do (the
// layouts of net-tools and iproute2), after the IPv4 ones, and the loaders
// read what it prints back to the same answers.
TEST(CliTest, ShowIpv6AsRouteAndIpDo) {
  CliRun shown = Cli("show --table tests/data/ip_route_dual.txt");
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(
      shown.out,
      HasSubstr("Kernel IP routing table\n"
                "Destination     Gateway         Genmask         Flags Metric "
                "Ref    Use Iface\n"
                "192.0.2.0       0.0.0.0         255.255.255.0   U     0      "
                "0        0 v0\n"));
  // net-tools: "%-30s %-26s %-4s %-3d %-1d %6d %s", Ref and Use 0 here.
  EXPECT_THAT(
      shown.out,
      HasSubstr("Kernel IPv6 routing table\n"
                "Destination                    Next Hop                   "
                "Flag Met Ref  Use If\n"
                "::/0                           2001:db8:1::fe             UG "
                "  1024 0      0 v0\n"
                "2001:db8:1::/64                ::                         U  "
                "  256 0      0 v0\n"));
  EXPECT_THAT(shown.out,
              HasSubstr("2001:db8:abcd::5/128           2001:db8:1::2        "
                        "      UG   1024 0      0 v0\n"));
  CliRun ip = Cli("show --format ip --table tests/data/route_inet6_n.txt");
  ASSERT_EQ(ip.exit_code, 0) << ip.err;
  EXPECT_THAT(ip.out, HasSubstr("default via 2001:db8:1::fe dev v0 metric "
                                "1024\n"));
  EXPECT_THAT(ip.out, HasSubstr("\n2001:db8:abcd::5 via 2001:db8:1::2 dev v0 "
                                "metric 1024\n"));
  EXPECT_THAT(ip.out, HasSubstr("\n2001:db8:1::/64 dev v0 metric 256\n"));
  EXPECT_THAT(ip.out, Not(HasSubstr("Kernel IP routing table")));
  const std::string addresses =
      " 2001:db8:100::7 198.51.100.9 2001:db8:200:ff::1 2001:db8:abcd::5 "
      "2001:db8:abcd::6 fe80::1 10.0.0.1 192.0.2.77";
  const std::string want =
      Cli("lookup --table tests/data/ip_route_dual.txt" + addresses).out;
  ASSERT_THAT(want, HasSubstr("2001:db8:abcd::5 via 2001:db8:1::2"));
  for (const char* style : {"route", "ip"}) {
    const std::string path = Scratch("shown.txt");
    std::ofstream(path) << Cli(std::string("show --format ") + style +
                               " --table tests/data/ip_route_dual.txt")
                               .out;
    CliRun again = Cli("lookup --table " + path + addresses);
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(again.out, want) << style;
  }
}

TEST(CliTest, SimExample3OnBsInterface) {
  const CliRun r =
      Cli("sim examples/sim/example3-two-addresses.topo -t -i B:eth0");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(
      r.out,
      HasSubstr("ARP, Request who-has 192.168.1.2 tell 192.168.1.3, length 28\n"
                "ARP, Reply 192.168.1.2 is-at 02:42:ac:11:00:03, length 28\n"
                "IP 192.168.1.3 > 192.168.1.55: ICMP echo request, id 17, seq "
                "1, length 64\n"
                "IP 192.168.1.55 > 192.168.1.3: ICMP echo reply, id 17, seq 1, "
                "length 64\n"));
  EXPECT_EQ(r.err, "");
}

TEST(CliTest, SimRunsExtraCommandsAndWritesPcaps) {
  const std::string dir = Scratch("pcap");
  const CliRun r = Cli("sim examples/sim/example7-switch.topo --pcap " + dir +
                       " --run 'A: arp -a' --run 'sw1: brctl showmacs'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(
      r.out,
      HasSubstr("? (192.168.7.2) at 02:00:00:00:00:0b [ether] PERM on eth0"));
  EXPECT_TRUE(std::ifstream(dir + "/A-eth0--sw1-p1.pcap").good());
}

// Issue 13, item 8: usage errors exit 2, as README says; `--table -`
// reads the table from stdin and the addresses from the arguments.
TEST(CliTest, UsageErrorsExitTwoAndTableFromStdin) {
  const std::string table =
      Slurp(std::string(NEXTHOP_SOURCE_DIR) + "/examples/exercise.txt");
  struct Case {
    std::string args;
    std::string input;
    int exit_code;
    std::string text;  // in stdout + stderr
  };
  const Case cases[] = {
      {"lookup 1.2.3.4", "", 2, "lookup needs --table FILE"},
      {"show", "", 2, "show needs --table FILE"},
      {"lookup --table", "", 2, "--table needs a value"},
      {"lookup 1.2.3.4 --algo", "", 2, "--algo needs a value"},
      {"lookup --table -", table, 2, "addresses go on the command line"},
      {"lookup --table - 128.75.43.16", table, 0,
       "128.75.43.16 via B matched 128.75.43.0/25"},
      {"lookup --table=- --algo poptrie 128.75.43.16", table, 0,
       "128.75.43.16 via B"},
      {"show --table -", table, 0, "128.75.43.0     B"},
      {"lookup --table - 1.2.3.4", "10.0.0.300/8\n", 1,
       "<stdin>:1: invalid IPv4 address '10.0.0.300'"},
  };
  for (const Case& c : cases) {
    const CliRun r = Cli(c.args, c.input);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.args << "\n" << r.err;
    EXPECT_THAT(r.out + r.err, HasSubstr(c.text)) << c.args;
    EXPECT_THAT(r.err, Not(HasSubstr("RAW:"))) << c.args;
  }
}

TEST(CliTest, SimErrors) {
  const std::string bad = Scratch("bad.topo");
  std::ofstream(bad) << "host A\n  ip addr add 10.0.0.300/24 dev eth0\n";
  const std::string topo = "examples/sim/example7-switch.topo";
  // Issue 13, item 5: a NUL byte names its line (it used to cut "host B"
  // short, failing later as "no node named 'B'"); item 7: a BOM is no part
  // of the first word.
  const std::string nul = Scratch("nul.topo");
  std::ofstream(nul) << "host A\n" << std::string("host B\0", 7) << "\n";
  const std::string bom = Scratch("bom.topo");
  std::ofstream(bom)
      << "\xEF\xBB\xBFhost A\n  ip addr add 10.0.0.1/24 dev eth0\n"
      << "switch s\nlink A:eth0 s:p1\n"
      << "run A: ping -c 1 10.0.0.1\n";
  struct Case {
    std::string args;
    int exit_code;
    std::string message;  // in stderr
  };
  const Case cases[] = {
      {"", 2, ""},
      {topo + " --frobnicate", 2, "unknown flag '--frobnicate'"},
      {"/nonexistent.topo", 1, "/nonexistent.topo: cannot open"},
      {bad, 1, bad + ":2: invalid IPv4 address '10.0.0.300'"},
      {topo + " --run 'Z: ping 1.1.1.1'", 1,
       "Z: ping 1.1.1.1: no node or switch named 'Z'"},
      {topo + " --run 'A: ping -c x 1.1.1.1'", 1, "option -c needs a number"},
      {topo + " -i A:eth9", 1, "'A' has no interface 'eth9'"},
      {"examples/sim", 1, "examples/sim: is a directory"},
      {nul, 1, nul + ":2: binary data (a NUL byte)"},
  };
  for (const Case& c : cases) {
    const CliRun r = Cli("sim " + c.args);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.args;
    EXPECT_THAT(r.err, HasSubstr(c.message)) << c.args;
  }
  const CliRun ok = Cli("sim -t " + bom);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("1 received"));
}

// Issue 13, item 12: on a metric tie --explain named no rule ("metric 5
// loses to metric 5"). Each losing route now says which rule of the
// table's order (RouteTable) decided against it.
TEST(CliTest, ExplainNamesTheTieRule) {
  const std::string path = Scratch("ties.txt");
  std::ofstream(path)
      << "Destination Gateway Genmask Flags Metric Ref Use Iface\n"
         "10.0.0.0    10.9.9.2 255.0.0.0 UG   5      0   0   eth0\n"
         "10.0.0.0    10.9.9.1 255.0.0.0 UG   5      0   0   eth0\n"
         "10.0.0.0    10.9.9.3 255.0.0.0 UG   1      0   0   eth0\n"
         "20.0.0.0    10.9.9.1 255.0.0.0 UG   5      0   0   eth0\n"
         "20.0.0.0    0.0.0.0  255.0.0.0 U    5      0   0   eth0\n"
         "30.0.0.0    10.9.9.1 255.0.0.0 UG   5      0   0   eth1\n"
         "30.0.0.0    10.9.9.1 255.0.0.0 UG   5      0   0   eth0\n"
         "40.0.0.0    B        255.0.0.0 UG   5      0   0   eth0\n"
         "40.0.0.0    A        255.0.0.0 UG   5      0   0   eth0\n"
         "50.0.0.0    10.9.9.1 255.0.0.0 UG   5      0   0   eth0\n"
         "50.0.0.0    A        255.0.0.0 UG   5      0   0   eth0\n"
         "60.0.0.0    10.9.9.2 255.0.0.0 UG   5      0   0   eth0\n"
         "60.0.0.0    10.9.9.1 255.0.0.0 UG   5      0   0   eth0\n";
  struct Case {
    std::string dst;
    std::string forwarded;  // in the one-line answer
    std::vector<std::string> reasons;
  };
  const Case cases[] = {
      // A lower metric wins whatever the gateway.
      {"10.1.1.1",
       "via 10.9.9.3",
       {"10.9.9.1        10.0.0.0          match, /8, metric 5 loses to "
        "metric 1",
        "10.9.9.2        10.0.0.0          match, /8, metric 5 loses to "
        "metric 1"}},
      {"20.1.1.1",
       "on-link",
       {"10.9.9.1        20.0.0.0          match, /8, ties on metric 5; "
        "loses to the on-link route (on-link before a gateway)"}},
      {"30.1.1.1",
       "dev eth0",
       {"ties on metric 5 and gateway 10.9.9.1; loses to dev eth0 (the "
        "device name first in byte order)"}},
      {"40.1.1.1",
       "via A",
       {"B               40.0.0.0          match, /8, ties on metric 5; "
        "loses to gateway A (the gateway name first in byte order)"}},
      {"50.1.1.1",
       "via A",
       {"10.9.9.1        50.0.0.0          match, /8, ties on metric 5; "
        "loses to gateway A (a named gateway before an address)"}},
      {"60.1.1.1",
       "via 10.9.9.1",
       {"10.9.9.2        60.0.0.0          match, /8, ties on metric 5; "
        "loses to gateway 10.9.9.1 (the lower gateway address)"}},
  };
  for (const Case& c : cases) {
    const CliRun r = Cli("lookup --explain --table " + path + " " + c.dst);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr(c.forwarded)) << c.dst;
    for (const std::string& reason : c.reasons) {
      EXPECT_THAT(r.out, HasSubstr(reason)) << c.dst;
    }
    EXPECT_THAT(r.out, Not(HasSubstr("metric 5 loses to metric 5")));
  }
}

// Issue 13, item 12: a pcap file that could not be opened was named twice
// ("D/x.pcap: D/x.pcap: Is a directory"), and `--pcap ''` wrote nothing
// without a word.
TEST(CliTest, PcapErrorsNameThePathOnce) {
  const std::string topo = "examples/sim/example7-switch.topo";
  const std::string dir = Scratch("pcap");
  const std::string blocked = dir + "/A-eth0--sw1-p1.pcap";
  ASSERT_EQ(std::system(("mkdir -p '" + blocked + "'").c_str()), 0);
  const CliRun r = Cli("sim " + topo + " --pcap " + dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "nexthop: " + blocked + ": Is a directory\n");
  const std::string file = Scratch("file");
  std::ofstream(file) << "x";
  const CliRun not_dir = Cli("sim " + topo + " --pcap " + file);
  EXPECT_EQ(not_dir.exit_code, 1);
  EXPECT_EQ(not_dir.err, "nexthop: " + file + ": Not a directory\n");
  for (const char* empty : {"''", "\"\""}) {
    const CliRun e = Cli("sim " + topo + " --pcap " + empty);
    EXPECT_EQ(e.exit_code, 2) << e.out;
    EXPECT_EQ(e.out, "");
    EXPECT_THAT(e.err, HasSubstr("sim: --pcap needs a directory, not an "
                                 "empty string"));
  }
}

// Issue 13, item 12: --format exercise on a CIDR file said only "expected
// 8 columns".
TEST(CliTest, WrongFormatSaysWhatTheFileLooksLike) {
  const std::string path = Scratch("cidr.txt");
  std::ofstream(path) << "1.0.0.0/24\t8419\n";
  const CliRun r = Cli("lookup --format exercise --table " + path + " 1.0.0.1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(path + ":1: expected 3 columns (Destination "
                                      "Gateway Genmask) or 8"));
  EXPECT_THAT(r.err, HasSubstr("looks like the cidr format, not exercise: "
                               "pass --format cidr"));
}

// Issue 13, item 12: duplicates print ten warnings and one count, not one
// warning each.
TEST(CliTest, RepeatedWarningsAreCounted) {
  const std::string path = Scratch("dups.txt");
  {
    std::ofstream f(path);
    for (int i = 0; i < 1000; ++i) f << "1.0.0.0/24 192.0.2.1\n";
  }
  const CliRun r = Cli("lookup --table " + path + " 1.0.0.1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 11) << r.err;
  EXPECT_THAT(r.err, HasSubstr(path + ": warning: ... and 989 more "
                                      "'duplicate route' warnings\n"));
}

}  // namespace
}  // namespace nexthop
