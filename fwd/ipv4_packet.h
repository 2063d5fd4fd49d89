// IPv4 headers and ICMP messages on real bytes, as a router sees them.
//
// ParseIpv4 validates what a router must before forwarding (RFC 1812 5.2.2):
// length, version 4, IHL >= 5 and within the packet, total length within
// the buffer, header checksum; options are kept (IHL respected). A failure
// is a DropReason, which routers count, never an exception. Nothing reads
// past the buffer. DecrementTtl fixes the checksum incrementally (RFC 1624).
//
// Example:
//   const std::vector<uint8_t> echo =
//       BuildIcmpEcho(/*reply=*/false, /*id=*/17, /*seq=*/1, {});
//   std::vector<uint8_t> bytes =
//       BuildIpv4(Ipv4Address::FromOctets(10, 0, 0, 1),
//                 Ipv4Address::FromOctets(10, 0, 0, 2), kProtoIcmp, /*ttl=*/64,
//                 /*id=*/1, /*dont_fragment=*/true, echo);
//   Ipv4View ip;
//   if (ParseIpv4(bytes, &ip) == DropReason::kNone) {  // else: why to drop it
//     DecrementTtl(bytes);  // TTL 63, checksum fixed
//   }
#ifndef NEXTHOP_FWD_IPV4_PACKET_H_
#define NEXTHOP_FWD_IPV4_PACKET_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "net/checksum.h"
#include "net/ipv4.h"
#include "net/wire.h"

namespace nexthop {

// Why a frame was not forwarded or delivered. Each has its own counter,
// named by DropReasonName in one scheme (snake_case, after the kernel's
// skb drop reasons where one exists): README lists them all.
enum class DropReason : uint8_t {
  kNone = 0,
  kTruncated,       // shorter than its headers say
  kBadVersion,      // not 4
  kBadIhl,          // IHL < 5 or past the packet
  kBadTotalLength,  // total length < IHL*4 or past the buffer
  kBadChecksum,
  kTtlExpired,  // TTL 0 or 1 at a router
  kNoRoute,
  kFragmentationNeeded,
  kUnknownEtherType,
  kBadIcmp,
  kNeighFailed,            // the next hop never answered ARP
  kNeighQueueFull,         // too many packets waiting for one neighbour
  kNeighTableFull,         // no room for another neighbour entry
  kForwardingDisabled,     // not ours, and ip_forward is 0
  kLinkGroupNotForwarded,  // came to a group MAC; not ours
  kMulticastNotRouted,     // no multicast routing here
  kEchoBroadcastIgnored,   // icmp_echo_ignore_broadcasts
  kLast = kEchoBroadcastIgnored,
};
// "no_route", "bad_checksum", ...: the counter's name, snake_case.
absl::string_view DropReasonName(DropReason r);

inline constexpr uint8_t kProtoIcmp = 1;

struct Ipv4View {
  uint8_t ihl_bytes;  // header length with options
  uint8_t tos;
  uint16_t total_length;
  uint16_t id;
  bool dont_fragment;
  uint8_t ttl;
  uint8_t protocol;
  Ipv4Address src, dst;
  std::span<const uint8_t> payload;  // total_length - ihl_bytes bytes
};

// `packet` starts at the IPv4 header (after Ethernet). On failure returns
// the reason and leaves `*view` unspecified. Inline: it is most of the
// router fast path's per-frame work.
inline DropReason ParseIpv4(std::span<const uint8_t> p, Ipv4View* v) noexcept {
  if (p.size() < 20) return DropReason::kTruncated;
  if ((p[0] >> 4) != 4) return DropReason::kBadVersion;
  const size_t ihl = static_cast<size_t>(p[0] & 0x0F) * 4;
  if (ihl < 20 || ihl > p.size()) return DropReason::kBadIhl;
  const uint16_t total = wire::Load16(p, 2);
  if (total < ihl) return DropReason::kBadTotalLength;
  if (total > p.size()) return DropReason::kTruncated;
  if (!HeaderChecksumValid(p.data(), ihl)) return DropReason::kBadChecksum;
  v->ihl_bytes = static_cast<uint8_t>(ihl);
  v->tos = p[1];
  v->total_length = total;
  v->id = wire::Load16(p, 4);
  v->dont_fragment = (p[6] & 0x40) != 0;
  v->ttl = p[8];
  v->protocol = p[9];
  v->src = wire::LoadIp(p, 12);
  v->dst = wire::LoadIp(p, 16);
  v->payload = p.subspan(ihl, total - ihl);
  return DropReason::kNone;
}

// Decrements TTL in a valid header and updates its checksum incrementally.
// The caller has checked TTL > 1.
inline void DecrementTtl(std::span<uint8_t> h) noexcept {
  h[8] = static_cast<uint8_t>(h[8] - 1);
  // RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'), where m is the 16-bit word
  // holding TTL and protocol and m' = m - 0x100 (TTL >= 2, so no borrow):
  // ~m + m' is always 0xFEFF, and one fold ends the carries.
  uint32_t sum = static_cast<uint16_t>(~wire::Load16(h, 10)) + 0xFEFFu;
  sum = (sum & 0xFFFF) + (sum >> 16);
  wire::Store16(h, 10, static_cast<uint16_t>(~sum));
}

// A complete IPv4 packet (20-byte header, no options, DF as given) around
// `payload`, checksum filled in.
std::vector<uint8_t> BuildIpv4(Ipv4Address src, Ipv4Address dst,
                               uint8_t protocol, uint8_t ttl, uint16_t id,
                               bool dont_fragment,
                               std::span<const uint8_t> payload);

// ICMP (RFC 792). Echo: type 8 request, 0 reply. Errors quote the offending
// packet's header and first 8 payload bytes.
enum class IcmpType : uint8_t {
  kEchoReply = 0,
  kDestUnreachable = 3,
  kEchoRequest = 8,
  kTimeExceeded = 11,
};
inline constexpr uint8_t kCodeNetUnreachable = 0;
inline constexpr uint8_t kCodeHostUnreachable = 1;
inline constexpr uint8_t kCodeFragmentationNeeded = 4;

struct IcmpMessage {
  IcmpType type;
  uint8_t code = 0;
  uint16_t id = 0, seq = 0;       // echo
  uint16_t next_hop_mtu = 0;      // fragmentation needed
  std::span<const uint8_t> body;  // after the 8-byte ICMP header
  size_t length = 0;              // whole ICMP message
};

std::vector<uint8_t> BuildIcmpEcho(bool reply, uint16_t id, uint16_t seq,
                                   std::span<const uint8_t> data);
// An error about `offending` (an IPv4 packet): time exceeded or
// destination unreachable (with `mtu` for fragmentation needed).
std::vector<uint8_t> BuildIcmpError(IcmpType type, uint8_t code,
                                    std::span<const uint8_t> offending,
                                    uint16_t mtu = 0);
// Checks length and checksum; kBadIcmp on failure.
DropReason ParseIcmp(std::span<const uint8_t> icmp, IcmpMessage* out) noexcept;

// What tcpdump prints for an IPv4 packet (without timestamp), e.g.
// "IP 192.168.1.3 > 192.168.1.55: ICMP echo request, id 17, seq 1, length 64".
std::string TcpdumpLine(const Ipv4View& ip);

}  // namespace nexthop

#endif  // NEXTHOP_FWD_IPV4_PACKET_H_
