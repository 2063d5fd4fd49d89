// The loaded table as churn-bench replays onto it: its prefixes and the
// control-plane state (the table as the pseudo-peer) every repetition
// starts from.
#ifndef NEXTHOP_BENCH_CHURN_CHURN_INPUT_H_
#define NEXTHOP_BENCH_CHURN_CHURN_INPUT_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "bench/churn/replay.h"
#include "bench/harness/workload.h"

namespace nexthop::bench {

struct ChurnInput {
  std::vector<Ipv4Prefix> prefixes;
  ChurnState state;
  std::vector<Ipv4Address> probes;  // filled per stream
};

// `set`, or a random sample of `sample` of its prefixes (0: all), with
// block:16 next hops.
absl::StatusOr<ChurnInput> MakeChurnInput(const RouteSet& set, size_t sample,
                                          uint64_t seed);

}  // namespace nexthop::bench

#endif  // NEXTHOP_BENCH_CHURN_CHURN_INPUT_H_
