// Dxr6's slot contents as a writer sees them: a sorted list of intervals,
// made from routes by a sweep, spliced into an old list, and written to
// (or read back from) a range tree's lines (dxr6_layout.h).
#ifndef NEXTHOP_LPM_INTERNAL_DXR6_RANGES_H_
#define NEXTHOP_LPM_INTERNAL_DXR6_RANGES_H_

#include <cstdint>
#include <vector>

#include "lpm/internal/dxr6_layout.h"

namespace nexthop::internal::dxr6 {

// An interval from `start` up to the next interval's start (the last one
// up to kKeySpan). Neighbours never have the same value.
struct Interval {
  uint32_t start;
  uint16_t value;
  friend bool operator==(const Interval&, const Interval&) = default;
};
using Intervals = std::vector<Interval>;

// A route inside one slot, in keys: [start, end) with its value.
struct Span {
  uint32_t start;
  uint64_t end;
  uint16_t value;
};

// The intervals of [from, to) given the routes in `spans` (each inside it;
// reordered here) and `inherited`, the value where none of them covers.
// A route nested in another wins inside it; of two with the same range the
// later in `spans` wins (callers put kValueDeep last).
void Sweep(std::vector<Span>& spans, uint32_t from, uint64_t to,
           uint16_t inherited, Intervals* out);

// `old` with [from, to) replaced by `middle` (which covers exactly that
// range), neighbours of equal value merged.
void Splice(const Intervals& old, uint32_t from, uint64_t to,
            const Intervals& middle, Intervals* out);

// Writes `in` (at least two intervals) as a tree of TreeLines(in.size())
// lines at `tree`.
void WriteTree(const Intervals& in, Line* tree);
// Reads a tree's intervals back (`entry` is its slot entry).
void ReadTree(const Line* lines, uint32_t entry, Intervals* out);
// The interval count of a tree (stored in its first leaf).
uint32_t TreeSize(const Line* lines, uint32_t entry);

}  // namespace nexthop::internal::dxr6

#endif  // NEXTHOP_LPM_INTERNAL_DXR6_RANGES_H_
