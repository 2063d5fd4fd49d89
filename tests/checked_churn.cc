#include "tests/checked_churn.h"

#include <map>

#include "tests/golden_table.h"
#include "tests/test_data.h"

namespace nexthop::testing {
namespace {

NextHopId HopFor(uint64_t x) { return static_cast<NextHopId>(x % 1000); }

const ChurnWorkload* Build(size_t base_count) {
  auto* w = new ChurnWorkload;
  std::mt19937_64 rng(20261129);
  GoldenTable golden;
  for (const Ipv4Prefix& p : RealTablePrefixes()) {
    if (w->base.size() == base_count) break;
    if (golden.Contains(p)) continue;
    w->base.push_back(p);
    w->base_hops.push_back(HopFor(rng()));
    golden.Insert(p, w->base_hops.back());
  }
  const std::vector<Ipv4Prefix>& real = w->base;
  // The prefixes the writer churns: real ones (erased, changed, put back)
  // and new long ones inside real /24s and shorter.
  std::vector<Ipv4Prefix> churn;
  for (int i = 0; i < 1500; ++i) churn.push_back(real[rng() % real.size()]);
  for (int i = 0; i < 1500; ++i) {
    const Ipv4Prefix& p = real[rng() % real.size()];
    const int len = 25 + static_cast<int>(rng() % 8);
    const uint32_t host =
        static_cast<uint32_t>(rng()) & ~MaskBits(std::max(p.length(), 0));
    churn.push_back(
        Ipv4Prefix::Canonical(Ipv4Address(p.network().value() | host), len));
  }
  // Probes: in each churned prefix, and anywhere.
  for (const Ipv4Prefix& p : churn) {
    const uint32_t span = ~MaskBits(p.length());
    w->probes.push_back(p.network());
    w->probes.push_back(Ipv4Address(p.network().value() |
                                    (static_cast<uint32_t>(rng()) & span)));
  }
  for (int i = 0; i < 2000; ++i)
    w->probes.push_back(Ipv4Address(static_cast<uint32_t>(rng())));
  // Which probes each churned prefix covers.
  std::vector<std::vector<uint32_t>> covers(churn.size());
  for (size_t c = 0; c < churn.size(); ++c) {
    for (size_t p = 0; p < w->probes.size(); ++p) {
      if (churn[c].Contains(w->probes[p]))
        covers[c].push_back(static_cast<uint32_t>(p));
    }
  }
  w->timelines.resize(w->probes.size());
  for (size_t p = 0; p < w->probes.size(); ++p) {
    w->timelines[p].from.push_back(0);
    w->timelines[p].answers.push_back(golden.LookupMatch(w->probes[p]));
  }
  constexpr uint32_t kSteps = 400000;
  for (uint32_t k = 0; k < kSteps; ++k) {
    const size_t c = rng() % churn.size();
    ChurnStep s{churn[c], HopFor(rng())};
    if (golden.Contains(s.prefix) && rng() % 2 == 0) s.next_hop.reset();
    if (s.next_hop) {
      golden.Insert(s.prefix, *s.next_hop);
    } else {
      golden.Erase(s.prefix);
    }
    w->steps.push_back(s);
    for (uint32_t p : covers[c]) {
      std::optional<LpmMatch<Ipv4>> now = golden.LookupMatch(w->probes[p]);
      Timeline& t = w->timelines[p];
      if (now != t.answers.back()) {
        t.from.push_back(k + 1);
        t.answers.push_back(now);
      }
    }
  }
  return w;
}

}  // namespace

const ChurnWorkload& TheChurnWorkload(size_t base_count) {
  // Never destroyed, so that LeakSanitizer still finds the workloads at
  // exit (a static map's destructor would run first).
  static std::mutex* mu = new std::mutex;
  static auto* built = new std::map<size_t, const ChurnWorkload*>;
  std::lock_guard<std::mutex> lock(*mu);
  auto [it, inserted] = built->try_emplace(base_count, nullptr);
  if (inserted) it->second = Build(base_count);
  return *it->second;
}

}  // namespace nexthop::testing
