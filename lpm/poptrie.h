// Poptrie: a compressed multibit trie small enough to stay in cache.
//
// Our implementation of the structure of Asai and Ohara (SIGCOMM 2015): a
// direct table indexed by the top 18 address bits, then nodes of 64 slots
// (6 bits) described by two bitmaps; children and leaves are found by
// counting bits (popcount), and a run of slots with the same next hop is
// stored once. On a full Internet table the lookup data is ~1/10 of
// Dir24_8's first table, so lookups hit L2/L3 instead of DRAM; the batch
// lookup takes 64 addresses a level at a time, prefetching each one's next
// read. Design and memory formula: docs/poptrie-design.md.
//
// Cost: lookups read the direct entry, then one node per 6 bits past /18
// and one leaf (a /24 route: 3 reads). Memory: 1 MiB direct table, 12 B of
// control data per /18 chunk (3 MiB), 24 B per node, 2 B per leaf run, and
// 8 B per route longer than /18 (the routes are kept, sorted per chunk, to
// rebuild a chunk and to answer LookupMatch). Updates rebuild the subtree
// of each /18 chunk the prefix touches (one for a prefix longer than /18)
// into fresh memory and publish it with a single 4-byte store. `Assign`
// builds a whole table at once (~0.1 s for 900k routes). Next hop ids must
// be < 0xffff (16-bit leaves).
//
// Thread-safety: const lookups may run concurrently with each other and,
// once SetGracePeriod has been called, with one writer: an update builds
// each chunk it changes into fresh memory and publishes it with one
// release store of the chunk's direct entry; LookupMatch reads a chunk's
// route list and default through one 64-bit word published the same way;
// and memory an update unlinks is reused only after a grace period. A
// reader therefore sees, for each address, the answer before or after
// each update, never a third value and never freed memory. Writers
// (Insert, Erase, Reclaim, SetGracePeriod) must be serialised by the
// caller (one control-plane thread, or a mutex around them); `Assign`,
// moves and destruction need exclusive access. Without a grace period
// attached, memory is reused at the next update and writes need exclusive
// access.
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
#include "lpm/grace_period.h"
#include "lpm/internal/huge_array.h"
#include "lpm/internal/poptrie_arena.h"
#include "lpm/internal/poptrie_build.h"
#include "lpm/internal/poptrie_node.h"
#include "lpm/internal/reclaim.h"
#include "lpm/lpm.h"

namespace nexthop {

class Poptrie : public internal::DeferredFrees {
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

  // Waits for a grace period and makes every waiting region reusable.
  // (SetGracePeriod and reclaim_stats: internal::DeferredFrees.)
  void Reclaim();

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
  // Chunks (of 2^18) whose lookup ends at the direct entry: those without
  // routes longer than /18 and those whose every address has one answer
  // anyway. O(2^18); for reports.
  uint32_t direct_chunks() const noexcept;
  // Verifies (for tests and fuzzers) that every chunk's route list is
  // sorted and inside its chunk, that its default is the best short route,
  // that its placed subtree is exactly what a fresh build gives, and that
  // the accounting adds up. O(table).
  absl::Status CheckInvariants() const;

 private:
  using Node = internal::poptrie::Node;
  using LocalTrie = internal::poptrie::LocalTrie;

  Poptrie(Limits clamped, int);

  // Control data per /18 chunk, as the writer works on it; stored as the
  // readers' match word (MatchWord) and a word of sizes (SizeWord).
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
  // What LookupMatch needs of a chunk, in one word a reader loads at once:
  // route_start (26 bits), route_count (16), default_leaf (16),
  // default_len + 1 (5). A chunk holds at most 32,766 routes longer than
  // /18 (2 + 4 + ... + 2^14).
  static uint64_t MatchWord(const ChunkInfo& info) {
    return uint64_t{info.route_start} | uint64_t{info.route_count} << 26 |
           uint64_t{info.default_leaf & 0xffff} << 42 |
           uint64_t(info.default_len + 1) << 58;
  }
  // The rest: leaf_count (19 bits: at most 64 per node, 4,161 nodes) and
  // node_count (13 bits).
  static uint32_t SizeWord(const ChunkInfo& info) {
    return info.leaf_count | uint32_t{info.node_count} << 19;
  }
  ChunkInfo Info(uint32_t chunk) const {
    const uint64_t m = match_[chunk];
    const uint32_t z = sizes_[chunk];
    ChunkInfo info;
    info.route_start = static_cast<uint32_t>(m & ((1u << 26) - 1));
    info.route_count = static_cast<uint32_t>(m >> 26) & 0xffff;
    info.default_leaf = static_cast<uint32_t>(m >> 42) & 0xffff;
    info.default_len = static_cast<int8_t>(static_cast<int>(m >> 58) - 1);
    info.leaf_count = z & ((1u << 19) - 1);
    info.node_count = static_cast<uint16_t>(z >> 19);
    return info;
  }
  // Stores `info` for `chunk`; the match word with a release store, for
  // LookupMatch.
  void Store(uint32_t chunk, const ChunkInfo& info) {
    sizes_[chunk] = SizeWord(info);
    __atomic_store_n(&match_[chunk], MatchWord(info), __ATOMIC_RELEASE);
  }
  // Unlinked regions wait in their arena until ReclaimArenas().
  template <typename T>
  void Retire(internal::poptrie::Arena<T>& arena, uint32_t start, uint32_t n) {
    arena.Free(start, n);
    if (reclaim_.deferred()) reclaim_.Defer(size_t{n} * sizeof(T));
  }
  void ReclaimArenas() {
    nodes_.Reclaim();
    leaves_.Reclaim();
    routes_.Reclaim();
  }
  // Without a grace period: last update's regions are free now (writes
  // have exclusive access). With one: wait if over budget.
  void BeginUpdate();
  // Places every staged chunk, or nothing if the arenas cannot hold them.
  absl::Status Commit(std::vector<Staged>& staged, const ChunkInfo* defaults);
  // The best route of /len_limit or shorter covering `network` from the
  // short routes, as (leaf, length) with length -1 for none.
  std::pair<uint32_t, int> BestShort(uint32_t network, int len_limit) const;
  absl::Status UpdateShort(Ipv4Prefix prefix,
                           std::optional<NextHopId> next_hop);
  absl::Status UpdateLong(Ipv4Prefix prefix, std::optional<NextHopId> next_hop);

  internal::HugeArray<uint32_t> direct_;
  std::vector<uint64_t> match_;  // MatchWord of each chunk, for readers too
  std::vector<uint32_t> sizes_;  // SizeWord of each chunk
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
