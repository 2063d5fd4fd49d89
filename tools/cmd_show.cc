// nexthop show: a table printed as route -n or ip route would.
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/commands.h"
#include "tools/table_io.h"

namespace nexthop::tools {
namespace {

void PrintRouteN(const RouteTable& routes) {
  std::cout << "Kernel IP routing table\n"
               "Destination     Gateway         Genmask         Flags Metric "
               "Ref    Use Iface\n";
  routes.ForEach([](const Route& r) {
    std::cout << absl::StrFormat(
        "%-15s %-15s %-15s %-5s %-6u %-2d %7d %s\n",
        r.prefix.network().ToString(), r.next_hop.GatewayString(),
        r.prefix.mask().ToString(), r.Flags(), r.metric, 0, 0,
        r.next_hop.dev.empty() ? "-" : r.next_hop.dev);
  });
}

void PrintIp(const RouteTable& routes) {
  routes.ForEach([](const Route& r) {
    // As ip(8) prints them: "default", and host routes without "/32".
    std::string line = r.prefix.length() == 0    ? "default"
                       : r.prefix.length() == 32 ? r.prefix.network().ToString()
                                                 : r.prefix.ToString();
    if (!r.next_hop.on_link())
      absl::StrAppend(&line, " via ", r.next_hop.GatewayString());
    if (!r.next_hop.dev.empty())
      absl::StrAppend(&line, " dev ", r.next_hop.dev);
    if (r.next_hop.on_link()) absl::StrAppend(&line, " scope link");
    if (r.metric != 0) absl::StrAppend(&line, " metric ", r.metric);
    std::cout << line << "\n";
  });
}

}  // namespace

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
  absl::StatusOr<LoadedTable> table =
      LoadTable(absl::GetFlag(FLAGS_table), absl::GetFlag(FLAGS_input_format),
                "patricia", absl::GetFlag(FLAGS_strict));
  if (!table.ok()) return Fail(1, std::string(table.status().message()));
  if (style == "ip") {
    PrintIp(table->fib.routes());
  } else {
    PrintRouteN(table->fib.routes());
  }
  return 0;
}

}  // namespace nexthop::tools
