#include "rib/route_table.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace nexthop {
namespace {

// The order routes of one prefix are kept in; the first is forwarded. It
// depends on the routes only, never on arrival order, so that undoing a
// change restores exactly the table there was. A gateway that is nullopt
// sorts first, so on-link (no gateway, no name) comes first, then named
// gateways, then addresses. WhyBefore below names these rules for
// --explain: change both together.
// (An IPv4 route has no gateway6 and an IPv6 route no gateway: one of the
// two is always nullopt on both sides.)
// (By reference: std::tie of a by-value parameter would dangle.)
auto Key(const uint32_t& metric, const NextHop& n) {
  return std::tie(metric, n.gateway, n.gateway6, n.gateway_name, n.dev);
}

}  // namespace

template <typename Family>
std::string WhyBefore(const BasicRoute<Family>& first,
                      const BasicRoute<Family>& later) {
  const NextHop& f = first.next_hop;
  const NextHop& l = later.next_hop;
  if (first.metric != later.metric) {
    return absl::StrCat("metric ", later.metric, " loses to metric ",
                        first.metric);
  }
  const std::string tie = absl::StrCat("ties on metric ", later.metric);
  if (f.gateway != l.gateway || f.gateway6 != l.gateway6) {
    if (f.on_link()) {
      return absl::StrCat(tie,
                          "; loses to the on-link route (on-link before a "
                          "gateway)");
    }
    if (!f.gateway && !f.gateway6) {
      return absl::StrCat(tie, "; loses to gateway ", f.gateway_name,
                          " (a named gateway before an address)");
    }
    return absl::StrCat(tie, "; loses to gateway ", first.GatewayString(),
                        " (the lower gateway address)");
  }
  if (f.gateway_name != l.gateway_name) {
    // Gateways equal and both nullopt: one name is empty only when on-link.
    if (f.on_link()) {
      return absl::StrCat(tie,
                          "; loses to the on-link route (on-link before a "
                          "gateway)");
    }
    return absl::StrCat(tie, "; loses to gateway ", f.gateway_name,
                        " (the gateway name first in byte order)");
  }
  const std::string both =
      absl::StrCat(tie, " and gateway ", first.GatewayString());
  if (f.dev != l.dev) {
    if (f.dev.empty()) {
      return absl::StrCat(both,
                          "; loses to the route with no device (no device "
                          "before a device)");
    }
    return absl::StrCat(both, "; loses to dev ", f.dev,
                        " (the device name first in byte order)");
  }
  return absl::StrCat(both, "; the same route");
}

template <typename Family>
bool BasicRouteTable<Family>::Before(const Entry& a, const Entry& b) const {
  return Key(a.metric, hops_[a.hop]) < Key(b.metric, hops_[b.hop]);
}

template <typename Family>
uint32_t BasicRouteTable<Family>::Ref(const NextHop& hop) {
  auto [it, inserted] = hop_ids_.try_emplace(hop, 0);
  if (inserted) {
    if (free_hops_.empty()) {
      it->second = static_cast<uint32_t>(hops_.size());
      hops_.push_back(hop);
      hop_refs_.push_back(0);
    } else {
      it->second = free_hops_.back();
      free_hops_.pop_back();
      hops_[it->second] = hop;
    }
  }
  ++hop_refs_[it->second];
  return it->second;
}

template <typename Family>
void BasicRouteTable<Family>::Unref(uint32_t id) {
  if (--hop_refs_[id] != 0) return;
  hop_ids_.erase(hops_[id]);
  hops_[id] = NextHop();
  free_hops_.push_back(id);
}

template <typename Family>
absl::Status BasicRouteTable<Family>::Add(const RouteType& route) {
  auto known = hop_ids_.find(route.next_hop);
  auto it = by_prefix_.find(route.prefix);
  if (known != hop_ids_.end() && it != by_prefix_.end()) {
    const Entry e{route.metric, known->second};
    if (std::find(it->second.begin(), it->second.end(), e) !=
        it->second.end()) {
      return absl::AlreadyExistsError("route " + route.prefix.ToString() +
                                      " via " + route.GatewayString() +
                                      " already exists");
    }
  }
  const Entry e{route.metric, Ref(route.next_hop)};
  if (it == by_prefix_.end()) it = by_prefix_.try_emplace(route.prefix).first;
  auto& entries = it->second;
  entries.insert(std::lower_bound(entries.begin(), entries.end(), e,
                                  [this](const Entry& a, const Entry& b) {
                                    return Before(a, b);
                                  }),
                 e);
  ++size_;
  return absl::OkStatus();
}

template <typename Family>
absl::Status BasicRouteTable<Family>::Remove(const RouteType& route) {
  auto it = by_prefix_.find(route.prefix);
  auto known = hop_ids_.find(route.next_hop);
  if (it != by_prefix_.end() && known != hop_ids_.end()) {
    const Entry e{route.metric, known->second};
    auto r = std::find(it->second.begin(), it->second.end(), e);
    if (r != it->second.end()) {
      it->second.erase(r);
      if (it->second.empty()) by_prefix_.erase(it);
      Unref(e.hop);
      --size_;
      return absl::OkStatus();
    }
  }
  return absl::NotFoundError("route " + route.prefix.ToString() + " via " +
                             route.GatewayString() + " not in table");
}

template <typename Family>
auto BasicRouteTable<Family>::Best(Prefix prefix) const
    -> std::optional<RouteType> {
  auto it = by_prefix_.find(prefix);
  if (it == by_prefix_.end()) return std::nullopt;
  return Make(prefix, it->second.front());
}

template <typename Family>
void BasicRouteTable<Family>::ForEach(
    const std::function<void(const RouteType&)>& fn) const {
  for (const auto& [prefix, entries] : by_prefix_) {
    for (const Entry& e : entries) fn(Make(prefix, e));
  }
}

template class BasicRouteTable<Ipv4>;
template class BasicRouteTable<Ipv6>;
template std::string WhyBefore(const Route&, const Route&);
template std::string WhyBefore(const Route6&, const Route6&);

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

std::string FormatRouteN(const RouteTable6& routes) {
  // net-tools' inet6 layout (lib/inet6_gr.c), as `route -A inet6 -n` on
  // Linux prints it; Ref and Use are kernel counters nexthop does not
  // keep (0). The metric prints as a signed number, as net-tools does.
  std::string out =
      "Kernel IPv6 routing table\n"
      "Destination                    Next Hop                   Flag Met Ref  "
      "Use If\n";
  routes.ForEach([&](const Route6& r) {
    absl::StrAppend(
        &out, absl::StrFormat("%-30s %-26s %-4s %-3d %-1d %6d %s\n",
                              r.prefix.ToString(), r.GatewayString(), r.Flags(),
                              static_cast<int32_t>(r.metric), 0, 0,
                              r.next_hop.dev.empty() ? "-" : r.next_hop.dev));
  });
  return out;
}

std::string FormatIpRoute(const RouteTable6& routes) {
  std::string out;
  routes.ForEach([&](const Route6& r) {
    std::string line = r.prefix.length() == 0 ? "default"
                       : r.prefix.length() == 128
                           ? r.prefix.network().ToString()
                           : r.prefix.ToString();
    if (!r.next_hop.on_link())
      absl::StrAppend(&line, " via ", r.GatewayString());
    if (!r.next_hop.dev.empty())
      absl::StrAppend(&line, " dev ", r.next_hop.dev);
    // ip -6 prints every route's metric (the kernel gives each one).
    absl::StrAppend(&out, line, " metric ", r.metric, "\n");
  });
  return out;
}

}  // namespace nexthop
