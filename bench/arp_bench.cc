// Neighbour-cache hit lookups against general-purpose hash maps.
//
// For 1k, 64k and 1M entries (random IPv4 keys, every lookup a hit, keys
// drawn uniformly): NeighborCache single and batch lookups, and
// absl::flat_hash_map<uint32_t, MacAddress> (single lookups, and batches
// of 64 prefetched with absl's own prefetch() before they are looked up)
// and std::unordered_map with the same keys and MACs, and DPDK's rte_hash
// (keys 4 bytes, the MAC as its data, DPDK's CRC32 hash, its bulk lookup)
// when nexthop is built with DPDK, in one run. The summary prints each
// result as a ratio to absl::flat_hash_map, and bytes per entry.
//
// Pages (bench/harness/pages.h, NEXTHOP_PAGES=auto|huge|4k): where the
// machine has hugetlbfs pages, rte_hash runs on them, and so that every
// table runs on 2 MiB pages the process re-executes itself with glibc's
// malloc on transparent huge pages (GLIBC_TUNABLES glibc.malloc.hugetlb=1),
// which NeighborCache, absl and std allocate from; otherwise everything
// runs on 4 KiB pages. The summary says what each ran on.
//
// mac_table/flood: a switch's MAC table at capacity (8,192 stations, none
// expired) learning frames from source addresses it has never seen, as in a
// MAC flood: each is refused (the frame is flooded), and the rate is frames
// per second. mac_table/known: the same table refreshing a known station.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <unordered_map>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "arp/mac_table.h"
#include "arp/neighbor_cache.h"
#include "bench/harness/dpdk_eal.h"
#include "bench/harness/pages.h"
#include "bench/median_reporter.h"
#include "benchmark/benchmark.h"

#ifdef NEXTHOP_HAVE_DPDK
#include <rte_hash.h>
#include <rte_hash_crc.h>
#endif

namespace nexthop {
namespace {

constexpr size_t kProbes = size_t{1} << 20;
constexpr size_t kBatch = 64;

struct Data {
  std::vector<uint32_t> keys;
  std::vector<MacAddress> macs;
  std::vector<Ipv4Address> probes;  // random picks of keys
};

const Data& DataFor(size_t n) {
  static std::map<size_t, Data>* all = new std::map<size_t, Data>;
  auto [it, inserted] = all->try_emplace(n);
  if (inserted) {
    std::mt19937 rng(static_cast<uint32_t>(n));
    absl::flat_hash_map<uint32_t, bool> seen;
    while (it->second.keys.size() < n) {
      const uint32_t k = rng();
      if (seen.emplace(k, true).second) {
        it->second.keys.push_back(k);
        it->second.macs.push_back(
            MacAddress::FromUint64(0x020000000000 | (rng() & 0xFFFFFF)));
      }
    }
    for (size_t i = 0; i < kProbes; ++i) {
      it->second.probes.push_back(Ipv4Address(it->second.keys[rng() % n]));
    }
  }
  return it->second;
}

ManualClock* TheClock() {
  static ManualClock* clock = new ManualClock;
  return clock;
}

const NeighborCache& CacheFor(size_t n) {
  static std::map<size_t, NeighborCache*>* all =
      new std::map<size_t, NeighborCache*>;
  auto it = all->find(n);
  if (it == all->end()) {
    const Data& d = DataFor(n);
    auto* c = new NeighborCache(TheClock(), {.capacity = n, .seed = 1});
    for (size_t i = 0; i < n; ++i) {
      if (!c->AddPermanent(Ipv4Address(d.keys[i]), d.macs[i]).ok())
        std::abort();
    }
    it = all->emplace(n, c).first;
  }
  return *it->second;
}

void BM_NeighborSingle(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const NeighborCache& c = CacheFor(n);
  const Data& d = DataFor(n);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(c.Lookup(d.probes[i]));
    i = (i + 1) & (kProbes - 1);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["bytes/entry"] = static_cast<double>(c.MemoryBytes()) / n;
}

void BM_NeighborBatch(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const NeighborCache& c = CacheFor(n);
  const Data& d = DataFor(n);
  MacAddress out[kBatch];
  size_t i = 0;
  for (auto _ : state) {
    c.LookupBatch(std::span(d.probes).subspan(i, kBatch), out);
    benchmark::DoNotOptimize(out);
    i = (i + kBatch) & (kProbes - 1);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.counters["bytes/entry"] = static_cast<double>(c.MemoryBytes()) / n;
}

using AbslMap = absl::flat_hash_map<uint32_t, MacAddress>;

const AbslMap& AbslMapFor(size_t n) {
  static std::map<size_t, AbslMap*>* all = new std::map<size_t, AbslMap*>;
  auto [it, inserted] = all->try_emplace(n, nullptr);
  if (inserted) {
    const Data& d = DataFor(n);
    it->second = new AbslMap;
    for (size_t i = 0; i < n; ++i) it->second->emplace(d.keys[i], d.macs[i]);
  }
  return *it->second;
}

// absl's map in a batch loop as its users write one: absl's own prefetch()
// for every key of the batch, then the lookups.
void BM_AbslBatch(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const AbslMap& m = AbslMapFor(n);
  const Data& d = DataFor(n);
  MacAddress out[kBatch];
  size_t i = 0;
  for (auto _ : state) {
    for (size_t j = 0; j < kBatch; ++j) m.prefetch(d.probes[i + j].value());
    for (size_t j = 0; j < kBatch; ++j)
      out[j] = m.find(d.probes[i + j].value())->second;
    benchmark::DoNotOptimize(out);
    i = (i + kBatch) & (kProbes - 1);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.counters["bytes/entry"] =
      static_cast<double>(m.bucket_count() *
                          (sizeof(AbslMap::value_type) + 1)) /
      n;
}

template <typename Map>
void BM_Map(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const Data& d = DataFor(n);
  Map m;
  for (size_t i = 0; i < n; ++i) m.emplace(d.keys[i], d.macs[i]);
  size_t i = 0;
  for (auto _ : state) {
    auto it = m.find(d.probes[i].value());
    benchmark::DoNotOptimize(it->second);
    i = (i + 1) & (kProbes - 1);
  }
  state.SetItemsProcessed(state.iterations());
  if constexpr (std::is_same_v<Map,
                               absl::flat_hash_map<uint32_t, MacAddress>>) {
    // A slot of key and value plus one control byte each.
    state.counters["bytes/entry"] =
        static_cast<double>(m.bucket_count() *
                            (sizeof(typename Map::value_type) + 1)) /
        n;
  } else {
    // A node (next pointer, cached hash, pair) plus a bucket pointer.
    state.counters["bytes/entry"] =
        static_cast<double>(
            n * (sizeof(typename Map::value_type) + 2 * sizeof(void*)) +
            m.bucket_count() * sizeof(void*) + 16 * n) /
        n;
  }
}

// A full table of `capacity` stations learned at time 0, none expired.
MacTable FullMacTable(size_t capacity) {
  MacTable fdb(TheClock(), {.capacity = capacity});
  for (uint64_t i = 0; i < capacity; ++i) {
    fdb.Learn(MacAddress::FromUint64(0x020000000000 | i),
              static_cast<int>(i % 48));
  }
  return fdb;
}

void BM_MacTableFlood(benchmark::State& state) {
  const size_t capacity = static_cast<size_t>(state.range(0));
  MacTable fdb = FullMacTable(capacity);
  // Source addresses never seen before: outside the learned range.
  uint64_t next = 0x060000000000;
  for (auto _ : state) {
    fdb.Learn(MacAddress::FromUint64(next++ & 0xFEFFFFFFFFFF), 7);
  }
  if (fdb.size() != capacity) state.SkipWithError("table not full");
  state.SetItemsProcessed(state.iterations());
}

void BM_MacTableKnown(benchmark::State& state) {
  const size_t capacity = static_cast<size_t>(state.range(0));
  MacTable fdb = FullMacTable(capacity);
  uint64_t i = 0;
  for (auto _ : state) {
    fdb.Learn(MacAddress::FromUint64(0x020000000000 | (i % capacity)),
              static_cast<int>(i % 48));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}

// One of the rte_hash tables made, for the summary's page report.
const void* any_rte_hash = nullptr;

#ifdef NEXTHOP_HAVE_DPDK
rte_hash* RteHashFor(size_t n) {
  static std::map<size_t, rte_hash*>* all = new std::map<size_t, rte_hash*>;
  auto it = all->find(n);
  if (it != all->end()) return it->second;
  if (!bench::StartDpdk().ok()) return nullptr;
  const Data& d = DataFor(n);
  const std::string name = "arp" + std::to_string(n);
  rte_hash_parameters params{};
  params.name = name.c_str();
  params.entries = static_cast<uint32_t>(n + n / 4 + 8);
  params.key_len = sizeof(uint32_t);
  // DPDK's CRC32 hash (SSE4.2), its default on x86 and l3fwd's choice.
  params.hash_func = rte_hash_crc;
  params.socket_id = -1;
  rte_hash* h = rte_hash_create(&params);
  if (h == nullptr) return nullptr;
  any_rte_hash = h;
  for (size_t i = 0; i < n; ++i) {
    // The MAC is the data pointer's value: no allocation per entry.
    rte_hash_add_key_data(h, &d.keys[i],
                          reinterpret_cast<void*>(d.macs[i].ToUint64()));
  }
  (*all)[n] = h;
  return h;
}

void BM_RteHashSingle(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  rte_hash* h = RteHashFor(n);
  if (h == nullptr) return state.SkipWithError("rte_hash unavailable");
  const Data& d = DataFor(n);
  size_t i = 0;
  for (auto _ : state) {
    const uint32_t key = d.probes[i].value();
    void* data;
    benchmark::DoNotOptimize(rte_hash_lookup_data(h, &key, &data));
    benchmark::DoNotOptimize(data);
    i = (i + 1) & (kProbes - 1);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_RteHashBatch(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  rte_hash* h = RteHashFor(n);
  if (h == nullptr) return state.SkipWithError("rte_hash unavailable");
  const Data& d = DataFor(n);
  const void* keys[kBatch];
  void* data[kBatch];
  size_t i = 0;
  for (auto _ : state) {
    // rte_hash's bulk lookup takes at most 64 keys.
    for (size_t j = 0; j < kBatch; ++j) keys[j] = &d.probes[i + j];
    uint64_t hits = 0;
    benchmark::DoNotOptimize(rte_hash_lookup_bulk_data(
        h, keys, static_cast<uint32_t>(kBatch), &hits, data));
    benchmark::DoNotOptimize(data);
    i = (i + kBatch) & (kProbes - 1);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
#endif

#define SIZES ->Arg(1 << 10)->Arg(1 << 16)->Arg(1 << 20)
BENCHMARK(BM_NeighborSingle)->Name("neighbor/single") SIZES;
BENCHMARK(BM_NeighborBatch)->Name("neighbor/batch64") SIZES;
BENCHMARK_TEMPLATE(BM_Map, AbslMap)->Name("absl_flat_hash_map") SIZES;
BENCHMARK(BM_AbslBatch)->Name("absl_flat_hash_map/batch64") SIZES;
BENCHMARK_TEMPLATE(BM_Map, std::unordered_map<uint32_t, MacAddress>)
    ->Name("std_unordered_map") SIZES;
BENCHMARK(BM_MacTableFlood)->Name("mac_table/flood")->Arg(8192);
BENCHMARK(BM_MacTableKnown)->Name("mac_table/known")->Arg(8192);
#ifdef NEXTHOP_HAVE_DPDK
BENCHMARK(BM_RteHashSingle)->Name("rte_hash/single") SIZES;
BENCHMARK(BM_RteHashBatch)->Name("rte_hash/batch64") SIZES;
#endif

void PrintSummary(const std::map<std::string, bench::Measured>& results) {
  std::printf(
      "\nsummary: medians of repetitions; all lookups hit; x absl = ratio to\n"
      "absl::flat_hash_map at the same size in this run\n");
  std::printf("%-26s %9s %10s %9s %6s %8s %12s\n", "benchmark", "entries",
              "Mlookups/s", "ns/lookup", "cv", "x absl", "bytes/entry");
  for (const char* size : {"1024", "65536", "1048576"}) {
    auto base = results.find(std::string("absl_flat_hash_map/") + size);
    if (base == results.end()) continue;
    for (const char* name :
         {"neighbor/single", "neighbor/batch64", "absl_flat_hash_map",
          "absl_flat_hash_map/batch64", "std_unordered_map", "rte_hash/single",
          "rte_hash/batch64"}) {
      auto it = results.find(std::string(name) + "/" + size);
      if (it == results.end()) continue;
      const bench::Measured& r = it->second;
      std::printf(
          "%-26s %9s %10.1f %9.2f %5.0f%% %8.2f %12.1f\n", name, size,
          r.items_per_second / 1e6, 1e9 / r.items_per_second, r.cv * 100,
          r.items_per_second / base->second.items_per_second,
          r.counters.contains("bytes/entry") ? r.counters.at("bytes/entry")
                                             : 0);
    }
  }
  for (const char* name : {"mac_table/flood", "mac_table/known"}) {
    auto it = results.find(std::string(name) + "/8192");
    if (it == results.end()) continue;
    const bench::Measured& r = it->second;
    std::printf("%-26s %9s %10.1f %9.2f %5.0f%%   (Mframes/s, ns/frame)\n",
                name, "8192", r.items_per_second / 1e6,
                1e9 / r.items_per_second, r.cv * 100);
  }
  const std::vector<bench::Mapping> maps = bench::ReadSmaps();
  std::printf("\npages: %s\n", bench::CurrentPagePlan().summary.c_str());
  std::printf(
      "  NeighborCache, absl, std (malloc): %s\n",
      bench::DescribePages(bench::AnonymousUse(maps, any_rte_hash)).c_str());
  if (any_rte_hash != nullptr) {
    std::printf("  rte_hash: %s; %s\n",
                bench::DescribePages(bench::UseAt(maps, any_rte_hash)).c_str(),
                (*bench::StartDpdk())->summary.c_str());
  }
}

constexpr char kMallocOnThp[] = "glibc.malloc.hugetlb=1";

// Where the plan has huge pages, every table must have them: rte_hash
// gets hugetlbfs pages from its EAL, and the tables that malloc serves get
// transparent huge pages from glibc's tunable, which glibc reads only at
// start, hence running this program again with it set.
void PutMallocOnHugePages(char** argv) {
  const char* now = std::getenv("GLIBC_TUNABLES");
  if (now != nullptr && std::strstr(now, kMallocOnThp) != nullptr) return;
  const std::string tunables = now != nullptr && *now != '\0'
                                   ? std::string(now) + ":" + kMallocOnThp
                                   : std::string(kMallocOnThp);
  setenv("GLIBC_TUNABLES", tunables.c_str(), 1);
  execv("/proc/self/exe", argv);
  std::fprintf(stderr,
               "arp_bench: cannot run again with %s (%s): malloc "
               "stays on 4 KiB pages\n",
               kMallocOnThp, std::strerror(errno));
}

}  // namespace
}  // namespace nexthop

int main(int argc, char** argv) {
  namespace bench = nexthop::bench;
  absl::StatusOr<bench::PagePlan> plan =
      bench::DecidePages(bench::PageModeFromEnv());
  if (!plan.ok()) {
    std::fprintf(stderr, "arp_bench: NEXTHOP_PAGES: %s\n",
                 std::string(plan.status().message()).c_str());
    return 2;
  }
  if (plan->huge) nexthop::PutMallocOnHugePages(argv);
  return bench::RunWithSummary(argc, argv, nexthop::PrintSummary);
}
