// fwd-bench: the router fast path (ForwardingPlane::ProcessBurst) on the
// full real table, beside the raw LPM batch lookup of the same addresses,
// measured in the same run.
//
// Frames: 64-byte Ethernet/IPv4/ICMP frames (60 bytes without the FCS),
// random destinations drawn uniformly from the routed address space (so
// every frame has a route), next hops `rr:255` over three ports, every
// neighbour resolved. Each frame is validated (header checksum included),
// looked up, its neighbour found and rewritten in place (MACs, TTL,
// incremental checksum). Two ways of feeding it, each timed beside the raw
// LPM batch on the same destinations:
//
//   ring: a receive ring of --ring buffers, as a NIC driver recycles them
//     (DPDK's mempool cache hands back recently freed buffers). Before each
//     burst a "NIC" step writes the next arrivals' headers into the burst's
//     buffers: destination, TTL and checksum from a stream of --stream
//     random destinations. That step runs on the measured core and is
//     counted, although a real NIC does it for free; the destinations never
//     repeat within a pass, so the lookup tables are not warmed by reuse.
//   pool: --frames distinct frames in one buffer, cycled through, the
//     worst case: every header is a cache miss (64K frames = 4 MiB, past
//     the cache this machine gives one core).
//
// Medians of interleaved repetitions.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_format.h"
#include "arp/arp_packet.h"
#include "bench/harness/measure.h"
#include "bench/harness/pages.h"
#include "fwd/adjacency_table.h"
#include "fwd/forwarding_plane.h"
#include "lpm/dir24_8.h"
#include "lpm/poptrie.h"
#include "net/checksum.h"
#include "net/clock.h"
#include "net/ethernet.h"
#include "rib/route_loader.h"

ABSL_FLAG(std::string, table, NEXTHOP_DEFAULT_TABLE, "route table file");
ABSL_FLAG(int, frames, 65536, "pool mode: distinct frames cycled through");
ABSL_FLAG(int, ring, 4096, "ring mode: receive buffers (0: skip ring mode)");
ABSL_FLAG(int, stream, 1 << 20,
          "ring mode: destinations in the arrival stream");
ABSL_FLAG(int, burst, 256, "frames per ProcessBurst call");
ABSL_FLAG(int, repetitions, 7, "interleaved repetitions (median reported)");
ABSL_FLAG(double, min_time, 0.2, "seconds per timed repetition");
ABSL_FLAG(bool, lookup_rows, true,
          "also time the frames with every gateway's MAC looked up in the "
          "neighbour cache per packet (rows marked `lookup`)");
ABSL_FLAG(bool, lpm_only, false, "time the LPM batch alone (for profiles)");
ABSL_FLAG(std::string, pages, nexthop::bench::PageModeFromEnv(),
          "pages for the structures: auto (2 MiB transparent huge pages "
          "where the machine would give DPDK's peers hugetlbfs pages, as in "
          "nexthop-bench; else 4 KiB), huge, 4k (default: $NEXTHOP_PAGES, "
          "else auto)");
ABSL_FLAG(bool, fwd_only, false, "time the fast path alone (for profiles)");

namespace nexthop::bench {
namespace {

constexpr int kPorts = 4;
constexpr int kNextHops = 255;

template <typename Lpm>
void Measure(const char* name, const std::vector<Ipv4Prefix>& prefixes) {
  Lpm lpm;
  for (size_t i = 0; i < prefixes.size(); ++i) {
    if (!lpm.Insert(prefixes[i], static_cast<NextHopId>(i % kNextHops)).ok()) {
      std::fprintf(stderr, "insert failed\n");
      std::exit(1);
    }
  }
  ManualClock clock;
  NeighborConfig nc;
  nc.capacity = 1024;
  nc.seed = 7;
  NeighborCache neighbors(&clock, nc);
  std::vector<Adjacency> adjacency(kNextHops);
  for (int h = 0; h < kNextHops; ++h) {
    adjacency[h] = {static_cast<uint16_t>(1 + h % (kPorts - 1)), false,
                    Ipv4Address(0x0AFF0000u + static_cast<uint32_t>(h) + 1),
                    MacAddress()};
  }
  std::vector<Port> ports(kPorts);
  for (int p = 0; p < kPorts; ++p)
    ports[p] = {MacAddress::FromUint64(0x02bb00000000ull + p), 1500};
  const std::vector<Ipv4Address> local = {Ipv4Address(0x0AFE0001u)};
  // The measured plane: its tables published through an AdjacencyTable,
  // which fills each gateway's MAC from the cache once the gateway is
  // resolved, below.
  ForwardingPlane<Lpm> plane({&lpm, {}, {}, &neighbors, {}});
  AdjacencyTable<Lpm> table(&plane, &neighbors);
  table.Publish({&lpm, adjacency, ports, &neighbors, local});
  // Each gateway resolved as a router resolves it: the first packet for it
  // queues and asks, the gateway's reply makes the entry REACHABLE.
  auto gateway_mac = [](int h) {
    return MacAddress::FromUint64(0x02aa00000000ull + static_cast<uint64_t>(h));
  };
  auto reply = [&](int h, MacAddress mac) {
    std::vector<NeighborAction> actions;
    const Port& out = ports[adjacency[h].port];
    neighbors.OnArp(
        ArpReply(ArpRequest(out.mac, local[0], adjacency[h].gateway).arp, mac)
            .arp,
        /*target_is_local=*/true, actions);
  };
  for (int h = 0; h < kNextHops; ++h) {
    std::vector<NeighborAction> actions;
    neighbors.Resolve(adjacency[h].gateway, Packet(60), actions);
    reply(h, gateway_mac(h));
  }
  table.Sync();
  for (int h = 0; h < kNextHops; ++h) {
    if (table.adjacency()[h].mac != gateway_mac(h)) {
      std::fprintf(stderr, "%s: next hop %d has no MAC after resolution\n",
                   name, h);
      std::exit(1);
    }
  }
  // What a change costs the control plane: a gateway's new MAC (OnArp)
  // and the version of the tables AdjacencyTable publishes for it.
  constexpr int kChanges = 2000;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 1; i <= kChanges; ++i) {  // even: ends with the first MAC
    reply(0, i % 2 == 0 ? gateway_mac(0) : gateway_mac(kNextHops));
    table.Sync();
  }
  if (table.versions() != 2 + kChanges) {
    std::fprintf(stderr, "%s: %llu table versions for %d MAC changes\n", name,
                 static_cast<unsigned long long>(table.versions()), kChanges);
    std::exit(1);
  }
  const double change_us = std::chrono::duration<double, std::micro>(
                               std::chrono::steady_clock::now() - start)
                               .count() /
                           kChanges;
  // The same tables with no MAC in the adjacencies: every frame's gateway
  // looked up in the cache.
  ForwardingPlane<Lpm> lookup_plane(
      {&lpm, adjacency, ports, &neighbors, local});

  // Routed destinations only.
  std::mt19937 rng(1);
  auto routed = [&](size_t n) {
    std::vector<Ipv4Address> dst;
    while (dst.size() < n) {
      const Ipv4Address a(static_cast<uint32_t>(rng()));
      if (lpm.Lookup(a) != kNoRoute) dst.push_back(a);
    }
    return dst;
  };
  constexpr size_t kFrame = 60;
  constexpr uint8_t kTtl = 64;
  const std::vector<uint8_t> ip_template =
      BuildIpv4(Ipv4Address(0xC0A80001u), Ipv4Address(0x01010101u), kProtoIcmp,
                kTtl, 1, true, std::vector<uint8_t>(26));
  const std::vector<uint8_t> frame_template =
      BuildFrame(ports[0].mac, MacAddress::FromUint64(0x02cc00000001ull),
                 kEtherTypeIpv4, ip_template);
  // Frames in place in 64-byte slots of one buffer, as a NIC writes them
  // into its ring's buffers; the fast path rewrites them there.
  auto make_frames = [&](size_t n, std::vector<uint8_t>& mem) {
    mem.assign(n * 64 + 64, 0);
    uint8_t* pool =
        mem.data() + (64 - reinterpret_cast<uintptr_t>(mem.data()) % 64);
    std::vector<std::span<uint8_t>> frames;
    for (size_t i = 0; i < n; ++i) {
      std::copy(frame_template.begin(), frame_template.end(), pool + i * 64);
      frames.emplace_back(pool + i * 64, kFrame);
    }
    return frames;
  };
  // Header bytes a new arrival differs in: destination, TTL, checksum.
  struct Arrival {
    uint32_t dst_be;
    uint16_t checksum_be;
  };
  auto arrival = [&](Ipv4Address dst) {
    std::vector<uint8_t> h(ip_template.begin(), ip_template.begin() + 20);
    for (int b = 0; b < 4; ++b)
      h[16 + b] = static_cast<uint8_t>(dst.value() >> (24 - 8 * b));
    h[10] = h[11] = 0;
    const uint16_t c = InternetChecksum(h);
    Arrival a;
    std::memcpy(&a.dst_be, &h[16], 4);
    const uint8_t cb[2] = {static_cast<uint8_t>(c >> 8),
                           static_cast<uint8_t>(c)};
    std::memcpy(&a.checksum_be, cb, 2);
    return a;
  };
  auto write_arrival = [](std::span<uint8_t> f, const Arrival& a) {
    f[kEthernetHeaderSize + 8] = kTtl;
    std::memcpy(&f[kEthernetHeaderSize + 10], &a.checksum_be, 2);
    std::memcpy(&f[kEthernetHeaderSize + 16], &a.dst_be, 4);
  };

  const size_t burst = static_cast<size_t>(absl::GetFlag(FLAGS_burst));
  std::vector<Verdict> verdicts(burst);
  std::vector<NextHopId> out(burst);
  uint64_t sink = 0;
  auto all_forwarded = [&](const char* mode) {
    for (const Verdict& v : verdicts) {
      if (v.kind != Verdict::Kind::kForward) {
        std::fprintf(stderr, "%s %s: a frame missed the fast path\n", name,
                     mode);
        std::exit(1);
      }
    }
  };
  // The raw LPM batch over the same destinations, for the fwd/lpm column.
  auto lookup_over = [&](const std::vector<Ipv4Address>& dst) {
    return [&lpm, &out, &sink, &dst, burst](size_t rounds) {
      for (size_t r = 0; r < rounds; ++r) {
        for (size_t i = 0; i < dst.size(); i += burst) {
          lpm.LookupBatch(std::span(dst).subspan(i, burst), out);
          sink += out[0];
        }
      }
    };
  };
  // The planes timed: the adjacencies' MACs, and (--lookup_rows) the
  // per-packet lookup.
  std::vector<std::pair<const char*, const ForwardingPlane<Lpm>*>> planes = {
      {"adjacency", &plane}};
  if (absl::GetFlag(FLAGS_lookup_rows))
    planes.push_back({"lookup", &lookup_plane});
  auto report = [&](const char* mode, const char* mac_from, auto forward,
                    auto lookup, double per_round) {
    std::vector<double> fwd, lkp, ratio;
    for (int rep = 0; rep < absl::GetFlag(FLAGS_repetitions); ++rep) {
      const double l =
          absl::GetFlag(FLAGS_fwd_only)
              ? 1
              : MeasureRate(lookup, per_round, absl::GetFlag(FLAGS_min_time), 1)
                    .median;
      const double f = absl::GetFlag(FLAGS_lpm_only)
                           ? 1
                           : MeasureRate(forward, per_round,
                                         absl::GetFlag(FLAGS_min_time), 1)
                                 .median;
      lkp.push_back(l);
      fwd.push_back(f);
      ratio.push_back(f / l);
    }
    for (auto* v : {&fwd, &lkp, &ratio}) std::sort(v->begin(), v->end());
    const size_t mid = fwd.size() / 2;
    std::printf("%-10s %-6s %-9s %10.1f %12.1f %8.2f %8.0f%%  %6.1f ns/frame\n",
                name, mode, mac_from, fwd[mid] / 1e6, lkp[mid] / 1e6,
                ratio[mid], 100 * (fwd.back() - fwd.front()) / fwd[mid],
                1e9 / fwd[mid]);
  };

  const size_t ring_size = static_cast<size_t>(absl::GetFlag(FLAGS_ring));
  if (ring_size >= burst && ring_size % burst == 0) {
    const std::vector<Ipv4Address> dst = routed(
        static_cast<size_t>(absl::GetFlag(FLAGS_stream)) / burst * burst);
    std::vector<Arrival> stream;
    stream.reserve(dst.size());
    for (Ipv4Address d : dst) stream.push_back(arrival(d));
    std::vector<uint8_t> mem;
    const std::vector<std::span<uint8_t>> ring = make_frames(ring_size, mem);
    size_t slot = 0, next = 0;
    for (const auto& [mac_from, p] : planes) {
      const ForwardingPlane<Lpm>& with = *p;
      auto receive_and_forward = [&] {
        const std::span<const std::span<uint8_t>> b =
            std::span(ring).subspan(slot, burst);
        for (size_t k = 0; k < burst; ++k)
          write_arrival(b[k], stream[next + k]);
        with.ProcessBurst(b, verdicts);
        slot = slot + burst == ring.size() ? 0 : slot + burst;
        next = next + burst == stream.size() ? 0 : next + burst;
      };
      for (size_t i = 0; i < stream.size(); i += burst) {  // untimed check
        receive_and_forward();
        all_forwarded("ring");
      }
      auto forward = [&](size_t rounds) {
        for (size_t r = 0; r < rounds; ++r)
          for (size_t i = 0; i < stream.size(); i += burst)
            receive_and_forward();
      };
      report("ring", mac_from, forward, lookup_over(dst),
             static_cast<double>(stream.size()));
    }
  }

  if (absl::GetFlag(FLAGS_frames) > 0) {
    const std::vector<Ipv4Address> dst = routed(
        static_cast<size_t>(absl::GetFlag(FLAGS_frames)) / burst * burst);
    std::vector<uint8_t> mem;
    const std::vector<std::span<uint8_t>> frames = make_frames(dst.size(), mem);
    for (size_t i = 0; i < frames.size(); ++i)
      write_arrival(frames[i], arrival(dst[i]));
    // Every 50 passes the TTLs and checksums are put back (TTL starts at
    // 64), a cost included in the timing.
    std::vector<uint8_t> saved(frames.size() * 3);
    for (size_t i = 0; i < frames.size(); ++i) {
      saved[3 * i] = frames[i][22];
      saved[3 * i + 1] = frames[i][24];
      saved[3 * i + 2] = frames[i][25];
    }
    auto restore = [&] {
      for (size_t i = 0; i < frames.size(); ++i) {
        frames[i][22] = saved[3 * i];
        frames[i][24] = saved[3 * i + 1];
        frames[i][25] = saved[3 * i + 2];
      }
    };
    for (const auto& [mac_from, p] : planes) {
      const ForwardingPlane<Lpm>& with = *p;
      for (size_t i = 0; i < frames.size(); i += burst) {  // untimed check
        with.ProcessBurst(std::span(frames).subspan(i, burst), verdicts);
        all_forwarded("pool");
      }
      restore();
      int passes = 0;
      auto forward = [&](size_t rounds) {
        for (size_t r = 0; r < rounds; ++r) {
          if (++passes == 50) {
            restore();
            passes = 0;
          }
          for (size_t i = 0; i < frames.size(); i += burst)
            with.ProcessBurst(std::span(frames).subspan(i, burst), verdicts);
        }
      };
      report("pool", mac_from, forward, lookup_over(dst),
             static_cast<double>(frames.size()));
    }
  }
  std::printf(
      "%-10s a gateway's MAC change (OnArp + AdjacencyTable::Sync, "
      "%d next hops): %.2f us\n",
      name, kNextHops, change_us);
  if (sink == 42) std::printf(" ");
}

}  // namespace
}  // namespace nexthop::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "fwd-bench [--table FILE] [--ring N] [--stream N] [--frames N] [--burst "
      "N] [--repetitions N] [--lookup_rows=false]");
  absl::ParseCommandLine(argc, argv);
  absl::StatusOr<nexthop::bench::PagePlan> plan =
      nexthop::bench::DecidePages(absl::GetFlag(FLAGS_pages));
  if (!plan.ok()) {
    std::fprintf(stderr, "fwd-bench: %s\n",
                 std::string(plan.status().message()).c_str());
    return 1;
  }
  absl::StatusOr<nexthop::LoadResult> r =
      nexthop::LoadRouteFile(absl::GetFlag(FLAGS_table), {});
  if (!r.ok()) {
    std::fprintf(stderr, "fwd-bench: %s\n",
                 std::string(r.status().message()).c_str());
    return 1;
  }
  std::vector<nexthop::Ipv4Prefix> prefixes;
  for (const nexthop::Route& route : r->routes)
    prefixes.push_back(route.prefix);
  std::printf(
      "fwd-bench: %zu prefixes; 60-byte frames (64 with FCS), burst %d, next "
      "hops rr:255 on 3 egress ports, every gateway resolved through the "
      "neighbour cache (REACHABLE)\n"
      "MAC from: adjacency = kept there by AdjacencyTable; lookup = looked up "
      "in the cache per packet\n"
      "ring: %d recycled buffers refilled from a stream of %d random "
      "destinations "
      "(refill timed); pool: %d distinct frames\n",
      prefixes.size(), absl::GetFlag(FLAGS_burst), absl::GetFlag(FLAGS_ring),
      absl::GetFlag(FLAGS_stream), absl::GetFlag(FLAGS_frames));
  std::printf("pages: %s\n", plan->summary.c_str());
  std::printf("%-10s %-6s %-9s %10s %12s %8s %9s\n", "lpm", "frames",
              "MAC from", "Mframes/s", "LPM Mlkp/s", "fwd/lpm", "spread");
  nexthop::bench::Measure<nexthop::Poptrie>("poptrie", prefixes);
  nexthop::bench::Measure<nexthop::Dir24_8>("dir24_8", prefixes);
  return 0;
}
