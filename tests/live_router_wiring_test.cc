// `nexthop router` with its services wired in (issue 17): routes mirrored
// from a kernel table (--kernel-table), the counters over the control
// socket (`nexthop router show`) and in the Prometheus text format
// (--metrics-port). h1 -- r -- h2 in network namespaces the test creates
// (tests/live_router_topology.h) on 10.78.0.0/16, nexthop as r mirroring
// r's kernel table 100. h2 also owns 10.78.50.1 and 10.78.60.1 (on lo),
// reachable only through routes of table 100. Needs root, ping and ip;
// skipped with the reason otherwise.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/live_router_suite.h"
#include "tests/live_router_topology.h"
#include "tests/netns.h"

namespace nexthop {
namespace {

using testing::LiveRouterTopology;
using testing::Shell;

constexpr int kTable = 100;
constexpr int kMetricsPort = 9178;  // in r's own namespace: no clash

std::string Cli() { return NEXTHOP_CLI; }

// The value of the sample `series` (name and labels exactly as printed)
// in /metrics or `show` text; -1 if absent.
double Sample(const std::string& text, const std::string& series) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::ConsumePrefix(&line, series + " ")) {
      double v;
      if (absl::SimpleAtod(line, &v)) return v;
    }
  }
  return -1;
}

TEST(RouterShowCliTest, NoRouterIsAClearError) {
  auto [status, out] =
      Shell(Cli() + " router show --control /nonexistent/nexthop.sock 2>&1");
  EXPECT_EQ(status, 1) << out;
  EXPECT_TRUE(absl::StartsWith(out, "nexthop: /nonexistent/nexthop.sock: "))
      << out;
}

TEST(RouterShowCliTest, BadFlagValuesAreUsageErrors) {
  EXPECT_EQ(
      Shell(Cli() + " router --config x --kernel-table 0 2>/dev/null").first,
      2);
  EXPECT_EQ(Shell(Cli() + " router --config x --metrics-port 70000 "
                          "2>/dev/null")
                .first,
            2);
}

class LiveRouterWiringTest : public testing::LiveRouterSuite {
 protected:
  static void SetUpTestSuite() {
    control_ = absl::StrCat(::testing::TempDir(), "nhlw-", getpid(), ".sock");
    // h2 answers for 10.78.50.1 and 10.78.60.1: only table-100 routes lead
    // there.
    auto prepare = [] {
      for (const char* a : {"50.1/32", "60.1/32"}) {
        auto [status, out] = Shell(absl::StrCat(
            net_->h2().Ip(), "addr add ", net_->Net(), a, " dev lo 2>&1"));
        if (status != 0) return out;
      }
      return std::string();
    };
    SetUpNetwork(Cli(), 78, {"ping", "ethtool", "timeout"}, prepare,
                 {"--kernel-table", absl::StrCat(kTable), "--control", control_,
                  "--metrics-port", absl::StrCat(kMetricsPort)});
  }

  // `ip route ...` of table 100 in r's namespace; its status.
  static int RouteInR(const std::string& what) {
    auto [status, out] = Shell(absl::StrCat(net_->r().Ip(), "route ", what,
                                            " table ", kTable, " 2>&1"));
    EXPECT_EQ(status, 0) << what << ": " << out;
    return status;
  }
  // Pings `dst` from h1 once every 50 ms until one answers (true) or
  // `bound` passed; how long it took in `*took`.
  static bool ReachableWithin(const std::string& dst,
                              std::chrono::milliseconds bound,
                              std::chrono::milliseconds* took) {
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < bound) {
      if (Shell(absl::StrCat(net_->h1().Exec(), "ping -c 1 -W 0.2 ", dst,
                             " >/dev/null 2>&1"))
              .first == 0) {
        *took = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - start);
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  static std::string Show() {
    auto [status, out] = Shell(
        absl::StrCat(Cli(), " router show --control ", control_, " 2>&1"));
    EXPECT_EQ(status, 0) << out;
    return out;
  }
  // GET /metrics from inside r's namespace over a plain socket: the
  // response's body, or "" (with a failure) if there is none.
  static std::string Scrape() {
    return net_->r().Inside([] {
      std::string response;
      const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_port = htons(kMetricsPort);
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      timeval tv{5, 0};
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
      if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
        const std::string req =
            "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
        EXPECT_EQ(write(fd, req.data(), req.size()),
                  static_cast<ssize_t>(req.size()));
        char buf[4096];
        ssize_t n;
        while ((n = read(fd, buf, sizeof(buf))) > 0) response.append(buf, n);
      } else {
        ADD_FAILURE() << "cannot connect to 127.0.0.1:" << kMetricsPort;
      }
      close(fd);
      return response;
    });
  }

  static std::string control_;
};

std::string LiveRouterWiringTest::control_;

TEST_F(LiveRouterWiringTest, KernelTableRouteTakesEffectAndGoes) {
  const std::string dst = net_->Net() + "50.1";
  const std::string route = absl::StrCat(net_->Net(), "50.0/24 via ",
                                         net_->Net(), "2.2 dev veth-b onlink");
  // Unrouted: r answers net unreachable.
  auto [status, out] = In(net_->h1(), "ping -c 1 -W 1 " + dst);
  EXPECT_NE(status, 0) << out;
  EXPECT_TRUE(absl::StrContains(out, "Destination Net Unreachable")) << out;

  ASSERT_EQ(RouteInR("add " + route), 0);
  std::chrono::milliseconds took{};
  EXPECT_TRUE(ReachableWithin(dst, std::chrono::seconds(2), &took))
      << "a route added to kernel table " << kTable
      << " did not take effect within 2 s";
  std::cout << "route add to first answered ping: " << took.count() << " ms\n";
  EXPECT_TRUE(absl::StrContains(
      Show(), absl::StrCat(net_->Net(), "50.0/24 via ", net_->Net(),
                           "2.2 dev veth-b (kernel table ", kTable, ")")));

  ASSERT_EQ(RouteInR("del " + route), 0);
  bool gone = false;
  for (int i = 0; i < 20 && !gone; ++i) {
    std::tie(status, out) = In(net_->h1(), "ping -c 1 -W 0.5 " + dst);
    gone = status != 0 && absl::StrContains(out, "Destination Net Unreachable");
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(gone) << "still routed 2 s after the kernel route went: " << out;
}

TEST_F(LiveRouterWiringTest, ChurnAt10kPerSecondLeavesOtherPrefixesAlone) {
  const std::string dst = net_->Net() + "60.1";
  const std::string steady = absl::StrCat(net_->Net(), "60.0/24 via ",
                                          net_->Net(), "2.2 dev veth-b onlink");
  ASSERT_EQ(RouteInR("add " + steady), 0);
  std::chrono::milliseconds took{};
  ASSERT_TRUE(ReachableWithin(dst, std::chrono::seconds(2), &took));
  // 30 batches of 1000 changes, one started every 100 ms: 1000 /32s of
  // 10.78.128.0/17 added by one batch, deleted by the next.
  const std::string dir = ::testing::TempDir();
  std::vector<std::string> batches;
  for (int b = 0; b < 30; ++b) {
    const std::string path =
        absl::StrCat(dir, "nhlw-", getpid(), "-churn-", b, ".batch");
    std::ofstream f(path);
    for (int j = 0; j < 1000; ++j) {
      const std::string p =
          absl::StrCat(net_->Net(), 128 + j / 256, ".", j % 256, "/32");
      if (b % 2 == 0) {
        f << "route add " << p << " via " << net_->Net()
          << "2.2 dev veth-b onlink table " << kTable << "\n";
      } else {
        f << "route del " << p << " table " << kTable << "\n";
      }
    }
    batches.push_back(path);
  }
  const std::string before = Show();
  const double no_route_before =
      std::max(0.0, Sample(before, "nexthop_drops_total{reason=\"no_route\"}"));
  // Pings every 10 ms for as long as the churn lasts (~3 s).
  std::string churn;
  for (const std::string& b : batches) {
    absl::StrAppend(&churn, net_->r().Ip(), "-batch ", b,
                    " >/dev/null 2>&1 & sleep 0.1; ");
  }
  // Prints how long the churn itself took, in ms.
  churn = absl::StrCat("( s=$(date +%s%N); ", churn,
                       "wait; echo $(( ($(date +%s%N) - s) / 1000000 )) )");
  const std::string ping_out = absl::StrCat(dir, "nhlw-", getpid(), "-ping");
  const std::string ping =
      absl::StrCat(net_->h1().Exec(), "timeout 20 ping -q -i 0.01 -c 300 -W 1 ",
                   dst, " >", ping_out, " 2>&1 & ");
  auto [status, out] = Shell(absl::StrCat(ping, churn, "; wait"));
  EXPECT_EQ(status, 0) << out;
  double churn_ms = 0;
  EXPECT_TRUE(absl::SimpleAtod(absl::StripAsciiWhitespace(out), &churn_ms))
      << out;
  std::ifstream f(ping_out);
  const std::string pinged((std::istreambuf_iterator<char>(f)),
                           std::istreambuf_iterator<char>());
  // Let the router drain what is still queued before counting.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const std::string after = Show();
  const double no_route =
      Sample(after, "nexthop_drops_total{reason=\"no_route\"}");
  double ring_drops = 0;
  for (const char* port : {"veth-a", "veth-b"}) {
    ring_drops += Sample(
        after,
        absl::StrCat("nexthop_rx_ring_drops_total{port=\"", port, "\"}"));
  }
  const std::string table = absl::StrCat("table=\"", kTable, "\"");
  const double resyncs =
      Sample(after, "nexthop_mirror_resyncs_total{" + table + "}");
  const double events =
      Sample(after, "nexthop_mirror_events_total{" + table + ",kind=\"add\"}") +
      Sample(after,
             "nexthop_mirror_events_total{" + table + ",kind=\"delete\"}");
  std::cout << "30000 changes in " << churn_ms << " ms ("
            << 30000 / (churn_ms / 1000) << "/s); mirror add+delete events "
            << events << ", resyncs " << resyncs << ", receive-ring drops "
            << ring_drops << "\nping: " << pinged << "\n";
  EXPECT_EQ(std::max(0.0, no_route) - no_route_before, 0)
      << "no-route drops while only other prefixes changed\n"
      << after;
  // Every change was seen (a resync delivers the net result instead).
  if (resyncs == 0) {
    EXPECT_GE(events, 30000 - 1) << after;
  }
  EXPECT_TRUE(absl::StrContains(pinged, " 0% packet loss") || ring_drops > 0)
      << "pings lost without a counted ring overflow: " << pinged;
  // The table ends as the kernel's: the steady route only.
  EXPECT_EQ(Sample(after, "nexthop_mirror_routes{" + table + "}"), 1) << after;
  RouteInR("del " + steady);
}

TEST_F(LiveRouterWiringTest, MetricsAreValidPrometheusTextThatMoves) {
  const std::string before = Scrape();
  ASSERT_TRUE(absl::StartsWith(before, "HTTP/1.")) << before;
  auto [status, out] =
      In(net_->h1(), "ping -c 3 -i 0.2 -W 2 " + net_->Net() + "2.2");
  EXPECT_EQ(status, 0) << out;
  std::string after = Scrape();
  ASSERT_NE(after.find("\r\n\r\n"), std::string::npos) << after;
  const std::string head = after.substr(0, after.find("\r\n\r\n"));
  EXPECT_TRUE(absl::StrContains(head, " 200 ")) << head;
  EXPECT_TRUE(absl::StrContains(head, "text/plain; version=0.0.4")) << head;
  const std::string body = after.substr(after.find("\r\n\r\n") + 4);
  // The exposition format: HELP and TYPE before a name's samples, every
  // sample `name{label="value",...} number`.
  const std::regex sample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="[^"\\\n]*",?)*\})? -?[0-9.e+]+)");
  const std::regex type(
      R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|untyped))");
  std::set<std::string> typed;
  int samples = 0;
  for (absl::string_view line : absl::StrSplit(body, '\n', absl::SkipEmpty())) {
    const std::string l(line);
    std::smatch m;
    if (absl::StartsWith(l, "# HELP ")) continue;
    if (std::regex_match(l, m, type)) {
      EXPECT_TRUE(typed.insert(m[1]).second) << "TYPE twice: " << l;
      continue;
    }
    ASSERT_TRUE(std::regex_match(l, m, sample)) << "not a sample: " << l;
    EXPECT_TRUE(typed.contains(m[1])) << "no TYPE before " << l;
    ++samples;
  }
  EXPECT_GT(samples, 20);
  const std::string rx = "nexthop_rx_frames_total{port=\"veth-a\"}";
  const std::string tx = "nexthop_tx_frames_total{port=\"veth-b\"}";
  EXPECT_GE(Sample(body, rx), Sample(before, rx) + 3) << body;
  EXPECT_GE(Sample(body, tx), Sample(before, tx) + 3) << body;
  EXPECT_GE(Sample(body, "nexthop_forwarded_total"), 6) << body;
  EXPECT_GE(Sample(body, "nexthop_lookups_total"), 6) << body;
  EXPECT_GE(Sample(body, "nexthop_mirror_dumps_total{table=\"100\"}"), 1)
      << body;
  EXPECT_GE(Sample(body, "nexthop_neighbor_events_total{event=\"request\"}"), 1)
      << body;
}

TEST_F(LiveRouterWiringTest, ShowPrintsCountersAndRoutes) {
  auto [status, ping] =
      In(net_->h1(), "ping -c 2 -i 0.2 -W 2 " + net_->Net() + "2.2");
  EXPECT_EQ(status, 0) << ping;
  const std::string out = Show();
  EXPECT_TRUE(absl::StartsWith(out, "counters:\n")) << out;
  for (const char* port : {"veth-a", "veth-b"}) {
    for (const char* c : {"rx_frames", "tx_frames", "rx_ring_drops"}) {
      EXPECT_GE(Sample(out, absl::StrCat("nexthop_", c, "_total{port=\"", port,
                                         "\"}")),
                0)
          << c << " " << port << "\n"
          << out;
    }
  }
  EXPECT_GE(Sample(out, "nexthop_rx_frames_total{port=\"veth-a\"}"), 2);
  EXPECT_GE(Sample(out, "nexthop_forwarded_total"), 4) << out;
  EXPECT_GE(Sample(out, "nexthop_mirror_resyncs_total{table=\"100\"}"), 0)
      << out;
  // The connected routes of the config.
  EXPECT_TRUE(absl::StrContains(out, "\nroutes: ")) << out;
  EXPECT_TRUE(absl::StrContains(out, net_->Net() + "1.0/24 dev veth-a\n"))
      << out;
}

}  // namespace
}  // namespace nexthop
