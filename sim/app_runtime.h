// AppRuntime: what a program running on a node (ping, traceroute) needs
// from the place it runs in - the time, timers and a terminal - besides
// the node's ControlPlane.
//
// The simulator's Node implements it on its Network (simulated time, the
// event queue, the run's output); a live router would implement it on its
// event loop and stdout. Implementations are called from the program's own
// callbacks and need not be thread-safe.
//
// Example:
//   #include <map>
//   struct Terminal : AppRuntime {  // simulated time; a live one: absl::Now()
//     absl::Time now;               // jumps from timer to timer
//     std::multimap<absl::Time, std::function<void()>> timers;
//     absl::Time Now() const override { return now; }
//     void Schedule(absl::Duration d, std::function<void()> fn) override {
//       timers.emplace(now + d, std::move(fn));
//     }
//     void Print(const std::string& s) override { std::cout << s << "\n"; }
//   } t;  // what Ping, Traceroute and Shell take, with a ControlPlane
//   t.Schedule(absl::Seconds(2), [&t] { t.Print("2 s"); });
//   t.Schedule(absl::Seconds(1), [&t] { t.Print("1 s"); });
//   while (!t.timers.empty()) {  // the owner's event loop
//     auto next = t.timers.extract(t.timers.begin());
//     t.now = next.key();
//     next.mapped()();  // prints "1 s", then "2 s"
//   }
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
