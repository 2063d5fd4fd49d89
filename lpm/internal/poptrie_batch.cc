// Poptrie batch lookup.
//
// A loop of single lookups stalls in two ways. Whether an address goes
// past the direct table is a coin flip on uniform traffic, and each
// misprediction throws away the reads in flight behind it. And each
// lookup's three reads (direct entry, node, leaf) depend on each other.
//
// Here a block of up to 64 addresses goes through three passes, each a
// loop of independent reads: (1) every lane reads its direct entry (a
// dozen lanes ahead prefetched), writes the answer when it is a leaf, and
// appends the lanes that continue, without a branch (a store and a
// conditional increment), to a compact list of (lane, node, address);
// their nodes are prefetched. (2) The listed lanes read their node and
// prefetch their leaf. (3) They read the leaf. The rare lane that goes
// past the first node level (a /24 holding longer routes) finishes with
// the single lookup's descent.
//
// Measured on the bundled table against the single lookup (nexthop-bench,
// one shared 2-vCPU EPYC; README, issue 15): the previous batch ran stages
// 1, 2 and 3 of three groups of 16 in one loop with per-group lane lists,
// and lost to the single lookup on matched and Zipf traffic with rr:255
// next hops (146 vs 171 and 159 vs 212 M/s), where most lanes descend and
// its bookkeeping cost more than it overlapped. Two branches GCC emitted
// on its own (the "node or not" select of the node to prefetch, the miss
// test) made a first version of these passes half as fast on uniform
// traffic: those selects are written as arithmetic. A branchless
// child-or-leaf select in pass 2 was slower than its well-predicted
// branch; loading the leaf in pass 2 instead of a third pass was slower on
// every traffic; prefetching 8-16 lanes ahead beat 4 and 24 or more.
#include <algorithm>
#include <bit>

#include "lpm/poptrie.h"

namespace nexthop {

using internal::poptrie::DescendFrom;
using internal::poptrie::kChunkShift;
using internal::poptrie::kDirectBits;
using internal::poptrie::kNodeBit;
using internal::poptrie::kStride;
using internal::poptrie::Leaf;
using internal::poptrie::Node;
using internal::poptrie::Slot;
using internal::poptrie::UpTo;

namespace {

constexpr size_t kBlock = 64;  // lanes per pass (a lane number fits a byte)
constexpr size_t kAhead = 12;  // direct entries prefetched ahead

struct Tables {
  const uint32_t* direct;
  const Node* nodes;
  const Leaf* leaves;
};

// DecodeLeaf without a branch: leaf + 1 reaches bit 16 only for the miss
// value (leaves are 16-bit).
inline NextHopId Decode(uint32_t leaf) noexcept {
  return leaf | (0u - ((leaf + 1) >> 16));
}

// Looks up in[0, n) (n <= kBlock) into out; in[n, n_ahead) are the
// addresses after this block, whose direct entries it prefetches.
void Block(const Tables& t, const Ipv4Address* in, NextHopId* out, size_t n,
           size_t n_ahead) noexcept {
  uint32_t node_at[kBlock], addr_at[kBlock];
  uint8_t lane_at[kBlock], deeper[kBlock];
  size_t nodes_n = 0;
  for (size_t k = 0; k < n; ++k) {
    if (k + kAhead < n_ahead)
      __builtin_prefetch(&t.direct[in[k + kAhead].value() >> kChunkShift]);
    const uint32_t a = in[k].value();
    const uint32_t e =
        internal::LoadDependentInBatch(&t.direct[a >> kChunkShift]);
    out[k] = Decode(e);  // overwritten in pass 3 if it is a node
    node_at[nodes_n] = e & ~kNodeBit;
    addr_at[nodes_n] = a;
    lane_at[nodes_n] = static_cast<uint8_t>(k);
    nodes_n += e >> 31;
  }
  for (size_t j = 0; j < nodes_n; ++j) __builtin_prefetch(&t.nodes[node_at[j]]);

  // Pass 2: node_at becomes the lane's leaf (leaf 0, a harmless read, for
  // a lane that goes deeper; deeper remembers it and its child).
  uint32_t child_at[kBlock];
  size_t deeper_n = 0;
  for (size_t j = 0; j < nodes_n; ++j) {
    const Node& nd = t.nodes[node_at[j]];
    const uint64_t bit = uint64_t{1} << Slot(addr_at[j], kDirectBits);
    const uint64_t upto = UpTo(bit);
    if (nd.vector & bit) {  // rare: a branch predicts it better than a select
      child_at[deeper_n] = nd.base1 + std::popcount(nd.vector & upto) - 1;
      deeper[deeper_n++] = static_cast<uint8_t>(j);
      node_at[j] = 0;
      continue;
    }
    const uint32_t l = nd.base0 + std::popcount(nd.leafvec & upto) - 1;
    node_at[j] = l;
    __builtin_prefetch(&t.leaves[l]);
  }
  for (size_t j = 0; j < nodes_n; ++j)
    out[lane_at[j]] = Decode(t.leaves[node_at[j]]);
  for (size_t d = 0; d < deeper_n; ++d) {
    const size_t j = deeper[d];
    out[lane_at[j]] = internal::poptrie::DecodeLeaf(
        DescendFrom(kNodeBit | child_at[d], t.nodes, t.leaves, addr_at[j],
                    kDirectBits + kStride));
  }
}

}  // namespace

void Poptrie::LookupBatch(std::span<const Ipv4Address> in,
                          std::span<NextHopId> out) const noexcept {
  const size_t n = std::min(in.size(), out.size());
  const Tables t{direct_.get(), nodes_.data(), leaves_.data()};
  for (size_t k = 0; k < std::min(n, kAhead); ++k)
    __builtin_prefetch(&t.direct[in[k].value() >> kChunkShift]);
  for (size_t i = 0; i < n; i += kBlock) {
    Block(t, in.data() + i, out.data() + i, std::min(kBlock, n - i), n - i);
  }
}

}  // namespace nexthop
