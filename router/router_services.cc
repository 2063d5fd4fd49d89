// RouterServices: opening the services and wiring them to the router.
#include "router/router_services.h"

#include <iostream>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "router/counters_metrics.h"
#include "router/show_text.h"

namespace nexthop {

RouterServices::RouterServices(Router* router, Options options)
    : router_(router), options_(std::move(options)), sink_(router) {
  if (!options_.log) {
    options_.log = [](absl::string_view line) {
      std::cerr << "nexthop router: " << line << std::endl;
    };
  }
}

RouterServices::~RouterServices() {
  metrics_.reset();  // no scrape may outlive the loop call
}

absl::StatusOr<std::unique_ptr<RouterServices>> RouterServices::Attach(
    Router* router, Options options) {
  std::unique_ptr<RouterServices> s(
      new RouterServices(router, std::move(options)));
  const Options& o = s->options_;
  if (o.kernel_table) {
    KernelRouteMirror::Options mo;
    mo.table = *o.kernel_table;
    mo.receive_buffer_bytes = o.mirror_receive_buffer_bytes;
    mo.log = o.log;
    absl::StatusOr<std::unique_ptr<KernelRouteMirror>> mirror =
        KernelRouteMirror::Open(mo, &s->sink_);
    if (!mirror.ok()) {
      return absl::Status(mirror.status().code(),
                          absl::StrCat("--kernel-table ", mo.table, ": ",
                                       mirror.status().message()));
    }
    s->mirror_ = *std::move(mirror);
  }
  if (!o.control_path.empty()) {
    RouterServices* self = s.get();
    absl::StatusOr<std::unique_ptr<ControlSocket>> control =
        ControlSocket::Listen(o.control_path, [self](std::string_view req) {
          const std::string r(absl::StripAsciiWhitespace(
              absl::string_view(req.data(), req.size())));
          if (r == "show") return self->Show();
          return absl::StrCat("error: unknown request '", r,
                              "' (known: show)\n");
        });
    if (!control.ok()) {
      return absl::Status(control.status().code(),
                          absl::StrCat("--control ", o.control_path, ": ",
                                       control.status().message()));
    }
    s->control_ = *std::move(control);
  }
  if (o.metrics_port) {
    absl::StatusOr<std::unique_ptr<LoopCall>> call = LoopCall::Create();
    if (!call.ok()) return call.status();
    s->loop_call_ = *std::move(call);
    PrometheusServer::Options po;
    po.address = o.metrics_address;
    po.port = *o.metrics_port;
    RouterServices* self = s.get();
    absl::StatusOr<std::unique_ptr<PrometheusServer>> server =
        PrometheusServer::Start(po, [self] { return self->Scrape(); });
    if (!server.ok()) {
      return absl::Status(server.status().code(),
                          absl::StrCat("--metrics-port ", *o.metrics_port, ": ",
                                       server.status().message()));
    }
    s->metrics_ = *std::move(server);
  }
  // Only now, with nothing left to fail, does the router learn of them.
  RouterServices* self = s.get();
  if (s->mirror_) {
    router->WatchFd(s->mirror_->fd(), [self] {
      if (absl::Status st = self->mirror_->Process(); !st.ok()) {
        self->options_.log(st.message());
      }
    });
  }
  if (s->control_) {
    router->WatchFd(s->control_->fd(), [self] {
      if (absl::Status st = self->control_->Process(); !st.ok()) {
        self->options_.log(absl::StrCat("control socket: ", st.message()));
      }
    });
  }
  if (s->loop_call_) {
    router->WatchFd(s->loop_call_->fd(), [self] { self->loop_call_->Serve(); });
  }
  return s;
}

RouterCounters RouterServices::Counters() const {
  RouterCounters c = router_->Counters();
  if (mirror_) {
    c.mirror = RouterCounters::Mirror{
        *options_.kernel_table, mirror_->Routes().size(), mirror_->stats()};
  }
  return c;
}

std::string RouterServices::Show() const {
  absl::flat_hash_set<Route> mirrored;
  if (mirror_) {
    for (const KernelRoute<Ipv4>& k : mirror_->Routes()) {
      mirrored.insert(ToRibRoute(k));
    }
  }
  std::vector<ShownRoute> routes;
  router_->control_plane().fib().routes().ForEach([&](const Route& r) {
    ShownRoute shown{r, std::nullopt};
    if (mirrored.contains(r)) shown.kernel_table = *options_.kernel_table;
    routes.push_back(std::move(shown));
  });
  return FormatRouterShow(Counters(), routes);
}

absl::StatusOr<std::vector<Metric>> RouterServices::Scrape() {
  RouterCounters c;
  absl::Status s = loop_call_->Call([&] { c = Counters(); }, absl::Seconds(2));
  if (!s.ok()) {
    options_.log(absl::StrCat("metrics: ", s.message()));
    return s;  // a 503, not an empty scrape
  }
  return RouterMetrics(c);
}

}  // namespace nexthop
