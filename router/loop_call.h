// LoopCall: runs a function on an event loop's thread on behalf of another
// thread and waits for it - how the Prometheus server's thread reads the
// router's counters, which belong to the router's loop thread.
//
// The loop watches fd() (an eventfd) and calls Serve() when it is readable;
// Call() queues the function, wakes the loop and waits until it has run or
// `timeout` passed. A call that times out before the loop took it is
// withdrawn (it never runs, so it may reference the caller's locals); one
// the loop is already running is waited for. Cost: an eventfd write and a
// condition-variable wait per call. Thread-safety: Call from any threads;
// Serve only from the loop's thread.
//
// Example:
//   auto call = LoopCall::Create();
//   int seen = 0;
//   // The loop: poll((*call)->fd(), POLLIN), then (*call)->Serve().
//   // Another thread:
//   //   absl::Status s =
//   //       (*call)->Call([&] { seen = 1; }, absl::Seconds(1));
//   if (call.ok()) (*call)->Serve();  // nothing queued: returns at once
#ifndef NEXTHOP_ROUTER_LOOP_CALL_H_
#define NEXTHOP_ROUTER_LOOP_CALL_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace nexthop {

class LoopCall {
 public:
  static absl::StatusOr<std::unique_ptr<LoopCall>> Create();
  ~LoopCall();
  LoopCall(const LoopCall&) = delete;
  LoopCall& operator=(const LoopCall&) = delete;

  int fd() const { return fd_; }
  // Any thread: DeadlineExceeded if the loop did not take `fn` in time.
  absl::Status Call(std::function<void()> fn, absl::Duration timeout);
  // The loop's thread: runs every queued call.
  void Serve();

 private:
  struct Job {
    std::function<void()> fn;
    bool running = false;
    bool done = false;
  };
  explicit LoopCall(int fd) : fd_(fd) {}

  const int fd_;
  std::mutex mu_;
  std::condition_variable done_;
  std::deque<std::shared_ptr<Job>> queue_;
};

}  // namespace nexthop

#endif  // NEXTHOP_ROUTER_LOOP_CALL_H_
