// Engine (IPv4) and Engine6 (IPv6): one LPM implementation as the
// benchmark drives it. The timed loops live inside each engine (templates
// for nexthop's structures), so a virtual call costs once per timed run,
// never per lookup. Not thread-safe, except that the const lookups may run
// on several threads at once.
//
// Example:
//   std::unique_ptr<Engine6> e = std::make_unique<NexthopEngine<Poptrie6>>();
//   e->Reset().IgnoreError();
//   e->Insert(*Ipv6Prefix::Parse("2001:db8::/32"), 7).IgnoreError();
//   size_t bytes = e->MemoryBytes();
#ifndef NEXTHOP_BENCH_HARNESS_ENGINE_H_
#define NEXTHOP_BENCH_HARNESS_ENGINE_H_

#include <algorithm>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "bench/harness/pages.h"
#include "lpm/linear_table.h"
#include "lpm/lpm.h"

namespace nexthop::bench {

template <AddressFamily F>
class BasicEngine {
 public:
  using Family = F;
  using Address = typename F::Address;
  using Prefix = typename F::Prefix;
  virtual ~BasicEngine() = default;
  virtual std::string name() const = 0;
  // Makes an empty structure, replacing what was there. Not timed: DPDK
  // takes its memory when its EAL starts, so allocation is left out for
  // every engine alike.
  virtual absl::Status Reset() = 0;
  // Inserts every route into the empty structure (the timed build).
  virtual absl::Status Build(std::span<const Prefix> prefixes,
                             std::span<const NextHopId> next_hops) {
    for (size_t i = 0; i < prefixes.size(); ++i) {
      if (absl::Status s = Insert(prefixes[i], next_hops[i]); !s.ok()) return s;
    }
    return absl::OkStatus();
  }
  virtual absl::Status Insert(Prefix p, NextHopId nh) = 0;
  virtual absl::Status Erase(Prefix p) = 0;
  // Answers with kNoRoute on a miss, whatever the engine's own miss value.
  virtual void LookupBatch(std::span<const Address> in,
                           std::span<NextHopId> out) const = 0;
  // `rounds` passes of single lookups (or batches of `batch`) over `addrs`;
  // returns a checksum so the work cannot be optimised away.
  virtual uint64_t RunSingle(std::span<const Address> addrs,
                             size_t rounds) const = 0;
  virtual uint64_t RunBatch(std::span<const Address> addrs, size_t batch,
                            size_t rounds) const = 0;
  virtual size_t MemoryBytes() const = 0;
  // The pages the engine's memory sits on (DescribePages), read from the
  // kernel; call it after Build.
  virtual std::string pages() const { return "-"; }
  // Which lookup code ran, where an engine has several (rte_fib's AVX-512
  // or scalar lookup); empty otherwise.
  virtual std::string detail() const { return ""; }
  // Engines whose updates take milliseconds on a full table (the linear
  // scan, rte_lpm) get a stream 1/100 as long and no erase-all run, so that
  // the default run stays within minutes.
  virtual bool fast_updates() const { return true; }
};

using Engine = BasicEngine<Ipv4>;
using Engine6 = BasicEngine<Ipv6>;

// Any nexthop structure satisfying LpmStructure, of either family.
template <LpmStructure T>
class NexthopEngine final : public BasicEngine<typename T::Family> {
 public:
  using Address = typename T::Family::Address;
  using Prefix = typename T::Family::Prefix;
  std::string name() const override { return std::string(T::kName); }
  absl::Status Reset() override {
    t_.reset();  // first, so that the snapshot below leaves it out
    before_ = AdvisedUse(ReadSmaps());
    t_ = std::make_unique<T>();
    return absl::OkStatus();
  }
  // What nexthop's allocator mapped since Reset: this structure alone, as
  // nothing else builds in between.
  std::string pages() const override {
    return DescribePages(AdvisedUse(ReadSmaps()) - before_);
  }
  absl::Status Build(std::span<const Prefix> prefixes,
                     std::span<const NextHopId> next_hops) override {
    if constexpr (requires { t_->Assign(prefixes, next_hops); }) {
      // A structure with a bulk build is timed with it.
      return t_->Assign(prefixes, next_hops);
    }
    std::vector<size_t> order(prefixes.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    if constexpr (std::is_same_v<T, LinearTable>) {
      // Its inserts are O(n); longest first makes each one an append.
      std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return std::pair(-prefixes[a].length(), prefixes[a].network()) <
               std::pair(-prefixes[b].length(), prefixes[b].network());
      });
    }
    for (size_t i : order) {
      if (absl::Status s = t_->Insert(prefixes[i], next_hops[i]); !s.ok())
        return s;
    }
    return absl::OkStatus();
  }
  absl::Status Insert(Prefix p, NextHopId nh) override {
    return t_->Insert(p, nh);
  }
  absl::Status Erase(Prefix p) override { return t_->Erase(p); }
  void LookupBatch(std::span<const Address> in,
                   std::span<NextHopId> out) const override {
    t_->LookupBatch(in, out);
  }
  uint64_t RunSingle(std::span<const Address> addrs,
                     size_t rounds) const override {
    uint64_t sum = 0;
    const T& t = *t_;
    for (size_t r = 0; r < rounds; ++r) {
      for (Address a : addrs) sum += t.Lookup(a);
    }
    return sum;
  }
  uint64_t RunBatch(std::span<const Address> addrs, size_t batch,
                    size_t rounds) const override {
    uint64_t sum = 0;
    std::vector<NextHopId> out(batch);
    const T& t = *t_;
    for (size_t r = 0; r < rounds; ++r) {
      for (size_t i = 0; i + batch <= addrs.size(); i += batch) {
        t.LookupBatch(addrs.subspan(i, batch), out);
        sum += out[0] + out[batch - 1];
      }
    }
    return sum;
  }
  size_t MemoryBytes() const override { return t_ ? t_->MemoryBytes() : 0; }
  bool fast_updates() const override { return !std::is_same_v<T, LinearTable>; }

 private:
  std::unique_ptr<T> t_;
  PageUse before_;
};

// DPDK's rte_fib (DIR24_8, 4-byte next hops, its AVX-512 lookup where the
// CPU has it) and rte_lpm, on the EAL of dpdk_eal.h. Fails when nexthop
// was built without DPDK (HaveDpdk()) or the EAL does not start.
absl::StatusOr<std::unique_ptr<Engine>> MakeDpdkEngine(const std::string& name);
// DPDK's rte_fib6 (TRIE, 4-byte next hops, its AVX-512 lookup where the CPU
// has it) and rte_lpm6 (dpdk_engine6.cc), as MakeDpdkEngine.
absl::StatusOr<std::unique_ptr<Engine6>> MakeDpdkEngine6(
    const std::string& name);

}  // namespace nexthop::bench

#endif  // NEXTHOP_BENCH_HARNESS_ENGINE_H_
