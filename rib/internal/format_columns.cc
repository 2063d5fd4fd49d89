// `route -n` output and the articles' Destination/Gateway/Genmask tables,
// and the IPv6 `route -A inet6 -n` table beside them (format_route6_n.cc).
#include <array>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "rib/internal/parsers.h"

namespace nexthop::internal {
namespace {

enum Column {
  kDestination,
  kGateway,
  kGenmask,
  kFlags,
  kMetric,
  kRef,
  kUse,
  kIface
};
constexpr std::array<absl::string_view, 8> kNames = {
    "Destination", "Gateway", "Genmask", "Flags",
    "Metric",      "Ref",     "Use",     "Iface"};

absl::StatusOr<std::vector<Column>> ParseHeader(
    const std::vector<absl::string_view>& fields) {
  std::vector<Column> columns;
  for (absl::string_view f : fields) {
    auto it = std::find(kNames.begin(), kNames.end(), f);
    if (it == kNames.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown column '", f,
                       "' (known: ", absl::StrJoin(kNames, " "), ")"));
    }
    const Column c = static_cast<Column>(it - kNames.begin());
    if (std::find(columns.begin(), columns.end(), c) != columns.end()) {
      return absl::InvalidArgumentError(absl::StrCat("column '", f, "' twice"));
    }
    columns.push_back(c);
  }
  for (Column needed : {kDestination, kGateway, kGenmask}) {
    if (std::find(columns.begin(), columns.end(), needed) == columns.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("header lacks the '", kNames[needed], "' column"));
    }
  }
  return columns;
}

// The columns rows are read by, and where they came from (for messages).
struct Layout {
  std::vector<Column> columns;
  int line = 0;  // of the header, or of the first row
  bool header = false;
};

// Without a header: the articles' three columns, or what route -n prints.
constexpr std::array<Column, 3> kExerciseColumns = {kDestination, kGateway,
                                                    kGenmask};
constexpr std::array<Column, 8> kRouteNColumns = {
    kDestination, kGateway, kGenmask, kFlags, kMetric, kRef, kUse, kIface};

std::string ColumnNames(std::span<const Column> columns) {
  return absl::StrJoin(columns, " ", [](std::string* out, Column c) {
    absl::StrAppend(out, kNames[c]);
  });
}

absl::Status ParseRow(const Layout& layout,
                      const std::vector<absl::string_view>& fields, int line,
                      ParseContext& ctx) {
  const std::vector<Column>& columns = layout.columns;
  if (fields.size() != columns.size()) {
    // Say which columns, and why those: a count alone ("expected 8") does
    // not tell a user that the file is in another format.
    return ctx.Error(
        line,
        absl::StrCat("expected ", columns.size(), " columns, found ",
                     fields.size(), " (",
                     layout.header ? "the header on line " : "as on line ",
                     layout.line, ": ", ColumnNames(columns), ")"));
  }
  absl::string_view destination, genmask;
  NextHop next_hop;
  uint32_t metric = 0;
  for (size_t i = 0; i < columns.size(); ++i) {
    const absl::string_view f = fields[i];
    absl::Status s;
    switch (columns[i]) {
      case kDestination:
        destination = f;
        break;
      case kGenmask:
        genmask = f;
        break;
      case kGateway:
        s = ParseGateway(f, &next_hop);
        break;
      case kFlags:
        if (f.find('!') != absl::string_view::npos) {
          s = absl::InvalidArgumentError(
              "reject routes (flag '!') are not supported");
        } else if (f.find_first_not_of("UGHRDMACn") !=
                   absl::string_view::npos) {
          s = absl::InvalidArgumentError(
              absl::StrCat("invalid flags '", f, "'"));
        }
        break;
      case kMetric: {
        absl::StatusOr<uint32_t> m = ParseMetric(f);
        if (m.ok()) metric = *m;
        s = m.status();
        break;
      }
      case kRef:
      case kUse:
        if (!ParseMetric(f).ok()) {
          s = absl::InvalidArgumentError(
              absl::StrCat("invalid counter '", f, "'"));
        }
        break;
      case kIface: {
        absl::StatusOr<std::string> dev = ParseDev(f);
        if (dev.ok()) next_hop.dev = *dev;
        s = dev.status();
        break;
      }
    }
    if (!s.ok()) return ctx.Error(line, s);
  }
  absl::StatusOr<ParsedPrefix> parsed =
      ParseDestinationAndMask(destination, genmask, ctx.policy());
  if (!parsed.ok()) return ctx.Error(line, parsed.status());
  return ctx.Add(line, *parsed, std::move(next_hop), metric,
                 absl::StrCat(destination, " ", genmask));
}

}  // namespace

absl::Status ParseColumns(absl::string_view text, ParseContext& ctx) {
  std::optional<Layout> layout;
  bool ipv6_header = false;
  return ForEachLine(text, true, [&](int line, absl::string_view content) {
    if (content == "Kernel IP routing table" || IsRoute6Title(content)) {
      return absl::OkStatus();
    }
    std::vector<absl::string_view> fields = SplitFields(content);
    if (fields.size() > 1 && fields[0] == "Destination" &&
        fields[1] == "Next") {
      if (ipv6_header) return ctx.Error(line, "a second IPv6 header line");
      if (absl::Status s = CheckRoute6Header(fields); !s.ok()) {
        return ctx.Error(line, s);
      }
      ipv6_header = true;
      return absl::OkStatus();
    }
    // IPv6 rows have their own 7 columns, whatever the IPv4 layout is.
    if (ipv6_header || LooksLikeRoute6Row(fields)) {
      if (IsIpv6(fields[0])) return ParseRoute6Row(fields, line, ctx);
    }
    if (fields[0] == "Destination") {
      if (layout) return ctx.Error(line, "a second header line");
      absl::StatusOr<std::vector<Column>> header = ParseHeader(fields);
      if (!header.ok()) return ctx.Error(line, header.status());
      layout = Layout{*std::move(header), line, /*header=*/true};
      return absl::OkStatus();
    }
    if (!layout) {
      // No header: the articles' three columns, or the layout route -n
      // prints; the first row decides for the rest.
      if (fields.size() == kExerciseColumns.size()) {
        layout =
            Layout{{kExerciseColumns.begin(), kExerciseColumns.end()}, line};
      } else if (fields.size() == kRouteNColumns.size()) {
        layout = Layout{{kRouteNColumns.begin(), kRouteNColumns.end()}, line};
      } else {
        return ctx.Error(
            line, absl::StrCat("expected ", kExerciseColumns.size(),
                               " columns (", ColumnNames(kExerciseColumns),
                               ") or ", kRouteNColumns.size(), " (",
                               ColumnNames(kRouteNColumns), "), found ",
                               fields.size()));
      }
    }
    return ParseRow(*layout, fields, line, ctx);
  });
}

}  // namespace nexthop::internal
