// nexthop calc: subnet arithmetic as in the articles' Examples 4 and 5.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "net/ipv4.h"
#include "tools/commands.h"

namespace nexthop::tools {
namespace {

struct PrivateBlock {
  const char* prefix;
  const char* range;
};
// RFC 1918, as the articles list them (Example 5).
constexpr PrivateBlock kPrivate[] = {
    {"10.0.0.0/8", "10.0.0.0-10.255.255.255"},
    {"172.16.0.0/12", "172.16.0.0-172.31.255.255"},
    {"192.168.0.0/16", "192.168.0.0-192.168.255.255"},
};

}  // namespace

int RunCalc(const std::vector<std::string>& args) {
  if (args.empty() || args.size() > 2) {
    return Fail(2, "calc takes ADDR/LEN or ADDR MASK");
  }
  if (args[0].find(':') != std::string::npos) return RunCalc6(args);
  Ipv4Address address;
  int length = 0;
  if (args.size() == 1) {
    const size_t slash = args[0].find('/');
    if (slash == std::string::npos)
      return Fail(2, "calc takes ADDR/LEN or ADDR MASK");
    absl::StatusOr<Ipv4Address> a =
        Ipv4Address::Parse(args[0].substr(0, slash));
    if (!a.ok()) return Fail(1, std::string(a.status().message()));
    absl::StatusOr<ParsedPrefix> p =
        ParsePrefix(args[0], HostBitsPolicy::kNormalise);
    if (!p.ok()) return Fail(1, std::string(p.status().message()));
    address = *a;
    length = p->prefix.length();
  } else {
    absl::StatusOr<Ipv4Address> a = Ipv4Address::Parse(args[0]);
    if (!a.ok()) return Fail(1, std::string(a.status().message()));
    absl::StatusOr<ParsedPrefix> p =
        ParseDestinationAndMask(args[0], args[1], HostBitsPolicy::kNormalise);
    if (!p.ok()) return Fail(1, std::string(p.status().message()));
    address = *a;
    length = p->prefix.length();
  }
  const Ipv4Prefix net = Ipv4Prefix::Canonical(address, length);
  const Ipv4Address broadcast(net.network().value() | ~net.mask().value());
  const uint64_t count = net.size();
  auto row = [](absl::string_view label, const std::string& value,
                const std::string& extra) {
    std::string line = absl::StrFormat("%-11s %-18s %s", label, value, extra);
    line.erase(line.find_last_not_of(' ') + 1);
    std::cout << line << "\n";
  };
  row("address:", address.ToString(), address.ToBinaryString());
  row("netmask:", absl::StrCat(net.mask().ToString(), " = ", length),
      net.mask().ToBinaryString());
  row("network:", net.ToString(), net.network().ToBinaryString());
  row("broadcast:", broadcast.ToString(), broadcast.ToBinaryString());
  if (length <= 30) {
    row("hosts:",
        absl::StrCat(Ipv4Address(net.network().value() + 1).ToString(), " - ",
                     Ipv4Address(broadcast.value() - 1).ToString()),
        absl::StrCat("(", count - 2, " usable)"));
  } else if (length == 31) {
    row("hosts:",
        absl::StrCat(net.network().ToString(), " - ", broadcast.ToString()),
        "(2 usable: a point-to-point /31, RFC 3021)");
  } else {
    row("hosts:", address.ToString(), "(a single host route)");
  }
  row("addresses:", absl::StrCat(count),
      absl::StrCat("(2^", 32 - length, ": ", length, " network bits, ",
                   32 - length, " host bits)"));
  std::string verdict = "no";
  for (const PrivateBlock& block : kPrivate) {
    const Ipv4Prefix p = *Ipv4Prefix::Parse(block.prefix);
    if (p.Contains(address)) {
      verdict =
          absl::StrCat("yes, in ", block.prefix, " (RFC 1918: ", block.range,
                       ", ", p.size(), " addresses)");
    }
  }
  row("private:", verdict, "");
  return 0;
}

}  // namespace nexthop::tools
