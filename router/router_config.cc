// ReadRouterConfig and ApplyRouterConfig: the two passes over the file.
#include "router/router_config.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "net/clock.h"
#include "sim/config_command.h"

namespace nexthop {
namespace {

// A control plane that sends nothing: the first pass only checks.
struct NoIo : ControlPlane::Io {
  void Transmit(int, std::vector<uint8_t>) override {}
  void Defer(std::function<void()>) override {}
  void WakeTimers() override {}
};

absl::Status At(absl::string_view where, const absl::Status& s) {
  return absl::Status(s.code(), absl::StrCat(where, ": ", s.message()));
}

absl::Status CheckRoutes(const RouterConfig& config, ControlPlane& cp) {
  // The router forwards IPv4 only: an IPv6 route would be lost in silence.
  if (!config.routes.routes6.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        config.routes_path, ":", config.routes.lines6.front(),
        ": an IPv6 route (", config.routes.routes6.front().prefix.ToString(),
        "); the live router forwards IPv4 only"));
  }
  const std::vector<Route>& routes = config.routes.routes;
  for (size_t i = 0; i < routes.size(); ++i) {
    const Route& r = routes[i];
    const std::string where =
        absl::StrCat(config.routes_path, ":", config.routes.lines[i]);
    if (!r.next_hop.gateway_name.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": gateway '", r.next_hop.gateway_name,
                       "' is a name; the live router needs an address"));
    }
    if (absl::Status s =
            cp.AddRoute(r.prefix, r.next_hop.gateway, r.next_hop.dev, r.metric);
        !s.ok()) {
      return At(where, s);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RouterConfig> ReadRouterConfig(const std::string& config_path,
                                              const std::string& routes_path) {
  std::ifstream f(config_path);
  if (!f) {
    return absl::NotFoundError(
        absl::StrCat("cannot read ", config_path, ": ", std::strerror(errno)));
  }
  std::stringstream text;
  text << f.rdbuf();
  RouterConfig config;
  RealClock clock;
  NoIo io;
  ControlPlane scratch(&clock, &io,
                       {.router = true, .base_mac = {}, .seed = 1});
  int number = 0;
  for (absl::string_view raw : absl::StrSplit(text.str(), '\n')) {
    ++number;
    const absl::string_view line =
        absl::StripAsciiWhitespace(raw.substr(0, raw.find('#')));
    if (line.empty()) continue;
    const std::string where = absl::StrCat(config_path, ":", number);
    const size_t before = scratch.interfaces().size();
    if (absl::Status s = ApplyConfigCommand(line, scratch, ConfigPhase::kSetup);
        !s.ok()) {
      return At(where, s);
    }
    for (size_t i = before; i < scratch.interfaces().size(); ++i) {
      const std::string& name = scratch.interfaces()[i].name;
      config.interfaces.push_back(name);
      config.first_named[name] = where;
    }
    config.lines.push_back({where, std::string(line)});
  }
  if (config.interfaces.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(config_path,
                     ": names no interface (e.g. ip addr add 10.0.0.1/24 dev "
                     "veth-a)"));
  }
  if (!routes_path.empty()) {
    absl::StatusOr<LoadResult> routes = LoadRouteFile(routes_path, {});
    if (!routes.ok()) return routes.status();
    config.routes_path = routes_path;
    config.routes = *std::move(routes);
    if (absl::Status s = CheckRoutes(config, scratch); !s.ok()) return s;
  }
  return config;
}

absl::Status ApplyRouterConfig(const RouterConfig& config,
                               const std::vector<InterfaceInfo>& ports,
                               ControlPlane& cp) {
  for (const InterfaceInfo& p : ports) {
    const int port = cp.AddInterface(p.name);
    cp.SetMac(port, p.mac);
    cp.SetMtu(port, static_cast<uint16_t>(std::min(p.mtu, 65535)));
  }
  for (const RouterConfig::Line& line : config.lines) {
    if (absl::Status s = ApplyConfigCommand(line.command, cp); !s.ok()) {
      return At(line.where, s);
    }
    for (const InterfaceInfo& p : ports) {
      const ControlPlane::Interface& i = cp.interfaces()[cp.PortIndex(p.name)];
      if (i.mac != p.mac) {
        return absl::InvalidArgumentError(absl::StrCat(
            line.where, ": the router uses ", p.name, "'s own MAC (",
            p.mac.ToString(), "); change it in the kernel instead"));
      }
      if (i.mtu > p.mtu) {
        return absl::InvalidArgumentError(
            absl::StrCat(line.where, ": MTU ", i.mtu, " is above ", p.name,
                         "'s MTU in the kernel (", p.mtu, ")"));
      }
    }
  }
  return CheckRoutes(config, cp);
}

}  // namespace nexthop
