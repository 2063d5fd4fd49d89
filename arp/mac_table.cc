#include "arp/mac_table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace nexthop {

MacTable::MacTable(const Clock* clock, MacTableConfig config)
    : clock_(clock), config_(config) {}

bool MacTable::Expired(const Entry& e, absl::Time now) const {
  return !e.is_static && now - e.seen >= config_.aging_time;
}

void MacTable::PushAge(absl::Time seen, MacAddress mac) {
  ages_.push_back({seen, mac});
  std::push_heap(ages_.begin(), ages_.end(), std::greater<AgeRecord>());
  // Records of removed (or since static) entries would pile up while the
  // top stays put; past twice the table, rebuild from the entries: O(n),
  // paid for by the n records pushed since the last rebuild.
  if (ages_.size() > 2 * entries_.size() + 64) {
    ages_.clear();
    for (const auto& [m, e] : entries_) {
      if (!e.is_static) ages_.push_back({e.seen, m});
    }
    std::make_heap(ages_.begin(), ages_.end(), std::greater<AgeRecord>());
  }
}

void MacTable::Expire(absl::Time now) {
  while (!ages_.empty()) {
    const AgeRecord top = ages_.front();
    const auto it = entries_.find(top.mac);
    const bool dynamic = it != entries_.end() && !it->second.is_static;
    if (dynamic && it->second.seen == top.seen && !Expired(it->second, now)) {
      // Exact and live: every other dynamic entry was seen no earlier.
      next_expiry_ = top.seen + config_.aging_time;
      return;
    }
    std::pop_heap(ages_.begin(), ages_.end(), std::greater<AgeRecord>());
    ages_.pop_back();
    if (!dynamic) continue;  // the record of an entry since removed
    if (Expired(it->second, now)) {
      entries_.erase(it);
    } else {
      // Seen again since the record was pushed: queue it at its real time.
      // The push is paid for by the refresh that made it necessary.
      PushAge(it->second.seen, top.mac);
    }
  }
  next_expiry_ = absl::InfiniteFuture();
}

void MacTable::Learn(MacAddress mac, int port) {
  if (mac.IsMulticast() || mac.IsZero()) return;
  const absl::Time now = clock_->Now();
  auto it = entries_.find(mac);
  if (it != entries_.end()) {
    Entry& e = it->second;
    if (e.is_static) return;
    if (e.port != port) ++moves_;
    e.port = port;
    e.seen = now;  // its heap record is brought up to date when it surfaces
    return;
  }
  if (entries_.size() >= config_.capacity) {
    // Make room from the expired, never from the live. Until the earliest
    // possible expiry nothing can be freed: a flood is refused in O(1).
    if (now >= next_expiry_) Expire(now);
    if (entries_.size() >= config_.capacity) {
      ++refused_;
      return;
    }
  }
  entries_.emplace(mac, Entry{port, false, now});
  PushAge(now, mac);
  next_expiry_ = std::min(next_expiry_, now + config_.aging_time);
}

Forwarding MacTable::Forward(MacAddress dst, int in_port) const {
  if (dst.IsMulticast()) return {Forwarding::Kind::kFlood};
  auto it = entries_.find(dst);
  if (it == entries_.end() || Expired(it->second, clock_->Now()))
    return {Forwarding::Kind::kFlood};
  if (it->second.port == in_port) return {Forwarding::Kind::kFilter};
  return {Forwarding::Kind::kUnicast, it->second.port};
}

absl::Status MacTable::AddStatic(MacAddress mac, int port) {
  if (mac.IsMulticast() || mac.IsZero()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "static MAC entry ", mac.ToString(), ": not a unicast address"));
  }
  auto it = entries_.find(mac);
  if (it == entries_.end() && entries_.size() >= config_.capacity) {
    Age();
    if (entries_.size() >= config_.capacity) {
      return absl::ResourceExhaustedError(
          absl::StrCat("static MAC entry ", mac.ToString(), ": table full (",
                       config_.capacity, " entries)"));
    }
  }
  entries_[mac] = Entry{port, true, clock_->Now()};
  return absl::OkStatus();
}

absl::Status MacTable::Remove(MacAddress mac) {
  if (entries_.erase(mac) == 0) {
    return absl::NotFoundError(
        absl::StrCat("no MAC entry for ", mac.ToString()));
  }
  return absl::OkStatus();
}

void MacTable::Age() { Expire(clock_->Now()); }

std::vector<MacTableEntry> MacTable::Entries() const {
  std::vector<MacTableEntry> out;
  const absl::Time now = clock_->Now();
  for (const auto& [mac, e] : entries_) {
    if (Expired(e, now)) continue;
    out.push_back({mac, e.port, e.is_static,
                   e.is_static ? absl::ZeroDuration() : now - e.seen});
  }
  std::sort(out.begin(), out.end(),
            [](const MacTableEntry& a, const MacTableEntry& b) {
              return a.mac < b.mac;
            });
  return out;
}

size_t MacTable::MemoryBytes() const {
  // A flat_hash_map slot per bucket plus one control byte.
  return sizeof(*this) +
         entries_.bucket_count() *
             (sizeof(std::pair<const MacAddress, Entry>) + 1) +
         ages_.capacity() * sizeof(AgeRecord);
}

std::string MacTable::Format() const {
  std::string out = "port no\tmac addr\t\tis local?\tageing timer\n";
  for (const MacTableEntry& e : Entries()) {
    absl::StrAppend(
        &out, absl::StrFormat("%3d\t%s\t%s\t\t%6.2f\n", e.port,
                              e.mac.ToString(), e.is_static ? "static" : "no",
                              absl::ToDoubleSeconds(e.age)));
  }
  return out;
}

}  // namespace nexthop
