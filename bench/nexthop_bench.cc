// nexthop-bench: LPM throughput, memory, build and update cost on real or
// synthetic route sets, side by side with DPDK where it is installed.
#include <sched.h>

#include <barrier>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "bench/harness/dpdk_eal.h"
#include "bench/harness/engine.h"
#include "bench/harness/measure.h"
#include "bench/harness/pages.h"
#include "bench/harness/random_read.h"
#include "bench/harness/report.h"
#include "bench/harness/workload.h"
#include "lpm/patricia_trie.h"
#include "lpm/structures.h"

ABSL_FLAG(
    std::string, table, NEXTHOP_DEFAULT_TABLE,
    "route set: any file the loaders read (default: the bundled real table)");
ABSL_FLAG(std::string, format, "auto", "the table's format");
ABSL_FLAG(size_t, synthetic, 0,
          "instead of the table itself, N synthetic routes following its "
          "prefix-length "
          "distribution and nesting");
ABSL_FLAG(std::vector<std::string>, nexthops,
          std::vector<std::string>({"rr:255", "block:16"}),
          "next-hop models: rr:N, block:N, file");
ABSL_FLAG(std::vector<std::string>, traffic,
          std::vector<std::string>({"uniform", "matched", "zipf:1.1"}),
          "traffic models: uniform, matched, zipf:S, file:PATH");
ABSL_FLAG(std::vector<std::string>, algos,
          std::vector<std::string>({"dir24_8", "poptrie", "patricia", "rte_fib",
                                    "rte_lpm"}),
          "engines: any of nexthop's structures (lpm/structures.h; an unknown "
          "name lists them), rte_fib, rte_lpm (DPDK ones are skipped with "
          "a note when DPDK is not built in)");
ABSL_FLAG(std::vector<std::string>, threads,
          std::vector<std::string>({"1", "2"}), "thread counts");
ABSL_FLAG(size_t, batch, 64, "addresses per batch lookup");
ABSL_FLAG(size_t, addresses, 1 << 20,
          "addresses per traffic sample (per thread)");
ABSL_FLAG(int, repetitions, 5,
          "timed repetitions per measurement (the median is reported)");
ABSL_FLAG(double, min_time, 0.2, "seconds per timed repetition");
ABSL_FLAG(size_t, updates, 100000,
          "prefixes erased and re-inserted in the update stream");
ABSL_FLAG(bool, scaling, true,
          "measure lookups/s against table size for every structure");
ABSL_FLAG(std::string, scaling_traffic, "uniform",
          "traffic model for the scaling curve");
ABSL_FLAG(std::string, pages, nexthop::bench::PageModeFromEnv(),
          "pages for every engine: auto (2 MiB where the machine has "
          "hugetlbfs pages for DPDK and THP for nexthop, else 4 KiB for "
          "all), huge (or fail), 4k (default: $NEXTHOP_PAGES, else auto)");
ABSL_FLAG(uint64_t, seed, 1, "seed for synthetic routes and traffic");
ABSL_FLAG(std::string, json, "", "write results as JSON to this file");
ABSL_FLAG(std::string, csv, "", "write results as CSV to this file");
ABSL_FLAG(std::string, plot, "",
          "write PNG charts (gnuplot) into this directory");

namespace nexthop::bench {
namespace {

absl::StatusOr<std::unique_ptr<Engine>> MakeEngine(const std::string& name) {
  std::unique_ptr<Engine> engine;
  ForEachStructure<Ipv4Structures>([&]<typename T>() {
    if (name == T::kName) engine = std::make_unique<NexthopEngine<T>>();
  });
  if (engine != nullptr) return engine;
  if (name == "rte_fib" || name == "rte_lpm") return MakeDpdkEngine(name);
  return absl::InvalidArgumentError(
      absl::StrCat("unknown engine '", name, "' (",
                   absl::StrJoin(StructureNames<Ipv4Structures>(), ", "),
                   ", rte_fib, rte_lpm)"));
}

std::string Machine() {
  std::ifstream f("/proc/cpuinfo");
  std::string line, model = "unknown CPU";
  while (std::getline(f, line)) {
    if (line.rfind("model name", 0) == 0) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  }
  return absl::StrCat(model, ", ", std::thread::hardware_concurrency(),
                      " CPUs");
}

void Progress(const std::string& what) {
  std::cerr << "  .. " << what << std::endl;
}

int Fail(const absl::Status& s) {
  std::cerr << "nexthop-bench: " << s.message() << "\n";
  return 1;
}

// Compares every answer of `engine` with the reference before anything is
// timed.
absl::Status CrossCheck(const Engine& engine, const PatriciaTrie& reference,
                        std::span<const Ipv4Address> addrs,
                        const std::string& traffic) {
  std::vector<NextHopId> got(addrs.size()), want(addrs.size());
  engine.LookupBatch(addrs, got);
  reference.LookupBatch(addrs, want);
  for (size_t i = 0; i < addrs.size(); ++i) {
    if (got[i] != want[i]) {
      return absl::InternalError(
          absl::StrCat("cross-check failed: ", engine.name(), " answers ",
                       got[i], " for ", addrs[i].ToString(), " (", traffic,
                       " traffic), the reference ", want[i]));
    }
  }
  return absl::OkStatus();
}

// `threads` threads run `run(thread_index, rounds)` side by side; returns
// the aggregate rate (`reps` repetitions of >= `min_time` s).
template <typename Run>
Rate MeasureThreads(int threads, double ops_per_round, Run run,
                    double min_time = absl::GetFlag(FLAGS_min_time),
                    int reps = absl::GetFlag(FLAGS_repetitions)) {
  if (threads == 1) {
    return MeasureRate([&](size_t rounds) { run(0, rounds); }, ops_per_round,
                       min_time, reps);
  }
  return MeasureRate(
      [&](size_t rounds) {
        std::barrier start(threads);
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t) {
          pool.emplace_back([&, t] {
            start.arrive_and_wait();
            run(t, rounds);
          });
        }
        for (auto& th : pool) th.join();
      },
      ops_per_round * threads, min_time, reps);
}

struct Traffic {
  std::string name;
  std::vector<std::vector<Ipv4Address>> per_thread;
};

// The fastest read kernel of `limit` for one traffic and thread count:
// every kernel briefly (random_read.h: the limit is the best the machine
// gives, so that no lookup can beat it).
size_t FastestKernel(RandomReadEngine& limit, const Traffic& t, int threads,
                     size_t n_addr) {
  Progress(absl::StrCat(limit.name(), " ", t.name, " traffic, ", threads,
                        " thread(s): ", limit.kernels().size(),
                        " read kernels"));
  size_t best = 0;
  double best_rate = 0;
  for (size_t k = 0; k < limit.kernels().size(); ++k) {
    limit.UseKernel(k);
    const Rate r = MeasureThreads(
        threads, n_addr,
        [&](int th, size_t rounds) {
          limit.RunBatch(t.per_thread[th], 0, rounds);
        },
        absl::GetFlag(FLAGS_min_time) / 4, 2);
    if (r.median > best_rate) {
      best_rate = r.median;
      best = k;
    }
  }
  return best;
}

// A limit and the kernel chosen for each traffic model and thread count.
struct Limit {
  std::unique_ptr<RandomReadEngine> engine;
  std::map<std::pair<std::string, int>, size_t> kernel;
};

int Main() {
  Report report;
  report.machine = Machine();
  // Before anything allocates: every engine's pages follow the plan.
  absl::StatusOr<PagePlan> page_plan = DecidePages(absl::GetFlag(FLAGS_pages));
  if (!page_plan.ok()) return Fail(page_plan.status());
  report.page_plan = page_plan->summary;
  std::cerr << "nexthop-bench: pages: " << report.page_plan << "\n";
  // Route set.
  absl::StatusOr<RouteFormat> format =
      ParseFormatName(absl::GetFlag(FLAGS_format));
  if (!format.ok()) return Fail(format.status());
  absl::StatusOr<RouteSet> loaded =
      LoadRouteSet(absl::GetFlag(FLAGS_table), *format);
  if (!loaded.ok()) return Fail(loaded.status());
  RouteSet set = *std::move(loaded);
  if (absl::GetFlag(FLAGS_synthetic) > 0) {
    set = SyntheticRouteSet(set, absl::GetFlag(FLAGS_synthetic),
                            absl::GetFlag(FLAGS_seed));
  }
  report.route_set =
      absl::StrCat(set.name, " (", set.prefixes.size(), " IPv4 prefixes)");
  std::cerr << "nexthop-bench: " << report.route_set << " on " << report.machine
            << "\n";

  // Engines.
  std::vector<std::unique_ptr<Engine>> engines;
  for (const std::string& name : absl::GetFlag(FLAGS_algos)) {
    absl::StatusOr<std::unique_ptr<Engine>> e = MakeEngine(name);
    if (!e.ok()) {
      if ((name == "rte_fib" || name == "rte_lpm") && !HaveDpdk()) {
        std::cerr << "note: " << name
                  << " skipped: nexthop was built without DPDK "
                  << "(install libdpdk-dev and rebuild)\n";
        continue;
      }
      return Fail(e.status());
    }
    if (name == "rte_fib" || name == "rte_lpm") {
      report.dpdk = (*StartDpdk())->summary;  // started by MakeEngine
    }
    engines.push_back(*std::move(e));
  }
  {
    // Threads run on these (DPDK's EAL start gives back the CPUs it pins).
    cpu_set_t cpus;
    if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0) {
      absl::StrAppend(&report.machine, " (", CPU_COUNT(&cpus), " usable)");
    }
  }
  if (!report.dpdk.empty())
    std::cerr << "nexthop-bench: " << report.dpdk << "\n";
  std::vector<int> thread_counts;
  for (const std::string& t : absl::GetFlag(FLAGS_threads)) {
    int n = 0;
    if (!absl::SimpleAtoi(t, &n) || n < 1 || n > 64) {
      return Fail(absl::InvalidArgumentError(
          absl::StrCat("bad thread count '", t, "'")));
    }
    thread_counts.push_back(n);
  }
  const int max_threads =
      *std::max_element(thread_counts.begin(), thread_counts.end());
  const size_t batch = absl::GetFlag(FLAGS_batch);
  const size_t n_addr = absl::GetFlag(FLAGS_addresses) / batch * batch;
  if (batch == 0 || n_addr == 0) {
    return Fail(
        absl::InvalidArgumentError("--batch and --addresses must be positive"));
  }

  // Traffic, one sample per thread.
  std::vector<Traffic> traffics;
  for (const std::string& model : absl::GetFlag(FLAGS_traffic)) {
    Traffic t{model, {}};
    for (int th = 0; th < max_threads; ++th) {
      absl::StatusOr<std::vector<Ipv4Address>> a = MakeTraffic(
          set, model, n_addr, absl::GetFlag(FLAGS_seed) * 1000 + th);
      if (!a.ok()) return Fail(a.status());
      t.per_thread.push_back(*std::move(a));
    }
    traffics.push_back(std::move(t));
  }

  // Baselines: random reads from an array as large as a DIR-24-8 first
  // table (the memory limit), and from one that fits in L2. Their fastest
  // kernels are chosen once; each next-hop model measures them again just
  // before its engines, so that the ratios compare rates taken close
  // together on a machine whose load moves.
  std::vector<Limit> limits;
  for (auto [name, bytes] : {std::pair("memory_limit", size_t{64} << 20),
                             std::pair("l2_limit", size_t{512} << 10)}) {
    Limit limit{std::make_unique<RandomReadEngine>(name, bytes), {}};
    report.pages.push_back({name, "-", limit.engine->pages()});
    for (const Traffic& t : traffics) {
      for (int threads : thread_counts) {
        limit.kernel[{t.name, threads}] =
            FastestKernel(*limit.engine, t, threads, n_addr);
      }
    }
    limits.push_back(std::move(limit));
  }

  for (const std::string& nh_model : absl::GetFlag(FLAGS_nexthops)) {
    absl::StatusOr<std::vector<NextHopId>> nhs = AssignNextHops(set, nh_model);
    if (!nhs.ok()) return Fail(nhs.status());
    std::cerr << "next hops " << nh_model << "\n";
    PatriciaTrie reference;
    for (size_t i = 0; i < set.prefixes.size(); ++i) {
      reference.Insert(set.prefixes[i], (*nhs)[i]).IgnoreError();
    }
    std::vector<LookupRow> rows;
    // A limit (`limit` set) runs the kernel chosen for the traffic and
    // thread count, and has no single lookups.
    auto measure_lookups = [&](Engine& e, Limit* limit = nullptr) {
      for (const Traffic& t : traffics) {
        for (int threads : thread_counts) {
          if (limit) limit->engine->UseKernel(limit->kernel[{t.name, threads}]);
          Progress(absl::StrCat(e.name(), " ", t.name, " traffic, ", threads,
                                " thread(s)"));
          LookupRow row;
          row.engine = e.name();
          row.nexthops = nh_model;
          row.traffic = t.name;
          row.threads = threads;
          row.batch = batch;
          row.detail = e.detail();
          if (threads == 1 && !limit) {
            row.single = MeasureThreads(1, n_addr, [&](int th, size_t rounds) {
              e.RunSingle(t.per_thread[th], rounds);
            });
          }
          row.batched =
              MeasureThreads(threads, n_addr, [&](int th, size_t rounds) {
                e.RunBatch(t.per_thread[th], batch, rounds);
              });
          // A limit is a ceiling: other processes only ever slow a
          // repetition down, so its fastest repetition is the best
          // estimate of what the machine gives, and the one the engines'
          // medians are divided by.
          if (limit) row.batched.median = row.batched.max;
          row.mib = e.MemoryBytes() / 1048576.0;
          rows.push_back(row);
        }
      }
    };
    for (Limit& limit : limits) measure_lookups(*limit.engine, &limit);
    for (auto& e : engines) {
      Progress(absl::StrCat(e->name(), ": build"));
      if (absl::Status s = e->Reset(); !s.ok()) return Fail(s);
      const auto t0 = std::chrono::steady_clock::now();
      if (absl::Status s = e->Build(set.prefixes, *nhs); !s.ok())
        return Fail(s);
      UpdateRow u{e->name(), nh_model, Seconds(t0)};
      u.mib = e->MemoryBytes() / 1048576.0;
      report.pages.push_back({e->name(), nh_model, e->pages()});
      for (const Traffic& t : traffics) {
        if (absl::Status s = CrossCheck(*e, reference, t.per_thread[0], t.name);
            !s.ok()) {
          return Fail(s);
        }
      }
      measure_lookups(*e);
      // Update stream: erase and re-insert with a new next hop, then check
      // every answer against a reference with the same changes.
      std::mt19937_64 rng(absl::GetFlag(FLAGS_seed));
      std::vector<size_t> order(set.prefixes.size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::shuffle(order.begin(), order.end(), rng);
      {
        const size_t n_updates = std::min(
            absl::GetFlag(FLAGS_updates) / (e->fast_updates() ? 1 : 100),
            order.size());
        Progress(absl::StrCat(e->name(), ": ", 2 * n_updates, " updates"));
        PatriciaTrie changed = reference;
        const auto t1 = std::chrono::steady_clock::now();
        for (size_t k = 0; k < n_updates; ++k) {
          const size_t i = order[k];
          if (absl::Status s = e->Erase(set.prefixes[i]); !s.ok())
            return Fail(s);
          if (absl::Status s =
                  e->Insert(set.prefixes[i], ((*nhs)[i] + 1) % 255);
              !s.ok()) {
            return Fail(s);
          }
        }
        u.updates_per_s = 2.0 * n_updates / Seconds(t1);
        for (size_t k = 0; k < n_updates; ++k) {
          changed.Insert(set.prefixes[order[k]], ((*nhs)[order[k]] + 1) % 255)
              .IgnoreError();
        }
        for (const Traffic& t : traffics) {
          u.correct_after_updates =
              u.correct_after_updates &&
              CrossCheck(*e, changed, t.per_thread[0], t.name).ok();
        }
        if (e->fast_updates()) {
          Progress(absl::StrCat(e->name(), ": erase all"));
          const auto t2 = std::chrono::steady_clock::now();
          for (size_t i : order) {
            if (absl::Status s = e->Erase(set.prefixes[i]); !s.ok())
              return Fail(s);
          }
          u.erase_all_s = Seconds(t2);
        }
      }
      report.updates.push_back(u);
    }
    // Ratios within this next-hop model, same traffic and threads.
    for (LookupRow& row : rows) {
      for (const LookupRow& other : rows) {
        if (other.traffic != row.traffic || other.threads != row.threads)
          continue;
        if (other.engine == "rte_fib" && other.batched.median > 0) {
          row.x_rte_fib = row.batched.median / other.batched.median;
        }
        if (other.engine == "memory_limit" && other.batched.median > 0) {
          row.x_memory_limit = row.batched.median / other.batched.median;
        }
      }
      report.lookups.push_back(row);
    }
  }

  if (absl::GetFlag(FLAGS_scaling)) {
    std::cerr << "scaling\n";
    report.scaling_traffic = absl::GetFlag(FLAGS_scaling_traffic);
    std::vector<std::string> names = {"linear"};
    for (auto& e : engines) names.push_back(e->name());
    // The engines above are done: their memory goes back (DPDK's to the
    // hugetlbfs pool, which would not hold them and the ones below).
    engines.clear();
    for (size_t n : {size_t{10}, size_t{100}, size_t{1000}, size_t{10000},
                     size_t{100000}, set.prefixes.size()}) {
      if (n > set.prefixes.size()) continue;
      RouteSet sub = Sample(set, n, absl::GetFlag(FLAGS_seed));
      absl::StatusOr<std::vector<NextHopId>> nhs =
          AssignNextHops(sub, "rr:255");
      // As many addresses as the main runs, so that "uniform" is not
      // quietly cache-resident; the linear scan on big tables, which is
      // compute-bound at thousands of lookups a second, gets fewer.
      absl::StatusOr<std::vector<Ipv4Address>> all_addrs = MakeTraffic(
          sub, report.scaling_traffic, n_addr, absl::GetFlag(FLAGS_seed));
      if (!all_addrs.ok()) return Fail(all_addrs.status());
      for (const std::string& name : names) {
        const std::span<const Ipv4Address> addrs =
            std::span(*all_addrs)
                .first(name == "linear" && n > 1000
                           ? std::min<size_t>(4096, n_addr)
                           : n_addr);
        absl::StatusOr<std::unique_ptr<Engine>> e = MakeEngine(name);
        if (!e.ok()) continue;
        Progress(absl::StrCat("scaling ", name, " at ", n, " routes"));
        if (absl::Status s = (*e)->Reset(); !s.ok()) return Fail(s);
        if (absl::Status s = (*e)->Build(sub.prefixes, *nhs); !s.ok())
          return Fail(s);
        ScalingRow row;
        row.engine = name;
        row.routes = n;
        const double min_time = absl::GetFlag(FLAGS_min_time) / 2;
        row.single = MeasureRate([&](size_t r) { (*e)->RunSingle(addrs, r); },
                                 addrs.size(), min_time, 3);
        row.batched =
            MeasureRate([&](size_t r) { (*e)->RunBatch(addrs, batch, r); },
                        addrs.size(), min_time, 3);
        report.scaling.push_back(row);
      }
    }
  }

  std::cout << FormatTables(report);
  if (!absl::GetFlag(FLAGS_json).empty()) {
    if (absl::Status s = WriteJson(report, absl::GetFlag(FLAGS_json)); !s.ok())
      return Fail(s);
  }
  if (!absl::GetFlag(FLAGS_csv).empty()) {
    if (absl::Status s = WriteCsv(report, absl::GetFlag(FLAGS_csv)); !s.ok())
      return Fail(s);
  }
  if (!absl::GetFlag(FLAGS_plot).empty()) {
    if (absl::Status s = WritePlots(report, absl::GetFlag(FLAGS_plot)); !s.ok())
      return Fail(s);
  }
  return 0;
}

}  // namespace
}  // namespace nexthop::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "nexthop-bench [--table FILE | --synthetic N] [--nexthops "
      "rr:255,block:16]\n"
      "  [--traffic uniform,matched,zipf:1.1] [--algos "
      "dir24_8,poptrie,patricia,rte_fib,rte_lpm]\n"
      "  [--threads 1,2] [--json F] [--csv F] [--plot DIR]");
  absl::ParseCommandLine(argc, argv);
  return nexthop::bench::Main();
}
