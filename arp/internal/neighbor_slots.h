// The neighbour cache's hot table: 64-byte buckets of four slots, one cache
// line each, holding exactly what a lookup needs (key, MAC and state).
//
// A key hashes (XXH3 with a per-instance seed, so a remote sender cannot
// pick colliding addresses) to a home bucket; its four keys are compared
// with one SIMD instruction. A full bucket spills to the next one, and each
// bucket counts how many keys passed it on their way to a later bucket, so
// a lookup stops at the first bucket with a zero count: with live entries
// at most half the slots that is nearly always the home bucket, and the
// loop's exit branch is predictable (the linear probing this replaced
// mispredicted on most lookups). Erased slots waiting for a grace period
// (retired) add up to a quarter more, so every bucket can count a passing
// key: probes therefore also stop after visiting every bucket. Slots never
// move, so a slot index stays valid until that slot is erased. The bucket count
// is fixed at construction (at least twice the capacity in slots), so memory is
// bounded and never reallocated.
//
// Use: every lookup that finds a key stamps its slot with the owner's
// current coarse time (set_tick), so that the control plane can tell which
// neighbours the fast path is using. The stamp lives in the bucket's spare
// bytes (the line the lookup has just read), and is written with relaxed
// atomic stores, only when it changes (once a tick per used entry, not per
// packet), so lookups stay const and lock-free and may run beside one
// another.
//
// One writer beside lookups: every word a lookup reads (a bucket's keys,
// MAC-and-state words, `used` mask and overflow count) changes with one
// atomic store of the whole word, so a lookup reads each word before or
// after a change, never torn. A slot's key and MAC word are written before
// the release store of its bit in `used` that publishes them, and lookups
// load `used` (acquire) before the keys, so a key matched under a set bit
// is that slot's current key. An erased slot is retired, not freed: its
// bit leaves `used` at once, but the slot takes no other key until the
// owner calls ReuseRetired() after a grace period, when no lookup that
// matched the old key can still be reading its MAC word. So a lookup
// answers a MAC its key had (or 0), never another key's. Without
// concurrent lookups the owner calls ReuseRetired() at once.
#ifndef NEXTHOP_ARP_INTERNAL_NEIGHBOR_SLOTS_H_
#define NEXTHOP_ARP_INTERNAL_NEIGHBOR_SLOTS_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#if defined(__x86_64__)
#include <emmintrin.h>
#endif

#include "arp/internal/xxh3_u32.h"

namespace nexthop::internal {

// States whose slot holds a usable MAC: all but INCOMPLETE (1) and FAILED
// (6); 0 marks a free slot. See NeighborState.
inline bool StateHasMac(uint8_t state) { return state != 1 && state != 6; }

class NeighborSlots {
 public:
  static constexpr uint32_t kNone = 0xFFFFFFFFu;

  NeighborSlots(size_t capacity, uint64_t seed);

  // The slot holding `ip`, or kNone. Control plane: does not stamp use.
  uint32_t Find(uint32_t ip) const noexcept {
    const Hit h = Probe(Home(ip), ip);
    return h.match != 0
               ? static_cast<uint32_t>(h.bucket * 4 + __builtin_ctz(h.match))
               : kNone;
  }
  // out[i] = FindMac(ips[i]) (stamping each slot found).
  // Hashes and prefetches a block's buckets before probing any of them.
  // Instantiated for raw words (uint32_t keys, uint64_t MACs) and for
  // Ipv4Address keys and MacAddress results, each read and written as its
  // own type (std::bit_cast, no pointer casts), at the same speed.
  template <typename Key, typename Mac>
  void FindMacBatch(const Key* ips, Mac* out, size_t n) const noexcept;
  // `ip` must be absent, and the table's live and retired slots together
  // below its slot count. The new slot has MAC 0 and the given (non-zero)
  // state; it never is a retired slot.
  uint32_t Insert(uint32_t ip, uint8_t state, uint32_t cold) noexcept;
  // Lookups stop finding the slot's key at once; the slot is retired until
  // ReuseRetired().
  void Erase(uint32_t slot) noexcept;
  // Makes every retired slot free for Insert: only once no lookup that
  // began before their Erase can still run (a grace period).
  void ReuseRetired() noexcept;
  size_t retired() const noexcept { return retired_.size(); }

  // MAC in bits 0-47, state in bits 56-63. The MAC bits are non-zero only
  // while the state has a MAC (set_state clears them on entering one that
  // has none, set_mac writes nothing into such a state), so a lookup
  // answers from the MAC bits alone, with no branch on the state; a real
  // neighbour never has MAC 0 (the cache refuses it).
  uint64_t mac(uint32_t s) const { return word(s) & kMacMask; }
  uint8_t state(uint32_t s) const {
    return static_cast<uint8_t>(word(s) >> 56);
  }
  // Each writes the slot's word with one atomic store.
  void set_mac(uint32_t s, uint64_t mac) {
    if (!StateHasMac(state(s))) mac = 0;
    StoreWord(s, (word(s) & ~kMacMask) | (mac & kMacMask));
  }
  void set_state(uint32_t s, uint8_t st) {
    const uint64_t mac = StateHasMac(st) ? word(s) & kMacMask : 0;
    StoreWord(s, (uint64_t{st} << 56) | mac);
  }
  // The usable MAC of `ip`, or 0: the fast path's single lookup; stamps
  // the slot's use if found. Its own loop, not Probe + MacOf: that form
  // tests the bucket's overflow count before branching on the match and
  // measured 20-40% slower (arp_bench neighbor/single, alternating runs).
  uint64_t FindMac(uint32_t ip) const noexcept {
    const uint16_t tick = LoadTick();
    size_t b = Home(ip);
    // At most every bucket once: with retired slots waiting for a grace
    // period the table can be full enough that every bucket counts a key
    // passing it, and an absent key would otherwise probe forever.
    for (size_t left = mask_ + 1; left > 0; --left) {
      const Bucket& bucket = buckets_[b];
      const unsigned match = MatchMask(bucket, ip);
      if (match != 0) {
        const int lane = __builtin_ctz(match);
        Stamp(bucket.last_use[lane], tick);
        return LoadMacState(bucket, lane) & kMacMask;
      }
      if (LoadOverflow(bucket) == 0) return 0;
      b = (b + 1) & mask_;
    }
    return 0;
  }

  // The coarse time lookups stamp on the slots they find: never 0, which
  // marks a slot not used since its stamp was last cleared. Control plane.
  void set_tick(uint16_t tick) noexcept {
    std::atomic_ref<uint16_t>(tick_).store(tick, std::memory_order_relaxed);
  }
  // The tick stamped by the slot's last lookup, or 0 if none since it was
  // inserted or cleared.
  uint16_t last_use(uint32_t s) const noexcept {
    return std::atomic_ref<uint16_t>(buckets_[s / 4].last_use[s % 4])
        .load(std::memory_order_relaxed);
  }
  void clear_last_use(uint32_t s) noexcept {
    std::atomic_ref<uint16_t>(buckets_[s / 4].last_use[s % 4])
        .store(0, std::memory_order_relaxed);
  }
  uint32_t ip(uint32_t s) const { return buckets_[s / 4].ip[s % 4]; }
  // Index of the slot's control data in the owner's arrays.
  uint32_t cold(uint32_t s) const { return cold_[s]; }

  size_t MemoryBytes() const {
    return buckets_.capacity() * sizeof(Bucket) +
           (cold_.capacity() + retired_.capacity()) * sizeof(uint32_t);
  }

 private:
  static constexpr uint64_t kMacMask = (uint64_t{1} << 48) - 1;
  // Lookups read ip, mac_state, overflow and used while the writer
  // changes them: all four only through atomic loads and stores (but for
  // the SIMD load of the keys, below), so that neither the compiler nor
  // ThreadSanitizer sees a plain race.
  struct alignas(64) Bucket {
    uint32_t ip[4];
    uint64_t mac_state[4];
    uint32_t overflow;  // keys homed here or earlier, stored further on
    // The tick of slot i's last lookup (see set_tick). Mutable: const
    // lookups write it, always through std::atomic_ref.
    mutable uint16_t last_use[4];
    uint8_t used;     // bit i: slot i holds a key that lookups may match
    uint8_t retired;  // bit i: erased, not yet reusable (writer's only)
  };
  static_assert(sizeof(Bucket) == 64);

  // Where a probe for a key ended: its bucket and the lanes holding it
  // (match 0: absent).
  struct Hit {
    size_t bucket;
    unsigned match;
  };
  // Probes from bucket `b` on, stopping at a bucket no key passed, or
  // after every bucket (see FindMac).
  Hit Probe(size_t b, uint32_t ip) const noexcept {
    for (size_t left = mask_ + 1; left > 0; --left) {
      const unsigned match = MatchMask(buckets_[b], ip);
      if (match != 0 || LoadOverflow(buckets_[b]) == 0) return {b, match};
      b = (b + 1) & mask_;
    }
    return {b, 0};
  }
  // The hit's MAC (0 if absent), stamping its use.
  uint64_t MacOf(Hit h, uint16_t tick) const noexcept {
    if (h.match == 0) return 0;
    const int lane = __builtin_ctz(h.match);
    Stamp(buckets_[h.bucket].last_use[lane], tick);
    return LoadMacState(buckets_[h.bucket], lane) & kMacMask;
  }
  static uint64_t LoadMacState(const Bucket& b, int lane) noexcept {
    return __atomic_load_n(&b.mac_state[lane], __ATOMIC_RELAXED);
  }
  static uint32_t LoadOverflow(const Bucket& b) noexcept {
    return __atomic_load_n(&b.overflow, __ATOMIC_RELAXED);
  }
  uint16_t LoadTick() const noexcept {
    return std::atomic_ref<uint16_t>(tick_).load(std::memory_order_relaxed);
  }
  // Writes only on a change: a line that every core reads stays clean
  // between ticks (as Linux writes neigh->used only when jiffies moved).
  static void Stamp(uint16_t& last_use, uint16_t tick) noexcept {
    std::atomic_ref<uint16_t> stamp(last_use);
    if (stamp.load(std::memory_order_relaxed) != tick)
      stamp.store(tick, std::memory_order_relaxed);
  }
  size_t Home(uint32_t ip) const noexcept {
    return static_cast<size_t>(hash_(ip)) & mask_;
  }
  // The lanes of `b` holding `ip`. `used` is loaded first, with acquire:
  // a lane's key is written before the release store of its bit, so the
  // keys read after it are at least as new as the bits (see the top).
  static unsigned MatchMask(const Bucket& b, uint32_t ip) noexcept {
    const unsigned used = __atomic_load_n(&b.used, __ATOMIC_ACQUIRE);
#if defined(__x86_64__) && !defined(__SANITIZE_THREAD__)
    // A plain 16-byte load: each aligned 4-byte key in it is read whole
    // (as Dir24_8's AVX2 gather reads its entries), and a key only changes
    // while its bit is clear. ThreadSanitizer builds, which cannot see
    // inside it, take the loop of atomic loads.
    const __m128i keys = _mm_load_si128(reinterpret_cast<const __m128i*>(b.ip));
    const __m128i eq =
        _mm_cmpeq_epi32(keys, _mm_set1_epi32(static_cast<int>(ip)));
    return static_cast<unsigned>(_mm_movemask_ps(_mm_castsi128_ps(eq))) & used;
#else
    unsigned m = 0;
    for (int i = 0; i < 4; ++i) {
      m |= static_cast<unsigned>(__atomic_load_n(&b.ip[i], __ATOMIC_RELAXED) ==
                                 ip)
           << i;
    }
    return m & used;
#endif
  }
  // The writer's: plain reads of what only it writes, atomic stores.
  uint64_t word(uint32_t s) const { return buckets_[s / 4].mac_state[s % 4]; }
  void StoreWord(uint32_t s, uint64_t v) {
    __atomic_store_n(&buckets_[s / 4].mac_state[s % 4], v, __ATOMIC_RELAXED);
  }

  // A table this small stays in L1/L2 between batches: prefetching it only
  // adds instructions (at 1k entries the difference was within the noise),
  // while past it the prefetches are what hide the misses (2x at 1M).
  static constexpr size_t kPrefetchAbove = 256 << 10;

  std::vector<Bucket> buckets_;
  std::vector<uint32_t> cold_;     // per slot; control plane only
  std::vector<uint32_t> retired_;  // erased slots awaiting ReuseRetired
  // Mutable for std::atomic_ref, which needs a non-const object to load.
  mutable uint16_t tick_ = 1;
  size_t mask_;
  bool prefetch_;
  Xxh3U32 hash_;
};

}  // namespace nexthop::internal

#endif  // NEXTHOP_ARP_INTERNAL_NEIGHBOR_SLOTS_H_
