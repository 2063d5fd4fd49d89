// Zeroed memory for big random-access tables, backed by transparent huge
// pages where the kernel offers them: a 64 MiB table spread over 4 KiB pages
// costs a TLB miss on almost every random lookup. A process can ask for
// 4 KiB pages instead (SetPageAdvice), as the benchmarks do to compare with
// peers that cannot have huge pages.
#ifndef NEXTHOP_LPM_INTERNAL_HUGE_ARRAY_H_
#define NEXTHOP_LPM_INTERNAL_HUGE_ARRAY_H_

#include <cstddef>
#include <cstdint>
#include <memory>

namespace nexthop::internal {

// What AllocateHuge and ReserveAddressSpace advise the kernel for memory
// they map after the call: kHuge (the default) asks for transparent huge
// pages (MADV_HUGEPAGE; the kernel may still refuse, e.g. when THP is
// "never"), kSmall for 4 KiB pages (MADV_NOHUGEPAGE, which also holds where
// THP is "always"). Memory mapped before the call keeps its advice.
// Thread-safe (one relaxed atomic).
enum class PageAdvice { kHuge, kSmall };
void SetPageAdvice(PageAdvice advice) noexcept;
PageAdvice GetPageAdvice() noexcept;

struct HugeDeleter {
  size_t bytes = 0;
  void operator()(void* p) const noexcept;
};

template <typename T>
using HugeArray = std::unique_ptr<T[], HugeDeleter>;

// Returns zeroed memory for `count` values; aborts if the OS has none (like
// operator new), since a half-built table is worse than no table.
void* AllocateHuge(size_t bytes);

// Reserves `bytes` of zeroed address space without touching it (pages are
// faulted in when first written; huge pages advised), so that what lives
// there never moves; aborts if the OS refuses, as operator new would.
// HugeDeleter{bytes} or ReleaseAddressSpace gives it back.
void* ReserveAddressSpace(size_t bytes);
void ReleaseAddressSpace(void* p, size_t bytes) noexcept;

template <typename T>
HugeArray<T> MakeHugeArray(size_t count) {
  const size_t bytes = count * sizeof(T);
  return HugeArray<T>(static_cast<T*>(AllocateHuge(bytes)), HugeDeleter{bytes});
}

}  // namespace nexthop::internal

#endif  // NEXTHOP_LPM_INTERNAL_HUGE_ARRAY_H_
