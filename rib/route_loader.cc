#include "rib/route_loader.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "rib/internal/parsers.h"
#include "rib/internal/read_file.h"
#include "rib/mrt_reader.h"

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
    case RouteFormat::kMrt:
      return "mrt";
  }
  return "?";
}

absl::StatusOr<RouteFormat> ParseFormatName(absl::string_view name) {
  for (RouteFormat f :
       {RouteFormat::kAuto, RouteFormat::kRouteN, RouteFormat::kExercise,
        RouteFormat::kIpRoute, RouteFormat::kCidr, RouteFormat::kBgpdump,
        RouteFormat::kMrt}) {
    if (name == FormatName(f)) return f;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown format '", name,
      "' (choose auto, route-n, exercise, ip, cidr, bgpdump or mrt)"));
}

absl::StatusOr<LoadResult> ParseRoutes(absl::string_view text,
                                       absl::string_view source,
                                       const LoadOptions& options) {
  RouteFormat format = options.format;
  // MRT is binary: told by its first record header, before any text rule.
  if (format == RouteFormat::kAuto && mrt::LooksLikeMrt(text)) {
    format = RouteFormat::kMrt;
  }
  if (format != RouteFormat::kMrt) {
    if (const size_t nul = text.find('\0'); nul != std::string::npos) {
      const auto line = 1 + std::count(text.begin(), text.begin() + nul, '\n');
      return absl::InvalidArgumentError(absl::StrCat(
          source, ":", line, ": binary data (a NUL byte) in a route file"));
    }
  }
  // A UTF-8 byte order mark (Windows editors write one) is not part of the
  // first line.
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
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
    case RouteFormat::kMrt:
      s = internal::ParseMrt(text, source, ctx, result);
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
  if (result.routes.empty() && result.routes6.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ": no routes (only headers, comments or blank lines)"));
  }
  return result;
}

absl::StatusOr<LoadResult> LoadRouteFile(const std::string& path,
                                         const LoadOptions& options) {
  absl::StatusOr<std::string> text = internal::ReadFileDecompressed(path);
  if (!text.ok()) return text.status();
  return ParseRoutes(*text, path, options);
}

}  // namespace nexthop
