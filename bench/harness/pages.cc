#include "bench/harness/pages.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "lpm/internal/huge_array.h"

namespace nexthop::bench {
namespace {

std::string Slurp(const char* path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// "Name:   1234 kB" -> 1234 when the line starts with `name`.
bool KibField(absl::string_view line, absl::string_view name, size_t& out) {
  if (!absl::ConsumePrefix(&line, name) || !absl::ConsumePrefix(&line, ":"))
    return false;
  line = absl::StripAsciiWhitespace(line);
  absl::ConsumeSuffix(&line, "kB");
  return absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &out);
}

std::string Mib(size_t kib) {
  return absl::StrFormat("%.1f MiB", kib / 1024.0);
}

}  // namespace

absl::StatusOr<PageMode> ParsePageMode(absl::string_view text) {
  if (text == "auto") return PageMode::kAuto;
  if (text == "huge") return PageMode::kHuge;
  if (text == "4k") return PageMode::kSmall;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown page mode '", text, "' (auto, huge or 4k)"));
}

std::string PageModeFromEnv() {
  const char* env = std::getenv("NEXTHOP_PAGES");
  return env != nullptr && *env != '\0' ? env : "auto";
}

HugePageSupport ProbeHugePages() {
  HugePageSupport s;
  s.root = geteuid() == 0;
  size_t free = 0, page_kib = 0;
  for (absl::string_view line : absl::StrSplit(Slurp("/proc/meminfo"), '\n')) {
    size_t v;
    if (KibField(line, "HugePages_Free", v)) free = v;
    if (KibField(line, "Hugepagesize", v)) page_kib = v;
  }
  if (page_kib == 2048) s.free_2m_pages = free;
  const std::string thp =
      Slurp("/sys/kernel/mm/transparent_hugepage/enabled");  // a [b] c
  const size_t open = thp.find('['), close = thp.find(']');
  if (open != std::string::npos && close > open) {
    s.thp = thp.substr(open + 1, close - open - 1);
  }
  return s;
}

absl::StatusOr<PagePlan> PlanPages(PageMode mode,
                                   const HugePageSupport& support) {
  if (mode == PageMode::kSmall) {
    return PagePlan{false, "4 KiB for every engine (asked: 4k)"};
  }
  std::string missing;
  if (!support.root) {
    missing = "not root (DPDK needs root for hugetlbfs pages)";
  } else if (support.free_2m_pages < kMinFreeHugePages) {
    missing = absl::StrCat(support.free_2m_pages,
                           " free 2 MiB hugetlbfs pages, fewer than the ",
                           kMinFreeHugePages,
                           " DPDK's peers need (bash "
                           "scripts/setup-hugepages.sh reserves them)");
  } else if (support.thp != "always" && support.thp != "madvise") {
    missing =
        absl::StrCat("transparent huge pages are ",
                     support.thp.empty() ? "not in this kernel" : support.thp,
                     ", so nexthop's structures could not have huge pages");
  }
  if (missing.empty()) {
    return PagePlan{
        true, absl::StrCat("2 MiB for every engine: DPDK on hugetlbfs (",
                           support.free_2m_pages,
                           " pages free), nexthop on transparent huge pages "
                           "(THP ",
                           support.thp, ")")};
  }
  if (mode == PageMode::kHuge) {
    return absl::FailedPreconditionError(
        absl::StrCat("--pages huge: no huge pages: ", missing));
  }
  return PagePlan{false, absl::StrCat("4 KiB for every engine: ", missing)};
}

namespace {

PagePlan* decided = nullptr;

}  // namespace

absl::StatusOr<PagePlan> DecidePages(absl::string_view mode_text) {
  absl::StatusOr<PageMode> mode = ParsePageMode(mode_text);
  if (!mode.ok()) return mode.status();
  return DecidePages(*mode);
}

absl::StatusOr<PagePlan> DecidePages(PageMode mode) {
  if (decided != nullptr) return *decided;
  absl::StatusOr<PagePlan> plan = PlanPages(mode, ProbeHugePages());
  if (!plan.ok()) return plan.status();
  internal::SetPageAdvice(plan->huge ? internal::PageAdvice::kHuge
                                     : internal::PageAdvice::kSmall);
  decided = new PagePlan(*plan);
  return *decided;
}

const PagePlan& CurrentPagePlan() {
  if (decided == nullptr) {
    absl::StatusOr<PagePlan> plan = DecidePages(PageMode::kAuto);
    (void)plan;  // kAuto always plans
  }
  return *decided;
}

std::vector<Mapping> ParseSmaps(absl::string_view text) {
  std::vector<Mapping> maps;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    // A mapping's header: "start-end perms offset dev inode [path]".
    const size_t dash = line.find('-');
    const size_t space = line.find(' ');
    if (dash != absl::string_view::npos && space != absl::string_view::npos &&
        dash < space && line.find(':') > space) {
      Mapping m;
      // Fields: range, perms, offset, dev, inode, then the path if any.
      std::vector<absl::string_view> fields =
          absl::StrSplit(line, ' ', absl::SkipEmpty());
      m.anonymous = fields.size() < 6 || fields[5] == "[heap]";
      if (absl::SimpleHexAtoi(line.substr(0, dash), &m.start) &&
          absl::SimpleHexAtoi(line.substr(dash + 1, space - dash - 1),
                              &m.end)) {
        maps.push_back(m);
        continue;
      }
    }
    if (maps.empty()) continue;
    Mapping& m = maps.back();
    size_t v;
    if (KibField(line, "KernelPageSize", v)) m.kernel_page_kib = v;
    if (KibField(line, "Rss", v)) m.rss_kib = v;
    if (KibField(line, "AnonHugePages", v)) m.anon_huge_kib = v;
    if (KibField(line, "Private_Hugetlb", v)) m.hugetlb_kib += v;
    if (KibField(line, "Shared_Hugetlb", v)) m.hugetlb_kib += v;
    if (absl::ConsumePrefix(&line, "VmFlags:")) {
      for (absl::string_view flag :
           absl::StrSplit(line, ' ', absl::SkipEmpty())) {
        if (flag == "hg") m.thp_advised = true;
        if (flag == "nh") m.thp_refused = true;
      }
    }
  }
  return maps;
}

std::vector<Mapping> ReadSmaps() {
  return ParseSmaps(Slurp("/proc/self/smaps"));
}

PageUse operator-(const PageUse& a, const PageUse& b) {
  PageUse d;
  d.resident_kib =
      a.resident_kib > b.resident_kib ? a.resident_kib - b.resident_kib : 0;
  d.huge_kib = a.huge_kib > b.huge_kib ? a.huge_kib - b.huge_kib : 0;
  d.hugetlb_page_kib = a.hugetlb_page_kib;
  return d;
}

PageUse AdvisedUse(std::span<const Mapping> maps) {
  PageUse u;
  for (const Mapping& m : maps) {
    if (!m.thp_advised && !m.thp_refused) continue;
    u.resident_kib += m.rss_kib;
    u.huge_kib += m.anon_huge_kib;
  }
  return u;
}

PageUse UseAt(std::span<const Mapping> maps, const void* p) {
  const auto a = reinterpret_cast<uintptr_t>(p);
  for (const Mapping& m : maps) {
    if (a < m.start || a >= m.end) continue;
    PageUse u;
    if (m.kernel_page_kib > 4) {
      u.hugetlb_page_kib = m.kernel_page_kib;
      u.resident_kib = u.huge_kib = m.hugetlb_kib;
    } else {
      u.resident_kib = m.rss_kib;
      u.huge_kib = m.anon_huge_kib;
    }
    return u;
  }
  return {};
}

PageUse AnonymousUse(std::span<const Mapping> maps, const void* except) {
  const auto x = reinterpret_cast<uintptr_t>(except);
  PageUse u;
  for (const Mapping& m : maps) {
    if (!m.anonymous || m.kernel_page_kib > 4 || (x >= m.start && x < m.end)) {
      continue;
    }
    u.resident_kib += m.rss_kib;
    u.huge_kib += m.anon_huge_kib;
  }
  return u;
}

std::string DescribePages(const PageUse& use) {
  if (use.hugetlb_page_kib > 0) {
    return use.hugetlb_page_kib % 1024 == 0
               ? absl::StrCat(use.hugetlb_page_kib / 1024, " MiB hugetlbfs")
               : absl::StrCat(use.hugetlb_page_kib, " KiB hugetlbfs");
  }
  if (use.resident_kib == 0) return "-";
  const int share = static_cast<int>(100.0 * use.huge_kib / use.resident_kib);
  if (2 * use.huge_kib >= use.resident_kib) {
    return absl::StrCat("2 MiB THP (", share, "% of ", Mib(use.resident_kib),
                        ")");
  }
  return absl::StrCat("4 KiB (THP ", share, "% of ", Mib(use.resident_kib),
                      ")");
}

}  // namespace nexthop::bench
