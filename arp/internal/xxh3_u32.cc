#include "arp/internal/xxh3_u32.h"

#include <cstring>

#define XXH_INLINE_ALL
#include <xxhash.h>

#if defined(__x86_64__)
// GCC 12's AVX-512 headers trip -Wmaybe-uninitialized on their own
// _mm512_undefined_* helpers.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif

namespace nexthop::internal {
namespace {

uint64_t ReadLE64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;  // x86-64 and the other targets we build for are little-endian
}

#if defined(__x86_64__)
__attribute__((target("avx512f,avx512dq"))) void BatchAvx512(
    const char* keys, uint64_t* out, size_t n, uint64_t bitflip, uint64_t mask,
    int shift) {
  const __m512i and_mask = _mm512_set1_epi64(static_cast<long long>(mask));
  const __m128i shift_count = _mm_cvtsi32_si128(shift);
  const __m512i flip = _mm512_set1_epi64(static_cast<long long>(bitflip));
  const __m512i prime =
      _mm512_set1_epi64(static_cast<long long>(0x9FB21C651E98DF25ULL));
  const __m512i four = _mm512_set1_epi64(4);
  // n is a multiple of 8.
  for (size_t i = 0; i < n; i += 8) {
    const __m512i k = _mm512_cvtepu32_epi64(
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(keys + 4 * i)));
    __m512i h =
        _mm512_xor_si512(_mm512_or_si512(_mm512_slli_epi64(k, 32), k), flip);
    h = _mm512_xor_si512(
        h, _mm512_xor_si512(_mm512_rol_epi64(h, 49), _mm512_rol_epi64(h, 24)));
    h = _mm512_mullo_epi64(h, prime);
    h = _mm512_xor_si512(h, _mm512_add_epi64(_mm512_srli_epi64(h, 35), four));
    h = _mm512_mullo_epi64(h, prime);
    h = _mm512_xor_si512(h, _mm512_srli_epi64(h, 28));
    h = _mm512_sll_epi64(_mm512_and_si512(h, and_mask), shift_count);
    _mm512_storeu_si512(out + i, h);
  }
}
#endif

}  // namespace

Xxh3U32::Xxh3U32(uint64_t seed) : seed_(seed) {
  const uint64_t s =
      seed ^
      (static_cast<uint64_t>(XXH_swap32(static_cast<uint32_t>(seed))) << 32);
  bitflip_ = (ReadLE64(XXH3_kSecret + 8) ^ ReadLE64(XXH3_kSecret + 16)) - s;
#if defined(__x86_64__)
  avx512_ =
      __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
#else
  avx512_ = false;
#endif
}

size_t Xxh3U32::BatchWide(const void* keys, uint64_t* out, size_t n,
                          uint64_t mask, int shift) const noexcept {
#if defined(__x86_64__)
  const size_t done = n / 8 * 8;
  BatchAvx512(static_cast<const char*>(keys), out, done, bitflip_, mask, shift);
  return done;
#else
  (void)keys, (void)out, (void)n, (void)mask, (void)shift;
  return 0;
#endif
}

}  // namespace nexthop::internal
