// RIB dumps: TABLE_DUMP (RFC 6396 section 4.2) and TABLE_DUMP_V2 (section
// 4.3; the ADD-PATH RIB subtypes of RFC 8050).
#include "absl/strings/str_cat.h"
#include "rib/internal/mrt_decode.h"

namespace nexthop::mrt::internal {
namespace {

enum V2Subtype : uint16_t {
  kPeerIndexTable = 1,
  kRibIpv4Unicast = 2,
  kRibIpv6Unicast = 4,
  kRibIpv4UnicastAddPath = 8,
  kRibIpv6UnicastAddPath = 10,
};

// The next hop an announce of `prefix` goes to: NEXT_HOP for IPv4 (or
// MP_REACH_NLRI's when a writer put it there), MP_REACH_NLRI's for IPv6.
std::optional<Address> NextHopFor(const Prefix& prefix, const Attributes& a) {
  if (std::holds_alternative<Ipv4Prefix>(prefix) && a.next_hop) {
    return Address(*a.next_hop);
  }
  return a.mp_next_hop;
}

// One RIB entry's attributes into `record`, and its announce event.
absl::Status AddEntry(Cursor attributes, const Encoding& encoding,
                      const Peer& peer, const Prefix& prefix,
                      uint32_t originated, std::optional<uint32_t> path_id,
                      Record& record,
                      std::map<std::string, uint64_t>& skipped) {
  Attributes a;
  std::vector<Nlri> announce, withdraw;  // not used in RIB entries
  if (absl::Status s =
          ReadAttributes(attributes, encoding, a, announce, withdraw, skipped);
      !s.ok()) {
    return s;
  }
  Event& e = record.events.emplace_back();
  e.kind = Event::Kind::kAnnounce;
  e.peer = peer;
  e.prefix = prefix;
  e.path_id = path_id;
  e.originated = originated;
  e.next_hop = NextHopFor(prefix, a);
  e.attributes = static_cast<int>(record.attributes.size());
  record.attributes.push_back(std::move(a));
  return absl::OkStatus();
}

}  // namespace

absl::Status ReadTableDump(Cursor c, Record& record, std::string& skip,
                           std::map<std::string, uint64_t>& skipped) {
  if (record.subtype != 1 && record.subtype != 2) {
    skip = absl::StrCat("TABLE_DUMP subtype (AFI) ", record.subtype);
    return absl::OkStatus();
  }
  const bool ipv6 = record.subtype == 2;
  c.Skip(4);  // view number, sequence number
  const Address network = c.Ip(ipv6);
  const uint64_t length_at = c.offset();
  const int length = c.U8();
  c.Skip(1);  // status, always 1
  const uint32_t originated = c.U32();
  record.peer.address = c.Ip(ipv6);
  record.peer.asn = c.U16();
  const uint16_t attributes_length = c.U16();
  Cursor attributes = c.Take(attributes_length, "attribute block");
  if (!c.ok()) return c.status("the TABLE_DUMP entry");
  if (length > (ipv6 ? 128 : 32)) {
    return absl::InvalidArgumentError(
        absl::StrCat("byte ", length_at, ": prefix length ", length, " > ",
                     ipv6 ? "128 in an IPv6 prefix" : "32 in an IPv4 prefix"));
  }
  const Prefix prefix = ipv6 ? Prefix(Ipv6Prefix::Canonical(
                                   std::get<Ipv6Address>(network), length))
                             : Prefix(Ipv4Prefix::Canonical(
                                   std::get<Ipv4Address>(network), length));
  Encoding encoding;
  encoding.rib_entry = true;
  return AddEntry(attributes, encoding, record.peer, prefix, originated,
                  std::nullopt, record, skipped);
}

absl::Status ReadPeerIndexTable(Cursor c, std::vector<Peer>& peers) {
  peers.clear();
  c.Skip(4);  // collector BGP ID
  const uint16_t name_length = c.U16();
  c.Skip(name_length);
  const uint16_t count = c.U16();
  if (!c.ok()) return c.status("the PEER_INDEX_TABLE header");
  for (int i = 0; i < count; ++i) {
    Peer& p = peers.emplace_back();
    const uint8_t type = c.U8();
    p.bgp_id = c.Ip4();
    p.address = c.Ip((type & 1) != 0);
    p.asn = (type & 2) != 0 ? c.U32() : c.U16();
    if (!c.ok()) {
      return c.status(absl::StrCat("peer entry ", i, " of ", count));
    }
  }
  return absl::OkStatus();
}

absl::Status ReadRibRecord(Cursor c, const std::vector<Peer>& peers,
                           Record& record,
                           std::map<std::string, uint64_t>& skipped) {
  const bool ipv6 = record.subtype == kRibIpv6Unicast ||
                    record.subtype == kRibIpv6UnicastAddPath;
  const bool add_path = record.subtype == kRibIpv4UnicastAddPath ||
                        record.subtype == kRibIpv6UnicastAddPath;
  c.Skip(4);  // sequence number
  absl::StatusOr<Prefix> prefix = ReadPrefix(c, ipv6);
  if (!prefix.ok()) return prefix.status();
  const uint16_t count = c.U16();
  if (!c.ok()) return c.status("the RIB entry count");
  Encoding encoding;
  encoding.as4 = true;  // RFC 6396 section 4.3.4
  encoding.rib_entry = true;
  for (int i = 0; i < count; ++i) {
    const uint16_t index = c.U16();
    const uint32_t originated = c.U32();
    std::optional<uint32_t> path_id;
    if (add_path) path_id = c.U32();
    const uint16_t attributes_length = c.U16();
    Cursor attributes = c.Take(attributes_length, "attribute block");
    if (!c.ok()) {
      return c.status(absl::StrCat("RIB entry ", i + 1, " of ", count));
    }
    if (index >= peers.size()) {
      // bgpdump skips these entries too.
      ++skipped[absl::StrCat(
          "RIB entries naming a peer index past the "
          "peer table")];
      continue;
    }
    if (absl::Status s = AddEntry(attributes, encoding, peers[index], *prefix,
                                  originated, path_id, record, skipped);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace nexthop::mrt::internal
