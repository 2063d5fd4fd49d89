// What the MRT reader's record decoders share: a bounds-checked cursor over
// the decompressed bytes and the BGP pieces (prefixes, path attributes,
// UPDATE messages) that several record types carry.
#ifndef NEXTHOP_RIB_INTERNAL_MRT_DECODE_H_
#define NEXTHOP_RIB_INTERNAL_MRT_DECODE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rib/mrt_reader.h"

namespace nexthop::mrt::internal {

// Reads big-endian fields from a span of the input. A read past the end
// returns zeros and marks the cursor short; status() then says where and
// what was cut, so decoders check once per structure instead of per field.
class Cursor {
 public:
  // `bytes` starts at byte `base` of the stream; `name` says what it spans
  // ("record", "attribute block") in messages.
  Cursor(absl::string_view bytes, uint64_t base, absl::string_view name)
      : bytes_(bytes), base_(base), name_(name) {}

  uint8_t U8();
  uint16_t U16();
  uint32_t U32();
  Ipv4Address Ip4() { return Ipv4Address(U32()); }
  Ipv6Address Ip6();
  Address Ip(bool ipv6) { return ipv6 ? Address(Ip6()) : Address(Ip4()); }
  // The next `n` bytes as a cursor of their own, named `name`.
  Cursor Take(size_t n, absl::string_view name);
  void Skip(size_t n) { Take(n, name_); }

  // The next byte, not consumed; 0 at the end.
  uint8_t Peek() const {
    return empty() ? 0 : static_cast<uint8_t>(bytes_[pos_]);
  }
  size_t remaining() const { return bytes_.size() - pos_; }
  bool empty() const { return remaining() == 0; }
  bool ok() const { return !short_; }
  uint64_t offset() const { return base_ + pos_; }
  // OK, or InvalidArgument "byte B: WHAT needs N bytes, K left in the SPAN".
  absl::Status status(absl::string_view what) const;
  // InvalidArgument "byte B: MESSAGE" at the current position.
  absl::Status Error(absl::string_view message) const;

 private:
  bool Has(size_t n);

  absl::string_view bytes_;
  uint64_t base_;
  absl::string_view name_;
  size_t pos_ = 0;
  bool short_ = false;
  uint64_t short_at_ = 0;
  size_t short_need_ = 0;
  size_t short_left_ = 0;
};

// A prefix as BGP encodes it: a length in bits, then just enough bytes.
// Lengths past 32 (128 for IPv6) are errors; bits past the length are
// cleared, as routers ignore them.
absl::StatusOr<Prefix> ReadPrefix(Cursor& c, bool ipv6);

// One prefix of an UPDATE or MP_(UN)REACH_NLRI.
struct Nlri {
  Prefix prefix;
  uint8_t safi = 1;
  std::optional<uint32_t> path_id;
};

// Prefixes to the end of `c` (an UPDATE's withdrawn routes or NLRI).
absl::Status ReadNlri(Cursor c, uint16_t afi, uint8_t safi, bool add_path,
                      std::vector<Nlri>& out);

// How a record encodes what it carries.
struct Encoding {
  bool as4 = false;       // AS_PATH and AGGREGATOR with 4-byte ASNs
  bool add_path = false;  // a path identifier before each NLRI prefix
  // TABLE_DUMP_V2 RIB entries abbreviate MP_REACH_NLRI to the next hop
  // (RFC 6396 section 4.3.4).
  bool rib_entry = false;
};

// Decodes a path attribute block. MP_REACH_NLRI and MP_UNREACH_NLRI
// prefixes go to `announce` and `withdraw`; `skipped` counts what is passed
// over (unknown address families).
absl::Status ReadAttributes(Cursor c, const Encoding& encoding, Attributes& out,
                            std::vector<Nlri>& announce,
                            std::vector<Nlri>& withdraw,
                            std::map<std::string, uint64_t>& skipped);

// A BGP message (RFC 4271 section 4: marker, length, type, body) from
// `peer`. UPDATEs append withdraw events, then announce events, in the
// order bgpdump prints them; other messages add nothing.
absl::Status ReadBgpMessage(Cursor c, const Encoding& encoding,
                            const Peer& peer, Record& record,
                            std::map<std::string, uint64_t>& skipped);

// Record bodies. Each returns OK having filled `record` (or left it without
// events), or the error; a record to skip returns OK and names the reason
// in `skip`.
absl::Status ReadTableDump(Cursor c, Record& record, std::string& skip,
                           std::map<std::string, uint64_t>& skipped);
absl::Status ReadPeerIndexTable(Cursor c, std::vector<Peer>& peers);
absl::Status ReadRibRecord(Cursor c, const std::vector<Peer>& peers,
                           Record& record,
                           std::map<std::string, uint64_t>& skipped);
absl::Status ReadBgp4mp(Cursor c, Record& record, std::string& skip,
                        std::map<std::string, uint64_t>& skipped);

}  // namespace nexthop::mrt::internal

#endif  // NEXTHOP_RIB_INTERNAL_MRT_DECODE_H_
