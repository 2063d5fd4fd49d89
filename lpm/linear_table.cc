#include "lpm/linear_table.h"

#include <algorithm>
#include <bit>

#include "lpm/internal/linear_scan.h"

namespace nexthop {
namespace {

constexpr uint32_t kPadNetwork = 1;  // with mask 0 nothing ever matches
constexpr uint32_t kPadMask = 0;

// Sort key: longest mask first, then by network, so the first match wins.
bool Before(uint32_t mask_a, uint32_t net_a, uint32_t mask_b, uint32_t net_b) {
  if (mask_a != mask_b) return mask_a > mask_b;
  return net_a < net_b;
}

}  // namespace

size_t LinearTable::Position(Ipv4Prefix prefix) const {
  const uint32_t mask = prefix.mask().value();
  const uint32_t net = prefix.network().value();
  size_t lo = 0, hi = size_;
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (Before(masks_[mid], networks_[mid], mask, net)) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

absl::Status LinearTable::Insert(Ipv4Prefix prefix, NextHopId next_hop) {
  if (absl::Status s = CheckNextHop(next_hop, kNoRoute - 1); !s.ok()) return s;
  const size_t pos = Position(prefix);
  if (pos < size_ && networks_[pos] == prefix.network().value() &&
      masks_[pos] == prefix.mask().value()) {
    next_hops_[pos] = next_hop;
    return absl::OkStatus();
  }
  const size_t padded = (size_ + 1 + 7) / 8 * 8;
  networks_.resize(padded, kPadNetwork);
  masks_.resize(padded, kPadMask);
  next_hops_.resize(padded, kNoRoute);
  std::move_backward(networks_.begin() + pos, networks_.begin() + size_,
                     networks_.begin() + size_ + 1);
  std::move_backward(masks_.begin() + pos, masks_.begin() + size_,
                     masks_.begin() + size_ + 1);
  std::move_backward(next_hops_.begin() + pos, next_hops_.begin() + size_,
                     next_hops_.begin() + size_ + 1);
  networks_[pos] = prefix.network().value();
  masks_[pos] = prefix.mask().value();
  next_hops_[pos] = next_hop;
  ++size_;
  return absl::OkStatus();
}

absl::Status LinearTable::Erase(Ipv4Prefix prefix) {
  const size_t pos = Position(prefix);
  if (pos >= size_ || networks_[pos] != prefix.network().value() ||
      masks_[pos] != prefix.mask().value()) {
    return absl::NotFoundError("prefix " + prefix.ToString() + " not in table");
  }
  std::move(networks_.begin() + pos + 1, networks_.begin() + size_,
            networks_.begin() + pos);
  std::move(masks_.begin() + pos + 1, masks_.begin() + size_,
            masks_.begin() + pos);
  std::move(next_hops_.begin() + pos + 1, next_hops_.begin() + size_,
            next_hops_.begin() + pos);
  --size_;
  networks_[size_] = kPadNetwork;
  masks_[size_] = kPadMask;
  next_hops_[size_] = kNoRoute;
  const size_t padded = (size_ + 7) / 8 * 8;
  networks_.resize(padded);
  masks_.resize(padded);
  next_hops_.resize(padded);
  return absl::OkStatus();
}

size_t LinearTable::FindFirst(Ipv4Address address) const noexcept {
  const size_t i = internal::LinearScan(networks_.data(), masks_.data(),
                                        networks_.size(), address.value());
  return i < size_ ? i : size_;
}

std::optional<LpmMatch<Ipv4>> LinearTable::LookupMatch(
    Ipv4Address address) const noexcept {
  const size_t i = FindFirst(address);
  if (i >= size_) return std::nullopt;
  return LpmMatch<Ipv4>{Ipv4Prefix::Canonical(Ipv4Address(networks_[i]),
                                              std::popcount(masks_[i])),
                        next_hops_[i]};
}

void LinearTable::LookupBatch(std::span<const Ipv4Address> in,
                              std::span<NextHopId> out) const noexcept {
  const size_t n = std::min(in.size(), out.size());
  for (size_t i = 0; i < n; ++i) out[i] = Lookup(in[i]);
}

size_t LinearTable::MemoryBytes() const noexcept {
  return sizeof(*this) + networks_.capacity() * sizeof(uint32_t) +
         masks_.capacity() * sizeof(uint32_t) +
         next_hops_.capacity() * sizeof(NextHopId);
}

}  // namespace nexthop
