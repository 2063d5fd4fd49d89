// NeighborCache: a host's or router's ARP cache (IPv4 -> MAC), with the
// states and timers of Linux's neighbour subsystem.
//
// States: INCOMPLETE (request sent, packets queued), REACHABLE (confirmed
// within reachable_time, randomised 0.5x-1.5x per entry), STALE (usable but
// unconfirmed), DELAY (used while STALE: wait for a confirmation before
// probing), PROBE (unicast re-checks), FAILED (no answer), PERMANENT
// (`arp -s`). Time comes from an injected Clock; nothing happens behind the
// caller's back: the owner calls Advance() and carries out the returned
// actions (send a request, transmit a released packet, report a drop).
//
// Learning (RFC 826 and the articles): the target of a request records the
// sender; a reply to us completes an INCOMPLETE entry and releases its
// queued packets in order; other traffic (requests for others, gratuitous
// ARP) only updates entries that already exist. PERMANENT entries are never
// changed by the network.
//
// Use (Linux's neigh->used): lookups, single or batched, record that they
// found an entry, without locks: a relaxed atomic 16-bit stamp of coarse
// time (quarter seconds, published by the control plane at each call) in
// the entry's hot bucket, written only when it changes. Resolve records
// use too. The timers act on it as Linux does on the fast path's use: a
// STALE entry used since it became STALE moves to DELAY, then PROBE, so it
// is re-verified (the STALE timer looks every `use_check_time`), and
// garbage collection and eviction skip entries used within gc_stale_time.
// So a gateway used only by forwarded traffic is kept and re-checked, not
// collected. The owner must call Advance() regularly (a router's timer
// tick) for this to run; stamps are folded into the control data every
// 2.3 hours of ticks, so they cannot wrap.
//
// Bounded: at most `capacity` entries (like gc_thresh3). A new entry at
// capacity evicts a FAILED entry, else the STALE entry idle longest that
// was not used within gc_stale_time (a used one is moved to DELAY instead,
// to be re-verified); entries in use (INCOMPLETE, REACHABLE, DELAY, PROBE)
// and PERMANENT ones are never evicted, so a flood of forged requests
// cannot push them out: it is refused instead. Each entry queues at most
// `queue_limit` packets (like unres_qlen), dropping the oldest.
//
// Lookups hash with XXH3 and a per-instance random seed into a fixed table
// of 64-byte buckets of four keys; `LookupBatch` hashes 64 keys (eight per
// AVX-512 instruction where the CPU has it) before probing any, and in a
// table larger than L2 prefetches their buckets first. Cost: 32 bytes per entry
// of capacity, plus ~100 bytes of control data per entry in use; a lookup
// that hits also reads (and once a tick writes) its use stamp in the line
// it already loaded. A STALE entry costs one timer event per
// use_check_time.
//
// Connected MACs and their changes: an entry's MAC is "connected" while it
// is REACHABLE or PERMANENT (Linux's NUD_CONNECTED), the only states in
// which a forwarding table may hold it instead of looking it up per packet
// (Linux uses a neighbour's cached header only then: a STALE neighbour's
// traffic must go through the lookup, where its use is recorded and starts
// its re-verification). ConnectedMac() answers it, and the cache logs every
// address whose connected MAC changes (resolved, re-addressed, made
// PERMANENT or confirmed, leaving REACHABLE for STALE, deleted; eviction
// and collection take only FAILED and STALE entries, which lost theirs when
// they left REACHABLE), each once until the owner drains the log with
// TakeChanges(), which gives each address's connected MAC as it is then. A log
// never drained cannot grow without bound: past twice the capacity it is
// dropped and the next TakeChanges() says that anything may have changed.
// AdjacencyTable (fwd/adjacency_table.h) follows it to keep a ForwardingPlane's
// adjacencies in step.
//
// Thread-safety: one writer (every non-const call, and the const ones
// other than the lookups: they read control data the writer changes)
// beside any number of lookups (Lookup, LookupBatch) on other threads, once
// SetGracePeriod() has attached the grace period those threads report to
// (rcu/urcu_qsbr.h); lookups are lock-free and wait-free and answer, for
// each address, a MAC it had before or after each change, never another
// entry's or a torn one (internal/neighbor_slots.h says how). An erased
// entry's slot takes no other address until a grace period has passed: the
// writer waits for one when more slots wait than SetGracePeriod's budget
// allows (16 bytes a slot, 1 MiB by default) or than half the capacity,
// and Reclaim() waits on demand. Without a grace period, lookups may run
// concurrently with each other but not with the writer, and slots are
// reused at once.
//
// Example:
//   ManualClock clock;
//   NeighborCache cache(&clock, {});
//   const Ipv4Address gw = Ipv4Address::FromOctets(10, 0, 0, 1);
//   const MacAddress gw_mac = *MacAddress::Parse("02:00:00:00:00:01");
//   std::vector<NeighborAction> actions;
//   cache.Resolve(gw, Packet(64, 0), actions);  // queued; a broadcast request
//   ArpPacket reply = ArpReply(ArpRequest(MacAddress(), Ipv4Address(), gw).arp,
//                              gw_mac).arp;
//   actions.clear();
//   cache.OnArp(reply, /*target_is_local=*/true, actions);  // kTransmit
//   std::optional<MacAddress> mac = cache.Lookup(gw);  // the fast path: gw_mac
//   NeighborChanges changes = cache.TakeChanges();  // {gw, gw_mac}: REACHABLE
#ifndef NEXTHOP_ARP_NEIGHBOR_CACHE_H_
#define NEXTHOP_ARP_NEIGHBOR_CACHE_H_

#include <climits>
#include <cstdint>
#include <optional>
#include <queue>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "arp/arp_packet.h"
#include "arp/internal/neighbor_slots.h"
#include "lpm/grace_period.h"
#include "lpm/internal/reclaim.h"
#include "net/clock.h"

namespace nexthop {

enum class NeighborState : uint8_t {
  kIncomplete = 1,
  kReachable,
  kStale,
  kDelay,
  kProbe,
  kFailed,
  kPermanent,
};
absl::string_view NeighborStateName(NeighborState s);  // "REACHABLE", ...

struct NeighborConfig {
  size_t capacity = 1024;    // gc_thresh3
  size_t queue_limit = 101;  // unres_qlen: packets per unresolved entry
  absl::Duration base_reachable_time = absl::Seconds(30);
  absl::Duration delay_first_probe_time = absl::Seconds(5);
  absl::Duration retrans_time = absl::Seconds(1);
  int unicast_probes = 3;    // PROBE -> FAILED after this many
  int multicast_probes = 3;  // INCOMPLETE -> FAILED after this many
  absl::Duration gc_stale_time = absl::Seconds(60);
  // How often a STALE entry's timer looks whether lookups used it (Linux
  // sees that on the packet itself): the longest a used STALE entry waits
  // before DELAY.
  absl::Duration use_check_time = absl::Seconds(1);
  uint64_t seed = 0;  // hash and timer seed; 0 picks a random one
};

using Packet = std::vector<uint8_t>;

// Something the cache's owner must do.
struct NeighborAction {
  enum class Kind {
    kBroadcastRequest,  // send "who-has ip" to ff:ff:ff:ff:ff:ff
    kUnicastProbe,      // send "who-has ip" to `mac`
    kTransmit,          // `packet` may now go to `mac`
    kDrop,              // `packet` is dropped; `reason` says why
  };
  // Why a kDrop happened, for the owner's counters.
  enum class Cause {
    kNone,
    kFailed,     // no ARP reply after the retries
    kQueueFull,  // queue_limit packets already wait for this neighbour
    kTableFull,  // no entry could be made for it
  };
  Kind kind;
  Ipv4Address ip;
  MacAddress mac;
  Packet packet;
  std::string reason;
  // kTransmit, kDrop of a queued packet: the `context` it was given to
  // Resolve with (its owner's, e.g. the egress port it was routed to).
  uint32_t context = 0;
  Cause cause = Cause::kNone;  // kDrop only
};

struct NeighborEntry {
  Ipv4Address ip;
  std::optional<MacAddress> mac;  // nullopt while INCOMPLETE or FAILED
  NeighborState state;
  size_t queued = 0;
};

// An address whose connected MAC (NeighborCache::ConnectedMac) may have
// changed, with that MAC when the log was taken (zero: none).
struct NeighborChange {
  Ipv4Address ip;
  MacAddress mac;
  friend bool operator==(const NeighborChange&,
                         const NeighborChange&) = default;
};
// What NeighborCache::TakeChanges() gives.
struct NeighborChanges {
  std::vector<NeighborChange> changed;
  // The log overflowed (an owner that did not drain it): any address may
  // have changed, and `changed` is empty; ask ConnectedMac() for each.
  bool all = false;
};

struct NeighborStats {
  uint64_t requests = 0, probes = 0, evictions = 0, refused = 0;
  uint64_t dropped_queue_full = 0, dropped_unresolved = 0,
           dropped_table_full = 0;
};

// SetGracePeriod and reclaim_stats come from internal::DeferredFrees: with
// a grace period attached, lookups may run beside the writer (above).
class NeighborCache : public internal::DeferredFrees {
 public:
  NeighborCache(const Clock* clock, NeighborConfig config);

  // Data plane: the MAC to use, for any state that has one. Records the
  // entry's use (a relaxed atomic stamp; nothing else changes).
  // Inline: out of line, returning the optional went through memory and
  // stalled on store forwarding (measured 9 ns against 2.6 ns in L1).
  std::optional<MacAddress> Lookup(Ipv4Address ip) const noexcept {
    const uint64_t mac = slots_.FindMac(ip.value());
    if (mac == 0) return std::nullopt;
    return MacAddress::FromUint64(mac);
  }
  // out[i] for i < min(ips.size(), out.size()): the MAC, or the zero
  // address on a miss (a neighbour never has MAC 0: the cache refuses it).
  // Records each found entry's use, as Lookup does.
  void LookupBatch(std::span<const Ipv4Address> ips,
                   std::span<MacAddress> out) const noexcept;
  // The same on raw words, for callers that hold them (the forwarding
  // plane): ips[i] is an Ipv4Address::value(), macs[i] a
  // MacAddress::ToUint64(), 0 on a miss. Both forms run the same probe
  // loop, which reads and writes each as its own type (no pointer casts
  // between them) and writes each result itself.
  void LookupBatch(std::span<const uint32_t> ips,
                   std::span<uint64_t> macs) const noexcept;

  // Transmit path: the MAC to send `packet` to now, or nullopt if it was
  // queued (or dropped) while the address resolves. Records use; using a
  // STALE entry starts DELAY. `context` comes back untouched with the
  // packet's kTransmit or kDrop action.
  std::optional<MacAddress> Resolve(Ipv4Address ip, Packet packet,
                                    std::vector<NeighborAction>& actions,
                                    uint32_t context = 0);
  // Receive path: an ARP packet seen on the link; `target_is_local` when
  // its target address is one of ours.
  void OnArp(const ArpPacket& arp, bool target_is_local,
             std::vector<NeighborAction>& actions);
  // Runs the timers due by clock->Now(), and publishes the time that
  // lookups stamp (as every other non-const call does).
  void Advance(std::vector<NeighborAction>& actions);
  // Upper-layer proof of reachability (e.g. TCP progress): REACHABLE again.
  void Confirm(Ipv4Address ip);

  // `arp -s`: ResourceExhausted if full and nothing can be evicted. Packets
  // queued for `ip` are released into `*released` (dropped if null).
  absl::Status AddPermanent(Ipv4Address ip, MacAddress mac,
                            std::vector<NeighborAction>* released = nullptr);
  // `arp -d`: NotFound if absent. Queued packets are dropped.
  absl::Status Delete(Ipv4Address ip);

  // Waits for a grace period and makes every erased entry's slot reusable
  // (the writer does it by itself when enough wait).
  void Reclaim();

  // The MAC of `ip` while its entry is REACHABLE or PERMANENT, else
  // nullopt. Control plane: records no use.
  std::optional<MacAddress> ConnectedMac(Ipv4Address ip) const;
  // The addresses whose connected MAC may have changed since the last
  // call, each once, with their connected MAC now; empties the log.
  NeighborChanges TakeChanges();

  std::vector<NeighborEntry> Entries() const;  // by address
  // True while a timer is pending: every entry but a PERMANENT one has
  // one (a replaced timer lingers until its due time), so an owner that
  // calls Advance while this holds misses nothing. O(1).
  bool HasTimers() const noexcept { return !timers_.empty(); }
  std::optional<NeighborState> StateOf(Ipv4Address ip) const;
  // `arp -a`: "? (192.168.1.1) at 02:43:21:c4:75:58 [ether] on eth0".
  std::string FormatArpA(absl::string_view dev) const;
  // `ip neigh`: "192.168.1.1 dev eth0 lladdr 02:43:21:c4:75:58 REACHABLE".
  std::string FormatIpNeigh(absl::string_view dev) const;

  size_t size() const { return live_; }
  size_t capacity() const { return config_.capacity; }
  size_t MemoryBytes() const;
  const NeighborStats& stats() const { return stats_; }

 private:
  struct Queued {
    Packet packet;
    uint32_t context;
  };
  // Control data of one entry, apart from the hot slot.
  struct Cold {
    uint32_t ip = 0;
    bool live = false;
    bool logged = false;  // in changes_ (TakeChanges clears it)
    int probes = 0;
    uint64_t timer = 0;  // generation of the pending timer
    absl::Time updated;  // last change of state or address
    // Last use in ticks, as far as folded in from the slot's stamp (see
    // LastUse) or recorded by Resolve.
    int64_t used = kNeverUsed;
    std::vector<Queued> queue;
  };
  struct Timer {
    absl::Time due;
    uint32_t ip;
    uint64_t generation;
    bool operator>(const Timer& o) const { return due > o.due; }
  };

  // Use stamps: the control plane's time in ticks since construction,
  // stamped by lookups as (tick % 65535) + 1 (never 0: "unused").
  static constexpr absl::Duration kTick = absl::Milliseconds(250);
  static constexpr int64_t kNeverUsed = INT64_MIN / 2;
  // What an erased slot holds back until a grace period (its share of a
  // 64-byte bucket), against SetGracePeriod's budget.
  static constexpr size_t kSlotBytes = 16;
  int64_t TickOf(absl::Time t) const;
  // Sets the tick lookups stamp to clock->Now()'s. Every 32,768 ticks
  // (2.3 h) it first folds every stamp into Cold::used and clears it, so a
  // stamp is never a wrap old. Called at the top of each non-const call.
  void Publish();
  // The slot's last use in ticks (its stamp, or Cold::used), or kNeverUsed.
  int64_t LastUse(uint32_t slot);
  // Used within gc_stale_time: not to be collected or evicted.
  bool RecentlyUsed(uint32_t slot);
  // Arms a STALE entry's timer: its next look at use, or its collection.
  void ArmStale(uint32_t slot);

  // Slot indices (internal::NeighborSlots) are stable until erased.
  uint32_t Create(Ipv4Address ip, NeighborState state);  // kNone if refused
  bool EvictOne();
  void Remove(uint32_t slot);
  NeighborState State(uint32_t slot) const;
  Cold& ColdOf(uint32_t slot) { return cold_[slots_.cold(slot)]; }
  // The slot's connected MAC (REACHABLE or PERMANENT), else 0.
  uint64_t Connected(uint32_t slot) const;
  // Logs the slot's address if its connected MAC is not `before`.
  void NoteChange(uint32_t slot, uint64_t before);
  void Log(uint32_t slot);
  // Every change of state or MAC goes through these two (and Remove), so
  // that the change log misses none.
  void SetState(uint32_t slot, NeighborState state);
  void SetMac(uint32_t slot, uint64_t mac);
  void Arm(uint32_t slot, absl::Duration after);
  void Release(uint32_t slot, std::vector<NeighborAction>& actions);
  // Broadcasts "who-has" for an INCOMPLETE entry and arms its retry.
  void SendRequest(uint32_t slot, std::vector<NeighborAction>& actions);
  void DropQueue(Cold& c, const std::string& reason,
                 NeighborAction::Cause cause,
                 std::vector<NeighborAction>& actions);
  void Enqueue(uint32_t slot, Queued packet,
               std::vector<NeighborAction>& actions);
  absl::Duration RandomReachableTime();

  const Clock* clock_;
  NeighborConfig config_;
  absl::Time epoch_;  // tick 0
  int64_t tick_ = 0;  // last published
  internal::NeighborSlots slots_;
  std::vector<Cold> cold_;
  std::vector<uint32_t> free_cold_;
  size_t live_ = 0;
  uint64_t next_timer_ = 1;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> timers_;
  // Eviction candidates, oldest first: (updated, ip).
  absl::btree_set<std::pair<absl::Time, uint32_t>> failed_, stale_;
  std::mt19937_64 rng_;
  NeighborStats stats_;
  std::vector<uint32_t> changes_;  // addresses, for TakeChanges
  bool changes_overflowed_ = false;
};

}  // namespace nexthop

#endif  // NEXTHOP_ARP_NEIGHBOR_CACHE_H_
