#include "lpm/internal/poptrie_arena.h"

#include <sys/mman.h>

#include <cstdio>
#include <cstdlib>

namespace nexthop::internal::poptrie {

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

}  // namespace nexthop::internal::poptrie
