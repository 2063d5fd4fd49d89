// FormatRouterShow: the metrics as plain lines, then the routes.
#include "router/show_text.h"

#include "absl/strings/str_cat.h"
#include "router/counters_metrics.h"

namespace nexthop {

std::string FormatRouterShow(const RouterCounters& counters,
                             const std::vector<ShownRoute>& routes) {
  std::string out = "counters:\n";
  for (const Metric& m : RouterMetrics(counters)) {
    out += m.name;
    if (!m.labels.empty()) {
      out += '{';
      for (size_t i = 0; i < m.labels.size(); ++i) {
        absl::StrAppend(&out, i > 0 ? "," : "", m.labels[i].first, "=\"",
                        m.labels[i].second, "\"");
      }
      out += '}';
    }
    absl::StrAppend(&out, " ", static_cast<uint64_t>(m.value), "\n");
  }
  absl::StrAppend(&out, "routes: ", routes.size(), "\n");
  for (const ShownRoute& r : routes) {
    const Route& route = r.route;
    out += route.prefix.ToString();
    if (!route.next_hop.on_link()) {
      absl::StrAppend(&out, " via ", route.GatewayString());
    }
    if (!route.next_hop.dev.empty()) {
      absl::StrAppend(&out, " dev ", route.next_hop.dev);
    }
    if (route.metric != 0) absl::StrAppend(&out, " metric ", route.metric);
    if (r.kernel_table)
      absl::StrAppend(&out, " (kernel table ", *r.kernel_table, ")");
    out += '\n';
  }
  return out;
}

}  // namespace nexthop
