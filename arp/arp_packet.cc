#include "arp/arp_packet.h"

#include "absl/strings/str_cat.h"
#include "net/wire.h"

namespace nexthop {
namespace {

using wire::Load16;
using wire::LoadIp;
using wire::Store16;
using wire::StoreIp;

void StoreMac(std::span<uint8_t> b, size_t at, MacAddress m) {
  const std::array<uint8_t, 6> bytes = m.bytes();
  std::copy(bytes.begin(), bytes.end(), b.begin() + static_cast<ptrdiff_t>(at));
}
MacAddress LoadMac(std::span<const uint8_t> b, size_t at) {
  std::array<uint8_t, 6> m;
  std::copy_n(b.begin() + static_cast<ptrdiff_t>(at), 6, m.begin());
  return MacAddress(m);
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
  std::vector<uint8_t> out(kEthernetMinFrame, 0);  // padded as a NIC sends it
  StoreMac(out, 0, f.eth_dst);
  StoreMac(out, 6, f.eth_src);
  Store16(out, 12, kEtherTypeArp);
  const size_t a = kEthernetHeaderSize;
  Store16(out, a, 1);  // htype: Ethernet
  Store16(out, a + 2, kEtherTypeIpv4);
  out[a + 4] = 6;
  out[a + 5] = 4;
  Store16(out, a + 6, static_cast<uint16_t>(f.arp.op));
  StoreMac(out, a + 8, f.arp.sender_mac);
  StoreIp(out, a + 14, f.arp.sender_ip);
  StoreMac(out, a + 18, f.arp.target_mac);
  StoreIp(out, a + 24, f.arp.target_ip);
  return out;
}

absl::StatusOr<ArpFrame> DecodeArpFrame(std::span<const uint8_t> b) {
  if (b.size() < kEthernetHeaderSize) {
    return Bad(
        "length",
        absl::StrCat(b.size(), " bytes, shorter than an Ethernet header"));
  }
  if (Load16(b, 12) != kEtherTypeArp) {
    return Bad("ethertype",
               absl::StrCat("0x", absl::Hex(Load16(b, 12), absl::kZeroPad4),
                            ", not ARP (0x0806)"));
  }
  if (b.size() < kEthernetHeaderSize + kArpBodySize) {
    return Bad("length", absl::StrCat(b.size() - kEthernetHeaderSize,
                                      " bytes of ARP body, need 28"));
  }
  const size_t a = kEthernetHeaderSize;
  if (Load16(b, a) != 1)
    return Bad("htype", absl::StrCat(Load16(b, a), ", not Ethernet (1)"));
  if (Load16(b, a + 2) != kEtherTypeIpv4) {
    return Bad("ptype",
               absl::StrCat("0x", absl::Hex(Load16(b, a + 2), absl::kZeroPad4),
                            ", not IPv4 (0x0800)"));
  }
  if (b[a + 4] != 6) return Bad("hlen", absl::StrCat(b[a + 4], ", not 6"));
  if (b[a + 5] != 4) return Bad("plen", absl::StrCat(b[a + 5], ", not 4"));
  const uint16_t op = Load16(b, a + 6);
  if (op != 1 && op != 2)
    return Bad("op", absl::StrCat(op, ", not request (1) or reply (2)"));
  ArpFrame f;
  f.eth_dst = LoadMac(b, 0);
  f.eth_src = LoadMac(b, 6);
  f.arp.op = static_cast<ArpOp>(op);
  f.arp.sender_mac = LoadMac(b, a + 8);
  f.arp.sender_ip = LoadIp(b, a + 14);
  f.arp.target_mac = LoadMac(b, a + 18);
  f.arp.target_ip = LoadIp(b, a + 24);
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
