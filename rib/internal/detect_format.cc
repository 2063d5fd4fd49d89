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

absl::StatusOr<RouteFormat> DetectFormat(absl::string_view text,
                                         absl::string_view source) {
  std::optional<RouteFormat> found;
  int found_line = 0;
  std::string first;
  ForEachLine(text, true, [&](int line, absl::string_view content) {
    found_line = line;
    first = std::string(content);
    std::vector<absl::string_view> f = SplitFields(content);
    if (content == "Kernel IP routing table" || f[0] == "Destination") {
      found = RouteFormat::kRouteN;
    } else if (absl::StrContains(content, '|')) {
      found = RouteFormat::kBgpdump;
    } else if (IsIpType(f[0]) || (f.size() > 1 && IsIpKeyword(f[1]))) {
      found = RouteFormat::kIpRoute;
    } else if (f.size() <= 2 &&
               (absl::StrContains(f[0], '/') || IsIpv6(f[0]))) {
      found = RouteFormat::kCidr;
    } else if (f.size() >= 3 && LooksNumeric(f[2]) &&
               absl::StrContains(f[2], '.')) {
      found = RouteFormat::kRouteN;
    }
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

}  // namespace nexthop::internal
