#include "lpm/internal/huge_array.h"

#include <sys/mman.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace nexthop::internal {

void* AllocateHuge(size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    std::fprintf(stderr, "nexthop: cannot map %zu bytes\n", bytes);
    std::abort();
  }
#ifdef MADV_HUGEPAGE
  madvise(p, bytes, MADV_HUGEPAGE);  // advice only: fine if refused
#endif
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
#ifdef MADV_HUGEPAGE
  madvise(p, bytes, MADV_HUGEPAGE);  // advice only
#endif
  return p;
}

void ReleaseAddressSpace(void* p, size_t bytes) noexcept { munmap(p, bytes); }

void HugeDeleter::operator()(void* p) const noexcept {
  if (p != nullptr) munmap(p, bytes);
}

}  // namespace nexthop::internal
