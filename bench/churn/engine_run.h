// One engine's repetitions on one update stream (churn-bench's rows): the
// replay beside the readers, the replay on one core alone, and after the
// first, the FIB checked against a fresh build of the RIB's best paths.
#ifndef NEXTHOP_BENCH_CHURN_ENGINE_RUN_H_
#define NEXTHOP_BENCH_CHURN_ENGINE_RUN_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "bench/churn/churn_engine.h"
#include "bench/churn/churn_input.h"
#include "bench/churn/churn_stream.h"
#include "bench/churn/quiet_machine.h"

namespace nexthop::bench {

// What one engine did on one stream, every repetition's values (the
// report takes medians).
struct ChurnRow {
  std::string stream, engine, base;
  int readers = 0;
  uint64_t events = 0, fib_changes = 0;
  // One core, no readers (RIB + FIB):
  std::vector<double> alone_s, alone_fib_per_s;
  // With readers:
  std::vector<double> loaded_s, loaded_events_per_s, loaded_fib_per_s;
  std::vector<double> idle_lookups, after_lookups, busy_lookups, grace_periods,
      gp_us, max_pending_kib;
  // Share of their cores the readers (idle, busy) and the writer had.
  std::vector<double> idle_cpu, busy_cpu, writer_cpu;
  std::vector<double> ratio;  // busy / idle lookups, per repetition
  int retried = 0;      // repetitions run again: another process took a core
  int contended = 0;    // kept although contended (retries ran out)
  double waited_s = 0;  // waiting for other processes to finish
  std::vector<double> gp_p50_us, gp_p99_us, gp_max_us;  // per repetition
  // Readers alone, with and without a quiescent state per burst.
  std::vector<double> qs_on, qs_off;
  std::string check = "-";
};

struct EngineRunOptions {
  int repetitions = 5;
  double idle_s = 0.3;              // readers alone before and after the writer
  size_t batch = 64;                // addresses per reader burst
  bool check = true;                // after the first repetition
  bool break_fib_for_test = false;  // the check must then fail
  QuietMachine* quiet = nullptr;    // waited on before each repetition
};

// Runs `options.repetitions` of `events` on `engine` (built from `input`
// each time), beside one reader per `traffic` sample when the engine takes
// concurrent readers, into `row`.
absl::Status RunEngine(ChurnEngine& engine, const ChurnInput& input,
                       std::span<const ChurnEvent> events,
                       const std::vector<std::vector<Ipv4Address>>& traffic,
                       const EngineRunOptions& options, ChurnRow& row);

}  // namespace nexthop::bench

#endif  // NEXTHOP_BENCH_CHURN_ENGINE_RUN_H_
