// Uses nexthop::netlink and nexthop::metrics as an embedder would: a kernel
// route event applied to a Fib through FibSink, and the Prometheus text of
// a counter. (No socket is opened: the test machine's tables are not its
// business.) Exits non-zero on any wrong answer.
#include <iostream>

#include "lpm/patricia_trie.h"
#include "metrics/prometheus_text.h"
#include "netlink/fib_sink.h"

int main() {
  nexthop::Fib<nexthop::PatriciaTrie> fib;
  nexthop::FibSink<nexthop::PatriciaTrie> sink(&fib);
  nexthop::KernelRoute<nexthop::Ipv4> k;
  k.prefix = *nexthop::Ipv4Prefix::Parse("10.1.2.0/24");
  k.gateway = nexthop::Ipv4Address::FromOctets(192, 0, 2, 1);
  k.dev = "veth0";
  if (!sink.Apply({nexthop::RouteEventKind::kAdd, k, {}}).ok()) return 1;
  auto m = fib.Lookup(nexthop::Ipv4Address::FromOctets(10, 1, 2, 3));
  if (!m || m->route.next_hop.dev != "veth0") {
    std::cerr << "netlink consumer: wrong answer\n";
    return 1;
  }
  std::vector<nexthop::Metric> ms = {{"nexthop_routes", "Routes.",
                                      nexthop::MetricType::kGauge, {}, 1}};
  auto text = nexthop::FormatPrometheusText(ms);
  if (!text.ok() || text->find("nexthop_routes 1\n") == std::string::npos) {
    std::cerr << "metrics consumer: wrong answer\n";
    return 1;
  }
  std::cout << "netlink and metrics consumer: ok\n";
  return 0;
}
