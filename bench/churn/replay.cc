#include "bench/churn/replay.h"

#include "absl/strings/str_cat.h"
#include "bench/harness/measure.h"

namespace nexthop::bench {
namespace {

// Events per chunk: big enough that the two clock reads around each
// chunk's FIB part cost < 1% of it, small enough to keep the change
// buffer in L1.
constexpr size_t kChunk = 256;

}  // namespace

ChurnState TableState(std::span<const Ipv4Prefix> prefixes,
                      std::span<const NextHopId> block16) {
  ChurnState state;
  state.rib.Reserve(prefixes.size() + prefixes.size() / 4);
  std::vector<MultipathRib::FibChange> changes;
  for (size_t i = 0; i < prefixes.size(); ++i) {
    MultipathRib::Path path;
    path.peer = 0;
    path.as_path_length = MultipathRib::kLastResort;
    path.next_hop = Ipv4Address::FromOctets(
        198, 18, 0, static_cast<uint8_t>(1 + block16[i]));
    state.rib.Announce(prefixes[i], path, changes);
    changes.clear();
  }
  return state;
}

absl::StatusOr<ReplayResult> Replay(ChurnState& state,
                                    std::span<const ChurnEvent> events,
                                    ChurnEngine& engine) {
  ReplayResult r;
  const NextHopId max_id = engine.max_next_hop();
  std::vector<MultipathRib::FibChange> changes;
  std::vector<FibOp> ops;
  changes.reserve(4 * kChunk);
  ops.reserve(4 * kChunk);
  const auto t0 = std::chrono::steady_clock::now();
  for (size_t begin = 0; begin < events.size(); begin += kChunk) {
    const size_t end = std::min(events.size(), begin + kChunk);
    changes.clear();
    for (size_t i = begin; i < end; ++i) {
      const ChurnEvent& e = events[i];
      switch (e.kind) {
        case ChurnEvent::Kind::kAnnounce:
          state.rib.Announce(e.prefix, {e.peer, e.as_path_length, e.next_hop},
                             changes);
          break;
        case ChurnEvent::Kind::kWithdraw:
          state.rib.Withdraw(e.peer, e.prefix, changes);
          break;
        case ChurnEvent::Kind::kPeerDown:
          state.rib.DropPeer(e.peer, changes);
          break;
      }
    }
    ops.clear();
    for (const MultipathRib::FibChange& c : changes) {
      FibOp op{c.prefix, kNoRoute};
      if (c.next_hop) {
        absl::StatusOr<NextHopId> id = state.hops.Intern(*c.next_hop, max_id);
        if (!id.ok()) return id.status();
        op.next_hop = *id;
      }
      ops.push_back(op);
    }
    const auto f0 = std::chrono::steady_clock::now();
    if (absl::Status s = engine.Apply(ops); !s.ok()) return s;
    r.fib_s += Seconds(f0);
    r.fib_changes += ops.size();
  }
  r.total_s = Seconds(t0);
  r.events = events.size();
  return r;
}

absl::Status BuildFromRib(ChurnState& state, ChurnEngine& engine) {
  std::vector<Ipv4Prefix> prefixes;
  std::vector<Ipv4Address> hops;
  prefixes.reserve(state.rib.size());
  hops.reserve(state.rib.size());
  state.rib.ForEachBest([&](Ipv4Prefix p, const MultipathRib::Path& path) {
    prefixes.push_back(p);
    hops.push_back(path.next_hop);
  });
  std::vector<NextHopId> ids(hops.size());
  for (size_t i = 0; i < hops.size(); ++i) {
    absl::StatusOr<NextHopId> id =
        state.hops.Intern(hops[i], engine.max_next_hop());
    if (!id.ok()) return id.status();
    ids[i] = *id;
  }
  if (absl::Status s = engine.Reset(); !s.ok()) return s;
  return engine.Build(prefixes, ids);
}

std::vector<Ipv4Address> Probes(std::span<const Ipv4Prefix> prefixes) {
  std::vector<Ipv4Address> out;
  out.reserve(2 * prefixes.size());
  for (const Ipv4Prefix& p : prefixes) {
    out.push_back(p.network());
    out.push_back(Ipv4Address(p.network().value() | ~MaskBits(p.length())));
  }
  return out;
}

absl::Status CompareFibs(const ChurnEngine& a, const ChurnEngine& b,
                         std::span<const Ipv4Address> probes) {
  constexpr size_t kBatch = 4096;
  std::vector<NextHopId> x(kBatch), y(kBatch);
  for (size_t i = 0; i < probes.size(); i += kBatch) {
    const size_t n = std::min(kBatch, probes.size() - i);
    a.LookupBatch(probes.subspan(i, n), std::span(x).first(n));
    b.LookupBatch(probes.subspan(i, n), std::span(y).first(n));
    for (size_t k = 0; k < n; ++k) {
      if (x[k] != y[k]) {
        return absl::InternalError(
            absl::StrCat(a.name(), " after the replay answers ", x[k], " for ",
                         probes[i + k].ToString(),
                         ", a fresh build of the RIB's best paths ", y[k]));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace nexthop::bench
