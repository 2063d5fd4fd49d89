// ForwardingPlane: a router's fast path over bursts of Ethernet frames.
//
// For each frame: Ethernet II with IPv4 (anything else is ARP for the
// control plane or dropped as unknown), IPv4 header validation (RFC 1812:
// version, IHL, lengths, checksum), local delivery, TTL, one batched LPM
// lookup for the burst, the adjacency of the next hop (with its gateway's
// MAC, when kept there), one batched neighbour-cache lookup for the frames
// whose adjacency has none, MTU, then the rewrite in place: destination MAC
// of the next hop, source MAC of the egress port, TTL - 1 with the RFC 1624
// checksum update. Frames it cannot finish (ARP, TTL expiry, no route,
// unresolved neighbour, too big) get kSlowPath with the reason, for the
// control plane (ControlPlane in sim/control_plane.h) to answer with ICMP or to
// queue.
//
// Templated on the LPM structure so the lookup is inlined; the simulator
// uses it with AnyLpm. Constructed with Tables it owns nothing: it reads
// the tables it is given, which must outlive it and stay unchanged while a
// burst runs. Cost per frame on the full Internet table: see README
// (fwd-bench). Its neighbour lookups record each gateway's use
// (NeighborCache), lock-free.
//
// Thread-safety: bursts may run concurrently on any number of threads. To
// change the adjacency, port or local tables while they run, Publish() a
// new version the plane owns (AdjacencyTable, fwd/adjacency_table.h, does
// it when a gateway's MAC changes): each burst reads one version
// throughout (one acquire load), so a frame's port and MAC come from one
// state, and a replaced version is freed only after a grace period of the
// GracePeriod given to SetGracePeriod (lpm/grace_period.h), as the LPM
// structures do; burst threads report quiescent states between bursts
// (rcu/urcu_qsbr.h). The LPM and the NeighborCache must themselves be
// attached to a grace period to change under bursts. Publish,
// SetGracePeriod and Reclaim are the writer's and must be serialised; the
// plane is neither copyable nor movable.
//
// Example:
//   #include "lpm/poptrie.h"
//   Poptrie lpm;  // route 10.0.0.0/8 -> next hop 0, via 192.168.1.1 on port 1
//   lpm.Insert(*Ipv4Prefix::Parse("10.0.0.0/8"), 0).IgnoreError();
//   const Ipv4Address gw = *Ipv4Address::Parse("192.168.1.1");
//   // No MAC kept here (AdjacencyTable would keep it): looked up per frame.
//   const Adjacency adjacency[] = {
//       {.port = 1, .on_link = false, .gateway = gw, .mac = MacAddress()}};
//   const Port ports[] = {{MacAddress::FromUint64(0x0200000000a0), 1500},
//                         {MacAddress::FromUint64(0x0200000000a1), 1500}};
//   ManualClock clock;
//   NeighborCache neighbors(&clock, {});
//   neighbors.AddPermanent(gw, *MacAddress::Parse("02:00:00:00:00:99"))
//       .IgnoreError();
//   const Ipv4Address local[] = {*Ipv4Address::Parse("192.168.0.1")};
//   ForwardingPlane<Poptrie> plane(
//       {&lpm, adjacency, ports, &neighbors, local});
//   std::vector<uint8_t> frame = BuildFrame(ports[0].mac, MacAddress(),
//       kEtherTypeIpv4, BuildIpv4(*Ipv4Address::Parse("172.16.0.1"),
//           *Ipv4Address::Parse("10.1.2.3"), kProtoIcmp, 64, 1, true, {}));
//   const std::span<uint8_t> frames[] = {frame};
//   Verdict verdicts[1];
//   plane.ProcessBurst(frames, verdicts);  // kForward, port 1, TTL 63
#ifndef NEXTHOP_FWD_FORWARDING_PLANE_H_
#define NEXTHOP_FWD_FORWARDING_PLANE_H_

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "arp/neighbor_cache.h"
#include "fwd/ipv4_packet.h"
#include "lpm/grace_period.h"
#include "lpm/internal/reclaim.h"
#include "lpm/lpm.h"
#include "net/ethernet.h"
#include "net/wire.h"

namespace nexthop {

struct Port {
  MacAddress mac;
  uint16_t mtu = 1500;
};

// Where a next hop id leads: an egress port and the neighbour to send to
// (the gateway, or the packet's own destination when on-link). `mac` is the
// gateway's MAC while its owner keeps it (as DPDK-style next-hop tables
// hold the rewrite): those frames skip the per-packet neighbour lookup,
// and so record no use in the cache. AdjacencyTable (fwd/adjacency_table.h)
// keeps it in step with a NeighborCache: set while the gateway's entry is
// REACHABLE or PERMANENT and zero otherwise, as Linux uses its cached
// header only while the neighbour is connected, so that a STALE gateway's
// traffic goes through the lookup, which records its use (and starts its
// re-verification). The simulator's routers and fwd-bench use it. Zero
// means "look it up"; on-link next hops always do.
struct Adjacency {
  uint16_t port = 0;
  bool on_link = false;
  Ipv4Address gateway;
  MacAddress mac;
};

struct Verdict {
  enum class Kind : uint8_t {
    kForward,   // rewritten in place; send it out of `port`
    kLocal,     // for this node's stack: see ForwardingPlane::Tables::local
    kSlowPath,  // `reason` says what the control plane must do
    kDrop,      // malformed or not forwardable: `reason`
  };
  Kind kind = Kind::kDrop;
  DropReason reason = DropReason::kNone;  // kNone + kSlowPath: ARP frame
                                          // or unresolved `neighbor`
  uint16_t port = 0;
  Ipv4Address neighbor;
};

template <LpmStructureFor<Ipv4> Lpm>
class ForwardingPlane : public internal::DeferredFrees {
 public:
  // Frames per stage pass. 256 (one fwd-bench burst) against 64: fwd/lpm
  // 0.23-0.27 instead of 0.20-0.21 in alternating runs, since the LPM and
  // neighbour batch kernels fill their pipelines once per chunk. Costs
  // ~11 KiB of stack for the lane arrays.
  static constexpr size_t kChunk = 256;

  struct Tables {
    const Lpm* lpm;
    std::span<const Adjacency> adjacency;  // by NextHopId
    std::span<const Port> ports;
    const NeighborCache* neighbors;
    // This node's addresses and the broadcast addresses of its subnets.
    // Besides these, kLocal goes to multicast and 255.255.255.255
    // destinations and to frames sent to an Ethernet group address: none
    // of those is ever forwarded (RFC 1812 5.3.4, 5.3.5); the control
    // plane decides whether it listens.
    std::span<const Ipv4Address> local;
  };

  explicit ForwardingPlane(Tables t) : borrowed_(t), current_(&borrowed_) {}
  ForwardingPlane(const ForwardingPlane&) = delete;
  ForwardingPlane& operator=(const ForwardingPlane&) = delete;

  // Tables whose storage the plane keeps, for Publish.
  struct OwnedTables {
    const Lpm* lpm;
    std::vector<Adjacency> adjacency;
    std::vector<Port> ports;
    const NeighborCache* neighbors;
    std::vector<Ipv4Address> local;
  };
  // Makes `tables` what bursts read from now on; the version it replaces
  // waits for a grace period (at once without one: then no burst may run
  // during the call).
  void Publish(OwnedTables tables) {
    auto next = std::make_unique<Version>(std::move(tables));
    __atomic_store_n(&current_, &next->view, __ATOMIC_RELEASE);
    std::unique_ptr<Version> old = std::exchange(version_, std::move(next));
    if (old == nullptr) return;
    if (!reclaim_.deferred()) return;  // freed here
    reclaim_.Defer(old->Bytes());
    retired_.push_back(std::move(old));
    if (reclaim_.OverBudget()) Reclaim();
  }
  // Waits for a grace period and frees every replaced version
  // (SetGracePeriod and reclaim_stats: internal::DeferredFrees).
  void Reclaim() {
    reclaim_.Wait();
    retired_.clear();
  }

  // verdicts[i] for frames[i], i < min(sizes). Frames that are forwarded
  // are modified in place.
  void ProcessBurst(std::span<const std::span<uint8_t>> frames,
                    std::span<Verdict> verdicts) const noexcept {
    // One version of the tables for the whole burst.
    const Tables& t = *__atomic_load_n(&current_, __ATOMIC_ACQUIRE);
    const size_t n = std::min(frames.size(), verdicts.size());
    for (size_t i = 0; i < n && i < kAhead; ++i) Prefetch(frames[i]);
    for (size_t i = 0; i < n; i += kChunk) {
      Chunk(t, frames.first(n), i, std::min(kChunk, n - i),
            verdicts.subspan(i));
    }
  }

 private:
  using Lane = uint16_t;  // a frame's index within its chunk
  static_assert(kChunk <= 65536);

  // Received headers are usually cold (just written by the NIC): each
  // frame asks for the one kAhead places later, so that a steady number of
  // misses is in flight (asking for a whole chunk at once overflows the
  // core's miss buffers and the prefetches are dropped).
  static constexpr size_t kAhead = 16;
  static void Prefetch(std::span<uint8_t> f) noexcept {
    __builtin_prefetch(f.data(), 1);
    // The 34 header bytes may straddle two lines.
    if ((reinterpret_cast<uintptr_t>(f.data()) & 63) > 30)
      __builtin_prefetch(f.data() + 33, 1);
  }

  static bool IsLocal(const Tables& t, Ipv4Address a) noexcept {
    return a.IsMulticast() || a.IsLimitedBroadcast() ||
           std::find(t.local.begin(), t.local.end(), a) != t.local.end();
  }
  static bool ToGroup(std::span<const uint8_t> frame) noexcept {
    return (frame[0] & 1) != 0;  // the I/G bit of the destination MAC
  }

  // What the rest of the path needs from a frame that passed IsPlain.
  struct Plain {
    uint32_t dst;
    uint16_t total_length;
    bool dont_fragment;
  };
  // The frame nearly every packet is, checked with whole-word loads: Ethernet
  // II, IPv4 without options (first byte 0x45), total length within the
  // frame, correct checksum, TTL > 1. False sends the frame to the general
  // checks (ParseIpv4), which also handle options and name the reason, so
  // this only has to be right when it says true.
  static bool IsPlain(std::span<const uint8_t> f, Plain* out) noexcept {
    constexpr size_t kHeaders = kEthernetHeaderSize + 20;
    if (f.size() < kHeaders) return false;
    const uint8_t* p = f.data();
    if (p[12] != 0x08 || p[13] != 0x00 || p[14] != 0x45) return false;
    uint64_t a, b;
    uint32_t dst;
    std::memcpy(&a, p + kEthernetHeaderSize, 8);
    std::memcpy(&b, p + kEthernetHeaderSize + 8, 8);
    std::memcpy(&dst, p + kEthernetHeaderSize + 16, 4);
    // The header's one's-complement sum is all ones exactly when the plain
    // sum of its 32-bit words is a multiple of 0xFFFF (2^16 = 1 modulo
    // 0xFFFF, and byte order does not matter: RFC 1071 2.B); one modulo by
    // a constant replaces the chain of folds. The sum is not 0: p[14] != 0.
    const uint64_t sum =
        (a & 0xFFFFFFFF) + (a >> 32) + (b & 0xFFFFFFFF) + (b >> 32) + dst;
    const uint16_t total = static_cast<uint16_t>(p[16] << 8 | p[17]);
    if ((sum % 0xFFFF != 0) | (total < 20) |
        (total > f.size() - kEthernetHeaderSize) | (p[22] <= 1)) {
      return false;
    }
    out->dst = __builtin_bswap32(dst);
    out->total_length = total;
    out->dont_fragment = (p[20] & 0x40) != 0;
    return true;
  }

  // Frames [first, first + count) of `all`.
  void Chunk(const Tables& t, std::span<const std::span<uint8_t>> all,
             size_t first, size_t count,
             std::span<Verdict> out) const noexcept {
    const std::span<const std::span<uint8_t>> frames =
        all.subspan(first, count);
    // Ipv4Address[], the LPM batch's input type (not uint32_t[] read through
    // a cast pointer: that access would be undefined). It is zeroed first,
    // 1 KiB a chunk, which measured within the noise (fwd-bench); the other
    // lane arrays stay raw.
    Ipv4Address dst[kChunk];
    uint16_t length[kChunk];
    Lane lane[kChunk];
    uint8_t dont_fragment[kChunk];
    size_t n = 0;
    for (size_t i = 0; i < frames.size(); ++i) {
      if (first + i + kAhead < all.size()) Prefetch(all[first + i + kAhead]);
      const std::span<const uint8_t> f = frames[i];
      Verdict& v = out[i];
      v = Verdict{};
      Plain plain;
      if (IsPlain(f, &plain)) {
        if (ToGroup(f) || IsLocal(t, Ipv4Address(plain.dst))) {
          v.kind = Verdict::Kind::kLocal;
          continue;
        }
        dst[n] = Ipv4Address(plain.dst);
        length[n] = plain.total_length;
        dont_fragment[n] = plain.dont_fragment;
        lane[n++] = static_cast<Lane>(i);
        continue;
      }
      // Anything else: the general checks, which name what is wrong.
      if (f.size() < kEthernetHeaderSize) {
        v.reason = DropReason::kTruncated;
        continue;
      }
      const uint16_t type = wire::Load16(f, 12);
      if (type != kEtherTypeIpv4) {
        if (type == kEtherTypeArp) {
          v.kind = Verdict::Kind::kSlowPath;
        } else {
          v.reason = DropReason::kUnknownEtherType;
        }
        continue;
      }
      Ipv4View ip;
      v.reason = ParseIpv4(f.subspan(kEthernetHeaderSize), &ip);
      if (v.reason != DropReason::kNone) continue;
      if (ToGroup(f) || IsLocal(t, ip.dst)) {
        v.kind = Verdict::Kind::kLocal;
        continue;
      }
      if (ip.ttl <= 1) {
        v.kind = Verdict::Kind::kSlowPath;
        v.reason = DropReason::kTtlExpired;
        continue;
      }
      dst[n] = ip.dst;
      length[n] = ip.total_length;
      dont_fragment[n] = ip.dont_fragment;
      lane[n++] = static_cast<Lane>(i);
    }
    NextHopId hop[kChunk];
    t.lpm->LookupBatch(std::span<const Ipv4Address>(dst, n),
                       std::span<NextHopId>(hop, n));
    uint32_t neighbor[kChunk];
    Lane lane2[kChunk];
    uint16_t port[kChunk];
    uint64_t mac[kChunk];
    uint32_t ask_ip[kChunk];  // neighbours to look up in the cache
    Lane ask[kChunk];
    size_t asks = 0;
    size_t m = 0;
    for (size_t j = 0; j < n; ++j) {
      Verdict& v = out[lane[j]];
      if (hop[j] >= t.adjacency.size()) {  // kNoRoute, or not wired
        v.kind = Verdict::Kind::kSlowPath;
        v.reason = DropReason::kNoRoute;
        continue;
      }
      const Adjacency& adj = t.adjacency[hop[j]];
      if (length[j] > t.ports[adj.port].mtu) {
        // Fragmentation is not implemented: without DF it is a drop.
        v.kind =
            dont_fragment[j] ? Verdict::Kind::kSlowPath : Verdict::Kind::kDrop;
        v.reason = DropReason::kFragmentationNeeded;
        v.port = adj.port;
        continue;
      }
      neighbor[m] = adj.on_link ? dst[j].value() : adj.gateway.value();
      port[m] = adj.port;
      mac[m] = adj.on_link ? 0 : adj.mac.ToUint64();
      ask_ip[asks] = neighbor[m];
      ask[asks] = static_cast<Lane>(m);
      asks += mac[m] == 0;
      lane2[m++] = lane[j];
    }
    if (asks != 0) {
      uint64_t found[kChunk];
      // The raw-word form: addresses and MACs as the integers they are here.
      t.neighbors->LookupBatch(std::span<const uint32_t>(ask_ip, asks),
                               std::span<uint64_t>(found, asks));
      for (size_t k = 0; k < asks; ++k) mac[ask[k]] = found[k];
    }
    for (size_t j = 0; j < m; ++j) {
      Verdict& v = out[lane2[j]];
      v.port = port[j];
      if (mac[j] == 0) {
        v.kind = Verdict::Kind::kSlowPath;
        v.neighbor = Ipv4Address(neighbor[j]);
        continue;
      }
      const std::span<uint8_t> f = frames[lane2[j]];
      SetMacs(f, MacAddress::FromUint64(mac[j]), t.ports[port[j]].mac);
      DecrementTtl(f.subspan(kEthernetHeaderSize));
      v.kind = Verdict::Kind::kForward;
    }
  }

  // A published version: the storage and the view bursts read.
  struct Version {
    explicit Version(OwnedTables o)
        : owned(std::move(o)),
          view{owned.lpm, owned.adjacency, owned.ports, owned.neighbors,
               owned.local} {}
    size_t Bytes() const {
      return sizeof(*this) + owned.adjacency.size() * sizeof(Adjacency) +
             owned.ports.size() * sizeof(Port) +
             owned.local.size() * sizeof(Ipv4Address);
    }
    OwnedTables owned;
    Tables view;
  };

  Tables borrowed_;                   // the constructor's
  std::unique_ptr<Version> version_;  // the last published
  const Tables* current_;             // what bursts read (atomic)
  std::vector<std::unique_ptr<Version>> retired_;
};

}  // namespace nexthop

#endif  // NEXTHOP_FWD_FORWARDING_PLANE_H_
