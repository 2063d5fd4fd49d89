// PatriciaTrie: a path-compressed binary radix trie.
//
// Each node holds a prefix; a node exists only where a route is stored or
// where two subtrees split, so the trie has fewer than 2n nodes for n routes
// and its depth is at most 33. Lookups follow one root-to-leaf path (cost
// O(depth), one cache miss per level on large tables). Besides the LPM
// concept it answers exact-match queries, the longest match no longer than a
// given length (what Dir24_8 needs to restore a covering route on erase),
// and walks routes in order. Nodes live in one vector addressed by 32-bit
// indices: ~24 bytes a node. Thread-compatible.
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

#include "lpm/lpm.h"

namespace nexthop {

class PatriciaTrie {
 public:
  using Family = Ipv4;
  static constexpr absl::string_view kName = "patricia";

  absl::Status Insert(Ipv4Prefix prefix, NextHopId next_hop);
  absl::Status Erase(Ipv4Prefix prefix) { return Erase(prefix, nullptr); }
  // Also reports, from the same walk, the longest remaining prefix that
  // covers the erased one (what a DIR-24-8 slot falls back to).
  absl::Status Erase(Ipv4Prefix prefix,
                     std::optional<LpmMatch<Ipv4>>* covering);

  NextHopId Lookup(Ipv4Address address) const noexcept {
    const uint32_t n = Find(address.value(), 32);
    return n == kNull ? kNoRoute : nodes_[n].next_hop;
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
  size_t node_count() const noexcept { return nodes_.size() - free_.size(); }

  // Verifies the trie's shape (for tests and fuzzers): children extend
  // their parent's key and are longer, every routeless node splits two
  // ways, and the route count matches. O(n).
  absl::Status CheckInvariants() const;

 private:
  static constexpr uint32_t kNull = 0xFFFFFFFFu;
  struct Node {
    uint32_t key = 0;  // canonical network of this node's prefix
    uint8_t length = 0;
    bool has_route = false;
    NextHopId next_hop = kNoRoute;
    uint32_t child[2] = {kNull, kNull};
  };

  // Deepest node with a route matching `address` within `max_length` bits.
  uint32_t Find(uint32_t address, int max_length) const noexcept;
  uint32_t NewNode(uint32_t key, int length);
  void FreeNode(uint32_t n);
  // Removes node `n` (no route, fewer than two children) by linking its
  // only child, if any, into `*link`.
  void Splice(uint32_t* link, uint32_t n);

  std::vector<Node> nodes_;
  std::vector<uint32_t> free_;
  uint32_t root_ = kNull;
  size_t size_ = 0;
};

static_assert(LpmStructure<PatriciaTrie>);

}  // namespace nexthop

#endif  // NEXTHOP_LPM_PATRICIA_TRIE_H_
