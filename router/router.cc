// Router: building one (Create: every check before anything is opened),
// the hooks and the counters.
#include "router/router.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "fwd/ipv4_packet.h"
#include "router/kernel_check.h"
#include "router/router_config.h"

namespace nexthop {

absl::StatusOr<std::unique_ptr<Router>> Router::Create(
    const Options& options, std::vector<std::string>* warnings) {
  std::vector<std::string> ignored;
  if (warnings == nullptr) warnings = &ignored;
  absl::StatusOr<RouterConfig> config =
      ReadRouterConfig(options.config_path, options.routes_path);
  if (!config.ok()) return config.status();
  // The route file's lenient fixes (duplicates, bits outside the mask).
  for (const std::string& w : config->routes.warnings) warnings->push_back(w);
  std::vector<InterfaceInfo> infos;
  for (const std::string& name : config->interfaces) {
    absl::StatusOr<InterfaceInfo> info = QueryInterface(name);
    if (!info.ok()) {
      return absl::Status(info.status().code(),
                          absl::StrCat(info.status().message(), " (named at ",
                                       config->first_named.at(name), ")"));
    }
    infos.push_back(*std::move(info));
  }
  absl::StatusOr<bool> forwarding = KernelIpv4Forwarding();
  if (!forwarding.ok()) return forwarding.status();
  if (absl::Status s = CheckKernelStaysOut(infos, *forwarding, warnings);
      !s.ok()) {
    return s;
  }
  // Control-plane port i is ports[i]; port 0 is lo, which has no socket.
  std::vector<std::unique_ptr<PacketPort>> ports(1);
  for (const InterfaceInfo& info : infos) {
    absl::StatusOr<std::unique_ptr<AfPacketPort>> port =
        AfPacketPort::Open(info.name, options.port_options);
    if (!port.ok()) return port.status();
    ports.push_back(*std::move(port));
  }
  const int stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stop_fd < 0) {
    return absl::InternalError(absl::StrCat("eventfd: ", std::strerror(errno)));
  }
  std::unique_ptr<Router> router(
      new Router(std::move(ports), stop_fd, options.seed));
  if (absl::Status s = ApplyRouterConfig(*config, infos, *router->cp_);
      !s.ok()) {
    return s;
  }
  for (size_t i = 0; i < infos.size(); ++i) {
    if (router->cp_->PortIndex(infos[i].name) != static_cast<int>(i + 1)) {
      return absl::InternalError("ports out of step with the control plane");
    }
  }
  return router;
}

Router::Router(std::vector<std::unique_ptr<PacketPort>> ports, int stop_fd,
               uint64_t seed)
    : ports_(std::move(ports)),
      stop_fd_(stop_fd),
      cp_(std::make_unique<ControlPlane>(
          &clock_, static_cast<ControlPlane::Io*>(this),
          ControlPlane::Options{
              .router = true, .base_mac = {}, .seed = seed})) {}

Router::~Router() {
  cp_.reset();  // before the ports it may still send through
  close(stop_fd_);
}

void Router::RequestStop() noexcept {
  const uint64_t one = 1;
  // Nothing to do if it fails: the counter is already non-zero.
  [[maybe_unused]] ssize_t n = write(stop_fd_, &one, sizeof(one));
}

void Router::WatchFd(int fd, std::function<void()> on_readable) {
  watches_.push_back({fd, std::move(on_readable)});
}

absl::Status Router::AddRoute(const Route& route) {
  if (!route.next_hop.gateway_name.empty()) {
    return absl::InvalidArgumentError("a gateway must be an address");
  }
  absl::Status s = cp_->AddRoute(route.prefix, route.next_hop.gateway,
                                 route.next_hop.dev, route.metric);
  RunDeferred();
  return s;
}

absl::Status Router::DeleteRoute(const Route& route) {
  return cp_->DeleteRoute(route);
}

RouterCounters Router::Counters() const {
  RouterCounters c;
  for (size_t i = 1; i < ports_.size(); ++i) {
    c.ports.push_back(
        {cp_->PortName(static_cast<int>(i)), ports_[i]->counters()});
  }
  c.forwarded = cp_->forwarded();
  for (const auto& [reason, n] : cp_->drops()) {
    c.drops[std::string(DropReasonName(reason))] = n;
  }
  c.neighbors = cp_->neighbors().size();
  return c;
}

}  // namespace nexthop
