// The limits the lookups are compared with: random 4-byte reads, and
// nothing else, from an array with the index pattern of a DIR-24-8
// first-level read (address >> (32 - log2 entries)), over the same traffic
// as the lookups. `memory_limit` reads a 64 MiB array (as large as a
// DIR-24-8 first table), `l2_limit` one that fits in L2.
//
// A limit no lookup may beat has to draw all the memory-level parallelism
// the machine gives, so it comes in several kernels (plain loop,
// software prefetch ahead, independent streams, AVX2 and AVX-512 gathers,
// each unrolled), and a benchmark measures them all and keeps the best.
// Every kernel adds every value it reads into its result, so none can be
// optimised away.
//
// Cost: the array (touched at construction, on the pages of the run's
// plan: pages.h). Thread-safety: Run* may be called from any number of
// threads; UseKernel only while none runs.
//
// Example:
//   RandomReadEngine limit("memory_limit", size_t{64} << 20);
//   for (size_t k = 0; k < limit.kernels().size(); ++k) {
//     limit.UseKernel(k);
//     limit.RunBatch(addresses, 64, 1);  // time it
//   }
#ifndef NEXTHOP_BENCH_HARNESS_RANDOM_READ_H_
#define NEXTHOP_BENCH_HARNESS_RANDOM_READ_H_

#include <cstdint>
#include <span>
#include <string>

#include "bench/harness/engine.h"
#include "bench/harness/pages.h"
#include "lpm/internal/huge_array.h"

namespace nexthop::bench {

struct RandomReadKernel {
  const char* name;
  // Reads table[a.value() >> shift] for every address, `rounds` times;
  // returns the sum of every value read.
  uint64_t (*run)(const uint32_t* table, int shift,
                  std::span<const Ipv4Address> addrs, size_t rounds);
};

// The kernels this CPU runs (the gathers need AVX2 / AVX-512F).
std::span<const RandomReadKernel> RandomReadKernels();

// Not an LPM: Build/Insert/Erase do nothing, and RunSingle is RunBatch
// (a stream of reads has no batches).
class RandomReadEngine final : public Engine {
 public:
  // `bytes` is rounded down to a power of two.
  RandomReadEngine(std::string name, size_t bytes);
  std::string name() const override { return name_; }
  absl::Status Reset() override { return absl::OkStatus(); }
  absl::Status Build(std::span<const Ipv4Prefix>,
                     std::span<const NextHopId>) override {
    return absl::OkStatus();
  }
  absl::Status Insert(Ipv4Prefix, NextHopId) override {
    return absl::OkStatus();
  }
  absl::Status Erase(Ipv4Prefix) override { return absl::OkStatus(); }
  void LookupBatch(std::span<const Ipv4Address> in,
                   std::span<NextHopId> out) const override;
  uint64_t RunSingle(std::span<const Ipv4Address> addrs,
                     size_t rounds) const override {
    return RunBatch(addrs, 1, rounds);
  }
  uint64_t RunBatch(std::span<const Ipv4Address> addrs, size_t,
                    size_t rounds) const override {
    return kernels_[kernel_].run(table_, shift_, addrs, rounds);
  }
  size_t MemoryBytes() const override { return entries_ * sizeof(uint32_t); }
  std::string pages() const override { return pages_; }
  std::string detail() const override { return kernels_[kernel_].name; }

  std::span<const RandomReadKernel> kernels() const { return kernels_; }
  void UseKernel(size_t k) { kernel_ = k < kernels_.size() ? k : 0; }

 private:
  std::string name_;
  size_t entries_;
  int shift_;
  internal::HugeArray<uint8_t> memory_;
  uint32_t* table_ = nullptr;  // in memory_
  std::string pages_;
  std::span<const RandomReadKernel> kernels_;
  size_t kernel_ = 0;
};

}  // namespace nexthop::bench

#endif  // NEXTHOP_BENCH_HARNESS_RANDOM_READ_H_
