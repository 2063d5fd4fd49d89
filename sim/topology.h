// Topology files: a network described with the commands of the articles.
//
//   # Example 4: a /21 office network
//   host A
//     ip addr add 10.10.64.55/21 dev eth0
//     ip route add default via 10.10.64.1
//   router gw lpm poptrie
//     ip addr add 10.10.64.1/21 dev eth0
//   switch sw1
//   link A:eth0 sw1:p1 delay 50us
//   link gw:eth0 sw1:p2
//   run A: ping -c 3 10.10.64.56
//
// `host NAME`, `router NAME [lpm ALGO]` and `switch NAME` start a device;
// the lines after a host or router configure it (ip addr/link/route,
// ifconfig, route add, arp -s/-d, sysctl; see sim/config_command.h). `link`
// joins two ports (default delay 50us), `run NODE: COMMAND` queues a
// command for after the setup. Indentation is optional, `#` starts a
// comment. Every error names FILE:LINE.
//
// Example:
//   absl::StatusOr<Topology> t =
//       LoadTopology("examples/sim/example3-two-addresses.topo", {});
//   for (const auto& [device, command] : t->runs) {  // route -n, then a ping
//     t->network->Run(device, command, std::cout).IgnoreError();
//   }
//   auto bad = ParseTopology("host A\nlink A:eth0\n", "my.topo", {});
//   // bad.status(): "my.topo:2: expected 'link NODE:PORT NODE:PORT [delay D]'"
#ifndef NEXTHOP_SIM_TOPOLOGY_H_
#define NEXTHOP_SIM_TOPOLOGY_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sim/network.h"

namespace nexthop {

struct Topology {
  std::unique_ptr<Network> network;
  // (device, command) from `run` lines, in file order.
  std::vector<std::pair<std::string, std::string>> runs;
};

absl::StatusOr<Topology> ParseTopology(absl::string_view text,
                                       absl::string_view file_name,
                                       Network::Options options);
absl::StatusOr<Topology> LoadTopology(const std::string& path,
                                      Network::Options options);

// "A: ping -c 3 10.0.0.1" -> ("A", "ping -c 3 10.0.0.1").
absl::StatusOr<std::pair<std::string, std::string>> ParseRunCommand(
    absl::string_view text);

}  // namespace nexthop

#endif  // NEXTHOP_SIM_TOPOLOGY_H_
