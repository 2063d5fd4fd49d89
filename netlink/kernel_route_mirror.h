// KernelRouteMirror: one kernel routing table (IPv4, table N) mirrored into
// a RouteSink over rtnetlink (libmnl).
//
// Open subscribes to the link and IPv4 route multicast groups, then dumps
// the links and routes and hands the sink one add per table-N route. From
// then on the owner polls fd() for POLLIN and calls Process(), which reads
// what is pending without blocking and turns RTM_NEWROUTE/RTM_DELROUTE of
// table N into add/replace/delete events. Routes whose device goes down
// or away are deleted (IPv4 sends no RTM_DELROUTE for them;
// other silent flushes, such as routes whose preferred source address was
// removed, are not followed until the next Resync). When the
// event socket overflowed (ENOBUFS: events were lost), Process re-dumps
// and sweeps, so the sink again holds exactly the kernel's table.
// Multipath (RTA_MULTIPATH) and non-unicast routes are refused with a
// logged reason (the rib keeps one next hop per route); IPv6 follows once
// the rib takes IPv6 routes. Errors name the netlink message and
// attribute. Cost: O(log routes) per event, a dump per resync. Not
// thread-safe: one owner thread calls everything, and the sink from it.
// The sockets belong to the network namespace Open ran in.
//
// Example:
//   struct Count : RouteSink {
//     int n = 0;
//     absl::Status Apply(const RouteEvent<Ipv4>&) override {
//       ++n;
//       return absl::OkStatus();
//     }
//   };
//   Count sink;
//   KernelRouteMirror::Options options;
//   options.table = 254;  // main
//   auto mirror = KernelRouteMirror::Open(options, &sink);
//   if (mirror.ok()) {
//     // poll((*mirror)->fd(), POLLIN) in the daemon's loop, then:
//     absl::Status s = (*mirror)->Process();
//   }
#ifndef NEXTHOP_NETLINK_KERNEL_ROUTE_MIRROR_H_
#define NEXTHOP_NETLINK_KERNEL_ROUTE_MIRROR_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "netlink/kernel_route.h"
#include "netlink/mirror_stats.h"
#include "netlink/route_sink.h"

struct mnl_socket;

namespace nexthop {
namespace netlink_internal {
class MirrorState;
}

class KernelRouteMirror {
 public:
  struct Options {
    uint32_t table = 254;  // RT_TABLE_MAIN
    // SO_RCVBUF of the event socket in bytes (SO_RCVBUFFORCE when root);
    // 0 keeps the kernel's default. Bigger rides out bursts without a
    // resync; tests make it small to force one.
    int receive_buffer_bytes = 0;
    // Where refusals and resyncs are reported; default: standard error.
    std::function<void(absl::string_view)> log;
  };

  // Subscribes, dumps and delivers the table to `sink` (which must
  // outlive the mirror). An error names the netlink call that failed.
  static absl::StatusOr<std::unique_ptr<KernelRouteMirror>> Open(
      const Options& options, RouteSink* sink);
  ~KernelRouteMirror();
  KernelRouteMirror(const KernelRouteMirror&) = delete;
  KernelRouteMirror& operator=(const KernelRouteMirror&) = delete;

  // The event socket, for poll(): readable when Process has work.
  int fd() const;
  // Reads and applies every pending event; re-dumps after ENOBUFS. The
  // first error is returned once everything pending was handled.
  absl::Status Process();
  // A full re-dump with mark and sweep (Process calls it after ENOBUFS).
  // Events queued before it are discarded unread: after an overrun they
  // precede the lost ones, and replaying them on the dump would bring back
  // stale routes (tests/kernel_mirror_test.cc caught exactly that).
  absl::Status Resync();

  std::vector<KernelRoute<Ipv4>> Routes() const;  // what the sink holds
  const MirrorStats& stats() const;

 private:
  KernelRouteMirror(const Options& options, RouteSink* sink);
  absl::Status OpenSockets();

  Options options_;
  mnl_socket* events_ = nullptr;
  mnl_socket* dumps_ = nullptr;
  uint32_t seq_ = 0;
  std::vector<char> buffer_;  // one datagram of events
  bool resync_pending_ = false;  // a re-dump failed: retried by Process
  std::unique_ptr<netlink_internal::MirrorState> state_;
};

}  // namespace nexthop

#endif  // NEXTHOP_NETLINK_KERNEL_ROUTE_MIRROR_H_
