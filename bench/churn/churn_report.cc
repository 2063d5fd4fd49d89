#include "bench/churn/churn_report.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"

namespace nexthop::bench {

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::string Fmt(double v, const char* spec) { return absl::StrFormat(spec, v); }

void PrintRows(const std::vector<ChurnRow>& rows) {
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
  for (const ChurnRow& r : rows) {
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
  for (const ChurnRow& r : rows) {
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

absl::Status WriteJson(const std::vector<ChurnRow>& rows,
                       const std::string& path) {
  nlohmann::json j = nlohmann::json::array();
  for (const ChurnRow& r : rows) {
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

}  // namespace nexthop::bench
