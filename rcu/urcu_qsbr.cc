#include "rcu/urcu_qsbr.h"

// Without _LGPL_SOURCE: liburcu's functions are called, not inlined into
// this (non-LGPL) code.
#include <urcu-qsbr.h>

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

namespace nexthop {
namespace {

#if defined(__SANITIZE_THREAD__)
// The address the annotations synchronise on (see the header).
char grace_period_edge;
#endif

}  // namespace

UrcuQsbr& UrcuQsbr::Instance() {
  static UrcuQsbr* instance = new UrcuQsbr();
  return *instance;
}

void UrcuQsbr::Synchronize() {
  urcu_qsbr_synchronize_rcu();
#if defined(__SANITIZE_THREAD__)
  __tsan_acquire(&grace_period_edge);
#endif
}

void UrcuQsbr::RegisterThread() { urcu_qsbr_register_thread(); }

void UrcuQsbr::UnregisterThread() {
#if defined(__SANITIZE_THREAD__)
  __tsan_release(&grace_period_edge);
#endif
  urcu_qsbr_unregister_thread();
}

void UrcuQsbr::QuiescentState() {
#if defined(__SANITIZE_THREAD__)
  __tsan_release(&grace_period_edge);
#endif
  urcu_qsbr_quiescent_state();
}

void UrcuQsbr::Offline() {
#if defined(__SANITIZE_THREAD__)
  __tsan_release(&grace_period_edge);
#endif
  urcu_qsbr_thread_offline();
}

void UrcuQsbr::Online() { urcu_qsbr_thread_online(); }

}  // namespace nexthop
