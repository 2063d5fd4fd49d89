// churn-bench: real BGP churn replayed into a multi-path RIB and a FIB
// while reader threads look up at full speed (README: "Churn: updates
// under load"). The full table enters the RIB as one pseudo-peer whose
// paths rank last; each MRT file's events are then replayed onto it.
// This file is the command line; the parts live in bench/churn/.
#include <sched.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "bench/churn/churn_engine.h"
#include "bench/churn/churn_input.h"
#include "bench/churn/churn_report.h"
#include "bench/churn/churn_stream.h"
#include "bench/churn/engine_run.h"
#include "bench/churn/quiet_machine.h"
#include "bench/harness/dpdk_eal.h"
#include "bench/harness/pages.h"
#include "bench/harness/workload.h"
#include "lpm/dir24_8.h"
#include "lpm/poptrie.h"

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
  absl::StatusOr<PagePlan> pages = DecidePages(absl::GetFlag(FLAGS_pages));
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
  absl::StatusOr<ChurnInput> full =
      MakeChurnInput(*set, absl::GetFlag(FLAGS_base_prefixes), seed);
  if (!full.ok()) return Fail(full.status());
  std::optional<ChurnInput> small;  // rte_lpm's

  // Reader traffic, one sample per reader, over the full table.
  const size_t n_addr = absl::GetFlag(FLAGS_addresses) / batch * batch;
  std::vector<std::vector<Ipv4Address>> traffic;
  for (int t = 0; t < n_readers; ++t) {
    absl::StatusOr<std::vector<Ipv4Address>> a = MakeTraffic(
        *set, absl::GetFlag(FLAGS_traffic), n_addr, seed * 1000 + t);
    if (!a.ok()) return Fail(a.status());
    traffic.push_back(*std::move(a));
  }

  QuietMachine quiet(absl::GetFlag(FLAGS_quiet_wait));
  EngineRunOptions run_options;
  run_options.repetitions = absl::GetFlag(FLAGS_repetitions);
  run_options.idle_s = absl::GetFlag(FLAGS_idle_time);
  run_options.batch = batch;
  run_options.check = absl::GetFlag(FLAGS_check);
  run_options.break_fib_for_test = absl::GetFlag(FLAGS_break_fib_for_test);
  run_options.quiet = &quiet;
  std::vector<ChurnRow> rows;
  for (const ChurnStream& stream : streams) {
    for (auto& engine : engines) {
      const bool is_lpm = engine->name() == "rte_lpm";
      if (is_lpm && !small) {
        absl::StatusOr<ChurnInput> in =
            MakeChurnInput(*set, absl::GetFlag(FLAGS_rte_lpm_base), seed);
        if (!in.ok()) return Fail(in.status());
        small = *std::move(in);
      }
      const ChurnInput& input = is_lpm ? *small : *full;
      std::span<const ChurnEvent> events = stream.events;
      if (is_lpm) {
        events = events.first(
            std::min(events.size(), absl::GetFlag(FLAGS_rte_lpm_events)));
      }
      ChurnRow row;
      row.stream = Basename(stream.path);
      row.engine = engine->name();
      row.base = absl::StrCat(input.prefixes.size(), " prefixes");
      if (absl::Status s =
              RunEngine(*engine, input, events, traffic, run_options, row);
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
  for (const ChurnRow& r : rows) {
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
