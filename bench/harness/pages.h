// The page size every engine of a benchmark runs on, decided once per
// process, and what backs memory, read back from /proc/self/smaps.
//
// A fair comparison gives every engine the same pages: DPDK's peers 2 MiB
// pages from hugetlbfs, as their users configure them (dpdk_eal.h), and
// nexthop's structures transparent huge pages (lpm/internal/huge_array.h).
// Where hugetlbfs pages cannot be had (not root, none reserved: see
// scripts/setup-hugepages.sh) or the kernel has THP off, every engine runs
// on 4 KiB pages, nexthop's included. What each engine really got is read
// back from the kernel, not assumed.
//
// Cost: reading smaps takes ~1 ms per thousand mappings; nothing here is
// on a timed path. Thread-safety: call DecidePages once, before engines
// allocate; the rest is reentrant.
//
// Example:
//   absl::StatusOr<PagePlan> plan = DecidePages(PageMode::kAuto);
//   std::cerr << "pages: " << plan->summary << "\n";
//   const PageUse before = AdvisedUse(ReadSmaps());
//   Dir24_8 table;
//   std::cerr << DescribePages(AdvisedUse(ReadSmaps()) - before) << "\n";
#ifndef NEXTHOP_BENCH_HARNESS_PAGES_H_
#define NEXTHOP_BENCH_HARNESS_PAGES_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace nexthop::bench {

// kAuto: huge pages for every engine where the machine has them, 4 KiB
// for every engine otherwise. kHuge: huge pages or an error. kSmall:
// 4 KiB pages for every engine.
enum class PageMode { kAuto, kHuge, kSmall };

// "auto", "huge" or "4k"; anything else is an error naming them.
absl::StatusOr<PageMode> ParsePageMode(absl::string_view text);
// NEXTHOP_PAGES, or "auto" when it is unset: the default of every bench's
// --pages flag (and the only switch of the Google Benchmark ones).
std::string PageModeFromEnv();

// What the machine offers.
struct HugePageSupport {
  bool root = false;
  size_t free_2m_pages = 0;  // HugePages_Free, when Hugepagesize is 2 MiB
  std::string thp;           // "always", "madvise", "never" or "" (no THP)
};
HugePageSupport ProbeHugePages();

// Free 2 MiB pages a run needs before DPDK is put on them. Measured
// peaks: churn-bench ~500 (two rte_fib of 1M routes, ~520 MiB each with
// their RIB, and an rte_lpm), nexthop-bench ~330, arp_bench less.
inline constexpr size_t kMinFreeHugePages = 600;

struct PagePlan {
  bool huge = false;    // DPDK on hugetlbfs, nexthop on THP
  std::string summary;  // one line: what was chosen and why
};

// The plan for `mode` on a machine offering `support` (no side effects).
absl::StatusOr<PagePlan> PlanPages(PageMode mode,
                                   const HugePageSupport& support);

// Plans once per process from ProbeHugePages() and applies the plan to
// nexthop's allocations (internal::SetPageAdvice); later calls return the
// first plan whatever their mode.
absl::StatusOr<PagePlan> DecidePages(PageMode mode);
// The same from a --pages value or $NEXTHOP_PAGES (ParsePageMode's error
// for bad text), what every bench binary starts with.
absl::StatusOr<PagePlan> DecidePages(absl::string_view mode_text);
// The plan decided; kAuto's if DecidePages was never called.
const PagePlan& CurrentPagePlan();

// One mapping of /proc/self/smaps.
struct Mapping {
  uintptr_t start = 0, end = 0;
  size_t kernel_page_kib = 4;
  size_t rss_kib = 0, anon_huge_kib = 0;
  size_t hugetlb_kib = 0;  // hugetlbfs pages mapped (not counted in Rss)
  bool thp_advised = false, thp_refused = false;  // VmFlags hg, nh
  bool anonymous = false;  // no file behind it (or the brk heap)
};
std::vector<Mapping> ParseSmaps(absl::string_view text);
std::vector<Mapping> ReadSmaps();  // empty when /proc cannot be read

// Resident memory and how much of it sits in huge pages.
struct PageUse {
  size_t resident_kib = 0, huge_kib = 0;
  size_t hugetlb_page_kib = 0;  // > 0: hugetlbfs pages of this size
};
PageUse operator-(const PageUse& a, const PageUse& b);

// Memory that nexthop's allocator mapped (advised hg or nh): a snapshot
// before an engine builds and one after give that engine's memory.
PageUse AdvisedUse(std::span<const Mapping> maps);
// The mapping holding `p` (DPDK's memory, say); zero if none does.
PageUse UseAt(std::span<const Mapping> maps, const void* p);
// Anonymous memory outside hugetlbfs (malloc's, nexthop's allocator's),
// leaving out the mapping holding `except` (DPDK's --no-huge memory).
PageUse AnonymousUse(std::span<const Mapping> maps,
                     const void* except = nullptr);

// "2 MiB hugetlbfs", "2 MiB THP (98% of 104.5 MiB)", "4 KiB (THP 0% of
// 104.5 MiB)", or "-" when nothing is resident.
std::string DescribePages(const PageUse& use);

}  // namespace nexthop::bench

#endif  // NEXTHOP_BENCH_HARNESS_PAGES_H_
