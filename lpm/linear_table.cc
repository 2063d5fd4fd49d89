#include "lpm/linear_table.h"

#include <algorithm>
#include <bit>
#include <utility>

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

LinearTable::LinearTable()
    : table_(std::make_unique<Table>()), published_(table_.get()) {}

LinearTable::~LinearTable() = default;

LinearTable::LinearTable(LinearTable&& o) noexcept
    : table_(std::exchange(o.table_, std::make_unique<Table>())),
      published_(table_.get()),
      retired_(std::move(o.retired_)) {
  reclaim_ = o.reclaim_;
  o.published_ = o.table_.get();
}

LinearTable& LinearTable::operator=(LinearTable&& o) noexcept {
  if (this != &o) {
    table_ = std::exchange(o.table_, std::make_unique<Table>());
    published_ = table_.get();
    retired_ = std::move(o.retired_);
    reclaim_ = o.reclaim_;
    o.published_ = o.table_.get();
  }
  return *this;
}

// Without a grace period writes have exclusive access: change the table in
// place (copying ~10 MB per update of a full table would be needless).
LinearTable::Table* LinearTable::Writable() {
  if (!reclaim_.deferred()) return table_.get();
  pending_ = std::make_unique<Table>(*table_);  // copy-on-write
  return pending_.get();
}

void LinearTable::Commit() {
  if (pending_ == nullptr) return;
  std::unique_ptr<Table> next = std::move(pending_);
  __atomic_store_n(&published_, next.get(), __ATOMIC_RELEASE);
  // Only a deferred table makes copies (Writable), so the old one waits.
  std::unique_ptr<Table> old = std::exchange(table_, std::move(next));
  reclaim_.Defer(old->networks.capacity() * 12 + sizeof(Table));
  retired_.push_back(std::move(old));
  if (reclaim_.OverBudget()) Reclaim();
}

void LinearTable::Reclaim() {
  reclaim_.Wait();
  retired_.clear();
}

size_t LinearTable::Position(Ipv4Prefix prefix) const {
  const Table& t = *table_;
  const uint32_t mask = prefix.mask().value();
  const uint32_t net = prefix.network().value();
  size_t lo = 0, hi = t.size;
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (Before(t.masks[mid], t.networks[mid], mask, net)) {
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
  Table* next = Writable();
  const size_t size = next->size;
  if (pos < size && next->networks[pos] == prefix.network().value() &&
      next->masks[pos] == prefix.mask().value()) {
    next->next_hops[pos] = next_hop;
    Commit();
    return absl::OkStatus();
  }
  const size_t padded = (size + 1 + 7) / 8 * 8;
  next->networks.resize(padded, kPadNetwork);
  next->masks.resize(padded, kPadMask);
  next->next_hops.resize(padded, kNoRoute);
  auto shift = [&](auto& v) {
    std::move_backward(v.begin() + pos, v.begin() + size, v.begin() + size + 1);
  };
  shift(next->networks);
  shift(next->masks);
  shift(next->next_hops);
  next->networks[pos] = prefix.network().value();
  next->masks[pos] = prefix.mask().value();
  next->next_hops[pos] = next_hop;
  ++next->size;
  Commit();
  return absl::OkStatus();
}

absl::Status LinearTable::Erase(Ipv4Prefix prefix) {
  const Table& t = *table_;
  const size_t pos = Position(prefix);
  if (pos >= t.size || t.networks[pos] != prefix.network().value() ||
      t.masks[pos] != prefix.mask().value()) {
    return absl::NotFoundError("prefix " + prefix.ToString() + " not in table");
  }
  const size_t size = t.size;
  Table* next = Writable();
  auto unshift = [&](auto& v, uint32_t pad) {
    std::move(v.begin() + pos + 1, v.begin() + size, v.begin() + pos);
    v[size - 1] = pad;
    v.resize((size - 1 + 7) / 8 * 8);
  };
  unshift(next->networks, kPadNetwork);
  unshift(next->masks, kPadMask);
  unshift(next->next_hops, kNoRoute);
  --next->size;
  Commit();
  return absl::OkStatus();
}

size_t LinearTable::FindFirst(const Table& t, Ipv4Address address) noexcept {
  const size_t i = internal::LinearScan(t.networks.data(), t.masks.data(),
                                        t.networks.size(), address.value());
  return i < t.size ? i : t.size;
}

std::optional<LpmMatch<Ipv4>> LinearTable::LookupMatch(
    Ipv4Address address) const noexcept {
  const Table* t = Current();
  const size_t i = FindFirst(*t, address);
  if (i >= t->size) return std::nullopt;
  return LpmMatch<Ipv4>{Ipv4Prefix::Canonical(Ipv4Address(t->networks[i]),
                                              std::popcount(t->masks[i])),
                        t->next_hops[i]};
}

void LinearTable::LookupBatch(std::span<const Ipv4Address> in,
                              std::span<NextHopId> out) const noexcept {
  const Table* t = Current();  // one version for the whole batch
  const size_t n = std::min(in.size(), out.size());
  for (size_t i = 0; i < n; ++i) {
    const size_t j = FindFirst(*t, in[i]);
    out[i] = j < t->size ? t->next_hops[j] : kNoRoute;
  }
}

size_t LinearTable::MemoryBytes() const noexcept {
  const Table& t = *table_;
  size_t retired = 0;
  for (const auto& r : retired_) retired += r->networks.capacity() * 12;
  return sizeof(*this) + sizeof(Table) + t.networks.capacity() * 12 + retired;
}

}  // namespace nexthop
