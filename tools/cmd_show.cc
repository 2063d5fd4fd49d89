// nexthop show: a table printed as route -n or ip route would: the IPv4
// routes as `route -n` / `ip route`, then the IPv6 ones as `route -A inet6
// -n` / `ip -6 route` (each part only when the table has routes of that
// family; the loader reads the output back).
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/commands.h"
#include "tools/table_io.h"

namespace nexthop::tools {

int RunShow(const std::vector<std::string>& args) {
  if (!args.empty())
    return Fail(2, "show takes no arguments (did you mean --table?)");
  const std::string style = absl::GetFlag(FLAGS_format).empty()
                                ? "route"
                                : absl::GetFlag(FLAGS_format);
  if (style != "route" && style != "ip") {
    return Fail(2,
                "show --format must be 'route' or 'ip' (the table's own "
                "format goes in --input_format)");
  }
  if (absl::GetFlag(FLAGS_table).empty()) {
    return Fail(2, "show needs --table FILE (or --table - for stdin)");
  }
  absl::StatusOr<LoadedTable> table =
      LoadTable(absl::GetFlag(FLAGS_table), absl::GetFlag(FLAGS_input_format),
                "patricia", "patricia6", absl::GetFlag(FLAGS_strict));
  if (!table.ok()) return Fail(1, std::string(table.status().message()));
  const RouteTable& v4 = table->fib.v4().routes();
  const RouteTable6& v6 = table->fib.v6().routes();
  if (v4.size() > 0) {
    std::cout << (style == "ip" ? FormatIpRoute(v4) : FormatRouteN(v4));
  }
  if (v6.size() > 0) {
    std::cout << (style == "ip" ? FormatIpRoute(v6) : FormatRouteN(v6));
  }
  return 0;
}

}  // namespace nexthop::tools
