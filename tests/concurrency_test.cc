// One writer churning routes on the full real table while reader threads
// look up at full speed, every answer checked against the answers that are
// legal for its address (tests/checked_churn.h says how): any other answer
// (a torn read, memory reused too early, a half-built node) fails the test.
// Readers report a quiescent state after each burst (liburcu QSBR), as a
// forwarding core does, and the structure reclaims memory only after a
// grace period. The same for Fib's route records and for the forwarding
// plane's tables. (tests/dpdk_qsbr_test.cc: the same churn with DPDK's
// rte_rcu_qsbr as the grace period.)
//
// CI runs it for a few seconds per structure, also under ThreadSanitizer
// (scripts/test-tsan.sh). NEXTHOP_STRESS_SECONDS runs it longer.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "fwd/forwarding_plane.h"
#include "gtest/gtest.h"
#include "lpm/structures.h"
#include "net/clock.h"
#include "net/ethernet.h"
#include "rib/fib.h"
#include "tests/checked_churn.h"
#include "tests/structure_types.h"
#include "tests/test_data.h"

#if __has_include("rcu/urcu_qsbr.h")
#include "rcu/urcu_qsbr.h"
#define NEXTHOP_HAVE_RCU 1
#endif

namespace nexthop {
namespace {

double EnvOr(const char* name, double fallback) {
  const char* v = std::getenv(name);
  return v ? std::atof(v) : fallback;
}

// A reader thread's side of RCU: registered while it runs, a quiescent
// state after each burst. Without the rcu module (the code before it), a
// no-op: the test then shows what readers see without grace periods.
class ReaderSide {
 public:
#ifdef NEXTHOP_HAVE_RCU
  ReaderSide() { UrcuQsbr::RegisterThread(); }
  ~ReaderSide() { UrcuQsbr::UnregisterThread(); }
  void Quiescent() { UrcuQsbr::QuiescentState(); }
#else
  void Quiescent() {}
#endif
};

// A small budget (4 KiB of unlinked memory), so that the writer waits for
// grace periods and reuses memory all the time, not once a megabyte.
constexpr size_t kSmallBudget = 4096;

template <typename T>
void AttachGracePeriods(T& t) {
#ifdef NEXTHOP_HAVE_RCU
  t.SetGracePeriod(&UrcuQsbr::Instance(), kSmallBudget);
#else
  (void)t;
#endif
}

// Reclamation must actually have run for the test to mean anything.
template <typename T>
void ExpectGracePeriods(const T& t) {
#ifdef NEXTHOP_HAVE_RCU
  EXPECT_GT(t.reclaim_stats().grace_periods, 0u);
#else
  (void)t;
#endif
}

using testing::AnyLegal;
using testing::ChurnStep;
using testing::ChurnWorkload;
using testing::TheChurnWorkload;

// Every structure (lpm/structures.h) promises one writer beside lock-free
// readers.
template <typename T>
class ConcurrencyTest : public ::testing::Test {};
TYPED_TEST_SUITE(ConcurrencyTest, testing::AllStructures);

// The full table, but LinearTable's update copies the table (copy-on-write,
// O(n)): it gets a host-sized table of 2000 routes.
template <typename T>
size_t BaseRoutes() {
  return std::is_same_v<T, LinearTable> ? 2000 : SIZE_MAX;
}

TYPED_TEST(ConcurrencyTest, ReadersSeeOnlyAnswersBeforeOrAfterEachUpdate) {
  using F = typename TypeParam::Family;
  const ChurnWorkload<F>& w = TheChurnWorkload<F>(BaseRoutes<TypeParam>());
  TypeParam t;
  AttachGracePeriods(t);
  const int readers =
      std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
  const testing::CheckedChurnResult r =
      testing::RunCheckedChurn(t, w, EnvOr("NEXTHOP_STRESS_SECONDS", 3),
                               readers, [](int) { return ReaderSide(); });
  ASSERT_TRUE(r.failed.ok()) << "step " << r.applied << ": " << r.failed;
  EXPECT_EQ(r.wrong, 0u) << absl::StrJoin(r.reports, "\n");
  EXPECT_GT(r.applied, 100u);  // TSAN builds manage a few hundred
  // TSAN builds on a busy 2-CPU machine check ~100k (PatriciaTrie6, whose
  // LookupMatch walks a deep trie) to millions.
  EXPECT_GT(r.checked, 50000u);
  std::cout << TypeParam::kName << ": " << r.applied << " updates, "
            << r.checked << " answers checked, " << r.wrong << " wrong, "
            << readers << " readers\n";
  ExpectGracePeriods(t);
  if constexpr (requires { t.CheckInvariants(); }) {
    EXPECT_TRUE(t.CheckInvariants().ok());
  }
}

// Flips bit `bit` (0 = most significant) of an address.
Ipv4Address FlipBit(Ipv4Address a, int bit) {
  return Ipv4Address(a.value() ^ (uint32_t{1} << (31 - bit)));
}
Ipv6Address FlipBit(const Ipv6Address& a, int bit) {
  return bit < 64 ? Ipv6Address::FromHalves(
                        a.hi() ^ (uint64_t{1} << (63 - bit)), a.lo())
                  : Ipv6Address::FromHalves(
                        a.hi(), a.lo() ^ (uint64_t{1} << (127 - bit)));
}

// The race the churn above finds only rarely, made likely: one address x
// whose walk passes a split point at every length between a short route A
// and a long route C (a deep path, a slow walk). The writer cycles: put a
// route B above the walk's middle (B1 at an existing split point, B2 as a
// new node between two), erase C, put C back, erase B. x's answer is
// always C or the B in force; A never is. A lookup that reads the path as
// it changes (B added where it has already passed, then C erased before it
// gets there) answers A.
TYPED_TEST(ConcurrencyTest, UpdatesAboveAndBelowADeepWalkNeverShowAThirdRoute) {
  using F = typename TypeParam::Family;
  using Address = typename F::Address;
  using Prefix = typename F::Prefix;
  constexpr int kBits = F::kBits;
  const int a = 2, b1 = kBits / 3, b2 = 2 * kBits / 3, c = kBits - 2;
  Address x;
  if constexpr (kBits == 32) {
    x = Ipv4Address(0xC6336401);
  } else {
    x = Ipv6Address::FromHalves(0x20010db8c0ffee12ull, 0x3456789abcdef012ull);
  }
  constexpr NextHopId kA = 1, kB1 = 2, kB2 = 3, kC = 4;
  const Prefix pa = Prefix::Canonical(x, a), pb1 = Prefix::Canonical(x, b1),
               pb2 = Prefix::Canonical(x, b2), pc = Prefix::Canonical(x, c);
  TypeParam t;
  AttachGracePeriods(t);
  ASSERT_TRUE(t.Insert(pa, kA).ok());
  ASSERT_TRUE(t.Insert(pc, kC).ok());
  for (int len = a + 1; len < c; ++len) {
    if (len == b2) continue;  // B2 then makes a new node
    ASSERT_TRUE(
        t.Insert(Prefix::Canonical(FlipBit(x, len), len + 1), 100 + len).ok());
  }
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> checked{0}, wrong{0};
  auto reader = [&] {
    ReaderSide rcu;
    std::vector<Address> in(16, x);
    std::vector<NextHopId> out(in.size());
    const auto legal = [](NextHopId h) {
      return h == kC || h == kB1 || h == kB2;
    };
    uint64_t local_checked = 0, local_wrong = 0;
    for (uint64_t round = 0; !stop.load(std::memory_order_relaxed); ++round) {
      if (round % 3 == 0) {
        for (size_t i = 0; i < in.size(); ++i) out[i] = t.Lookup(x);
      } else if (round % 3 == 1) {
        t.LookupBatch(in, out);
      } else {
        for (size_t i = 0; i < in.size(); ++i) {
          const auto m = t.LookupMatch(x);
          const bool ok = m && ((m->prefix == pc && m->next_hop == kC) ||
                                (m->prefix == pb1 && m->next_hop == kB1) ||
                                (m->prefix == pb2 && m->next_hop == kB2));
          out[i] = ok ? kC : kNoRoute;
        }
      }
      for (NextHopId h : out) local_wrong += !legal(h);
      local_checked += out.size();
      rcu.Quiescent();
    }
    checked += local_checked;
    wrong += local_wrong;
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) threads.emplace_back(reader);
  const auto deadline =
      std::chrono::steady_clock::now() +
      std::chrono::duration<double>(EnvOr("NEXTHOP_STRESS_SECONDS", 3) / 3);
  uint64_t cycles = 0;
  absl::Status failed;
  while (failed.ok() && std::chrono::steady_clock::now() < deadline) {
    for (auto [b, hop] : {std::pair{pb1, kB1}, std::pair{pb2, kB2}}) {
      if (failed.ok()) failed = t.Insert(b, hop);
      if (failed.ok()) failed = t.Erase(pc);
      if (failed.ok()) failed = t.Insert(pc, kC);
      if (failed.ok()) failed = t.Erase(b);
    }
    ++cycles;
  }
  stop = true;
  for (std::thread& th : threads) th.join();
  ASSERT_TRUE(failed.ok()) << failed;
  EXPECT_EQ(wrong.load(), 0u) << "of " << checked.load() << " answers";
  EXPECT_GT(checked.load(), 1000u);
  std::cout << TypeParam::kName << ": " << cycles << " cycles, "
            << checked.load() << " answers checked, " << wrong.load()
            << " wrong\n";
}

// Fib::Lookup gives whole route records (prefix, next hop, metric) from
// the structure's answer: a reader must see one route's record, never one
// route's gateway with another's metric. Routes here carry gateway =
// metric = the golden next hop, so both are checked against the timeline.
// A replacement adds the new route before removing the old one, as a
// routing daemon does, so the prefix never disappears in between.
template <typename T>
class FibConcurrencyTest : public ::testing::Test {};
TYPED_TEST_SUITE(FibConcurrencyTest, testing::AllIpv4Structures);

TYPED_TEST(FibConcurrencyTest,
           ReadersSeeWholeRouteRecordsBeforeOrAfterEachChange) {
  const ChurnWorkload<Ipv4>& w =
      TheChurnWorkload<Ipv4>(std::min<size_t>(100000, BaseRoutes<TypeParam>()));
  auto route = [](Ipv4Prefix p, NextHopId nh) {
    Route r{p, {}, nh};
    r.next_hop.gateway = Ipv4Address(nh);
    return r;
  };
  Fib<TypeParam> fib;
#ifdef NEXTHOP_HAVE_RCU
  fib.SetGracePeriod(&UrcuQsbr::Instance(), kSmallBudget);
#endif
  std::vector<Route> base;
  for (size_t i = 0; i < w.base.size(); ++i)
    base.push_back(route(w.base[i], w.base_hops[i]));
  ASSERT_TRUE(fib.Add(base).ok());
  // What each prefix holds now, to remove it when it changes.
  absl::flat_hash_map<Ipv4Prefix, NextHopId> held;
  for (size_t i = 0; i < w.base.size(); ++i) held[w.base[i]] = w.base_hops[i];

  std::atomic<uint32_t> published{0};
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> checked{0}, wrong{0};
  std::thread reader([&] {
    ReaderSide rcu;
    std::mt19937_64 rng(7);
    uint64_t local_checked = 0, local_wrong = 0;
    while (!stop.load(std::memory_order_relaxed)) {
      for (int k = 0; k < 64; ++k) {
        const size_t p = rng() % w.probes.size();
        const uint32_t s0 = published.load(std::memory_order_acquire);
        const std::optional<typename Fib<TypeParam>::Match> m =
            fib.Lookup(w.probes[p]);
        const uint32_t s1 = published.load(std::memory_order_acquire) + 1;
        const bool ok = AnyLegal(w.timelines[p], s0, s1, [&](const auto& a) {
          if (!a || !m) return !a && !m;
          return a->prefix == m->prefix && m->route.prefix == m->prefix &&
                 m->route.next_hop.gateway == Ipv4Address(a->next_hop) &&
                 m->route.metric == a->next_hop;
        });
        ++local_checked;
        local_wrong += !ok;
      }
      rcu.Quiescent();
    }
    checked += local_checked;
    wrong += local_wrong;
  });
  const auto deadline =
      std::chrono::steady_clock::now() +
      std::chrono::duration<double>(EnvOr("NEXTHOP_STRESS_SECONDS", 3) / 2);
  uint32_t applied = 0;
  absl::Status failed;
  while (applied < w.steps.size() &&
         std::chrono::steady_clock::now() < deadline) {
    const ChurnStep<Ipv4>& s = w.steps[applied];
    auto it = held.find(s.prefix);
    if (s.next_hop && !(it != held.end() && it->second == *s.next_hop)) {
      failed = fib.Add(std::vector<Route>{route(s.prefix, *s.next_hop)});
    }
    if (failed.ok() && it != held.end() &&
        !(s.next_hop && it->second == *s.next_hop)) {
      failed = fib.Remove(std::vector<Route>{route(s.prefix, it->second)});
    }
    if (!failed.ok()) break;
    if (s.next_hop) {
      held[s.prefix] = *s.next_hop;
    } else {
      held.erase(s.prefix);
    }
    published.store(++applied, std::memory_order_release);
  }
  stop = true;
  reader.join();
  ASSERT_TRUE(failed.ok()) << "step " << applied << ": " << failed;
  EXPECT_EQ(wrong.load(), 0u);
  EXPECT_GT(applied, 100u);  // TSAN builds manage a few hundred
  ExpectGracePeriods(fib.lpm());
  std::cout << "fib<" << TypeParam::kName << ">: " << applied << " changes, "
            << checked.load() << " route records checked, " << wrong.load()
            << " wrong\n";
}

// ForwardingPlane::Publish: bursts on a reader thread while the writer
// publishes new adjacency and port tables. Version k sends every next hop
// out of port 1 + k % 63 with source MAC Mac(k, port): a forwarded frame's
// port and rewritten source MAC must come from one version in the burst's
// window; a frame built from two versions (adjacency of one, ports of the
// next) or from a freed version fails.
TEST(ForwardingPlaneConcurrencyTest, EachBurstReadsOneVersionOfTheTables) {
  constexpr int kPorts = 64;
  auto port_of = [](uint32_t k) { return static_cast<uint16_t>(1 + k % 63); };
  auto mac_of = [](uint32_t k, int port) {
    return MacAddress::FromUint64(0x020000000000ull | uint64_t{k} << 8 |
                                  static_cast<uint64_t>(port));
  };
  Poptrie lpm;
  for (NextHopId h = 0; h < 4; ++h) {
    ASSERT_TRUE(
        lpm.Insert(Ipv4Prefix::Canonical(Ipv4Address(h << 24), 8), h).ok());
  }
  ManualClock clock;
  NeighborCache neighbors(&clock, {});
  auto version = [&](uint32_t k) {
    ForwardingPlane<Poptrie>::OwnedTables t{&lpm, {}, {}, &neighbors, {}};
    for (NextHopId h = 0; h < 4; ++h) {
      t.adjacency.push_back({port_of(k), false, Ipv4Address(0x0A000001 + h),
                             MacAddress::FromUint64(0x02aa00000000ull + h)});
    }
    for (int p = 0; p < kPorts; ++p) t.ports.push_back({mac_of(k, p), 1500});
    return t;
  };
  ForwardingPlane<Poptrie> plane({&lpm, {}, {}, &neighbors, {}});
#ifdef NEXTHOP_HAVE_RCU
  plane.SetGracePeriod(&UrcuQsbr::Instance(), /*max_pending_bytes=*/4096);
#endif
  plane.Publish(version(0));
  std::atomic<uint32_t> published{0};
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> checked{0}, wrong{0};
  std::thread reader([&] {
    ReaderSide rcu;
    std::vector<std::vector<uint8_t>> frames(32);
    std::vector<std::span<uint8_t>> spans(frames.size());
    std::vector<Verdict> verdicts(frames.size());
    uint64_t local_checked = 0, local_wrong = 0;
    for (uint32_t round = 0; !stop.load(std::memory_order_relaxed); ++round) {
      for (size_t i = 0; i < frames.size(); ++i) {
        frames[i] = BuildFrame(
            MacAddress::FromUint64(1), MacAddress::FromUint64(2),
            kEtherTypeIpv4,
            BuildIpv4(Ipv4Address(0xC0000001),
                      Ipv4Address(static_cast<uint32_t>((i % 4) << 24 | i)),
                      kProtoIcmp, 64, 1, true, std::vector<uint8_t>(8)));
        spans[i] = frames[i];
      }
      const uint32_t s0 = published.load(std::memory_order_acquire);
      plane.ProcessBurst(spans, verdicts);
      const uint32_t s1 = published.load(std::memory_order_acquire) + 1;
      for (size_t i = 0; i < frames.size(); ++i) {
        EthernetHeader eth;
        bool ok = verdicts[i].kind == Verdict::Kind::kForward &&
                  ParseEthernet(frames[i], &eth);
        bool legal = false;
        for (uint32_t k = s0; ok && k <= s1 && !legal; ++k) {
          legal = verdicts[i].port == port_of(k) &&
                  eth.src == mac_of(k, port_of(k));
        }
        ++local_checked;
        local_wrong += !(ok && legal);
      }
      rcu.Quiescent();
    }
    checked += local_checked;
    wrong += local_wrong;
  });
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(1.0);
  uint32_t k = 0;
  while (std::chrono::steady_clock::now() < deadline && k < 200000) {
    plane.Publish(version(k + 1));
    published.store(++k, std::memory_order_release);
  }
  stop = true;
  reader.join();
  EXPECT_EQ(wrong.load(), 0u);
  EXPECT_GT(k, 100u);
  EXPECT_GT(checked.load(), 1000u);
  std::cout << "forwarding plane: " << k << " table versions, "
            << checked.load() << " frames checked, " << wrong.load()
            << " wrong\n";
}

}  // namespace
}  // namespace nexthop
