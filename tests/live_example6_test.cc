// The simulator against reality (issue 17): worked example 6
// (examples/sim/example6-three-routers.topo) run by the simulator and, by
// scripts/live-topology.sh, on real namespaces with Linux hosts and three
// `nexthop router`s. What tcpdump -n -t prints on A's and S's links must be
// what `nexthop sim -t -i` prints there, line for line and in order, but
// for what cannot be the same: MAC addresses, ping's and traceroute's ids
// and sequence numbers, and the length tcpdump prints for an ARP frame the
// router sends (padded to the Ethernet minimum of 60 bytes, so "length 46"
// on a veth; Linux's own ARP is unpadded there: "length 28"). And A's
// reply TTL is 61 in both. Needs root and the tools; skipped otherwise.
#include <unistd.h>

#include <regex>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/netns.h"
#include "tests/test_data.h"

namespace nexthop {
namespace {

using testing::Shell;

// The capture lines of `text`, what differs by nature taken out.
std::vector<std::string> Normalized(absl::string_view text) {
  static const std::regex ids("id [0-9]+, seq [0-9]+, ");
  static const std::regex mac("is-at [0-9a-f:]+");
  static const std::regex arp_length("^(ARP, .*), length [0-9]+$");
  std::vector<std::string> out;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!absl::StartsWith(line, "IP ") && !absl::StartsWith(line, "ARP,"))
      continue;
    std::string s(line);
    s = std::regex_replace(s, ids, "");
    s = std::regex_replace(s, mac, "is-at MAC");
    s = std::regex_replace(s, arp_length, "$1");
    out.push_back(s);
  }
  return out;
}

// The lines of `text` between "== NAME" and the next "== " header.
std::string Section(const std::string& text, const std::string& name) {
  const size_t begin = text.find("== " + name + "\n");
  if (begin == std::string::npos) return "";
  const size_t end = text.find("\n== ", begin + 1);
  return text.substr(begin, end == std::string::npos ? end : end - begin);
}

TEST(LiveExample6Test, CapturesAndTtlMatchTheSimulator) {
  if (std::string why = testing::WhyNoNamespaces(); !why.empty())
    GTEST_SKIP() << why;
  for (const char* tool : {"traceroute", "tcpdump", "ethtool", "ping"}) {
    if (Shell(absl::StrCat("command -v ", tool, " >/dev/null")).first)
      GTEST_SKIP() << "no `" << tool << "` (scripts/install-deps.sh)";
  }
  const std::string topo =
      testing::SourcePath("examples/sim/example6-three-routers.topo");
  // The routers' control sockets in the test's own directory, not the
  // host's /run/nexthop.
  const std::string control =
      absl::StrCat(::testing::TempDir(), "nexthop-control-", getpid());
  auto [status, live] = Shell(
      absl::StrCat("NEXTHOP_CONTROL_DIR=", control, " timeout 120 bash ",
                   testing::SourcePath("scripts/live-topology.sh"), " ", topo,
                   " --nexthop ", NEXTHOP_CLI, " -i A:eth0 -i S:eth0 2>&1"));
  Shell(absl::StrCat("rmdir ", control, " 2>/dev/null"));
  ASSERT_EQ(status, 0) << live;
  EXPECT_TRUE(absl::StrContains(live, "icmp_seq=1 ttl=61 ")) << live;
  for (const char* link : {"A:eth0", "S:eth0"}) {
    auto [sim_status, sim] = Shell(
        absl::StrCat(NEXTHOP_CLI, " sim ", topo, " -t -i ", link, " 2>&1"));
    ASSERT_EQ(sim_status, 0) << sim;
    if (std::string(link) == "A:eth0") {
      EXPECT_TRUE(absl::StrContains(sim, "icmp_seq=1 ttl=61 ")) << sim;
    }
    const std::vector<std::string> want = Normalized(sim);
    const std::vector<std::string> got = Normalized(Section(live, link));
    ASSERT_GE(want.size(), 10u) << sim;
    EXPECT_EQ(got, want) << link << "\nlive:\n" << Section(live, link);
  }
}

}  // namespace
}  // namespace nexthop
