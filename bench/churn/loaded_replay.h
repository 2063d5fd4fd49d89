// One repetition of a churn replay beside reader threads: the readers'
// rate alone (with and without quiescent-state reports), then beside the
// writer, then alone again, with the writer's share of its core and the
// grace periods it waited for.
#ifndef NEXTHOP_BENCH_CHURN_LOADED_REPLAY_H_
#define NEXTHOP_BENCH_CHURN_LOADED_REPLAY_H_

#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/statusor.h"
#include "bench/churn/churn_engine.h"
#include "bench/churn/churn_input.h"
#include "bench/churn/churn_stream.h"
#include "bench/churn/readers.h"
#include "bench/churn/replay.h"
#include "lpm/grace_period.h"

namespace nexthop::bench {

// One repetition's replay beside the readers.
struct LoadedRep {
  // Readers alone before and after the replay, and beside it. The table
  // the readers see changes under the replay (Poptrie's lookup data
  // shrinks when one peer's next hop replaces many), so "alone" is the
  // mean of before and after.
  Window before, after, during;
  double alone() const {
    return (before.lookups_per_s + after.lookups_per_s) / 2;
  }
  double qs_off = 0, qs_on = 0;  // lookups/s, readers alone
  double writer_cpu = 0;
  ReplayResult replay;
  ReclaimStats gp;  // of the replay alone
  std::vector<int64_t> gp_waits;
  bool timed_gp = false;
  bool contended() const {
    // A short replay's CPU shares say little (a few scheduler ticks).
    return before.cpu_share < 0.9 || after.cpu_share < 0.9 ||
           (replay.total_s >= kMinBusyS &&
            (writer_cpu < 0.9 || during.cpu_share < 0.9));
  }
  // A replay shorter than this leaves too few bursts to count.
  static constexpr double kMinBusyS = 0.05;
};

// Builds `engine` from `input`, starts one reader per `traffic` sample
// (bursts of `batch`), measures them alone for `idle` seconds (six
// alternating windows with and without quiescent states first, in an
// order that `rep` alternates), replays `events` beside them, then
// measures them alone again.
absl::StatusOr<LoadedRep> ReplayBesideReaders(
    ChurnEngine& engine, const ChurnInput& input,
    std::span<const ChurnEvent> events,
    const std::vector<std::vector<Ipv4Address>>& traffic, int rep, double idle,
    size_t batch);

}  // namespace nexthop::bench

#endif  // NEXTHOP_BENCH_CHURN_LOADED_REPLAY_H_
