#include "bench/churn/quiet_machine.h"

#include <chrono>
#include <cstdint>
#include <fstream>
#include <string>
#include <thread>

#include "bench/harness/measure.h"

namespace nexthop::bench {

double IdleShare(double seconds) {
  auto sample = [](uint64_t& idle, uint64_t& total) {
    std::ifstream f("/proc/stat");
    std::string cpu;
    uint64_t v[8] = {};
    f >> cpu;
    for (uint64_t& x : v) f >> x;
    idle = v[3] + v[4];
    total = 0;
    for (uint64_t x : v) total += x;
    return f.good();
  };
  uint64_t i0, t0, i1, t1;
  if (!sample(i0, t0)) return 1;
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  if (!sample(i1, t1) || t1 == t0) return 1;
  return static_cast<double>(i1 - i0) / (t1 - t0);
}

void QuietMachine::Wait(double& waited) {
  while (budget_ > 0) {
    const auto t0 = std::chrono::steady_clock::now();
    const bool quiet = IdleShare(0.5) >= 0.9;
    const double s = Seconds(t0);
    budget_ -= s;
    if (quiet) return;
    waited += s;
    std::this_thread::sleep_for(std::chrono::seconds(2));
    budget_ -= 2;
    waited += 2;
  }
}

}  // namespace nexthop::bench
