// XXH3-64 of one 4-byte key, the neighbour table's hash, for one key or
// eight at a time.
//
// For a 4-byte input XXH3 reads the key twice into one 64-bit word, XORs a
// constant that depends only on the seed and the default secret, and mixes
// (rrmxmx). Xxh3U32 hoists that constant out of the per-key work, and the
// AVX-512 kernel runs the mix on eight keys per instruction (it needs
// 64-bit lane multiplies, AVX-512DQ). Both are tested bit for bit against
// the library's XXH3_64bits_withSeed; the library stays the definition.
#ifndef NEXTHOP_ARP_INTERNAL_XXH3_U32_H_
#define NEXTHOP_ARP_INTERNAL_XXH3_U32_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace nexthop::internal {

class Xxh3U32 {
 public:
  explicit Xxh3U32(uint64_t seed);

  uint64_t operator()(uint32_t key) const noexcept {
    uint64_t h = ((uint64_t{key} << 32) | key) ^ bitflip_;
    h ^= Rotl(h, 49) ^ Rotl(h, 24);
    h *= kPrime;
    h ^= (h >> 35) + 4;  // + the input length
    h *= kPrime;
    return h ^ (h >> 28);
  }
  // out[i] = ((*this)(keys[i]) & mask) << shift for i < n, by the fastest
  // kernel this CPU has: a table's bucket index (or byte offset) straight
  // from the hash, with no second pass over `out`. Key is uint32_t or a
  // 4-byte trivially copyable type whose bytes are one (Ipv4Address): the
  // AVX-512 kernel reads the keys' bytes through vector loads (which may
  // alias any type), the rest converts each key with std::bit_cast, so no
  // key is read through a pointer to another type.
  template <typename Key>
  void Batch(const Key* keys, uint64_t* out, size_t n,
             uint64_t mask = ~uint64_t{0}, int shift = 0) const noexcept {
    static_assert(sizeof(Key) == sizeof(uint32_t) &&
                  std::is_trivially_copyable_v<Key>);
    const size_t done = avx512_ ? BatchWide(keys, out, n, mask, shift) : 0;
    for (size_t i = done; i < n; ++i) {
      out[i] = ((*this)(std::bit_cast<uint32_t>(keys[i])) & mask) << shift;
    }
  }
  uint64_t seed() const { return seed_; }

 private:
  // Hashes the first n / 8 * 8 keys (4 bytes each, at `keys`) with AVX-512
  // and returns how many it did.
  size_t BatchWide(const void* keys, uint64_t* out, size_t n, uint64_t mask,
                   int shift) const noexcept;
  static constexpr uint64_t kPrime = 0x9FB21C651E98DF25ULL;
  static uint64_t Rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
  uint64_t seed_;
  uint64_t bitflip_;
  bool avx512_;
};

}  // namespace nexthop::internal

#endif  // NEXTHOP_ARP_INTERNAL_XXH3_U32_H_
