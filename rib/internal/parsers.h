// The per-format route parsers behind route_loader.h, and what they share.
#ifndef NEXTHOP_RIB_INTERNAL_PARSERS_H_
#define NEXTHOP_RIB_INTERNAL_PARSERS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "net/ipv4.h"
#include "net/ipv6.h"
#include "rib/route_loader.h"

namespace nexthop::internal {

// An IPv6 destination as a route file writes it: normalised (host bits
// cleared) when `normalised`.
struct ParsedPrefix6 {
  Ipv6Prefix prefix;
  bool normalised = false;
};
// "PREFIX/LEN", "ADDRESS" (a /128) or "default" (::/0). Bits set past the
// length are cleared (kNormalise) or an error (kRefuse), as for IPv4.
absl::StatusOr<ParsedPrefix6> ParsePrefix6(absl::string_view text,
                                           HostBitsPolicy policy);

// Collects routes for one parse: adds file:line to messages, applies the
// host-bits policy and rejects or skips duplicates.
class ParseContext {
 public:
  ParseContext(absl::string_view source, const LoadOptions& options,
               LoadResult* out)
      : source_(source), options_(options), out_(out) {}

  HostBitsPolicy policy() const {
    return options_.strict ? HostBitsPolicy::kRefuse
                           : HostBitsPolicy::kNormalise;
  }
  // "FILE:LINE: <message of s>" with the code of `s`. Remembers `line`
  // (error_line) so that the caller can say what the line looks like.
  absl::Status Error(int line, const absl::Status& s);
  absl::Status Error(int line, absl::string_view message);
  // The line of the last Error, 0 if none.
  int error_line() const { return error_line_; }
  // A warning of `kind` ("duplicate route"): the first kMaxWarningsPerKind
  // of a kind are kept, the rest only counted, so that a file of millions
  // of duplicates does not print millions of lines.
  void Warn(int line, absl::string_view kind, absl::string_view message);
  // Appends one "FILE: warning: ... and N more 'KIND' warnings" line per
  // kind that went past the limit, in the order the kinds first appeared.
  void SummariseWarnings();
  // Records a parsed prefix's normalisation warning and the route itself.
  // An IPv4 route must not have an IPv6 gateway, nor an IPv6 route an
  // IPv4 one (the error says which).
  absl::Status Add(int line, const ParsedPrefix& parsed, NextHop next_hop,
                   uint32_t metric, absl::string_view original);
  absl::Status Add(int line, const ParsedPrefix6& parsed, NextHop next_hop,
                   uint32_t metric, absl::string_view original);

 private:
  absl::string_view source_;
  const LoadOptions& options_;
  LoadResult* out_;
  template <typename Family, typename Parsed>
  absl::Status AddRoute(int line, const Parsed& parsed, NextHop next_hop,
                        uint32_t metric, absl::string_view original,
                        absl::flat_hash_map<BasicRoute<Family>, int>& seen,
                        std::vector<BasicRoute<Family>>& routes,
                        std::vector<int>& lines);

  absl::flat_hash_map<Route, int> seen_;
  absl::flat_hash_map<Route6, int> seen6_;
  int error_line_ = 0;
  // Warnings issued per kind, kinds in first-seen order (there are few).
  std::vector<std::pair<std::string, size_t>> warned_;
};

// Parses `prefix` (IPv6 when it has a ':', else IPv4, with the context's
// host-bits policy) and adds the route: what every format with a prefix
// column does.
absl::Status AddPrefixRoute(absl::string_view prefix, int line,
                            NextHop next_hop, uint32_t metric,
                            ParseContext& ctx);

// Calls fn(line_number, line) for every line with its comment ('#' to end
// of line, when `comments`) and surrounding blanks removed, blank lines
// skipped. Stops at the first error.
absl::Status ForEachLine(
    absl::string_view text, bool comments,
    absl::FunctionRef<absl::Status(int, absl::string_view)> fn);
std::vector<absl::string_view> SplitFields(absl::string_view line);

// A gateway column: "0.0.0.0", "::" or "*" is on-link, a dotted quad is an
// IPv4 address, a token with a ':' an IPv6 one (gateway6), a name such as
// "A" is symbolic; "192.168.1.300" and "fe80:::1" are errors.
absl::Status ParseGateway(absl::string_view token, NextHop* next_hop);
// An interface name as Linux allows it (no blanks or '/', up to 15 bytes),
// with "-" and "*" meaning none.
absl::StatusOr<std::string> ParseDev(absl::string_view token);
absl::StatusOr<uint32_t> ParseMetric(absl::string_view token);
// The token claims to be IPv6: it has a ':' (parsing checks the claim).
bool IsIpv6(absl::string_view token);

absl::Status ParseColumns(absl::string_view text, ParseContext& ctx);
// `route -A inet6 -n` (net-tools): the header lines and one row.
bool IsRoute6Title(absl::string_view content);
absl::Status CheckRoute6Header(const std::vector<absl::string_view>& fields);
// Destination Next-Hop Flag Met Ref Use If: 7 fields, the first IPv6.
bool LooksLikeRoute6Row(const std::vector<absl::string_view>& fields);
absl::Status ParseRoute6Row(const std::vector<absl::string_view>& fields,
                            int line, ParseContext& ctx);
absl::Status ParseIpRoute(absl::string_view text, ParseContext& ctx);
absl::Status ParseCidr(absl::string_view text, ParseContext& ctx);
absl::Status ParseBgpdump(absl::string_view text, ParseContext& ctx);
// MRT (binary; `bytes` decompressed): format_mrt.cc says how events apply.
absl::Status ParseMrt(absl::string_view bytes, absl::string_view source,
                      ParseContext& ctx, LoadResult& result);

// Guesses the format from the first meaningful line.
absl::StatusOr<RouteFormat> DetectFormat(absl::string_view text,
                                         absl::string_view source);
// The format one meaningful line (comment and blanks removed) looks like,
// if any: what DetectFormat decides by.
std::optional<RouteFormat> DetectLineFormat(absl::string_view content);
// `error`, about line `line` of `text` read as `used`, with "; line N
// looks like the cidr format, not exercise: ..." added when the line looks
// like another format. `forced`: the caller chose `used` (rather than
// detection from the first line).
absl::Status WithFormatHint(const absl::Status& error, absl::string_view text,
                            int line, RouteFormat used, bool forced);

}  // namespace nexthop::internal

#endif  // NEXTHOP_RIB_INTERNAL_PARSERS_H_
