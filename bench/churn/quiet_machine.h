// Waiting for the machine to be quiet before a measurement: other
// processes' work would take the readers' and the writer's cores.
#ifndef NEXTHOP_BENCH_CHURN_QUIET_MACHINE_H_
#define NEXTHOP_BENCH_CHURN_QUIET_MACHINE_H_

namespace nexthop::bench {

// Idle share of all CPUs over `seconds` (/proc/stat), or 1 if unknown.
double IdleShare(double seconds);

// One run's budget of waiting (churn-bench's --quiet_wait), spent across
// every Wait().
class QuietMachine {
 public:
  explicit QuietMachine(double budget_s) : budget_(budget_s) {}
  // Waits until nothing else runs on the machine (this process is idle
  // here), within what is left of the budget; adds the wait to `waited`.
  void Wait(double& waited);

 private:
  double budget_;
};

}  // namespace nexthop::bench

#endif  // NEXTHOP_BENCH_CHURN_QUIET_MACHINE_H_
