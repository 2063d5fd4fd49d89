// DPDK's IPv6 peers: rte_fib6 (TRIE) and rte_lpm6, when built with libdpdk.
#include <array>
#include <map>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "bench/harness/dpdk_eal.h"
#include "bench/harness/engine.h"
#include "bench/harness/pages.h"

#ifdef NEXTHOP_HAVE_DPDK
#include <rte_fib6.h>
#include <rte_lcore.h>
#include <rte_lpm6.h>
#include <rte_malloc.h>
#endif

namespace nexthop::bench {

#ifndef NEXTHOP_HAVE_DPDK
absl::StatusOr<std::unique_ptr<Engine6>> MakeDpdkEngine6(
    const std::string& name) {
  return absl::UnavailableError(absl::StrCat(name, ": built without DPDK"));
}
#else
namespace {

using Bytes = std::array<uint8_t, 16>;

absl::Status Checked6(int r, const char* call, Ipv6Prefix p) {
  if (r >= 0) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(call, " ", p.ToString(), ": ", r));
}

// Bytes allocated from DPDK's heaps, every socket: what an IPv6 table
// takes, RIB and rule hash included (the memory goal counts everything,
// and neither library reports its own size).
size_t HeapBytes() {
  size_t total = 0;
  for (unsigned i = 0; i < rte_socket_count(); ++i) {
    rte_malloc_socket_stats s{};
    if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(i), &s) == 0) {
      total += s.heap_allocsz_bytes;
    }
  }
  return total;
}

constexpr uint32_t kMaxRoutes6 = 1 << 18;  // 160,147 bundled, and growth
int counter6 = 0;

// Both libraries take addresses as 16 bytes in network order, nexthop's
// traffic is two host-order halves: each traffic sample is converted once,
// on the first run over it (the calibration run, before any timed
// repetition), and kept. Threads run over their own samples side by side,
// hence the lock (taken once per run, not per lookup).
class BytesCache {
 public:
  const Bytes* Get(std::span<const Ipv6Address> addrs) const {
    std::lock_guard lock(mu_);
    std::vector<Bytes>& b = cache_[{addrs.data(), addrs.size()}];
    if (b.empty()) {
      b.reserve(addrs.size());
      for (const Ipv6Address& a : addrs) b.push_back(a.bytes());
    }
    return b.data();
  }

 private:
  mutable std::mutex mu_;
  mutable std::map<std::pair<const void*, size_t>, std::vector<Bytes>> cache_;
};

// What the two engines share: updates through `Add`/`Delete` (named
// kAdd/kDelete in errors), the heap accounting, the address cache and the
// timed loops over `Lookup(ips, n, out)`, which answers `n` lookups.
template <typename Derived, typename Out>
class DpdkEngine6 : public Engine6 {
 public:
  absl::Status Insert(Ipv6Prefix p, NextHopId nh) override {
    const Bytes ip = p.network().bytes();
    return Checked6(self().Add(ip.data(), Depth(p), nh), Derived::kAdd, p);
  }
  absl::Status Erase(Ipv6Prefix p) override {
    const Bytes ip = p.network().bytes();
    return Checked6(self().Delete(ip.data(), Depth(p)), Derived::kDelete, p);
  }
  size_t MemoryBytes() const override { return HeapBytes() - heap_before_; }
  void LookupBatch(std::span<const Ipv6Address> in,
                   std::span<NextHopId> out) const override {
    const Bytes* ips = cache_.Get(in);
    std::vector<Out> nh(in.size());
    self().Lookup(ips, in.size(), nh.data());
    for (size_t i = 0; i < std::min(in.size(), out.size()); ++i) {
      out[i] = self().ToNextHop(nh[i]);
    }
  }
  uint64_t RunSingle(std::span<const Ipv6Address> addrs,
                     size_t rounds) const override {
    const Bytes* ips = cache_.Get(addrs);
    uint64_t sum = 0;
    for (size_t r = 0; r < rounds; ++r) {
      for (size_t i = 0; i < addrs.size(); ++i) {
        Out nh = 0;
        self().Lookup(ips + i, 1, &nh);
        sum += nh;
      }
    }
    return sum;
  }
  uint64_t RunBatch(std::span<const Ipv6Address> addrs, size_t batch,
                    size_t rounds) const override {
    const Bytes* ips = cache_.Get(addrs);
    uint64_t sum = 0;
    std::vector<Out> out(batch);
    for (size_t r = 0; r < rounds; ++r) {
      for (size_t i = 0; i + batch <= addrs.size(); i += batch) {
        self().Lookup(ips + i, batch, out.data());
        sum += out[0] + out[batch - 1];
      }
    }
    return sum;
  }

 protected:
  // Before the create call: MemoryBytes counts from here.
  void MarkHeap() { heap_before_ = HeapBytes(); }
  static uint8_t (*Mutable(const Bytes* ips))[16] {
    return reinterpret_cast<uint8_t(*)[16]>(const_cast<Bytes*>(ips));
  }

 private:
  static uint8_t Depth(Ipv6Prefix p) {
    return static_cast<uint8_t>(p.length());
  }
  const Derived& self() const { return static_cast<const Derived&>(*this); }
  Derived& self() { return static_cast<Derived&>(*this); }
  size_t heap_before_ = 0;
  BytesCache cache_;
};

// rte_fib6's "default next hop": what a miss answers.
constexpr uint64_t kFib6Miss = 0x7FFFFFFF;

class RteFib6Engine final : public DpdkEngine6<RteFib6Engine, uint64_t> {
 public:
  ~RteFib6Engine() override { Free(); }
  std::string name() const override { return "rte_fib6"; }
  absl::Status Reset() override {
    Free();
    MarkHeap();
    rte_fib6_conf conf{};
    conf.type = RTE_FIB6_TRIE;
    conf.default_nh = kFib6Miss;
    conf.max_routes = kMaxRoutes6;
    conf.trie.nh_sz = RTE_FIB6_TRIE_4B;
    // rte_fib6 reserves, per route past /24, one tbl8 for each 8 bits
    // past 24 whether or not routes share them (395,483 for the bundled
    // table, of which 38,096 are used): fewer and its adds fail (-ENOSPC).
    // All of them are allocated at create time, and counted.
    conf.trie.num_tbl8 = 1 << 19;
    fib_ = rte_fib6_create(absl::StrCat("fib6_", counter6++).c_str(),
                           SOCKET_ID_ANY, &conf);
    if (fib_ == nullptr) return DpdkCreateError("rte_fib6_create");
    const int r =
        rte_fib6_select_lookup(fib_, RTE_FIB6_LOOKUP_TRIE_VECTOR_AVX512);
    lookup_ = r == 0 ? "AVX-512 lookup"
                     : absl::StrCat("scalar lookup (AVX-512 refused: ", r, ")");
    return absl::OkStatus();
  }
  std::string pages() const override {
    return DescribePages(UseAt(ReadSmaps(), rte_fib6_get_dp(fib_)));
  }
  std::string detail() const override { return lookup_; }
  static constexpr const char* kAdd = "rte_fib6_add";
  static constexpr const char* kDelete = "rte_fib6_delete";
  int Add(const uint8_t* ip, uint8_t depth, NextHopId nh) {
    return rte_fib6_add(fib_, ip, depth, nh);
  }
  int Delete(const uint8_t* ip, uint8_t depth) {
    return rte_fib6_delete(fib_, ip, depth);
  }
  void Lookup(const Bytes* ips, size_t n, uint64_t* out) const {
    rte_fib6_lookup_bulk(fib_, Mutable(ips), out, static_cast<int>(n));
  }
  NextHopId ToNextHop(uint64_t nh) const {
    return nh == kFib6Miss ? kNoRoute : static_cast<NextHopId>(nh);
  }

 private:
  void Free() {
    if (fib_ != nullptr) rte_fib6_free(fib_);
    fib_ = nullptr;
  }
  rte_fib6* fib_ = nullptr;
  std::string lookup_;
};

class RteLpm6Engine final : public DpdkEngine6<RteLpm6Engine, int32_t> {
 public:
  ~RteLpm6Engine() override { Free(); }
  std::string name() const override { return "rte_lpm6"; }
  // A delete recomputes the table entries under the prefix from its rules.
  bool fast_updates() const override { return false; }
  absl::Status Reset() override {
    Free();
    MarkHeap();
    rte_lpm6_config conf{};
    conf.max_rules = kMaxRoutes6;
    conf.number_tbl8s = 1 << 17;
    lpm_ = rte_lpm6_create(absl::StrCat("lpm6_", counter6++).c_str(),
                           SOCKET_ID_ANY, &conf);
    if (lpm_ == nullptr) return DpdkCreateError("rte_lpm6_create");
    return absl::OkStatus();
  }
  std::string pages() const override {
    return DescribePages(UseAt(ReadSmaps(), lpm_));
  }
  static constexpr const char* kAdd = "rte_lpm6_add";
  static constexpr const char* kDelete = "rte_lpm6_delete";
  int Add(const uint8_t* ip, uint8_t depth, NextHopId nh) {
    return rte_lpm6_add(lpm_, ip, depth, nh);
  }
  int Delete(const uint8_t* ip, uint8_t depth) {
    return rte_lpm6_delete(lpm_, ip, depth);
  }
  void Lookup(const Bytes* ips, size_t n, int32_t* out) const {
    rte_lpm6_lookup_bulk_func(lpm_, Mutable(ips), out,
                              static_cast<unsigned>(n));
  }
  // rte_lpm6 answers -1 on a miss.
  NextHopId ToNextHop(int32_t nh) const {
    return nh < 0 ? kNoRoute : static_cast<NextHopId>(nh);
  }

 private:
  void Free() {
    if (lpm_ != nullptr) rte_lpm6_free(lpm_);
    lpm_ = nullptr;
  }
  rte_lpm6* lpm_ = nullptr;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Engine6>> MakeDpdkEngine6(
    const std::string& name) {
  if (absl::StatusOr<const DpdkEal*> eal = StartDpdk(); !eal.ok())
    return eal.status();
  if (name == "rte_fib6") return std::unique_ptr<Engine6>(new RteFib6Engine);
  if (name == "rte_lpm6") return std::unique_ptr<Engine6>(new RteLpm6Engine);
  return absl::InvalidArgumentError(
      absl::StrCat("no DPDK engine '", name, "'"));
}
#endif

}  // namespace nexthop::bench
