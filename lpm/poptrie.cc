#include "lpm/poptrie.h"

#include <algorithm>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"

namespace nexthop {

using internal::poptrie::BuildChunk;
using internal::poptrie::kChunks;
using internal::poptrie::kChunkShift;
using internal::poptrie::kDirectBits;
using internal::poptrie::kLeafMiss;
using internal::poptrie::kNodeBit;
using internal::poptrie::PackRoute;
using internal::poptrie::RouteAddr;
using internal::poptrie::RouteKey;
using internal::poptrie::RouteLen;
using internal::poptrie::RouteNextHop;

namespace {

uint64_t ShortKey(uint32_t network, int len) {
  return uint64_t{network} << 8 | static_cast<uint64_t>(len);
}

// Readers may be walking the old subtree: the new one is complete before
// this store makes it visible.
void Publish(uint32_t* slot, uint32_t value) {
  __atomic_store_n(slot, value, __ATOMIC_RELEASE);
}

// LookupMatch's word holds a route list's start in 26 bits.
Poptrie::Limits Clamped(Poptrie::Limits limits) {
  limits.max_long_routes = std::min(limits.max_long_routes, uint32_t{1} << 26);
  return limits;
}

absl::Status Exhausted(absl::string_view what, uint32_t limit) {
  return absl::ResourceExhaustedError(absl::StrCat(
      "poptrie: the update needs more ", what, " than the limit of ", limit));
}

}  // namespace

Poptrie::Poptrie(Limits requested) : Poptrie(Clamped(requested), 0) {}

Poptrie::Poptrie(Limits limits, int)
    : direct_(internal::MakeHugeArray<uint32_t>(kChunks)),
      match_(kChunks, MatchWord(ChunkInfo{})),
      sizes_(kChunks, 0),
      nodes_(limits.max_nodes),
      leaves_(limits.max_leaves),
      routes_(limits.max_long_routes),
      limits_(limits) {
  std::fill_n(direct_.get(), kChunks, kLeafMiss);
}

void Poptrie::BeginUpdate() {
  if (!reclaim_.deferred()) {
    ReclaimArenas();
  } else if (reclaim_.OverBudget()) {
    Reclaim();
  }
}

void Poptrie::Reclaim() {
  reclaim_.Wait();
  ReclaimArenas();
}

std::pair<uint32_t, int> Poptrie::BestShort(uint32_t network,
                                            int len_limit) const {
  for (int len = len_limit; len >= 0; --len) {
    auto it = short_.find(ShortKey(network & MaskBits(len), len));
    if (it != short_.end()) return {it->second, len};
  }
  return {kLeafMiss, -1};
}

absl::Status Poptrie::Commit(std::vector<Staged>& staged,
                             const ChunkInfo* defaults) {
  // Check room for everything first, so that a failure changes nothing:
  // the exact regions Allocate will hand out, free ones included.
  absl::InlinedVector<uint32_t, 4> node_sizes, leaf_sizes, route_sizes;
  for (const Staged& s : staged) {
    if (!s.trie.nodes.empty()) {
      node_sizes.push_back(static_cast<uint32_t>(s.trie.nodes.size()));
      if (!s.trie.leaves.empty())
        leaf_sizes.push_back(static_cast<uint32_t>(s.trie.leaves.size()));
    }
    if (s.routes_changed && !s.routes.empty())
      route_sizes.push_back(static_cast<uint32_t>(s.routes.size()));
  }
  auto fits = [&] {
    return nodes_.Fits(node_sizes) && leaves_.Fits(leaf_sizes) &&
           routes_.Fits(route_sizes);
  };
  // Regions still waiting for a grace period may be what makes it fit
  // (an undo asks for the sizes the update it reverts gave back).
  if (!fits() && reclaim_.HasPending() && nodes_.FitsAfterReclaim(node_sizes) &&
      leaves_.FitsAfterReclaim(leaf_sizes) &&
      routes_.FitsAfterReclaim(route_sizes)) {
    Reclaim();
  }
  if (!nodes_.Fits(node_sizes)) return Exhausted("nodes", limits_.max_nodes);
  if (!leaves_.Fits(leaf_sizes)) return Exhausted("leaves", limits_.max_leaves);
  if (!routes_.Fits(route_sizes))
    return Exhausted("routes longer than /18", limits_.max_long_routes);

  for (Staged& s : staged) {
    ChunkInfo info = Info(s.chunk);
    const ChunkInfo old = info;
    if (defaults != nullptr) {
      info.default_leaf = defaults->default_leaf;
      info.default_len = defaults->default_len;
    }
    if (s.routes_changed) {
      info.route_count = static_cast<uint32_t>(s.routes.size());
      info.route_start = 0;
      if (!s.routes.empty()) {
        info.route_start = *routes_.Allocate(info.route_count);
        std::copy(s.routes.begin(), s.routes.end(),
                  routes_.data() + info.route_start);
      }
    }
    uint32_t entry = s.trie.leaf;  // a direct leaf unless it has nodes
    info.node_count = static_cast<uint16_t>(s.trie.nodes.size());
    info.leaf_count = static_cast<uint32_t>(s.trie.leaves.size());
    if (!s.trie.nodes.empty()) {
      const uint32_t node_start = *nodes_.Allocate(info.node_count);
      uint32_t leaf_start = 0;
      if (info.leaf_count > 0) leaf_start = *leaves_.Allocate(info.leaf_count);
      for (size_t i = 0; i < s.trie.nodes.size(); ++i) {
        Node n = s.trie.nodes[i];
        n.base0 += leaf_start;
        n.base1 += node_start;
        nodes_[node_start + i] = n;
      }
      std::copy(s.trie.leaves.begin(), s.trie.leaves.end(),
                leaves_.data() + leaf_start);
      entry = kNodeBit | node_start;
    }
    const uint32_t old_entry = direct_[s.chunk];
    Publish(&direct_[s.chunk], entry);
    Store(s.chunk, info);
    if (old_entry & kNodeBit) {
      const uint32_t old_root = old_entry & ~kNodeBit;
      Retire(leaves_, nodes_[old_root].base0, old.leaf_count);
      Retire(nodes_, old_root, old.node_count);
    }
    if (s.routes_changed) Retire(routes_, old.route_start, old.route_count);
  }
  return absl::OkStatus();
}

absl::Status Poptrie::UpdateShort(Ipv4Prefix prefix,
                                  std::optional<NextHopId> next_hop) {
  const uint32_t net = prefix.network().value();
  const int len = prefix.length();
  const uint64_t key = ShortKey(net, len);
  const bool had = short_.contains(key);
  if (!next_hop && !had) {
    return absl::NotFoundError(
        absl::StrCat(prefix.ToString(), " is not in the table"));
  }
  ChunkInfo fresh;
  if (next_hop) {
    fresh.default_leaf = *next_hop;
    fresh.default_len = static_cast<int8_t>(len);
  } else {
    auto [leaf, cover_len] = BestShort(net, len - 1);
    fresh.default_leaf = leaf;
    fresh.default_len = static_cast<int8_t>(cover_len);
  }
  // Insert: chunks whose best short route is no longer than this one.
  // Erase: chunks whose best short route is this one.
  auto affected = [&](const ChunkInfo& info) {
    return next_hop ? info.default_len <= len : info.default_len == len;
  };
  const uint32_t begin = net >> kChunkShift;
  const uint32_t end = begin + (uint32_t{1} << (kDirectBits - len));
  std::vector<Staged> staged;
  for (uint32_t c = begin; c < end; ++c) {
    const ChunkInfo info = Info(c);
    if (info.route_count == 0 || !affected(info)) continue;
    Staged& s = staged.emplace_back();
    s.chunk = c;
    s.routes_changed = false;
    BuildChunk(Routes(info), fresh.default_leaf, &s.trie);
  }
  if (absl::Status st = Commit(staged, &fresh); !st.ok()) return st;
  for (uint32_t c = begin; c < end; ++c) {
    ChunkInfo info = Info(c);
    if (info.route_count != 0 || !affected(info)) continue;
    info.default_leaf = fresh.default_leaf;
    info.default_len = fresh.default_len;
    Publish(&direct_[c], fresh.default_leaf);
    Store(c, info);
  }
  if (next_hop) {
    short_[key] = *next_hop;
    if (!had) ++size_;
  } else {
    short_.erase(key);
    --size_;
  }
  return absl::OkStatus();
}

absl::Status Poptrie::UpdateLong(Ipv4Prefix prefix,
                                 std::optional<NextHopId> next_hop) {
  const uint32_t net = prefix.network().value();
  const uint64_t key = ShortKey(net, prefix.length());
  const uint32_t c = net >> kChunkShift;
  const ChunkInfo info = Info(c);
  const std::span<const uint64_t> routes = Routes(info);
  auto pos =
      std::lower_bound(routes.begin(), routes.end(), key,
                       [](uint64_t r, uint64_t k) { return RouteKey(r) < k; });
  const bool had = pos != routes.end() && RouteKey(*pos) == key;
  if (!next_hop && !had) {
    return absl::NotFoundError(
        absl::StrCat(prefix.ToString(), " is not in the table"));
  }
  std::vector<Staged> staged(1);
  Staged& s = staged[0];
  s.chunk = c;
  s.routes_changed = true;
  s.routes.reserve(routes.size() + 1);
  s.routes.insert(s.routes.end(), routes.begin(), pos);
  if (next_hop) s.routes.push_back(PackRoute(net, prefix.length(), *next_hop));
  s.routes.insert(s.routes.end(), had ? pos + 1 : pos, routes.end());
  BuildChunk(s.routes, info.default_leaf, &s.trie);
  if (absl::Status st = Commit(staged, nullptr); !st.ok()) return st;
  if (next_hop && !had) ++size_;
  if (!next_hop) --size_;
  return absl::OkStatus();
}

absl::Status Poptrie::Insert(Ipv4Prefix prefix, NextHopId next_hop) {
  if (absl::Status s = CheckNextHop(next_hop, kMaxNextHop); !s.ok()) return s;
  BeginUpdate();
  return prefix.length() <= kDirectBits ? UpdateShort(prefix, next_hop)
                                        : UpdateLong(prefix, next_hop);
}

absl::Status Poptrie::Erase(Ipv4Prefix prefix) {
  BeginUpdate();
  return prefix.length() <= kDirectBits ? UpdateShort(prefix, std::nullopt)
                                        : UpdateLong(prefix, std::nullopt);
}

absl::Status Poptrie::Assign(std::span<const Ipv4Prefix> prefixes,
                             std::span<const NextHopId> next_hops) {
  if (prefixes.size() != next_hops.size()) {
    return absl::InvalidArgumentError(
        "poptrie: prefixes and next hops differ in count");
  }
  for (size_t i = 0; i < next_hops.size(); ++i) {
    if (absl::Status s = CheckNextHop(next_hops[i], kMaxNextHop); !s.ok()) {
      return absl::Status(
          s.code(), absl::StrCat(prefixes[i].ToString(), ": ", s.message()));
    }
  }
  // Sort by (key, input position) so that the last duplicate wins.
  std::vector<std::pair<uint64_t, uint32_t>> order(prefixes.size());
  for (size_t i = 0; i < prefixes.size(); ++i) {
    order[i] = {ShortKey(prefixes[i].network().value(), prefixes[i].length()),
                static_cast<uint32_t>(i)};
  }
  std::sort(order.begin(), order.end());
  std::vector<uint64_t> routes;
  routes.reserve(order.size());
  for (size_t i = 0; i < order.size(); ++i) {
    if (i + 1 < order.size() && order[i + 1].first == order[i].first) continue;
    const uint64_t k = order[i].first;
    routes.push_back(k << 24 | next_hops[order[i].second]);
  }
  order = {};

  Poptrie t(limits_);
  // Short routes first, in order: a route sorts before those it covers, so
  // the last write to a chunk's default is its longest short route.
  size_t i = 0;
  for (; i < routes.size(); ++i) {
    const uint64_t r = routes[i];
    const int len = RouteLen(r);
    if (len > kDirectBits) continue;
    t.short_[RouteKey(r)] = RouteNextHop(r);
    const uint32_t begin = RouteAddr(r) >> kChunkShift;
    const uint32_t end = begin + (uint32_t{1} << (kDirectBits - len));
    ChunkInfo info;
    info.default_leaf = RouteNextHop(r);
    info.default_len = static_cast<int8_t>(len);
    for (uint32_t c = begin; c < end; ++c) t.Store(c, info);
  }
  std::vector<uint64_t> long_routes;
  long_routes.reserve(routes.size());
  for (uint64_t r : routes) {
    if (RouteLen(r) > kDirectBits) long_routes.push_back(r);
  }
  routes = {};
  LocalTrie trie;
  for (size_t b = 0; b < long_routes.size();) {
    const uint32_t c = RouteAddr(long_routes[b]) >> kChunkShift;
    size_t e = b;
    while (e < long_routes.size() &&
           RouteAddr(long_routes[e]) >> kChunkShift == c)
      ++e;
    std::vector<Staged> staged(1);
    staged[0].chunk = c;
    staged[0].routes_changed = true;
    staged[0].routes.assign(long_routes.begin() + b, long_routes.begin() + e);
    BuildChunk(staged[0].routes, t.Info(c).default_leaf, &staged[0].trie);
    if (absl::Status s = t.Commit(staged, nullptr); !s.ok()) return s;
    b = e;
  }
  for (uint32_t c = 0; c < kChunks; ++c) {
    const ChunkInfo info = t.Info(c);
    if (info.route_count == 0) t.direct_[c] = info.default_leaf;
  }
  t.size_ = t.short_.size() + long_routes.size();
  t.reclaim_.CopyAttachment(reclaim_);  // the grace period stays attached
  *this = std::move(t);
  return absl::OkStatus();
}

std::optional<LpmMatch<Ipv4>> Poptrie::LookupMatch(
    Ipv4Address address) const noexcept {
  const uint32_t a = address.value();
  // One load: the route list and default of one state of the chunk.
  const uint64_t word =
      __atomic_load_n(&match_[a >> kChunkShift], __ATOMIC_ACQUIRE);
  const uint32_t route_start = static_cast<uint32_t>(word & ((1u << 26) - 1));
  const uint32_t route_count = static_cast<uint32_t>(word >> 26) & 0xffff;
  const uint32_t default_leaf = static_cast<uint32_t>(word >> 42) & 0xffff;
  const int default_len = static_cast<int>(word >> 58) - 1;
  const std::span<const uint64_t> routes(routes_.data() + route_start,
                                         route_count);
  for (int len = 32; len > kDirectBits && !routes.empty(); --len) {
    const uint64_t key = ShortKey(a & MaskBits(len), len);
    auto pos = std::lower_bound(
        routes.begin(), routes.end(), key,
        [](uint64_t r, uint64_t k) { return RouteKey(r) < k; });
    if (pos != routes.end() && RouteKey(*pos) == key) {
      return LpmMatch<Ipv4>{Ipv4Prefix::Canonical(address, len),
                            RouteNextHop(*pos)};
    }
  }
  if (default_len < 0) return std::nullopt;
  return LpmMatch<Ipv4>{Ipv4Prefix::Canonical(address, default_len),
                        internal::poptrie::DecodeLeaf(default_leaf)};
}

uint32_t Poptrie::direct_chunks() const noexcept {
  uint32_t n = 0;
  for (uint32_t c = 0; c < kChunks; ++c) n += !(direct_[c] & kNodeBit);
  return n;
}

size_t Poptrie::LookupBytes() const noexcept {
  return size_t{kChunks} * sizeof(uint32_t) +
         size_t{nodes_.high_water()} * sizeof(Node) +
         size_t{leaves_.high_water()} * sizeof(internal::poptrie::Leaf);
}

size_t Poptrie::MemoryBytes() const noexcept {
  return LookupBytes() + match_.size() * sizeof(uint64_t) +
         sizes_.size() * sizeof(uint32_t) +
         size_t{routes_.high_water()} * sizeof(uint64_t) +
         short_.capacity() * (sizeof(std::pair<uint64_t, NextHopId>) + 1);
}

absl::Status Poptrie::CheckInvariants() const {
  auto fail = [](uint32_t c, absl::string_view what) {
    return absl::InternalError(absl::StrCat("poptrie chunk ", c, ": ", what));
  };
  // Each chunk's expected default, from the short routes in one pass: in
  // (address, length) order a route precedes those it covers.
  std::vector<std::pair<uint32_t, int>> expected(kChunks, {kLeafMiss, -1});
  std::vector<std::pair<uint64_t, NextHopId>> shorts(short_.begin(),
                                                     short_.end());
  std::sort(shorts.begin(), shorts.end());
  for (const auto& [key, nh] : shorts) {
    const uint32_t net = static_cast<uint32_t>(key >> 8);
    const int len = static_cast<int>(key & 0xff);
    const uint32_t begin = net >> kChunkShift;
    for (uint32_t c = begin; c < begin + (uint32_t{1} << (kDirectBits - len));
         ++c)
      expected[c] = {nh, len};
  }
  size_t nodes = 0, leaves = 0, long_routes = 0;
  LocalTrie trie;
  for (uint32_t c = 0; c < kChunks; ++c) {
    const ChunkInfo info = Info(c);
    const std::span<const uint64_t> routes = Routes(info);
    for (size_t i = 0; i < routes.size(); ++i) {
      if (RouteAddr(routes[i]) >> kChunkShift != c)
        return fail(c, "route outside the chunk");
      if (RouteLen(routes[i]) <= kDirectBits || RouteLen(routes[i]) > 32)
        return fail(c, "route length");
      if (RouteAddr(routes[i]) & ~MaskBits(RouteLen(routes[i])))
        return fail(c, "host bits set");
      if (i > 0 && RouteKey(routes[i - 1]) >= RouteKey(routes[i]))
        return fail(c, "routes not sorted and unique");
    }
    const auto [leaf, len] = expected[c];
    if (info.default_leaf != leaf || info.default_len != len)
      return fail(c, "default is not the best short route");
    BuildChunk(routes, info.default_leaf, &trie);
    const uint32_t e = direct_[c];
    if (trie.nodes.empty()) {
      if (e != trie.leaf)
        return fail(c, "direct entry is not the chunk's one answer");
      if (info.node_count != 0 || info.leaf_count != 0)
        return fail(c, "stale counts");
    } else {
      if (!(e & kNodeBit)) return fail(c, "direct entry is not a node");
      if (info.node_count != trie.nodes.size() ||
          info.leaf_count != trie.leaves.size())
        return fail(c, "counts differ from a fresh build");
      const uint32_t root = e & ~kNodeBit;
      const uint32_t leaf_start = nodes_[root].base0;
      if (size_t{root} + info.node_count > nodes_.high_water() ||
          size_t{leaf_start} + info.leaf_count > leaves_.high_water())
        return fail(c, "regions outside the arenas");
      for (size_t i = 0; i < trie.nodes.size(); ++i) {
        Node n = trie.nodes[i];
        n.base0 += leaf_start;
        n.base1 += root;
        if (!(nodes_[root + i] == n))
          return fail(c, "node differs from a fresh build");
      }
      if (!std::equal(trie.leaves.begin(), trie.leaves.end(),
                      leaves_.data() + leaf_start))
        return fail(c, "leaves differ from a fresh build");
    }
    nodes += info.node_count;
    leaves += info.leaf_count;
    long_routes += info.route_count;
  }
  if (nodes != nodes_.in_use() || leaves != leaves_.in_use() ||
      long_routes != routes_.in_use())
    return absl::InternalError("poptrie: arena accounting does not add up");
  if (size_ != long_routes + short_.size())
    return absl::InternalError("poptrie: size does not add up");
  return absl::OkStatus();
}

}  // namespace nexthop
