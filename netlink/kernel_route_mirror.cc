#include "netlink/kernel_route_mirror.h"

#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cstring>
#include <iostream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "netlink/internal/dump.h"
#include "netlink/internal/mirror_state.h"

namespace nexthop {
namespace {

absl::Status Errno(absl::string_view what) {
  return absl::UnavailableError(
      absl::StrCat("netlink: ", what, ": ", std::strerror(errno)));
}

// Room for a full datagram of events (the kernel sends up to a page or so
// per multicast message, several messages per datagram are rare).
constexpr size_t kEventBuffer = 64 * 1024;

}  // namespace

KernelRouteMirror::KernelRouteMirror(const Options& options, RouteSink* sink)
    : options_(options), buffer_(kEventBuffer) {
  if (!options_.log) {
    options_.log = [](absl::string_view m) {
      std::cerr << "kernel route mirror: " << m << "\n";
    };
  }
  state_ = std::make_unique<netlink_internal::MirrorState>(options_.table, sink,
                                                           options_.log);
}

KernelRouteMirror::~KernelRouteMirror() {
  if (events_) mnl_socket_close(events_);
  if (dumps_) mnl_socket_close(dumps_);
}

absl::StatusOr<std::unique_ptr<KernelRouteMirror>> KernelRouteMirror::Open(
    const Options& options, RouteSink* sink) {
  std::unique_ptr<KernelRouteMirror> m(new KernelRouteMirror(options, sink));
  if (absl::Status s = m->OpenSockets(); !s.ok()) return s;
  // Subscribed before the dump: what changes meanwhile is queued as
  // events, and replaying them on the dump converges (each event states a
  // route's whole new state).
  if (absl::Status s = m->Resync(); !s.ok()) return s;
  m->state_->stats().resyncs = 0;  // the first dump is no resync
  return m;
}

absl::Status KernelRouteMirror::OpenSockets() {
  // Close-on-exec: a daemon that starts programs must not hand them its
  // subscriptions.
  events_ = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
  if (events_ == nullptr) return Errno("socket(NETLINK_ROUTE)");
  dumps_ = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
  if (dumps_ == nullptr) return Errno("socket(NETLINK_ROUTE)");
  if (int bytes = options_.receive_buffer_bytes; bytes > 0) {
    // SO_RCVBUFFORCE passes net.core.rmem_max (root only); else SO_RCVBUF.
    const int fd = mnl_socket_get_fd(events_);
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) &&
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes))) {
      return Errno(absl::StrCat("setsockopt(SO_RCVBUF, ", bytes, ")"));
    }
  }
  if (mnl_socket_bind(events_, RTMGRP_LINK | RTMGRP_IPV4_ROUTE,
                      MNL_SOCKET_AUTOPID) < 0) {
    return Errno("bind to RTNLGRP_LINK and RTNLGRP_IPV4_ROUTE");
  }
  if (mnl_socket_bind(dumps_, 0, MNL_SOCKET_AUTOPID) < 0) {
    return Errno("bind the dump socket");
  }
  const int fd = mnl_socket_get_fd(events_);
  if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
    return Errno("fcntl(O_NONBLOCK) on the event socket");
  }
  return absl::OkStatus();
}

int KernelRouteMirror::fd() const { return mnl_socket_get_fd(events_); }

absl::Status KernelRouteMirror::Resync() {
  // What is queued now is older than the dump and, after an overrun, older
  // than the events that were lost: replayed on the dump it would bring
  // back routes since deleted or replaced. The dump supersedes it; what
  // arrives from here on has no gap and replays safely.
  std::vector<char>& buf = buffer_;
  for (;;) {
    const ssize_t n = mnl_socket_recvfrom(events_, buf.data(), buf.size());
    if (n >= 0 || errno == EINTR || errno == ENOBUFS) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    return Errno("recv on the route event socket (discarding before a dump)");
  }
  std::vector<netlink_internal::ParsedLink> links;
  std::vector<netlink_internal::ParsedRoute> routes;
  MirrorStats& stats = state_->stats();
  ++stats.resyncs;
  seq_ += 8;  // each dump may retry a few times with seq, seq+1, ...
  if (absl::Status s =
          netlink_internal::DumpLinks(dumps_, seq_, &links, &stats.malformed);
      !s.ok()) {
    return s;
  }
  seq_ += 8;
  if (absl::Status s = netlink_internal::DumpRoutes(dumps_, seq_, AF_INET,
                                                    &routes, &stats.malformed);
      !s.ok()) {
    return s;
  }
  return state_->ApplyDump(links, routes);
}

absl::Status KernelRouteMirror::Process() {
  absl::Status first;
  // A re-dump that failed is tried again at each call until one succeeds:
  // until then the mirror may differ from the kernel.
  if (resync_pending_) {
    first = Resync();
    resync_pending_ = !first.ok();
  }
  std::vector<char>& buf = buffer_;
  for (;;) {
    const ssize_t n = mnl_socket_recvfrom(events_, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      if (errno == EINTR) continue;
      if (errno == ENOBUFS) {
        // Events were dropped: only a fresh dump tells what the table is.
        options_.log("event socket overrun (ENOBUFS): re-dumping table " +
                     std::to_string(options_.table));
        absl::Status s = Resync();
        resync_pending_ = !s.ok();
        if (first.ok() && !s.ok()) first = s;
        continue;
      }
      return Errno("recv on the route event socket");
    }
    absl::Status s = state_->HandleDatagram(buf.data(), static_cast<size_t>(n));
    if (!s.ok()) {
      options_.log(s.message());
      if (first.ok()) first = s;
    }
  }
  return first;
}

std::vector<KernelRoute<Ipv4>> KernelRouteMirror::Routes() const {
  return state_->Routes();
}

const MirrorStats& KernelRouteMirror::stats() const { return state_->stats(); }

}  // namespace nexthop
