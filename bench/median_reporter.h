// A console reporter that also keeps, per benchmark, the median of its
// repetitions (or its single run) and the spread between them, so a bench
// can print ratios measured side by side in one run.
#ifndef NEXTHOP_BENCH_MEDIAN_REPORTER_H_
#define NEXTHOP_BENCH_MEDIAN_REPORTER_H_

#include <map>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"

namespace nexthop::bench {

struct Measured {
  double items_per_second = 0;
  double seconds = 0;  // real time of one iteration
  double cv = 0;       // spread of items_per_second between repetitions
  std::map<std::string, double> counters;
};

class MedianReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      // Repetitions arrive first, then their aggregates: the median, when
      // there is one, overwrites them; the cv gives the spread.
      std::string name = run.run_name.function_name;
      if (!run.run_name.args.empty()) name += "/" + run.run_name.args;
      Measured& m = results_[name];
      auto items = run.counters.find("items_per_second");
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name == "cv") {
        if (items != run.counters.end()) m.cv = items->second;
        continue;
      }
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name != "median")
        continue;
      if (items != run.counters.end()) m.items_per_second = items->second;
      for (const auto& [name, counter] : run.counters)
        m.counters[name] = counter;
      m.seconds = run.GetAdjustedRealTime() /
                  benchmark::GetTimeUnitMultiplier(run.time_unit);
    }
  }
  const std::map<std::string, Measured>& results() const { return results_; }

 private:
  std::map<std::string, Measured> results_;
};

// Runs the benchmarks selected on the command line, then `summary` on
// their medians. Returns the process exit code.
template <typename Summary>
int RunWithSummary(int argc, char** argv, Summary summary) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  MedianReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  summary(reporter.results());
  benchmark::Shutdown();
  return 0;
}

}  // namespace nexthop::bench

#endif  // NEXTHOP_BENCH_MEDIAN_REPORTER_H_
