// LinearTable: the articles' route decision, done well.
//
// Every entry is tested with (destination AND mask) == network; the longest
// mask wins. Entries are kept sorted longest mask first, so the first match
// is the answer, and the scan compares eight entries per instruction with
// AVX2 where the CPU has it. Lookups cost O(n) but touch only two dense
// arrays: at a few dozen routes (a host's table) that beats Dir24_8, whose
// every lookup reads DRAM, though Poptrie is faster still at every size
// (README's scaling table); past a few hundred routes it is the wrong
// choice. Its case is simplicity and size. Insert and erase are O(n).
// Memory: 12 bytes a route.
//
// Thread-safety: const lookups may run concurrently with each other and,
// once SetGracePeriod has been called, with one writer: every update
// copies the arrays (copy-on-write: O(n), as the update already was),
// publishes the copy with one release store, and frees the old copy only
// after a grace period, so a reader sees the whole table before or after
// each update. Writers (Insert, Erase, Reclaim, SetGracePeriod) must be
// serialised by the caller; moves and destruction need exclusive access.
// Without a grace period updates change the arrays in place and need
// exclusive access.
//
// Example:
//   LinearTable t;
//   t.Insert(*Ipv4Prefix::Parse("192.168.1.0/24"), 1).IgnoreError();
//   t.Lookup(*Ipv4Address::Parse("192.168.1.102"));  // 1
#ifndef NEXTHOP_LPM_LINEAR_TABLE_H_
#define NEXTHOP_LPM_LINEAR_TABLE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "lpm/grace_period.h"
#include "lpm/internal/reclaim.h"
#include "lpm/lpm.h"

namespace nexthop {

class LinearTable : public internal::DeferredFrees {
 public:
  using Family = Ipv4;
  static constexpr absl::string_view kName = "linear";

  LinearTable();
  ~LinearTable();
  LinearTable(LinearTable&& o) noexcept;
  LinearTable& operator=(LinearTable&& o) noexcept;

  absl::Status Insert(Ipv4Prefix prefix, NextHopId next_hop);
  absl::Status Erase(Ipv4Prefix prefix);

  // Waits for a grace period and frees every old copy. (SetGracePeriod
  // and reclaim_stats: internal::DeferredFrees.)
  void Reclaim();

  NextHopId Lookup(Ipv4Address address) const noexcept {
    const Table* t = Current();
    const size_t i = FindFirst(*t, address);
    return i < t->size ? t->next_hops[i] : kNoRoute;
  }
  std::optional<LpmMatch<Ipv4>> LookupMatch(Ipv4Address address) const noexcept;
  void LookupBatch(std::span<const Ipv4Address> in,
                   std::span<NextHopId> out) const noexcept;

  size_t size() const noexcept { return table_->size; }
  size_t MemoryBytes() const noexcept;

 private:
  // One version of the table, never changed once published. Structure of
  // arrays, padded to a multiple of 8 with never-matching entries (mask 0,
  // network 1) so the SIMD scan needs no tail loop.
  struct Table {
    size_t size = 0;
    std::vector<uint32_t> networks;
    std::vector<uint32_t> masks;
    std::vector<NextHopId> next_hops;
  };

  const Table* Current() const noexcept {
    return __atomic_load_n(&published_, __ATOMIC_ACQUIRE);
  }
  // Index of the first (longest) matching entry, or t.size on a miss.
  static size_t FindFirst(const Table& t, Ipv4Address address) noexcept;
  // Where `prefix` is or would go in the writer's table.
  size_t Position(Ipv4Prefix prefix) const;
  // The table an update changes: the published one itself when writes
  // have exclusive access, else a copy that Commit() publishes (the old
  // one then waits for a grace period).
  Table* Writable();
  void Commit();

  std::unique_ptr<Table> table_;    // what is published
  std::unique_ptr<Table> pending_;  // a copy being changed
  const Table* published_;          // == table_.get(), read atomically
  std::vector<std::unique_ptr<Table>> retired_;
};

static_assert(LpmStructure<LinearTable>);

}  // namespace nexthop

#endif  // NEXTHOP_LPM_LINEAR_TABLE_H_
