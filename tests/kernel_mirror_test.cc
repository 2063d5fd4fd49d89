// KernelRouteMirror against the real kernel (issue 17), in a network
// namespace the test creates with one veth pair (veth0, veth1; this kernel
// has no dummy links): routes added to table 100 with `ip route add ...
// onlink table 100` appear in the mirror and in a Fib fed by FibSink,
// deletes and replaces follow, a link going down takes its routes; a burst
// of thousands of changes into a tiny receive buffer overruns the event
// socket (ENOBUFS) and the re-dump leaves the mirror equal to `ip route
// show table 100`. Also prints the latency from `ip route add` to the
// mirror seeing the route and the rate at which queued changes are
// processed (measurements, not assertions). Needs root and namespaces;
// skipped with the reason otherwise; the namespace is removed when a test
// ends, also on failure.
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "lpm/patricia_trie.h"
#include "netlink/fib_sink.h"
#include "netlink/kernel_route_mirror.h"
#include "tests/netns.h"

namespace nexthop {
namespace {

using Clock = std::chrono::steady_clock;
constexpr uint32_t kTable = 100;

using testing::Shell;

// A namespace with veth0 <-> veth1 up; empty, or why it cannot be made.
std::string MakeNetns(testing::Netns& ns) {
  if (std::string why = ns.Create(); !why.empty()) return why;
  // `lo` up: until then the namespace has no local table, and the kernel
  // refuses every `onlink` gateway ("Nexthop has invalid gateway").
  for (const std::string& c :
       {ns.Ip() + "link set lo up",
        ns.Ip() + "link add veth0 type veth peer name veth1",
        ns.Ip() + "link set veth0 up", ns.Ip() + "link set veth1 up"}) {
    if (auto [rc, out] = Shell(c + " 2>&1"); rc != 0) {
      return absl::StrCat("cannot make a veth pair: ", c, ": ", out);
    }
  }
  return "";
}

// Delivers nowhere: for the tests that look at the mirror alone.
struct NullSink : RouteSink {
  absl::Status Apply(const RouteEvent<Ipv4>&) override {
    return absl::OkStatus();
  }
};

// `ip route show table 100` in KernelRoute::ToString's form.
std::set<std::string> KernelTable(const testing::Netns& ns) {
  auto [rc, out] =
      Shell(absl::StrCat(ns.Ip(), "route show table ", kTable, " 2>&1"));
  EXPECT_EQ(rc, 0) << out;
  std::set<std::string> routes;
  for (absl::string_view line : absl::StrSplit(out, '\n', absl::SkipEmpty())) {
    std::vector<std::string> w = absl::StrSplit(line, ' ', absl::SkipEmpty());
    std::string dst = w[0] == "default" ? "0.0.0.0/0" : w[0];
    if (dst.find('/') == std::string::npos) dst += "/32";
    std::string via, dev, metric;
    for (size_t i = 1; i + 1 < w.size(); ++i) {
      if (w[i] == "via") via = absl::StrCat(" via ", w[i + 1]);
      if (w[i] == "dev") dev = absl::StrCat(" dev ", w[i + 1]);
      if (w[i] == "metric" && w[i + 1] != "0")
        metric = absl::StrCat(" metric ", w[i + 1]);
    }
    routes.insert(dst + via + dev + metric);
  }
  return routes;
}

std::set<std::string> Mirrored(const KernelRouteMirror& m) {
  std::set<std::string> out;
  for (const KernelRoute<Ipv4>& r : m.Routes()) out.insert(r.ToString());
  return out;
}

// Polls and processes until `done` or `limit` passed; whether `done`.
bool PumpUntil(KernelRouteMirror& m, const std::function<bool()>& done,
               std::chrono::milliseconds limit = std::chrono::seconds(2)) {
  const auto end = Clock::now() + limit;
  while (!done()) {
    if (Clock::now() > end) return false;
    pollfd p{m.fd(), POLLIN, 0};
    if (poll(&p, 1, 20) > 0) {
      absl::Status s = m.Process();
      EXPECT_TRUE(s.ok()) << s;
    }
  }
  return true;
}

// Reads everything queued now (and what arrives within 200 ms of quiet).
void Drain(KernelRouteMirror& m) {
  for (;;) {
    pollfd p{m.fd(), POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) return;
    absl::Status s = m.Process();
    EXPECT_TRUE(s.ok()) << s;
  }
}

// Callers ASSERT_TRUE it: a failed `ip` command stops the test there (an
// ASSERT inside a void helper only returned from the helper).
::testing::AssertionResult IpOk(const testing::Netns& ns,
                                const std::string& args) {
  auto [rc, out] = Shell(ns.Ip() + args + " 2>&1");
  if (rc == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "ip " << args << ": " << out;
}

std::string Add(const std::string& rest) {
  return absl::StrCat("route add ", rest, " onlink table ", kTable);
}

TEST(KernelMirrorTest, FollowsAddsDeletesReplacesAndLinkDown) {
  testing::Netns ns(absl::StrCat("nh-mirror-", getpid()));
  if (std::string why = MakeNetns(ns); !why.empty()) GTEST_SKIP() << why;
  // Two routes before the mirror starts: the first dump brings them.
  ASSERT_TRUE(IpOk(ns, Add("10.0.1.0/24 via 192.0.2.1 dev veth0")));
  ASSERT_TRUE(IpOk(ns, Add("10.0.2.0/24 via 192.0.2.1 dev veth0 metric 5")));
  // In the main table: not mirrored.
  ASSERT_TRUE(
      IpOk(ns, "route add 10.99.0.0/16 via 192.0.2.1 dev veth0 onlink"));
  Fib<PatriciaTrie> fib;
  FibSink<PatriciaTrie> sink(&fib);
  KernelRouteMirror::Options options;
  options.table = kTable;
  auto mirror =
      ns.Inside([&] { return KernelRouteMirror::Open(options, &sink); });
  ASSERT_TRUE(mirror.ok()) << mirror.status();
  KernelRouteMirror& m = **mirror;
  EXPECT_EQ(Mirrored(m), KernelTable(ns));
  EXPECT_EQ(m.Routes().size(), 2u);
  EXPECT_EQ(fib.routes().size(), 2u);

  // Add: it appears, with the latency from before `ip` ran.
  std::vector<double> latency_ms;
  for (int i = 0; i < 20; ++i) {
    const auto t0 = Clock::now();
    ASSERT_TRUE(IpOk(
        ns, Add(absl::StrCat("10.1.", i, ".0/24 via 192.0.2.2 dev veth1"))));
    const std::string want =
        absl::StrCat("10.1.", i, ".0/24 via 192.0.2.2 dev veth1");
    ASSERT_TRUE(PumpUntil(m, [&] { return Mirrored(m).contains(want); }))
        << want << " never arrived";
    latency_ms.push_back(
        std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::sort(latency_ms.begin(), latency_ms.end());
  std::cout << "latency from starting `ip route add` to the mirror having "
               "it, 20 routes: median "
            << latency_ms[10] << " ms, max " << latency_ms.back()
            << " ms (includes starting the ip process)\n";
  EXPECT_EQ(Mirrored(m), KernelTable(ns));
  auto lookup = fib.Lookup(Ipv4Address::FromOctets(10, 1, 3, 9));
  ASSERT_TRUE(lookup);
  EXPECT_EQ(lookup->route.next_hop.GatewayString(), "192.0.2.2");
  EXPECT_EQ(lookup->route.next_hop.dev, "veth1");

  // Delete: it disappears.
  ASSERT_TRUE(IpOk(ns, absl::StrCat("route del 10.0.1.0/24 table ", kTable)));
  ASSERT_TRUE(PumpUntil(m, [&] {
    return !Mirrored(m).contains("10.0.1.0/24 via 192.0.2.1 dev veth0");
  }));
  EXPECT_FALSE(fib.Lookup(Ipv4Address::FromOctets(10, 0, 1, 1)));

  // Replace: the gateway changes, nothing else is added.
  const size_t before = m.Routes().size();
  ASSERT_TRUE(IpOk(
      ns, absl::StrCat("route replace 10.1.3.0/24 via 192.0.2.77 dev veth1 "
                       "onlink table ",
                       kTable)));
  ASSERT_TRUE(PumpUntil(m, [&] {
    return Mirrored(m).contains("10.1.3.0/24 via 192.0.2.77 dev veth1");
  }));
  EXPECT_EQ(m.Routes().size(), before);
  EXPECT_EQ(fib.Lookup(Ipv4Address::FromOctets(10, 1, 3, 9))
                ->route.next_hop.GatewayString(),
            "192.0.2.77");
  EXPECT_EQ(m.stats().replaces, 1u);
  EXPECT_EQ(Mirrored(m), KernelTable(ns));

  // veth0 down: its routes go (no RTM_DELROUTE comes), veth1's stay.
  ASSERT_TRUE(IpOk(ns, "link set veth0 down"));
  ASSERT_TRUE(PumpUntil(m, [&] {
    for (const auto& r : m.Routes())
      if (r.dev == "veth0") return false;
    return true;
  }));
  EXPECT_GE(m.stats().link_drops, 1u);
  EXPECT_EQ(m.Routes().size(), 20u);
  EXPECT_EQ(Mirrored(m), KernelTable(ns));
  EXPECT_EQ(fib.routes().size(), 20u);
  EXPECT_EQ(m.stats().resyncs, 0u);  // no event was lost on the way
}

// `count` lines of `ip -batch` commands: adds of 10.A.B.0/24 on veth0.
std::string WriteBatch(const std::string& name,
                       const std::vector<std::string>& lines) {
  const std::string path =
      absl::StrCat(::testing::TempDir(), getpid(), "-", name);
  std::ofstream f(path);
  for (const std::string& l : lines) f << l << "\n";
  return path;
}

std::string Prefix(int i) {
  return absl::StrCat("10.", 100 + i / 256, ".", i % 256, ".0/24");
}

TEST(KernelMirrorTest, OverrunResyncsToTheKernelTable) {
  testing::Netns ns(absl::StrCat("nh-mirror-", getpid()));
  if (std::string why = MakeNetns(ns); !why.empty()) GTEST_SKIP() << why;
  NullSink sink;
  KernelRouteMirror::Options options;
  options.table = kTable;
  options.receive_buffer_bytes = 4096;  // a few events: a burst overruns it
  std::vector<std::string> log;
  options.log = [&](absl::string_view m) { log.emplace_back(m); };
  auto mirror =
      ns.Inside([&] { return KernelRouteMirror::Open(options, &sink); });
  ASSERT_TRUE(mirror.ok()) << mirror.status();
  KernelRouteMirror& m = **mirror;
  // 5,000 adds, then 1,500 deletes and 1,500 replaces among them, all
  // queued before the mirror reads anything.
  std::vector<std::string> lines;
  for (int i = 0; i < 5000; ++i) {
    lines.push_back(absl::StrCat("route add ", Prefix(i), " via 192.0.2.",
                                 1 + i % 200, " dev veth", i % 2,
                                 " onlink table ", kTable));
  }
  for (int i = 0; i < 3000; ++i) {
    if (i % 2) {
      lines.push_back(absl::StrCat("route del ", Prefix(i), " table ", kTable));
    } else {
      lines.push_back(absl::StrCat("route replace ", Prefix(i),
                                   " via 198.51.100.9 dev veth", i % 2,
                                   " onlink table ", kTable));
    }
  }
  ASSERT_TRUE(IpOk(ns, "-batch " + WriteBatch("mirror-burst.txt", lines)));
  Drain(m);
  const std::set<std::string> kernel = KernelTable(ns);
  EXPECT_EQ(kernel.size(), 3500u);
  EXPECT_GE(m.stats().resyncs, 1u) << "the burst did not overrun the socket";
  EXPECT_TRUE(Mirrored(m) == kernel)
      << "mirror " << m.Routes().size() << " routes, kernel " << kernel.size();
  ASSERT_FALSE(log.empty());
  EXPECT_NE(log.front().find("ENOBUFS"), std::string::npos) << log.front();
  std::cout << "burst of " << lines.size()
            << " changes into a 4 KiB buffer: " << m.stats().resyncs
            << " resync(s), " << m.stats().messages
            << " events read, mirror = kernel (" << kernel.size()
            << " routes)\n";
}

TEST(KernelMirrorTest, ProcessingRate) {
  testing::Netns ns(absl::StrCat("nh-mirror-", getpid()));
  if (std::string why = MakeNetns(ns); !why.empty()) GTEST_SKIP() << why;
  NullSink sink;
  KernelRouteMirror::Options options;
  options.table = kTable;
  options.receive_buffer_bytes = 256 << 20;  // room for the whole burst
  auto mirror =
      ns.Inside([&] { return KernelRouteMirror::Open(options, &sink); });
  ASSERT_TRUE(mirror.ok()) << mirror.status();
  KernelRouteMirror& m = **mirror;
  constexpr int kRoutes = 20000;
  std::vector<std::string> adds, replaces;
  for (int i = 0; i < kRoutes; ++i) {
    adds.push_back(absl::StrCat("route add ", Prefix(i),
                                " via 192.0.2.1 dev veth0 onlink table ",
                                kTable));
    replaces.push_back(absl::StrCat("route replace ", Prefix(i),
                                    " via 192.0.2.2 dev veth0 onlink table ",
                                    kTable));
  }
  // (a) Queued: the mirror's own rate on events already in the socket.
  ASSERT_TRUE(IpOk(ns, "-batch " + WriteBatch("mirror-rate-adds.txt", adds)));
  auto t0 = Clock::now();
  ASSERT_TRUE(m.Process().ok());
  const double queued_s =
      std::chrono::duration<double>(Clock::now() - t0).count();
  EXPECT_EQ(m.Routes().size(), size_t{kRoutes});
  // (b) Live: `ip -batch` replacing every route while the mirror follows.
  const std::string batch = WriteBatch("mirror-rate-replaces.txt", replaces);
  t0 = Clock::now();
  std::thread writer([&] { Shell(ns.Ip() + "-batch " + batch); });
  const bool caught_up = PumpUntil(
      m, [&] { return m.stats().replaces == size_t{kRoutes}; },
      std::chrono::seconds(60));
  const double live_s =
      std::chrono::duration<double>(Clock::now() - t0).count();
  writer.join();
  EXPECT_TRUE(caught_up);
  EXPECT_EQ(m.stats().resyncs, 0u);
  std::cout << "queued: " << kRoutes << " adds processed in " << queued_s * 1e3
            << " ms (" << kRoutes / queued_s / 1e3
            << "k changes/s)\nlive: `ip -batch` of " << kRoutes
            << " replaces, mirror caught up after " << live_s * 1e3 << " ms ("
            << kRoutes / live_s / 1e3 << "k changes/s end to end)\n";
}

}  // namespace
}  // namespace nexthop
