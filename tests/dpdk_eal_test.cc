// The DPDK peers' EAL start (bench/harness/dpdk_eal.h): the caller keeps
// its CPUs (rte_eal_init pins it to one), vector code may use 512 bits, and
// rte_fib runs its AVX-512 lookup where the CPU has it. On 4 KiB pages, so
// that this test takes nothing from the hugetlbfs pool that benchmark
// tests running beside it may need.
#include "bench/harness/dpdk_eal.h"

#include <sched.h>

#include "bench/harness/engine.h"
#include "bench/harness/pages.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace nexthop::bench {
namespace {

using ::testing::HasSubstr;

int CpuCount() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return 0;
  return CPU_COUNT(&set);
}

class DpdkEalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveDpdk()) GTEST_SKIP() << "nexthop was built without DPDK";
    ASSERT_TRUE(DecidePages(PageMode::kSmall).ok());
  }
};

TEST_F(DpdkEalTest, TheCallerKeepsItsCpus) {
  const int before = CpuCount();
  if (before < 2) GTEST_SKIP() << "one CPU: nothing to lose";
  absl::StatusOr<const DpdkEal*> eal = StartDpdk();
  ASSERT_TRUE(eal.ok()) << eal.status();
  EXPECT_EQ(CpuCount(), before);
}

TEST_F(DpdkEalTest, StartsOnceOnThePlansPagesWithWideVectors) {
  absl::StatusOr<const DpdkEal*> eal = StartDpdk();
  ASSERT_TRUE(eal.ok()) << eal.status();
  EXPECT_EQ(*StartDpdk(), *eal);
  EXPECT_FALSE((*eal)->huge_pages);
  EXPECT_THAT((*eal)->args, HasSubstr("--no-huge"));
  EXPECT_THAT((*eal)->args, HasSubstr("--force-max-simd-bitwidth=512"));
  EXPECT_EQ((*eal)->max_simd_bitwidth, 512u);
}

TEST_F(DpdkEalTest, RteFibRunsItsAvx512LookupWhereTheCpuHasIt) {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx512f") ||
      !__builtin_cpu_supports("avx512dq")) {
    GTEST_SKIP() << "no AVX-512F/DQ on this CPU";
  }
  absl::StatusOr<std::unique_ptr<Engine>> fib = MakeDpdkEngine("rte_fib");
  ASSERT_TRUE(fib.ok()) << fib.status();
  ASSERT_TRUE((*fib)->Reset().ok());
  EXPECT_EQ((*fib)->detail(), "AVX-512 lookup");
  EXPECT_THAT((*fib)->pages(), HasSubstr("4 KiB"));
}

}  // namespace
}  // namespace nexthop::bench
