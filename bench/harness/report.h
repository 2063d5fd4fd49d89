// The results of a nexthop-bench run and the ways it shows them: aligned
// tables on the terminal, JSON, CSV, and PNG charts drawn by gnuplot.
#ifndef NEXTHOP_BENCH_HARNESS_REPORT_H_
#define NEXTHOP_BENCH_HARNESS_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "bench/harness/fib_memory.h"
#include "bench/harness/measure.h"

namespace nexthop::bench {

struct LookupRow {
  int family = 4;  // 4 or 6
  std::string engine, nexthops, traffic;
  int threads = 1;
  size_t batch = 0;
  Rate single, batched;  // lookups/s (single not measured with 2 threads)
  // Batched, same traffic/threads, over rte_fib's (IPv6: rte_fib6's).
  double x_rte_fib = 0, x_memory_limit = 0;
  double mib = 0;
  std::string detail;  // which code ran (Engine::detail), may be empty
  // Several threads: the CPU time they got per second of wall time (less
  // than `threads` when they shared CPUs); 0 when not measured.
  double cpus = 0;
};

// What an engine's memory sat on once built (Engine::pages), per next-hop
// model ("-" for the limits, which have none).
struct PagesRow {
  std::string engine, nexthops, pages;
};

struct UpdateRow {
  std::string engine, nexthops;
  double build_s = 0, erase_all_s = 0;
  double updates_per_s = 0;  // 0: not measured
  bool correct_after_updates = true;
  double mib = 0;
};

struct ScalingRow {
  int family = 4;  // 4 or 6
  std::string engine;
  size_t routes = 0;
  Rate single, batched;
};

struct Report {
  std::string machine, route_set, scaling_traffic;
  std::string page_plan;  // PagePlan::summary
  std::string dpdk;       // DpdkEal::summary, when a DPDK engine ran
  std::vector<PagesRow> pages;
  std::vector<LookupRow> lookups;
  std::vector<UpdateRow> updates;
  std::vector<ScalingRow> scaling;
  std::vector<MemoryRow> memory;  // IPv4 structures, when measured
  // Engines' answers that differ from the reference's (CrossCheck).
  std::vector<std::string> disagreements;
};

std::string FormatTables(const Report& r);
absl::Status WriteJson(const Report& r, const std::string& path);
absl::Status WriteCsv(const Report& r, const std::string& path);
// Writes data files and a gnuplot script into `dir`, then runs gnuplot:
// throughput.png, scaling.png, memory.png for IPv4, throughput6.png,
// scaling6.png, memory6.png for IPv6 (each where the report has the rows).
absl::Status WritePlots(const Report& r, const std::string& dir);

}  // namespace nexthop::bench

#endif  // NEXTHOP_BENCH_HARNESS_REPORT_H_
