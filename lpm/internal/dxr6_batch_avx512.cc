// Dxr6's batch kernel with AVX-512 compares: one instruction counts a
// line's keys <= x. Compiled under a target pragma (GCC's, or clang's
// attribute push; not -mavx512f for the file), so nothing from a header
// is compiled for AVX-512 and then picked by the linker for CPUs without
// it; dxr6_batch.cc calls this only when the CPU has AVX-512F.
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "lpm/internal/dxr6_layout.h"
#include "lpm/internal/reclaim.h"
#include "net/ipv6.h"

#if defined(__x86_64__)
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f"))), \
                             apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f")
#endif

namespace nexthop::internal::dxr6 {
namespace {

struct Avx512Count {
  // Reads the chunk entries of in[0..15] with one gather, writes the
  // answers of those that are leaves, and returns the mask of the others
  // (their entries in `entries`).
  static constexpr bool kSixteenChunks = true;
  static uint32_t Chunks16(const uint32_t* chunks, const Ipv6Address* in,
                           NextHopId* out, uint32_t* entries, bool& deep) {
    alignas(64) uint32_t index[16];
    for (int k = 0; k < 16; ++k) index[k] = ChunkOf(in[k].hi());
    const __m512i e = _mm512_mask_i32gather_epi32(
        _mm512_setzero_si512(), 0xFFFF, _mm512_load_si512(index), chunks,
        sizeof(uint32_t));
    _mm512_storeu_si512(entries, e);
    const __mmask16 tree = _mm512_test_epi32_mask(
        e, _mm512_set1_epi32(static_cast<int>(kTreeBit)));
    const __m512i v = _mm512_and_si512(e, _mm512_set1_epi32(0xFFFF));
    const __mmask16 miss =
        _mm512_cmpeq_epi32_mask(v, _mm512_set1_epi32(kValueMiss));
    deep |= (_mm512_cmpeq_epi32_mask(v, _mm512_set1_epi32(kValueDeep)) &
             ~tree) != 0;
    _mm512_mask_storeu_epi32(
        out, static_cast<__mmask16>(~tree),
        _mm512_mask_mov_epi32(v, miss, _mm512_set1_epi32(-1)));
    return tree;
  }
  static uint32_t Inner(const Line& l, uint32_t x) {
    return static_cast<uint32_t>(__builtin_popcount(_mm512_cmple_epu32_mask(
        _mm512_load_si512(l.w), _mm512_set1_epi32(static_cast<int>(x)))));
  }
  static uint32_t Leaf(const Line& l, uint32_t x) {
    return static_cast<uint32_t>(
        __builtin_popcount(_mm512_mask_cmple_epu32_mask(
            (1u << kLeafFanout) - 1, _mm512_load_si512(l.w),
            _mm512_set1_epi32(static_cast<int>(x)))));
  }
};

#include "lpm/internal/dxr6_batch_kernel.inc"

}  // namespace

bool BatchAvx512(const uint32_t* chunks, const uint32_t* slots,
                 const Line* lines, const Ipv6Address* in, NextHopId* out,
                 size_t n) {
  return BatchKernel<Avx512Count>(chunks, slots, lines, in, out, n);
}

}  // namespace nexthop::internal::dxr6

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
#endif
