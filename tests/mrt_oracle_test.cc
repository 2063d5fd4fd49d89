// The MRT reader against Debian's bgpdump 1.6 (`bgpdump -m -p`), record by
// record, on every MRT file the project has: tests/data/mrt/, the bench's
// BGP4MP_ET stream, and ../shared/data/mrt/ (and its daemons/) when that
// exists. Each bgpdump line must equal nexthop's rendering of the same
// record (`-p` puts bgpdump's record index in field 2), except for the
// differences tests/data/mrt/README.md documents, which are checked to be
// exactly those. Skips, saying why, when bgpdump is not installed.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "rib/mrt_reader.h"
#include "rib/mrt_text.h"
#include "tests/mrt_builder.h"
#include "tests/test_data.h"

namespace nexthop {
namespace {

using testing::SourcePath;

std::vector<std::string> MrtFiles() {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  std::set<std::string> names;
  const auto add_dir = [&](const std::string& dir) {
    std::error_code ec;
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      const std::string name = entry.path().filename().string();
      if (!entry.is_regular_file() || name == "README.md") continue;
      found.push_back(entry.path().string());
    }
    std::sort(found.begin(), found.end());
    for (const std::string& f : found) {
      if (names.insert(fs::path(f).filename().string()).second) {
        files.push_back(f);
      }
    }
  };
  add_dir(SourcePath("tests/data/mrt"));
  files.push_back(SourcePath("bench/data/updates.et-header.2015.gz"));
  names.insert("updates.et-header.2015.gz");
  add_dir(SourcePath("../shared/data/mrt"));
  add_dir(SourcePath("../shared/data/mrt/daemons"));
  return files;
}

std::string Bgpdump() {
  for (const char* p : {"/usr/bin/bgpdump", "/usr/local/bin/bgpdump"}) {
    if (std::filesystem::exists(p)) return p;
  }
  return "";
}

std::vector<std::string> RunBgpdump(const std::string& path) {
  std::vector<std::string> lines;
  const std::string cmd =
      absl::StrCat(Bgpdump(), " -q -m -p '", path, "' 2>/dev/null");
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return lines;
  std::string line;
  char buf[1 << 16];
  while (std::fgets(buf, sizeof(buf), p) != nullptr) {
    line += buf;
    if (!line.empty() && line.back() == '\n') {
      line.pop_back();
      lines.push_back(std::move(line));
      line.clear();
    }
  }
  pclose(p);
  return lines;
}

struct Ours {
  std::vector<std::string> lines;
  absl::Status status;
  mrt::ReaderStats stats;
};

// nexthop's lines, with bgpdump's record index after the type: bgpdump
// counts the records it returns from 0, and neither PEER_INDEX_TABLEs
// (kept to itself) nor ROUTE-REFRESH messages (which it logs as "not
// implemented yet" and drops) are among them.
Ours RunReader(const std::string& path) {
  Ours ours;
  absl::StatusOr<mrt::Reader> reader = mrt::Reader::Open(path);
  if (!reader.ok()) {
    ours.status = reader.status();
    return ours;
  }
  mrt::Record record;
  uint64_t uncounted = 0;
  while (true) {
    absl::StatusOr<bool> more = reader->Next(record);
    if (!more.ok()) {
      ours.status = more.status();
      break;
    }
    if (!*more) break;
    if ((record.type == mrt::kTableDumpV2 && record.subtype == 1) ||
        record.bgp_type == 5) {
      ++uncounted;
    }
    const uint64_t index = record.number - 1 - uncounted;
    for (const std::string& line : mrt::BgpdumpLines(record)) {
      const size_t bar = line.find('|');
      ours.lines.push_back(
          absl::StrCat(line.substr(0, bar), "|", index, line.substr(bar)));
    }
  }
  ours.stats = reader->stats();
  return ours;
}

// bgpdump's reading of an 8-byte (4-byte ASN) AGGREGATOR as the 6-byte
// form: the ASN's high half, then an address of its low half and the
// address's high half.
std::string MisreadAggregator(absl::string_view ours) {
  std::vector<std::string> f = absl::StrSplit(ours, ' ');
  uint32_t asn = 0;
  uint32_t a[4] = {};
  if (f.size() != 2 || !absl::SimpleAtoi(f[0], &asn) ||
      std::sscanf(f[1].c_str(), "%u.%u.%u.%u", &a[0], &a[1], &a[2], &a[3]) !=
          4) {
    return "";
  }
  return absl::StrCat(asn >> 16, " ", (asn >> 8) & 0xFF, ".", asn & 0xFF, ".",
                      a[0], ".", a[1]);
}

// Empty when the lines agree, or differ only as tests/data/mrt/README.md
// says bgpdump goes wrong; else what differs.
std::string Difference(const std::string& theirs, const std::string& ours) {
  if (theirs == ours) return "";
  std::vector<std::string> t = absl::StrSplit(theirs, '|');
  std::vector<std::string> o = absl::StrSplit(ours, '|');
  if (t.size() != o.size()) return "different fields";
  const size_t k = 7 + (absl::EndsWith(t[0], "_AP") ? 1 : 0);
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == o[i]) continue;
    const bool documented =
        t.size() >= 16 &&
        ((i == k + 1 && t[i] == "INCOMPLETE" && o[i].empty()) ||
         (i == k + 2 && t[i] == "255.255.255.255" && o[i].empty()) ||
         (i == k + 7 && t[0] == "TABLE_DUMP" &&
          t[i] == MisreadAggregator(o[i])));
    if (!documented) {
      return absl::StrCat("field ", i + 1, ": bgpdump '", t[i], "', nexthop '",
                          o[i], "'");
    }
  }
  return "";
}

// Compares bgpdump's lines for `path` with nexthop's; returns the number
// of lines (fails the test on any undocumented difference).
size_t CompareWithBgpdump(const std::string& path) {
  const std::vector<std::string> theirs = RunBgpdump(path);
  const Ours ours = RunReader(path);
  EXPECT_TRUE(ours.status.ok()) << ours.status;
  size_t documented = 0;
  for (size_t i = 0; i < std::min(theirs.size(), ours.lines.size()); ++i) {
    const std::string why = Difference(theirs[i], ours.lines[i]);
    EXPECT_EQ(why, "") << path << " line " << i + 1
                       << "\n  bgpdump: " << theirs[i]
                       << "\n  nexthop: " << ours.lines[i];
    if (!why.empty()) return 0;
    documented += theirs[i] != ours.lines[i];
  }
  EXPECT_EQ(ours.lines.size(), theirs.size()) << path;
  std::string skipped;
  for (const auto& [why, n] : ours.stats.skipped) {
    absl::StrAppend(&skipped, "; skipped ", n, " ", why);
  }
  std::printf(
      "%s: %zu records, %zu lines as bgpdump's (%zu with a "
      "documented difference)%s\n",
      std::filesystem::path(path).filename().c_str(),
      static_cast<size_t>(ours.stats.records), ours.lines.size(), documented,
      skipped.c_str());
  return ours.lines.size();
}

#define SKIP_WITHOUT_BGPDUMP()                                           \
  if (Bgpdump().empty()) {                                               \
    GTEST_SKIP() << "bgpdump is not installed (Debian: apt-get install " \
                    "bgpdump; scripts/install-deps.sh installs it)";     \
  }

class MrtOracleTest : public ::testing::TestWithParam<std::string> {};

TEST_P(MrtOracleTest, SameLinesAsBgpdump) {
  SKIP_WITHOUT_BGPDUMP();
  CompareWithBgpdump(GetParam());
}

INSTANTIATE_TEST_SUITE_P(EveryFile, MrtOracleTest,
                         ::testing::ValuesIn(MrtFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name =
                               std::filesystem::path(info.param).filename();
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c)))
                               c = '_';
                           }
                           return absl::StrCat(name, "_", info.index);
                         });

// What the real files lack, built byte by byte and put to bgpdump too:
// TABLE_DUMP for IPv6, 2-byte sessions with AS4_PATH and AS4_AGGREGATOR,
// sets and confederations, sent (LOCAL) messages, ADD-PATH updates and
// RIB entries, IPv4 in MP_REACH/MP_UNREACH, multicast, ATOMIC_AGGREGATE.
TEST(MrtOracleSyntheticTest, RecordKindsTheFilesLack) {
  SKIP_WITHOUT_BGPDUMP();
  using testing::Attr;
  using testing::Bgp4mpBody;
  using testing::Ip4;
  using testing::Ip6;
  using testing::Mrt;
  using testing::Nlri;
  using testing::Segment;
  using testing::U16;
  using testing::U32;
  using testing::U8;
  using testing::Update;
  const std::string peer = Ip4(192, 0, 2, 1);
  const std::string v4_nlri =
      Nlri(8, Ip4(10, 0, 0, 0)) + Nlri(22, Ip4(198, 51, 100, 0));
  std::string file;
  // TABLE_DUMP, AFI IPv6: MP_REACH_NLRI in full, as writers of v1 put it.
  const std::string td6_attrs =
      Attr(1, U8(0)) + Attr(2, Segment(2, {64500, 64501}, false)) +
      Attr(14,
           U16(2) + U8(1) + U8(16) + Ip6("2001:db8::1") + U8(0) +
               Nlri(32, Ip6("2001:db8::")),
           0x80);
  file += Mrt(mrt::kTableDump, 2,
              U16(0) + U16(1) + Ip6("2001:db8::") + U8(32) + U8(1) + U32(1000) +
                  Ip6("2001:db8::1") + U16(64500) +
                  U16(static_cast<uint16_t>(td6_attrs.size())) + td6_attrs);
  // A 2-byte session: AS4_PATH and AS4_AGGREGATOR restore the real ASNs.
  file +=
      Mrt(mrt::kBgp4mp, 1,
          Bgp4mpBody(
              false, 64500,
              Update("",
                     Attr(1, U8(1)) +
                         Attr(2, Segment(2, {64500, 23456, 23456}, false) +
                                     Segment(1, {23456, 3}, false)) +
                         Attr(3, Ip4(192, 0, 2, 1)) + Attr(6, "") +
                         Attr(7, U16(23456) + Ip4(192, 0, 2, 8), 0xC0) +
                         Attr(17,
                              Segment(2, {4200000000u, 4200000001u}, true) +
                                  Segment(1, {4200000002u, 3}, true),
                              0xC0) +
                         Attr(18, U32(4200000003u) + Ip4(192, 0, 2, 8), 0xC0),
                     v4_nlri),
              peer));
  // Confederation segments; a message the dumping router sent (LOCAL).
  file +=
      Mrt(mrt::kBgp4mp, 7,
          Bgp4mpBody(true, 64500,
                     Update("",
                            Attr(1, U8(2)) +
                                Attr(2, Segment(3, {65001, 65002}, true) +
                                            Segment(4, {65003, 65004}, true) +
                                            Segment(2, {64500}, true)) +
                                Attr(3, Ip4(192, 0, 2, 254)),
                            Nlri(24, Ip4(203, 0, 113, 0))),
                     peer));
  // BGP4MP_ET with ADD-PATH: path identifiers on withdrawn routes and NLRI.
  const std::string ap_withdrawn = U32(7) + Nlri(16, Ip4(10, 9, 0, 0));
  const std::string ap_nlri =
      U32(1) + Nlri(16, Ip4(10, 8, 0, 0)) + U32(2) + Nlri(16, Ip4(10, 8, 0, 0));
  file +=
      Mrt(mrt::kBgp4mpEt, 9,
          U32(123456) +
              Bgp4mpBody(true, 4200000000u,
                         Update(ap_withdrawn,
                                Attr(1, U8(0)) +
                                    Attr(2, Segment(2, {4200000000u}, true)) +
                                    Attr(3, Ip4(192, 0, 2, 1)),
                                ap_nlri),
                         peer));
  // IPv4 in MP_REACH/MP_UNREACH, unicast and multicast.
  file += Mrt(
      mrt::kBgp4mp, 4,
      Bgp4mpBody(
          true, 64500,
          Update("",
                 Attr(1, U8(0)) + Attr(2, Segment(2, {64500}, true)) +
                     Attr(14,
                          U16(1) + U8(1) + U8(4) + Ip4(192, 0, 2, 77) + U8(0) +
                              Nlri(12, Ip4(172, 16, 0, 0)),
                          0x80) +
                     Attr(15, U16(1) + U8(2) + Nlri(8, Ip4(11, 0, 0, 0)), 0x80),
                 ""),
          peer));
  // TABLE_DUMP_V2 with ADD-PATH RIB entries.
  file += Mrt(mrt::kTableDumpV2, 1,
              Ip4(10, 0, 0, 1) + U16(0) + U16(1) + U8(2) + Ip4(1, 1, 1, 1) +
                  Ip4(192, 0, 2, 1) + U32(4200000000u));
  const std::string rib_attrs = Attr(1, U8(0)) +
                                Attr(2, Segment(2, {4200000000u}, true)) +
                                Attr(3, Ip4(192, 0, 2, 1));
  const std::string entry = U16(0) + U32(5) + U32(42) +
                            U16(static_cast<uint16_t>(rib_attrs.size())) +
                            rib_attrs;
  file += Mrt(mrt::kTableDumpV2, 8,
              U32(0) + Nlri(20, Ip4(100, 64, 0, 0)) + U16(2) + entry + entry);
  const std::string path =
      ::testing::TempDir() + "/synthetic." + std::to_string(getpid()) + ".mrt";
  std::ofstream(path, std::ios::binary) << file;
  EXPECT_EQ(CompareWithBgpdump(path), 11u);
  std::filesystem::remove(path);
}

// The comparison can fail: a changed next hop, AS path or kind is caught.
TEST(MrtOracleDifferenceTest, CatchesWhatMatters) {
  const std::string line =
      "BGP4MP|3|1470931200|A|192.0.2.1|64500|198.51.100.0/24|64500 3356|IGP|"
      "192.0.2.1|0|0||NAG||";
  EXPECT_EQ(Difference(line, line), "");
  for (const auto& [from, to] :
       std::vector<std::pair<std::string, std::string>>{
           {"|192.0.2.1|0|0|", "|192.0.2.9|0|0|"},
           {"64500 3356", "64500 3357"},
           {"|A|", "|W|"},
           {"|IGP|", "|EGP|"},
           {"|3|", "|4|"},
       }) {
    std::string changed = line;
    changed.replace(changed.find(from), from.size(), to);
    EXPECT_NE(Difference(line, changed), "") << to;
  }
  // The documented ones, and only where documented.
  std::string no_origin = line;
  no_origin.replace(no_origin.find("|IGP|"), 5, "||");
  std::string incomplete = line;
  incomplete.replace(incomplete.find("|IGP|"), 5, "|INCOMPLETE|");
  EXPECT_EQ(Difference(incomplete, no_origin), "");
  EXPECT_NE(Difference(line, no_origin), "");
  EXPECT_EQ(MisreadAggregator("65000 192.168.0.15"), "0 253.232.192.168");
}

}  // namespace
}  // namespace nexthop
