#include "bench/churn/engine_run.h"

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>

#include "bench/churn/loaded_replay.h"
#include "bench/churn/readers.h"
#include "bench/churn/replay.h"
#include "lpm/dir24_8.h"
#include "lpm/poptrie.h"

namespace nexthop::bench {
namespace {

void AddLoaded(const LoadedRep& m, ChurnRow& row) {
  row.qs_off.push_back(m.qs_off);
  row.qs_on.push_back(m.qs_on);
  row.idle_lookups.push_back(m.before.lookups_per_s);
  row.after_lookups.push_back(m.after.lookups_per_s);
  row.idle_cpu.push_back(std::min(m.before.cpu_share, m.after.cpu_share));
  if (m.replay.total_s >= LoadedRep::kMinBusyS) {
    row.busy_lookups.push_back(m.during.lookups_per_s);
    row.ratio.push_back(m.during.lookups_per_s / m.alone());
    row.busy_cpu.push_back(m.during.cpu_share);
  }
  row.writer_cpu.push_back(m.writer_cpu);
  row.loaded_s.push_back(m.replay.total_s);
  row.loaded_events_per_s.push_back(m.replay.events / m.replay.total_s);
  row.loaded_fib_per_s.push_back(m.replay.fib_changes / m.replay.fib_s);
  if (!m.timed_gp) return;  // rte_lpm: DPDK does not say
  const uint64_t gps = m.gp.grace_periods;
  row.grace_periods.push_back(gps);
  row.gp_us.push_back(gps ? m.gp.wait_ns / 1e3 / gps : 0);
  row.max_pending_kib.push_back(m.gp.max_pending_bytes / 1024.0);
  if (!m.gp_waits.empty()) {
    const std::vector<int64_t>& w = m.gp_waits;
    row.gp_p50_us.push_back(w[w.size() / 2] / 1e3);
    row.gp_p99_us.push_back(w[w.size() * 99 / 100] / 1e3);
    row.gp_max_us.push_back(w.back() / 1e3);
  }
}

// Compares `engine` after the replay with a fresh build of `state`'s best
// paths, at both ends of every prefix of the table and the stream.
absl::Status CheckAgainstFreshBuild(ChurnEngine& engine,
                                    const ChurnInput& input,
                                    std::span<const ChurnEvent> events,
                                    ChurnState& state, bool break_fib) {
  if (break_fib) {
    std::optional<Ipv4Prefix> victim;
    state.rib.ForEachBest([&](Ipv4Prefix p, const MultipathRib::Path&) {
      if (!victim) victim = p;
    });
    if (victim) {
      FibOp op{*victim, kNoRoute};
      engine.Apply(std::span(&op, 1)).IgnoreError();
    }
  }
  absl::StatusOr<std::unique_ptr<ChurnEngine>> fresh =
      engine.name() == "dir24_8"
          ? std::make_unique<NexthopChurnEngine<Dir24_8>>()
      : engine.name() == "poptrie"
          ? std::make_unique<NexthopChurnEngine<Poptrie>>()
          : MakeDpdkChurnEngine(engine.name(), 1);
  if (!fresh.ok()) return fresh.status();
  if (absl::Status s = BuildFromRib(state, **fresh); !s.ok()) return s;
  std::vector<Ipv4Prefix> touched = input.prefixes;
  for (const ChurnEvent& e : events) touched.push_back(e.prefix);
  return CompareFibs(engine, **fresh, Probes(touched));
}

// How many times a repetition is tried again when another process took
// part of a reader's or the writer's core (this machine is shared).
constexpr int kMaxRetries = 3;

}  // namespace

absl::Status RunEngine(ChurnEngine& engine, const ChurnInput& input,
                       std::span<const ChurnEvent> events,
                       const std::vector<std::vector<Ipv4Address>>& traffic,
                       const EngineRunOptions& options, ChurnRow& row) {
  const int reps = options.repetitions;
  const bool with_readers = engine.concurrent_readers() && !traffic.empty();
  row.readers = with_readers ? static_cast<int>(traffic.size()) : 0;
  for (int rep = 0; rep < reps; ++rep) {
    std::cerr << "  .. " << engine.name() << " repetition " << rep + 1 << "\n";
    if (with_readers) {
      for (int attempt = 0;; ++attempt) {
        options.quiet->Wait(row.waited_s);
        absl::StatusOr<LoadedRep> m = ReplayBesideReaders(
            engine, input, events, traffic, rep, options.idle_s, options.batch);
        if (!m.ok()) return m.status();
        if (m->contended() && attempt < kMaxRetries) {
          ++row.retried;
          continue;
        }
        row.contended += m->contended();
        AddLoaded(*m, row);
        break;
      }
    }
    // One core, no readers.
    ChurnState state;
    absl::StatusOr<ReplayResult> r;
    for (int attempt = 0;; ++attempt) {
      options.quiet->Wait(row.waited_s);
      state = input.state;
      if (absl::Status s = BuildFromRib(state, engine); !s.ok()) return s;
      const double cpu0 = ThreadCpuSeconds();
      r = Replay(state, events, engine);
      if (!r.ok()) return r.status();
      const bool contended =
          (ThreadCpuSeconds() - cpu0) / r->total_s < 0.9 && r->total_s > 0.05;
      if (contended && attempt < kMaxRetries) {
        ++row.retried;
        continue;
      }
      row.contended += contended;
      break;
    }
    row.events = r->events;
    row.fib_changes = r->fib_changes;
    row.alone_s.push_back(r->total_s);
    row.alone_fib_per_s.push_back(r->fib_changes / r->fib_s);
    if (rep == 0 && options.check) {
      if (absl::Status s = CheckAgainstFreshBuild(engine, input, events, state,
                                                  options.break_fib_for_test);
          !s.ok()) {
        row.check = "NO";
        return s;
      }
      row.check = "yes";
    }
  }
  return absl::OkStatus();
}

}  // namespace nexthop::bench
