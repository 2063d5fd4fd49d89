#include "lpm/dxr6.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace nexthop {

using internal::StoreRelease;
using internal::dxr6::AllocatedLines;
using internal::dxr6::ChunkOf;
using internal::dxr6::DepthFor;
using internal::dxr6::kChunkBits;
using internal::dxr6::kChunks;
using internal::dxr6::KeyOf;
using internal::dxr6::kKeyPrefix;
using internal::dxr6::kKeySpan;
using internal::dxr6::kOffsetMask;
using internal::dxr6::kSlotPrefix;
using internal::dxr6::kSlots;
using internal::dxr6::kTreeBit;
using internal::dxr6::kValueDeep;
using internal::dxr6::kValueMiss;
using internal::dxr6::LeafEntry;
using internal::dxr6::ReadTree;
using internal::dxr6::SlotOf;
using internal::dxr6::Span;
using internal::dxr6::Sweep;
using internal::dxr6::TreeEntry;
using internal::dxr6::TreeLeaves;
using internal::dxr6::TreeLines;
using internal::dxr6::WriteTree;

namespace {

Ipv6Prefix PrefixOf(uint64_t hi, int len) {
  return Ipv6Prefix::Canonical(Ipv6Address::FromHalves(hi, 0), len);
}

absl::Status Exhausted(absl::string_view what, uint32_t limit) {
  return absl::ResourceExhaustedError(absl::StrCat(
      "dxr6: the update needs more ", what, " than the limit of ", limit));
}

// Offsets live in 28 bits of a slot entry, block numbers in 31 bits of a
// chunk entry; an arena needs room for one value.
Dxr6::Limits Clamped(Dxr6::Limits l) {
  l.max_lines = std::clamp(l.max_lines, 1u, kOffsetMask + 1);
  l.max_blocks = std::clamp(l.max_blocks, 1u, kChunks);
  return l;
}

}  // namespace

Dxr6::Dxr6(Limits requested)
    : chunks_(internal::MakeHugeArray<uint32_t>(kChunks)),
      slots_(Clamped(requested).max_blocks * kSlots),
      lines_(Clamped(requested).max_lines),
      rib_(requested.max_routes),
      limits_(requested),
      longer_routes_(kChunks, 0) {
  std::fill_n(chunks_.get(), kChunks, LeafEntry(kValueMiss));
}

void Dxr6::BeginUpdate() {
  if (!reclaim_.deferred()) {
    lines_.Reclaim();
    slots_.Reclaim();
  } else if (reclaim_.OverBudget()) {
    Reclaim();
  }
}

// One grace period for both: the control trie's nodes waiting now were
// unlinked before it began.
void Dxr6::Reclaim() {
  reclaim_.Wait();
  lines_.Reclaim();
  slots_.Reclaim();
  rib_.ReclaimAfterGracePeriod();
}

absl::Status Dxr6::Insert(Ipv6Prefix prefix, NextHopId next_hop) {
  if (absl::Status s = CheckNextHop(next_hop, kMaxNextHop); !s.ok()) return s;
  return Update(prefix, next_hop);
}

absl::Status Dxr6::Erase(Ipv6Prefix prefix) {
  return Update(prefix, std::nullopt);
}

// The control data changes first, so that the lookup data is swept from
// it; when the lookup data cannot follow (an arena is full), the control
// data is put back. In between, a lookup in a deep /55 may read the new
// route from the control data: an answer the table gave, then took back.
absl::Status Dxr6::Update(Ipv6Prefix prefix,
                          std::optional<NextHopId> next_hop) {
  BeginUpdate();
  // One walk of the control trie changes it and reports the route before
  // and the one covering the prefix (the inherited answer of its range).
  std::optional<NextHopId> old;
  std::optional<LpmMatch<Ipv6>> covering;
  absl::Status s = next_hop ? rib_.Insert(prefix, *next_hop, &covering, &old)
                            : rib_.Erase(prefix, &covering, &old);
  if (!s.ok()) return s;
  if (next_hop && old == next_hop) return absl::OkStatus();
  const uint32_t chunk = ChunkOf(prefix.network().hi());
  const int delta = !old ? 1 : !next_hop ? -1 : 0;
  if (prefix.length() > kChunkBits) longer_routes_[chunk] += delta;
  s = Refresh(prefix, covering ? static_cast<uint16_t>(covering->next_hop)
                               : kValueMiss);
  if (s.ok()) return s;
  if (prefix.length() > kChunkBits) longer_routes_[chunk] -= delta;
  absl::Status undo = old ? rib_.Insert(prefix, *old) : rib_.Erase(prefix);
  if (!undo.ok()) {
    return absl::InternalError(absl::StrCat(
        "dxr6: ", s.message(),
        "; and undoing the control data failed: ", undo.message()));
  }
  return s;
}

absl::Status Dxr6::Assign(std::span<const Ipv6Prefix> prefixes,
                          std::span<const NextHopId> next_hops) {
  if (prefixes.size() != next_hops.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("dxr6: ", prefixes.size(), " prefixes but ",
                     next_hops.size(), " next hops"));
  }
  for (NextHopId nh : next_hops) {
    if (absl::Status s = CheckNextHop(nh, kMaxNextHop); !s.ok()) return s;
  }
  Dxr6 fresh(limits_);
  for (size_t i = 0; i < prefixes.size(); ++i) {
    if (absl::Status s = fresh.rib_.Insert(prefixes[i], next_hops[i]);
        !s.ok()) {
      return s;
    }
  }
  fresh.rib_.ForEach([&](const LpmMatch<Ipv6>& m) {
    if (m.prefix.length() > kChunkBits) {
      ++fresh.longer_routes_[ChunkOf(m.prefix.network().hi())];
    }
  });
  if (absl::Status s = fresh.Refresh(Ipv6Prefix(), kValueMiss); !s.ok()) {
    return s;
  }
  if (reclaim_.deferred()) {
    fresh.SetGracePeriod(reclaim_.grace_period(), reclaim_.max_pending_bytes());
  }
  *this = std::move(fresh);
  return absl::OkStatus();
}

uint16_t Dxr6::Best(const Ipv6Address& address, int len) const {
  std::optional<LpmMatch<Ipv6>> m = rib_.MatchNoLongerThan(address, len);
  return m ? static_cast<uint16_t>(m->next_hop) : kValueMiss;
}

void Dxr6::SweepRegion(const Ipv6Prefix& region, Intervals* out,
                       std::optional<uint16_t> inherited) const {
  spans_.clear();
  deep_spans_.clear();
  rib_.ForEachIn(region, 128, [&](const LpmMatch<Ipv6>& m) {
    const int len = m.prefix.length();
    const uint32_t start = KeyOf(m.prefix.network().hi());
    if (len <= kKeyPrefix) {
      spans_.push_back({start, start + (uint64_t{1} << (kKeyPrefix - len)),
                        static_cast<uint16_t>(m.next_hop)});
    } else {
      deep_spans_.push_back({start, uint64_t{start} + 1, kValueDeep});
    }
  });
  // Deep marks last: of equal ranges, the later is the inner one.
  spans_.insert(spans_.end(), deep_spans_.begin(), deep_spans_.end());
  const uint32_t from =
      region.length() <= kSlotPrefix ? 0 : KeyOf(region.network().hi());
  const uint64_t to =
      region.length() <= kSlotPrefix
          ? kKeySpan
          : from + (uint64_t{1} << (kKeyPrefix - region.length()));
  Sweep(spans_, from, to,
        inherited ? *inherited : Best(region.network(), region.length() - 1),
        out);
}

void Dxr6::SlotIntervals(uint32_t entry, Intervals* out) const {
  if (entry & kTreeBit) {
    ReadTree(lines_.data(), entry, out);
  } else {
    out->assign(1, {0, static_cast<uint16_t>(entry)});
  }
}

uint32_t Dxr6::Place(const internal::dxr6::NewLeaves& leaves) {
  if (uint16_t value; internal::dxr6::SingleInterval(leaves, &value)) {
    return LeafEntry(value);
  }
  const uint32_t m = leaves.size();
  // Fits() was asked first: this cannot fail.
  const auto [offset, size] =
      *lines_.AllocateAtLeast(AllocatedLines(TreeLines(m)));
  region_lines_[offset] = size;
  WriteTree(leaves, &lines_[offset]);
  return TreeEntry(offset, DepthFor(m));
}

void Dxr6::FreeSlot(uint32_t entry) {
  if (!(entry & kTreeBit)) return;
  const auto it = region_lines_.find(entry & kOffsetMask);
  const uint32_t lines = it->second;
  region_lines_.erase(it);
  lines_.Free(entry & kOffsetMask, lines);
  if (reclaim_.deferred()) reclaim_.Defer(size_t{lines} * sizeof(Line));
}

void Dxr6::FreeBlock(uint32_t block) {
  for (uint32_t s = 0; s < kSlots; ++s) FreeSlot(slots_[block * kSlots + s]);
  slots_.Free(block * kSlots, kSlots);
  if (reclaim_.deferred()) reclaim_.Defer(kSlots * sizeof(uint32_t));
}

Dxr6::SlotPlan& Dxr6::NextSlotPlan() {
  if (slot_plans_used_ == slot_plans_.size()) slot_plans_.emplace_back();
  SlotPlan& sp = slot_plans_[slot_plans_used_++];
  sp.leaves.old = nullptr;
  sp.leaves.front = sp.leaves.back_from = sp.leaves.back_to = 0;
  sp.leaves.middle.clear();  // keeps its capacity: no allocation per update
  return sp;
}

void Dxr6::Plan(const Ipv6Prefix& prefix, bool dense) {
  chunk_plans_.clear();
  slot_plans_used_ = 0;
  const uint64_t hi = prefix.network().hi();
  const int len = prefix.length();
  for (uint32_t c = first_chunk_;; ++c) {
    if (longer_routes_[c] > 0) {
      ChunkPlan& plan = chunk_plans_.emplace_back();
      plan.chunk = c;
      plan.first_slot_plan = slot_plans_used_;
      const uint64_t chunk_hi = uint64_t{c} << (64 - kChunkBits);
      const bool has = chunks_[c] & kTreeBit;
      // A new block sweeps every slot; an existing one the slots covered.
      uint32_t first = 0, end = kSlots;
      if (has && len > kChunkBits) {
        first = SlotOf(hi);
        end = len >= kSlotPrefix ? first + 1
                                 : first + (1u << (kSlotPrefix - len));
      }
      for (uint32_t s = first; s < end; ++s) {
        SlotPlan& sp = NextSlotPlan();
        sp.slot = s;
        if (has && len > kSlotPrefix && !dense) {
          // Only the route's own range (its /55 when longer), spliced in.
          const Ipv6Prefix region =
              len > kKeyPrefix ? PrefixOf(hi, kKeyPrefix) : prefix;
          // The covering route the update's walk found is the range's
          // inherited answer (a deep route's /55 needs its own).
          SweepRegion(
              region, &middle_,
              region == prefix ? std::optional(inherited_) : std::nullopt);
          const uint32_t from = KeyOf(region.network().hi());
          const uint64_t to =
              from + (uint64_t{1} << (kKeyPrefix - region.length()));
          const uint32_t entry = slots_[(chunks_[c] & ~kTreeBit) * kSlots + s];
          if (entry & kTreeBit) {
            internal::dxr6::SpliceLeaves(lines_.data(), entry, from, to,
                                         middle_, splice_scratch_, &sp.leaves);
          } else {
            Intervals& old = splice_scratch_[0];
            Intervals& spliced = splice_scratch_[1];
            old.assign(1, {0, static_cast<uint16_t>(entry)});
            internal::dxr6::Splice(old, from, to, middle_, &spliced);
            internal::dxr6::Pack(spliced.data(), spliced.size(),
                                 &sp.leaves.middle);
          }
        } else {
          SweepRegion(PrefixOf(chunk_hi | uint64_t{s} << (64 - kSlotPrefix),
                               kSlotPrefix),
                      &middle_);
          internal::dxr6::Pack(middle_.data(), middle_.size(),
                               &sp.leaves.middle);
        }
      }
      plan.end_slot_plan = slot_plans_used_;
    }
    if (c == last_chunk_) break;
  }
}

bool Dxr6::Fits() {
  sizes_.clear();
  uint32_t new_blocks = 0;
  for (const ChunkPlan& p : chunk_plans_) {
    if (!(chunks_[p.chunk] & kTreeBit)) ++new_blocks;
    for (uint32_t i = p.first_slot_plan; i < p.end_slot_plan; ++i) {
      const internal::dxr6::NewLeaves& leaves = slot_plans_[i].leaves;
      if (uint16_t unused; !internal::dxr6::SingleInterval(leaves, &unused)) {
        sizes_.push_back(AllocatedLines(TreeLines(leaves.size())));
      }
    }
  }
  block_sizes_.assign(new_blocks, kSlots);
  // Exact sizes or the top (one probe for the usual one tree) first.
  if (lines_.Fits(sizes_) && slots_.Fits(block_sizes_)) return true;
  const auto fits = [&](bool after_reclaim) {
    return lines_.FitsAtLeast(sizes_, after_reclaim) &&
           slots_.FitsAtLeast(block_sizes_, after_reclaim);
  };
  if (fits(false)) return true;
  // What waits for a grace period would do: wait for one.
  if (reclaim_.deferred() && fits(true)) {
    Reclaim();
    return true;
  }
  return false;
}

absl::Status Dxr6::Refresh(const Ipv6Prefix& prefix, uint16_t inherited) {
  inherited_ = inherited;
  const uint64_t hi = prefix.network().hi();
  const int len = prefix.length();
  first_chunk_ = ChunkOf(hi);
  last_chunk_ = len >= kChunkBits
                    ? first_chunk_
                    : first_chunk_ + (1u << (kChunkBits - len)) - 1;
  Plan(prefix, /*dense=*/false);
  // A splice packs only the lines it touches, so a tree can come out a
  // line longer than the same routes packed full; when that does not fit,
  // the slot is packed full (never more lines than any packing of the
  // same intervals): what lets an update that restores an earlier state
  // (Fib's undo) always fit where that state's tree was freed.
  if (!Fits() && (Plan(prefix, /*dense=*/true), !Fits())) {
    return lines_.FitsAtLeast(sizes_, /*after_reclaim=*/true)
               ? Exhausted("chunk blocks (Limits::max_blocks)",
                           slots_.capacity() / kSlots)
               : Exhausted("tree lines (Limits::max_lines)", lines_.capacity());
  }
  // Chunks without routes longer than /16: a leaf (their block, if they
  // had one, goes).
  for (uint32_t c = first_chunk_;; ++c) {
    if (longer_routes_[c] == 0) {
      uint32_t& chunk_entry = chunks_[c];
      const uint32_t was = chunk_entry;
      const uint32_t leaf = LeafEntry(
          Best(Ipv6Address::FromHalves(uint64_t{c} << (64 - kChunkBits), 0),
               kChunkBits));
      if (was != leaf) StoreRelease(&chunk_entry, leaf);
      if (was & kTreeBit) FreeBlock(was & ~kTreeBit);
    }
    if (c == last_chunk_) break;
  }
  for (const ChunkPlan& p : chunk_plans_) {
    uint32_t& chunk_entry = chunks_[p.chunk];
    if (!(chunk_entry & kTreeBit)) {
      // A new block: every slot written before the chunk points to it.
      const uint32_t start = *slots_.Allocate(kSlots);
      for (uint32_t i = p.first_slot_plan; i < p.end_slot_plan; ++i) {
        slots_[start + slot_plans_[i].slot] = Place(slot_plans_[i].leaves);
      }
      StoreRelease(&chunk_entry, kTreeBit | start / kSlots);
      continue;
    }
    const uint32_t block = chunk_entry & ~kTreeBit;
    for (uint32_t i = p.first_slot_plan; i < p.end_slot_plan; ++i) {
      uint32_t& entry = slots_[block * kSlots + slot_plans_[i].slot];
      const uint32_t old = entry;
      StoreRelease(&entry, Place(slot_plans_[i].leaves));
      FreeSlot(old);
    }
  }
  // A wide update (a short route) planned many slots: let their lines go.
  if (slot_plans_.size() > kKeptSlotPlans) {
    slot_plans_.resize(kKeptSlotPlans);
    slot_plans_.shrink_to_fit();
  }
  return absl::OkStatus();
}

size_t Dxr6::LookupBytes() const noexcept {
  return size_t{kChunks} * sizeof(uint32_t) +
         size_t{slots_.high_water()} * sizeof(uint32_t) +
         size_t{lines_.high_water()} * sizeof(Line);
}

size_t Dxr6::MemoryBytes() const noexcept {
  size_t scratch = slot_plans_.capacity() * sizeof(SlotPlan) +
                   chunk_plans_.capacity() * sizeof(ChunkPlan);
  for (const SlotPlan& sp : slot_plans_) {
    scratch += sp.leaves.middle.capacity() * sizeof(Line);
  }
  // The region sizes map: ~2 words a tree plus the table's slack.
  scratch += region_lines_.capacity() * 3 * sizeof(uint32_t);
  return sizeof(*this) + LookupBytes() + rib_.MemoryBytes() +
         longer_routes_.capacity() * sizeof(uint32_t) + scratch;
}

absl::Status Dxr6::CheckInvariants() const {
  if (absl::Status s = rib_.CheckInvariants(); !s.ok()) return s;
  std::vector<uint32_t> longer(kChunks, 0);
  rib_.ForEach([&](const LpmMatch<Ipv6>& m) {
    if (m.prefix.length() > kChunkBits)
      ++longer[ChunkOf(m.prefix.network().hi())];
  });
  size_t blocks = 0, lines = 0, trees = 0;
  Intervals want, have;
  for (uint32_t c = 0; c < kChunks; ++c) {
    const uint64_t chunk_hi = uint64_t{c} << (64 - kChunkBits);
    const uint32_t e = chunks_[c];
    if (longer[c] != longer_routes_[c]) {
      return absl::InternalError(absl::StrCat("dxr6: chunk ", c, " counts ",
                                              longer_routes_[c],
                                              " routes, has ", longer[c]));
    }
    if ((longer[c] > 0) != ((e & kTreeBit) != 0)) {
      return absl::InternalError(absl::StrCat("dxr6: chunk ", c,
                                              " has a block iff it has routes "
                                              "longer than /16: broken"));
    }
    if (!(e & kTreeBit)) {
      if (e !=
          LeafEntry(Best(Ipv6Address::FromHalves(chunk_hi, 0), kChunkBits))) {
        return absl::InternalError(
            absl::StrCat("dxr6: chunk ", c, " leaf is stale"));
      }
      continue;
    }
    ++blocks;
    const uint32_t block = e & ~kTreeBit;
    for (uint32_t s = 0; s < kSlots; ++s) {
      const uint32_t se = slots_[block * kSlots + s];
      const Ipv6Prefix slot_prefix =
          PrefixOf(chunk_hi | uint64_t{s} << (64 - kSlotPrefix), kSlotPrefix);
      SweepRegion(slot_prefix, &want);
      SlotIntervals(se, &have);
      if (want != have) {
        return absl::InternalError(absl::StrCat(
            "dxr6: slot ", slot_prefix.ToString(), " holds ", have.size(),
            " intervals where a fresh sweep gives ", want.size()));
      }
      if (!(se & kTreeBit)) continue;
      if (want.size() < 2) {
        return absl::InternalError(absl::StrCat(
            "dxr6: slot ", slot_prefix.ToString(), " is a one-interval tree"));
      }
      if (absl::Status st = internal::dxr6::CheckTree(lines_.data(), se);
          !st.ok()) {
        return absl::InternalError(
            absl::StrCat("slot ", slot_prefix.ToString(), ": ", st.message()));
      }
      const uint32_t n = TreeLines(TreeLeaves(lines_.data(), se));
      const auto region = region_lines_.find(se & kOffsetMask);
      if (region == region_lines_.end() || region->second < n) {
        return absl::InternalError(
            absl::StrCat("dxr6: slot ", slot_prefix.ToString(),
                         "'s tree has no region or one too small"));
      }
      lines += region->second;
      ++trees;
    }
  }
  if (blocks * kSlots != slots_.in_use() || lines != lines_.in_use() ||
      trees != region_lines_.size()) {
    return absl::InternalError(
        absl::StrCat("dxr6: accounting: ", blocks, " blocks and ", lines,
                     " lines linked, arenas count ", slots_.in_use(),
                     " slot entries and ", lines_.in_use(), " lines in use"));
  }
  return absl::OkStatus();
}

}  // namespace nexthop
