// `route -n` output and the articles' Destination/Gateway/Genmask tables.
#include <array>
#include <optional>

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

absl::Status ParseRow(const std::vector<Column>& columns,
                      const std::vector<absl::string_view>& fields, int line,
                      ParseContext& ctx) {
  if (fields.size() != columns.size()) {
    return ctx.Error(line, absl::StrCat("expected ", columns.size(),
                                        " columns, found ", fields.size()));
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
  std::optional<std::vector<Column>> columns;
  return ForEachLine(text, true, [&](int line, absl::string_view content) {
    if (content == "Kernel IP routing table") return absl::OkStatus();
    std::vector<absl::string_view> fields = SplitFields(content);
    if (fields[0] == "Destination") {
      if (columns) return ctx.Error(line, "a second header line");
      absl::StatusOr<std::vector<Column>> header = ParseHeader(fields);
      if (!header.ok()) return ctx.Error(line, header.status());
      columns = *std::move(header);
      return absl::OkStatus();
    }
    if (!columns) {
      // No header: the layout route -n prints, or the articles' three
      // columns.
      if (fields.size() == 3) {
        columns = {kDestination, kGateway, kGenmask};
      } else {
        columns = {kDestination, kGateway, kGenmask, kFlags,
                   kMetric,      kRef,     kUse,     kIface};
      }
    }
    return ParseRow(*columns, fields, line, ctx);
  });
}

}  // namespace nexthop::internal
