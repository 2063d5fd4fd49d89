// MacTable: a switch's forwarding database (MAC -> port).
//
// Learns the source address of every frame with the port it came in on,
// forgets dynamic entries not seen for `aging_time` (300 s by default, as
// IEEE 802.1D), follows a station that moves port, and keeps static entries
// forever. Frames to an unknown unicast address, or to a broadcast or
// multicast one, are flooded to every other port; a frame whose destination
// lives on the port it came from is filtered. At `capacity` entries new
// addresses are not learned (their frames are flooded) rather than pushing
// out known ones: a MAC flood cannot evict real stations; dynamic entries
// that have expired free their room for the next new address.
//
// Cost: one hash probe and one clock read per frame for learning, and the
// same for forwarding (Forward checks the entry's age). Expiry is found through
// a min-heap of last-seen times that is brought up to date lazily (a refresh
// only rewrites the entry's time), so a new address at capacity is refused in
// O(1) while nothing can have expired, and otherwise costs amortised
// O(log n) heap steps, each paid for by an earlier learn or refresh: a MAC
// flood at capacity costs O(1) per frame, not a scan of the table. Memory:
// the hash map plus the heap, which is compacted when it passes 2n + 64
// records of 24 bytes (stale records of removed or expired entries wait
// there until then). Not thread-safe.
//
// Example:
//   ManualClock clock;
//   MacTable fdb(&clock, {});
//   const MacAddress a = *MacAddress::Parse("02:00:00:00:00:0a");
//   const MacAddress b = *MacAddress::Parse("02:00:00:00:00:0b");
//   Forwarding f = fdb.Forward(b, /*in_port=*/1);  // kFlood: b is unknown
//   fdb.Learn(a, /*port=*/1);
//   f = fdb.Forward(a, /*in_port=*/2);  // kUnicast to port 1
#ifndef NEXTHOP_ARP_MAC_TABLE_H_
#define NEXTHOP_ARP_MAC_TABLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "net/clock.h"
#include "net/mac_address.h"

namespace nexthop {

struct MacTableConfig {
  size_t capacity = 8192;
  absl::Duration aging_time = absl::Seconds(300);
};

struct Forwarding {
  enum class Kind { kUnicast, kFlood, kFilter };
  Kind kind;
  int port = -1;  // for kUnicast
};

struct MacTableEntry {
  MacAddress mac;
  int port;
  bool is_static;
  absl::Duration age;  // since last seen; zero for static entries
};

class MacTable {
 public:
  MacTable(const Clock* clock, MacTableConfig config);

  // Records that `mac` was seen on `port`. Group addresses are not learned.
  void Learn(MacAddress mac, int port);
  Forwarding Forward(MacAddress dst, int in_port) const;

  absl::Status AddStatic(MacAddress mac, int port);
  absl::Status Remove(MacAddress mac);
  // Drops dynamic entries older than the aging time. Amortised O(log n)
  // per entry dropped or refreshed since the last call.
  void Age();

  std::vector<MacTableEntry> Entries() const;  // by MAC
  // Like `brctl showmacs`: "port  mac addr           local?  ageing timer".
  std::string Format() const;
  size_t size() const { return entries_.size(); }
  uint64_t refused() const { return refused_; }
  uint64_t moves() const { return moves_; }
  // Heap memory of the table and its expiry heap.
  size_t MemoryBytes() const;

 private:
  struct Entry {
    int port;
    bool is_static;
    absl::Time seen;
  };
  // A dynamic entry's last-seen time as it was when this record was
  // pushed: never later than the entry's real one (refreshes only move that
  // forward), and records of removed entries linger until they surface.
  struct AgeRecord {
    absl::Time seen;
    MacAddress mac;
    bool operator>(const AgeRecord& o) const { return seen > o.seen; }
  };
  bool Expired(const Entry& e, absl::Time now) const;
  // Drops every expired dynamic entry and sets next_expiry_, working on the
  // heap's top until it is an exact, unexpired last-seen time.
  void Expire(absl::Time now);
  void PushAge(absl::Time seen, MacAddress mac);

  const Clock* clock_;
  MacTableConfig config_;
  absl::flat_hash_map<MacAddress, Entry> entries_;
  // Min-heap (std::push_heap with std::greater) with a record for every
  // dynamic entry. Every dynamic entry was seen at or after its record's
  // time, so the top bounds them all.
  std::vector<AgeRecord> ages_;
  // No dynamic entry expires before this: Learn at capacity refuses at
  // once until then. Updated by Expire; new entries expire later than it.
  absl::Time next_expiry_ = absl::InfiniteFuture();
  uint64_t refused_ = 0;
  uint64_t moves_ = 0;
};

}  // namespace nexthop

#endif  // NEXTHOP_ARP_MAC_TABLE_H_
