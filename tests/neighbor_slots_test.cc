#include "arp/internal/neighbor_slots.h"

#include <unistd.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <vector>

#include "gtest/gtest.h"

namespace nexthop::internal {
namespace {

constexpr uint8_t kIncomplete = 1, kReachable = 2, kFailed = 6, kPermanent = 7;

class NeighborSlotsRetireTest : public ::testing::Test {};

// The home bucket of `ip` in a table of `capacity` with `seed`: where it
// lands alone in an empty one.
size_t HomeOf(uint32_t ip, size_t capacity, uint64_t seed) {
  NeighborSlots probe(capacity, seed);
  return probe.Insert(ip, kReachable, 0) / 4;
}

// Every bucket counting a key that passed it (reachable once erased slots
// wait as retired): a lookup of an absent address must still end. Before
// probes were bounded by the bucket count it looped forever (the neighbour
// stress test hung); the alarm turns such a hang into a failure.
TEST(NeighborSlotsTest, AbsentKeyEndsWhenEveryBucketCountsAPassingKey) {
  constexpr size_t kCapacity = 8;  // 4 buckets, 16 slots
  constexpr uint64_t kSeed = 11;
  std::vector<uint32_t> homed[4];
  for (uint32_t ip = 1; std::any_of(homed, homed + 4,
                                    [](const auto& v) { return v.size() < 8; });
       ++ip) {
    const size_t h = HomeOf(ip, kCapacity, kSeed);
    ASSERT_LT(h, 4u);
    if (homed[h].size() < 8) homed[h].push_back(ip);
  }
  alarm(20);
  NeighborSlots t(kCapacity, kSeed);
  auto take = [&](int h) {
    const uint32_t ip = homed[h].back();
    homed[h].pop_back();
    return ip;
  };
  for (int i = 0; i < 4; ++i) t.Insert(take(0), kReachable, 0);  // b0 full
  t.Insert(take(0), kReachable, 0);  // passes b0, lands in b1
  for (int i = 0; i < 4; ++i) t.Insert(take(2), kReachable, 0);  // b2 full
  t.Insert(take(2), kReachable, 0);  // passes b2, lands in b3
  const uint32_t own1 = take(1);
  const uint32_t one_slot = t.Insert(own1, kReachable, 0);
  for (int i = 0; i < 2; ++i) t.Insert(take(1), kReachable, 0);  // b1 full
  t.Insert(take(1), kReachable, 0);  // passes b1 and b2, lands in b3
  for (int i = 0; i < 2; ++i) t.Insert(take(3), kReachable, 0);  // b3 full
  t.Erase(one_slot);  // a free slot in b1 once reused
  t.ReuseRetired();
  t.Insert(take(3), kReachable, 0);  // passes b3 and b0, lands in b1
  // Every slot is live and every bucket counts a passing key.
  const uint32_t absent = homed[0].back();
  EXPECT_EQ(t.Find(absent), NeighborSlots::kNone);
  EXPECT_EQ(t.FindMac(absent), 0u);
  uint64_t out = 42;
  t.FindMacBatch(&absent, &out, 1);
  EXPECT_EQ(out, 0u);
  EXPECT_EQ(t.Find(own1), NeighborSlots::kNone);
  alarm(0);
}

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

// Every lookup that finds a key stamps its slot with the current tick,
// keys that spilled past their home bucket included (the batch's other
// path); misses stamp nothing, and insert and erase clear the stamp.
TEST(NeighborSlotsTest, LookupsStampTheSlotsTheyFind) {
  constexpr size_t kCapacity = 1000;
  NeighborSlots t(kCapacity, 3);
  std::mt19937 rng(3);
  std::map<uint32_t, uint32_t> slot_of;
  std::vector<uint32_t> keys;
  // Full: 1,000 keys in 512 buckets of four, so some twenty buckets get
  // five keys or more and spill into the next.
  while (keys.size() < kCapacity) {
    const uint32_t ip = rng();
    if (slot_of.contains(ip)) continue;
    const uint32_t s = t.Insert(ip, kReachable, 0);
    t.set_mac(s, 0x020000000001);
    EXPECT_EQ(t.last_use(s), 0u);
    slot_of[ip] = s;
    keys.push_back(ip);
  }
  t.set_tick(7);
  std::vector<uint64_t> out(keys.size() / 2);
  t.FindMacBatch(keys.data(), out.data(), out.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(t.last_use(slot_of[keys[i]]), i < out.size() ? 7u : 0u) << i;
  }
  t.set_tick(8);
  for (size_t i = out.size(); i < keys.size(); ++i) t.FindMac(keys[i]);
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(t.last_use(slot_of[keys[i]]), i < out.size() ? 7u : 8u) << i;
  }
  const uint32_t miss = 0x01020304;
  uint64_t mac = 1;
  t.FindMacBatch(&miss, &mac, 1);
  EXPECT_EQ(mac, 0u);
  const uint32_t s0 = slot_of[keys[0]];
  ASSERT_NE(t.last_use(s0), 0u);
  t.clear_last_use(s0);
  EXPECT_EQ(t.last_use(s0), 0u);
  // Erase clears a stamp, and so does insert: stamp, erase, insert again
  // into the same slot.
  const uint32_t s1 = slot_of[keys[1]];
  ASSERT_NE(t.last_use(s1), 0u);
  t.Erase(s1);
  t.ReuseRetired();
  EXPECT_EQ(t.last_use(s1), 0u);
  const uint32_t again = t.Insert(keys[1], kReachable, 0);
  EXPECT_EQ(t.last_use(again), 0u);
}

// An erased slot is retired: lookups stop finding its key at once, but no
// other key takes the slot until ReuseRetired() (the owner calls it after
// a grace period), so a lookup still reading the slot cannot see another
// key's MAC there.
TEST_F(NeighborSlotsRetireTest, ErasedSlotsTakeNoKeyUntilReused) {
  NeighborSlots t(8, 9);  // 4 buckets of four
  std::vector<uint32_t> keys;
  std::map<uint32_t, uint32_t> slot_of;
  for (uint32_t ip = 1; keys.size() < 8; ++ip) {
    const uint32_t s = t.Insert(ip, kPermanent, 0);
    t.set_mac(s, 0x020000000000 | ip);
    keys.push_back(ip);
    slot_of[ip] = s;
  }
  std::set<uint32_t> retired;
  for (int i = 0; i < 4; ++i) {
    t.Erase(slot_of[keys[i]]);
    retired.insert(slot_of[keys[i]]);
    EXPECT_EQ(t.FindMac(keys[i]), 0u);
  }
  EXPECT_EQ(t.retired(), 4u);
  // New keys go elsewhere, old ones are all still found.
  for (uint32_t ip = 100; ip < 104; ++ip) {
    const uint32_t s = t.Insert(ip, kPermanent, 0);
    EXPECT_FALSE(retired.contains(s)) << "slot " << s << " reused";
    t.set_mac(s, 0x020000000000 | ip);
  }
  for (int i = 4; i < 8; ++i)
    EXPECT_EQ(t.FindMac(keys[i]), 0x020000000000u | keys[i]);
  t.ReuseRetired();
  EXPECT_EQ(t.retired(), 0u);
  // Now they are free: 8 keys in 16 slots, so 8 more fill every slot, the
  // formerly retired ones included.
  std::set<uint32_t> used;
  for (uint32_t ip = 200; ip < 208; ++ip) used.insert(t.Insert(ip, 2, 0));
  for (uint32_t s : retired) EXPECT_TRUE(used.contains(s)) << s;
  for (uint32_t ip = 100; ip < 104; ++ip)
    EXPECT_EQ(t.FindMac(ip), 0x020000000000u | ip);
}

}  // namespace
}  // namespace nexthop::internal
