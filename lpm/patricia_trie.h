// PatriciaTrie: a path-compressed binary radix trie.
//
// Each node holds a prefix; a node exists only where a route is stored or
// where two subtrees split, so the trie has fewer than 2n nodes for n routes
// and its depth is at most 33. Lookups follow one root-to-leaf path (cost
// O(depth), one cache miss per level on large tables). Besides the LPM
// concept it answers exact-match queries, the longest match no longer than a
// given length (what Dir24_8 needs to restore a covering route on erase),
// and walks routes in order. Nodes live in address space reserved once
// (`max_nodes`, default 2^25; pages touched as used) and are addressed by
// 32-bit indices: 20 bytes a node.
//
// Thread-safety: const lookups may run concurrently with each other and,
// once SetGracePeriod has been called, with one writer: a node is complete
// before the one atomic store that links it, a node's route (its next hop,
// kNoRoute for none) changes with one atomic store, and a node an erase
// unlinks is reused only after a grace period, so a reader sees for each
// address the answer before or after each update. Writers (Insert, Erase,
// Reclaim, SetGracePeriod) must be serialised by the caller; ForEach,
// ExactMatch and CheckInvariants are the writer's (or need no writer);
// moves and destruction need exclusive access. Without a grace period,
// unlinked nodes are reused at once and writes need exclusive access.
//
// Example:
//   PatriciaTrie t;
//   t.Insert(*Ipv4Prefix::Parse("128.75.43.0/25"), 2).IgnoreError();
//   t.LookupMatch(*Ipv4Address::Parse("128.75.43.16"))->prefix;  // /25
#ifndef NEXTHOP_LPM_PATRICIA_TRIE_H_
#define NEXTHOP_LPM_PATRICIA_TRIE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "lpm/grace_period.h"
#include "lpm/internal/huge_array.h"
#include "lpm/internal/reclaim.h"
#include "lpm/lpm.h"

namespace nexthop {

class PatriciaTrie : public internal::DeferredFrees {
 public:
  using Family = Ipv4;
  static constexpr absl::string_view kName = "patricia";
  static constexpr uint32_t kDefaultMaxNodes = uint32_t{1} << 25;

  // An insert that needs more than `max_nodes` nodes fails with
  // ResourceExhausted and changes nothing.
  explicit PatriciaTrie(uint32_t max_nodes = kDefaultMaxNodes);
  // A moved-from trie is empty and usable (it reserves again on insert).
  PatriciaTrie(PatriciaTrie&& other) noexcept;
  PatriciaTrie& operator=(PatriciaTrie&& other) noexcept;
  // The routes and nodes, not the grace period. O(nodes); `other` must
  // have no writer running.
  PatriciaTrie(const PatriciaTrie& other);
  PatriciaTrie& operator=(const PatriciaTrie& other) {
    if (this != &other) *this = PatriciaTrie(other);
    return *this;
  }

  // Waits for a grace period and makes every waiting node reusable.
  // (SetGracePeriod and reclaim_stats: internal::DeferredFrees.)
  void Reclaim();

  absl::Status Insert(Ipv4Prefix prefix, NextHopId next_hop);
  absl::Status Erase(Ipv4Prefix prefix) { return Erase(prefix, nullptr); }
  // Also reports, from the same walk, the longest remaining prefix that
  // covers the erased one (what a DIR-24-8 slot falls back to).
  absl::Status Erase(Ipv4Prefix prefix,
                     std::optional<LpmMatch<Ipv4>>* covering);

  NextHopId Lookup(Ipv4Address address) const noexcept {
    return Find(address.value(), 32).next_hop;
  }
  std::optional<LpmMatch<Ipv4>> LookupMatch(
      Ipv4Address address) const noexcept {
    return MatchNoLongerThan(address, 32);
  }
  // The longest stored prefix covering `address` whose length is at most
  // `max_length`.
  std::optional<LpmMatch<Ipv4>> MatchNoLongerThan(
      Ipv4Address address, int max_length) const noexcept;
  void LookupBatch(std::span<const Ipv4Address> in,
                   std::span<NextHopId> out) const noexcept;

  std::optional<NextHopId> ExactMatch(Ipv4Prefix prefix) const noexcept;
  // Calls `fn` for every route in address order, shorter prefixes first.
  void ForEach(const std::function<void(const LpmMatch<Ipv4>&)>& fn) const;

  size_t size() const noexcept { return size_; }
  size_t MemoryBytes() const noexcept;
  // Nodes in use (routes plus split points): at most 2 * size() - 1.
  size_t node_count() const noexcept {
    return top_ - free_.size() - pending_.size();
  }

  // Verifies the trie's shape (for tests and fuzzers): children extend
  // their parent's key and are longer, every routeless node splits two
  // ways, and the route count matches. O(n).
  absl::Status CheckInvariants() const;

 private:
  static constexpr uint32_t kNull = 0xFFFFFFFFu;
  // `key` and `length` never change while the node is linked; `next_hop`
  // (kNoRoute: no route here) and `child` change with atomic stores.
  struct Node {
    uint32_t key = 0;  // canonical network of this node's prefix
    uint8_t length = 0;
    NextHopId next_hop = kNoRoute;
    uint32_t child[2] = {kNull, kNull};
  };
  struct Found {
    uint32_t node = kNull;  // deepest node with a route, or kNull
    uint32_t key = 0;
    int length = 0;
    NextHopId next_hop = kNoRoute;  // read once, with the node
  };

  static uint32_t Load(const uint32_t* p) noexcept {
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
  }
  static void Store(uint32_t* p, uint32_t v) noexcept {
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
  }
  // The deepest route matching `address` within `max_length` bits.
  Found Find(uint32_t address, int max_length) const noexcept;
  uint32_t NewNode(uint32_t key, int length);
  void FreeNode(uint32_t n);
  // Removes node `n` (no route, fewer than two children) by linking its
  // only child, if any, into `*link`.
  void Splice(uint32_t* link, uint32_t n);
  // How many nodes inserting (key, length) creates: 0, 1 or 2.
  uint32_t NodesNeeded(uint32_t key, int length) const;
  // Nodes available for an insert, waiting if need be.
  bool Room(uint32_t needed);

  internal::HugeArray<Node> nodes_;  // max_nodes_ reserved
  uint32_t max_nodes_;
  uint32_t top_ = 0;  // nodes ever used
  std::vector<uint32_t> free_;
  std::vector<uint32_t> pending_;  // unlinked, awaiting a grace period
  uint32_t root_ = kNull;
  size_t size_ = 0;
};

static_assert(LpmStructure<PatriciaTrie>);

}  // namespace nexthop

#endif  // NEXTHOP_LPM_PATRICIA_TRIE_H_
