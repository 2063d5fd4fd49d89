// `nexthop router` forwarding real packets, checked with the real Linux
// tools (issue 17): h1 -- r -- h2 in network namespaces the test creates
// (tests/live_router_topology.h), nexthop as r. ping, traceroute (ICMP
// and UDP), an unrouted destination, arping, fragmentation needed and
// tracepath, TCP with iperf3, and tcpdump's checksum verdicts. Needs root
// and the tools (scripts/install-deps.sh); skipped with the reason
// otherwise. The router's errors (bad config line, missing interface, a
// kernel that would answer too) are checked without root first.
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/live_router_suite.h"
#include "tests/live_router_topology.h"
#include "tests/netns.h"

namespace nexthop {
namespace {

using testing::LiveRouterTopology;
using testing::Shell;

std::string Cli() { return NEXTHOP_CLI; }

std::string WriteConfig(const std::string& name, const std::string& text) {
  const std::string path =
      absl::StrCat(::testing::TempDir(), "lr-", getpid(), "-", name);
  std::ofstream(path) << text;
  return path;
}

// --- errors, no root needed ----------------------------------------------

TEST(RouterCliTest, BadConfigLineIsOneLineNamingFileAndLine) {
  const std::string conf = WriteConfig(
      "bad.conf", "ip addr add 10.77.1.1/24 dev veth-a\nip route add 10.9/\n");
  auto [status, out] =
      Shell(absl::StrCat(Cli(), " router --config ", conf, " 2>&1"));
  EXPECT_EQ(status, 1) << out;
  EXPECT_TRUE(absl::StartsWith(out, "nexthop: " + conf + ":2: ")) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
}

TEST(RouterCliTest, MissingInterfaceIsOneLineNamingIt) {
  const std::string conf =
      WriteConfig("missing.conf", "ip addr add 10.77.1.1/24 dev nh-none0\n");
  auto [status, out] =
      Shell(absl::StrCat(Cli(), " router --config ", conf, " 2>&1"));
  EXPECT_EQ(status, 1) << out;
  EXPECT_EQ(out, absl::StrCat("nexthop: Cannot find device \"nh-none0\" "
                              "(named at ",
                              conf, ":1)\n"));
}

TEST(RouterCliTest, BadRouteFileLineIsNamedToo) {
  const std::string conf =
      WriteConfig("r.conf", "ip addr add 10.77.1.1/24 dev veth-a\n");
  const std::string routes = WriteConfig(
      "routes.txt", "10.77.8.0/24 via 10.77.1.9\n10.77.9.0/24 via 10.5.0.1\n");
  auto [status, out] = Shell(absl::StrCat(Cli(), " router --config ", conf,
                                          " --routes ", routes, " 2>&1"));
  EXPECT_EQ(status, 1) << out;
  EXPECT_EQ(out, absl::StrCat("nexthop: ", routes,
                              ":2: Network is unreachable: no interface has "
                              "10.5.0.1 on its network\n"));
}

// A router killed with SIGKILL leaves its socket behind, and its PID may
// be another process's by now: `show` without --control must not count
// such a socket as a router (before, two made it answer "several
// routers"). One named after this test's own PID (alive) is stale too.
TEST(RouterCliTest, ShowSkipsSocketsNothingListensOn) {
  const std::string control = WriteConfig("control-dir", "") + ".d";
  ASSERT_EQ(Shell("rm -rf " + control + " && mkdir " + control).first, 0);
  std::ofstream(control + "/router-4194305.sock") << "";
  std::ofstream(absl::StrCat(control, "/router-", getpid(), ".sock")) << "";
  const std::string env = "NEXTHOP_CONTROL_DIR=" + control + " ";
  auto [status, out] = Shell(env + Cli() + " router show 2>&1");
  EXPECT_EQ(status, 1) << out;
  EXPECT_EQ(out,
            absl::StrCat("nexthop: no control socket of a running router in ",
                         control,
                         "; 2 left there by routers no longer running "
                         "(give --control PATH)\n"));
  EXPECT_EQ(Shell(Cli() + " router show --control 2>/dev/null").first, 2);
  Shell("rm -rf " + control + " " + WriteConfig("control-dir", ""));
}

TEST(RouterCliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Shell(Cli() + " router 2>/dev/null").first, 2);
  EXPECT_EQ(Shell(Cli() + " router --config 2>/dev/null").first, 2);
  EXPECT_EQ(Shell(Cli() + " router --bogus x 2>/dev/null").first, 2);
  auto [status, out] = Shell(Cli() + " router --help");
  EXPECT_EQ(status, 0);
  EXPECT_TRUE(absl::StrContains(out, "usage: nexthop router")) << out;
}

// --- the live network ----------------------------------------------------

class LiveRouterTest : public testing::LiveRouterSuite {
 protected:
  static void SetUpTestSuite() {
    SetUpNetwork(Cli(), 77,
                 {"ping", "traceroute", "tracepath", "arping", "iperf3",
                  "ethtool", "tcpdump"},
                 nullptr, {});
  }

  // Starts `command` in `ns` in the background (killed after 30 s at
  // most); the PID to kill it by.
  static std::string Background(const testing::Netns& ns,
                                const std::string& command) {
    return std::string(absl::StripAsciiWhitespace(
        Shell(absl::StrCat(ns.Exec(), "timeout 30 ", command, " & echo $!"))
            .second));
  }
};

TEST_F(LiveRouterTest, OnlyTheRouterForwards) {
  // The kernel of r alone (router stopped) must not carry h1's ping...
  EXPECT_EQ(net_->StopRouter(), 0) << "SIGTERM is a clean stop";
  auto [status, out] = In(net_->h1(), "ping -c 2 -i 0.2 -W 1 10.77.2.2");
  EXPECT_NE(status, 0) << out;
  EXPECT_FALSE(absl::StrContains(out, "bytes from 10.77.2.2")) << out;
  // ...and with nexthop it does.
  ASSERT_EQ(net_->StartRouter(), "");
  std::tie(status, out) = In(net_->h1(), "ping -c 2 -i 0.2 -W 2 10.77.2.2");
  EXPECT_EQ(status, 0) << out;
}

TEST_F(LiveRouterTest, PingReplyShowsOneDecrement) {
  auto [status, out] = In(net_->h1(), "ping -c 3 -i 0.2 -W 2 10.77.2.2");
  EXPECT_EQ(status, 0) << out;
  EXPECT_TRUE(absl::StrContains(out, "3 received")) << out;
  // h2 answers with TTL 64; r takes one off.
  EXPECT_TRUE(absl::StrContains(out, "from 10.77.2.2: icmp_seq=1 ttl=63 "))
      << out;
}

TEST_F(LiveRouterTest, TracerouteIcmpAndUdpListTheRouterFirst) {
  for (const char* mode : {"-I ", ""}) {
    auto [status, out] = In(net_->h1(), absl::StrCat("traceroute ", mode,
                                                     "-n -q 1 -w 2 -m 4 "
                                                     "10.77.2.2"));
    EXPECT_EQ(status, 0) << out;
    EXPECT_TRUE(absl::StrContains(out, "\n 1  10.77.1.1  ")) << mode << out;
    EXPECT_TRUE(absl::StrContains(out, "\n 2  10.77.2.2  ")) << mode << out;
  }
}

TEST_F(LiveRouterTest, UnroutedDestinationGetsNetUnreachable) {
  auto [status, out] = In(net_->h1(), "ping -c 1 -W 2 10.77.9.9");
  EXPECT_NE(status, 0) << out;
  EXPECT_TRUE(absl::StrContains(
      out, "From 10.77.1.1 icmp_seq=1 Destination Net Unreachable"))
      << out;
}

TEST_F(LiveRouterTest, ArpingGetsTheInterfacesMac) {
  auto [s1, link] = Shell(net_->r().Ip() + "link show veth-b");
  const size_t at = link.find("link/ether ");
  ASSERT_NE(at, std::string::npos) << link;
  const std::string mac = link.substr(at + 11, 17);
  auto [status, out] = In(net_->h2(), "arping -c 1 -w 3 -I eth0 10.77.2.1");
  EXPECT_EQ(status, 0) << out;
  EXPECT_TRUE(absl::StrContains(absl::AsciiStrToLower(out),
                                absl::StrCat("from ", mac, " (10.77.2.1)")))
      << mac << "\n"
      << out;
}

TEST_F(LiveRouterTest, TooBigWithDfGetsFragNeededAndTracepathFindsPmtu) {
  Shell(net_->h1().Ip() + "route flush cache");
  // 1372 bytes of data + 28 of headers: 1400, over veth-b's 1280.
  auto [status, out] = In(net_->h1(), "ping -c 1 -W 2 -M do -s 1372 10.77.2.2");
  EXPECT_TRUE(absl::StrContains(
      out, "From 10.77.1.1 icmp_seq=1 Frag needed and DF set (mtu = 1280)"))
      << out;
  Shell(net_->h1().Ip() + "route flush cache");
  std::tie(status, out) = In(net_->h1(), "tracepath -n -m 4 10.77.2.2");
  EXPECT_EQ(status, 0) << out;
  EXPECT_TRUE(absl::StrContains(out, "Resume: pmtu 1280 ")) << out;
}

TEST_F(LiveRouterTest, TcpThroughTheRouterWithIperf3) {
  const std::string server =
      Background(net_->h2(), "iperf3 -s -1 -p 5277 >/dev/null 2>&1");
  Shell("sleep 0.5");
  auto [status, out] = In(net_->h1(), "iperf3 -c 10.77.2.2 -p 5277 -t 2");
  Shell(absl::StrCat("kill ", server, " 2>/dev/null"));
  EXPECT_EQ(status, 0) << out;
  EXPECT_TRUE(absl::StrContains(out, " receiver")) << out;
  EXPECT_TRUE(absl::StrContains(out, "iperf Done.")) << out;
}

TEST_F(LiveRouterTest, TcpdumpSeesNoBadChecksums) {
  // tcpdump -vv verifies IP, ICMP, UDP and TCP checksums and prints
  // "(correct)", "bad cksum", "wrong icmp cksum" or "(incorrect ...)".
  const std::string dump = ::testing::TempDir() + "lr-tcpdump-";
  std::vector<std::string> pids;
  for (const testing::Netns* ns : {&net_->h1(), &net_->h2()}) {
    pids.push_back(
        Background(*ns, absl::StrCat("tcpdump -vv -n -l -i eth0 -c 300 ip >",
                                     dump, ns->name(), " 2>/dev/null")));
  }
  Shell("sleep 1");
  In(net_->h1(), "ping -c 2 -i 0.2 10.77.2.2");
  In(net_->h1(), "traceroute -n -q 1 -w 1 -m 3 10.77.2.2");
  pids.push_back(
      Background(net_->h2(), "iperf3 -s -1 -p 5278 >/dev/null 2>&1"));
  Shell("sleep 0.5");
  In(net_->h1(), "iperf3 -c 10.77.2.2 -p 5278 -n 200K");
  Shell(absl::StrCat("sleep 1; kill ", absl::StrJoin(pids, " "),
                     " 2>/dev/null; sleep 0.5"));
  for (const testing::Netns* ns : {&net_->h1(), &net_->h2()}) {
    const std::string text = Shell("cat " + dump + ns->name()).second;
    EXPECT_TRUE(absl::StrContains(text, "(correct)")) << ns->name() << text;
    EXPECT_TRUE(absl::StrContains(text, "ICMP echo reply")) << text;
    for (const char* bad :
         {"bad cksum", "wrong", "incorrect", "bad udp", "bad tcp"}) {
      EXPECT_FALSE(absl::StrContains(text, bad)) << ns->name() << text;
    }
  }
}

TEST_F(LiveRouterTest, RefusesToRunBesideAnAnsweringKernel) {
  ASSERT_EQ(net_->StopRouter(), 0);
  const std::string run =
      absl::StrCat(net_->r().Exec(), "timeout 10 ", Cli(), " router --config ",
                   net_->config_path(), " 2>&1");
  Shell(net_->r().Ip() + "addr add 10.77.1.1/24 dev veth-a");
  auto [status, out] = Shell(run);
  EXPECT_EQ(status, 1) << out;
  EXPECT_TRUE(
      absl::StrContains(out, "veth-a has the kernel IPv4 address 10.77.1.1/24"))
      << out;
  Shell(net_->r().Ip() + "addr flush dev veth-a");
  Shell(net_->r().Exec() + "sysctl -qw net.ipv4.ip_forward=1");
  std::tie(status, out) = Shell(run);
  Shell(net_->r().Exec() + "sysctl -qw net.ipv4.ip_forward=0");
  EXPECT_EQ(status, 1) << out;
  EXPECT_TRUE(absl::StrContains(out, "net.ipv4.ip_forward=1")) << out;
  Shell(net_->r().Exec() + "sysctl -qw net.ipv6.conf.veth-b.disable_ipv6=0");
  std::tie(status, out) = Shell(run);
  Shell(net_->r().Exec() + "sysctl -qw net.ipv6.conf.veth-b.disable_ipv6=1");
  EXPECT_EQ(status, 1) << out;
  EXPECT_TRUE(absl::StrContains(out, "IPv6 is on for veth-b")) << out;
  ASSERT_EQ(net_->StartRouter(), "");
}

// The kernel reports a port going down as a socket error, and reports it
// until it is read: a loop that did not read it would spin.
TEST_F(LiveRouterTest, PortDownDoesNotSpinAndUpForwardsAgain) {
  auto cpu_ticks = [] {
    std::ifstream f(absl::StrCat("/proc/", net_->router_pid(), "/stat"));
    std::string text((std::istreambuf_iterator<char>(f)),
                     std::istreambuf_iterator<char>());
    // utime and stime: fields 14 and 15, after the ")" that ends comm.
    std::vector<std::string> w =
        absl::StrSplit(text.substr(text.rfind(')') + 2), ' ');
    return w.size() > 12 ? std::stol(w[11]) + std::stol(w[12]) : -1;
  };
  Shell(net_->r().Ip() + "link set veth-a down");
  const long before = cpu_ticks();
  Shell("sleep 1");
  const long after = cpu_ticks();
  Shell(net_->r().Ip() + "link set veth-a up");
  ASSERT_GE(before, 0);
  EXPECT_LT(after - before, 20) << "CPU ticks in 1 s with a port down";
  auto [status, out] = In(net_->h1(), "ping -c 2 -i 0.2 -W 2 10.77.2.2");
  EXPECT_EQ(status, 0) << out;
}

TEST_F(LiveRouterTest, ConfigKeepsTheInterfacesMacAndMtu) {
  std::ifstream in(net_->config_path());
  const std::string base((std::istreambuf_iterator<char>(in)),
                         std::istreambuf_iterator<char>());
  for (const auto& [line, want] :
       {std::pair{"ip link set veth-a address 02:00:00:00:00:99",
                  ":4: the router uses veth-a's own MAC"},
        {"ip link set veth-b mtu 1500",
         ":4: MTU 1500 is above veth-b's MTU in the kernel (1280)"}}) {
    const std::string conf = WriteConfig("mac.conf", base + line + "\n");
    auto [status, out] =
        Shell(absl::StrCat(net_->r().Exec(), "timeout 10 ", Cli(),
                           " router --config ", conf, " 2>&1"));
    EXPECT_EQ(status, 1) << out;
    EXPECT_TRUE(absl::StrContains(out, conf + want)) << out;
  }
}

}  // namespace
}  // namespace nexthop
