// The DPDK peers' EAL start (bench/harness/dpdk_eal.h): the caller keeps
// its CPUs (rte_eal_init pins it to one), vector code may use 512 bits, and
// rte_fib runs its AVX-512 lookup where the CPU has it; the IPv6 peers
// (rte_fib6, rte_lpm6) answer as the reference does. On 4 KiB pages, so
// that this test takes nothing from the hugetlbfs pool that benchmark
// tests running beside it may need.
#include "bench/harness/dpdk_eal.h"

#include <sched.h>

#include "bench/harness/engine.h"
#include "bench/harness/pages.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lpm/patricia_trie.h"

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

// Their addresses go to DPDK as 16 network-order bytes and their misses
// come back as kNoRoute: a nested table, with an address on each side of
// every boundary, answers as PatriciaTrie6 does, before and after erases.
TEST_F(DpdkEalTest, Ipv6PeersAnswerAsTheReference) {
  const char* routes[] = {"2001:db8::/32",     "2001:db8:1::/48",
                          "2001:db8:1:2::/64", "2001:db8:1:2::7/128",
                          "2a00::/12",         "2a00:1450::/29"};
  std::vector<Ipv6Address> addrs;
  for (const char* a :
       {"2001:db8::1", "2001:db8:1::1", "2001:db8:1:2::6", "2001:db8:1:2::7",
        "2001:db8:1:3::", "2001:db9::", "2a0f:ffff::1", "2a00:1457::1",
        "2a10::", "::1", "ffff::"}) {
    addrs.push_back(*Ipv6Address::Parse(a));
  }
  for (const char* name : {"rte_fib6", "rte_lpm6"}) {
    SCOPED_TRACE(name);
    absl::StatusOr<std::unique_ptr<Engine6>> e = MakeDpdkEngine6(name);
    ASSERT_TRUE(e.ok()) << e.status();
    ASSERT_TRUE((*e)->Reset().ok());
    PatriciaTrie6 reference;
    NextHopId nh = 1;
    for (const char* r : routes) {
      const Ipv6Prefix p = *Ipv6Prefix::Parse(r);
      ASSERT_TRUE((*e)->Insert(p, nh).ok());
      ASSERT_TRUE(reference.Insert(p, nh++).ok());
    }
    std::vector<NextHopId> got(addrs.size()), want(addrs.size());
    (*e)->LookupBatch(addrs, got);
    reference.LookupBatch(addrs, want);
    EXPECT_EQ(got, want);
    EXPECT_EQ(got.back(), kNoRoute);
    for (const char* r : {"2001:db8:1::/48", "2a00::/12"}) {
      const Ipv6Prefix p = *Ipv6Prefix::Parse(r);
      ASSERT_TRUE((*e)->Erase(p).ok());
      ASSERT_TRUE(reference.Erase(p).ok());
    }
    (*e)->LookupBatch(addrs, got);
    reference.LookupBatch(addrs, want);
    EXPECT_EQ(got, want);
    // Single lookups and batches run over the same converted addresses.
    EXPECT_EQ((*e)->RunSingle(addrs, 1), (*e)->RunSingle(addrs, 1));
    // Everything counted: at least the 2^24-entry first table.
    EXPECT_GE((*e)->MemoryBytes(), size_t{64} << 20);
    EXPECT_THAT((*e)->pages(), HasSubstr("4 KiB"));
  }
}

}  // namespace
}  // namespace nexthop::bench
