// The control plane's Linux semantics that issue 13 found wrong: arp_ignore
// 0-8, broadcast and multicast destinations, one validation for every
// configuration command, and a counter per drop reason. Each test drives a
// ControlPlane by hand (tests/control_plane_fixture.h) or a small network.
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sim/topology.h"
#include "tests/control_plane_fixture.h"
#include "tests/test_data.h"

namespace nexthop {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class HostControlPlaneTest : public SimControlPlaneTest {
 protected:
  HostControlPlaneTest() : SimControlPlaneTest(/*router=*/false) {}
};

uint64_t Count(const ControlPlane& cp, DropReason r) {
  auto it = cp.drops().find(r);
  return it == cp.drops().end() ? 0 : it->second;
}

// --- item 10: one counter per reason --------------------------------------

TEST(DropReasonTest, NamesAreDistinctSnakeCaseAndInReadmesTable) {
  std::ifstream in(testing::SourcePath("README.md"));
  std::stringstream readme;
  readme << in.rdbuf();
  std::set<std::string> seen;
  for (int i = 1; i <= static_cast<int>(DropReason::kLast); ++i) {
    const std::string name(DropReasonName(static_cast<DropReason>(i)));
    EXPECT_TRUE(std::regex_match(name, std::regex("[a-z][a-z0-9_]*"))) << name;
    EXPECT_TRUE(seen.insert(name).second) << name << " twice";
    EXPECT_TRUE(absl::StrContains(readme.str(), "| `" + name + "` |"))
        << name << " is not in README's table of drop reasons";
  }
}

TEST_F(SimControlPlaneTest, NeighbourFailureAndQueueOverflowCountApart) {
  const MacAddress a = Mac(0x02000000000a);
  ASSERT_TRUE(cp_.AddPermanentNeighbor(Ip("10.0.1.2"), a).ok());
  // 103 packets for a neighbour that never answers: 101 wait, the two
  // oldest are pushed out.
  for (uint16_t seq = 1; seq <= 103; ++seq)
    Arrive(kEth0, a, "10.0.1.2", "10.0.2.5", seq);
  EXPECT_EQ(Count(cp_, DropReason::kNeighQueueFull), 2u);
  // Only the ARP request went out: an overflow is not reported.
  EXPECT_EQ(Sent().size(), 1u);
  for (int ticks = 0; ticks < 50; ++ticks) {
    cp_.Tick();
    clock_.Advance(ControlPlane::kTickPeriod);
  }
  EXPECT_EQ(Count(cp_, DropReason::kNeighFailed), 101u);
  EXPECT_EQ(Count(cp_, DropReason::kNoRoute), 0u);
  size_t unreachable = 0;
  for (const std::string& line : Sent())
    unreachable += absl::StrContains(line, "ICMP host 10.0.2.5 unreachable");
  EXPECT_EQ(unreachable, 101u);
}

TEST_F(HostControlPlaneTest, APacketNotForAHostIsForwardingDisabled) {
  Arrive(kEth0, Mac(0x02000000000a), "10.0.1.2", "10.0.2.77", 1);
  EXPECT_EQ(Count(cp_, DropReason::kForwardingDisabled), 1u);
  EXPECT_EQ(Count(cp_, DropReason::kNoRoute), 0u);
  EXPECT_THAT(Sent(), IsEmpty());
}

// --- item 3: arp_ignore as ip-sysctl.rst documents it ---------------------

// Whether the node answers `sender` (on eth0) asking for `target`.
class ArpIgnoreTest : public SimControlPlaneTest {
 protected:
  ArpIgnoreTest() {
    for (const char* c : {"ip addr add 192.168.9.9/32 dev lo scope host",
                          "ip addr add 192.168.8.8/32 dev lo"}) {
      EXPECT_TRUE(ApplyConfigCommand(c, cp_).ok()) << c;
    }
  }
  bool Answers(int all, int eth0, const char* target, const char* sender) {
    EXPECT_TRUE(
        ApplyConfigCommand(
            absl::StrCat("sysctl net.ipv4.conf.all.arp_ignore=", all), cp_)
            .ok());
    EXPECT_TRUE(
        ApplyConfigCommand(
            absl::StrCat("sysctl net.ipv4.conf.eth0.arp_ignore=", eth0), cp_)
            .ok());
    Sent();  // forget what came before
    cp_.Receive(kEth0, EncodeArpFrame(ArpRequest(Mac(0x02000000000a),
                                                 Ip(sender), Ip(target))));
    for (const std::string& line : Sent()) {
      if (absl::StrContains(line, absl::StrCat("Reply ", target, " is-at")))
        return true;
    }
    return false;
  }
};

TEST_F(ArpIgnoreTest, EachValueAnswersAsTheKernelDocuments) {
  struct Case {
    int value;
    const char* target;
    const char* sender;
    bool answers;
  };
  const Case cases[] = {
      // 0: any local address, on any interface.
      {0, "10.0.1.1", "10.0.1.7", true},
      {0, "10.0.2.1", "10.0.1.7", true},
      {0, "192.168.9.9", "10.0.1.7", true},
      {0, "10.0.1.99", "10.0.1.7", false},  // not ours
      {0, "127.0.0.1", "10.0.1.7", false},  // loopback: never
      // 1: only an address on the receiving interface.
      {1, "10.0.1.1", "10.0.3.7", true},
      {1, "10.0.2.1", "10.0.1.7", false},
      // 2: ... and only to a sender in its subnet.
      {2, "10.0.1.1", "10.0.1.7", true},
      {2, "10.0.1.1", "10.0.3.7", false},
      {2, "10.0.2.1", "10.0.2.7", false},
      // 3: any local address but one of scope host.
      {3, "10.0.2.1", "10.0.1.7", true},
      {3, "192.168.8.8", "10.0.1.7", true},
      {3, "192.168.9.9", "10.0.1.7", false},
      // 4-7: reserved, answered as 0.
      {4, "10.0.2.1", "10.0.1.7", true},
      {7, "192.168.9.9", "10.0.1.7", true},
      // 8: never.
      {8, "10.0.1.1", "10.0.1.7", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Answers(c.value, 0, c.target, c.sender), c.answers)
        << "all=" << c.value << " " << c.target << " from " << c.sender;
    EXPECT_EQ(Answers(0, c.value, c.target, c.sender), c.answers)
        << "eth0=" << c.value << " " << c.target << " from " << c.sender;
  }
  // conf.default is what interfaces created later start with.
  ASSERT_TRUE(
      ApplyConfigCommand("sysctl net.ipv4.conf.default.arp_ignore=8", cp_)
          .ok());
  ASSERT_TRUE(ApplyConfigCommand("ip addr add 10.0.3.1/24 dev eth2", cp_,
                                 ConfigPhase::kSetup)
                  .ok());
  EXPECT_EQ(cp_.interfaces()[cp_.PortIndex("eth2")].arp_ignore, 8);
  EXPECT_EQ(cp_.interfaces()[kEth1].arp_ignore, 0);  // existing: unchanged
  // The larger of all and the interface decides.
  EXPECT_FALSE(Answers(1, 0, "10.0.2.1", "10.0.1.7"));
  EXPECT_FALSE(Answers(3, 8, "10.0.1.1", "10.0.1.7"));
  EXPECT_TRUE(Answers(2, 1, "10.0.1.1", "10.0.1.7"));
  EXPECT_FALSE(Answers(2, 1, "10.0.1.1", "10.0.3.7"));
}

// --- item 4: broadcast and multicast --------------------------------------

TEST_F(HostControlPlaneTest, BroadcastNeedsDashBAndGoesOnTheLinkUnresolved) {
  ASSERT_TRUE(ApplyConfigCommand("route add default gw 10.0.1.254", cp_).ok());
  for (const char* dst : {"10.0.1.255", "255.255.255.255"}) {
    const absl::Status s = cp_.SendIcmpEcho({.dst = Ip(dst), .seq = 1});
    EXPECT_TRUE(absl::IsPermissionDenied(s)) << dst << ": " << s;
    EXPECT_THAT(s.message(), HasSubstr("Then -b")) << dst;
  }
  EXPECT_THAT(Sent(), IsEmpty());
  ASSERT_TRUE(
      cp_.SendIcmpEcho({.dst = Ip("10.0.1.255"), .seq = 1, .broadcast = true})
          .ok());
  ASSERT_TRUE(
      cp_.SendIcmpEcho(
             {.dst = Ip("255.255.255.255"), .seq = 2, .broadcast = true})
          .ok());
  // Multicast needs no -b; the kernel sends it to the group's MAC.
  ASSERT_TRUE(cp_.SendIcmpEcho({.dst = Ip("224.0.0.1"), .seq = 3}).ok());
  // No ARP, no gateway: each leaves on the route's link to a group MAC.
  EXPECT_THAT(
      Sent(),
      ElementsAre("eth0 > ff:ff:ff:ff:ff:ff IP 10.0.1.1 > 10.0.1.255: ICMP "
                  "echo request, id 0, seq 1, length 64",
                  "eth0 > ff:ff:ff:ff:ff:ff IP 10.0.1.1 > 255.255.255.255: "
                  "ICMP echo request, id 0, seq 2, length 64",
                  "eth0 > 01:00:5e:00:00:01 IP 10.0.1.1 > 224.0.0.1: ICMP "
                  "echo request, id 0, seq 3, length 64"));
}

TEST_F(SimControlPlaneTest, ARouterNeverForwardsOrErrsAboutBroadcasts) {
  const MacAddress a = Mac(0x02000000000a);
  ASSERT_TRUE(cp_.AddPermanentNeighbor(Ip("10.0.1.2"), a).ok());
  // A directed broadcast for eth1's subnet, unicast to the router: taken
  // as a broadcast here (bc_forwarding=0), not ARPed for nor forwarded.
  Arrive(kEth0, a, "10.0.1.2", "10.0.2.255", 1);
  // The limited broadcast and the all-hosts group, on the link.
  ArriveTo(kEth0, MacAddress::Broadcast(), a, "10.0.1.2", "255.255.255.255", 2);
  ArriveTo(kEth0, MacAddress::Broadcast(), a, "10.0.1.2", "10.0.1.255", 3);
  ArriveTo(kEth0, Ipv4MulticastMac(Ip("224.0.0.1")), a, "10.0.1.2", "224.0.0.1",
           4);
  EXPECT_EQ(Count(cp_, DropReason::kEchoBroadcastIgnored), 4u);
  // A group nobody here joined; a unicast packet in a broadcast frame,
  // once for a routed and once for an unrouted destination: no ICMP.
  ArriveTo(kEth0, Ipv4MulticastMac(Ip("239.1.2.3")), a, "10.0.1.2", "239.1.2.3",
           5);
  ArriveTo(kEth0, MacAddress::Broadcast(), a, "10.0.1.2", "10.0.2.5", 6);
  ArriveTo(kEth0, MacAddress::Broadcast(), a, "10.0.1.2", "10.77.0.1", 7);
  EXPECT_EQ(Count(cp_, DropReason::kMulticastNotRouted), 1u);
  EXPECT_EQ(Count(cp_, DropReason::kLinkGroupNotForwarded), 2u);
  EXPECT_THAT(Sent(), IsEmpty());
  EXPECT_EQ(cp_.forwarded(), 0u);
  // The same unrouted destination unicast does get its ICMP error.
  Arrive(kEth0, a, "10.0.1.2", "10.77.0.1", 8);
  EXPECT_THAT(Sent(), ElementsAre(HasSubstr("ICMP net 10.77.0.1 unreachable")));
}

TEST_F(SimControlPlaneTest, EchoToABroadcastIsAnsweredOnlyWhenAllowed) {
  const MacAddress a = Mac(0x02000000000a);
  ASSERT_TRUE(cp_.AddPermanentNeighbor(Ip("10.0.1.2"), a).ok());
  ASSERT_TRUE(
      ApplyConfigCommand("sysctl net.ipv4.icmp_echo_ignore_broadcasts=0", cp_)
          .ok());
  Arrive(kEth0, a, "10.0.1.2", "10.0.2.255", 1);
  // From the address of the port it came in on, not the broadcast.
  EXPECT_THAT(Sent(), ElementsAre("eth0 > 02:00:00:00:00:0a IP 10.0.1.1 > "
                                  "10.0.1.2: ICMP echo reply, id 1, seq 1, "
                                  "length 16"));
}

// --- item 9: one validation for every configuration command ---------------

TEST_F(SimControlPlaneTest, EveryCommandChecksItsInterfaceTheSameWay) {
  const size_t interfaces = cp_.interfaces().size();
  for (const char* c :
       {"ip link set dev eth9 mtu 1400",
        "ip link set eth9 address 02:00:00:00:00:99",
        "sysctl net.ipv4.conf.eth9.arp_ignore=1",
        "ip route add 10.5.0.0/16 dev eth9",
        "route add -net 10.6.0.0 netmask 255.255.0.0 dev eth9",
        "ip addr add 10.7.0.1/24 dev eth9", "ifconfig eth9 10.8.0.1/24"}) {
    const absl::Status s = ApplyConfigCommand(c, cp_);
    EXPECT_TRUE(absl::IsNotFound(s)) << c << ": " << s;
    EXPECT_THAT(s.message(), HasSubstr("Cannot find device \"eth9\"")) << c;
  }
  for (const char* c : {"ip link set dev eth/0 mtu 1400",
                        "ip addr add 10.7.0.1/24 dev eth0 label eth1:1",
                        "ip link set dev averyveryverylongname mtu 1400"}) {
    EXPECT_TRUE(absl::IsInvalidArgument(ApplyConfigCommand(c, cp_))) << c;
  }
  EXPECT_EQ(cp_.interfaces().size(), interfaces);
}

TEST_F(SimControlPlaneTest,
       InterfaceMacsMustBeUnicastAndARefusalChangesNothing) {
  const MacAddress before = cp_.interfaces()[kEth0].mac;
  for (const char* mac :
       {"ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00", "01:00:5e:00:00:01"}) {
    for (const std::string& c :
         {absl::StrCat("ip link set dev eth0 address ", mac),
          absl::StrCat("ifconfig eth0 hw ether ", mac),
          absl::StrCat("arp -s 10.0.1.9 ", mac)}) {
      const absl::Status s = ApplyConfigCommand(c, cp_);
      EXPECT_THAT(s.message(), HasSubstr("not a unicast address")) << c;
    }
  }
  // The MTU is refused, so the valid MAC before it is not applied either.
  EXPECT_FALSE(ApplyConfigCommand(
                   "ip link set dev eth0 address 02:00:00:00:00:99 mtu 9", cp_)
                   .ok());
  EXPECT_FALSE(
      ApplyConfigCommand("ifconfig eth0 10.0.5.1/24 hw ether 02:00:00:00:00:99 "
                         "mtu 9",
                         cp_)
          .ok());
  EXPECT_EQ(cp_.interfaces()[kEth0].mac, before);
  EXPECT_EQ(cp_.interfaces()[kEth0].addresses.size(), 1u);
}

absl::Status TopologyError(const std::string& text) {
  absl::StatusOr<Topology> t = ParseTopology(text, "net.topo", {});
  return t.ok() ? absl::OkStatus() : t.status();
}

TEST(SimTopologyValidationTest, NamesAndUnlinkedInterfacesAreErrors) {
  EXPECT_THAT(TopologyError("host A:B\n").message(),
              HasSubstr("net.topo:1: bad name 'A:B'"));
  EXPECT_THAT(TopologyError("switch s/1\n").message(),
              HasSubstr("net.topo:1: bad name 's/1'"));
  EXPECT_THAT(TopologyError("host A\nswitch s\nlink A:eth/0 s:p1\n").message(),
              HasSubstr("net.topo:3: bad interface name 'eth/0'"));
  // Configured but never linked: named where it was first configured.
  EXPECT_THAT(TopologyError("host A\n  ip addr add 10.0.0.1/24 dev eth0\n"
                            "  ip link set dev eth9 mtu 1400\n"
                            "switch s\nlink A:eth0 s:p1\n")
                  .message(),
              HasSubstr("net.topo:3: A's interface eth9 is never linked"));
  EXPECT_THAT(TopologyError("host A\n  ip addr add 10.0.0.1/24 dev eth0\n"
                            "  sysctl net.ipv4.conf.eth8.arp_ignore=1\n"
                            "switch s\nlink A:eth0 s:p1\n")
                  .message(),
              HasSubstr("net.topo:3: A's interface eth8 is never linked"));
  EXPECT_TRUE(TopologyError("host A\n  ip addr add 10.0.0.1/24 dev eth0\n"
                            "  ip addr add 10.0.9.1/32 dev lo\n"
                            "switch s\nlink A:eth0 s:p1\n")
                  .ok());
}

// --- through the shell: ping -b, ping -M --------------------------------

std::string RunAll(
    const std::string& topology,
    const std::vector<std::pair<std::string, std::string>>& runs) {
  Network::Options o;
  o.timestamps = false;
  absl::StatusOr<Topology> t = ParseTopology(topology, "net.topo", o);
  EXPECT_TRUE(t.ok()) << t.status();
  if (!t.ok()) return "";
  std::ostringstream out;
  for (const auto& [device, command] : runs) {
    absl::Status s = t->network->Run(device, command, out);
    out << (s.ok() ? "" : absl::StrCat("error: ", s.message(), "\n"));
  }
  return out.str();
}

constexpr char kLan[] =
    "host A\n  ip addr add 10.0.1.1/24 dev eth0\n"
    "host B\n  ip addr add 10.0.1.2/24 dev eth0\n"
    "host C\n  ip addr add 10.0.1.3/24 dev eth0\n"
    "switch s\nlink A:eth0 s:p1\nlink B:eth0 s:p2\nlink C:eth0 s:p3\n";

TEST(SimPingTest, BroadcastPingNeedsDashBAndHostsIgnoreItByDefault) {
  const std::string out =
      RunAll(kLan, {{"A", "ping -c 1 10.0.1.255"},
                    {"A", "ping -c 1 -b 10.0.1.255"},
                    {"B", "sysctl net.ipv4.icmp_echo_ignore_broadcasts=0"},
                    {"C", "sysctl net.ipv4.icmp_echo_ignore_broadcasts=0"},
                    {"A", "ping -c 2 -b 10.0.1.255"},
                    {"B", "drops"}});
  EXPECT_THAT(out, HasSubstr("ping: Do you want to ping broadcast? Then -b."));
  EXPECT_THAT(out, HasSubstr("WARNING: pinging broadcast address"));
  EXPECT_THAT(out, HasSubstr("1 packets transmitted, 0 received"));
  // Both answer the second time; ping stops at its count's first
  // answers, as iputils does, so the duplicate is seq 1's.
  EXPECT_THAT(out, HasSubstr("2 packets transmitted, 2 received, +1 "
                             "duplicates"));
  EXPECT_THAT(out, HasSubstr("(DUP!)"));
  EXPECT_THAT(out, HasSubstr("echo_broadcast_ignored: 1"));
}

TEST(SimPingTest, DontFragmentOffMakesTheRouterDropSilently) {
  const std::string topo =
      "host A\n  ip addr add 10.0.1.2/24 dev eth0\n"
      "  route add default gw 10.0.1.1\n"
      "router R\n  ip addr add 10.0.1.1/24 dev eth0\n"
      "  ip addr add 10.0.2.1/24 dev eth1\n  ip link set dev eth1 mtu 1000\n"
      "host B\n  ip addr add 10.0.2.2/24 dev eth0\n"
      "  route add default gw 10.0.2.1\n"
      "link A:eth0 R:eth0\nlink R:eth1 B:eth0\n";
  const std::string out = RunAll(topo, {{"A", "ping -c 1 -s 1200 10.0.2.2"},
                                        {"A",
                                         "ping -c 1 -s 1200 -M dont "
                                         "10.0.2.2"},
                                        {"A", "ping -c 1 -M want 10.0.2.2"},
                                        {"R", "drops"}});
  // With DF (the default) the router says why; without, it cannot
  // fragment either (not implemented) and drops it, counted, silently.
  EXPECT_THAT(out, HasSubstr("Frag needed and DF set (mtu = 1000)"));
  EXPECT_EQ(out.find("Frag needed"), out.rfind("Frag needed"));  // once
  EXPECT_THAT(out, HasSubstr("1 packets transmitted, 0 received, +1 errors"));
  EXPECT_THAT(out, HasSubstr("1 packets transmitted, 0 received, 100%"));
  EXPECT_THAT(out, HasSubstr("frag_needed: 2"));
  EXPECT_THAT(out, HasSubstr("invalid -M argument 'want'"));
}

}  // namespace
}  // namespace nexthop
