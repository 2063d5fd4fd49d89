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
// Example:
//   LinearTable t;
//   t.Insert(*Ipv4Prefix::Parse("192.168.1.0/24"), 1).IgnoreError();
//   t.Lookup(*Ipv4Address::Parse("192.168.1.102"));  // 1
#ifndef NEXTHOP_LPM_LINEAR_TABLE_H_
#define NEXTHOP_LPM_LINEAR_TABLE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "lpm/lpm.h"

namespace nexthop {

class LinearTable {
 public:
  using Family = Ipv4;
  static constexpr absl::string_view kName = "linear";

  absl::Status Insert(Ipv4Prefix prefix, NextHopId next_hop);
  absl::Status Erase(Ipv4Prefix prefix);

  NextHopId Lookup(Ipv4Address address) const noexcept {
    const size_t i = FindFirst(address);
    return i < size_ ? next_hops_[i] : kNoRoute;
  }
  std::optional<LpmMatch<Ipv4>> LookupMatch(Ipv4Address address) const noexcept;
  void LookupBatch(std::span<const Ipv4Address> in,
                   std::span<NextHopId> out) const noexcept;

  size_t size() const noexcept { return size_; }
  size_t MemoryBytes() const noexcept;

 private:
  // Index of the first (longest) matching entry, or size_ on a miss.
  size_t FindFirst(Ipv4Address address) const noexcept;
  size_t Position(Ipv4Prefix prefix) const;  // where `prefix` is or would go

  // Structure of arrays, padded to a multiple of 8 with never-matching
  // entries (mask 0, network 1) so the SIMD scan needs no tail loop.
  std::vector<uint32_t> networks_;
  std::vector<uint32_t> masks_;
  std::vector<NextHopId> next_hops_;
  size_t size_ = 0;
};

static_assert(LpmStructure<LinearTable>);

}  // namespace nexthop

#endif  // NEXTHOP_LPM_LINEAR_TABLE_H_
