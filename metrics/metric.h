// Metric: one sample of a counter or gauge, as a metrics exporter takes it.
//
// The daemon builds a list of these for each scrape (per-port rx/tx/drops,
// per-reason drops, lookups, neighbour events); samples of one name share
// its help and type and differ by labels. Plain values, no thread-safety
// concerns. `FormatPrometheusText` (metrics/prometheus_text.h) prints them.
//
// Example:
//   Metric m{"nexthop_rx_packets_total", "Frames received.",
//            MetricType::kCounter, {{"port", "veth0"}}, 42};
//   std::cout << m.labels[0].second;  // "veth0"
#ifndef NEXTHOP_METRICS_METRIC_H_
#define NEXTHOP_METRICS_METRIC_H_

#include <string>
#include <utility>
#include <vector>

namespace nexthop {

enum class MetricType { kCounter, kGauge, kUntyped };

struct Metric {
  std::string name;  // [a-zA-Z_:][a-zA-Z0-9_:]*
  std::string help;  // any UTF-8; the exporter escapes it
  MetricType type = MetricType::kUntyped;
  // (name, value) pairs: names [a-zA-Z_][a-zA-Z0-9_]*, not "__"-prefixed.
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
};

}  // namespace nexthop

#endif  // NEXTHOP_METRICS_METRIC_H_
