#include "fwd/internal/gateway_macs.h"

#include <algorithm>

namespace nexthop::internal {
namespace {

MacAddress ConnectedOr0(const NeighborCache& neighbors, Ipv4Address ip) {
  return neighbors.ConnectedMac(ip).value_or(MacAddress());
}

}  // namespace

void GatewayMacs::Build(std::span<Adjacency> adjacency,
                        const NeighborCache& neighbors) {
  users_.clear();
  for (size_t id = 0; id < adjacency.size(); ++id) {
    Adjacency& a = adjacency[id];
    a.mac = a.on_link ? MacAddress() : ConnectedOr0(neighbors, a.gateway);
    if (!a.on_link)
      users_.push_back({a.gateway.value(), static_cast<uint32_t>(id)});
  }
  std::sort(users_.begin(), users_.end());
}

bool GatewayMacs::Apply(const NeighborChanges& changes,
                        std::span<Adjacency> adjacency,
                        const NeighborCache& neighbors) const {
  bool changed = false;
  auto set = [&](uint32_t id, MacAddress mac) {
    changed |= adjacency[id].mac != mac;
    adjacency[id].mac = mac;
  };
  if (changes.all) {  // the log overflowed: ask for every gateway
    for (const auto& [gateway, id] : users_)
      set(id, ConnectedOr0(neighbors, Ipv4Address(gateway)));
    return changed;
  }
  for (const NeighborChange& c : changes.changed) {
    auto it = std::lower_bound(users_.begin(), users_.end(),
                               std::make_pair(c.ip.value(), uint32_t{0}));
    for (; it != users_.end() && it->first == c.ip.value(); ++it)
      set(it->second, c.mac);
  }
  return changed;
}

}  // namespace nexthop::internal
