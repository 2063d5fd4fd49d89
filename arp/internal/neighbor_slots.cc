#include "arp/internal/neighbor_slots.h"

#include <algorithm>
#include <bit>
#include <type_traits>

#include "net/ipv4.h"
#include "net/mac_address.h"

namespace nexthop::internal {

NeighborSlots::NeighborSlots(size_t capacity, uint64_t seed)
    : buckets_(std::bit_ceil(std::max<size_t>((2 * capacity + 3) / 4, 4))),
      cold_(buckets_.size() * 4, kNone),
      mask_(buckets_.size() - 1),
      prefetch_(buckets_.size() * sizeof(Bucket) > kPrefetchAbove),
      hash_(seed) {}

template <typename Key, typename Mac>
void NeighborSlots::FindMacBatch(const Key* ips, Mac* out,
                                 size_t n) const noexcept {
  static_assert(
      sizeof(Key) == sizeof(uint32_t) && std::is_trivially_copyable_v<Key> &&
      sizeof(Mac) == sizeof(uint64_t) && std::is_trivially_copyable_v<Mac>);
  // The hashes come out of 512-bit stores and go back in as 64-bit loads;
  // read back at once, those loads wait for the stores to commit (no store
  // forwarding across widths). Hashing 64 keys before probing any gives the
  // first stores time to land: at 1k entries this alone took the batch
  // from 1.0x to 1.2x absl::flat_hash_map (bench/arp_bench).
  constexpr size_t kBlock = 64;
  static_assert(sizeof(Bucket) == 64);
  uint64_t home[kBlock];  // byte offsets of the home buckets
  const char* const table = reinterpret_cast<const char*>(buckets_.data());
  const uint16_t tick = LoadTick();
  for (size_t base = 0; base < n; base += kBlock) {
    const size_t m = std::min(kBlock, n - base);
    hash_.Batch(ips + base, home, m, mask_, 6);
    if (prefetch_) {
      for (size_t j = 0; j < m; ++j) __builtin_prefetch(table + home[j]);
    }
    for (size_t j = 0; j < m; ++j) {
      const uint32_t ip = std::bit_cast<uint32_t>(ips[base + j]);
      const Bucket* bucket = reinterpret_cast<const Bucket*>(table + home[j]);
      const unsigned match = MatchMask(*bucket, ip);
      uint64_t mac;
      if (match != 0) {
        const int lane = __builtin_ctz(match);
        Stamp(bucket->last_use[lane], tick);
        mac = LoadMacState(*bucket, lane) & kMacMask;
      } else {  // rare: spilled past its home bucket, or absent
        mac = LoadOverflow(*bucket) == 0
                  ? 0
                  : MacOf(Probe(((home[j] / sizeof(Bucket)) + 1) & mask_, ip),
                          tick);
      }
      // A MacAddress is its 48-bit value in a uint64_t, as `mac` is.
      out[base + j] = std::bit_cast<Mac>(mac);
    }
  }
}

template void NeighborSlots::FindMacBatch(const uint32_t*, uint64_t*,
                                          size_t) const noexcept;
template void NeighborSlots::FindMacBatch(const Ipv4Address*, MacAddress*,
                                          size_t) const noexcept;

// The order of the stores is what makes lookups beside the writer safe
// (see the header): a key and its MAC word before the bit that publishes
// them, the bit cleared before its slot is retired.
uint32_t NeighborSlots::Insert(uint32_t ip, uint8_t state,
                               uint32_t cold) noexcept {
  size_t b = Home(ip);
  while ((buckets_[b].used | buckets_[b].retired) == 0xF) {
    // Before the key is published: a lookup for a key that spilled past
    // this bucket then never stops short of it.
    __atomic_store_n(&buckets_[b].overflow, buckets_[b].overflow + 1,
                     __ATOMIC_RELAXED);
    b = (b + 1) & mask_;
  }
  Bucket& bucket = buckets_[b];
  const int lane =
      std::countr_one(static_cast<unsigned>(bucket.used | bucket.retired));
  const uint32_t slot = static_cast<uint32_t>(b * 4 + lane);
  __atomic_store_n(&bucket.ip[lane], ip, __ATOMIC_RELAXED);
  StoreWord(slot, uint64_t{state} << 56);
  clear_last_use(slot);
  cold_[slot] = cold;
  __atomic_store_n(&bucket.used, static_cast<uint8_t>(bucket.used | 1u << lane),
                   __ATOMIC_RELEASE);
  return slot;
}

void NeighborSlots::Erase(uint32_t slot) noexcept {
  const size_t at = slot / 4;
  const unsigned bit = 1u << (slot % 4);
  Bucket& bucket = buckets_[at];
  // Lookups stop matching the key first; one that matched it already reads
  // its MAC word, or the 0 below: the MAC it had, or a miss.
  __atomic_store_n(&bucket.used, static_cast<uint8_t>(bucket.used & ~bit),
                   __ATOMIC_RELAXED);
  StoreWord(slot, 0);
  // Undo the overflow counts the key left on its way from home to here.
  for (size_t b = Home(bucket.ip[slot % 4]); b != at; b = (b + 1) & mask_) {
    __atomic_store_n(&buckets_[b].overflow, buckets_[b].overflow - 1,
                     __ATOMIC_RELAXED);
  }
  bucket.retired = static_cast<uint8_t>(bucket.retired | bit);
  retired_.push_back(slot);
  clear_last_use(slot);
  cold_[slot] = kNone;
}

void NeighborSlots::ReuseRetired() noexcept {
  for (uint32_t slot : retired_) {
    Bucket& bucket = buckets_[slot / 4];
    bucket.retired = static_cast<uint8_t>(bucket.retired & ~(1u << (slot % 4)));
  }
  retired_.clear();
}

}  // namespace nexthop::internal
