#include "arp/arp_packet.h"

#include "absl/strings/str_cat.h"

namespace nexthop {
namespace {

void Put16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}
void PutMac(std::vector<uint8_t>& out, MacAddress m) {
  const std::array<uint8_t, 6> b = m.bytes();
  out.insert(out.end(), b.begin(), b.end());
}
void PutIp(std::vector<uint8_t>& out, Ipv4Address a) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<uint8_t>(a.value() >> shift));
  }
}
uint16_t Get16(std::span<const uint8_t> b, size_t at) {
  return static_cast<uint16_t>(b[at] << 8 | b[at + 1]);
}
MacAddress GetMac(std::span<const uint8_t> b, size_t at) {
  std::array<uint8_t, 6> m;
  std::copy_n(b.begin() + static_cast<ptrdiff_t>(at), 6, m.begin());
  return MacAddress(m);
}
Ipv4Address GetIp(std::span<const uint8_t> b, size_t at) {
  return Ipv4Address(static_cast<uint32_t>(b[at]) << 24 | b[at + 1] << 16 |
                     b[at + 2] << 8 | b[at + 3]);
}

absl::Status Bad(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("malformed ARP frame: ", field, ": ", why));
}

}  // namespace

ArpFrame ArpRequest(MacAddress sender_mac, Ipv4Address sender_ip,
                    Ipv4Address target_ip) {
  return ArpFrame{MacAddress::Broadcast(), sender_mac,
                  ArpPacket{ArpOp::kRequest, sender_mac, sender_ip,
                            MacAddress(), target_ip}};
}

ArpFrame ArpReply(const ArpPacket& request, MacAddress my_mac) {
  return ArpFrame{request.sender_mac, my_mac,
                  ArpPacket{ArpOp::kReply, my_mac, request.target_ip,
                            request.sender_mac, request.sender_ip}};
}

ArpFrame GratuitousArp(MacAddress mac, Ipv4Address ip) {
  return ArpFrame{MacAddress::Broadcast(), mac,
                  ArpPacket{ArpOp::kRequest, mac, ip, MacAddress(), ip}};
}

std::vector<uint8_t> EncodeArpFrame(const ArpFrame& f) {
  std::vector<uint8_t> out;
  out.reserve(kEthernetMinFrame);
  PutMac(out, f.eth_dst);
  PutMac(out, f.eth_src);
  Put16(out, kEtherTypeArp);
  Put16(out, 1);  // htype: Ethernet
  Put16(out, kEtherTypeIpv4);
  out.push_back(6);
  out.push_back(4);
  Put16(out, static_cast<uint16_t>(f.arp.op));
  PutMac(out, f.arp.sender_mac);
  PutIp(out, f.arp.sender_ip);
  PutMac(out, f.arp.target_mac);
  PutIp(out, f.arp.target_ip);
  out.resize(kEthernetMinFrame, 0);
  return out;
}

absl::StatusOr<ArpFrame> DecodeArpFrame(std::span<const uint8_t> b) {
  if (b.size() < kEthernetHeaderSize) {
    return Bad(
        "length",
        absl::StrCat(b.size(), " bytes, shorter than an Ethernet header"));
  }
  if (Get16(b, 12) != kEtherTypeArp) {
    return Bad("ethertype",
               absl::StrCat("0x", absl::Hex(Get16(b, 12), absl::kZeroPad4),
                            ", not ARP (0x0806)"));
  }
  if (b.size() < kEthernetHeaderSize + kArpBodySize) {
    return Bad("length", absl::StrCat(b.size() - kEthernetHeaderSize,
                                      " bytes of ARP body, need 28"));
  }
  const size_t a = kEthernetHeaderSize;
  if (Get16(b, a) != 1)
    return Bad("htype", absl::StrCat(Get16(b, a), ", not Ethernet (1)"));
  if (Get16(b, a + 2) != kEtherTypeIpv4) {
    return Bad("ptype",
               absl::StrCat("0x", absl::Hex(Get16(b, a + 2), absl::kZeroPad4),
                            ", not IPv4 (0x0800)"));
  }
  if (b[a + 4] != 6) return Bad("hlen", absl::StrCat(b[a + 4], ", not 6"));
  if (b[a + 5] != 4) return Bad("plen", absl::StrCat(b[a + 5], ", not 4"));
  const uint16_t op = Get16(b, a + 6);
  if (op != 1 && op != 2)
    return Bad("op", absl::StrCat(op, ", not request (1) or reply (2)"));
  ArpFrame f;
  f.eth_dst = GetMac(b, 0);
  f.eth_src = GetMac(b, 6);
  f.arp.op = static_cast<ArpOp>(op);
  f.arp.sender_mac = GetMac(b, a + 8);
  f.arp.sender_ip = GetIp(b, a + 14);
  f.arp.target_mac = GetMac(b, a + 18);
  f.arp.target_ip = GetIp(b, a + 24);
  if (f.arp.sender_mac.IsMulticast()) {
    return Bad("sender MAC", absl::StrCat(f.arp.sender_mac.ToString(),
                                          " is a group address"));
  }
  return f;
}

std::string TcpdumpLine(const ArpPacket& arp) {
  if (arp.op == ArpOp::kRequest) {
    return absl::StrCat("ARP, Request who-has ", arp.target_ip.ToString(),
                        " tell ", arp.sender_ip.ToString(), ", length 28");
  }
  return absl::StrCat("ARP, Reply ", arp.sender_ip.ToString(), " is-at ",
                      arp.sender_mac.ToString(), ", length 28");
}

}  // namespace nexthop
