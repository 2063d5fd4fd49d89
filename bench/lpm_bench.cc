// LPM benchmark on the bundled real table (901,899 IPv4 prefixes).
//
// Next-hop model: rr:255 (route i gets next hop i mod 255). Traffic: uniform
// random 32-bit addresses. Baselines in the same run: random reads from an
// array as large as DIR-24-8's first table (the memory limit) and from one
// that fits in L2. After the runs it prints each structure's median
// throughput as a ratio to the memory limit.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "bench/median_reporter.h"
#include "benchmark/benchmark.h"
#include "lpm/dir24_8.h"
#include "lpm/internal/huge_array.h"
#include "lpm/linear_table.h"
#include "lpm/patricia_trie.h"
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

template <typename T>
void Fill(T& t) {
  std::vector<Ipv4Prefix> prefixes = Table();
  if constexpr (std::is_same_v<T, LinearTable>) {
    // Its inserts are O(n): feed it longest first so each one appends.
    std::sort(prefixes.begin(), prefixes.end(), [](Ipv4Prefix a, Ipv4Prefix b) {
      return std::pair(-a.length(), a.network()) <
             std::pair(-b.length(), b.network());
    });
  }
  for (size_t i = 0; i < prefixes.size(); ++i) {
    if (!t.Insert(prefixes[i], static_cast<NextHopId>(i % 255)).ok())
      std::abort();
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

// The memory limit: the same access pattern as a DIR-24-8 first-level read
// (index = address >> 8) into an array of the same size, and nothing else.
void BM_RandomRead(benchmark::State& state) {
  const size_t entries = static_cast<size_t>(state.range(0));
  auto table = internal::MakeHugeArray<uint32_t>(entries);
  for (size_t i = 0; i < entries; ++i)
    table[i] = static_cast<uint32_t>(i * 2654435761u);
  const auto& addrs = Addresses();
  const int shift = 32 - std::countr_zero(entries);
  uint32_t out[kBatch];
  size_t i = 0;
  for (auto _ : state) {
    for (size_t j = 0; j < kBatch; ++j)
      out[j] = table[addrs[i + j].value() >> shift];
    benchmark::DoNotOptimize(out);
    i = (i + kBatch) & (kAddresses - 1);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.counters["MiB"] = entries * 4 / 1048576.0;
}

BENCHMARK(BM_RandomRead)->Name("memory_limit/64MiB")->Arg(1 << 24);
BENCHMARK(BM_RandomRead)->Name("l2_limit/1MiB")->Arg(1 << 18);
BENCHMARK_TEMPLATE(BM_LookupBatch, Dir24_8)->Name("dir24_8/batch64");
BENCHMARK_TEMPLATE(BM_Lookup, Dir24_8, Built<Dir24_8>)->Name("dir24_8/single");
BENCHMARK_TEMPLATE(BM_LookupBatch, PatriciaTrie)->Name("patricia/batch64");
BENCHMARK_TEMPLATE(BM_Lookup, PatriciaTrie, Built<PatriciaTrie>)
    ->Name("patricia/single");
BENCHMARK_TEMPLATE(BM_Lookup, LinearTable, Built<LinearTable>)
    ->Name("linear/single");
BENCHMARK_TEMPLATE(BM_Lookup, LinearTable, Small<LinearTable>)
    ->Name("small16/linear");
BENCHMARK_TEMPLATE(BM_Lookup, PatriciaTrie, Small<PatriciaTrie>)
    ->Name("small16/patricia");
BENCHMARK_TEMPLATE(BM_Lookup, Dir24_8, Small<Dir24_8>)->Name("small16/dir24_8");
BENCHMARK_TEMPLATE(BM_Build, Dir24_8)
    ->Name("dir24_8/build")
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
BENCHMARK_TEMPLATE(BM_Build, PatriciaTrie)
    ->Name("patricia/build")
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

void PrintSummary(const std::map<std::string, bench::Measured>& results) {
  auto limit = results.lower_bound("memory_limit/");
  if (limit == results.end() || !limit->first.starts_with("memory_limit/"))
    return;
  const double lim = limit->second.items_per_second;
  std::printf(
      "\nsummary: medians of repetitions, cv = spread between them; next hops\n"
      "rr:255; uniform random addresses; table "
      "bench/data/bgp-tier1-2024.txt.gz\n");
  std::printf("%-28s %11s %10s %6s %9s %8s\n", "benchmark", "Mlookups/s",
              "ns/lookup", "cv", "x memlim", "MiB");
  for (const auto& [name, r] : results) {
    const double mib = r.counters.contains("MiB") ? r.counters.at("MiB") : 0;
    if (name.find("/build") != std::string::npos) {
      std::printf("%-28s %11s %10s %5.0f%% %9s %8.1f  build %.3f s\n",
                  name.c_str(), "-", "-", r.cv * 100, "-", mib, r.seconds);
    } else {
      std::printf("%-28s %11.3f %10.1f %5.0f%% %9.3f %8.1f\n", name.c_str(),
                  r.items_per_second / 1e6, 1e9 / r.items_per_second,
                  r.cv * 100, r.items_per_second / lim, mib);
    }
  }
}

}  // namespace
}  // namespace nexthop

int main(int argc, char** argv) {
  return nexthop::bench::RunWithSummary(argc, argv, nexthop::PrintSummary);
}
