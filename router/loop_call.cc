// LoopCall: an eventfd to wake the loop, a queue and a condition variable.
#include "router/loop_call.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace nexthop {

absl::StatusOr<std::unique_ptr<LoopCall>> LoopCall::Create() {
  const int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (fd < 0) {
    return absl::InternalError(absl::StrCat("eventfd: ", std::strerror(errno)));
  }
  return std::unique_ptr<LoopCall>(new LoopCall(fd));
}

LoopCall::~LoopCall() { close(fd_); }

absl::Status LoopCall::Call(std::function<void()> fn, absl::Duration timeout) {
  auto job = std::make_shared<Job>();
  job->fn = std::move(fn);
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(job);
  const uint64_t one = 1;
  // A failed write leaves the counter non-zero: the loop wakes anyway.
  [[maybe_unused]] ssize_t n = write(fd_, &one, sizeof(one));
  const bool finished = done_.wait_for(lock, absl::ToChronoNanoseconds(timeout),
                                       [&] { return job->done; });
  if (finished) return absl::OkStatus();
  if (job->running) {
    // Too late to withdraw: it may be using the caller's state.
    done_.wait(lock, [&] { return job->done; });
    return absl::OkStatus();
  }
  queue_.erase(std::find(queue_.begin(), queue_.end(), job));
  return absl::DeadlineExceededError(
      absl::StrCat("the router's loop did not answer within ",
                   absl::FormatDuration(timeout)));
}

void LoopCall::Serve() {
  uint64_t count;
  [[maybe_unused]] ssize_t n = read(fd_, &count, sizeof(count));
  std::unique_lock<std::mutex> lock(mu_);
  while (!queue_.empty()) {
    std::shared_ptr<Job> job = queue_.front();
    queue_.pop_front();
    job->running = true;
    lock.unlock();
    job->fn();
    lock.lock();
    job->done = true;
    done_.notify_all();
  }
}

}  // namespace nexthop
