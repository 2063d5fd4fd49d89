// Builds the subtree of one direct-table chunk from its routes.
//
// Routes are packed into one uint64 (address, length, next hop) so that a
// chunk's route list is a flat sorted array: sorting by the packed value
// orders by address then length, which puts every route before the routes
// it covers. The builder relies on that: writing routes into a node's 64
// slots in list order leaves the longest match in each slot.
#ifndef NEXTHOP_LPM_INTERNAL_POPTRIE_BUILD_H_
#define NEXTHOP_LPM_INTERNAL_POPTRIE_BUILD_H_

#include <cstdint>
#include <span>
#include <vector>

#include "lpm/internal/poptrie_node.h"

namespace nexthop::internal::poptrie {

inline uint64_t PackRoute(uint32_t addr, int len, uint32_t next_hop) {
  return uint64_t{addr} << 32 | uint64_t(len) << 24 | next_hop;
}
inline uint32_t RouteAddr(uint64_t r) { return static_cast<uint32_t>(r >> 32); }
inline int RouteLen(uint64_t r) { return static_cast<int>((r >> 24) & 63); }
inline uint32_t RouteNextHop(uint64_t r) { return r & 0xffffff; }
// Address and length: what identifies a route.
inline uint64_t RouteKey(uint64_t r) { return r >> 24; }

// A chunk's subtree before it is placed: child and leaf bases are relative
// to the start of `nodes` and `leaves`; the root is nodes[0] and its
// leaves come first. No nodes: the chunk is the direct leaf `leaf`.
struct LocalTrie {
  std::vector<Node> nodes;
  std::vector<Leaf> leaves;
  uint32_t leaf = kLeafMiss;
};

// `routes`: sorted, all longer than kDirectBits, all inside one chunk;
// `default_leaf`: the leaf value of the chunk's best shorter route.
// A chunk where every address has the same answer (no routes, or longer
// routes that all agree with what they cover) gets no nodes: `out->leaf`
// is that answer, and the lookup ends at the direct entry. Its routes
// still matter to LookupMatch (the chunk's route list), not to Lookup.
void BuildChunk(std::span<const uint64_t> routes, uint32_t default_leaf,
                LocalTrie* out);

}  // namespace nexthop::internal::poptrie

#endif  // NEXTHOP_LPM_INTERNAL_POPTRIE_BUILD_H_
