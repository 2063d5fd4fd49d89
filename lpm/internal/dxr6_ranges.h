// Dxr6's slot contents as a writer sees them: a sorted list of intervals,
// made from routes by a sweep, spliced into an old list, packed into leaf
// lines, and written to (or read back from) a range tree's lines
// (dxr6_layout.h).
#ifndef NEXTHOP_LPM_INTERNAL_DXR6_RANGES_H_
#define NEXTHOP_LPM_INTERNAL_DXR6_RANGES_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
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
using Leaves = std::vector<Line>;

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

// `old` (whose first start is <= from) with [from, to) replaced by
// `middle` (which covers exactly that range), neighbours of equal value
// merged.
void Splice(const Intervals& old, uint32_t from, uint64_t to,
            const Intervals& middle, Intervals* out);

// Appends `in` packed ten to a leaf line.
void Pack(const Interval* in, size_t n, Leaves* out);

// A new tree's leaf lines: `front` and `back` lines of an old tree (kept
// as they are) around `middle` (packed anew).
struct NewLeaves {
  const Line* old = nullptr;  // the old tree's leaves, if any are kept
  uint32_t front = 0;         // old[0, front) first
  uint32_t back_from = 0, back_to = 0;  // old[back_from, back_to) last
  Leaves middle;
  uint32_t size() const {
    return front + static_cast<uint32_t>(middle.size()) + back_to - back_from;
  }
};
// Fills `out` with a tree's leaf lines with [from, to) replaced by
// `middle`: the lines it touches (and one more on each side, so that
// merged neighbours stay merged) are unpacked, spliced and repacked; the
// others are kept. `scratch` is two lists the writer keeps (to spare
// allocations).
void SpliceLeaves(const Line* lines, uint32_t entry, uint32_t from, uint64_t to,
                  const Intervals& middle, Intervals* scratch, NewLeaves* out);
// The only interval of `leaves`, if that is all they hold.
bool SingleInterval(const NewLeaves& leaves, uint16_t* value);

// Writes a tree of TreeLines(leaves.size()) lines at `tree`.
void WriteTree(const NewLeaves& leaves, Line* tree);
// A tree's intervals (`entry` is its slot entry).
void ReadTree(const Line* lines, uint32_t entry, Intervals* out);
// The leaf line count of a tree (stored in its first leaf).
uint32_t TreeLeaves(const Line* lines, uint32_t entry);
// Checks a tree's shape: leaves of 1..10 increasing keys, inner keys the
// first keys of their children, pads everywhere else.
absl::Status CheckTree(const Line* lines, uint32_t entry);

}  // namespace nexthop::internal::dxr6

#endif  // NEXTHOP_LPM_INTERNAL_DXR6_RANGES_H_
