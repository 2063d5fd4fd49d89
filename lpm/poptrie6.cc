#include "lpm/poptrie6.h"

#include <algorithm>
#include <bit>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"

namespace nexthop {

using internal::StoreRelease;
using internal::poptrie6::AppendLeaves;
using internal::poptrie6::BuildNode6;
using internal::poptrie6::Chunk6;
using internal::poptrie6::FillSlots;
using internal::poptrie6::kChunks6;
using internal::poptrie6::kDirectBits6;
using internal::poptrie6::kLeafMiss;
using internal::poptrie6::kNodeBit;
using internal::poptrie6::kStride;
using internal::poptrie6::Slot6;
using internal::poptrie6::UpTo;

namespace {

Ipv6Prefix ChunkPrefix(uint32_t chunk) {
  return Ipv6Prefix::Canonical(
      Ipv6Address::FromHalves(uint64_t{chunk} << (64 - kDirectBits6), 0),
      kDirectBits6);
}

bool Within(const Ipv6Prefix& inner, const Ipv6Prefix& outer) {
  return inner.length() >= outer.length() && outer.Contains(inner.network());
}

// Slots [first, last] of a node at `offset` that `p` (offset < length <=
// offset + 6) covers, as a bit mask.
uint64_t SlotMask(const Ipv6Prefix& p, int offset) {
  const uint32_t first = Slot6(p.network().hi(), p.network().lo(), offset);
  const int span = 1 << (offset + kStride - p.length());
  const uint64_t ones = span == 64 ? ~uint64_t{0} : (uint64_t{1} << span) - 1;
  return ones << first;
}

// Which of a plan's nodes are copies of placed ones (kept as they are).
std::vector<bool> Reused(const internal::poptrie6::LocalTrie6& t) {
  std::vector<bool> reused(t.nodes.size(), false);
  for (uint32_t i : t.reused) reused[i] = true;
  return reused;
}

absl::Status Exhausted(absl::string_view what, uint32_t limit) {
  return absl::ResourceExhaustedError(absl::StrCat(
      "poptrie6: the update needs more ", what, " than the limit of ", limit));
}

}  // namespace

// Node indices live beside kNodeBit in direct entries and states: below
// 2^31. An arena needs room for at least one value.
static Poptrie6::Limits Clamped6(Poptrie6::Limits limits) {
  limits.max_nodes = std::clamp(limits.max_nodes, 1u, ~kNodeBit);
  limits.max_leaves = std::max(limits.max_leaves, 1u);
  return limits;
}

Poptrie6::Poptrie6(Limits requested)
    : direct_(internal::MakeHugeArray<uint32_t>(kChunks6)),
      nodes_(Clamped6(requested).max_nodes),
      leaves_(Clamped6(requested).max_leaves),
      rib_(requested.max_routes) {
  std::fill_n(direct_.get(), kChunks6, kLeafMiss);
}

void Poptrie6::BeginUpdate() {
  if (!reclaim_.deferred()) {
    ReclaimArenas();
  } else if (reclaim_.OverBudget()) {
    Reclaim();
  }
}

// One grace period for both: the control trie's nodes waiting now were
// unlinked before it began.
void Poptrie6::Reclaim() {
  reclaim_.Wait();
  ReclaimArenas();
  rib_.ReclaimAfterGracePeriod();
}

absl::Status Poptrie6::Insert(Ipv6Prefix prefix, NextHopId next_hop) {
  if (absl::Status s = CheckNextHop(next_hop, kMaxNextHop); !s.ok()) return s;
  return Update(prefix, next_hop);
}

absl::Status Poptrie6::Erase(Ipv6Prefix prefix) {
  return Update(prefix, std::nullopt);
}

absl::Status Poptrie6::Update(Ipv6Prefix prefix,
                              std::optional<NextHopId> next_hop) {
  BeginUpdate();
  const std::optional<NextHopId> old = rib_.ExactMatch(prefix);
  if (!next_hop && !old) {
    return absl::NotFoundError(
        absl::StrCat(prefix.ToString(), " is not in the table"));
  }
  if (next_hop && old == next_hop) return absl::OkStatus();
  const Change change{prefix, next_hop};
  return prefix.length() <= kDirectBits6 ? UpdateShort(change)
                                         : UpdateLong(change);
}

void Poptrie6::Collect(const Ipv6Prefix& region, int min_len, int max_len,
                       const Change* change, std::vector<Route6>* out) const {
  out->clear();
  rib_.ForEachIn(region, max_len, [&](const LpmMatch<Ipv6>& m) {
    if (m.prefix.length() <= min_len) return;
    out->push_back({m.prefix.network().hi(), m.prefix.network().lo(),
                    m.prefix.length(), m.next_hop});
  });
  if (change == nullptr) return;
  const Ipv6Prefix& p = change->prefix;
  if (p.length() <= min_len || p.length() > max_len || !Within(p, region)) {
    return;
  }
  const Route6 r{p.network().hi(), p.network().lo(), p.length(),
                 change->next_hop.value_or(kLeafMiss)};
  auto it = std::lower_bound(out->begin(), out->end(), r);
  const bool present =
      it != out->end() && it->hi == r.hi && it->lo == r.lo && it->len == r.len;
  if (change->next_hop) {
    if (present) {
      it->leaf = r.leaf;
    } else {
      out->insert(it, r);
    }
  } else if (present) {
    out->erase(it);
  }
}

uint32_t Poptrie6::Inherited(const Ipv6Address& address, int len,
                             const Change* change) const {
  std::optional<LpmMatch<Ipv6>> m = rib_.MatchNoLongerThan(address, len);
  if (change != nullptr) {
    const Ipv6Prefix& p = change->prefix;
    if (p.length() <= len && p.Contains(address)) {
      if (change->next_hop) {
        if (!m || m->prefix.length() <= p.length()) return *change->next_hop;
      } else if (m && m->prefix == p) {
        m = p.length() == 0 ? std::nullopt
                            : rib_.MatchNoLongerThan(address, p.length() - 1);
      }
    }
  }
  return m ? m->next_hop : kLeafMiss;
}

void Poptrie6::PlanChunk(uint32_t chunk, uint32_t old, const Change* change,
                         Plan* plan) {
  plan->chunk = chunk;
  plan->parent = kNull;
  plan->old = old;
  plan->rebuilt = ~uint64_t{0};
  plan->trie.Clear();
  const Ipv6Prefix region = ChunkPrefix(chunk);
  Collect(region, kDirectBits6, 128, change, &scratch_);
  if (scratch_.empty()) return;  // the chunk becomes a leaf
  plan->trie.nodes.resize(1);
  BuildNode6(scratch_, Inherited(region.network(), kDirectBits6, change),
             kDirectBits6, 0, &plan->trie);
}

void Poptrie6::PlanNode(uint32_t node, const Ipv6Prefix& region, int offset,
                        const Ipv6Prefix& affected, const Change* change,
                        Plan* plan) {
  const Node old = nodes_[node];
  const uint64_t affected_mask = SlotMask(affected, offset);
  plan->old = node;
  plan->rebuilt = old.vector & affected_mask;
  LocalTrie6& t = plan->trie;
  t.Clear();
  // The node's own slots.
  Collect(region, offset, offset + kStride, change, &scratch_);
  uint32_t value[64];
  FillSlots(scratch_, Inherited(region.network(), offset, change), offset,
            value);
  // Children: rebuilt inside `affected`, reused elsewhere.
  std::vector<Route6>& longer = children_scratch_;
  Collect(affected, offset + kStride, 128, change, &longer);
  uint64_t vector = old.vector & ~affected_mask;
  for (const Route6& r : longer) {
    vector |= uint64_t{1} << Slot6(r.hi, r.lo, offset);
  }
  Node n;
  n.vector = vector;
  t.nodes.resize(1 + std::popcount(vector));
  AppendLeaves(value, vector, &n, &t);
  n.base1 = 1;
  uint32_t child = 1;
  size_t next = 0;  // in `longer`
  for (uint32_t s = 0; s < 64; ++s) {
    const uint64_t bit = uint64_t{1} << s;
    if (!(vector & bit)) continue;
    if (affected_mask & bit) {
      const size_t begin = next;
      while (next < longer.size() &&
             Slot6(longer[next].hi, longer[next].lo, offset) == s) {
        ++next;
      }
      BuildNode6(std::span<const Route6>(longer).subspan(begin, next - begin),
                 value[s], offset + kStride, child, &t);
    } else {
      t.nodes[child] =
          nodes_[old.base1 + std::popcount(old.vector & UpTo(bit)) - 1];
      t.reused.push_back(child);
    }
    ++child;
  }
  t.nodes[0] = n;
}

bool Poptrie6::Fits(std::span<const Plan> plans) {
  absl::InlinedVector<uint32_t, 16> node_sizes, leaf_sizes;
  for (const Plan& plan : plans) {
    const LocalTrie6& t = plan.trie;
    const std::vector<bool> reused = Reused(t);
    for (size_t i = 0; i < t.nodes.size(); ++i) {
      if (reused[i]) continue;
      if (const int nl = std::popcount(t.nodes[i].leafvec); nl > 0) {
        leaf_sizes.push_back(nl);
      }
      if (const int nc = std::popcount(t.nodes[i].vector); nc > 0) {
        node_sizes.push_back(nc);
      }
    }
    if (plan.parent != kNull) {
      node_sizes.push_back(std::popcount(nodes_[plan.parent].vector));
    } else if (!t.nodes.empty()) {
      node_sizes.push_back(1);
    }
  }
  auto fits = [&] {
    return nodes_.Fits(node_sizes) && leaves_.Fits(leaf_sizes);
  };
  if (!fits() && reclaim_.HasPending() && nodes_.FitsAfterReclaim(node_sizes) &&
      leaves_.FitsAfterReclaim(leaf_sizes)) {
    Reclaim();
  }
  return fits();
}

void Poptrie6::FreeSubtree(const Node& n, uint64_t keep) {
  if (const int nl = std::popcount(n.leafvec); nl > 0) {
    Retire(leaves_, n.base0, nl);
  }
  const int nc = std::popcount(n.vector);
  if (nc == 0) return;
  uint32_t child = n.base1;
  for (uint64_t v = n.vector; v != 0; v &= v - 1, ++child) {
    if (keep & (v & -v)) continue;
    FreeSubtree(nodes_[child], 0);
  }
  Retire(nodes_, n.base1, nc);
}

void Poptrie6::Place(Plan& plan) {
  LocalTrie6& t = plan.trie;
  Node root;
  if (!t.nodes.empty()) {
    // Bottom-up: children (higher indices) are placed before their parent
    // needs their final values.
    const std::vector<bool> reused = Reused(t);
    for (size_t i = t.nodes.size(); i-- > 0;) {
      if (reused[i]) continue;
      Node& x = t.nodes[i];
      const int nl = std::popcount(x.leafvec);
      const int nc = std::popcount(x.vector);
      uint32_t base0 = 0, base1 = 0;
      if (nl > 0) {
        base0 = *leaves_.Allocate(nl);
        std::copy_n(t.leaves.begin() + x.base0, nl, leaves_.data() + base0);
      }
      if (nc > 0) {
        base1 = *nodes_.Allocate(nc);
        std::copy_n(t.nodes.begin() + x.base1, nc, nodes_.data() + base1);
      }
      x.base0 = base0;
      x.base1 = base1;
    }
    root = t.nodes[0];
  }
  const uint64_t keep = ~plan.rebuilt;
  if (plan.parent == kNull) {
    const uint32_t old_entry = direct_[plan.chunk];
    uint32_t entry = DefaultLeaf(plan.chunk);
    if (!t.nodes.empty()) {
      const uint32_t at = *nodes_.Allocate(1);
      nodes_[at] = root;
      entry = kNodeBit | at;
    }
    StoreRelease(&direct_[plan.chunk], entry);
    if (old_entry & kNodeBit) {
      const uint32_t old_root = old_entry & ~kNodeBit;
      FreeSubtree(nodes_[old_root], keep);
      Retire(nodes_, old_root, 1);
    }
    return;
  }
  Node& parent = nodes_[plan.parent];
  const int k = std::popcount(parent.vector);
  const uint32_t old_base1 = parent.base1;
  const uint32_t at = *nodes_.Allocate(k);
  std::copy_n(nodes_.data() + old_base1, k, nodes_.data() + at);
  nodes_[at + (plan.old - old_base1)] = root;
  StoreRelease(&parent.base1, at);
  FreeSubtree(nodes_[plan.old], keep);
  Retire(nodes_, old_base1, k);
}

absl::Status Poptrie6::UpdateLong(const Change& change) {
  const Ipv6Prefix& p = change.prefix;
  const uint64_t hi = p.network().hi(), lo = p.network().lo();
  const uint32_t chunk = Chunk6(hi);
  plans_.resize(1);
  Plan& plan = plans_[0];
  const uint32_t entry = direct_[chunk];
  if (!(entry & kNodeBit)) {
    PlanChunk(chunk, kNull, &change, &plan);
  } else {
    // Down to the node whose slots the prefix covers, or the deepest one
    // on its path (whose slot toward it is a leaf).
    std::vector<uint32_t> path;  // the ancestors of `node`
    uint32_t node = entry & ~kNodeBit;
    int offset = kDirectBits6;
    Ipv6Prefix affected;
    while (true) {
      const Node& n = nodes_[node];
      if (p.length() <= offset + kStride) {
        affected = p;
        break;
      }
      const uint64_t bit = uint64_t{1} << Slot6(hi, lo, offset);
      if (!(n.vector & bit)) {
        affected = Ipv6Prefix::Canonical(p.network(), offset + kStride);
        break;
      }
      path.push_back(node);
      node = n.base1 + std::popcount(n.vector & UpTo(bit)) - 1;
      offset += kStride;
    }
    // An erase can leave a node nothing longer than its offset: its
    // parent then loses the child, so the parent is rebuilt instead.
    if (!change.next_hop) {
      while (node != kNull) {
        const Ipv6Prefix region = Ipv6Prefix::Canonical(p.network(), offset);
        Collect(region, offset, 128, &change, &scratch_);
        if (!scratch_.empty()) break;
        affected = region;
        if (path.empty()) {
          node = kNull;
        } else {
          node = path.back();
          path.pop_back();
          offset -= kStride;
        }
      }
    }
    if (node == kNull) {
      PlanChunk(chunk, entry & ~kNodeBit, &change, &plan);
    } else {
      plan.chunk = chunk;
      plan.parent = path.empty() ? kNull : path.back();
      PlanNode(node, Ipv6Prefix::Canonical(p.network(), offset), offset,
               affected, &change, &plan);
    }
  }
  if (!Fits(plans_)) {
    return Exhausted("nodes or leaves", nodes_.capacity());
  }
  if (change.next_hop) {
    if (absl::Status s = rib_.Insert(p, *change.next_hop); !s.ok()) return s;
  } else if (absl::Status s = rib_.Erase(p); !s.ok()) {
    return s;
  }
  Place(plan);
  return absl::OkStatus();
}

absl::Status Poptrie6::UpdateShort(const Change& change) {
  const Ipv6Prefix& p = change.prefix;
  const int len = p.length();
  // The new best short route of every affected chunk.
  const uint32_t leaf = Inherited(p.network(), len, &change);
  // Insert: chunks whose best short route is no longer than this one.
  // Erase: chunks whose best short route is this one.
  const uint32_t begin = Chunk6(p.network().hi());
  const uint32_t end = begin + (uint32_t{1} << (kDirectBits6 - len));
  // Both are the chunks of the prefix that no longer route of /20 or
  // shorter inside it covers.
  std::vector<bool> shadowed(end - begin, false);
  rib_.ForEachIn(p, kDirectBits6, [&](const LpmMatch<Ipv6>& m) {
    if (m.prefix.length() <= len) return;
    const uint32_t first = Chunk6(m.prefix.network().hi()) - begin;
    const uint32_t count = uint32_t{1} << (kDirectBits6 - m.prefix.length());
    std::fill_n(shadowed.begin() + first, count, true);
  });
  plans_.clear();
  for (uint32_t c = begin; c < end; ++c) {
    if (shadowed[c - begin] || !(direct_[c] & kNodeBit)) continue;
    PlanChunk(c, direct_[c] & ~kNodeBit, &change, &plans_.emplace_back());
  }
  if (!Fits(plans_)) {
    return Exhausted("nodes or leaves", nodes_.capacity());
  }
  if (change.next_hop) {
    if (absl::Status s = rib_.Insert(p, *change.next_hop); !s.ok()) return s;
  } else if (absl::Status s = rib_.Erase(p); !s.ok()) {
    return s;
  }
  for (uint32_t c = begin; c < end; ++c) {
    if (!shadowed[c - begin] && !(direct_[c] & kNodeBit)) {
      StoreRelease(&direct_[c], leaf);
    }
  }
  for (Plan& plan : plans_) Place(plan);
  return absl::OkStatus();
}

absl::Status Poptrie6::CheckChunk(uint32_t chunk, size_t* nodes,
                                  size_t* leaves) {
  const Ipv6Prefix region = ChunkPrefix(chunk);
  const std::string where = absl::StrCat("poptrie6 chunk ", region.ToString());
  const uint32_t want_leaf = DefaultLeaf(chunk);
  Plan fresh;
  PlanChunk(chunk, kNull, nullptr, &fresh);
  const uint32_t entry = direct_[chunk];
  if (!(entry & kNodeBit)) {
    if (!fresh.trie.nodes.empty()) {
      return absl::InternalError(where + ": longer routes but no subtree");
    }
    if (entry != want_leaf) return absl::InternalError(where + ": wrong leaf");
    return absl::OkStatus();
  }
  if (fresh.trie.nodes.empty()) {
    return absl::InternalError(where + ": a subtree without longer routes");
  }
  ++*nodes;  // the root's own array
  // Placed against fresh, node by node.
  struct Pair {
    Node placed;
    uint32_t local;
  };
  std::vector<Pair> stack = {{nodes_[entry & ~kNodeBit], 0}};
  const LocalTrie6& t = fresh.trie;
  while (!stack.empty()) {
    const auto [placed, local] = stack.back();
    stack.pop_back();
    const Node& want = t.nodes[local];
    if (placed.vector != want.vector || placed.leafvec != want.leafvec) {
      return absl::InternalError(where + ": a node differs from a fresh build");
    }
    const int nl = std::popcount(want.leafvec);
    for (int k = 0; k < nl; ++k) {
      if (leaves_[placed.base0 + k] != t.leaves[want.base0 + k]) {
        return absl::InternalError(where + ": a leaf differs");
      }
    }
    const int nc = std::popcount(want.vector);
    *leaves += nl;
    *nodes += nc;
    for (int k = 0; k < nc; ++k) {
      stack.push_back({nodes_[placed.base1 + k], want.base1 + k});
    }
  }
  return absl::OkStatus();
}

absl::Status Poptrie6::CheckInvariants() {
  size_t nodes = 0, leaves = 0;
  for (uint32_t c = 0; c < kChunks6; ++c) {
    if (absl::Status s = CheckChunk(c, &nodes, &leaves); !s.ok()) return s;
  }
  if (nodes != nodes_.in_use() || leaves != leaves_.in_use()) {
    return absl::InternalError(absl::StrCat(
        "poptrie6: ", nodes, " nodes and ", leaves, " leaves reachable, ",
        nodes_.in_use(), " and ", leaves_.in_use(), " in use"));
  }
  return rib_.CheckInvariants();
}

uint32_t Poptrie6::DefaultLeaf(uint32_t chunk) const {
  return Inherited(ChunkPrefix(chunk).network(), kDirectBits6, nullptr);
}

size_t Poptrie6::LookupBytes() const noexcept {
  return size_t{kChunks6} * sizeof(uint32_t) +
         size_t{nodes_.high_water()} * sizeof(Node) +
         size_t{leaves_.high_water()} * sizeof(Leaf);
}

size_t Poptrie6::MemoryBytes() const noexcept {
  return sizeof(*this) + LookupBytes() + rib_.MemoryBytes();
}

}  // namespace nexthop
