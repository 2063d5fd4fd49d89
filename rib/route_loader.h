// Loading route tables from the text formats operators actually have.
//
// Formats (auto-detected from the first meaningful line, or forced):
//   route-n   `route -n` / `netstat -rn` output: Destination Gateway Genmask
//             [Flags Metric Ref Use Iface], with or without the header;
//             and `route -A inet6 -n` (Destination, Next Hop, Flag, Met,
//             Ref, Use, If).
//   exercise  the articles' table: Destination Gateway Genmask, where the
//             gateway may be a symbolic name (A, B, ...) and the
//             destination `default`. Same parser as route-n.
//   ip        `ip route show`: `default via X dev Y`, `P dev Y proto kernel
//             scope link src Z`, `P via X [dev Y] [metric M]`.
//   cidr      one prefix a line with an optional next-hop column, e.g.
//             `1.0.0.0/24\t8419` (the bundled table).
//   bgpdump   `bgpdump -m` lines: prefix in field 6, next hop in field 9.
//   mrt       binary MRT (RFC 6396: RIB dumps and BGP update streams, as
//             rib/mrt_reader.h reads them), detected from its record
//             header; events apply in order (rib/internal/format_mrt.cc),
//             and LoadResult::lines holds record numbers.
// Files may be gzip- or bzip2-compressed. '#' starts a comment in every format
// but bgpdump. IPv6 routes load into `routes6` from every format but the
// articles' table: `ip -6 route` and `ip route` output mixing both families
// (a route is IPv6 when its destination or gateway is, or ip prints `pref`,
// which it does for IPv6 only; `default` is then ::/0), `route -A inet6
// -n` / `route -6 -n` (its own header and 7 columns, after or without an
// IPv4 `route -n` table; the reject route `!n` every Linux table shows is
// skipped with a warning), IPv6 prefixes in CIDR lists and bgpdump field
// 6, and MRT's IPv6 unicast NLRI. An IPv6 destination is parsed as IPv4's
// are: `:::`, two `::`, a group over 4 hex digits or a length over 128 is
// an error naming FILE:LINE, and bits set past the length are cleared
// with a warning (an error with `strict`). A route whose gateway is of
// the other family is an error.
//
// Errors: InvalidArgument with "FILE:LINE: what is wrong" ("FILE: record N
// at byte B: ..." in MRT files); NotFound when the file cannot be read;
// DataLoss when a compressed file is cut short or corrupt. Parsing builds a
// list and touches no table, so a failed load leaves whatever it was meant for
// unchanged.
//
// Example:
//   absl::StatusOr<LoadResult> r = LoadRouteFile("examples/exercise.txt", {});
//   size_t n = r->routes.size();               // 4
//   size_t n6 = r->routes6.size();             // 0
#ifndef NEXTHOP_RIB_ROUTE_LOADER_H_
#define NEXTHOP_RIB_ROUTE_LOADER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "net/ipv4.h"
#include "rib/next_hop.h"

namespace nexthop {

enum class RouteFormat {
  kAuto,
  kRouteN,
  kExercise,
  kIpRoute,
  kCidr,
  kBgpdump,
  kMrt
};

absl::string_view FormatName(RouteFormat format);
// Accepts auto, route-n, exercise, ip, cidr, bgpdump, mrt.
absl::StatusOr<RouteFormat> ParseFormatName(absl::string_view name);

struct LoadOptions {
  RouteFormat format = RouteFormat::kAuto;
  // Strict: a destination with bits outside its mask, or a duplicate route,
  // is an error. Lenient (default): normalised or skipped, with a warning.
  bool strict = false;
};

// Warnings kept per kind; the rest of a kind are counted in one line.
inline constexpr size_t kMaxWarningsPerKind = 10;

struct LoadResult {
  std::vector<Route> routes;
  std::vector<int> lines;       // lines[i]: the line routes[i] came from
  std::vector<Route6> routes6;  // the IPv6 routes, in file order
  std::vector<int> lines6;      // lines6[i]: the line routes6[i] came from
  // "FILE:LINE: warning: ...", at most kMaxWarningsPerKind of a kind
  // (duplicate route, bits outside the mask, ...), then for each kind that
  // had more one "FILE: warning: ... and N more 'KIND' warnings" at the end.
  std::vector<std::string> warnings;
  RouteFormat format = RouteFormat::kAuto;  // the format used
};

// Parses `text`; `source` names it in messages (a file name, "<stdin>").
absl::StatusOr<LoadResult> ParseRoutes(absl::string_view text,
                                       absl::string_view source,
                                       const LoadOptions& options);
// Reads `path` (plain, gzip or bzip2) and parses it.
absl::StatusOr<LoadResult> LoadRouteFile(const std::string& path,
                                         const LoadOptions& options);

}  // namespace nexthop

#endif  // NEXTHOP_RIB_ROUTE_LOADER_H_
