// BGP4MP and BGP4MP_ET bodies (RFC 6396 section 4.4; ADD-PATH subtypes from
// RFC 8050) and the BGP messages they carry (RFC 4271 section 4).
#include "absl/strings/str_cat.h"
#include "rib/internal/mrt_decode.h"

namespace nexthop::mrt::internal {
namespace {

enum Subtype : uint16_t {
  kStateChange = 0,
  kMessage = 1,
  kMessageAs4 = 4,
  kStateChangeAs4 = 5,
  kMessageLocal = 6,
  kMessageAs4Local = 7,
  kMessageAddPath = 8,
  kMessageAs4AddPath = 9,
  kMessageLocalAddPath = 10,
  kMessageAs4LocalAddPath = 11,
};

constexpr uint8_t kBgpUpdate = 2;
constexpr size_t kBgpHeader = 19;  // marker, length, type

// Where an announced prefix goes: NEXT_HOP for IPv4 prefixes in the
// UPDATE's own NLRI, MP_REACH_NLRI's next hop for its prefixes.
void AddEvents(const std::vector<Nlri>& nlri, Event::Kind kind,
               const Peer& peer, std::optional<Address> next_hop,
               int attributes, Record& record) {
  for (const Nlri& n : nlri) {
    Event& e = record.events.emplace_back();
    e.kind = kind;
    e.peer = peer;
    e.prefix = n.prefix;
    e.safi = n.safi;
    e.path_id = n.path_id;
    if (kind == Event::Kind::kAnnounce) {
      e.next_hop = next_hop;
      e.attributes = attributes;
    }
  }
}

absl::Status ReadUpdate(Cursor c, const Encoding& encoding, const Peer& peer,
                        Record& record,
                        std::map<std::string, uint64_t>& skipped) {
  std::vector<Nlri> withdrawn, nlri, mp_announce, mp_withdraw;
  const uint16_t withdrawn_length = c.U16();
  Cursor w = c.Take(withdrawn_length, "withdrawn routes");
  if (!c.ok()) return c.status("the UPDATE's withdrawn routes");
  if (absl::Status s = ReadNlri(w, 1, 1, encoding.add_path, withdrawn);
      !s.ok()) {
    return s;
  }
  const uint16_t attributes_length = c.U16();
  Cursor a = c.Take(attributes_length, "path attributes");
  if (!c.ok()) return c.status("the UPDATE's path attributes");
  Attributes attributes;
  if (absl::Status s = ReadAttributes(a, encoding, attributes, mp_announce,
                                      mp_withdraw, skipped);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadNlri(c, 1, 1, encoding.add_path, nlri); !s.ok()) {
    return s;
  }
  AddEvents(withdrawn, Event::Kind::kWithdraw, peer, std::nullopt, -1, record);
  AddEvents(mp_withdraw, Event::Kind::kWithdraw, peer, std::nullopt, -1,
            record);
  if (nlri.empty() && mp_announce.empty()) return absl::OkStatus();
  const int index = static_cast<int>(record.attributes.size());
  std::optional<Address> next_hop;
  if (attributes.next_hop) next_hop = Address(*attributes.next_hop);
  AddEvents(nlri, Event::Kind::kAnnounce, peer, next_hop, index, record);
  AddEvents(mp_announce, Event::Kind::kAnnounce, peer, attributes.mp_next_hop,
            index, record);
  record.attributes.push_back(std::move(attributes));
  return absl::OkStatus();
}

}  // namespace

absl::Status ReadBgpMessage(Cursor c, const Encoding& encoding,
                            const Peer& peer, Record& record,
                            std::map<std::string, uint64_t>& skipped) {
  c.Skip(16);  // marker
  const uint16_t length = c.U16();
  const uint8_t type = c.U8();
  if (!c.ok()) return c.status("the BGP message header");
  if (length < kBgpHeader) {
    return c.Error(absl::StrCat("BGP message length ", length, " < 19"));
  }
  Cursor body = c.Take(length - kBgpHeader, "BGP message");
  if (!c.ok())
    return c.status(absl::StrCat("a BGP message of ", length, " bytes"));
  record.bgp_type = type;
  if (type != kBgpUpdate) return absl::OkStatus();  // no routes in it
  return ReadUpdate(body, encoding, peer, record, skipped);
}

absl::Status ReadBgp4mp(Cursor c, Record& record, std::string& skip,
                        std::map<std::string, uint64_t>& skipped) {
  const uint16_t subtype = record.subtype;
  const bool state = subtype == kStateChange || subtype == kStateChangeAs4;
  const bool message =
      (subtype >= kMessageLocal && subtype <= kMessageAs4LocalAddPath) ||
      subtype == kMessage || subtype == kMessageAs4;
  if (!state && !message) {
    skip = absl::StrCat("BGP4MP subtype ", subtype);
    return absl::OkStatus();
  }
  Encoding encoding;
  encoding.as4 = subtype == kStateChangeAs4 || subtype == kMessageAs4 ||
                 subtype == kMessageAs4Local || subtype == kMessageAs4AddPath ||
                 subtype == kMessageAs4LocalAddPath;
  encoding.add_path = subtype >= kMessageAddPath;
  Peer& peer = record.peer;
  peer.asn = encoding.as4 ? c.U32() : c.U16();
  encoding.as4 ? c.U32() : c.U16();  // local AS
  c.Skip(2);                         // interface index
  const uint64_t afi_at = c.offset();
  const uint16_t afi = c.U16();
  if (!c.ok()) return c.status("the BGP4MP header");
  if (afi != 1 && afi != 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("byte ", afi_at, ": BGP4MP address family ", afi,
                     " (expected 1 IPv4 or 2 IPv6)"));
  }
  peer.address = c.Ip(afi == 2);
  c.Ip(afi == 2);  // local address
  if (!c.ok()) return c.status("the BGP4MP addresses");
  if (state) {
    Event& e = record.events.emplace_back();
    e.kind = Event::Kind::kStateChange;
    e.peer = peer;
    e.old_state = c.U16();
    e.new_state = c.U16();
    return c.status("the BGP4MP states");
  }
  return ReadBgpMessage(c, encoding, peer, record, skipped);
}

}  // namespace nexthop::mrt::internal
