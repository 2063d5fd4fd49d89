// `bgpdump -m` one-line output:
// TABLE_DUMP2|time|B|peer_ip|peer_as|prefix|as_path|origin|next_hop|...
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "rib/internal/parsers.h"

namespace nexthop::internal {

absl::Status ParseBgpdump(absl::string_view text, ParseContext& ctx) {
  size_t withdrawals = 0;
  int last_line = 0;
  absl::Status s =
      ForEachLine(text, false, [&](int line, absl::string_view content) {
        last_line = line;
        std::vector<absl::string_view> f = absl::StrSplit(content, '|');
        if (f.size() >= 3 && f[2] == "W") {  // a withdrawal carries no route
          ++withdrawals;
          return absl::OkStatus();
        }
        if (f.size() < 9) {
          return ctx.Error(line,
                           absl::StrCat("expected at least 9 '|'-separated "
                                        "fields, found ",
                                        f.size()));
        }
        if (f[2] != "B" && f[2] != "A") {
          return ctx.Error(line,
                           absl::StrCat("unknown entry type '", f[2],
                                        "' in field 3 (expected B, A or W)"));
        }
        NextHop next_hop;
        if (absl::Status g = ParseGateway(f[8], &next_hop); !g.ok()) {
          return ctx.Error(line, g);
        }
        return AddPrefixRoute(f[5], line, std::move(next_hop), 0, ctx);
      });
  if (s.ok() && withdrawals > 0) {
    ctx.Warn(last_line, "withdrawals skipped",
             absl::StrCat(withdrawals, " withdrawal lines skipped"));
  }
  return s;
}

}  // namespace nexthop::internal
