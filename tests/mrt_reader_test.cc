// The MRT reader on records built byte by byte (what each field decodes
// to, and every malformed case named with its file, record and byte), on
// compressed files cut or corrupted, and as a route-file format
// (LoadRouteFile, `nexthop lookup`, `nexthop mrt`). The oracle comparison
// with bgpdump is tests/mrt_oracle_test.cc.
#include "rib/mrt_reader.h"

#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rib/mrt_text.h"
#include "rib/route_loader.h"
#include "tests/mrt_builder.h"
#include "tests/test_data.h"

namespace nexthop {
namespace {

using testing::Attr;
using testing::BasicAttrs;
using testing::Bgp4mpBody;
using testing::BgpMessage;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Ip4;
using testing::Ip6;
using testing::Mrt;
using testing::Nlri;
using ::testing::Pair;
using testing::Segment;
using testing::SourcePath;
using testing::StateChange;
using testing::U16;
using testing::U32;
using testing::U8;
using testing::Update;

// --- reading ----------------------------------------------------------------

struct Read {
  std::vector<mrt::Record> records;
  absl::Status status;
  mrt::ReaderStats stats;
};

Read ReadAll(mrt::Reader reader) {
  Read out;
  mrt::Record record;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(record);
    if (!more.ok()) {
      out.status = more.status();
      break;
    }
    if (!*more) break;
    out.records.push_back(record);
  }
  out.stats = reader.stats();
  return out;
}

Read ReadBytes(const std::string& bytes) {
  return ReadAll(mrt::Reader(bytes, "t.mrt"));
}

std::vector<std::string> Lines(const Read& r) {
  std::vector<std::string> lines;
  for (const mrt::Record& record : r.records) {
    for (std::string& l : mrt::BgpdumpLines(record)) lines.push_back(l);
  }
  return lines;
}

std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}

std::string WriteTemp(const std::string& name, const std::string& bytes) {
  const std::string path =
      ::testing::TempDir() + "/" + std::to_string(getpid()) + "." + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(MrtReaderTest, UpdateGivesWithdrawalsThenAnnouncements) {
  const std::string attrs =
      BasicAttrs(Ip4(192, 0, 2, 1), false) + Attr(4, U32(5), 0x80) +
      Attr(5, U32(100)) +
      Attr(8, U32(64500u << 16 | 100) + U32(3356u << 16 | 7), 0xC0) +
      Attr(6, "") + Attr(7, U16(64500) + Ip4(192, 0, 2, 9), 0xC0);
  const std::string nlri =
      Nlri(8, Ip4(10, 0, 0, 0)) + Nlri(24, Ip4(198, 51, 100, 0));
  const Read r = ReadBytes(
      Mrt(mrt::kBgp4mp, 1,
          Bgp4mpBody(false, 64500,
                     Update(Nlri(24, Ip4(203, 0, 113, 0)), attrs, nlri))));
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_THAT(
      Lines(r),
      ElementsAre(
          "BGP4MP|1470931200|W|192.0.2.1|64500|203.0.113.0/24",
          "BGP4MP|1470931200|A|192.0.2.1|64500|10.0.0.0/8|64500 3356|IGP|"
          "192.0.2.1|100|5|64500:100 3356:7|AG|64500 192.0.2.9|",
          "BGP4MP|1470931200|A|192.0.2.1|64500|198.51.100.0/24|64500 3356|"
          "IGP|192.0.2.1|100|5|64500:100 3356:7|AG|64500 192.0.2.9|"));
  const mrt::Record& record = r.records[0];
  EXPECT_EQ(record.number, 1u);
  EXPECT_EQ(record.bgp_type, 2);
  ASSERT_EQ(record.events.size(), 3u);
  EXPECT_EQ(record.events[1].attributes, 0);
  EXPECT_EQ(std::get<Ipv4Prefix>(record.events[1].prefix).ToString(),
            "10.0.0.0/8");
}

TEST(MrtReaderTest, MpReachAndUnreachForIpv6) {
  // Global and link-local next hops (32 bytes): the global one is used.
  const std::string reach =
      U16(2) + U8(1) + U8(32) + Ip6("2001:db8::1") + Ip6("fe80::1") + U8(0) +
      Nlri(32, Ip6("2001:db8::")) + Nlri(64, Ip6("2001:db8:0:5::"));
  const std::string unreach = U16(2) + U8(1) + Nlri(48, Ip6("2001:db8:1::"));
  const std::string attrs = Attr(1, U8(2)) +
                            Attr(2, Segment(2, {4200000000u}, true)) +
                            Attr(14, reach, 0x80) + Attr(15, unreach, 0x80);
  const Read r =
      ReadBytes(Mrt(mrt::kBgp4mp, 4,
                    Bgp4mpBody(true, 4200000000u, Update("", attrs, ""),
                               Ip6("2001:db8::1"))));
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_THAT(Lines(r),
              ElementsAre("BGP4MP|1470931200|W|2001:db8::1|4200000000|"
                          "2001:db8:1::/48",
                          "BGP4MP|1470931200|A|2001:db8::1|4200000000|"
                          "2001:db8::/32|4200000000|INCOMPLETE|2001:db8::1|0|"
                          "0||NAG||",
                          "BGP4MP|1470931200|A|2001:db8::1|4200000000|"
                          "2001:db8:0:5::/64|4200000000|INCOMPLETE|"
                          "2001:db8::1|0|0||NAG||"));
}

TEST(MrtReaderTest, As4PathRestoresFourByteAsns) {
  const auto path_of = [](uint16_t subtype, const std::string& attrs) {
    const bool as4 = subtype == 4;
    const Read r = ReadBytes(Mrt(
        mrt::kBgp4mp, subtype,
        Bgp4mpBody(as4, 64500, Update("", attrs, Nlri(8, Ip4(10, 0, 0, 0))))));
    EXPECT_TRUE(r.status.ok()) << r.status;
    return r.records.empty()
               ? ""
               : mrt::AsPathString(r.records[0].attributes[0].as_path);
  };
  const std::string base = Attr(1, U8(0)) + Attr(3, Ip4(192, 0, 2, 1));
  // RFC 6793 4.2.3: AS_PATH's leading ASes, then AS4_PATH.
  EXPECT_EQ(
      path_of(1,
              base + Attr(2, Segment(2, {64500, 23456, 23456}, false)) +
                  Attr(17, Segment(2, {4200000000u, 4200000001u}, true), 0xC0)),
      "64500 4200000000 4200000001");
  // An AS4_PATH longer than AS_PATH is ignored.
  EXPECT_EQ(path_of(1, base + Attr(2, Segment(2, {23456}, false)) +
                           Attr(17, Segment(2, {1, 2}, true), 0xC0)),
            "23456");
  // 4-byte sessions carry the ASNs in AS_PATH itself; AS4_PATH is ignored.
  EXPECT_EQ(path_of(4, base + Attr(2, Segment(2, {4200000000u}, true)) +
                           Attr(17, Segment(2, {7}, true), 0xC0)),
            "4200000000");
  // Sets and confederation segments.
  EXPECT_EQ(path_of(4, base + Attr(2, Segment(3, {65001, 65002}, true) +
                                          Segment(2, {64500}, true) +
                                          Segment(1, {3, 1, 2}, true))),
            "(65001 65002) 64500 {3,1,2}");
}

TEST(MrtReaderTest, StateChangeAndExtendedTimestamp) {
  const std::string body = U16(64500) + U16(65000) + U16(0) + U16(1) +
                           Ip4(192, 0, 2, 1) + Ip4(192, 0, 2, 254) + U16(6) +
                           U16(1);
  const Read r = ReadBytes(Mrt(mrt::kBgp4mpEt, 0, U32(42) + body));
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_THAT(Lines(r),
              ElementsAre("BGP4MP_ET|1470931200.000042|STATE|192.0.2.1|64500|"
                          "6|1"));
}

std::string PeerTable() {
  // Two peers: an IPv4 one with a 2-byte ASN, an IPv6 one with a 4-byte ASN.
  return Mrt(mrt::kTableDumpV2, 1,
             Ip4(10, 0, 0, 1) + U16(4) + "view" + U16(2) + U8(0) +
                 Ip4(1, 1, 1, 1) + Ip4(192, 0, 2, 1) + U16(64500) + U8(3) +
                 Ip4(2, 2, 2, 2) + Ip6("2001:db8::2") + U32(4200000000u));
}

TEST(MrtReaderTest, TableDumpV2Entries) {
  const std::string entry0 = U16(0) + U32(1000) + U16(0);  // no attributes
  const std::string attrs = Attr(1, U8(0)) +
                            Attr(2, Segment(2, {4200000000u, 3356}, true)) +
                            Attr(3, Ip4(192, 0, 2, 1));
  const std::string entry1 =
      U16(1) + U32(2000) + U16(static_cast<uint16_t>(attrs.size())) + attrs;
  const std::string bad_peer = U16(9) + U32(0) + U16(0);
  const Read r =
      ReadBytes(PeerTable() + Mrt(mrt::kTableDumpV2, 2,
                                  U32(0) + Nlri(16, Ip4(10, 1, 0, 0)) + U16(3) +
                                      entry0 + entry1 + bad_peer));
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_THAT(Lines(r),
              ElementsAre("TABLE_DUMP2|1470931200|B|192.0.2.1|64500|"
                          "10.1.0.0/16||||0|0||NAG||",
                          "TABLE_DUMP2|1470931200|B|2001:db8::2|4200000000|"
                          "10.1.0.0/16|4200000000 3356|IGP|192.0.2.1|0|0||"
                          "NAG||"));
  EXPECT_EQ(r.records[1].events[1].originated, 2000u);
  EXPECT_THAT(
      r.stats.skipped,
      ElementsAre(Pair(HasSubstr("peer index past the peer table"), 1)));
}

TEST(MrtReaderTest, UnknownTypesAreSkippedAndCounted) {
  const std::string good =
      Mrt(mrt::kBgp4mp, 1,
          Bgp4mpBody(false, 64500,
                     Update("", BasicAttrs(Ip4(192, 0, 2, 1), false),
                            Nlri(8, Ip4(10, 0, 0, 0)))));
  const Read r = ReadBytes(Mrt(11, 1, "ospf") + PeerTable() +
                           Mrt(mrt::kTableDumpV2, 3, "multicast") +
                           Mrt(mrt::kTableDumpV2, 6, "generic") +
                           Mrt(mrt::kBgp4mp, 2, "entry") + good);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.records.size(), 2u);  // the peer table and the update
  EXPECT_EQ(r.records[1].number, 6u);
  EXPECT_EQ(r.stats.records, 6u);
  EXPECT_EQ(r.stats.skipped_records, 4u);
  EXPECT_THAT(
      r.stats.skipped,
      ElementsAre(Pair("records of BGP4MP subtype 2", 1),
                  Pair("records of MRT type 11", 1),
                  Pair("records of TABLE_DUMP_V2 subtype 3 (multicast RIB)", 1),
                  Pair("records of TABLE_DUMP_V2 subtype 6 (RIB_GENERIC)", 1)));
}

struct BadCase {
  std::string name;
  std::string bytes;
  absl::StatusCode code;
  std::string message;
};

TEST(MrtReaderTest, MalformedInputNamesFileRecordAndByte) {
  const std::string ok_record = StateChange(1, Ip4(192, 0, 2, 1), 1, 2);
  const auto update = [](const std::string& attrs, const std::string& nlri,
                         const std::string& withdrawn = "") {
    return Mrt(mrt::kBgp4mp, 1,
               Bgp4mpBody(false, 64500, Update(withdrawn, attrs, nlri)));
  };
  // An UPDATE's attributes start at byte 12 + 16 + 19 + 2 + 2 = 51.
  const std::string attrs_ok = BasicAttrs(Ip4(192, 0, 2, 1), false);
  std::string long_attr = update(attrs_ok, "");
  long_attr[51 + 2] = 50;  // ORIGIN's length byte: 50, past the block
  std::string long_message = update(attrs_ok, "");
  long_message[12 + 16 + 16 + 1] = 18;  // BGP length 18 < 19
  const std::string reach6 = U16(2) + U8(1) + U8(16) + Ip6("2001:db8::1") +
                             U8(0) + U8(129) + Ip6("2001:db8::") + U8(0);
  const BadCase cases[] = {
      {"header cut", ok_record + "\x01\x02\x03", absl::StatusCode::kDataLoss,
       absl::StrCat("t.mrt: record 2 at byte ", ok_record.size(),
                    ": record header cut short (3 of 12 bytes")},
      {"length past end", ok_record.substr(0, ok_record.size() - 1),
       absl::StatusCode::kDataLoss,
       absl::StrCat("t.mrt: record 1 at byte 0: record of ",
                    ok_record.size() - 12,
                    " bytes runs past the end of the file")},
      {"attribute past the block", long_attr,
       absl::StatusCode::kInvalidArgument,
       "t.mrt: record 1 at byte 54: ORIGIN of 50 bytes needs 50 bytes, only "},
      {"IPv4 prefix /33", update(attrs_ok, U8(33) + Ip4(10, 0, 0, 0) + U8(0)),
       absl::StatusCode::kInvalidArgument,
       absl::StrCat("t.mrt: record 1 at byte ", 51 + attrs_ok.size(),
                    ": prefix length 33 > 32 in an IPv4 prefix")},
      {"IPv6 prefix /129", update(Attr(14, reach6, 0x80), ""),
       absl::StatusCode::kInvalidArgument,
       "prefix length 129 > 128 in an IPv6 prefix"},
      {"NLRI cut", update(attrs_ok, U8(24) + U8(10)),
       absl::StatusCode::kInvalidArgument,
       "a /24 prefix needs 3 bytes, only 1 left in the"},
      {"withdrawn past the message",
       Mrt(mrt::kBgp4mp, 1,
           Bgp4mpBody(false, 1, BgpMessage(2, U16(40) + U16(0)))),
       absl::StatusCode::kInvalidArgument,
       "the UPDATE's withdrawn routes needs 40 bytes, only 2 left in the BGP "
       "message"},
      {"BGP length < 19", long_message, absl::StatusCode::kInvalidArgument,
       "BGP message length 18 < 19"},
      {"RIB before peer table",
       Mrt(mrt::kTableDumpV2, 2, U32(0) + Nlri(8, Ip4(10, 0, 0, 0)) + U16(0)),
       absl::StatusCode::kInvalidArgument,
       "t.mrt: record 1 at byte 12: RIB record before any PEER_INDEX_TABLE"},
      {"TABLE_DUMP /40",
       Mrt(mrt::kTableDump, 1,
           U16(0) + U16(0) + Ip4(10, 0, 0, 0) + U8(40) + U8(1) + U32(0) +
               Ip4(192, 0, 2, 1) + U16(1) + U16(0)),
       absl::StatusCode::kInvalidArgument,
       "t.mrt: record 1 at byte 20: prefix length 40 > 32"},
      {"bad AS path segment",
       update(Attr(2, U8(9) + U8(1) + U16(1)), Nlri(8, Ip4(10, 0, 0, 0))),
       absl::StatusCode::kInvalidArgument, "AS path segment type 9"},
      {"bad BGP4MP family",
       Mrt(mrt::kBgp4mp, 0, U16(1) + U16(2) + U16(0) + U16(7)),
       absl::StatusCode::kInvalidArgument, "BGP4MP address family 7"},
  };
  for (const BadCase& c : cases) {
    const Read r = ReadBytes(c.bytes);
    EXPECT_EQ(r.status.code(), c.code) << c.name << ": " << r.status;
    EXPECT_THAT(std::string(r.status.message()), HasSubstr(c.message))
        << c.name;
  }
}

// --- compressed input -------------------------------------------------------

TEST(MrtReaderTest, GzipAndBzip2ReadTheSameRecords) {
  const Read gz = ReadAll(*mrt::Reader::Open(
      SourcePath("tests/data/mrt/updates.20160811.1600.gz")));
  const Read bz = ReadAll(*mrt::Reader::Open(
      SourcePath("tests/data/mrt/updates.20160811.1600.bz2")));
  ASSERT_TRUE(gz.status.ok()) << gz.status;
  ASSERT_TRUE(bz.status.ok()) << bz.status;
  EXPECT_EQ(gz.records.size(), 17406u);
  EXPECT_EQ(Lines(gz), Lines(bz));
  EXPECT_EQ(Lines(gz).size(), 41234u);
  // Streams back to back (pbzip2, cat a.gz b.gz) are read through.
  for (const char* name :
       {"updates.20160811.1600.gz", "updates.20160811.1600.bz2"}) {
    const std::string bytes =
        FileBytes(SourcePath(std::string("tests/data/mrt/") + name));
    const Read twice = ReadAll(*mrt::Reader::Open(
        WriteTemp(std::string("twice.") + name, bytes + bytes)));
    ASSERT_TRUE(twice.status.ok()) << twice.status;
    EXPECT_EQ(twice.records.size(), 2 * 17406u) << name;
  }
}

TEST(MrtReaderTest, CutOrCorruptCompressedStreamsAreErrors) {
  for (const auto& [name, format] :
       std::vector<std::pair<std::string, std::string>>{
           {"updates.20160811.1600.gz", "gzip"},
           {"updates.20160811.1600.bz2", "bzip2"}}) {
    const std::string bytes = FileBytes(SourcePath("tests/data/mrt/" + name));
    ASSERT_GT(bytes.size(), 1000u);
    std::string corrupt = bytes;
    corrupt[corrupt.size() / 2] ^= 0x5A;
    for (const std::string& damaged :
         {bytes.substr(0, bytes.size() / 2), bytes.substr(0, bytes.size() - 4),
          bytes.substr(0, 20), corrupt}) {
      const std::string path = WriteTemp("damaged." + name, damaged);
      absl::StatusOr<mrt::Reader> reader = mrt::Reader::Open(path);
      ASSERT_FALSE(reader.ok())
          << name << " of " << damaged.size() << " bytes read";
      EXPECT_EQ(reader.status().code(), absl::StatusCode::kDataLoss);
      EXPECT_THAT(std::string(reader.status().message()),
                  HasSubstr(path + ": truncated or corrupt " + format));
      // The route loader refuses it the same way: nothing loads.
      absl::StatusOr<LoadResult> load = LoadRouteFile(path, {});
      ASSERT_FALSE(load.ok());
      EXPECT_EQ(load.status().code(), absl::StatusCode::kDataLoss);
    }
  }
  EXPECT_EQ(mrt::Reader::Open("/nonexistent.mrt").status().code(),
            absl::StatusCode::kNotFound);
}

// --- as a route file
// ----------------------------------------------------------

std::string Announce(const std::string& peer, uint8_t length,
                     const std::string& prefix, const std::string& next_hop) {
  return Mrt(
      mrt::kBgp4mp, 4,
      Bgp4mpBody(true, 64500,
                 Update("", BasicAttrs(next_hop), Nlri(length, prefix)), peer));
}

std::string Withdraw(const std::string& peer, uint8_t length,
                     const std::string& prefix) {
  return Mrt(
      mrt::kBgp4mp, 4,
      Bgp4mpBody(true, 64500, Update(Nlri(length, prefix), "", ""), peer));
}

std::vector<std::string> RouteStrings(const LoadResult& r) {
  std::vector<std::string> out;
  for (const Route& route : r.routes) {
    out.push_back(absl::StrCat(route.prefix.ToString(), " via ",
                               route.next_hop.GatewayString()));
  }
  return out;
}

TEST(MrtLoaderTest, UpdatesApplyInOrderPerPeer) {
  const std::string p1 = Ip4(192, 0, 2, 1), p2 = Ip4(192, 0, 2, 2);
  const std::string bytes =
      Announce(p1, 8, Ip4(10, 0, 0, 0), Ip4(192, 0, 2, 1)) +    // 1
      Announce(p1, 16, Ip4(10, 1, 0, 0), Ip4(192, 0, 2, 1)) +   // 2
      Announce(p2, 16, Ip4(10, 1, 0, 0), Ip4(192, 0, 2, 2)) +   // 3
      Withdraw(p1, 16, Ip4(10, 1, 0, 0)) +                      // 4
      Announce(p1, 8, Ip4(10, 0, 0, 0), Ip4(192, 0, 2, 7)) +    // 5: replaces 1
      Announce(p2, 24, Ip4(10, 2, 3, 0), Ip4(192, 0, 2, 2)) +   // 6
      StateChange(64500, p2, 6, 1) +                            // 7: p2 down
      Announce(p2, 12, Ip4(10, 16, 0, 0), Ip4(192, 0, 2, 2)) +  // 8
      Announce(Ip6("2001:db8::1"), 8, Ip4(11, 0, 0, 0), Ip4(192, 0, 2, 3));
  absl::StatusOr<LoadResult> r = ParseRoutes(bytes, "u.mrt", {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->format, RouteFormat::kMrt);
  EXPECT_THAT(RouteStrings(*r), ElementsAre("10.0.0.0/8 via 192.0.2.7",
                                            "10.16.0.0/12 via 192.0.2.2",
                                            "11.0.0.0/8 via 192.0.2.3"));
  EXPECT_THAT(r->lines, ElementsAre(5, 8, 9));  // record numbers
  // Withdrawing everything leaves no table: an error, as for text files.
  absl::StatusOr<LoadResult> empty =
      ParseRoutes(Announce(p1, 8, Ip4(10, 0, 0, 0), Ip4(192, 0, 2, 1)) +
                      Withdraw(p1, 8, Ip4(10, 0, 0, 0)),
                  "w.mrt", {});
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(std::string(empty.status().message()),
              HasSubstr("w.mrt: no routes"));
}

// A new announcement replaces the peer's route even when it carries no
// IPv4 next hop (counted and skipped): the old route must not stay.
TEST(MrtLoaderTest, AnAnnouncementWithoutIpv4NextHopStillReplaces) {
  const std::string p1 = Ip4(192, 0, 2, 1);
  const std::string no_next_hop =
      Attr(1, U8(0)) + Attr(2, Segment(2, {64500, 3356}, true));
  const std::string bytes =
      Announce(p1, 8, Ip4(10, 0, 0, 0), Ip4(192, 0, 2, 1)) +
      Announce(p1, 8, Ip4(11, 0, 0, 0), Ip4(192, 0, 2, 1)) +
      Mrt(mrt::kBgp4mp, 4,
          Bgp4mpBody(true, 64500,
                     Update("", no_next_hop, Nlri(8, Ip4(10, 0, 0, 0))), p1));
  absl::StatusOr<LoadResult> r = ParseRoutes(bytes, "u.mrt", {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(RouteStrings(*r), ElementsAre("11.0.0.0/8 via 192.0.2.1"));
}

// IPv6 UPDATEs (MP_REACH / MP_UNREACH) apply in order per peer, as IPv4
// ones do: announce, replace, withdraw; an IPv6 prefix with an IPv4 next
// hop is an announcement without a usable route (skipped, counted).
TEST(MrtLoaderTest, Ipv6UpdatesApplyInOrder) {
  const auto update6 = [](const std::string& reach,
                          const std::string& unreach) {
    std::string attrs = Attr(1, U8(0)) + Attr(2, Segment(2, {64500}, true));
    if (!reach.empty()) attrs += Attr(14, reach, 0x80);
    if (!unreach.empty()) attrs += Attr(15, unreach, 0x80);
    return Mrt(
        mrt::kBgp4mp, 4,
        Bgp4mpBody(true, 64500, Update("", attrs, ""), Ip6("2001:db8::ffff")));
  };
  const auto reach = [](const std::string& next_hop, uint8_t len,
                        const std::string& prefix) {
    return U16(2) + U8(1) + U8(16) + Ip6(next_hop) + U8(0) +
           Nlri(len, Ip6(prefix));
  };
  const std::string bytes =
      update6(reach("2001:db8::1", 32, "2001:db8::"), "") +
      update6(reach("2001:db8::1", 48, "2001:db8:1::"), "") +
      update6(reach("2001:db8::2", 32, "2001:db8::"), "") +  // replaces
      update6("", U16(2) + U8(1) + Nlri(48, Ip6("2001:db8:1::"))) +
      update6(reach("2001:db8::3", 40, "2001:db8:200::"), "") +
      update6(U16(2) + U8(1) + U8(4) + Ip4(192, 0, 2, 1) + U8(0) +
                  Nlri(40, Ip6("2001:db8:200::")),
              "");  // an IPv4 next hop: the /40 goes
  absl::StatusOr<LoadResult> r = ParseRoutes(
      Announce(Ip4(192, 0, 2, 1), 8, Ip4(10, 0, 0, 0), Ip4(192, 0, 2, 1)) +
          bytes,
      "u.mrt", {});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->routes6.size(), 1u);
  EXPECT_EQ(r->routes6[0].prefix.ToString(), "2001:db8::/32");
  EXPECT_EQ(r->routes6[0].GatewayString(), "2001:db8::2");
  EXPECT_EQ(r->lines6[0], 4);  // the record that announced it last
  EXPECT_EQ(r->routes.size(), 1u);
  EXPECT_THAT(r->warnings,
              ::testing::Contains(HasSubstr(
                  "1 announcements of IPv6 prefixes without an IPv6 next "
                  "hop skipped")));
}

TEST(MrtLoaderTest, RibDumpLoadsIpv4AndIpv6) {
  absl::StatusOr<LoadResult> r =
      LoadRouteFile(SourcePath("tests/data/mrt/quagga_rib"), {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->format, RouteFormat::kMrt);
  EXPECT_THAT(RouteStrings(*r), ElementsAre("172.17.0.0/24 via 192.168.0.10",
                                            "172.17.1.0/24 via 192.168.0.10",
                                            "172.17.2.0/24 via 192.168.0.10"));
  // bgpdump -m prints the same 6 IPv6 entries: each prefix from two
  // peers, the IPv4 peer's next hop as an IPv4-mapped IPv6 address.
  std::vector<std::string> v6;
  for (const Route6& route : r->routes6) {
    v6.push_back(
        absl::StrCat(route.prefix.ToString(), " via ", route.GatewayString()));
  }
  EXPECT_THAT(v6, ElementsAre("fd01:1::/64 via fd02::10",
                              "fd01:1::/64 via ::ffff:192.168.0.10",
                              "fd01:1:1::/64 via fd02::10",
                              "fd01:1:1::/64 via ::ffff:192.168.0.10",
                              "fd01:1:2::/64 via fd02::10",
                              "fd01:1:2::/64 via ::ffff:192.168.0.10"));
  // And `bgpdump -m quagga_rib` (saved) loads to the same routes.
  absl::StatusOr<LoadResult> text =
      LoadRouteFile(SourcePath("tests/data/quagga_rib.bgpdump.txt"), {});
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(text->routes, r->routes);
  EXPECT_EQ(text->routes6, r->routes6);
  // Forced on text, the MRT parser fails naming the record; text forced
  // on MRT bytes is refused as binary.
  absl::StatusOr<LoadResult> forced = ParseRoutes(
      "10.0.0.0/8 192.0.2.1\n", "t.txt", {.format = RouteFormat::kMrt});
  ASSERT_FALSE(forced.ok());
  EXPECT_THAT(std::string(forced.status().message()),
              HasSubstr("t.txt: record 1 at byte 0"));
  absl::StatusOr<LoadResult> binary =
      ParseRoutes(FileBytes(SourcePath("tests/data/mrt/quagga_rib")), "q",
                  {.format = RouteFormat::kCidr});
  ASSERT_FALSE(binary.ok());
  EXPECT_THAT(std::string(binary.status().message()),
              HasSubstr("binary data (a NUL byte)"));
  EXPECT_EQ(*ParseFormatName("mrt"), RouteFormat::kMrt);
  EXPECT_EQ(FormatName(RouteFormat::kMrt), "mrt");
}

// A real IPv6 RIB (RIPE RIS): one prefix from 23 peers, as `bgpdump -m
// bview.64k_stream_overflow.gz | cut -d'|' -f6,9 | sort -u` lists them.
TEST(MrtLoaderTest, RealIpv6Rib) {
  absl::StatusOr<LoadResult> r = LoadRouteFile(
      SourcePath("tests/data/mrt/bview.64k_stream_overflow.gz"), {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->routes.empty());
  EXPECT_EQ(r->routes6.size(), 23u);
}

TEST(MrtLoaderTest, AllSkippedSaysWhat) {
  absl::StatusOr<LoadResult> r =
      LoadRouteFile(SourcePath("tests/data/mrt/openbgpd_rib_table-mp"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("skipped 31 records of BGP4MP subtype 2"));
}

// --- the CLI
// --------------------------------------------------------------------

struct CliRun {
  int exit_code;
  std::string out;
  std::string err;
};

CliRun Cli(const std::string& args) {
  const std::string out = WriteTemp("cli.out", ""),
                    err = WriteTemp("cli.err", "");
  const std::string cmd = std::string("cd ") + NEXTHOP_SOURCE_DIR + " && " +
                          NEXTHOP_CLI + " " + args + " </dev/null >" + out +
                          " 2>" + err;
  const int status = std::system(cmd.c_str());
  return CliRun{WIFEXITED(status) ? WEXITSTATUS(status) : -1, FileBytes(out),
                FileBytes(err)};
}

TEST(MrtCliTest, LookupAndPrint) {
  CliRun r =
      Cli("lookup --table tests/data/mrt/quagga_rib 172.17.1.5 8.8.8.8 "
          "fd01:1:1::5");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // Of the IPv6 prefix's two next hops the lower address is forwarded.
  EXPECT_EQ(r.out,
            "172.17.1.5 via 192.168.0.10 matched 172.17.1.0/24 (ARP for "
            "192.168.0.10)\n8.8.8.8 unreachable: no route matches\n"
            "fd01:1:1::5 via ::ffff:192.168.0.10 matched fd01:1:1::/64 (NDP "
            "for ::ffff:192.168.0.10)\n");
  r =
      Cli("lookup --format mrt --table tests/data/mrt/updates.20160811.1600.bz2"
          " 185.80.128.1");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = Cli("mrt tests/data/mrt/quagga_bgp");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 38);
  EXPECT_THAT(r.err, HasSubstr("skipped 4 MP_REACH_NLRI AFI 1 SAFI 128"));
  EXPECT_EQ(Cli("mrt").exit_code, 2);
  r = Cli("mrt /nonexistent.mrt");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("/nonexistent.mrt: cannot open"));
  r = Cli("mrt README.md");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("README.md: not an MRT file"));
  const std::string cut = WriteTemp(
      "cut.mrt",
      FileBytes(SourcePath("tests/data/mrt/quagga_bgp")).substr(0, 700));
  r = Cli("lookup --table " + cut + " 172.17.1.5");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("runs past the end of the file"));
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace nexthop
