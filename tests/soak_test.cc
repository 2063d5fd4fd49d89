// Soak: a seeded, time-bounded mix of route updates, lookups, neighbour
// changes and forwarded frames, every answer checked against the golden
// table and a plain map of neighbours. CI runs it for a few seconds;
// NEXTHOP_SOAK_SECONDS and NEXTHOP_SOAK_SEED make it run longer or
// replay a failure (the seed is printed on every failure). A second case
// runs the concurrency proof (one writer beside lock-free readers) longer.
#include <chrono>
#include <cstdlib>
#include <map>
#include <random>

#include "absl/strings/str_join.h"
#include "arp/neighbor_cache.h"
#include "fwd/forwarding_plane.h"
#include "gtest/gtest.h"
#include "lpm/dir24_8.h"
#include "lpm/dxr6.h"
#include "lpm/patricia_trie.h"
#include "lpm/poptrie.h"
#include "lpm/poptrie6.h"
#include "net/clock.h"
#include "net/ethernet.h"
#include "rcu/urcu_qsbr.h"
#include "tests/checked_churn.h"
#include "tests/golden_table.h"

namespace nexthop {
namespace {

double EnvOr(const char* name, double fallback) {
  const char* v = std::getenv(name);
  return v ? std::atof(v) : fallback;
}

constexpr int kHops = 64;

TEST(SoakTest, UpdatesLookupsNeighboursAndForwardingAgreeWithGolden) {
  const double seconds = EnvOr("NEXTHOP_SOAK_SECONDS", 3);
  const uint64_t seed = static_cast<uint64_t>(EnvOr("NEXTHOP_SOAK_SEED", 1));
  SCOPED_TRACE(::testing::Message() << "NEXTHOP_SOAK_SEED=" << seed);
  std::mt19937_64 rng(seed);

  Poptrie pop;
  Dir24_8 dir(/*max_groups=*/2048);
  PatriciaTrie pat;
  testing::GoldenTable golden;
  ManualClock clock;
  NeighborConfig nc;
  nc.seed = seed | 1;
  NeighborCache neighbors(&clock, nc);
  std::map<uint32_t, MacAddress> golden_neighbors;

  std::vector<Adjacency> adjacency(kHops);
  for (int h = 0; h < kHops; ++h) {
    adjacency[h] = {static_cast<uint16_t>(1 + h % 3), h % 5 == 0,
                    Ipv4Address(0x0AFF0000u + static_cast<uint32_t>(h) + 1),
                    MacAddress()};
  }
  std::vector<Port> ports(4);
  for (int p = 0; p < 4; ++p)
    ports[p] = {MacAddress::FromUint64(0x02bb00000000ull + p), 1500};
  const std::vector<Ipv4Address> local = {Ipv4Address(0x0AFE0001u)};
  ForwardingPlane<Poptrie> plane({&pop, adjacency, ports, &neighbors, local});

  // Addresses cluster in a few /8s so that prefixes nest.
  const uint32_t hot[] = {0x0A000000, 0x0B000000, 0xC0000000};
  auto address = [&] {
    return (hot[rng() % 3] & 0xFF000000u) |
           static_cast<uint32_t>(rng() & 0x00FFFFFF);
  };
  std::vector<Ipv4Prefix> pool;
  while (pool.size() < 20000) {
    const int len = 8 + static_cast<int>(rng() % 25);
    pool.push_back(Ipv4Prefix::Canonical(Ipv4Address(address()), len));
  }

  const auto deadline =
      std::chrono::steady_clock::now() +
      std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  uint64_t ops = 0, forwarded = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    for (int step = 0; step < 500; ++step, ++ops) {
      const int what = static_cast<int>(rng() % 100);
      if (what < 30) {  // route insert or erase
        const Ipv4Prefix p = pool[rng() % pool.size()];
        if (golden.Contains(p) && rng() % 2) {
          ASSERT_TRUE(pop.Erase(p).ok());
          ASSERT_TRUE(dir.Erase(p).ok());
          ASSERT_TRUE(pat.Erase(p).ok());
          golden.Erase(p);
        } else {
          const NextHopId nh = static_cast<NextHopId>(rng() % kHops);
          const absl::Status d = dir.Insert(p, nh);
          if (d.code() == absl::StatusCode::kResourceExhausted) continue;
          ASSERT_TRUE(d.ok()) << d;
          ASSERT_TRUE(pop.Insert(p, nh).ok());
          ASSERT_TRUE(pat.Insert(p, nh).ok());
          golden.Insert(p, nh);
        }
      } else if (what < 40) {  // a neighbour appears or goes
        const int h = static_cast<int>(rng() % kHops);
        const Ipv4Address gw = adjacency[h].gateway;
        MacAddress now;
        if (golden_neighbors.count(gw.value()) && rng() % 2) {
          ASSERT_TRUE(neighbors.Delete(gw).ok());
          golden_neighbors.erase(gw.value());
        } else {
          now = MacAddress::FromUint64(0x02aa00000000ull | (rng() & 0xFFFFFF));
          ASSERT_TRUE(neighbors.AddPermanent(gw, now).ok());
          golden_neighbors[gw.value()] = now;
        }
        // Odd next hops keep the gateway's MAC in their adjacency, as a
        // control plane would; even ones make the fast path ask the cache.
        if (h % 2 == 1) adjacency[h].mac = now;
      } else if (what < 70) {  // lookups
        const Ipv4Address a(rng() % 4 ? address()
                                      : static_cast<uint32_t>(rng()));
        const std::optional<LpmMatch<Ipv4>> want = golden.LookupMatch(a);
        ASSERT_EQ(pop.LookupMatch(a), want) << a.ToString();
        ASSERT_EQ(dir.LookupMatch(a), want) << a.ToString();
        ASSERT_EQ(pat.LookupMatch(a), want) << a.ToString();
      } else {  // a frame through the fast path
        const Ipv4Address d(address());
        std::vector<uint8_t> f =
            BuildFrame(ports[0].mac, MacAddress::FromUint64(0x02cc00000001ull),
                       kEtherTypeIpv4,
                       BuildIpv4(Ipv4Address(0xC0A80001u), d, kProtoIcmp, 64, 1,
                                 true, std::vector<uint8_t>(26)));
        std::span<uint8_t> s(f);
        Verdict v;
        plane.ProcessBurst(std::span<const std::span<uint8_t>>(&s, 1),
                           std::span<Verdict>(&v, 1));
        const NextHopId nh = golden.Lookup(d);
        if (nh == kNoRoute) {
          ASSERT_EQ(v.kind, Verdict::Kind::kSlowPath);
          ASSERT_EQ(v.reason, DropReason::kNoRoute);
          continue;
        }
        const Adjacency& adj = adjacency[nh];
        const Ipv4Address neighbor = adj.on_link ? d : adj.gateway;
        auto known = golden_neighbors.find(neighbor.value());
        if (known == golden_neighbors.end()) {
          ASSERT_EQ(v.kind, Verdict::Kind::kSlowPath) << d.ToString();
          ASSERT_EQ(v.neighbor, neighbor);
          continue;
        }
        ASSERT_EQ(v.kind, Verdict::Kind::kForward) << d.ToString();
        ASSERT_EQ(v.port, adj.port);
        EthernetHeader eth;
        ASSERT_TRUE(ParseEthernet(f, &eth));
        ASSERT_EQ(eth.dst, known->second);
        ASSERT_EQ(eth.src, ports[adj.port].mac);
        Ipv4View ip;
        ASSERT_EQ(ParseIpv4(std::span<const uint8_t>(f).subspan(14), &ip),
                  DropReason::kNone);
        ASSERT_EQ(ip.ttl, 63);
        ++forwarded;
      }
    }
    ASSERT_EQ(pop.size(), golden.size());
    ASSERT_EQ(dir.size(), golden.size());
  }
  ASSERT_TRUE(pop.CheckInvariants().ok()) << pop.CheckInvariants();
  ASSERT_TRUE(dir.CheckInvariants().ok()) << dir.CheckInvariants();
  ASSERT_TRUE(pat.CheckInvariants().ok()) << pat.CheckInvariants();
  std::printf("soak: %llu operations, %llu frames forwarded, seed %llu\n",
              static_cast<unsigned long long>(ops),
              static_cast<unsigned long long>(forwarded),
              static_cast<unsigned long long>(seed));
  EXPECT_GT(forwarded, 0u);
}

// The concurrency issue's proof, longer: one writer replaying the checked
// churn (tests/checked_churn.h) beside reader threads on liburcu QSBR, for
// each forwarding structure of both families, with the default reclaim
// budget (the stress test uses a 4 KiB one). NEXTHOP_SOAK_SECONDS sets how
// long each runs (CI: 1 s a structure).
class SoakReaderSide {
 public:
  SoakReaderSide() { UrcuQsbr::RegisterThread(); }
  ~SoakReaderSide() { UrcuQsbr::UnregisterThread(); }
  void Quiescent() { UrcuQsbr::QuiescentState(); }
};

template <typename T>
void SoakConcurrent() {
  using F = typename T::Family;
  const testing::ChurnWorkload<F>& w = testing::TheChurnWorkload<F>(SIZE_MAX);
  T t;
  t.SetGracePeriod(&UrcuQsbr::Instance());
  const testing::CheckedChurnResult r =
      testing::RunCheckedChurn(t, w, EnvOr("NEXTHOP_SOAK_SECONDS", 3) / 3, 2,
                               [](int) { return SoakReaderSide(); });
  ASSERT_TRUE(r.failed.ok()) << T::kName << ": " << r.failed;
  EXPECT_EQ(r.wrong, 0u) << T::kName << "\n" << absl::StrJoin(r.reports, "\n");
  EXPECT_GT(r.applied, 100u) << T::kName;
  std::cout << T::kName << ": " << r.applied << " updates beside 2 readers, "
            << r.checked << " answers checked, " << r.wrong << " wrong\n";
}

TEST(SoakTest, OneWriterBesideReadersStaysCorrect) {
  SoakConcurrent<Dir24_8>();
  SoakConcurrent<Poptrie>();
  SoakConcurrent<Poptrie6>();
  SoakConcurrent<Dxr6>();
}

}  // namespace
}  // namespace nexthop
