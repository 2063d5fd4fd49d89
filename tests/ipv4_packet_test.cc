#include "fwd/ipv4_packet.h"

#include <random>

#include "gtest/gtest.h"
#include "net/checksum.h"

namespace nexthop {
namespace {

Ipv4Address A(const char* s) { return *Ipv4Address::Parse(s); }

TEST(ChecksumTest, KnownHeader) {
  // A classic worked example: 192.168.0.1 -> 192.168.0.199, UDP, checksum b861.
  std::vector<uint8_t> h = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40,
                            0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8,
                            0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  EXPECT_EQ(InternetChecksum(h), 0xb861);
  h[10] = 0xb8;
  h[11] = 0x61;
  EXPECT_EQ(InternetChecksum(h), 0);
  const uint8_t odd[] = {0x01, 0x02, 0x03};  // the last byte is padded
  EXPECT_EQ(InternetChecksum(odd), static_cast<uint16_t>(~(0x0102 + 0x0300)));
}

TEST(ChecksumTest, IncrementalTtlUpdateMatchesFullRecompute) {
  std::mt19937 rng(4);
  for (int i = 0; i < 20000; ++i) {
    std::vector<uint8_t> payload(rng() % 64);
    for (auto& b : payload) b = static_cast<uint8_t>(rng());
    std::vector<uint8_t> p = BuildIpv4(
        Ipv4Address(rng()), Ipv4Address(rng()), static_cast<uint8_t>(rng()),
        2 + rng() % 254, static_cast<uint16_t>(rng()), rng() % 2, payload);
    const uint16_t m = static_cast<uint16_t>(p[8] << 8 | p[9]);
    const uint16_t want =
        UpdateChecksum(static_cast<uint16_t>(p[10] << 8 | p[11]), m,
                       static_cast<uint16_t>(m - 0x100));
    DecrementTtl(p);
    ASSERT_EQ(InternetChecksum(std::span(p).first(20)), 0) << i;
    // The TTL-only shortcut gives exactly the general RFC 1624 update.
    ASSERT_EQ(static_cast<uint16_t>(p[10] << 8 | p[11]), want) << i;
  }
}

TEST(Ipv4Test, BuildParseAndOptions) {
  const uint8_t data[] = {1, 2, 3, 4};
  std::vector<uint8_t> p =
      BuildIpv4(A("10.0.0.1"), A("10.0.0.2"), 17, 64, 7, true, data);
  Ipv4View v;
  ASSERT_EQ(ParseIpv4(p, &v), DropReason::kNone);
  EXPECT_EQ(v.src, A("10.0.0.1"));
  EXPECT_EQ(v.dst, A("10.0.0.2"));
  EXPECT_EQ(v.ttl, 64);
  EXPECT_TRUE(v.dont_fragment);
  EXPECT_EQ(v.payload.size(), 4u);
  // IHL 6: one option word; the payload starts after it.
  std::vector<uint8_t> o(p.begin(), p.begin() + 20);
  o[0] = 0x46;
  o.insert(o.begin() + 20, {1, 1, 1, 0});  // NOP NOP NOP EOL
  o.insert(o.end(), data, data + 4);
  o[2] = 0;
  o[3] = 28;
  o[10] = o[11] = 0;
  const uint16_t sum = InternetChecksum(std::span(o).first(24));
  o[10] = static_cast<uint8_t>(sum >> 8);
  o[11] = static_cast<uint8_t>(sum);
  ASSERT_EQ(ParseIpv4(o, &v), DropReason::kNone);
  EXPECT_EQ(v.ihl_bytes, 24);
  EXPECT_EQ(v.payload[0], 1);
  EXPECT_EQ(v.payload.size(), 4u);
}

TEST(Ipv4Test, MalformedPacketsHaveReasons) {
  const uint8_t data[] = {9, 9, 9, 9, 9, 9, 9, 9};
  const std::vector<uint8_t> good =
      BuildIpv4(A("10.0.0.1"), A("10.0.0.2"), 1, 64, 1, false, data);
  Ipv4View v;
  for (size_t n = 0; n < good.size(); ++n) {  // every truncation
    EXPECT_NE(ParseIpv4(std::span(good).first(n), &v), DropReason::kNone) << n;
  }
  auto with = [&](size_t at, uint8_t value) {
    std::vector<uint8_t> b = good;
    b[at] = value;
    return ParseIpv4(b, &v);
  };
  EXPECT_EQ(with(0, 0x65), DropReason::kBadVersion);
  EXPECT_EQ(with(0, 0x44), DropReason::kBadIhl);
  EXPECT_EQ(with(0, 0x4F), DropReason::kBadIhl);  // 60 bytes > packet
  EXPECT_EQ(with(3, 10), DropReason::kBadTotalLength);
  EXPECT_EQ(with(3, 200), DropReason::kTruncated);
  EXPECT_EQ(with(12, 11), DropReason::kBadChecksum);
  EXPECT_EQ(DropReasonName(DropReason::kBadChecksum), "bad_checksum");
}

TEST(IcmpTest, EchoLinesOfExample3) {
  const std::vector<uint8_t> data(56, 0xA5);  // ping's 56 data bytes: length 64
  std::vector<uint8_t> req =
      BuildIpv4(A("192.168.1.3"), A("192.168.1.55"), kProtoIcmp, 64, 1, true,
                BuildIcmpEcho(false, 17, 1, data));
  std::vector<uint8_t> rep =
      BuildIpv4(A("192.168.1.55"), A("192.168.1.3"), kProtoIcmp, 64, 2, false,
                BuildIcmpEcho(true, 17, 1, data));
  Ipv4View v;
  ASSERT_EQ(ParseIpv4(req, &v), DropReason::kNone);
  EXPECT_EQ(TcpdumpLine(v),
            "IP 192.168.1.3 > 192.168.1.55: ICMP echo request, id 17, seq 1, "
            "length 64");
  ASSERT_EQ(ParseIpv4(rep, &v), DropReason::kNone);
  EXPECT_EQ(TcpdumpLine(v),
            "IP 192.168.1.55 > 192.168.1.3: ICMP echo reply, id 17, seq 1, "
            "length 64");
  IcmpMessage m;
  ASSERT_EQ(ParseIcmp(v.payload, &m), DropReason::kNone);
  EXPECT_EQ(m.type, IcmpType::kEchoReply);
  EXPECT_EQ(m.body.size(), 56u);
  std::vector<uint8_t> bad(v.payload.begin(), v.payload.end());
  bad[9] ^= 1;
  EXPECT_EQ(ParseIcmp(bad, &m), DropReason::kBadIcmp);
}

TEST(IcmpTest, ErrorsQuoteTheOffendingPacket) {
  const uint8_t data[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const std::vector<uint8_t> offending =
      BuildIpv4(A("10.0.0.1"), A("203.0.113.9"), 17, 1, 5, true, data);
  Ipv4View v;
  auto line = [&](IcmpType t, uint8_t code, uint16_t mtu) {
    std::vector<uint8_t> p =
        BuildIpv4(A("10.0.0.254"), A("10.0.0.1"), kProtoIcmp, 64, 9, false,
                  BuildIcmpError(t, code, offending, mtu));
    EXPECT_EQ(ParseIpv4(p, &v), DropReason::kNone);
    IcmpMessage m;
    EXPECT_EQ(ParseIcmp(v.payload, &m), DropReason::kNone);
    EXPECT_EQ(m.body.size(), 28u);  // header + 8 bytes of payload
    return TcpdumpLine(v);
  };
  EXPECT_EQ(
      line(IcmpType::kTimeExceeded, 0, 0),
      "IP 10.0.0.254 > 10.0.0.1: ICMP time exceeded in-transit, length 36");
  EXPECT_EQ(
      line(IcmpType::kDestUnreachable, kCodeNetUnreachable, 0),
      "IP 10.0.0.254 > 10.0.0.1: ICMP net 203.0.113.9 unreachable, length 36");
  EXPECT_EQ(line(IcmpType::kDestUnreachable, kCodeFragmentationNeeded, 1400),
            "IP 10.0.0.254 > 10.0.0.1: ICMP 203.0.113.9 unreachable - need to "
            "frag (mtu 1400), "
            "length 36");
}

}  // namespace
}  // namespace nexthop
