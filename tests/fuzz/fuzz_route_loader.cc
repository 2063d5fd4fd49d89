// Every route-table loader on arbitrary text: no crash, no read out of
// bounds, and whatever loads is well formed. The first byte picks the format
// (auto-detect included), strictness, and (bit 0x40) whether the rest goes
// through a file and LoadRouteFile, so that gzip input (seeds in the corpus)
// runs the decompressor and its truncation checks too.
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

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
  static const std::string path =
      "/tmp/nexthop-fuzz-" + std::to_string(getpid()) + ".gz";
  const bool via_file = (data[0] & 0x40) != 0;
  absl::StatusOr<nexthop::LoadResult> r;
  if (via_file) {
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(text.data(), static_cast<std::streamsize>(text.size()));
    r = nexthop::LoadRouteFile(path, options);
  } else {
    r = nexthop::ParseRoutes(text, "fuzz", options);
  }
  if (!r.ok()) {
    // Errors always say where: the file's name, then a line or what is
    // wrong with the file itself.
    const std::string where = via_file ? path + ":" : "fuzz:";
    if (r.status().message().substr(0, where.size()) != where) std::abort();
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
  if (r->routes6.size() != r->lines6.size()) std::abort();
  for (const nexthop::Route6& route : r->routes6) {
    const nexthop::Ipv6Prefix p = route.prefix;
    // An IPv6 route never carries an IPv4 gateway.
    if (p.length() > 128 || route.next_hop.gateway ||
        nexthop::Ipv6Prefix::Canonical(p.network(), p.length()) != p) {
      std::abort();
    }
  }
  for (const nexthop::Route& route : r->routes) {
    if (route.next_hop.gateway6) std::abort();
  }
  return 0;
}
