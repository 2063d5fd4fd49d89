// Every route-table loader on arbitrary text: no crash, no read out of
// bounds, and whatever loads is well formed. The first byte picks the format
// (auto-detect included) and strictness.
#include <cstdlib>

#include "rib/route_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  using nexthop::RouteFormat;
  constexpr RouteFormat kFormats[] = {
      RouteFormat::kAuto,    RouteFormat::kRouteN, RouteFormat::kExercise,
      RouteFormat::kIpRoute, RouteFormat::kCidr,   RouteFormat::kBgpdump};
  const nexthop::LoadOptions options{.format = kFormats[data[0] % 6],
                                     .strict = (data[0] & 0x80) != 0};
  const absl::string_view text(reinterpret_cast<const char*>(data) + 1,
                               size - 1);
  absl::StatusOr<nexthop::LoadResult> r =
      nexthop::ParseRoutes(text, "fuzz", options);
  if (!r.ok()) {
    // Errors always say where: "fuzz:" then a line, or the file itself.
    if (r.status().message().substr(0, 5) != "fuzz:") std::abort();
    return 0;
  }
  if (r->routes.size() != r->lines.size()) std::abort();
  for (const nexthop::Route& route : r->routes) {
    const nexthop::Ipv4Prefix p = route.prefix;
    if (p.length() > 32 ||
        nexthop::Ipv4Prefix::Canonical(p.network(), p.length()) != p) {
      std::abort();
    }
  }
  return 0;
}
