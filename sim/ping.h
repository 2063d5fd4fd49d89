// Ping: `ping` on a node - echo requests at an interval, a line per reply
// or error, then the statistics, worded as iputils ping prints them.
//
// Sends through the node's ControlPlane and listens to its ICMP from
// construction to destruction; prints, times and schedules through an
// AppRuntime. Finishes when every request is answered (or reported lost),
// or 10 seconds after the last one (ping's -W default for a silent
// network), or at once when a request cannot be sent; then calls `done`.
// Must be owned by a std::shared_ptr: its timers hold it. Not thread-safe.
//
//   auto ping = std::make_shared<Ping>(&cp, &runtime, Ping::Options{dst});
//   ping->Start(done);  // "PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data."
#ifndef NEXTHOP_SIM_PING_H_
#define NEXTHOP_SIM_PING_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "absl/time/time.h"
#include "sim/app_runtime.h"
#include "sim/control_plane.h"

namespace nexthop {

class Ping final : public IcmpListener,
                   public std::enable_shared_from_this<Ping> {
 public:
  struct Options {
    Ipv4Address dst;
    int count = 4;                               // -c
    int ttl = 64;                                // -t
    int size = 56;                               // -s: data bytes
    uint16_t id = 0;                             // -e: the echo identifier
    absl::Duration interval = absl::Seconds(1);  // -i
  };

  Ping(ControlPlane* cp, AppRuntime* rt, Options options);
  ~Ping() override;
  Ping(const Ping&) = delete;
  Ping& operator=(const Ping&) = delete;

  // Prints the first line and sends the first request; `done` runs when
  // the statistics are printed.
  void Start(std::function<void()> done);

  void OnIcmp(const Ipv4View& ip, const IcmpMessage& m) override;
  void OnHostUnreachable(const Ipv4View& ip) override;

 private:
  void SendNext();
  void MaybeFinish();
  void Finish();

  ControlPlane* cp_;
  AppRuntime* rt_;
  Options o_;
  std::function<void()> done_;
  int sent_ = 0, errors_ = 0;
  std::vector<double> rtts_;                // ms
  std::map<uint16_t, absl::Time> sent_at_;  // by seq, until answered
  absl::Time first_, last_send_;
  bool finished_ = false;
};

}  // namespace nexthop

#endif  // NEXTHOP_SIM_PING_H_
