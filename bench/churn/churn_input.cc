#include "bench/churn/churn_input.h"

#include <utility>

namespace nexthop::bench {

absl::StatusOr<ChurnInput> MakeChurnInput(const RouteSet& set, size_t sample,
                                          uint64_t seed) {
  RouteSet s = sample > 0 && sample < set.prefixes.size()
                   ? Sample(set, sample, seed)
                   : set;
  absl::StatusOr<std::vector<NextHopId>> block = AssignNextHops(s, "block:16");
  if (!block.ok()) return block.status();
  ChurnInput in;
  in.state = TableState(s.prefixes, *block);
  in.prefixes = std::move(s.prefixes);
  return in;
}

}  // namespace nexthop::bench
