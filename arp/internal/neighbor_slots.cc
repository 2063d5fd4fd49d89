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
        const size_t lane = static_cast<size_t>(__builtin_ctz(match));
        Stamp(bucket->last_use[lane], tick);
        mac = bucket->mac_state[lane] & kMacMask;
      } else {  // rare: spilled past its home bucket, or absent
        mac = bucket->overflow == 0
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

uint32_t NeighborSlots::Insert(uint32_t ip, uint8_t state,
                               uint32_t cold) noexcept {
  size_t b = Home(ip);
  while (buckets_[b].used == 0xF) {
    ++buckets_[b].overflow;
    b = (b + 1) & mask_;
  }
  Bucket& bucket = buckets_[b];
  const int lane = std::countr_one(static_cast<unsigned>(bucket.used));
  bucket.used |= static_cast<uint8_t>(1u << lane);
  bucket.ip[lane] = ip;
  bucket.mac_state[lane] = uint64_t{state} << 56;
  const uint32_t slot = static_cast<uint32_t>(b * 4 + lane);
  clear_last_use(slot);
  cold_[slot] = cold;
  return slot;
}

void NeighborSlots::Erase(uint32_t slot) noexcept {
  const size_t at = slot / 4;
  // Undo the overflow counts the key left on its way from home to here.
  for (size_t b = Home(buckets_[at].ip[slot % 4]); b != at;
       b = (b + 1) & mask_) {
    --buckets_[b].overflow;
  }
  Bucket& bucket = buckets_[at];
  bucket.used &= static_cast<uint8_t>(~(1u << (slot % 4)));
  bucket.ip[slot % 4] = 0;
  bucket.mac_state[slot % 4] = 0;
  clear_last_use(slot);
  cold_[slot] = kNone;
}

}  // namespace nexthop::internal
