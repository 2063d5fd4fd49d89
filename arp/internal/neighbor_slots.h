// The neighbour cache's hot table: open addressing with linear probing over
// 16-byte slots (four per cache line) holding exactly what a lookup needs.
// Keys are hashed with XXH3 and a per-instance seed, so a remote sender
// cannot pick addresses that collide. The slot count is fixed at
// construction (a power of two, at least twice the capacity), so memory is
// bounded and the load factor never passes 1/2. Deletion shifts later
// entries back (no tombstones), so pointers into the table are valid only
// until the next Insert or Erase.
#ifndef NEXTHOP_ARP_INTERNAL_NEIGHBOR_SLOTS_H_
#define NEXTHOP_ARP_INTERNAL_NEIGHBOR_SLOTS_H_

#include <array>
#include <utility>
#include <cstddef>
#include <cstdint>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace nexthop::internal {

struct NeighborSlot {
  static constexpr uint32_t kEmpty = 0xFFFFFFFFu;
  uint32_t ip = 0;
  uint32_t cold = kEmpty;  // index of the entry's control data; kEmpty: free
  std::array<uint8_t, 6> mac{};
  uint8_t state = 0;
  uint8_t reserved = 0;
};
static_assert(sizeof(NeighborSlot) == 16);

class NeighborSlots {
 public:
  NeighborSlots(size_t capacity, uint64_t seed);

  const NeighborSlot* Find(uint32_t ip) const noexcept {
    size_t i = Home(ip);
    while (true) {
      const NeighborSlot& s = slots_[i];
      if (s.cold == NeighborSlot::kEmpty) return nullptr;
      if (s.ip == ip) return &s;
      i = (i + 1) & mask_;
    }
  }
  NeighborSlot* Find(uint32_t ip) noexcept {
    return const_cast<NeighborSlot*>(std::as_const(*this).Find(ip));
  }
  // Hashes and prefetches a batch's slots before probing any of them.
  void FindBatch(const uint32_t* ips, const NeighborSlot** out,
                 size_t n) const noexcept;
  // `ip` must be absent and the table below capacity.
  NeighborSlot* Insert(uint32_t ip, uint32_t cold) noexcept;
  void Erase(uint32_t ip) noexcept;

  size_t slot_count() const { return slots_.size(); }
  size_t MemoryBytes() const { return slots_.capacity() * sizeof(NeighborSlot); }

 private:
  size_t Home(uint32_t ip) const noexcept {
    return static_cast<size_t>(XXH3_64bits_withSeed(&ip, sizeof(ip), seed_)) & mask_;
  }
  std::vector<NeighborSlot> slots_;
  size_t mask_;
  uint64_t seed_;
};

}  // namespace nexthop::internal

#endif  // NEXTHOP_ARP_INTERNAL_NEIGHBOR_SLOTS_H_
