// One writer changing a NeighborCache's entries while reader threads look
// them up as the fast path does, every answer checked against the answers
// legal for its address: its MAC before the lookup began, or one the
// writer's steps gave it while the lookup ran (tests/concurrency_test.cc
// does the same for the LPM structures). A MAC of another address (a slot
// read while it changed hands), a torn word or memory reused too early
// fails the test.
//
// The cache is small (16 entries in 8 buckets of four slots) and the writer
// creates, resolves, re-addresses and deletes entries of 40 addresses, so
// slots change hands all the time. Every MAC the writer gives names its
// address and step, so a wrong answer says where it came from. Readers
// report a quiescent state after each burst (liburcu QSBR), as forwarding
// cores do.
//
// The second test runs the same steps under a ForwardingPlane whose
// adjacencies an AdjacencyTable keeps in step with the cache (each step
// ends with Sync(), which publishes a new version of the plane's tables
// when a gateway's connected MAC changed), bursts on the reader threads:
// every frame must leave for a MAC its gateway had in the burst's window,
// from the adjacency or the per-packet lookup, or go to the slow path only
// if the gateway had none in it.
//
// CI runs it for a few seconds, also under ThreadSanitizer
// (scripts/test-tsan.sh). NEXTHOP_STRESS_SECONDS runs it longer.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "arp/neighbor_cache.h"
#include "fwd/adjacency_table.h"
#include "gtest/gtest.h"
#include "lpm/poptrie.h"
#include "net/clock.h"
#include "net/ethernet.h"
#include "rcu/urcu_qsbr.h"

namespace nexthop {
namespace {

double EnvOr(const char* name, double fallback) {
  const char* v = std::getenv(name);
  return v ? std::atof(v) : fallback;
}

const MacAddress kMe = MacAddress::FromUint64(0x020000000001);
const Ipv4Address kMyIp = Ipv4Address::FromOctets(10, 0, 1, 1);

// The MAC that step number `k` (from 1) gives address number `a`.
MacAddress MacFor(uint32_t a, uint32_t k) {
  return MacAddress::FromUint64(0x020000000000ull | uint64_t{a} << 24 |
                                (k & 0xFFFFFF));
}

// One writer step on one address (2 bytes: the MAC is MacFor of the step).
struct Step {
  enum class Op : uint8_t {
    kAddPermanent,  // arp -s
    kDelete,        // arp -d
    kResolve,       // a packet to send: INCOMPLETE if absent
    kReply,         // the neighbour answers us: REACHABLE
    kRequest,       // the neighbour asks for us: STALE with its MAC
  };
  Op op;
  uint8_t address;  // index into Workload::ips
};

// An address's MAC from step `from[i]` on: MacFor(address, setter[i]), or
// none (a lookup misses) where setter[i] is 0.
struct Timeline {
  std::vector<uint32_t> from;
  std::vector<uint32_t> setter;
};

struct Workload {
  std::vector<Ipv4Address> ips;
  std::vector<Step> steps;
  std::vector<Timeline> timelines;
};

constexpr size_t kCapacity = 16;
constexpr uint32_t kAddresses = 40;
// Enough for a few seconds of a writer at full speed (~2 M steps/s).
constexpr uint32_t kSteps = 6000000;

// The steps, and what each leaves in the cache by its documented rules
// (PERMANENT entries ignore the network; a reply completes an entry that
// exists; a request creates one), kept below capacity so that nothing is
// evicted or refused. Built once.
const Workload& TheWorkload() {
  static const Workload* w = [] {
    auto* w = new Workload;
    for (uint32_t a = 0; a < kAddresses; ++a)
      w->ips.push_back(Ipv4Address(0x0A000201u + a));  // 10.0.2.1...
    struct Entry {
      bool exists = false;
      bool permanent = false;
      uint32_t setter = 0;  // 0: no MAC (INCOMPLETE)
    };
    std::vector<Entry> model(kAddresses);
    size_t live = 0;
    w->timelines.resize(kAddresses);
    for (Timeline& t : w->timelines) {
      t.from.push_back(0);
      t.setter.push_back(0);
    }
    w->steps.reserve(kSteps);
    std::mt19937_64 rng(20261201);
    using Op = Step::Op;
    while (w->steps.size() < kSteps) {
      const uint32_t a = static_cast<uint32_t>(rng() % kAddresses);
      const uint32_t k = static_cast<uint32_t>(w->steps.size()) + 1;
      const int pick = static_cast<int>(rng() % 4);
      Entry& e = model[a];
      Step s{Op::kResolve, static_cast<uint8_t>(a)};
      if (!e.exists) {
        if (live >= kCapacity) continue;  // nothing to evict
        const Op create[] = {Op::kAddPermanent, Op::kResolve, Op::kRequest,
                             Op::kRequest};
        s.op = create[pick];
        e = {true, s.op == Op::kAddPermanent, s.op == Op::kResolve ? 0 : k};
        ++live;
      } else {
        const Op change[] = {Op::kDelete, Op::kReply, Op::kRequest,
                             Op::kAddPermanent};
        s.op = change[pick];
        if (s.op == Op::kDelete) {
          e = {};
          --live;
        } else if (s.op == Op::kAddPermanent) {
          e = {true, true, k};
        } else if (!e.permanent) {
          e.setter = k;
        }
      }
      w->steps.push_back(s);
      Timeline& t = w->timelines[a];
      if (e.setter != t.setter.back()) {
        t.from.push_back(k);
        t.setter.push_back(e.setter);
      }
    }
    return w;
  }();
  return *w;
}

uint64_t MacAt(const Timeline& t, size_t i, uint32_t address) {
  return t.setter[i] == 0 ? 0 : MacFor(address, t.setter[i]).ToUint64();
}

// Legal for a lookup that began after `s0` steps were published and ended
// before `s1 + 1` were: the writer may be inside step s1 + 1.
bool Legal(const Timeline& t, uint32_t address, uint32_t s0, uint32_t s1,
           uint64_t mac) {
  size_t i =
      std::upper_bound(t.from.begin(), t.from.end(), s0) - t.from.begin() - 1;
  for (; i < t.from.size() && t.from[i] <= s1; ++i) {
    if (MacAt(t, i, address) == mac) return true;
  }
  return false;
}

// Grace periods and their counts, where the cache takes them (the code
// before them did not: the test then shows what readers see without).
template <typename Cache>
void AttachGracePeriods(Cache& cache, size_t budget) {
  if constexpr (requires { cache.SetGracePeriod(nullptr, budget); }) {
    cache.SetGracePeriod(&UrcuQsbr::Instance(), budget);
  }
}
template <typename Cache>
void ExpectGracePeriods(const Cache& cache) {
  if constexpr (requires { cache.reclaim_stats(); }) {
    const ReclaimStats& r = cache.reclaim_stats();
    EXPECT_GT(r.grace_periods, 0u);
    std::cout << r.grace_periods << " grace periods, "
              << (r.grace_periods ? r.wait_ns / r.grace_periods / 1000 : 0)
              << " us each\n";
  }
}

void Apply(NeighborCache& cache, const Workload& w, uint32_t k) {
  const Step& s = w.steps[k - 1];
  const Ipv4Address ip = w.ips[s.address];
  const MacAddress mac = MacFor(s.address, k);
  std::vector<NeighborAction> actions;
  switch (s.op) {
    case Step::Op::kAddPermanent:
      ASSERT_TRUE(cache.AddPermanent(ip, mac).ok());
      break;
    case Step::Op::kDelete:
      ASSERT_TRUE(cache.Delete(ip).ok());
      break;
    case Step::Op::kResolve:
      cache.Resolve(ip, Packet(1, 0), actions);
      break;
    case Step::Op::kReply:
      cache.OnArp(ArpReply(ArpRequest(kMe, kMyIp, ip).arp, mac).arp,
                  /*target_is_local=*/true, actions);
      break;
    case Step::Op::kRequest:
      cache.OnArp(ArpRequest(mac, ip, kMyIp).arp, /*target_is_local=*/true,
                  actions);
      break;
  }
}

TEST(NeighborCacheConcurrencyTest, LookupsSeeOnlyMacsBeforeOrAfterEachStep) {
  const Workload& w = TheWorkload();
  ManualClock clock;
  NeighborCache cache(&clock, {.capacity = kCapacity, .seed = 3});
  // A small budget: the writer waits for grace periods all the time.
  AttachGracePeriods(cache, /*budget=*/256);

  const double seconds = EnvOr("NEXTHOP_STRESS_SECONDS", 3);
  // More readers than cores: a reader is also preempted in the middle of a
  // lookup, which makes a slow reader of the rarest kind.
  const int readers =
      std::max(3, static_cast<int>(std::thread::hardware_concurrency()));
  std::atomic<uint32_t> published{0};
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> checked{0}, wrong{0};
  std::mutex report_mu;
  std::vector<std::string> reports;

  auto reader = [&](int id) {
    UrcuQsbr::RegisterThread();
    std::mt19937_64 rng(id + 1);
    constexpr size_t kBurst = 64;
    std::vector<uint32_t> pick(kBurst);
    std::vector<Ipv4Address> in(kBurst);
    std::vector<uint32_t> raw_in(kBurst);
    std::vector<MacAddress> out(kBurst);
    std::vector<uint64_t> raw_out(kBurst);
    uint64_t local_checked = 0, local_wrong = 0;
    for (uint64_t round = 0; !stop.load(std::memory_order_relaxed); ++round) {
      for (size_t i = 0; i < kBurst; ++i) {
        pick[i] = static_cast<uint32_t>(rng() % kAddresses);
        in[i] = w.ips[pick[i]];
        raw_in[i] = in[i].value();
      }
      const int mode = static_cast<int>(round % 3);
      const uint32_t s0 = published.load(std::memory_order_acquire);
      if (mode == 0) {
        for (size_t i = 0; i < kBurst; ++i)
          raw_out[i] = cache.Lookup(in[i]).value_or(MacAddress()).ToUint64();
      } else if (mode == 1) {
        cache.LookupBatch(in, out);
        for (size_t i = 0; i < kBurst; ++i) raw_out[i] = out[i].ToUint64();
      } else {
        cache.LookupBatch(std::span<const uint32_t>(raw_in),
                          std::span<uint64_t>(raw_out));
      }
      const uint32_t s1 = published.load(std::memory_order_acquire) + 1;
      for (size_t i = 0; i < kBurst; ++i) {
        ++local_checked;
        if (Legal(w.timelines[pick[i]], pick[i], s0, s1, raw_out[i])) continue;
        if (++local_wrong <= 3) {
          std::lock_guard<std::mutex> l(report_mu);
          reports.push_back(absl::StrCat(
              "reader ", id, " mode ", mode, ": ", in[i].ToString(),
              " answered ", MacAddress::FromUint64(raw_out[i]).ToString(),
              " between steps ", s0, " and ", s1));
        }
      }
      UrcuQsbr::QuiescentState();
    }
    checked += local_checked;
    wrong += local_wrong;
    UrcuQsbr::UnregisterThread();
  };

  std::vector<std::thread> threads;
  for (int i = 0; i < readers; ++i) threads.emplace_back(reader, i);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  uint32_t applied = 0;
  while (applied < w.steps.size() &&
         std::chrono::steady_clock::now() < deadline) {
    Apply(cache, w, applied + 1);
    if (testing::Test::HasFatalFailure()) break;
    published.store(++applied, std::memory_order_release);
  }
  stop = true;
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0u) << absl::StrJoin(reports, "\n");
  EXPECT_GT(applied, 1000u);
  EXPECT_GT(checked.load(), 100000u);
  // The cache ends as the workload's rules say it does.
  for (uint32_t a = 0; a < kAddresses; ++a) {
    const Timeline& t = w.timelines[a];
    const size_t i = std::upper_bound(t.from.begin(), t.from.end(), applied) -
                     t.from.begin() - 1;
    uint64_t mac = 0;
    for (const NeighborEntry& e : cache.Entries()) {
      if (e.ip == w.ips[a] && e.mac) mac = e.mac->ToUint64();
    }
    EXPECT_EQ(mac, MacAt(t, i, a)) << w.ips[a].ToString();
  }
  ExpectGracePeriods(cache);
  std::cout << "neighbour cache: " << applied << " steps, " << checked.load()
            << " answers checked, " << wrong.load() << " wrong, " << readers
            << " readers\n";
}

// Gateway g (address number g) is the next hop of ids 2g (port 1) and
// 2g + 1 (port 2); id i routes (i + 1).0.0.0/8.
TEST(NeighborCacheConcurrencyTest,
     ForwardedFramesUseOnlyMacsTheirGatewayHadWhileAdjacenciesFollow) {
  const Workload& w = TheWorkload();
  constexpr int kPorts = 3;
  auto port_mac = [](int p) {
    return MacAddress::FromUint64(0x02bb00000000ull + static_cast<uint64_t>(p));
  };
  Poptrie lpm;
  ForwardingPlane<Poptrie>::OwnedTables tables{&lpm, {}, {}, nullptr, {}};
  for (uint32_t id = 0; id < 2 * kAddresses; ++id) {
    ASSERT_TRUE(
        lpm.Insert(Ipv4Prefix::Canonical(Ipv4Address((id + 1) << 24), 8), id)
            .ok());
    tables.adjacency.push_back(
        {static_cast<uint16_t>(1 + id % 2), false, w.ips[id / 2], {}});
  }
  for (int p = 0; p < kPorts; ++p) tables.ports.push_back({port_mac(p), 1500});
  ManualClock clock;
  NeighborCache cache(&clock, {.capacity = kCapacity, .seed = 3});
  cache.SetGracePeriod(&UrcuQsbr::Instance(), /*max_pending_bytes=*/256);
  ForwardingPlane<Poptrie> plane({&lpm, {}, {}, &cache, {}});
  plane.SetGracePeriod(&UrcuQsbr::Instance(), /*max_pending_bytes=*/65536);
  AdjacencyTable<Poptrie> table(&plane, &cache);
  table.Publish(tables);

  const double seconds = EnvOr("NEXTHOP_STRESS_SECONDS", 3);
  const int readers =
      std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
  std::atomic<uint32_t> published{0};
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> checked{0}, wrong{0}, kept{0};
  std::mutex report_mu;
  std::vector<std::string> reports;

  auto reader = [&](int id) {
    UrcuQsbr::RegisterThread();
    std::mt19937_64 rng(id + 11);
    constexpr size_t kBurst = 32;
    std::vector<std::vector<uint8_t>> frames(kBurst);
    std::vector<std::span<uint8_t>> spans(kBurst);
    std::vector<uint32_t> hop(kBurst);
    std::vector<Verdict> verdicts(kBurst);
    uint64_t local_checked = 0, local_wrong = 0;
    while (!stop.load(std::memory_order_relaxed)) {
      for (size_t i = 0; i < kBurst; ++i) {
        hop[i] = static_cast<uint32_t>(rng() % (2 * kAddresses));
        frames[i] = BuildFrame(
            port_mac(0), MacAddress::FromUint64(0x02cc00000001ull),
            kEtherTypeIpv4,
            BuildIpv4(Ipv4Address(0xC0A80001u),
                      Ipv4Address((hop[i] + 1) << 24 | (rng() & 0xFFFFFF)),
                      kProtoIcmp, 64, 1, true, std::vector<uint8_t>(8)));
        spans[i] = frames[i];
      }
      const uint32_t s0 = published.load(std::memory_order_acquire);
      plane.ProcessBurst(spans, verdicts);
      const uint32_t s1 = published.load(std::memory_order_acquire) + 1;
      for (size_t i = 0; i < kBurst; ++i) {
        const uint32_t gateway = hop[i] / 2;
        const Verdict& v = verdicts[i];
        EthernetHeader eth;
        bool ok = false;
        if (v.kind == Verdict::Kind::kForward) {
          ok = ParseEthernet(frames[i], &eth) && v.port == 1 + hop[i] % 2 &&
               eth.src == port_mac(v.port) &&
               Legal(w.timelines[gateway], gateway, s0, s1, eth.dst.ToUint64());
        } else if (v.kind == Verdict::Kind::kSlowPath) {
          ok = v.reason == DropReason::kNone && v.neighbor == w.ips[gateway] &&
               Legal(w.timelines[gateway], gateway, s0, s1, 0);
        }
        ++local_checked;
        if (ok) continue;
        if (++local_wrong <= 3) {
          std::lock_guard<std::mutex> l(report_mu);
          reports.push_back(absl::StrCat(
              "reader ", id, ": next hop ", hop[i], " verdict ",
              static_cast<int>(v.kind), " port ", v.port, " to ",
              eth.dst.ToString(), " between steps ", s0, " and ", s1));
        }
      }
      UrcuQsbr::QuiescentState();
    }
    checked += local_checked;
    wrong += local_wrong;
    UrcuQsbr::UnregisterThread();
  };

  std::vector<std::thread> threads;
  for (int i = 0; i < readers; ++i) threads.emplace_back(reader, i);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  uint32_t applied = 0;
  while (applied < w.steps.size() &&
         std::chrono::steady_clock::now() < deadline) {
    Apply(cache, w, applied + 1);
    if (testing::Test::HasFatalFailure()) break;
    table.Sync();
    for (const Adjacency& a : table.adjacency()) kept += !a.mac.IsZero();
    published.store(++applied, std::memory_order_release);
  }
  stop = true;
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0u) << absl::StrJoin(reports, "\n");
  EXPECT_GT(applied, 1000u);
  EXPECT_GT(checked.load(), 10000u);
  EXPECT_GT(kept.load(), 0u);  // gateways' MACs were in the adjacencies
  EXPECT_GT(plane.reclaim_stats().grace_periods, 0u);
  ExpectGracePeriods(cache);
  std::cout << "forwarding plane: " << applied << " steps, " << table.versions()
            << " table versions, " << checked.load() << " frames checked, "
            << wrong.load() << " wrong\n";
}

}  // namespace
}  // namespace nexthop
