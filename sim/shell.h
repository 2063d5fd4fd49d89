// Shell: runs the commands a user types on a node - ping, traceroute, the
// show commands (arp -a, route -n, ip route, ip neigh, drops), sleep - and
// hands anything else to ApplyConfigCommand.
//
// Programs run on the node's ControlPlane and print through an AppRuntime;
// the Shell owns them until they finish. Execute returns at once with an
// error for a command it cannot start (usage, bad option), else OK, and
// calls `done` when the command has finished: at once for a show or
// configuration command, later for ping, traceroute and sleep. Several
// commands may run at a time. Cost: what the command costs. Not
// thread-safe.
//
// Example:
//   #include "sim/node.h"
//   Network net;
//   Node* a = *net.AddNode("A", /*router=*/false);  // runs commands in a Shell
//   // Network::Run calls Node::Execute (Shell::Execute), waits for `done`:
//   net.Run("A", "ip addr add 10.0.0.1/24 dev eth0", std::cout).IgnoreError();
//   net.Run("A", "ip route", std::cout).IgnoreError();
//   // 10.0.0.0/24 dev eth0 scope link
//   net.Run("A", "ping -c 1 10.0.0.1", std::cout).IgnoreError();  // 1 received
//   absl::Status s = net.Run("A", "ping -c x 10.0.0.1", std::cout);
//   // InvalidArgument: "option -c needs a number from 1 to 1000000"
#ifndef NEXTHOP_SIM_SHELL_H_
#define NEXTHOP_SIM_SHELL_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "sim/app_runtime.h"
#include "sim/control_plane.h"

namespace nexthop {

class Shell {
 public:
  // `ping_id` is the echo identifier of ping (unless -e) and traceroute,
  // as a real ping's would be its pid. `cp` and `rt` must outlive the
  // Shell.
  Shell(ControlPlane* cp, AppRuntime* rt, uint16_t ping_id);
  ~Shell();
  Shell(const Shell&) = delete;
  Shell& operator=(const Shell&) = delete;

  absl::Status Execute(absl::string_view command, std::function<void()> done);

 private:
  absl::Status StartPing(const std::vector<std::string>& words,
                         std::function<void()> done);
  absl::Status StartTraceroute(const std::vector<std::string>& words,
                               std::function<void()> done);
  // Wraps `done` for a program: it also lets the program go.
  std::function<void()> Finisher(const IcmpListener* program,
                                 std::function<void()> done);

  ControlPlane* cp_;
  AppRuntime* rt_;
  uint16_t ping_id_;
  std::vector<std::shared_ptr<IcmpListener>> programs_;  // running
};

}  // namespace nexthop

#endif  // NEXTHOP_SIM_SHELL_H_
