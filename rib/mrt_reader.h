// Reading MRT files (RFC 6396): the binary BGP dumps that route collectors
// (RIPE RIS, RouteViews) and routing daemons (BIRD, Quagga, OpenBGPD) write.
//
// What is decoded:
//   TABLE_DUMP (v1, AFI IPv4 and IPv6); TABLE_DUMP_V2 PEER_INDEX_TABLE,
//   RIB_IPV4_UNICAST, RIB_IPV6_UNICAST and their ADD-PATH forms (RFC 8050),
//   which BIRD writes; BGP4MP and BGP4MP_ET (microsecond timestamps)
//   STATE_CHANGE, STATE_CHANGE_AS4, MESSAGE, MESSAGE_AS4, the _LOCAL and
//   ADD-PATH forms. Of BGP messages, UPDATEs give events (withdrawn
//   routes, NLRI, MP_REACH_NLRI / MP_UNREACH_NLRI for IPv4 and IPv6); OPEN,
//   KEEPALIVE and NOTIFICATION give records without events. Path
//   attributes: ORIGIN, AS_PATH (2- or 4-byte ASNs as the record type says),
//   AS4_PATH merged into it (RFC 6793 section 4.2.3), NEXT_HOP, MED,
//   LOCAL_PREF, ATOMIC_AGGREGATE, AGGREGATOR / AS4_AGGREGATOR, COMMUNITIES.
//   Other attributes are stepped over.
// Skipped and counted (in stats(), by reason), as bgpdump skips them: MRT
//   types and subtypes not listed above (OSPF, IS-IS, RIB_*_MULTICAST,
//   RIB_GENERIC, ...), RIB entries whose peer index is not in the peer
//   table, and address families other than IPv4/IPv6 unicast and multicast.
// Errors (the whole read stops; nothing after them is returned): a record
//   header or body cut short by the end of the file (DataLoss), a length
//   inside a record that runs past its end, a prefix longer than 32 or 128
//   bits, a RIB record before any PEER_INDEX_TABLE (InvalidArgument). Every
//   message is "FILE: record N at byte B: what is wrong", N counting from 1
//   and B the byte of the decompressed stream where the fault was found.
//
// Input: plain, gzip or bzip2 files, told apart by their first bytes. A
// compressed stream that is cut short or corrupt is a DataLoss error
// ("FILE: truncated or corrupt gzip"), never a shorter file.
//
// Cost: Open decompresses the whole file into memory (13.5 MB for the 3 MB
// updates.et-header.2015.gz, in 0.06-0.11 s); Next decodes one record in
// time linear in its size, reusing the Record's vectors. Measured on the
// project's VM: 4-7 M prefix events (0.6-1.1 M records) a second.
//
// Thread safety: thread-compatible. One Reader per thread; distinct Readers
// share nothing.
//
// Example:
//   absl::StatusOr<mrt::Reader> reader =
//       mrt::Reader::Open("tests/data/mrt/quagga_bgp");
//   mrt::Record record;
//   size_t announced = 0;
//   while (reader.ok() && reader->Next(record).value_or(false)) {
//     for (const mrt::Event& e : record.events) {
//       announced += e.kind == mrt::Event::Kind::kAnnounce;  // 18 in all
//     }
//   }
#ifndef NEXTHOP_RIB_MRT_READER_H_
#define NEXTHOP_RIB_MRT_READER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "net/ipv4.h"
#include "net/ipv6.h"

namespace nexthop::mrt {

using Address = std::variant<Ipv4Address, Ipv6Address>;
using Prefix = std::variant<Ipv4Prefix, Ipv6Prefix>;
std::string ToString(const Address& address);
std::string ToString(const Prefix& prefix);

// MRT record types (RFC 6396 section 4).
inline constexpr uint16_t kTableDump = 12;
inline constexpr uint16_t kTableDumpV2 = 13;
inline constexpr uint16_t kBgp4mp = 16;
inline constexpr uint16_t kBgp4mpEt = 17;

struct Peer {
  Address address = Ipv4Address();
  uint32_t asn = 0;
  Ipv4Address bgp_id;  // TABLE_DUMP_V2's peer table only; else 0.0.0.0
};

struct AsPathSegment {
  // RFC 4271 (set, sequence) and RFC 5065 (confederations).
  enum Type : uint8_t {
    kSet = 1,
    kSequence = 2,
    kConfedSequence = 3,
    kConfedSet = 4
  };
  uint8_t type = kSequence;
  std::vector<uint32_t> asns;
};

struct Aggregator {
  uint32_t asn = 0;
  Ipv4Address address;
};

// The path attributes of one UPDATE or RIB entry.
struct Attributes {
  std::optional<uint8_t> origin;  // 0 IGP, 1 EGP, 2 INCOMPLETE
  // AS_PATH, with AS4_PATH merged in when the record carries 2-byte ASNs.
  std::vector<AsPathSegment> as_path;
  std::optional<Ipv4Address> next_hop;  // the NEXT_HOP attribute
  // MP_REACH_NLRI's next hop (the global one when a link-local follows).
  std::optional<Address> mp_next_hop;
  std::optional<uint32_t> med;
  std::optional<uint32_t> local_pref;
  bool atomic_aggregate = false;
  std::optional<Aggregator> aggregator;  // AS4_AGGREGATOR merged in
  std::vector<uint32_t> communities;     // RFC 1997, as 32-bit values
};

struct Event {
  enum class Kind : uint8_t { kAnnounce, kWithdraw, kStateChange };
  Kind kind = Kind::kAnnounce;
  Peer peer;  // who sent it; in a RIB dump, the entry's peer
  // Announce and withdraw:
  Prefix prefix = Ipv4Prefix();
  uint8_t safi = 1;                 // 1 unicast, 2 multicast
  std::optional<uint32_t> path_id;  // ADD-PATH records only
  std::optional<Address> next_hop;  // announce: NEXT_HOP or MP_REACH's
  int attributes = -1;              // announce: index in Record::attributes
  uint32_t originated = 0;          // RIB entries: when the route was learnt
  // State change (RFC 6396 section 4.4.1: 1 Idle ... 6 Established):
  uint16_t old_state = 0;
  uint16_t new_state = 0;
};

struct Record {
  uint64_t number = 0;  // 1 for the first record of the file
  uint64_t offset = 0;  // byte of its header in the decompressed stream
  uint32_t timestamp = 0;
  std::optional<uint32_t> microseconds;  // BGP4MP_ET
  uint16_t type = 0;
  uint16_t subtype = 0;
  Peer peer;  // BGP4MP and TABLE_DUMP; TABLE_DUMP_V2: see each event
  // BGP4MP messages: the BGP message type (1 OPEN, 2 UPDATE, 3
  // NOTIFICATION, 4 KEEPALIVE, 5 ROUTE-REFRESH); 0 in other records.
  uint8_t bgp_type = 0;
  std::vector<Event> events;  // in the order bgpdump prints them
  std::vector<Attributes> attributes;
};

struct ReaderStats {
  uint64_t records = 0;  // every record, skipped ones included
  uint64_t events = 0;   // events returned
  uint64_t skipped_records = 0;
  // Why records, entries or prefixes were skipped, and how many times.
  std::map<std::string, uint64_t> skipped;
};

class Reader {
 public:
  // Reads and decompresses `path` (plain, gzip or bzip2). NotFound when it
  // cannot be opened, DataLoss when a compressed stream is cut or corrupt.
  static absl::StatusOr<Reader> Open(const std::string& path);
  // Over bytes already decompressed; `source` names them in messages.
  Reader(std::string bytes, std::string source);
  // The same without a copy: `bytes` must outlive the reader.
  static Reader Borrowing(absl::string_view bytes, std::string source);

  // Decodes the next record into `record`, reusing its storage. Returns
  // false at the end of the input; skipped records are passed over.
  absl::StatusOr<bool> Next(Record& record);

  const ReaderStats& stats() const { return stats_; }
  const std::vector<Peer>& peer_table() const { return peers_; }
  absl::string_view source() const { return source_; }
  // Decompressed.
  absl::string_view bytes() const {
    return borrowed_.data() != nullptr ? borrowed_ : absl::string_view(owned_);
  }

 private:
  Reader() = default;
  std::string owned_;
  absl::string_view borrowed_;  // set by Borrowing; else the bytes are owned_
  std::string source_;
  size_t position_ = 0;
  std::vector<Peer> peers_;  // the last PEER_INDEX_TABLE
  bool have_peer_table_ = false;
  ReaderStats stats_;
};

// True when `bytes` start like an MRT file: a record header of a type
// this reader decodes, whose length fits. Text never does (its type bytes
// would be printable characters).
bool LooksLikeMrt(absl::string_view bytes);

}  // namespace nexthop::mrt

#endif  // NEXTHOP_RIB_MRT_READER_H_
