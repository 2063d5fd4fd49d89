// AdjacencyTable: the gateways' MACs a ForwardingPlane forwards with, kept
// in step with the NeighborCache, and what the plane does with them.
#include "fwd/adjacency_table.h"

#include <set>

#include "gtest/gtest.h"
#include "lpm/poptrie.h"
#include "net/clock.h"
#include "net/ethernet.h"

namespace nexthop {
namespace {

Ipv4Address A(const char* s) { return *Ipv4Address::Parse(s); }
Ipv4Prefix P(const char* s) { return *Ipv4Prefix::Parse(s); }

const MacAddress kPort1 = MacAddress::FromUint64(0x020000000101);
const MacAddress kM1 = MacAddress::FromUint64(0x0200000000a1);
const MacAddress kM2 = MacAddress::FromUint64(0x0200000000a2);
const Ipv4Address kMyIp = A("192.168.0.1");

// 10/8 and 20/8 go through gateway 1 (on ports 1 and 2), 30/8 through
// gateway 2, 40/8 is on-link.
class AdjacencyTableTest : public ::testing::Test {
 protected:
  static constexpr Ipv4Address kGw1 = Ipv4Address::FromOctets(192, 168, 0, 2);
  static constexpr Ipv4Address kGw2 = Ipv4Address::FromOctets(192, 168, 0, 3);

  AdjacencyTableTest()
      : neighbors_(&clock_,
                   {.base_reachable_time = absl::Seconds(2), .seed = 5}),
        plane_({&lpm_, {}, {}, &neighbors_, {}}),
        table_(&plane_, &neighbors_) {
    EXPECT_TRUE(lpm_.Insert(P("10.0.0.0/8"), 0).ok());
    EXPECT_TRUE(lpm_.Insert(P("20.0.0.0/8"), 1).ok());
    EXPECT_TRUE(lpm_.Insert(P("30.0.0.0/8"), 2).ok());
    EXPECT_TRUE(lpm_.Insert(P("40.0.0.0/8"), 3).ok());
  }

  void Publish() {
    // MACs put here are replaced by the cache's.
    table_.Publish({&lpm_,
                    {{1, false, kGw1, kM2},
                     {2, false, kGw1, MacAddress()},
                     {1, false, kGw2, kM2},
                     {2, true, Ipv4Address(), kM2}},
                    {{MacAddress::FromUint64(0x020000000100), 1500},
                     {kPort1, 1500},
                     {MacAddress::FromUint64(0x020000000102), 1500}},
                    nullptr,
                    {kMyIp}});
  }

  // `gw` answers our request: REACHABLE with `mac`.
  void Reply(Ipv4Address gw, MacAddress mac) {
    std::vector<NeighborAction> actions;
    neighbors_.OnArp(ArpReply(ArpRequest(kPort1, kMyIp, gw).arp, mac).arp,
                     /*target_is_local=*/true, actions);
  }
  void Resolve(Ipv4Address gw) {
    std::vector<NeighborAction> actions;
    neighbors_.Resolve(gw, Packet{1}, actions);
  }

  // The MAC each next hop carries now.
  std::vector<MacAddress> Macs() const {
    std::vector<MacAddress> out;
    for (const Adjacency& a : table_.adjacency()) out.push_back(a.mac);
    return out;
  }

  // One frame to `dst` through the plane: the MAC it was sent to, or the
  // zero MAC if it went to the slow path.
  MacAddress Forward(const char* dst) {
    std::vector<uint8_t> frame = BuildFrame(
        kPort1, MacAddress::FromUint64(0x02000000aaaa), kEtherTypeIpv4,
        BuildIpv4(A("172.16.0.9"), A(dst), kProtoIcmp, 64, 1, true,
                  std::vector<uint8_t>(8)));
    std::span<uint8_t> f(frame);
    Verdict v;
    plane_.ProcessBurst(std::span<const std::span<uint8_t>>(&f, 1),
                        std::span<Verdict>(&v, 1));
    if (v.kind != Verdict::Kind::kForward) return MacAddress();
    EthernetHeader eth;
    EXPECT_TRUE(ParseEthernet(frame, &eth));
    return eth.dst;
  }

  ManualClock clock_;
  Poptrie lpm_;
  NeighborCache neighbors_;
  ForwardingPlane<Poptrie> plane_;
  AdjacencyTable<Poptrie> table_;
};

TEST_F(AdjacencyTableTest, PublishTakesEveryGatewaysMacFromTheCache) {
  ASSERT_TRUE(neighbors_.AddPermanent(kGw1, kM1).ok());
  Resolve(kGw2);  // INCOMPLETE: no MAC yet
  Publish();
  EXPECT_EQ(Macs(), (std::vector<MacAddress>{kM1, kM1, {}, {}}));
  EXPECT_EQ(table_.versions(), 1u);
  EXPECT_EQ(Forward("10.1.1.1"), kM1);
  EXPECT_EQ(Forward("20.1.1.1"), kM1);
  EXPECT_EQ(Forward("30.1.1.1"), MacAddress());  // resolving
  EXPECT_FALSE(table_.Sync());                   // nothing changed since
}

TEST_F(AdjacencyTableTest, SyncFollowsResolutionChangeExpiryAndDeletion) {
  Publish();
  const MacAddress none;
  Resolve(kGw1);
  EXPECT_FALSE(table_.Sync());
  EXPECT_EQ(Forward("10.1.1.1"), none);
  // Resolved: every next hop through it carries the MAC.
  Reply(kGw1, kM1);
  EXPECT_TRUE(table_.Sync());
  EXPECT_EQ(Macs(), (std::vector<MacAddress>{kM1, kM1, none, none}));
  EXPECT_EQ(Forward("20.1.1.1"), kM1);
  EXPECT_FALSE(table_.Sync());
  EXPECT_EQ(table_.versions(), 2u);
  // A new MAC.
  Reply(kGw1, kM2);
  EXPECT_TRUE(table_.Sync());
  EXPECT_EQ(Macs(), (std::vector<MacAddress>{kM2, kM2, none, none}));
  // REACHABLE runs out: STALE, no longer in the adjacency, but the
  // per-packet lookup still finds the MAC.
  clock_.Advance(absl::Seconds(4));
  std::vector<NeighborAction> actions;
  neighbors_.Advance(actions);
  ASSERT_EQ(neighbors_.StateOf(kGw1), NeighborState::kStale);
  EXPECT_TRUE(table_.Sync());
  EXPECT_EQ(Macs(), (std::vector<MacAddress>{none, none, none, none}));
  EXPECT_EQ(Forward("10.1.1.1"), kM2);
  // arp -s, then arp -d.
  ASSERT_TRUE(neighbors_.AddPermanent(kGw2, kM1).ok());
  EXPECT_TRUE(table_.Sync());
  EXPECT_EQ(Macs(), (std::vector<MacAddress>{none, none, kM1, none}));
  ASSERT_TRUE(neighbors_.Delete(kGw2).ok());
  EXPECT_TRUE(table_.Sync());
  EXPECT_EQ(Macs(), (std::vector<MacAddress>{none, none, none, none}));
  EXPECT_EQ(Forward("30.1.1.1"), none);
}

// The point of the MAC in the adjacency: the plane forwards with it and
// does not ask the cache. Until Sync() publishes a change, bursts still
// use the MAC of before it (as Linux's fast path does until the neighbour
// update reaches it).
TEST_F(AdjacencyTableTest, ResolvedGatewaysAreForwardedWithoutALookup) {
  Publish();
  Resolve(kGw1);
  Reply(kGw1, kM1);
  ASSERT_TRUE(table_.Sync());
  ASSERT_TRUE(neighbors_.Delete(kGw1).ok());
  EXPECT_FALSE(neighbors_.Lookup(kGw1).has_value());
  EXPECT_EQ(Forward("10.1.1.1"), kM1);  // from the adjacency
  EXPECT_TRUE(table_.Sync());
  EXPECT_EQ(Forward("10.1.1.1"), MacAddress());  // now looked up: a miss
}

// A log the owner let overflow (more changes than twice the cache's
// capacity between two calls) makes Sync() ask the cache for every gateway.
TEST_F(AdjacencyTableTest, AnOverflowedLogIsFollowedByAskingForEveryGateway) {
  Publish();
  for (int i = 0; i < 3000; ++i) {
    ASSERT_TRUE(
        neighbors_.AddPermanent(Ipv4Address(0x0B000000u + i), kM2).ok());
    ASSERT_TRUE(neighbors_.Delete(Ipv4Address(0x0B000000u + i)).ok());
  }
  ASSERT_TRUE(neighbors_.AddPermanent(kGw2, kM1).ok());
  EXPECT_TRUE(table_.Sync());
  EXPECT_EQ(Macs(), (std::vector<MacAddress>{{}, {}, kM1, {}}));
}

// Issue 12, item 6, with the MAC kept in the adjacency: while REACHABLE the
// gateway's traffic skips the cache, so it records no use; once STALE the
// MAC leaves the adjacency and the per-packet lookups record the use again,
// so the gateway is re-verified (DELAY, a unicast probe), never collected,
// and every frame is forwarded throughout. Were the MAC kept while STALE,
// the cache would see no use and collect the gateway after gc_stale_time.
TEST_F(AdjacencyTableTest, AGatewayOnlyForwardedTrafficUsesIsReverified) {
  Publish();
  Resolve(kGw1);
  Reply(kGw1, kM1);
  table_.Sync();
  std::set<NeighborState> states;
  int probes = 0, kept = 0, looked_up = 0;
  for (int second = 1; second <= 600; ++second) {
    clock_.Advance(absl::Seconds(1));
    for (int i = 0; i < 4; ++i) {
      ASSERT_EQ(Forward("10.1.1.1"), kM1) << "second " << second;
      ++(table_.adjacency()[0].mac == kM1 ? kept : looked_up);
    }
    std::vector<NeighborAction> actions;
    neighbors_.Advance(actions);
    table_.Sync();
    ASSERT_TRUE(neighbors_.StateOf(kGw1).has_value()) << "at " << second;
    states.insert(*neighbors_.StateOf(kGw1));
    for (const NeighborAction& a : actions) {
      if (a.kind == NeighborAction::Kind::kUnicastProbe && a.ip == kGw1) {
        ++probes;
        Reply(kGw1, kM1);  // the gateway answers
        table_.Sync();
      }
    }
  }
  EXPECT_TRUE(states.contains(NeighborState::kDelay));
  EXPECT_TRUE(states.contains(NeighborState::kProbe));
  // Re-verified about once per reachable period (1-3 s) plus DELAY (5 s)
  // and the use check (1 s), not per packet.
  EXPECT_GE(probes, 600 / 12);
  EXPECT_LE(probes, 600 / 6);
  EXPECT_GT(kept, 0);  // both paths ran
  EXPECT_GT(looked_up, 0);
}

}  // namespace
}  // namespace nexthop
