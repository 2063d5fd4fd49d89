// MirrorStats: what the kernel route mirror has done, as counters.
//
// Plain counters, read by the mirror's owner between calls (the mirror is
// single-threaded); meant for the daemon's `show` output and its metrics.
// `resyncs` counts full re-dumps after the event socket overflowed
// (ENOBUFS), `dumps` every dump including the first.
//
// Example:
//   MirrorStats stats;
//   stats.adds += 1;
//   std::cout << stats.adds;  // 1
#ifndef NEXTHOP_NETLINK_MIRROR_STATS_H_
#define NEXTHOP_NETLINK_MIRROR_STATS_H_

#include <cstdint>

namespace nexthop {

struct MirrorStats {
  uint64_t dumps = 0;     // full dumps (the first one and every resync)
  uint64_t resyncs = 0;   // re-dumps after ENOBUFS (events were lost)
  uint64_t messages = 0;  // netlink messages read from the event socket
  uint64_t adds = 0;      // events delivered to the sink, by kind
  uint64_t replaces = 0;
  uint64_t deletes = 0;
  uint64_t link_drops = 0;   // deletes because their device went down/away
  uint64_t refused = 0;      // table-N routes not mirrored (multipath, ...)
  uint64_t ignored = 0;      // other tables, other families, cloned routes
  uint64_t malformed = 0;    // messages that failed to parse
  uint64_t sink_errors = 0;  // events the sink refused
};

}  // namespace nexthop

#endif  // NEXTHOP_NETLINK_MIRROR_STATS_H_
