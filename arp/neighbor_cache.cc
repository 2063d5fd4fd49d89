#include "arp/neighbor_cache.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace nexthop {
namespace {

using internal::NeighborSlots;
constexpr uint32_t kNone = NeighborSlots::kNone;

bool HasMac(NeighborState s) {
  return internal::StateHasMac(static_cast<uint8_t>(s));
}
static_assert(static_cast<int>(NeighborState::kIncomplete) == 1 &&
              static_cast<int>(NeighborState::kFailed) == 6);

uint64_t PickSeed(uint64_t seed) {
  if (seed != 0) return seed;
  std::random_device rd;
  return (uint64_t{rd()} << 32) ^ rd();
}

}  // namespace

absl::string_view NeighborStateName(NeighborState s) {
  switch (s) {
    case NeighborState::kIncomplete:
      return "INCOMPLETE";
    case NeighborState::kReachable:
      return "REACHABLE";
    case NeighborState::kStale:
      return "STALE";
    case NeighborState::kDelay:
      return "DELAY";
    case NeighborState::kProbe:
      return "PROBE";
    case NeighborState::kFailed:
      return "FAILED";
    case NeighborState::kPermanent:
      return "PERMANENT";
  }
  return "?";
}

NeighborCache::NeighborCache(const Clock* clock, NeighborConfig config)
    : clock_(clock),
      config_(config),
      epoch_(clock->Now()),
      slots_(std::max<size_t>(config.capacity, 1), PickSeed(config.seed)),
      rng_(PickSeed(config.seed) ^ 0x9E3779B97F4A7C15ull) {
  config_.capacity = std::max<size_t>(config_.capacity, 1);
}

void NeighborCache::LookupBatch(std::span<const uint32_t> ips,
                                std::span<uint64_t> macs) const noexcept {
  slots_.FindMacBatch(ips.data(), macs.data(),
                      std::min(ips.size(), macs.size()));
}

void NeighborCache::LookupBatch(std::span<const Ipv4Address> ips,
                                std::span<MacAddress> out) const noexcept {
  slots_.FindMacBatch(ips.data(), out.data(), std::min(ips.size(), out.size()));
}

int64_t NeighborCache::TickOf(absl::Time t) const {
  absl::Duration rem;
  return absl::IDivDuration(t - epoch_, kTick, &rem);
}

namespace {
// The 16-bit stamp of a tick: 1..65535, so that 0 can mean "unused".
uint16_t StampOf(int64_t tick) {
  return static_cast<uint16_t>(tick % 65535 + 1);
}
// Stamps are folded into Cold::used whenever the tick enters a new window
// of this many ticks: a stamp is then never more than two windows (65,536
// ticks) old, and decodes without ambiguity.
constexpr int64_t kFoldWindow = 32768;
}  // namespace

void NeighborCache::Publish() {
  const int64_t now = TickOf(clock_->Now());
  if (now == tick_) return;
  if (now / kFoldWindow != tick_ / kFoldWindow) {
    // Decoded against the tick they were stamped under, before it moves.
    for (Cold& c : cold_) {
      if (!c.live) continue;
      const uint32_t s = slots_.Find(c.ip);
      c.used = LastUse(s);
      slots_.clear_last_use(s);
    }
  }
  tick_ = now;
  slots_.set_tick(StampOf(now));
}

int64_t NeighborCache::LastUse(uint32_t slot) {
  const Cold& c = ColdOf(slot);
  const uint16_t stamp = slots_.last_use(slot);
  if (stamp == 0) return c.used;
  const int64_t back = (StampOf(tick_) - int64_t{stamp} + 65535) % 65535;
  return std::max(c.used, tick_ - back);
}

bool NeighborCache::RecentlyUsed(uint32_t slot) {
  const int64_t last = LastUse(slot);
  return last != kNeverUsed && kTick * (tick_ - last) < config_.gc_stale_time;
}

void NeighborCache::ArmStale(uint32_t slot) {
  // The next look at its use, or its collection, whichever comes first.
  const absl::Duration idle = clock_->Now() - ColdOf(slot).updated;
  Arm(slot,
      std::max(std::min(config_.use_check_time, config_.gc_stale_time - idle),
               absl::Milliseconds(1)));
}

NeighborState NeighborCache::State(uint32_t slot) const {
  return static_cast<NeighborState>(slots_.state(slot));
}

absl::Duration NeighborCache::RandomReachableTime() {
  std::uniform_real_distribution<double> factor(0.5, 1.5);
  return config_.base_reachable_time * factor(rng_);
}

uint64_t NeighborCache::Connected(uint32_t slot) const {
  const NeighborState s = State(slot);
  return s == NeighborState::kReachable || s == NeighborState::kPermanent
             ? slots_.mac(slot)
             : 0;
}

void NeighborCache::NoteChange(uint32_t slot, uint64_t before) {
  if (Connected(slot) != before) Log(slot);
}

void NeighborCache::Log(uint32_t slot) {
  Cold& c = ColdOf(slot);
  if (c.logged || changes_overflowed_) return;
  c.logged = true;
  changes_.push_back(c.ip);
  // Undrained: forget the addresses, say that anything may have changed.
  if (changes_.size() > 2 * config_.capacity) {
    changes_overflowed_ = true;
    changes_.clear();
    changes_.shrink_to_fit();
    for (Cold& other : cold_) other.logged = false;
  }
}

void NeighborCache::SetMac(uint32_t slot, uint64_t mac) {
  const uint64_t before = Connected(slot);
  slots_.set_mac(slot, mac);
  NoteChange(slot, before);
}

void NeighborCache::SetState(uint32_t slot, NeighborState state) {
  Cold& c = ColdOf(slot);
  const NeighborState old = State(slot);
  const uint64_t before = Connected(slot);
  if (old == NeighborState::kStale) stale_.erase({c.updated, c.ip});
  if (old == NeighborState::kFailed) failed_.erase({c.updated, c.ip});
  c.updated = clock_->Now();
  slots_.set_state(slot, static_cast<uint8_t>(state));
  if (state == NeighborState::kStale) stale_.insert({c.updated, c.ip});
  if (state == NeighborState::kFailed) failed_.insert({c.updated, c.ip});
  NoteChange(slot, before);
}

void NeighborCache::Arm(uint32_t slot, absl::Duration after) {
  Cold& c = ColdOf(slot);
  c.timer = next_timer_++;
  timers_.push(Timer{clock_->Now() + after, c.ip, c.timer});
  // Superseded timers stay in the heap until due; rebuild it before they
  // can outnumber the entries (a flood must not grow memory).
  if (timers_.size() > 4 * config_.capacity + 64) {
    std::vector<Timer> live;
    while (!timers_.empty()) {
      const Timer t = timers_.top();
      timers_.pop();
      const uint32_t s = slots_.Find(t.ip);
      if (s != kNone && ColdOf(s).timer == t.generation) live.push_back(t);
    }
    timers_ = decltype(timers_)(std::greater<Timer>(), std::move(live));
  }
}

bool NeighborCache::EvictOne() {
  if (!failed_.empty()) {
    Remove(slots_.Find(failed_.begin()->second));
    ++stats_.evictions;
    return true;
  }
  while (!stale_.empty()) {
    const uint32_t s = slots_.Find(stale_.begin()->second);
    if (RecentlyUsed(s)) {
      // In use (a gateway the fast path forwards through): re-verify it,
      // as its use would have, instead of evicting it. It leaves stale_,
      // so each entry is passed over at most once per STALE spell.
      SetState(s, NeighborState::kDelay);
      Arm(s, config_.delay_first_probe_time);
      continue;
    }
    Remove(s);
    ++stats_.evictions;
    return true;
  }
  return false;
}

uint32_t NeighborCache::Create(Ipv4Address ip, NeighborState state) {
  if (live_ >= config_.capacity && !EvictOne()) {
    ++stats_.refused;
    return kNone;
  }
  uint32_t idx;
  if (!free_cold_.empty()) {
    idx = free_cold_.back();
    free_cold_.pop_back();
  } else {
    idx = static_cast<uint32_t>(cold_.size());
    cold_.emplace_back();
  }
  Cold& c = cold_[idx];
  c = Cold{};
  c.ip = ip.value();
  c.live = true;
  c.updated = clock_->Now();
  ++live_;
  const uint32_t slot =
      slots_.Insert(ip.value(), static_cast<uint8_t>(state), idx);
  if (state == NeighborState::kStale) stale_.insert({c.updated, c.ip});
  if (state == NeighborState::kFailed) failed_.insert({c.updated, c.ip});
  return slot;
}

void NeighborCache::Remove(uint32_t slot) {
  Cold& c = ColdOf(slot);
  if (State(slot) == NeighborState::kStale) stale_.erase({c.updated, c.ip});
  if (State(slot) == NeighborState::kFailed) failed_.erase({c.updated, c.ip});
  // Logged before its control data goes (the address stays in the log).
  if (Connected(slot) != 0) Log(slot);
  free_cold_.push_back(slots_.cold(slot));
  c = Cold{};  // frees the queue
  slots_.Erase(slot);
  --live_;
  // The slot waits for a grace period before it takes another address.
  if (!reclaim_.deferred()) {
    slots_.ReuseRetired();
    return;
  }
  reclaim_.Defer(kSlotBytes);
  if (reclaim_.OverBudget() || slots_.retired() > config_.capacity / 2)
    Reclaim();
}

void NeighborCache::Reclaim() {
  reclaim_.Wait();
  slots_.ReuseRetired();
}

std::optional<MacAddress> NeighborCache::ConnectedMac(Ipv4Address ip) const {
  const uint32_t s = slots_.Find(ip.value());
  if (s == kNone || Connected(s) == 0) return std::nullopt;
  return MacAddress::FromUint64(Connected(s));
}

NeighborChanges NeighborCache::TakeChanges() {
  NeighborChanges out;
  out.all = std::exchange(changes_overflowed_, false);
  out.changed.reserve(changes_.size());
  for (uint32_t ip : changes_) {
    const uint32_t s = slots_.Find(ip);
    uint64_t mac = 0;
    if (s != kNone) {
      mac = Connected(s);
      ColdOf(s).logged = false;
    }
    out.changed.push_back({Ipv4Address(ip), MacAddress::FromUint64(mac)});
  }
  changes_.clear();
  return out;
}

void NeighborCache::Release(uint32_t slot,
                            std::vector<NeighborAction>& actions) {
  Cold& c = ColdOf(slot);
  for (Queued& q : c.queue) {
    actions.push_back({NeighborAction::Kind::kTransmit, Ipv4Address(c.ip),
                       MacAddress::FromUint64(slots_.mac(slot)),
                       std::move(q.packet), "", q.context});
  }
  c.queue.clear();
  c.queue.shrink_to_fit();
}

void NeighborCache::DropQueue(Cold& c, const std::string& reason,
                              NeighborAction::Cause cause,
                              std::vector<NeighborAction>& actions) {
  for (Queued& q : c.queue) {
    ++stats_.dropped_unresolved;
    actions.push_back({NeighborAction::Kind::kDrop, Ipv4Address(c.ip),
                       MacAddress(), std::move(q.packet), reason, q.context,
                       cause});
  }
  c.queue.clear();
  c.queue.shrink_to_fit();
}

void NeighborCache::Enqueue(uint32_t slot, Queued packet,
                            std::vector<NeighborAction>& actions) {
  Cold& c = ColdOf(slot);
  if (c.queue.size() >= config_.queue_limit) {
    ++stats_.dropped_queue_full;
    if (c.queue.empty()) {  // a limit of 0 queues nothing
      actions.push_back({NeighborAction::Kind::kDrop, Ipv4Address(c.ip),
                         MacAddress(), std::move(packet.packet),
                         "unresolved queue full", packet.context,
                         NeighborAction::Cause::kQueueFull});
      return;
    }
    actions.push_back({NeighborAction::Kind::kDrop, Ipv4Address(c.ip),
                       MacAddress(), std::move(c.queue.front().packet),
                       "unresolved queue full: oldest packet dropped",
                       c.queue.front().context,
                       NeighborAction::Cause::kQueueFull});
    c.queue.erase(c.queue.begin());
  }
  c.queue.push_back(std::move(packet));
}

void NeighborCache::SendRequest(uint32_t slot,
                                std::vector<NeighborAction>& actions) {
  Cold& c = ColdOf(slot);
  ++c.probes;
  ++stats_.requests;
  actions.push_back({NeighborAction::Kind::kBroadcastRequest,
                     Ipv4Address(c.ip),
                     MacAddress::Broadcast(),
                     {},
                     ""});
  Arm(slot, config_.retrans_time);
}

std::optional<MacAddress> NeighborCache::Resolve(
    Ipv4Address ip, Packet packet, std::vector<NeighborAction>& actions,
    uint32_t context) {
  Publish();
  uint32_t s = slots_.Find(ip.value());
  if (s != kNone) {
    ColdOf(s).used = tick_;
    switch (State(s)) {
      case NeighborState::kStale:
        SetState(s, NeighborState::kDelay);
        Arm(s, config_.delay_first_probe_time);
        [[fallthrough]];
      case NeighborState::kReachable:
      case NeighborState::kDelay:
      case NeighborState::kProbe:
      case NeighborState::kPermanent:
        return MacAddress::FromUint64(slots_.mac(s));
      case NeighborState::kIncomplete:
        Enqueue(s, {std::move(packet), context}, actions);
        return std::nullopt;
      case NeighborState::kFailed:
        SetState(s, NeighborState::kIncomplete);
        break;  // resolve again, below
    }
  } else {
    s = Create(ip, NeighborState::kIncomplete);
    if (s == kNone) {
      ++stats_.dropped_table_full;
      actions.push_back({NeighborAction::Kind::kDrop, ip, MacAddress(),
                         std::move(packet), "neighbour table full", context,
                         NeighborAction::Cause::kTableFull});
      return std::nullopt;
    }
    ColdOf(s).used = tick_;
  }
  ColdOf(s).probes = 0;
  SendRequest(s, actions);
  Enqueue(s, {std::move(packet), context}, actions);
  return std::nullopt;
}

void NeighborCache::OnArp(const ArpPacket& arp, bool target_is_local,
                          std::vector<NeighborAction>& actions) {
  Publish();
  // An ARP probe (RFC 5227) has sender 0.0.0.0: nothing to learn.
  if (arp.sender_ip.value() == 0 || arp.sender_mac.IsMulticast() ||
      arp.sender_mac.IsZero()) {
    return;
  }
  const uint32_t s = slots_.Find(arp.sender_ip.value());
  if (s == kNone) {
    // Only the target of a request records the sender.
    if (!(arp.op == ArpOp::kRequest && target_is_local) || arp.IsGratuitous())
      return;
    const uint32_t created = Create(arp.sender_ip, NeighborState::kStale);
    if (created == kNone) return;  // full of entries in use: refuse, evict none
    SetMac(created, arp.sender_mac.ToUint64());
    ArmStale(created);
    return;
  }
  const NeighborState state = State(s);
  if (state == NeighborState::kPermanent) return;
  if (arp.op == ArpOp::kReply && target_is_local) {  // an answer to us
    SetState(s, NeighborState::kReachable);
    SetMac(s, arp.sender_mac.ToUint64());
    Arm(s, RandomReachableTime());
    Release(s, actions);
    return;
  }
  if (HasMac(state) && MacAddress::FromUint64(slots_.mac(s)) == arp.sender_mac)
    return;
  // A new address heard without confirmation: usable, but unverified.
  SetState(s, NeighborState::kStale);
  SetMac(s, arp.sender_mac.ToUint64());
  ArmStale(s);
  Release(s, actions);
}

void NeighborCache::Confirm(Ipv4Address ip) {
  Publish();
  const uint32_t s = slots_.Find(ip.value());
  if (s == kNone || !HasMac(State(s)) || State(s) == NeighborState::kPermanent)
    return;
  SetState(s, NeighborState::kReachable);
  Arm(s, RandomReachableTime());
}

void NeighborCache::Advance(std::vector<NeighborAction>& actions) {
  Publish();
  const absl::Time now = clock_->Now();
  while (!timers_.empty() && timers_.top().due <= now) {
    const Timer t = timers_.top();
    timers_.pop();
    const uint32_t s = slots_.Find(t.ip);
    if (s == kNone || ColdOf(s).timer != t.generation) continue;
    Cold& c = ColdOf(s);
    c.timer = 0;
    const Ipv4Address ip(t.ip);
    const MacAddress mac = MacAddress::FromUint64(slots_.mac(s));
    switch (State(s)) {
      case NeighborState::kIncomplete:
        if (c.probes < config_.multicast_probes) {
          SendRequest(s, actions);
        } else {
          DropQueue(c, absl::StrCat("no ARP reply from ", ip.ToString()),
                    NeighborAction::Cause::kFailed, actions);
          SetState(s, NeighborState::kFailed);
          Arm(s, config_.gc_stale_time);
        }
        break;
      case NeighborState::kReachable:
        SetState(s, NeighborState::kStale);
        ArmStale(s);
        break;
      case NeighborState::kDelay:
        SetState(s, NeighborState::kProbe);
        c.probes = 1;
        ++stats_.probes;
        actions.push_back(
            {NeighborAction::Kind::kUnicastProbe, ip, mac, {}, ""});
        Arm(s, config_.retrans_time);
        break;
      case NeighborState::kProbe:
        if (c.probes < config_.unicast_probes) {
          ++c.probes;
          ++stats_.probes;
          actions.push_back(
              {NeighborAction::Kind::kUnicastProbe, ip, mac, {}, ""});
          Arm(s, config_.retrans_time);
        } else {
          SetState(s, NeighborState::kFailed);  // forgets the MAC
          Arm(s, config_.gc_stale_time);
        }
        break;
      case NeighborState::kStale:
        if (LastUse(s) >= TickOf(c.updated)) {
          // Used since it became STALE (by a lookup, as forwarded traffic
          // does): re-verify it, as Linux does on such a use.
          SetState(s, NeighborState::kDelay);
          Arm(s, config_.delay_first_probe_time);
        } else if (now - c.updated >= config_.gc_stale_time) {
          Remove(s);  // idle for gc_stale_time, and not used within it
        } else {
          ArmStale(s);
        }
        break;
      case NeighborState::kFailed:  // kept a while so as not to re-ask at once
        Remove(s);
        break;
      case NeighborState::kPermanent:
        break;
    }
  }
}

absl::Status NeighborCache::AddPermanent(
    Ipv4Address ip, MacAddress mac, std::vector<NeighborAction>* released) {
  Publish();
  if (mac.IsMulticast() || mac.IsZero()) {
    return absl::InvalidArgumentError(
        absl::StrCat("arp -s ", ip.ToString(), ": ", mac.ToString(),
                     " is not a unicast address"));
  }
  uint32_t s = slots_.Find(ip.value());
  if (s == kNone) {
    s = Create(ip, NeighborState::kPermanent);
    if (s == kNone) {
      return absl::ResourceExhaustedError(
          absl::StrCat("arp -s ", ip.ToString(), ": neighbour table full (",
                       config_.capacity, " entries in use)"));
    }
  }
  SetState(s, NeighborState::kPermanent);
  SetMac(s, mac.ToUint64());
  ColdOf(s).timer = 0;
  std::vector<NeighborAction> ignored;
  Release(s, released != nullptr ? *released : ignored);
  return absl::OkStatus();
}

absl::Status NeighborCache::Delete(Ipv4Address ip) {
  Publish();
  const uint32_t s = slots_.Find(ip.value());
  if (s == kNone) {
    return absl::NotFoundError(
        absl::StrCat("arp -d ", ip.ToString(), ": no entry"));
  }
  Remove(s);
  return absl::OkStatus();
}

std::optional<NeighborState> NeighborCache::StateOf(Ipv4Address ip) const {
  const uint32_t s = slots_.Find(ip.value());
  if (s == kNone) return std::nullopt;
  return State(s);
}

std::vector<NeighborEntry> NeighborCache::Entries() const {
  std::vector<NeighborEntry> out;
  for (const Cold& c : cold_) {
    if (!c.live) continue;
    const uint32_t s = slots_.Find(c.ip);
    NeighborEntry e{Ipv4Address(c.ip), std::nullopt, State(s), c.queue.size()};
    if (HasMac(e.state)) e.mac = MacAddress::FromUint64(slots_.mac(s));
    out.push_back(e);
  }
  std::sort(out.begin(), out.end(),
            [](const NeighborEntry& a, const NeighborEntry& b) {
              return a.ip < b.ip;
            });
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
  size_t bytes =
      sizeof(*this) + slots_.MemoryBytes() + cold_.capacity() * sizeof(Cold) +
      free_cold_.capacity() * sizeof(uint32_t) +
      timers_.size() * sizeof(Timer) + (failed_.size() + stale_.size()) * 32 +
      changes_.capacity() * sizeof(uint32_t);
  for (const Cold& c : cold_) {
    bytes += c.queue.capacity() * sizeof(Queued);
    for (const Queued& q : c.queue) bytes += q.packet.capacity();
  }
  return bytes;
}

}  // namespace nexthop
