// Dxr6::LookupBatch: the kernel (dxr6_batch_kernel.inc) with AVX-512
// compares when the CPU has them, chosen once; then misses and deep marks
// become answers.
#include <algorithm>
#include <cstddef>

#include "lpm/dxr6.h"

namespace nexthop {
namespace internal::dxr6 {

#if defined(__x86_64__)
void BatchAvx512(const uint32_t* chunks, const uint32_t* slots,
                 const Line* lines, const Ipv6Address* in, NextHopId* out,
                 size_t n);
#endif

namespace {

#include "lpm/internal/dxr6_batch_kernel.inc"

using BatchFn = void (*)(const uint32_t*, const uint32_t*, const Line*,
                         const Ipv6Address*, NextHopId*, size_t);

void BatchScalar(const uint32_t* chunks, const uint32_t* slots,
                 const Line* lines, const Ipv6Address* in, NextHopId* out,
                 size_t n) {
  BatchKernel<ScalarCount>(chunks, slots, lines, in, out, n);
}

BatchFn ChooseBatch() {
#if defined(__x86_64__)
  __builtin_cpu_init();  // this runs during static initialisation
  if (__builtin_cpu_supports("avx512f")) return BatchAvx512;
#endif
  return BatchScalar;
}

const BatchFn kBatch = ChooseBatch();

}  // namespace
}  // namespace internal::dxr6

void Dxr6::LookupBatch(std::span<const Ipv6Address> in,
                       std::span<NextHopId> out) const noexcept {
  const size_t n = std::min(in.size(), out.size());
  internal::dxr6::kBatch(chunks_.get(), slots_.data(), lines_.data(),
                         in.data(), out.data(), n);
  for (size_t i = 0; i < n; ++i) {
    if (out[i] >= internal::dxr6::kValueDeep) {
      out[i] = Decode(static_cast<uint16_t>(out[i]), in[i]);
    }
  }
}

}  // namespace nexthop
