// fwd-bench: the router fast path (ForwardingPlane::ProcessBurst) on the
// full real table, beside the raw LPM batch lookup of the same addresses,
// measured in the same run.
//
// Frames: 64-byte Ethernet/IPv4/ICMP frames (60 bytes without the FCS) in
// one buffer, random destinations drawn uniformly from the routed address
// space (so every frame has a route), next hops `rr:255` over three ports,
// every neighbour resolved. Each frame is validated (header checksum
// included), looked up, its neighbour found in the ARP cache and rewritten
// in place (MACs, TTL, incremental checksum). Medians of interleaved
// repetitions.
#include <algorithm>
#include <cstring>
#include <cstdio>
#include <random>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_format.h"
#include "arp/clock.h"
#include "bench/harness/measure.h"
#include "fwd/ethernet.h"
#include "fwd/forwarding_plane.h"
#include "lpm/dir24_8.h"
#include "lpm/poptrie.h"
#include "lpm/route_loader.h"

ABSL_FLAG(std::string, table, NEXTHOP_DEFAULT_TABLE, "route table file");
ABSL_FLAG(int, frames, 65536, "distinct frames cycled through");
ABSL_FLAG(int, burst, 256, "frames per ProcessBurst call");
ABSL_FLAG(int, repetitions, 7, "interleaved repetitions (median reported)");
ABSL_FLAG(double, min_time, 0.2, "seconds per timed repetition");
ABSL_FLAG(bool, neighbor_lookup, false,
          "look every gateway up in the neighbour cache instead of using the "
          "MAC kept in its adjacency");
ABSL_FLAG(bool, lpm_only, false, "time the LPM batch alone (for profiles)");
ABSL_FLAG(bool, fwd_only, false, "time the fast path alone (for profiles)");

namespace nexthop::bench {
namespace {

constexpr int kPorts = 4;
constexpr int kNextHops = 255;

template <typename Lpm>
void Measure(const char* name, const std::vector<Prefix>& prefixes) {
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
    const MacAddress mac = MacAddress::FromUint64(0x02aa00000000ull + h);
    (void)neighbors.AddPermanent(adjacency[h].gateway, mac);
    // The gateway's MAC in the adjacency, as a router's control plane
    // keeps it (--neighbor_lookup measures the per-packet lookup instead).
    if (!absl::GetFlag(FLAGS_neighbor_lookup)) adjacency[h].mac = mac;
  }
  std::vector<Port> ports(kPorts);
  for (int p = 0; p < kPorts; ++p)
    ports[p] = {MacAddress::FromUint64(0x02bb00000000ull + p), 1500};
  const std::vector<Ipv4Address> local = {Ipv4Address(0x0AFE0001u)};
  ForwardingPlane<Lpm> plane({&lpm, adjacency, ports, &neighbors, local});

  // Routed destinations only.
  std::mt19937 rng(1);
  const int n = absl::GetFlag(FLAGS_frames);
  std::vector<Ipv4Address> dst;
  while (static_cast<int>(dst.size()) < n) {
    const Ipv4Address a(static_cast<uint32_t>(rng()));
    if (lpm.Lookup(a) != kNoRoute) dst.push_back(a);
  }
  // The received frames, in place in one buffer of 64-byte slots (as a
  // NIC writes them into its ring's buffers); the fast path rewrites them
  // there. Every 200 passes their TTL and checksum are put back (TTL
  // starts at 255), a cost included in the timing.
  constexpr size_t kFrame = 60;
  std::vector<uint8_t> pool_mem(dst.size() * 64 + 64);
  uint8_t* pool = pool_mem.data() + (64 - reinterpret_cast<uintptr_t>(pool_mem.data()) % 64);
  std::vector<std::span<uint8_t>> frames;
  for (size_t i = 0; i < dst.size(); ++i) {
    const std::vector<uint8_t> ip = BuildIpv4(Ipv4Address(0xC0A80001u), dst[i], kProtoIcmp,
                                              255, 1, true, std::vector<uint8_t>(26));
    const std::vector<uint8_t> f = BuildFrame(
        ports[0].mac, MacAddress::FromUint64(0x02cc00000001ull), kEtherTypeIpv4, ip);
    std::copy(f.begin(), f.end(), pool + i * 64);
    frames.emplace_back(pool + i * 64, kFrame);
  }
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
  const size_t burst = static_cast<size_t>(absl::GetFlag(FLAGS_burst));
  std::vector<Verdict> verdicts(burst);
  // Every frame must go out on the fast path: check once, untimed.
  for (size_t i = 0; i + burst <= frames.size(); i += burst) {
    plane.ProcessBurst(std::span(frames).subspan(i, burst), verdicts);
    for (const Verdict& v : verdicts) {
      if (v.kind != Verdict::Kind::kForward) {
        std::fprintf(stderr, "%s: a frame missed the fast path\n", name);
        std::exit(1);
      }
    }
  }
  restore();
  int passes = 0;
  auto forward = [&](size_t rounds) {
    for (size_t r = 0; r < rounds; ++r) {
      if (++passes == 200) {
        restore();
        passes = 0;
      }
      for (size_t i = 0; i + burst <= frames.size(); i += burst)
        plane.ProcessBurst(std::span(frames).subspan(i, burst), verdicts);
    }
  };
  std::vector<NextHopId> out(burst);
  uint64_t sink = 0;
  auto lookup = [&](size_t rounds) {
    for (size_t r = 0; r < rounds; ++r) {
      for (size_t i = 0; i + burst <= dst.size(); i += burst) {
        lpm.LookupBatch(std::span(dst).subspan(i, burst), out);
        sink += out[0];
      }
    }
  };
  const double per_round = static_cast<double>(dst.size() / burst * burst);
  std::vector<double> fwd, lkp, ratio;
  for (int rep = 0; rep < absl::GetFlag(FLAGS_repetitions); ++rep) {
    const double l = absl::GetFlag(FLAGS_fwd_only) ? 1 :
        MeasureRate(lookup, per_round, absl::GetFlag(FLAGS_min_time), 1).median;
    const double f = absl::GetFlag(FLAGS_lpm_only) ? 1 :
        MeasureRate(forward, per_round, absl::GetFlag(FLAGS_min_time), 1).median;
    lkp.push_back(l);
    fwd.push_back(f);
    ratio.push_back(f / l);
  }
  for (auto* v : {&fwd, &lkp, &ratio}) std::sort(v->begin(), v->end());
  const size_t mid = fwd.size() / 2;
  std::printf("%-10s %12.1f %12.1f %8.2f %8.0f%%  %6.1f ns/frame\n", name,
              fwd[mid] / 1e6, lkp[mid] / 1e6, ratio[mid],
              100 * (fwd.back() - fwd.front()) / fwd[mid], 1e9 / fwd[mid]);
  if (sink == 42) std::printf(" ");
}

}  // namespace
}  // namespace nexthop::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "fwd-bench [--table FILE] [--frames N] [--burst N] [--repetitions N]");
  absl::ParseCommandLine(argc, argv);
  absl::StatusOr<nexthop::LoadResult> r =
      nexthop::LoadRouteFile(absl::GetFlag(FLAGS_table), {});
  if (!r.ok()) {
    std::fprintf(stderr, "fwd-bench: %s\n", std::string(r.status().message()).c_str());
    return 1;
  }
  std::vector<nexthop::Prefix> prefixes;
  for (const nexthop::Route& route : r->routes) prefixes.push_back(route.prefix);
  std::printf("fwd-bench: %zu prefixes, %d frames of 60 bytes (64 with FCS), burst %d, "
              "next hops rr:255 on 3 egress ports, all resolved\n",
              prefixes.size(), absl::GetFlag(FLAGS_frames), absl::GetFlag(FLAGS_burst));
  std::printf("%-10s %12s %12s %8s %9s\n", "lpm", "Mframes/s", "LPM Mlkp/s",
              "fwd/lpm", "spread");
  nexthop::bench::Measure<nexthop::Poptrie>("poptrie", prefixes);
  nexthop::bench::Measure<nexthop::Dir24_8>("dir24_8", prefixes);
  return 0;
}
