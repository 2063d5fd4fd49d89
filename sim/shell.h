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
//   Shell shell(&cp, &runtime, /*ping_id=*/17);
//   absl::Status s = shell.Execute("ping -c 3 10.0.0.2", [] { ... });
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
