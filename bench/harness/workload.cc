#include "bench/harness/workload.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <random>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lpm/patricia_trie.h"

namespace nexthop::bench {
namespace {

uint64_t SplitMix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

absl::StatusOr<uint64_t> ModelNumber(const std::string& model,
                                     absl::string_view prefix) {
  uint64_t n = 0;
  if (!absl::SimpleAtoi(absl::string_view(model).substr(prefix.size()), &n) ||
      n == 0 || n > (1u << 24)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad model '", model, "': expected ", prefix, "N with N 1-16777216"));
  }
  return n;
}

Ipv4Address RandomIn(Ipv4Prefix p, std::mt19937_64& rng) {
  const uint32_t host = static_cast<uint32_t>(rng()) & ~p.mask().value();
  return Ipv4Address(p.network().value() | host);
}
Ipv6Address RandomIn(Ipv6Prefix p, std::mt19937_64& rng) {
  const auto [mhi, mlo] = Ipv6MaskBits(p.length());
  const uint64_t hi = rng(), lo = rng();
  return Ipv6Address::FromHalves(p.network().hi() | (hi & ~mhi),
                                 p.network().lo() | (lo & ~mlo));
}

// The announced unicast space: all of IPv4, IPv6's 2000::/3.
Ipv4Address Uniform(Ipv4, std::mt19937_64& rng) {
  return Ipv4Address(static_cast<uint32_t>(rng()));
}
Ipv6Address Uniform(Ipv6, std::mt19937_64& rng) {
  return RandomIn(
      Ipv6Prefix::Canonical(Ipv6Address::FromHalves(uint64_t{1} << 61, 0), 3),
      rng);
}

// What block:N hashes: the /16 (IPv4) or /32 (IPv6) a prefix sits in.
uint64_t Block(Ipv4Prefix p) { return p.network().value() >> 16; }
uint64_t Block(Ipv6Prefix p) { return p.network().hi() >> 32; }

// The distinct prefixes of `routes` (a prefix's first route wins) and
// their next hops as the file wrote them.
template <AddressFamily F, typename R>
BasicRouteSet<F> ToRouteSet(const std::string& path,
                            const std::vector<R>& routes) {
  BasicRouteSet<F> set;
  set.name = path.substr(path.find_last_of('/') + 1);
  absl::flat_hash_set<typename F::Prefix> seen;
  for (const R& route : routes) {
    if (!seen.insert(route.prefix).second) continue;
    set.prefixes.push_back(route.prefix);
    set.file_next_hops.push_back(route.next_hop.GatewayString() + "%" +
                                 route.next_hop.dev);
  }
  return set;
}

}  // namespace

absl::StatusOr<RouteSet> LoadRouteSet(const std::string& path,
                                      RouteFormat format) {
  absl::StatusOr<LoadResult> r =
      LoadRouteFile(path, LoadOptions{.format = format});
  if (!r.ok()) return r.status();
  return ToRouteSet<Ipv4>(path, r->routes);
}

absl::StatusOr<RouteSet6> LoadRouteSet6(const std::string& path,
                                        RouteFormat format) {
  absl::StatusOr<LoadResult> r =
      LoadRouteFile(path, LoadOptions{.format = format});
  if (!r.ok()) return r.status();
  if (r->routes6.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no IPv6 routes"));
  }
  return ToRouteSet<Ipv6>(path, r->routes6);
}

RouteSet SyntheticRouteSet(const RouteSet& model, size_t n, uint64_t seed) {
  // The model's length histogram, and how often a prefix of each length is
  // covered by a shorter one.
  std::array<double, 33> count{}, nested{};
  PatriciaTrie trie;
  for (const Ipv4Prefix& p : model.prefixes) trie.Insert(p, 0).IgnoreError();
  for (const Ipv4Prefix& p : model.prefixes) {
    count[p.length()] += 1;
    if (p.length() > 0 && trie.MatchNoLongerThan(p.network(), p.length() - 1)) {
      nested[p.length()] += 1;
    }
  }
  std::mt19937_64 rng(seed);
  std::discrete_distribution<int> length(count.begin(), count.end());
  std::vector<int> lengths(n);
  for (int& l : lengths) l = length(rng);
  std::sort(lengths.begin(), lengths.end());  // parents before children
  RouteSet out;
  out.name = absl::StrCat("synthetic:", n);
  absl::flat_hash_set<Ipv4Prefix> seen;
  std::vector<Ipv4Prefix> by_length[33];
  for (int len : lengths) {
    const double p_nested = count[len] > 0 ? nested[len] / count[len] : 0;
    for (int attempt = 0; attempt < 64; ++attempt) {
      Ipv4Prefix p;
      // Nest under a random shorter prefix already made, as often as the
      // model nests.
      int parent_len = -1;
      if (std::uniform_real_distribution<double>(0, 1)(rng) < p_nested) {
        for (int tries = 0; tries < 8 && parent_len < 0; ++tries) {
          const int l = static_cast<int>(rng() % std::max(len, 1));
          if (!by_length[l].empty()) parent_len = l;
        }
      }
      const Ipv4Address base =
          parent_len >= 0
              ? RandomIn(
                    by_length[parent_len][rng() % by_length[parent_len].size()],
                    rng)
              : Ipv4Address(static_cast<uint32_t>(rng()));
      p = Ipv4Prefix::Canonical(base, len);
      if (seen.insert(p).second) {
        out.prefixes.push_back(p);
        by_length[len].push_back(p);
        break;
      }
    }
  }
  std::shuffle(out.prefixes.begin(), out.prefixes.end(), rng);
  return out;
}

template <AddressFamily F>
BasicRouteSet<F> Sample(const BasicRouteSet<F>& set, size_t n, uint64_t seed) {
  BasicRouteSet<F> out;
  out.name = absl::StrCat(set.name, "[", n, "]");
  std::vector<size_t> idx(set.prefixes.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::mt19937_64 rng(seed);
  std::shuffle(idx.begin(), idx.end(), rng);
  idx.resize(std::min(n, idx.size()));
  for (size_t i : idx) {
    out.prefixes.push_back(set.prefixes[i]);
    if (!set.file_next_hops.empty())
      out.file_next_hops.push_back(set.file_next_hops[i]);
  }
  return out;
}

template <AddressFamily F>
absl::StatusOr<std::vector<NextHopId>> AssignNextHops(
    const BasicRouteSet<F>& set, const std::string& model) {
  std::vector<NextHopId> out(set.prefixes.size());
  if (absl::StartsWith(model, "rr:")) {
    absl::StatusOr<uint64_t> n = ModelNumber(model, "rr:");
    if (!n.ok()) return n.status();
    for (size_t i = 0; i < out.size(); ++i)
      out[i] = static_cast<NextHopId>(i % *n);
  } else if (absl::StartsWith(model, "block:")) {
    absl::StatusOr<uint64_t> n = ModelNumber(model, "block:");
    if (!n.ok()) return n.status();
    for (size_t i = 0; i < out.size(); ++i) {
      out[i] = static_cast<NextHopId>(SplitMix64(Block(set.prefixes[i])) % *n);
    }
  } else if (model == "file") {
    if (set.file_next_hops.empty()) {
      return absl::InvalidArgumentError(
          "next-hop model 'file': the route set has none");
    }
    absl::flat_hash_map<std::string, NextHopId> ids;
    for (size_t i = 0; i < out.size(); ++i) {
      out[i] = ids.try_emplace(set.file_next_hops[i],
                               static_cast<NextHopId>(ids.size()))
                   .first->second;
    }
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown next-hop model '", model, "' (rr:N, block:N or file)"));
  }
  return out;
}

template <AddressFamily F>
absl::StatusOr<std::vector<typename F::Address>> MakeTraffic(
    const BasicRouteSet<F>& set, const std::string& model, size_t n,
    uint64_t seed) {
  using Address = typename F::Address;
  std::mt19937_64 rng(seed);
  std::vector<Address> out;
  out.reserve(n);
  if (model == "uniform") {
    while (out.size() < n) out.push_back(Uniform(F{}, rng));
  } else if (model == "matched") {
    if (set.prefixes.empty())
      return absl::InvalidArgumentError("matched traffic needs routes");
    while (out.size() < n)
      out.push_back(RandomIn(set.prefixes[rng() % set.prefixes.size()], rng));
  } else if (absl::StartsWith(model, "zipf:")) {
    double s = 0;
    if (!absl::SimpleAtod(model.substr(5), &s) || s <= 0 || s > 10) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad model '", model, "': zipf:S, 0<S<=10"));
    }
    if (set.prefixes.empty())
      return absl::InvalidArgumentError("zipf traffic needs routes");
    // 2^16 flows ranked by popularity; flow k is drawn with weight 1/k^s.
    constexpr size_t kFlows = 1 << 16;
    std::vector<Address> flows(kFlows);
    for (auto& f : flows)
      f = RandomIn(set.prefixes[rng() % set.prefixes.size()], rng);
    std::vector<double> cdf(kFlows);
    double total = 0;
    for (size_t k = 0; k < kFlows; ++k)
      cdf[k] = total += 1 / std::pow(k + 1.0, s);
    std::uniform_real_distribution<double> u(0, total);
    while (out.size() < n) {
      const size_t k =
          std::lower_bound(cdf.begin(), cdf.end(), u(rng)) - cdf.begin();
      out.push_back(flows[std::min(k, kFlows - 1)]);
    }
  } else if (absl::StartsWith(model, "file:")) {
    const std::string path = model.substr(5);
    std::ifstream in(path);
    if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      absl::string_view text = absl::StripAsciiWhitespace(line);
      if (text.empty() || text[0] == '#') continue;
      absl::StatusOr<Address> a = Address::Parse(text);
      if (!a.ok())
        return absl::InvalidArgumentError(
            absl::StrCat(path, ":", number, ": ", a.status().message()));
      out.push_back(*a);
    }
    if (out.empty())
      return absl::InvalidArgumentError(absl::StrCat(path, ": no addresses"));
    // Repeat the file's addresses up to n so that timings are comparable.
    for (size_t i = 0; out.size() < n; ++i) out.push_back(out[i]);
    out.resize(n);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown traffic '", model,
                     "' (uniform, matched, zipf:S or file:PATH)"));
  }
  return out;
}

template RouteSet Sample(const RouteSet&, size_t, uint64_t);
template RouteSet6 Sample(const RouteSet6&, size_t, uint64_t);
template absl::StatusOr<std::vector<NextHopId>> AssignNextHops(
    const RouteSet&, const std::string&);
template absl::StatusOr<std::vector<NextHopId>> AssignNextHops(
    const RouteSet6&, const std::string&);
template absl::StatusOr<std::vector<Ipv4Address>> MakeTraffic(
    const RouteSet&, const std::string&, size_t, uint64_t);
template absl::StatusOr<std::vector<Ipv6Address>> MakeTraffic(
    const RouteSet6&, const std::string&, size_t, uint64_t);

}  // namespace nexthop::bench
