// RouterServices: what runs beside a live Router on its loop thread - the
// kernel route mirror (`--kernel-table N`), the control socket (`nexthop
// router show`) and the Prometheus endpoint (`--metrics-port P`) - wired
// to it through its hooks (Router::WatchFd, AddRoute/DeleteRoute,
// Counters).
//
// Attach opens each service asked for, in that order; on an error the
// ones already open are closed again (the control socket's file removed)
// and the router is as it was, but for routes the mirror's dump added:
// the caller then drops the router too. The mirror applies its events
// through a RouterRouteSink (router/router_route_sink.h: precedence
// between configured and mirrored routes is documented there); a mirror
// error while running (a refused route, a malformed message) is logged
// and the router keeps going. The Prometheus server's thread reads the
// counters through a LoopCall (router/loop_call.h), so every scrape is a
// consistent snapshot taken on the loop thread; a scrape the loop does
// not answer within 2 s gets no samples. Cost: one netlink socket pair
// (with a several-MiB receive buffer, so that bursts of 10k changes a
// second rarely overflow it; an overflow is a counted resync), one unix
// socket, one civetweb thread. Not thread-safe: create, use and destroy it
// on the router's loop thread, and destroy it only after Router::Run has
// returned (the router keeps its watch callbacks).
//
// Example:
//   Router* router = nullptr;  // from Router::Create
//   RouterServices::Options options;
//   options.kernel_table = 100;
//   options.control_path = "/run/nexthop/router.sock";
//   options.metrics_port = 9100;  // http://127.0.0.1:9100/metrics
//   if (router != nullptr) {
//     auto services = RouterServices::Attach(router, options);
//     // then router->Run(); services->reset() after it returned.
//   }
#ifndef NEXTHOP_ROUTER_ROUTER_SERVICES_H_
#define NEXTHOP_ROUTER_ROUTER_SERVICES_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "metrics/control_socket.h"
#include "metrics/prometheus_server.h"
#include "netlink/kernel_route_mirror.h"
#include "router/counters.h"
#include "router/loop_call.h"
#include "router/router.h"
#include "router/router_route_sink.h"

namespace nexthop {

class RouterServices {
 public:
  // The mirror's event socket buffer: 10k route changes a second are about
  // 1.5 MB/s of netlink messages; 8 MiB rides out seconds of a stalled
  // loop.
  static constexpr int kMirrorReceiveBuffer = 8 << 20;

  struct Options {
    std::optional<uint32_t> kernel_table;  // mirror it, if set
    int mirror_receive_buffer_bytes = kMirrorReceiveBuffer;
    std::string control_path;         // empty: no control socket
    std::optional<int> metrics_port;  // 0: an ephemeral port
    std::string metrics_address = "127.0.0.1";
    // Where running errors go; default: standard error.
    std::function<void(absl::string_view)> log;
  };

  static absl::StatusOr<std::unique_ptr<RouterServices>> Attach(
      Router* router, Options options);
  ~RouterServices();
  RouterServices(const RouterServices&) = delete;
  RouterServices& operator=(const RouterServices&) = delete;

  // The router's counters with the mirror's; the loop thread's.
  RouterCounters Counters() const;
  // What `nexthop router show` prints (router/show_text.h).
  std::string Show() const;
  // The Prometheus endpoint's port; 0 if none.
  int metrics_port() const { return metrics_ ? metrics_->port() : 0; }

 private:
  RouterServices(Router* router, Options options);
  absl::StatusOr<std::vector<Metric>> Scrape();

  Router* router_;
  Options options_;
  RouterRouteSink sink_;
  std::unique_ptr<KernelRouteMirror> mirror_;
  std::unique_ptr<ControlSocket> control_;
  std::unique_ptr<LoopCall> loop_call_;
  std::unique_ptr<PrometheusServer> metrics_;  // last: stops first
};

}  // namespace nexthop

#endif  // NEXTHOP_ROUTER_ROUTER_SERVICES_H_
