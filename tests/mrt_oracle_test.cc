// The MRT reader against Debian's bgpdump 1.6 (`bgpdump -m -p`), record by
// record, on every MRT file the project has: tests/data/mrt/, the bench's
// BGP4MP_ET stream, and ../shared/data/mrt/ (and its daemons/) when that
// exists. Each bgpdump line must equal nexthop's rendering of the same
// record (`-p` puts bgpdump's record index in field 2), except for the
// differences tests/data/mrt/README.md documents, which are checked to be
// exactly those. Skips, saying why, when bgpdump is not installed.
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "rib/mrt_reader.h"
#include "rib/mrt_text.h"
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

class MrtOracleTest : public ::testing::TestWithParam<std::string> {};

TEST_P(MrtOracleTest, SameLinesAsBgpdump) {
  if (Bgpdump().empty()) {
    GTEST_SKIP() << "bgpdump is not installed (Debian: apt-get install "
                    "bgpdump; scripts/install-deps.sh installs it)";
  }
  const std::string& path = GetParam();
  const std::vector<std::string> theirs = RunBgpdump(path);
  const Ours ours = RunReader(path);
  ASSERT_TRUE(ours.status.ok()) << ours.status;
  size_t documented = 0;
  for (size_t i = 0; i < std::min(theirs.size(), ours.lines.size()); ++i) {
    const std::string why = Difference(theirs[i], ours.lines[i]);
    ASSERT_EQ(why, "") << path << " line " << i + 1
                       << "\n  bgpdump: " << theirs[i]
                       << "\n  nexthop: " << ours.lines[i];
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
