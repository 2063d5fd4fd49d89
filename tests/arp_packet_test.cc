#include "arp/arp_packet.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace nexthop {
namespace {

using ::testing::HasSubstr;

Ipv4Address A(const char* s) { return *Ipv4Address::Parse(s); }
MacAddress M(const char* s) { return *MacAddress::Parse(s); }

TEST(MacAddressTest, ParseAndPrint) {
  EXPECT_EQ(M("02:42:AC:11:00:03").ToString(), "02:42:ac:11:00:03");
  EXPECT_TRUE(MacAddress::Broadcast().IsBroadcast());
  EXPECT_TRUE(MacAddress::Broadcast().IsMulticast());
  EXPECT_TRUE(M("01:00:5e:00:00:01").IsMulticast());
  EXPECT_FALSE(M("02:42:ac:11:00:03").IsMulticast());
  EXPECT_EQ(MacAddress::FromUint64(0x0242ac110003).ToString(),
            "02:42:ac:11:00:03");
  for (const char* bad :
       {"", "02:42:ac:11:00", "02:42:ac:11:00:03:04", "2:42:ac:11:00:03",
        "02-42-ac-11-00-03", "02:42:ac:11:00:0g", "02:42:ac:11:00:003"}) {
    EXPECT_FALSE(MacAddress::Parse(bad).ok()) << bad;
  }
}

TEST(ArpPacketTest, ArticleTcpdumpLines) {
  // Article 000, the ARP section.
  ArpFrame req =
      ArpRequest(M("02:42:c0:a8:01:02"), A("192.168.1.2"), A("192.168.1.1"));
  EXPECT_EQ(TcpdumpLine(req.arp),
            "ARP, Request who-has 192.168.1.1 tell 192.168.1.2, length 28");
  ArpFrame rep = ArpReply(req.arp, M("02:43:21:c4:75:58"));
  EXPECT_EQ(TcpdumpLine(rep.arp),
            "ARP, Reply 192.168.1.1 is-at 02:43:21:c4:75:58, length 28");
  EXPECT_EQ(rep.eth_dst, M("02:42:c0:a8:01:02"));
  EXPECT_EQ(rep.arp.target_ip, A("192.168.1.2"));
  // Example 3, one MAC for B as the worked examples settle it.
  ArpFrame req3 =
      ArpRequest(M("02:42:ac:11:00:04"), A("192.168.1.3"), A("192.168.1.2"));
  EXPECT_EQ(TcpdumpLine(req3.arp),
            "ARP, Request who-has 192.168.1.2 tell 192.168.1.3, length 28");
  EXPECT_EQ(TcpdumpLine(ArpReply(req3.arp, M("02:42:ac:11:00:03")).arp),
            "ARP, Reply 192.168.1.2 is-at 02:42:ac:11:00:03, length 28");
}

TEST(ArpPacketTest, RoundTripAndWireLayout) {
  for (const ArpFrame& f :
       {ArpRequest(M("02:00:00:00:00:01"), A("10.0.0.1"), A("10.0.0.2")),
        ArpReply(
            ArpRequest(M("02:00:00:00:00:01"), A("10.0.0.1"), A("10.0.0.2"))
                .arp,
            M("02:00:00:00:00:02")),
        GratuitousArp(M("02:00:00:00:00:03"), A("10.0.0.3"))}) {
    std::vector<uint8_t> bytes = EncodeArpFrame(f);
    ASSERT_EQ(bytes.size(), 60u);
    EXPECT_EQ(bytes[12], 0x08);
    EXPECT_EQ(bytes[13], 0x06);
    EXPECT_EQ(bytes[21], static_cast<uint8_t>(f.arp.op));
    absl::StatusOr<ArpFrame> back = DecodeArpFrame(bytes);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(back->arp, f.arp);
    EXPECT_EQ(back->eth_dst, f.eth_dst);
    EXPECT_EQ(back->eth_src, f.eth_src);
    // The 42 bytes that matter suffice (no padding).
    EXPECT_TRUE(DecodeArpFrame(std::span(bytes).first(42)).ok());
  }
  EXPECT_TRUE(
      GratuitousArp(M("02:00:00:00:00:03"), A("10.0.0.3")).arp.IsGratuitous());
}

TEST(ArpPacketTest, MalformedFramesNameTheField) {
  const std::vector<uint8_t> good = EncodeArpFrame(
      ArpRequest(M("02:00:00:00:00:01"), A("10.0.0.1"), A("10.0.0.2")));
  for (size_t n = 0; n < 42; ++n) {
    absl::StatusOr<ArpFrame> r = DecodeArpFrame(std::span(good).first(n));
    ASSERT_FALSE(r.ok()) << n;
    EXPECT_THAT(std::string(r.status().message()), HasSubstr("length")) << n;
  }
  auto broken = [&](size_t at, uint8_t value) {
    std::vector<uint8_t> b = good;
    b[at] = value;
    absl::StatusOr<ArpFrame> r = DecodeArpFrame(b);
    return r.ok() ? std::string("ok") : std::string(r.status().message());
  };
  EXPECT_THAT(broken(13, 0x00), HasSubstr("ethertype"));
  EXPECT_THAT(broken(15, 6), HasSubstr("htype"));
  EXPECT_THAT(broken(16, 0x86), HasSubstr("ptype"));
  EXPECT_THAT(broken(18, 8), HasSubstr("hlen"));
  EXPECT_THAT(broken(19, 16), HasSubstr("plen"));
  EXPECT_THAT(broken(21, 0), HasSubstr("op"));
  EXPECT_THAT(broken(21, 3), HasSubstr("op"));
  EXPECT_THAT(broken(22, 0x01), HasSubstr("sender MAC"));
}

}  // namespace
}  // namespace nexthop
