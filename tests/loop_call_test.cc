// LoopCall: a call from another thread runs on the loop's thread; one the
// loop does not take in time is withdrawn and never runs.
#include "router/loop_call.h"

#include <poll.h>

#include <atomic>
#include <thread>

#include "gtest/gtest.h"

namespace nexthop {
namespace {

TEST(LoopCallTest, RunsOnTheLoopThreadAndWaitsForIt) {
  auto call = LoopCall::Create();
  ASSERT_TRUE(call.ok()) << call.status();
  std::atomic<bool> stop = false;
  std::thread::id loop_id;
  std::thread loop([&] {
    loop_id = std::this_thread::get_id();
    while (!stop) {
      pollfd p{(*call)->fd(), POLLIN, 0};
      if (poll(&p, 1, 10) > 0) (*call)->Serve();
    }
  });
  for (int i = 0; i < 100; ++i) {
    std::thread::id ran_on;
    int value = 0;
    ASSERT_TRUE((*call)
                    ->Call(
                        [&] {
                          ran_on = std::this_thread::get_id();
                          value = i;
                        },
                        absl::Seconds(5))
                    .ok());
    EXPECT_EQ(value, i);  // done before Call returned
    EXPECT_EQ(ran_on, loop_id);
  }
  stop = true;
  loop.join();
}

TEST(LoopCallTest, UnservedCallTimesOutAndIsWithdrawn) {
  auto call = LoopCall::Create();
  ASSERT_TRUE(call.ok());
  bool ran = false;
  const absl::Status s =
      (*call)->Call([&] { ran = true; }, absl::Milliseconds(50));
  EXPECT_EQ(s.code(), absl::StatusCode::kDeadlineExceeded) << s;
  // The loop wakes later: the withdrawn call must not run (it could
  // reference the caller's stack).
  pollfd p{(*call)->fd(), POLLIN, 0};
  EXPECT_EQ(poll(&p, 1, 0), 1);
  (*call)->Serve();
  EXPECT_FALSE(ran);
}

}  // namespace
}  // namespace nexthop
