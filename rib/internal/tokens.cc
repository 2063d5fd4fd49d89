#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "net/ipv6.h"
#include "net/message_text.h"
#include "rib/internal/parsers.h"

namespace nexthop::internal {

absl::Status ParseContext::Error(int line, const absl::Status& s) {
  error_line_ = line;
  return absl::Status(s.code(), SafeForMessage(absl::StrCat(
                                    source_, ":", line, ": ", s.message())));
}

absl::Status ParseContext::Error(int line, absl::string_view message) {
  return Error(line, absl::InvalidArgumentError(message));
}

absl::StatusOr<ParsedPrefix6> ParsePrefix6(absl::string_view text,
                                           HostBitsPolicy policy) {
  if (text == "default") return ParsedPrefix6{};
  absl::StatusOr<Ipv6Prefix> p =
      Ipv6Prefix::Parse(text, policy == HostBitsPolicy::kNormalise);
  if (!p.ok()) return p.status();
  // It parsed, so its address part does.
  const Ipv6Address given = *Ipv6Address::Parse(text.substr(0, text.find('/')));
  return ParsedPrefix6{*p, p->network() != given};
}

void ParseContext::Warn(int line, absl::string_view kind,
                        absl::string_view message) {
  auto it = std::find_if(warned_.begin(), warned_.end(),
                         [&](const auto& k) { return k.first == kind; });
  if (it == warned_.end()) {
    warned_.emplace_back(std::string(kind), 0);
    it = warned_.end() - 1;
  }
  // Past the limit only the count grows: the message is not even built.
  if (++it->second > kMaxWarningsPerKind) return;
  out_->warnings.push_back(
      SafeForMessage(absl::StrCat(source_, ":", line, ": warning: ", message)));
}

void ParseContext::SummariseWarnings() {
  for (const auto& [kind, count] : warned_) {
    if (count <= kMaxWarningsPerKind) continue;
    out_->warnings.push_back(SafeForMessage(absl::StrCat(
        source_, ": warning: ... and ", count - kMaxWarningsPerKind, " more '",
        kind, "' warnings")));
  }
}

absl::Status ParseContext::Add(int line, const ParsedPrefix& parsed,
                               NextHop next_hop, uint32_t metric,
                               absl::string_view original) {
  return AddRoute<Ipv4>(line, parsed, std::move(next_hop), metric, original,
                        seen_, out_->routes, out_->lines);
}

absl::Status ParseContext::Add(int line, const ParsedPrefix6& parsed,
                               NextHop next_hop, uint32_t metric,
                               absl::string_view original) {
  return AddRoute<Ipv6>(line, parsed, std::move(next_hop), metric, original,
                        seen6_, out_->routes6, out_->lines6);
}

template <typename Family, typename Parsed>
absl::Status ParseContext::AddRoute(
    int line, const Parsed& parsed, NextHop next_hop, uint32_t metric,
    absl::string_view original,
    absl::flat_hash_map<BasicRoute<Family>, int>& seen,
    std::vector<BasicRoute<Family>>& routes, std::vector<int>& lines) {
  constexpr bool kIpv4 = Family::kBits == 32;
  if (kIpv4 ? next_hop.gateway6.has_value() : next_hop.gateway.has_value()) {
    return Error(
        line, absl::StrCat(kIpv4 ? "IPv6" : "IPv4", " gateway ",
                           next_hop.GatewayString(), " for the ",
                           kIpv4 ? "IPv4" : "IPv6", " destination ", original));
  }
  if (parsed.normalised) {
    Warn(line, "bits outside the mask",
         absl::StrCat("destination ", original,
                      " has bits set outside its mask; using ",
                      parsed.prefix.ToString()));
  }
  BasicRoute<Family> route{parsed.prefix, std::move(next_hop), metric};
  auto [it, inserted] = seen.try_emplace(route, line);
  if (!inserted) {
    const std::string what =
        absl::StrCat("duplicate route ", route.prefix.ToString(),
                     " (same as line ", it->second, ")");
    if (options_.strict) return Error(line, what);
    Warn(line, "duplicate route", absl::StrCat(what, "; skipped"));
    return absl::OkStatus();
  }
  routes.push_back(std::move(route));
  lines.push_back(line);
  return absl::OkStatus();
}

absl::Status AddPrefixRoute(absl::string_view prefix, int line,
                            NextHop next_hop, uint32_t metric,
                            ParseContext& ctx) {
  if (IsIpv6(prefix)) {
    absl::StatusOr<ParsedPrefix6> parsed = ParsePrefix6(prefix, ctx.policy());
    if (!parsed.ok()) return ctx.Error(line, parsed.status());
    return ctx.Add(line, *parsed, std::move(next_hop), metric, prefix);
  }
  absl::StatusOr<ParsedPrefix> parsed = ParsePrefix(prefix, ctx.policy());
  if (!parsed.ok()) return ctx.Error(line, parsed.status());
  return ctx.Add(line, *parsed, std::move(next_hop), metric, prefix);
}

absl::Status ForEachLine(
    absl::string_view text, bool comments,
    absl::FunctionRef<absl::Status(int, absl::string_view)> fn) {
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    if (comments) line = line.substr(0, line.find('#'));
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    if (absl::Status s = fn(number, line); !s.ok()) return s;
  }
  return absl::OkStatus();
}

std::vector<absl::string_view> SplitFields(absl::string_view line) {
  return absl::StrSplit(line, absl::ByAnyChar(" \t\r"), absl::SkipEmpty());
}

absl::Status ParseGateway(absl::string_view token, NextHop* next_hop) {
  next_hop->gateway.reset();
  next_hop->gateway6.reset();
  next_hop->gateway_name.clear();
  if (token.empty()) return absl::InvalidArgumentError("empty gateway");
  if (token == "*" || token == "0.0.0.0" || token == "::") {
    return absl::OkStatus();
  }
  if (IsIpv6(token)) {
    absl::StatusOr<Ipv6Address> a = Ipv6Address::Parse(token);
    if (!a.ok()) return a.status();
    next_hop->gateway6 = *a;
    return absl::OkStatus();
  }
  if (LooksNumeric(token)) {
    absl::StatusOr<Ipv4Address> a = Ipv4Address::Parse(token);
    if (!a.ok()) return a.status();
    next_hop->gateway = *a;
    return absl::OkStatus();
  }
  const bool ok_name =
      absl::ascii_isalpha(static_cast<unsigned char>(token[0])) &&
      std::all_of(token.begin(), token.end(), [](char c) {
        return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ||
               c == '-' || c == '.';
      });
  if (!ok_name || token.size() > 64) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid gateway '", token,
        "': expected an IP address or a name of letters, digits, _ . -"));
  }
  next_hop->gateway_name = std::string(token);
  return absl::OkStatus();
}

absl::StatusOr<std::string> ParseDev(absl::string_view token) {
  if (token == "-" || token == "*") return std::string();
  const bool ok = !token.empty() && token.size() <= 15 &&
                  std::all_of(token.begin(), token.end(), [](char c) {
                    return absl::ascii_isgraph(static_cast<unsigned char>(c)) &&
                           c != '/' && c != '"' && c != '\\';
                  });
  if (!ok) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid interface name '", token, "'"));
  }
  return std::string(token);
}

absl::StatusOr<uint32_t> ParseMetric(absl::string_view token) {
  uint32_t metric = 0;
  if (token.empty() ||
      token.find_first_not_of("0123456789") != absl::string_view::npos ||
      !absl::SimpleAtoi(token, &metric)) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid metric '", token, "': expected 0-4294967295"));
  }
  return metric;
}

bool IsIpv6(absl::string_view token) {
  return token.find(':') != absl::string_view::npos;
}

}  // namespace nexthop::internal
