// The churn replay: events into a MultipathRib, its best-next-hop changes
// into a ChurnEngine, next-hop addresses interned as NextHopIds.
#ifndef NEXTHOP_BENCH_CHURN_REPLAY_H_
#define NEXTHOP_BENCH_CHURN_REPLAY_H_

#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bench/churn/churn_engine.h"
#include "bench/churn/churn_stream.h"
#include "rib/multipath_rib.h"

namespace nexthop::bench {

// Next-hop addresses as dense ids from 0, never reused. Fails past
// `max_id` (Poptrie's leaves hold 16 bits: 0xfffe).
class NextHopInterner {
 public:
  absl::StatusOr<NextHopId> Intern(Ipv4Address a, NextHopId max_id) {
    auto [it, inserted] =
        ids_.try_emplace(a, static_cast<NextHopId>(ids_.size()));
    if (it->second > max_id) {
      ids_.erase(it);
      return absl::OutOfRangeError("more next hops than the structure holds");
    }
    return it->second;
  }
  size_t size() const { return ids_.size(); }

 private:
  absl::flat_hash_map<Ipv4Address, NextHopId> ids_;
};

// The control plane of one replay: copied from the loaded table's state
// for every repetition, so each starts alike.
struct ChurnState {
  MultipathRib rib;
  NextHopInterner hops;
};

// The loaded table as the pseudo-peer (peer 0): every path ranks last
// (MultipathRib::kLastResort: the table has no AS paths), next hop
// 198.18.0.(1 + block:16 id), so neighbouring prefixes share one of 16.
ChurnState TableState(std::span<const Ipv4Prefix> prefixes,
                      std::span<const NextHopId> block16);

struct ReplayResult {
  uint64_t events = 0, fib_changes = 0;
  double total_s = 0;  // RIB + FIB
  double fib_s = 0;    // in ChurnEngine::Apply alone
};

// Applies `events` to `state` and the changes of best next hop to
// `engine`, in chunks (the FIB part of each chunk is timed on its own).
absl::StatusOr<ReplayResult> Replay(ChurnState& state,
                                    std::span<const ChurnEvent> events,
                                    ChurnEngine& engine);

// Resets `engine` and builds it from `state`'s best paths.
absl::Status BuildFromRib(ChurnState& state, ChurnEngine& engine);

// Both ends of every prefix in `prefixes`, for comparing FIBs.
std::vector<Ipv4Address> Probes(std::span<const Ipv4Prefix> prefixes);

// Ok when `a` and `b` answer every probe alike; else names the first
// address where they differ.
absl::Status CompareFibs(const ChurnEngine& a, const ChurnEngine& b,
                         std::span<const Ipv4Address> probes);

}  // namespace nexthop::bench

#endif  // NEXTHOP_BENCH_CHURN_REPLAY_H_
