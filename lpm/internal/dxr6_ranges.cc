#include "lpm/internal/dxr6_ranges.h"

#include <algorithm>
#include <cstring>

namespace nexthop::internal::dxr6 {

namespace {

void Append(Intervals* out, uint32_t start, uint16_t value) {
  if (!out->empty() && out->back().value == value) return;
  out->push_back({start, value});
}

}  // namespace

void Sweep(std::vector<Span>& spans, uint32_t from, uint64_t to,
           uint16_t inherited, Intervals* out) {
  out->clear();
  // Outer routes before the ones they hold; stable: the later of two equal
  // ranges (a deep /55 after a route of exactly that /55) goes inside.
  std::stable_sort(spans.begin(), spans.end(),
                   [](const Span& a, const Span& b) {
                     return a.start != b.start ? a.start < b.start
                                               : a.end > b.end;
                   });
  struct Open {
    uint64_t end;
    uint16_t value;
  };
  std::vector<Open> open = {{to, inherited}};
  uint64_t at = from;
  // Ends every open route that stops at or before `until`.
  const auto close_until = [&](uint64_t until) {
    while (open.size() > 1 && open.back().end <= until) {
      if (at < open.back().end) {
        Append(out, static_cast<uint32_t>(at), open.back().value);
        at = open.back().end;
      }
      open.pop_back();
    }
  };
  for (const Span& s : spans) {
    close_until(s.start);
    if (at < s.start) {
      Append(out, static_cast<uint32_t>(at), open.back().value);
      at = s.start;
    }
    open.push_back({s.end, s.value});
  }
  close_until(to);
  if (at < to) Append(out, static_cast<uint32_t>(at), open.back().value);
}

void Splice(const Intervals& old, uint32_t from, uint64_t to,
            const Intervals& middle, Intervals* out) {
  out->clear();
  out->reserve(old.size() + middle.size() + 1);
  // Intervals starting before `from` stay (the one across it is cut).
  auto first_after = std::upper_bound(
      old.begin(), old.end(), from,
      [](uint32_t k, const Interval& i) { return k < i.start; });
  for (auto it = old.begin(); it != first_after; ++it) {
    if (it->start < from) Append(out, it->start, it->value);
  }
  for (const Interval& i : middle) Append(out, i.start, i.value);
  if (to >= kKeySpan) return;
  // The interval across `to` restarts there; the ones after it stay.
  auto across = std::upper_bound(
                    old.begin(), old.end(), static_cast<uint32_t>(to),
                    [](uint32_t k, const Interval& i) { return k < i.start; }) -
                1;
  Append(out, static_cast<uint32_t>(to), across->value);
  for (auto it = across + 1; it != old.end(); ++it) {
    Append(out, it->start, it->value);
  }
}

void WriteTree(const Intervals& in, Line* tree) {
  const uint32_t n = static_cast<uint32_t>(in.size());
  const int depth = DepthFor(n);
  const uint32_t lines = TreeLines(n);
  for (uint32_t i = 0; i < lines; ++i) {
    std::fill_n(tree[i].w, 16, kPadKey);
  }
  // Leaves.
  const uint32_t leaf_start = LevelStart(depth - 1);
  for (uint32_t i = 0; i < n; ++i) {
    Line& leaf = tree[leaf_start + i / kLeafFanout];
    const uint32_t slot = i % kLeafFanout;
    leaf.w[slot] = in[i].start;
    uint32_t& word = leaf.w[kLeafFanout + slot / 2];
    const int shift = 16 * (slot & 1);
    word = (word & ~(0xFFFFu << shift)) | uint32_t{in[i].value} << shift;
  }
  tree[leaf_start].w[15] = n;
  // Inner levels, bottom up: each key is its child line's first key.
  uint32_t below = LeafLines(n);
  for (int level = depth - 2; level >= 0; --level) {
    const uint32_t start = LevelStart(level);
    const uint32_t child_start = LevelStart(level + 1);
    for (uint32_t j = 0; j < below; ++j) {
      tree[start + j / kInnerFanout].w[j % kInnerFanout] =
          tree[child_start + j].w[0];
    }
    below = (below + kInnerFanout - 1) / kInnerFanout;
  }
}

uint32_t TreeSize(const Line* lines, uint32_t entry) {
  const Line* tree = lines + (entry & kOffsetMask);
  return tree[LevelStart(DepthOf(entry) - 1)].w[15];
}

void ReadTree(const Line* lines, uint32_t entry, Intervals* out) {
  const Line* leaves =
      lines + (entry & kOffsetMask) + LevelStart(DepthOf(entry) - 1);
  const uint32_t n = leaves[0].w[15];
  out->resize(n);
  for (uint32_t i = 0; i < n; ++i) {
    const Line& leaf = leaves[i / kLeafFanout];
    (*out)[i] = {leaf.w[i % kLeafFanout], LeafValue(leaf, i % kLeafFanout)};
  }
}

}  // namespace nexthop::internal::dxr6
