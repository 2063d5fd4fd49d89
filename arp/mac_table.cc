#include "arp/mac_table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace nexthop {

MacTable::MacTable(const Clock* clock, MacTableConfig config)
    : clock_(clock), config_(config) {}

bool MacTable::Expired(const Entry& e) const {
  return !e.is_static && clock_->Now() - e.seen >= config_.aging_time;
}

void MacTable::Learn(MacAddress mac, int port) {
  if (mac.IsMulticast() || mac.IsZero()) return;
  auto it = entries_.find(mac);
  if (it != entries_.end()) {
    Entry& e = it->second;
    if (e.is_static) return;
    if (e.port != port) ++moves_;
    e.port = port;
    e.seen = clock_->Now();
    return;
  }
  if (entries_.size() >= config_.capacity) {
    Age();  // make room from the expired, never from the live
    if (entries_.size() >= config_.capacity) {
      ++refused_;
      return;
    }
  }
  entries_.emplace(mac, Entry{port, false, clock_->Now()});
}

Forwarding MacTable::Forward(MacAddress dst, int in_port) const {
  if (dst.IsMulticast()) return {Forwarding::Kind::kFlood};
  auto it = entries_.find(dst);
  if (it == entries_.end() || Expired(it->second))
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

void MacTable::Age() {
  absl::erase_if(entries_,
                 [this](const auto& kv) { return Expired(kv.second); });
}

std::vector<MacTableEntry> MacTable::Entries() const {
  std::vector<MacTableEntry> out;
  for (const auto& [mac, e] : entries_) {
    if (Expired(e)) continue;
    out.push_back(
        {mac, e.port, e.is_static,
         e.is_static ? absl::ZeroDuration() : clock_->Now() - e.seen});
  }
  std::sort(out.begin(), out.end(),
            [](const MacTableEntry& a, const MacTableEntry& b) {
              return a.mac < b.mac;
            });
  return out;
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
