// Dir24_8 batch lookup kernels.
//
// Measured on the bundled table with uniform traffic (medians of 10
// interleaved runs, AMD EPYC, 2 vCPUs): a plain loop of single lookups
// reaches ~0.6x of the raw random-read limit, because each lookup's extra
// decode instructions fill the reorder window and cap the DRAM reads in
// flight; prefetching ahead gets ~0.8x; AVX2 gathers, eight reads per
// instruction, ~0.9x, and ~0.95x with prefetches two gathers ahead. AVX-512
// gathers (16 lanes) measured no better than AVX2 here.
#include "lpm/internal/dir24_8_entry.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace nexthop::internal::dir24_8 {
namespace {

void BatchScalar(const uint32_t* tbl24, const uint32_t* tbl8,
                 const Ipv4Address* in, NextHopId* out, size_t n) noexcept {
  constexpr size_t kAhead = 8;
  for (size_t i = 0; i < n && i < kAhead; ++i)
    __builtin_prefetch(&tbl24[in[i].value() >> 8]);
  for (size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) __builtin_prefetch(&tbl24[in[i + kAhead].value() >> 8]);
    out[i] = Decode(Resolve(tbl24, tbl8, in[i].value()));
  }
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) void BatchAvx2(const uint32_t* tbl24,
                                               const uint32_t* tbl8,
                                               const Ipv4Address* in,
                                               NextHopId* out,
                                               size_t n) noexcept {
  const __m256i value_mask = _mm256_set1_epi32(static_cast<int>(kValueMask));
  const __m256i group_bit = _mm256_set1_epi32(static_cast<int>(kGroup));
  const __m256i ones = _mm256_set1_epi32(-1);
  // Prefetch two gathers ahead as well: a gather waits for all eight of
  // its reads, and the prefetches keep the next ones already on their way.
  constexpr size_t kAhead = 16;
  for (size_t k = 0; k < kAhead && k < n; ++k)
    __builtin_prefetch(&tbl24[in[k].value() >> 8]);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    if (i + kAhead + 8 <= n) {
      for (size_t k = i + kAhead; k < i + kAhead + 8; ++k) {
        __builtin_prefetch(&tbl24[in[k].value() >> 8]);
      }
    }
    const __m256i a =
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + i));
    __m256i e = _mm256_i32gather_epi32(reinterpret_cast<const int*>(tbl24),
                                       _mm256_srli_epi32(a, 8), 4);
    if (!_mm256_testz_si256(e, group_bit)) {
      // Rare (a few hundred /24s of a full table hold longer prefixes).
      alignas(32) uint32_t lanes[8];
      _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), e);
      for (int k = 0; k < 8; ++k) {
        if (lanes[k] & kGroup) {
          lanes[k] =
              __atomic_load_n(&tbl8[(size_t{lanes[k] & kValueMask} << 8) |
                                    (in[i + k].value() & 0xff)],
                              __ATOMIC_RELAXED);
        }
      }
      e = _mm256_load_si256(reinterpret_cast<const __m256i*>(lanes));
    }
    const __m256i miss = _mm256_srai_epi32(_mm256_xor_si256(e, ones), 31);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i),
                        _mm256_or_si256(_mm256_and_si256(e, value_mask), miss));
  }
  for (; i < n; ++i) out[i] = Decode(Resolve(tbl24, tbl8, in[i].value()));
}
#endif

}  // namespace

BatchFn ChooseBatch() {
#if defined(__SANITIZE_THREAD__)
  // ThreadSanitizer cannot see inside a gather: the scalar kernel's loads
  // are the ones it checks.
  return BatchScalar;
#endif
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx2")) return BatchAvx2;
#endif
  return BatchScalar;
}

std::vector<Kernel> AvailableKernels() {
  std::vector<Kernel> kernels = {{"scalar", BatchScalar}};
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx2")) kernels.push_back({"avx2", BatchAvx2});
#endif
  return kernels;
}

}  // namespace nexthop::internal::dir24_8
