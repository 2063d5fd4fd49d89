// Router: the live router daemon - the simulator's ControlPlane (the same
// fast path, ARP, neighbour cache and ICMP code) fed with real frames from
// Linux interfaces through PacketPorts, and its output sent back out of
// them.
//
// Create reads the configuration (router/router_config.h), looks up every
// interface it names (a missing one is NotFound naming the config line),
// checks that the kernel of this namespace stays out of the way
// (router/kernel_check.h), opens the ports (AF_PACKET; without CAP_NET_RAW,
// PermissionDenied) and only then builds the control plane: any error
// leaves nothing behind, and nothing in the kernel is ever changed. Each
// port's MAC is its interface's. Run() is the event loop: it blocks in
// poll() on the ports (never spins), hands each frame to the control plane,
// runs what it deferred, ticks its timers every ControlPlane::kTickPeriod
// while it asks, and returns when RequestStop() is called (from a signal
// handler or another thread).
//
// Hook points for what runs beside it on the loop thread: WatchFd (a
// route source's socket, e.g. an rtnetlink mirror, or a control socket),
// AddRoute/DeleteRoute (a route source's changes), Counters() (an
// exporter's snapshot).
//
// Cost: one ControlPlane, a receive ring per port (AfPacketPort::Options),
// a frame copy per received frame (ControlPlane::Receive takes a vector);
// what a round of the loop sends leaves in one batch per port before the
// next wait.
// Not thread-safe except RequestStop; everything else belongs to the
// thread that calls Run.
//
// Example:
//   Router::Options options;
//   options.config_path = "/no/such/router.conf";
//   absl::StatusOr<std::unique_ptr<Router>> r = Router::Create(options);
//   // NotFound: cannot read /no/such/router.conf: No such file or directory
//   if (r.ok()) {
//     (*r)->Run().IgnoreError();  // until (*r)->RequestStop()
//   }
#ifndef NEXTHOP_ROUTER_ROUTER_H_
#define NEXTHOP_ROUTER_ROUTER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "io/af_packet_port.h"
#include "io/packet_port.h"
#include "net/clock.h"
#include "rib/next_hop.h"
#include "router/counters.h"
#include "sim/control_plane.h"

namespace nexthop {

class Router final : private ControlPlane::Io {
 public:
  struct Options {
    std::string config_path;
    std::string routes_path;  // optional: a route file (rib/route_loader.h)
    AfPacketPort::Options port_options;
    // Seeds the neighbour cache's hash and timers.
    uint64_t seed = 1;
  };

  // `warnings` (if given) gets what is worth saying but not fatal, whole
  // lines: "warning: veth-a is down ...", "FILE:LINE: warning: ...".
  static absl::StatusOr<std::unique_ptr<Router>> Create(
      const Options& options, std::vector<std::string>* warnings = nullptr);
  ~Router() override;
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // The event loop; returns OK once RequestStop() was called, or the error
  // that stopped it (poll failing).
  absl::Status Run();
  // Async-signal-safe and thread-safe: Run returns soon after.
  void RequestStop() noexcept;

  // --- hooks, for the loop thread ----------------------------------------
  // Calls `on_readable` from Run whenever `fd` is readable.
  void WatchFd(int fd, std::function<void()> on_readable);
  // Route changes from a source beside the config (`ip route add/del`).
  absl::Status AddRoute(const Route& route);
  absl::Status DeleteRoute(const Route& route);
  RouterCounters Counters() const;
  const ControlPlane& control_plane() const { return *cp_; }

 private:
  struct Watch {
    int fd;
    std::function<void()> on_readable;
  };

  Router(std::vector<std::unique_ptr<PacketPort>> ports, int stop_fd,
         uint64_t seed);
  // ControlPlane::Io.
  void Transmit(int port, std::vector<uint8_t> frame) override;
  void Defer(std::function<void()> fn) override;
  void WakeTimers() override;

  void Tick();
  void ReceiveFrom(int port);
  void RunDeferred();
  // Milliseconds until the next tick is due; -1 while no timer is pending.
  int PollTimeout() const;

  RealClock clock_;
  // ports_[i] is the control plane's port i; ports_[0] (lo) is null.
  std::vector<std::unique_ptr<PacketPort>> ports_;
  int stop_fd_;  // an eventfd RequestStop writes to
  std::unique_ptr<ControlPlane> cp_;
  std::vector<std::function<void()>> deferred_;
  std::vector<Watch> watches_;
  bool ticking_ = false;
  absl::Time next_tick_;
};

}  // namespace nexthop

#endif  // NEXTHOP_ROUTER_ROUTER_H_
