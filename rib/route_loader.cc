#include "rib/route_loader.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "rib/internal/parsers.h"

namespace nexthop {

absl::string_view FormatName(RouteFormat format) {
  switch (format) {
    case RouteFormat::kAuto:
      return "auto";
    case RouteFormat::kRouteN:
      return "route-n";
    case RouteFormat::kExercise:
      return "exercise";
    case RouteFormat::kIpRoute:
      return "ip";
    case RouteFormat::kCidr:
      return "cidr";
    case RouteFormat::kBgpdump:
      return "bgpdump";
  }
  return "?";
}

absl::StatusOr<RouteFormat> ParseFormatName(absl::string_view name) {
  for (RouteFormat f :
       {RouteFormat::kAuto, RouteFormat::kRouteN, RouteFormat::kExercise,
        RouteFormat::kIpRoute, RouteFormat::kCidr, RouteFormat::kBgpdump}) {
    if (name == FormatName(f)) return f;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown format '", name,
                   "' (choose auto, route-n, exercise, ip, cidr or bgpdump)"));
}

absl::StatusOr<LoadResult> ParseRoutes(absl::string_view text,
                                       absl::string_view source,
                                       const LoadOptions& options) {
  // A UTF-8 byte order mark (Windows editors write one) is not part of the
  // first line.
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  RouteFormat format = options.format;
  if (format == RouteFormat::kAuto) {
    absl::StatusOr<RouteFormat> detected = internal::DetectFormat(text, source);
    if (!detected.ok()) return detected.status();
    format = *detected;
  }
  LoadResult result;
  result.format = format;
  internal::ParseContext ctx(source, options, &result);
  absl::Status s;
  switch (format) {
    case RouteFormat::kAuto:
    case RouteFormat::kRouteN:
    case RouteFormat::kExercise:
      s = internal::ParseColumns(text, ctx);
      break;
    case RouteFormat::kIpRoute:
      s = internal::ParseIpRoute(text, ctx);
      break;
    case RouteFormat::kCidr:
      s = internal::ParseCidr(text, ctx);
      break;
    case RouteFormat::kBgpdump:
      s = internal::ParseBgpdump(text, ctx);
      break;
  }
  if (!s.ok()) {
    // A line of another format (a CIDR file read as exercise) fails with
    // that format's complaint; say what the line looks like instead.
    return internal::WithFormatHint(s, text, ctx.error_line(), format,
                                    options.format != RouteFormat::kAuto);
  }
  ctx.SummariseWarnings();
  // One rule for every format: a route table with no routes is an error,
  // whatever the file held instead (issue 13, item 11).
  if (result.routes.empty()) {
    return absl::InvalidArgumentError(
        result.skipped_ipv6 > 0
            ? absl::StrCat(source, ": no routes: its ", result.skipped_ipv6,
                           " prefixes are all IPv6, which nexthop skips "
                           "(IPv4 only)")
            : absl::StrCat(source,
                           ": no routes (only headers, comments or blank "
                           "lines)"));
  }
  return result;
}

absl::StatusOr<LoadResult> LoadRouteFile(const std::string& path,
                                         const LoadOptions& options) {
  absl::StatusOr<std::string> text = internal::ReadFileMaybeGzip(path);
  if (!text.ok()) return text.status();
  return ParseRoutes(*text, path, options);
}

}  // namespace nexthop
