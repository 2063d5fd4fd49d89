// nexthop lookup: the route for each address, IPv4 or IPv6, against one
// dual-stack table, optionally explained.
#include <iostream>
#include <optional>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "net/message_text.h"
#include "nlohmann/json.hpp"
#include "rib/dual_fib.h"
#include "rib/route_table.h"
#include "tools/commands.h"
#include "tools/table_io.h"

namespace nexthop::tools {
namespace {

using Table = DualFib<AnyLpm, AnyLpm6>;

// Who gets the neighbour request when a packet leaves by this route: the
// gateway, or the destination itself when it is on-link (Example 1). IPv4
// asks by ARP, IPv6 by Neighbor Discovery (RFC 4861).
std::optional<Ipv4Address> NeighborTarget(const Route& r, Ipv4Address dst) {
  if (r.next_hop.on_link()) return dst;
  return r.next_hop.gateway;  // nullopt for a symbolic gateway
}
std::optional<Ipv6Address> NeighborTarget(const Route6& r,
                                          const Ipv6Address& dst) {
  if (r.next_hop.on_link()) return dst;
  return r.next_hop.gateway6;
}
template <typename Family>
constexpr const char* kNeighborProtocol = Family::kBits == 32 ? "ARP" : "NDP";

template <typename Family, typename Match>
void PrintText(const typename Family::Address& dst, const Match* m) {
  if (m == nullptr) {
    std::cout << dst.ToString() << " unreachable: no route matches\n";
    return;
  }
  const BasicRoute<Family>& r = m->route;
  std::string line = dst.ToString();
  if (r.next_hop.on_link()) {
    absl::StrAppend(&line, " on-link");
  } else {
    absl::StrAppend(&line, " via ", r.GatewayString());
  }
  if (!r.next_hop.dev.empty()) absl::StrAppend(&line, " dev ", r.next_hop.dev);
  absl::StrAppend(&line, " matched ", m->prefix.ToString());
  if (r.metric != 0) absl::StrAppend(&line, " metric ", r.metric);
  if (auto target = NeighborTarget(r, dst)) {
    absl::StrAppend(&line, " (", kNeighborProtocol<Family>, " for ",
                    target->ToString(), ")");
  }
  std::cout << line << "\n";
}

template <typename Family, typename Match>
void PrintJson(const typename Family::Address& dst, const Match* m) {
  constexpr bool v6 = Family::kBits == 128;
  nlohmann::json j;
  j["dst"] = dst.ToString();
  j["family"] = v6 ? "inet6" : "inet";
  j["prefix"] = nullptr;
  j["gateway"] = nullptr;
  j["dev"] = nullptr;
  if (m != nullptr) {
    const BasicRoute<Family>& r = m->route;
    j["prefix"] = m->prefix.ToString();
    if (!r.next_hop.on_link()) j["gateway"] = r.GatewayString();
    if (!r.next_hop.dev.empty()) j["dev"] = r.next_hop.dev;
    j["metric"] = r.metric;
    j["flags"] = r.Flags();
    j["on_link"] = r.next_hop.on_link();
    auto target = NeighborTarget(r, dst);
    // IPv4 asks ARP, IPv6 Neighbor Discovery: the key says which.
    j[v6 ? "ndp_for" : "arp_for"] =
        target ? nlohmann::json(target->ToString()) : nlohmann::json();
  }
  std::cout << j.dump() << "\n";
}

// The Destination and Genmask columns: IPv4 prints the netmask, IPv6 (which
// has none in its tables) the prefix and its length.
std::string DestinationColumns(const Ipv4Prefix& p) {
  return absl::StrFormat("%-15s %-15s", p.network().ToString(),
                         p.mask().ToString());
}
std::string DestinationColumns(const Ipv6Prefix& p) {
  return absl::StrFormat("%-30s", p.ToString());
}
std::string LongestText(const Ipv4Prefix& p) {
  return absl::StrCat(p.mask().ToString(), " (/", p.length(), ")");
}
std::string LongestText(const Ipv6Prefix& p) {
  return absl::StrCat("/", p.length());
}

// The articles' decision process, entry by entry over the routes of the
// address's family, computed here by brute force over the route table,
// independently of the structure. Returns false if it disagrees with the
// structure's answer.
template <typename FamilyFib>
bool Explain(const typename FamilyFib::Address& dst, const FamilyFib& fib,
             const typename FamilyFib::Match* m) {
  using Family = typename FamilyFib::Family;
  using RouteT = BasicRoute<Family>;
  constexpr bool v6 = Family::kBits == 128;
  const int gateway_width = v6 ? 26 : 15;
  const int and_width = v6 ? 26 : 17;
  std::cout << "route decision for " << dst.ToString() << " ("
            << fib.routes().size() << (v6 ? " IPv6" : "") << " entries):\n";
  std::cout << "  "
            << (v6 ? absl::StrFormat("%-30s", "Destination")
                   : absl::StrFormat("%-15s %-15s", "Destination", "Genmask"))
            << absl::StrFormat(
                   " %-*s %-*s %s\n", gateway_width, "Gateway", and_width,
                   v6 ? "dst AND prefix" : "dst AND Genmask", "result");
  std::optional<RouteT> best;
  int matches = 0;
  fib.routes().ForEach([&](const RouteT& r) {
    const auto anded =
        Family::Prefix::Canonical(dst, r.prefix.length()).network();
    const bool match = r.prefix.Contains(dst);
    std::string result = "no match";
    if (match) {
      ++matches;
      result = absl::StrCat("match, /", r.prefix.length());
      if (r.prefix.length() == 0) absl::StrAppend(&result, " (default)");
      // A table holds no two equal routes: equal is the same one.
      const std::optional<RouteT> forwarded = fib.routes().Best(r.prefix);
      if (*forwarded != r) {
        absl::StrAppend(&result, ", ", WhyBefore(*forwarded, r));
      } else if (!best || r.prefix.length() > best->prefix.length()) {
        best = r;
      }
    }
    std::cout << "  " << DestinationColumns(r.prefix)
              << absl::StrFormat(" %-*s %-*s %s\n", gateway_width,
                                 r.GatewayString(), and_width, anded.ToString(),
                                 result);
  });
  if (!best) {
    std::cout << "  no entry matches and there is no default route: "
                 "unreachable\n";
  } else if (matches == 1) {
    std::cout << "  one entry matches: use it, gateway "
              << best->GatewayString() << "\n";
  } else {
    std::cout << "  " << matches << " entries match; the longest "
              << (v6 ? "prefix" : "mask")
              << " wins: " << LongestText(best->prefix) << ", gateway "
              << best->GatewayString() << "\n";
  }
  const bool agree =
      !best == (m == nullptr) && (!best || best->prefix == m->prefix);
  if (!agree) {
    std::cerr << "nexthop: internal error: the " << fib.lpm().name()
              << " structure answered differently for " << dst.ToString()
              << "\n";
  }
  return agree;
}

template <typename FamilyFib>
bool Answer(const typename FamilyFib::Address& dst, const FamilyFib& fib,
            bool explain, bool json) {
  using Family = typename FamilyFib::Family;
  std::optional<typename FamilyFib::Match> m = fib.Lookup(dst);
  const typename FamilyFib::Match* mp = m ? &*m : nullptr;
  if (explain && !Explain(dst, fib, mp)) return false;
  if (json) {
    PrintJson<Family>(dst, mp);
  } else {
    PrintText<Family>(dst, mp);
  }
  return true;
}

}  // namespace

int RunLookup(const std::vector<std::string>& args) {
  // Usage errors exit 2 (README): no table, or the table on stdin with no
  // addresses to look up (they would have come from stdin too).
  if (absl::GetFlag(FLAGS_table).empty()) {
    return Fail(2, "lookup needs --table FILE (or --table - for stdin)");
  }
  if (absl::GetFlag(FLAGS_table) == "-" && args.empty()) {
    return Fail(2, "with --table - the addresses go on the command line");
  }
  absl::StatusOr<LoadedTable> table =
      LoadTable(absl::GetFlag(FLAGS_table), absl::GetFlag(FLAGS_format),
                absl::GetFlag(FLAGS_algo), absl::GetFlag(FLAGS_algo6),
                absl::GetFlag(FLAGS_strict));
  if (!table.ok()) return Fail(1, std::string(table.status().message()));
  const bool json = absl::GetFlag(FLAGS_json);
  const bool explain = absl::GetFlag(FLAGS_explain);
  // An address with a ':' is IPv6 (looked up in the IPv6 routes), any
  // other IPv4. Returns 1 for a bad address, 3 for a structure that
  // disagrees with --explain's brute force, 0 otherwise.
  auto answer = [&](absl::string_view text, absl::string_view where) {
    const Table& fib = table->fib;
    absl::Status bad;
    if (text.find(':') != absl::string_view::npos) {
      absl::StatusOr<Ipv6Address> dst = Ipv6Address::Parse(text);
      if (dst.ok()) return Answer(*dst, fib.v6(), explain, json) ? 0 : 3;
      bad = dst.status();
    } else {
      absl::StatusOr<Ipv4Address> dst = Ipv4Address::Parse(text);
      if (dst.ok()) return Answer(*dst, fib.v4(), explain, json) ? 0 : 3;
      bad = dst.status();
    }
    return Fail(1, absl::StrCat(where, bad.message()));
  };
  if (!args.empty()) {
    for (const std::string& arg : args) {
      if (int code = answer(arg, ""); code != 0) return code;
    }
    return 0;
  }
  std::string line;
  for (int number = 1; std::getline(std::cin, line); ++number) {
    absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty()) continue;
    const std::string where = absl::StrCat("<stdin>:", number, ": ");
    if (int code = answer(text, where); code != 0) return code;
  }
  return 0;
}

int Fail(int code, const std::string& message) {
  std::cout.flush();
  // Whatever the message quotes from the input, it reaches the terminal
  // escaped and cut short (net/message_text.h).
  std::cerr << "nexthop: " << SafeForMessage(message) << "\n";
  return code;
}

}  // namespace nexthop::tools
