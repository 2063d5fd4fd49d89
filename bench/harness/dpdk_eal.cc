#include "bench/harness/dpdk_eal.h"

#include <sched.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bench/harness/pages.h"

#ifdef NEXTHOP_HAVE_DPDK
#include <rte_eal.h>
#include <rte_errno.h>
// DPDK 22.11's rte_vect.h declares this without extern "C".
extern "C" uint16_t rte_vect_get_max_simd_bitwidth(void);
#endif

namespace nexthop::bench {

#ifndef NEXTHOP_HAVE_DPDK
absl::Status DpdkCreateError(const std::string& call) {
  return absl::UnavailableError(absl::StrCat(call, ": built without DPDK"));
}
bool HaveDpdk() { return false; }
absl::StatusOr<const DpdkEal*> StartDpdk() {
  return absl::UnavailableError(
      "built without DPDK (bash scripts/install-deps.sh --with-dpdk, then "
      "rebuild)");
}
#else
namespace {

// Runs `start` and gives the calling thread its CPU affinity back after
// (rte_eal_init pins it to lcore 0, and threads started later inherit
// that).
template <typename Start>
auto KeepingAffinity(Start start) {
  cpu_set_t saved;
  CPU_ZERO(&saved);
  const bool have = sched_getaffinity(0, sizeof(saved), &saved) == 0;
  auto result = start();
  if (have) sched_setaffinity(0, sizeof(saved), &saved);
  return result;
}

absl::StatusOr<DpdkEal> Start() {
  const bool huge = CurrentPagePlan().huge;
  std::vector<std::string> args = {"nexthop-bench"};
  if (huge) {
    // Memory is taken from the hugetlbfs pool as it is needed and given
    // back when freed; no files in /dev/hugepages.
    args.push_back("--in-memory");
  } else {
    args.insert(args.end(), {"--no-huge", "-m", "2048", "--no-shconf"});
  }
  args.insert(args.end(),
              {"--no-pci", "-l", "0", "--force-max-simd-bitwidth=512",
               "--log-level=lib.eal:error", "--no-telemetry"});
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  const int r = KeepingAffinity(
      [&] { return rte_eal_init(static_cast<int>(argv.size()), argv.data()); });
  DpdkEal eal;
  eal.args = absl::StrJoin(args.begin() + 1, args.end(), " ");
  if (r < 0) {
    return absl::UnavailableError(absl::StrCat(
        "DPDK EAL did not start (", eal.args, "): ", rte_strerror(rte_errno)));
  }
  eal.huge_pages = rte_eal_has_hugepages() != 0;
  eal.max_simd_bitwidth = rte_vect_get_max_simd_bitwidth();
  eal.summary = absl::StrCat(
      "DPDK EAL on ", eal.huge_pages ? "2 MiB hugetlbfs pages" : "4 KiB pages",
      ", vector code up to ", eal.max_simd_bitwidth, " bits (", eal.args, ")");
  return eal;
}

}  // namespace

bool HaveDpdk() { return true; }

absl::Status DpdkCreateError(const std::string& call) {
  const int error = rte_errno;
  std::string hint;
  if (absl::StatusOr<const DpdkEal*> eal = StartDpdk();
      eal.ok() && (*eal)->huge_pages) {
    hint =
        " (DPDK is on hugetlbfs pages: the pool may have run out; bash "
        "scripts/setup-hugepages.sh 2048 reserves more, --pages 4k uses "
        "none)";
  }
  return absl::ResourceExhaustedError(
      absl::StrCat(call, ": ", rte_strerror(error), hint));
}

absl::StatusOr<const DpdkEal*> StartDpdk() {
  static const absl::StatusOr<DpdkEal>* eal =
      new absl::StatusOr<DpdkEal>(Start());
  if (!eal->ok()) return eal->status();
  return &**eal;
}
#endif

}  // namespace nexthop::bench
