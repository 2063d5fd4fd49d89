// nexthop-bench: LPM throughput, memory, build and update cost on real or
// synthetic route sets, side by side with DPDK where it is installed.
#include <sched.h>
#include <time.h>

#include <barrier>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
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
#include "bench/harness/fib_memory.h"
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
ABSL_FLAG(std::vector<std::string>, algos, {},
          "engines: any of nexthop's structures (lpm/structures.h; an unknown "
          "name lists them), rte_fib, rte_lpm, rte_fib6, rte_lpm6 (DPDK ones "
          "are skipped with a note when DPDK is not built in); IPv6 engines "
          "run on the table's IPv6 prefixes (default: --family's engines)");
ABSL_FLAG(std::vector<std::string>, family, std::vector<std::string>({"4"}),
          "address families whose engines run when --algos is not given: 4 "
          "(dir24_8,poptrie,patricia,rte_fib,rte_lpm), 6 "
          "(dxr6,poptrie6,patricia6,rte_fib6,rte_lpm6) or 4,6");
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
ABSL_FLAG(bool, fib_memory, true,
          "measure each IPv4 structure's memory beside what the process "
          "grows by, built alone and inside a Fib with route records");
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

// What differs between the families: structures, DPDK peers, the
// defaults, how the table is read.
template <AddressFamily F>
struct FamilyTraits;
template <>
struct FamilyTraits<Ipv4> {
  using Structures = Ipv4Structures;
  static constexpr const char* kDpdk[] = {"rte_fib", "rte_lpm"};
  static constexpr const char* kDefault[] = {"dir24_8", "poptrie", "patricia",
                                             "rte_fib", "rte_lpm"};
  static constexpr const char* kWord = "IPv4";
  static absl::StatusOr<std::unique_ptr<Engine>> Dpdk(const std::string& n) {
    return MakeDpdkEngine(n);
  }
};
template <>
struct FamilyTraits<Ipv6> {
  using Structures = Ipv6Structures;
  static constexpr const char* kDpdk[] = {"rte_fib6", "rte_lpm6"};
  static constexpr const char* kDefault[] = {"dxr6", "poptrie6", "patricia6",
                                             "rte_fib6", "rte_lpm6"};
  static constexpr const char* kWord = "IPv6";
  static absl::StatusOr<std::unique_ptr<Engine6>> Dpdk(const std::string& n) {
    return MakeDpdkEngine6(n);
  }
};

template <AddressFamily F>
bool IsDpdk(const std::string& name) {
  for (const char* d : FamilyTraits<F>::kDpdk)
    if (name == d) return true;
  return false;
}

// Whether `name` is an engine of family F.
template <AddressFamily F>
bool OfFamily(const std::string& name) {
  bool found = IsDpdk<F>(name);
  ForEachStructure<typename FamilyTraits<F>::Structures>(
      [&]<typename T>() { found = found || name == T::kName; });
  return found;
}

template <AddressFamily F>
absl::StatusOr<std::unique_ptr<BasicEngine<F>>> MakeEngine(
    const std::string& name) {
  std::unique_ptr<BasicEngine<F>> engine;
  ForEachStructure<typename FamilyTraits<F>::Structures>([&]<typename T>() {
    if (name == T::kName) engine = std::make_unique<NexthopEngine<T>>();
  });
  if (engine != nullptr) return engine;
  if (IsDpdk<F>(name)) return FamilyTraits<F>::Dpdk(name);
  return absl::InvalidArgumentError(
      absl::StrCat("unknown engine '", name, "' (",
                   absl::StrJoin(StructureNames<Ipv4Structures>(), ", "),
                   ", rte_fib, rte_lpm, ",
                   absl::StrJoin(StructureNames<Ipv6Structures>(), ", "),
                   ", rte_fib6, rte_lpm6)"));
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

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}

void Progress(const std::string& what) {
  std::cerr << "  .. " << what << std::endl;
}

int Fail(const absl::Status& s) {
  std::cerr << "nexthop-bench: " << s.message() << "\n";
  return 1;
}

// Compares every answer of `engine` with the reference's; a disagreement
// is described (how many, and the first) for the report, which lists them
// all and fails the run once the tables are out.
template <AddressFamily F>
std::optional<std::string> CrossCheck(
    const BasicEngine<F>& engine, const BasicPatriciaTrie<F>& reference,
    std::span<const typename F::Address> addrs, const std::string& traffic,
    const std::string& when) {
  std::vector<NextHopId> got(addrs.size()), want(addrs.size());
  engine.LookupBatch(addrs, got);
  reference.LookupBatch(addrs, want);
  size_t wrong = 0, first = 0;
  for (size_t i = 0; i < addrs.size(); ++i) {
    if (got[i] != want[i] && wrong++ == 0) first = i;
  }
  if (wrong == 0) return std::nullopt;
  return absl::StrCat(engine.name(), " disagrees with the reference on ", wrong,
                      " of ", addrs.size(), " addresses (", traffic,
                      " traffic, ", when, "); first: ", addrs[first].ToString(),
                      " answers ", got[first], ", the reference ", want[first]);
}

// `threads` threads run `run(thread_index, rounds)` side by side; returns
// the aggregate rate (`reps` repetitions of >= `min_time` s). With several
// threads, `*cpus` (if given) is the CPU time they got per second of wall
// time, over every run: below `threads` when they shared a CPU (another
// process, a pinned CPU set), and then the rate understates scaling.
template <typename Run>
Rate MeasureThreads(int threads, double ops_per_round, Run run,
                    double min_time = absl::GetFlag(FLAGS_min_time),
                    int reps = absl::GetFlag(FLAGS_repetitions),
                    double* cpus = nullptr) {
  if (threads == 1) {
    return MeasureRate([&](size_t rounds) { run(0, rounds); }, ops_per_round,
                       min_time, reps);
  }
  double cpu_s = 0, wall_s = 0;
  const Rate rate = MeasureRate(
      [&](size_t rounds) {
        std::barrier start(threads);
        std::vector<double> cpu(threads);
        std::vector<std::thread> pool;
        const auto t0 = std::chrono::steady_clock::now();
        for (int t = 0; t < threads; ++t) {
          pool.emplace_back([&, t] {
            start.arrive_and_wait();
            const double c0 = ThreadCpuSeconds();
            run(t, rounds);
            cpu[t] = ThreadCpuSeconds() - c0;
          });
        }
        for (auto& th : pool) th.join();
        wall_s += Seconds(t0);
        for (double c : cpu) cpu_s += c;
      },
      ops_per_round * threads, min_time, reps);
  if (cpus != nullptr && wall_s > 0) *cpus = cpu_s / wall_s;
  return rate;
}

template <AddressFamily F>
struct Traffic {
  std::string name;
  std::vector<std::vector<typename F::Address>> per_thread;
};

// The fastest read kernel of `limit` for one traffic and thread count:
// every kernel briefly (random_read.h: the limit is the best the machine
// gives, so that no lookup can beat it).
size_t FastestKernel(RandomReadEngine& limit, const Traffic<Ipv4>& t,
                     int threads, size_t n_addr) {
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

// What every family's run shares.
struct Options {
  std::vector<int> thread_counts;
  size_t batch = 0, n_addr = 0;
};

// The engines of one family, in `names` order; DPDK's are skipped with a
// note when DPDK is not built in.
template <AddressFamily F>
absl::StatusOr<std::vector<std::unique_ptr<BasicEngine<F>>>> MakeEngines(
    const std::vector<std::string>& names, Report& report) {
  std::vector<std::unique_ptr<BasicEngine<F>>> engines;
  for (const std::string& name : names) {
    absl::StatusOr<std::unique_ptr<BasicEngine<F>>> e = MakeEngine<F>(name);
    if (!e.ok()) {
      if (IsDpdk<F>(name) && !HaveDpdk()) {
        std::cerr << "note: " << name
                  << " skipped: nexthop was built without DPDK "
                  << "(install libdpdk-dev and rebuild)\n";
        continue;
      }
      return e.status();
    }
    if (IsDpdk<F>(name)) {
      report.dpdk = (*StartDpdk())->summary;  // started by MakeEngine
    }
    engines.push_back(*std::move(e));
  }
  return engines;
}

// Lookups, build, updates and scaling of one family's engines on `set`,
// appended to `report`. The engines are freed before the scaling curve
// (DPDK's memory goes back to the hugetlbfs pool, which would not hold
// them and the ones it builds).
template <AddressFamily F>
absl::Status RunFamily(const BasicRouteSet<F>& set,
                       std::vector<std::unique_ptr<BasicEngine<F>>> engines,
                       const Options& o, Report& report) {
  constexpr bool kIpv4 = std::is_same_v<F, Ipv4>;
  const size_t batch = o.batch, n_addr = o.n_addr;
  const int max_threads =
      *std::max_element(o.thread_counts.begin(), o.thread_counts.end());

  // Traffic, one sample per thread.
  std::vector<Traffic<F>> traffics;
  for (const std::string& model : absl::GetFlag(FLAGS_traffic)) {
    Traffic<F> t{model, {}};
    for (int th = 0; th < max_threads; ++th) {
      absl::StatusOr<std::vector<typename F::Address>> a = MakeTraffic(
          set, model, n_addr, absl::GetFlag(FLAGS_seed) * 1000 + th);
      if (!a.ok()) return a.status();
      t.per_thread.push_back(*std::move(a));
    }
    traffics.push_back(std::move(t));
  }

  // Baselines (IPv4; their read kernels take IPv4 addresses): random reads
  // from an array as large as a DIR-24-8 first table (the memory limit),
  // and from one that fits in L2. Their fastest kernels are chosen once;
  // each next-hop model measures them again just before its engines, so
  // that the ratios compare rates taken close together on a machine whose
  // load moves.
  std::vector<Limit> limits;
  if constexpr (kIpv4) {
    for (auto [name, bytes] : {std::pair("memory_limit", size_t{64} << 20),
                               std::pair("l2_limit", size_t{512} << 10)}) {
      Limit limit{std::make_unique<RandomReadEngine>(name, bytes), {}};
      report.pages.push_back({name, "-", limit.engine->pages()});
      for (const Traffic<F>& t : traffics) {
        for (int threads : o.thread_counts) {
          limit.kernel[{t.name, threads}] =
              FastestKernel(*limit.engine, t, threads, n_addr);
        }
      }
      limits.push_back(std::move(limit));
    }
  }

  for (const std::string& nh_model : absl::GetFlag(FLAGS_nexthops)) {
    absl::StatusOr<std::vector<NextHopId>> nhs = AssignNextHops(set, nh_model);
    if (!nhs.ok()) return nhs.status();
    std::cerr << FamilyTraits<F>::kWord << " next hops " << nh_model << "\n";
    BasicPatriciaTrie<F> reference;
    for (size_t i = 0; i < set.prefixes.size(); ++i) {
      reference.Insert(set.prefixes[i], (*nhs)[i]).IgnoreError();
    }
    std::vector<LookupRow> rows;
    // A limit (`limit` set) runs the kernel chosen for the traffic and
    // thread count, and has no single lookups.
    auto measure_lookups = [&](BasicEngine<F>& e, Limit* limit = nullptr) {
      for (const Traffic<F>& t : traffics) {
        for (int threads : o.thread_counts) {
          if (limit) limit->engine->UseKernel(limit->kernel[{t.name, threads}]);
          Progress(absl::StrCat(e.name(), " ", t.name, " traffic, ", threads,
                                " thread(s)"));
          LookupRow row;
          row.family = F::kBits == 32 ? 4 : 6;
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
          row.batched = MeasureThreads(
              threads, n_addr,
              [&](int th, size_t rounds) {
                e.RunBatch(t.per_thread[th], batch, rounds);
              },
              absl::GetFlag(FLAGS_min_time), absl::GetFlag(FLAGS_repetitions),
              &row.cpus);
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
    if constexpr (kIpv4) {
      for (Limit& limit : limits) measure_lookups(*limit.engine, &limit);
    }
    for (auto& e : engines) {
      Progress(absl::StrCat(e->name(), ": build"));
      if (absl::Status s = e->Reset(); !s.ok()) return s;
      const auto t0 = std::chrono::steady_clock::now();
      if (absl::Status s = e->Build(set.prefixes, *nhs); !s.ok()) return s;
      UpdateRow u{e->name(), nh_model, Seconds(t0)};
      u.mib = e->MemoryBytes() / 1048576.0;
      report.pages.push_back({e->name(), nh_model, e->pages()});
      for (const Traffic<F>& t : traffics) {
        if (std::optional<std::string> d =
                CrossCheck<F>(*e, reference, t.per_thread[0], t.name,
                              absl::StrCat("next hops ", nh_model))) {
          report.disagreements.push_back(*d);
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
        BasicPatriciaTrie<F> changed = reference;
        const auto t1 = std::chrono::steady_clock::now();
        for (size_t k = 0; k < n_updates; ++k) {
          const size_t i = order[k];
          if (absl::Status s = e->Erase(set.prefixes[i]); !s.ok()) return s;
          if (absl::Status s =
                  e->Insert(set.prefixes[i], ((*nhs)[i] + 1) % 255);
              !s.ok()) {
            return s;
          }
        }
        u.updates_per_s = 2.0 * n_updates / Seconds(t1);
        for (size_t k = 0; k < n_updates; ++k) {
          changed.Insert(set.prefixes[order[k]], ((*nhs)[order[k]] + 1) % 255)
              .IgnoreError();
        }
        for (const Traffic<F>& t : traffics) {
          if (std::optional<std::string> d = CrossCheck<F>(
                  *e, changed, t.per_thread[0], t.name,
                  absl::StrCat("next hops ", nh_model, ", after updates"))) {
            u.correct_after_updates = false;
            report.disagreements.push_back(*d);
          }
        }
        if (e->fast_updates()) {
          Progress(absl::StrCat(e->name(), ": erase all"));
          const auto t2 = std::chrono::steady_clock::now();
          for (size_t i : order) {
            if (absl::Status s = e->Erase(set.prefixes[i]); !s.ok()) return s;
          }
          u.erase_all_s = Seconds(t2);
        }
      }
      report.updates.push_back(u);
    }
    if constexpr (kIpv4) {
      if (absl::GetFlag(FLAGS_fib_memory)) {
        for (auto& e : engines) {
          // The linear scan's inserts are O(n): no Fib of a full table.
          if (IsDpdk<F>(e->name()) || e->name() == LinearTable::kName) continue;
          Progress(absl::StrCat(e->name(), ": memory, alone and in a Fib"));
          absl::StatusOr<MemoryRow> m =
              MeasureFibMemory(e->name(), set, *nhs, nh_model);
          if (!m.ok()) return m.status();
          report.memory.push_back(*m);
        }
      }
    }
    // Ratios within this next-hop model, same traffic and threads.
    for (LookupRow& row : rows) {
      for (const LookupRow& other : rows) {
        if (other.traffic != row.traffic || other.threads != row.threads)
          continue;
        if (other.engine == FamilyTraits<F>::kDpdk[0] &&
            other.batched.median > 0) {
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
    std::cerr << FamilyTraits<F>::kWord << " scaling\n";
    report.scaling_traffic = absl::GetFlag(FLAGS_scaling_traffic);
    std::vector<std::string> names;
    if constexpr (kIpv4) names.push_back("linear");
    for (auto& e : engines) names.push_back(e->name());
    engines.clear();
    for (size_t n : {size_t{10}, size_t{100}, size_t{1000}, size_t{10000},
                     size_t{100000}, set.prefixes.size()}) {
      if (n > set.prefixes.size()) continue;
      BasicRouteSet<F> sub = Sample(set, n, absl::GetFlag(FLAGS_seed));
      absl::StatusOr<std::vector<NextHopId>> nhs =
          AssignNextHops(sub, "rr:255");
      // As many addresses as the main runs, so that "uniform" is not
      // quietly cache-resident; the linear scan on big tables, which is
      // compute-bound at thousands of lookups a second, gets fewer.
      absl::StatusOr<std::vector<typename F::Address>> all_addrs = MakeTraffic(
          sub, report.scaling_traffic, n_addr, absl::GetFlag(FLAGS_seed));
      if (!all_addrs.ok()) return all_addrs.status();
      for (const std::string& name : names) {
        const std::span<const typename F::Address> addrs =
            std::span(*all_addrs)
                .first(name == "linear" && n > 1000
                           ? std::min<size_t>(4096, n_addr)
                           : n_addr);
        absl::StatusOr<std::unique_ptr<BasicEngine<F>>> e = MakeEngine<F>(name);
        if (!e.ok()) continue;
        Progress(absl::StrCat("scaling ", name, " at ", n, " routes"));
        if (absl::Status s = (*e)->Reset(); !s.ok()) return s;
        if (absl::Status s = (*e)->Build(sub.prefixes, *nhs); !s.ok()) return s;
        ScalingRow row;
        row.family = F::kBits == 32 ? 4 : 6;
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
  return absl::OkStatus();
}

int Main() {
  Report report;
  report.machine = Machine();
  // Before anything allocates: every engine's pages follow the plan.
  absl::StatusOr<PagePlan> page_plan = DecidePages(absl::GetFlag(FLAGS_pages));
  if (!page_plan.ok()) return Fail(page_plan.status());
  report.page_plan = page_plan->summary;
  std::cerr << "nexthop-bench: pages: " << report.page_plan << "\n";

  // Engine names, split by family.
  std::vector<std::string> algos = absl::GetFlag(FLAGS_algos);
  if (algos.empty()) {
    for (const std::string& family : absl::GetFlag(FLAGS_family)) {
      if (family == "4") {
        for (const char* n : FamilyTraits<Ipv4>::kDefault) algos.push_back(n);
      } else if (family == "6") {
        for (const char* n : FamilyTraits<Ipv6>::kDefault) algos.push_back(n);
      } else {
        return Fail(absl::InvalidArgumentError(
            absl::StrCat("unknown family '", family, "' (4 or 6)")));
      }
    }
  }
  std::vector<std::string> names4, names6;
  for (const std::string& name : algos) {
    if (OfFamily<Ipv4>(name)) {
      names4.push_back(name);
    } else if (OfFamily<Ipv6>(name)) {
      names6.push_back(name);
    } else {
      return Fail(MakeEngine<Ipv4>(name).status());  // lists the names
    }
  }

  // Route sets.
  std::vector<std::string> described;
  RouteSet set;
  absl::StatusOr<RouteFormat> format =
      ParseFormatName(absl::GetFlag(FLAGS_format));
  if (!format.ok()) return Fail(format.status());
  if (!names4.empty()) {
    absl::StatusOr<RouteSet> loaded =
        LoadRouteSet(absl::GetFlag(FLAGS_table), *format);
    if (!loaded.ok()) return Fail(loaded.status());
    set = *std::move(loaded);
    if (absl::GetFlag(FLAGS_synthetic) > 0) {
      set = SyntheticRouteSet(set, absl::GetFlag(FLAGS_synthetic),
                              absl::GetFlag(FLAGS_seed));
    }
    described.push_back(
        absl::StrCat(set.name, " (", set.prefixes.size(), " IPv4 prefixes)"));
  }
  RouteSet6 set6;
  if (!names6.empty()) {
    if (absl::GetFlag(FLAGS_synthetic) > 0) {
      return Fail(absl::InvalidArgumentError(
          "--synthetic makes IPv4 route sets only; IPv6 engines run on the "
          "table's IPv6 prefixes"));
    }
    absl::StatusOr<RouteSet6> loaded =
        LoadRouteSet6(absl::GetFlag(FLAGS_table), *format);
    if (!loaded.ok()) return Fail(loaded.status());
    set6 = *std::move(loaded);
    described.push_back(
        absl::StrCat(set6.name, " (", set6.prefixes.size(), " IPv6 prefixes)"));
  }
  report.route_set = absl::StrJoin(described, "; ");
  std::cerr << "nexthop-bench: " << report.route_set << " on " << report.machine
            << "\n";

  // Engines.
  absl::StatusOr<std::vector<std::unique_ptr<Engine>>> engines4 =
      MakeEngines<Ipv4>(names4, report);
  if (!engines4.ok()) return Fail(engines4.status());
  absl::StatusOr<std::vector<std::unique_ptr<Engine6>>> engines6 =
      MakeEngines<Ipv6>(names6, report);
  if (!engines6.ok()) return Fail(engines6.status());
  {
    // Threads run on these (DPDK's EAL start gives back the CPUs it pins).
    cpu_set_t cpus;
    if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0) {
      absl::StrAppend(&report.machine, " (", CPU_COUNT(&cpus), " usable)");
    }
  }
  if (!report.dpdk.empty())
    std::cerr << "nexthop-bench: " << report.dpdk << "\n";
  Options o;
  for (const std::string& t : absl::GetFlag(FLAGS_threads)) {
    int n = 0;
    if (!absl::SimpleAtoi(t, &n) || n < 1 || n > 64) {
      return Fail(absl::InvalidArgumentError(
          absl::StrCat("bad thread count '", t, "'")));
    }
    o.thread_counts.push_back(n);
  }
  o.batch = absl::GetFlag(FLAGS_batch);
  o.n_addr =
      o.batch == 0 ? 0 : absl::GetFlag(FLAGS_addresses) / o.batch * o.batch;
  if (o.batch == 0 || o.n_addr == 0 || o.thread_counts.empty()) {
    return Fail(absl::InvalidArgumentError(
        "--batch, --addresses and --threads must be positive"));
  }

  if (!names4.empty()) {
    if (absl::Status s = RunFamily<Ipv4>(set, *std::move(engines4), o, report);
        !s.ok()) {
      return Fail(s);
    }
  }
  if (!names6.empty()) {
    if (absl::Status s = RunFamily<Ipv6>(set6, *std::move(engines6), o, report);
        !s.ok()) {
      return Fail(s);
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
  if (!report.disagreements.empty()) {
    return Fail(absl::InternalError(
        absl::StrCat("cross-check failed: ", report.disagreements.size(),
                     " disagreement(s), listed above")));
  }
  return 0;
}

}  // namespace
}  // namespace nexthop::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "nexthop-bench [--table FILE | --synthetic N] [--nexthops "
      "rr:255,block:16]\n"
      "  [--traffic uniform,matched,zipf:1.1] [--family 4|6|4,6] [--algos "
      "dir24_8,poptrie,patricia,rte_fib,rte_lpm]\n"
      "  [--threads 1,2] [--json F] [--csv F] [--plot DIR]");
  absl::ParseCommandLine(argc, argv);
  return nexthop::bench::Main();
}
