#include "lpm/internal/huge_array.h"

#include <sys/mman.h>

#include <cstdio>
#include <cstdlib>

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
  return p;
}

void HugeDeleter::operator()(void* p) const noexcept {
  if (p != nullptr) munmap(p, bytes);
}

}  // namespace nexthop::internal
