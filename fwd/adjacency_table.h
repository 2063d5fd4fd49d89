// AdjacencyTable: a router's next-hop table (NextHopId -> Adjacency) whose
// gateway MACs follow its NeighborCache, published to a ForwardingPlane.
//
// A DPDK-style next-hop table holds the rewrite itself, so that forwarding
// to a resolved gateway needs no neighbour lookup per packet; the
// ForwardingPlane does the same for every Adjacency that carries a MAC.
// This keeps those MACs right: a gateway's MAC is in the adjacency of every
// next hop through it exactly while its cache entry is REACHABLE or
// PERMANENT (NeighborCache::ConnectedMac), as Linux uses a neighbour's
// cached header only while the neighbour is connected. When the entry is
// resolved, changes its MAC, leaves REACHABLE (for STALE, or FAILED) or is
// deleted, evicted or collected, the next Sync() sets or clears the MAC of
// every next hop through it and publishes the result. A next hop without
// a MAC goes through the per-packet lookup, which records the gateway's
// use (so that a STALE gateway in use is re-verified, not collected) and
// sends the frame to the slow path while the gateway resolves. On-link
// next hops never carry one: their neighbour is each packet's destination.
//
// Use: the writer (the control-plane thread) publishes the plane's tables
// through Publish() instead of ForwardingPlane::Publish, and calls Sync()
// after each call that may change the cache (OnArp, Advance, AddPermanent,
// Delete, Confirm; Resolve too, which costs nothing when it changed no
// connected MAC). Until Sync() runs, bursts use the MACs of before the
// change, as Linux's fast path does until the neighbour update reaches it.
//
// Cost: Sync() is O(1) when the cache logged no change; otherwise one
// binary search per changed gateway and, if a MAC changed, one new version
// of the plane's tables (a copy of the adjacency, port and local tables,
// 16 bytes per next hop; the version it replaces is freed after the
// plane's grace period): 0.24-0.42 us with the OnArp that caused it, for
// 255 next hops (fwd-bench). Writing each MAC in place with one atomic
// 8-byte store would save the copy, but would turn the fast path's reads
// of the adjacency into atomic loads and let one burst see some next hops
// from before a change and others from after it; a version per change
// keeps the reads plain and each burst's table one state.
//
// Thread-safety: Publish and Sync are the writer's, on the thread that
// writes the cache; bursts run beside them on any number of threads as the
// ForwardingPlane allows (its SetGracePeriod, and the cache's, attached).
//
// Example:
//   #include "lpm/poptrie.h"
//   Poptrie lpm;  // 10.0.0.0/8 -> next hop 0, via 192.168.1.1 on port 1
//   lpm.Insert(*Ipv4Prefix::Parse("10.0.0.0/8"), 0).IgnoreError();
//   ManualClock clock;
//   NeighborCache neighbors(&clock, {});
//   ForwardingPlane<Poptrie> plane({&lpm, {}, {}, &neighbors, {}});
//   AdjacencyTable<Poptrie> table(&plane, &neighbors);
//   const Ipv4Address gw = *Ipv4Address::Parse("192.168.1.1");
//   table.Publish({&lpm, {{1, /*on_link=*/false, gw, /*mac=*/{}}},
//                  {{MacAddress::FromUint64(0x0200000000a0), 1500},
//                   {MacAddress::FromUint64(0x0200000000a1), 1500}},
//                  &neighbors, {}});
//   std::vector<NeighborAction> actions;
//   neighbors.Resolve(gw, Packet(64, 0), actions);  // ARP request out
//   neighbors.OnArp(ArpReply(ArpRequest(MacAddress(), Ipv4Address(), gw).arp,
//                            *MacAddress::Parse("02:00:00:00:00:99")).arp,
//                   /*target_is_local=*/true, actions);  // REACHABLE
//   table.Sync();  // true: next hop 0 now carries 02:00:00:00:00:99
#ifndef NEXTHOP_FWD_ADJACENCY_TABLE_H_
#define NEXTHOP_FWD_ADJACENCY_TABLE_H_

#include <cstdint>
#include <span>
#include <utility>

#include "arp/neighbor_cache.h"
#include "fwd/forwarding_plane.h"
#include "fwd/internal/gateway_macs.h"
#include "lpm/lpm.h"

namespace nexthop {

template <LpmStructureFor<Ipv4> Lpm>
class AdjacencyTable {
 public:
  using Tables = typename ForwardingPlane<Lpm>::OwnedTables;

  // `plane` and `neighbors` must outlive the table. Publish() before the
  // plane's first burst.
  AdjacencyTable(ForwardingPlane<Lpm>* plane, NeighborCache* neighbors)
      : plane_(plane), neighbors_(neighbors) {}
  AdjacencyTable(const AdjacencyTable&) = delete;
  AdjacencyTable& operator=(const AdjacencyTable&) = delete;

  // Makes `tables` what the plane's bursts read, with every gateway next
  // hop's MAC taken from the cache (whatever `tables` had there) and the
  // cache as `tables.neighbors`. For every change of routes, ports or
  // local addresses.
  void Publish(Tables tables) {
    neighbors_->TakeChanges();  // all of them are in what Build reads
    tables.neighbors = neighbors_;
    macs_.Build(tables.adjacency, *neighbors_);
    tables_ = tables;
    plane_->Publish(std::move(tables));
    ++versions_;
  }

  // Follows the cache's changes since the last call: if a next hop's MAC
  // changed, publishes a new version and returns true.
  bool Sync() {
    const NeighborChanges changes = neighbors_->TakeChanges();
    if (changes.changed.empty() && !changes.all) return false;
    if (!macs_.Apply(changes, tables_.adjacency, *neighbors_)) return false;
    plane_->Publish(tables_);
    ++versions_;
    return true;
  }

  // What the plane reads now (the last version published).
  std::span<const Adjacency> adjacency() const { return tables_.adjacency; }
  // Versions published so far.
  uint64_t versions() const { return versions_; }

 private:
  ForwardingPlane<Lpm>* plane_;
  NeighborCache* neighbors_;
  Tables tables_{};  // a copy of the last version published
  internal::GatewayMacs macs_;
  uint64_t versions_ = 0;
};

}  // namespace nexthop

#endif  // NEXTHOP_FWD_ADJACENCY_TABLE_H_
