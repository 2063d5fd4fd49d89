// Poptrie batch lookup.
//
// A loop of single lookups stalls twice over: whether an address continues
// past the direct table (a quarter of uniform traffic on a full table) is a
// coin-flip branch whose mispredictions discard the misses in flight, and
// each lookup's reads depend on each other. Here small groups of addresses
// go through three stages (direct entry, node, leaf) in a software
// pipeline: one iteration runs stage 1 of group g, stage 2 of group g-1
// and stage 3 of group g-2, so each stage's reads were prefetched one
// iteration earlier and the reads of three groups overlap. Inside a stage,
// lanes move to the next stage's list without a branch (a store and a
// conditional increment). The rare address that goes past the first node
// level (a /24 holding longer routes) finishes with the single lookup.
#include <algorithm>
#include <bit>
#include <cstdlib>

#include "lpm/poptrie.h"

namespace nexthop {

using internal::poptrie::DecodeLeaf;
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

constexpr size_t kLanes = 16;

struct Lanes {
  const Ipv4Address* in;
  NextHopId* out;
  size_t n;
  size_t nodes_n;
  size_t leaves_n;
  uint32_t index[kLanes];  // the node or leaf each lane reads next
  uint8_t at_node[kLanes];
  uint8_t at_leaf[kLanes];
};

struct Tables {
  const uint32_t* direct;
  const Node* nodes;
  const Leaf* leaves;
};

inline void DirectStage(const Tables& t, Lanes& g) noexcept {
  size_t nodes_n = 0;
  for (size_t k = 0; k < g.n; ++k) {
    const uint32_t e = internal::LoadDependentInBatch(
        &t.direct[g.in[k].value() >> kChunkShift]);
    g.out[k] = DecodeLeaf(e);  // overwritten later if it is a node
    g.index[k] = e & ~kNodeBit;
    g.at_node[nodes_n] = static_cast<uint8_t>(k);
    nodes_n += e >> 31;
  }
  for (size_t j = 0; j < nodes_n; ++j)
    __builtin_prefetch(&t.nodes[g.index[g.at_node[j]]]);
  g.nodes_n = nodes_n;
}

inline void NodeStage(const Tables& t, Lanes& g) noexcept {
  size_t leaves_n = 0, deeper_n = 0;
  uint8_t deeper[kLanes];
  for (size_t j = 0; j < g.nodes_n; ++j) {
    const size_t k = g.at_node[j];
    const Node& nd = t.nodes[g.index[k]];
    const uint64_t bit = uint64_t{1} << Slot(g.in[k].value(), kDirectBits);
    const uint64_t upto = UpTo(bit);
    const bool child = (nd.vector & bit) != 0;
    const uint32_t c = nd.base1 + std::popcount(nd.vector & upto) - 1;
    const uint32_t l = nd.base0 + std::popcount(nd.leafvec & upto) - 1;
    g.index[k] = child ? c : l;
    g.at_leaf[leaves_n] = static_cast<uint8_t>(k);
    leaves_n += !child;
    deeper[deeper_n] = static_cast<uint8_t>(k);
    deeper_n += child;
  }
  for (size_t j = 0; j < leaves_n; ++j)
    __builtin_prefetch(&t.leaves[g.index[g.at_leaf[j]]]);
  g.leaves_n = leaves_n;
  for (size_t j = 0; j < deeper_n; ++j) {
    const size_t k = deeper[j];
    g.out[k] = DecodeLeaf(DescendFrom(kNodeBit | g.index[k], t.nodes, t.leaves,
                                      g.in[k].value(), kDirectBits + kStride));
  }
}

inline void LeafStage(const Tables& t, const Lanes& g) noexcept {
  for (size_t j = 0; j < g.leaves_n; ++j) {
    const size_t k = g.at_leaf[j];
    g.out[k] = DecodeLeaf(t.leaves[g.index[k]]);
  }
}

}  // namespace

void Poptrie::LookupBatch(std::span<const Ipv4Address> in,
                          std::span<NextHopId> out) const noexcept {
  const size_t n = std::min(in.size(), out.size());
  const Ipv4Address* addrs = in.data();
  const Tables t{direct_.get(), nodes_.data(), leaves_.data()};
  const size_t groups = (n + kLanes - 1) / kLanes;
  Lanes ring[3];
  for (size_t k = 0; k < std::min(n, kLanes); ++k)
    __builtin_prefetch(&t.direct[addrs[k].value() >> kChunkShift]);
  for (size_t g = 0; g < groups + 2; ++g) {
    if (g < groups) {
      Lanes& s = ring[g % 3];
      s.in = addrs + g * kLanes;
      s.out = out.data() + g * kLanes;
      s.n = std::min(kLanes, n - g * kLanes);
      const size_t next_end = std::min(n, (g + 2) * kLanes);
      for (size_t k = (g + 1) * kLanes; k < next_end; ++k)
        __builtin_prefetch(&t.direct[addrs[k].value() >> kChunkShift]);
      DirectStage(t, s);
    }
    if (g >= 1 && g - 1 < groups) NodeStage(t, ring[(g - 1) % 3]);
    if (g >= 2) LeafStage(t, ring[(g - 2) % 3]);
  }
}

}  // namespace nexthop
