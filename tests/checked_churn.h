// One writer churning routes in a structure while reader threads look up at
// full speed, every answer checked against the answers legal for its
// address: the one before the lookup started, or one of those the writer's
// updates produced while it ran. Any other answer (a torn read, memory
// reused too early, a half-built node) is counted as wrong.
//
// The writer applies a precomputed churn (ChurnWorkload: inserts, next-hop
// changes and erases of real prefixes and of new longer ones inside them
// (IPv4: /25-/32s, which make Dir24_8 allocate and fold tbl8 groups and
// Poptrie rebuild chunks; IPv6: 1-16 bits longer) and
// publishes how many steps it has applied. For every probe address the
// golden table gives the timeline of its answers by step; a reader reads
// the step counter before and after a burst of lookups and checks each
// answer against the timeline between the two, then reports a quiescent
// state to whatever RCU the test attached (RunCheckedChurn's reader side).
// Used by tests/concurrency_test.cc (liburcu) and tests/dpdk_qsbr_test.cc
// (DPDK's rte_rcu_qsbr).
#ifndef NEXTHOP_TESTS_CHECKED_CHURN_H_
#define NEXTHOP_TESTS_CHECKED_CHURN_H_

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lpm/lpm.h"
#include "net/ipv6.h"

namespace nexthop::testing {

template <typename F>
struct ChurnStep {
  typename F::Prefix prefix;
  std::optional<NextHopId> next_hop;  // nullopt: erase
};

// What a probe's lookups may answer, by step: `answers[i]` holds from step
// `from[i]` on.
template <typename F>
struct Timeline {
  std::vector<uint32_t> from;
  std::vector<std::optional<LpmMatch<F>>> answers;
};

template <typename F>
struct ChurnWorkload {
  std::vector<typename F::Prefix> base;
  std::vector<NextHopId> base_hops;
  std::vector<ChurnStep<F>> steps;
  std::vector<typename F::Address> probes;
  std::vector<Timeline<F>> timelines;
};

// The first `base_count` distinct prefixes of the real table's family F
// (Ipv4 or Ipv6), and 400,000 churn steps on them. Built once per family
// and size per process (~1M golden lookups), never destroyed.
template <typename F>
const ChurnWorkload<F>& TheChurnWorkload(size_t base_count);

// Whether `accepts` takes one of the answers legal for a lookup that began
// after `s0` steps were published and ended before `s1 + 1` were: the
// writer may be inside step s1 + 1 while the reader runs, so that step's
// answer is legal too.
template <typename F, typename Fn>
bool AnyLegal(const Timeline<F>& t, uint32_t s0, uint32_t s1, Fn accepts) {
  // The last entry in force at s0, then every one that began by s1.
  size_t i =
      std::upper_bound(t.from.begin(), t.from.end(), s0) - t.from.begin() - 1;
  for (; i < t.from.size() && t.from[i] <= s1; ++i) {
    if (accepts(t.answers[i])) return true;
  }
  return false;
}

struct CheckedChurnResult {
  absl::Status failed;  // the first update the structure refused
  uint32_t applied = 0;
  uint64_t checked = 0;
  uint64_t wrong = 0;
  std::vector<std::string> reports;  // the first few wrong answers
};

// Inserts `w.base` into `t`, then runs `readers` reader threads against
// `w.steps` applied on this thread for up to `seconds`. Each reader calls
// `make_reader_side(id)` on its own thread and keeps the result (an RAII
// registration with the RCU under test) while it runs, calling its
// Quiescent() after each burst of 64 lookups; bursts rotate among Lookup,
// LookupBatch and LookupMatch.
template <typename T, typename MakeReaderSide>
CheckedChurnResult RunCheckedChurn(T& t,
                                   const ChurnWorkload<typename T::Family>& w,
                                   double seconds, int readers,
                                   MakeReaderSide make_reader_side) {
  using F = typename T::Family;
  CheckedChurnResult result;
  for (size_t i = 0; i < w.base.size(); ++i) {
    result.failed = t.Insert(w.base[i], w.base_hops[i]);
    if (!result.failed.ok()) return result;
  }
  std::atomic<uint32_t> published{0};
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> checked{0}, wrong{0};
  std::mutex report_mu;

  auto reader = [&](int id) {
    auto side = make_reader_side(id);
    std::mt19937_64 rng(id + 1);
    constexpr size_t kBurst = 64;
    std::vector<uint32_t> pick(kBurst);
    std::vector<typename F::Address> in(kBurst);
    std::vector<NextHopId> out(kBurst);
    std::vector<std::optional<LpmMatch<F>>> matches(kBurst);
    uint64_t local_checked = 0, local_wrong = 0;
    for (uint64_t round = 0; !stop.load(std::memory_order_relaxed); ++round) {
      for (size_t i = 0; i < kBurst; ++i) {
        pick[i] = static_cast<uint32_t>(rng() % w.probes.size());
        in[i] = w.probes[pick[i]];
      }
      const int mode = static_cast<int>(round % 3);
      const uint32_t s0 = published.load(std::memory_order_acquire);
      if (mode == 0) {
        for (size_t i = 0; i < kBurst; ++i) out[i] = t.Lookup(in[i]);
      } else if (mode == 1) {
        t.LookupBatch(in, out);
      } else {
        for (size_t i = 0; i < kBurst; ++i) matches[i] = t.LookupMatch(in[i]);
      }
      const uint32_t s1 = published.load(std::memory_order_acquire) + 1;
      for (size_t i = 0; i < kBurst; ++i) {
        const Timeline<F>& tl = w.timelines[pick[i]];
        const bool ok =
            mode == 2 ? AnyLegal(tl, s0, s1,
                                 [&](const auto& a) { return a == matches[i]; })
                      : AnyLegal(tl, s0, s1, [&](const auto& a) {
                          return (a ? a->next_hop : kNoRoute) == out[i];
                        });
        ++local_checked;
        if (!ok && ++local_wrong <= 3) {
          std::lock_guard<std::mutex> l(report_mu);
          result.reports.push_back(absl::StrCat(
              "reader ", id, " mode ", mode, ": ", in[i].ToString(),
              " answered ",
              mode == 2 ? (matches[i] ? matches[i]->prefix.ToString() : "miss")
                        : absl::StrCat(out[i]),
              " between steps ", s0, " and ", s1));
        }
      }
      side.Quiescent();
    }
    checked += local_checked;
    wrong += local_wrong;
  };

  std::vector<std::thread> threads;
  for (int i = 0; i < readers; ++i) threads.emplace_back(reader, i);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (result.applied < w.steps.size() &&
         std::chrono::steady_clock::now() < deadline) {
    const ChurnStep<F>& s = w.steps[result.applied];
    result.failed =
        s.next_hop ? t.Insert(s.prefix, *s.next_hop) : t.Erase(s.prefix);
    if (!result.failed.ok()) break;
    published.store(++result.applied, std::memory_order_release);
  }
  stop = true;
  for (std::thread& th : threads) th.join();
  result.checked = checked.load();
  result.wrong = wrong.load();
  return result;
}

}  // namespace nexthop::testing

#endif  // NEXTHOP_TESTS_CHECKED_CHURN_H_
