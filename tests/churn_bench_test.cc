// churn-bench end to end on small MRT files: every engine's FIB after the
// replay equals a fresh build of the RIB's best paths (the tool checks it
// and says "yes"), a FIB changed behind the RIB's back is caught, and bad
// input fails with a message.
#include <sched.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct Result {
  int code;
  std::string out, err;
};

std::string Slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

Result Churn(const std::string& args) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string base = ::testing::TempDir() + "/churn_" + info->name();
  const std::string cmd = std::string(NEXTHOP_CHURN_BENCH) + " " + args + " >" +
                          base + ".out 2>" + base + ".err";
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, Slurp(base + ".out"),
          Slurp(base + ".err")};
}

const std::string kData = std::string(NEXTHOP_SOURCE_DIR) + "/tests/data/mrt/";
// A 20,000-prefix sample of the full table, short reader windows, no
// waiting for a quiet machine (ctest runs tests side by side).
// On 4 KiB pages: tests running side by side take nothing from the
// hugetlbfs pool.
const std::string kQuick =
    "--base_prefixes 20000 --repetitions 1 --idle_time 0.02 --addresses 4096 "
    "--rte_lpm_base 2000 --rte_lpm_events 3000 --quiet_wait 0 --pages 4k ";

int CpuCount() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return 0;
  return CPU_COUNT(&set);
}

TEST(ChurnBenchTest, EveryFibEqualsAFreshBuildOfTheRibAfterTheReplay) {
  const std::string json = ::testing::TempDir() + "/churn.json";
  Result r =
      Churn(kQuick + "--algos dir24_8,poptrie,rte_fib,rte_lpm --json " + json +
            " " + kData + "updates.20160811.1600.gz " + kData + "quagga_bgp");
  ASSERT_EQ(r.code, 0) << r.err;
  // 41,234 events, of which 6,886 IPv6 (counted and skipped).
  EXPECT_THAT(r.err, HasSubstr("41234 MRT events"));
  EXPECT_THAT(r.err, HasSubstr("6886 IPv6 skipped"));
  for (const char* engine : {"dir24_8", "poptrie"}) {
    EXPECT_THAT(r.out, HasSubstr(engine));
  }
  EXPECT_THAT(r.out, HasSubstr("| yes"));
  EXPECT_THAT(r.out, Not(HasSubstr("NO")));
  const std::string j = Slurp(json);
  EXPECT_THAT(j, HasSubstr("\"fib_changes_per_s_with_readers\""));
  EXPECT_THAT(j, Not(HasSubstr("\"check\": \"NO\"")));
  // 34,348 IPv4 events replayed, beside one reader (the default).
  EXPECT_THAT(j, HasSubstr("\"events\": 34348"));
  // DPDK's EAL took none of the CPUs the readers and the writer run on.
  EXPECT_THAT(
      r.err, HasSubstr("running on " + std::to_string(CpuCount()) + " CPU(s)"));
}

TEST(ChurnBenchTest, AFibThatMissesAChangeFailsTheCheck) {
  Result r = Churn(kQuick + "--algos dir24_8 --break_fib_for_test " + kData +
                   "updates.20160811.1600.gz");
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("a fresh build of the RIB's best paths"));
}

TEST(ChurnBenchTest, BadInputFailsWithAMessage) {
  Result none = Churn(kQuick);
  EXPECT_EQ(none.code, 1);
  EXPECT_THAT(none.err, HasSubstr("no MRT update file"));
  Result missing = Churn(kQuick + "/no/such/updates.gz");
  EXPECT_EQ(missing.code, 1);
  EXPECT_THAT(missing.err, HasSubstr("/no/such/updates.gz"));
  Result engine = Churn(kQuick + "--algos btree " + kData + "quagga_bgp");
  EXPECT_EQ(engine.code, 1);
  EXPECT_THAT(engine.err, HasSubstr("unknown engine 'btree'"));
}

}  // namespace
