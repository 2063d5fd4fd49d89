#include "lpm/internal/huge_array.h"

#include <sys/mman.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace nexthop::internal {
namespace {

std::atomic<PageAdvice> page_advice{PageAdvice::kHuge};

// Advice only: a kernel without THP refuses it, which is fine.
void Advise(void* p, size_t bytes) {
  if (page_advice.load(std::memory_order_relaxed) == PageAdvice::kHuge) {
#ifdef MADV_HUGEPAGE
    madvise(p, bytes, MADV_HUGEPAGE);
#endif
  } else {
#ifdef MADV_NOHUGEPAGE
    madvise(p, bytes, MADV_NOHUGEPAGE);
#endif
  }
}

}  // namespace

void SetPageAdvice(PageAdvice advice) noexcept {
  page_advice.store(advice, std::memory_order_relaxed);
}

PageAdvice GetPageAdvice() noexcept {
  return page_advice.load(std::memory_order_relaxed);
}

void* AllocateHuge(size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    std::fprintf(stderr, "nexthop: cannot map %zu bytes\n", bytes);
    std::abort();
  }
  Advise(p, bytes);
  // Fault every page in now. Pages never written would otherwise all map
  // the kernel's 4 KiB zero page, and random reads of unrouted space would
  // miss the TLB although the table is backed by huge pages elsewhere.
  std::memset(p, 0, bytes);
  return p;
}

void* ReserveAddressSpace(size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    std::fprintf(stderr, "nexthop: cannot reserve %zu bytes\n", bytes);
    std::abort();
  }
  Advise(p, bytes);
  return p;
}

void ReleaseAddressSpace(void* p, size_t bytes) noexcept { munmap(p, bytes); }

void HugeDeleter::operator()(void* p) const noexcept {
  if (p != nullptr) munmap(p, bytes);
}

}  // namespace nexthop::internal
