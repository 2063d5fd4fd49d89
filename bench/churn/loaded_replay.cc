#include "bench/churn/loaded_replay.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace nexthop::bench {

absl::StatusOr<LoadedRep> ReplayBesideReaders(
    ChurnEngine& engine, const ChurnInput& input,
    std::span<const ChurnEvent> events,
    const std::vector<std::vector<Ipv4Address>>& traffic, int rep, double idle,
    size_t batch) {
  LoadedRep out;
  ChurnState state = input.state;
  if (absl::Status s = BuildFromRib(state, engine); !s.ok()) return s;
  Readers readers(engine, traffic, batch);
  // Warm up (traffic and tables into the caches), then the readers' cost
  // of reporting quiescent states, no writer: off and on by the same
  // threads, in six alternating windows.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  uint64_t lookups[2] = {0, 0};
  double seconds[2] = {0, 0};
  for (int w = 0; w < 6; ++w) {
    const bool on = (w + rep) % 2 == 0;
    readers.SetQuiescent(on);
    const Window window = ReaderRate(readers, idle / 6);
    lookups[on] += window.lookups;
    seconds[on] += window.seconds;
  }
  readers.SetQuiescent(true);
  out.qs_off = lookups[0] / seconds[0];
  out.qs_on = lookups[1] / seconds[1];
  // The readers alone just before the writer starts, then beside it.
  out.before = ReaderRate(readers, idle);
  const ReclaimStats gp0 = engine.reclaim_stats();
  if (engine.grace_period_waits()) engine.grace_period_waits()->clear();
  WindowTimer busy(readers);
  const double cpu0 = ThreadCpuSeconds();
  absl::StatusOr<ReplayResult> r = Replay(state, events, engine);
  out.during = busy.End();
  out.writer_cpu = ThreadCpuSeconds() - cpu0;
  out.after = ReaderRate(readers, idle);
  readers.Stop();
  if (!r.ok()) return r.status();
  out.replay = *r;
  out.writer_cpu /= r->total_s;
  out.gp = engine.reclaim_stats();
  out.gp.grace_periods -= gp0.grace_periods;
  out.gp.wait_ns -= gp0.wait_ns;
  if (std::vector<int64_t>* w = engine.grace_period_waits()) {
    out.timed_gp = true;
    out.gp_waits = *w;
    std::sort(out.gp_waits.begin(), out.gp_waits.end());
  }
  return out;
}

}  // namespace nexthop::bench
