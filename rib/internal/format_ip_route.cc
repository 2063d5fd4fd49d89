// `ip route show` and `ip -6 route show` output (iproute2), one family or
// both mixed.
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "rib/internal/parsers.h"

namespace nexthop::internal {
namespace {

// Attributes ip(8) prints with one argument; all but via, dev and metric
// do not change where a packet goes, so they are read and set aside.
const absl::flat_hash_set<absl::string_view>& ValueKeywords() {
  static const auto* k = new absl::flat_hash_set<absl::string_view>{
      "via",        "dev",
      "metric",     "proto",
      "scope",      "src",
      "table",      "realm",
      "mtu",        "advmss",
      "rtt",        "rttvar",
      "reordering", "window",
      "cwnd",       "initcwnd",
      "initrwnd",   "ssthresh",
      "rto_min",    "features",
      "quickack",   "congctl",
      "pref",       "expires",
      "hoplimit",   "fastopen_no_cookie",
      "preference", "tos",
      "dsfield",    "weight",
      "lock",       "nhid"};
  return *k;
}

const absl::flat_hash_set<absl::string_view>& FlagKeywords() {
  static const auto* k = new absl::flat_hash_set<absl::string_view>{
      "onlink", "pervasive", "linkdown",   "dead",    "offload",
      "trap",   "notify",    "rt_offload", "rt_trap", "rt_offload_failed"};
  return *k;
}

const absl::flat_hash_set<absl::string_view>& UnsupportedTypes() {
  static const auto* k = new absl::flat_hash_set<absl::string_view>{
      "unreachable", "blackhole", "prohibit", "local",    "broadcast",
      "throw",       "nat",       "anycast",  "multicast"};
  return *k;
}

}  // namespace

absl::Status ParseIpRoute(absl::string_view text, ParseContext& ctx) {
  return ForEachLine(text, true, [&](int line, absl::string_view content) {
    std::vector<absl::string_view> f = SplitFields(content);
    size_t i = 0;
    if (f[i] == "unicast") ++i;
    if (i < f.size() && UnsupportedTypes().contains(f[i])) {
      return ctx.Error(line, absl::StrCat("route type '", f[i],
                                          "' is not supported (unicast only)"));
    }
    if (i >= f.size()) return ctx.Error(line, "missing destination");
    if (f[i] == "nexthop") {
      return ctx.Error(line,
                       "multipath routes (nexthop lines) are not supported");
    }
    const absl::string_view destination = f[i++];
    NextHop next_hop;
    uint32_t metric = 0;
    bool have_via = false, have_dev = false;
    // ip prints `pref` (RFC 4191 router preference) for IPv6 routes only:
    // with it, or an IPv6 gateway, `default` is ::/0.
    bool pref = false;
    for (; i < f.size(); ++i) {
      const absl::string_view key = f[i];
      if (FlagKeywords().contains(key)) continue;
      if (!ValueKeywords().contains(key)) {
        return ctx.Error(line, absl::StrCat("unknown keyword '", key, "'"));
      }
      if (i + 1 >= f.size()) {
        return ctx.Error(line, absl::StrCat("'", key, "' needs a value"));
      }
      const absl::string_view value = f[++i];
      absl::Status s;
      if (key == "via") {
        if (have_via) return ctx.Error(line, "'via' given twice");
        have_via = true;
        if (value == "inet" || value == "inet6") {  // `via inet6 fe80::1`
          if (i + 1 >= f.size()) {
            return ctx.Error(
                line, absl::StrCat("'via ", value, "' needs an address"));
          }
          s = ParseGateway(f[++i], &next_hop);
        } else {
          s = ParseGateway(value, &next_hop);
        }
      } else if (key == "dev") {
        if (have_dev) return ctx.Error(line, "'dev' given twice");
        have_dev = true;
        absl::StatusOr<std::string> dev = ParseDev(value);
        if (dev.ok()) next_hop.dev = *dev;
        s = dev.status();
      } else if (key == "pref") {
        pref = true;
      } else if (key == "metric" || key == "preference") {
        absl::StatusOr<uint32_t> m = ParseMetric(value);
        if (m.ok()) metric = *m;
        s = m.status();
      }
      if (!s.ok()) return ctx.Error(line, s);
    }
    if (!have_via && !have_dev) {
      return ctx.Error(line, "a route needs 'via GATEWAY' or 'dev IFACE'");
    }
    const bool ipv6 = IsIpv6(destination) ||
                      (destination == "default" && (pref || next_hop.gateway6));
    if (ipv6) {
      absl::StatusOr<ParsedPrefix6> parsed =
          ParsePrefix6(destination, ctx.policy());
      if (!parsed.ok()) return ctx.Error(line, parsed.status());
      return ctx.Add(line, *parsed, std::move(next_hop), metric, destination);
    }
    absl::StatusOr<ParsedPrefix> parsed =
        ParsePrefix(destination, ctx.policy());
    if (!parsed.ok()) return ctx.Error(line, parsed.status());
    return ctx.Add(line, *parsed, std::move(next_hop), metric, destination);
  });
}

}  // namespace nexthop::internal
