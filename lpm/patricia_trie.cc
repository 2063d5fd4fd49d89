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
    : nodes_(static_cast<Node*>(internal::ReserveAddressSpace(
                 size_t{std::max<uint32_t>(max_nodes, 1)} * sizeof(Node))),
             internal::HugeDeleter{size_t{std::max<uint32_t>(max_nodes, 1)} *
                                   sizeof(Node)}),
      max_nodes_(std::max<uint32_t>(max_nodes, 1)) {}

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
bool BasicPatriciaTrie<F>::Room(uint32_t needed) {
  if (reclaim_.OverBudget()) Reclaim();
  if (needed == 0) return true;
  if (nodes_ == nullptr) {  // moved from: reserve again
    nodes_ = internal::HugeArray<Node>(
        static_cast<Node*>(
            internal::ReserveAddressSpace(size_t{max_nodes_} * sizeof(Node))),
        internal::HugeDeleter{size_t{max_nodes_} * sizeof(Node)});
  }
  auto available = [&] { return free_.size() + (max_nodes_ - top_); };
  if (available() < needed && !pending_.empty()) Reclaim();
  return available() >= needed;
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

template <AddressFamily F>
uint32_t BasicPatriciaTrie<F>::NodesNeeded(Key key, int length) const {
  uint32_t n = root_;
  while (n != kNull) {
    const Node& node = nodes_[n];
    const int common =
        CommonLength(node.key, key, std::min<int>(node.length, length));
    if (common < node.length) return common == length ? 1 : 2;
    if (node.length == length) return 0;  // the prefix's node exists
    n = node.child[BitAt(key, node.length)];
  }
  return 1;  // a new leaf
}

template <AddressFamily F>
absl::Status BasicPatriciaTrie<F>::Insert(Prefix prefix, NextHopId next_hop) {
  if (absl::Status s = CheckNextHop(next_hop, kNoRoute - 1); !s.ok()) return s;
  const Key key = Keys::Of(prefix.network());
  const int length = prefix.length();
  // The nodes it needs (none to change a route, a leaf, or a split and a
  // leaf) are checked first, so that a refusal changes nothing and an undo
  // that restores a state the trie was in always fits.
  if (!Room(NodesNeeded(key, length))) {
    return absl::ResourceExhaustedError(
        absl::StrCat("patricia: all ", max_nodes_, " nodes are in use"));
  }
  uint32_t parent = kNull;
  int side = 0;
  uint32_t n = root_;
  auto link = [&]() -> uint32_t* {
    return parent == kNull ? &root_ : &nodes_[parent].child[side];
  };
  while (true) {
    if (n == kNull) {
      const uint32_t leaf = NewNode(key, length);
      nodes_[leaf].next_hop = next_hop;
      Store(link(), leaf);
      ++size_;
      return absl::OkStatus();
    }
    const Node& node = nodes_[n];
    const int common =
        CommonLength(node.key, key, std::min<int>(node.length, length));
    if (common == node.length) {
      if (node.length == length) {
        if (node.next_hop == kNoRoute) ++size_;
        Store(&nodes_[n].next_hop, next_hop);
        return absl::OkStatus();
      }
      parent = n;
      side = BitAt(key, node.length);
      n = node.child[side];
      continue;
    }
    // The new prefix and this node diverge (or the new one is shorter)
    // at bit `common`: put a node there, complete before it is linked.
    const uint32_t old = n;
    if (common == length) {
      const uint32_t mid = NewNode(key, length);
      nodes_[mid].next_hop = next_hop;
      nodes_[mid].child[BitAt(nodes_[old].key, length)] = old;
      Store(link(), mid);
    } else {
      const uint32_t split = NewNode(key, common);
      const uint32_t leaf = NewNode(key, length);
      nodes_[leaf].next_hop = next_hop;
      nodes_[split].child[BitAt(nodes_[old].key, common)] = old;
      nodes_[split].child[BitAt(key, common)] = leaf;
      Store(link(), split);
    }
    ++size_;
    return absl::OkStatus();
  }
}

template <AddressFamily F>
void BasicPatriciaTrie<F>::Splice(uint32_t* link, uint32_t n) {
  const Node& node = nodes_[n];
  Store(link, node.child[0] != kNull ? node.child[0] : node.child[1]);
  FreeNode(n);
}

template <AddressFamily F>
absl::Status BasicPatriciaTrie<F>::Erase(Prefix prefix,
                                         std::optional<Match>* covering) {
  if (reclaim_.OverBudget()) Reclaim();
  const Key key = Keys::Of(prefix.network());
  const int length = prefix.length();
  uint32_t grandparent = kNull, parent = kNull, cover = kNull;
  int parent_side = 0, side = 0;
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
    grandparent = parent;
    parent_side = side;
    parent = n;
    side = BitAt(key, node.length);
    n = node.child[side];
  }
  if (n == kNull || nodes_[n].next_hop == kNoRoute) {
    return absl::NotFoundError(
        absl::StrCat("prefix ", prefix.ToString(), " not in table"));
  }
  if (covering != nullptr) {
    *covering = std::nullopt;
    if (cover != kNull) {
      *covering = Match{Prefix::Canonical(Keys::Address(nodes_[cover].key),
                                          nodes_[cover].length),
                        nodes_[cover].next_hop};
    }
  }
  // One store: a reader sees the route or the covering answer.
  Store(&nodes_[n].next_hop, kNoRoute);
  --size_;
  const auto link_of = [&](uint32_t p, int s) -> uint32_t* {
    return p == kNull ? &root_ : &nodes_[p].child[s];
  };
  const Node& node = nodes_[n];
  if (node.child[0] != kNull && node.child[1] != kNull) return absl::OkStatus();
  Splice(link_of(parent, side), n);
  // A routeless parent left with a single child is no longer a split point.
  if (parent != kNull && nodes_[parent].next_hop == kNoRoute &&
      (nodes_[parent].child[0] == kNull || nodes_[parent].child[1] == kNull)) {
    Splice(link_of(grandparent, parent_side), parent);
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
