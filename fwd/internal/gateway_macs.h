// Which adjacencies go through each gateway, and their MACs set from a
// NeighborCache: the part of AdjacencyTable (fwd/adjacency_table.h) that
// does not depend on the LPM structure.
#ifndef NEXTHOP_FWD_INTERNAL_GATEWAY_MACS_H_
#define NEXTHOP_FWD_INTERNAL_GATEWAY_MACS_H_

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "arp/neighbor_cache.h"
#include "fwd/forwarding_plane.h"  // Adjacency

namespace nexthop::internal {

class GatewayMacs {
 public:
  // Indexes the gateway next hops of `adjacency` and sets each one's MAC
  // to its gateway's connected MAC (zero if none), and every on-link next
  // hop's to zero (its neighbour is the packet's destination).
  void Build(std::span<Adjacency> adjacency, const NeighborCache& neighbors);
  // Sets the MAC of every next hop through a changed gateway: `adjacency`
  // is the span given to Build. True if any MAC changed.
  bool Apply(const NeighborChanges& changes, std::span<Adjacency> adjacency,
             const NeighborCache& neighbors) const;

 private:
  // (gateway, next hop id), sorted: the next hops through each gateway.
  std::vector<std::pair<uint32_t, uint32_t>> users_;
};

}  // namespace nexthop::internal

#endif  // NEXTHOP_FWD_INTERNAL_GATEWAY_MACS_H_
