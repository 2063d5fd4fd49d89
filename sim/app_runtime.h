// AppRuntime: what a program running on a node (ping, traceroute) needs
// from the place it runs in - the time, timers and a terminal - besides
// the node's ControlPlane.
//
// The simulator's Node implements it on its Network (simulated time, the
// event queue, the run's output); a live router would implement it on its
// event loop and stdout. Implementations are called from the program's own
// callbacks and need not be thread-safe.
//
//   class Terminal : public AppRuntime { ... };
//   Ping ping(&control_plane, &terminal, options);
#ifndef NEXTHOP_SIM_APP_RUNTIME_H_
#define NEXTHOP_SIM_APP_RUNTIME_H_

#include <functional>
#include <string>

#include "absl/time/time.h"

namespace nexthop {

class AppRuntime {
 public:
  virtual ~AppRuntime() = default;
  virtual absl::Time Now() const = 0;
  // Runs `fn` once `after` has passed; with zero, after the current event.
  virtual void Schedule(absl::Duration after, std::function<void()> fn) = 0;
  // One line of output (no newline).
  virtual void Print(const std::string& line) = 0;
};

}  // namespace nexthop

#endif  // NEXTHOP_SIM_APP_RUNTIME_H_
