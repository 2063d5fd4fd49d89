// Traceroute: `traceroute -I -n` on a node - ICMP echo probes with TTL 1,
// 2, ..., three per hop, a line per hop with who answered and how fast.
//
// Sends through the node's ControlPlane and listens to its ICMP from
// construction to destruction; prints, times and schedules through an
// AppRuntime. A probe unanswered in 5 seconds is a star; an answer from
// the destination, or host or net unreachable (" !H", " !N"), is the last
// hop; so is max_hops. A probe that cannot be sent ends it at once. Must be
// owned by a std::shared_ptr: its timers hold it. Not thread-safe.
//
// Example:
//   #include "sim/topology.h"
//   absl::StatusOr<Topology> t =
//       LoadTopology("examples/sim/example6-three-routers.topo", {});
//   // A's Shell runs `traceroute` as a Traceroute on A's ControlPlane:
//   t->network->Run("A", "traceroute 10.0.3.10", std::cout).IgnoreError();
//   // traceroute to 10.0.3.10 (10.0.3.10), 30 hops max, 60 byte packets
//   //  1  10.0.1.1  0.400 ms  0.200 ms  0.200 ms
//   //  2  10.0.12.2  8.200 ms  4.200 ms  4.200 ms
//   //  3  10.0.23.2  12.200 ms  8.200 ms  8.200 ms
//   //  4  10.0.3.10  8.600 ms  8.400 ms  8.400 ms
#ifndef NEXTHOP_SIM_TRACEROUTE_H_
#define NEXTHOP_SIM_TRACEROUTE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "sim/app_runtime.h"
#include "sim/control_plane.h"

namespace nexthop {

class Traceroute final : public IcmpListener,
                         public std::enable_shared_from_this<Traceroute> {
 public:
  Traceroute(ControlPlane* cp, AppRuntime* rt, Ipv4Address dst, int max_hops,
             uint16_t id);
  ~Traceroute() override;
  Traceroute(const Traceroute&) = delete;
  Traceroute& operator=(const Traceroute&) = delete;

  // Prints the first line and sends the first probe; `done` runs after the
  // last hop's line.
  void Start(std::function<void()> done);

  void OnIcmp(const Ipv4View& ip, const IcmpMessage& m) override;
  void OnHostUnreachable(const Ipv4View&) override {}

 private:
  static constexpr int kProbes = 3;

  void Probe();
  void Record(std::optional<Ipv4Address> from, double ms);

  ControlPlane* cp_;
  AppRuntime* rt_;
  Ipv4Address dst_;
  int max_hops_;
  uint16_t id_;
  std::function<void()> done_;
  int ttl_ = 1, probe_ = 0;
  uint16_t seq_ = 0;
  absl::Time sent_;
  bool answered_ = false, reached_ = false, finished_ = false;
  std::optional<Ipv4Address> last_;  // who answered this hop's last probe
  std::string line_, mark_;
};

}  // namespace nexthop

#endif  // NEXTHOP_SIM_TRACEROUTE_H_
