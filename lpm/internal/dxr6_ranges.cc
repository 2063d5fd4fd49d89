#include "lpm/internal/dxr6_ranges.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"

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
  std::stable_sort(
      spans.begin(), spans.end(), [](const Span& a, const Span& b) {
        return a.start != b.start ? a.start < b.start : a.end > b.end;
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

void Pack(const Interval* in, size_t n, Leaves* out) {
  for (size_t i = 0; i < n; i += kLeafFanout) {
    Line& leaf = out->emplace_back();
    std::fill_n(leaf.w, 16, kPadKey);
    leaf.w[15] = 0;
    for (size_t j = 0; j < kLeafFanout && i + j < n; ++j) {
      leaf.w[j] = in[i + j].start;
      uint32_t& word = leaf.w[kLeafFanout + j / 2];
      const int shift = 16 * (j & 1);
      word = (word & ~(0xFFFFu << shift)) | uint32_t{in[i + j].value} << shift;
    }
  }
}

namespace {

const Line* LeavesOf(const Line* lines, uint32_t entry) {
  return lines + (entry & kOffsetMask) + LevelStart(DepthOf(entry) - 1);
}

void Unpack(const Line* leaves, uint32_t first, uint32_t last, Intervals* out) {
  for (uint32_t l = first; l <= last; ++l) {
    for (uint32_t j = 0; j < kLeafFanout && leaves[l].w[j] != kPadKey; ++j) {
      out->push_back({leaves[l].w[j], LeafValue(leaves[l], j)});
    }
  }
}

// The last of leaf lines [0, m) whose first key is <= key.
uint32_t LineOf(const Line* leaves, uint32_t m, uint64_t key) {
  uint32_t lo = 0, hi = m;  // answer in [lo, hi)
  while (hi - lo > 1) {
    const uint32_t mid = (lo + hi) / 2;
    if (leaves[mid].w[0] <= key) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return lo;
}

}  // namespace

void SpliceLeaves(const Line* lines, uint32_t entry, uint32_t from, uint64_t to,
                  const Intervals& middle, Intervals* scratch, NewLeaves* out) {
  const Line* leaves = LeavesOf(lines, entry);
  const uint32_t m = leaves[0].w[15];
  const uint32_t a = LineOf(leaves, m, from);
  const uint32_t b = to >= kKeySpan ? m - 1 : LineOf(leaves, m, to);
  const uint32_t first = a > 0 ? a - 1 : 0;
  const uint32_t last = b + 1 < m ? b + 1 : m - 1;
  Intervals& old = scratch[0];
  Intervals& spliced = scratch[1];
  old.clear();
  Unpack(leaves, first, last, &old);
  Splice(old, from, to, middle, &spliced);
  out->old = leaves;
  out->front = first;
  out->middle.clear();
  Pack(spliced.data(), spliced.size(), &out->middle);
  out->back_from = last + 1;
  out->back_to = m;
}

bool SingleInterval(const NewLeaves& leaves, uint16_t* value) {
  if (leaves.size() != 1 || leaves.middle.size() != 1 ||
      leaves.middle[0].w[1] != kPadKey) {
    return false;
  }
  *value = LeafValue(leaves.middle[0], 0);
  return true;
}

void WriteTree(const NewLeaves& leaves, Line* tree) {
  const uint32_t m = leaves.size();
  const int depth = DepthFor(m);
  const uint32_t leaf_start = LevelStart(depth - 1);
  for (uint32_t i = 0; i < leaf_start; ++i) std::fill_n(tree[i].w, 16, kPadKey);
  Line* to = tree + leaf_start;
  if (leaves.front > 0) to = std::copy_n(leaves.old, leaves.front, to);
  to = std::copy(leaves.middle.begin(), leaves.middle.end(), to);
  std::copy(leaves.old + leaves.back_from, leaves.old + leaves.back_to, to);
  for (uint32_t i = 1; i < m; ++i) tree[leaf_start + i].w[15] = 0;
  tree[leaf_start].w[15] = m;
  // Inner levels, bottom up: each key is its child line's first key.
  uint32_t below = m;
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

uint32_t TreeLeaves(const Line* lines, uint32_t entry) {
  return LeavesOf(lines, entry)[0].w[15];
}

void ReadTree(const Line* lines, uint32_t entry, Intervals* out) {
  out->clear();
  const Line* leaves = LeavesOf(lines, entry);
  Unpack(leaves, 0, leaves[0].w[15] - 1, out);
}

absl::Status CheckTree(const Line* lines, uint32_t entry) {
  const Line* tree = lines + (entry & kOffsetMask);
  const int depth = DepthOf(entry);
  const Line* leaves = LeavesOf(lines, entry);
  const uint32_t m = leaves[0].w[15];
  if (m == 0 || DepthFor(m) != depth) {
    return absl::InternalError(
        absl::StrCat("dxr6 tree: ", m, " leaf lines at depth ", depth));
  }
  uint64_t previous = 0;
  for (uint32_t l = 0; l < m; ++l) {
    for (uint32_t j = 0; j < kLeafFanout; ++j) {
      const uint32_t k = leaves[l].w[j];
      if (k == kPadKey) {
        if (j == 0) {
          return absl::InternalError(
              absl::StrCat("dxr6 tree: leaf line ", l, " is empty"));
        }
        for (uint32_t r = j; r < kLeafFanout; ++r) {
          if (leaves[l].w[r] != kPadKey) {
            return absl::InternalError(absl::StrCat("dxr6 tree: leaf line ", l,
                                                    " has a key after a pad"));
          }
        }
        break;
      }
      if ((l > 0 || j > 0) && k <= previous) {
        return absl::InternalError(
            absl::StrCat("dxr6 tree: keys out of order in leaf line ", l));
      }
      previous = k;
    }
  }
  uint32_t below = m;
  for (int level = depth - 2; level >= 0; --level) {
    const uint32_t lines_here = (below + kInnerFanout - 1) / kInnerFanout;
    for (uint32_t j = 0; j < lines_here * kInnerFanout; ++j) {
      const uint32_t want =
          j < below ? tree[LevelStart(level + 1) + j].w[0] : kPadKey;
      if (tree[LevelStart(level) + j / kInnerFanout].w[j % kInnerFanout] !=
          want) {
        return absl::InternalError(absl::StrCat(
            "dxr6 tree: inner key ", j, " of level ", level, " is wrong"));
      }
    }
    below = lines_here;
  }
  return absl::OkStatus();
}

}  // namespace nexthop::internal::dxr6
