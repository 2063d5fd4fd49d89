// Poptrie6: Poptrie's compressed multibit trie (Asai and Ohara, SIGCOMM
// 2015) over IPv6's 128-bit keys, the fast IPv6 structure (issue 16).
//
// A direct table of 2^20 entries (4 MiB) on the first 20 bits, then nodes
// of 6 bits whose children and leaves are found by popcount
// (lpm/internal/poptrie6_node.h). Real IPv6 tables sit at /32-/48: a /32
// ends in the second node level, a /48 in the fifth (the direct entry, five
// nodes and a leaf: seven dependent reads); longer routes make a deeper
// path only where they are (down to /128, the eighteenth level).
// Leaves are 16-bit next hops (at most kMaxNextHop).
//
// Updates rebuild one node and the child subtrees the changed prefix
// covers, from the control data (a PatriciaTrie6 of every route), and
// publish them with one store: the parent's `base1` (a copy of the
// parent's children array with the new node in place) or the direct entry.
// Routes of /20 and shorter rewrite the direct entries they cover, and
// rebuild every chunk under them that holds longer routes (their leaves
// inherit the short route): a default route's change rebuilds the whole
// trie (57 ms on the bundled 160,147 IPv6 prefixes, 2000::/3 39-49 ms, a
// /16 2-3 ms), and with a grace period the old copy is held until one
// passes (the lookup data's high water went from 6.0 to 8.1 MiB). Memory
// an update unlinks waits for a grace period before reuse. Cost of a
// longer route: O(routes in the rebuilt node's region), a few hundred at
// most on real tables. LookupMatch answers from the control data (a Patricia
// walk): the prefix is for --explain, not for the forwarding path.
//
// Thread-safety: const lookups may run concurrently with each other and,
// once SetGracePeriod has been called, with one writer; each reader sees,
// for each address, the answer before or after each update. Writers
// (Insert, Erase, Reclaim, SetGracePeriod) must be serialised by the
// caller; moves and destruction need exclusive access. Without a grace
// period, freed memory is reused at the next update and writes need
// exclusive access.
//
// Example:
//   Poptrie6 t;
//   t.Insert(*Ipv6Prefix::Parse("2001:db8::/32"), 1).IgnoreError();
//   t.Insert(*Ipv6Prefix::Parse("2001:db8:1::/48"), 2).IgnoreError();
//   NextHopId nh = t.Lookup(*Ipv6Address::Parse("2001:db8:1::1"));  // 2
#ifndef NEXTHOP_LPM_POPTRIE6_H_
#define NEXTHOP_LPM_POPTRIE6_H_

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "lpm/internal/huge_array.h"
#include "lpm/internal/poptrie6_build.h"
#include "lpm/internal/poptrie6_node.h"
#include "lpm/internal/poptrie_arena.h"
#include "lpm/internal/reclaim.h"
#include "lpm/lpm.h"
#include "lpm/patricia_trie.h"

namespace nexthop {

class Poptrie6 : public internal::DeferredFrees {
 public:
  using Family = Ipv6;
  static constexpr absl::string_view kName = "poptrie6";
  static constexpr NextHopId kMaxNextHop = 0xfffe;

  // Address space reserved for each kind of data (touched only as used).
  // An update that would need more fails with ResourceExhausted and
  // changes nothing. max_nodes is clamped to 1..2^31-1, max_leaves to >= 1.
  struct Limits {
    uint32_t max_nodes = 1u << 24;
    uint32_t max_leaves = 1u << 26;
    uint32_t max_routes = PatriciaTrie6::kDefaultMaxNodes;  // Patricia nodes
  };

  Poptrie6() : Poptrie6(Limits{}) {}
  explicit Poptrie6(Limits limits);
  Poptrie6(Poptrie6&&) noexcept = default;
  Poptrie6& operator=(Poptrie6&&) noexcept = default;

  absl::Status Insert(Ipv6Prefix prefix, NextHopId next_hop);
  absl::Status Erase(Ipv6Prefix prefix);

  // Also attaches the control data's trie, which LookupMatch reads.
  void SetGracePeriod(GracePeriod* gp,
                      size_t max_pending_bytes = kDefaultMaxPendingBytes) {
    reclaim_.Attach(gp, max_pending_bytes);
    rib_.SetGracePeriod(gp, max_pending_bytes);
  }
  // Waits for a grace period and makes every waiting region reusable.
  void Reclaim();

  NextHopId Lookup(Ipv6Address address) const noexcept {
    return internal::poptrie6::DecodeLeaf(internal::poptrie6::Resolve6(
        direct_.get(), nodes_.data(), leaves_.data(), address.hi(),
        address.lo()));
  }
  std::optional<LpmMatch<Ipv6>> LookupMatch(
      Ipv6Address address) const noexcept {
    return rib_.LookupMatch(address);
  }
  void LookupBatch(std::span<const Ipv6Address> in,
                   std::span<NextHopId> out) const noexcept;

  size_t size() const noexcept { return rib_.size(); }
  // Everything: lookup data and control data.
  size_t MemoryBytes() const noexcept;
  // What lookups read: the direct table, nodes and leaves.
  size_t LookupBytes() const noexcept;
  uint32_t node_count() const noexcept { return nodes_.in_use(); }
  uint32_t leaf_count() const noexcept { return leaves_.in_use(); }
  // Verifies (for tests and fuzzers) that every chunk's placed subtree
  // answers as a fresh build from the control data does, node by node,
  // and that the accounting adds up. O(table).
  absl::Status CheckInvariants();

 private:
  using Node = internal::poptrie6::Node;
  using Leaf = internal::poptrie6::Leaf;
  using Route6 = internal::poptrie6::Route6;
  using LocalTrie6 = internal::poptrie6::LocalTrie6;

  // The update being made, which the control data does not hold yet:
  // builds read the routes as they will be after it.
  struct Change {
    Ipv6Prefix prefix;
    std::optional<NextHopId> next_hop;  // nullopt: erase
  };
  // A subtree to place: `trie` replaces node `old` (kNull: none) at the
  // root of chunk `chunk`, or in the children array of node `parent`.
  struct Plan {
    uint32_t chunk = 0;
    uint32_t parent = kNull;
    uint32_t old = kNull;
    uint64_t rebuilt = 0;  // old's child slots rebuilt (freed), not reused
    LocalTrie6 trie;
  };
  static constexpr uint32_t kNull = 0xFFFFFFFFu;

  absl::Status Update(Ipv6Prefix prefix, std::optional<NextHopId> next_hop);
  absl::Status UpdateShort(const Change& change);
  absl::Status UpdateLong(const Change& change);
  void BeginUpdate();

  // Routes of `region` longer than `min_len` and at most `max_len`, as
  // they are after `change` (nullptr: as they are), sorted.
  void Collect(const Ipv6Prefix& region, int min_len, int max_len,
               const Change* change, std::vector<Route6>* out) const;
  // The leaf of the best route no longer than `len` covering `address`,
  // after `change`.
  uint32_t Inherited(const Ipv6Address& address, int len,
                     const Change* change) const;
  // Plans a rebuild of node `node` (at `offset`, region `region`): its
  // slots, and its children in the slots inside `affected` (a prefix of
  // offset + 1 to offset + 6 bits) rebuilt, the others reused.
  void PlanNode(uint32_t node, const Ipv6Prefix& region, int offset,
                const Ipv6Prefix& affected, const Change* change, Plan* plan);
  // Plans a whole chunk's subtree from scratch (`old`: its root or kNull).
  void PlanChunk(uint32_t chunk, uint32_t old, const Change* change,
                 Plan* plan);
  // Node and leaf region sizes the plans need, checked before anything
  // changes.
  bool Fits(std::span<const Plan> plans);
  // Places `plan` and publishes it with one store.
  void Place(Plan& plan);
  // Frees node `n`'s leaves and children arrays and, below it, every
  // subtree except those of the child slots in `keep`.
  void FreeSubtree(const Node& n, uint64_t keep);
  void ReclaimArenas() {
    nodes_.Reclaim();
    leaves_.Reclaim();
  }
  template <typename T>
  void Retire(internal::poptrie::Arena<T>& arena, uint32_t start, uint32_t n) {
    arena.Free(start, n);
    if (reclaim_.deferred()) reclaim_.Defer(size_t{n} * sizeof(T));
  }
  // Checks one chunk against a fresh build.
  absl::Status CheckChunk(uint32_t chunk, size_t* nodes, size_t* leaves);

  // The leaf of chunk `chunk`'s best route of /20 or shorter, from the
  // control data (kept nowhere else: 3 MiB for 2^20 chunks, for updates of
  // routes that short, which real tables hardly have).
  uint32_t DefaultLeaf(uint32_t chunk) const;

  internal::HugeArray<uint32_t> direct_;
  internal::poptrie::Arena<Node> nodes_;
  internal::poptrie::Arena<Leaf> leaves_;
  PatriciaTrie6 rib_;  // every route: the control data
  std::vector<Route6> scratch_;
  std::vector<Route6> children_scratch_;
  std::vector<Plan> plans_;
};

static_assert(ConcurrentLpmStructure<Poptrie6>);

}  // namespace nexthop

#endif  // NEXTHOP_LPM_POPTRIE6_H_
