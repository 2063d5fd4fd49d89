// Timing: repeat a run until it lasts `min_time`, several times, and keep
// the median rate and the spread. Wall-clock time, since the machine is
// shared and threads run side by side.
#ifndef NEXTHOP_BENCH_HARNESS_MEASURE_H_
#define NEXTHOP_BENCH_HARNESS_MEASURE_H_

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

namespace nexthop::bench {

struct Rate {
  double median = 0, min = 0, max = 0;  // operations per second
  double spread() const { return median > 0 ? (max - min) / median : 0; }
};

inline double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since)
      .count();
}

// `run(rounds)` does `ops_per_round * rounds` operations.
template <typename Run>
Rate MeasureRate(Run run, double ops_per_round, double min_time,
                 int repetitions) {
  size_t rounds = 1;
  for (;;) {  // calibrate
    const auto t0 = std::chrono::steady_clock::now();
    run(rounds);
    const double s = Seconds(t0);
    if (s >= min_time / 4 || rounds > (size_t{1} << 30)) {
      rounds = std::max<size_t>(
          1, static_cast<size_t>(rounds * min_time / std::max(s, 1e-9)));
      break;
    }
    rounds *= 8;
  }
  std::vector<double> rates;
  for (int r = 0; r < repetitions; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    run(rounds);
    rates.push_back(ops_per_round * rounds / Seconds(t0));
  }
  std::sort(rates.begin(), rates.end());
  return Rate{rates[rates.size() / 2], rates.front(), rates.back()};
}

}  // namespace nexthop::bench

#endif  // NEXTHOP_BENCH_HARNESS_MEASURE_H_
