// The hot data of Poptrie and the one descent step every lookup repeats.
//
// A node covers 6 address bits (64 slots). `vector` has a bit per slot that
// continues into a child node; the children of a node are contiguous from
// `base1`, so slot s's child is base1 + popcount(vector up to s) - 1.
// Every other slot is a leaf. Leaves are stored once per run of equal
// values: `leafvec` marks the slots where a new run starts (counting leaf
// slots only), and slot s's leaf is base0 + popcount(leafvec up to s) - 1.
#ifndef NEXTHOP_LPM_INTERNAL_POPTRIE_NODE_H_
#define NEXTHOP_LPM_INTERNAL_POPTRIE_NODE_H_

#include <bit>
#include <cstdint>

#include "lpm/internal/reclaim.h"
#include "lpm/next_hop_id.h"

namespace nexthop::internal::poptrie {

struct Node {
  uint64_t vector = 0;
  uint64_t leafvec = 0;
  uint32_t base0 = 0;  // first leaf
  uint32_t base1 = 0;  // first child
  friend bool operator==(const Node&, const Node&) = default;
};
static_assert(sizeof(Node) == 24);

// The first kDirectBits of an address index the direct table; nodes then
// take kStride bits each (offsets 18, 24, 30; the last node level sees two
// real bits and four zero bits, so /31 and /32 fill 32 and 16 of its slots).
inline constexpr int kDirectBits = 18;
inline constexpr int kStride = 6;
inline constexpr int kChunkShift = 32 - kDirectBits;
inline constexpr uint32_t kChunks = uint32_t{1} << kDirectBits;

// A direct-table entry or a state in a descent: bit 31 set means "node at
// index (e & ~kNodeBit)"; otherwise it is a leaf value.
inline constexpr uint32_t kNodeBit = 0x80000000u;
// Leaves are next-hop ids of 16 bits, as in the Poptrie paper: halving the
// largest array is what keeps a full table's lookup data within this
// machine's effective cache (measured: docs/poptrie-design.md).
using Leaf = uint16_t;
// The leaf value of "no route"; next hops are < 0xffff.
inline constexpr uint32_t kLeafMiss = 0xffffu;

inline NextHopId DecodeLeaf(uint32_t leaf) noexcept {
  return leaf == kLeafMiss ? kNoRoute : leaf;
}

// The 6-bit slot of `addr` in a node at bit offset `offset` (from the top).
// Bits past the 32nd read as zero.
inline uint32_t Slot(uint32_t addr, int offset) noexcept {
  return (addr << offset) >> (32 - kStride);
}

inline uint64_t UpTo(uint64_t bit) noexcept { return (bit << 1) - 1; }

// One step: returns the next state (a node, or the final leaf value).
inline uint32_t Descend(const Node& n, const Leaf* leaves, uint32_t addr,
                        int offset) noexcept {
  const uint64_t bit = uint64_t{1} << Slot(addr, offset);
  const uint64_t upto = UpTo(bit);
  if (n.vector & bit) {
    return kNodeBit | (n.base1 + std::popcount(n.vector & upto) - 1);
  }
  return leaves[n.base0 + std::popcount(n.leafvec & upto) - 1];
}

// The deepest node level: offsets 18, 24 and 30 cover the 14 bits past the
// direct table. A well-formed trie never goes further; a torn or corrupt
// one could (a child bit set at the last level, a cycle), and one more step
// would shift past 32 bits. Descents stop here and answer a miss. This
// bounds the depth only: a corrupt base0/base1 index is still followed,
// and can read out of bounds. Nodes are only ever corrupt through a bug or
// a torn update; the concurrency issue makes updates safe to read.
inline constexpr int kMaxLevels = (32 - kDirectBits + kStride - 1) / kStride;
inline constexpr int kLastOffset = kDirectBits + (kMaxLevels - 1) * kStride;
static_assert(kMaxLevels == 3 && kLastOffset < 32);

// Finishes a descent from state `e` at node offset `offset`: at most the
// levels left, then a leaf value (kLeafMiss if still on a node).
inline uint32_t DescendFrom(uint32_t e, const Node* nodes, const Leaf* leaves,
                            uint32_t addr, int offset) noexcept {
  for (; (e & kNodeBit) && offset <= kLastOffset; offset += kStride) {
    e = Descend(nodes[e & ~kNodeBit], leaves, addr, offset);
  }
  return (e & kNodeBit) ? kLeafMiss : e;
}

// A direct entry is published with a release store once its subtree is
// complete (Poptrie's writer may run beside readers); the nodes are read
// through it (internal::LoadDependent).
inline uint32_t LoadDirect(const uint32_t* direct, uint32_t addr) noexcept {
  return LoadDependent(&direct[addr >> kChunkShift]);
}

inline uint32_t Resolve(const uint32_t* direct, const Node* nodes,
                        const Leaf* leaves, uint32_t addr) noexcept {
  return DescendFrom(LoadDirect(direct, addr), nodes, leaves, addr,
                     kDirectBits);
}

}  // namespace nexthop::internal::poptrie

#endif  // NEXTHOP_LPM_INTERNAL_POPTRIE_NODE_H_
