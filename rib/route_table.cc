#include "rib/route_table.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace nexthop {
namespace {

// The order routes of one prefix are kept in; the first is forwarded. It
// depends on the routes only, never on arrival order, so that undoing a
// change restores exactly the table there was.
auto Key(const Route& r) {
  const NextHop& n = r.next_hop;
  return std::tie(r.metric, n.gateway, n.gateway_name, n.dev);
}
bool Better(const Route& a, const Route& b) { return Key(a) < Key(b); }

}  // namespace

absl::Status RouteTable::Add(const Route& route) {
  std::vector<Route>& routes = by_prefix_[route.prefix];
  if (std::find(routes.begin(), routes.end(), route) != routes.end()) {
    return absl::AlreadyExistsError("route " + route.prefix.ToString() +
                                    " via " + route.next_hop.GatewayString() +
                                    " already exists");
  }
  routes.insert(std::lower_bound(routes.begin(), routes.end(), route, Better),
                route);
  ++size_;
  return absl::OkStatus();
}

absl::Status RouteTable::Remove(const Route& route) {
  auto it = by_prefix_.find(route.prefix);
  if (it != by_prefix_.end()) {
    auto r = std::find(it->second.begin(), it->second.end(), route);
    if (r != it->second.end()) {
      it->second.erase(r);
      if (it->second.empty()) by_prefix_.erase(it);
      --size_;
      return absl::OkStatus();
    }
  }
  return absl::NotFoundError("route " + route.prefix.ToString() + " via " +
                             route.next_hop.GatewayString() + " not in table");
}

const Route* RouteTable::Best(Ipv4Prefix prefix) const {
  auto it = by_prefix_.find(prefix);
  return it == by_prefix_.end() ? nullptr : &it->second.front();
}

void RouteTable::ForEach(const std::function<void(const Route&)>& fn) const {
  for (const auto& [prefix, routes] : by_prefix_) {
    for (const Route& r : routes) fn(r);
  }
}

std::string FormatRouteN(const RouteTable& routes) {
  std::string out =
      "Kernel IP routing table\n"
      "Destination     Gateway         Genmask         Flags Metric Ref    Use "
      "Iface\n";
  routes.ForEach([&](const Route& r) {
    absl::StrAppend(
        &out, absl::StrFormat(
                  "%-15s %-15s %-15s %-5s %-6u %-2d %7d %s\n",
                  r.prefix.network().ToString(), r.next_hop.GatewayString(),
                  r.prefix.mask().ToString(), r.Flags(), r.metric, 0, 0,
                  r.next_hop.dev.empty() ? "-" : r.next_hop.dev));
  });
  return out;
}

std::string FormatIpRoute(const RouteTable& routes) {
  std::string out;
  routes.ForEach([&](const Route& r) {
    std::string line = r.prefix.length() == 0    ? "default"
                       : r.prefix.length() == 32 ? r.prefix.network().ToString()
                                                 : r.prefix.ToString();
    if (!r.next_hop.on_link())
      absl::StrAppend(&line, " via ", r.next_hop.GatewayString());
    if (!r.next_hop.dev.empty())
      absl::StrAppend(&line, " dev ", r.next_hop.dev);
    if (r.next_hop.on_link()) absl::StrAppend(&line, " scope link");
    if (r.metric != 0) absl::StrAppend(&line, " metric ", r.metric);
    absl::StrAppend(&out, line, "\n");
  });
  return out;
}

}  // namespace nexthop
