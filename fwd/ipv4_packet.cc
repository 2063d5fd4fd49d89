#include "fwd/ipv4_packet.h"

#include "absl/strings/str_cat.h"
#include "net/checksum.h"
#include "net/wire.h"

namespace nexthop {
namespace {

using wire::Load16;
using wire::LoadIp;
using wire::Store16;
using wire::StoreIp;

}  // namespace

absl::string_view DropReasonName(DropReason r) {
  switch (r) {
    case DropReason::kNone:
      return "none";
    case DropReason::kTruncated:
      return "truncated";
    case DropReason::kBadVersion:
      return "bad_version";
    case DropReason::kBadIhl:
      return "bad_ihl";
    case DropReason::kBadTotalLength:
      return "bad_total_length";
    case DropReason::kBadChecksum:
      return "bad_checksum";
    case DropReason::kTtlExpired:
      return "ttl_exceeded";
    case DropReason::kNoRoute:
      return "no_route";
    case DropReason::kFragmentationNeeded:
      return "frag_needed";
    case DropReason::kUnknownEtherType:
      return "unknown_ethertype";
    case DropReason::kBadIcmp:
      return "bad_icmp";
    case DropReason::kNeighFailed:
      return "neigh_failed";
    case DropReason::kNeighQueueFull:
      return "neigh_queue_full";
    case DropReason::kNeighTableFull:
      return "neigh_table_full";
    case DropReason::kForwardingDisabled:
      return "forwarding_disabled";
    case DropReason::kLinkGroupNotForwarded:
      return "link_group_not_forwarded";
    case DropReason::kMulticastNotRouted:
      return "multicast_not_routed";
    case DropReason::kEchoBroadcastIgnored:
      return "echo_broadcast_ignored";
  }
  return "?";
}

std::vector<uint8_t> BuildIpv4(Ipv4Address src, Ipv4Address dst,
                               uint8_t protocol, uint8_t ttl, uint16_t id,
                               bool dont_fragment,
                               std::span<const uint8_t> payload) {
  std::vector<uint8_t> b(20 + payload.size());
  b[0] = 0x45;
  Store16(b, 2, static_cast<uint16_t>(b.size()));
  Store16(b, 4, id);
  b[6] = dont_fragment ? 0x40 : 0;
  b[8] = ttl;
  b[9] = protocol;
  StoreIp(b, 12, src);
  StoreIp(b, 16, dst);
  Store16(b, 10, InternetChecksum(std::span(b).first(20)));
  std::copy(payload.begin(), payload.end(), b.begin() + 20);
  return b;
}

std::vector<uint8_t> BuildIcmpEcho(bool reply, uint16_t id, uint16_t seq,
                                   std::span<const uint8_t> data) {
  std::vector<uint8_t> b(8 + data.size());
  b[0] = static_cast<uint8_t>(reply ? IcmpType::kEchoReply
                                    : IcmpType::kEchoRequest);
  Store16(b, 4, id);
  Store16(b, 6, seq);
  std::copy(data.begin(), data.end(), b.begin() + 8);
  Store16(b, 2, InternetChecksum(b));
  return b;
}

std::vector<uint8_t> BuildIcmpError(IcmpType type, uint8_t code,
                                    std::span<const uint8_t> offending,
                                    uint16_t mtu) {
  // The offending header (with options) and 8 bytes of its payload.
  size_t quote = std::min<size_t>(offending.size(), 28);
  if (offending.size() >= 20) {
    quote = std::min(offending.size(), size_t{offending[0] & 0x0Fu} * 4 + 8);
  }
  std::vector<uint8_t> b(8 + quote);
  b[0] = static_cast<uint8_t>(type);
  b[1] = code;
  if (type == IcmpType::kDestUnreachable && code == kCodeFragmentationNeeded)
    Store16(b, 6, mtu);
  std::copy(offending.begin(),
            offending.begin() + static_cast<ptrdiff_t>(quote), b.begin() + 8);
  Store16(b, 2, InternetChecksum(b));
  return b;
}

DropReason ParseIcmp(std::span<const uint8_t> p, IcmpMessage* m) noexcept {
  if (p.size() < 8 || InternetChecksum(p) != 0) return DropReason::kBadIcmp;
  m->type = static_cast<IcmpType>(p[0]);
  m->code = p[1];
  m->id = Load16(p, 4);
  m->seq = Load16(p, 6);
  m->next_hop_mtu = Load16(p, 6);
  m->body = p.subspan(8);
  m->length = p.size();
  return DropReason::kNone;
}

std::string TcpdumpLine(const Ipv4View& ip) {
  std::string line =
      absl::StrCat("IP ", ip.src.ToString(), " > ", ip.dst.ToString(), ": ");
  IcmpMessage m;
  if (ip.protocol != kProtoIcmp ||
      ParseIcmp(ip.payload, &m) != DropReason::kNone) {
    absl::StrAppend(&line, "ip-proto-", ip.protocol, " ", ip.payload.size());
    return line;
  }
  switch (m.type) {
    case IcmpType::kEchoRequest:
    case IcmpType::kEchoReply:
      absl::StrAppend(&line, "ICMP echo ",
                      m.type == IcmpType::kEchoReply ? "reply" : "request",
                      ", id ", m.id, ", seq ", m.seq);
      break;
    case IcmpType::kTimeExceeded:
      absl::StrAppend(&line, "ICMP time exceeded in-transit");
      break;
    case IcmpType::kDestUnreachable: {
      // The destination of the packet the error is about, from its quote.
      std::string about = "?";
      if (m.body.size() >= 20) about = LoadIp(m.body, 16).ToString();
      if (m.code == kCodeFragmentationNeeded) {
        absl::StrAppend(&line, "ICMP ", about,
                        " unreachable - need to frag (mtu ", m.next_hop_mtu,
                        ")");
      } else if (m.code == kCodeNetUnreachable) {
        absl::StrAppend(&line, "ICMP net ", about, " unreachable");
      } else {
        absl::StrAppend(&line, "ICMP host ", about, " unreachable");
      }
      break;
    }
    default:
      absl::StrAppend(&line, "ICMP type ", static_cast<int>(m.type));
  }
  absl::StrAppend(&line, ", length ", m.length);
  return line;
}

}  // namespace nexthop
