#include "lpm/internal/linear_scan.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace nexthop::internal {
namespace {

size_t ScanPortable(const uint32_t* networks, const uint32_t* masks,
                    size_t count, uint32_t address) noexcept {
  for (size_t i = 0; i < count; ++i) {
    if ((address & masks[i]) == networks[i]) return i;
  }
  return count;
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) size_t ScanAvx2(const uint32_t* networks,
                                                const uint32_t* masks,
                                                size_t count,
                                                uint32_t address) noexcept {
  const __m256i a = _mm256_set1_epi32(static_cast<int>(address));
  for (size_t i = 0; i < count; i += 8) {
    const __m256i m =
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(masks + i));
    const __m256i n =
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(networks + i));
    const __m256i eq = _mm256_cmpeq_epi32(_mm256_and_si256(a, m), n);
    const unsigned bits =
        static_cast<unsigned>(_mm256_movemask_ps(_mm256_castsi256_ps(eq)));
    if (bits != 0) return i + static_cast<size_t>(__builtin_ctz(bits));
  }
  return count;
}
#endif

using ScanFn = size_t (*)(const uint32_t*, const uint32_t*, size_t,
                          uint32_t) noexcept;

ScanFn Choose() {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx2")) return ScanAvx2;
#endif
  return ScanPortable;
}

const ScanFn kScan = Choose();

}  // namespace

size_t LinearScan(const uint32_t* networks, const uint32_t* masks, size_t count,
                  uint32_t address) noexcept {
  return kScan(networks, masks, count, address);
}

}  // namespace nexthop::internal
