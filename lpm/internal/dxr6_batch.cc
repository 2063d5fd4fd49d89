// Dxr6::LookupBatch: the kernel (dxr6_batch_kernel.inc) with AVX-512
// compares when the CPU has them, chosen once; then deep marks become
// answers from the control data.
#include <algorithm>
#include <cstddef>

#include "lpm/dxr6.h"

namespace nexthop {
namespace internal::dxr6 {

#if defined(__x86_64__)
bool BatchAvx512(const uint32_t* chunks, const uint32_t* slots,
                 const Line* lines, const Ipv6Address* in, NextHopId* out,
                 size_t n);
#endif

namespace {

#include "lpm/internal/dxr6_batch_kernel.inc"

using BatchFn = bool (*)(const uint32_t*, const uint32_t*, const Line*,
                         const Ipv6Address*, NextHopId*, size_t);

bool BatchScalar(const uint32_t* chunks, const uint32_t* slots,
                 const Line* lines, const Ipv6Address* in, NextHopId* out,
                 size_t n) {
  return BatchKernel<ScalarCount>(chunks, slots, lines, in, out, n);
}

BatchFn ChooseBatch() {
#if defined(__x86_64__)
#if !defined(__SANITIZE_THREAD__)
  // (ThreadSanitizer does not see a gather's reads, and so would not see
  // the chunk entry that orders the reads after it: scalar there.)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return BatchAvx512;
#endif
#endif
  return BatchScalar;
}

// Chosen at the first batch, not during static initialisation (a batch
// from another file's initialiser would find it unset).
BatchFn Batch() {
  static const BatchFn batch = ChooseBatch();
  return batch;
}

}  // namespace
}  // namespace internal::dxr6

void Dxr6::LookupBatch(std::span<const Ipv6Address> in,
                       std::span<NextHopId> out) const noexcept {
  const size_t n = std::min(in.size(), out.size());
  const bool deep = internal::dxr6::Batch()(
      chunks_.get(), slots_.data(), lines_.data(), in.data(), out.data(), n);
  if (!deep) return;
  for (size_t i = 0; i < n; ++i) {
    if (out[i] == internal::dxr6::kValueDeep) out[i] = rib_.Lookup(in[i]);
  }
}

}  // namespace nexthop
