// Poptrie: a compressed multibit trie small enough to stay in cache.
//
// Our implementation of the structure of Asai and Ohara (SIGCOMM 2015): a
// direct table indexed by the top 18 address bits, then nodes of 64 slots
// (6 bits) described by two bitmaps; children and leaves are found by
// counting bits (popcount), and a run of slots with the same next hop is
// stored once. On a full Internet table the lookup data is ~1/10 of
// Dir24_8's first table, so lookups hit L2/L3 instead of DRAM; the batch
// lookup walks 16 addresses in lock step and prefetches each one's next
// read. Design and memory formula: docs/poptrie-design.md.
//
// Cost: lookups read the direct entry, then one node per 6 bits past /18
// and one leaf (a /24 route: 3 reads). Memory: 1 MiB direct table, 20 B of
// control data per /18 chunk (5 MiB), 24 B per node, 2 B per leaf run, and
// 8 B per route longer than /18 (the routes are kept, sorted per chunk, to
// rebuild a chunk and to answer LookupMatch). Updates rebuild the subtree
// of each /18 chunk the prefix touches (one for a prefix longer than /18)
// into fresh memory and publish it with a single 4-byte store. `Assign`
// builds a whole table at once (~0.1 s for 900k routes). Next hop ids must
// be < 0xffff (16-bit leaves).
//
// Thread-safety: const lookups may run concurrently with each other and
// with one writer: a lookup sees each chunk either before or after an
// update, and memory an update frees is not reused until the next update
// starts, so a lookup must not span two updates (the usual RCU grace
// period; a writer that cannot promise it needs exclusive access).
// `Assign` and moves need exclusive access.
//
// Example:
//   Poptrie t;
//   t.Insert(*Ipv4Prefix::Parse("10.10.64.0/21"), 7).IgnoreError();
//   t.Lookup(*Ipv4Address::Parse("10.10.71.1"));  // 7
#ifndef NEXTHOP_LPM_POPTRIE_H_
#define NEXTHOP_LPM_POPTRIE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "lpm/internal/huge_array.h"
#include "lpm/internal/poptrie_arena.h"
#include "lpm/internal/poptrie_build.h"
#include "lpm/internal/poptrie_node.h"
#include "lpm/lpm.h"

namespace nexthop {

class Poptrie {
 public:
  using Family = Ipv4;
  static constexpr absl::string_view kName = "poptrie";
  // 16-bit leaves: ids index a NextHopTable, and a router has far fewer
  // distinct next hops than this.
  static constexpr NextHopId kMaxNextHop = 0xfffe;

  // Address space reserved for each kind of data (touched only as used).
  // An update that would need more fails with ResourceExhausted and
  // changes nothing. Erase too can fail so, since it rebuilds a chunk into
  // fresh memory before freeing the old copy; the defaults are ~250 times
  // what the full Internet table uses (66k nodes, 1M leaves).
  struct Limits {
    uint32_t max_nodes = 1u << 24;
    uint32_t max_leaves = 1u << 26;
    uint32_t max_long_routes = 1u << 26;  // routes longer than /18
  };

  Poptrie() : Poptrie(Limits{}) {}
  explicit Poptrie(Limits limits);
  Poptrie(Poptrie&&) noexcept = default;
  Poptrie& operator=(Poptrie&&) noexcept = default;

  absl::Status Insert(Ipv4Prefix prefix, NextHopId next_hop);
  absl::Status Erase(Ipv4Prefix prefix);
  // Replaces the content with these routes (a later duplicate prefix wins,
  // as with Insert), building every chunk once. All or nothing.
  absl::Status Assign(std::span<const Ipv4Prefix> prefixes,
                      std::span<const NextHopId> next_hops);

  NextHopId Lookup(Ipv4Address address) const noexcept {
    return internal::poptrie::DecodeLeaf(internal::poptrie::Resolve(
        direct_.get(), nodes_.data(), leaves_.data(), address.value()));
  }
  std::optional<LpmMatch<Ipv4>> LookupMatch(Ipv4Address address) const noexcept;
  void LookupBatch(std::span<const Ipv4Address> in,
                   std::span<NextHopId> out) const noexcept;

  size_t size() const noexcept { return size_; }
  // Everything: lookup data, control data and the kept routes.
  size_t MemoryBytes() const noexcept;
  // What lookups read: the direct table, nodes and leaves.
  size_t LookupBytes() const noexcept;
  uint32_t node_count() const noexcept { return nodes_.in_use(); }
  uint32_t leaf_count() const noexcept { return leaves_.in_use(); }
  // Verifies (for tests and fuzzers) that every chunk's route list is
  // sorted and inside its chunk, that its default is the best short route,
  // that its placed subtree is exactly what a fresh build gives, and that
  // the accounting adds up. O(table).
  absl::Status CheckInvariants() const;

 private:
  using Node = internal::poptrie::Node;
  using LocalTrie = internal::poptrie::LocalTrie;

  // Control data per /18 chunk.
  struct ChunkInfo {
    uint32_t route_start = 0;  // in routes_
    uint32_t route_count = 0;
    uint32_t leaf_count = 0;  // leaves start at the root's base0
    uint32_t default_leaf = internal::poptrie::kLeafMiss;
    uint16_t node_count = 0;  // at most 1 + 64 + 4096
    int8_t default_len = -1;  // length of the best route <= /18, or -1
  };
  // A chunk's new content, built but not yet placed.
  struct Staged {
    uint32_t chunk;
    std::vector<uint64_t> routes;  // the new list
    bool routes_changed;
    LocalTrie trie;
  };

  std::span<const uint64_t> Routes(const ChunkInfo& info) const {
    return {routes_.data() + info.route_start, info.route_count};
  }
  // Places every staged chunk, or nothing if the arenas cannot hold them.
  absl::Status Commit(std::vector<Staged>& staged, const ChunkInfo* defaults);
  // The best route of /len_limit or shorter covering `network` from the
  // short routes, as (leaf, length) with length -1 for none.
  std::pair<uint32_t, int> BestShort(uint32_t network, int len_limit) const;
  absl::Status UpdateShort(Ipv4Prefix prefix,
                           std::optional<NextHopId> next_hop);
  absl::Status UpdateLong(Ipv4Prefix prefix, std::optional<NextHopId> next_hop);

  internal::HugeArray<uint32_t> direct_;
  std::vector<ChunkInfo> info_;
  internal::poptrie::Arena<Node> nodes_;
  internal::poptrie::Arena<internal::poptrie::Leaf> leaves_;
  internal::poptrie::Arena<uint64_t> routes_;
  // Routes of /18 or shorter, by PackRoute key (address << 8 | length).
  absl::flat_hash_map<uint64_t, NextHopId> short_;
  Limits limits_;
  size_t size_ = 0;
};

static_assert(LpmStructure<Poptrie>);

}  // namespace nexthop

#endif  // NEXTHOP_LPM_POPTRIE_H_
