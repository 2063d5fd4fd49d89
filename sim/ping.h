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
// Example:
//   #include "sim/topology.h"
//   absl::StatusOr<Topology> t =
//       LoadTopology("examples/sim/example3-two-addresses.topo", {});
//   // A's Shell runs `ping` as a Ping on A's ControlPlane, printing through A:
//   t->network->Run("A", "ping -c 2 192.168.1.55", std::cout).IgnoreError();
//   // PING 192.168.1.55 (192.168.1.55) 56(84) bytes of data.
//   // 64 bytes from 192.168.1.55: icmp_seq=1 ttl=64 time=0.400 ms
//   // ...
//   // 2 packets transmitted, 2 received, 0% packet loss, time 1000ms
//   t->network->Run("A", "ping -c 1 8.8.8.8", std::cout).IgnoreError();
//   // From 192.168.1.3 icmp_seq=1 Destination Host Unreachable
//   // (A's gateway, 192.168.1.1, never answers its ARP requests)
#ifndef NEXTHOP_SIM_PING_H_
#define NEXTHOP_SIM_PING_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
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
    bool broadcast = false;                      // -b
    bool dont_fragment = true;                   // -M do (default) / dont
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
  int sent_ = 0, errors_ = 0, duplicates_ = 0;
  // To a broadcast or multicast address any host may answer; a seq
  // answered more than once is a duplicate ("DUP!").
  bool group_ = false;
  std::set<uint16_t> answered_;
  std::vector<double> rtts_;                // ms
  std::map<uint16_t, absl::Time> sent_at_;  // by seq, until answered
  absl::Time first_, last_send_;
  bool finished_ = false;
};

}  // namespace nexthop

#endif  // NEXTHOP_SIM_PING_H_
