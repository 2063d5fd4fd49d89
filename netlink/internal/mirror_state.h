// MirrorState: the kernel route mirror without its sockets. It keeps the
// table-N IPv4 routes the sink has accepted (keyed by prefix and metric)
// and the links (index -> name, up), turns parsed rtnetlink messages into
// sink events, and reconciles a full dump with what it holds (mark and
// sweep). Separate from the sockets so hand-built messages can drive it.
// Single-threaded; each message costs O(log routes), a link going down
// O(routes), a dump O(routes log routes).
#ifndef NEXTHOP_NETLINK_INTERNAL_MIRROR_STATE_H_
#define NEXTHOP_NETLINK_INTERNAL_MIRROR_STATE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "netlink/internal/route_message.h"
#include "netlink/mirror_stats.h"
#include "netlink/route_sink.h"

namespace nexthop::netlink_internal {

class MirrorState {
 public:
  using Log = std::function<void(absl::string_view)>;
  MirrorState(uint32_t table, RouteSink* sink, Log log)
      : table_(table), sink_(sink), log_(std::move(log)) {}

  // Every message of one datagram read from the event socket. A message
  // that fails to parse changes nothing and its error is returned (the
  // first one, after the rest of the datagram was still applied).
  absl::Status HandleDatagram(const void* data, size_t size);

  // A complete dump of the links and the routes: afterwards the mirror
  // holds exactly the dump's table-N routes (deletes for what is gone,
  // replaces for what changed, adds for what is new).
  absl::Status ApplyDump(const std::vector<ParsedLink>& links,
                         const std::vector<ParsedRoute>& routes);

  std::vector<KernelRoute<Ipv4>> Routes() const;
  MirrorStats& stats() { return stats_; }
  const MirrorStats& stats() const { return stats_; }

 private:
  using Key = std::pair<Ipv4Prefix, uint32_t>;
  struct Link {
    std::string name;
    bool up = false;
  };

  absl::Status HandleRoute(const ParsedRoute& parsed);
  absl::Status HandleLink(const ParsedLink& link);
  // The route to hold for a table-N IPv4 message, or nullopt (with the
  // reason in *why) when it cannot be mirrored.
  std::optional<KernelRoute<Ipv4>> Mirrorable(const ParsedRoute& parsed,
                                              std::string* why) const;
  bool Ours(const ParsedRoute& parsed) const;
  absl::Status Upsert(const KernelRoute<Ipv4>& route);
  absl::Status Erase(const Key& key);
  absl::Status Deliver(const RouteEvent<Ipv4>& event);
  std::string DevName(uint32_t ifindex) const;

  uint32_t table_;
  RouteSink* sink_;
  Log log_;
  absl::btree_map<Key, KernelRoute<Ipv4>> routes_;
  absl::flat_hash_map<uint32_t, Link> links_;
  MirrorStats stats_;
};

}  // namespace nexthop::netlink_internal

#endif  // NEXTHOP_NETLINK_INTERNAL_MIRROR_STATE_H_
