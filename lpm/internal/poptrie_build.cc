#include "lpm/internal/poptrie_build.h"

#include <algorithm>
#include <bit>

namespace nexthop::internal::poptrie {
namespace {

constexpr int kSlots = 1 << kStride;

// Fills out->nodes[index] with the node at bit `offset` whose region holds
// `routes` (all longer than `offset`); `inherited` is the leaf value of the
// best route covering the whole region.
void BuildNode(std::span<const uint64_t> routes, uint32_t inherited, int offset,
               uint32_t index, LocalTrie* out) {
  uint32_t value[kSlots];
  std::fill_n(value, kSlots, inherited);
  uint32_t child_begin[kSlots];
  uint32_t child_end[kSlots];
  uint64_t vector = 0;
  for (uint32_t i = 0; i < routes.size(); ++i) {
    const uint64_t r = routes[i];
    const int len = RouteLen(r);
    const uint32_t s = Slot(RouteAddr(r), offset);
    if (len <= offset + kStride) {
      const uint32_t span = uint32_t{1} << (offset + kStride - len);
      std::fill_n(value + s, span, RouteNextHop(r));
    } else {
      // A slot's longer routes are contiguous in the list: any route that
      // starts inside the slot sorts after the slot's own start.
      if (!(vector >> s & 1)) child_begin[s] = i;
      child_end[s] = i + 1;
      vector |= uint64_t{1} << s;
    }
  }
  Node n;
  n.vector = vector;
  n.base0 = static_cast<uint32_t>(out->leaves.size());
  bool have_leaf = false;
  uint32_t last = 0;
  for (int s = 0; s < kSlots; ++s) {
    if (vector >> s & 1) continue;
    if (!have_leaf || value[s] != last) {
      n.leafvec |= uint64_t{1} << s;
      out->leaves.push_back(static_cast<Leaf>(value[s]));
      last = value[s];
      have_leaf = true;
    }
  }
  n.base1 = static_cast<uint32_t>(out->nodes.size());
  out->nodes.resize(out->nodes.size() + std::popcount(vector));
  out->nodes[index] = n;
  uint32_t child = n.base1;
  for (int s = 0; s < kSlots; ++s) {
    if (!(vector >> s & 1)) continue;
    BuildNode(routes.subspan(child_begin[s], child_end[s] - child_begin[s]),
              value[s], offset + kStride, child++, out);
  }
}

}  // namespace

void BuildChunk(std::span<const uint64_t> routes, uint32_t default_leaf,
                LocalTrie* out) {
  out->nodes.clear();
  out->leaves.clear();
  out->leaf = default_leaf;
  if (routes.empty()) return;
  out->nodes.resize(1);
  BuildNode(routes, default_leaf, kDirectBits, 0, out);
  // Every address of the chunk ends at one of these leaves: if they all
  // hold one value, so does the chunk. (The original Poptrie does the
  // same; with block next hops most chunks with longer routes qualify.)
  const Leaf first = out->leaves.empty() ? Leaf{0} : out->leaves.front();
  if (!out->leaves.empty() &&
      std::all_of(out->leaves.begin(), out->leaves.end(),
                  [&](Leaf l) { return l == first; })) {
    out->nodes.clear();
    out->leaves.clear();
    out->leaf = first;
  }
}

}  // namespace nexthop::internal::poptrie
