// MRT records as `bgpdump -m` prints them: one line per RIB entry,
// announced or withdrawn prefix, or state change, '|'-separated:
//   TABLE_DUMP2|1537344000|B|peer|peer_as|prefix|as_path|origin|next_hop|
//     local_pref|med|communities|AG or NAG|aggregator_as aggregator_ip|
//   BGP4MP|time|A|... (the same fields), BGP4MP|time|W|peer|peer_as|prefix,
//   BGP4MP|time|STATE|peer|peer_as|old_state|new_state
// BGP4MP_ET records show "seconds.microseconds"; messages the dumping
// router sent get "_LOCAL", ADD-PATH records "_AP" and the path
// identifier after the prefix. The project's
// `bgpdump` route loader reads these lines, and the MRT tests compare them
// with Debian's bgpdump 1.6 (docs: tests/data/mrt/README.md lists where
// bgpdump itself goes wrong and these lines differ on purpose).
// Cost: linear in the record; thread-compatible (no state).
//
// Example:
//   mrt::Record record;
//   record.type = mrt::kBgp4mp;
//   record.timestamp = 1470931200;
//   mrt::Event& e = record.events.emplace_back();
//   e.kind = mrt::Event::Kind::kWithdraw;
//   e.peer.address = Ipv4Address::FromOctets(192, 0, 2, 1);
//   e.peer.asn = 64500;
//   e.prefix = *Ipv4Prefix::Parse("198.51.100.0/24");
//   std::vector<std::string> lines = mrt::BgpdumpLines(record);
//   // {"BGP4MP|1470931200|W|192.0.2.1|64500|198.51.100.0/24"}
#ifndef NEXTHOP_RIB_MRT_TEXT_H_
#define NEXTHOP_RIB_MRT_TEXT_H_

#include <string>
#include <vector>

#include "rib/mrt_reader.h"

namespace nexthop::mrt {

// One line per event, in the record's order, without newlines.
std::vector<std::string> BgpdumpLines(const Record& record);

// "1 2 {3,4}": sequences space-separated, sets in braces, confederation
// sequences in parentheses and confederation sets in brackets.
std::string AsPathString(const std::vector<AsPathSegment>& path);

}  // namespace nexthop::mrt

#endif  // NEXTHOP_RIB_MRT_TEXT_H_
