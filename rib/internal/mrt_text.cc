// `bgpdump -m` lines (see rib/mrt_text.h).
#include "rib/mrt_text.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace nexthop::mrt {
namespace {

bool AddPath(const Record& r) {
  return (r.type == kTableDumpV2 && r.subtype >= 8 && r.subtype <= 12) ||
         ((r.type == kBgp4mp || r.type == kBgp4mpEt) && r.subtype >= 8 &&
          r.subtype <= 11);
}

// MESSAGE_LOCAL and MESSAGE_AS4_LOCAL, with or without ADD-PATH: messages
// the dumping router sent rather than received.
bool Local(const Record& r) {
  return (r.type == kBgp4mp || r.type == kBgp4mpEt) &&
         (r.subtype == 6 || r.subtype == 7 || r.subtype == 10 ||
          r.subtype == 11);
}

std::string TypeLabel(const Record& r) {
  if (r.type == kTableDump) return "TABLE_DUMP";
  std::string label = r.type == kTableDumpV2 ? "TABLE_DUMP2" : "BGP4MP";
  if (r.type == kBgp4mpEt) label += "_ET";
  if (Local(r)) label += "_LOCAL";
  if (AddPath(r)) label += "_AP";
  return label;
}

std::string Time(const Record& r) {
  if (r.microseconds) {
    return absl::StrFormat("%u.%06u", r.timestamp, *r.microseconds);
  }
  return absl::StrCat(r.timestamp);
}

std::string OriginName(std::optional<uint8_t> origin) {
  if (!origin) return "";
  switch (*origin) {
    case 0:
      return "IGP";
    case 1:
      return "EGP";
    case 2:
      return "INCOMPLETE";
  }
  return absl::StrCat(*origin);
}

std::string Communities(const std::vector<uint32_t>& communities) {
  return absl::StrJoin(communities, " ", [](std::string* out, uint32_t c) {
    absl::StrAppend(out, c >> 16, ":", c & 0xFFFF);
  });
}

std::string AnnounceFields(const Record& r, const Event& e) {
  static const Attributes kNone;
  const Attributes& a = e.attributes >= 0 ? r.attributes[e.attributes] : kNone;
  std::string aggregator;
  if (a.aggregator) {
    aggregator =
        absl::StrCat(a.aggregator->asn, " ", a.aggregator->address.ToString());
  }
  return absl::StrCat(AsPathString(a.as_path), "|", OriginName(a.origin), "|",
                      e.next_hop ? ToString(*e.next_hop) : "", "|",
                      a.local_pref.value_or(0), "|", a.med.value_or(0), "|",
                      Communities(a.communities), "|",
                      a.atomic_aggregate ? "AG" : "NAG", "|", aggregator, "|");
}

}  // namespace

std::string AsPathString(const std::vector<AsPathSegment>& path) {
  std::vector<std::string> parts;
  for (const AsPathSegment& s : path) {
    switch (s.type) {
      case AsPathSegment::kSet:
        parts.push_back(absl::StrCat("{", absl::StrJoin(s.asns, ","), "}"));
        break;
      case AsPathSegment::kConfedSequence:
        parts.push_back(absl::StrCat("(", absl::StrJoin(s.asns, " "), ")"));
        break;
      case AsPathSegment::kConfedSet:
        parts.push_back(absl::StrCat("[", absl::StrJoin(s.asns, ","), "]"));
        break;
      default:
        if (!s.asns.empty()) parts.push_back(absl::StrJoin(s.asns, " "));
    }
  }
  return absl::StrJoin(parts, " ");
}

std::vector<std::string> BgpdumpLines(const Record& r) {
  std::vector<std::string> lines;
  const std::string head = absl::StrCat(TypeLabel(r), "|", Time(r), "|");
  const bool rib = r.type == kTableDump || r.type == kTableDumpV2;
  for (const Event& e : r.events) {
    const std::string peer =
        absl::StrCat(ToString(e.peer.address), "|", e.peer.asn, "|");
    std::string path_id;
    if (e.path_id) path_id = absl::StrCat(*e.path_id, "|");
    switch (e.kind) {
      case Event::Kind::kStateChange:
        lines.push_back(
            absl::StrCat(head, "STATE|", peer, e.old_state, "|", e.new_state));
        break;
      case Event::Kind::kWithdraw:
        lines.push_back(absl::StrCat(
            head, "W|", peer, ToString(e.prefix), e.path_id ? "|" : "",
            e.path_id ? absl::StrCat(*e.path_id) : ""));
        break;
      case Event::Kind::kAnnounce:
        lines.push_back(absl::StrCat(head, rib ? "B|" : "A|", peer,
                                     ToString(e.prefix), "|", path_id,
                                     AnnounceFields(r, e)));
        break;
    }
  }
  return lines;
}

}  // namespace nexthop::mrt
