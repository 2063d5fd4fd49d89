// MRT files (rib/mrt_reader.h) as route tables. Every event is applied in
// file order to a table of the routes each peer has announced (one per
// peer, ADD-PATH identifier and prefix), as a BGP speaker's Adj-RIB-In
// would hold them:
//   - an announce replaces that peer's route for the prefix (a RIB dump's
//     entries are announces, so a dump loads every peer's route);
//   - a withdraw removes it;
//   - a session leaving Established (STATE_CHANGE from 6) removes all of
//     that peer's routes, as RFC 4271 does when a session goes down.
// What is left becomes the table: one route per distinct (prefix, next
// hop), metric 0, in the order the routes were first announced; the route
// table then forwards, per prefix, by its usual tie rule (lowest gateway
// address). IPv6 unicast routes go to LoadResult::routes6 the same way,
// with MP_REACH_NLRI's global next hop. Multicast prefixes, and prefixes
// with no next hop of their own family, are skipped and counted in a
// warning. LoadResult::lines (lines6) holds record numbers, not lines.
#include <algorithm>
#include <array>
#include <variant>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "rib/internal/parsers.h"
#include "rib/mrt_reader.h"

namespace nexthop::internal {
namespace {

// This absl hashes no std::variant: the alternative's index and value.
template <typename H, typename... T>
H CombineVariant(H h, const std::variant<T...>& v) {
  return std::visit(
      [&](const auto& x) { return H::combine(std::move(h), v.index(), x); },
      v);
}

struct PathKey {
  std::array<uint8_t, 16> peer{};
  uint32_t path_id = 0;
  mrt::Prefix prefix;

  friend bool operator==(const PathKey&, const PathKey&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const PathKey& k) {
    return CombineVariant(H::combine(std::move(h), k.peer, k.path_id),
                          k.prefix);
  }
};

// One route of the table, for telling peers that agree apart.
struct RouteKey {
  mrt::Prefix prefix;
  mrt::Address next_hop;

  friend bool operator==(const RouteKey&, const RouteKey&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const RouteKey& k) {
    return CombineVariant(CombineVariant(std::move(h), k.prefix), k.next_hop);
  }
};

struct Announced {
  mrt::Address next_hop;
  uint64_t record = 0;
  uint64_t order = 0;  // first announcement, to keep file order
};

std::array<uint8_t, 16> PeerBytes(const mrt::Address& a) {
  if (const auto* v6 = std::get_if<Ipv6Address>(&a)) return v6->bytes();
  const uint32_t v = std::get<Ipv4Address>(a).value();
  // IPv4 peers as IPv4-mapped addresses, so they never meet an IPv6 one.
  return {0,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0xFF,
          0xFF,
          static_cast<uint8_t>(v >> 24),
          static_cast<uint8_t>(v >> 16),
          static_cast<uint8_t>(v >> 8),
          static_cast<uint8_t>(v)};
}

}  // namespace

absl::Status ParseMrt(absl::string_view bytes, absl::string_view source,
                      ParseContext& ctx, LoadResult& result) {
  // The loader holds the bytes for the whole parse: no copy.
  mrt::Reader reader = mrt::Reader::Borrowing(bytes, std::string(source));
  mrt::Record record;
  absl::flat_hash_map<PathKey, Announced> table;
  uint64_t order = 0;
  uint64_t multicast = 0;
  uint64_t no_ipv4_next_hop = 0;
  uint64_t no_ipv6_next_hop = 0;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(record);
    if (!more.ok()) return more.status();
    if (!*more) break;
    for (const mrt::Event& e : record.events) {
      const std::array<uint8_t, 16> peer = PeerBytes(e.peer.address);
      if (e.kind == mrt::Event::Kind::kStateChange) {
        if (e.old_state == 6 && e.new_state != 6) {
          absl::erase_if(table, [&](const auto& entry) {
            return entry.first.peer == peer;
          });
        }
        continue;
      }
      if (e.safi == 2) {
        ++multicast;
        continue;
      }
      const PathKey key{peer, e.path_id.value_or(0), e.prefix};
      if (e.kind == mrt::Event::Kind::kWithdraw) {
        table.erase(key);
        continue;
      }
      // The next hop must be of the prefix's family (an IPv6 prefix's is
      // MP_REACH_NLRI's global address).
      const bool ipv6 = std::holds_alternative<Ipv6Prefix>(e.prefix);
      if (!e.next_hop ||
          std::holds_alternative<Ipv6Address>(*e.next_hop) != ipv6) {
        // Still an announcement: it replaces the peer's previous route
        // for the prefix (an implicit withdraw), which must not stay.
        ++(ipv6 ? no_ipv6_next_hop : no_ipv4_next_hop);
        table.erase(key);
        continue;
      }
      const mrt::Address* next_hop = &*e.next_hop;
      auto [it, inserted] = table.try_emplace(key);
      it->second.next_hop = *next_hop;
      it->second.record = record.number;
      if (inserted) it->second.order = order++;
    }
  }
  std::vector<const std::pair<const PathKey, Announced>*> kept;
  kept.reserve(table.size());
  for (const auto& entry : table) kept.push_back(&entry);
  std::sort(kept.begin(), kept.end(), [](const auto* a, const auto* b) {
    return a->second.order < b->second.order;
  });
  // Peers that agree on a prefix's next hop give one route, not duplicates.
  absl::flat_hash_set<RouteKey> seen;
  for (const auto* entry : kept) {
    const mrt::Prefix& prefix = entry->first.prefix;
    if (!seen.insert(RouteKey{prefix, entry->second.next_hop}).second) {
      continue;
    }
    const int record = static_cast<int>(entry->second.record);
    NextHop hop;
    absl::Status s;
    if (const auto* v6 = std::get_if<Ipv6Prefix>(&prefix)) {
      hop.gateway6 = std::get<Ipv6Address>(entry->second.next_hop);
      s = ctx.Add(record, ParsedPrefix6{*v6, false}, std::move(hop), 0, "");
    } else {
      hop.gateway = std::get<Ipv4Address>(entry->second.next_hop);
      s = ctx.Add(record, ParsedPrefix{std::get<Ipv4Prefix>(prefix), false},
                  std::move(hop), 0, "");
    }
    if (!s.ok()) return s;
  }
  if (result.routes.empty() && result.routes6.empty()) {
    std::string why;
    for (const auto& [what, n] : reader.stats().skipped) {
      absl::StrAppend(&why, "; skipped ", n, " ", what);
    }
    return absl::InvalidArgumentError(
        absl::StrCat(source,
                     ": no routes: no unicast announcement with a next hop of "
                     "its family is left after its ",
                     reader.stats().records, " records", why));
  }
  const auto warn = [&](uint64_t n, absl::string_view what) {
    if (n > 0) {
      result.warnings.push_back(
          absl::StrCat(source, ": warning: ", n, " ", what));
    }
  };
  warn(multicast, "multicast (SAFI 2) prefix events skipped");
  warn(no_ipv4_next_hop,
       "announcements of IPv4 prefixes without an IPv4 next hop skipped");
  warn(no_ipv6_next_hop,
       "announcements of IPv6 prefixes without an IPv6 next hop skipped");
  for (const auto& [why, n] : reader.stats().skipped) warn(n, why + " skipped");
  return absl::OkStatus();
}

}  // namespace nexthop::internal
