// The simulator against the worked examples (examples/sim/*.topo), and its
// errors. Each scenario file is run as `nexthop sim` would run it.
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "arp/arp_packet.h"
#include "fwd/tcpdump.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "net/ethernet.h"
#include "sim/config_command.h"
#include "sim/control_plane.h"
#include "sim/node.h"
#include "sim/switch.h"
#include "sim/topology.h"
#include "tests/control_plane_fixture.h"
#include "tests/test_data.h"

namespace nexthop {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

struct SimRun {
  std::string out;
  std::vector<std::string> lines;
  std::unique_ptr<Network> net;
};

// Loads a scenario, captures the given interfaces (no timestamps), runs
// its `run` lines and then `extra` ones.
SimRun Simulate(const std::string& file, std::vector<Endpoint> captures,
                std::vector<std::pair<std::string, std::string>> extra = {},
                bool link_header = false, const std::string& pcap_dir = "") {
  Network::Options o;
  o.timestamps = false;
  o.link_header = link_header;
  absl::StatusOr<Topology> t =
      LoadTopology(testing::SourcePath("examples/sim/" + file), o);
  EXPECT_TRUE(t.ok()) << t.status();
  SimRun r;
  if (!t.ok()) return r;
  for (const Endpoint& c : captures) {
    EXPECT_TRUE(t->network->Capture(c).ok());
  }
  if (!pcap_dir.empty()) {
    EXPECT_TRUE(t->network->WritePcaps(pcap_dir).ok());
  }
  std::ostringstream out;
  auto runs = t->runs;
  runs.insert(runs.end(), extra.begin(), extra.end());
  for (const auto& [device, command] : runs) {
    absl::Status s = t->network->Run(device, command, out);
    EXPECT_TRUE(s.ok()) << device << ": " << command << ": " << s;
  }
  r.out = out.str();
  r.lines = absl::StrSplit(r.out, '\n', absl::SkipEmpty());
  r.net = std::move(t->network);
  return r;
}

// The capture lines (tcpdump's ARP and IP lines) of a run.
std::vector<std::string> Frames(const SimRun& r) {
  std::vector<std::string> v;
  for (const std::string& l : r.lines) {
    if (absl::StartsWith(l, "ARP,") || absl::StartsWith(l, "IP "))
      v.push_back(l);
  }
  return v;
}

TEST(SimTest, Example3GivesTheArticlesFourLinesAndNoArpFromB) {
  SimRun r = Simulate("example3-two-addresses.topo", {{"B", "eth0"}});
  EXPECT_THAT(
      Frames(r),
      ElementsAre(
          "ARP, Request who-has 192.168.1.2 tell 192.168.1.3, length 28",
          "ARP, Reply 192.168.1.2 is-at 02:42:ac:11:00:03, length 28",
          "IP 192.168.1.3 > 192.168.1.55: ICMP echo request, id 17, seq 1, "
          "length 64",
          "IP 192.168.1.55 > 192.168.1.3: ICMP echo reply, id 17, seq 1, "
          "length 64"));
  EXPECT_THAT(r.out,
              HasSubstr("1 packets transmitted, 1 received, 0% packet loss"));
  // A's table as the article prints it, with the /16 normalised.
  EXPECT_THAT(r.out,
              HasSubstr("192.168.1.55    192.168.1.2     255.255.255.255 UGH"));
  EXPECT_THAT(r.out,
              HasSubstr("192.168.0.0     0.0.0.0         255.255.0.0     U "));
}

TEST(SimTest, E2ArpIgnoreZeroAnswersForTheLoopbackAddress) {
  SimRun r = Simulate("e2-arp-ignore-0.topo", {{"A", "eth0"}});
  const std::vector<std::string> f = Frames(r);
  ASSERT_GE(f.size(), 2u);
  // By A's own table the /16 on-link entry wins: A asks for .55 itself.
  EXPECT_EQ(f[0],
            "ARP, Request who-has 192.168.1.55 tell 192.168.1.3, length 28");
  EXPECT_EQ(f[1], "ARP, Reply 192.168.1.55 is-at 02:42:ac:11:00:03, length 28");
  EXPECT_THAT(r.out, HasSubstr("1 received, 0% packet loss"));
  EXPECT_THAT(r.out,
              Not(HasSubstr("who-has 192.168.1.1 ")));  // not the gateway
}

TEST(SimTest, E2ArpIgnoreOneLeavesThePingUnanswered) {
  SimRun r = Simulate("e2-arp-ignore-1.topo", {{"A", "eth0"}});
  EXPECT_THAT(
      Frames(r),
      ElementsAre(
          "ARP, Request who-has 192.168.1.55 tell 192.168.1.3, length 28",
          "ARP, Request who-has 192.168.1.55 tell 192.168.1.3, length 28",
          "ARP, Request who-has 192.168.1.55 tell 192.168.1.3, length 28"));
  EXPECT_THAT(
      r.out,
      HasSubstr("From 192.168.1.3 icmp_seq=1 Destination Host Unreachable"));
  EXPECT_THAT(
      r.out,
      HasSubstr(
          "1 packets transmitted, 0 received, +1 errors, 100% packet loss"));
  EXPECT_THAT(r.out, HasSubstr("? (192.168.1.55) at <incomplete> on eth0"));
}

TEST(SimTest, Example1DefaultRouteArpsForTheGatewayOnLinkForTheHost) {
  SimRun r = Simulate("example1-host-table.topo", {{"A", "eth0"}});
  const std::vector<std::string> f = Frames(r);
  ASSERT_GE(f.size(), 6u);
  EXPECT_EQ(f[0],
            "ARP, Request who-has 192.168.1.1 tell 192.168.1.100, length 28");
  EXPECT_THAT(r.out, Not(HasSubstr("who-has 110.242.68.3")));
  EXPECT_THAT(
      r.out,
      HasSubstr("ARP, Request who-has 192.168.1.102 tell 192.168.1.100"));
  EXPECT_THAT(r.out,
              HasSubstr("64 bytes from 110.242.68.3: icmp_seq=1 ttl=63"));
  EXPECT_THAT(r.out,
              HasSubstr("64 bytes from 192.168.1.102: icmp_seq=1 ttl=64"));
}

TEST(SimTest, Example4ArpTableAfterThePingAndOneHopTraceroute) {
  SimRun r = Simulate("example4-office.topo", {{"A", "eth0"}});
  EXPECT_THAT(r.out,
              HasSubstr("ARP, Request who-has 10.10.64.56 tell 10.10.64.55"));
  EXPECT_THAT(
      r.out, HasSubstr("? (10.10.64.56) at 02:42:ac:11:02:01 [ether] on eth0"));
  EXPECT_THAT(
      r.out,
      HasSubstr(
          " 1  10.10.64.56  0.200 ms  0.200 ms  0.200 ms\nPING 10.10.64.1"));
  // 223.5.5.5 goes to the gateway, whose MAC A has: no ARP at all.
  EXPECT_THAT(r.out, Not(HasSubstr("who-has 223.5.5.5")));
  const size_t ping = r.out.find("PING 223.5.5.5");
  ASSERT_NE(ping, std::string::npos);
  EXPECT_EQ(r.out.find("who-has 10.10.64.1 ", ping), std::string::npos);
  EXPECT_THAT(r.out, HasSubstr(" 3  223.5.5.5 "));
  EXPECT_THAT(r.out, Not(HasSubstr(" 4  ")));
}

TEST(SimTest, Example6TtlDropsPerRouterAndOnlyMacsChange) {
  SimRun r =
      Simulate("example6-three-routers.topo", {{"R1", "eth1"}, {"R2", "eth1"}},
               {}, /*link_header=*/true);
  EXPECT_THAT(r.out, HasSubstr("64 bytes from 10.0.3.10: icmp_seq=1 ttl=61"));
  EXPECT_THAT(r.out, HasSubstr(" 4  10.0.3.10 "));
  // The same echo request on two links: same IPs, different MACs.
  std::string on_r1, on_r2;
  for (const std::string& l : r.lines) {
    if (!absl::StrContains(l, "ICMP echo request, id") ||
        !absl::StrContains(l, "seq 2,"))
      continue;
    if (absl::StartsWith(l, "R1:eth1 ")) on_r1 = l;
    if (absl::StartsWith(l, "R2:eth1 ")) on_r2 = l;
  }
  ASSERT_FALSE(on_r1.empty());
  ASSERT_FALSE(on_r2.empty());
  auto macs = [](const std::string& l) { return l.substr(8, 39); };
  auto ip = [](const std::string& l) { return l.substr(l.find("IP ")); };
  EXPECT_EQ(ip(on_r1), ip(on_r2));
  EXPECT_THAT(ip(on_r1), HasSubstr("IP 10.0.1.2 > 10.0.3.10:"));
  EXPECT_NE(macs(on_r1), macs(on_r2));
}

TEST(SimTest, RoutersAnswerTtlExpiryNoRouteAndTooBig) {
  SimRun r = Simulate("example6-three-routers.topo", {},
                      {{"A", "ping -c 1 -t 2 10.0.3.10"},
                       {"A", "ping -c 1 10.9.9.9"},
                       {"R2", "ip link set dev eth1 mtu 1000"},
                       {"A", "ping -c 1 -s 1200 10.0.3.10"},
                       {"R2", "drops"}});
  // TTL 2: R1 forwards with 1, R2 may not.
  EXPECT_THAT(r.out,
              HasSubstr("From 10.0.12.2 icmp_seq=1 Time to live exceeded"));
  EXPECT_THAT(
      r.out,
      HasSubstr("From 10.0.12.2 icmp_seq=1 Destination Net Unreachable"));
  EXPECT_THAT(
      r.out,
      HasSubstr(
          "From 10.0.12.2 icmp_seq=1 Frag needed and DF set (mtu = 1000)"));
  EXPECT_THAT(r.out, HasSubstr("ttl_exceeded: "));
  EXPECT_THAT(r.out, HasSubstr("no_route: 1"));
}

TEST(SimTest, Example7SwitchFloodsTheFirstFrameThenLearns) {
  SimRun r = Simulate("example7-switch.topo", {{"C", "eth0"}});
  // C sees the first echo (destination unknown: flooded), not the second.
  EXPECT_THAT(
      r.out,
      HasSubstr(
          "IP 192.168.7.1 > 192.168.7.2: ICMP echo request, id 7, seq 1"));
  EXPECT_THAT(r.out, Not(HasSubstr("ICMP echo request, id 7, seq 2")));
  EXPECT_THAT(r.out, Not(HasSubstr("ICMP echo reply")));
  EXPECT_THAT(r.out, HasSubstr("2 received"));
  const Switch* sw = dynamic_cast<const Switch*>(r.net->FindDevice("sw1"));
  ASSERT_NE(sw, nullptr);
  std::vector<std::pair<std::string, int>> learned;
  for (const MacTableEntry& e : sw->table().Entries())
    learned.push_back({e.mac.ToString(), e.port});
  EXPECT_THAT(learned,
              ElementsAre(std::pair<std::string, int>("02:00:00:00:00:0a", 1),
                          std::pair<std::string, int>("02:00:00:00:00:0b", 2)));
  EXPECT_GE(sw->flooded(), 2u);  // the unknown unicast and B's ARP broadcast
}

TEST(SimTest, SameInputSameTrace) {
  SimRun a = Simulate("example6-three-routers.topo", {{"R2", "eth0"}});
  SimRun b = Simulate("example6-three-routers.topo", {{"R2", "eth0"}});
  EXPECT_EQ(a.out, b.out);
}

TEST(SimTest, PcapFilesReadBackByTcpdumpWithGoodChecksums) {
  const std::string dir = ::testing::TempDir() + "/sim_pcap";
  std::filesystem::remove_all(dir);
  SimRun r = Simulate("example6-three-routers.topo", {}, {}, false, dir);
  r.net.reset();  // closes the files
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    ++files;
    const std::string cmd =
        absl::StrCat("tcpdump -nn -vv -r '", entry.path().string(), "' 2>&1");
    FILE* p = popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::string text;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
    const int status = pclose(p);
    EXPECT_EQ(status, 0) << cmd << "\n" << text;
    EXPECT_THAT(text, HasSubstr("ICMP echo")) << entry.path();
    EXPECT_THAT(text, Not(HasSubstr("bad cksum"))) << text;
    EXPECT_THAT(text, Not(HasSubstr("wrong"))) << text;
    EXPECT_THAT(text, Not(HasSubstr("truncated"))) << text;
  }
  EXPECT_EQ(files, 4);
}

absl::Status ParseError(const std::string& text) {
  return ParseTopology(text, "net.topo", Network::Options{}).status();
}

TEST(SimTest, TopologyErrorsNameTheLine) {
  EXPECT_THAT(
      ParseError("host A\n  ip addr add 10.0.0.1/33 dev eth0\n").message(),
      HasSubstr("net.topo:2:"));
  EXPECT_THAT(ParseError("host A\n\n  frobnicate eth0\n").message(),
              HasSubstr("net.topo:3: unknown command 'frobnicate eth0'"));
  EXPECT_THAT(ParseError("host A\nlink A:eth0 B:eth0\n").message(),
              HasSubstr("net.topo:2: no node or switch named 'B'"));
  EXPECT_THAT(ParseError("host A\nhost A\n").message(),
              HasSubstr("net.topo:2:"));
  EXPECT_THAT(ParseError("ip addr add 10.0.0.1/24 dev eth0\n").message(),
              HasSubstr("net.topo:1: 'ip' before any host or router"));
  EXPECT_THAT(
      ParseError("host A\n  route add -host 10.9.9.9 gw 10.0.0.1\n").message(),
      HasSubstr("net.topo:2: Network is unreachable"));
  EXPECT_THAT(
      ParseError("host A\n  ip route add 10.1.0.0/24 via 10.0.0.1 dev eth9\n")
          .message(),
      HasSubstr("net.topo:2: A's interface eth9 is never linked"));
  EXPECT_THAT(ParseError("router R lpm nosuch\n").message(),
              HasSubstr("net.topo:1: unknown algorithm 'nosuch'"));
  EXPECT_THAT(
      ParseError("host A\nswitch s\nlink A:eth0 s:p1 delay fast\n").message(),
      HasSubstr("net.topo:3: bad delay 'fast'"));
  EXPECT_THAT(
      ParseError("host A\n  sysctl net.ipv4.conf.all.arp_ignore=x\n").message(),
      HasSubstr("net.topo:2: expected key=value"));
  EXPECT_THAT(
      ParseError("host A\n  arp -s 10.0.0.9 zz:00:00:00:00:01\n").message(),
      HasSubstr("net.topo:2:"));
  EXPECT_THAT(ParseError("host A\nrun B: ping 1.2.3.4\n").message(),
              HasSubstr("net.topo:2: no node or switch named 'B'"));
}

TEST(SimTest, ASwitchLoopStopsWithAnErrorInsteadOfRunningForever) {
  absl::StatusOr<Topology> t = ParseTopology(
      "host A\n  ip addr add 10.0.0.1/24 dev eth0\n"
      "switch s1\nswitch s2\n"
      "link A:eth0 s1:p1\nlink s1:p2 s2:p1\nlink s1:p3 s2:p2\n",
      "loop.topo", Network::Options{});
  ASSERT_TRUE(t.ok()) << t.status();
  std::ostringstream out;
  // The three ARP broadcasts of the ping circulate forever; the storm
  // outlives the ping and exhausts the next command's event budget.
  EXPECT_TRUE(t->network->Run("A", "ping -c 1 10.0.0.2", out).ok());
  const absl::Status s = t->network->Run("A", "sleep 300", out);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted) << s;
  EXPECT_THAT(s.message(), HasSubstr("a loop of switches"));
}

// Queued packets through a whole network: R knows neither end (A has R's
// MAC by `arp -s`), so the echo request waits at R for C's MAC and the
// reply for A's; each leaves through the port it was routed to, with that
// port's MAC as source.
TEST(SimTest, PacketsQueuedAtARouterLeaveThroughTheirOwnPorts) {
  Network::Options o;
  o.timestamps = false;
  o.link_header = true;
  absl::StatusOr<Topology> t = ParseTopology(
      "host A\n"
      "  ip link set dev eth0 address 02:00:00:00:00:0a\n"
      "  ip addr add 10.0.1.2/24 dev eth0\n"
      "  ip route add default via 10.0.1.1\n"
      "  arp -s 10.0.1.1 02:00:00:00:01:00\n"
      "router R\n"
      "  ip link set dev eth0 address 02:00:00:00:01:00\n"
      "  ip link set dev eth1 address 02:00:00:00:02:00\n"
      "  ip addr add 10.0.1.1/24 dev eth0\n"
      "  ip addr add 10.0.2.1/24 dev eth1\n"
      "host C\n"
      "  ip link set dev eth0 address 02:00:00:00:00:0c\n"
      "  ip addr add 10.0.2.3/24 dev eth0\n"
      "  ip route add default via 10.0.2.1\n"
      "link A:eth0 R:eth0\n"
      "link R:eth1 C:eth0\n",
      "queue.topo", o);
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_TRUE(t->network->Capture({"R", "eth0"}).ok());
  ASSERT_TRUE(t->network->Capture({"R", "eth1"}).ok());
  std::ostringstream out;
  ASSERT_TRUE(t->network->Run("A", "ping -c 1 -e 7 10.0.2.3", out).ok());
  std::vector<std::string> sent_by_r;
  for (absl::string_view l : absl::StrSplit(out.str(), '\n')) {
    if (absl::StrContains(l, " 02:00:00:00:01:00 > ") ||
        absl::StrContains(l, " 02:00:00:00:02:00 > "))
      sent_by_r.push_back(absl::StrCat(l.substr(0, l.find(", ethertype")),
                                       l.substr(l.find(": ") + 1)));
  }
  EXPECT_THAT(
      sent_by_r,
      ElementsAre(
          "R:eth1 02:00:00:00:02:00 > ff:ff:ff:ff:ff:ff ARP, Request who-has "
          "10.0.2.3 tell 10.0.2.1, length 28",
          "R:eth1 02:00:00:00:02:00 > 02:00:00:00:00:0c IP 10.0.1.2 > "
          "10.0.2.3: ICMP echo request, id 7, seq 1, length 64",
          "R:eth0 02:00:00:00:01:00 > ff:ff:ff:ff:ff:ff ARP, Request who-has "
          "10.0.1.2 tell 10.0.1.1, length 28",
          "R:eth0 02:00:00:00:01:00 > 02:00:00:00:00:0a IP 10.0.2.3 > "
          "10.0.1.2: ICMP echo reply, id 7, seq 1, length 64"));
  EXPECT_THAT(out.str(), HasSubstr("1 packets transmitted, 1 received"));
}

// --- The control plane alone: no Network, frames in and out by hand -------

TEST_F(SimControlPlaneTest,
       ForwardedPacketsWaitForTheirNeighbourAndLeaveOnTheirPort) {
  const MacAddress a = Mac(0x02000000000a), b = Mac(0x02000000000b);
  Arrive(kEth0, a, "10.0.1.2", "10.0.2.5", 1);  // for eth1's 10.0.2.5
  Arrive(kEth1, b, "10.0.2.9", "10.0.1.5", 2);  // for eth0's 10.0.1.5
  Arrive(kEth0, a, "10.0.1.2", "10.0.2.5", 3);
  EXPECT_THAT(Sent(),
              ElementsAre("eth1 > ff:ff:ff:ff:ff:ff ARP, Request who-has "
                          "10.0.2.5 tell 10.0.2.1, length 28",
                          "eth0 > ff:ff:ff:ff:ff:ff ARP, Request who-has "
                          "10.0.1.5 tell 10.0.1.1, length 28"));
  EXPECT_EQ(cp_.forwarded(), 3u);
  // Answered in the other order than asked: each packet still leaves
  // through the port it was routed to, the last routed (eth1) notwithstanding.
  Answer("10.0.1.5", Mac(0x020000000105));
  EXPECT_THAT(Sent(), ElementsAre("eth0 > 02:00:00:00:01:05 IP 10.0.2.9 > "
                                  "10.0.1.5: ICMP echo request, id 1, seq 2, "
                                  "length 16"));
  Answer("10.0.2.5", Mac(0x020000000205));
  EXPECT_THAT(Sent(), ElementsAre("eth1 > 02:00:00:00:02:05 IP 10.0.1.2 > "
                                  "10.0.2.5: ICMP echo request, id 1, seq 1, "
                                  "length 16",
                                  "eth1 > 02:00:00:00:02:05 IP 10.0.1.2 > "
                                  "10.0.2.5: ICMP echo request, id 1, seq 3, "
                                  "length 16"));
}

TEST_F(SimControlPlaneTest, OwnPacketsWaitTooAndArpSReleasesThemOnTheirPort) {
  ASSERT_TRUE(
      cp_.SendIcmpEcho(
             {.dst = Ip("10.0.2.6"), .id = 9, .seq = 1, .data_bytes = 8})
          .ok());
  ASSERT_TRUE(
      cp_.SendIcmpEcho(
             {.dst = Ip("10.0.1.6"), .id = 9, .seq = 2, .data_bytes = 8})
          .ok());
  EXPECT_GT(io_.wakes, 0);  // resolving: the owner is asked to Tick()
  EXPECT_THAT(Sent(),
              ElementsAre("eth1 > ff:ff:ff:ff:ff:ff ARP, Request who-has "
                          "10.0.2.6 tell 10.0.2.1, length 28",
                          "eth0 > ff:ff:ff:ff:ff:ff ARP, Request who-has "
                          "10.0.1.6 tell 10.0.1.1, length 28"));
  ASSERT_TRUE(
      ApplyConfigCommand("arp -s 10.0.2.6 02:00:00:00:02:06", cp_).ok());
  ASSERT_TRUE(
      ApplyConfigCommand("arp -s 10.0.1.6 02:00:00:00:01:06", cp_).ok());
  EXPECT_THAT(Sent(), ElementsAre("eth1 > 02:00:00:00:02:06 IP 10.0.2.1 > "
                                  "10.0.2.6: ICMP echo request, id 9, seq 1, "
                                  "length 16",
                                  "eth0 > 02:00:00:00:01:06 IP 10.0.1.1 > "
                                  "10.0.1.6: ICMP echo request, id 9, seq 2, "
                                  "length 16"));
}

// Timers run only when the owner calls Tick(): three unanswered requests,
// then the queued packet is dropped and its sender told, through the port
// the sender is on.
TEST_F(SimControlPlaneTest, TickRetriesThenAnswersHostUnreachable) {
  const MacAddress a = Mac(0x02000000000a);
  ASSERT_TRUE(cp_.AddPermanentNeighbor(Ip("10.0.1.2"), a).ok());
  Arrive(kEth0, a, "10.0.1.2", "10.0.2.5", 1);
  // 5 s of ticks: 3 requests, 1 s apart, then failure. (Ticking goes on
  // while the FAILED entry waits for collection: every entry but a
  // PERMANENT one has timers.)
  for (int ticks = 0; ticks < 50; ++ticks) {
    EXPECT_TRUE(cp_.Tick());
    clock_.Advance(ControlPlane::kTickPeriod);
  }
  EXPECT_THAT(
      Sent(),
      ElementsAre("eth1 > ff:ff:ff:ff:ff:ff ARP, Request who-has 10.0.2.5 tell "
                  "10.0.2.1, length 28",
                  "eth1 > ff:ff:ff:ff:ff:ff ARP, Request who-has 10.0.2.5 tell "
                  "10.0.2.1, length 28",
                  "eth1 > ff:ff:ff:ff:ff:ff ARP, Request who-has 10.0.2.5 tell "
                  "10.0.2.1, length 28",
                  "eth0 > 02:00:00:00:00:0a IP 10.0.1.1 > 10.0.1.2: ICMP host "
                  "10.0.2.5 unreachable, length 36"));
}

// What is addressed to the node itself goes through Io::Defer, and the
// answer to its own echo reaches its IcmpListeners.
TEST_F(SimControlPlaneTest, PingToItselfIsDeliveredLaterToItsListeners) {
  struct Listener : IcmpListener {
    void OnIcmp(const Ipv4View& ip, const IcmpMessage& m) override {
      heard.push_back(absl::StrCat(ip.src.ToString(), " type ",
                                   static_cast<int>(m.type), " seq ", m.seq));
    }
    void OnHostUnreachable(const Ipv4View&) override {}
    std::vector<std::string> heard;
  } listener;
  cp_.AddIcmpListener(&listener);
  ASSERT_TRUE(
      cp_.SendIcmpEcho(
             {.dst = Ip("10.0.2.1"), .id = 3, .seq = 4, .data_bytes = 0})
          .ok());
  EXPECT_TRUE(listener.heard.empty());
  // The request, then the reply it causes.
  for (size_t i = 0; i < io_.deferred.size(); ++i) io_.deferred[i]();
  EXPECT_THAT(listener.heard, ElementsAre("10.0.2.1 type 0 seq 4"));
  EXPECT_THAT(Sent(), ElementsAre());
  cp_.RemoveIcmpListener(&listener);
}

// A router keeps each gateway's MAC in its fast path's adjacencies while
// the gateway is REACHABLE (AdjacencyTable), and takes it out when the
// gateway goes STALE, so that forwarded traffic's lookups have it
// re-verified as Linux does: one broadcast request, then unicast probes
// about once a reachable period, every packet forwarded, the gateway never
// collected. (Were the MAC kept while STALE, the cache would see no use and
// collect the gateway after gc_stale_time, and the router would broadcast
// again.)
TEST_F(SimControlPlaneTest, AGatewayUsedByForwardedTrafficIsReverified) {
  ASSERT_TRUE(
      ApplyConfigCommand("ip route add 10.9.0.0/16 via 10.0.2.9", cp_).ok());
  const MacAddress a = Mac(0x02000000000a), gw = Mac(0x020000000209);
  int broadcasts = 0, probes = 0, forwarded = 0;
  for (int second = 0; second < 180; ++second) {
    Arrive(kEth0, a, "10.0.1.2", "10.9.0.5", static_cast<uint16_t>(second));
    for (int tick = 0; tick < 10; ++tick) {
      cp_.Tick();
      clock_.Advance(ControlPlane::kTickPeriod);
      // The gateway answers every request and probe for it.
      for (; read_ < io_.sent.size(); ++read_) {
        const RecordingIo::Sent sent = io_.sent[read_];
        absl::StatusOr<ArpFrame> f = DecodeArpFrame(sent.frame);
        if (!f.ok()) {
          EthernetHeader eth;
          ASSERT_TRUE(ParseEthernet(sent.frame, &eth));
          EXPECT_EQ(eth.dst, gw);
          ++forwarded;
          continue;
        }
        ASSERT_EQ(f->arp.target_ip, Ip("10.0.2.9"));
        ++(f->eth_dst.IsBroadcast() ? broadcasts : probes);
        cp_.Receive(sent.port, EncodeArpFrame(ArpReply(f->arp, gw)));
      }
    }
  }
  EXPECT_EQ(forwarded, 180);
  EXPECT_EQ(broadcasts, 1);
  // Reachable for 15-45 s, then a second's look, 5 s of DELAY: a probe
  // every 21-51 s.
  EXPECT_GE(probes, 180 / 51);
  EXPECT_LE(probes, 180 / 21 + 1);
}

}  // namespace
}  // namespace nexthop
