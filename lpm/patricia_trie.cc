#include "lpm/patricia_trie.h"

#include <algorithm>
#include <bit>
#include <new>
#include <utility>

#include "absl/strings/str_cat.h"

namespace nexthop {
namespace {

template <typename K>
constexpr int kKeyBits = sizeof(K) * 8;

// Bit `pos` (0 = most significant) of `x`.
template <typename K>
inline int BitAt(K x, int pos) {
  return static_cast<int>((x >> (kKeyBits<K> - 1 - pos)) & 1);
}

// The first `length` bits set.
template <typename K>
inline K Mask(int length) {
  return length == 0 ? K{0} : ~K{0} << (kKeyBits<K> - length);
}

inline int LeadingZeros(uint32_t x) { return std::countl_zero(x); }
inline int LeadingZeros(unsigned __int128 x) {
  const auto hi = static_cast<uint64_t>(x >> 64);
  return hi != 0 ? std::countl_zero(hi)
                 : 64 + std::countl_zero(static_cast<uint64_t>(x));
}

// Length of the common leading bits of a and b, capped at `limit`.
template <typename K>
inline int CommonLength(K a, K b, int limit) {
  return std::min(LeadingZeros(a ^ b), limit);
}

}  // namespace

template <AddressFamily F>
BasicPatriciaTrie<F>::BasicPatriciaTrie(uint32_t max_nodes)
    // Clamped so that every index, slack included, stays below kNull.
    : max_nodes_(std::clamp<uint32_t>(max_nodes, 1, kNull - kPathSlack - 1)) {
  Reserve();
}

template <AddressFamily F>
void BasicPatriciaTrie<F>::Reserve() {
  const size_t bytes = (size_t{max_nodes_} + kPathSlack) * sizeof(Node);
  nodes_ = internal::HugeArray<Node>(
      static_cast<Node*>(internal::ReserveAddressSpace(bytes)),
      internal::HugeDeleter{bytes});
}

template <AddressFamily F>
BasicPatriciaTrie<F>::BasicPatriciaTrie(BasicPatriciaTrie&& o) noexcept
    : nodes_(std::move(o.nodes_)),
      max_nodes_(o.max_nodes_),
      top_(std::exchange(o.top_, 0)),
      free_(std::exchange(o.free_, {})),
      pending_(std::exchange(o.pending_, {})),
      root_(std::exchange(o.root_, kNull)),
      size_(std::exchange(o.size_, 0)) {
  reclaim_ = o.reclaim_;
}

template <AddressFamily F>
BasicPatriciaTrie<F>& BasicPatriciaTrie<F>::operator=(
    BasicPatriciaTrie&& o) noexcept {
  if (this != &o) {
    this->~BasicPatriciaTrie();
    new (this) BasicPatriciaTrie(std::move(o));
  }
  return *this;
}

template <AddressFamily F>
BasicPatriciaTrie<F>::BasicPatriciaTrie(const BasicPatriciaTrie& other)
    : BasicPatriciaTrie(other.max_nodes_) {
  if (other.top_ > 0) std::copy_n(other.nodes_.get(), other.top_, nodes_.get());
  top_ = other.top_;
  free_ = other.free_;
  free_.insert(free_.end(), other.pending_.begin(), other.pending_.end());
  root_ = other.root_;
  size_ = other.size_;
}

template <AddressFamily F>
void BasicPatriciaTrie<F>::Reclaim() {
  reclaim_.Wait();
  free_.insert(free_.end(), pending_.begin(), pending_.end());
  pending_.clear();
}

template <AddressFamily F>
void BasicPatriciaTrie<F>::ReclaimAfterGracePeriod() {
  reclaim_.Passed();
  free_.insert(free_.end(), pending_.begin(), pending_.end());
  pending_.clear();
}

template <AddressFamily F>
bool BasicPatriciaTrie<F>::Room(uint32_t added, uint32_t copies) {
  if (reclaim_.OverBudget()) Reclaim();
  if (node_count() + added > max_nodes_) return false;
  if (nodes_ == nullptr) Reserve();  // moved from: reserve again
  // The slack past max_nodes_ always holds one path's copies once what
  // waits for a grace period is free again.
  const auto available = [&] {
    return free_.size() + (max_nodes_ + kPathSlack - top_);
  };
  if (available() < added + copies) Reclaim();
  return true;
}

// No reader can reach the node it returns (never linked, or unlinked a
// grace period ago): plain writes, published by the store that links it.
template <AddressFamily F>
uint32_t BasicPatriciaTrie<F>::NewNode(Key key, int length) {
  uint32_t n;
  if (!free_.empty()) {
    n = free_.back();
    free_.pop_back();
  } else {
    n = top_++;
  }
  nodes_[n] = Node{};
  nodes_[n].key = key & Mask<Key>(length);
  nodes_[n].length = static_cast<uint8_t>(length);
  return n;
}

template <AddressFamily F>
uint32_t BasicPatriciaTrie<F>::CopyNode(uint32_t n) {
  const uint32_t c = NewNode(nodes_[n].key, nodes_[n].length);
  nodes_[c].next_hop = nodes_[n].next_hop;
  nodes_[c].child[0] = nodes_[n].child[0];
  nodes_[c].child[1] = nodes_[n].child[1];
  return c;
}

// A reader may still be on `n`: it keeps its contents until reused.
template <AddressFamily F>
void BasicPatriciaTrie<F>::FreeNode(uint32_t n) {
  if (reclaim_.deferred()) {
    pending_.push_back(n);
    reclaim_.Defer(sizeof(Node));
  } else {
    free_.push_back(n);
  }
}

// Without readers beside the writer, one store into the parent's link.
// With them, every node is immutable once linked: the ancestors are copied
// with the new link and the new root is published with one store, so that
// a reader's walk reads one version of the whole path. (Linking `with`
// into the live parent is not enough: a reader already below that point
// would miss a route put above it and then see a route below it erased,
// an answer the table never gave.)
template <AddressFamily F>
void BasicPatriciaTrie<F>::Replace(const Path& path, int at, uint32_t with) {
  if (!reclaim_.deferred()) {
    Store(
        at == 0 ? &root_ : &nodes_[path.node[at - 1]].child[path.side[at - 1]],
        with);
    return;
  }
  for (int i = at - 1; i >= 0; --i) {
    const uint32_t copy = CopyNode(path.node[i]);
    nodes_[copy].child[path.side[i]] = with;
    FreeNode(path.node[i]);
    with = copy;
  }
  Store(&root_, with);
}

template <AddressFamily F>
void BasicPatriciaTrie<F>::SetNextHop(const Path& path, int at,
                                      NextHopId next_hop) {
  const uint32_t n = path.node[at];
  if (!reclaim_.deferred()) {
    Store(&nodes_[n].next_hop, next_hop);
    return;
  }
  const uint32_t copy = CopyNode(n);
  nodes_[copy].next_hop = next_hop;
  FreeNode(n);
  Replace(path, at, copy);
}

template <AddressFamily F>
absl::Status BasicPatriciaTrie<F>::Insert(Prefix prefix, NextHopId next_hop,
                                          std::optional<Match>* covering,
                                          std::optional<NextHopId>* previous) {
  if (absl::Status s = CheckNextHop(next_hop, kNoRoute - 1); !s.ok()) return s;
  const Key key = Keys::Of(prefix.network());
  const int length = prefix.length();
  // Down to where the prefix goes: `at` is the depth of the node it
  // changes or of the link it takes.
  Path path;
  int at = 0;
  uint32_t n = root_;
  uint32_t cover = kNull;
  int common = 0;
  while (n != kNull) {
    const Node& node = nodes_[n];
    common = CommonLength(node.key, key, std::min<int>(node.length, length));
    if (common < node.length || node.length == length) break;
    if (node.next_hop != kNoRoute) cover = n;  // a shorter route covers it
    const int side = BitAt(key, node.length);
    path.node[at] = n;
    path.side[at++] = static_cast<uint8_t>(side);
    n = node.child[side];
  }
  path.node[at] = n;
  // None to change a route, a leaf, or a split and a leaf; checked first,
  // so that a refusal changes nothing and an undo that restores a state
  // the trie was in always fits.
  const bool exists = n != kNull && common == nodes_[n].length;
  if (previous != nullptr) {
    *previous = std::nullopt;
    if (exists && nodes_[n].next_hop != kNoRoute) {
      *previous = nodes_[n].next_hop;
    }
  }
  if (covering != nullptr) {
    *covering = std::nullopt;
    if (cover != kNull) {
      *covering = Match{Prefix::Canonical(Keys::Address(nodes_[cover].key),
                                          nodes_[cover].length),
                        nodes_[cover].next_hop};
    }
  }
  const uint32_t added = n == kNull ? 1 : exists ? 0 : common == length ? 1 : 2;
  const uint32_t copies = reclaim_.deferred() ? at + 1 : 0;
  if (!Room(added, copies)) {
    return absl::ResourceExhaustedError(
        absl::StrCat("patricia: all ", max_nodes_, " nodes are in use"));
  }
  if (exists) {
    if (nodes_[n].next_hop == kNoRoute) ++size_;
    SetNextHop(path, at, next_hop);
    return absl::OkStatus();
  }
  // A new node, complete before it is linked: a leaf, the prefix's node
  // above `n`, or a split point above both.
  uint32_t with;
  if (n == kNull) {
    with = NewNode(key, length);
    nodes_[with].next_hop = next_hop;
  } else if (common == length) {
    with = NewNode(key, length);
    nodes_[with].next_hop = next_hop;
    nodes_[with].child[BitAt(nodes_[n].key, length)] = n;
  } else {
    with = NewNode(key, common);
    const uint32_t leaf = NewNode(key, length);
    nodes_[leaf].next_hop = next_hop;
    nodes_[with].child[BitAt(nodes_[n].key, common)] = n;
    nodes_[with].child[BitAt(key, common)] = leaf;
  }
  Replace(path, at, with);
  ++size_;
  return absl::OkStatus();
}

template <AddressFamily F>
absl::Status BasicPatriciaTrie<F>::Erase(Prefix prefix,
                                         std::optional<Match>* covering,
                                         std::optional<NextHopId>* previous) {
  const Key key = Keys::Of(prefix.network());
  const int length = prefix.length();
  Path path;
  int at = 0;
  uint32_t cover = kNull;
  uint32_t n = root_;
  while (n != kNull) {
    const Node& node = nodes_[n];
    if (node.length > length ||
        CommonLength(node.key, key, node.length) < node.length) {
      n = kNull;
      break;
    }
    if (node.length == length) break;
    if (node.next_hop != kNoRoute) cover = n;  // an ancestor covers it
    const int side = BitAt(key, node.length);
    path.node[at] = n;
    path.side[at++] = static_cast<uint8_t>(side);
    n = node.child[side];
  }
  if (n == kNull || nodes_[n].next_hop == kNoRoute) {
    return absl::NotFoundError(
        absl::StrCat("prefix ", prefix.ToString(), " not in table"));
  }
  path.node[at] = n;
  if (previous != nullptr) *previous = nodes_[n].next_hop;
  if (covering != nullptr) {
    *covering = std::nullopt;
    if (cover != kNull) {
      *covering = Match{Prefix::Canonical(Keys::Address(nodes_[cover].key),
                                          nodes_[cover].length),
                        nodes_[cover].next_hop};
    }
  }
  // Never fails: the slack past max_nodes_ holds the path's copies.
  Room(0, reclaim_.deferred() ? at + 1 : 0);
  --size_;
  const Node& node = nodes_[n];
  if (node.child[0] != kNull && node.child[1] != kNull) {
    SetNextHop(path, at, kNoRoute);  // still a split point
    return absl::OkStatus();
  }
  // The node goes, its only child (if any) taking its place; a routeless
  // parent left with a single child is no longer a split point and goes
  // too.
  const uint32_t only = node.child[0] != kNull ? node.child[0] : node.child[1];
  FreeNode(n);
  if (only == kNull && at > 0 &&
      nodes_[path.node[at - 1]].next_hop == kNoRoute) {
    const uint32_t parent = path.node[at - 1];
    const uint32_t sibling = nodes_[parent].child[1 - path.side[at - 1]];
    FreeNode(parent);
    Replace(path, at - 1, sibling);
  } else {
    Replace(path, at, only);
  }
  return absl::OkStatus();
}

template <AddressFamily F>
typename BasicPatriciaTrie<F>::Found BasicPatriciaTrie<F>::Find(
    Key address, int max_length) const noexcept {
  Found best;
  uint32_t n = Load(&root_);
  while (n != kNull) {
    const Node& node = nodes_[n];
    if (node.length > max_length ||
        ((address ^ node.key) & Mask<Key>(node.length)) != 0) {
      break;
    }
    const NextHopId hop = Load(&node.next_hop);
    if (hop != kNoRoute) best = {n, node.key, node.length, hop};
    if (node.length == F::kBits) break;
    n = Load(&node.child[BitAt(address, node.length)]);
  }
  return best;
}

template <AddressFamily F>
std::optional<LpmMatch<F>> BasicPatriciaTrie<F>::MatchNoLongerThan(
    Address address, int max_length) const noexcept {
  const Found f = Find(Keys::Of(address), max_length);
  if (f.node == kNull) return std::nullopt;
  return Match{Prefix::Canonical(Keys::Address(f.key), f.length), f.next_hop};
}

template <AddressFamily F>
void BasicPatriciaTrie<F>::LookupBatch(
    std::span<const Address> in, std::span<NextHopId> out) const noexcept {
  const size_t n = std::min(in.size(), out.size());
  for (size_t i = 0; i < n; ++i) out[i] = Lookup(in[i]);
}

template <AddressFamily F>
std::optional<NextHopId> BasicPatriciaTrie<F>::ExactMatch(
    Prefix prefix) const noexcept {
  const Found f = Find(Keys::Of(prefix.network()), prefix.length());
  if (f.node == kNull || f.length != prefix.length()) return std::nullopt;
  return f.next_hop;
}

template <AddressFamily F>
void BasicPatriciaTrie<F>::ForEach(
    const std::function<void(const Match&)>& fn) const {
  std::vector<uint32_t> stack;
  if (root_ != kNull) stack.push_back(root_);
  while (!stack.empty()) {
    const Node& node = nodes_[stack.back()];
    stack.pop_back();
    if (node.next_hop != kNoRoute) {
      fn(Match{Prefix::Canonical(Keys::Address(node.key), node.length),
               node.next_hop});
    }
    if (node.child[1] != kNull) stack.push_back(node.child[1]);
    if (node.child[0] != kNull) stack.push_back(node.child[0]);
  }
}

template <AddressFamily F>
absl::Status BasicPatriciaTrie<F>::CheckInvariants() const {
  size_t routes = 0, nodes = 0;
  std::vector<uint32_t> stack;
  if (root_ != kNull) stack.push_back(root_);
  while (!stack.empty()) {
    const uint32_t n = stack.back();
    stack.pop_back();
    const Node& node = nodes_[n];
    ++nodes;
    if (node.next_hop != kNoRoute) ++routes;
    if ((node.key & ~Mask<Key>(node.length)) != 0) {
      return absl::InternalError("node key has bits past its length");
    }
    int kids = 0;
    for (int side = 0; side < 2; ++side) {
      const uint32_t c = node.child[side];
      if (c == kNull) continue;
      ++kids;
      const Node& child = nodes_[c];
      if (child.length <= node.length ||
          ((child.key ^ node.key) & Mask<Key>(node.length)) != 0 ||
          BitAt(child.key, node.length) != side) {
        return absl::InternalError("child does not extend its parent");
      }
      stack.push_back(c);
    }
    if (node.next_hop == kNoRoute && kids < 2) {
      return absl::InternalError("routeless node with fewer than two children");
    }
  }
  if (routes != size_ || nodes != node_count()) {
    return absl::InternalError("route or node count mismatch");
  }
  return absl::OkStatus();
}

template <AddressFamily F>
size_t BasicPatriciaTrie<F>::MemoryBytes() const noexcept {
  return sizeof(*this) + size_t{top_} * sizeof(Node) +
         (free_.capacity() + pending_.capacity()) * sizeof(uint32_t);
}

template class BasicPatriciaTrie<Ipv4>;
template class BasicPatriciaTrie<Ipv6>;

}  // namespace nexthop
