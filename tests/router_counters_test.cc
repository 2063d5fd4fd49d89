// The live router's counters as Prometheus samples (RouterMetrics) and as
// `nexthop router show` text (FormatRouterShow).
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "metrics/prometheus_text.h"
#include "router/counters_metrics.h"
#include "router/show_text.h"

namespace nexthop {
namespace {

RouterCounters Sample() {
  RouterCounters c;
  c.ports.push_back(
      {"veth-a",
       {.rx_frames = 10, .rx_bytes = 980, .tx_frames = 4, .rx_ring_drops = 2}});
  c.ports.push_back({"veth-b", {.tx_frames = 9, .tx_errors = 1}});
  c.forwarded = 8;
  c.lookups = 11;
  c.drops["no_route"] = 3;
  c.drops["ttl_expired"] = 1;
  c.neighbors = 2;
  c.neighbor_events.requests = 5;
  c.routes = 4;
  return c;
}

TEST(RouterCountersTest, MetricsFormatAsPrometheusText) {
  const absl::StatusOr<std::string> text =
      FormatPrometheusText(RouterMetrics(Sample()));
  ASSERT_TRUE(text.ok()) << text.status();
  for (const char* line :
       {"nexthop_rx_frames_total{port=\"veth-a\"} 10\n",
        "nexthop_rx_ring_drops_total{port=\"veth-a\"} 2\n",
        "nexthop_tx_errors_total{port=\"veth-b\"} 1\n",
        "nexthop_drops_total{reason=\"no_route\"} 3\n",
        "nexthop_drops_total{reason=\"ttl_expired\"} 1\n",
        "nexthop_lookups_total 11\n", "nexthop_forwarded_total 8\n",
        "nexthop_neighbors 2\n",
        "nexthop_neighbor_events_total{event=\"request\"} 5\n",
        "# TYPE nexthop_rx_frames_total counter\n",
        "# TYPE nexthop_neighbors gauge\n"}) {
    EXPECT_TRUE(absl::StrContains(*text, line)) << line << *text;
  }
  // No mirror, no mirror samples.
  EXPECT_FALSE(absl::StrContains(*text, "nexthop_mirror_")) << *text;
}

TEST(RouterCountersTest, MirrorSamplesCarryTheTable) {
  RouterCounters c = Sample();
  c.mirror = RouterCounters::Mirror{100, 7, {}};
  c.mirror->stats.resyncs = 2;
  c.mirror->stats.adds = 9;
  const absl::StatusOr<std::string> text =
      FormatPrometheusText(RouterMetrics(c));
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_TRUE(
      absl::StrContains(*text, "nexthop_mirror_routes{table=\"100\"} 7\n"));
  EXPECT_TRUE(absl::StrContains(
      *text, "nexthop_mirror_resyncs_total{table=\"100\"} 2\n"));
  EXPECT_TRUE(absl::StrContains(
      *text, "nexthop_mirror_events_total{table=\"100\",kind=\"add\"} 9\n"));
}

TEST(RouterCountersTest, ShowPrintsTheSameSeriesAndTheRoutes) {
  Route connected{*Ipv4Prefix::Parse("10.1.0.0/24"), {}, 0};
  connected.next_hop.dev = "veth-a";
  Route mirrored{*Ipv4Prefix::Parse("10.9.0.0/16"), {}, 20};
  mirrored.next_hop.gateway = Ipv4Address::FromOctets(10, 1, 0, 2);
  mirrored.next_hop.dev = "veth-a";
  const std::string out =
      FormatRouterShow(Sample(), {{connected, std::nullopt}, {mirrored, 100}});
  EXPECT_TRUE(absl::StartsWith(out, "counters:\n")) << out;
  EXPECT_TRUE(
      absl::StrContains(out, "\nnexthop_drops_total{reason=\"no_route\"} 3\n"))
      << out;
  EXPECT_TRUE(absl::EndsWith(out,
                             "routes: 2\n"
                             "10.1.0.0/24 dev veth-a\n"
                             "10.9.0.0/16 via 10.1.0.2 dev veth-a metric 20 "
                             "(kernel table 100)\n"))
      << out;
}

}  // namespace
}  // namespace nexthop
