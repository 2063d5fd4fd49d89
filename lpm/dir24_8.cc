#include "lpm/dir24_8.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace nexthop {
namespace {
constexpr size_t kTbl24Size = size_t{1} << 24;
constexpr size_t kGroupSize = 256;
}  // namespace

Dir24_8::Dir24_8(uint32_t max_groups)
    : tbl24_(internal::MakeHugeArray<uint32_t>(kTbl24Size)),
      batch_(internal::dir24_8::ChooseBatch()),
      max_groups_(std::min<uint32_t>(max_groups, kValueMask + 1)) {
  // Reserved, not touched: a group's pages are faulted in when first used.
  tbl8_ = internal::HugeArray<uint32_t>(
      static_cast<uint32_t*>(internal::ReserveAddressSpace(
          size_t{std::max<uint32_t>(max_groups_, 1)} * kGroupSize *
          sizeof(uint32_t))),
      internal::HugeDeleter{size_t{std::max<uint32_t>(max_groups_, 1)} *
                            kGroupSize * sizeof(uint32_t)});
}

// Each slot changes with one store, from the answer before the update to
// the one after it: a reader of that slot sees one or the other. Release:
// the next hop an entry names (Fib's NextHopTable entry, say) was written
// before it, and a reader reading through the entry must see that too.
void Dir24_8::Fill(uint32_t* slots, size_t begin, size_t end, uint32_t entry,
                   int length) {
  for (size_t i = begin; i < end; ++i) {
    const uint32_t e = slots[i];
    if (!(e & kValid) || EntryLength(e) <= length)
      internal::StoreRelease(&slots[i], entry);
  }
}

void Dir24_8::Replace(uint32_t* slots, size_t begin, size_t end, uint32_t entry,
                      int length) {
  for (size_t i = begin; i < end; ++i) {
    const uint32_t e = slots[i];
    if ((e & kValid) && EntryLength(e) == length)
      internal::StoreRelease(&slots[i], entry);
  }
}

void Dir24_8::Reclaim() {
  reclaim_.Wait();
  free_groups_.insert(free_groups_.end(), pending_groups_.begin(),
                      pending_groups_.end());
  pending_groups_.clear();
}

uint32_t Dir24_8::AllocateGroup(uint32_t fill) {
  if (free_groups_.empty() && group_count_ >= max_groups_) Reclaim();
  uint32_t g;
  if (!free_groups_.empty()) {
    g = free_groups_.back();
    free_groups_.pop_back();
  } else {
    g = group_count_++;
  }
  // No reader can reach this group now (never linked, or unlinked a grace
  // period ago): plain writes, published by the release store that links it.
  std::fill_n(tbl8_.get() + size_t{g} * kGroupSize, kGroupSize, fill);
  return g;
}

void Dir24_8::MaybeFold(uint32_t i) {
  const uint32_t g = tbl24_[i] & kValueMask;
  const uint32_t* group = &tbl8_[size_t{g} * kGroupSize];
  const uint32_t first = group[0];
  // Only routes of /24 or shorter may live in the first table, so that an
  // erase of a longer prefix always finds its group and never allocates.
  if ((first & kValid) && EntryLength(first) > 24) return;
  if (!std::all_of(group, group + kGroupSize,
                   [first](uint32_t e) { return e == first; })) {
    return;
  }
  // Same answers as the group gave; a reader that read the old link may
  // still be inside the group, so it waits for a grace period.
  internal::StoreRelease(&tbl24_[i], first);
  if (reclaim_.deferred()) {
    pending_groups_.push_back(g);
    reclaim_.Defer(kGroupSize * sizeof(uint32_t));
  } else {
    free_groups_.push_back(g);
  }
}

absl::Status Dir24_8::Insert(Ipv4Prefix prefix, NextHopId next_hop) {
  if (absl::Status s = CheckNextHop(next_hop, kMaxNextHop); !s.ok()) return s;
  if (reclaim_.OverBudget()) Reclaim();
  const int length = prefix.length();
  const uint32_t net = prefix.network().value();
  if (length > 24 && !(tbl24_[net >> 8] & kGroup) && !CanAllocate()) {
    return absl::ResourceExhaustedError(
        absl::StrCat("cannot insert ", prefix.ToString(), ": all ", max_groups_,
                     " tbl8 groups are in use"));
  }
  if (absl::Status s = rib_.Insert(prefix, next_hop); !s.ok()) return s;
  const uint32_t i = net >> 8;
  if (length > 24 && !(tbl24_[i] & kGroup)) {
    // The group starts with the slot's answer, so linking it changes none.
    const uint32_t g = AllocateGroup(tbl24_[i]);
    internal::StoreRelease(&tbl24_[i], kGroup | g);
  }
  const uint32_t entry = MakeEntry(next_hop, length);
  ForCoveredSlots(prefix, [&](uint32_t* slots, size_t begin, size_t end) {
    Fill(slots, begin, end, entry, length);
  });
  return absl::OkStatus();
}

template <typename Update>
void Dir24_8::ForCoveredSlots(Ipv4Prefix prefix, Update update) {
  const int length = prefix.length();
  const uint32_t net = prefix.network().value();
  const uint32_t first = net >> 8;
  // A prefix longer than /24 lies inside one group (which exists: see
  // Insert and MaybeFold); a shorter one spans whole tbl24 slots.
  const uint32_t last = length > 24 ? first : first + (1u << (24 - length)) - 1;
  for (uint32_t i = first; i <= last; ++i) {
    const uint32_t e = tbl24_[i];
    if (e & kGroup) {
      const size_t begin = length > 24 ? (net & 0xff) : 0;
      const size_t end =
          length > 24 ? begin + (1u << (32 - length)) : kGroupSize;
      update(&tbl8_[size_t{e & kValueMask} * kGroupSize], begin, end);
      MaybeFold(i);
    } else {
      update(tbl24_.get(), i, size_t{i} + 1);
    }
  }
}

absl::Status Dir24_8::Erase(Ipv4Prefix prefix) {
  if (reclaim_.OverBudget()) Reclaim();
  const int length = prefix.length();
  std::optional<LpmMatch<Ipv4>> covering;
  if (absl::Status s = rib_.Erase(prefix, &covering); !s.ok()) return s;
  const uint32_t replacement =
      covering ? MakeEntry(covering->next_hop, covering->prefix.length()) : 0;
  ForCoveredSlots(prefix, [&](uint32_t* slots, size_t begin, size_t end) {
    Replace(slots, begin, end, replacement, length);
  });
  return absl::OkStatus();
}

std::optional<LpmMatch<Ipv4>> Dir24_8::LookupMatch(
    Ipv4Address address) const noexcept {
  const uint32_t e = Entry(address.value());
  if (!(e & kValid)) return std::nullopt;
  return LpmMatch<Ipv4>{Ipv4Prefix::Canonical(address, EntryLength(e)),
                        e & kValueMask};
}

void Dir24_8::LookupBatch(std::span<const Ipv4Address> in,
                          std::span<NextHopId> out) const noexcept {
  const size_t n = std::min(in.size(), out.size());
  batch_(tbl24_.get(), tbl8_.get(), in.data(), out.data(), n);
}

absl::Status Dir24_8::CheckInvariants() const {
  std::vector<bool> used(group_count_, false);
  for (const std::vector<uint32_t>* list : {&free_groups_, &pending_groups_}) {
    for (uint32_t g : *list) {
      if (g >= group_count_ || used[g])
        return absl::InternalError("bad free list");
      used[g] = true;
    }
  }
  for (size_t i = 0; i < kTbl24Size; ++i) {
    const uint32_t e = tbl24_[i];
    if (!(e & kGroup)) {
      if ((e & kValid) && EntryLength(e) > 24) {
        return absl::InternalError("a route longer than /24 in tbl24");
      }
      continue;
    }
    const uint32_t g = e & kValueMask;
    if (g >= group_count_ || used[g]) {
      return absl::InternalError("group index free or shared");
    }
    used[g] = true;
    const uint32_t* group = &tbl8_[size_t{g} * kGroupSize];
    const bool uniform = std::all_of(group, group + kGroupSize,
                                     [&](uint32_t x) { return x == group[0]; });
    if (uniform && !((group[0] & kValid) && EntryLength(group[0]) > 24)) {
      return absl::InternalError("a uniform group was not folded");
    }
  }
  if (std::find(used.begin(), used.end(), false) != used.end()) {
    return absl::InternalError("a group is neither used nor free");
  }
  return rib_.CheckInvariants();
}

uint64_t Dir24_8::ContentDigest() const {
  XXH3_state_t* state = XXH3_createState();
  XXH3_64bits_reset(state);
  // Group indices are an allocation detail: hash the groups' contents in
  // the order tbl24 refers to them, and tbl24 with the indices masked.
  for (size_t i = 0; i < kTbl24Size; ++i) {
    const uint32_t e = tbl24_[i];
    const uint32_t visible = (e & kGroup) ? kGroup : e;
    XXH3_64bits_update(state, &visible, sizeof(visible));
    if (e & kGroup) {
      XXH3_64bits_update(state, &tbl8_[size_t{e & kValueMask} * kGroupSize],
                         kGroupSize * sizeof(uint32_t));
    }
  }
  rib_.ForEach([&](const LpmMatch<Ipv4>& m) {
    const uint64_t v =
        uint64_t{m.prefix.network().value()} << 32 |
        uint64_t{static_cast<uint32_t>(m.prefix.length())} << 24 | m.next_hop;
    XXH3_64bits_update(state, &v, sizeof(v));
  });
  const uint32_t in_use = groups_in_use();
  XXH3_64bits_update(state, &in_use, sizeof(in_use));
  const uint64_t digest = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  return digest;
}

size_t Dir24_8::MemoryBytes() const noexcept {
  return sizeof(*this) + kTbl24Size * sizeof(uint32_t) +
         size_t{group_count_} * kGroupSize * sizeof(uint32_t) +
         (free_groups_.capacity() + pending_groups_.capacity()) *
             sizeof(uint32_t) +
         rib_.MemoryBytes();
}

}  // namespace nexthop
