#include "arp/neighbor_cache.h"

#include <map>
#include <random>
#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace nexthop {
namespace {

using ::testing::HasSubstr;
using Kind = NeighborAction::Kind;

Ipv4Address A(const char* s) { return *Ipv4Address::Parse(s); }
MacAddress M(const char* s) { return *MacAddress::Parse(s); }
Packet P(uint8_t tag) { return Packet{tag}; }

const MacAddress kMe = MacAddress::FromUint64(0x020000000001);
const Ipv4Address kMyIp = Ipv4Address::FromOctets(10, 10, 64, 55);

class NeighborCacheTest : public ::testing::Test {
 protected:
  NeighborCache Make(NeighborConfig config = {}) {
    config.seed = 7;
    return NeighborCache(&clock_, config);
  }
  // The reply `ip` sends to our request.
  static ArpPacket ReplyFrom(Ipv4Address ip, MacAddress mac) {
    return ArpReply(ArpRequest(kMe, kMyIp, ip).arp, mac).arp;
  }
  ManualClock clock_;
  std::vector<NeighborAction> actions_;
};

TEST_F(NeighborCacheTest, MissQueuesAndRequestThenReplyReleasesInOrder) {
  NeighborCache c = Make();
  const Ipv4Address peer = A("10.10.64.56");
  EXPECT_FALSE(c.Resolve(peer, P(1), actions_));
  EXPECT_FALSE(c.Resolve(peer, P(2), actions_));
  ASSERT_EQ(actions_.size(), 1u);  // one request, not one per packet
  EXPECT_EQ(actions_[0].kind, Kind::kBroadcastRequest);
  EXPECT_EQ(actions_[0].ip, peer);
  EXPECT_EQ(c.StateOf(peer), NeighborState::kIncomplete);
  EXPECT_FALSE(c.Lookup(peer));
  MacAddress batch[1] = {MacAddress::Broadcast()};
  c.LookupBatch(std::span(&peer, 1), batch);
  EXPECT_TRUE(batch[0].IsZero());  // INCOMPLETE has no MAC yet
  actions_.clear();
  c.OnArp(ReplyFrom(peer, M("02:42:0a:0a:40:38")), true, actions_);
  ASSERT_EQ(actions_.size(), 2u);
  EXPECT_EQ(actions_[0].kind, Kind::kTransmit);
  EXPECT_EQ(actions_[0].packet, P(1));
  EXPECT_EQ(actions_[1].packet, P(2));
  EXPECT_EQ(actions_[1].mac, M("02:42:0a:0a:40:38"));
  EXPECT_EQ(c.StateOf(peer), NeighborState::kReachable);
  EXPECT_EQ(c.Lookup(peer), M("02:42:0a:0a:40:38"));
  // Example 4: `arp -a` now lists the neighbour.
  EXPECT_EQ(c.FormatArpA("eth0"),
            "? (10.10.64.56) at 02:42:0a:0a:40:38 [ether] on eth0\n");
}

TEST_F(NeighborCacheTest, QueueIsBoundedAndDropsTheOldest) {
  NeighborCache c = Make({.queue_limit = 2});
  const Ipv4Address peer = A("10.0.0.2");
  for (uint8_t i = 1; i <= 3; ++i) c.Resolve(peer, P(i), actions_);
  ASSERT_EQ(actions_.size(), 2u);
  EXPECT_EQ(actions_[1].kind, Kind::kDrop);
  EXPECT_EQ(actions_[1].packet, P(1));
  EXPECT_THAT(actions_[1].reason, HasSubstr("queue full"));
  actions_.clear();
  c.OnArp(ReplyFrom(peer, M("02:00:00:00:00:02")), true, actions_);
  ASSERT_EQ(actions_.size(), 2u);
  EXPECT_EQ(actions_[0].packet, P(2));
  EXPECT_EQ(actions_[1].packet, P(3));
  EXPECT_EQ(c.stats().dropped_queue_full, 1u);
}

TEST_F(NeighborCacheTest, IncompleteRetriesThenFailsAndDropsQueue) {
  NeighborCache c = Make();
  const Ipv4Address peer = A("10.0.0.9");
  c.Resolve(peer, P(1), actions_);
  actions_.clear();
  clock_.Advance(absl::Milliseconds(999));
  c.Advance(actions_);
  EXPECT_TRUE(actions_.empty());
  clock_.Advance(absl::Milliseconds(1));
  c.Advance(actions_);  // second request
  clock_.Advance(absl::Seconds(1));
  c.Advance(actions_);  // third request
  ASSERT_EQ(actions_.size(), 2u);
  EXPECT_EQ(actions_[0].kind, Kind::kBroadcastRequest);
  EXPECT_EQ(actions_[1].kind, Kind::kBroadcastRequest);
  actions_.clear();
  clock_.Advance(absl::Seconds(1));
  c.Advance(actions_);
  ASSERT_EQ(actions_.size(), 1u);
  EXPECT_EQ(actions_[0].kind, Kind::kDrop);
  EXPECT_THAT(actions_[0].reason, HasSubstr("no ARP reply from 10.0.0.9"));
  EXPECT_EQ(c.StateOf(peer), NeighborState::kFailed);
  EXPECT_EQ(c.FormatArpA("eth0"), "? (10.0.0.9) at <incomplete> on eth0\n");
  // A new packet starts resolution over.
  actions_.clear();
  c.Resolve(peer, P(2), actions_);
  EXPECT_EQ(actions_[0].kind, Kind::kBroadcastRequest);
  EXPECT_EQ(c.StateOf(peer), NeighborState::kIncomplete);
  // FAILED entries are forgotten after gc_stale_time.
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(absl::Seconds(1));
    c.Advance(actions_);
  }
  clock_.Advance(absl::Seconds(61));
  c.Advance(actions_);
  EXPECT_EQ(c.StateOf(peer), std::nullopt);
}

TEST_F(NeighborCacheTest, ReachableBecomesStaleWithinRandomisedTime) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    NeighborCache c(&clock_, {.seed = seed});
    const Ipv4Address peer = A("10.0.0.2");
    c.Resolve(peer, P(1), actions_);
    c.OnArp(ReplyFrom(peer, M("02:00:00:00:00:02")), true, actions_);
    clock_.Advance(absl::Seconds(15) - absl::Milliseconds(1));
    c.Advance(actions_);
    EXPECT_EQ(c.StateOf(peer), NeighborState::kReachable) << seed;
    clock_.Advance(absl::Seconds(30) + absl::Milliseconds(2));
    c.Advance(actions_);
    EXPECT_EQ(c.StateOf(peer), NeighborState::kStale) << seed;
    EXPECT_EQ(c.Lookup(peer), M("02:00:00:00:00:02"));  // still usable
  }
}

TEST_F(NeighborCacheTest, StaleUseDelaysThenProbesThenFails) {
  NeighborCache c = Make({.base_reachable_time = absl::Seconds(2)});
  const Ipv4Address peer = A("10.0.0.2");
  const MacAddress mac = M("02:00:00:00:00:02");
  c.Resolve(peer, P(1), actions_);
  c.OnArp(ReplyFrom(peer, mac), true, actions_);
  clock_.Advance(absl::Seconds(4));
  c.Advance(actions_);
  ASSERT_EQ(c.StateOf(peer), NeighborState::kStale);
  actions_.clear();
  EXPECT_EQ(c.Resolve(peer, P(2), actions_), mac);  // sent at once
  EXPECT_EQ(c.StateOf(peer), NeighborState::kDelay);
  EXPECT_TRUE(actions_.empty());
  clock_.Advance(absl::Seconds(5));
  c.Advance(actions_);
  EXPECT_EQ(c.StateOf(peer), NeighborState::kProbe);
  ASSERT_EQ(actions_.size(), 1u);
  EXPECT_EQ(actions_[0].kind, Kind::kUnicastProbe);
  EXPECT_EQ(actions_[0].mac, mac);
  for (int i = 0; i < 2; ++i) {
    clock_.Advance(absl::Seconds(1));
    c.Advance(actions_);
  }
  EXPECT_EQ(actions_.size(), 3u);
  EXPECT_EQ(c.StateOf(peer), NeighborState::kProbe);
  clock_.Advance(absl::Seconds(1));
  c.Advance(actions_);
  EXPECT_EQ(c.StateOf(peer), NeighborState::kFailed);
  EXPECT_FALSE(c.Lookup(peer));
  EXPECT_EQ(c.stats().probes, 3u);
}

TEST_F(NeighborCacheTest, ReplyOrConfirmationInDelayMakesReachable) {
  NeighborCache c = Make({.base_reachable_time = absl::Seconds(2)});
  const Ipv4Address peer = A("10.0.0.2");
  const MacAddress mac = M("02:00:00:00:00:02");
  c.Resolve(peer, P(1), actions_);
  c.OnArp(ReplyFrom(peer, mac), true, actions_);
  clock_.Advance(absl::Seconds(4));
  c.Advance(actions_);
  c.Resolve(peer, P(2), actions_);
  ASSERT_EQ(c.StateOf(peer), NeighborState::kDelay);
  c.Confirm(peer);
  EXPECT_EQ(c.StateOf(peer), NeighborState::kReachable);
  clock_.Advance(absl::Seconds(10));
  c.Advance(actions_);
  c.Resolve(peer, P(3), actions_);
  ASSERT_EQ(c.StateOf(peer), NeighborState::kDelay);
  c.OnArp(ReplyFrom(peer, mac), true, actions_);
  EXPECT_EQ(c.StateOf(peer), NeighborState::kReachable);
}

TEST_F(NeighborCacheTest, TargetOfARequestRecordsTheSenderOthersDoNot) {
  NeighborCache me = Make(), other = Make();
  // Example 3: A (192.168.1.3) asks for B (192.168.1.2); B learns A.
  const ArpPacket who_has =
      ArpRequest(M("02:42:ac:11:00:04"), A("192.168.1.3"), A("192.168.1.2"))
          .arp;
  me.OnArp(who_has, /*target_is_local=*/true, actions_);
  other.OnArp(who_has, /*target_is_local=*/false, actions_);
  EXPECT_EQ(me.Lookup(A("192.168.1.3")), M("02:42:ac:11:00:04"));
  EXPECT_EQ(me.StateOf(A("192.168.1.3")), NeighborState::kStale);
  EXPECT_EQ(other.size(), 0u);
  EXPECT_TRUE(actions_.empty());
  // So B's reply needs no request of its own.
  actions_.clear();
  EXPECT_EQ(me.Resolve(A("192.168.1.3"), P(1), actions_),
            M("02:42:ac:11:00:04"));
  EXPECT_TRUE(actions_.empty());
}

TEST_F(NeighborCacheTest, OthersAndGratuitousArpOnlyUpdateExistingEntries) {
  NeighborCache c = Make();
  const Ipv4Address peer = A("10.0.0.2");
  c.Resolve(peer, P(1), actions_);
  c.OnArp(ReplyFrom(peer, M("02:00:00:00:00:02")), true, actions_);
  // The peer moved to a new NIC and announces it.
  c.OnArp(GratuitousArp(M("02:00:00:00:00:99"), peer).arp, false, actions_);
  EXPECT_EQ(c.Lookup(peer), M("02:00:00:00:00:99"));
  EXPECT_EQ(c.StateOf(peer), NeighborState::kStale);  // unconfirmed
  // A gratuitous ARP from a stranger creates nothing.
  c.OnArp(GratuitousArp(M("02:00:00:00:00:05"), A("10.0.0.5")).arp, false,
          actions_);
  EXPECT_EQ(c.StateOf(A("10.0.0.5")), std::nullopt);
  // Someone else's request refreshes the sender only if known.
  c.OnArp(ArpRequest(M("02:00:00:00:00:77"), peer, A("10.0.0.8")).arp, false,
          actions_);
  EXPECT_EQ(c.Lookup(peer), M("02:00:00:00:00:77"));
  c.OnArp(ArpRequest(M("02:00:00:00:00:06"), A("10.0.0.6"), A("10.0.0.8")).arp,
          false, actions_);
  EXPECT_EQ(c.StateOf(A("10.0.0.6")), std::nullopt);
  // An unsolicited reply not for us does not create either.
  c.OnArp(ReplyFrom(A("10.0.0.7"), M("02:00:00:00:00:07")), false, actions_);
  EXPECT_EQ(c.StateOf(A("10.0.0.7")), std::nullopt);
}

TEST_F(NeighborCacheTest, PermanentEntriesAndDelete) {
  NeighborCache c = Make();
  const Ipv4Address gw = A("10.10.64.1");
  ASSERT_TRUE(c.AddPermanent(gw, M("02:00:00:00:00:01")).ok());
  c.OnArp(GratuitousArp(M("02:00:00:00:00:66"), gw).arp, false, actions_);
  c.OnArp(ReplyFrom(gw, M("02:00:00:00:00:66")), true, actions_);
  EXPECT_EQ(c.Lookup(gw), M("02:00:00:00:00:01"));
  clock_.Advance(absl::Hours(24));
  c.Advance(actions_);
  EXPECT_EQ(c.StateOf(gw), NeighborState::kPermanent);
  EXPECT_EQ(c.FormatArpA("eth0"),
            "? (10.10.64.1) at 02:00:00:00:00:01 [ether] PERM on eth0\n");
  EXPECT_EQ(c.FormatIpNeigh("eth0"),
            "10.10.64.1 dev eth0 lladdr 02:00:00:00:00:01 PERMANENT\n");
  EXPECT_FALSE(c.AddPermanent(gw, MacAddress::Broadcast()).ok());
  // arp -d: the next packet re-resolves.
  ASSERT_TRUE(c.Delete(gw).ok());
  EXPECT_EQ(c.Delete(gw).code(), absl::StatusCode::kNotFound);
  actions_.clear();
  EXPECT_FALSE(c.Resolve(gw, P(1), actions_));
  EXPECT_EQ(actions_[0].kind, Kind::kBroadcastRequest);
}

TEST_F(NeighborCacheTest, StaleEntriesAreForgottenWhenIdle) {
  NeighborCache c = Make();
  c.OnArp(ArpRequest(M("02:00:00:00:00:02"), A("10.0.0.2"), kMyIp).arp, true,
          actions_);
  clock_.Advance(absl::Seconds(59));
  c.Advance(actions_);
  EXPECT_EQ(c.size(), 1u);
  clock_.Advance(absl::Seconds(2));
  c.Advance(actions_);
  EXPECT_EQ(c.size(), 0u);
}

TEST_F(NeighborCacheTest, ForgedRequestFloodStaysUnderCapAndKeepsLiveEntries) {
  NeighborCache c = Make({.capacity = 64});
  // 40 neighbours in use.
  for (uint32_t i = 1; i <= 40; ++i) {
    const Ipv4Address ip(0x0A000000u + i);
    c.Resolve(ip, P(1), actions_);
    c.OnArp(ReplyFrom(ip, MacAddress::FromUint64(0x020000000000 + i)), true,
            actions_);
  }
  size_t peak_bytes = 0;
  std::mt19937 rng(1);
  for (int i = 0; i < 200000; ++i) {
    // Every forged sender asks for us, so each would be recorded.
    const Ipv4Address forged(rng());
    c.OnArp(
        ArpRequest(MacAddress::FromUint64(0x020000000000 | (rng() & 0xFFFFFF)),
                   forged, kMyIp)
            .arp,
        true, actions_);
    if (i == 1000) peak_bytes = c.MemoryBytes();
    ASSERT_LE(c.size(), 64u);
  }
  EXPECT_LE(c.MemoryBytes(), peak_bytes + 4096);  // no growth past warm-up
  for (uint32_t i = 1; i <= 40; ++i) {
    ASSERT_EQ(c.Lookup(Ipv4Address(0x0A000000u + i)),
              MacAddress::FromUint64(0x020000000000 + i));
  }
  // With every slot in use, a new resolution is refused, not an eviction
  // of a live entry.
  NeighborCache full = Make({.capacity = 2});
  full.Resolve(A("10.0.0.1"), P(1), actions_);
  full.Resolve(A("10.0.0.2"), P(1), actions_);
  actions_.clear();
  EXPECT_FALSE(full.Resolve(A("10.0.0.3"), P(9), actions_));
  ASSERT_EQ(actions_.size(), 1u);
  EXPECT_EQ(actions_[0].kind, Kind::kDrop);
  EXPECT_THAT(actions_[0].reason, HasSubstr("table full"));
  EXPECT_EQ(full.StateOf(A("10.0.0.1")), NeighborState::kIncomplete);
  EXPECT_EQ(full.AddPermanent(A("10.0.0.4"), M("02:00:00:00:00:04")).code(),
            absl::StatusCode::kResourceExhausted);
}

TEST_F(NeighborCacheTest, EvictsFailedFirstThenOldestStale) {
  NeighborCache c = Make({.capacity = 3});
  c.OnArp(ArpRequest(M("02:00:00:00:00:01"), A("10.0.0.1"), kMyIp).arp, true,
          actions_);
  clock_.Advance(absl::Seconds(1));
  c.OnArp(ArpRequest(M("02:00:00:00:00:02"), A("10.0.0.2"), kMyIp).arp, true,
          actions_);
  c.Resolve(A("10.0.0.3"), P(1), actions_);
  for (int i = 0; i < 3; ++i) {
    clock_.Advance(absl::Seconds(1));
    c.Advance(actions_);
  }
  ASSERT_EQ(c.StateOf(A("10.0.0.3")), NeighborState::kFailed);
  c.OnArp(ArpRequest(M("02:00:00:00:00:04"), A("10.0.0.4"), kMyIp).arp, true,
          actions_);
  EXPECT_EQ(c.StateOf(A("10.0.0.3")), std::nullopt);  // FAILED went first
  c.OnArp(ArpRequest(M("02:00:00:00:00:05"), A("10.0.0.5"), kMyIp).arp, true,
          actions_);
  EXPECT_EQ(c.StateOf(A("10.0.0.1")), std::nullopt);  // then the oldest STALE
  EXPECT_TRUE(c.StateOf(A("10.0.0.2")));
  EXPECT_EQ(c.stats().evictions, 2u);
}

// Issue 12, item 6: forwarded traffic reaches a gateway only through the
// fast path's lookups; like Linux, that use must keep the entry and have
// it re-verified (DELAY, then a unicast PROBE) rather than collected.
TEST_F(NeighborCacheTest, GatewayUsedOnlyByLookupsIsReverifiedNotCollected) {
  NeighborCache c = Make();
  const Ipv4Address gw = A("10.0.0.1");
  const MacAddress mac = M("02:00:00:00:00:01");
  c.Resolve(gw, P(1), actions_);
  c.OnArp(ReplyFrom(gw, mac), true, actions_);
  ASSERT_EQ(c.StateOf(gw), NeighborState::kReachable);
  std::set<NeighborState> states;
  int probes = 0;
  // Ten minutes of forwarded traffic, several gc_stale_times; every other
  // second through the batch lookup, else the single one.
  for (int second = 1; second <= 600; ++second) {
    clock_.Advance(absl::Seconds(1));
    if (second % 2 == 0) {
      MacAddress out[1];
      c.LookupBatch(std::span(&gw, 1), out);
      ASSERT_EQ(out[0], mac) << "second " << second;
    } else {
      ASSERT_EQ(c.Lookup(gw), mac) << "second " << second;
    }
    actions_.clear();
    c.Advance(actions_);
    ASSERT_TRUE(c.StateOf(gw).has_value()) << "collected at " << second;
    states.insert(*c.StateOf(gw));
    for (const NeighborAction& a : actions_) {
      if (a.kind == Kind::kUnicastProbe && a.ip == gw) {
        EXPECT_EQ(a.mac, mac);
        ++probes;
        std::vector<NeighborAction> ignored;
        c.OnArp(ReplyFrom(gw, mac), true, ignored);  // the gateway answers
      }
    }
  }
  EXPECT_TRUE(states.contains(NeighborState::kDelay));
  EXPECT_TRUE(states.contains(NeighborState::kProbe));
  // Re-verified about once per reachable period, not per packet.
  EXPECT_GE(probes, 600 / 45);
  EXPECT_LE(probes, 600 / 15);
  // Once the traffic stops, the entry ages out as before.
  for (int second = 0; second < 200; ++second) {
    clock_.Advance(absl::Seconds(1));
    c.Advance(actions_);
  }
  EXPECT_FALSE(c.StateOf(gw).has_value());
}

TEST_F(NeighborCacheTest, ForgedRequestFloodDoesNotEvictAGatewayInUse) {
  NeighborCache c = Make({.capacity = 16});
  const Ipv4Address gw = A("10.0.0.1");
  const MacAddress mac = M("02:00:00:00:00:01");
  // Learned from its own request to us: STALE at once, the oldest entry
  // there will be, and never used by this node's own sending (Resolve
  // would record a use itself). Only the fast path's lookup below uses it.
  c.OnArp(ArpRequest(mac, gw, kMyIp).arp, true, actions_);
  ASSERT_EQ(c.StateOf(gw), NeighborState::kStale);
  clock_.Advance(absl::Seconds(30));
  MacAddress out[1];
  c.LookupBatch(std::span(&gw, 1), out);
  ASSERT_EQ(out[0], mac);
  std::mt19937 rng(5);
  for (int i = 0; i < 10000; ++i) {
    c.OnArp(
        ArpRequest(MacAddress::FromUint64(0x020000000000 | (rng() & 0xFFFFFF)),
                   Ipv4Address(0x0B000000u | (rng() & 0xFFFFFF)), kMyIp)
            .arp,
        true, actions_);
    ASSERT_EQ(c.Lookup(gw), mac) << "evicted by forged request " << i;
    ASSERT_LE(c.size(), 16u);
  }
  EXPECT_GT(c.stats().evictions, 0u);  // the forged entries made room
  // Instead of being evicted, the gateway is re-verified.
  EXPECT_EQ(c.StateOf(gw), NeighborState::kDelay);
  clock_.Advance(absl::Seconds(5));
  actions_.clear();
  c.Advance(actions_);
  EXPECT_EQ(c.StateOf(gw), NeighborState::kProbe);
  c.OnArp(ReplyFrom(gw, mac), true, actions_);
  EXPECT_EQ(c.StateOf(gw), NeighborState::kReachable);
}

TEST_F(NeighborCacheTest, UnusedStaleEntriesAreStillEvictedAndCollected) {
  // What the use tracking must not change: a STALE entry nobody looked up
  // is evicted first and collected after gc_stale_time, and one looked up
  // only before it went STALE (longer than gc_stale_time ago) too.
  NeighborCache c = Make({.capacity = 2});
  const Ipv4Address old_peer = A("10.0.0.2");
  c.OnArp(ArpRequest(M("02:00:00:00:00:02"), old_peer, kMyIp).arp, true,
          actions_);
  EXPECT_TRUE(c.Lookup(old_peer));
  clock_.Advance(absl::Seconds(61));
  c.OnArp(ArpRequest(M("02:00:00:00:00:03"), A("10.0.0.3"), kMyIp).arp, true,
          actions_);  // before any timer ran: 10.0.0.2 is still there
  ASSERT_TRUE(c.StateOf(old_peer));
  c.OnArp(ArpRequest(M("02:00:00:00:00:04"), A("10.0.0.4"), kMyIp).arp, true,
          actions_);
  EXPECT_FALSE(c.StateOf(old_peer));  // evicted: its use is 61 s old
  EXPECT_EQ(c.stats().evictions, 1u);
  clock_.Advance(absl::Seconds(61));
  c.Advance(actions_);
  EXPECT_EQ(c.size(), 0u);
}

TEST_F(NeighborCacheTest, FullTableFindsEveryKeyThroughChurn) {
  // At capacity, buckets spill into their neighbours: every key must still
  // be found, and erasing must not lose the ones that spilled past it.
  NeighborCache c = Make({.capacity = 4096});
  std::mt19937 rng(11);
  std::map<uint32_t, MacAddress> golden;
  auto check = [&] {
    for (const auto& [ip, mac] : golden)
      ASSERT_EQ(c.Lookup(Ipv4Address(ip)), mac);
    ASSERT_EQ(c.size(), golden.size());
  };
  auto add = [&] {
    uint32_t ip;
    do ip = rng();
    while (golden.contains(ip));
    const MacAddress mac =
        MacAddress::FromUint64(0x020000000000 | (rng() & 0xFFFFFF));
    ASSERT_TRUE(c.AddPermanent(Ipv4Address(ip), mac).ok());
    golden[ip] = mac;
  };
  while (golden.size() < 4096) add();
  check();
  for (int round = 0; round < 20; ++round) {
    for (int i = 0; i < 500; ++i) {
      auto it =
          std::next(golden.begin(), static_cast<long>(rng() % golden.size()));
      ASSERT_TRUE(c.Delete(Ipv4Address(it->first)).ok());
      golden.erase(it);
    }
    while (golden.size() < 4096) add();
    check();
  }
}

TEST_F(NeighborCacheTest,
       BatchLookupAgreesWithSingleAndHashTableSurvivesChurn) {
  NeighborCache c = Make({.capacity = 4096});
  std::map<uint32_t, MacAddress> golden;
  std::mt19937 rng(3);
  std::vector<uint32_t> keys;
  for (int i = 0; i < 4096; ++i) keys.push_back(0x0A000000u + (rng() & 0x3FFF));
  for (int op = 0; op < 100000; ++op) {
    const uint32_t ip = keys[rng() % keys.size()];
    if (golden.contains(ip) && rng() % 2) {
      ASSERT_TRUE(c.Delete(Ipv4Address(ip)).ok());
      golden.erase(ip);
    } else if (!golden.contains(ip) && golden.size() < 4096) {
      const MacAddress mac =
          MacAddress::FromUint64(0x020000000000 | (rng() & 0xFFFFFF));
      ASSERT_TRUE(c.AddPermanent(Ipv4Address(ip), mac).ok());
      golden[ip] = mac;
    }
  }
  ASSERT_EQ(c.size(), golden.size());
  std::vector<Ipv4Address> probe;
  for (uint32_t k : keys) probe.push_back(Ipv4Address(k));
  std::vector<MacAddress> out(probe.size() + 1, MacAddress::Broadcast());
  c.LookupBatch(probe, std::span(out).first(probe.size()));
  EXPECT_EQ(out.back(), MacAddress::Broadcast());  // nothing written past
  for (size_t i = 0; i < probe.size(); ++i) {
    auto it = golden.find(probe[i].value());
    const std::optional<MacAddress> want =
        it == golden.end() ? std::nullopt
                           : std::optional<MacAddress>(it->second);
    ASSERT_EQ(c.Lookup(probe[i]), want);
    ASSERT_EQ(out[i], want.value_or(MacAddress()));
  }
}

// --- connected MACs and their change log (for AdjacencyTable) -----------

// What TakeChanges() gives, as "ip=mac" strings ("ip=none" for no MAC).
std::vector<std::string> Changes(NeighborCache& c) {
  NeighborChanges changes = c.TakeChanges();
  EXPECT_FALSE(changes.all);
  std::vector<std::string> out;
  for (const NeighborChange& ch : changes.changed) {
    out.push_back(ch.ip.ToString() + "=" +
                  (ch.mac.IsZero() ? "none" : ch.mac.ToString()));
  }
  return out;
}

// Each way an entry's connected MAC (REACHABLE or PERMANENT) comes, changes
// and goes is logged once; what never had one or keeps it is not.
TEST_F(NeighborCacheTest, ChangeLogFollowsEveryConnectedMac) {
  using ::testing::ElementsAre;
  using ::testing::IsEmpty;
  NeighborCache c = Make({.base_reachable_time = absl::Seconds(2)});
  const Ipv4Address gw = A("10.0.0.1"), peer = A("10.0.0.2");
  const MacAddress m1 = M("02:00:00:00:00:01"), m2 = M("02:00:00:00:00:02");
  // Resolution: INCOMPLETE has none, the reply makes it REACHABLE.
  c.Resolve(gw, P(1), actions_);
  EXPECT_THAT(Changes(c), IsEmpty());
  EXPECT_EQ(c.ConnectedMac(gw), std::nullopt);
  c.OnArp(ReplyFrom(gw, m1), true, actions_);
  EXPECT_EQ(c.ConnectedMac(gw), m1);
  EXPECT_THAT(Changes(c), ElementsAre("10.0.0.1=02:00:00:00:00:01"));
  EXPECT_THAT(Changes(c), IsEmpty());  // drained
  // A reply with the same MAC changes nothing; with another, it does.
  c.OnArp(ReplyFrom(gw, m1), true, actions_);
  EXPECT_THAT(Changes(c), IsEmpty());
  c.OnArp(ReplyFrom(gw, m2), true, actions_);
  EXPECT_THAT(Changes(c), ElementsAre("10.0.0.1=02:00:00:00:00:02"));
  // A STALE entry learned from a request has a MAC, but no connected one.
  c.OnArp(ArpRequest(m1, peer, kMyIp).arp, true, actions_);
  EXPECT_TRUE(c.Lookup(peer));
  EXPECT_EQ(c.ConnectedMac(peer), std::nullopt);
  EXPECT_THAT(Changes(c), IsEmpty());
  // REACHABLE -> STALE when its time runs out: the MAC is still usable,
  // but only through the lookup.
  clock_.Advance(absl::Seconds(4));
  c.Advance(actions_);
  ASSERT_EQ(c.StateOf(gw), NeighborState::kStale);
  EXPECT_THAT(Changes(c), ElementsAre("10.0.0.1=none"));
  // Used while STALE: DELAY, then PROBE, neither connected; the answer to
  // the probe makes it REACHABLE again.
  c.Lookup(gw);
  for (int i = 0; i < 7; ++i) {
    clock_.Advance(absl::Seconds(1));
    c.Advance(actions_);
  }
  ASSERT_EQ(c.StateOf(gw), NeighborState::kProbe);
  EXPECT_THAT(Changes(c), IsEmpty());
  c.OnArp(ReplyFrom(gw, m2), true, actions_);
  EXPECT_THAT(Changes(c), ElementsAre("10.0.0.1=02:00:00:00:00:02"));
  // An unconfirmed new MAC (gratuitous ARP) leaves REACHABLE for STALE.
  c.OnArp(GratuitousArp(m1, gw).arp, false, actions_);
  EXPECT_THAT(Changes(c), ElementsAre("10.0.0.1=none"));
  // Confirm() makes it REACHABLE with the MAC it has now.
  c.Confirm(gw);
  EXPECT_THAT(Changes(c), ElementsAre("10.0.0.1=02:00:00:00:00:01"));
  // arp -s: PERMANENT; arp -d: gone.
  ASSERT_TRUE(c.AddPermanent(peer, m2).ok());
  EXPECT_THAT(Changes(c), ElementsAre("10.0.0.2=02:00:00:00:00:02"));
  ASSERT_TRUE(c.Delete(peer).ok());
  EXPECT_THAT(Changes(c), ElementsAre("10.0.0.2=none"));
  // Several changes between two drains: one line, the MAC as it is now.
  ASSERT_TRUE(c.AddPermanent(peer, m1).ok());
  ASSERT_TRUE(c.AddPermanent(peer, m2).ok());
  ASSERT_TRUE(c.Delete(gw).ok());
  EXPECT_THAT(Changes(c),
              ElementsAre("10.0.0.2=02:00:00:00:00:02", "10.0.0.1=none"));
}

TEST_F(NeighborCacheTest, ProbeFailureAndCollectionAreLoggedOnlyIfConnected) {
  using ::testing::ElementsAre;
  using ::testing::IsEmpty;
  NeighborCache c = Make({.base_reachable_time = absl::Seconds(2)});
  const Ipv4Address gw = A("10.0.0.1");
  c.Resolve(gw, P(1), actions_);
  c.OnArp(ReplyFrom(gw, M("02:00:00:00:00:01")), true, actions_);
  Changes(c);
  // STALE (logged), used: DELAY, PROBE, FAILED (not logged again), then
  // collected (nothing left to log).
  clock_.Advance(absl::Seconds(4));
  c.Advance(actions_);
  c.Lookup(gw);
  for (int i = 0; i < 80; ++i) {
    clock_.Advance(absl::Seconds(1));
    c.Advance(actions_);
  }
  EXPECT_EQ(c.StateOf(gw), std::nullopt);
  EXPECT_THAT(Changes(c), ElementsAre("10.0.0.1=none"));
}

// An owner that never drains the log does not make it grow without bound:
// past twice the capacity it is dropped, and the next TakeChanges() says
// that anything may have changed.
TEST_F(NeighborCacheTest, AnUndrainedLogIsBoundedAndThenSaysAll) {
  NeighborCache c = Make({.capacity = 4});
  for (uint32_t i = 0; i < 100; ++i) {
    const Ipv4Address ip(0x0A000000u + i % 4);
    ASSERT_TRUE(
        c.AddPermanent(ip, MacAddress::FromUint64(0x020000000000 + i)).ok());
    if (i % 8 == 7) {
      ASSERT_TRUE(c.Delete(ip).ok());
    }
  }
  EXPECT_LE(c.MemoryBytes(), Make({.capacity = 4}).MemoryBytes() + 4096);
  NeighborChanges all = c.TakeChanges();
  EXPECT_TRUE(all.all);
  EXPECT_TRUE(all.changed.empty());
  ASSERT_TRUE(c.Delete(Ipv4Address(0x0A000000u)).ok());
  NeighborChanges next = c.TakeChanges();
  EXPECT_FALSE(next.all);
  const std::vector<NeighborChange> deleted = {
      {Ipv4Address(0x0A000000u), MacAddress()}};
  EXPECT_EQ(next.changed, deleted);
}

// With a grace period attached, an erased entry's slot waits for one
// before it takes another address: the writer waits once more than half
// the capacity (or the byte budget) of slots wait, and Reclaim() on demand.
TEST_F(NeighborCacheTest, ErasedSlotsWaitForAGracePeriodBeforeReuse) {
  struct Counting : GracePeriod {
    void Synchronize() override { ++calls; }
    int calls = 0;
  } gp;
  NeighborCache c = Make({.capacity = 8});
  c.SetGracePeriod(&gp);
  for (uint32_t i = 0; i < 8; ++i) {
    ASSERT_TRUE(c.AddPermanent(Ipv4Address(0x0A000000u + i),
                               MacAddress::FromUint64(0x020000000000 + i))
                    .ok());
  }
  for (uint32_t i = 0; i < 4; ++i)
    ASSERT_TRUE(c.Delete(Ipv4Address(0x0A000000u + i)).ok());
  EXPECT_EQ(gp.calls, 0);  // 4 slots wait: half the capacity
  EXPECT_EQ(c.reclaim_stats().pending_bytes, 4 * 16u);
  ASSERT_TRUE(c.Delete(Ipv4Address(0x0A000004u)).ok());
  EXPECT_EQ(gp.calls, 1);  // the fifth: the writer waits, all are reusable
  EXPECT_EQ(c.reclaim_stats().pending_bytes, 0u);
  ASSERT_TRUE(c.Delete(Ipv4Address(0x0A000005u)).ok());
  c.Reclaim();
  EXPECT_EQ(gp.calls, 2);
  EXPECT_EQ(c.reclaim_stats().grace_periods, 2u);
  // A small byte budget waits sooner: after two slots of 16 bytes.
  NeighborCache small = Make({.capacity = 8});
  small.SetGracePeriod(&gp, /*max_pending_bytes=*/16);
  for (uint32_t i = 0; i < 3; ++i) {
    const Ipv4Address ip(0x0B000000u + i);
    ASSERT_TRUE(small.AddPermanent(ip, MacAddress::FromUint64(0x02ff)).ok());
    ASSERT_TRUE(small.Delete(ip).ok());
  }
  EXPECT_EQ(small.reclaim_stats().grace_periods, 1u);
  // Through all that the table stays whole.
  for (uint32_t i = 0; i < 8; ++i) {
    const Ipv4Address ip(0x0A000000u + i);
    ASSERT_TRUE(c.AddPermanent(ip, MacAddress::FromUint64(0x0200 + i)).ok());
  }
  for (uint32_t i = 0; i < 8; ++i) {
    EXPECT_EQ(c.Lookup(Ipv4Address(0x0A000000u + i)),
              MacAddress::FromUint64(0x0200 + i));
  }
}

}  // namespace
}  // namespace nexthop
