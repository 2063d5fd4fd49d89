#include "lpm/internal/poptrie6_build.h"

#include <algorithm>
#include <bit>

namespace nexthop::internal::poptrie6 {
namespace {

constexpr int kSlots = 1 << kStride;

uint32_t SlotOf(const Route6& r, int offset) {
  return Slot6(r.hi, r.lo, offset);
}

}  // namespace

void FillSlots(std::span<const Route6> routes, uint32_t inherited, int offset,
               uint32_t (&value)[64]) {
  std::fill_n(value, kSlots, inherited);
  for (const Route6& r : routes) {
    if (r.len <= offset || r.len > offset + kStride) continue;
    const uint32_t span = uint32_t{1} << (offset + kStride - r.len);
    std::fill_n(value + SlotOf(r, offset), span, r.leaf);
  }
}

void AppendLeaves(const uint32_t (&value)[64], uint64_t vector, Node* n,
                  LocalTrie6* out) {
  n->leafvec = 0;
  n->base0 = static_cast<uint32_t>(out->leaves.size());
  bool have_leaf = false;
  uint32_t last = 0;
  for (int s = 0; s < kSlots; ++s) {
    if (vector >> s & 1) continue;
    if (!have_leaf || value[s] != last) {
      n->leafvec |= uint64_t{1} << s;
      out->leaves.push_back(static_cast<Leaf>(value[s]));
      last = value[s];
      have_leaf = true;
    }
  }
}

void BuildNode6(std::span<const Route6> routes, uint32_t inherited, int offset,
                uint32_t index, LocalTrie6* out) {
  uint32_t value[kSlots];
  std::fill_n(value, kSlots, inherited);
  uint32_t child_begin[kSlots];
  uint32_t child_end[kSlots];
  uint64_t vector = 0;
  for (uint32_t i = 0; i < routes.size(); ++i) {
    const Route6& r = routes[i];
    const uint32_t s = SlotOf(r, offset);
    if (r.len <= offset + kStride) {
      const uint32_t span = uint32_t{1} << (offset + kStride - r.len);
      std::fill_n(value + s, span, r.leaf);
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
  AppendLeaves(value, vector, &n, out);
  n.base1 = static_cast<uint32_t>(out->nodes.size());
  out->nodes.resize(out->nodes.size() + std::popcount(vector));
  out->nodes[index] = n;
  uint32_t child = n.base1;
  for (int s = 0; s < kSlots; ++s) {
    if (!(vector >> s & 1)) continue;
    BuildNode6(routes.subspan(child_begin[s], child_end[s] - child_begin[s]),
               value[s], offset + kStride, child++, out);
  }
}

void SlotStart(uint64_t hi, uint64_t lo, int offset, uint32_t s,
               uint64_t* out_hi, uint64_t* out_lo) {
  // Bits [offset, offset + 6) of the address become s.
  const int end = offset + kStride;  // first bit after the slot
  unsigned __int128 a = (unsigned __int128){hi} << 64 | lo;
  const unsigned __int128 field = (unsigned __int128){63} << (128 - end);
  a = (a & ~field) | ((unsigned __int128){s} << (128 - end));
  *out_hi = static_cast<uint64_t>(a >> 64);
  *out_lo = static_cast<uint64_t>(a);
}

}  // namespace nexthop::internal::poptrie6
