#include "rib/next_hop.h"

namespace nexthop {

std::string NextHop::GatewayString() const {
  if (gateway) return gateway->ToString();
  if (!gateway_name.empty()) return gateway_name;
  return "0.0.0.0";
}

std::string Route::Flags() const {
  std::string flags = "U";
  if (!next_hop.on_link()) flags += 'G';
  if (prefix.length() == 32) flags += 'H';
  return flags;
}

NextHopId NextHopTable::Intern(const NextHop& next_hop) {
  auto [it, inserted] =
      ids_.try_emplace(next_hop, static_cast<NextHopId>(by_id_.size()));
  if (inserted) by_id_.push_back(next_hop);
  return it->second;
}

void NextHopTable::Truncate(size_t size) {
  while (by_id_.size() > size) {
    ids_.erase(by_id_.back());
    by_id_.pop_back();
  }
}

}  // namespace nexthop
