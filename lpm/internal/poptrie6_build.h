// Builds Poptrie6 subtrees from sorted route lists.
//
// A route list holds every route of a node's region longer than the node's
// offset, sorted by address then length, so that writing routes into a
// node's 64 slots in list order leaves the longest match in each slot (as
// Poptrie's builder does for IPv4).
#ifndef NEXTHOP_LPM_INTERNAL_POPTRIE6_BUILD_H_
#define NEXTHOP_LPM_INTERNAL_POPTRIE6_BUILD_H_

#include <cstdint>
#include <span>
#include <vector>

#include "lpm/internal/poptrie6_node.h"

namespace nexthop::internal::poptrie6 {

struct Route6 {
  uint64_t hi = 0;
  uint64_t lo = 0;
  int len = 0;
  uint32_t leaf = kLeafMiss;
  // Address, then length: the order the builder needs.
  friend bool operator<(const Route6& a, const Route6& b) {
    if (a.hi != b.hi) return a.hi < b.hi;
    if (a.lo != b.lo) return a.lo < b.lo;
    return a.len < b.len;
  }
};

// A subtree before it is placed: child and leaf bases are relative to the
// start of `nodes` and `leaves`. Nodes listed in `reused` are copies of
// placed nodes (absolute bases), kept as they are.
struct LocalTrie6 {
  std::vector<Node> nodes;
  std::vector<Leaf> leaves;
  std::vector<uint32_t> reused;
  void Clear() {
    nodes.clear();
    leaves.clear();
    reused.clear();
  }
};

// Slot values of the node at `offset` from the routes of its region no
// longer than offset + 6 (sorted), over `inherited`.
void FillSlots(std::span<const Route6> routes, uint32_t inherited, int offset,
               uint32_t (&value)[64]);

// Fills out->nodes[index] with the node at `offset` whose region holds
// `routes` (sorted, all longer than `offset`), appending its leaves and
// descendants; `inherited` is the leaf of the best route covering the whole
// region.
void BuildNode6(std::span<const Route6> routes, uint32_t inherited, int offset,
                uint32_t index, LocalTrie6* out);

// The leaves of a node from its slot values: the runs of equal values over
// the slots without a child. Sets n->leafvec and n->base0 (relative).
void AppendLeaves(const uint32_t (&value)[64], uint64_t vector, Node* n,
                  LocalTrie6* out);

// The first address of the slot `s` of a node at `offset` in the region
// starting at (hi, lo).
void SlotStart(uint64_t hi, uint64_t lo, int offset, uint32_t s,
               uint64_t* out_hi, uint64_t* out_lo);

}  // namespace nexthop::internal::poptrie6

#endif  // NEXTHOP_LPM_INTERNAL_POPTRIE6_BUILD_H_
