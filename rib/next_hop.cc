#include "rib/next_hop.h"

#include <algorithm>
#include <cstdlib>

namespace nexthop {

std::string NextHop::GatewayString(absl::string_view on_link) const {
  if (gateway) return gateway->ToString();
  if (gateway6) return gateway6->ToString();
  if (!gateway_name.empty()) return gateway_name;
  return std::string(on_link);
}

NextHopTable::NextHopTable() { blocks_.reserve(kMaxBlocks); }

NextHopId NextHopTable::Intern(const NextHop& next_hop, uint32_t metric) {
  Entry e{next_hop, metric};
  if (auto it = ids_.find(e); it != ids_.end()) return it->second;
  const size_t id = size_;
  if (id / kBlock >= blocks_.size()) {
    // Past kMaxBlocks the list would reallocate: no structure takes such
    // ids anyway (Dir24_8's limit is 2^24 - 1), so refuse loudly.
    if (blocks_.size() == kMaxBlocks) std::abort();
    blocks_.push_back(std::make_unique<Entry[]>(kBlock));
  }
  // Written before any structure can hold the id: the structure's publishing
  // store orders it for readers.
  blocks_[id / kBlock][id % kBlock] = e;
  ids_.emplace(std::move(e), static_cast<NextHopId>(id));
  ++size_;
  return static_cast<NextHopId>(id);
}

void NextHopTable::Truncate(size_t size) {
  for (size_t id = size; id < size_; ++id)
    ids_.erase(At(static_cast<NextHopId>(id)));
  // Readers may still hold the forgotten ids: keep their entries, and do
  // not hand the ids out again.
  if (keep_truncated_) return;
  size_ = std::min(size_, size);
}

}  // namespace nexthop
