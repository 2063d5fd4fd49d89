// Ethernet II frames carrying ARP (RFC 826), and their tcpdump lines.
//
// Decoding checks every field a receiver relies on (ethertype, htype 1,
// ptype 0x0800, hlen 6, plen 4, op 1 or 2, lengths) and never reads past the
// buffer; a bad frame yields InvalidArgument naming the field. Encoding pads
// to the 60-byte Ethernet minimum, as a NIC sends it.
//
// Example:
//   const MacAddress my_mac = *MacAddress::Parse("02:00:00:00:00:01");
//   const Ipv4Address my_ip = Ipv4Address::FromOctets(192, 168, 1, 2);
//   const Ipv4Address gw_ip = Ipv4Address::FromOctets(192, 168, 1, 1);
//   std::vector<uint8_t> f = EncodeArpFrame(ArpRequest(my_mac, my_ip, gw_ip));
//   absl::StatusOr<ArpFrame> back = DecodeArpFrame(f);
//   TcpdumpLine(back->arp);  // "ARP, Request who-has 192.168.1.1 tell ..."
#ifndef NEXTHOP_ARP_ARP_PACKET_H_
#define NEXTHOP_ARP_ARP_PACKET_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "net/ethernet.h"
#include "net/ipv4.h"
#include "net/mac_address.h"

namespace nexthop {

inline constexpr size_t kArpBodySize = 28;

enum class ArpOp : uint16_t { kRequest = 1, kReply = 2 };

struct ArpPacket {
  ArpOp op = ArpOp::kRequest;
  MacAddress sender_mac;
  Ipv4Address sender_ip;
  MacAddress target_mac;  // zero in a request
  Ipv4Address target_ip;

  // A gratuitous ARP announces the sender's own mapping: sender ip ==
  // target ip.
  bool IsGratuitous() const { return sender_ip == target_ip; }
  friend bool operator==(const ArpPacket&, const ArpPacket&) = default;
};

struct ArpFrame {
  MacAddress eth_dst;
  MacAddress eth_src;
  ArpPacket arp;
};

// Who-has `target_ip`, broadcast.
ArpFrame ArpRequest(MacAddress sender_mac, Ipv4Address sender_ip,
                    Ipv4Address target_ip);
// `request`'s answer from `my_mac`, unicast back to the asker.
ArpFrame ArpReply(const ArpPacket& request, MacAddress my_mac);
// A gratuitous request announcing `ip` is at `mac`, broadcast.
ArpFrame GratuitousArp(MacAddress mac, Ipv4Address ip);

std::vector<uint8_t> EncodeArpFrame(const ArpFrame& frame);
absl::StatusOr<ArpFrame> DecodeArpFrame(std::span<const uint8_t> bytes);

// What tcpdump prints for the ARP part (without its timestamp), e.g.
// "ARP, Request who-has 192.168.1.1 tell 192.168.1.2, length 28" and
// "ARP, Reply 192.168.1.1 is-at 02:43:21:c4:75:58, length 28".
std::string TcpdumpLine(const ArpPacket& arp);

}  // namespace nexthop

#endif  // NEXTHOP_ARP_ARP_PACKET_H_
