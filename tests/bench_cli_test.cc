// nexthop-bench end to end on a small synthetic set, and its errors.
#include <sched.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;

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

Result Bench(const std::string& args) {
  const std::string dir = ::testing::TempDir();
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string base = dir + "/" + info->name();
  const std::string cmd = std::string(NEXTHOP_BENCH) + " " + args + " >" +
                          base + ".out 2>" + base + ".err";
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, Slurp(base + ".out"),
          Slurp(base + ".err")};
}

// On 4 KiB pages, so that tests running side by side take nothing from
// the hugetlbfs pool (one test below asks for huge pages).
const char* kQuick =
    "--synthetic 3000 --nexthops rr:255 --traffic uniform,matched --threads "
    "1,2 "
    "--repetitions 1 --min_time 0.01 --addresses 4096 --updates 500 "
    "--pages 4k ";

int CpuCount() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return 0;
  return CPU_COUNT(&set);
}

bool BuiltWithDpdk(const Result& r) {
  return r.err.find("built without DPDK") == std::string::npos;
}

TEST(BenchCliTest, RunsEveryEngineCrossCheckedWithAllOutputs) {
  const std::string dir = ::testing::TempDir() + "/bench_out";
  Result r = Bench(std::string(kQuick) +
                   "--algos dir24_8,patricia,linear,rte_fib,rte_lpm --json " +
                   dir + ".json --csv " + dir + ".csv --plot " + dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("synthetic:3000"));
  EXPECT_THAT(r.out, HasSubstr("memory_limit"));
  for (const char* engine : {"dir24_8", "patricia", "linear"}) {
    EXPECT_THAT(r.out, HasSubstr(engine));
  }
  // Every engine on the 4 KiB pages asked for, as read back from the
  // kernel (THP would be there without the advice against it).
  EXPECT_THAT(r.out, HasSubstr("pages: 4 KiB for every engine (asked: 4k)"));
  for (const char* engine : {"memory_limit", "dir24_8", "patricia"}) {
    EXPECT_THAT(r.out, ContainsRegex(std::string("\n") + engine +
                                     " +(rr:255|-) +4 KiB \\(THP 0%"));
  }
  // DPDK's EAL start left the threads every CPU this test may use.
  EXPECT_THAT(r.out, HasSubstr("(" + std::to_string(CpuCount()) + " usable)"));
  if (BuiltWithDpdk(r)) {
    EXPECT_THAT(r.out, ContainsRegex("\nrte_fib +rr:255 +4 KiB"));
    EXPECT_THAT(r.out, HasSubstr("dpdk: DPDK EAL on 4 KiB pages"));
  }
  // The limits name the read kernel that was fastest.
  EXPECT_THAT(r.out, ContainsRegex("memory_limit +rr:255 +uniform +1 [^\n]* "
                                   "(plain|prefetch|streams|gather)"));
  EXPECT_THAT(
      r.out,
      ::testing::Not(HasSubstr(" NO ")));  // every update stream stayed correct
  EXPECT_THAT(Slurp(dir + ".json"), HasSubstr("\"x_memory_limit\""));
  EXPECT_THAT(Slurp(dir + ".csv"), HasSubstr("kind,engine,nexthops"));
  // The charts exist when gnuplot is there; a missing gnuplot is an error.
  EXPECT_TRUE(std::ifstream(dir + "/throughput.png").good());
  EXPECT_TRUE(std::ifstream(dir + "/scaling.png").good());
}

// Where the machine has hugetlbfs pages (root, scripts/setup-hugepages.sh)
// and THP, DPDK runs on the former and nexthop's structures on the latter,
// and rte_fib on its AVX-512 lookup where the CPU has one.
TEST(BenchCliTest, EveryEngineOnHugePagesWhereTheMachineHasThem) {
  Result r = Bench(
      "--synthetic 3000 --nexthops rr:255 --traffic uniform --threads 1 "
      "--repetitions 1 --min_time 0.01 --addresses 4096 --updates 100 "
      "--scaling=false --algos dir24_8,poptrie,rte_fib --pages auto");
  ASSERT_EQ(r.code, 0) << r.err;
  const size_t plan = r.out.find("pages: ");
  ASSERT_NE(plan, std::string::npos) << r.out;
  const std::string plan_line =
      r.out.substr(plan, r.out.find('\n', plan) - plan);
  if (plan_line.find("4 KiB for every engine") != std::string::npos) {
    GTEST_SKIP() << "no huge pages here: " << plan_line;
  }
  EXPECT_THAT(plan_line, HasSubstr("2 MiB for every engine"));
  EXPECT_THAT(r.out, ContainsRegex("\nmemory_limit +- +2 MiB THP"));
  EXPECT_THAT(r.out, ContainsRegex("\ndir24_8 +rr:255 +2 MiB THP"));
  if (!BuiltWithDpdk(r)) return;
  EXPECT_THAT(r.out, ContainsRegex("\nrte_fib +rr:255 +2 MiB hugetlbfs"));
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) {
    EXPECT_THAT(r.out,
                ContainsRegex("rte_fib +rr:255 +uniform [^\n]*AVX-512 lookup"));
  }
}

// The IPv6 rows: the bundled table's IPv6 prefixes, every IPv6 engine
// cross-checked (no disagreement listed), build and updates correct.
TEST(BenchCliTest, Ipv6EnginesSideBySide) {
  const std::string dir = ::testing::TempDir() + "/bench6";
  Result r = Bench(
      "--family 6 --nexthops rr:255,block:16 --traffic uniform,matched "
      "--threads 1,2 --repetitions 1 --min_time 0.01 --addresses 4096 "
      "--updates 200 --scaling=false --pages 4k --json " +
      dir + ".json --plot " + dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("(160147 IPv6 prefixes)"));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("IPv4 prefixes")));
  std::vector<std::string> engines = {"dxr6", "poptrie6", "patricia6"};
  if (BuiltWithDpdk(r)) engines.insert(engines.end(), {"rte_fib6", "rte_lpm6"});
  for (const std::string& e : engines) {
    EXPECT_THAT(r.out, ContainsRegex(e + " +block:16 +matched +2 "));
    EXPECT_THAT(r.out,
                ContainsRegex(e + " +rr:255 +[0-9.]+ +[0-9.-]+ +[0-9]+ +yes"));
  }
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("disagreements")));
  EXPECT_THAT(Slurp(dir + ".json"), HasSubstr("\"family\": 6"));
  EXPECT_TRUE(std::ifstream(dir + "/throughput6.png").good());
  EXPECT_FALSE(std::ifstream(dir + "/throughput.png").good());
}

TEST(BenchCliTest, BadArgumentsFailWithAMessage) {
  Result pages = Bench(std::string(kQuick) + "--pages 2m");
  EXPECT_EQ(pages.code, 1);
  EXPECT_THAT(pages.err,
              HasSubstr("unknown page mode '2m' (auto, huge or 4k)"));
  Result traffic = Bench(std::string(kQuick) + "--traffic gaussian");
  EXPECT_EQ(traffic.code, 1);
  EXPECT_THAT(traffic.err, HasSubstr("unknown traffic 'gaussian'"));
  Result algo = Bench(std::string(kQuick) + "--algos btree");
  EXPECT_EQ(algo.code, 1);
  EXPECT_THAT(algo.err, HasSubstr("unknown engine 'btree'"));
  EXPECT_THAT(algo.err, HasSubstr("poptrie6"));  // the list has both families
  Result family = Bench(std::string(kQuick) + "--family 5");
  EXPECT_NE(family.code, 0);
  EXPECT_THAT(family.err, HasSubstr("unknown family '5' (4 or 6)"));
  Result synthetic6 = Bench(std::string(kQuick) + "--algos poptrie6");
  EXPECT_NE(synthetic6.code, 0);
  EXPECT_THAT(synthetic6.err, HasSubstr("--synthetic makes IPv4 route sets"));
  Result table = Bench("--table /no/such/table");
  EXPECT_EQ(table.code, 1);
  EXPECT_THAT(table.err, HasSubstr("/no/such/table"));
  Result nh = Bench(std::string(kQuick) + "--nexthops rr:x");
  EXPECT_EQ(nh.code, 1);
  EXPECT_THAT(nh.err, HasSubstr("rr:x"));
}

}  // namespace
