// Clock: where the ARP cache, MAC table and simulator get the time.
//
// Injected so that tests and the simulator are deterministic: ManualClock
// moves only when told. Implementations must be monotonic.
//
// Example:
//   ManualClock clock;                         // starts at the Unix epoch
//   clock.Advance(absl::Seconds(5));
//   const Clock& c = clock;
//   absl::Time now = c.Now();                  // the epoch + 5 s
#ifndef NEXTHOP_NET_CLOCK_H_
#define NEXTHOP_NET_CLOCK_H_

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace nexthop {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

class RealClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(absl::Time start = absl::UnixEpoch()) : now_(start) {}
  absl::Time Now() const override { return now_; }
  void Advance(absl::Duration d) { now_ += d; }

 private:
  absl::Time now_;
};

}  // namespace nexthop

#endif  // NEXTHOP_NET_CLOCK_H_
