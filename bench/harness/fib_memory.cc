#include "bench/harness/fib_memory.h"

#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lpm/structures.h"
#include "rib/fib.h"
#include "rib/route_table.h"

namespace nexthop::bench {
namespace {

struct Usage {
  double rss = 0, heap = 0;  // bytes
};

Usage Now() {
  malloc_trim(0);
  Usage u;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    unsigned long size = 0, resident = 0;
    if (std::fscanf(f, "%lu %lu", &size, &resident) == 2) {
      u.rss = static_cast<double>(resident) * sysconf(_SC_PAGESIZE);
    }
    std::fclose(f);
  }
  const struct mallinfo2 m = mallinfo2();
  u.heap = static_cast<double>(m.uordblks + m.hblkhd);
  return u;
}

double Mib(double bytes) { return bytes / 1048576.0; }

template <typename T>
absl::Status Measure(const RouteSet& set, std::span<const NextHopId> nhs,
                     const std::vector<Route>& routes, MemoryRow& row) {
  {
    const Usage before = Now();
    std::optional<T> t(std::in_place);
    absl::Status s;
    if constexpr (requires { t->Assign(set.prefixes, nhs); }) {
      s = t->Assign(set.prefixes, nhs);
    } else {
      for (size_t i = 0; i < set.prefixes.size() && s.ok(); ++i)
        s = t->Insert(set.prefixes[i], nhs[i]);
    }
    if (!s.ok()) return s;
    row.alone_rss_mib = Mib(Now().rss - before.rss);
    row.structure_mib = Mib(static_cast<double>(t->MemoryBytes()));
  }
  {
    const Usage before = Now();
    std::optional<Fib<T>> fib(std::in_place);
    if (absl::Status s = fib->Add(routes); !s.ok()) return s;
    const Usage after = Now();
    row.fib_rss_mib = Mib(after.rss - before.rss);
    row.fib_heap_mib = Mib(after.heap - before.heap);
  }
  {
    const Usage before = Now();
    std::optional<RouteTable> table(std::in_place);
    for (const Route& r : routes) {
      if (absl::Status s = table->Add(r); !s.ok()) return s;
    }
    row.routes_heap_mib = Mib(Now().heap - before.heap);
    row.next_hops = table->next_hop_count();
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<MemoryRow> MeasureFibMemory(const std::string& structure,
                                           const RouteSet& set,
                                           std::span<const NextHopId> next_hops,
                                           const std::string& nexthops_model) {
  if (next_hops.size() != set.prefixes.size()) {
    return absl::InvalidArgumentError("one next hop per prefix is needed");
  }
  std::vector<Route> routes(set.prefixes.size());
  for (size_t i = 0; i < routes.size(); ++i) {
    routes[i].prefix = set.prefixes[i];
    routes[i].next_hop.gateway = Ipv4Address(0x0a000000u + next_hops[i]);
  }
  MemoryRow row{structure, nexthops_model};
  std::optional<absl::Status> result;
  ForEachStructure<Ipv4Structures>([&]<typename T>() {
    if (!result && structure == T::kName) {
      result = Measure<T>(set, next_hops, routes, row);
    }
  });
  if (!result) {
    return absl::InvalidArgumentError(
        absl::StrCat("no IPv4 structure named '", structure, "'"));
  }
  if (!result->ok()) return *result;
  return row;
}

}  // namespace nexthop::bench
