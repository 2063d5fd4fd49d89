// LPM micro-benchmarks on the bundled real table (901,899 IPv4 prefixes),
// for every structure of lpm/structures.h: single and batch lookups on the
// full table, single lookups on a 16-route host table, and the build.
//
// Next-hop model: rr:255 (route i gets next hop i mod 255). Traffic: uniform
// random 32-bit addresses. Baselines in the same run: random reads from an
// array as large as DIR-24-8's first table (the memory limit) and from one
// that fits in L2, each with every read kernel of bench/harness/random_read.h
// (the limit is the best of them). After the runs it prints each
// structure's median throughput as a ratio to the best memory-limit
// kernel. Pages: NEXTHOP_PAGES=auto|huge|4k (bench/harness/pages.h).
#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/harness/pages.h"
#include "bench/harness/random_read.h"
#include "bench/median_reporter.h"
#include "benchmark/benchmark.h"
#include "lpm/structures.h"
#include "rib/route_loader.h"

namespace nexthop {
namespace {

constexpr size_t kAddresses = size_t{1} << 20;
constexpr size_t kBatch = 64;

const std::vector<Ipv4Prefix>& Table() {
  static const auto* prefixes = [] {
    auto* out = new std::vector<Ipv4Prefix>;
    absl::StatusOr<LoadResult> r = LoadRouteFile(
        std::string(NEXTHOP_SOURCE_DIR) + "/bench/data/bgp-tier1-2024.txt.gz",
        {});
    if (!r.ok()) {
      std::fprintf(stderr, "%s\n", std::string(r.status().message()).c_str());
      std::exit(1);
    }
    for (const Route& route : r->routes) out->push_back(route.prefix);
    return out;
  }();
  return *prefixes;
}

const std::vector<Ipv4Address>& Addresses() {
  static const auto* addrs = [] {
    auto* out = new std::vector<Ipv4Address>(kAddresses);
    std::mt19937 rng(42);
    for (auto& a : *out) a = Ipv4Address(static_cast<uint32_t>(rng()));
    return out;
  }();
  return *addrs;
}

// The full table into `t`, as nexthop-bench builds it: a structure's bulk
// build where it has one, else inserts (LinearTable's longest first, so
// that each one appends).
template <typename T>
void Fill(T& t) {
  std::vector<Ipv4Prefix> prefixes = Table();
  std::vector<NextHopId> next_hops(prefixes.size());
  for (size_t i = 0; i < prefixes.size(); ++i)
    next_hops[i] = static_cast<NextHopId>(i % 255);
  if constexpr (requires { t.Assign(prefixes, next_hops); }) {
    if (!t.Assign(prefixes, next_hops).ok()) std::abort();
    return;
  }
  std::vector<size_t> order(prefixes.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  if constexpr (std::is_same_v<T, LinearTable>) {
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return std::pair(-prefixes[a].length(), prefixes[a].network()) <
             std::pair(-prefixes[b].length(), prefixes[b].network());
    });
  }
  for (size_t i : order) {
    if (!t.Insert(prefixes[i], next_hops[i]).ok()) std::abort();
  }
}

template <typename T>
const T& Built() {
  static const T* t = [] {
    auto* out = new T;
    Fill(*out);
    return out;
  }();
  return *t;
}

// A host-sized table: a default route and 15 more-specifics picked from the
// real table, where a linear scan should be the right choice.
template <typename T>
const T& Small() {
  static const T* t = [] {
    auto* out = new T;
    const auto& table = Table();
    std::mt19937 rng(3);
    if (!out->Insert(Ipv4Prefix(), 0).ok()) std::abort();
    for (int i = 1; i < 16; ++i) {
      if (!out->Insert(table[rng() % table.size()], i).ok()) std::abort();
    }
    return out;
  }();
  return *t;
}

// Single lookups on the structure `Get` returns (the full table or the
// small one).
template <typename T, const T& (*Get)()>
void BM_Lookup(benchmark::State& state) {
  const T& t = Get();
  const auto& addrs = Addresses();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(t.Lookup(addrs[i]));
    i = (i + 1) & (kAddresses - 1);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["MiB"] = t.MemoryBytes() / 1048576.0;
}

template <typename T>
void BM_LookupBatch(benchmark::State& state) {
  const T& t = Built<T>();
  const auto& addrs = Addresses();
  NextHopId out[kBatch];
  size_t i = 0;
  for (auto _ : state) {
    t.LookupBatch(std::span(addrs).subspan(i, kBatch), out);
    benchmark::DoNotOptimize(out);
    i = (i + kBatch) & (kAddresses - 1);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.counters["MiB"] = t.MemoryBytes() / 1048576.0;
}

template <typename T>
void BM_Build(benchmark::State& state) {
  size_t bytes = 0;
  for (auto _ : state) {
    T t;
    Fill(t);
    bytes = t.MemoryBytes();
    benchmark::DoNotOptimize(t);
  }
  state.SetItemsProcessed(state.iterations() * Table().size());
  state.counters["MiB"] = bytes / 1048576.0;
}

// Random reads with one kernel: `limit` reads its array at the addresses'
// DIR-24-8 first-level index. A stream of reads has no batches: 4096 per
// iteration, so that a kernel's prefetches run ahead as they would over a
// long stream.
void BM_RandomRead(benchmark::State& state, bench::RandomReadEngine* limit,
                   size_t kernel) {
  constexpr size_t kChunk = 4096;
  limit->UseKernel(kernel);
  const std::span<const Ipv4Address> addrs = Addresses();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(limit->RunBatch(addrs.subspan(i, kChunk), 0, 1));
    i = (i + kChunk) & (kAddresses - 1);
  }
  state.SetItemsProcessed(state.iterations() * kChunk);
  state.counters["MiB"] = limit->MemoryBytes() / 1048576.0;
}

void RegisterAll() {
  for (auto [name, bytes] : {std::pair("memory_limit", size_t{64} << 20),
                             std::pair("l2_limit", size_t{512} << 10)}) {
    auto* limit = new bench::RandomReadEngine(name, bytes);
    for (size_t k = 0; k < limit->kernels().size(); ++k) {
      benchmark::RegisterBenchmark(
          absl::StrCat(name, "/", limit->kernels()[k].name).c_str(),
          BM_RandomRead, limit, k);
    }
  }
  ForEachStructure<Ipv4Structures>([]<typename T>() {
    const std::string name(T::kName);
    benchmark::RegisterBenchmark((name + "/batch64").c_str(),
                                 BM_LookupBatch<T>);
    benchmark::RegisterBenchmark((name + "/single").c_str(),
                                 BM_Lookup<T, Built<T>>);
    benchmark::RegisterBenchmark(("small16/" + name).c_str(),
                                 BM_Lookup<T, Small<T>>);
    benchmark::RegisterBenchmark((name + "/build").c_str(), BM_Build<T>)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(1);
  });
}

void PrintSummary(const std::map<std::string, bench::Measured>& results) {
  // The memory limit is its fastest kernel.
  double lim = 0;
  std::string lim_kernel;
  for (const auto& [name, r] : results) {
    if (name.starts_with("memory_limit/") && r.items_per_second > lim) {
      lim = r.items_per_second;
      lim_kernel = name;
    }
  }
  if (lim == 0) return;
  std::printf(
      "\nsummary: medians of repetitions, cv = spread between them; next hops\n"
      "rr:255; uniform random addresses; table "
      "bench/data/bgp-tier1-2024.txt.gz;\n"
      "x memlim = over the fastest memory-limit kernel (%s)\n",
      lim_kernel.c_str());
  std::printf("%-34s %11s %10s %6s %9s %8s\n", "benchmark", "Mlookups/s",
              "ns/lookup", "cv", "x memlim", "MiB");
  for (const auto& [name, r] : results) {
    const double mib = r.counters.contains("MiB") ? r.counters.at("MiB") : 0;
    if (name.find("/build") != std::string::npos) {
      std::printf("%-34s %11s %10s %5.0f%% %9s %8.1f  build %.3f s\n",
                  name.c_str(), "-", "-", r.cv * 100, "-", mib, r.seconds);
    } else {
      std::printf("%-34s %11.3f %10.1f %5.0f%% %9.3f %8.1f\n", name.c_str(),
                  r.items_per_second / 1e6, 1e9 / r.items_per_second,
                  r.cv * 100, r.items_per_second / lim, mib);
    }
  }
  std::printf("pages: %s\n", bench::CurrentPagePlan().summary.c_str());
}

}  // namespace
}  // namespace nexthop

int main(int argc, char** argv) {
  namespace bench = nexthop::bench;
  absl::StatusOr<bench::PagePlan> plan =
      bench::DecidePages(bench::PageModeFromEnv());
  if (!plan.ok()) {
    std::fprintf(stderr, "lpm_bench: NEXTHOP_PAGES: %s\n",
                 std::string(plan.status().message()).c_str());
    return 2;
  }
  nexthop::RegisterAll();
  return bench::RunWithSummary(argc, argv, nexthop::PrintSummary);
}
