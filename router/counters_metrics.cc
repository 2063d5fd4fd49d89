// RouterMetrics: one sample per counter, labelled.
#include "router/counters_metrics.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace nexthop {
namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Builder {
 public:
  void Counter(const char* name, const char* help, Labels labels,
               uint64_t value) {
    Add(name, help, MetricType::kCounter, std::move(labels), value);
  }
  void Gauge(const char* name, const char* help, Labels labels,
             uint64_t value) {
    Add(name, help, MetricType::kGauge, std::move(labels), value);
  }
  std::vector<Metric> Take() { return std::move(metrics_); }

 private:
  void Add(const char* name, const char* help, MetricType type, Labels labels,
           uint64_t value) {
    metrics_.push_back(
        {name, help, type, std::move(labels), static_cast<double>(value)});
  }
  std::vector<Metric> metrics_;
};

}  // namespace

std::vector<Metric> RouterMetrics(const RouterCounters& c) {
  Builder b;
  for (const RouterCounters::Port& p : c.ports) {
    const Labels port = {{"port", p.name}};
    b.Counter("nexthop_rx_frames_total", "Frames received on a port.", port,
              p.io.rx_frames);
    b.Counter("nexthop_rx_bytes_total", "Bytes received on a port.", port,
              p.io.rx_bytes);
    b.Counter("nexthop_tx_frames_total", "Frames sent out of a port.", port,
              p.io.tx_frames);
    b.Counter("nexthop_tx_bytes_total", "Bytes sent out of a port.", port,
              p.io.tx_bytes);
    b.Counter("nexthop_tx_errors_total",
              "Frames the kernel refused to send on a port.", port,
              p.io.tx_errors);
    b.Counter("nexthop_rx_ring_drops_total",
              "Frames the kernel dropped because a port's receive ring was "
              "full.",
              port, p.io.rx_ring_drops);
  }
  b.Counter("nexthop_forwarded_total", "Frames forwarded.", {}, c.forwarded);
  b.Counter("nexthop_lookups_total",
            "Frames the fast path classified (a route lookup each for IPv4).",
            {}, c.lookups);
  for (const auto& [reason, n] : c.drops) {
    b.Counter("nexthop_drops_total", "Frames dropped, by reason.",
              {{"reason", reason}}, n);
  }
  b.Gauge("nexthop_neighbors", "Entries in the neighbour cache.", {},
          c.neighbors);
  const NeighborStats& n = c.neighbor_events;
  for (const auto& [event, value] :
       {std::pair{"request", n.requests},
        {"probe", n.probes},
        {"eviction", n.evictions},
        {"refused", n.refused},
        {"dropped_queue_full", n.dropped_queue_full},
        {"dropped_unresolved", n.dropped_unresolved},
        {"dropped_table_full", n.dropped_table_full}}) {
    b.Counter("nexthop_neighbor_events_total",
              "Neighbour cache events (ARP requests and probes sent, "
              "evictions, refusals, queued packets dropped).",
              {{"event", event}}, value);
  }
  b.Gauge("nexthop_routes", "Routes in the route table (all sources).", {},
          c.routes);
  if (c.mirror) {
    const Labels table = {{"table", absl::StrCat(c.mirror->table)}};
    const MirrorStats& m = c.mirror->stats;
    b.Gauge("nexthop_mirror_routes",
            "Routes of the mirrored kernel table the router holds.", table,
            c.mirror->routes);
    for (const auto& [kind, value] : {std::pair{"add", m.adds},
                                      {"replace", m.replaces},
                                      {"delete", m.deletes},
                                      {"link_down_delete", m.link_drops}}) {
      Labels l = table;
      l.push_back({"kind", kind});
      b.Counter("nexthop_mirror_events_total",
                "Kernel route events applied, by kind.", l, value);
    }
    b.Counter("nexthop_mirror_messages_total",
              "Netlink messages read from the event socket.", table,
              m.messages);
    b.Counter("nexthop_mirror_dumps_total",
              "Full dumps of the kernel table (the first and every resync).",
              table, m.dumps);
    b.Counter("nexthop_mirror_resyncs_total",
              "Re-dumps after the event socket overflowed (ENOBUFS).", table,
              m.resyncs);
    b.Counter("nexthop_mirror_refused_total",
              "Kernel routes not mirrored (multipath, non-unicast).", table,
              m.refused);
    b.Counter("nexthop_mirror_sink_errors_total",
              "Kernel routes the router refused (a device it does not own, "
              "a duplicate of a configured route).",
              table, m.sink_errors);
    b.Counter("nexthop_mirror_malformed_total",
              "Netlink messages that failed to parse.", table, m.malformed);
  }
  return b.Take();
}

}  // namespace nexthop
