// Dir24_8: the DIR-24-8 table of Gupta, Lin and McKeown (1998).
//
// A 2^24-entry first table indexed by the top 24 address bits answers every
// prefix up to /24 in one memory read; an entry for a /24 that holds longer
// prefixes points to a 256-entry second-level group indexed by the last
// octet. Lookups are one or two dependent reads and no branches on the
// table's contents. The batch lookup (AVX2 gathers where the CPU has them,
// chosen once) keeps many DRAM reads in flight and runs at the machine's
// random-read limit: see README for the measured ratio.
//
// Cost: the first table is 64 MiB (4-byte entries); each group is 1 KiB,
// allocated on demand up to `max_groups` (default 65536) in address space
// reserved once (so groups never move under a reader). Next hop ids must
// be < 2^24. Inserting a prefix longer than /24 when every group is taken
// fails with ResourceExhausted and changes nothing. Erase restores the
// covering route, which the same walk that removes the prefix from the RIB
// (a PatriciaTrie beside the tables, never read by lookups) reports, and a
// group whose 256 entries become equal is folded back and freed.
//
// Thread-safety: const lookups may run concurrently with each other and,
// once SetGracePeriod has been called, with one writer: every slot a
// lookup reads changes with one atomic store from its answer before an
// update to its answer after it, a new group is filled before the store
// that links it, and a group an update unlinks is reused only after a
// grace period, so a reader sees for each address the answer before or
// after each update, never a third value and never freed memory. Writers
// (Insert, Erase, Reclaim, SetGracePeriod) must be serialised by the
// caller (one control-plane thread, or a mutex around them); moves and
// destruction need exclusive access. Without a grace period attached,
// groups are reused at once and writes need exclusive access. (The AVX2
// batch kernel reads tbl24 with a gather, not an atomic load: on x86-64 an
// aligned 4-byte load is single-copy atomic, and what it reads through the
// entry depends on it, as with internal::LoadDependent elsewhere;
// ThreadSanitizer builds use the scalar kernel.)
//
// Example:
//   Dir24_8 t;
//   t.Insert(*Ipv4Prefix::Parse("10.10.64.0/21"), 7).IgnoreError();
//   t.Lookup(*Ipv4Address::Parse("10.10.71.1"));  // 7
#ifndef NEXTHOP_LPM_DIR24_8_H_
#define NEXTHOP_LPM_DIR24_8_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "lpm/grace_period.h"
#include "lpm/internal/dir24_8_entry.h"
#include "lpm/internal/huge_array.h"
#include "lpm/internal/reclaim.h"
#include "lpm/lpm.h"
#include "lpm/patricia_trie.h"

namespace nexthop {

class Dir24_8 : public internal::DeferredFrees {
 public:
  using Family = Ipv4;
  static constexpr absl::string_view kName = "dir24_8";
  static constexpr NextHopId kMaxNextHop = (1u << 24) - 1;
  static constexpr uint32_t kDefaultMaxGroups = 1u << 16;

  explicit Dir24_8(uint32_t max_groups = kDefaultMaxGroups);
  Dir24_8(Dir24_8&&) noexcept = default;
  Dir24_8& operator=(Dir24_8&&) noexcept = default;

  absl::Status Insert(Ipv4Prefix prefix, NextHopId next_hop);
  absl::Status Erase(Ipv4Prefix prefix);

  // Waits for a grace period and makes every waiting group reusable.
  // (SetGracePeriod and reclaim_stats: internal::DeferredFrees.)
  void Reclaim();

  NextHopId Lookup(Ipv4Address address) const noexcept {
    return ToNextHop(Entry(address.value()));
  }
  std::optional<LpmMatch<Ipv4>> LookupMatch(Ipv4Address address) const noexcept;
  void LookupBatch(std::span<const Ipv4Address> in,
                   std::span<NextHopId> out) const noexcept;

  size_t size() const noexcept { return rib_.size(); }
  size_t MemoryBytes() const noexcept;
  uint32_t groups_in_use() const noexcept {
    return static_cast<uint32_t>(group_count_ - free_groups_.size() -
                                 pending_groups_.size());
  }
  uint32_t max_groups() const noexcept { return max_groups_; }
  // Verifies (for tests and fuzzers) that only routes of /24 or shorter
  // sit in the first table, that no group in use could be folded, that
  // group accounting adds up, and that the RIB is sound. O(table).
  absl::Status CheckInvariants() const;
  // A hash of everything lookups and updates can observe: both tables
  // (groups in the order tbl24 uses them) and the RIB. Equal digests mean
  // equal tables; tests use it to prove a failed operation changed nothing.
  // O(table): ~10 ms.
  uint64_t ContentDigest() const;
  // For tests: the raw tables, to drive every batch kernel.
  const uint32_t* tbl24_for_test() const { return tbl24_.get(); }
  const uint32_t* tbl8_for_test() const { return tbl8_.get(); }
  // The routes as stored: the control plane's view.
  const PatriciaTrie& rib() const noexcept { return rib_; }

 private:
  static constexpr uint32_t kValid = internal::dir24_8::kValid;
  static constexpr uint32_t kGroup = internal::dir24_8::kGroup;
  static constexpr uint32_t kValueMask = internal::dir24_8::kValueMask;

  static uint32_t MakeEntry(NextHopId nh, int length) {
    return kValid | (static_cast<uint32_t>(length) << 24) | nh;
  }
  static int EntryLength(uint32_t e) { return (e >> 24) & 0x3f; }
  static NextHopId ToNextHop(uint32_t e) noexcept {
    return internal::dir24_8::Decode(e);
  }
  uint32_t Entry(uint32_t a) const noexcept {
    return internal::dir24_8::Resolve(tbl24_.get(), tbl8_.get(), a);
  }

  // Writes `entry` over every slot in [begin, end) of `slots` whose current
  // route is no longer than `length` (so longer prefixes stay).
  static void Fill(uint32_t* slots, size_t begin, size_t end, uint32_t entry,
                   int length);
  // Replaces slots holding exactly `length` with `entry`.
  static void Replace(uint32_t* slots, size_t begin, size_t end, uint32_t entry,
                      int length);
  // Calls update(slots, begin, end) on every range of slots `prefix`
  // covers, in tbl24 or in groups, folding groups that become uniform.
  template <typename Update>
  void ForCoveredSlots(Ipv4Prefix prefix, Update update);
  // Frees the group behind tbl24_[i] if its entries are all equal.
  void MaybeFold(uint32_t i);
  uint32_t AllocateGroup(uint32_t fill);
  // A group is available now, or after waiting for a grace period.
  bool CanAllocate() const {
    return !free_groups_.empty() || !pending_groups_.empty() ||
           group_count_ < max_groups_;
  }

  internal::HugeArray<uint32_t> tbl24_;
  internal::dir24_8::BatchFn batch_;
  internal::HugeArray<uint32_t> tbl8_;  // max_groups_ groups reserved
  std::vector<uint32_t> free_groups_;
  std::vector<uint32_t> pending_groups_;  // unlinked, awaiting a grace period
  uint32_t group_count_ = 0;
  uint32_t max_groups_;
  PatriciaTrie rib_;
};

static_assert(LpmStructure<Dir24_8>);

}  // namespace nexthop

#endif  // NEXTHOP_LPM_DIR24_8_H_
