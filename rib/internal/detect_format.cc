// Guessing a route file's format from its first meaningful line.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "net/message_text.h"
#include "rib/internal/parsers.h"

namespace nexthop::internal {
namespace {

bool IsIpKeyword(absl::string_view f) {
  return f == "via" || f == "dev" || f == "proto" || f == "scope" ||
         f == "src" || f == "metric";
}

bool IsIpType(absl::string_view f) {
  return f == "unicast" || f == "unreachable" || f == "blackhole" ||
         f == "prohibit" || f == "local" || f == "broadcast" || f == "throw";
}

}  // namespace

std::optional<RouteFormat> DetectLineFormat(absl::string_view content) {
  std::vector<absl::string_view> f = SplitFields(content);
  if (f.empty()) return std::nullopt;
  if (content == "Kernel IP routing table" || IsRoute6Title(content) ||
      f[0] == "Destination" || LooksLikeRoute6Row(f)) {
    return RouteFormat::kRouteN;
  }
  if (absl::StrContains(content, '|')) return RouteFormat::kBgpdump;
  if (IsIpType(f[0]) || (f.size() > 1 && IsIpKeyword(f[1]))) {
    return RouteFormat::kIpRoute;
  }
  if (f.size() <= 2 && (absl::StrContains(f[0], '/') || IsIpv6(f[0]))) {
    return RouteFormat::kCidr;
  }
  if (f.size() >= 3 && LooksNumeric(f[2]) && absl::StrContains(f[2], '.')) {
    return RouteFormat::kRouteN;
  }
  return std::nullopt;
}

absl::StatusOr<RouteFormat> DetectFormat(absl::string_view text,
                                         absl::string_view source) {
  std::optional<RouteFormat> found;
  int found_line = 0;
  std::string first;
  ForEachLine(text, true, [&](int line, absl::string_view content) {
    found_line = line;
    first = std::string(content);
    found = DetectLineFormat(content);
    // Stop at the first meaningful line either way.
    return absl::CancelledError();
  }).IgnoreError();
  if (found) return *found;
  if (found_line == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ": no routes (the file is empty or all comments)"));
  }
  return absl::InvalidArgumentError(SafeForMessage(absl::StrCat(
      source, ":", found_line, ": cannot tell the table format from '", first,
      "'; pass --format (route-n, exercise, ip, cidr, bgpdump)")));
}

absl::Status WithFormatHint(const absl::Status& error, absl::string_view text,
                            int line, RouteFormat used, bool forced) {
  if (line <= 0) return error;
  // The line's content, and the first meaningful line (what auto-detection
  // looked at), as DetectFormat sees them.
  std::string content;
  int first_line = 0;
  ForEachLine(text, true, [&](int number, absl::string_view c) {
    if (first_line == 0) first_line = number;
    if (number < line) return absl::OkStatus();
    if (number == line) content = std::string(c);
    return absl::CancelledError();
  }).IgnoreError();
  std::optional<RouteFormat> looks = DetectLineFormat(content);
  // route-n and exercise are one parser: neither is a hint about the other.
  auto same = [](RouteFormat a, RouteFormat b) {
    auto columns = [](RouteFormat f) {
      return f == RouteFormat::kExercise ? RouteFormat::kRouteN : f;
    };
    return columns(a) == columns(b);
  };
  if (!looks || same(*looks, used)) return error;
  // A route-n-shaped line of three fields is the articles' table.
  if (*looks == RouteFormat::kRouteN && SplitFields(content).size() == 3) {
    looks = RouteFormat::kExercise;
  }
  std::string hint =
      absl::StrCat("; line ", line, " looks like the ", FormatName(*looks),
                   " format, not ", FormatName(used));
  if (forced) {
    absl::StrAppend(&hint, ": pass --format ", FormatName(*looks),
                    ", or leave --format out to detect it");
  } else {
    absl::StrAppend(&hint, " (detected from line ", first_line, ")");
  }
  return absl::Status(error.code(), absl::StrCat(error.message(), hint));
}

}  // namespace nexthop::internal
