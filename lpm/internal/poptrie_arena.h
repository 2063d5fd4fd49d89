// A fixed-address array of T carved into regions, for Poptrie's nodes,
// leaves and route lists.
//
// The address range is reserved once (virtual memory, MAP_NORESERVE; pages
// are touched only when used, huge pages advised), so pointers never move
// and a lookup running during an update never reads freed memory. Freed
// regions are kept aside until `Reclaim()`, which Poptrie calls after a
// grace period (or, without one, at the start of the next update, when
// writes have exclusive access), so a lookup that started before an update
// finishes reading its old region before anything else is written there.
// Reuse is by exact size, which
// is what a rebuilt chunk mostly asks for; otherwise the arena grows at the
// top.
#ifndef NEXTHOP_LPM_INTERNAL_POPTRIE_ARENA_H_
#define NEXTHOP_LPM_INTERNAL_POPTRIE_ARENA_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "lpm/internal/huge_array.h"

namespace nexthop::internal::poptrie {

template <typename T>
class Arena {
 public:
  explicit Arena(uint32_t capacity)
      : data_(static_cast<T*>(ReserveAddressSpace(Bytes(capacity)))),
        capacity_(capacity) {}
  ~Arena() {
    if (data_ != nullptr) ReleaseAddressSpace(data_, Bytes(capacity_));
  }
  Arena(Arena&& o) noexcept
      : data_(std::exchange(o.data_, nullptr)),
        capacity_(o.capacity_),
        top_(o.top_),
        in_use_(o.in_use_),
        free_(std::move(o.free_)),
        pending_(std::move(o.pending_)) {}
  Arena& operator=(Arena&& o) noexcept {
    if (this != &o) {
      this->~Arena();
      new (this) Arena(std::move(o));
    }
    return *this;
  }

  // The start of a region of `n` (> 0) values, or nullopt when full.
  std::optional<uint32_t> Allocate(uint32_t n) {
    if (auto it = free_.find(n); it != free_.end() && !it->second.empty()) {
      const uint32_t start = it->second.back();
      it->second.pop_back();
      in_use_ += n;
      return start;
    }
    if (n > capacity_ - top_) return std::nullopt;
    const uint32_t start = top_;
    top_ += n;
    in_use_ += n;
    return start;
  }
  // A region of at least `n` (> 0) values and its size: a free one of
  // exactly n, else at the top, else the smallest free one larger than n
  // (free it with the size returned). For a user whose sizes vary from
  // one version of the same data to the next (Dxr6's trees), so that a
  // smaller version always fits where a larger one was freed.
  std::optional<std::pair<uint32_t, uint32_t>> AllocateAtLeast(uint32_t n) {
    if (std::optional<uint32_t> start = Allocate(n))
      return std::pair(*start, n);
    uint32_t best = 0;
    for (const auto& [size, starts] : free_) {
      if (size > n && !starts.empty() && (best == 0 || size < best))
        best = size;
    }
    if (best == 0) return std::nullopt;
    std::vector<uint32_t>& starts = free_[best];
    const uint32_t start = starts.back();
    starts.pop_back();
    in_use_ += best;
    return std::pair(start, best);
  }
  // True when AllocateAtLeast would succeed for every size in `sizes`,
  // allocated in that order; `after_reclaim` counts the regions waiting for
  // Reclaim() as free. O(sizes x distinct free sizes).
  bool FitsAtLeast(std::span<const uint32_t> sizes, bool after_reclaim) const {
    std::map<uint32_t, size_t> free_count;
    for (const auto& [size, starts] : free_) free_count[size] += starts.size();
    if (after_reclaim) {
      for (auto [start, size] : pending_) ++free_count[size];
    }
    uint64_t top = top_;
    for (uint32_t n : sizes) {
      if (auto it = free_count.find(n);
          it != free_count.end() && it->second > 0) {
        --it->second;
      } else if (n <= capacity_ - top) {
        top += n;
      } else {
        auto larger = free_count.upper_bound(n);
        while (larger != free_count.end() && larger->second == 0) ++larger;
        if (larger == free_count.end()) return false;
        --larger->second;
      }
    }
    return true;
  }
  // True when Allocate would succeed for every size in `sizes` (each > 0),
  // allocated one after another: exact-size free regions first, then the
  // top. Poptrie checks a whole update with it before changing anything.
  // Counting free regions, not only the top, is what lets an update that
  // restores the previous state (Fib's undo) always fit: it asks for the
  // sizes the update it reverts has freed.
  bool Fits(std::span<const uint32_t> sizes) const {
    // Most updates place one chunk: no copy, one probe.
    if (sizes.size() == 1) {
      auto it = free_.find(sizes[0]);
      return (it != free_.end() && !it->second.empty()) ||
             sizes[0] <= capacity_ - top_;
    }
    absl::InlinedVector<uint32_t, 16> sorted(sizes.begin(), sizes.end());
    std::sort(sorted.begin(), sorted.end());
    uint64_t from_top = 0;
    for (size_t i = 0; i < sorted.size();) {
      const uint32_t n = sorted[i];
      size_t count = 0;
      for (; i < sorted.size() && sorted[i] == n; ++i) ++count;
      auto it = free_.find(n);
      const size_t reuse =
          it == free_.end() ? 0 : std::min(count, it->second.size());
      from_top += uint64_t{n} * (count - reuse);
    }
    return from_top <= capacity_ - top_;
  }
  // As Fits, counting the regions waiting for Reclaim() as free too.
  bool FitsAfterReclaim(std::span<const uint32_t> sizes) const {
    Arena copy_free_only(*this, /*reclaimed=*/true);
    return copy_free_only.Fits(sizes);
  }
  bool HasPending() const { return !pending_.empty(); }
  // Takes the region back; it becomes reusable at the next Reclaim().
  void Free(uint32_t start, uint32_t n) {
    if (n == 0) return;
    in_use_ -= n;
    pending_.emplace_back(start, n);
  }
  void Reclaim() {
    for (auto [start, n] : pending_) free_[n].push_back(start);
    pending_.clear();
  }

  T* data() noexcept { return data_; }
  const T* data() const noexcept { return data_; }
  T& operator[](size_t i) noexcept { return data_[i]; }
  const T& operator[](size_t i) const noexcept { return data_[i]; }
  uint32_t in_use() const noexcept { return in_use_; }
  // Values ever touched: what the arena costs in memory.
  uint32_t high_water() const noexcept { return top_; }
  uint32_t capacity() const noexcept { return capacity_; }

 private:
  // A bookkeeping-only copy (no memory) whose pending regions are free.
  Arena(const Arena& o, bool)
      : data_(nullptr),
        capacity_(o.capacity_),
        top_(o.top_),
        in_use_(o.in_use_),
        free_(o.free_) {
    for (auto [start, n] : o.pending_) free_[n].push_back(start);
  }
  static size_t Bytes(uint32_t capacity) {
    return (size_t{capacity} * sizeof(T) + 4095) & ~size_t{4095};
  }
  T* data_;
  uint32_t capacity_;
  uint32_t top_ = 0;
  uint32_t in_use_ = 0;
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> free_;
  std::vector<std::pair<uint32_t, uint32_t>> pending_;
};

}  // namespace nexthop::internal::poptrie

#endif  // NEXTHOP_LPM_INTERNAL_POPTRIE_ARENA_H_
