// The benchmarks' page plan and page report (bench/harness/pages.h): the
// plan for each machine, smaps parsing, and, on this machine, that the
// 4 KiB advice really keeps nexthop's tables off huge pages and the huge
// advice puts them on.
#include <cstring>
#include <fstream>

#include "bench/harness/pages.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lpm/internal/huge_array.h"

namespace nexthop::bench {
namespace {

using ::testing::HasSubstr;

HugePageSupport Machine(bool root, size_t free_pages, std::string thp) {
  HugePageSupport s;
  s.root = root;
  s.free_2m_pages = free_pages;
  s.thp = std::move(thp);
  return s;
}

TEST(PagePlanTest, HugeOnlyWhereDpdkAndNexthopCanBothHaveThem) {
  EXPECT_TRUE(PlanPages(PageMode::kAuto, Machine(true, 1024, "madvise"))->huge);
  EXPECT_TRUE(PlanPages(PageMode::kAuto, Machine(true, 1024, "always"))->huge);
  // Any one missing puts every engine on 4 KiB pages, and says why.
  const absl::StatusOr<PagePlan> not_root =
      PlanPages(PageMode::kAuto, Machine(false, 1024, "madvise"));
  EXPECT_FALSE(not_root->huge);
  EXPECT_THAT(not_root->summary, HasSubstr("4 KiB for every engine: not root"));
  const absl::StatusOr<PagePlan> few = PlanPages(
      PageMode::kAuto, Machine(true, kMinFreeHugePages - 1, "madvise"));
  EXPECT_FALSE(few->huge);
  EXPECT_THAT(few->summary, HasSubstr("setup-hugepages.sh"));
  const absl::StatusOr<PagePlan> no_thp =
      PlanPages(PageMode::kAuto, Machine(true, 1024, "never"));
  EXPECT_FALSE(no_thp->huge);
  EXPECT_THAT(no_thp->summary, HasSubstr("transparent huge pages are never"));
}

TEST(PagePlanTest, ForcedModes) {
  EXPECT_FALSE(
      PlanPages(PageMode::kSmall, Machine(true, 1024, "always"))->huge);
  EXPECT_TRUE(PlanPages(PageMode::kHuge, Machine(true, 1024, "always"))->huge);
  const absl::StatusOr<PagePlan> refused =
      PlanPages(PageMode::kHuge, Machine(true, 0, "always"));
  EXPECT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(), HasSubstr("--pages huge"));
}

TEST(PagePlanTest, ParsesModes) {
  EXPECT_EQ(*ParsePageMode("auto"), PageMode::kAuto);
  EXPECT_EQ(*ParsePageMode("huge"), PageMode::kHuge);
  EXPECT_EQ(*ParsePageMode("4k"), PageMode::kSmall);
  EXPECT_THAT(ParsePageMode("2m").status().message(),
              HasSubstr("unknown page mode '2m' (auto, huge or 4k)"));
}

// Four mappings as the kernel prints them: nexthop's table on THP, one it
// keeps on 4 KiB pages, DPDK's hugetlbfs memory, and malloc's heap.
constexpr char kSmaps[] = R"(7f0000000000-7f0004000000 rw-p 00000000 00:00 0
Size:              65536 kB
KernelPageSize:        4 kB
Rss:               65536 kB
AnonHugePages:     63488 kB
Private_Hugetlb:       0 kB
VmFlags: rd wr mr mw me ac sd hg
7f0004000000-7f0004400000 rw-p 00000000 00:00 0
KernelPageSize:        4 kB
Rss:                4096 kB
AnonHugePages:         0 kB
VmFlags: rd wr mr mw me ac sd nh
7f1000000000-7f1000200000 rw-s 00000000 00:0f 1234 /memfd:seg-0-0 (deleted)
KernelPageSize:     2048 kB
Rss:                   0 kB
Shared_Hugetlb:        0 kB
Private_Hugetlb:    2048 kB
VmFlags: rd wr sh mr mw me ms de ht sd
55d000000000-55d000100000 rw-p 00000000 00:00 0                          [heap]
KernelPageSize:        4 kB
Rss:                1024 kB
AnonHugePages:         0 kB
VmFlags: rd wr mr mw me ac sd
7f2000000000-7f2000010000 r-xp 00000000 08:01 99 /usr/lib/libc.so.6
KernelPageSize:        4 kB
Rss:                  64 kB
VmFlags: rd ex mr mw me sd
)";

TEST(SmapsTest, ParsesMappingsAndTheirPages) {
  const std::vector<Mapping> maps = ParseSmaps(kSmaps);
  ASSERT_EQ(maps.size(), 5u);
  EXPECT_EQ(maps[0].start, 0x7f0000000000u);
  EXPECT_EQ(maps[0].end, 0x7f0004000000u);
  EXPECT_EQ(maps[0].rss_kib, 65536u);
  EXPECT_EQ(maps[0].anon_huge_kib, 63488u);
  EXPECT_TRUE(maps[0].thp_advised);
  EXPECT_TRUE(maps[1].thp_refused);
  EXPECT_EQ(maps[2].kernel_page_kib, 2048u);
  EXPECT_EQ(maps[2].hugetlb_kib, 2048u);
  EXPECT_FALSE(maps[2].anonymous);
  EXPECT_TRUE(maps[3].anonymous);  // [heap]
  EXPECT_FALSE(maps[4].anonymous);

  // nexthop's allocator: the hg and nh mappings.
  const PageUse ours = AdvisedUse(maps);
  EXPECT_EQ(ours.resident_kib, 65536u + 4096u);
  EXPECT_EQ(ours.huge_kib, 63488u);
  EXPECT_EQ(DescribePages(ours), "2 MiB THP (91% of 68.0 MiB)");
  // DPDK's memory, found by an address inside it.
  EXPECT_EQ(DescribePages(
                UseAt(maps, reinterpret_cast<const void*>(0x7f1000001000u))),
            "2 MiB hugetlbfs");
  EXPECT_EQ(DescribePages(UseAt(maps, reinterpret_cast<const void*>(0x10))),
            "-");
  // Anonymous memory outside hugetlbfs, the heap included, libc not.
  EXPECT_EQ(AnonymousUse(maps).resident_kib, 65536u + 4096u + 1024u);
  EXPECT_EQ(AnonymousUse(maps, reinterpret_cast<const void*>(0x7f0000000010u))
                .resident_kib,
            4096u + 1024u);
}

TEST(SmapsTest, DescribesSmallPagesAndDifferences) {
  EXPECT_EQ(DescribePages({.resident_kib = 4096, .huge_kib = 0}),
            "4 KiB (THP 0% of 4.0 MiB)");
  const PageUse after{.resident_kib = 8192, .huge_kib = 6144};
  const PageUse before{.resident_kib = 2048, .huge_kib = 2048};
  EXPECT_EQ(DescribePages(after - before), "2 MiB THP (66% of 6.0 MiB)");
}

// What nexthop's allocator gets from this machine's kernel under each
// advice, read back from /proc/self/smaps.
PageUse AllocateAndRead(internal::PageAdvice advice) {
  internal::SetPageAdvice(advice);
  constexpr size_t kBytes = size_t{16} << 20;
  const PageUse before = AdvisedUse(ReadSmaps());
  auto table = internal::MakeHugeArray<uint32_t>(kBytes / 4);
  const PageUse use = AdvisedUse(ReadSmaps()) - before;
  internal::SetPageAdvice(internal::PageAdvice::kHuge);
  return use;
}

std::string Thp() {
  std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string s;
  std::getline(f, s);
  return s;
}

TEST(SmapsTest, TheSmallAdviceKeepsTablesOffHugePages) {
  if (ReadSmaps().empty()) GTEST_SKIP() << "no /proc/self/smaps";
  const PageUse small = AllocateAndRead(internal::PageAdvice::kSmall);
  EXPECT_GE(small.resident_kib, 16u << 10);
  EXPECT_EQ(small.huge_kib, 0u) << DescribePages(small);
}

TEST(SmapsTest, TheHugeAdviceGetsHugePagesWhereTheKernelOffersThem) {
  const std::string thp = Thp();
  if (thp.find("[always]") == std::string::npos &&
      thp.find("[madvise]") == std::string::npos) {
    GTEST_SKIP() << "transparent huge pages are off here: '" << thp << "'";
  }
  const PageUse huge = AllocateAndRead(internal::PageAdvice::kHuge);
  // The kernel may fall back for an unaligned head and tail, or when it
  // has no free huge page at fault time; most of 16 MiB is huge.
  EXPECT_GE(huge.huge_kib, 8u << 10) << DescribePages(huge);
}

}  // namespace
}  // namespace nexthop::bench
