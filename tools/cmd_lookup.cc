// nexthop lookup: the route for each address, optionally explained.
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "net/message_text.h"
#include "nlohmann/json.hpp"
#include "rib/route_table.h"
#include "tools/commands.h"
#include "tools/table_io.h"

namespace nexthop::tools {
namespace {

// Who gets the ARP request when a packet leaves by this route: the gateway,
// or the destination itself when it is on-link (Example 1).
std::optional<Ipv4Address> ArpTarget(const Route& r, Ipv4Address dst) {
  if (r.next_hop.on_link()) return dst;
  return r.next_hop.gateway;  // nullopt for a symbolic gateway
}

void PrintText(Ipv4Address dst, const Fib<AnyLpm>::Match* m) {
  if (m == nullptr) {
    std::cout << dst.ToString() << " unreachable: no route matches\n";
    return;
  }
  const Route& r = m->route;
  std::string line = dst.ToString();
  if (r.next_hop.on_link()) {
    absl::StrAppend(&line, " on-link");
  } else {
    absl::StrAppend(&line, " via ", r.next_hop.GatewayString());
  }
  if (!r.next_hop.dev.empty()) absl::StrAppend(&line, " dev ", r.next_hop.dev);
  absl::StrAppend(&line, " matched ", m->prefix.ToString());
  if (r.metric != 0) absl::StrAppend(&line, " metric ", r.metric);
  if (auto arp = ArpTarget(r, dst))
    absl::StrAppend(&line, " (ARP for ", arp->ToString(), ")");
  std::cout << line << "\n";
}

void PrintJson(Ipv4Address dst, const Fib<AnyLpm>::Match* m) {
  nlohmann::json j;
  j["dst"] = dst.ToString();
  j["prefix"] = nullptr;
  j["gateway"] = nullptr;
  j["dev"] = nullptr;
  if (m != nullptr) {
    const Route& r = m->route;
    j["prefix"] = m->prefix.ToString();
    if (!r.next_hop.on_link()) j["gateway"] = r.next_hop.GatewayString();
    if (!r.next_hop.dev.empty()) j["dev"] = r.next_hop.dev;
    j["metric"] = r.metric;
    j["flags"] = r.Flags();
    j["on_link"] = r.next_hop.on_link();
    auto arp = ArpTarget(r, dst);
    j["arp_for"] = arp ? nlohmann::json(arp->ToString()) : nlohmann::json();
  }
  std::cout << j.dump() << "\n";
}

// The articles' decision process, entry by entry, computed here by brute
// force over the route table, independently of the structure.
// Returns false if it disagrees with the structure's answer.
bool Explain(Ipv4Address dst, const Fib<AnyLpm>& fib,
             const Fib<AnyLpm>::Match* m) {
  std::cout << "route decision for " << dst.ToString() << " ("
            << fib.routes().size() << " entries):\n";
  std::cout << absl::StrFormat("  %-15s %-15s %-15s %-17s %s\n", "Destination",
                               "Genmask", "Gateway", "dst AND Genmask",
                               "result");
  const Route* best = nullptr;
  int matches = 0;
  fib.routes().ForEach([&](const Route& r) {
    const Ipv4Address anded(dst.value() & r.prefix.mask().value());
    const bool match = r.prefix.Contains(dst);
    std::string result = "no match";
    if (match) {
      ++matches;
      result = absl::StrCat("match, /", r.prefix.length());
      if (r.prefix.length() == 0) absl::StrAppend(&result, " (default)");
      const Route* forwarded = fib.routes().Best(r.prefix);
      if (forwarded != &r) {
        absl::StrAppend(&result, ", ", WhyBefore(*forwarded, r));
      } else if (best == nullptr || r.prefix.length() > best->prefix.length()) {
        best = &r;
      }
    }
    std::cout << absl::StrFormat(
        "  %-15s %-15s %-15s %-17s %s\n", r.prefix.network().ToString(),
        r.prefix.mask().ToString(), r.next_hop.GatewayString(),
        anded.ToString(), result);
  });
  if (best == nullptr) {
    std::cout << "  no entry matches and there is no default route: "
                 "unreachable\n";
  } else if (matches == 1) {
    std::cout << "  one entry matches: use it, gateway "
              << best->next_hop.GatewayString() << "\n";
  } else {
    std::cout << "  " << matches << " entries match; the longest mask wins: "
              << best->prefix.mask().ToString() << " (/"
              << best->prefix.length() << "), gateway "
              << best->next_hop.GatewayString() << "\n";
  }
  const bool agree = (best == nullptr) == (m == nullptr) &&
                     (best == nullptr || best->prefix == m->prefix);
  if (!agree) {
    std::cerr << "nexthop: internal error: the " << fib.lpm().name()
              << " structure answered differently for " << dst.ToString()
              << "\n";
  }
  return agree;
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
                absl::GetFlag(FLAGS_algo), absl::GetFlag(FLAGS_strict));
  if (!table.ok()) return Fail(1, std::string(table.status().message()));
  const bool json = absl::GetFlag(FLAGS_json);
  const bool explain = absl::GetFlag(FLAGS_explain);
  auto answer = [&](Ipv4Address dst) {
    std::optional<Fib<AnyLpm>::Match> m = table->fib.Lookup(dst);
    const Fib<AnyLpm>::Match* mp = m ? &*m : nullptr;
    if (explain && !Explain(dst, table->fib, mp)) return false;
    if (json) {
      PrintJson(dst, mp);
    } else {
      PrintText(dst, mp);
    }
    return true;
  };
  if (!args.empty()) {
    for (size_t i = 0; i < args.size(); ++i) {
      absl::StatusOr<Ipv4Address> dst = Ipv4Address::Parse(args[i]);
      if (!dst.ok()) return Fail(1, std::string(dst.status().message()));
      if (!answer(*dst)) return 3;
    }
    return 0;
  }
  std::string line;
  for (int number = 1; std::getline(std::cin, line); ++number) {
    absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty()) continue;
    absl::StatusOr<Ipv4Address> dst = Ipv4Address::Parse(text);
    if (!dst.ok()) {
      return Fail(
          1, absl::StrCat("<stdin>:", number, ": ", dst.status().message()));
    }
    if (!answer(*dst)) return 3;
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
