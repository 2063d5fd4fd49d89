// `route -A inet6 -n` / `route -6 -n` output (net-tools' inet6 table, read
// from /proc/net/ipv6_route):
//   Kernel IPv6 routing table
//   Destination                    Next Hop                   Flag Met Ref  Use
//   If 2001:db8:100::/48              2001:db8:1::2              UG   1024 1 0
//   v0
// The destination is always PREFIX/LEN and on-link routes show "::".
// ParseColumns hands these lines here, so that one file may hold an IPv4
// `route -n` table and this one.
#include <array>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "rib/internal/parsers.h"

namespace nexthop::internal {
namespace {

constexpr std::array<absl::string_view, 8> kHeader = {
    "Destination", "Next", "Hop", "Flag", "Met", "Ref", "Use", "If"};
enum Field { kDestination, kNextHop, kFlag, kMet, kRef, kUse, kIf, kCount };

// net-tools prints the metric with %d, so the kernel's 0xffffffff (the
// reject route's) reads "-1".
absl::StatusOr<uint32_t> ParseMet(absl::string_view token) {
  if (token == "-1") return ~uint32_t{0};
  return ParseMetric(token);
}

}  // namespace

bool IsRoute6Title(absl::string_view content) {
  return content == "Kernel IPv6 routing table";
}

absl::Status CheckRoute6Header(const std::vector<absl::string_view>& fields) {
  if (std::equal(fields.begin(), fields.end(), kHeader.begin(),
                 kHeader.end())) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown IPv6 table header '", absl::StrJoin(fields, " "),
                   "' (expected '", absl::StrJoin(kHeader, " "), "')"));
}

bool LooksLikeRoute6Row(const std::vector<absl::string_view>& fields) {
  return fields.size() == kCount && IsIpv6(fields[kDestination]) &&
         IsIpv6(fields[kNextHop]);
}

absl::Status ParseRoute6Row(const std::vector<absl::string_view>& f, int line,
                            ParseContext& ctx) {
  if (f.size() != kCount) {
    return ctx.Error(line, absl::StrCat("expected ", kCount,
                                        " columns (Destination, Next Hop, "
                                        "Flag, Met, Ref, Use, If), found ",
                                        f.size()));
  }
  // net-tools' letters (lib/inet6_gr.c); all but '!' say how the kernel
  // learnt or keeps the route, not where it goes.
  const absl::string_view flags = f[kFlag];
  if (flags.find_first_not_of("UGHRDMACnaefm!") != absl::string_view::npos) {
    return ctx.Error(line, absl::StrCat("invalid flags '", flags, "'"));
  }
  NextHop next_hop;
  if (absl::Status s = ParseGateway(f[kNextHop], &next_hop); !s.ok()) {
    return ctx.Error(line, s);
  }
  absl::StatusOr<uint32_t> metric = ParseMet(f[kMet]);
  if (!metric.ok()) return ctx.Error(line, metric.status());
  for (Field counter : {kRef, kUse}) {
    if (!ParseMetric(f[counter]).ok()) {
      return ctx.Error(line,
                       absl::StrCat("invalid counter '", f[counter], "'"));
    }
  }
  absl::StatusOr<std::string> dev = ParseDev(f[kIf]);
  if (!dev.ok()) return ctx.Error(line, dev.status());
  next_hop.dev = *std::move(dev);
  absl::StatusOr<ParsedPrefix6> parsed =
      ParsePrefix6(f[kDestination], ctx.policy());
  if (!parsed.ok()) return ctx.Error(line, parsed.status());
  if (flags.find('!') != absl::string_view::npos) {
    // Every Linux table lists the kernel's catch-all reject route
    // (`::/0 :: !n -1 1 0 lo`): refusing the file for it would refuse
    // them all. It forwards nothing, so it is left out, with a warning.
    ctx.Warn(line, "reject route",
             absl::StrCat("reject route ", f[kDestination], " skipped"));
    return absl::OkStatus();
  }
  return ctx.Add(line, *parsed, std::move(next_hop), *metric, f[kDestination]);
}

}  // namespace nexthop::internal
