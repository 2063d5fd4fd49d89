// Dxr6's lookup data: the two direct tables' entries, the 64-byte lines of
// a range tree, and the walk down one (lpm/dxr6.h says why this shape).
//
// A key is the first 64 bits of an address (`hi`). Its first 16 bits index
// the chunk table, the next 8 a chunk's 256 slots, and the 31 bits after
// those (bits 24..54) are the position inside the slot's /24 that the range
// tree searches: a /55 is its smallest step.
//
// A slot's range tree holds the slot's intervals in address order, each an
// interval start (31-bit key) and a 16-bit value. Leaf lines hold one to
// ten of them (keys in words 0..9, values in words 10..14; the tree's leaf
// line count in word 15 of the first leaf): a fresh build packs them full,
// an update repacks only the lines it touches and copies the others. Inner
// lines hold sixteen keys, the first key of each child line. Unused key
// words hold kPadKey, which no key reaches, so a line's count of keys <= x
// (at least one: the walk only enters a line whose first key is <= x)
// picks the next line or the interval. Level l (the root is level 0) starts at
// line (16^l - 1) / 15 of the tree, so that a child's place follows from its
// parent's without stored offsets: line j of level l has its children at
// lines 16j..16j+15 of level l + 1.
#ifndef NEXTHOP_LPM_INTERNAL_DXR6_LAYOUT_H_
#define NEXTHOP_LPM_INTERNAL_DXR6_LAYOUT_H_

#include <bit>
#include <cstdint>

#include "lpm/next_hop_id.h"

namespace nexthop::internal::dxr6 {

inline constexpr int kChunkBits = 16;
inline constexpr int kSlotBits = 8;
inline constexpr int kSlotPrefix = kChunkBits + kSlotBits;  // /24
inline constexpr int kKeyBits = 31;
// The longest prefix a key tells apart: longer routes make their /55 a
// "deep" interval, answered from the control data.
inline constexpr int kKeyPrefix = kSlotPrefix + kKeyBits;  // /55
inline constexpr uint32_t kChunks = 1u << kChunkBits;
inline constexpr uint32_t kSlots = 1u << kSlotBits;
inline constexpr uint64_t kKeySpan = uint64_t{1} << kKeyBits;
inline constexpr uint32_t kPadKey = 0xFFFFFFFFu;
inline constexpr int kInnerFanout = 16;
inline constexpr int kLeafFanout = 10;

// 16-bit values: a next hop, a miss, or "look in the control data".
inline constexpr uint16_t kValueMiss = 0xFFFF;
inline constexpr uint16_t kValueDeep = 0xFFFE;
inline constexpr NextHopId kMaxValue = 0xFFFD;

// Entries of both direct tables: bit 31 clear, a value in bits 0..15;
// set, in the chunk table, the chunk's slot block (its first slot / 256);
// in a slot, a range tree: depth - 1 in bits 28..30, first line in 0..27.
inline constexpr uint32_t kTreeBit = 0x80000000u;
inline constexpr int kDepthShift = 28;
inline constexpr uint32_t kOffsetMask = (1u << kDepthShift) - 1;

// Leaf values are read as 16-bit words (LeafValue) and written as halves
// of 32-bit ones (dxr6_ranges.cc's Pack).
static_assert(std::endian::native == std::endian::little);

struct alignas(64) Line {
  uint32_t w[16];
};
static_assert(sizeof(Line) == 64);

inline uint32_t ChunkOf(uint64_t hi) { return static_cast<uint32_t>(hi >> 48); }
inline uint32_t SlotOf(uint64_t hi) {
  return static_cast<uint32_t>(hi >> 40) & (kSlots - 1);
}
inline uint32_t KeyOf(uint64_t hi) {
  return static_cast<uint32_t>(hi >> (64 - kKeyPrefix)) & (kKeySpan - 1);
}

inline uint32_t LeafEntry(uint16_t value) { return value; }
inline uint32_t TreeEntry(uint32_t offset, int depth) {
  return kTreeBit | static_cast<uint32_t>(depth - 1) << kDepthShift | offset;
}
inline int DepthOf(uint32_t entry) {
  return static_cast<int>((entry >> kDepthShift) & 7) + 1;
}

// First line of level `level` in a tree.
inline constexpr uint32_t LevelStart(int level) {
  uint32_t start = 0, width = 1;
  for (int l = 0; l < level; ++l, width *= kInnerFanout) start += width;
  return start;
}
// The depth that reaches `leaves` leaf lines, and the lines a tree of
// `leaves` leaf lines takes.
inline constexpr int DepthFor(uint32_t leaves) {
  int depth = 1;
  for (uint64_t reach = 1; reach < leaves; reach *= kInnerFanout) ++depth;
  return depth;
}
inline constexpr uint32_t TreeLines(uint32_t leaves) {
  return LevelStart(DepthFor(leaves) - 1) + leaves;
}
// Any tree the line arena can hold has a depth the entry's 3 bits hold.
static_assert(DepthFor(kOffsetMask + 1) <= 8);

// Lines allocated for a tree of `lines` lines: sizes round up to one of
// eight steps per power of two (at most 1/8 unused), so that a slot that
// grows by a route mostly asks for the size it just freed, which the arena
// reuses (it reuses regions of exactly the asked size).
inline constexpr uint32_t AllocatedLines(uint32_t lines) {
  if (lines <= 16) return lines;
  uint32_t step = 1;
  while (step * 16 <= lines) step *= 2;
  return (lines + step - 1) / step * step;
}

// Value i of a leaf: the 16-bit words from byte 40 on (little-endian x86
// and AArch64: the low half of word 10 is value 0).
inline uint16_t LeafValue(const Line& leaf, uint32_t i) {
  uint16_t v;
  __builtin_memcpy(&v,
                   reinterpret_cast<const char*>(&leaf.w[kLeafFanout]) + 2 * i,
                   sizeof(v));
  return v;
}

// Counting keys <= x without vector instructions (the single lookup; the
// batch picks AVX-512 when the CPU has it: dxr6_batch.cc).
struct ScalarCount {
  static constexpr bool kSixteenChunks = false;
  static uint32_t Inner(const Line& l, uint32_t x) {
    uint32_t c = 0;
    for (int i = 0; i < kInnerFanout; ++i) c += l.w[i] <= x;
    return c;
  }
  static uint32_t Leaf(const Line& l, uint32_t x) {
    uint32_t c = 0;
    for (int i = 0; i < kLeafFanout; ++i) c += l.w[i] <= x;
    return c;
  }
};

// The value of key x in the tree of `entry` (kTreeBit set).
template <typename Count>
inline uint16_t WalkTree(const Line* lines, uint32_t entry, uint32_t x) {
  const Line* tree = lines + (entry & kOffsetMask);
  uint32_t line = 0;
  for (int left = DepthOf(entry) - 1; left > 0; --left) {
    line = line * kInnerFanout + Count::Inner(tree[line], x);
  }
  return LeafValue(tree[line], Count::Leaf(tree[line], x) - 1);
}

}  // namespace nexthop::internal::dxr6

#endif  // NEXTHOP_LPM_INTERNAL_DXR6_LAYOUT_H_
