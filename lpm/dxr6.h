// Dxr6: IPv6 longest-prefix match as direct tables and then a search over
// address ranges (DXR's idea, Zec et al. 2012), the range search a tree of
// 64-byte lines compared sixteen keys at a time (PlanB's idea, NSDI 2026).
//
// Real IPv6 tables are dense in few places: the bundled table's 160,147
// prefixes sit in 60 of the 65,536 /16s, 7,224 /24s and mostly at
// /32-/48. So: a table of the 65,536 /16 chunks (256 KiB; a chunk without
// longer routes is a leaf), for the others a block of 256 /24 slots (1 KiB),
// and a slot holding longer routes is a sorted list of intervals over bits
// 24..54 searched as a tree: leaf lines of ten (key, next hop) pairs, inner
// lines of sixteen keys (lpm/internal/dxr6_layout.h). A /48 in a slot of
// 160 intervals is four dependent reads, two of them in the small direct
// tables; the bundled table's lookup data is ~3 MiB, which this VM serves
// at cache speed. A route longer than /55 (83 of the 160,147 are longer
// than /64, 313 longer than /55) marks its /55 "deep": lookups there fall
// back to the control data (a PatriciaTrie6 of every route).
//
// Updates rebuild only what the route covers: a route longer than /24
// re-sweeps its own range of its slot, repacks the leaf lines that range
// touches and copies the slot's other lines into a new tree (O(lines in
// the slot): ~11 KiB copied on average, weighted by routes, on the
// bundled table), published with one store; a /17-/24 rebuilds the slots
// it covers; a /16 or shorter every slot of the chunks it covers (a
// default route: the whole table). Free regions are reused but never
// merged, so long churn near a small Limits::max_lines can be refused
// with fewer lines in use than the limit. Memory an update
// unlinks waits for a grace period before reuse. Next hops are 16-bit (at
// most kMaxNextHop).
//
// Thread-safety: const lookups may run concurrently with each other and,
// once SetGracePeriod has been called, with one writer; each reader sees,
// for each address, the answer before or after each update. (An update
// refused for room changes the control data first and then puts it back:
// in between, a lookup in a deep /55, and LookupMatch, may see the
// refused route.) Writers
// (Insert, Erase, Reclaim, SetGracePeriod) must be serialised by the
// caller; moves and destruction need exclusive access. Without a grace
// period, freed memory is reused at the next update and writes need
// exclusive access.
//
// Example:
//   Dxr6 t;
//   t.Insert(*Ipv6Prefix::Parse("2001:db8::/32"), 1).IgnoreError();
//   t.Insert(*Ipv6Prefix::Parse("2001:db8:1::/48"), 2).IgnoreError();
//   NextHopId nh = t.Lookup(*Ipv6Address::Parse("2001:db8:1::1"));  // 2
#ifndef NEXTHOP_LPM_DXR6_H_
#define NEXTHOP_LPM_DXR6_H_

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "lpm/internal/dxr6_layout.h"
#include "lpm/internal/dxr6_ranges.h"
#include "lpm/internal/huge_array.h"
#include "lpm/internal/poptrie_arena.h"
#include "lpm/internal/reclaim.h"
#include "lpm/lpm.h"
#include "lpm/patricia_trie.h"

namespace nexthop {

class Dxr6 : public internal::DeferredFrees {
 public:
  using Family = Ipv6;
  static constexpr absl::string_view kName = "dxr6";
  static constexpr NextHopId kMaxNextHop = internal::dxr6::kMaxValue;

  // Address space reserved (touched only as used). An update that would
  // need more fails with ResourceExhausted and changes nothing.
  struct Limits {
    uint32_t max_lines = 1u << 24;   // 64-byte tree lines (1 GiB)
    uint32_t max_blocks = 1u << 16;  // chunks with routes longer than /16
    uint32_t max_routes = PatriciaTrie6::kDefaultMaxNodes;  // Patricia nodes
  };

  Dxr6() : Dxr6(Limits{}) {}
  explicit Dxr6(Limits limits);
  Dxr6(Dxr6&&) noexcept = default;
  Dxr6& operator=(Dxr6&&) noexcept = default;

  absl::Status Insert(Ipv6Prefix prefix, NextHopId next_hop);
  absl::Status Erase(Ipv6Prefix prefix);
  // Replaces the content with these routes (a later duplicate prefix wins,
  // as with Insert), sweeping every slot once: the bulk build. All or
  // nothing; needs exclusive access (no reader running).
  absl::Status Assign(std::span<const Ipv6Prefix> prefixes,
                      std::span<const NextHopId> next_hops);

  // Also attaches the control data's trie, which deep lookups and
  // LookupMatch read.
  void SetGracePeriod(GracePeriod* gp,
                      size_t max_pending_bytes = kDefaultMaxPendingBytes) {
    reclaim_.Attach(gp, max_pending_bytes);
    rib_.SetGracePeriod(gp, max_pending_bytes);
  }
  // Waits for a grace period and makes every waiting region reusable.
  void Reclaim();

  NextHopId Lookup(Ipv6Address address) const noexcept {
    using namespace internal::dxr6;  // NOLINT: the layout's names
    const uint64_t hi = address.hi();
    uint32_t e = internal::LoadDependent(&chunks_[ChunkOf(hi)]);
    if (e & kTreeBit) {
      e = internal::LoadDependent(
          &slots_[(e & ~kTreeBit) * kSlots + SlotOf(hi)]);
      if (e & kTreeBit) {
        return Decode(WalkTree<ScalarCount>(lines_.data(), e, KeyOf(hi)),
                      address);
      }
    }
    return Decode(static_cast<uint16_t>(e), address);
  }
  std::optional<LpmMatch<Ipv6>> LookupMatch(
      Ipv6Address address) const noexcept {
    return rib_.LookupMatch(address);
  }
  // AVX-512 compares where the CPU has them (chosen once).
  void LookupBatch(std::span<const Ipv6Address> in,
                   std::span<NextHopId> out) const noexcept;

  size_t size() const noexcept { return rib_.size(); }
  // Everything: lookup data and control data.
  size_t MemoryBytes() const noexcept;
  // What lookups read: both direct tables and the trees' lines.
  size_t LookupBytes() const noexcept;
  uint32_t lines_in_use() const noexcept { return lines_.in_use(); }
  // Verifies (for tests and fuzzers) that every chunk and slot holds what
  // a fresh build from the control data would, that every tree is well
  // formed, and that the accounting adds up. O(table). The writer's: it
  // uses the writer's scratch.
  absl::Status CheckInvariants() const;

 private:
  using Line = internal::dxr6::Line;
  using Intervals = internal::dxr6::Intervals;

  NextHopId Decode(uint16_t v, const Ipv6Address& address) const noexcept {
    if (v == internal::dxr6::kValueMiss) return kNoRoute;
    if (v == internal::dxr6::kValueDeep) return rib_.Lookup(address);
    return v;
  }

  absl::Status Update(Ipv6Prefix prefix, std::optional<NextHopId> next_hop);
  // Brings the lookup data in step with the control data over `prefix`
  // (`inherited`: the answer of the longest route covering it). Fails
  // (changing nothing) only when an arena is full.
  absl::Status Refresh(const Ipv6Prefix& prefix, uint16_t inherited);
  void BeginUpdate();

  // The value the control data gives `address` from routes of at most
  // `len` bits.
  uint16_t Best(const Ipv6Address& address, int len) const;
  // The intervals of `region` (a prefix of 24 to 55 bits) in its slot,
  // swept from the control data; `inherited`, when known, is the answer of
  // the longest route covering the region (else looked up).
  void SweepRegion(const Ipv6Prefix& region, Intervals* out,
                   std::optional<uint16_t> inherited = std::nullopt) const;
  // A slot's intervals now (one when it is a leaf).
  void SlotIntervals(uint32_t entry, Intervals* out) const;

  // What an update changes in the chunks it covers that have routes
  // longer than /16 (the others become leaves): the new leaf lines of the
  // slots it covers, slot_plans_[first_slot_plan, end_slot_plan).
  struct SlotPlan {
    uint32_t slot = 0;
    internal::dxr6::NewLeaves leaves;  // the new tree's leaf lines
  };
  struct ChunkPlan {
    uint32_t chunk = 0;
    uint32_t first_slot_plan = 0, end_slot_plan = 0;
  };
  // Plans chunks first_chunk_..last_chunk_ for `prefix` from the control
  // data (changed).
  // `dense`: every covered slot swept and packed full, none spliced.
  void Plan(const Ipv6Prefix& prefix, bool dense);
  SlotPlan& NextSlotPlan();
  // Whether the plan's trees and blocks fit the arenas.
  bool Fits();
  // The slot entry for `leaves`, its tree written to new lines.
  uint32_t Place(const internal::dxr6::NewLeaves& leaves);
  // Frees what a slot entry or a block points to (after a grace period,
  // with one).
  void FreeSlot(uint32_t entry);
  void FreeBlock(uint32_t block);

  internal::HugeArray<uint32_t> chunks_;
  internal::poptrie::Arena<uint32_t> slots_;  // blocks of kSlots entries
  internal::poptrie::Arena<Line> lines_;
  PatriciaTrie6 rib_;  // every route: the control data
  Limits limits_;
  // Per chunk, its routes longer than /16 (it has a block when > 0).
  std::vector<uint32_t> longer_routes_;
  // The update being made (kept between updates: their capacity spares an
  // update most allocations).
  uint32_t first_chunk_ = 0, last_chunk_ = 0;
  uint16_t inherited_ = internal::dxr6::kValueMiss;
  std::vector<ChunkPlan> chunk_plans_;
  std::vector<SlotPlan> slot_plans_;
  size_t slot_plans_used_ = 0;
  // Scratch (the writer's).
  mutable std::vector<internal::dxr6::Span> spans_, deep_spans_;
  Intervals middle_, splice_scratch_[2];
  static constexpr size_t kKeptSlotPlans = 16;
  std::vector<uint32_t> sizes_, block_sizes_;
  // Lines allocated to each tree (by its first line): AllocateAtLeast may
  // give a tree a larger region than its size asks.
  absl::flat_hash_map<uint32_t, uint32_t> region_lines_;
};

static_assert(ConcurrentLpmStructure<Dxr6>);

}  // namespace nexthop

#endif  // NEXTHOP_LPM_DXR6_H_
