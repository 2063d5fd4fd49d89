// Dxr6's batch kernel with AVX-512 compares: one instruction counts a
// line's keys <= x. Compiled under a target pragma (not -mavx512f for the
// file), so nothing from a header is compiled for AVX-512 and then picked
// by the linker for CPUs without it; dxr6_batch.cc calls this only when
// the CPU has AVX-512F.
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "lpm/internal/dxr6_layout.h"
#include "lpm/internal/reclaim.h"
#include "net/ipv6.h"

#if defined(__x86_64__)
#pragma GCC push_options
#pragma GCC target("avx512f")

namespace nexthop::internal::dxr6 {
namespace {

struct Avx512Count {
  static uint32_t Inner(const Line& l, uint32_t x) {
    return static_cast<uint32_t>(__builtin_popcount(_mm512_cmple_epu32_mask(
        _mm512_load_si512(l.w), _mm512_set1_epi32(static_cast<int>(x)))));
  }
  static uint32_t Leaf(const Line& l, uint32_t x) {
    return static_cast<uint32_t>(__builtin_popcount(_mm512_mask_cmple_epu32_mask(
        (1u << kLeafFanout) - 1, _mm512_load_si512(l.w),
        _mm512_set1_epi32(static_cast<int>(x)))));
  }
};

#include "lpm/internal/dxr6_batch_kernel.inc"

}  // namespace

void BatchAvx512(const uint32_t* chunks, const uint32_t* slots,
                 const Line* lines, const Ipv6Address* in, NextHopId* out,
                 size_t n) {
  BatchKernel<Avx512Count>(chunks, slots, lines, in, out, n);
}

}  // namespace nexthop::internal::dxr6

#pragma GCC pop_options
#endif
