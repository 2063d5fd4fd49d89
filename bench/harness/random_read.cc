#include "bench/harness/random_read.h"

// GCC 12's AVX-512 headers trip -Wmaybe-uninitialized on their own
// _mm512_undefined_* helpers.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop

#include <bit>
#include <vector>

namespace nexthop::bench {
namespace {

using Addrs = std::span<const Ipv4Address>;

inline uint32_t Read(const uint32_t* t, int shift, Ipv4Address a) {
  return t[a.value() >> shift];
}

// The loop as anyone writes it, with kAcc independent sums so that the
// adds do not chain the reads.
template <int kAcc>
uint64_t Plain(const uint32_t* t, int shift, Addrs a, size_t rounds) {
  uint64_t sum[kAcc] = {};
  for (size_t r = 0; r < rounds; ++r) {
    size_t i = 0;
    for (; i + kAcc <= a.size(); i += kAcc) {
      for (int u = 0; u < kAcc; ++u) sum[u] += Read(t, shift, a[i + u]);
    }
    for (; i < a.size(); ++i) sum[0] += Read(t, shift, a[i]);
  }
  uint64_t total = 0;
  for (uint64_t s : sum) total += s;
  return total;
}

// Software prefetch kDist reads ahead, unrolled by kUnroll: the prefetches
// keep misses in flight without holding reorder-buffer entries.
template <int kDist, int kUnroll>
uint64_t Prefetch(const uint32_t* t, int shift, Addrs a, size_t rounds) {
  uint64_t sum[kUnroll] = {};
  const size_t n = a.size();
  for (size_t r = 0; r < rounds; ++r) {
    size_t i = 0;
    for (; i + kDist + kUnroll <= n; i += kUnroll) {
      for (int u = 0; u < kUnroll; ++u) {
        __builtin_prefetch(&t[a[i + kDist + u].value() >> shift]);
        sum[u] += Read(t, shift, a[i + u]);
      }
    }
    for (; i < n; ++i) sum[0] += Read(t, shift, a[i]);
  }
  uint64_t total = 0;
  for (uint64_t s : sum) total += s;
  return total;
}

// kStreams independent walks over kStreams parts of the addresses,
// interleaved.
template <int kStreams>
uint64_t Streams(const uint32_t* t, int shift, Addrs a, size_t rounds) {
  uint64_t sum[kStreams] = {};
  const size_t part = a.size() / kStreams;
  for (size_t r = 0; r < rounds; ++r) {
    for (size_t i = 0; i < part; ++i) {
      for (int s = 0; s < kStreams; ++s)
        sum[s] += Read(t, shift, a[s * part + i]);
    }
    for (size_t i = part * kStreams; i < a.size(); ++i)
      sum[0] += Read(t, shift, a[i]);
  }
  uint64_t total = 0;
  for (uint64_t s : sum) total += s;
  return total;
}

// Eight reads per AVX2 gather, two gathers per iteration, with the lines
// of the gathers kDist addresses ahead prefetched.
template <int kDist>
__attribute__((target("avx2"))) uint64_t GatherAvx2(const uint32_t* t,
                                                    int shift, Addrs a,
                                                    size_t rounds) {
  const __m128i count = _mm_cvtsi32_si128(shift);
  const int* base = reinterpret_cast<const int*>(t);
  uint64_t total = 0;
  for (size_t r = 0; r < rounds; ++r) {
    __m256i s0 = _mm256_setzero_si256(), s1 = _mm256_setzero_si256();
    size_t i = 0;
    for (; i + 16 <= a.size(); i += 16) {
      if (kDist > 0 && i + kDist + 16 <= a.size()) {
        for (int u = 0; u < 16; ++u)
          __builtin_prefetch(&t[a[i + kDist + u].value() >> shift]);
      }
      const __m256i i0 = _mm256_srl_epi32(
          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(&a[i])), count);
      const __m256i i1 = _mm256_srl_epi32(
          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(&a[i + 8])),
          count);
      s0 = _mm256_add_epi32(s0, _mm256_i32gather_epi32(base, i0, 4));
      s1 = _mm256_add_epi32(s1, _mm256_i32gather_epi32(base, i1, 4));
    }
    alignas(32) uint32_t lanes[8];
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes),
                       _mm256_add_epi32(s0, s1));
    for (uint32_t v : lanes) total += v;
    for (; i < a.size(); ++i) total += Read(t, shift, a[i]);
  }
  return total;
}

// Sixteen reads per AVX-512 gather, with the lines of the gather kDist
// addresses ahead prefetched.
template <int kDist>
__attribute__((target("avx512f"))) uint64_t GatherAvx512(const uint32_t* t,
                                                         int shift, Addrs a,
                                                         size_t rounds) {
  const __m128i count = _mm_cvtsi32_si128(shift);
  uint64_t total = 0;
  const size_t n = a.size();
  for (size_t r = 0; r < rounds; ++r) {
    __m512i s = _mm512_setzero_si512();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
      if (kDist > 0 && i + kDist + 16 <= n) {
        for (int u = 0; u < 16; ++u)
          __builtin_prefetch(&t[a[i + kDist + u].value() >> shift]);
      }
      const __m512i idx = _mm512_srl_epi32(_mm512_loadu_si512(&a[i]), count);
      s = _mm512_add_epi32(s, _mm512_i32gather_epi32(idx, t, 4));
    }
    total += static_cast<uint32_t>(_mm512_reduce_add_epi32(s));
    for (; i < n; ++i) total += Read(t, shift, a[i]);
  }
  return total;
}

std::vector<RandomReadKernel> Supported() {
  std::vector<RandomReadKernel> k = {
      {"plain", Plain<4>},
      {"prefetch16x8", Prefetch<16, 8>},
      {"prefetch32x8", Prefetch<32, 8>},
      {"streams4", Streams<4>},
  };
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) {
    k.push_back({"gather_avx2", GatherAvx2<0>});
    k.push_back({"gather_avx2_prefetch16", GatherAvx2<16>});
    k.push_back({"gather_avx2_prefetch32", GatherAvx2<32>});
  }
  if (__builtin_cpu_supports("avx512f")) {
    k.push_back({"gather_avx512", GatherAvx512<0>});
    k.push_back({"gather_avx512_prefetch32", GatherAvx512<32>});
  }
  return k;
}

}  // namespace

std::span<const RandomReadKernel> RandomReadKernels() {
  static const std::vector<RandomReadKernel>* kernels =
      new std::vector<RandomReadKernel>(Supported());
  return *kernels;
}

RandomReadEngine::RandomReadEngine(std::string name, size_t bytes)
    : name_(std::move(name)),
      entries_(std::bit_floor(bytes / sizeof(uint32_t))),
      shift_(32 - std::countr_zero(entries_)),
      kernels_(RandomReadKernels()) {
  // The array starts on a huge-page boundary, so that all of it, even one
  // smaller than a huge page, is on the pages of the run's plan; only the
  // array itself is touched.
  constexpr size_t kHuge = size_t{2} << 20;
  const size_t mapped =
      (entries_ * sizeof(uint32_t) + kHuge - 1) / kHuge * kHuge + kHuge;
  const PageUse before = AdvisedUse(ReadSmaps());
  memory_ = internal::HugeArray<uint8_t>(
      static_cast<uint8_t*>(internal::ReserveAddressSpace(mapped)),
      internal::HugeDeleter{mapped});
  const uintptr_t base = reinterpret_cast<uintptr_t>(memory_.get());
  table_ = reinterpret_cast<uint32_t*>((base + kHuge - 1) / kHuge * kHuge);
  for (size_t i = 0; i < entries_; ++i)
    table_[i] = static_cast<uint32_t>(i * 2654435761u);
  pages_ = DescribePages(AdvisedUse(ReadSmaps()) - before);
}

void RandomReadEngine::LookupBatch(std::span<const Ipv4Address> in,
                                   std::span<NextHopId> out) const {
  for (size_t i = 0; i < std::min(in.size(), out.size()); ++i)
    out[i] = Read(table_, shift_, in[i]);
}

}  // namespace nexthop::bench
