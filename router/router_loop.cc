// Router: the event loop and the control plane's Io.
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "router/router.h"

namespace nexthop {
namespace {

// Frames taken from one port before the others get their turn.
constexpr size_t kBurst = 256;

}  // namespace

absl::Status Router::Run() {
  std::vector<pollfd> fds;
  while (true) {
    // What the last round sent (or configuration, or a hook) leaves before
    // the wait: one batch per port.
    for (size_t i = 1; i < ports_.size(); ++i) ports_[i]->Flush();
    fds.clear();
    fds.push_back({stop_fd_, POLLIN, 0});
    for (size_t i = 1; i < ports_.size(); ++i) {
      fds.push_back({ports_[i]->fd(), POLLIN, 0});
    }
    for (const Watch& w : watches_) fds.push_back({w.fd, POLLIN, 0});
    if (poll(fds.data(), fds.size(), PollTimeout()) < 0) {
      if (errno == EINTR) continue;
      return absl::InternalError(absl::StrCat("poll: ", std::strerror(errno)));
    }
    if (fds[0].revents != 0) return absl::OkStatus();
    for (size_t i = 1; i < ports_.size(); ++i) {
      // An error stays reported until it is read: read it, or poll() would
      // return at once forever (a port that went down).
      if (fds[i].revents & (POLLERR | POLLNVAL)) {
        if (absl::Status s = ports_[i]->TakeError(); !s.ok()) return s;
      }
      // A ring may hold frames without POLLIN (a block still open): only
      // a readable port is read, the block timeout hands the rest over.
      if (fds[i].revents & POLLIN) ReceiveFrom(static_cast<int>(i));
    }
    for (size_t w = 0; w < watches_.size(); ++w) {
      if (fds[ports_.size() + w].revents != 0) watches_[w].on_readable();
      RunDeferred();
    }
    if (ticking_ && clock_.Now() >= next_tick_) Tick();
  }
}

void Router::ReceiveFrom(int port) {
  ports_[port]->Receive(
      [&](std::span<const uint8_t> frame) {
        cp_->Receive(port, std::vector<uint8_t>(frame.begin(), frame.end()));
        RunDeferred();
      },
      kBurst);
}

void Router::RunDeferred() {
  // A deferred call may defer more; run until none is left.
  while (!deferred_.empty()) {
    std::vector<std::function<void()>> now;
    now.swap(deferred_);
    for (std::function<void()>& fn : now) fn();
  }
}

void Router::Transmit(int port, std::vector<uint8_t> frame) {
  if (port <= 0 || static_cast<size_t>(port) >= ports_.size()) return;
  ports_[port]->Send(frame);
}

void Router::Defer(std::function<void()> fn) {
  deferred_.push_back(std::move(fn));
}

void Router::WakeTimers() {
  if (!ticking_) Tick();
}

void Router::Tick() {
  ticking_ = true;  // a frame sent from inside must not tick again
  next_tick_ = clock_.Now() + ControlPlane::kTickPeriod;
  ticking_ = cp_->Tick();
}

int Router::PollTimeout() const {
  if (!ticking_) return -1;
  const absl::Duration left = next_tick_ - clock_.Now();
  if (left <= absl::ZeroDuration()) return 0;
  return static_cast<int>(absl::ToInt64Milliseconds(left)) + 1;
}

}  // namespace nexthop
