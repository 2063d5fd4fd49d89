#include "tests/checked_churn.h"

#include <map>

#include "tests/golden_table.h"
#include "tests/test_data.h"

namespace nexthop::testing {
namespace {

NextHopId HopFor(uint64_t x) { return static_cast<NextHopId>(x % 1000); }

// What differs between the families: the real prefixes, a random address
// inside a prefix, a new longer prefix inside one, and traffic anywhere
// (IPv6: the announced 2000::/3).
const std::vector<Ipv4Prefix>& RealPrefixes(Ipv4) {
  return RealTablePrefixes();
}
const std::vector<Ipv6Prefix>& RealPrefixes(Ipv6) {
  return RealTableIpv6Prefixes();
}
Ipv4Address Inside(const Ipv4Prefix& p, std::mt19937_64& rng) {
  return Ipv4Address(p.network().value() |
                     (static_cast<uint32_t>(rng()) & ~MaskBits(p.length())));
}
Ipv6Address Inside(const Ipv6Prefix& p, std::mt19937_64& rng) {
  const auto [mhi, mlo] = Ipv6MaskBits(p.length());
  return Ipv6Address::FromHalves(p.network().hi() | (rng() & ~mhi),
                                 p.network().lo() | (rng() & ~mlo));
}
// /25-/32 (IPv4); for IPv6 1-16 bits longer, as deaggregated /48s and the
// rare longer routes are.
Ipv4Prefix LongerInside(const Ipv4Prefix& p, std::mt19937_64& rng) {
  return Ipv4Prefix::Canonical(Inside(p, rng),
                               25 + static_cast<int>(rng() % 8));
}
Ipv6Prefix LongerInside(const Ipv6Prefix& p, std::mt19937_64& rng) {
  return Ipv6Prefix::Canonical(
      Inside(p, rng),
      std::min(128, p.length() + 1 + static_cast<int>(rng() % 16)));
}
// IPv6 only: routes of /16-/20 over real prefixes, which rewrite direct
// entries and rebuild every populated chunk under them in one update (the
// bundled IPv6 table has 18 such routes of 160,147: the random picks would
// hardly ever churn one). IPv4's churn is left as it was.
void AddShort(const std::vector<Ipv4Prefix>&, std::mt19937_64&,
              std::vector<Ipv4Prefix>*) {}
void AddShort(const std::vector<Ipv6Prefix>& real, std::mt19937_64& rng,
              std::vector<Ipv6Prefix>* churn) {
  for (int i = 0; i < 30; ++i) {
    churn->push_back(Ipv6Prefix::Canonical(real[rng() % real.size()].network(),
                                           16 + static_cast<int>(rng() % 5)));
  }
}

Ipv4Address Anywhere(Ipv4, std::mt19937_64& rng) {
  return Ipv4Address(static_cast<uint32_t>(rng()));
}
Ipv6Address Anywhere(Ipv6, std::mt19937_64& rng) {
  return Ipv6Address::FromHalves((rng() >> 3) | (uint64_t{1} << 61), rng());
}

template <typename F>
const ChurnWorkload<F>* Build(size_t base_count) {
  auto* w = new ChurnWorkload<F>;
  std::mt19937_64 rng(20261129);
  BasicGoldenTable<F> golden;
  for (const auto& p : RealPrefixes(F{})) {
    if (w->base.size() == base_count) break;
    if (golden.Contains(p)) continue;
    w->base.push_back(p);
    w->base_hops.push_back(HopFor(rng()));
    golden.Insert(p, w->base_hops.back());
  }
  const auto& real = w->base;
  // The prefixes the writer churns: real ones (erased, changed, put back)
  // and new longer ones inside real ones.
  std::vector<typename F::Prefix> churn;
  for (int i = 0; i < 1500; ++i) churn.push_back(real[rng() % real.size()]);
  for (int i = 0; i < 1500; ++i) {
    churn.push_back(LongerInside(real[rng() % real.size()], rng));
  }
  AddShort(real, rng, &churn);
  // Probes: in each churned prefix, and anywhere.
  for (const auto& p : churn) {
    w->probes.push_back(p.network());
    w->probes.push_back(Inside(p, rng));
  }
  for (int i = 0; i < 2000; ++i) w->probes.push_back(Anywhere(F{}, rng));
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
    ChurnStep<F> s{churn[c], HopFor(rng())};
    if (golden.Contains(s.prefix) && rng() % 2 == 0) s.next_hop.reset();
    if (s.next_hop) {
      golden.Insert(s.prefix, *s.next_hop);
    } else {
      golden.Erase(s.prefix);
    }
    w->steps.push_back(s);
    for (uint32_t p : covers[c]) {
      std::optional<LpmMatch<F>> now = golden.LookupMatch(w->probes[p]);
      Timeline<F>& t = w->timelines[p];
      if (now != t.answers.back()) {
        t.from.push_back(k + 1);
        t.answers.push_back(now);
      }
    }
  }
  return w;
}

}  // namespace

template <typename F>
const ChurnWorkload<F>& TheChurnWorkload(size_t base_count) {
  // Never destroyed, so that LeakSanitizer still finds the workloads at
  // exit (a static map's destructor would run first).
  static std::mutex* mu = new std::mutex;
  static auto* built = new std::map<size_t, const ChurnWorkload<F>*>;
  std::lock_guard<std::mutex> lock(*mu);
  auto [it, inserted] = built->try_emplace(base_count, nullptr);
  if (inserted) it->second = Build<F>(base_count);
  return *it->second;
}

template const ChurnWorkload<Ipv4>& TheChurnWorkload<Ipv4>(size_t);
template const ChurnWorkload<Ipv6>& TheChurnWorkload<Ipv6>(size_t);

}  // namespace nexthop::testing
