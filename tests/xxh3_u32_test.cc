#include "arp/internal/xxh3_u32.h"

#include <random>
#include <vector>

#include "gtest/gtest.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace nexthop::internal {
namespace {

TEST(Xxh3U32Test, MatchesTheLibraryBitForBit) {
  std::mt19937_64 rng(99);
  std::vector<uint64_t> seeds = {0, 1, 0xFFFFFFFFFFFFFFFFull,
                                 0x123456789ABCDEF0ull};
  for (int i = 0; i < 16; ++i) seeds.push_back(rng());
  for (uint64_t seed : seeds) {
    const Xxh3U32 hash(seed);
    std::vector<uint32_t> keys = {0, 1, 0xFFFFFFFFu, 0x0A0A4037u};
    for (int i = 0; i < 1000; ++i) keys.push_back(static_cast<uint32_t>(rng()));
    std::vector<uint64_t> batch(keys.size() + 1, 42);
    for (size_t n :
         {size_t{0}, size_t{1}, size_t{7}, size_t{8}, size_t{9}, keys.size()}) {
      std::fill(batch.begin(), batch.end(), 42);
      hash.Batch(keys.data(), batch.data(), n);
      for (size_t i = 0; i < n; ++i) {
        const uint64_t want =
            XXH3_64bits_withSeed(&keys[i], sizeof(uint32_t), seed);
        ASSERT_EQ(hash(keys[i]), want) << "seed " << seed << " key " << keys[i];
        ASSERT_EQ(batch[i], want) << "batch n=" << n << " i=" << i;
      }
      ASSERT_EQ(batch[n], 42u) << "wrote past n=" << n;
      // The bucket-offset form a table uses.
      hash.Batch(keys.data(), batch.data(), n, 0x3FF, 6);
      for (size_t i = 0; i < n; ++i) {
        ASSERT_EQ(batch[i], (hash(keys[i]) & 0x3FF) << 6) << "i=" << i;
      }
    }
  }
}

}  // namespace
}  // namespace nexthop::internal
