// nexthop show: a table printed as route -n or ip route would.
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
                "patricia", absl::GetFlag(FLAGS_strict));
  if (!table.ok()) return Fail(1, std::string(table.status().message()));
  if (style == "ip") {
    std::cout << FormatIpRoute(table->fib.routes());
  } else {
    std::cout << FormatRouteN(table->fib.routes());
  }
  return 0;
}

}  // namespace nexthop::tools
