#include "arp/internal/neighbor_slots.h"

#include <map>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace nexthop::internal {
namespace {

constexpr uint8_t kIncomplete = 1, kReachable = 2, kFailed = 6,
                  kPermanent = 7;

// The batch path answers from the MAC bits alone, so a slot whose state
// has no usable MAC must never carry one, whatever order the owner writes
// the two in.
TEST(NeighborSlotsTest, StatesWithoutAMacNeverCarryOne) {
  NeighborSlots t(16, 5);
  const uint32_t s = t.Insert(0x0A000001, kIncomplete, 0);
  t.set_mac(s, 0x020000000001);  // written while INCOMPLETE: ignored
  EXPECT_EQ(t.mac(s), 0u);
  EXPECT_EQ(t.FindMac(0x0A000001), 0u);
  t.set_state(s, kReachable);
  t.set_mac(s, 0x020000000001);
  EXPECT_EQ(t.FindMac(0x0A000001), 0x020000000001u);
  EXPECT_EQ(t.state(s), kReachable);
  t.set_state(s, kFailed);  // forgets the MAC
  EXPECT_EQ(t.mac(s), 0u);
  EXPECT_EQ(t.state(s), kFailed);
  const uint32_t ip = 0x0A000001;
  uint64_t out = 42;
  t.FindMacBatch(&ip, &out, 1);
  EXPECT_EQ(out, 0u);
  t.set_state(s, kReachable);  // a MAC must be learned again
  EXPECT_EQ(t.FindMac(0x0A000001), 0u);
}

// Batches are hashed in blocks; every length around a block edge must give
// the single lookup's answer and write nothing past n.
TEST(NeighborSlotsTest, BatchOfAnyLengthAgreesWithSingle) {
  for (size_t capacity : {size_t{8}, size_t{1000}, size_t{100000}}) {
    NeighborSlots t(capacity, capacity);
    std::mt19937 rng(static_cast<uint32_t>(capacity));
    std::map<uint32_t, uint64_t> golden;
    std::vector<uint32_t> keys;
    while (golden.size() < capacity) {
      const uint32_t ip = rng();
      if (golden.contains(ip)) continue;
      const uint64_t mac = 0x020000000000 | (rng() & 0xFFFFFF);
      const uint32_t s = t.Insert(ip, kPermanent, 0);
      t.set_mac(s, mac);
      golden[ip] = mac;
      keys.push_back(ip);
    }
    std::vector<uint32_t> ips;
    for (int i = 0; i < 300; ++i) {  // two hits to one (likely) miss
      ips.push_back(i % 3 == 0 ? static_cast<uint32_t>(rng())
                               : keys[rng() % keys.size()]);
    }
    for (size_t n : {0, 1, 15, 16, 17, 63, 64, 65, 128, 129, 300}) {
      std::vector<uint64_t> out(n + 1, 42);
      t.FindMacBatch(ips.data(), out.data(), n);
      for (size_t i = 0; i < n; ++i) {
        auto it = golden.find(ips[i]);
        const uint64_t want = it == golden.end() ? 0 : it->second;
        ASSERT_EQ(out[i], want) << "capacity " << capacity << " n " << n;
        ASSERT_EQ(t.FindMac(ips[i]), want);
      }
      ASSERT_EQ(out[n], 42u) << "wrote past n=" << n;
    }
  }
}

}  // namespace
}  // namespace nexthop::internal
