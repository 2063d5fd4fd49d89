// MultipathRib: the decision process step by step, and a random event
// stream checked against a plain model: after every event, the FIB built
// from the reported changes equals the best paths computed from scratch.
#include "rib/multipath_rib.h"

#include <map>
#include <random>

#include "gtest/gtest.h"

namespace nexthop {
namespace {

using Path = MultipathRib::Path;
using FibChange = MultipathRib::FibChange;

Ipv4Prefix P(const char* text) { return *Ipv4Prefix::Parse(text); }
Ipv4Address A(uint8_t last) { return Ipv4Address::FromOctets(192, 0, 2, last); }

TEST(MultipathRibTest, DecisionProcessAndReportedChanges) {
  MultipathRib rib;
  std::vector<FibChange> changes;
  const Ipv4Prefix p = P("10.0.0.0/8");
  rib.Announce(p, {.peer = 0, .next_hop = A(100)}, changes);  // last resort
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].next_hop, A(100));
  // A real AS path beats the last resort.
  rib.Announce(p, {.peer = 5, .as_path_length = 4, .next_hop = A(5)}, changes);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[1].next_hop, A(5));
  // Shorter path wins; equal length: lower peer id, then lower next hop.
  rib.Announce(p, {.peer = 7, .as_path_length = 3, .next_hop = A(7)}, changes);
  EXPECT_EQ(rib.Best(p)->peer, 7u);
  rib.Announce(p, {.peer = 6, .as_path_length = 3, .next_hop = A(6)}, changes);
  EXPECT_EQ(rib.Best(p)->peer, 6u);
  ASSERT_EQ(changes.size(), 4u);
  // The best peer re-announcing the same next hop with a longer path: a new
  // best path (peer 7), a new next hop.
  rib.Announce(p, {.peer = 6, .as_path_length = 9, .next_hop = A(6)}, changes);
  EXPECT_EQ(rib.Best(p)->peer, 7u);
  ASSERT_EQ(changes.size(), 5u);
  // A new best path through the same next hop is no FIB change.
  rib.Announce(p, {.peer = 1, .as_path_length = 2, .next_hop = A(7)}, changes);
  EXPECT_EQ(rib.Best(p)->peer, 1u);
  EXPECT_EQ(changes.size(), 5u);
  // Withdrawing a path that is not best, or one never announced: nothing.
  rib.Withdraw(5, p, changes);
  rib.Withdraw(9, p, changes);
  rib.Withdraw(9, P("11.0.0.0/8"), changes);
  EXPECT_EQ(changes.size(), 5u);
  rib.DropPeer(1, changes);  // peer 7 again: same next hop
  rib.DropPeer(7, changes);  // peer 6 (length 9)
  ASSERT_EQ(changes.size(), 6u);
  EXPECT_EQ(changes[5].next_hop, A(6));
  rib.Withdraw(6, p, changes);
  rib.Withdraw(0, p, changes);
  ASSERT_EQ(changes.size(), 8u);
  EXPECT_EQ(changes[6].next_hop, A(100));
  EXPECT_EQ(changes[7].next_hop, std::nullopt);
  EXPECT_EQ(rib.size(), 0u);
  EXPECT_EQ(rib.path_count(), 0u);
}

TEST(MultipathRibTest, RandomEventsMatchAFromScratchModel) {
  std::mt19937_64 rng(14);
  std::vector<Ipv4Prefix> prefixes;
  for (int i = 0; i < 40; ++i) {
    prefixes.push_back(Ipv4Prefix::Canonical(
        Ipv4Address(static_cast<uint32_t>(rng())), 8 + rng() % 25));
  }
  MultipathRib rib;
  std::map<std::pair<Ipv4Prefix, uint32_t>, Path> model;  // (prefix, peer)
  std::map<Ipv4Prefix, Ipv4Address> fib;  // built from the changes only
  std::vector<FibChange> changes;
  for (int step = 0; step < 20000; ++step) {
    const Ipv4Prefix p = prefixes[rng() % prefixes.size()];
    const uint32_t peer = static_cast<uint32_t>(rng() % 6);
    const int what = static_cast<int>(rng() % 100);
    if (what < 60) {
      Path path{peer, static_cast<uint32_t>(rng() % 4),
                A(static_cast<uint8_t>(rng() % 3))};
      if (rng() % 8 == 0) path.as_path_length = MultipathRib::kLastResort;
      rib.Announce(p, path, changes);
      model[{p, peer}] = path;
    } else if (what < 98) {
      rib.Withdraw(peer, p, changes);
      model.erase({p, peer});
    } else {
      rib.DropPeer(peer, changes);
      std::erase_if(model,
                    [&](const auto& e) { return e.first.second == peer; });
    }
    for (const FibChange& c : changes) {
      if (c.next_hop) {
        fib[c.prefix] = *c.next_hop;
      } else {
        ASSERT_EQ(fib.erase(c.prefix), 1u) << c.prefix.ToString();
      }
    }
    changes.clear();
    std::map<Ipv4Prefix, Path> best;
    for (const auto& [key, path] : model) {
      auto [it, inserted] = best.emplace(key.first, path);
      if (!inserted && path.BetterThan(it->second)) it->second = path;
    }
    ASSERT_EQ(fib.size(), best.size()) << "step " << step;
    for (const auto& [prefix, path] : best) {
      ASSERT_EQ(fib.at(prefix), path.next_hop) << "step " << step;
      ASSERT_EQ(rib.Best(prefix)->peer, path.peer) << "step " << step;
    }
    ASSERT_EQ(rib.path_count(), model.size());
  }
}

}  // namespace
}  // namespace nexthop
