// churn-bench: real BGP churn replayed into a multi-path RIB and a FIB
// while reader threads look up at full speed (README: "Churn: updates
// under load"). The full table enters the RIB as one pseudo-peer whose
// paths rank last; each MRT file's events are then replayed onto it.
#include <pthread.h>
#include <sched.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/churn/churn_engine.h"
#include "bench/churn/churn_stream.h"
#include "bench/churn/replay.h"
#include "bench/harness/dpdk_eal.h"
#include "bench/harness/measure.h"
#include "bench/harness/pages.h"
#include "bench/harness/workload.h"
#include "lpm/dir24_8.h"
#include "lpm/poptrie.h"
#include "nlohmann/json.hpp"

ABSL_FLAG(std::string, table, NEXTHOP_DEFAULT_TABLE,
          "the table loaded as the pseudo-peer (any file the loaders read)");
ABSL_FLAG(size_t, base_prefixes, 0,
          "load only a random sample of this many of the table's prefixes "
          "(0: all)");
ABSL_FLAG(std::vector<std::string>, algos,
          std::vector<std::string>({"dir24_8", "poptrie", "rte_lpm",
                                    "rte_fib"}),
          "engines: dir24_8, poptrie, rte_lpm, rte_fib");
ABSL_FLAG(int, readers, 1, "reader threads beside the writer");
ABSL_FLAG(size_t, batch, 64, "addresses per reader burst (one LookupBatch)");
ABSL_FLAG(size_t, addresses, 1 << 20, "addresses per reader's traffic");
ABSL_FLAG(std::string, traffic, "uniform",
          "reader traffic: uniform, matched, zipf:S (bench/harness)");
ABSL_FLAG(int, repetitions, 5, "repetitions (medians are reported)");
ABSL_FLAG(double, idle_time, 0.3,
          "seconds readers run alone before the writer starts");
ABSL_FLAG(size_t, rte_lpm_base, 20000,
          "rte_lpm's table: a sample of this many prefixes (its updates scan "
          "every rule of their length: a full table takes minutes)");
ABSL_FLAG(size_t, rte_lpm_events, 20000,
          "rte_lpm replays only the first N events of each stream");
ABSL_FLAG(bool, check, true,
          "after the first repetition, compare each FIB with a fresh build "
          "of the RIB's best paths");
ABSL_FLAG(bool, break_fib_for_test, false,
          "erase one route behind the RIB's back before the check (tests "
          "that the check fails)");
ABSL_FLAG(double, quiet_wait, 600,
          "before each repetition, wait up to this many seconds (in all) for "
          "the machine's CPUs to be >= 90% idle: other processes' work "
          "would take the readers' and the writer's cores");
ABSL_FLAG(std::string, pages, nexthop::bench::PageModeFromEnv(),
          "pages for every engine: auto (2 MiB where the machine has "
          "hugetlbfs pages for DPDK, else 4 KiB), huge, 4k (default: "
          "$NEXTHOP_PAGES, else auto)");
ABSL_FLAG(uint64_t, seed, 1, "seed for samples and traffic");
ABSL_FLAG(std::string, json, "", "write the results as JSON to this file");

namespace nexthop::bench {
namespace {

int Fail(const absl::Status& s) {
  std::cerr << "churn-bench: " << s.message() << "\n";
  return 1;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Reader threads of one engine: started, counted, stopped.
class Readers {
 public:
  Readers(const ChurnEngine& engine,
          const std::vector<std::vector<Ipv4Address>>& traffic, size_t batch)
      : slots_(traffic.size()) {
    for (size_t t = 0; t < traffic.size(); ++t) {
      options_.push_back({traffic[t], batch, &quiescent_});
    }
    for (size_t t = 0; t < traffic.size(); ++t) {
      threads_.emplace_back([&, t] {
        engine.ReaderLoop(static_cast<int>(t), options_[t], slots_[t], stop_);
      });
    }
    // Counted from the moment every reader runs.
    while (std::any_of(slots_.begin(), slots_.end(), [](const ReaderSlot& s) {
      return s.lookups.load(std::memory_order_relaxed) == 0;
    })) {
      std::this_thread::yield();
    }
  }
  ~Readers() { Stop(); }
  // CPU time the reader threads have had, summed: divided by wall time, it
  // shows whether they kept their cores (a shared machine may take them).
  double CpuSeconds() const {
    double total = 0;
    for (const std::thread& t : threads_) {
      clockid_t clock;
      timespec ts{};
      if (pthread_getcpuclockid(const_cast<std::thread&>(t).native_handle(),
                                &clock) == 0 &&
          clock_gettime(clock, &ts) == 0) {
        total += ts.tv_sec + ts.tv_nsec / 1e9;
      }
    }
    return total;
  }
  int size() const { return static_cast<int>(slots_.size()); }
  // Whether readers report quiescent states (on from the start). Off is
  // only for measuring what reporting costs: no writer may wait then.
  void SetQuiescent(bool on) { quiescent_ = on; }
  uint64_t Count() const {
    uint64_t n = 0;
    for (const ReaderSlot& s : slots_)
      n += s.lookups.load(std::memory_order_relaxed);
    return n;
  }
  void Stop() {
    stop_ = true;
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }

 private:
  std::vector<ReaderSlot> slots_;
  std::vector<ReaderOptions> options_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> quiescent_{true};
  std::vector<std::thread> threads_;
};

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

// What the readers did over a window: lookups/s, and the share of their
// cores they had (1.0: never preempted).
struct Window {
  double lookups_per_s = 0, cpu_share = 0;
  uint64_t lookups = 0;
  double seconds = 0;
};

class WindowTimer {
 public:
  explicit WindowTimer(const Readers& r)
      : r_(r),
        c0_(r.Count()),
        cpu0_(r.CpuSeconds()),
        t0_(std::chrono::steady_clock::now()) {}
  Window End() const {
    const double s = Seconds(t0_);
    const uint64_t n = r_.Count() - c0_;
    return {n / s, (r_.CpuSeconds() - cpu0_) / s / r_.size(), n, s};
  }

 private:
  const Readers& r_;
  uint64_t c0_;
  double cpu0_;
  std::chrono::steady_clock::time_point t0_;
};

// Readers alone (no writer) over `seconds`.
Window ReaderRate(const Readers& readers, double seconds) {
  WindowTimer w(readers);
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  return w.End();
}

struct Row {
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

struct Input {
  std::vector<Ipv4Prefix> prefixes;
  ChurnState state;
  std::vector<Ipv4Address> probes;  // filled per stream
};

absl::StatusOr<Input> MakeInput(const RouteSet& set, size_t sample,
                                uint64_t seed) {
  RouteSet s = sample > 0 && sample < set.prefixes.size()
                   ? Sample(set, sample, seed)
                   : set;
  absl::StatusOr<std::vector<NextHopId>> block = AssignNextHops(s, "block:16");
  if (!block.ok()) return block.status();
  Input in;
  in.state = TableState(s.prefixes, *block);
  in.prefixes = std::move(s.prefixes);
  return in;
}

// Idle share of all CPUs over `seconds` (/proc/stat), or 1 if unknown.
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

// Waits until nothing else runs on the machine (this process is idle
// here), within the run's --quiet_wait budget; adds the wait to `waited`.
void WaitForQuietMachine(double& waited) {
  static double budget = absl::GetFlag(FLAGS_quiet_wait);
  while (budget > 0) {
    const auto t0 = std::chrono::steady_clock::now();
    const bool quiet = IdleShare(0.5) >= 0.9;
    const double s = Seconds(t0);
    budget -= s;
    if (quiet) return;
    waited += s;
    std::this_thread::sleep_for(std::chrono::seconds(2));
    budget -= 2;
    waited += 2;
  }
}

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

absl::StatusOr<LoadedRep> ReplayBesideReaders(
    ChurnEngine& engine, const Input& input, std::span<const ChurnEvent> events,
    const std::vector<std::vector<Ipv4Address>>& traffic, int rep) {
  const double idle = absl::GetFlag(FLAGS_idle_time);
  LoadedRep out;
  ChurnState state = input.state;
  if (absl::Status s = BuildFromRib(state, engine); !s.ok()) return s;
  Readers readers(engine, traffic, absl::GetFlag(FLAGS_batch));
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

void AddLoaded(const LoadedRep& m, Row& row) {
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
absl::Status CheckAgainstFreshBuild(ChurnEngine& engine, const Input& input,
                                    std::span<const ChurnEvent> events,
                                    ChurnState& state) {
  if (absl::GetFlag(FLAGS_break_fib_for_test)) {
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

absl::Status RunEngine(ChurnEngine& engine, const Input& input,
                       std::span<const ChurnEvent> events,
                       const std::vector<std::vector<Ipv4Address>>& traffic,
                       Row& row) {
  const int reps = absl::GetFlag(FLAGS_repetitions);
  const bool with_readers = engine.concurrent_readers() && !traffic.empty();
  row.readers = with_readers ? static_cast<int>(traffic.size()) : 0;
  for (int rep = 0; rep < reps; ++rep) {
    std::cerr << "  .. " << engine.name() << " repetition " << rep + 1 << "\n";
    if (with_readers) {
      for (int attempt = 0;; ++attempt) {
        WaitForQuietMachine(row.waited_s);
        absl::StatusOr<LoadedRep> m =
            ReplayBesideReaders(engine, input, events, traffic, rep);
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
      WaitForQuietMachine(row.waited_s);
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
    if (rep == 0 && absl::GetFlag(FLAGS_check)) {
      if (absl::Status s = CheckAgainstFreshBuild(engine, input, events, state);
          !s.ok()) {
        row.check = "NO";
        return s;
      }
      row.check = "yes";
    }
  }
  return absl::OkStatus();
}

std::string Fmt(double v, const char* spec = "%.2f") {
  return absl::StrFormat(spec, v);
}

void PrintRows(const std::vector<Row>& rows) {
  auto m = [](const std::vector<double>& v, const char* spec,
              double scale = 1) {
    return v.empty() ? std::string("-") : Fmt(Median(v) / scale, spec);
  };
  std::printf("%-26s %-8s %-16s %8s %8s | %8s %9s %9s | %9s %9s %6s | %s\n",
              "updates", "engine", "table", "events", "fib_chg", "1core_s",
              "events/s", "fibchg/s", "events/s", "fibchg/s", "wr_cpu",
              "check");
  std::printf("%-26s %-8s %-16s %8s %8s | %28s | %26s |\n", "", "", "", "", "",
              "one core, no readers", "beside the readers");
  for (const Row& r : rows) {
    std::printf(
        "%-26s %-8s %-16s %8llu %8llu | %8s %8sM %8sM | %8sM %8sM %6s | %s\n",
        r.stream.c_str(), r.engine.c_str(), r.base.c_str(),
        static_cast<unsigned long long>(r.events),
        static_cast<unsigned long long>(r.fib_changes),
        m(r.alone_s, "%.3f").c_str(),
        Fmt(r.events / Median(r.alone_s) / 1e6, "%.3f").c_str(),
        m(r.alone_fib_per_s, "%.3f", 1e6).c_str(),
        m(r.loaded_events_per_s, "%.3f", 1e6).c_str(),
        m(r.loaded_fib_per_s, "%.3f", 1e6).c_str(),
        m(r.writer_cpu, "%.2f").c_str(), r.check.c_str());
  }
  std::printf(
      "\n%-26s %-8s %3s | %8s %8s %8s %6s %6s %6s | %5s %7s %7s %7s %8s "
      "%8s | %8s %8s %6s\n",
      "readers (M lookups/s)", "engine", "rd", "before", "after", "w/writer",
      "ratio", "cpu_a", "cpu_w", "GPs", "mean_us", "p50_us", "p99_us", "max_us",
      "pend_KiB", "no_QS", "QS", "QS/no");
  for (const Row& r : rows) {
    if (r.readers == 0) continue;
    const double on = Median(r.qs_on), off = Median(r.qs_off);
    std::printf(
        "%-26s %-8s %3d | %8s %8s %8s %6s %6s %6s | %5s %7s %7s %7s %8s %8s "
        "| %8.1f %8.1f %6.3f\n",
        r.stream.c_str(), r.engine.c_str(), r.readers,
        m(r.idle_lookups, "%.1f", 1e6).c_str(),
        m(r.after_lookups, "%.1f", 1e6).c_str(),
        m(r.busy_lookups, "%.1f", 1e6).c_str(), m(r.ratio, "%.2f").c_str(),
        m(r.idle_cpu, "%.2f").c_str(), m(r.busy_cpu, "%.2f").c_str(),
        m(r.grace_periods, "%.0f").c_str(), m(r.gp_us, "%.1f").c_str(),
        m(r.gp_p50_us, "%.1f").c_str(), m(r.gp_p99_us, "%.1f").c_str(),
        m(r.gp_max_us, "%.0f").c_str(), m(r.max_pending_kib, "%.0f").c_str(),
        off / 1e6, on / 1e6, off > 0 ? on / off : 0);
  }
}

absl::Status WriteJson(const std::vector<Row>& rows, const std::string& path) {
  nlohmann::json j = nlohmann::json::array();
  for (const Row& r : rows) {
    auto med = [](const std::vector<double>& v) -> nlohmann::json {
      if (v.empty()) return nullptr;
      return Median(v);
    };
    j.push_back({{"stream", r.stream},
                 {"engine", r.engine},
                 {"table", r.base},
                 {"readers", r.readers},
                 {"events", r.events},
                 {"fib_changes", r.fib_changes},
                 {"one_core_s", med(r.alone_s)},
                 {"fib_changes_per_s_alone", med(r.alone_fib_per_s)},
                 {"events_per_s_with_readers", med(r.loaded_events_per_s)},
                 {"fib_changes_per_s_with_readers", med(r.loaded_fib_per_s)},
                 {"lookups_per_s_idle", med(r.idle_lookups)},
                 {"lookups_per_s_after", med(r.after_lookups)},
                 {"lookups_per_s_busy", med(r.busy_lookups)},
                 {"busy_over_idle", med(r.ratio)},
                 {"grace_periods", med(r.grace_periods)},
                 {"grace_period_us", med(r.gp_us)},
                 {"grace_period_p50_us", med(r.gp_p50_us)},
                 {"grace_period_p99_us", med(r.gp_p99_us)},
                 {"grace_period_max_us", med(r.gp_max_us)},
                 {"max_pending_kib", med(r.max_pending_kib)},
                 {"reader_cpu_share_idle", med(r.idle_cpu)},
                 {"reader_cpu_share_busy", med(r.busy_cpu)},
                 {"writer_cpu_share", med(r.writer_cpu)},
                 {"lookups_per_s_no_quiescent", med(r.qs_off)},
                 {"lookups_per_s_quiescent", med(r.qs_on)},
                 {"repetitions_retried", r.retried},
                 {"repetitions_contended", r.contended},
                 {"waited_for_quiet_s", r.waited_s},
                 {"check", r.check}});
  }
  FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr)
    return absl::NotFoundError(absl::StrCat("cannot write ", path));
  const std::string text = j.dump(2);
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
  return absl::OkStatus();
}

std::string Basename(const std::string& path) {
  return path.substr(path.find_last_of('/') + 1);
}

int Main(const std::vector<std::string>& files) {
  if (files.empty()) {
    return Fail(
        absl::InvalidArgumentError("no MRT update file given (e.g. "
                                   "bench/data/updates.et-header.2015.gz)"));
  }
  const int n_readers = absl::GetFlag(FLAGS_readers);
  const size_t batch = absl::GetFlag(FLAGS_batch);
  if (n_readers < 0 || n_readers > 63 || batch == 0 ||
      absl::GetFlag(FLAGS_addresses) < batch ||
      absl::GetFlag(FLAGS_repetitions) < 1) {
    return Fail(absl::InvalidArgumentError(
        "--readers must be 0..63, --batch positive and <= --addresses, "
        "--repetitions >= 1"));
  }
  absl::StatusOr<PageMode> page_mode =
      ParsePageMode(absl::GetFlag(FLAGS_pages));
  if (!page_mode.ok()) return Fail(page_mode.status());
  absl::StatusOr<PagePlan> pages = DecidePages(*page_mode);
  if (!pages.ok()) return Fail(pages.status());
  std::cerr << "churn-bench: pages: " << pages->summary << "\n";
  std::vector<std::unique_ptr<ChurnEngine>> engines;
  bool printed_eal = false;
  for (const std::string& name : absl::GetFlag(FLAGS_algos)) {
    if (name == "dir24_8") {
      engines.push_back(std::make_unique<NexthopChurnEngine<Dir24_8>>());
    } else if (name == "poptrie") {
      engines.push_back(std::make_unique<NexthopChurnEngine<Poptrie>>());
    } else if (name == "rte_fib" || name == "rte_lpm") {
      absl::StatusOr<std::unique_ptr<ChurnEngine>> e =
          MakeDpdkChurnEngine(name, std::max(n_readers, 1));
      if (!e.ok()) {
        std::cerr << "note: " << e.status().message() << "\n";
        continue;
      }
      if (!printed_eal) {
        std::cerr << "churn-bench: " << (*StartDpdk())->summary << "\n";
        printed_eal = true;
      }
      engines.push_back(*std::move(e));
    } else {
      return Fail(absl::InvalidArgumentError(absl::StrCat(
          "unknown engine '", name, "' (dir24_8, poptrie, rte_lpm, rte_fib)")));
    }
  }

  {
    // StartDpdk gives back the CPUs that rte_eal_init takes (dpdk_eal.h).
    cpu_set_t now;
    if (sched_getaffinity(0, sizeof(now), &now) == 0) {
      std::cerr << "churn-bench: running on " << CPU_COUNT(&now) << " CPU(s)\n";
    }
  }

  // Every stream decoded before anything runs, so a bad file fails at once.
  std::vector<ChurnStream> streams;
  for (const std::string& file : files) {
    absl::StatusOr<ChurnStream> stream = LoadChurnStream(file);
    if (!stream.ok()) return Fail(stream.status());
    std::cerr << "churn-bench: " << file << ": " << stream->mrt_events
              << " MRT events, " << stream->events.size()
              << " replayed (IPv4 announce/withdraw, peer down), "
              << stream->ipv6 << " IPv6 skipped, " << stream->other_skipped
              << " other skipped, " << stream->peers << " peers, decoded in "
              << Fmt(stream->decode_s, "%.3f") << " s\n";
    streams.push_back(*std::move(stream));
  }

  absl::StatusOr<RouteSet> set =
      LoadRouteSet(absl::GetFlag(FLAGS_table), RouteFormat::kAuto);
  if (!set.ok()) return Fail(set.status());
  const uint64_t seed = absl::GetFlag(FLAGS_seed);
  absl::StatusOr<Input> full =
      MakeInput(*set, absl::GetFlag(FLAGS_base_prefixes), seed);
  if (!full.ok()) return Fail(full.status());
  std::optional<Input> small;  // rte_lpm's

  // Reader traffic, one sample per reader, over the full table.
  const size_t n_addr = absl::GetFlag(FLAGS_addresses) / batch * batch;
  std::vector<std::vector<Ipv4Address>> traffic;
  for (int t = 0; t < n_readers; ++t) {
    absl::StatusOr<std::vector<Ipv4Address>> a = MakeTraffic(
        *set, absl::GetFlag(FLAGS_traffic), n_addr, seed * 1000 + t);
    if (!a.ok()) return Fail(a.status());
    traffic.push_back(*std::move(a));
  }

  std::vector<Row> rows;
  for (const ChurnStream& stream : streams) {
    for (auto& engine : engines) {
      const bool is_lpm = engine->name() == "rte_lpm";
      if (is_lpm && !small) {
        absl::StatusOr<Input> in =
            MakeInput(*set, absl::GetFlag(FLAGS_rte_lpm_base), seed);
        if (!in.ok()) return Fail(in.status());
        small = *std::move(in);
      }
      const Input& input = is_lpm ? *small : *full;
      std::span<const ChurnEvent> events = stream.events;
      if (is_lpm) {
        events = events.first(
            std::min(events.size(), absl::GetFlag(FLAGS_rte_lpm_events)));
      }
      Row row;
      row.stream = Basename(stream.path);
      row.engine = engine->name();
      row.base = absl::StrCat(input.prefixes.size(), " prefixes");
      if (absl::Status s = RunEngine(*engine, input, events, traffic, row);
          !s.ok()) {
        return Fail(s);
      }
      rows.push_back(std::move(row));
    }
  }
  std::printf(
      "churn-bench: table %s as the pseudo-peer (paths rank last); %d reader "
      "thread(s), %s traffic, bursts of %zu; medians of %d repetitions\n",
      absl::GetFlag(FLAGS_table).c_str(), n_readers,
      absl::GetFlag(FLAGS_traffic).c_str(), batch,
      absl::GetFlag(FLAGS_repetitions));
  PrintRows(rows);
  for (const Row& r : rows) {
    if (r.retried > 0 || r.contended > 0 || r.waited_s > 0) {
      std::printf(
          "note: %s on %s: waited %.0f s for other processes; %d "
          "repetition(s) run again because another process took part of a "
          "reader's or the writer's core; %d kept so (rates understated)\n",
          r.engine.c_str(), r.stream.c_str(), r.waited_s, r.retried,
          r.contended);
    }
  }
  if (!absl::GetFlag(FLAGS_json).empty()) {
    if (absl::Status s = WriteJson(rows, absl::GetFlag(FLAGS_json)); !s.ok()) {
      return Fail(s);
    }
  }
  return 0;
}

}  // namespace
}  // namespace nexthop::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "churn-bench [--algos dir24_8,poptrie,rte_lpm,rte_fib] [--readers 1] "
      "MRT_FILE...");
  std::vector<char*> rest = absl::ParseCommandLine(argc, argv);
  std::vector<std::string> files(rest.begin() + 1, rest.end());
  return nexthop::bench::Main(files);
}
