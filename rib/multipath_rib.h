// MultipathRib: the paths several BGP peers announce for each IPv4 prefix,
// one path per (peer, prefix), and the best of them, as a control plane
// keeps them before anything reaches a FIB. It turns announce, withdraw and
// peer-down events into the changes of each prefix's best next hop, which
// is all a FIB needs to see.
//
// The decision process is a simplified BGP one (RFC 4271 section 9.1 keeps
// LOCAL_PREF, origin, MED and IGP cost before these; a replay of collector
// data has none that mean anything to us), lower wins at each step:
//   1. AS path length (kLastResort ranks after every real length: a path
//      whose length is unknown, such as a table loaded without AS paths);
//   2. peer id (callers number peers in the order of their addresses, so
//      this is "lowest peer address");
//   3. next-hop address.
// Only a change of the best path's next hop is reported: a new best path
// through the same next hop changes nothing a lookup can see.
//
// Cost: one hash lookup and a scan of the prefix's few paths per event
// (kept best first, two inline); ~50 bytes a prefix with one path. A peer
// going down is a scan of every prefix, done only when that peer holds
// paths (its path count is kept).
//
// Thread-safety: thread-compatible (one writer, no concurrent readers).
//
// Example:
//   MultipathRib rib;
//   std::vector<MultipathRib::FibChange> changes;
//   const Ipv4Prefix p = *Ipv4Prefix::Parse("10.0.0.0/8");
//   rib.Announce(p, {.peer = 2, .as_path_length = 3,
//                    .next_hop = Ipv4Address::FromOctets(192, 0, 2, 1)},
//                changes);  // changes: 10.0.0.0/8 via 192.0.2.1
//   rib.Announce(p, {.peer = 1, .as_path_length = 3,
//                    .next_hop = Ipv4Address::FromOctets(192, 0, 2, 9)},
//                changes);  // peer 1 wins the tie: via 192.0.2.9
//   rib.DropPeer(1, changes);  // back to 192.0.2.1
#ifndef NEXTHOP_RIB_MULTIPATH_RIB_H_
#define NEXTHOP_RIB_MULTIPATH_RIB_H_

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "net/ipv4.h"

namespace nexthop {

class MultipathRib {
 public:
  static constexpr uint32_t kLastResort = std::numeric_limits<uint32_t>::max();

  struct Path {
    uint32_t peer = 0;
    uint32_t as_path_length = kLastResort;
    Ipv4Address next_hop;

    // True when `this` is preferred to `other` (the decision process).
    bool BetterThan(const Path& other) const {
      return std::tie(as_path_length, peer, next_hop) <
             std::tie(other.as_path_length, other.peer, other.next_hop);
    }
  };

  // The best next hop of `prefix` is now `next_hop` (nullopt: no path is
  // left, erase the route).
  struct FibChange {
    Ipv4Prefix prefix;
    std::optional<Ipv4Address> next_hop;
  };

  // `path.peer`'s path to `prefix`, replacing the one it had. Appends to
  // `changes` when the best next hop changes.
  void Announce(Ipv4Prefix prefix, const Path& path,
                std::vector<FibChange>& changes) {
    Paths& paths = prefixes_[prefix];
    const std::optional<Ipv4Address> before = BestHop(paths);
    if (RemovePeer(paths, path.peer)) --PeerPaths(path.peer);
    auto at = std::find_if(paths.begin(), paths.end(),
                           [&](const Path& p) { return path.BetterThan(p); });
    paths.insert(at, path);
    ++PeerPaths(path.peer);
    Report(prefix, before, BestHop(paths), changes);
  }

  // Removes `peer`'s path to `prefix`, if it has one.
  void Withdraw(uint32_t peer, Ipv4Prefix prefix,
                std::vector<FibChange>& changes) {
    auto it = prefixes_.find(prefix);
    if (it == prefixes_.end()) return;
    const std::optional<Ipv4Address> before = BestHop(it->second);
    if (!RemovePeer(it->second, peer)) return;
    --PeerPaths(peer);
    Report(prefix, before, BestHop(it->second), changes);
    if (it->second.empty()) prefixes_.erase(it);
  }

  // Removes every path of `peer` (its session went down).
  void DropPeer(uint32_t peer, std::vector<FibChange>& changes) {
    if (peer >= peer_paths_.size() || peer_paths_[peer] == 0) return;
    for (auto it = prefixes_.begin(); it != prefixes_.end();) {
      const std::optional<Ipv4Address> before = BestHop(it->second);
      if (RemovePeer(it->second, peer)) {
        Report(it->first, before, BestHop(it->second), changes);
      }
      if (it->second.empty()) {
        prefixes_.erase(it++);
      } else {
        ++it;
      }
    }
    peer_paths_[peer] = 0;
  }

  std::optional<Path> Best(Ipv4Prefix prefix) const {
    auto it = prefixes_.find(prefix);
    if (it == prefixes_.end()) return std::nullopt;
    return it->second.front();
  }
  // Calls fn(prefix, best path) for every prefix, in no particular order.
  template <typename Fn>
  void ForEachBest(Fn fn) const {
    for (const auto& [prefix, paths] : prefixes_) fn(prefix, paths.front());
  }
  size_t size() const { return prefixes_.size(); }  // prefixes with a path
  uint64_t path_count() const {
    uint64_t n = 0;
    for (uint64_t c : peer_paths_) n += c;
    return n;
  }
  void Reserve(size_t prefixes) { prefixes_.reserve(prefixes); }

 private:
  using Paths = absl::InlinedVector<Path, 2>;  // best first

  static std::optional<Ipv4Address> BestHop(const Paths& paths) {
    if (paths.empty()) return std::nullopt;
    return paths.front().next_hop;
  }
  static bool RemovePeer(Paths& paths, uint32_t peer) {
    for (auto it = paths.begin(); it != paths.end(); ++it) {
      if (it->peer == peer) {
        paths.erase(it);
        return true;
      }
    }
    return false;
  }
  static void Report(Ipv4Prefix prefix, std::optional<Ipv4Address> before,
                     std::optional<Ipv4Address> after,
                     std::vector<FibChange>& changes) {
    if (before != after) changes.push_back({prefix, after});
  }
  uint64_t& PeerPaths(uint32_t peer) {
    if (peer >= peer_paths_.size()) peer_paths_.resize(peer + 1);
    return peer_paths_[peer];
  }

  absl::flat_hash_map<Ipv4Prefix, Paths> prefixes_;
  std::vector<uint64_t> peer_paths_;  // paths held, by peer id
};

}  // namespace nexthop

#endif  // NEXTHOP_RIB_MULTIPATH_RIB_H_
