// Poptrie6 batch lookup.
//
// Addresses go through in groups of kGroup, level by level: every lane of
// a group reads its direct entry, then the lanes still on a node read that
// level's node together (their reads overlap: prefetched as the previous
// level finished), then the next level, and finally the leaves. Lanes move
// between lists without branches (a store and a conditional increment), so
// the only unpredictable branch is the end of the descent. The next
// group's direct entries are prefetched while this group descends. (A
// per-lane state machine, which lets lanes of any depth overlap, ran at a
// third of this: its switch mispredicted on nearly every step.)
#include <algorithm>
#include <bit>

#include "lpm/poptrie6.h"

namespace nexthop {

using internal::poptrie6::Chunk6;
using internal::poptrie6::DecodeLeaf;
using internal::poptrie6::kDirectBits6;
using internal::poptrie6::kLastOffset6;
using internal::poptrie6::kLeafMiss;
using internal::poptrie6::kNodeBit;
using internal::poptrie6::kStride;
using internal::poptrie6::Slot6;
using internal::poptrie6::UpTo;

namespace {
constexpr size_t kGroup = 16;
}  // namespace

void Poptrie6::LookupBatch(std::span<const Ipv6Address> in,
                           std::span<NextHopId> out) const noexcept {
  const size_t n = std::min(in.size(), out.size());
  const uint32_t* direct = direct_.get();
  const Node* nodes = nodes_.data();
  const Leaf* leaves = leaves_.data();
  for (size_t k = 0; k < std::min(n, kGroup); ++k) {
    __builtin_prefetch(&direct[Chunk6(in[k].hi())]);
  }
  for (size_t b = 0; b < n; b += kGroup) {
    const size_t m = std::min(kGroup, n - b);
    const Ipv6Address* a = in.data() + b;
    NextHopId* o = out.data() + b;
    const size_t next_end = std::min(n, b + 2 * kGroup);
    for (size_t k = b + kGroup; k < next_end; ++k) {
      __builtin_prefetch(&direct[Chunk6(in[k].hi())]);
    }
    uint32_t index[kGroup];
    uint8_t on_node[kGroup], at_leaf[kGroup];
    size_t nodes_n = 0, leaves_n = 0;
    for (size_t k = 0; k < m; ++k) {
      const uint32_t e =
          internal::LoadDependentInBatch(&direct[Chunk6(a[k].hi())]);
      o[k] = DecodeLeaf(e);  // overwritten later if it is a node
      index[k] = e & ~kNodeBit;
      on_node[nodes_n] = static_cast<uint8_t>(k);
      nodes_n += e >> 31;
    }
    for (size_t j = 0; j < nodes_n; ++j) {
      __builtin_prefetch(&nodes[index[on_node[j]]]);
    }
    for (int offset = kDirectBits6; nodes_n > 0; offset += kStride) {
      if (offset > kLastOffset6) {  // only a corrupt trie: a miss
        for (size_t j = 0; j < nodes_n; ++j) o[on_node[j]] = kNoRoute;
        break;
      }
      size_t still = 0;
      for (size_t j = 0; j < nodes_n; ++j) {
        const size_t k = on_node[j];
        const Node& nd = nodes[index[k]];
        const uint64_t bit = uint64_t{1} << Slot6(a[k].hi(), a[k].lo(), offset);
        const uint64_t upto = UpTo(bit);
        const bool child = (nd.vector & bit) != 0;
        const uint32_t c = internal::LoadDependentInBatch(&nd.base1) +
                           std::popcount(nd.vector & upto) - 1;
        const uint32_t l = nd.base0 + std::popcount(nd.leafvec & upto) - 1;
        index[k] = child ? c : l;
        at_leaf[leaves_n] = static_cast<uint8_t>(k);
        leaves_n += !child;
        on_node[still] = static_cast<uint8_t>(k);
        still += child;
      }
      for (size_t j = 0; j < still; ++j) {
        __builtin_prefetch(&nodes[index[on_node[j]]]);
      }
      nodes_n = still;
    }
    for (size_t j = 0; j < leaves_n; ++j) {
      const size_t k = at_leaf[j];
      o[k] = DecodeLeaf(leaves[index[k]]);
    }
  }
}

}  // namespace nexthop
