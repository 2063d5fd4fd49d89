#include "arp/internal/neighbor_slots.h"

#include <algorithm>
#include <bit>

namespace nexthop::internal {

NeighborSlots::NeighborSlots(size_t capacity, uint64_t seed)
    : slots_(std::bit_ceil(std::max<size_t>(2 * capacity, 16))),
      mask_(slots_.size() - 1),
      seed_(seed) {}

void NeighborSlots::FindBatch(const uint32_t* ips, const NeighborSlot** out,
                              size_t n) const noexcept {
  constexpr size_t kBlock = 16;
  size_t home[kBlock];
  for (size_t base = 0; base < n; base += kBlock) {
    const size_t m = std::min(kBlock, n - base);
    for (size_t j = 0; j < m; ++j) {
      home[j] = Home(ips[base + j]);
      __builtin_prefetch(&slots_[home[j]]);
    }
    for (size_t j = 0; j < m; ++j) {
      const uint32_t ip = ips[base + j];
      size_t i = home[j];
      const NeighborSlot* found = nullptr;
      while (slots_[i].cold != NeighborSlot::kEmpty) {
        if (slots_[i].ip == ip) {
          found = &slots_[i];
          break;
        }
        i = (i + 1) & mask_;
      }
      out[base + j] = found;
    }
  }
}

NeighborSlot* NeighborSlots::Insert(uint32_t ip, uint32_t cold) noexcept {
  size_t i = Home(ip);
  while (slots_[i].cold != NeighborSlot::kEmpty) i = (i + 1) & mask_;
  slots_[i] = NeighborSlot{ip, cold, {}, 0, 0};
  return &slots_[i];
}

void NeighborSlots::Erase(uint32_t ip) noexcept {
  size_t i = Home(ip);
  while (slots_[i].cold != NeighborSlot::kEmpty && slots_[i].ip != ip) {
    i = (i + 1) & mask_;
  }
  if (slots_[i].cold == NeighborSlot::kEmpty) return;
  // Backward-shift deletion: move later members of the probe run into the
  // hole when their home position allows it.
  size_t hole = i;
  size_t j = i;
  while (true) {
    j = (j + 1) & mask_;
    if (slots_[j].cold == NeighborSlot::kEmpty) break;
    const size_t home = Home(slots_[j].ip);
    // slots_[j] may move to `hole` if its home is not in (hole, j].
    const bool home_in_between = hole <= j ? (hole < home && home <= j)
                                           : (hole < home || home <= j);
    if (!home_in_between) {
      slots_[hole] = slots_[j];
      hole = j;
    }
  }
  slots_[hole] = NeighborSlot{};
}

}  // namespace nexthop::internal
