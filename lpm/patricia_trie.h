// PatriciaTrie (IPv4) and PatriciaTrie6 (IPv6): a path-compressed binary
// radix trie, one template over the address family.
//
// Each node holds a prefix; a node exists only where a route is stored or
// where two subtrees split, so the trie has fewer than 2n nodes for n routes
// and its depth is at most 33 (129 for IPv6). Lookups follow one root-to-leaf
// path (cost O(depth), one cache miss per level on large tables). Besides the
// LPM concept it answers exact-match queries, the longest match no longer than
// a given length (what Dir24_8 needs to restore a covering route on erase), and
// walks routes in order. Nodes live in address space reserved once
// (`max_nodes`, default 2^25 for IPv4 and 2^22 for IPv6; pages touched as
// used) and are addressed by 32-bit indices: 20 bytes a node (32 for IPv6,
// whose 128-bit key is aligned). For IPv6 it is the simple reference the
// fast structures are checked against.
//
// Thread-safety: const lookups may run concurrently with each other and,
// once SetGracePeriod has been called, with one writer. The writer then
// never changes a linked node: an update builds its new nodes and copies
// of the path above them (path copying, O(depth) nodes of 20 or 32 bytes
// per update) and publishes them with one atomic store of the root, and
// what it replaced is reused only after a grace period. So a lookup reads
// one version of its whole path and answers as the table did before or
// after each update (a walk through a path changed in place could miss a
// route put above it and see one below it erased: an answer the table
// never gave). Writers (Insert, Erase, Reclaim, SetGracePeriod) must be
// serialised by the caller; ForEach, ForEachIn, ExactMatch and
// CheckInvariants are the writer's (or need no writer); moves and
// destruction need exclusive access. Without a grace period, updates change
// nodes in place, unlinked nodes are reused at once and writes need
// exclusive access.
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
#include "net/ipv6.h"

namespace nexthop {

namespace internal {
// A family's addresses as unsigned integers the trie shifts and compares.
template <typename F>
struct PatriciaKey;
template <>
struct PatriciaKey<Ipv4> {
  using Key = uint32_t;
  static Key Of(Ipv4Address a) { return a.value(); }
  static Ipv4Address Address(Key k) { return Ipv4Address(k); }
};
template <>
struct PatriciaKey<Ipv6> {
  using Key = unsigned __int128;
  static Key Of(const Ipv6Address& a) { return Key{a.hi()} << 64 | a.lo(); }
  static Ipv6Address Address(Key k) {
    return Ipv6Address::FromHalves(static_cast<uint64_t>(k >> 64),
                                   static_cast<uint64_t>(k));
  }
};
}  // namespace internal

template <AddressFamily F>
class BasicPatriciaTrie : public internal::DeferredFrees {
 public:
  using Family = F;
  using Address = typename F::Address;
  using Prefix = typename F::Prefix;
  using Match = LpmMatch<F>;
  static constexpr absl::string_view kName =
      F::kBits == 32 ? "patricia" : "patricia6";
  static constexpr uint32_t kDefaultMaxNodes =
      F::kBits == 32 ? uint32_t{1} << 25 : uint32_t{1} << 22;

  // An insert that needs more than `max_nodes` nodes fails with
  // ResourceExhausted and changes nothing. (Clamped to 1..2^32 - kBits - 3.)
  explicit BasicPatriciaTrie(uint32_t max_nodes = kDefaultMaxNodes);
  // A moved-from trie is empty and usable (it reserves again on insert).
  BasicPatriciaTrie(BasicPatriciaTrie&& other) noexcept;
  BasicPatriciaTrie& operator=(BasicPatriciaTrie&& other) noexcept;
  // The routes and nodes, not the grace period. O(nodes); `other` must
  // have no writer running.
  BasicPatriciaTrie(const BasicPatriciaTrie& other);
  BasicPatriciaTrie& operator=(const BasicPatriciaTrie& other) {
    if (this != &other) *this = BasicPatriciaTrie(other);
    return *this;
  }

  // Waits for a grace period and makes every waiting node reusable.
  // (SetGracePeriod and reclaim_stats: internal::DeferredFrees.)
  void Reclaim();
  // Makes every waiting node reusable at once: for an owner that shares
  // this trie's grace period and has just waited for one, with no update
  // of the trie since it began (Poptrie6: one wait for both).
  void ReclaimAfterGracePeriod();

  absl::Status Insert(Prefix prefix, NextHopId next_hop) {
    return Insert(prefix, next_hop, nullptr, nullptr);
  }
  // Also reports, from the same walk, the longest route covering the
  // prefix and the prefix's own route before (nullopt: none), as Erase
  // does (Dxr6 re-sweeps the prefix's range from them without walking
  // again).
  absl::Status Insert(Prefix prefix, NextHopId next_hop,
                      std::optional<Match>* covering,
                      std::optional<NextHopId>* previous);
  absl::Status Erase(Prefix prefix) { return Erase(prefix, nullptr); }
  // Also reports, from the same walk, the longest remaining prefix that
  // covers the erased one (what a DIR-24-8 slot falls back to) and, if
  // `previous` is given, the erased route's next hop.
  absl::Status Erase(Prefix prefix, std::optional<Match>* covering,
                     std::optional<NextHopId>* previous = nullptr);

  NextHopId Lookup(Address address) const noexcept {
    return Find(Keys::Of(address), F::kBits).next_hop;
  }
  std::optional<Match> LookupMatch(Address address) const noexcept {
    return MatchNoLongerThan(address, F::kBits);
  }
  // The longest stored prefix covering `address` whose length is at most
  // `max_length`.
  std::optional<Match> MatchNoLongerThan(Address address,
                                         int max_length) const noexcept;
  void LookupBatch(std::span<const Address> in,
                   std::span<NextHopId> out) const noexcept;

  std::optional<NextHopId> ExactMatch(Prefix prefix) const noexcept;
  // Calls `fn` for every route in address order, shorter prefixes first.
  void ForEach(const std::function<void(const Match&)>& fn) const;
  // The same for the routes inside `region` (itself included) no longer
  // than `max_length`, in the same order; O(log n + what it visits). The
  // writer's (Poptrie6 rebuilds a subtree from it).
  template <typename Fn>
  void ForEachIn(Prefix region, int max_length, Fn&& fn) const;

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
  using Keys = internal::PatriciaKey<F>;
  using Key = typename Keys::Key;
  static constexpr uint32_t kNull = 0xFFFFFFFFu;
  // `key` and `length` never change while the node is linked; `next_hop`
  // (kNoRoute: no route here) and `child` change with atomic stores.
  struct Node {
    Key key = 0;  // canonical network of this node's prefix
    uint8_t length = 0;
    NextHopId next_hop = kNoRoute;
    uint32_t child[2] = {kNull, kNull};
  };
  struct Found {
    uint32_t node = kNull;  // deepest node with a route, or kNull
    Key key = 0;
    int length = 0;
    NextHopId next_hop = kNoRoute;  // read once, with the node
  };

  // The walk down to an update's node: `node[i]` at depth i, and the
  // side its path continues on. At most kBits + 1 nodes (lengths 0..kBits).
  struct Path {
    uint32_t node[F::kBits + 1];
    uint8_t side[F::kBits + 1];
  };
  // Nodes reserved past max_nodes_ for one path's copies, so that the
  // limit counts nodes in use and an erase never fails for room.
  static constexpr uint32_t kPathSlack = F::kBits + 1;

  static uint32_t Load(const uint32_t* p) noexcept {
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
  }
  static void Store(uint32_t* p, uint32_t v) noexcept {
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
  }
  // The deepest route matching `address` within `max_length` bits.
  Found Find(Key address, int max_length) const noexcept;
  void Reserve();
  uint32_t NewNode(Key key, int length);
  uint32_t CopyNode(uint32_t n);
  void FreeNode(uint32_t n);
  // Puts `with` where `path.node[at]` was linked (copying the path above
  // it when readers run beside the writer).
  void Replace(const Path& path, int at, uint32_t with);
  // Changes the route of `path.node[at]`.
  void SetNextHop(const Path& path, int at, NextHopId next_hop);
  // Whether an update that keeps `added` more nodes (refused past
  // max_nodes_) and copies `copies` (freed again by the same update) can
  // run; waits for a grace period when the free nodes are still pending.
  bool Room(uint32_t added, uint32_t copies);

  internal::HugeArray<Node> nodes_;  // max_nodes_ reserved
  uint32_t max_nodes_;
  uint32_t top_ = 0;  // nodes ever used
  std::vector<uint32_t> free_;
  std::vector<uint32_t> pending_;  // unlinked, awaiting a grace period
  uint32_t root_ = kNull;
  size_t size_ = 0;
};

template <AddressFamily F>
template <typename Fn>
void BasicPatriciaTrie<F>::ForEachIn(Prefix region, int max_length,
                                     Fn&& fn) const {
  const auto mask = [](int len) {
    return len == 0 ? Key{0} : ~Key{0} << (F::kBits - len);
  };
  const Key key = Keys::Of(region.network());
  const int length = region.length();
  // Down to the first node inside the region.
  uint32_t n = root_;
  while (n != kNull) {
    const Node& node = nodes_[n];
    if (node.length >= length) {
      if ((node.key & mask(length)) != key) return;  // nothing inside
      break;
    }
    if (((node.key ^ key) & mask(node.length)) != 0) return;
    n = node.child[(key >> (F::kBits - 1 - node.length)) & 1];
  }
  if (n == kNull) return;
  // Pre-order, child 0 first: address order, shorter prefixes first.
  uint32_t stack[F::kBits + 2];
  int top = 0;
  stack[top++] = n;
  while (top > 0) {
    const Node& node = nodes_[stack[--top]];
    if (node.length > max_length) continue;
    if (node.next_hop != kNoRoute) {
      fn(Match{Prefix::Canonical(Keys::Address(node.key), node.length),
               node.next_hop});
    }
    if (node.child[1] != kNull) stack[top++] = node.child[1];
    if (node.child[0] != kNull) stack[top++] = node.child[0];
  }
}

extern template class BasicPatriciaTrie<Ipv4>;
extern template class BasicPatriciaTrie<Ipv6>;
using PatriciaTrie = BasicPatriciaTrie<Ipv4>;
using PatriciaTrie6 = BasicPatriciaTrie<Ipv6>;
static_assert(ConcurrentLpmStructure<PatriciaTrie> &&
              ConcurrentLpmStructure<PatriciaTrie6>);

}  // namespace nexthop

#endif  // NEXTHOP_LPM_PATRICIA_TRIE_H_
