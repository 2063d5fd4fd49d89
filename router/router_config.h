// RouterConfig: a live router's configuration file (and optional route
// file), read and checked in full before anything is built from it.
//
// The file holds one command a line in the simulator's Linux syntax
// (sim/config_command.h: `ip addr add 10.1.0.1/24 dev veth-a`,
// `ip route add 0.0.0.0/0 via 10.2.0.2`, `sysctl`, `arp -s`, `lpm NAME`);
// `#` starts a comment. ReadRouterConfig applies every line to a scratch
// ControlPlane, so a bad line is an error naming FILE:LINE before any
// socket is opened, and it collects the interfaces the file names, in
// order: those are the router's ports. ApplyRouterConfig then builds the
// real control plane: the ports first, each with its interface's real MAC
// and MTU, then the lines again (at run time, so a name must exist), then
// the route file's routes. A line that would give a port a MAC other than
// the interface's own, or an MTU above the interface's, is refused (the
// kernel would drop those frames).
//
// Cost: two passes over the file, each as costly as the commands. Plain
// functions; thread-safe.
//
// Example:
//   absl::StatusOr<RouterConfig> c = ReadRouterConfig("/no/such.conf", "");
//   // NotFound: "cannot read /no/such.conf: No such file or directory"
#ifndef NEXTHOP_ROUTER_ROUTER_CONFIG_H_
#define NEXTHOP_ROUTER_ROUTER_CONFIG_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "io/interface_info.h"
#include "rib/route_loader.h"
#include "sim/control_plane.h"

namespace nexthop {

struct RouterConfig {
  struct Line {
    std::string where;  // "FILE:LINE"
    std::string command;
  };
  std::vector<Line> lines;  // the commands, comments and blanks left out
  // The interfaces the lines name, in order of first mention, and where.
  std::vector<std::string> interfaces;
  std::map<std::string, std::string> first_named;
  std::string routes_path;  // empty: no route file
  LoadResult routes;
};

// Reads and checks `config_path` and, unless empty, `routes_path`.
absl::StatusOr<RouterConfig> ReadRouterConfig(const std::string& config_path,
                                              const std::string& routes_path);

// Configures `cp` (fresh: only `lo`) from `config`, whose interfaces are
// `ports` (the same names, in the same order). Errors name FILE:LINE.
absl::Status ApplyRouterConfig(const RouterConfig& config,
                               const std::vector<InterfaceInfo>& ports,
                               ControlPlane& cp);

}  // namespace nexthop

#endif  // NEXTHOP_ROUTER_ROUTER_CONFIG_H_
