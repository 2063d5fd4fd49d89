// nexthop calc for IPv6 prefixes: the prefix, its first and last address,
// the address count and what kind of address space it is (RFC 4291,
// RFC 6890's special-purpose registry for the common blocks).
#include <iostream>
#include <sstream>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "net/ipv6.h"
#include "tools/commands.h"

namespace nexthop::tools {
namespace {

struct Block {
  const char* prefix;
  const char* what;
};
// Most specific first: the first block that contains the address names it.
constexpr Block kBlocks[] = {
    {"::1/128", "loopback (RFC 4291)"},
    {"::/128", "unspecified (RFC 4291)"},
    {"::ffff:0:0/96", "IPv4-mapped (RFC 4291)"},
    {"64:ff9b::/96", "IPv4/IPv6 translation (RFC 6052)"},
    {"2001:db8::/32", "documentation (RFC 3849)"},
    {"2002::/16", "6to4 (RFC 3056)"},
    {"2001::/32", "Teredo (RFC 4380)"},
    {"2000::/3", "global unicast (RFC 4291)"},
    {"fc00::/7", "unique local (RFC 4193)"},
    {"fe80::/10", "link-local unicast (RFC 4291)"},
    {"ff00::/8", "multicast (RFC 4291)"},
};

std::string Count(int host_bits) {
  if (host_bits == 128) return "340282366920938463463374607431768211456";
  std::ostringstream s;
  s << (absl::uint128(1) << host_bits);
  return s.str();
}

}  // namespace

int RunCalc6(const std::vector<std::string>& args) {
  if (args.size() != 1) return Fail(2, "calc takes an IPv6 ADDR/LEN or ADDR");
  const std::string& text = args[0];
  const size_t slash = text.find('/');
  absl::StatusOr<Ipv6Address> a = Ipv6Address::Parse(text.substr(0, slash));
  if (!a.ok()) return Fail(1, std::string(a.status().message()));
  absl::StatusOr<Ipv6Prefix> p =
      Ipv6Prefix::Parse(text, /*allow_host_bits=*/true);
  if (!p.ok()) return Fail(1, std::string(p.status().message()));
  const int length = p->length();
  const auto [mhi, mlo] = Ipv6MaskBits(length);
  const Ipv6Address last = Ipv6Address::FromHalves(p->network().hi() | ~mhi,
                                                   p->network().lo() | ~mlo);
  auto row = [](absl::string_view label, const std::string& value,
                const std::string& extra) {
    std::string line = absl::StrFormat("%-11s %-26s %s", label, value, extra);
    line.erase(line.find_last_not_of(' ') + 1);
    std::cout << line << "\n";
  };
  row("address:", a->ToString(), "");
  row("prefix:", p->ToString(),
      absl::StrCat("(", length, " network bits, ", 128 - length,
                   " host bits)"));
  row("first:", p->network().ToString(), "");
  row("last:", last.ToString(), "");
  row("addresses:", Count(128 - length),
      absl::StrCat("(2^", 128 - length, ")"));
  // The prefix's kind: the first block holding all of it (its first and
  // last address); a prefix wider than every block spans several.
  std::string kind = "other (see the IANA IPv6 registries)";
  bool inside = false;
  for (const Block& b : kBlocks) {
    const Ipv6Prefix block = *Ipv6Prefix::Parse(b.prefix);
    if (block.Contains(p->network()) && block.Contains(last)) {
      kind = absl::StrCat(b.what, ", in ", b.prefix);
      inside = true;
      break;
    }
  }
  if (!inside) {
    for (const Block& b : kBlocks) {
      const Ipv6Prefix block = *Ipv6Prefix::Parse(b.prefix);
      if (block.length() < length) continue;
      if (p->Contains(block.network())) {
        kind =
            "several kinds (the prefix is wider than the special blocks "
            "it holds)";
        break;
      }
    }
  }
  row("type:", kind, "");
  return 0;
}

}  // namespace nexthop::tools
