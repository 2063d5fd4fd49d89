// Plain CIDR lists: `PREFIX [NEXTHOP]`, as in the bundled real table;
// IPv4 and IPv6 prefixes may mix.
#include "absl/strings/str_cat.h"
#include "rib/internal/parsers.h"

namespace nexthop::internal {

absl::Status ParseCidr(absl::string_view text, ParseContext& ctx) {
  return ForEachLine(text, true, [&](int line, absl::string_view content) {
    std::vector<absl::string_view> f = SplitFields(content);
    if (f.size() > 2) {
      return ctx.Error(line, absl::StrCat("expected 'PREFIX [NEXTHOP]', found ",
                                          f.size(), " fields"));
    }
    NextHop next_hop;
    if (f.size() == 2) {
      // A next-hop column may hold an address or a label such as an AS
      // number ("8419"); a bare number is a label, not an address.
      const bool plain_number =
          f[1].find_first_not_of("0123456789") == absl::string_view::npos;
      if (plain_number) {
        next_hop.gateway_name = std::string(f[1]);
      } else if (absl::Status s = ParseGateway(f[1], &next_hop); !s.ok()) {
        return ctx.Error(line, s);
      }
    }
    return AddPrefixRoute(f[0], line, std::move(next_hop), 0, ctx);
  });
}

}  // namespace nexthop::internal
