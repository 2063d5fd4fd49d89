// FormatPrometheusText: metrics in the Prometheus text exposition format
// (version 0.0.4, what GET /metrics answers).
//
// Samples are grouped by name in the order names first appear, each group
// led by one "# HELP" line (backslash and line feed escaped; none for an
// empty help) and one "# TYPE" line; label values escape backslash, double
// quote and line feed. An invalid metric or label name, or two samples of one
// name that disagree on help or type, is an InvalidArgument naming it (nothing
// is printed then). O(samples); a pure function, thread-safe.
//
// Example:
//   std::vector<Metric> ms = {
//       {"nexthop_drops_total", "Frames dropped, by reason.",
//        MetricType::kCounter, {{"reason", "no_route"}}, 3}};
//   absl::StatusOr<std::string> text = FormatPrometheusText(ms);
//   // # HELP nexthop_drops_total Frames dropped, by reason.
//   // # TYPE nexthop_drops_total counter
//   // nexthop_drops_total{reason="no_route"} 3
#ifndef NEXTHOP_METRICS_PROMETHEUS_TEXT_H_
#define NEXTHOP_METRICS_PROMETHEUS_TEXT_H_

#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "metrics/metric.h"

namespace nexthop {

// The Content-Type header that goes with it.
inline constexpr char kPrometheusTextContentType[] =
    "text/plain; version=0.0.4; charset=utf-8";

absl::StatusOr<std::string> FormatPrometheusText(
    std::span<const Metric> metrics);

}  // namespace nexthop

#endif  // NEXTHOP_METRICS_PROMETHEUS_TEXT_H_
