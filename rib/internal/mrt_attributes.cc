// BGP path attributes (RFC 4271 section 4.3 and 5; RFC 4760 for
// MP_REACH_NLRI / MP_UNREACH_NLRI; RFC 6793 for AS4_PATH and
// AS4_AGGREGATOR; RFC 1997 for COMMUNITIES).
#include "absl/strings/str_cat.h"
#include "rib/internal/mrt_decode.h"

namespace nexthop::mrt::internal {
namespace {

enum AttributeType : uint8_t {
  kOrigin = 1,
  kAsPath = 2,
  kNextHop = 3,
  kMed = 4,
  kLocalPref = 5,
  kAtomicAggregate = 6,
  kAggregator = 7,
  kCommunities = 8,
  kMpReach = 14,
  kMpUnreach = 15,
  kAs4Path = 17,
  kAs4Aggregator = 18,
};

constexpr uint16_t kAfiIpv4 = 1;
constexpr uint16_t kAfiIpv6 = 2;
constexpr uint32_t kAsTrans = 23456;  // RFC 6793: a 4-byte ASN's stand-in

std::string AttributeName(uint8_t type) {
  switch (type) {
    case kOrigin:
      return "ORIGIN";
    case kAsPath:
      return "AS_PATH";
    case kNextHop:
      return "NEXT_HOP";
    case kMed:
      return "MULTI_EXIT_DISC";
    case kLocalPref:
      return "LOCAL_PREF";
    case kAtomicAggregate:
      return "ATOMIC_AGGREGATE";
    case kAggregator:
      return "AGGREGATOR";
    case kCommunities:
      return "COMMUNITIES";
    case kMpReach:
      return "MP_REACH_NLRI";
    case kMpUnreach:
      return "MP_UNREACH_NLRI";
    case kAs4Path:
      return "AS4_PATH";
    case kAs4Aggregator:
      return "AS4_AGGREGATOR";
  }
  return absl::StrCat("attribute type ", type);
}

absl::Status ReadAsPath(Cursor c, bool as4, std::vector<AsPathSegment>& out) {
  out.clear();
  while (!c.empty()) {
    AsPathSegment& segment = out.emplace_back();
    segment.type = c.U8();
    const int count = c.U8();
    if (!c.ok()) return c.status("an AS path segment header");
    if (segment.type < AsPathSegment::kSet ||
        segment.type > AsPathSegment::kConfedSet) {
      return c.Error(absl::StrCat("AS path segment type ", segment.type,
                                  " (expected 1-4)"));
    }
    segment.asns.resize(count);
    for (uint32_t& asn : segment.asns) asn = as4 ? c.U32() : c.U16();
    if (!c.ok()) {
      return c.status(absl::StrCat("an AS path segment of ", count,
                                   as4 ? " 4-byte" : " 2-byte", " ASNs"));
    }
  }
  return absl::OkStatus();
}

// RFC 6793 section 4.2.3's count: a set is one AS, confederation segments
// none.
size_t PathLength(const std::vector<AsPathSegment>& path) {
  size_t n = 0;
  for (const AsPathSegment& s : path) {
    if (s.type == AsPathSegment::kSequence) n += s.asns.size();
    if (s.type == AsPathSegment::kSet) ++n;
  }
  return n;
}

// The path a 2-byte speaker passed on, with the 4-byte ASNs its AS4_PATH
// kept: the leading ASes of AS_PATH that AS4_PATH does not cover, then
// AS4_PATH. An AS4_PATH longer than AS_PATH is ignored (RFC 6793).
void MergeAs4Path(std::vector<AsPathSegment>& path,
                  std::vector<AsPathSegment>& as4_path) {
  const size_t have = PathLength(path);
  const size_t as4 = PathLength(as4_path);
  if (have < as4) return;
  size_t keep = have - as4;
  std::vector<AsPathSegment> merged;
  for (AsPathSegment& s : path) {
    if (keep == 0) break;
    if (s.type == AsPathSegment::kSequence && s.asns.size() > keep) {
      s.asns.resize(keep);
    }
    keep -= s.type == AsPathSegment::kSequence ? s.asns.size()
            : s.type == AsPathSegment::kSet    ? 1
                                               : 0;
    merged.push_back(std::move(s));
  }
  for (AsPathSegment& s : as4_path) merged.push_back(std::move(s));
  path = std::move(merged);
}

// A next hop of `length` bytes: IPv4 (4), IPv6 (16), or IPv6 global then
// link-local (32). Others (e.g. VPN route distinguishers) give none.
std::optional<Address> ReadNextHop(Cursor& c, size_t length,
                                   std::map<std::string, uint64_t>& skipped) {
  Cursor nh = c.Take(length, "next hop");
  if (length == 4) return Address(nh.Ip4());
  if (length == 16 || length == 32) return Address(nh.Ip6());
  ++skipped[absl::StrCat("MP_REACH_NLRI next hops of ", length, " bytes")];
  return std::nullopt;
}

bool KnownFamily(uint16_t afi, uint8_t safi) {
  return (afi == kAfiIpv4 || afi == kAfiIpv6) && safi >= 1 && safi <= 3;
}

absl::Status ReadMpReach(Cursor c, const Encoding& encoding, Attributes& out,
                         std::vector<Nlri>& announce,
                         std::map<std::string, uint64_t>& skipped) {
  // A RIB entry's abbreviated form is the next hop's length and the next
  // hop (RFC 6396 section 4.3.4); some writers store the full attribute
  // even there, which its length tells apart.
  if (encoding.rib_entry && c.remaining() == size_t{1} + c.Peek()) {
    const size_t length = c.U8();
    out.mp_next_hop = ReadNextHop(c, length, skipped);
    return c.status("MP_REACH_NLRI's next hop");
  }
  const uint16_t afi = c.U16();
  const uint8_t safi = c.U8();
  const size_t length = c.U8();
  Cursor next_hop = c.Take(length, "next hop");
  c.Skip(1);  // reserved (RFC 4760: once the SNPA count)
  if (!c.ok()) return c.status("MP_REACH_NLRI's header and next hop");
  if (!KnownFamily(afi, safi)) {
    ++skipped[absl::StrCat("MP_REACH_NLRI AFI ", afi, " SAFI ", safi)];
    return absl::OkStatus();
  }
  out.mp_next_hop = ReadNextHop(next_hop, length, skipped);
  // Prefixes in a RIB entry's attribute repeat the record's own prefix.
  if (encoding.rib_entry) return absl::OkStatus();
  return ReadNlri(c, afi, safi, encoding.add_path, announce);
}

absl::Status ReadMpUnreach(Cursor c, const Encoding& encoding,
                           std::vector<Nlri>& withdraw,
                           std::map<std::string, uint64_t>& skipped) {
  const uint16_t afi = c.U16();
  const uint8_t safi = c.U8();
  if (!c.ok()) return c.status("MP_UNREACH_NLRI's header");
  if (!KnownFamily(afi, safi)) {
    ++skipped[absl::StrCat("MP_UNREACH_NLRI AFI ", afi, " SAFI ", safi)];
    return absl::OkStatus();
  }
  return ReadNlri(c, afi, safi, encoding.add_path, withdraw);
}

absl::Status FixedLength(const Cursor& a, uint8_t type, size_t want) {
  if (a.remaining() == want) return absl::OkStatus();
  return a.Error(absl::StrCat(AttributeName(type), " of ", a.remaining(),
                              " bytes (expected ", want, ")"));
}

}  // namespace

absl::Status ReadAttributes(Cursor c, const Encoding& encoding, Attributes& out,
                            std::vector<Nlri>& announce,
                            std::vector<Nlri>& withdraw,
                            std::map<std::string, uint64_t>& skipped) {
  std::vector<AsPathSegment> as4_path;
  bool have_as4_path = false;
  std::optional<Aggregator> as4_aggregator;
  while (!c.empty()) {
    const uint8_t flags = c.U8();
    const uint8_t type = c.U8();
    const size_t length = (flags & 0x10) != 0 ? c.U16() : c.U8();
    if (!c.ok()) return c.status("an attribute header");
    const std::string name = AttributeName(type);
    Cursor a = c.Take(length, name);
    if (!c.ok()) return c.status(absl::StrCat(name, " of ", length, " bytes"));
    absl::Status s;
    switch (type) {
      case kOrigin:
        if (s = FixedLength(a, type, 1); s.ok()) out.origin = a.U8();
        break;
      case kAsPath:
        s = ReadAsPath(a, encoding.as4, out.as_path);
        break;
      case kAs4Path:
        s = ReadAsPath(a, /*as4=*/true, as4_path);
        have_as4_path = true;
        break;
      case kNextHop:
        if (s = FixedLength(a, type, 4); s.ok()) out.next_hop = a.Ip4();
        break;
      case kMed:
        if (s = FixedLength(a, type, 4); s.ok()) out.med = a.U32();
        break;
      case kLocalPref:
        if (s = FixedLength(a, type, 4); s.ok()) out.local_pref = a.U32();
        break;
      case kAtomicAggregate:
        out.atomic_aggregate = true;
        break;
      case kAggregator:
        // The length tells the ASN's size: some writers put 4-byte ASNs
        // here even in records whose AS_PATH has 2-byte ones.
        if (a.remaining() != 6 && a.remaining() != 8) {
          s = a.Error(absl::StrCat("AGGREGATOR of ", a.remaining(),
                                   " bytes (expected 6 or 8)"));
        } else {
          const uint32_t asn = a.remaining() == 8 ? a.U32() : a.U16();
          out.aggregator = Aggregator{asn, a.Ip4()};
        }
        break;
      case kAs4Aggregator:
        if (s = FixedLength(a, type, 8); s.ok()) {
          const uint32_t asn = a.U32();
          as4_aggregator = Aggregator{asn, a.Ip4()};
        }
        break;
      case kCommunities:
        if (a.remaining() % 4 != 0) {
          s = a.Error(absl::StrCat("COMMUNITIES of ", a.remaining(),
                                   " bytes (not a multiple of 4)"));
          break;
        }
        while (!a.empty()) out.communities.push_back(a.U32());
        break;
      case kMpReach:
        s = ReadMpReach(a, encoding, out, announce, skipped);
        break;
      case kMpUnreach:
        s = ReadMpUnreach(a, encoding, withdraw, skipped);
        break;
      default:
        break;  // not needed for routes; stepped over
    }
    if (!s.ok()) return s;
  }
  // RFC 6793 section 4.2.3: a 2-byte speaker's AS4_ attributes carry the
  // real ASNs, unless its AGGREGATOR shows a 4-byte-unaware aggregation.
  if (!encoding.as4) {
    if (out.aggregator && out.aggregator->asn != kAsTrans)
      return absl::OkStatus();
    if (as4_aggregator) out.aggregator = as4_aggregator;
    if (have_as4_path) MergeAs4Path(out.as_path, as4_path);
  }
  return absl::OkStatus();
}

}  // namespace nexthop::mrt::internal
