// nexthop-bench end to end on a small synthetic set, and its errors.
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

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

const char* kQuick =
    "--synthetic 3000 --nexthops rr:255 --traffic uniform,matched --threads "
    "1,2 "
    "--repetitions 1 --min_time 0.01 --addresses 4096 --updates 500 ";

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
  EXPECT_THAT(
      r.out,
      ::testing::Not(HasSubstr(" NO ")));  // every update stream stayed correct
  EXPECT_THAT(Slurp(dir + ".json"), HasSubstr("\"x_memory_limit\""));
  EXPECT_THAT(Slurp(dir + ".csv"), HasSubstr("kind,engine,nexthops"));
  // The charts exist when gnuplot is there; a missing gnuplot is an error.
  EXPECT_TRUE(std::ifstream(dir + "/throughput.png").good());
  EXPECT_TRUE(std::ifstream(dir + "/scaling.png").good());
}

TEST(BenchCliTest, BadArgumentsFailWithAMessage) {
  Result traffic = Bench(std::string(kQuick) + "--traffic gaussian");
  EXPECT_EQ(traffic.code, 1);
  EXPECT_THAT(traffic.err, HasSubstr("unknown traffic 'gaussian'"));
  Result algo = Bench(std::string(kQuick) + "--algos btree");
  EXPECT_EQ(algo.code, 1);
  EXPECT_THAT(algo.err, HasSubstr("unknown engine 'btree'"));
  Result table = Bench("--table /no/such/table");
  EXPECT_EQ(table.code, 1);
  EXPECT_THAT(table.err, HasSubstr("/no/such/table"));
  Result nh = Bench(std::string(kQuick) + "--nexthops rr:x");
  EXPECT_EQ(nh.code, 1);
  EXPECT_THAT(nh.err, HasSubstr("rr:x"));
}

}  // namespace
