// The record loop: MRT common headers (RFC 6396 section 2; the extended
// timestamp of section 3), dispatch by type, and messages that say where.
#include "rib/mrt_reader.h"

#include "absl/strings/str_cat.h"
#include "rib/internal/mrt_decode.h"
#include "rib/internal/read_file.h"

namespace nexthop::mrt {
namespace {

constexpr size_t kHeader = 12;  // timestamp, type, subtype, length

struct Header {
  uint32_t timestamp;
  uint16_t type;
  uint16_t subtype;
  uint32_t length;  // of the body, after the header
};

// `bytes` holds at least kHeader bytes.
Header ReadHeader(absl::string_view bytes) {
  internal::Cursor c(bytes.substr(0, kHeader), 0, "record header");
  Header h;
  h.timestamp = c.U32();
  h.type = c.U16();
  h.subtype = c.U16();
  h.length = c.U32();
  return h;
}

bool Decoded(uint16_t type) {
  return type == kTableDump || type == kTableDumpV2 || type == kBgp4mp ||
         type == kBgp4mpEt;
}

}  // namespace

absl::StatusOr<Reader> Reader::Open(const std::string& path) {
  absl::StatusOr<std::string> bytes =
      nexthop::internal::ReadFileDecompressed(path);
  if (!bytes.ok()) return bytes.status();
  return Reader(*std::move(bytes), path);
}

Reader::Reader(std::string bytes, std::string source)
    : owned_(std::move(bytes)), source_(std::move(source)) {}

Reader Reader::Borrowing(absl::string_view bytes, std::string source) {
  Reader r;
  // A non-null view even for no bytes, so that bytes() picks it.
  r.borrowed_ = bytes.data() != nullptr ? bytes : absl::string_view("", 0);
  r.source_ = std::move(source);
  return r;
}

absl::StatusOr<bool> Reader::Next(Record& record) {
  using internal::Cursor;
  const absl::string_view input = bytes();
  while (position_ < input.size()) {
    record.number = ++stats_.records;
    record.offset = position_;
    const auto where = [&] {
      return absl::StrCat(source_, ": record ", record.number, " at ");
    };
    const size_t left = input.size() - position_;
    if (left < kHeader) {
      return absl::DataLossError(absl::StrCat(
          where(), "byte ", position_, ": record header cut short (", left,
          " of 12 bytes; truncated file?)"));
    }
    const Header header = ReadHeader(input.substr(position_));
    record.timestamp = header.timestamp;
    record.type = header.type;
    record.subtype = header.subtype;
    const uint32_t length = header.length;
    if (length > left - kHeader) {
      return absl::DataLossError(
          absl::StrCat(where(), "byte ", position_, ": record of ", length,
                       " bytes runs past the end of the file (", left - kHeader,
                       " bytes left; truncated file?)"));
    }
    Cursor body(input.substr(position_ + kHeader, length), position_ + kHeader,
                "record");
    position_ += kHeader + length;
    record.events.clear();
    record.attributes.clear();
    record.peer = Peer();
    record.bgp_type = 0;
    record.microseconds.reset();
    if (record.type == kBgp4mpEt) {
      record.microseconds = body.U32();
      if (!body.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            where(), body.status("the microsecond timestamp").message()));
      }
    }
    std::string skip;
    absl::Status s;
    switch (record.type) {
      case kTableDump:
        s = internal::ReadTableDump(body, record, skip, stats_.skipped);
        break;
      case kTableDumpV2:
        if (record.subtype == 1) {
          s = internal::ReadPeerIndexTable(body, peers_);
          have_peer_table_ = s.ok();
        } else if (record.subtype == 2 || record.subtype == 4 ||
                   record.subtype == 8 || record.subtype == 10) {
          if (!have_peer_table_) {
            s = body.Error("RIB record before any PEER_INDEX_TABLE");
          } else {
            s = internal::ReadRibRecord(body, peers_, record, stats_.skipped);
          }
        } else {
          skip = absl::StrCat(
              "TABLE_DUMP_V2 subtype ", record.subtype,
              record.subtype == 3 || record.subtype == 5    ? " (multicast RIB)"
              : record.subtype == 6 || record.subtype == 12 ? " (RIB_GENERIC)"
                                                            : "");
        }
        break;
      case kBgp4mp:
      case kBgp4mpEt:
        s = internal::ReadBgp4mp(body, record, skip, stats_.skipped);
        break;
      default:
        skip = absl::StrCat("MRT type ", record.type);
    }
    if (!s.ok()) {
      return absl::Status(s.code(), absl::StrCat(where(), s.message()));
    }
    if (!skip.empty()) {
      ++stats_.skipped_records;
      ++stats_.skipped[absl::StrCat("records of ", skip)];
      continue;
    }
    stats_.events += record.events.size();
    return true;
  }
  return false;
}

bool LooksLikeMrt(absl::string_view bytes) {
  if (bytes.size() < kHeader) return false;
  const Header h = ReadHeader(bytes);
  return Decoded(h.type) && h.subtype < 64 &&
         h.length <= bytes.size() - kHeader;
}

}  // namespace nexthop::mrt
