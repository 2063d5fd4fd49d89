// Poptrie6's hot data and its descent step: Poptrie's nodes (vector,
// leafvec, base0, base1; lpm/internal/poptrie_node.h) over 128-bit keys.
//
// The first kDirectBits6 (20) bits index the direct table; nodes then take
// 6 bits each, at offsets 20, 26, ..., 122 (the node at offset o holds the
// routes of /o+1 to /o+6), so a /32 ends in the second node level (offset
// 26), a /48 in the fifth (offset 44) and a /128 in the eighteenth. Real
// tables hardly go past /48, so lookups stop after one to five nodes; the
// rare longer routes just make a deeper path where they are.
//
// Unlike Poptrie's, a node's `base1` may change while readers descend
// (Poptrie6 replaces one child subtree at a time: the new children array
// is complete before one atomic store of the parent's base1 points to it),
// so readers load it atomically; vector, leafvec and base0 never change
// once a node is reachable.
#ifndef NEXTHOP_LPM_INTERNAL_POPTRIE6_NODE_H_
#define NEXTHOP_LPM_INTERNAL_POPTRIE6_NODE_H_

#include <bit>
#include <cstdint>

#include "lpm/internal/poptrie_node.h"
#include "lpm/internal/reclaim.h"

namespace nexthop::internal::poptrie6 {

using poptrie::DecodeLeaf;
using poptrie::kLeafMiss;
using poptrie::kNodeBit;
using poptrie::kStride;
using poptrie::Leaf;
using poptrie::Node;
using poptrie::UpTo;

inline constexpr int kDirectBits6 = 20;
inline constexpr uint32_t kChunks6 = uint32_t{1} << kDirectBits6;
inline constexpr int kLastOffset6 = 122;
static_assert((kLastOffset6 - kDirectBits6) % kStride == 0 &&
              kLastOffset6 + kStride == 128);

// The 6 bits of (hi, lo) from bit `offset` (0 = most significant).
inline uint32_t Slot6(uint64_t hi, uint64_t lo, int offset) noexcept {
  if (offset <= 64 - kStride) {
    return static_cast<uint32_t>(hi >> (64 - kStride - offset)) & 63;
  }
  if (offset >= 64) {
    return static_cast<uint32_t>(lo >> (128 - kStride - offset)) & 63;
  }
  // Straddles the halves (offset 62: two bits of hi, four of lo).
  return static_cast<uint32_t>((hi << (offset - (64 - kStride))) |
                               (lo >> (128 - kStride - offset))) &
         63;
}

inline uint32_t Chunk6(uint64_t hi) noexcept {
  return static_cast<uint32_t>(hi >> (64 - kDirectBits6));
}

// One step from node `n`: the next state (a node, or the final leaf).
inline uint32_t Descend6(const Node& n, const Leaf* leaves,
                         uint32_t slot) noexcept {
  const uint64_t bit = uint64_t{1} << slot;
  const uint64_t upto = UpTo(bit);
  if (n.vector & bit) {
    return kNodeBit |
           (LoadDependent(&n.base1) + std::popcount(n.vector & upto) - 1);
  }
  return leaves[n.base0 + std::popcount(n.leafvec & upto) - 1];
}

// A full lookup: the leaf value (kLeafMiss for none). Bounded by the last
// node level whatever the nodes say.
inline uint32_t Resolve6(const uint32_t* direct, const Node* nodes,
                         const Leaf* leaves, uint64_t hi,
                         uint64_t lo) noexcept {
  uint32_t e = LoadDependent(&direct[Chunk6(hi)]);
  for (int offset = kDirectBits6; (e & kNodeBit) && offset <= kLastOffset6;
       offset += kStride) {
    e = Descend6(nodes[e & ~kNodeBit], leaves, Slot6(hi, lo, offset));
  }
  return (e & kNodeBit) ? kLeafMiss : e;
}

}  // namespace nexthop::internal::poptrie6

#endif  // NEXTHOP_LPM_INTERNAL_POPTRIE6_NODE_H_
