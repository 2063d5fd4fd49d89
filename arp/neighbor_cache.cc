#include "arp/neighbor_cache.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace nexthop {
namespace {

using internal::NeighborSlot;

bool HasMac(NeighborState s) {
  return s != NeighborState::kIncomplete && s != NeighborState::kFailed;
}
NeighborState StateOfSlot(const NeighborSlot& s) {
  return static_cast<NeighborState>(s.state);
}
uint64_t PickSeed(uint64_t seed) {
  if (seed != 0) return seed;
  std::random_device rd;
  return (uint64_t{rd()} << 32) ^ rd();
}

}  // namespace

absl::string_view NeighborStateName(NeighborState s) {
  switch (s) {
    case NeighborState::kIncomplete: return "INCOMPLETE";
    case NeighborState::kReachable: return "REACHABLE";
    case NeighborState::kStale: return "STALE";
    case NeighborState::kDelay: return "DELAY";
    case NeighborState::kProbe: return "PROBE";
    case NeighborState::kFailed: return "FAILED";
    case NeighborState::kPermanent: return "PERMANENT";
  }
  return "?";
}

NeighborCache::NeighborCache(const Clock* clock, NeighborConfig config)
    : clock_(clock),
      config_(config),
      slots_(std::max<size_t>(config.capacity, 1), PickSeed(config.seed)),
      rng_(PickSeed(config.seed) ^ 0x9E3779B97F4A7C15ull) {
  config_.capacity = std::max<size_t>(config_.capacity, 1);
}

std::optional<MacAddress> NeighborCache::Lookup(Ipv4Address ip) const noexcept {
  const NeighborSlot* s = slots_.Find(ip.value());
  if (s == nullptr || !HasMac(StateOfSlot(*s))) return std::nullopt;
  return MacAddress(s->mac);
}

void NeighborCache::LookupBatch(std::span<const Ipv4Address> ips,
                                std::span<std::optional<MacAddress>> out) const noexcept {
  constexpr size_t kChunk = 64;
  const NeighborSlot* found[kChunk];
  const size_t n = std::min(ips.size(), out.size());
  for (size_t base = 0; base < n; base += kChunk) {
    const size_t m = std::min(kChunk, n - base);
    slots_.FindBatch(reinterpret_cast<const uint32_t*>(ips.data() + base), found, m);
    for (size_t j = 0; j < m; ++j) {
      const NeighborSlot* s = found[j];
      out[base + j] = s != nullptr && HasMac(StateOfSlot(*s))
                          ? std::optional<MacAddress>(MacAddress(s->mac))
                          : std::nullopt;
    }
  }
}

absl::Duration NeighborCache::RandomReachableTime() {
  std::uniform_real_distribution<double> factor(0.5, 1.5);
  return config_.base_reachable_time * factor(rng_);
}

void NeighborCache::SetState(NeighborSlot& slot, NeighborState state) {
  Cold& c = cold_[slot.cold];
  const NeighborState old = StateOfSlot(slot);
  if (old == NeighborState::kStale) stale_.erase({c.updated, c.ip});
  if (old == NeighborState::kFailed) failed_.erase({c.updated, c.ip});
  c.updated = clock_->Now();
  slot.state = static_cast<uint8_t>(state);
  if (state == NeighborState::kStale) stale_.insert({c.updated, c.ip});
  if (state == NeighborState::kFailed) failed_.insert({c.updated, c.ip});
}

void NeighborCache::Arm(uint32_t cold, absl::Duration after) {
  Cold& c = cold_[cold];
  c.timer = next_timer_++;
  timers_.push(Timer{clock_->Now() + after, c.ip, c.timer});
  // Superseded timers stay in the heap until due; rebuild it before they
  // can outnumber the entries (a flood must not grow memory).
  if (timers_.size() > 4 * config_.capacity + 64) {
    std::vector<Timer> live;
    while (!timers_.empty()) {
      const Timer t = timers_.top();
      timers_.pop();
      const NeighborSlot* s = slots_.Find(t.ip);
      if (s != nullptr && cold_[s->cold].timer == t.generation) live.push_back(t);
    }
    timers_ = decltype(timers_)(std::greater<Timer>(), std::move(live));
  }
}

bool NeighborCache::EvictOne() {
  auto* set = !failed_.empty() ? &failed_ : !stale_.empty() ? &stale_ : nullptr;
  if (set == nullptr) return false;
  const uint32_t ip = set->begin()->second;
  Remove(ip);
  ++stats_.evictions;
  return true;
}

NeighborSlot* NeighborCache::Create(Ipv4Address ip) {
  if (live_ >= config_.capacity && !EvictOne()) {
    ++stats_.refused;
    return nullptr;
  }
  uint32_t idx;
  if (!free_cold_.empty()) {
    idx = free_cold_.back();
    free_cold_.pop_back();
  } else {
    idx = static_cast<uint32_t>(cold_.size());
    cold_.emplace_back();
  }
  cold_[idx] = Cold{};
  cold_[idx].ip = ip.value();
  cold_[idx].live = true;
  cold_[idx].updated = cold_[idx].used = clock_->Now();
  ++live_;
  return slots_.Insert(ip.value(), idx);
}

void NeighborCache::Remove(uint32_t ip) {
  NeighborSlot* s = slots_.Find(ip);
  if (s == nullptr) return;
  Cold& c = cold_[s->cold];
  if (StateOfSlot(*s) == NeighborState::kStale) stale_.erase({c.updated, c.ip});
  if (StateOfSlot(*s) == NeighborState::kFailed) failed_.erase({c.updated, c.ip});
  free_cold_.push_back(s->cold);
  c = Cold{};  // frees the queue
  slots_.Erase(ip);
  --live_;
}

void NeighborCache::Release(NeighborSlot& slot, std::vector<NeighborAction>& actions) {
  Cold& c = cold_[slot.cold];
  for (Packet& p : c.queue) {
    actions.push_back({NeighborAction::Kind::kTransmit, Ipv4Address(c.ip),
                       MacAddress(slot.mac), std::move(p), ""});
  }
  c.queue.clear();
  c.queue.shrink_to_fit();
}

void NeighborCache::DropQueue(Cold& c, const std::string& reason,
                              std::vector<NeighborAction>& actions) {
  for (Packet& p : c.queue) {
    ++stats_.dropped_unresolved;
    actions.push_back({NeighborAction::Kind::kDrop, Ipv4Address(c.ip), MacAddress(),
                       std::move(p), reason});
  }
  c.queue.clear();
  c.queue.shrink_to_fit();
}

void NeighborCache::Enqueue(NeighborSlot& slot, Packet packet,
                            std::vector<NeighborAction>& actions) {
  Cold& c = cold_[slot.cold];
  if (c.queue.size() >= config_.queue_limit) {
    ++stats_.dropped_queue_full;
    actions.push_back({NeighborAction::Kind::kDrop, Ipv4Address(c.ip), MacAddress(),
                       std::move(c.queue.front()),
                       "unresolved queue full: oldest packet dropped"});
    c.queue.erase(c.queue.begin());
  }
  if (config_.queue_limit > 0) c.queue.push_back(std::move(packet));
}

std::optional<MacAddress> NeighborCache::Resolve(Ipv4Address ip, Packet packet,
                                                 std::vector<NeighborAction>& actions) {
  NeighborSlot* s = slots_.Find(ip.value());
  if (s != nullptr) {
    cold_[s->cold].used = clock_->Now();
    switch (StateOfSlot(*s)) {
      case NeighborState::kStale:
        SetState(*s, NeighborState::kDelay);
        Arm(s->cold, config_.delay_first_probe_time);
        [[fallthrough]];
      case NeighborState::kReachable:
      case NeighborState::kDelay:
      case NeighborState::kProbe:
      case NeighborState::kPermanent:
        return MacAddress(s->mac);
      case NeighborState::kIncomplete:
        Enqueue(*s, std::move(packet), actions);
        return std::nullopt;
      case NeighborState::kFailed:
        break;  // resolve again, below
    }
  } else {
    s = Create(ip);
    if (s == nullptr) {
      ++stats_.dropped_table_full;
      actions.push_back({NeighborAction::Kind::kDrop, ip, MacAddress(), std::move(packet),
                         "neighbour table full"});
      return std::nullopt;
    }
  }
  SetState(*s, NeighborState::kIncomplete);
  s->mac = {};
  cold_[s->cold].probes = 1;
  ++stats_.requests;
  actions.push_back({NeighborAction::Kind::kBroadcastRequest, ip, MacAddress::Broadcast(), {}, ""});
  Arm(s->cold, config_.retrans_time);
  Enqueue(*s, std::move(packet), actions);
  return std::nullopt;
}

void NeighborCache::OnArp(const ArpPacket& arp, bool target_is_local,
                          std::vector<NeighborAction>& actions) {
  // An ARP probe (RFC 5227) has sender 0.0.0.0: nothing to learn.
  if (arp.sender_ip.value() == 0 || arp.sender_mac.IsMulticast() ||
      arp.sender_mac.IsZero()) {
    return;
  }
  NeighborSlot* s = slots_.Find(arp.sender_ip.value());
  if (s == nullptr) {
    // Only the target of a request records the sender.
    if (!(arp.op == ArpOp::kRequest && target_is_local) || arp.IsGratuitous()) return;
    s = Create(arp.sender_ip);
    if (s == nullptr) return;  // full of entries in use: refuse, evict none
    s->mac = arp.sender_mac.bytes();
    SetState(*s, NeighborState::kStale);
    Arm(s->cold, config_.gc_stale_time);
    return;
  }
  const NeighborState state = StateOfSlot(*s);
  if (state == NeighborState::kPermanent) return;
  const bool confirmed = arp.op == ArpOp::kReply && target_is_local;
  const bool changed = !HasMac(state) || MacAddress(s->mac) != arp.sender_mac;
  if (confirmed) {
    s->mac = arp.sender_mac.bytes();
    SetState(*s, NeighborState::kReachable);
    Arm(s->cold, RandomReachableTime());
    Release(*s, actions);
    return;
  }
  if (!changed) return;
  // A new address heard without confirmation: usable, but unverified.
  s->mac = arp.sender_mac.bytes();
  SetState(*s, NeighborState::kStale);
  Arm(s->cold, config_.gc_stale_time);
  Release(*s, actions);
}

void NeighborCache::Confirm(Ipv4Address ip) {
  NeighborSlot* s = slots_.Find(ip.value());
  if (s == nullptr || !HasMac(StateOfSlot(*s)) ||
      StateOfSlot(*s) == NeighborState::kPermanent) {
    return;
  }
  SetState(*s, NeighborState::kReachable);
  Arm(s->cold, RandomReachableTime());
}

void NeighborCache::Advance(std::vector<NeighborAction>& actions) {
  const absl::Time now = clock_->Now();
  while (!timers_.empty() && timers_.top().due <= now) {
    const Timer t = timers_.top();
    timers_.pop();
    NeighborSlot* s = slots_.Find(t.ip);
    if (s == nullptr || cold_[s->cold].timer != t.generation) continue;
    Cold& c = cold_[s->cold];
    c.timer = 0;
    const Ipv4Address ip(t.ip);
    switch (StateOfSlot(*s)) {
      case NeighborState::kIncomplete:
        if (c.probes < config_.multicast_probes) {
          ++c.probes;
          ++stats_.requests;
          actions.push_back({NeighborAction::Kind::kBroadcastRequest, ip,
                             MacAddress::Broadcast(), {}, ""});
          Arm(s->cold, config_.retrans_time);
        } else {
          DropQueue(c, absl::StrCat("no ARP reply from ", ip.ToString()), actions);
          SetState(*s, NeighborState::kFailed);
          Arm(s->cold, config_.gc_stale_time);
        }
        break;
      case NeighborState::kReachable:
        SetState(*s, NeighborState::kStale);
        Arm(s->cold, config_.gc_stale_time);
        break;
      case NeighborState::kDelay:
        SetState(*s, NeighborState::kProbe);
        c.probes = 1;
        ++stats_.probes;
        actions.push_back({NeighborAction::Kind::kUnicastProbe, ip, MacAddress(s->mac), {}, ""});
        Arm(s->cold, config_.retrans_time);
        break;
      case NeighborState::kProbe:
        if (c.probes < config_.unicast_probes) {
          ++c.probes;
          ++stats_.probes;
          actions.push_back(
              {NeighborAction::Kind::kUnicastProbe, ip, MacAddress(s->mac), {}, ""});
          Arm(s->cold, config_.retrans_time);
        } else {
          s->mac = {};
          SetState(*s, NeighborState::kFailed);
          Arm(s->cold, config_.gc_stale_time);
        }
        break;
      case NeighborState::kStale:   // idle for gc_stale_time
      case NeighborState::kFailed:  // kept a while so as not to re-ask at once
        Remove(t.ip);
        break;
      case NeighborState::kPermanent:
        break;
    }
  }
}

absl::Status NeighborCache::AddPermanent(Ipv4Address ip, MacAddress mac,
                                         std::vector<NeighborAction>* released) {
  if (mac.IsMulticast() || mac.IsZero()) {
    return absl::InvalidArgumentError(
        absl::StrCat("arp -s ", ip.ToString(), ": ", mac.ToString(),
                     " is not a unicast address"));
  }
  NeighborSlot* s = slots_.Find(ip.value());
  if (s == nullptr) {
    s = Create(ip);
    if (s == nullptr) {
      return absl::ResourceExhaustedError(
          absl::StrCat("arp -s ", ip.ToString(), ": neighbour table full (",
                       config_.capacity, " entries in use)"));
    }
  }
  s->mac = mac.bytes();
  SetState(*s, NeighborState::kPermanent);
  cold_[s->cold].timer = 0;
  std::vector<NeighborAction> ignored;
  Release(*s, released != nullptr ? *released : ignored);
  return absl::OkStatus();
}

absl::Status NeighborCache::Delete(Ipv4Address ip) {
  if (slots_.Find(ip.value()) == nullptr) {
    return absl::NotFoundError(absl::StrCat("arp -d ", ip.ToString(), ": no entry"));
  }
  Remove(ip.value());
  return absl::OkStatus();
}

std::optional<NeighborState> NeighborCache::StateOf(Ipv4Address ip) const {
  const NeighborSlot* s = slots_.Find(ip.value());
  if (s == nullptr) return std::nullopt;
  return StateOfSlot(*s);
}

std::vector<NeighborEntry> NeighborCache::Entries() const {
  std::vector<NeighborEntry> out;
  for (const Cold& c : cold_) {
    if (!c.live) continue;
    const NeighborSlot* s = slots_.Find(c.ip);
    NeighborEntry e{Ipv4Address(c.ip), std::nullopt, StateOfSlot(*s), c.queue.size()};
    if (HasMac(e.state)) e.mac = MacAddress(s->mac);
    out.push_back(e);
  }
  std::sort(out.begin(), out.end(),
            [](const NeighborEntry& a, const NeighborEntry& b) { return a.ip < b.ip; });
  return out;
}

std::string NeighborCache::FormatArpA(absl::string_view dev) const {
  std::string out;
  for (const NeighborEntry& e : Entries()) {
    absl::StrAppend(&out, "? (", e.ip.ToString(), ") at ");
    if (e.mac) {
      absl::StrAppend(&out, e.mac->ToString(), " [ether] ",
                      e.state == NeighborState::kPermanent ? "PERM " : "");
    } else {
      absl::StrAppend(&out, "<incomplete> ");
    }
    absl::StrAppend(&out, "on ", dev, "\n");
  }
  return out;
}

std::string NeighborCache::FormatIpNeigh(absl::string_view dev) const {
  std::string out;
  for (const NeighborEntry& e : Entries()) {
    absl::StrAppend(&out, e.ip.ToString(), " dev ", dev);
    if (e.mac) absl::StrAppend(&out, " lladdr ", e.mac->ToString());
    absl::StrAppend(&out, " ", NeighborStateName(e.state), "\n");
  }
  return out;
}

size_t NeighborCache::MemoryBytes() const {
  size_t bytes = sizeof(*this) + slots_.MemoryBytes() + cold_.capacity() * sizeof(Cold) +
                 free_cold_.capacity() * sizeof(uint32_t) + timers_.size() * sizeof(Timer) +
                 (failed_.size() + stale_.size()) * 32;
  for (const Cold& c : cold_) {
    bytes += c.queue.capacity() * sizeof(Packet);
    for (const Packet& p : c.queue) bytes += p.capacity();
  }
  return bytes;
}

}  // namespace nexthop
