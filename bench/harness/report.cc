#include "bench/harness/report.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"

namespace nexthop::bench {
namespace {

std::string Mlps(const Rate& r) {
  return r.median > 0 ? absl::StrFormat("%.1f", r.median / 1e6) : "-";
}
std::string Ratio(double x) { return x > 0 ? absl::StrFormat("%.2f", x) : "-"; }

nlohmann::json RateJson(const Rate& r) {
  return {{"median", r.median}, {"min", r.min}, {"max", r.max}};
}

absl::Status Written(std::ofstream& f, const std::string& path) {
  f.close();
  if (!f) return absl::InternalError(absl::StrCat(path, ": cannot write"));
  return absl::OkStatus();
}

}  // namespace

std::string FormatTables(const Report& r) {
  std::string out =
      absl::StrCat("machine: ", r.machine, "\nroute set: ", r.route_set, "\n");
  if (!r.page_plan.empty()) absl::StrAppend(&out, "pages: ", r.page_plan, "\n");
  if (!r.dpdk.empty()) absl::StrAppend(&out, "dpdk: ", r.dpdk, "\n");
  if (!r.pages.empty()) {
    absl::StrAppend(&out,
                    "\nmemory pages each engine ran on (read back from "
                    "/proc/self/smaps)\n");
    for (const PagesRow& p : r.pages) {
      absl::StrAppend(&out, absl::StrFormat("%-14s %-9s %s\n", p.engine,
                                            p.nexthops, p.pages));
    }
  }
  absl::StrAppend(&out, "\n");
  absl::StrAppend(
      &out,
      "lookups (Mlookups/s, median of repetitions, for the limits the "
      "fastest; spread = (max-min)/median of the batched rate; x = batched "
      "rate over rte_fib's and over the memory limit's, same traffic and "
      "threads; code = which lookup code ran: the limits' fastest read "
      "kernel, rte_fib's lookup)\n");
  absl::StrAppend(
      &out,
      absl::StrFormat("%-14s %-9s %-10s %3s %8s %8s %7s %7s %8s %8s %8s  %s\n",
                      "engine", "nexthops", "traffic", "thr", "single", "batch",
                      "ns/lkp", "spread", "x fib", "x memlim", "MiB", "code"));
  for (const LookupRow& l : r.lookups) {
    absl::StrAppend(
        &out,
        absl::StrFormat(
            "%-14s %-9s %-10s %3d %8s %8s %7.2f %6.0f%% %8s %8s %8.1f  %s\n",
            l.engine, l.nexthops, l.traffic, l.threads, Mlps(l.single),
            Mlps(l.batched), l.batched.median > 0 ? 1e9 / l.batched.median : 0,
            l.batched.spread() * 100, Ratio(l.x_rte_fib),
            Ratio(l.x_memory_limit), l.mib, l.detail));
  }
  for (const LookupRow& l : r.lookups) {
    if (l.threads > 1 && l.cpus > 0 && l.cpus < 0.9 * l.threads) {
      absl::StrAppend(
          &out,
          absl::StrFormat("note: %s %s %s, %d threads: they got %.2f CPUs on "
                          "average (another process?); the rate "
                          "understates scaling\n",
                          l.engine, l.nexthops, l.traffic, l.threads, l.cpus));
    }
  }
  if (!r.updates.empty()) {
    absl::StrAppend(
        &out,
        "\nbuild and updates (full route set; updates: erase and re-insert "
        "with a new next hop, then every answer checked)\n");
    absl::StrAppend(
        &out, absl::StrFormat("%-14s %-9s %9s %11s %14s %8s %8s\n", "engine",
                              "nexthops", "build s", "erase-all s", "updates/s",
                              "correct", "MiB"));
    for (const UpdateRow& u : r.updates) {
      absl::StrAppend(
          &out, absl::StrFormat("%-14s %-9s %9.3f %11s %14s %8s %8.1f\n",
                                u.engine, u.nexthops, u.build_s,
                                u.erase_all_s > 0
                                    ? absl::StrFormat("%.3f", u.erase_all_s)
                                    : std::string("-"),
                                u.updates_per_s > 0
                                    ? absl::StrFormat("%.0f", u.updates_per_s)
                                    : std::string("-"),
                                u.correct_after_updates ? "yes" : "NO", u.mib));
    }
  }
  if (!r.memory.empty()) {
    absl::StrAppend(
        &out,
        "\nmemory (full route set, MiB: the structure's own account; the "
        "process's RSS growth building it alone; Fib<structure>::Add of the "
        "routes as route records, one gateway per next hop: RSS and heap "
        "growth; the route table alone, heap)\n");
    absl::StrAppend(
        &out, absl::StrFormat("%-14s %-9s %9s %9s %9s %9s %11s %9s\n", "engine",
                              "nexthops", "structure", "alone RSS", "Fib RSS",
                              "Fib heap", "route table", "gateways"));
    for (const MemoryRow& m : r.memory) {
      absl::StrAppend(
          &out,
          absl::StrFormat("%-14s %-9s %9.1f %9.1f %9.1f %9.1f %11.1f %9d\n",
                          m.engine, m.nexthops, m.structure_mib,
                          m.alone_rss_mib, m.fib_rss_mib, m.fib_heap_mib,
                          m.routes_heap_mib, static_cast<int>(m.next_hops)));
    }
  }
  if (!r.scaling.empty()) {
    absl::StrAppend(&out, "\nscaling (", r.scaling_traffic,
                    " traffic, Mlookups/s single / batch, by table size)\n");
    std::set<size_t> sizes;
    std::map<std::string, std::map<size_t, const ScalingRow*>> by_engine;
    for (const ScalingRow& s : r.scaling) {
      sizes.insert(s.routes);
      by_engine[s.engine][s.routes] = &s;
    }
    absl::StrAppend(&out, absl::StrFormat("%-14s", "engine"));
    for (size_t n : sizes)
      absl::StrAppend(&out, absl::StrFormat(" %15s", absl::StrCat(n)));
    absl::StrAppend(&out, "\n");
    for (const auto& [engine, row] : by_engine) {
      absl::StrAppend(&out, absl::StrFormat("%-14s", engine));
      for (size_t n : sizes) {
        auto it = row.find(n);
        absl::StrAppend(
            &out,
            absl::StrFormat(" %15s",
                            it == row.end()
                                ? "-"
                                : absl::StrCat(Mlps(it->second->single), " / ",
                                               Mlps(it->second->batched))));
      }
      absl::StrAppend(&out, "\n");
    }
  }
  if (!r.disagreements.empty()) {
    absl::StrAppend(&out, "\ndisagreements with the reference (",
                    r.disagreements.size(), ")\n");
    for (const std::string& d : r.disagreements) absl::StrAppend(&out, d, "\n");
  }
  return out;
}

absl::Status WriteJson(const Report& r, const std::string& path) {
  nlohmann::json j;
  j["machine"] = r.machine;
  j["route_set"] = r.route_set;
  j["page_plan"] = r.page_plan;
  j["dpdk"] = r.dpdk;
  for (const PagesRow& p : r.pages) {
    j["pages"].push_back(
        {{"engine", p.engine}, {"nexthops", p.nexthops}, {"pages", p.pages}});
  }
  for (const LookupRow& l : r.lookups) {
    j["lookups"].push_back({{"family", l.family},
                            {"engine", l.engine},
                            {"nexthops", l.nexthops},
                            {"traffic", l.traffic},
                            {"threads", l.threads},
                            {"batch", l.batch},
                            {"single", RateJson(l.single)},
                            {"batched", RateJson(l.batched)},
                            {"x_rte_fib", l.x_rte_fib},
                            {"x_memory_limit", l.x_memory_limit},
                            {"mib", l.mib},
                            {"code", l.detail},
                            {"cpus", l.cpus}});
  }
  for (const UpdateRow& u : r.updates) {
    j["updates"].push_back({{"engine", u.engine},
                            {"nexthops", u.nexthops},
                            {"build_s", u.build_s},
                            {"erase_all_s", u.erase_all_s},
                            {"updates_per_s", u.updates_per_s},
                            {"correct_after_updates", u.correct_after_updates},
                            {"mib", u.mib}});
  }
  for (const MemoryRow& m : r.memory) {
    j["memory"].push_back({{"engine", m.engine},
                           {"nexthops", m.nexthops},
                           {"structure_mib", m.structure_mib},
                           {"alone_rss_mib", m.alone_rss_mib},
                           {"fib_rss_mib", m.fib_rss_mib},
                           {"fib_heap_mib", m.fib_heap_mib},
                           {"route_table_heap_mib", m.routes_heap_mib},
                           {"gateways", m.next_hops}});
  }
  for (const ScalingRow& s : r.scaling) {
    j["scaling"].push_back({{"family", s.family},
                            {"engine", s.engine},
                            {"routes", s.routes},
                            {"single", RateJson(s.single)},
                            {"batched", RateJson(s.batched)}});
  }
  j["disagreements"] = r.disagreements;
  std::ofstream f(path);
  f << j.dump(2) << "\n";
  return Written(f, path);
}

absl::Status WriteCsv(const Report& r, const std::string& path) {
  std::ofstream f(path);
  f << "kind,engine,nexthops,traffic,threads,routes,single_median,batched_"
       "median,"
       "batched_min,batched_max,x_rte_fib,x_memory_limit,mib,build_s,erase_all_"
       "s,"
       "updates_per_s\n";
  for (const LookupRow& l : r.lookups) {
    f << absl::StrJoin(
             {std::string("lookup"), l.engine, l.nexthops, l.traffic,
              absl::StrCat(l.threads), std::string(""),
              absl::StrCat(l.single.median), absl::StrCat(l.batched.median),
              absl::StrCat(l.batched.min), absl::StrCat(l.batched.max),
              absl::StrCat(l.x_rte_fib), absl::StrCat(l.x_memory_limit),
              absl::StrCat(l.mib), std::string(""), std::string(""),
              std::string("")},
             ",")
      << "\n";
  }
  for (const UpdateRow& u : r.updates) {
    f << "build," << u.engine << "," << u.nexthops << ",,,,,,,,,," << u.mib
      << "," << u.build_s << "," << u.erase_all_s << "," << u.updates_per_s
      << "\n";
  }
  for (const ScalingRow& s : r.scaling) {
    f << "scaling," << s.engine << ",," << r.scaling_traffic << ",1,"
      << s.routes << "," << s.single.median << "," << s.batched.median << ","
      << s.batched.min << "," << s.batched.max << ",,,,,,\n";
  }
  return Written(f, path);
}

namespace {

// One family's charts into `dir`: throughput<sfx>.png, memory<sfx>.png and
// scaling<sfx>.png (sfx "" for IPv4, "6" for IPv6); nothing when the
// report has no lookups of that family.
absl::Status WriteFamilyPlots(const Report& r, const std::string& dir,
                              int family) {
  const std::string sfx = family == 4 ? "" : "6";
  // Throughput: batched rate by engine and traffic, first next-hop model,
  // one thread.
  std::string nh;
  std::vector<std::string> traffics, engines;
  std::map<std::pair<std::string, std::string>, double> rate;
  std::map<std::string, double> mib;
  for (const LookupRow& l : r.lookups) {
    if (l.family != family) continue;
    if (nh.empty()) nh = l.nexthops;
    if (l.nexthops != nh || l.threads != 1) continue;
    if (std::find(traffics.begin(), traffics.end(), l.traffic) ==
        traffics.end()) {
      traffics.push_back(l.traffic);
    }
    if (std::find(engines.begin(), engines.end(), l.engine) == engines.end()) {
      engines.push_back(l.engine);
    }
    rate[{l.engine, l.traffic}] = l.batched.median / 1e6;
    mib[l.engine] = l.mib;
  }
  if (engines.empty()) return absl::OkStatus();
  const std::string base = dir + "/";
  {
    std::ofstream f(base + "throughput" + sfx + ".dat");
    f << "engine";
    for (const auto& t : traffics) f << " \"" << t << "\"";
    f << "\n";
    for (const auto& e : engines) {
      f << "\"" << e << "\"";
      for (const auto& t : traffics) f << " " << rate[{e, t}];
      f << "\n";
    }
    if (absl::Status s = Written(f, base + "throughput" + sfx + ".dat");
        !s.ok())
      return s;
  }
  {
    std::ofstream f(base + "memory" + sfx + ".dat");
    for (const auto& e : engines) f << "\"" << e << "\" " << mib[e] << "\n";
    if (absl::Status s = Written(f, base + "memory" + sfx + ".dat"); !s.ok())
      return s;
  }
  std::set<std::string> scaled;
  for (const ScalingRow& s : r.scaling) {
    if (s.family == family) scaled.insert(s.engine);
  }
  for (const std::string& e : scaled) {
    std::ofstream f(base + "scaling-" + e + ".dat");
    for (const ScalingRow& s : r.scaling) {
      if (s.engine == e) f << s.routes << " " << s.single.median / 1e6 << "\n";
    }
    if (absl::Status s = Written(f, base + "scaling-" + e + ".dat"); !s.ok())
      return s;
  }
  const std::string gp_path = base + "plots" + sfx + ".gp";
  const std::string word = family == 4 ? "IPv4" : "IPv6";
  std::ofstream gp(gp_path);
  gp << "set terminal pngcairo size 900,520 font 'sans,10' noenhanced\n"
     << "set datafile separator whitespace\n"
     << "set output '" << base << "throughput" << sfx << ".png'\n"
     << "set title 'Batched " << word << " lookups, " << r.route_set
     << ", next hops " << nh << ", 1 thread'\n"
     << "set ylabel 'million lookups/s'\nset style data histograms\n"
     << "set style histogram clustered gap 1\nset style fill solid 0.8 border "
        "-1\n"
     << "set key outside right\nset grid ytics\nset xtics rotate by -20\n"
     << "plot for [i=2:" << traffics.size() + 1 << "] '" << base << "throughput"
     << sfx << ".dat' using i:xtic(1) title columnheader(i)\n"
     << "set output '" << base << "memory" << sfx << ".png'\n"
     << "set title '" << word << " memory'\n"
     << "set ylabel 'MiB'\nunset key\n"
     << "plot '" << base << "memory" << sfx << ".dat' using 2:xtic(1)\n";
  if (!scaled.empty()) {
    gp << "set output '" << base << "scaling" << sfx << ".png'\n"
       << "set title 'Single " << word << " lookups by table size ("
       << r.scaling_traffic << " traffic)'\n"
       << "set style data linespoints\nset logscale xy\nset key inside top "
          "right\n"
       << "set xlabel 'routes'\nset ylabel 'million lookups/s'\nset xtics "
          "rotate by 0\nplot ";
    bool first = true;
    for (const std::string& e : scaled) {
      gp << (first ? "" : ", ") << "'" << base << "scaling-" << e
         << ".dat' using 1:2 title '" << e << "'";
      first = false;
    }
    gp << "\n";
  }
  if (absl::Status s = Written(gp, gp_path); !s.ok()) return s;
  const std::string cmd = absl::StrCat("gnuplot '", gp_path, "'");
  if (std::system(cmd.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat(
        "gnuplot failed or is missing (apt-get install gnuplot-nox): ", cmd));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status WritePlots(const Report& r, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::InternalError(absl::StrCat(dir, ": ", ec.message()));
  for (int family : {4, 6}) {
    if (absl::Status s = WriteFamilyPlots(r, dir, family); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace nexthop::bench
