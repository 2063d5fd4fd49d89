// The fast path on real frames: what it forwards and how, and every kind of
// malformed frame it must drop with a counted reason (never read past the
// frame).
#include "fwd/forwarding_plane.h"

#include <random>

#include "fwd/ipv4_packet.h"
#include "gtest/gtest.h"
#include "lpm/poptrie.h"
#include "net/checksum.h"
#include "net/clock.h"
#include "net/ethernet.h"

namespace nexthop {
namespace {

Ipv4Address A(const char* s) { return *Ipv4Address::Parse(s); }
Ipv4Prefix P(const char* s) { return *Ipv4Prefix::Parse(s); }

const MacAddress kPort0 = MacAddress::FromUint64(0x020000000100);
const MacAddress kPort1 = MacAddress::FromUint64(0x020000000101);
const MacAddress kPort2 = MacAddress::FromUint64(0x020000000102);
const MacAddress kGateway = MacAddress::FromUint64(0x0200000000ff);

class ForwardingPlaneTest : public ::testing::Test {
 protected:
  ForwardingPlaneTest()
      : neighbors_(&clock_, [] {
          NeighborConfig c;
          c.seed = 5;
          return c;
        }()) {
    EXPECT_TRUE(lpm_.Insert(P("10.0.0.0/8"), 0).ok());
    EXPECT_TRUE(lpm_.Insert(P("20.0.0.0/8"), 1).ok());
    EXPECT_TRUE(lpm_.Insert(P("30.0.0.0/8"), 2).ok());
    adjacency_ = {{1, false, A("192.168.0.2"), MacAddress()},
                  {1, false, A("192.168.0.99"), MacAddress()},
                  {2, true, Ipv4Address(), MacAddress()}};
    ports_ = {{kPort0, 1500}, {kPort1, 1500}, {kPort2, 1000}};
    local_ = {A("192.168.0.1")};
    EXPECT_TRUE(neighbors_.AddPermanent(A("192.168.0.2"), kGateway).ok());
    EXPECT_TRUE(neighbors_.AddPermanent(A("30.1.1.1"), kGateway).ok());
  }

  std::vector<uint8_t> Frame(const char* dst, uint8_t ttl = 64,
                             size_t payload = 36, bool df = true) {
    const std::vector<uint8_t> ip =
        BuildIpv4(A("172.16.0.9"), A(dst), kProtoIcmp, ttl, 1, df,
                  std::vector<uint8_t>(payload, 0xab));
    return BuildFrame(kPort0, MacAddress::FromUint64(0x02000000aaaa),
                      kEtherTypeIpv4, ip);
  }

  Verdict Process(std::vector<uint8_t>& frame) {
    ForwardingPlane<Poptrie> plane(
        {&lpm_, adjacency_, ports_, &neighbors_, local_});
    std::span<uint8_t> f(frame);
    Verdict v;
    plane.ProcessBurst(std::span<const std::span<uint8_t>>(&f, 1),
                       std::span<Verdict>(&v, 1));
    return v;
  }

  ManualClock clock_;
  Poptrie lpm_;
  NeighborCache neighbors_;
  std::vector<Adjacency> adjacency_;
  std::vector<Port> ports_;
  std::vector<Ipv4Address> local_;
};

TEST_F(ForwardingPlaneTest, ForwardsRewritingMacsTtlAndChecksum) {
  std::vector<uint8_t> f = Frame("10.1.2.3", 64);
  const Verdict v = Process(f);
  ASSERT_EQ(v.kind, Verdict::Kind::kForward);
  EXPECT_EQ(v.port, 1);
  EthernetHeader eth;
  ASSERT_TRUE(ParseEthernet(f, &eth));
  EXPECT_EQ(eth.dst, kGateway);
  EXPECT_EQ(eth.src, kPort1);
  Ipv4View ip;
  ASSERT_EQ(ParseIpv4(std::span<const uint8_t>(f).subspan(14), &ip),
            DropReason::kNone);  // the checksum still verifies
  EXPECT_EQ(ip.ttl, 63);
  EXPECT_EQ(ip.dst, A("10.1.2.3"));
}

TEST_F(ForwardingPlaneTest, AdjacencyMacSkipsTheNeighbourCache) {
  // 20/8's gateway is not in the cache; with its MAC in the adjacency the
  // frame goes out anyway, rewritten to that MAC.
  const MacAddress kept = MacAddress::FromUint64(0x0200000000ee);
  adjacency_[1].mac = kept;
  std::vector<uint8_t> f = Frame("20.0.0.1");
  ASSERT_EQ(Process(f).kind, Verdict::Kind::kForward);
  EthernetHeader eth;
  ASSERT_TRUE(ParseEthernet(f, &eth));
  EXPECT_EQ(eth.dst, kept);
  // On-link next hops always ask the cache: the MAC is per destination.
  adjacency_[2].mac = kept;
  f = Frame("30.9.9.9");
  const Verdict v = Process(f);
  EXPECT_EQ(v.kind, Verdict::Kind::kSlowPath);
  EXPECT_EQ(v.neighbor, A("30.9.9.9"));
}

// Issue 12, item 6: a gateway that only forwarded traffic uses is seen as
// in use by the neighbour cache (the plane's batch lookups stamp it), so it
// is re-verified instead of collected after gc_stale_time, and a flood of
// forged ARP requests filling the cache does not evict it.
TEST_F(ForwardingPlaneTest, GatewayInUseByForwardedTrafficStaysResolved) {
  const Ipv4Address gw = A("192.168.0.99");  // 20/8's next hop
  const MacAddress gw_mac = MacAddress::FromUint64(0x0200000000dd);
  const MacAddress me = kPort1;
  const Ipv4Address my_ip = A("192.168.0.1");
  auto reply = [&] {
    return ArpReply(ArpRequest(me, my_ip, gw).arp, gw_mac).arp;
  };
  std::vector<NeighborAction> actions;
  neighbors_.Resolve(gw, Packet{1}, actions);
  neighbors_.OnArp(reply(), true, actions);
  ASSERT_EQ(neighbors_.StateOf(gw), NeighborState::kReachable);
  std::mt19937 rng(7);
  int probes = 0;
  bool delay_seen = false, probe_seen = false;
  for (int second = 1; second <= 600; ++second) {
    clock_.Advance(absl::Seconds(1));
    for (int i = 0; i < 4; ++i) {
      std::vector<uint8_t> f = Frame("20.0.0.1");
      ASSERT_EQ(Process(f).kind, Verdict::Kind::kForward)
          << "second " << second;
      EthernetHeader eth;
      ASSERT_TRUE(ParseEthernet(f, &eth));
      ASSERT_EQ(eth.dst, gw_mac);
    }
    // Forged requests from new senders, each asking for us: more than the
    // cache holds (1,024) within a minute.
    for (int i = 0; i < 40; ++i) {
      neighbors_.OnArp(
          ArpRequest(
              MacAddress::FromUint64(0x020000000000 | (rng() & 0xFFFFFF)),
              Ipv4Address(0x0B000000u | (rng() & 0xFFFFFF)), my_ip)
              .arp,
          true, actions);
    }
    actions.clear();
    neighbors_.Advance(actions);
    delay_seen |= neighbors_.StateOf(gw) == NeighborState::kDelay;
    probe_seen |= neighbors_.StateOf(gw) == NeighborState::kProbe;
    for (const NeighborAction& a : actions) {
      if (a.kind == NeighborAction::Kind::kUnicastProbe && a.ip == gw) {
        ++probes;
        std::vector<NeighborAction> ignored;
        neighbors_.OnArp(reply(), true, ignored);  // the gateway answers
      }
    }
  }
  EXPECT_EQ(neighbors_.size(), neighbors_.capacity());  // the flood filled it
  EXPECT_GT(neighbors_.stats().evictions, 0u);
  EXPECT_TRUE(delay_seen);
  EXPECT_TRUE(probe_seen);
  EXPECT_GT(probes, 0);
}

TEST_F(ForwardingPlaneTest, SlowPathCases) {
  std::vector<uint8_t> f = Frame("20.0.0.1");
  Verdict v = Process(f);
  EXPECT_EQ(v.kind, Verdict::Kind::kSlowPath);
  EXPECT_EQ(v.reason, DropReason::kNone);
  EXPECT_EQ(v.neighbor, A("192.168.0.99"));  // unresolved: resolve, queue
  f = Frame("99.0.0.1");
  v = Process(f);
  EXPECT_EQ(v.kind, Verdict::Kind::kSlowPath);
  EXPECT_EQ(v.reason, DropReason::kNoRoute);
  for (uint8_t ttl : {0, 1}) {
    f = Frame("10.0.0.1", ttl);
    v = Process(f);
    EXPECT_EQ(v.kind, Verdict::Kind::kSlowPath);
    EXPECT_EQ(v.reason, DropReason::kTtlExpired);
  }
  f = Frame("30.1.1.1", 64, 1200, /*df=*/true);
  v = Process(f);
  EXPECT_EQ(v.kind, Verdict::Kind::kSlowPath);
  EXPECT_EQ(v.reason, DropReason::kFragmentationNeeded);
  f = Frame("30.1.1.1", 64, 1200, /*df=*/false);
  EXPECT_EQ(Process(f).kind, Verdict::Kind::kDrop);
  f = Frame("30.1.1.1", 64, 900);
  EXPECT_EQ(Process(f).kind, Verdict::Kind::kForward);
  f = Frame("192.168.0.1");
  EXPECT_EQ(Process(f).kind, Verdict::Kind::kLocal);
  f = BuildFrame(kPort0, kGateway, kEtherTypeArp, std::vector<uint8_t>(28));
  v = Process(f);
  EXPECT_EQ(v.kind, Verdict::Kind::kSlowPath);
  EXPECT_EQ(v.reason, DropReason::kNone);
}

TEST_F(ForwardingPlaneTest, MalformedFramesAreDroppedWithTheirReason) {
  auto reason = [&](std::vector<uint8_t> f) {
    const Verdict v = Process(f);
    EXPECT_EQ(v.kind, Verdict::Kind::kDrop);
    return v.reason;
  };
  const std::vector<uint8_t> good = Frame("10.1.2.3");
  // Truncated Ethernet header, and IPv4 header cut short.
  EXPECT_EQ(reason(std::vector<uint8_t>(good.begin(), good.begin() + 13)),
            DropReason::kTruncated);
  EXPECT_EQ(reason(std::vector<uint8_t>(good.begin(), good.begin() + 30)),
            DropReason::kTruncated);
  std::vector<uint8_t> f = good;
  f[12] = 0x86, f[13] = 0xdd;  // IPv6: not ours
  EXPECT_EQ(reason(f), DropReason::kUnknownEtherType);
  f = good;
  f[14 + 10] ^= 0x01;  // checksum
  EXPECT_EQ(reason(f), DropReason::kBadChecksum);
  f = good;
  f[14] = 0x44;  // IHL 4
  EXPECT_EQ(reason(f), DropReason::kBadIhl);
  f = good;
  f[14] = 0x4f;  // IHL 15: 60 bytes, past a 58-byte packet? no: 78 > 50
  f.resize(14 + 50);
  EXPECT_EQ(reason(f), DropReason::kBadIhl);
  f = good;
  f[14] = 0x65;  // version 6
  EXPECT_EQ(reason(f), DropReason::kBadVersion);
  f = good;
  f[14 + 2] = 0x10, f[14 + 3] = 0x00;  // total length 4096 > frame
  EXPECT_EQ(reason(f), DropReason::kTruncated);
}

TEST_F(ForwardingPlaneTest, RandomBytesNeverCrashAndBurstsMatchSingles) {
  std::mt19937 rng(3);
  std::vector<std::vector<uint8_t>> frames;
  for (int i = 0; i < 2000; ++i) {
    std::vector<uint8_t> f = Frame(i % 2 ? "10.9.8.7" : "30.1.1.1");
    const int flips = static_cast<int>(rng() % 4);
    for (int k = 0; k < flips; ++k) f[rng() % f.size()] ^= 1u << (rng() % 8);
    f.resize(rng() % 3 == 0 ? rng() % f.size() : f.size());
    frames.push_back(f);
  }
  std::vector<std::vector<uint8_t>> copies = frames;
  std::vector<std::span<uint8_t>> spans(copies.begin(), copies.end());
  std::vector<Verdict> burst(spans.size());
  ForwardingPlane<Poptrie> plane(
      {&lpm_, adjacency_, ports_, &neighbors_, local_});
  plane.ProcessBurst(spans, burst);
  for (size_t i = 0; i < frames.size(); ++i) {
    std::vector<uint8_t> one = frames[i];
    const Verdict v = Process(one);
    EXPECT_EQ(v.kind, burst[i].kind) << i;
    EXPECT_EQ(v.reason, burst[i].reason) << i;
    EXPECT_EQ(one, copies[i]) << i;
  }
}

// The fast path checks the common frame with whole-word loads and sends the
// rest to ParseIpv4; both must reach the same verdict. Header bytes are
// corrupted and, half the time, the checksum is made right again, so that
// frames with a wrong version, IHL, length or TTL but a valid checksum get
// through the checksum test.
TEST_F(ForwardingPlaneTest, WordWiseCheckAgreesWithParseIpv4) {
  std::mt19937 rng(11);
  for (int i = 0; i < 20000; ++i) {
    std::vector<uint8_t> f = Frame(i % 3 == 0 ? "192.168.0.1" : "10.9.8.7",
                                   static_cast<uint8_t>(rng() % 4));
    const int flips = static_cast<int>(rng() % 3);
    for (int k = 0; k < flips; ++k) f[12 + rng() % 22] ^= 1u << (rng() % 8);
    if (rng() % 2) {
      const size_t ihl = std::min<size_t>((f[14] & 0x0F) * 4, f.size() - 14);
      f[24] = f[25] = 0;
      const uint16_t c = InternetChecksum(std::span(f).subspan(14, ihl));
      f[24] = static_cast<uint8_t>(c >> 8);
      f[25] = static_cast<uint8_t>(c);
    }
    if (rng() % 4 == 0) f.resize(14 + rng() % 40);
    std::vector<uint8_t> copy = f;
    const Verdict v = Process(copy);
    // The reference: the general parse, then local, then TTL.
    Ipv4View ip;
    const bool ipv4 = f.size() >= 14 && f[12] == 0x08 && f[13] == 0x00;
    const DropReason parsed =
        ipv4 ? ParseIpv4(std::span(f).subspan(14), &ip) : DropReason::kNone;
    if (!ipv4) continue;  // ethertype cases: MalformedFrames... above
    if (parsed != DropReason::kNone) {
      EXPECT_EQ(v.kind, Verdict::Kind::kDrop) << i;
      EXPECT_EQ(v.reason, parsed) << i;
    } else if (ip.dst == A("192.168.0.1") || ip.dst.IsMulticast() ||
               ip.dst.IsLimitedBroadcast()) {
      // Ours, or a group destination: never forwarded (a flipped bit
      // turns 192.x into 224.x).
      EXPECT_EQ(v.kind, Verdict::Kind::kLocal) << i;
    } else if (ip.ttl <= 1) {
      EXPECT_EQ(v.kind, Verdict::Kind::kSlowPath) << i;
      EXPECT_EQ(v.reason, DropReason::kTtlExpired) << i;
    } else if (v.kind == Verdict::Kind::kForward) {
      Ipv4View out;
      ASSERT_EQ(ParseIpv4(std::span(copy).subspan(14), &out), DropReason::kNone)
          << i;
      EXPECT_EQ(out.ttl, ip.ttl - 1) << i;
      EXPECT_EQ(out.dst, ip.dst) << i;
    } else {
      // Valid, not ours, TTL > 1: only routing can stop it.
      EXPECT_EQ(v.kind, Verdict::Kind::kSlowPath) << i;
      EXPECT_EQ(v.reason, DropReason::kNoRoute) << i;
    }
  }
}

}  // namespace
}  // namespace nexthop
